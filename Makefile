# Flex Portal. `make help` lists the targets; README.md explains them.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
PORT ?= 8000
PYTEST_ARGS ?=
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: help install run test lint format check deploy-check migrate demo worker beat bench clean

help: ## Show this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {gsub(/\$$\(PORT\)/, "$(PORT)", $$2); printf "  make %-14s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check "uv==0.13.9"

$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --quiet
	@touch $@

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

static/build/application.css: node_modules/.package-lock.json frontend/build.mjs $(wildcard frontend/*.scss)
	npm run --silent build

install: $(VENV)/.synced static/build/application.css ## Install the locked Python and npm packages and build GOV.UK Frontend into static/

migrate: install ## Apply database migrations
	$(PY) manage.py migrate --no-input

demo: migrate ## Load the demo organisations, services, contracts and users
	$(PY) manage.py load_flex_demo

run: demo ## Install, migrate, load demo data and serve on http://127.0.0.1:$(PORT) (PORT=... to change)
	@echo
	@echo "Flex Portal: http://127.0.0.1:$(PORT)/"
	@echo "Demo accounts (password flex-demo-password, local demo only):"
	@echo "  cio-dius, cio-ons, cio-agency  CIOs of DIUS, ONS and the agency"
	@echo "  approver                       Cabinet Office approver"
	@echo "  procurement                    procurement officer"
	@echo "  admin                          superuser (/admin/)"
	@echo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install ## Install and run the whole test suite
	DJANGO_SETTINGS_MODULE=flexportal.settings.test $(PY) -m pytest $(PYTEST_ARGS)

lint: install ## Ruff lint and format check, and the import layers (docs/architecture.md)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install ## Reformat the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install ## Django system checks and missing-migration check
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

deploy-check: install ## Django's deployment checklist under production settings
	DJANGO_SETTINGS_MODULE=flexportal.settings.production \
	DJANGO_SECRET_KEY=ci-only-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=') \
	$(PY) manage.py check --deploy --fail-level WARNING

worker: install ## Run a Celery worker (needs CELERY_BROKER_URL)
	$(VENV)/bin/celery -A flexportal worker --loglevel=INFO

beat: install ## Run Celery beat: sweeps pending repricing, resends failed notifications, ends due contracts
	$(VENV)/bin/celery -A flexportal beat --loglevel=INFO

bench: install ## Run the benchmarks under bench/ and print their figures
	$(PY) -m bench

clean: ## Remove the virtualenv, node_modules, built assets and local data
	rm -rf $(VENV) node_modules static/build var
