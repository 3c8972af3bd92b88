"""Shared pytest fixtures.

Each block below belongs to one part of the project; add new fixtures in your own block.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------------------------
# Dashboard fixtures (dashboard/, pages/, app.py tests)
#
# The dashboard reads the database the ETL writes; the real one is built once per test session from data/raw by
# calling the ETL's CLI exactly as `make db` does, so these tests exercise the same path a user does.
# ---------------------------------------------------------------------------------------------------------------
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
OUTPUT = REPO / "tests" / "output"


@pytest.fixture(scope="session")
def yangquan_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real 阳泉 2023 database, built from data/raw with `python -m etl ingest`."""
    path = tmp_path_factory.mktemp("yangquan") / "budget.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "etl", "ingest", str(RAW), "--db", str(path)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    if result.returncode != 0 or not path.exists():
        pytest.fail(f"ETL ingest failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return path


@pytest.fixture(scope="session")
def synthetic_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The clearly synthetic database of tests/synthetic_db.py (for figure and unit tests only)."""
    from tests.synthetic_db import build

    return build(tmp_path_factory.mktemp("synthetic") / "synthetic.duckdb")


@pytest.fixture()
def use_db(monkeypatch: pytest.MonkeyPatch):
    """Point the dashboard at a database file for one test: use_db(path)."""

    def point(path: Path | str) -> Path:
        monkeypatch.setenv("BUDGET_DB", str(path))
        return Path(path)

    return point


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """tests/output/ (gitignored): screenshots and downloads a human can look at after a run."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT


# ------------------------------------------- end of dashboard fixtures -------------------------------------------


# ---------------------------------------------------------------------------------------------------------------
# ETL fixtures: every sample report ingested once per session through the library entry point
# ---------------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def samples_db(tmp_path_factory: pytest.TempPathFactory):
    """(connection, {file name: Outcome}) for the shipped 阳泉 text and whichever 上海 PDFs ../shared/samples has."""
    from etl.ingest import ingest_file
    from etl.store import connect
    from tests.samples import SAMPLES, YANGQUAN

    con = connect(tmp_path_factory.mktemp("samples") / "budget.duckdb")
    files = [YANGQUAN] + sorted(SAMPLES.glob("*.pdf"))
    outcomes = {f.name: ingest_file(con, f) for f in files if f.exists()}
    yield con, outcomes
    con.close()
