"""The server's own share of each page view: how long app.py's script run took (frame + page), on this server.

A reader's wait is the browser's fetch, the websocket, the script run and the browser's drawing; only the script
run is the app's own code, and under load only the server can say how long it took. With BUDGET_TIMINGS=FILE in
the server's environment, every script run appends one JSON line to FILE:

    {"t": 1764682800.123, "pid": 4242, "page": "composition", "run": 1, "wall_ms": 84.2, "cpu_ms": 61.0,
     "end": "done"}

t is when the run ended (Unix time); page the page's URL path ("" = 总览 at the root); run counts the session's
script runs (1 = the session's first run, i.e. a page opened by URL; later runs are sidebar switches and widget
changes); wall_ms is the run's wall time and cpu_ms the CPU its thread used meanwhile (the gap is waiting for the
CPU or the GIL, or for another session's query to fill a shared cache); end is "done", "stop" (the page ended
early with st.stop — a normal view), "rerun" (cut short by st.rerun or a newer click; another run follows) or the
exception's class name. scripts/bench_load.py reads the file; `jq` does too.

Unset (the default), nothing is measured or written. Set, the cost is two clock reads, a session-state counter
and one short append per run (tens of microseconds next to a script run of tens of milliseconds).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import streamlit as st

TIMINGS_ENV = "BUDGET_TIMINGS"
_RUNS = "_timing_runs"
_lock = threading.Lock()  # script runs of many sessions end on different threads; one line each, never interleaved
_log = logging.getLogger(__name__)

# Streamlit ends a run early by raising one of its own exceptions; they are named here (not imported: the app uses
# no Streamlit internals) so the record says how the run ended.
_ENDINGS = {"StopException": "stop", "RerunException": "rerun"}


@dataclass
class Run:
    """One script run being timed; app.py sets page once st.navigation has said which page it is."""

    page: str = "?"


def record(path: str, entry: dict[str, object]) -> None:
    """Append one JSON line to path (created if missing). A line is written with one call under a lock, so lines
    from concurrent runs never interleave; a failure to write is logged and never breaks the page."""
    line = json.dumps(entry, ensure_ascii=False) + "\n"
    try:
        with _lock, open(path, "a", encoding="utf-8") as f:
            f.write(line)
    except OSError as exc:
        _log.warning("cannot write page timings to %s: %s", path, exc)


@contextmanager
def script_run() -> Iterator[Run]:
    """Time the body (app.py's whole script run) and record it to BUDGET_TIMINGS when that is set."""
    run = Run()
    path = os.environ.get(TIMINGS_ENV)
    if not path:
        yield run
        return
    count = int(st.session_state.get(_RUNS, 0)) + 1
    st.session_state[_RUNS] = count
    wall0, cpu0 = time.perf_counter(), time.thread_time()
    end = "done"
    try:
        yield run
    except BaseException as exc:
        end = _ENDINGS.get(type(exc).__name__, type(exc).__name__)
        raise
    finally:
        wall, cpu = time.perf_counter() - wall0, time.thread_time() - cpu0
        record(path, {"t": round(time.time(), 3), "pid": os.getpid(), "page": run.page, "run": count,
                      "wall_ms": round(1000 * wall, 1), "cpu_ms": round(1000 * cpu, 1), "end": end})


def read(path: str | os.PathLike[str]) -> list[dict[str, object]]:
    """Every record of a timings file, in order; a line cut short by a crash is skipped."""
    out = []
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError:
                    continue
    except FileNotFoundError:
        return []
    return out
