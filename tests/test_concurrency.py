"""Many readers while reports are ingested: zero errors, and every reader sees a whole document set — the one before
an ingest or the one after it, never part of a batch, never part of a document.

Two kinds of readers against one database that `python -m etl ingest` (a subprocess, as an operator runs it)
grows batch by batch:
- 10 threads running the app through streamlit.testing AppTest (the real page scripts and dashboard/queries.py in
  one process, sharing its caches and connections as a server's sessions do) — the consistency check;
- 10 headless Chromium pages on `streamlit run app.py` (127.0.0.1, free port) — no error on any page, ever.
Batches: generated text reports (tests/fixtures/reports.py) and, where ../shared/samples exists, the four 上海 PDFs
in one batch (so a reader must see none or all four). Loops are bounded in count and time.
"""

from __future__ import annotations

import random
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from unittest.mock import MagicMock

import duckdb
import pytest
from streamlit import config
from streamlit.components.v2.component_manager import BidiComponentManager
from streamlit.runtime import Runtime
from streamlit.runtime.caching.storage.dummy_cache_storage import MemoryCacheStorageManager
from streamlit.runtime.dataframe_source_manager import DataframeSourceManager
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from .fixtures.app_server import APP, AppPage, app_pages, ingest, serve, system_chromium
from .fixtures.reports import REAL_UNIT, write_report
from .samples import SAMPLES, YANGQUAN

READERS = 10
PAGES = app_pages()
CHECKS_PAGE = next((p for p in PAGES if p.script.endswith("checks.py")), None)
SHANGHAI = sorted(SAMPLES.glob("shanghai-*.pdf"))
PROBLEM_TEXTS = ("Traceback", "预算数据库无法打开", "尚未找到预算数据库", "数据库中还没有任何预算报告")


