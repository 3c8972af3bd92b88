PY ?= python3
DB ?= data/budget.duckdb
PORT ?= 8501

.PHONY: setup db run test lint bench

setup:
	bash scripts/setup.sh

db: setup
	$(PY) -m etl ingest data/raw --db $(DB)

# One command: install, build the database from data/raw, start the dashboard.
run: db
	$(PY) -m streamlit run app.py --server.port $(PORT)

# One command: install, lint, run every test.
test: setup
	$(PY) -m ruff check .
	$(PY) -m pytest -q

lint:
	$(PY) -m ruff check .

bench: setup
	$(PY) -m etl.bench
