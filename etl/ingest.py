"""Ingesting files: parse, refuse or load each one, and say what happened in one line per file."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from . import kinds as K
from .errors import RefusedInput
from .pipeline import ParsedReport, file_digest, parse_report
from .store import existing, write_report

SUFFIXES = (".pdf", ".txt")


@dataclass
class Outcome:
    path: Path
    status: str  # loaded / unchanged / refused / failed
    message: str
    report: ParsedReport | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("loaded", "unchanged")


def expand(paths: list[Path]) -> list[Path]:
    """A folder means every .pdf and .txt in it (sorted, so runs are repeatable)."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUFFIXES))
        else:
            files.append(p)
    return files


def _precheck(con: duckdb.DuckDBPyConnection, path: Path) -> Outcome | None:
    """Cheap refusals and the unchanged-file skip, before any parsing."""
    if not path.exists():
        return Outcome(path, "refused", "文件不存在")
    try:
        digest = file_digest(path.read_bytes())
    except OSError as exc:
        return Outcome(path, "refused", f"无法读取文件：{exc.strerror or exc}")
    if existing(con, digest[:16]):
        return Outcome(path, "unchanged", "内容未变，已跳过")
    return None


def _parse(path: Path, display_name: str | None,
           progress: Callable[[int, int], None] | None = None) -> ParsedReport | str:
    """Runs in a worker process: the parsed report, or the reason the file is refused."""
    try:
        report = parse_report(path, display_name, progress)
    except RefusedInput as exc:
        return str(exc)
    except Exception as exc:  # a parser bug must not take the batch down; the file is refused, named
        return f"解析时出现意外错误（{type(exc).__name__}: {exc}），文件未导入"
    report.raw_tables = []  # not needed by the writer; keeps the hand-over between processes small
    return report


def ingest_file(con: duckdb.DuckDBPyConnection, path: Path, display_name: str | None = None,
                replace: bool = False, progress: Callable[[int, int], None] | None = None) -> Outcome:
    early = _precheck(con, path)
    if early is not None:
        return early
    return _write(con, path, _parse(path, display_name, progress), replace)


def same_unit_year(con: duckdb.DuckDBPyConnection, doc: dict) -> list[tuple[str, str]]:
    if not doc.get("unit_name") or not doc.get("fiscal_year"):
        return []
    return con.execute("SELECT doc_id, source_file FROM documents WHERE unit_name = ? AND fiscal_year = ? AND "
                       "doc_type IS NOT DISTINCT FROM ? AND doc_id <> ?",
                       [doc["unit_name"], doc["fiscal_year"], doc["doc_type"], doc["doc_id"]]).fetchall()


def ingest_many(con: duckdb.DuckDBPyConnection, files: list[Path], workers: int = 1,
                on_outcome: Callable[[Outcome], None] | None = None, replace: bool = False) -> list[Outcome]:
    """Parse in a process pool, write from this process only (DuckDB has one writer); outcomes in file order."""
    outcomes: dict[int, Outcome] = {}
    todo: list[tuple[int, Path]] = []
    for i, f in enumerate(files):
        early = _precheck(con, f)
        if early is not None:
            outcomes[i] = early
            if on_outcome:
                on_outcome(early)
        else:
            todo.append((i, f))
    if workers > 1 and len(todo) > 1:
        with ProcessPoolExecutor(max_workers=min(workers, len(todo))) as pool:
            futures = [(i, f, pool.submit(_parse, f, None)) for i, f in todo]
            for i, f, fut in futures:  # written in file order, so a run's outcome never depends on timing
                outcomes[i] = _write(con, f, fut.result(), replace)
                if on_outcome:
                    on_outcome(outcomes[i])
    else:
        for i, f in todo:
            outcomes[i] = _write(con, f, _parse(f, None), replace)
            if on_outcome:
                on_outcome(outcomes[i])
    return [outcomes[i] for i in range(len(files))]


def _write(con: duckdb.DuckDBPyConnection, path: Path, parsed: ParsedReport | str, replace: bool = False) -> Outcome:
    if isinstance(parsed, str):
        return Outcome(path, "refused", parsed)
    report = parsed
    if existing(con, report.doc["doc_id"]):
        return Outcome(path, "unchanged", "内容与已导入的文件相同，已跳过")
    same = same_unit_year(con, report.doc)
    if same and not replace:
        # two versions of one unit's year would be summed by every view: the user must choose
        return Outcome(path, "refused", f"已有{report.doc['unit_name']}{report.doc['fiscal_year']}年{report.doc['doc_type'] or ''}"
                                        f"（{same[0][1]}）；如要以此文件替换，请使用替换选项", report)
    try:
        write_report(con, report, replaces=[doc_id for doc_id, _ in same])
    except duckdb.Error as exc:
        return Outcome(path, "failed", f"写入数据库失败：{exc}", report)
    return Outcome(path, "loaded", summary_line(report), report)


def summary_line(report: ParsedReport) -> str:
    """One line per loaded file; a table that could not be read is named with its problem (the file still loads)."""
    d = report.doc
    recognised = sum(1 for t in report.tables if t["table_kind"] != "unrecognised")
    failed = sum(1 for c in report.checks if c["passed"] is False)
    not_run = sum(1 for c in report.checks if c["passed"] is None)
    pages = f"{d['page_count']}页" if d["page_count"] else "文本"
    unread = ""
    if report.unparsed:
        unread = (f"（{len(report.unparsed)}张表未能解析：" + "；".join(
            f"{t['title'] or K.label(t['table_kind'])}——{t['problem']}" for t in report.unparsed) + "）")
    skipped = f"，未核对{not_run}" if not_run else ""
    return (f"{d['unit_name'] or '未知单位'} {d['fiscal_year'] or '?'}年{d['doc_type'] or ''}{unread}：{pages}，"
            f"{recognised}张表，核对{len(report.checks)}项（未通过{failed}{skipped}），{report.seconds:.2f}秒")
