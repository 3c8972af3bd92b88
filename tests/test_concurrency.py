"""Many readers while reports are ingested: zero errors, and every reader sees a whole document set — the one before
an ingest or the one after it, never part of a batch, never part of a document.

Two kinds of readers against one database that `python -m etl ingest` (a subprocess, as an operator runs it)
grows batch by batch:
- 2 headless Chromium tabs on one `streamlit run app.py` (127.0.0.1, free port): concurrent sessions of one
  server sharing its caches and its DuckDB connection — no error on any page, ever, and always the app's frame;
- 2 processes running the app through streamlit.testing AppTest (the real page scripts and dashboard/queries.py),
  each comparing what it is shown with what the database holds — the consistency check. Processes, not threads:
  AppTest keeps one runtime per process, and the test patches nothing of Streamlit's.
Batches: generated text reports (tests/fixtures/reports.py), one of them four reports in one `etl ingest` run (so a
reader must see none or all four), and a re-run of unchanged bytes. The writer publishes the next batch only after
the readers have read the current one (a condition, not a pause); loops are bounded in count and time.

How many readers is a matter of what is being shown, not of load: two sessions are already concurrent (one
server's caches and connection, one file replaced under both), and each reader must see every generation. Load —
twenty sessions, page waits, CPU — is measured by scripts/bench_load.py, not asserted here.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import random
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import pytest

from .fixtures.app_server import APP, AppPage, app_pages, ingest, serve, settled, system_chromium
from .fixtures.reports import REAL_UNIT, write_report
from .samples import YANGQUAN, build_db

READERS = 2  # browser tabs on one server: two sessions already share one server's caches and connection
APP_READERS = 2  # AppTest processes
PAGES = app_pages()
CHECKS_PAGE = next((p for p in PAGES if p.script.endswith("checks.py")), None)
PROBLEM_TEXTS = ("Traceback", "预算数据库无法打开", "尚未找到预算数据库", "数据库中还没有任何预算报告")


@pytest.fixture()
def base_db(tmp_path: Path) -> Path:
    return build_db(tmp_path / "budget.duckdb", [YANGQUAN])


def make_batches(folder: Path, tag: str) -> list[list[Path]]:
    """Ingest batches in order; each batch is one `etl ingest` run, hence one atomic publication."""
    def gen(i: int, year: int = 2023) -> Path:
        return write_report(folder, f"合成并发测试单位{tag}{i}", year=year, tag=f"{tag}{i}-{year}")

    batches = [[gen(1)]]
    batches.append([gen(2), gen(3), gen(3, 2024), gen(4)])  # four reports, one publication
    batches.append([gen(5), gen(1, 2024)])
    batches.append([gen(5)])  # unchanged bytes: a new file generation with the same documents
    return batches


def run_ingests(batches: list[list[Path]], db: Path, done: threading.Event, errors: list[str],
                readers_moved_on: Callable[[int], bool], wait_s: float = 90) -> None:
    """Publish each batch once the readers have read the generation before it (readers_moved_on(generation));
    never waits longer than wait_s for that."""
    try:
        for generation, batch in enumerate(batches):
            deadline = time.monotonic() + wait_s
            while not readers_moved_on(generation) and time.monotonic() < deadline:
                time.sleep(0.1)  # polling a condition
            result = ingest(batch, db, timeout=180)  # one process: the readers, not the parse, are the subject
            if result.returncode != 0:
                errors.append(f"ingest {[p.name for p in batch]} exited {result.returncode}: {result.stderr[-2000:]}")
                return
    finally:
        done.set()


def allowed_unit_sets(db: Path, batches: list[list[Path]]) -> tuple[list[frozenset[str]], dict[tuple[str, str], int]]:
    """The unit lists a reader may see (before any batch, after each) and each final document's check count.

    Documents are only ever added here, so the final database knows every complete document."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        docs = con.execute("SELECT d.doc_id, d.unit_name, d.fiscal_year, d.source_file, "
                           "(SELECT count(*) FROM checks c WHERE c.doc_id = d.doc_id) FROM documents d").fetchall()
    finally:
        con.close()
    by_file = {src: unit for _, unit, _, src, _ in docs}
    sets = [frozenset({REAL_UNIT})]
    for batch in batches:
        sets.append(sets[-1] | {by_file[p.name] for p in batch})
    checks = {(unit, str(year)): n for _, unit, year, _, n in docs}
    return sets, checks


@dataclass
class Seen:
    runs: int = 0
    units: list[frozenset[str]] = field(default_factory=list)
    checked: list[tuple[tuple[str, str], str]] = field(default_factory=list)  # (unit, year), metric value
    errors: list[str] = field(default_factory=list)


