"""Page benchmark: server-side run time of every page script, PNG export time, and the app's memory.

    python scripts/bench_pages.py [--db FILE] [--repeat 15] [--png] [--rss] [--briefing]

What is measured, per page (pages discovered from app.py's st.navigation list):
- one script run = what the server does for a page view: app.py's frame (picker) plus the page script, queries,
  pandas and figure building, timed around streamlit.testing AppTest.run() in this process (no browser, no
  websocket, no rendering; AppTest's own bookkeeping is included, so these are upper bounds for the script);
- cold: st.cache_data cleared before every run, as on the first view of a report after an ingest (a new database
  generation invalidates every cached query); warm: the same view again (cached queries), as for later visitors.
Median and p95 over --repeat runs. --briefing: one click of 生成简报（Word）/生成汇报（PPT） (content, charts through
the warm renderer, file writing), up to 5 runs. --png: dashboard/export/png.py through kaleido and the system
Chromium, cold (first call starts the browser) and warm (the browser kept running). --rss: `streamlit run app.py` on 127.0.0.1,
every page opened once in headless Chromium, then the resident memory of the server process (and, separately, of
its child processes: kaleido's Chromium).

With no --db the 阳泉 database is built from data/raw into tests/output/bench-yangquan.duckdb (never the default
database).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fixtures.app_server import APP, CHROMIUM, CHROMIUM_ARGS, AppPage, app_pages, serve  # noqa: E402

OUTPUT = ROOT / "tests" / "output"
TARGET_P95_MS = 300
TARGET_RSS_MB = 500
TARGET_BRIEFING_S = 5.0


def quiet_streamlit() -> None:
    """AppTest outside a server logs 'missing ScriptRunContext' and 'No runtime found' on every run. Call after a
    first run: parsing the config on that run resets the level."""
    warnings.filterwarnings("ignore")
    import streamlit.logger

    streamlit.logger.set_log_level("error")


def yangquan_db() -> Path:
    db = OUTPUT / "bench-yangquan.duckdb"
    db.unlink(missing_ok=True)  # rebuilt each run (≈ 1 s), so it always reflects the current ETL
    OUTPUT.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "etl", "ingest", str(ROOT / "data" / "raw"), "--db", str(db)],
                   cwd=ROOT, check=True, capture_output=True)
    return db


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def time_page(page: AppPage, repeat: int, query: dict[str, str]) -> tuple[list[float], list[float], list[str]]:
    """(cold seconds, warm seconds, exceptions) for repeat runs of one page."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    quiet_streamlit()
    if not page.default:
        at.switch_page(page.script)
    at.run()  # lands on the page; compiles and imports everything once
    cold, warm, errors = [], [], []
    for _ in range(repeat):
        st.cache_data.clear()
        t0 = time.perf_counter()
        at.run()
        cold.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t0)
        errors += [str(e.value)[:200] for e in at.exception]
    return cold, warm, errors


def bench_pages(db: Path, repeat: int, label: str, query: dict[str, str] | None = None) -> dict[str, float]:
    """Print one line per page; return each page's cold p95 in ms."""
    os.environ["BUDGET_DB"] = str(db)
    import streamlit as st

    st.cache_resource.clear()  # a new database: new connection, as a server would open
    from streamlit.testing.v1 import AppTest

    AppTest.from_file(str(APP), default_timeout=120).run()  # parses the config (and says so once); then quiet
    quiet_streamlit()
    size = db.stat().st_size / 2**20
    shown = " ".join(f"{k}={v}" for k, v in (query or {}).items()) or "the picker's default report"
    print(f"\n[{label}] {db.name}: {size:.1f} MiB; viewing {shown}; page script run time (app.py frame + page), "
          f"{repeat} runs each, ms")
    print(f"{'page':24} {'cold median':>11} {'cold p95':>9} {'warm median':>11} {'warm p95':>9}  target p95 < "
          f"{TARGET_P95_MS} ms")
    result = {}
    for page in app_pages():
        cold, warm, errors = time_page(page, repeat, query or {})
        ms = [1000 * statistics.median(cold), 1000 * p95(cold), 1000 * statistics.median(warm), 1000 * p95(warm)]
        flag = "ok" if ms[1] < TARGET_P95_MS else "MISSES TARGET (cold)"
        print(f"{page.script:24} {ms[0]:11.0f} {ms[1]:9.0f} {ms[2]:11.0f} {ms[3]:9.0f}  {flag}"
              + (f"  ERRORS: {errors[:2]}" if errors else ""))
        result[page.script] = ms[1]
    return result


def bench_png(db: Path, repeat: int) -> None:
    """kaleido through the system Chromium: the first call starts the browser, later ones reuse it."""
    import duckdb

    from dashboard import charts
    from dashboard.charts import ChartContext
    from dashboard.export import png

    con = duckdb.connect(str(db), read_only=True)
    unit, year, doc = con.execute("SELECT unit_name, fiscal_year, doc_id FROM documents ORDER BY unit_name, "
                                  "fiscal_year LIMIT 1").fetchall()[0]
    rows = con.execute("SELECT name, amount_yuan FROM func_lines WHERE doc_id = ? AND table_kind = 'expenditure' "
                       "AND measure = 'total' AND length(code) = 7 ORDER BY amount_yuan DESC", [doc]).fetchall()
    con.close()
    ctx = ChartContext(unit=unit, year=year, source="资料来源：基准测试")
    fig = charts.ranked_bar([r[0] for r in rows], [float(r[1]) for r in rows], ctx, "支出最多的科目（项）")
    t0 = time.perf_counter()
    image = png.figure_png(fig)
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        png.figure_png(fig)
        warm.append(time.perf_counter() - t0)
    print(f"\nPNG export (dashboard/export/png.py, {len(rows)}-bar chart, {len(image) // 1024} KiB at 2x): "
          f"cold {cold:.2f} s (starts Chromium); warm median {statistics.median(warm):.3f} s, p95 {p95(warm):.3f} s "
          f"over {repeat} (target warm < 0.5 s)")


