# One command each: `make run` starts the app, `make test` runs every test, `make lint` checks style.
# CI runs `bash .ci/run`, which installs the system packages the tests need and then `make test`.

PYTHON ?= python3
PIP := $(PYTHON) -m pip
# pytest-xdist workers; `--dist loadgroup` keeps each xdist_group (the browser tests) on one worker.
WORKERS ?= 2
PYTEST_ARGS ?=

.PHONY: help install run test-deps test test-serial lint bench fuzz

help:
	@echo "make run        install the app's dependencies and start it on http://localhost:8501"
	@echo "make test       install the test dependencies and run every test ($(WORKERS) workers)"
	@echo "make test-serial  the same without xdist (one process)"
	@echo "make lint       ruff check ."
	@echo "make bench      python -m benchmarks"
	@echo "make fuzz       property tests marked 'fuzz' with 10 000 examples each"
	@echo "System tools the tests need (Debian): chromium libreoffice-writer-nogui poppler-utils, see .ci/run"

install:
	$(PIP) install -r requirements.txt

run: install
	$(PYTHON) -m streamlit run app.py

test-deps:
	$(PIP) install -r requirements-dev.txt

test: test-deps
	$(PYTHON) -m pytest -n $(WORKERS) --dist loadgroup --durations=15 $(PYTEST_ARGS)

test-serial: test-deps
	$(PYTHON) -m pytest --durations=15 $(PYTEST_ARGS)

lint:
	$(PYTHON) -m ruff check .

bench:
	$(PYTHON) -m benchmarks

fuzz:
	HYPOTHESIS_PROFILE=fuzz $(PYTHON) -m pytest tests -m fuzz $(PYTEST_ARGS)
