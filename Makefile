# The booklet's build. `make` sets up everything it needs, then builds both editions.
# Each output depends on its real inputs, so an unchanged tree rebuilds nothing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.installed
ACE    := node_modules/.bin/ace-puppeteer

CONTENT := $(shell find content -type f 2>/dev/null)
STYLES  := $(shell find styles -type f 2>/dev/null)
CODE    := pyproject.toml $(shell find src -type f -not -name '*.pyc' 2>/dev/null)

.PHONY: all pdf epub check test bench clean
.DELETE_ON_ERROR:

all: pdf epub

pdf: build/booklet.pdf
epub: build/booklet.epub

$(READY): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# One layout of the print edition makes both files (the EPUB's page-list comes
# from it), so they are built together; `booklet build` itself rewrites only the
# outputs whose own inputs changed (build/.stamps.json).
build/booklet.pdf build/booklet.epub &: $(READY) $(CONTENT) $(STYLES) $(CODE)
	$(BIN)/booklet build

# Ace by DAISY, from the lockfile; it runs in Debian's Chromium, so no browser download.
$(ACE): package.json package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

check: all $(ACE)
	$(BIN)/booklet validate
	$(BIN)/booklet check pdf build/booklet.pdf
	$(BIN)/booklet check epub build/booklet.epub

test: $(READY) $(ACE)
	$(BIN)/python -m pytest

clean:
	rm -rf build

# `make bench`: build times against pandoc, no-op and one-edit rebuilds, a 100-essay
# anthology and a pyinstrument profile (benchmarks/README.md; results in build/bench.json).
# Options go through BENCH_ARGS, e.g. `make bench BENCH_ARGS='--runs 1 --no-anthology'`.
BENCH_ARGS ?=
bench: $(READY)
	@$(BIN)/python -c 'import pypandoc, pyinstrument' 2>/dev/null || \
		$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)
