# Every target runs in the project's own virtual environment (.venv, made with the system python3 on first use),
# so a stock Debian 12 whose python3 refuses pip installs (PEP 668, externally managed) needs nothing else.
# `make test PYTHON=/path/to/python` uses that interpreter instead and makes no .venv.
VENV ?= .venv
PYTHON ?= $(VENV)/bin/python
DB ?= data/budget.duckdb
PORT ?= 8501
export VENV PYTHON

.PHONY: setup db run test lint bench

# System packages (Chromium, Noto CJK fonts, python3-venv when missing), the .venv and the pinned packages.
setup:
	bash scripts/setup.sh

db: setup
	$(PYTHON) -m etl ingest data/raw --db $(DB)

# One command: install, build the database from data/raw, start the dashboard.
run: db
	$(PYTHON) -m streamlit run app.py --server.port $(PORT)

# One command: install, lint, run every test (CI runs this); the 15 slowest tests are listed at the end.
# pytest-xdist runs the test files in one worker per core (at most 4), each file whole on one worker so its
# module fixtures (a server, a cluster, a database) start once; a sample report is still parsed once per run.
test: setup
	$(PYTHON) -m ruff check .
	$(PYTHON) -m pytest -q --durations=15 -n auto --maxprocesses 4 --dist loadfile

lint: setup
	$(PYTHON) -m ruff check .

bench: setup
	$(PYTHON) -m etl.bench
