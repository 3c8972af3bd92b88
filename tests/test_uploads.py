"""Uploads and publication: content-named storage, limits, and readers that never see half a database."""

from __future__ import annotations

import threading
from pathlib import Path

from etl.store.publish import generation, open_snapshot, writing
from etl.store.uploads import MAX_BYTES, display_name, ingest_upload
from etl.store.write import connect

from .samples import YANGQUAN
from .test_cli import db_digest


def test_upload_is_stored_by_content_and_loaded(tmp_path: Path):
    data = YANGQUAN.read_bytes()
    pages = []
    outcome = ingest_upload(tmp_path / "b.duckdb", data, "../../etc/passwd/阳泉 2023.txt", tmp_path / "uploads",
                            progress=lambda p, n: pages.append((p, n)))
    assert outcome.status == "loaded", outcome.message
    stored = list((tmp_path / "uploads").iterdir())
    assert len(stored) == 1 and stored[0].suffix == ".txt" and len(stored[0].stem) == 32
    assert ".." not in stored[0].name and "passwd" not in stored[0].name
    con = connect(tmp_path / "b.duckdb", read_only=True)
    assert con.execute("SELECT source_file FROM documents").fetchall() == [("阳泉 2023.txt",)]


def test_refused_upload_changes_nothing_and_keeps_no_file(tmp_path: Path):
    db = tmp_path / "b.duckdb"
    ingest_upload(db, YANGQUAN.read_bytes(), "a.txt", tmp_path / "up")
    before = db_digest(db)
    for data, name, reason in [(b"<html></html>", "x.pdf", "不是PDF文件"), (b"x" * (MAX_BYTES + 1), "big.pdf", "文件过大"),
                               (b"hello", "a.exe", "不支持的文件类型"), (b"", "e.txt", "文件为空")]:
        outcome = ingest_upload(db, data, name, tmp_path / "up")
        assert outcome.status == "refused" and reason in outcome.message
    assert db_digest(db) == before
    assert len(list((tmp_path / "up").iterdir())) == 1


def test_display_name_strips_paths_and_controls():
    assert display_name("C:\\Users\\x\\报告.pdf") == "报告.pdf"
    assert display_name("a\x00b\n.pdf") == "ab.pdf"
    assert display_name("") == "未命名文件"


def test_reader_sees_old_or_new_never_half(tmp_path: Path):
    db = tmp_path / "b.duckdb"
    with writing(db) as con:
        con.execute("INSERT INTO documents (doc_id, unit_name) VALUES ('old', '旧')")
    reader = connect(db, read_only=True)
    gen = generation(db)
    seen: list[list] = []
    stop = threading.Event()

    def read_loop():
        while not stop.is_set():
            seen.append(reader.cursor().execute("SELECT doc_id FROM documents ORDER BY 1").fetchall())

    t = threading.Thread(target=read_loop)
    t.start()
    with writing(db) as con:
        con.execute("INSERT INTO documents (doc_id, unit_name) VALUES ('new', '新')")
        con.execute("INSERT INTO func_lines (doc_id, amount_yuan) VALUES ('new', 1)")
    stop.set()
    t.join()
    assert seen and all(s == [("old",)] for s in seen)  # the open snapshot is never torn
    assert generation(db) != gen  # …and the reader can tell the file changed
    fresh, gen2 = open_snapshot(db)
    assert gen2 == generation(db)
    assert fresh.execute("SELECT doc_id FROM documents ORDER BY 1").fetchall() == [("new",), ("old",)]


def test_failed_writer_leaves_file_untouched(tmp_path: Path):
    db = tmp_path / "b.duckdb"
    with writing(db) as con:
        con.execute("INSERT INTO documents (doc_id) VALUES ('a')")
    before = db_digest(db)
    try:
        with writing(db) as con:
            con.execute("INSERT INTO documents (doc_id) VALUES ('b')")
            raise RuntimeError("crash mid-ingest")
    except RuntimeError:
        pass
    assert db_digest(db) == before
    assert not list(tmp_path.glob(".*.tmp"))
