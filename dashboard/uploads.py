"""Uploads from the 导入 page: run etl.store.uploads.ingest_upload against the dashboard's database and say the outcome
in one plain line.

The ETL guarantees the safety (size limit, content-derived file names, atomic swap, nothing written on refusal);
this module only decides where files go and how the result reads to an official.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from dashboard import queries
from dashboard.fmt import md_escape
from etl.pipeline import year_note
from etl.store import logs
from etl.store.uploads import ingest_upload, upload_dir_for


def upload_dir() -> Path:
    """uploads/ beside the database (data/uploads for the default data/budget.duckdb), never under the user's name."""
    return upload_dir_for(queries.db_path())


@dataclass(frozen=True)
class Result:
    status: str  # loaded / unchanged / refused / failed / busy (another import held the database: try again later)
    message: str
    unit_name: str | None = None
    fiscal_year: int | None = None
    doc_type: str | None = None
    pages: int | None = None
    tables: int = 0
    checks: int = 0
    failed_checks: int = 0
    can_replace: bool = False  # refused only because the same unit and year is already loaded
    needs_year: bool = False  # refused only because it prints no year: the page asks for one
    year_note: str | None = None  # the year typed on the page was used (or not: the report prints its own)

    @property
    def ok(self) -> bool:
        return self.status in ("loaded", "unchanged")

    @property
    def report_name(self) -> str:
        year = f"{self.fiscal_year}年" if self.fiscal_year else "年度不详的"
        return f"{self.unit_name or '单位不详'} {year}{self.doc_type or '预算报告'}"

    @property
    def progress_text(self) -> str:
        if self.tables:
            pages = f"{self.pages}页，" if self.pages else "文本，"
            return f"读取完成：{pages}找到{self.tables}张表"
        return "读取结束"

    @property
    def line(self) -> str:
        """The one sentence shown for this file."""
        if self.status == "loaded":
            pages = f"{self.pages}页，" if self.pages else ""
            passed = self.checks - self.failed_checks
            tail = "。" if not self.failed_checks else "，未通过的核对请在“数据核对”页查看。"
            note = f"（{self.year_note}）" if self.year_note else ""
            return (f"已导入：{self.report_name}{note}，{pages}识别{self.tables}张表，核对{self.checks}项，"
                    f"通过{passed}项，未通过{self.failed_checks}项{tail}")
        if self.status == "unchanged":
            return "未作改动：这份文件此前已经导入过（内容完全相同）。"
        if self.needs_year:
            return ("未导入。未能从报告中读出预算年度：请在下方填写这份报告的年度，再点击“按此年度导入”。"
                    "数据库未作任何改动。")
        if self.can_replace:
            return (f"未导入。数据库中已有{self.report_name}。如确认这份文件是更正版或正式版，"
                    "可点击下方按钮替换原报告；不替换则数据库保持不变。")
        return f"未导入。{self.message.rstrip('。')}。数据库未作任何改动。"


def ingest(data: bytes, name: str, *, progress: Callable[[int, int], None] | None = None,
           replace: bool = False, on_busy: Callable[[str], None] | None = None,
           on_wait: Callable[[float], None] | None = None, year: int | None = None) -> Result:
    """Load one uploaded file into the dashboard's database and say how it went in one line. A file at fault is
    refused by the ETL with its reason; a bug of ours (in parsing, writing or anywhere in between) is logged with its
    traceback in logs/etl.log beside the database and shown as 程序错误, never as a fault of the file.
    Another import in progress: on_busy(line) once, on_wait(seconds left) while waiting for it (BUDGET_LOCK_WAIT
    seconds at most), then a refusal saying so. `year`: typed by the official for a report refused for printing no
    year (Result.needs_year); used only if the report prints none."""
    try:
        logs.configure(queries.db_path())
    except OSError:
        pass  # a folder that cannot hold the log: tracebacks go to the server's stderr, and the line says so
    try:
        outcome = ingest_upload(queries.db_path(), data, name, upload_dir(), progress=progress, replace=replace,
                                on_busy=on_busy, on_wait=on_wait, year=year)
    except Exception as exc:  # noqa: BLE001 — parse and write bugs already come back as a 程序错误 outcome; this
        # is a bug in what surrounds them (lock, copy, publish). The writer discarded its copy, so the database is
        # unchanged; the official gets one line, the traceback goes to the log.
        summary = f"{type(exc).__name__}: {exc}"[:200]
        return Result("failed", logs.bug("导入", summary, traceback.format_exc(), name))
    report = outcome.report
    if report is None:
        return Result(outcome.status, outcome.message, needs_year=outcome.needs_year)
    doc = report.doc
    year = doc.get("fiscal_year")
    return Result(
        status=outcome.status,
        message=outcome.message,
        unit_name=doc.get("unit_name"),
        fiscal_year=int(year) if year else None,
        doc_type=doc.get("doc_type"),
        pages=doc.get("page_count"),
        tables=sum(1 for t in report.tables if t["table_kind"] != "unrecognised"),
        checks=len(report.checks),
        failed_checks=sum(1 for c in report.checks if c["passed"] is False),
        can_replace=outcome.status == "refused",  # a parsed report is refused only for an existing unit and year
        year_note=year_note(report),
    )


def describe(file_name: str, result: Result) -> None:
    """The result line under the file's name: green when loaded, grey when unchanged, red when refused."""
    text = f"**{md_escape(file_name)}** — {md_escape(result.line)}"
    if result.status == "loaded":
        st.success(text, icon=":material/check_circle:")
    elif result.status == "unchanged" or result.can_replace or result.needs_year:
        st.warning(text, icon=":material/info:")
    else:
        st.error(text, icon=":material/block:")