def bench_briefing(db: Path, repeat: int, unit: str | None, year: str | None) -> None:
    """简报 downloads (dashboard/export/: content, word, slides): content from the cached queries, charts through the
    warm kaleido browser, then python-docx / python-pptx — what one click of 生成简报（Word） / 生成汇报（PPT） costs the
    server."""
    os.environ["BUDGET_DB"] = str(db)
    import streamlit as st

    from dashboard import briefing, queries
    from dashboard.export import content as briefing_content
    from dashboard.export import png, slides, word

    st.cache_resource.clear()
    sel, _ = briefing.select(unit or str(queries.documents()["unit_name"].iloc[0]),
                             int(year) if year else None)
    t0 = time.perf_counter()
    png.figure_png(briefing_content.build(sel).charts[0].figure, scale=1, width=200)  # starts the browser
    start = time.perf_counter() - t0
    print(f"\n简报 of {sel.unit_name} {sel.fiscal_year}: renderer start {start:.2f} s (once per process, off the "
          f"request path in the app); then per click, {repeat} runs, s (target warm docx < {TARGET_BRIEFING_S:.0f} s)")
    print(f"{'file':6} {'content cold':>12} {'content warm':>12} {'charts':>7} {'write':>6} {'total median':>12} "
          f"{'total max':>9}")
    for kind, width, write in (("docx", word.DOC_CHART_WIDTH, word.to_docx),
                               ("pptx", slides.SLIDE_CHART_WIDTH, slides.to_pptx)):
        cold, warm, render, written, total = [], [], [], [], []
        for _ in range(repeat):
            st.cache_data.clear()
            t0 = time.perf_counter()
            briefing_content.build(sel)
            cold.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            content = briefing_content.build(sel)
            t1 = time.perf_counter()
            images = briefing_content.render_charts(content, width)
            t2 = time.perf_counter()
            data = write(content, images)
            t3 = time.perf_counter()
            warm.append(t1 - t0)
            render.append(t2 - t1)
            written.append(t3 - t2)
            total.append(t3 - t0)
        flag = "ok" if kind == "pptx" or statistics.median(total) < TARGET_BRIEFING_S else "MISSES TARGET"
        print(f"{kind:6} {statistics.median(cold):12.2f} {statistics.median(warm):12.2f} "
              f"{statistics.median(render):7.2f} {statistics.median(written):6.2f} {statistics.median(total):12.2f} "
              f"{max(total):9.2f}  {len(content.charts)} charts, {len(data) // 1024} KiB  {flag}")


def _mem_mb(pid: int) -> tuple[float, float, float]:
    """(RSS, peak RSS, PSS) in MB; PSS splits shared pages between processes, so Chromium's can be summed."""
    fields = {}
    for name in ("status", "smaps_rollup"):
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            key, _, value = line.partition(":")
            fields.setdefault(key, value.strip())
    return tuple(int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM", "Pss"))  # type: ignore[return-value]


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in map(int, children):
            out += [child, *_children(child)]
    return out


def bench_rss(db: Path, label: str) -> float:
    """Serve the app, open every page once in Chromium, and report the server's memory."""
    from playwright.sync_api import sync_playwright

    with serve(db, OUTPUT / "bench-streamlit.log") as (base, proc), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            peaks = []
            for app_page in app_pages():
                page.goto(f"{base}/{app_page.url_path}")
                page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=120_000)
                page.locator("[data-testid='stMain'] h1").first.wait_for(timeout=120_000)
                peaks.append(f"{Path(app_page.script).stem} {_mem_mb(proc.pid)[1]:.0f}")
            time.sleep(2)
            rss, peak, _ = _mem_mb(proc.pid)
            kids, count = 0.0, 0
            for child in _children(proc.pid):
                try:
                    kids += _mem_mb(child)[2]
                    count += 1
                except (FileNotFoundError, KeyError, ProcessLookupError):
                    pass
        finally:
            browser.close()
    print(f"\n[{label}] app memory after opening every page once: server process RSS {rss:.0f} MB (peak {peak:.0f} MB; "
          f"target < {TARGET_RSS_MB} MB); its {count} child processes (kaleido's Chromium for PNG export) "
          f"{kids:.0f} MB proportional set size together\n    peak RSS after each page (MB): {'; '.join(peaks)}")
    return rss


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, help="database to read (default: the 阳泉 report, built under tests/output/)")
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--unit", help="unit to view (URL parameter unit=); default 阳泉 for the default database")
    ap.add_argument("--year", help="year to view (URL parameter year=)")
    ap.add_argument("--png", action="store_true", help="also time PNG export cold and warm")
    ap.add_argument("--rss", action="store_true", help="also serve the app and measure its memory")
    ap.add_argument("--briefing", action="store_true", help="also time the Word/PPT 简报 downloads")
    args = ap.parse_args(argv)
    db = args.db or yangquan_db()
    label = "阳泉" if args.db is None else db.stem
    if args.png:  # first: the app frame warms kaleido's browser, which would hide the cold start
        bench_png(db, args.repeat)
    query = {"unit": args.unit or ("阳泉市文化和旅游局" if args.db is None else None), "year": args.year}
    bench_pages(db, args.repeat, label, {k: v for k, v in query.items() if v})
    if args.briefing:
        bench_briefing(db, min(args.repeat, 5), query.get("unit"), args.year)
    if args.rss:
        bench_rss(db, label)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
