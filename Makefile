# kaoping — two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup run test test-fast lint bench bench-writes clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

## run: set up, start (embedded PostgreSQL unless KAOPING_DATABASE_URL is set), seed the demo tenant, serve
run: $(STAMP)
	$(BIN)/kaoping serve --demo

## test: set up, check the layers and style, run every test
test: lint
	$(BIN)/pytest

## test-fast: the given/when/then specs alone, on in-memory storage (no PostgreSQL; seconds)
test-fast: $(STAMP)
	$(BIN)/pytest --noconftest -p no:randomly tests/specs

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

## bench: print throughput figures (ratios against a baseline measured in the same run)
bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/snapshots.py
	$(BIN)/python bench/flood.py

## bench-writes: issue 11's score writes by round size (HTTP vs direct, projector lag, catch-up)
bench-writes: $(STAMP)
	$(BIN)/python bench/writes.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
