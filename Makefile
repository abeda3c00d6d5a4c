# The booklet's build. `make` sets up everything it needs, then builds both editions.
# Each output depends on its real inputs, so an unchanged tree rebuilds nothing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.installed

CONTENT := $(shell find content -type f 2>/dev/null)
STYLES  := $(shell find styles -type f 2>/dev/null)
CODE    := pyproject.toml $(shell find src -type f -not -name '*.pyc' 2>/dev/null)

.PHONY: all pdf epub check test clean
.DELETE_ON_ERROR:

all: pdf epub

pdf: build/booklet.pdf
epub: build/booklet.epub

$(READY): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

build/booklet.pdf: $(READY) $(CONTENT) $(STYLES) $(CODE)
	$(BIN)/booklet build pdf

build/booklet.epub: $(READY) $(CONTENT) $(STYLES) $(CODE)
	$(BIN)/booklet build epub

check: all
	$(BIN)/booklet validate

test: $(READY)
	$(BIN)/python -m pytest

clean:
	rm -rf build
