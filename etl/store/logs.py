"""Where the ETL's own errors go: a log file beside the database, so a bug met on one file keeps its traceback.

The person importing sees one Chinese line per file; the maintainer needs the traceback. `configure` sends every
record of the `etl` loggers to `<db folder>/logs/etl.log`, and `current` tells the line which file to name. Without
`configure`, Python's last-resort handler prints the same records on stderr: a bug is never silent either way.
"""

from __future__ import annotations

import errno
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)
ROOT = "etl"  # every module logs under etl.* (logging.getLogger(__name__)); the handler sits on this parent
_FORMAT = "%(asctime)s %(levelname)s %(name)s [pid %(process)d]: %(message)s"
_handler: logging.FileHandler | None = None


def log_path(db: str | Path) -> Path:
    """logs/etl.log beside the database: the one place both the CLI and the upload page write."""
    return Path(db).parent / "logs" / "etl.log"


class _FolderOnDemand(logging.FileHandler):
    """Makes the log folder with the first record: naming the log leaves the database's folder as it was until
    there is something to keep (an ingest that changes nothing adds no folder beside the database)."""

    def _open(self):  # logging's own hook
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()


def _writable(folder: Path) -> None:
    """Raise OSError now, while the caller can still say so, if the log folder could not be made or written."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not os.access(probe, os.W_OK | os.X_OK):
        raise PermissionError(errno.EACCES, "日志目录不可写", str(folder))


def configure(db: str | Path) -> Path:
    """Send the etl loggers' records to the log file of this database; returns its path.

    Idempotent: a second call for the same database changes nothing, one for another database moves the one
    handler there (a process writes one database at a time, and tests open many). Raises OSError when the folder
    cannot be made — the caller then leaves the records on stderr and says so."""
    global _handler
    path = log_path(db).resolve()
    if _handler is not None and Path(_handler.baseFilename) == path:
        return path
    _writable(path.parent)
    handler = _FolderOnDemand(path, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter(_FORMAT))
    logger = logging.getLogger(ROOT)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    if _handler is not None:
        logger.removeHandler(_handler)
        _handler.close()
    logger.addHandler(handler)
    _handler = handler
    return path


def current() -> Path | None:
    """The log file records go to now, or None when they go to stderr (configure was not called)."""
    return None if _handler is None else Path(_handler.baseFilename)


def where() -> str:
    """The words a user line uses to say where the traceback is."""
    path = current()
    return f"错误详情已记入 {path}" if path is not None else "错误详情已输出到标准错误"


def bug(stage: str, summary: str, traceback: str, subject: object) -> str:
    """Log a bug of ours met while `stage` (解析, 写入, 导入) on `subject` — its full traceback — and return the one
    line the user reads: the program's fault, not the file's, and where the details are."""
    log.error("程序错误：%s时出错：%s\n%s", stage, subject, traceback.rstrip())
    return f"程序错误：{stage}时出错（{summary}）。这是本程序的问题，不是文件的问题；文件未导入，{where()}"


def close() -> None:
    """Stop writing the log file (records go to stderr again): for a process that is done with its database."""
    global _handler
    if _handler is not None:
        logging.getLogger(ROOT).removeHandler(_handler)
        _handler.close()
        _handler = None
