"""Writing the database without ever showing a reader half of it, and without a crashed writer blocking the next.

DuckDB lets one process write a file, and a writer locks readers in other processes out. So every writer (the CLI,
the upload page) works on a private copy and swaps it in with one atomic rename: a dashboard that has the old file
open keeps reading the old snapshot until it reopens, then sees the new one — old or new, never half.

Writers are serialised by flock on a lock file. flock belongs to the open file, so the kernel releases it the moment
the last descriptor goes — whatever kills the writer. The descriptor is close-on-exec and parse workers are never
forked from the writer (etl.store.ingest), so no other process can keep it alive. A writer that finds the lock taken says
who holds it (pid and start time are written into the lock file), waits a bounded time, then gives up with a
message. Whatever a dead writer left (its private copy and WAL, named by its pid; links of old generations) is
removed by the next writer, which says what it removed. A full disk or a read-only store becomes one WriteFault
with the reason in Chinese; nothing is published and no partial copy is left.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb

from etl.store.schema import ensure_schema

LOCK_WAIT_ENV = "BUDGET_LOCK_WAIT"
DEFAULT_LOCK_WAIT = 60.0  # seconds a writer waits for another one before giving up
PAUSE_ENV = "BUDGET_TEST_PAUSE"
_COPY_CHUNK = 1 << 20

# errno → what an official reads; DuckDB reports the operating system's message, so the same table serves both
_REASONS = {
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EROFS: "文件系统为只读",
    errno.EACCES: "没有写入权限（文件夹或文件为只读）",
    errno.EPERM: "没有写入权限（文件夹或文件为只读）",
}


class NothingToPublish(Exception):
    """Raised inside `writing` when the batch changed nothing: the private copy is dropped and the file readers
    have open stays the current generation, so their caches stay valid."""


class WriteFault(Exception):
    """The store could not be written (disk full, read-only folder, file system or file): nothing was published,
    the private copy is gone, the database is as it was."""

    def __init__(self, reason: str, path: Path | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path

    def __str__(self) -> str:
        where = f"无法写入 {self.path}" if self.path else "无法写入数据库"
        return f"{where}：{self.reason}"


class WriterBusy(Exception):
    """Another live writer held the lock for the whole bounded wait."""

    def __init__(self, holder: str, waited: float) -> None:
        super().__init__(holder)
        self.holder = holder
        self.waited = waited

    def __str__(self) -> str:
        return f"另一个导入正在进行（{self.holder}），等待{self.waited:.0f}秒后仍未结束，请稍后再试"


def fault_reason(exc: BaseException | str) -> str | None:
    """The Chinese reason when exc (or its cause) is a storage fault — full disk, read-only anything — else None.

    DuckDB wraps the operating system's error in its own exception text, so its message is matched against the
    same errno table by the OS's wording."""
    seen: BaseException | str | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in _REASONS:
            return _REASONS[seen.errno]
        text = seen if isinstance(seen, str) else str(seen)
        for code, reason in _REASONS.items():
            if os.strerror(code) in text:
                return reason
        if isinstance(seen, str):
            return None
        seen = seen.__cause__ or seen.__context__
    return None


def pause_point(point: str) -> None:
    """Test hook: with BUDGET_TEST_PAUSE=<point>=<file>, the process writes its pid to <file> on reaching <point>
    and stays there until killed, so a test can kill it at an exact moment by waiting on a file, not a clock."""
    spec = os.environ.get(PAUSE_ENV)
    if not spec:
        return
    name, _, marker = spec.partition("=")
    if name != point:
        return
    Path(marker).write_text(str(os.getpid()))
    while True:
        time.sleep(60)


def lock_wait() -> float:
    """Seconds to wait for another writer: BUDGET_LOCK_WAIT, else DEFAULT_LOCK_WAIT."""
    try:
        return max(0.0, float(os.environ.get(LOCK_WAIT_ENV, DEFAULT_LOCK_WAIT)))
    except ValueError:
        return DEFAULT_LOCK_WAIT


def _holder(fd: int, lock_path: Path) -> str:
    """'进程 N，开始于 …' for the writer holding the lock: from the lock file, else the kernel's lock table."""
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    m = re.fullmatch(r"(\d+) (.+)", text)
    if m:
        return f"进程 {m.group(1)}，开始于 {m.group(2)}"
    try:  # an older build writes nothing into the lock file; /proc/locks still names the holder
        ino = os.fstat(fd).st_ino
        for line in Path("/proc/locks").read_text().splitlines():
            parts = line.split()
            if len(parts) > 5 and parts[1] == "FLOCK" and parts[5].rsplit(":", 1)[-1] == str(ino):
                return f"进程 {parts[4]}，开始时间不详"
    except OSError:
        pass
    return "进程不详"


