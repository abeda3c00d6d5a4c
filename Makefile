# The booklet's build. `make` sets up everything it needs, then builds all three
# editions: the PDF, the EPUB and the web edition (the folder build/web/).
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

.PHONY: all pdf epub web check test bench clean system system-test

all: $(SETUP)
	$(BIN)/booklet build

pdf: $(SETUP)
	$(BIN)/booklet build pdf

epub: $(SETUP)
	$(BIN)/booklet build epub

# The web edition offers the PDF and the EPUB as downloads, so it brings them up to date too.
web: $(SETUP)
	$(BIN)/booklet build web

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

check: all system-test $(ACE)
	$(BIN)/booklet validate
	$(BIN)/booklet check pdf build/booklet.pdf
	$(BIN)/booklet check epub build/booklet.epub

test: system-test $(READY) $(ACE)
	$(BIN)/python -m pytest

clean:
	rm -rf build

# `make bench`: build times against pandoc, no-op and one-edit rebuilds, a 100-essay
# anthology and a pyinstrument profile (benchmarks/README.md; results in build/bench.json).
# Options go through BENCH_ARGS, e.g. `make bench BENCH_ARGS='--runs 1 --no-anthology'`.
BENCH_ARGS ?=
bench: system $(READY)
	@$(BIN)/python -c 'import pypandoc, pyinstrument' 2>/dev/null || \
		$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)
