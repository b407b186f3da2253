# khuyencong — the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po khuyencong/*/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test setup bench lint check-migrations worker messages

$(VENV)/.installed: requirements/dev.lock
	@test -x $(PY) || "$$(scripts/find-python.sh)" -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check uv==0.13.8
	$(VENV)/bin/uv pip sync --python $(PY) -q requirements/dev.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

%/LC_MESSAGES/django.mo: %/LC_MESSAGES/django.po
	@command -v msgfmt >/dev/null || { echo "Thiếu GNU gettext (msgfmt). Cài: sudo apt-get install gettext"; exit 1; }
	msgfmt --check -o $@ $<

setup: $(VENV)/.installed node_modules/.installed $(MO_FILES)

# Serves the app with demo data on http://$(HOST):$(PORT). Idempotent: a second run only checks and starts.
run: setup
	@mkdir -p var
	DJANGO_DEBUG=1 $(MANAGE) migrate --noinput -v 0
	DJANGO_DEBUG=1 $(MANAGE) load_admin_units
	DJANGO_DEBUG=1 $(MANAGE) build_map_outlines
	DJANGO_DEBUG=1 $(MANAGE) load_rules
	DJANGO_DEBUG=1 $(MANAGE) seed_demo
	@# A background task worker (imports, exports) runs beside the server and stops with it.
	@DJANGO_DEBUG=1 $(MANAGE) db_worker >var/worker.log 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DJANGO_DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

# Runs the whole suite. DATABASE_URL=postgres://... make test runs it on PostgreSQL.
# On every core first; then the browser tests and the other tests that commit (backups), in one process: they commit
# and empty their database, which the other tests of the same worker would then miss.
test: setup
	$(VENV)/bin/pytest -m "not browser and not commits"
	$(VENV)/bin/pytest -m "browser or commits" -n 0

bench: setup
	$(PY) -m bench

lint: setup
	$(VENV)/bin/ruff check .

check-migrations: setup
	$(MANAGE) makemigrations --check --dry-run

worker: setup
	$(MANAGE) db_worker

# Refreshes each app's Vietnamese catalogue (khuyencong/<app>/locale/vi) from the English msgids in its code.
messages: setup
	@for app in khuyencong/*/; do \
	  [ -d "$$app/locale" ] || continue; \
	  (cd "$$app" && DJANGO_SETTINGS_MODULE=config.settings PYTHONPATH=../.. ../../$(VENV)/bin/django-admin makemessages -l vi --no-location --no-obsolete -v 0); \
	done
