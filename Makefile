# Dugnad: `make run` serves the site, `make test` runs every check. Both install what they need.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP_VERSION := 26.3
INSTALLED := $(VENV)/.installed
VENDOR := static/vendor/.copied
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po) $(wildcard locale_third_party/*/LC_MESSAGES/django*.po)
MO_FILES := $(PO_FILES:.po=.mo)
HOST ?= 127.0.0.1
PORT ?= 8000
# The unit tests run in parallel, one pytest-xdist worker per CPU core (`make test TEST_WORKERS=0`
# runs them in one process); each worker has its own test database, Redis database and temp folders.
TEST_WORKERS ?= auto
# `make run` restarts the server when Python code or a template changes in any app (every directory
# with an apps.py), the project package or the shared templates. Static files need no restart: the
# development settings serve them as they are on disk.
RELOAD_DIRS := $(sort $(patsubst %/apps.py,%,$(wildcard */apps.py)) hub templates)

.PHONY: install run test lint format messages makemessages lock clean bench screenshots

install: $(INSTALLED) $(VENDOR) $(MO_FILES)

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Dugnad needs Python 3.11")'
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "pip==$(PIP_VERSION)"
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt --group dev
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Front-end packages come from npm and are served by Django, never from a CDN.
$(VENDOR): node_modules/.package-lock.json
	rm -rf static/vendor && mkdir -p static/vendor/designsystemet static/vendor/axe-core static/vendor/inter/files
	cp node_modules/@digdir/designsystemet-css/dist/src/index.css static/vendor/designsystemet/designsystemet.css
	cp node_modules/@digdir/designsystemet-theme/brand/digdir.css static/vendor/designsystemet/theme.css
	cp node_modules/@digdir/designsystemet-css/LICENSE static/vendor/designsystemet/LICENSE
	cp node_modules/@fontsource-variable/inter/index.css node_modules/@fontsource-variable/inter/LICENSE static/vendor/inter/
	cp node_modules/@fontsource-variable/inter/files/inter-*-wght-normal.woff2 static/vendor/inter/files/
	cp node_modules/axe-core/axe.min.js static/vendor/axe-core/axe.min.js
	touch $@

# Catalogues are compiled with polib, so no system gettext is needed to run or test.
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(INSTALLED)
	$(BIN)/python scripts/compile_messages.py $<

locale_third_party/%/LC_MESSAGES/django.mo: locale_third_party/%/LC_MESSAGES/django.po $(INSTALLED)
	$(BIN)/python scripts/compile_messages.py $<

locale_third_party/%/LC_MESSAGES/djangojs.mo: locale_third_party/%/LC_MESSAGES/djangojs.po $(INSTALLED)
	$(BIN)/python scripts/compile_messages.py $<

# The task worker (e-mails, notifications) runs in the background beside the server and stops with it
# (under DEBUG it reloads on code changes in a child process, hence pkill -P).
run: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	export SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"; \
	$(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'pkill -TERM -P $$worker; kill $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/uvicorn hub.asgi:application --host $(HOST) --port $(PORT) --reload $(foreach dir,$(RELOAD_DIRS),--reload-dir $(dir)) --reload-include '*.html'

# Python with ruff; our own JavaScript and CSS with ESLint and Stylelint (pinned in package.json,
# configured in eslint.config.mjs and stylelint.config.mjs).
lint: $(INSTALLED) node_modules/.package-lock.json
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	node_modules/.bin/eslint .
	node_modules/.bin/stylelint '**/*.css'

format: $(INSTALLED) node_modules/.package-lock.json
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	node_modules/.bin/eslint --fix .
	node_modules/.bin/stylelint --fix '**/*.css'

test: install lint
	scripts/ensure-system-packages
	mkdir -p var
	DJANGO_SETTINGS_MODULE=hub.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python scripts/check_static.py
	$(BIN)/pytest -n $(TEST_WORKERS) --maxprocesses=8 --ignore=tests/e2e $(PYTEST_ARGS)
	$(BIN)/pytest tests/e2e $(PYTEST_ARGS)

# Serve the site production-like and measure the partner directory against a bare Django view;
# prints a table and updates docs/benchmarks.md. A benchmark, not a test: it asserts nothing.
bench: install
	$(BIN)/python -m tests.bench $(BENCH_ARGS)

# Pictures of the key pages at 1280 and 375 px from fresh demo data, into docs/screenshots/ (with a README).
screenshots: install
	$(BIN)/python scripts/screenshots.py

# Refresh the catalogues from the source (needs GNU gettext, a developer tool only).
makemessages: $(INSTALLED)
	$(BIN)/python manage.py makemessages --locale nb --locale nn --locale en --ignore 'node_modules/*' --ignore '.venv/*' --ignore 'var/*' --ignore 'static/*' --ignore 'tests/*' --ignore 'locale_third_party/*' --no-obsolete

# Re-pin every Python package: resolve the groups in a scratch environment and freeze it.
lock:
	rm -rf var/lock-venv && $(PYTHON) -m venv var/lock-venv
	var/lock-venv/bin/python -m pip install --quiet "pip==$(PIP_VERSION)"
	var/lock-venv/bin/pip install --quiet --group dev
	var/lock-venv/bin/pip freeze --exclude-editable > constraints.txt
	rm -rf var/lock-venv

clean:
	rm -rf $(VENV) node_modules static/vendor var
