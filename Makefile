# Two commands for a newcomer: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test check format lint types bench demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

## run: set everything up and open the app on the demo group
run: $(STAMP)
	$(BIN)/facilitator demo --quiet
	$(BIN)/facilitator

## test: set everything up and run the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest -n auto -q

## check: format check, lint, types and tests
check: $(STAMP)
	$(BIN)/ruff format --check facilitator tests benchmarks
	$(BIN)/ruff check facilitator tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n auto -q

format: $(STAMP)
	$(BIN)/ruff format facilitator tests benchmarks
	$(BIN)/ruff check --fix facilitator tests benchmarks

## bench: run the benchmarks (median, min and max over several runs each)
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]' \
	  || echo "WeasyPrint did not install: its comparison will be skipped"
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
