# Two commands: `make run` (set up, build the index if needed, start the app) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test install install-test browser-deps ingest lint bench eval clean-index

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch first, pinned: its CPU build comes from local disk; a bare requirement would pull CUDA.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

ingest: install
	$(BIN)/signpost ingest

run: install
	$(BIN)/signpost ingest --quiet
	$(BIN)/signpost ui

# Debian's Chromium for the browser tests (no browser download); skipped with a note if apt fails.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
	  || echo "Chromium could not be installed: browser tests will skip."; }

test: install-test browser-deps
	$(BIN)/ruff check assistant ingest ui evals tests benchmarks
	$(BIN)/mypy assistant ingest evals
	$(BIN)/pytest

bench: install-test
	$(BIN)/python benchmarks/bench.py

eval: install
	$(BIN)/signpost eval --markdown evals/REPORT.md

clean-index:
	rm -rf $${SIGNPOST_HOME:-$$HOME/.local/share/signpost}/index
