"""scripts/bench_load.py's summaries of the app's own script-run records (hand-built records, no server)."""

from __future__ import annotations

from scripts.bench_load import CHROMIUM, client_chromium, cpu_list, page_table, server_line, server_runs
from tests.fixtures.app_server import AppPage

PAGES = [AppPage("pages/overview.py", "总览", "", True), AppPage("pages/checks.py", "数据核对", "checks", False)]


def rec(t: float, page: str, run: int, wall: float, cpu: float, end: str = "done") -> dict:
    return {"t": t, "pid": 1, "page": page, "run": run, "wall_ms": wall, "cpu_ms": cpu, "end": end}


RECORDS = [rec(10, "", 1, 100, 50), rec(11, "checks", 2, 300, 120), rec(12, "", 1, 200, 70),
           rec(13, "checks", 3, 50, 10, "rerun"), rec(20, "", 1, 999, 999)]


def test_server_runs_keeps_the_scenario_window() -> None:
    assert [r["t"] for r in server_runs(RECORDS, 10, 13)] == [10, 11, 12, 13]


def test_server_line_splits_open_and_switch() -> None:
    line = server_line(server_runs(RECORDS, 10, 13))
    assert "open median 150 ms, p95 200 ms (its thread's CPU median 60 ms, n=2)" in line
    assert "switch median 175 ms, p95 300 ms (its thread's CPU median 65 ms, n=2)" in line
    assert "1 runs cut short by a rerun" in line
    assert "none recorded" in server_line([])


def test_page_table_one_row_per_page_reruns_left_out() -> None:
    table = page_table(PAGES, [("1 idle", server_runs(RECORDS, 10, 13)), ("3 idle", [])]).splitlines()
    assert table[0].split() == ["page", "1", "idle", "3", "idle"]
    assert table[1].split() == ["总览", "150", "/", "200", "(n=2)", "—"]
    assert table[2].split() == ["数据核对", "300", "/", "300", "(n=1)", "—"]


def test_client_chromium_wrapper_pins_and_lowers_it() -> None:
    assert cpu_list("0") == {0} and cpu_list("0,2-3") == {0, 2, 3}
    assert client_chromium(0) == CHROMIUM
    text = open(client_chromium(10, "0"), encoding="utf-8").read()
    assert text.startswith("#!/bin/sh\nexec taskset -c 0 ") and f"nice -n 10 {CHROMIUM} \"$@\"" in text
    assert "nice" not in open(client_chromium(0, "1"), encoding="utf-8").read()
