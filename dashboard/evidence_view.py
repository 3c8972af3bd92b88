"""原页 on the 数据核对 page: each finding's page as a picture with its words or cells boxed in red, and the
reviewer's two files (公开情况检查表, 审查意见) of the chosen report.

The pictures are drawn by dashboard/export/evidence.py; this module supplies what the app knows — which check a
finding came from, where the report's file is (its stored upload, the repo's data/raw, proven by the doc_id, the
first digits of its sha256), the one connection — and keeps each picture (st.cache_data, keyed by the report's
version and the check) so a finding opened again, in any session, shows at once. Nothing here raises into the page:
a report whose file is not at hand, or a page that cannot be drawn, is a sentence under the finding.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import findings, generations, queries
from dashboard.export import evidence

log = logging.getLogger(__name__)

MISSING = "原文件不在，无法显示原页"
UNDRAWN = "原页未能生成"
RESOLUTION = 110  # an A4 page ≈ 910 px wide: fills the card, and small enough to send a page of them
SEARCH = (evidence.RAW_REPORTS,)  # the CLI records a file's name only; `make db` loads data/raw


@dataclass(frozen=True)
class PagePicture:
    """What a finding's 原页 shows: the PNG (None where there is none), the page it is of and the note under it."""

    png: bytes | None
    page: int | None
    note: str


def _clean(value: object) -> object:
    """NaN / NA (pandas' empty cell) as None: finding_inputs reads a missing figure or page as None."""
    try:
        return None if value is None or pd.isna(value) else value  # type: ignore[arg-type]
    except (TypeError, ValueError):  # not a scalar
        return value


def _figure_key(value: object) -> str | None:
    value = _clean(value)
    return None if value is None else str(Decimal(str(value)))


def _page_key(value: object) -> int | None:
    value = _clean(value)
    return None if value is None else int(value)  # type: ignore[arg-type]


@generations.per_report
def _first_checks(doc_id: str) -> dict[tuple, str]:
    """Each failed check's (sentence, page, quote, figures) → its check_id, the first check for each. A Finding keeps
    its first place's words, page and figures as findings.findings read them from that check, so this finds it."""
    out: dict[tuple, str] = {}
    checks = queries.checks(doc_id)
    for row in checks.to_dict("records"):
        passed = _clean(row.get("passed"))
        if passed is None or bool(passed):
            continue
        quote = row.get("quote") if isinstance(row.get("quote"), str) and row["quote"].strip() else None
        key = (findings.readable(row.get("description")), _page_key(row.get("page")), quote,
               _figure_key(row.get("expected")), _figure_key(row.get("actual")))
        out.setdefault(key, str(row["check_id"]))
    return out


def check_id_of(doc_id: str, f: findings.Finding) -> str | None:
    """The check a finding was first seen in, or None for a finding no check row stands behind (a 目录 entry the
    body lacks, where no rule compared them)."""
    if not f.places:
        return None
    first = f.places[0]
    if getattr(first, "check_id", None):  # findings.Place names its check (older builds did not: matched below)
        return first.check_id
    key = (first.description, first.page, first.quote, _figure_key(f.expected), _figure_key(f.actual))
    return _first_checks(doc_id).get(key)


def _connection(db: str) -> duckdb.DuckDBPyConnection:
    """The process's one connection to this generation (dashboard/generations.py); callers take a cursor."""
    return generations.connection(db)


def _db_file(db: str) -> Path:
    return Path(db.split("|", 1)[0])  # a generation key starts with the database file's resolved path


@generations.by_report
def _report_file(db: str, doc_id: str) -> str | None:
    """The report's own file (evidence.locate), hashed once per report version rather than once per finding."""
    docs = queries.documents()
    rows = docs[docs["doc_id"] == doc_id]
    if rows.empty:
        return None
    doc = {k: _clean(v) for k, v in rows.iloc[0].to_dict().items()}
    found = evidence.locate(_db_file(db), doc, SEARCH)
    return str(found) if found else None


@generations.by_report
def _drawn(db: str, doc_id: str, check_id: str) -> PagePicture:
    checks = queries.checks(doc_id)
    rows = checks[checks["check_id"] == check_id]
    page = _page_key(rows.iloc[0]["page"]) if not rows.empty else None
    path = _report_file(doc_id)
    if rows.empty or path is None:
        return PagePicture(None, page, MISSING)
    check = {k: _clean(v) for k, v in rows.iloc[0].to_dict().items()}
    check["doc_id"], check["page"] = doc_id, page
    for figure in ("expected", "actual"):
        check[figure] = None if check[figure] is None else Decimal(str(check[figure]))
    try:
        inputs = evidence.finding_inputs(_connection(db), check)
        pic = evidence.finding_picture(Path(path), inputs.pop("page"), resolution=RESOLUTION, **inputs)
    except Exception:  # a file that reads oddly must not break the page: the finding says so instead
        log.exception("drawing the page of check %s of report %s failed", check_id, doc_id)
        return PagePicture(None, page, UNDRAWN)
    return PagePicture(pic.png, pic.page, pic.note)


def page_picture(doc_id: str, check_id: str) -> PagePicture:
    """The page picture of one failed check, drawn once per report version (st.cache_data) and shared by sessions."""
    return _drawn(doc_id, check_id)


# ------------------------------------------------------------------------------------- the reviewer's two files

def has_review_files() -> bool:
    """Whether this build has the 检查表 / 审查意见 writer (dashboard/export/review.py)."""
    import importlib.util

    return importlib.util.find_spec("dashboard.export.review") is not None


def review_sheet(doc_id: str) -> bytes:
    """The report's 公开情况检查表 (.xlsx), written when its button is clicked."""
    from dashboard.export import review

    db = generations.generation()
    return review.report_sheet(_connection(db), _db_file(db), doc_id, SEARCH)


def review_letter(doc_id: str) -> bytes:
    """The report's 审查意见 (.docx), written when its button is clicked."""
    from dashboard.export import review

    db = generations.generation()
    return review.report_letter(_connection(db), _db_file(db), doc_id, SEARCH)
