# Two commands on a fresh machine: `make run` and `make test` (README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install sysdeps run serve worker migrate seed test test-fast lint format sweeps clean

install: $(STAMP) sysdeps

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# PDFs need a CJK font or WeasyPrint silently prints empty boxes.
sysdeps:
	@if ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing a CJK font for PDFs (fonts-wqy-zenhei)..."; \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends fonts-wqy-zenhei fontconfig >/dev/null; \
	  else \
	    echo "WARNING: no Chinese font; PDFs will show empty boxes. Install one: sudo apt-get install fonts-wqy-zenhei"; \
	  fi; \
	fi

migrate: install
	$(PY) manage.py migrate --no-input

seed: migrate
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo

# The app with demo data on the embedded defaults: web on $(HOST):$(PORT) plus a Celery
# worker with embedded beat on the filesystem broker. Ctrl-C stops both.
run: seed
	@mkdir -p var
	@trap 'kill 0' EXIT INT TERM; \
	DEBUG=$${DEBUG:-1} $(VENV)/bin/celery -A config worker -B --loglevel=INFO --concurrency=2 >var/celery.log 2>&1 & \
	echo "Celery worker + beat: logging to var/celery.log"; \
	echo "Serving http://$(HOST):$(PORT)/  (demo users: see README.md)"; \
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

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

clean:
	rm -rf $(VENV) var staticfiles
