"""Database generations: which file the dashboard reads, one connection per generation of it, what each cached query
is keyed by, and the two background threads that keep a new generation cheap for readers.

Every ingest publishes a new generation of the file (a new mtime/inode, swapped in atomically). So:
- one read-only DuckDB connection per generation and process (st.cache_resource), a cursor per query: DuckDB
  connections are not safe to share across Streamlit's script threads while cursors are;
- query results are cached (st.cache_data) keyed by the generation, or — for a query of one report, one unit or one
  year — by a version of the rows it reads (Scopes), so a generation that only adds other units' reports (every
  ingest, every upload) leaves them warm for every session;
- the generation watcher ("warm-new-generations") opens a new generation, checks it, reads its versions and runs
  the queries registered with warm_ahead before the next reader arrives;
- the connection of an evicted generation is dropped on the releaser thread ("retire-old-generations"), not inside
  the reader's run that happened to evict it.

dashboard/queries.py holds the SQL and decorates each query with by_generation / by_report / by_unit / by_year;
this module runs no query of its own beyond the two it needs to key them (the readiness check and the versions).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

import duckdb
import pandas as pd
import streamlit as st

from etl.read.names import name_key
from etl.store.publish import open_snapshot

DB_ENV = "BUDGET_DB"
DEFAULT_DB = Path(__file__).resolve().parents[1] / "data" / "budget.duckdb"

P = ParamSpec("P")
R = TypeVar("R")
log = logging.getLogger(__name__)


class DatabaseMissing(RuntimeError):
    """The configured database file does not exist (the ETL has not been run yet)."""


class DatabaseUnreadable(RuntimeError):
    """The file exists but DuckDB cannot open it (corrupt, locked by a writer, or not a DuckDB file)."""


def db_path() -> Path:
    """BUDGET_DB if set (relative to the working directory), else data/budget.duckdb in the repo."""
    configured = os.environ.get(DB_ENV)
    return Path(configured) if configured else DEFAULT_DB


def _db_key() -> str:
    """Identity of the database file: a rebuilt file gets a new key, hence fresh caches."""
    return _key_of(db_path())


def _key_of(path: Path) -> str:
    try:
        stat = path.stat()
    except FileNotFoundError as exc:
        raise DatabaseMissing(str(path)) from exc
    return f"{path.resolve()}|{stat.st_mtime_ns}|{stat.st_ino}|{stat.st_size}"


# ------------------------------------------------------------------------------------------------------------------
# Connections, and releasing an evicted generation's off the reader's thread
# ------------------------------------------------------------------------------------------------------------------
RETIRE_AFTER_S = 2.0  # grace for runs still reading an evicted generation before its instance is released
_RETIRING: queue.SimpleQueue[tuple[float, object]] = queue.SimpleQueue()


def _drop_retired() -> None:
    while True:
        due, con = _RETIRING.get()
        time.sleep(max(0.0, due - time.monotonic()))  # a grace period, not a wait for a condition
        del con  # the last reference: DuckDB closes the old instance here, on this thread


@functools.cache
def _retirer() -> threading.Thread:
    thread = threading.Thread(target=_drop_retired, name="retire-old-generations", daemon=True)
    thread.start()
    return thread


def _retire_later(con: object) -> None:
    """on_release of an evicted generation's connection. Dropping its last reference closes that DuckDB instance
    (≈ 15 ms of a page run while reports load, py-spy), so the connection goes to a background thread and is
    dropped there after a grace period, not inside the reader's run that happened to evict it. Closing it
    explicitly would break the cursors of runs still reading that generation; dropping it does not."""
    _RETIRING.put((time.monotonic() + RETIRE_AFTER_S, con))
    _retirer()


@st.cache_resource(show_spinner=False, max_entries=2, on_release=_retire_later)
def _connection(db_key: str) -> duckdb.DuckDBPyConnection:
    """One connection per database generation. Opened through the generation's own snapshot link: DuckDB keeps one
    instance per path in a process, so connecting to the path again after an ingest swapped the file in would
    return the old instance, and the new report would never appear."""
    path = db_key.split("|", 1)[0]
    try:
        return open_snapshot(path)[0]
    except FileNotFoundError as exc:
        raise DatabaseMissing(path) from exc
    except duckdb.Error as exc:
        raise DatabaseUnreadable(f"{path}: {exc}") from exc


def generation() -> str:
    """The key of the database as it is now (file, time, inode, size): what cached work is keyed by."""
    return _db_key()


def connection(db_key: str) -> duckdb.DuckDBPyConnection:
    """The one connection of that generation, for work that takes a connection of its own (the 检查表 writer, a
    finding's page picture); like read_sql, it must take a cursor per query."""
    return _connection(db_key)


def read_sql(db_key: str, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
    """Run one statement of the generation db_key on a cursor of its one connection; params are always bound."""
    with _connection(db_key).cursor() as cur:
        return cur.execute(sql, list(params)).df()


# ------------------------------------------------------------------------------------------------------------------
# What each cached query is keyed by
# ------------------------------------------------------------------------------------------------------------------
_BY_GENERATION: dict[str, Callable[..., pd.DataFrame]] = {}
_WARM_AHEAD: list[Callable[[str], object]] = []


def by_generation(fn: Callable[Concatenate[str, P], pd.DataFrame]) -> Callable[P, pd.DataFrame]:
    """Cache fn(db, …) by (database generation, arguments); callers never see the generation argument."""
    cached = st.cache_data(show_spinner=False, max_entries=512)(fn)

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> pd.DataFrame:
        return cached(_db_key(), *args, **kwargs)

    _BY_GENERATION[fn.__name__] = cached  # the same cache, for a given generation (warm_ahead)
    return run


def warm_ahead(query: Callable[[], pd.DataFrame]) -> Callable[[], pd.DataFrame]:
    """Have the watcher run this query (a by_generation query without arguments) for every new generation, before
    any reader asks for it: the list of reports, which every page run of a new generation needs first."""
    _WARM_AHEAD.append(_BY_GENERATION[query.__name__])
    return query


@dataclass(frozen=True)
class Scopes:
    """What each cached query of this generation is keyed by, besides its arguments: a version that changes exactly
    when the rows the query reads can change.

    - a report: its write time and its unit's fingerprint. write_report stamps ingested_at on every (re)write of a
      report, and rows are only ever written by write_report; but the writer also re-judges the 跨报告 checks of the
      unit's other reports (rules.refresh_cross: loading a 预算 after its 决算 re-judges the 决算), and last year's
      report, the 决算's 预算 and the display name all come from the unit's other reports. So a report's version
      moves with any report of its unit, and with nothing else.
    - a unit (by its key): every report of the unit — which reports, their write times, years, types and names.
    - a year: the versions of every report of that year.
    A report, unit or year this generation does not know (or an older file without write times) has no entry; its
    queries are keyed by the generation, as every query was before."""

    report: dict[str, str]
    unit: dict[str, str]
    year: dict[int, str]


def _fingerprint(parts: Sequence[object]) -> str:
    return hashlib.blake2b(repr(sorted(map(repr, parts))).encode(), digest_size=12).hexdigest()


@st.cache_resource(show_spinner=False, max_entries=2)
def _scopes(db_key: str) -> Scopes:
    """The generation's versions (see Scopes), from one small query; read-only, shared by every session."""
    path = db_key.split("|", 1)[0]  # a copy of the file edited by hand (tests do) must not share versions
    with _connection(db_key).cursor() as cur:
        rows = cur.execute(
            "SELECT u.doc_id, CAST(d.ingested_at AS VARCHAR), u.unit_key, u.unit_name, u.printed_unit_name, "
            "d.fiscal_year, d.doc_type FROM unit_docs u JOIN documents d USING (doc_id)").fetchall()
    by_unit: dict[str, list[tuple]] = {}
    for row in rows:
        by_unit.setdefault(row[2], []).append(row)
    prints = {key: _fingerprint(docs) for key, docs in by_unit.items() if all(doc[1] is not None for doc in docs)}
    unit = {key: f"{path}|unit {key}|{fp}" for key, fp in prints.items()}
    report = {doc_id: f"{path}|{doc_id}@{stamp}|{prints[key]}" for doc_id, stamp, key, *_ in rows if key in prints}
    by_year: dict[int, list[str]] = {}
    for row in rows:
        by_year.setdefault(row[5], []).append(report.get(row[0], ""))
    year = {y: f"{path}|year {y}|{_fingerprint(versions)}" for y, versions in by_year.items() if all(versions)}
    return Scopes(report, unit, year)


def _scoped(scope: Callable[[Scopes, object], str | None]):
    """Cache fn(db, first, …) by (the version scope(scopes, first) names, arguments) instead of by the generation,
    so a new generation that changes none of the rows it reads (another unit's report loaded) leaves it warm for
    every session. It still runs on the generation the version was read from (the `_db` argument, left out of the
    key); where scope has no version, the generation is the key."""
    def decorate(fn: Callable[Concatenate[str, P], R]) -> Callable[P, R]:
        def by_version(version: str, _db: str, *args: P.args, **kwargs: P.kwargs) -> R:
            return fn(_db, *args, **kwargs)

        # one cache per query or figure (Streamlit keys a cache by the function's qualified name)
        by_version.__qualname__ = f"{fn.__module__}.{fn.__qualname__}.by_version"
        cached = st.cache_data(show_spinner=False, max_entries=512)(by_version)

        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            db = _db_key()
            version = scope(_scopes(db), args[0]) if args else None  # called by keyword: keyed by generation
            return cached(version or db, db, *args, **kwargs)

        return run

    return decorate


# A query of one report's rows (WHERE doc_id = ?), or of its unit's reports found from it (last year's, its 预算).
by_report = _scoped(lambda scopes, doc_id: scopes.report.get(str(doc_id)))
# A query of one unit's reports, the unit given as any printing of its name (the SQL keys it the same way).
by_unit = _scoped(lambda scopes, unit_name: scopes.unit.get(name_key(str(unit_name))))
# A query of one year's reports of every unit (单位对比).
by_year = _scoped(lambda scopes, fiscal_year: scopes.year.get(fiscal_year))


def per_report(fn: Callable[Concatenate[str, P], R]) -> Callable[Concatenate[str, P], R]:
    """Cache a figure derived from one report, fn(doc_id, …), by that report's version (see Scopes): it stays warm
    while other units' reports are loaded. Only for functions that read nothing but queries of that doc_id and of
    its unit's other reports (by_report)."""
    def reading(_db: str, doc_id: str, *args: P.args, **kwargs: P.kwargs) -> R:
        return fn(doc_id, *args, **kwargs)

    reading.__module__, reading.__qualname__ = fn.__module__, fn.__qualname__
    return functools.wraps(fn)(by_report(reading))


# ------------------------------------------------------------------------------------------------------------------
# The check every page run starts with, and warming a new generation ahead of its readers
# ------------------------------------------------------------------------------------------------------------------
@st.cache_resource(show_spinner=False, max_entries=2)
def _readable(db_key: str) -> bool:
    """The generation opens and holds a documents table: checked once per generation, not on every page run (while
    reports load, every run is the first of a generation for several queries already). A failure is not cached:
    the next run checks again."""
    try:
        read_sql(db_key, "SELECT count(*) FROM documents")
    except duckdb.Error as exc:
        raise DatabaseUnreadable(str(exc)) from exc
    return True


def check_database() -> None:
    """Raise DatabaseMissing / DatabaseUnreadable early so the frame can show one plain message. Every page run
    starts here, so this is also where the process learns which file its readers read (_watch)."""
    path = db_path()
    _READERS.path, _READERS.read_at = path, time.monotonic()
    _watcher()
    _readable(_key_of(path))


# Warming ahead. Each ingest publishes a new generation of the file; the first page run that meets it would pay for
# opening it (≈ 16 ms of CPU), its check, its versions and the list of reports — while reports load, that is most
# runs (py-spy: about a third of the server's time). A background thread watches the file the readers read and does
# that work as soon as a new generation appears, so the reader who arrives after it finds them warm. It stops
# watching when no page has run for WATCH_FOR_S, so an idle server does nothing.
WATCH_EVERY_S = 0.1
WATCH_FOR_S = 300.0
# What warming a generation can meet: the file gone or swapped again meanwhile, a file DuckDB cannot open, a
# table it lacks. A reader's page run meets the same problem and shows it; the watcher logs it and watches on.
WARM_ERRORS = (duckdb.Error, OSError, DatabaseMissing, DatabaseUnreadable)


@dataclass
class _Readers:
    path: Path | None = None  # the file the last page run read
    read_at: float = 0.0  # when (time.monotonic())


_READERS = _Readers()


def _warm(db_key: str) -> None:
    """Everything a page run of a new generation needs before its own report's queries."""
    _readable(db_key)
    _scopes(db_key)
    for query in _WARM_AHEAD:
        query(db_key)


def _watch() -> None:
    warmed = None
    while True:
        time.sleep(WATCH_EVERY_S)  # polling the file's identity (one stat), not waiting for a condition
        path = _READERS.path
        if path is None or time.monotonic() - _READERS.read_at > WATCH_FOR_S:
            continue
        try:
            key = _key_of(path)
        except (DatabaseMissing, OSError):
            continue  # no file (yet, or for a moment): nothing to warm; the reader's page says so
        if key == warmed:
            continue
        warmed = key  # one attempt per generation: a failure is logged once, not every poll
        try:
            _warm(key)
        except WARM_ERRORS:
            log.warning("warming the new database generation %s failed; its first reader will meet it", key,
                        exc_info=True)


@functools.cache
def _watcher() -> threading.Thread:
    thread = threading.Thread(target=_watch, name="warm-new-generations", daemon=True)
    thread.start()
    return thread
