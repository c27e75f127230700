# One command each: `make run` starts the app, `make test` runs every test, `make lint` checks style and types.
# Both create and use a virtual environment in .venv (PEP 668: Debian's own Python refuses `pip install`
# outside one) and reinstall only when a requirements file has changed since the last install.
# CI runs `bash .ci/run`, which installs the system packages the tests need and then `make test` and
# `make lint` in a new .venv, so a package that only the machine has cannot make CI pass.

PYTHON ?= python3
VENV ?= .venv
VPY := $(VENV)/bin/python
# pytest-xdist workers; `--dist loadgroup` keeps each xdist_group (the browser tests) on one worker.
WORKERS ?= 2
PYTEST_ARGS ?=

.PHONY: help install run test-deps test test-serial lint format bench fuzz clean-venv

help:
	@echo "make run        create .venv, install the app's dependencies (when changed) and start it on http://localhost:8501"
	@echo "make test       the same for the test dependencies, then every test ($(WORKERS) workers)"
	@echo "make test-serial  the same without xdist (one process)"
	@echo "make lint       ruff check, ruff format --check, mypy dpakit/"
	@echo "make bench      python -m benchmarks"
	@echo "make fuzz       property tests marked 'fuzz' with 10 000 examples each"
	@echo "System tools the tests need (Debian): chromium libreoffice-writer-nogui poppler-utils, see .ci/run"

# The environment itself. Debian and Ubuntu ship venv separately: say so instead of failing obscurely.
$(VPY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "dpakit needs Python 3.11 or newer: set PYTHON=python3.11")'
	@$(PYTHON) -m venv $(VENV) || { echo "make: could not create $(VENV); on Debian/Ubuntu install it with: sudo apt-get install python3-venv" >&2; exit 1; }
	$(VPY) -m pip install -q --upgrade pip

# Stamp files: pip runs again only when a requirements file is newer than the last successful install.
$(VENV)/.installed-app: requirements.txt | $(VPY)
	$(VPY) -m pip install -q -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VPY)
	$(VPY) -m pip install -q -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-app

install: $(VENV)/.installed-app

run: $(VENV)/.installed-app
	$(VPY) -m streamlit run app.py

test-deps: $(VENV)/.installed-dev

test: test-deps
	$(VPY) -m pytest -n $(WORKERS) --dist loadgroup --durations=15 $(PYTEST_ARGS)

test-serial: test-deps
	$(VPY) -m pytest --durations=15 $(PYTEST_ARGS)

lint: test-deps
	$(VPY) -m ruff check .
	$(VPY) -m ruff format --check .
	$(VPY) -m mypy dpakit

format: test-deps
	$(VPY) -m ruff format .
	$(VPY) -m ruff check --fix .

bench: test-deps
	$(VPY) -m benchmarks

fuzz: test-deps
	HYPOTHESIS_PROFILE=fuzz $(VPY) -m pytest tests -m fuzz $(PYTEST_ARGS)

clean-venv:
	rm -rf $(VENV)
