# Missive's front door. `make run` and `make test` are all a fresh machine needs.
PYTHON3 ?= python3
VENV := .venv
PYTHON := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
LETTERS := archive/fixtures/letters.json

.PHONY: run serve test install migrate load browser-test lint format lock migrations-check bench backup fault-test clean

$(PYTHON):
	$(PYTHON3) -m venv $(VENV)

# Every install takes the exact versions (and hashes) in requirements.lock, the ones CI tested;
# `make lock` updates it from pyproject.toml. Reinstalls only when the lock file changes.
$(INSTALLED): requirements.lock | $(PYTHON)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet --require-hashes -r requirements.lock
	touch $(INSTALLED)

install: $(INSTALLED)

# axe-core, which the browser tests inject into pages to scan them for accessibility
# problems, vnu-jar, the Nu Html Checker that tests/test_html_valid.py runs on Java
# over every page type, and esbuild with Apache Annotator, which tests/test_vendored.py
# bundles to check static/vendor/, come from npm at the versions in package-lock.json. `test` and
# `browser-test` depend on them only when npm exists; without npm those checks are skipped,
# loudly (and fail in CI, where MISSIVE_REQUIRE_BROWSER=1). npm gives files an old date: touch.
# --ignore-scripts: vnu-jar's postinstall would download a Java runtime; the machine's Java runs it.
AXE := node_modules/axe-core/axe.min.js
VNU := node_modules/vnu-jar/build/dist/vnu.jar
ESBUILD := node_modules/.bin/esbuild
$(AXE) $(VNU) $(ESBUILD) &: package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $(AXE) $(VNU) $(ESBUILD)
NPM_DEPS := $(if $(shell command -v npm 2>/dev/null),$(AXE) $(VNU) $(ESBUILD))

migrate: install
	$(PYTHON) manage.py migrate --noinput

# Idempotent: loading twice changes nothing.
load: migrate
	$(PYTHON) manage.py import_letters $(LETTERS)

run: load
	$(PYTHON) manage.py runserver 127.0.0.1:8000

# Production: Granian (config/serve.py), DEBUG off, static files hashed, compressed and served
# by WhiteNoise. Needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL (README, Production).
serve: export DJANGO_DEBUG = false
serve: migrate
	$(PYTHON) manage.py collectstatic --noinput -v0
	$(PYTHON) -m config.serve

# A new folder under backups/: the archive as letters.json and the whole database
# (pg_dump, or an SQLite copy). Restoring: docs/deployment.md, Backups.
backup: migrate
	$(PYTHON) manage.py backup --to backups

# The whole suite; browser tests run when Chromium is installed and say so when skipped.
test: install $(NPM_DEPS)
	$(PYTHON) -m pytest

browser-test: install $(NPM_DEPS)
	$(PYTHON) -m pytest -m browser

# Missive at SCALE claims (200,000 unless given: `make bench SCALE=1000000`) under the production
# server and wrk (Debian's package); see docs/performance.md. Seeds a database for each size the
# first time (about four minutes at 200,000) and keeps it for the next run.
SCALE ?= 200000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/missive_bench
bench: install
	SCALE=$(SCALE) DATABASE_URL=$(BENCH_DATABASE_URL) $(PYTHON) scripts/benchmark.py

# Restarts the local PostgreSQL (as root) while the production server is under load; see the script's docstring.
FAULT_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/missive_fault
fault-test: install
	DATABASE_URL=$(FAULT_DATABASE_URL) $(PYTHON) scripts/fault_postgres_restart.py

# ruff (lint and format check, rules in pyproject.toml) and the import contracts (docs/architecture.md).
lint: install
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m ruff check .
	$(VENV)/bin/lint-imports

format: install
	$(PYTHON) -m ruff format .
	$(PYTHON) -m ruff check --fix .

# After changing pyproject.toml's dependencies: newest versions its ranges allow, pinned with hashes.
lock: install
	$(VENV)/bin/pip-compile --quiet --strip-extras --extra test --extra dev --generate-hashes \
		--allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

migrations-check: install
	$(PYTHON) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles node_modules .bench