def app_reader(db: str, seed: int, seconds: float, max_runs: int, done, runs, out) -> None:
    """One AppTest reader process: random pages until the writer is done (then one last run); what it saw goes
    to `out`, and every finished run counts in the shared `runs`."""
    from streamlit.testing.v1 import AppTest

    os.environ["BUDGET_DB"] = db
    rng = random.Random(seed)
    seen = Seen()
    known: list[str] = [REAL_UNIT]
    deadline = time.monotonic() + seconds
    while seen.runs < max_runs and time.monotonic() < deadline:
        finished = done.is_set()
        page: AppPage = rng.choice(PAGES)
        try:
            at = AppTest.from_file(str(APP), default_timeout=60)
            at.query_params["unit"] = rng.choice(known)
            at.run()
            if not page.default:
                at.switch_page(page.script).run()
        except Exception as exc:  # noqa: BLE001 — every failure is a finding
            seen.errors.append(f"{page.script}: {type(exc).__name__}: {exc}")
            seen.runs += 1
            continue
        seen.runs += 1
        with runs.get_lock():
            runs.value += 1
        seen.errors += [f"{page.script}: {e.value}" for e in at.exception]
        seen.errors += [f"{page.script}: {m.value}" for m in [*at.info, *at.error, *at.warning]
                        if any(t in m.value for t in PROBLEM_TEXTS)]
        units = frozenset(at.sidebar.selectbox[0].options) if at.sidebar.selectbox else frozenset()
        seen.units.append(units)
        if page == CHECKS_PAGE and len(at.sidebar.selectbox) >= 2:
            metric = next((m.value for m in at.metric if m.label == "核对项目"), None)
            if metric is not None:
                seen.checked.append(((at.sidebar.selectbox[0].value, at.sidebar.selectbox[1].value), metric))
        known = sorted(units) or known
        if finished:
            break  # one full run after the last ingest, then stop
    out.put(asdict(seen))


def test_app_readers_see_whole_document_sets_while_ingesting(base_db: Path, tmp_path: Path) -> None:
    batches = make_batches(tmp_path / "reports", "甲")
    ctx = multiprocessing.get_context("spawn")  # a fresh interpreter per reader: nothing of this one is shared
    done, runs, out = ctx.Event(), ctx.Value("i", 0), ctx.Queue()
    readers = [ctx.Process(target=app_reader, args=(str(base_db), i, 150, 60, done, runs, out))
               for i in range(APP_READERS)]
    for r in readers:
        r.start()
    published: list[int] = []  # runs finished when each generation was published

    def moved_on(generation: int) -> bool:
        """A reader finished a run after the current generation was published (it has been read)."""
        if len(published) <= generation:
            published.append(runs.value)
        return runs.value >= published[generation] + 1

    ingest_errors: list[str] = []
    thread_done = threading.Event()
    writer = threading.Thread(target=run_ingests, args=(batches, base_db, thread_done, ingest_errors, moved_on))
    writer.start()
    writer.join(timeout=600)
    done.set()
    seen = Seen()
    try:
        for _ in readers:
            part = out.get(timeout=180)
            seen.runs += part["runs"]
            seen.units += [frozenset(u) for u in part["units"]]
            seen.checked += [(tuple(k), v) for k, v in part["checked"]]
            seen.errors += part["errors"]
    except queue.Empty:
        pytest.fail("an AppTest reader did not report in time")
    finally:
        for r in readers:
            r.join(timeout=30)
            if r.is_alive():
                r.kill()
    assert not writer.is_alive(), "the writer did not finish in time"
    assert not ingest_errors, ingest_errors
    allowed, checks = allowed_unit_sets(base_db, batches)

    assert not seen.errors, seen.errors[:10]
    assert seen.runs >= 2 * APP_READERS
    torn = [sorted(u) for u in seen.units if u not in allowed]
    assert not torn, f"a reader saw a unit list that no publication produced: {torn[:3]}"
    assert len(set(seen.units)) >= 3, "readers did not see the database change several times"
    assert allowed[-1] in seen.units, "readers never saw the final document set"
    wrong = [(k, v, checks.get(k)) for k, v in seen.checked if v != f"{checks.get(k)}项"]
    assert not wrong, f"a page showed part of a document: {wrong[:3]}"
    if CHECKS_PAGE is not None:
        assert seen.checked, "no run of the checks page was compared with its document"


