# Everyday tasks. `make run` and `make test` set up whatever is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
PORT ?= 8000
export FUPIN_PG_PORT ?= 55432
export FUPIN_REDIS_PORT ?= 56379

# Without DATABASE_URL / REDIS_URL we run our own PostgreSQL and Redis on loopback.
ifeq ($(origin DATABASE_URL),undefined)
export FUPIN_OWN_PG := 1
export DATABASE_URL := postgres://postgres@127.0.0.1:$(FUPIN_PG_PORT)/fupin
endif
ifeq ($(origin REDIS_URL),undefined)
export FUPIN_OWN_REDIS := 1
export REDIS_URL := redis://127.0.0.1:$(FUPIN_REDIS_PORT)/0
endif

VENV := .venv
# pytest-xdist workers for `make test`: one per core; each has its own test database (TEST_DB_NAME
# plus _gw0, _gw1…) and media folder, and a file's tests stay on one worker (module fixtures).
TEST_WORKERS ?= auto
# schemathesis makes one test per API operation only in a plain pytest process (under xdist its
# operations collapse into two tests), so the fuzz file runs on its own, after the rest — on the first
# worker's test database, copied afresh for that run and kept for it (--reuse-db): building another
# from the migrations took about three of the fuzz file's three and a half minutes.
FUZZ_TESTS := tests/security/test_api_fuzz.py
PY := $(VENV)/bin/python
# Python writes its bytecode caches (__pycache__, ignored by git) even where the environment says
# not to: every process of a test run — pytest's workers, the servers and workers the tests start,
# manage.py — compiled Django and the rest from source again, 2–4 s each.
unexport PYTHONDONTWRITEBYTECODE
UV := .tools/bin/uv

.PHONY: help run test setup services stop lint format check audit migrate seed messages bench faults clean

help:
	@echo "make run    - set up, start PostgreSQL/Redis, migrate, load demo data, serve on 127.0.0.1:$(PORT) with Celery worker and beat"
	@echo "make test   - set up, then lint, the full test suite and the browser tests"
	@echo "make lint | format | migrate | seed | messages | services | stop | clean"

$(UV):
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq python3-venv)
	$(PYTHON) -m venv .tools
	.tools/bin/pip install -q 'uv==0.13.9'

$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen -p $(PYTHON)
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || scripts/sysdeps.sh nodejs
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.synced node_modules/.installed
	@scripts/sysdeps.sh base
	@$(MAKE) --no-print-directory messages

messages:
	@$(PY) manage.py compilemessages --ignore=.venv --ignore=.tools --ignore=node_modules -v 0

services: $(VENV)/.synced
	@scripts/services.sh start

stop:
	@scripts/services.sh stop

migrate: services
	$(PY) manage.py migrate --noinput -v 0

seed: migrate
	$(PY) manage.py seed_demo

run: setup seed
	PORT=$(PORT) scripts/run.sh

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: services
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Security audit: bandit over our code, pip-audit over uv.lock (AUDIT_STRICT=1: unreachable = failure).
audit: $(VENV)/.synced
	@scripts/audit.sh

# The test databases: scripts/test_template_db.py migrates one template while the browser and
# LibreOffice are installed (when missing) and lint, check and audit run — about two minutes of one
# core — and each worker copies it (tests/conftest.py); migrating one per worker, side by side, took
# as long and kept both cores from anything else.
test: setup services
	@mkdir -p test-artifacts; template=$${TEST_DB_NAME:-test_fupin}_template; \
	  $(PY) scripts/test_template_db.py $$template > test-artifacts/template-db.log 2>&1 & built=$$!; \
	  { scripts/sysdeps.sh browser && scripts/sysdeps.sh office && \
	    $(MAKE) --no-print-directory lint check audit; } || { kill $$built 2>/dev/null; exit 1; }; \
	  wait $$built || { cat test-artifacts/template-db.log; exit 1; }; grep '^\[test\]' test-artifacts/template-db.log
	FUPIN_TEST_TEMPLATE=$${TEST_DB_NAME:-test_fupin}_template \
	  $(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile --reuse-db --ignore=$(FUZZ_TESTS)
	TEST_DB_NAME=$${TEST_DB_NAME:-test_fupin}_gw0 $(VENV)/bin/pytest --reuse-db $(FUZZ_TESTS)

# Fault tests alone (they are also part of `make test`'s pytest run): kill -9 of Celery workers mid-task,
# PostgreSQL restarted under requests (a throwaway cluster of its own, never the shared one). ~2 minutes.
faults: setup services
	$(VENV)/bin/pytest tests/faults

# Province-scale benchmark (issue 9): its own database (BENCH_DB, default fupin_bench), generated once per size.
# BENCH_HOUSEHOLDS=20000 make bench  for a quick run; see README "Performance".
BENCH_HOUSEHOLDS ?= 1000000
bench: setup services
	BENCH_HOUSEHOLDS=$(BENCH_HOUSEHOLDS) $(PY) bench/run.py

clean:
	rm -rf .venv .tools node_modules staticfiles test-artifacts
