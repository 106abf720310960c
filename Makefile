# Regionalt arbejdsliv – the portal's everyday commands. `make help` lists them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` is for trying the portal out: DEBUG on unless you say otherwise.
# Links in PDFs and mails point at the portal that runs (SITE_URL), unless you say otherwise.
RUN_ENV := DEBUG=$${DEBUG:-1} SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}
# The checks before the suite run like the tests do: no DEBUG, a throwaway key.
TEST_ENV := SECRET_KEY=$${SECRET_KEY:-tests-only-not-secret} TESTING=1 SECURE_SSL_REDIRECT=false

.DEFAULT_GOAL := help
.PHONY: help venv system-run system-test setup demo run worker test test-fast lint format bench bench-list bench-booklet bench-search clean

help: ## Show this list
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/activate: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Kræver $(PYTHON)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(BIN)/activate

venv: $(BIN)/activate ## Create the virtual environment with all dependencies

system-run:
	@./scripts/install-system-packages.sh run

system-test:
	@./scripts/install-system-packages.sh test

setup: venv system-run ## Migrate the database and load the demo content
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py createcachetable
	$(RUN_ENV) $(BIN)/python manage.py loaddata fixtures/*.json
	$(RUN_ENV) $(BIN)/python manage.py create_demo_accounts
	$(RUN_ENV) $(BIN)/python manage.py create_demo_workshops

run: setup ## Set everything up and start the portal with demo content
	@echo ""
	@echo "  Portalen kører på http://$(HOST):$(PORT)/  (stop med Ctrl+C)"
	@echo "  Administration:   http://$(HOST):$(PORT)/admin/  (se README for demo-brugere)"
	@echo ""
	@echo "  Hæfterne laves af en worker ved siden af (køen ligger i var/queue)."
	@echo ""
	$(RUN_ENV) BIN=$(BIN) ./scripts/run_portal.sh $(HOST):$(PORT)

worker: venv system-run ## Start a booklet worker (CELERY_BROKER_URL/REDIS_URL, WORKER_CONCURRENCY)
	$(BIN)/celery -A portal worker --pool threads --concurrency $${WORKER_CONCURRENCY:-2} \
	  --loglevel WARNING --without-gossip --without-mingle

test: venv system-test ## Set up and run the whole test suite (browser tests included)
	$(TEST_ENV) $(BIN)/python manage.py check --fail-level WARNING
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: venv ## Run the tests without the browser tests
	$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

lint: venv ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: bench-list bench-booklet bench-search ## Run the benchmarks and print their figures

bench-list: venv system-test ## Case pages, filtered list, list while booklets are made (10,000 cases); facet index memory at 100,000
	./scripts/bench_case_list.sh

bench-booklet: venv system-run ## Booklet PDF rendering: 16, 100, 500 cases
	$(BIN)/python scripts/bench_booklet.py

bench-search: venv system-test ## Search quality: nDCG@10 and recall@10 on the demo cases (PostgreSQL)
	$(BIN)/python scripts/bench_search.py

clean: ## Remove the virtual environment, database and collected static files
	rm -rf $(VENV) db.sqlite3 staticfiles