def open_all(tabs, urls: list[str], sync_api, timeout_ms: int = 60_000, loaded: list[int] | None = None,
             titles: list[str] | None = None) -> list[str | None]:
    """Start every tab's load at once (concurrent sessions), then wait until each page has settled with its title
    drawn; returns each tab's main-pane text (None when it did not settle in time). Counts settled pages in
    `loaded` as they come. With `titles`, each tab goes to its page by the sidebar link of that title (a session
    moving on, as a reader does) instead of loading the URL afresh."""
    for k, (tab, url) in enumerate(zip(tabs, urls, strict=True)):
        if titles is None:
            tab.goto(url, wait_until="commit")
        else:
            try:
                tab.locator("[data-testid='stSidebarNav'] a", has_text=titles[k]).first.click(timeout=timeout_ms)
            except sync_api.TimeoutError:  # no sidebar (the last load failed): that is reported below
                pass
    texts: list[str | None] = []
    for k, tab in enumerate(tabs):
        try:
            if titles is not None:  # the heading of the page the link leads to, not the one it left
                tab.locator("[data-testid='stMain'] h1", has_text=titles[k]).first.wait_for(timeout=timeout_ms)
            settled(tab, timeout_ms=timeout_ms, need="[data-testid='stMain'] h1")
            texts.append(tab.locator("[data-testid='stMain']").inner_text())
            if loaded is not None:
                loaded[0] += 1
        except sync_api.TimeoutError:
            texts.append(None)
    return texts


def page_problems(tab, text: str | None) -> list[str]:
    if text is None:
        return ["did not finish loading"]
    found = [t for t in PROBLEM_TEXTS if t in text]
    if tab.locator("[data-testid='stException']").count():
        found.append("exception box")
    if "选择报告" not in tab.locator("[data-testid='stSidebar']").inner_text():
        found.append("page shown without the app's frame (no report picker)")
    return found


@pytest.fixture()
def chromium():
    with system_chromium() as launched:
        yield launched


def test_browser_readers_see_no_errors_while_ingesting(base_db: Path, tmp_path: Path, chromium) -> None:
    sync_api, browser = chromium
    batches = make_batches(tmp_path / "reports", "乙")
    done, ingest_errors, problems = threading.Event(), [], []
    rounds, loaded = [0], [0]  # rounds started; pages settled so far (read by the writer thread)
    published: list[int] = []

    def moved_on(generation: int) -> bool:
        """A page settled after the current generation was published (it has been read)."""
        if len(published) <= generation:
            published.append(loaded[0])
        return loaded[0] >= published[generation] + 1

    log = tmp_path / "streamlit.log"
    with serve(base_db, log) as (base, _):
        context = browser.new_context(viewport={"width": 1100, "height": 800})
        tabs = [context.new_page() for _ in range(READERS)]
        # one visit warms the fresh server (imports, caches) before the others arrive at once; first visitors of deep
        # links on a cold server are the next test's subject
        assert not page_problems(tabs[0], open_all(tabs[:1], [f"{base}/"], sync_api, timeout_ms=120_000)[0])
        writer = threading.Thread(target=run_ingests, args=(batches, base_db, done, ingest_errors, moved_on))
        writer.start()
        deadline = time.monotonic() + 240
        last = False
        while rounds[0] < 12 and time.monotonic() < deadline and not last:
            last = done.is_set()  # the round that starts after the last ingest is the final one
            targets = [PAGES[(i + rounds[0]) % len(PAGES)] for i in range(READERS)]
            rounds[0] += 1
            # odd rounds open the pages by URL (new sessions, deep links), even rounds move on by the sidebar
            titles = [t.title for t in targets] if rounds[0] % 2 == 0 else None
            texts = open_all(tabs, [f"{base}/{t.url_path}" for t in targets], sync_api, timeout_ms=90_000,
                             loaded=loaded, titles=titles)
            for i, (tab, target, text) in enumerate(zip(tabs, targets, texts, strict=True)):
                problems += [f"round {rounds[0]} tab {i} {target.script}: {p}" for p in page_problems(tab, text)]
        writer.join(timeout=120)
        # after the last publication a fresh visit shows the newest unit
        newest = "合成并发测试单位乙5"
        text = open_all(tabs[:1], [f"{base}/?" + urllib.parse.urlencode({"unit": newest})], sync_api)[0]
        context.close()
    assert not ingest_errors, ingest_errors
    assert done.is_set() and rounds[0] >= 2
    assert not problems, problems[:5]
    assert text and newest in text
    assert "Traceback" not in log.read_text(encoding="utf-8"), log.read_text(encoding="utf-8")[-3000:]


def test_concurrent_first_visitors_of_deep_links_get_the_frame(base_db: Path, tmp_path: Path, chromium) -> None:
    sync_api, browser = chromium
    deep = [p for p in PAGES if not p.default][:3]
    with serve(base_db, tmp_path / "streamlit.log") as (base, _):
        context = browser.new_context(viewport={"width": 1100, "height": 800})
        tabs = [context.new_page() for _ in deep]
        texts = open_all(tabs, [f"{base}/{p.url_path}" for p in deep], sync_api, timeout_ms=90_000)
        problems = [f"{p.script}: {q}" for tab, p, t in zip(tabs, deep, texts, strict=True)
                    for q in page_problems(tab, t)]
        context.close()
    assert not problems, problems
