# Aksi: the two set-up commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
AKSI := $(BIN)/aksi
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test setup demo lint test-unit test-browser test-postgres messages benchmarks clean \
	loadtest-setup loadtest benchmarks-smoke

# Install (again) only when the dependencies change.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

setup: $(STAMP)
	$(AKSI) migrate --noinput -v0
	$(AKSI) regions import
	$(AKSI) boundaries import
	$(AKSI) catalogue load
	$(AKSI) prevalence load
	$(AKSI) demo seed

run: setup
	$(AKSI) runserver 127.0.0.1:$(PORT)

lint: $(STAMP)
	@# New UI strings land in the .po file here; the suite then fails while they are untranslated.
	$(BIN)/python scripts/update_messages.py
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(AKSI) makemigrations --check --dry-run -v0 || (echo "Model changes without migrations: run '$(AKSI) makemigrations'." && exit 1)

test-unit: $(STAMP)
	$(BIN)/pytest -m "not browser" -q

# Browser tests need Debian's chromium; install it when missing and we may.
test-browser: $(STAMP)
	@bash scripts/ensure-chromium.sh
	$(BIN)/pytest -m browser -q

test: lint test-unit test-browser

# The suite again on PostgreSQL (CI; needs a server, e.g. postgres://postgres@127.0.0.1:5432/aksi).
test-postgres: $(STAMP)
	@test -n "$(DATABASE_URL)" || (echo "Set DATABASE_URL=postgres://... to run the suite on PostgreSQL." && exit 2)
	DATABASE_URL="$(DATABASE_URL)" $(BIN)/pytest -m "not browser" -q

messages: $(STAMP)
	$(BIN)/python scripts/update_messages.py
	cd aksi && ../$(AKSI) compilemessages -l id

benchmarks: $(STAMP)
	$(BIN)/python -m benchmarks

# The benchmarks at their smallest size, as CI runs them: that they run, not how fast.
benchmarks-smoke: $(STAMP)
	$(BIN)/python -m benchmarks --smoke

# The deadline-week load test: gunicorn + PostgreSQL on loopback, locust headless
# (docs/loadtest.md). Needs DATABASE_URL of a database of its own.
LOADTEST_HOLD ?= 10
loadtest-setup: $(STAMP)
	bash loadtest/setup.sh

loadtest: $(STAMP)
	bash loadtest/run.sh step 10 20 30 45 60
	HOLD_SECONDS=200 bash loadtest/run.sh hold $(LOADTEST_HOLD)

clean:
	rm -rf $(VENV) var build *.egg-info
