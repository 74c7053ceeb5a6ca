# Sintas. `make demo` and `make test` do all the set-up on a fresh machine with python3 and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
DEMO_SURVIVORS ?= 60
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test e2e lint bench load restart-test messages install migrate seed serve clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# Compiled translations are build products (not committed): built from every locale/*.po
# (the project's and each room's own, e.g. referrals/locale/).
PO_FILES := $(wildcard locale/id/LC_MESSAGES/django.po */locale/id/LC_MESSAGES/django.po)
MO_STAMP := $(VENV)/.translations
$(MO_STAMP): $(PO_FILES) $(STAMP)
	$(PY) manage.py compilemessages --ignore=.venv -v0
	touch $(MO_STAMP)

migrate: install $(MO_STAMP)
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_regions

seed: migrate
	$(PY) manage.py seed --survivors $(DEMO_SURVIVORS) --demo-accounts var/demo-accounts.json

demo: seed
	$(PY) manage.py demo_accounts var/demo-accounts.json
	@echo "Sintas is starting at http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

test: install $(MO_STAMP)
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest -q

e2e: install $(MO_STAMP)
	$(VENV)/bin/pytest -q -m browser

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports

# All benchmarks run; the target fails when any misses a target. bench/linkage.py times the
# registration's candidate search; bench/livelihood.py ranks one survivor over 5,000 opportunities
# against a floor query. bench/http_bench.py loads
# the case file and the caseload under gunicorn against the floor (wrk when installed, else Python).
bench: migrate
	$(PY) bench/run.py; status=$$?; $(PY) bench/monitoring.py || status=1; \
	$(PY) bench/linkage.py || status=1; \
	$(PY) bench/livelihood.py || status=1; \
	$(PY) bench/http_bench.py --no-seed || status=1; exit $$status

# 30 simulated caseworkers for three minutes against gunicorn on the configured database.
load: migrate
	$(PY) bench/load.py load

# A database restart on a temporary PostgreSQL cluster of its own (needs the server binaries).
restart-test: migrate
	$(PY) bench/load.py restart

messages: install
	$(PY) manage.py makemessages -l id --ignore=.venv --ignore=var --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var
