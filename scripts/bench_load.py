"""Browser load benchmark: how long a reader waits for a page, alone, among N sessions, and while reports load.

    python scripts/bench_load.py [--sessions 20] [--rounds 2] [--steps K] [--think 5] [--nice 10] [--client-nice 10]
                                 [--client-cpus LIST] [--db FILE]

One run, one app server (`streamlit run app.py` on 127.0.0.1, as a user starts it) and one headless system Chromium:

1. baseline — one session, the server otherwise idle;
2. N sessions at once (N browser contexts = N Streamlit sessions), the server otherwise idle;
3. the same N sessions while an ingest loop runs `python -m etl ingest --nice 0` back to back, one generated report
   per run (so every run publishes a new database generation, as uploads from many offices would), at the same CPU
   priority as the app server;
4. the same again with the ingest at `--nice 10` (--nice), etl ingest's default: a batch load on the app's host
   yields the CPU to the page views (the parse is CPU-bound; a page view is what a person waits for).

In each, the N sessions are open first — each a browser context whose tab has loaded the dashboard (4 at a time;
those first loads are printed apart, they are a new tab starting a renderer and compiling the scripts) — and then
every session goes round the pages from a different starting page: *open* = page.goto(URL of the page) in its tab
until that page's heading (the h1 with its title) is visible; *switch* = a click on the next page in the sidebar
until that page's heading is visible. Times are what the user waits (median, p95 over all sessions' actions).
--steps K limits each round to K pages per session, so a long think time still ends in minutes.

Think time (--think, default 5 s): in the N-session scenarios each session pauses a random 0.5–1.5 × that time
after every action and starts at a random moment within it, like a person reading a page before the next click;
--think 0 is the stress run, every session clicking back to back. The baseline session never pauses.

Server-side time: the server runs with BUDGET_TIMINGS set (dashboard/timing.py), so it records the wall time (and
thread CPU) of every script run (app.py's frame + the page); per scenario the benchmark prints their median and
p95 next to the waits the browser measured, split into runs that opened a page by URL (a session's first run) and
later runs (sidebar switches), and at the end a per-page table. The gap between the two is the websocket, the
event loop, and the client's own drawing.

Client priority (--client-nice, default 10): the client Chromium is started under `nice -n N` (a two-line wrapper
script given to playwright as the executable), so every process it forks — zygote, renderers and all their threads
— runs at that priority and N browsers on the server's own cores do not starve the server; in production they run
on the readers' computers. Renicing the browser after launch does not reach them: nice is per thread on Linux, and
the zygote forks renderers from its own (un-reniced) threads. Chromium also sets its threads' nice values itself
(to -8 and 0), which a root user may do, so as root the wrapper drops CAP_SYS_NICE (setpriv) first; `ps -eLo
ni,comm` during a run shows every Chromium thread at N. 0 runs them at the benchmark's priority.

Client CPUs (--client-cpus LIST, e.g. 0): a priority still lets the browsers take every idle cycle, and twenty
page loads at once queue behind each other whatever the server does. Pinned, the client Chromium runs on LIST only
(taskset, inherited by every process it forks) and the app server, the ingest runs and this script on the other
CPUs: one machine then plays a reader's computer and the server, and what the ingest does to the server's answer
is seen apart from what the browsers do to each other.

CPU is reported apart, per scenario, from /proc via psutil: the app server (and its children: kaleido's Chromium),
the client Chromium (every process of the browser this script drives), the ingest runs (their rusage), and the
whole machine (so load from other users of a shared machine shows as "other"). On one machine the N browser
contexts themselves cost more CPU than the server; in production they run on the readers' own computers.

The database is built fresh under tests/output/ from data/raw and whichever sample PDFs ../shared/samples holds;
the ingest loop's reports are generated 合成 copies of the 阳泉 text (tests/fixtures/reports.py).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.timing import TIMINGS_ENV  # noqa: E402
from dashboard.timing import read as read_timings  # noqa: E402
from tests.fixtures.app_server import CHROMIUM, CHROMIUM_ARGS, AppPage, app_pages, serve  # noqa: E402
from tests.fixtures.reports import write_report  # noqa: E402

OUTPUT = ROOT / "tests" / "output"
SAMPLES = ROOT.parent / "shared" / "samples"
HEADING_TIMEOUT_MS = 120_000
OPEN_AT_ONCE = 4  # sessions whose first page loads at the same time while the N sessions are opened


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def build_db(path: Path) -> Path:
    for suffix in ("", ".wal", ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    files = [ROOT / "data" / "raw", *sorted(SAMPLES.glob("*.pdf"))]
    subprocess.run([sys.executable, "-m", "etl", "ingest", *map(str, files), "--db", str(path)], cwd=ROOT,
                   check=True, capture_output=True)
    return path


# ---- CPU accounting ---------------------------------------------------------------------------------------------
def _tree_cpu(root: psutil.Process) -> float:
    total = 0.0
    for p in [root, *root.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def _main_thread_cpu(pid: int) -> float:
    """CPU of the server's main thread: Tornado's event loop (static files, websocket, sending messages); the
    rest of the process is script runs (one thread per run) and the cache/connection work they do."""
    fields = Path(f"/proc/{pid}/task/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu(pid: int) -> float:
    t = psutil.Process(pid).cpu_times()
    return t.user + t.system


def _driver_cpu(server_pid: int) -> float:
    """The playwright driver (node) and anything else below this script that is neither server nor Chromium."""
    server = {server_pid, *(c.pid for c in psutil.Process(server_pid).children(recursive=True))}
    total = 0.0
    for p in psutil.Process().children(recursive=True):
        try:
            if p.pid not in server and not ("chrom" in p.name().lower() or "headless_shell" in p.name().lower()):
                t = p.cpu_times()
                total += t.user + t.system
        except psutil.Error:
            pass
    return total


def _browser_processes(server_pid: int) -> dict[int, float]:
    """{pid: CPU seconds} of every Chromium process below this script (the playwright driver's browser), not the
    server's kaleido one."""
    server = {server_pid, *(c.pid for c in psutil.Process(server_pid).children(recursive=True))}
    found = {}
    for p in psutil.Process().children(recursive=True):
        if p.pid in server:
            continue
        try:
            if "chrom" in p.name().lower() or "headless_shell" in p.name().lower():
                t = p.cpu_times()
                found[p.pid] = t.user + t.system
        except psutil.Error:
            pass
    return found


class BrowserCpu:
    """Browser renderers come and go with each context, so their CPU is sampled while they live (every 0.5 s)."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.latest: dict[int, float] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.wait(0.5):
            self.total()

    def total(self) -> float:
        """CPU seconds of every browser process seen so far (the ones that have exited at their last sample)."""
        current = _browser_processes(self.server_pid)
        with self.lock:
            self.latest.update(current)
            return sum(self.latest.values())


def _machine_busy() -> float:
    """CPU-seconds the whole machine has spent busy since boot (all users)."""
    t = psutil.cpu_times()
    return t.user + t.nice + t.system + t.irq + t.softirq + t.steal


@dataclass
class CpuMeter:
    server_pid: int
    browser: BrowserCpu = field(init=False)

    def __post_init__(self) -> None:
        self.browser = BrowserCpu(self.server_pid)

    def sample(self) -> dict[str, float]:
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        own = resource.getrusage(resource.RUSAGE_SELF)
        return {"server": _tree_cpu(psutil.Process(self.server_pid)), "browser": self.browser.total(),
                "main": _main_thread_cpu(self.server_pid), "process": _own_cpu(self.server_pid),
                "ingest": kids.ru_utime + kids.ru_stime,
                "bench": own.ru_utime + own.ru_stime + _driver_cpu(self.server_pid),
                "machine": _machine_busy(), "wall": time.monotonic()}

    @staticmethod
    def report(a: dict[str, float], b: dict[str, float], views: int) -> str:
        d = {k: b[k] - a[k] for k in a}
        other = d["machine"] - d["server"] - d["browser"] - d["ingest"] - d["bench"]
        cores = os.cpu_count() or 1
        pct = {k: 100 * v / d["wall"] for k, v in d.items()}
        per_view = 1000 / max(views, 1)
        return (f"CPU over {d['wall']:.0f} s (% of one core): app server {pct['server']:.0f}% "
                f"({d['server']:.1f} s = {d['server'] * per_view:.0f} ms per page view: event loop "
                f"{d['main'] * per_view:.0f}, script runs {(d['process'] - d['main']) * per_view:.0f}, children "
                f"{(d['server'] - d['process']) * per_view:.0f}), client Chromium {pct['browser']:.0f}% ({d['browser']:.1f} s), ingest "
                f"{pct['ingest']:.0f}% ({d['ingest']:.1f} s), this script + playwright {pct['bench']:.0f}%, other "
                f"users of the machine {100 * max(other, 0) / d['wall']:.0f}%; machine busy "
                f"{pct['machine'] / cores:.0f}% of {cores} cores")


def client_chromium(nice: int, cpus: str | None = None) -> str:
    """The system Chromium, or a wrapper that starts it under `nice -n` (nice > 0; every process and thread it forks
    inherits the priority) and/or `taskset -c CPUS` (pinned to those CPUs, likewise inherited)."""
    if nice <= 0 and not cpus:
        return CHROMIUM
    OUTPUT.mkdir(parents=True, exist_ok=True)
    wrapper = OUTPUT / f"chromium-nice{nice}{f'-cpus{cpus}' if cpus else ''}"
    # Chromium sets its threads' nice values itself (IO and display threads to -8, the rest back to 0), which root
    # may do: as root the wrapper also drops CAP_SYS_NICE, so no thread can rise above the priority given here
    drop = "setpriv --bounding-set -sys_nice " if os.geteuid() == 0 and nice > 0 else ""
    pin = f"taskset -c {cpus} " if cpus else ""
    niced = f"nice -n {nice} " if nice > 0 else ""
    wrapper.write_text(f'#!/bin/sh\nexec {pin}{drop}{niced}{CHROMIUM} "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    return str(wrapper)


def cpu_list(text: str) -> set[int]:
    """A taskset-style CPU list ("0", "0,2", "0-1") as a set."""
    cpus: set[int] = set()
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        cpus.update(range(int(first), int(last or first) + 1))
    return cpus


REPORT_NUMBERS = itertools.count(1)  # one numbering for every ingest loop of the run


# ---- the ingest loop --------------------------------------------------------------------------------------------
class IngestLoop:
    """`python -m etl ingest ONE_NEW_FILE --db DB` back to back until stopped: one new generation per run."""

    def __init__(self, db: Path, folder: Path, nice: int = 0) -> None:
        self.db, self.folder, self.nice = db, folder, nice
        self.stop = threading.Event()
        self.runs: list[float] = []
        self.errors: list[str] = []
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.n = 0

    def _loop(self) -> None:
        while not self.stop.is_set():
            self.n = next(REPORT_NUMBERS)  # never a report an earlier loop loaded: each run parses and writes
            f = write_report(self.folder, f"合成负载测试单位{self.n:04d}", tag=f"load{self.n}")
            t0 = time.perf_counter()
            r = subprocess.run([sys.executable, "-m", "etl", "ingest", str(f), "--db", str(self.db), "--workers",
                                "1", "--nice", str(self.nice)], cwd=ROOT, capture_output=True, text=True)
            self.runs.append(time.perf_counter() - t0)
            if r.returncode != 0:
                self.errors.append(r.stderr[-500:])

    def __enter__(self) -> IngestLoop:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


# ---- the sessions -----------------------------------------------------------------------------------------------
def heading(tab, page: AppPage):  # noqa: ANN001, ANN201 — playwright objects
    """The page's own heading (its title as h1); 导入's heading reads 导入报告."""
    return tab.locator("[data-testid='stMain'] h1", has_text=page.title).first


async def open_sessions(browser, base: str, n: int, at_once: int = OPEN_AT_ONCE):  # noqa: ANN001, ANN201
    """N open sessions (one browser context and tab each, its first page — the root, 总览 — loaded), opened at_once
    at a time before any action is timed: the readers who already have the dashboard open. Returns the tabs, each
    first load's wait (a new tab: the client starts a renderer and compiles the scripts) and any failures."""
    tabs, waits, failures = [], [], []
    gate = asyncio.Semaphore(at_once)

    async def one() -> None:
        async with gate:
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            tab = await context.new_page()
            tabs.append(tab)
            try:
                t0 = time.perf_counter()
                await tab.goto(f"{base}/", wait_until="commit")
                await tab.locator("[data-testid='stMain'] h1").first.wait_for(timeout=HEADING_TIMEOUT_MS)
                waits.append(time.perf_counter() - t0)
            except Exception as exc:  # noqa: BLE001 — counted and reported, the run goes on
                failures.append(f"first page: {type(exc).__name__}: {str(exc)[:120]}")

    await asyncio.gather(*(one() for _ in range(n)))
    return tabs, waits, failures


async def session(tab, base: str, pages: list[AppPage], start: int, rounds: int,  # noqa: ANN001
                  times: dict[str, list[float]], failures: list[str], think: float = 0.0,
                  steps: int | None = None) -> None:
    """One open session going round the pages; with think > 0 it starts at a random moment within think seconds
    and pauses a random 0.5–1.5 × think after each action (seeded by its number, so runs are comparable)."""
    rng = random.Random(start)

    async def pause(first: bool = False) -> None:
        if think > 0:  # a person reading the page: a deliberate pause, not a wait for a condition
            await asyncio.sleep(rng.uniform(0, think) if first else rng.uniform(0.5 * think, 1.5 * think))

    await pause(first=True)
    for r in range(rounds):
        for k in range(min(steps or len(pages), len(pages))):
            page = pages[(start + r + k) % len(pages)]
            nxt = pages[(start + r + k + 1) % len(pages)]
            try:
                t0 = time.perf_counter()
                await tab.goto(f"{base}/{page.url_path}", wait_until="commit")
                await heading(tab, page).wait_for(timeout=HEADING_TIMEOUT_MS)
                times["open"].append(time.perf_counter() - t0)
                await pause()
                link = tab.locator("[data-testid='stSidebarNav'] a", has_text=nxt.title).first
                t0 = time.perf_counter()
                await link.click(timeout=HEADING_TIMEOUT_MS)
                await heading(tab, nxt).wait_for(timeout=HEADING_TIMEOUT_MS)
                times["switch"].append(time.perf_counter() - t0)
                await pause()
            except Exception as exc:  # noqa: BLE001 — counted and reported, the run goes on
                failures.append(f"{page.title}→{nxt.title}: {type(exc).__name__}: {str(exc)[:120]}")


async def scenario(tabs: list, base: str, pages: list[AppPage], rounds: int, think: float = 0.0,
                   steps: int | None = None) -> tuple[dict[str, list[float]], list[str]]:
    """Every open session (tab) at once, each from a different starting page."""
    times: dict[str, list[float]] = {"open": [], "switch": []}
    failures: list[str] = []
    await asyncio.gather(*(session(tab, base, pages, i, rounds, times, failures, think, steps)
                           for i, tab in enumerate(tabs)))
    return times, failures


LABEL = 34  # width of the scenario column


def line(label: str, times: dict[str, list[float]], base_median: float | None) -> str:
    parts = []
    for action, values in times.items():
        if not values:
            parts.append(f"{action}: no data")
            continue
        med, hi = statistics.median(values), p95(values)
        ratio = f" = {hi / base_median:.1f}× idle median" if base_median else ""
        parts.append(f"{action} median {med:.2f} s, p95 {hi:.2f} s{ratio} (n={len(values)})")
    return f"{label:<{LABEL}} browser wait: " + "; ".join(parts)


def server_runs(records: list[dict], since: float, until: float) -> list[dict]:
    """The timing records of script runs that ended within [since, until] (Unix time)."""
    return [r for r in records if since <= float(r.get("t", 0)) <= until]


def server_line(runs: list[dict]) -> str:
    """Median/p95 of the server's script runs (dashboard/timing.py records), opened by URL vs later runs."""
    if not runs:
        return f"{'':<{LABEL}} server script runs: none recorded (is {TIMINGS_ENV} reaching the server?)"
    parts = []
    for action, chosen in (("open", [r for r in runs if r["run"] == 1]), ("switch", [r for r in runs if r["run"] > 1])):
        if not chosen:
            continue
        wall = [float(r["wall_ms"]) for r in chosen]
        cpu = [float(r["cpu_ms"]) for r in chosen]
        parts.append(f"{action} median {statistics.median(wall):.0f} ms, p95 {p95(wall):.0f} ms (its thread's CPU "
                     f"median {statistics.median(cpu):.0f} ms, n={len(chosen)})")
    cut = sum(1 for r in runs if r["end"] == "rerun")
    return (f"{'':<{LABEL}} server script run (app.py + page, wall): " + "; ".join(parts)
            + (f"; {cut} runs cut short by a rerun" if cut else ""))


def _pad(text: str, width: int) -> str:
    """Left-justify to a display width (CJK characters take two columns)."""
    shown = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(width - shown, 0)


def page_table(pages: list[AppPage], columns: list[tuple[str, list[dict]]]) -> str:
    """Per page: median / p95 script-run wall time (ms) in each scenario, and the run count."""
    width = max(22, *(len(c) + 2 for c, _ in columns))
    out = [_pad("page", 10) + "".join(c.rjust(width) for c, _ in columns)]
    for page in pages:
        cells = []
        for _, runs in columns:
            wall = [float(r["wall_ms"]) for r in runs if r["page"] == page.url_path and r["end"] != "rerun"]
            cells.append(f"{statistics.median(wall):.0f} / {p95(wall):.0f} (n={len(wall)})" if wall else "—")
        out.append(_pad(page.title, 10) + "".join(c.rjust(width) for c in cells))
    return "\n".join(out)


async def run(args: argparse.Namespace) -> int:
    from playwright.async_api import async_playwright

    db = OUTPUT / "bench-load.duckdb"
    if args.db:  # the ingest loop writes: work on a copy
        for suffix in ("", ".wal", ".lock"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        shutil.copyfile(args.db, db)
    else:
        build_db(db)
    pages = app_pages()
    log = OUTPUT / "bench-load-streamlit.log"
    timings = OUTPUT / "bench-load-timings.jsonl"
    timings.unlink(missing_ok=True)
    os.environ[TIMINGS_ENV] = str(timings)  # serve() passes this environment to the server
    print(f"database {db} ({db.stat().st_size / 2**20:.1f} MiB); {len(pages)} pages; {args.sessions} sessions × "
          f"{args.rounds} rounds (each round: {f'{args.steps} pages' if args.steps else 'every page'} opened by URL, "
          "each followed by a sidebar click to the next page); "
          f"cores {os.cpu_count()}; load average before start {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.think:
        think = (f"{args.think:g} s: each of the N sessions pauses 0.5–1.5 × that after every action and starts "
                 "within it (the 1-session baseline never pauses)")
    else:
        think = "none — the stress run, every session back to back"
    client = (f"started at nice {args.client_nice} (in production the readers' browsers run on their own computers)"
              if args.client_nice else "at the benchmark's own priority")
    if args.client_cpus:
        # one machine playing two: the readers' browsers on their CPUs, the server's host (app server, ingest runs,
        # and this script with its playwright driver, ≈ 5 % of a core) on the others — both inherit the affinity
        server_cpus = set(range(os.cpu_count() or 1)) - cpu_list(args.client_cpus)
        if not server_cpus:
            raise SystemExit(f"--client-cpus {args.client_cpus} leaves no CPU for the server")
        os.sched_setaffinity(0, server_cpus)
        client += (f"; pinned to CPU {args.client_cpus}, while the app server, the ingest runs and this script run on "
                   f"CPU {','.join(map(str, sorted(server_cpus)))} (one reader computer and one server)")
    print(f"think time: {think}\nclient Chromium: {client}\nserver script runs: recorded by the app itself "
          f"({TIMINGS_ENV}={timings})\n")
    with serve(db, log) as (base, proc):
        meter = CpuMeter(proc.pid)
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=client_chromium(args.client_nice, args.client_cpus),
                                                 args=CHROMIUM_ARGS)
            # warm-up: the first visitor opens the root, then every page once (imports, compiled scripts)
            tabs, _, _ = await open_sessions(browser, base, 1)
            await scenario(tabs, base, pages, 1)
            await tabs[0].context.close()
            results = []
            plan = [("1 session, idle", 1, None, 0.0),
                    (f"{args.sessions} sessions, idle", args.sessions, None, args.think),
                    (f"{args.sessions} sessions, ingesting", args.sessions, 0, args.think)]
            if args.nice:
                plan.append((f"{args.sessions} sessions, ingest at nice {args.nice}", args.sessions, args.nice,
                             args.think))
            base_median = None
            columns: list[tuple[str, list[dict]]] = []
            for label, n, nice, think in plan:
                tabs, joins, failures = await open_sessions(browser, base, n)
                loop = IngestLoop(db, OUTPUT / "bench-load-reports", nice) if nice is not None else None
                before, since = meter.sample(), time.time()
                if loop:
                    loop.__enter__()
                try:
                    times, failed = await scenario(tabs, base, pages, args.rounds, think,
                                                   args.steps if n > 1 else None)
                    failures += failed
                finally:
                    if loop:
                        loop.__exit__()
                    after, until = meter.sample(), time.time()
                    for tab in tabs:
                        await tab.context.close()
                if base_median is None:
                    base_median = statistics.median(times["open"] + times["switch"])
                runs = server_runs(read_timings(timings), since, until)
                columns.append((label.replace(" sessions", "").replace(" session", "").replace(",", ""), runs))
                results.append(line(label, times, base_median))
                print(results[-1], flush=True)
                print(f"{'':<{LABEL}} before timing, each session's tab opened ({OPEN_AT_ONCE} at a time, not timed above): "
                      f"first page median {statistics.median(joins) if joins else 0:.2f} s, p95 "
                      f"{p95(joins) if joins else 0:.2f} s", flush=True)
                print(server_line(runs), flush=True)
                print(f"{'':<{LABEL}} {CpuMeter.report(before, after, len(times['open']) + len(times['switch']))}",
                      flush=True)
                if loop:
                    print(f"{'':<{LABEL}} ingest runs (one new generation each): {len(loop.runs)}, median "
                          f"{statistics.median(loop.runs) if loop.runs else 0:.1f} s; errors {len(loop.errors)}",
                          flush=True)
                if failures:
                    print(f"{'':<{LABEL}} {len(failures)} actions did not finish: {failures[:3]}", flush=True)
            await browser.close()
    print("\nserver script run per page (app.py + page, wall ms): median / p95 (runs), per scenario")
    print(page_table(pages, columns))
    print(f"\ntarget: p95 under load within 2× the idle single-session median ({2 * base_median:.2f} s) "
          f"and under 1.5 s; machine load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


ARRIVES_AFTER_S = 0.5  # --server-only: a reader who arrives this long after a publication


def server_side(db: Path, repeat: int, query: dict[str, str] | None = None) -> None:
    """Script run time per page view without a browser (streamlit.testing AppTest in this process), warm and right
    after a new database generation: the same bytes republished (copy + atomic rename, as etl/publish does), so the
    difference is only what a new generation invalidates — the cost every view pays while reports load.

    Both the wall time and the CPU time of the script's thread are taken from the app's own record
    (dashboard/timing.py): on a shared machine the CPU time is the steadier figure."""
    import warnings

    import streamlit.logger
    from streamlit.testing.v1 import AppTest

    os.environ["BUDGET_DB"] = str(db)
    timings = OUTPUT / "bench-load-server-timings.jsonl"
    timings.unlink(missing_ok=True)
    os.environ[TIMINGS_ENV] = str(timings)
    warnings.filterwarnings("ignore")
    rows: list[str] = []
    for page in app_pages():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        streamlit.logger.set_log_level("error")
        if not page.default:
            at.switch_page(page.script)
        at.run()
        warm: list[dict] = []
        fresh: list[dict] = []
        later: list[dict] = []
        for _ in range(repeat):
            at.run()
            warm.append(read_timings(timings)[-1])
            for runs, after in ((fresh, 0.0), (later, ARRIVES_AFTER_S)):
                tmp = db.with_name(db.name + ".republish")
                shutil.copyfile(db, tmp)
                os.replace(tmp, db)
                time.sleep(after)  # the reader arrives this long after the publication (the scenario, not a wait)
                at.run()
                runs.append(read_timings(timings)[-1])
        cells = []
        for runs in (warm, fresh, later):
            cpu = [float(r["cpu_ms"]) for r in runs]
            wall = [float(r["wall_ms"]) for r in runs]
            cells.append(f"{statistics.median(cpu):>10.0f} {p95(cpu):>8.0f} {statistics.median(wall):>11.0f}")
        rows.append(f"{page.title:<8} " + "   ".join(cells))
    shown = " ".join(f"{k}={v}" for k, v in (query or {}).items()) or "the picker's default report"
    print(f"script run per page view (app.py frame + page, AppTest in this process) of {shown}, ms, {repeat} runs "
          f"each, as the app records them ({TIMINGS_ENV}): CPU of the script's thread (median, p95) and wall time "
          f"(median)\nwarm = the same view again; fresh = right after a new database generation; later = "
          f"{ARRIVES_AFTER_S} s after one (the server warms each new generation in the background)")
    print(f"{'page':<8} {'warm CPU':>10} {'p95':>8} {'wall':>11}   {'fresh CPU':>10} {'p95':>8} {'wall':>11}   "
          f"{'later CPU':>10} {'p95':>8} {'wall':>11}")
    print("\n".join(rows))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=2, help="times each session goes round all pages")
    ap.add_argument("--steps", type=int, metavar="K",
                    help="in the N-session scenarios each session opens only K pages per round (each by URL, then "
                         "the next by the sidebar), so a long think time still ends in minutes (default: all)")
    ap.add_argument("--nice", type=int, default=10,
                    help="also run the ingest loop with etl ingest --nice N (0: skip that scenario)")
    ap.add_argument("--think", type=float, default=5.0, metavar="SECONDS",
                    help="N sessions pause 0.5–1.5 × this between actions, like readers (0: back to back stress run)")
    ap.add_argument("--client-nice", type=int, default=10,
                    help="start the client Chromium at this nice level (0: leave it at the benchmark's priority)")
    ap.add_argument("--client-cpus", metavar="LIST",
                    help="pin the client Chromium to these CPUs (taskset list, e.g. 0) and the app server, the ingest "
                         "runs and this script to the others, so one machine plays a reader's computer and a server: "
                         "the ingest's effect on the server is then seen apart from the browsers' own load")
    ap.add_argument("--db", type=Path, help="database to serve, copied under tests/output/ (default: built there fresh)")
    ap.add_argument("--server-only", type=int, metavar="REPEAT", default=0,
                    help="only time script runs without a browser, warm and after each new generation")
    for name in ("unit", "year", "kind"):
        ap.add_argument(f"--{name}", help=f"--server-only: the report to view (URL parameter {name}=)")
    args = ap.parse_args(argv)
    if args.server_only:
        db = OUTPUT / "bench-load-server.duckdb"
        if args.db:  # republished in place by the run: work on a copy
            OUTPUT.mkdir(parents=True, exist_ok=True)
            db.unlink(missing_ok=True)
            shutil.copyfile(args.db, db)
        else:
            build_db(db)
        query = {k: v for k, v in (("unit", args.unit), ("year", args.year), ("kind", args.kind)) if v}
        server_side(db, args.server_only, query)
        return 0
    return asyncio.run(run(args))


if __name__ == "__main__":
    raise SystemExit(main())
