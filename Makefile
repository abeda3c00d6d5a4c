# The booklet's build. `make` sets up everything it needs, then builds every edition:
# the PDFs, the EPUB and the web edition (the folder build/web/).
#
# Freshness is booklet's business, not make's: `booklet build` keeps a digest of every
# file each output is made from (build/.stamps.json), so a deleted or renamed essay
# folder, files unzipped with older dates, or names with spaces are all seen, and an
# unchanged tree rebuilds nothing in a fraction of a second. So the Makefile lists no
# content files, every build target always asks booklet, and no target ever deletes an
# output: a refused build leaves build/ exactly as it was.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.installed
ACE    := node_modules/.bin/ace-puppeteer
SYSTEM := PYTHON=$(PYTHON) VENV=$(VENV) tools/system-packages
# What a build needs first; the tests run make on copies of a project with SETUP=system
# and VENV set to their own environment, so that a copy never installs anything.
SETUP  ?= system $(READY)

.PHONY: all check test bench clean system system-test report

# `make print-shop CROP_MARKS=yes` (or `make CROP_MARKS=yes`): the print shop's PDF with
# crop marks, for a shop that asks for them (docs/print-shop.md).
MARKS := $(if $(CROP_MARKS),--crop-marks)

all: $(SETUP)
	$(BIN)/booklet build $(MARKS)

# Any other target is an edition, built with what it needs (`make pdf`, `make epub`,
# `make web` …): booklet knows the editions (`.venv/bin/booklet editions` lists them),
# so this file names none, and a new edition is a target at once. An unknown name is
# refused by booklet with the list.
.DEFAULT:
	@$(MAKE) --no-print-directory $(SETUP)
	$(BIN)/booklet build $@ $(MARKS)

# What the build needs from the operating system (Pango, HarfBuzz's subsetter, venv);
# installed with apt-get where that needs no password, else the exact command is shown.
system:
	@$(SYSTEM) build

system-test:
	@$(SYSTEM) test

$(READY): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# Ace by DAISY, from the lockfile; it runs in Debian's Chromium, so no browser download.
$(ACE): package.json package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# Every edition's output through its validator: the PDF/UA-1 audit, EPUBCheck and Ace.
check: all system-test $(ACE)
	$(BIN)/booklet validate
	$(BIN)/booklet check

test: system-test $(READY) $(ACE)
	$(BIN)/python -m pytest

clean:
	rm -rf build

# `make report`: build/editorial-report.html for the editor and the proof-reader (every
# recorded change, unresolved citation, added or uncited entry and figure, with links
# into the EPUB's chapters). Not part of `make`: it builds the booklet first so that its
# links lead to the current EPUB, then writes the report beside it.
report: all
	$(BIN)/booklet report

# `make bench`: cold builds paired run by run with pandoc → WeasyPrint PDF/UA-1 + EPUB,
# one-essay edits (booklet build, make, booklet watch), a 100-essay anthology with its
# peak memory, and a pyinstrument profile; the speed targets met or missed
# (benchmarks/README.md; results in build/bench.json). 5 to 9 minutes; options go
# through BENCH_ARGS, e.g. `make bench BENCH_ARGS='--cold-runs 1 --no-anthology'`.
BENCH_ARGS ?=
bench: system $(READY)
	@$(BIN)/python -c 'import pypandoc, pyinstrument' 2>/dev/null || \
		$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)
