"""Where the real sample reports are, and a skip marker for machines that do not have them."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples"
YANGQUAN = ROOT / "data" / "raw" / "yangquan-wenlv-2023-unit-budget.txt"

needs_samples = pytest.mark.skipif(
    not (SAMPLES / "shanghai-putuo-wanli-2023-dept-budget.pdf").exists(),
    reason=f"the real sample PDFs are read from {SAMPLES}, which is absent on this machine",
)


def sample(name: str) -> Path:
    return SAMPLES / name


def doc_id(db: tuple, name: str) -> str:
    """The loaded document of sample `name` in the (connection, outcomes) pair of the samples_db fixture; skips,
    naming the folder, where that sample is absent."""
    _, outcomes = db
    if name not in outcomes:
        pytest.skip(f"{name} is read from {SAMPLES}, absent here")
    outcome = outcomes[name]
    assert outcome.status == "loaded", outcome.message
    return outcome.report.doc["doc_id"]


def build_db(path: Path, files: list[Path]) -> Path:
    """A database file holding exactly these reports, each of which must load; written from the session's one
    parse of each file (tests/fixtures/parsed.py)."""
    from tests.fixtures.parsed import write_db

    return write_db(path, files)


def reviewer_rules() -> list[str]:
    """The rules that read the report's words and make-up as a reviewer does (etl/checks/words.py, structure.py):
    tests/test_rules_words.py and tests/test_rules_structure.py list every finding they give on each sample, so the
    tests of the tables and the older prose rules leave them out rather than listing them twice."""
    from etl.checks.rules import RULES

    return [r.id for r in RULES if getattr(r.relation, "__module__", "") in ("etl.checks.words", "etl.checks.structure")]
