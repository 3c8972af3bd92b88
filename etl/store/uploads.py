"""Reports uploaded through the browser: size-limited, stored under data/ by content, never by the given name.

The uploads folder keeps only what the database holds: a file is stored while the writer's lock is held and
removed again unless its report is published, and every writer first sweeps out files whose report is not in the
database (a server killed mid-upload, a report since replaced).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from pathlib import Path

import duckdb

from etl.store.ingest import Outcome, ingest_file
from etl.store.publish import NothingToPublish, WriteFault, WriterBusy, fault_reason, writing
from etl.store.write import existing

log = logging.getLogger(__name__)
MAX_BYTES = 50 * 2**20
YEAR_SAID = "导入时填写的年度"  # how a loaded upload's issues name the year typed on the 导入 page
SUFFIXES = (".pdf", ".txt")


def display_name(name: str) -> str:
    """The user's file name for display only: path parts and control characters removed, length capped."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip() or "未命名文件"
    return base[:120]


def upload_dir_for(db_path: str | Path) -> Path:
    """uploads/ beside the database: the one place both the 导入 page and the CLI's sweep look."""
    return Path(db_path).parent / "uploads"


_STORED = re.compile(r"([0-9a-f]{32})\.(pdf|txt)(\.part)?")


def sweep_uploads(con: duckdb.DuckDBPyConnection, folder: str | Path) -> list[str]:
    """Remove stored uploads whose report the database (con, under the writer's lock) does not hold, and pieces
    of interrupted stores. Only files named as ingest_upload names them are touched."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    gone = []
    for f in folder.iterdir():
        m = _STORED.fullmatch(f.name)
        if not m or (not m.group(3) and existing(con, m.group(1)[:16])):
            continue
        try:
            f.unlink()
        except OSError:
            continue
        gone.append(f.name)
    return [f"已删除数据库中没有的上传文件{len(gone)}个（{'、'.join(sorted(gone))}）"] if gone else []


def ingest_upload(db_path: str | Path, data: bytes, name: str, upload_dir: str | Path,
                  progress: Callable[[int, int], None] | None = None, replace: bool = False, *,
                  wait: float | None = None, on_busy: Callable[[str], None] | None = None,
                  on_wait: Callable[[float], None] | None = None, year: int | None = None) -> Outcome:
    """Store and ingest one upload. Another writer holding the lock all along (on_busy once, on_wait while waiting)
    ends in a 'busy' outcome, a full disk or a read-only store in a 'failed' one; either message says so in one
    line. `year` is the year the official typed for a report that prints none (Outcome.needs_year asked for it);
    a year the report prints is kept whatever was typed."""
    shown = display_name(name)
    suffix = Path(shown).suffix.lower()
    if len(data) > MAX_BYTES:
        return Outcome(Path(shown), "refused", f"文件过大（{len(data) / 2**20:.1f} MB），上限为 {MAX_BYTES // 2**20} MB")
    if suffix not in SUFFIXES:
        return Outcome(Path(shown), "refused", f"不支持的文件类型“{suffix or '无扩展名'}”（只接受 .pdf 和 .txt）")
    if not data:
        return Outcome(Path(shown), "refused", "文件为空（0字节）")
    folder = Path(upload_dir)
    digest = hashlib.sha256(data).hexdigest()
    stored = folder / f"{digest[:32]}{suffix}"
    held = False
    try:
        # what the clean-up removed goes to the server's log: the official's line is about their file
        with writing(db_path, wait=wait, on_busy=on_busy, on_wait=on_wait, on_clean=log.warning) as con:
            for note in sweep_uploads(con, folder):
                log.warning(note)
            held = existing(con, digest[:16])
            _store(folder, stored, data)
            outcome = ingest_file(con, stored, display_name=shown, progress=progress, replace=replace, year=year,
                                  year_said=YEAR_SAID)
            if outcome.status != "loaded":
                raise NothingToPublish  # unchanged or refused: the database file is left exactly as it was
    except WriterBusy as exc:
        return Outcome(Path(shown), "busy", str(exc))
    except WriteFault as exc:
        if not held:
            stored.unlink(missing_ok=True)
        return Outcome(Path(shown), "failed", str(exc))
    except BaseException:
        if not held:
            stored.unlink(missing_ok=True)  # keep only what the database holds
        raise
    if outcome.status in ("refused", "failed") and not held:
        stored.unlink(missing_ok=True)  # keep only what the database holds
    outcome.path = Path(shown)
    return outcome


def _store(folder: Path, stored: Path, data: bytes) -> None:
    """Write the upload under its content name, whole or not at all."""
    if stored.exists():
        return
    tmp = stored.with_name(stored.name + ".part")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        tmp.replace(stored)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WriteFault(fault_reason(exc) or f"无法保存上传的文件（{exc.strerror}）", folder) from exc
