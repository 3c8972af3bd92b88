"""Shared pytest fixtures.

Each block below belongs to one part of the project; add new fixtures in your own block.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------------------------
# Dashboard fixtures (dashboard/, pages/, app.py tests)
#
# The dashboard reads the database the ETL writes; the real one is written once per test session from the session's
# one parse of data/raw (tests/fixtures/parsed.py) by the ingest's own writer. The `etl ingest` command itself is
# tested in tests/test_cli.py.
# ---------------------------------------------------------------------------------------------------------------
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from etl.__main__ import NICE_ENV
from tests.fixtures.parsed import RUN_FOLDER, parse_all, write_db

# Property tests check values, not speed: on a shared machine an example's time says nothing (speed is measured by
# the benchmark scripts), so no per-example deadline.
settings.register_profile("no_deadline", deadline=None)
settings.load_profile("no_deadline")

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "tests" / "output"

# `etl ingest` lowers its own CPU priority by default (--nice, so readers on the app's host come first); the imports
# the tests start run at the suite's priority instead, or beside the other xdist worker they would wait behind it.
# tests/test_cli.py tests the default itself.
os.environ.setdefault(NICE_ENV, "0")


def pytest_configure(config: pytest.Config) -> None:
    """The run's folder of shared parses (tests/fixtures/parsed.py), made once by the process that starts the run —
    before pytest-xdist starts its workers, which inherit the environment — and removed when the run ends."""
    if os.environ.get(RUN_FOLDER) or hasattr(config, "workerinput"):
        return
    os.environ[RUN_FOLDER] = tempfile.mkdtemp(prefix="budget-tests-parsed-")
    config.add_cleanup(lambda: shutil.rmtree(os.environ.pop(RUN_FOLDER), ignore_errors=True))


# What CI must have: with BUDGET_REQUIRE_SAMPLES=1 (set by .ci/run) a test that would skip because the real sample
# reports or the browser are missing fails instead — a green CI run means those tests ran, not that they were absent.
REQUIRE_SAMPLES = "BUDGET_REQUIRE_SAMPLES"
_REQUIRED = ("shared/samples", "system Chromium", "playwright")


def required_but_skipped(reason: str) -> bool:
    """Is this skip one that BUDGET_REQUIRE_SAMPLES turns into a failure? Only absences of what CI provides — the
    sample folder, the browser — never skips about the machine (no tmpfs, no unprivileged user)."""
    return os.environ.get(REQUIRE_SAMPLES) == "1" and any(word in reason for word in _REQUIRED)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.skipped and isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2])
        if required_but_skipped(reason):
            report.outcome = "failed"
            report.longrepr = f"{REQUIRE_SAMPLES}=1, but this test would be skipped: {reason}"
    return report


@pytest.fixture(scope="session")
def yangquan_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real 阳泉 2023 database: data/raw's report, as `make db` loads it."""
    from tests.samples import YANGQUAN

    return write_db(tmp_path_factory.mktemp("yangquan") / "budget.duckdb", [YANGQUAN])


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


@pytest.fixture()
def schema_con():
    """An empty in-memory database with the schema, for reports built by hand in the test (etl.store.write.write_report)."""
    import duckdb

    from etl.store.schema import ensure_schema

    c = duckdb.connect(":memory:")
    ensure_schema(c)
    yield c
    c.close()


# ---------------------------------------------------------------------------------------------------------------
# ETL fixtures: every sample report, from the session's one parse of each, in one database
# ---------------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def samples_db(tmp_path_factory: pytest.TempPathFactory):
    """(connection, {file name: Outcome}) for the shipped 阳泉 text and whichever 上海 PDFs ../shared/samples has;
    a report with an error is refused as `etl ingest` would refuse it."""
    from etl.store.ingest import Outcome, summary_line
    from etl.store.write import connect, write_report
    from tests.samples import SAMPLES, YANGQUAN

    files = [f for f in [YANGQUAN, *sorted(SAMPLES.glob("*.pdf"))] if f.exists()]
    con = connect(tmp_path_factory.mktemp("samples") / "budget.duckdb")
    outcomes = {}
    for f, report in zip(files, parse_all(files), strict=True):
        if report.errors:
            outcomes[f.name] = Outcome(f, "refused", report.errors[0].message, report)
            continue
        write_report(con, report)
        outcomes[f.name] = Outcome(f, "loaded", summary_line(report), report)
    yield con, outcomes
    con.close()