def _lock(lock_path: Path, wait: float, on_busy: Callable[[str], None] | None,
          on_wait: Callable[[float], None] | None) -> int:
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise WriteFault(fault_reason(exc) or f"无法建立锁文件（{exc.strerror}）", lock_path) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd, lock_path)
            if on_busy:
                on_busy(f"另一个导入正在进行：{holder}")
            deadline = time.monotonic() + wait
            shown = None
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise WriterBusy(holder, wait) from None
                if on_wait and shown != int(remaining):
                    shown = int(remaining)
                    on_wait(remaining)
                time.sleep(min(0.2, remaining))
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    continue
        try:  # who holds it, for the next writer's message; best effort (a full disk must not stop here)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {datetime.now():%Y-%m-%d %H:%M:%S}\n".encode(), 0)
        except OSError:
            pass
        return fd
    except BaseException:
        os.close(fd)
        raise


def _started(pid: int) -> float | None:
    """Start time (epoch seconds) of a live process, None when there is none (or only its zombie)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        btime = next(int(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                     if line.startswith("btime "))
    except (OSError, StopIteration, ValueError):
        return None
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] in ("Z", "X"):
        return None
    return btime + int(fields[19]) / os.sysconf("SC_CLK_TCK")


def _writer_alive(pid: int, leftover: Path) -> bool:
    """Is the writer whose pid names this temp file still running? A process with that pid that started after the
    file was last written is a reuse of the number, not the writer."""
    if pid == os.getpid():
        return False  # our own leftover from an earlier writer in this process
    started = _started(pid)
    if started is None:
        return False
    try:
        return started <= leftover.stat().st_mtime + 1
    except FileNotFoundError:
        return True  # gone already: nothing to remove


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 1024:.0f} KB"


def sweep(db_path: str | Path) -> list[str]:
    """Remove what writers that are no longer alive left beside db_path — private copies and their WALs — and links
    of generations other than the current one; returns one description per removed kind of thing.

    A removed snapshot link that a reader still has open stays readable for it (Linux keeps an unlinked file until
    its last descriptor closes) and its space is freed when that reader lets go."""
    db_path = Path(db_path)
    removed: list[tuple[Path, int]] = []
    for leftover in sorted(db_path.parent.glob(f".{db_path.name}.*.tmp*")):
        m = re.fullmatch(rf"\.{re.escape(db_path.name)}\.(\d+)\.tmp(\.wal)?", leftover.name)
        if not m or _writer_alive(int(m.group(1)), leftover):
            continue
        try:
            size = leftover.stat().st_size
            leftover.unlink()
        except OSError:
            continue  # gone already, or a folder this writer cannot change (it will say so itself)
        removed.append((leftover, size))
    notes = []
    if removed:
        names = "、".join(p.name for p, _ in removed)
        notes.append(f"已清理已结束的导入留下的临时文件{len(removed)}个（{names}，共{_size(sum(s for _, s in removed))}）")
    links = _drop_old_links(db_path)
    if links:
        notes.append(f"已清理旧版本数据库的快照链接{links}个")
    return notes


def _drop_old_links(db_path: Path) -> int:
    try:
        current = os.stat(db_path).st_ino
    except FileNotFoundError:
        current = None
    dropped = 0
    for link in db_path.parent.glob(f".{db_path.name}.*.snapshot"):
        try:
            if os.stat(link).st_ino != current:
                link.unlink()
                dropped += 1
        except OSError:
            continue
    return dropped


def _read_only_file(db_path: Path) -> bool:
    """A database file whose owner made it read-only is never replaced — even by root, who may write anyway."""
    try:
        st = os.stat(db_path)
    except FileNotFoundError:
        return False
    return not (st.st_mode & 0o222) or not os.access(db_path, os.W_OK)


def _settle_wal(db_path: Path) -> None:
    """A database left with a write-ahead log (an older direct writer) is checkpointed before it is copied."""
    if Path(str(db_path) + ".wal").exists():
        con = duckdb.connect(str(db_path))
        con.execute("CHECKPOINT")
        con.close()


def _copy(src: Path, dst: Path) -> None:
    """Copy in chunks (sendfile: no bytes through Python), with a pause point after the first for the crash tests."""
    with open(src, "rb") as fin:
        fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
        try:
            offset, size = 0, os.fstat(fin.fileno()).st_size
            while offset < size:
                sent = os.sendfile(fd, fin.fileno(), offset, _COPY_CHUNK)
                if sent == 0:
                    break
                offset += sent
                if offset < size:
                    pause_point("copying")
        finally:
            os.close(fd)


@contextmanager
def writing(db_path: str | Path, *, wait: float | None = None, on_busy: Callable[[str], None] | None = None,
            on_wait: Callable[[float], None] | None = None,
            on_clean: Callable[[str], None] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a private copy of db_path, published by atomic rename when the block ends normally.

    on_busy(line) is called once if another writer holds the lock, on_wait(seconds_left) about once a second while
    waiting (at most `wait` seconds, default lock_wait()), then WriterBusy. on_clean(line) says what dead writers
    left and this one removed. Storage faults raise WriteFault; in every failure the database stays as it was."""
    db_path = Path(db_path)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteFault(fault_reason(exc) or f"无法建立文件夹（{exc.strerror}）", db_path.parent) from exc
    lock = _lock(db_path.with_name(db_path.name + ".lock"), lock_wait() if wait is None else wait, on_busy, on_wait)
    try:
        for note in sweep(db_path):
            if on_clean:
                on_clean(note)
        pause_point("locked")
        if _read_only_file(db_path):
            raise WriteFault("数据库文件为只读，不会被替换；如要导入，请先恢复它的写权限", db_path)
        tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
        con = None
        try:
            if db_path.exists():
                _settle_wal(db_path)
                _copy(db_path, tmp)
            con = duckdb.connect(str(tmp))
            upgraded = ensure_schema(con)
            pause_point("copied")
        except (OSError, duckdb.Error) as exc:
            _discard(con, tmp)
            raise WriteFault(fault_reason(exc) or f"无法建立临时副本（{exc}）", tmp) from exc
        try:
            yield con
        except NothingToPublish:
            if not upgraded:  # nothing changed: the published file (and readers' caches) stay as they are
                _discard(con, tmp)
                return
            # no report changed, but the file gains this build's schema: publish it after all
        except WriteFault as exc:
            _discard(con, tmp)
            exc.path = exc.path or db_path
            raise
        except BaseException as exc:
            _discard(con, tmp)
            reason = fault_reason(exc)
            if reason and isinstance(exc, (OSError, duckdb.Error)):
                raise WriteFault(reason, db_path) from exc
            raise
        try:
            con.execute("CHECKPOINT")
            con.close()
            pause_point("publishing")
            os.replace(tmp, db_path)
        except (OSError, duckdb.Error) as exc:
            _discard(con, tmp)
            raise WriteFault(fault_reason(exc) or f"发布新数据库时出错（{exc}）", db_path) from exc
        pause_point("published")
        _drop_old_links(db_path)
    finally:
        os.close(lock)  # releases the flock


