"""Writing the database without ever showing a reader half of it.

DuckDB lets one process write a file, and a writer locks readers in other processes out. So every writer (the CLI,
the upload page) works on a private copy and swaps it in with one atomic rename: a dashboard that has the old file
open keeps reading the old snapshot until it reopens, then sees the new one — old or new, never half. A lock file
serialises writers, so two ingests cannot lose each other's work.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from .schema import ensure_schema


def _settle_wal(db_path: Path) -> None:
    """A database left with a write-ahead log (an older direct writer) is checkpointed before it is copied."""
    if Path(str(db_path) + ".wal").exists():
        con = duckdb.connect(str(db_path))
        con.execute("CHECKPOINT")
        con.close()


class NothingToPublish(Exception):
    """Raised inside `writing` when the batch changed nothing: the private copy is dropped and the file readers
    have open stays the current generation, so their caches stay valid."""


@contextmanager
def writing(db_path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = db_path.with_name(db_path.name + ".lock")
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            leftover.unlink(missing_ok=True)
        if db_path.exists():
            _settle_wal(db_path)
            shutil.copyfile(db_path, tmp)
        con = duckdb.connect(str(tmp))
        upgraded = ensure_schema(con)
        try:
            yield con
        except NothingToPublish:
            if not upgraded:  # nothing changed: the published file (and readers' caches) stay as they are
                _discard(con, tmp)
                return
            # no report changed, but the file gains this build's schema: publish it after all
        except BaseException:
            _discard(con, tmp)
            raise
        con.execute("CHECKPOINT")
        con.close()
        os.replace(tmp, db_path)


def _discard(con: duckdb.DuckDBPyConnection, tmp: Path) -> None:
    con.close()
    tmp.unlink(missing_ok=True)
    Path(str(tmp) + ".wal").unlink(missing_ok=True)


def open_snapshot(db_path: str | Path) -> tuple[duckdb.DuckDBPyConnection, tuple[int, int] | None]:
    """A read-only connection to the file now at db_path, and its generation.

    DuckDB caches one database instance per path inside a process, so reopening the same path would return the old
    file. Each generation is therefore opened through its own hard link (same inode, new name); links of older
    generations are removed — on Linux a removed link stays readable by connections that hold it."""
    db_path = Path(db_path)
    gen = generation(db_path)
    if gen is None:
        raise FileNotFoundError(db_path)
    link = db_path.with_name(f".{db_path.name}.{gen[0]}.snapshot")
    if not link.exists():
        try:
            os.link(db_path, link)
        except FileExistsError:
            pass
    for old in db_path.parent.glob(f".{db_path.name}.*.snapshot"):
        if old != link:
            old.unlink(missing_ok=True)
    return duckdb.connect(str(link), read_only=True), gen


def generation(db_path: str | Path) -> tuple[int, int] | None:
    """Identity of the file now at db_path: a reader compares it to know when to reopen."""
    try:
        st = os.stat(db_path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns)
