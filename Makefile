# ServiceCRM: `make run` to start everything, `make test` to run the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.DEFAULT_GOAL := help
.PHONY: help run test test-shifted bench bench-import bench-export bench-backup venv install install-dev clean

help:
	@echo "make run      set up (venv, install, migrate, first owner, demo data) and start web + worker + beat"
	@echo "make test     install test tools and run the checks and the whole test suite"
	@echo "make test-shifted  the suite without worker and browser, clock moved CLOCK_SHIFT_DAYS (365) ahead"
	@echo "make install  create .venv and install requirements.txt"
	@echo "make bench     time the main pages on seeded data over real HTTP"
	@echo "make bench-import / bench-export / bench-backup   time a 100,000-row import, the exports, a backup and restore"
	@echo "make clean    remove .venv, the SQLite database, var/ and caches"

# The virtual environment itself.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

venv: $(BIN)/python

# Stamp files: pip runs again only when a requirements file is newer than its stamp.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --no-input -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --no-input -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	bash scripts/run.sh

test: install-dev
	@if [ -f scripts/ensure_chromium.sh ]; then bash scripts/ensure_chromium.sh; fi
	DJANGO_SETTINGS_MODULE=servicecrm.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	@mkdir -p var
	@# On SQLite the test database is a file, so that the real Celery worker started by the reminder tests can open it.
	TEST_SQLITE_NAME="$${TEST_SQLITE_NAME:-$(CURDIR)/var/test.sqlite3}" $(BIN)/pytest --create-db $(PYTEST_ARGS)
	$(MAKE) --no-print-directory test-shifted

# The suite that needs no worker or browser, run again with the clock a year ahead: a test that mixes a fixed date
# with the real clock fails now instead of on the day the two dates cross.
CLOCK_SHIFT_DAYS ?= 365
test-shifted: install-dev
	@mkdir -p var
	TEST_SQLITE_NAME="$(CURDIR)/var/test-shifted.sqlite3" $(BIN)/pytest --create-db -q -m "not browser and not worker" \
		--shift-clock=$(CLOCK_SHIFT_DAYS) $(PYTEST_ARGS)

# Page timings on seeded data over real HTTP (see bench/bench.py). BENCH_CUSTOMERS=100000 for the full size.
BENCH_CUSTOMERS ?= 10000
bench: install
	$(BIN)/python bench/bench.py --customers $(BENCH_CUSTOMERS)

# The import of a generated spreadsheet into PostgreSQL (DATABASE_URL, default servicecrm_importbench): the check and
# the import timed apart, peak memory. BENCH_IMPORT_EXISTING customers are in the book first.
BENCH_IMPORT_ROWS ?= 100000
BENCH_IMPORT_EXISTING ?= 0
bench-import: install-dev
	$(BIN)/python bench/import_bench.py --rows $(BENCH_IMPORT_ROWS) --existing $(BENCH_IMPORT_EXISTING)

# The customer export (CSV and .xlsx) over real HTTP, and a full backup of the bench database restored into a new one.
bench-export: install
	$(BIN)/python bench/export_bench.py --http --customers $(BENCH_CUSTOMERS)

bench-backup: install
	$(BIN)/python bench/backup_bench.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
	find . -name __pycache__ -type d -not -path './node_modules/*' -prune -exec rm -rf {} +
