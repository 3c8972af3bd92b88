"""dashboard/timing.py: each script run of app.py leaves one record when BUDGET_TIMINGS is set, none otherwise."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import timing

APP = str(Path(__file__).resolve().parents[1] / "app.py")
UNIT = "阳泉市文化和旅游局"


def test_record_appends_json_lines_and_read_skips_a_torn_one(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    timing.record(str(path), {"page": "", "wall_ms": 1.5})
    timing.record(str(path), {"page": "composition", "wall_ms": 2.0})
    with path.open("a", encoding="utf-8") as f:
        f.write('{"page": "yo')  # a line cut short by a crash
    assert timing.read(path) == [{"page": "", "wall_ms": 1.5}, {"page": "composition", "wall_ms": 2.0}]
    assert timing.read(tmp_path / "missing.jsonl") == []


def test_concurrent_records_never_interleave(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    filler = "支" * 2000  # long lines: an unlocked append could split them

    def write(n: int) -> None:
        for i in range(50):
            timing.record(str(path), {"n": n, "i": i, "x": filler})

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 200
    assert sorted((r["n"], r["i"]) for r in map(json.loads, lines)) == [(n, i) for n in range(4) for i in range(50)]


def test_unwritable_path_never_breaks_the_run(tmp_path: Path) -> None:
    timing.record(str(tmp_path / "no-such-dir" / "t.jsonl"), {"page": ""})  # logged, not raised


def script_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> list[dict]:
    path = tmp_path / "runs.jsonl"
    monkeypatch.setenv(timing.TIMINGS_ENV, str(path))

    def script() -> None:
        import streamlit as st

        from dashboard import timing

        with timing.script_run() as run:
            run.page = "demo"
            if st.session_state.get("mode") == "stop":
                st.stop()
            if st.session_state.get("mode") == "rerun" and not st.session_state.get("again"):
                st.session_state["again"] = True
                st.rerun()
            st.write("shown")

    at = AppTest.from_function(script)
    for mode in body.split():
        at.session_state["mode"] = mode
        at.run()
    return timing.read(path)


def test_each_run_records_its_page_count_and_ending(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records = script_records(tmp_path, monkeypatch, "done stop rerun")
    assert [(r["page"], r["run"], r["end"]) for r in records] == [
        ("demo", 1, "done"), ("demo", 2, "stop"), ("demo", 3, "rerun"), ("demo", 4, "done")]
    for r in records:
        assert r["wall_ms"] >= 0 and r["cpu_ms"] >= 0 and r["pid"] > 0
        assert abs(r["t"] - time.time()) < 600


def test_off_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(timing.TIMINGS_ENV, raising=False)
    with timing.script_run() as run:
        run.page = "x"
    assert list(tmp_path.iterdir()) == []


def test_app_records_every_page_view(yangquan_db: Path, use_db, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    use_db(yangquan_db)
    path = tmp_path / "app.jsonl"
    monkeypatch.setenv(timing.TIMINGS_ENV, str(path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["unit"] = UNIT
    at.run()
    at.switch_page("pages/composition.py").run()
    assert not at.exception
    records = timing.read(path)
    assert [(r["page"], r["run"], r["end"]) for r in records] == [("", 1, "done"), ("composition", 2, "done")]
    assert all(r["wall_ms"] > 0 for r in records)
