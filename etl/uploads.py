"""Reports uploaded through the browser: size-limited, stored under data/ by content, never by the given name."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from .ingest import Outcome, ingest_file
from .publish import NothingToPublish, writing

MAX_BYTES = 50 * 2**20
SUFFIXES = (".pdf", ".txt")


def display_name(name: str) -> str:
    """The user's file name for display only: path parts and control characters removed, length capped."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip() or "未命名文件"
    return base[:120]


def ingest_upload(db_path: str | Path, data: bytes, name: str, upload_dir: str | Path,
                  progress: Callable[[int, int], None] | None = None, replace: bool = False) -> Outcome:
    shown = display_name(name)
    suffix = Path(shown).suffix.lower()
    if len(data) > MAX_BYTES:
        return Outcome(Path(shown), "refused", f"文件过大（{len(data) / 2**20:.1f} MB），上限为 {MAX_BYTES // 2**20} MB")
    if suffix not in SUFFIXES:
        return Outcome(Path(shown), "refused", f"不支持的文件类型“{suffix or '无扩展名'}”（只接受 .pdf 和 .txt）")
    if not data:
        return Outcome(Path(shown), "refused", "文件为空（0字节）")
    folder = Path(upload_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{hashlib.sha256(data).hexdigest()[:32]}{suffix}"
    if not stored.exists():
        tmp = stored.with_name(stored.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(stored)
    with writing(db_path) as con:
        outcome = ingest_file(con, stored, display_name=shown, progress=progress, replace=replace)
        if outcome.status != "loaded":
            raise NothingToPublish  # unchanged or refused: the database file is left exactly as it was
    if outcome.status in ("refused", "failed"):
        stored.unlink(missing_ok=True)  # keep only what the database holds
    outcome.path = Path(shown)
    return outcome