@pytest.fixture()
def threaded_apptest(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Let AppTest run in several threads at once, sharing one runtime as a server's sessions do.

    AppTest (Streamlit 1.67) installs a mock Runtime as the process-wide singleton at the start of each run and
    clears it at the end, so a second concurrent run loses its runtime mid-script. Here one shared runtime (media
    files, caches) is installed for the whole test and each run's own mock is written to a stand-in class instead.
    Likewise one ScriptCache serves every run, as in the server: AppTest makes a new one per run, and compiling
    the same script in several threads at once trips a CPython 3.11 bug ("AST constructor recursion depth
    mismatch") that the server's shared, locked cache never exposes. And AppTest resets the process-wide
    PagesManager.uses_pages_directory flag at each run start, which would make a concurrent run skip app.py's
    frame; a server sets it once, so the reset is sent to a subclass here. The page scripts, dashboard/ and the
    database code run unchanged."""
    runtime = MagicMock(spec=Runtime)
    runtime.media_file_mgr = MediaFileManager(MemoryMediaFileStorage("/mock/media"))
    runtime.dataframe_source_mgr = DataframeSourceManager()
    runtime.cache_storage_manager = MemoryCacheStorageManager()
    components = BidiComponentManager()
    components.discover_and_register_components(start_file_watching=False)
    runtime.bidi_component_registry = components

    class PerRunRuntime:
        _instance = None

    monkeypatch.setattr(app_test_module, "Runtime", PerRunRuntime)
    scripts = ScriptCache()

    class FlagKeepingPagesManager(PagesManager):
        pass

    monkeypatch.setattr(app_test_module, "PagesManager", FlagKeepingPagesManager)
    monkeypatch.setattr(app_test_module, "ScriptCache", lambda: scripts)
    monkeypatch.setattr(Runtime, "_instance", runtime)
    previous = config.get_option("global.appTest")
    config.set_option("global.appTest", True)  # each run saves and restores this; keep it True throughout
    try:
        yield
    finally:
        config.set_option("global.appTest", previous)


@pytest.fixture()
def base_db(tmp_path: Path) -> Path:
    db = tmp_path / "budget.duckdb"
    result = ingest([YANGQUAN], db)
    assert result.returncode == 0, result.stdout + result.stderr
    return db


def make_batches(folder: Path, tag: str, with_pdfs: bool) -> list[list[Path]]:
    """Ingest batches in order; each batch is one `etl ingest` run, hence one atomic publication."""
    def gen(i: int, year: int = 2023) -> Path:
        return write_report(folder, f"合成并发测试单位{tag}{i}", year=year, tag=f"{tag}{i}-{year}")

    batches = [[gen(1)]]
    batches.append(SHANGHAI if with_pdfs and SHANGHAI else [gen(2), gen(3), gen(3, 2024), gen(4)])
    batches.append([gen(5), gen(1, 2024)])
    batches.append([gen(5)])  # unchanged bytes: a new file generation with the same documents
    return batches


def run_ingests(batches: list[list[Path]], db: Path, done: threading.Event, errors: list[str],
                pause: float = 1.0) -> None:
    try:
        for i, batch in enumerate(batches):
            time.sleep(pause * (3 if i == 0 else 1))  # let readers run on each generation, the first one too
            result = ingest(batch, db, timeout=180)
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


def app_reader(db_done: threading.Event, seen: Seen, lock: threading.Lock, seed: int, deadline: float,
               max_runs: int) -> None:
    rng = random.Random(seed)
    known: list[str] = [REAL_UNIT]
    runs = 0
    while runs < max_runs and time.monotonic() < deadline:
        finished = db_done.is_set()
        page: AppPage = rng.choice(PAGES)
        try:
            at = AppTest.from_file(str(APP), default_timeout=60)
            at.query_params["unit"] = rng.choice(known)
            at.run()
            if not page.default:
                at.switch_page(page.script).run()
        except Exception as exc:  # noqa: BLE001 — every failure is a finding
            with lock:
                seen.errors.append(f"{page.script}: {type(exc).__name__}: {exc}")
            runs += 1
            continue
        runs += 1
        problems = [str(e.value) for e in at.exception]
        problems += [m.value for m in [*at.info, *at.error, *at.warning] if any(t in m.value for t in PROBLEM_TEXTS)]
        units = frozenset(at.sidebar.selectbox[0].options) if at.sidebar.selectbox else frozenset()
        metric = None
        if page == CHECKS_PAGE and len(at.sidebar.selectbox) >= 2:
            metric = next((m.value for m in at.metric if m.label == "核对项目"), None)
            key = (at.sidebar.selectbox[0].value, at.sidebar.selectbox[1].value)
        with lock:
            seen.runs += 1
            seen.errors += [f"{page.script}: {p}" for p in problems]
            seen.units.append(units)
            if metric is not None:
                seen.checked.append((key, metric))
        known = sorted(units) or known
        if finished:
            break  # one full run after the last ingest, then stop


def test_app_readers_see_whole_document_sets_while_ingesting(base_db: Path, tmp_path: Path, threaded_apptest,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUDGET_DB", str(base_db))
    batches = make_batches(tmp_path / "reports", "甲", with_pdfs=True)
    done, lock, seen, ingest_errors = threading.Event(), threading.Lock(), Seen(), []
    deadline = time.monotonic() + 100
    writer = threading.Thread(target=run_ingests, args=(batches, base_db, done, ingest_errors))
    readers = [threading.Thread(target=app_reader, args=(done, seen, lock, i, deadline, 60)) for i in range(READERS)]
    for t in [writer, *readers]:
        t.start()
    for t in [writer, *readers]:
        t.join(timeout=150)
    assert not any(t.is_alive() for t in [writer, *readers]), "readers or writer did not finish in time"
    assert not ingest_errors, ingest_errors
    assert done.is_set()
    allowed, checks = allowed_unit_sets(base_db, batches)

    assert not seen.errors, seen.errors[:10]
    assert seen.runs >= 2 * READERS
    torn = [sorted(u) for u in seen.units if u not in allowed]
    assert not torn, f"a reader saw a unit list that no publication produced: {torn[:3]}"
    assert len(set(seen.units)) >= 3, "readers did not see the database change several times"
    assert seen.units[-1] == allowed[-1] or allowed[-1] in seen.units, "readers never saw the final document set"
    wrong = [(k, v, checks.get(k)) for k, v in seen.checked if v != f"{checks.get(k)}项"]
    assert not wrong, f"a page showed part of a document: {wrong[:3]}"
    if CHECKS_PAGE is not None:
        assert seen.checked, "no run of the checks page was compared with its document"


def open_all(tabs, urls: list[str], sync_api, timeout_ms: int = 60_000, title_ms: int = 60_000) -> list[str | None]:
    """Start every tab's load at once (concurrent sessions), then wait until each page's script run has finished;
    returns each tab's main-pane text (None when it did not finish in time)."""
    for tab, url in zip(tabs, urls, strict=True):
        tab.goto(url, wait_until="commit")
    texts: list[str | None] = []
    for tab in tabs:
        try:
            tab.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms)
            tab.locator("[data-testid='stMain'] h1").first.wait_for(timeout=title_ms)
            texts.append(tab.locator("[data-testid='stMain']").inner_text())
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
    batches = make_batches(tmp_path / "reports", "乙", with_pdfs=False)
    done, ingest_errors, problems = threading.Event(), [], []
    rounds = 0
    log = tmp_path / "streamlit.log"
    with serve(base_db, log) as (base, _):
        context = browser.new_context(viewport={"width": 1100, "height": 800})
        tabs = [context.new_page() for _ in range(READERS)]
        # the first visitor of a fresh server opens the root (see the deep-link test below for why)
        assert not page_problems(tabs[0], open_all(tabs[:1], [f"{base}/"], sync_api)[0])
        writer = threading.Thread(target=run_ingests, args=(batches, base_db, done, ingest_errors, 2.0))
        writer.start()
        deadline = time.monotonic() + 75
        last = False
        while rounds < 6 and time.monotonic() < deadline and not last:
            last = done.is_set()  # the round that starts after the last ingest is the final one
            rounds += 1
            targets = [PAGES[(i + rounds) % len(PAGES)] for i in range(READERS)]
            texts = open_all(tabs, [f"{base}/{t.url_path}" for t in targets], sync_api)
            for i, (tab, target, text) in enumerate(zip(tabs, targets, texts, strict=True)):
                problems += [f"round {rounds} tab {i} {target.script}: {p}" for p in page_problems(tab, text)]
        writer.join(timeout=120)
        # after the last publication a fresh visit shows the newest unit
        newest = "合成并发测试单位乙5"
        text = open_all(tabs[:1], [f"{base}/?" + urllib.parse.urlencode({"unit": newest})], sync_api)[0]
        context.close()
    assert not ingest_errors, ingest_errors
    assert done.is_set() and rounds >= 2
    assert not problems, problems[:5]
    assert text and newest in text
    assert "Traceback" not in log.read_text(encoding="utf-8"), log.read_text(encoding="utf-8")[-3000:]


def test_concurrent_first_visitors_of_deep_links_get_the_frame(base_db: Path, tmp_path: Path, chromium) -> None:
    sync_api, browser = chromium
    deep = [p for p in PAGES if not p.default][:3]
    with serve(base_db, tmp_path / "streamlit.log") as (base, _):
        context = browser.new_context(viewport={"width": 1100, "height": 800})
        tabs = [context.new_page() for _ in deep]
        texts = open_all(tabs, [f"{base}/{p.url_path}" for p in deep], sync_api, timeout_ms=30_000, title_ms=2_000)
        problems = [f"{p.script}: {q}" for tab, p, t in zip(tabs, deep, texts, strict=True)
                    for q in page_problems(tab, t)]
        context.close()
    assert not problems, problems