def _discard(con: duckdb.DuckDBPyConnection | None, tmp: Path) -> None:
    if con is not None:
        try:
            con.close()
        except duckdb.Error:
            pass  # an invalidated database (after a fatal IO error) may refuse even this
    tmp.unlink(missing_ok=True)
    Path(str(tmp) + ".wal").unlink(missing_ok=True)


def open_snapshot(db_path: str | Path) -> tuple[duckdb.DuckDBPyConnection, tuple[int, int] | None]:
    """A read-only connection to the file now at db_path, and its generation.

    DuckDB caches one database instance per path inside a process, so reopening the same path would return the old
    file. Each generation is therefore opened through its own hard link (same inode, new name); links of older
    generations are removed — on Linux a removed link stays readable by connections that hold it. A writer may
    publish (and remove this link) between linking and connecting: then the newer generation is opened instead."""
    db_path = Path(db_path)
    for attempt in range(5):
        gen = generation(db_path)
        if gen is None:
            raise FileNotFoundError(db_path)
        link = db_path.with_name(f".{db_path.name}.{gen[0]}.snapshot")
        try:
            os.link(db_path, link)
        except FileExistsError:
            pass
        except FileNotFoundError:
            continue  # the file was swapped between stat and link
        except OSError:
            link = db_path  # a folder readers may not write: read the file itself (no swap is possible there)
        if link != db_path:
            for old in db_path.parent.glob(f".{db_path.name}.*.snapshot"):
                if old != link:
                    old.unlink(missing_ok=True)
        try:
            return duckdb.connect(str(link), read_only=True), gen
        except duckdb.Error:
            if attempt == 4 or link.exists():
                raise
    raise FileNotFoundError(db_path)


def generation(db_path: str | Path) -> tuple[int, int] | None:
    """Identity of the file now at db_path: a reader compares it to know when to reopen."""
    try:
        st = os.stat(db_path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns)
