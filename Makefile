# Two commands for a fresh machine: `make run` (the service with demo content) and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: run test test-postgres test-several-machines lint assets install clean bench

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip "setuptools>=78.1.1"
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

site/node_modules/.package-lock.json: site/package.json site/package-lock.json
	cd site && npm ci --no-audit --no-fund

site/dist/.built: site/node_modules/.package-lock.json $(wildcard site/src/*) site/build.mjs
	cd site && npm run --silent build
	touch $@

assets: site/dist/.built

run: install assets
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py setup_schedules
	$(PY) scripts/run_local.py

# Line coverage of the product code (cms, workflow, publishing, notify) is reported after every run, passed or not.
test: install assets
	$(PY) -m coverage run -m pytest $(PYTEST_ARGS); status=$$?; $(PY) -m coverage report; exit $$status

test-postgres: install assets
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test $(PY) -m pytest $(PYTEST_ARGS)

# Two web servers and two workers on one PostgreSQL and one Redis (Redis database 5 is emptied): about 3 minutes.
test-several-machines: install assets
	REDIS_URL=redis://127.0.0.1:6379/5 DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
		$(PY) -m pytest tests/several_machines $(PYTEST_ARGS)

lint: install assets
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache --no-logo
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

# Benchmarks print their figures, on SQLite and on PostgreSQL (each makes a temporary database on the server at
# BENCH_POSTGRES); BENCH_ARGS=--quick for a short run.
BENCH_POSTGRES ?= postgres://postgres@127.0.0.1:5432/postgres
bench: install
	$(PY) bench/notify_outbox.py $(BENCH_ARGS)
	$(PY) bench/notify_outbox.py $(BENCH_ARGS) --database-url $(BENCH_POSTGRES)
	$(PY) bench/public_pages.py $(BENCH_ARGS)
	$(PY) bench/public_pages.py $(BENCH_ARGS) --database-url $(BENCH_POSTGRES)
	$(PY) bench/open_data.py $(BENCH_ARGS)
	$(PY) bench/open_data.py $(BENCH_ARGS) --database-url $(BENCH_POSTGRES)
	$(PY) bench/signed_in_pages.py $(BENCH_ARGS)
	$(PY) bench/signed_in_pages.py $(BENCH_ARGS) --database-url $(BENCH_POSTGRES)

clean:
	rm -rf $(VENV) site/node_modules site/dist static db.sqlite3
