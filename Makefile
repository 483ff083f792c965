# Two commands for a newcomer: `make run` and `make test`. Everything else is for developers.
#
# Both install exactly the versions in requirements/*.txt (hash-pinned, made by `make lock`), with
# nothing but Python's own pip and venv: `make run` into .venv (the app alone), `make test` into
# .venv-dev (the app, the test suite and the developer tools). pyproject.toml keeps the ranges
# for people who `pip install facilitator`.
PYTHON  ?= python3
RUN     := .venv
DEV     := .venv-dev
UV      := .venv-tools/bin/uv
# Each environment is rebuilt when its lock or pyproject.toml (entry points, extras) changes.
stamp    = $(1)/.installed-$(shell cat requirements/$(2).txt pyproject.toml | cksum | cut -d' ' -f1)
RUN_OK  := $(call stamp,$(RUN),run)
DEV_OK  := $(call stamp,$(DEV),dev)
PIP_LOCKED = --quiet --require-hashes --no-deps -r
PYTEST  := $(DEV)/bin/python -m pytest -n auto -q
# One universal, hash-pinned resolution for Python 3.11 and later (the build backend included).
COMPILE := $(UV) pip compile --quiet --upgrade --universal --python-version 3.11 \
	--generate-hashes --no-header pyproject.toml requirements/build.in

.PHONY: run test check format lint types audit bench lock demo clean

# A changed lock gets a new environment, so nothing left from an older lock can hide a missing pin.
$(RUN_OK): requirements/run.txt pyproject.toml
	rm -rf $(RUN) && $(PYTHON) -m venv $(RUN)
	$(RUN)/bin/python -m pip install $(PIP_LOCKED) requirements/run.txt
	$(RUN)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(DEV_OK): requirements/dev.txt pyproject.toml
	rm -rf $(DEV) && $(PYTHON) -m venv $(DEV)
	$(DEV)/bin/python -m pip install $(PIP_LOCKED) requirements/dev.txt
	$(DEV)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

## run: set up the app alone in .venv and open it on the demo group
run: $(RUN_OK)
	$(RUN)/bin/facilitator demo --quiet
	$(RUN)/bin/facilitator

## test: set up (or reuse) the locked test environment and run the whole suite
test: $(DEV_OK)
	$(PYTEST)

## check: format check, lint, import layering, types, known vulnerabilities, tests
check: $(DEV_OK) audit
	$(DEV)/bin/ruff format --check facilitator tests benchmarks devtools
	$(DEV)/bin/ruff check facilitator tests benchmarks devtools
	$(DEV)/bin/mypy
	$(DEV)/bin/lint-imports
	$(PYTEST)

## audit: look the locked versions up in PyPI's advisory data (pip-audit; --strict: a package
##        it cannot look up fails the audit, so an offline machine never reads as "no findings")
audit: $(DEV_OK)
	$(DEV)/bin/pip-audit --strict --progress-spinner off --disable-pip --require-hashes \
	  -r requirements/dev.txt -r requirements/bench.txt

format: $(DEV_OK)
	$(DEV)/bin/ruff format facilitator tests benchmarks devtools
	$(DEV)/bin/ruff check --fix facilitator tests benchmarks devtools

## bench: run the benchmarks (median, min and max over several runs each)
bench: $(DEV_OK)
	$(DEV)/bin/python -m pip install $(PIP_LOCKED) requirements/bench.txt \
	  || echo "WeasyPrint did not install: its comparison will be skipped"
	$(DEV)/bin/python -m benchmarks

## lock: re-resolve every lock to the newest versions pyproject.toml allows, then run the suite
lock:
	test -x $(UV) || { $(PYTHON) -m venv .venv-tools && .venv-tools/bin/pip install --quiet uv; }
	$(COMPILE) -o requirements/run.txt
	$(COMPILE) --extra dev -o requirements/dev.txt
	$(COMPILE) --extra dev --extra bench -o requirements/bench.txt
	$(MAKE) test
	git diff --stat -- requirements

clean:
	rm -rf $(RUN) $(DEV) .venv-tools build dist .pytest_cache .mypy_cache .ruff_cache
