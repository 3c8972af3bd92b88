"""Ingesting files: parse, refuse or load each one, and say what happened in one line per file."""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from etl.pipeline import YEAR_UNKNOWN, ParsedReport, file_digest, parse_report, year_note
from etl.read.errors import RefusedInput
from etl.read.names import name_key
from etl.store import logs
from etl.store._forkserver_guard import INGEST_PID_ENV
from etl.store.publish import WriteFault, fault_reason, pause_point
from etl.store.write import existing, write_report
from etl.tables import kinds as K

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

SUFFIXES = (".pdf", ".txt")


@dataclass(frozen=True)
class InternalError:
    """A bug of this program met on one file — never the file's fault. The parse runs in a worker process (or on a
    Dask worker) whose logging goes nowhere, so the traceback travels back as text and the writer logs it."""

    summary: str    # "KeyError: 'total'"
    traceback: str  # as traceback.format_exc() printed it where it happened

    @classmethod
    def caught(cls, exc: BaseException) -> InternalError:
        """From inside an except block: the exception and the traceback now being handled."""
        text = f"{type(exc).__name__}: {exc}"
        return cls(text if len(text) <= 200 else text[:199] + "…", traceback.format_exc())


Parsed = ParsedReport | str | InternalError  # what one file's parse hands the writer


@dataclass
class Outcome:
    path: Path
    status: str  # loaded / unchanged / refused / failed; busy: another writer held the database all along (uploads)
    message: str
    report: ParsedReport | None = None
    internal: bool = False  # failed on a bug of ours (the message says 程序错误; the traceback is in the log)

    @property
    def ok(self) -> bool:
        return self.status in ("loaded", "unchanged")

    @property
    def needs_year(self) -> bool:
        """Refused only because it prints no year: given one (--year, the 导入 page's field) it may load."""
        return self.status == "refused" and self.message == YEAR_UNKNOWN


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
           progress: Callable[[int, int], None] | None = None, year: int | None = None,
           year_said: str = "--year") -> Parsed:
    """Runs in a worker process: the parsed report, the reason the file is refused, or the bug it ran into.
    `year` stands in for a year the report does not print (pipeline._settle_year)."""
    try:
        report = parse_report(path, display_name, progress, year=year, year_said=year_said)
    except RefusedInput as exc:  # the file is at fault: its one line says why
        return str(exc)
    except Exception as exc:  # noqa: BLE001 — any bug of ours: it must surface, yet not end the batch
        # Deliberately broad: a bug can be of any type. It is not turned into a refusal — the writer logs the
        # traceback, gives the file a 程序错误 line (never "damaged") and the run exits non-zero.
        return InternalError.caught(exc)
    report.raw_tables = []  # not needed by the writer; keeps the hand-over between processes small
    return report


def parse_with_year(year: int) -> Callable[..., Parsed]:
    """_parse with --year set, for a parse that runs elsewhere (ingest_many's parse_many: a Dask worker): a partial
    of a module function travels to a worker by name."""
    from functools import partial

    return partial(_parse, year=year)


def ingest_file(con: duckdb.DuckDBPyConnection, path: Path, display_name: str | None = None,
                replace: bool = False, progress: Callable[[int, int], None] | None = None,
                year: int | None = None, year_said: str = "--year") -> Outcome:
    """One file, parsed here: `year` is used only if the report prints none (said as `year_said` in its line)."""
    early = _precheck(con, path)
    if early is not None:
        return early
    return _write(con, path, _parse(path, display_name, progress, year, year_said), replace)


def same_unit_year(con: duckdb.DuckDBPyConnection, doc: dict) -> list[tuple[str, str]]:
    """Reports already loaded for this report's unit, year and kind: the unit matched by its key (etl/names.py), so a
    reprint that only spaces or brackets the name differently is the same unit's year, not a second unit to sum."""
    if not doc.get("unit_name") or not doc.get("fiscal_year"):
        return []
    return con.execute("SELECT doc_id, source_file FROM documents WHERE unit_key = ? AND fiscal_year = ? AND "
                       "doc_type IS NOT DISTINCT FROM ? AND doc_id <> ?",
                       [name_key(doc["unit_name"]), doc["fiscal_year"], doc["doc_type"], doc["doc_id"]]).fetchall()


