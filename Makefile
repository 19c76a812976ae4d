# Two commands on a fresh machine: `make run` and `make test` (README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install sysdeps run serve worker migrate seed test test-fast lint format messages sweeps bench clean proofs fuzz faults load

install: $(STAMP) sysdeps

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# PDFs (config/pdf.py) print in the 公文 faces of fonts-noto-cjk (Noto Serif/Sans CJK SC, SIL OFL); without any
# CJK font WeasyPrint silently prints empty boxes, so fonts-wqy-zenhei stays as the fallback.
sysdeps:
	@if ! fc-list 2>/dev/null | grep -q "Noto Serif CJK SC"; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing the fonts for PDFs (fonts-noto-cjk, fonts-wqy-zenhei)..."; \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends fonts-noto-cjk fonts-wqy-zenhei fontconfig >/dev/null; \
	  else \
	    echo "WARNING: PDFs need the fonts: sudo apt-get install fonts-noto-cjk fonts-wqy-zenhei"; \
	  fi; \
	fi

migrate: install
	$(PY) manage.py migrate --no-input

seed: migrate
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo
	DEBUG=$${DEBUG:-1} $(PY) manage.py generate_load_data --applications 400 --recognitions 120 --if-empty

# The app with demo data on the embedded defaults: web on $(HOST):$(PORT) plus a Celery
# worker with embedded beat on the filesystem broker. Ctrl-C stops both.
run: seed
	@mkdir -p var
	@trap 'kill 0' EXIT INT TERM; \
	DEBUG=$${DEBUG:-1} $(VENV)/bin/celery -A config worker -B --loglevel=INFO --concurrency=2 >var/celery.log 2>&1 & \
	echo "Celery worker + beat: logging to var/celery.log"; \
	echo "Serving http://$(HOST):$(PORT)/  (demo users: see README.md)"; \
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

# The production twin of `run` (README "Production"): DJANGO_ENV=production and DEBUG off, settings from
# the environment (SECRET_KEY required and checked, LOG_CHAIN_KEY required; DATABASE_URL, REDIS_URL, ALLOWED_HOSTS), migrations,
# collectstatic (WhiteNoise serves the collected files: without them every page would be a 500), then
# gunicorn on $(HOST):$(PORT) and a Celery worker with beat. gunicorn speaks plain HTTP: TLS, and the
# redirect to HTTPS, belong to the proxy in front (X-Forwarded-Proto from it turns on HSTS and secure
# cookies); SECURE_SSL_REDIRECT=1 makes Django redirect too. Ctrl-C stops both.
WEB_WORKERS ?= 3
serve: install
	@mkdir -p var
	@export DJANGO_ENV=production DEBUG=0 SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0} \
	  ALLOWED_HOSTS=$${ALLOWED_HOSTS:-$(HOST),localhost}; \
	$(PY) manage.py check --deploy --fail-level ERROR && \
	$(PY) manage.py migrate --no-input && \
	$(PY) manage.py collectstatic --no-input --ignore redoc --verbosity 0 || exit 1; \
	trap 'kill 0' EXIT INT TERM; \
	$(VENV)/bin/celery -A config worker -B --loglevel=INFO --concurrency=2 >var/celery.log 2>&1 & \
	echo "Celery worker + beat: logging to var/celery.log"; \
	echo "Serving http://$(HOST):$(PORT)/ (production settings; gunicorn, $(WEB_WORKERS) workers)"; \
	$(VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $(WEB_WORKERS) --timeout 120 \
	  --access-logfile - --error-logfile -

# Issue 12's proofs in full (CI runs each in a bounded short form): the authorisation matrix asking every
# role on every check, schemathesis with 50 examples per API operation, the forms with 200 each.
proofs: install
	PROOFS=full $(PY) -m pytest -q tests/security/test_matrix.py

fuzz: install
	FUZZ_EXAMPLES=50 FUZZ_FORM_EXAMPLES=200 $(PY) -m pytest -q -s tests/security/test_fuzz_api.py tests/security/test_fuzz_forms.py

sweeps: migrate
	$(PY) manage.py run_sweeps

test: install lint
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The translations Django's own catalogues lack (locale/, LOCALE_PATHS); the compiled .mo is committed.
messages:
	msgfmt --check -o locale/zh_Hans/LC_MESSAGES/django.mo locale/zh_Hans/LC_MESSAGES/django.po

# Issue 13: a generated province (1M applications, 300k recognitions; BENCH_SCALE=0.01 for 10k) in
# its own PostgreSQL database, every measure against its budget; the table goes to var/bench/. The PostgreSQL
# settings that matter (max_wal_size, shared_buffers, work_mem): README "Scale"; the table header records them.
BENCH_DATABASE_URL ?= postgres://app:app@127.0.0.1:5432/bench
bench: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench --fresh

# Issue 12, proof 3 in full (the suite runs it short): Redis stopped and started under transitions and
# racing senders; a sweep SIGKILLed halfway through a larger backlog, resumed, compared with one clean run.
faults: install
	FAULTS_FULL=1 $(PY) -m pytest -q -s -p no:cacheprovider tests/security/test_faults.py

# Issue 12, proof 4 in full (the suite runs 20 clients × 10 s on PostgreSQL): gunicorn with make serve's production
# settings on its own PostgreSQL database (dropped and recreated, LOAD_APPLICATIONS generated cases), 100 clients
# for 60 s reading queues, racing on transitions and looking up progress; then the logs against the answers.
LOAD_DATABASE_URL ?= postgres://app:app@127.0.0.1:5432/load
LOAD_APPLICATIONS ?= 20000
load: install
	DATABASE_URL=$(LOAD_DATABASE_URL) $(PY) manage.py loadtest --fresh --applications $(LOAD_APPLICATIONS) \
	  --clients $${LOAD_CLIENTS:-100} --seconds $${LOAD_SECONDS:-60}

clean:
	rm -rf $(VENV) var staticfiles