def die_with(parent_pid: int) -> None:
    """Runs first in every parse worker, so that no worker outlives the ingest that started it.

    Killed with SIGKILL (OOM killer, container restart, kill -9), the ingest runs no clean-up, and a worker left
    alone would wait on its queue for ever. Two guards: the kernel sends SIGKILL when the worker's parent dies
    (prctl PR_SET_PDEATHSIG — the parent is the forkserver, which itself exits when the ingest does), and a thread
    waits on the ingest's pidfd and ends the worker when the ingest ends, whoever the worker's parent is (a Dask
    worker's is not the ingest). Call it from any new kind of worker too."""
    import ctypes
    import select
    import signal
    import threading

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the watcher below still works

    def watch() -> None:
        try:
            fd = os.pidfd_open(parent_pid)
        except ProcessLookupError:
            os._exit(1)
        except (OSError, AttributeError):  # no pidfd here: poll
            while True:
                try:
                    os.kill(parent_pid, 0)
                except ProcessLookupError:
                    os._exit(1)
                threading.Event().wait(0.5)
        select.select([fd], [], [])  # readable when the process has exited
        os._exit(1)

    threading.Thread(target=watch, name="die-with-ingest", daemon=True).start()


def _pool(workers: int) -> ProcessPoolExecutor:
    """Workers come from a forkserver, never forked from this process: a fork would inherit the writer's lock
    descriptor and keep the lock held after a crash. The forkserver imports the parser once, so each worker
    starts in milliseconds; it dies with this process (etl.store._forkserver_guard), and so do the workers (die_with)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("forkserver")
    os.environ[INGEST_PID_ENV] = str(os.getpid())  # read by the guard, first thing in the forkserver
    # everything the CLI imports, so a worker starts (and is guarded) within milliseconds of its fork
    ctx.set_forkserver_preload(["etl.store._forkserver_guard", "etl.store.uploads"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=die_with, initargs=(os.getpid(),))


def parsed_in_order(files: list[Path], workers: int = 1, year: int | None = None) -> Iterator[Parsed]:
    """The one hand-off between parsing and writing: each file's parse (a report, why it is refused, or the bug it
    met), in file order, so a run's outcome never depends on timing. Several files and workers: a process pool (see _pool);
    otherwise in this process. A crashed worker refuses its file, naming the cause, instead of ending the batch.
    Closing the generator early (the writer hit a storage fault) cancels what has not started."""
    if workers <= 1 or len(files) <= 1:
        for f in files:
            yield _parse(f, None, None, year)
        return
    from concurrent.futures.process import BrokenProcessPool

    pool = _pool(min(workers, len(files)))
    try:
        futures = [pool.submit(_parse, f, None, None, year) for f in files]
        pause_point("parsing")
        for fut in futures:
            try:
                yield fut.result()
            except BrokenProcessPool:
                yield "解析进程意外终止（可能是内存不足），文件未导入"
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def ingest_many(con: duckdb.DuckDBPyConnection, files: list[Path], workers: int = 1,
                on_outcome: Callable[[Outcome], None] | None = None, replace: bool = False,
                parse_many: Callable[[list[Path]], Iterable[Parsed]] | None = None,
                year: int | None = None) -> list[Outcome]:
    """Parse in worker processes, write from this process only (DuckDB has one writer); outcomes in file order.

    `parse_many` parses elsewhere instead of the local workers (etl/distributed.DaskParser: a Dask cluster); it
    yields the same results as _parse, in the order of the files it is given, and the one writer here consumes
    them exactly as it consumes parsed_in_order's.

    A write that fails because the store is full or read-only ends the batch with WriteFault: every later write
    would fail the same way, and the batch cannot be published anyway.

    `year` (--year) is used for a report that prints no year; `parse_many` must be built with it (the CLI does)."""
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
    paths = [f for _, f in todo]
    parsed = iter(parse_many(paths) if parse_many is not None and paths else parsed_in_order(paths, workers, year))
    try:
        for (i, f), result in zip(todo, parsed, strict=True):
            outcomes[i] = _write(con, f, result, replace)
            if outcomes[i].status == "failed" and not outcomes[i].internal \
                    and (reason := fault_reason(outcomes[i].message)):
                raise WriteFault(reason)
            if on_outcome:
                on_outcome(outcomes[i])
            pause_point("writing")
    finally:
        close = getattr(parsed, "close", None)
        if close is not None:
            close()
    return [outcomes[i] for i in range(len(files))]


def _internal(path: Path, stage: str, error: InternalError, report: ParsedReport | None = None) -> Outcome:
    """A bug of ours on this file: the traceback to the log, one line to the user that says it is the program's
    fault and where the details are — never that the file is damaged. The outcome is `failed`, so the run exits
    non-zero."""
    return Outcome(path, "failed", logs.bug(stage, error.summary, error.traceback, path), report, internal=True)


def _write(con: duckdb.DuckDBPyConnection, path: Path, parsed: Parsed, replace: bool = False) -> Outcome:
    if isinstance(parsed, InternalError):
        return _internal(path, "解析", parsed)
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
    except duckdb.Error as exc:  # the database refused the write (storage full, read-only …); it rolled back
        return Outcome(path, "failed", f"写入数据库失败：{exc}", report)
    except Exception as exc:  # noqa: BLE001 — a bug of ours in the writer (an unknown column …): it rolled back,
        # so the batch can go on; the bug surfaces as for a parse (logged, 程序错误, non-zero exit)
        return _internal(path, "写入", InternalError.caught(exc), report)
    return Outcome(path, "loaded", summary_line(report), report)


def summary_line(report: ParsedReport) -> str:
    """One line per loaded file; a table that could not be read is named with its problem (the file still loads).
    “表内勾稽成立 9/10 张表” counts the tables with data whose own arithmetic confirms them (status parsed) among
    all stored tables with data (parsed or unverified): the share says how far the numbers read are confirmed."""
    d = report.doc
    stored = [t for t in report.tables if t["has_data"] and t["status"] in ("parsed", "unverified")]
    confirmed = sum(1 for t in stored if t["status"] == "parsed")
    recognised = sum(1 for t in report.tables if t["table_kind"] != "unrecognised")
    tables = [c for c in report.checks if c.get("section") == "table"]
    words = [c for c in report.checks if c.get("section") != "table"]  # the 说明, the 目录, the pages: what people wrote
    failed = sum(1 for c in tables if c["passed"] is False)
    not_run = sum(1 for c in tables if c["passed"] is None)
    problems = sum(1 for c in words if c["passed"] is False)
    unjudged = sum(1 for c in words if c["passed"] is None)
    pages = f"{d['page_count']}页" if d["page_count"] else "文本"
    unread = ""
    if report.unparsed:
        unread = (f"（{len(report.unparsed)}张表未能解析：" + "；".join(
            f"{t['title'] or K.label(t['table_kind'])}——{t['problem']}" for t in report.unparsed) + "）")
    note = year_note(report)
    year_said = f"（{note}）" if note else ""
    skipped = f"，未核对{not_run}" if not_run else ""
    words_skipped = f"，未核对{unjudged}" if unjudged else ""
    return (f"{d['unit_name'] or '未知单位'} {d['fiscal_year'] or '?'}年{d['doc_type'] or ''}{year_said}{unread}：{pages}，"
            f"{recognised}张表，核对{len(tables)}项（未通过{failed}{skipped}），表内勾稽成立{confirmed}/{len(stored)}张表，"
            f"文字审查{len(words)}项（发现问题{problems}{words_skipped}），{report.seconds:.2f}秒")
