"""Scale benchmark: parse throughput with the process pool (1 and 2 workers) and on a Dask cluster (a LocalCluster
of 1 and 2 worker processes on loopback, the files' bytes shipped to the workers as `etl ingest --dask` does), on
the same files in one run; a 1,000-report database built from the real
samples under generated unit names and years (a test fixture, marked 合成 in every unit name, written under
tests/output/ — never the default database); then, with 1 report (阳泉) and with 1,000, the database size, the
server-side run time of every page script (median and p95, cold and warm caches) and the app's memory
(scripts/bench_pages.py says exactly what is measured).

    python scripts/bench_scale.py [--reports 1000] [--out tests/output/scale-1000.duckdb] [--repeat 15]
                                  [--skip-throughput] [--throughput-only] [--no-dask] [--reuse] [--no-rss]

The pool is started inside each timing (as every `etl ingest` run starts it); a Dask cluster is a long-running
service, so its start is not timed, but its workers' first imports are done before timing.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.pipeline import ParsedReport  # noqa: E402
from etl.store.ingest import _parse  # noqa: E402
from etl.store.write import connect, write_report  # noqa: E402
from scripts import bench_pages  # noqa: E402

SAMPLES = ROOT.parent / "shared" / "samples"


def sample_files() -> list[Path]:
    files = [ROOT / "data" / "raw" / "yangquan-wenlv-2023-unit-budget.txt"]
    files += sorted(SAMPLES.glob("*.pdf"))
    return [f for f in files if f.exists()]


def throughput(files: list[Path], workers: int, rounds: int) -> tuple[float, int]:
    batch = files * rounds
    t0 = time.perf_counter()
    if workers == 1:
        results = [_parse(f, None) for f in batch]
    else:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_parse, batch, [None] * len(batch)))
    elapsed = time.perf_counter() - t0
    pages = sum((r.doc["page_count"] or 0) for r in results if isinstance(r, ParsedReport))
    return elapsed, pages


def dask_throughput(files: list[Path], workers: int, rounds: int) -> tuple[float, int]:
    from distributed import LocalCluster

    from etl.store.distributed import DaskParser, code_version, connect

    batch = files * rounds
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        client = connect(cluster.scheduler_address)
        try:
            client.wait_for_workers(workers, timeout=120)
            client.run(code_version)  # every worker has imported the parsers
            t0 = time.perf_counter()
            results = list(DaskParser(client)(batch))
            elapsed = time.perf_counter() - t0
        finally:
            client.close()
    pages = sum((r.doc["page_count"] or 0) for r in results if isinstance(r, ParsedReport))
    return elapsed, pages


def report_throughput(files: list[Path], rounds: int, dask: bool) -> None:
    n = len(files) * rounds
    runs = [("process pool", w, throughput) for w in (1, 2)]
    runs += [("Dask LocalCluster", w, dask_throughput) for w in (1, 2)] if dask else []
    for label, workers, fn in runs:
        secs, pages = fn(files, workers, rounds)
        print(f"parse throughput, {label}, {workers} worker(s): {n} reports in {secs:.2f} s = {n / secs:.2f} "
              f"reports/s, {pages / secs:.1f} PDF pages/s", flush=True)


def synthetic_copy(report: ParsedReport, i: int) -> ParsedReport:
    """The same parsed rows under a generated unit and year: 200 units × 5 consecutive years for 1,000 reports.

    Unit u (= i // 5) takes all five years from one source report, so every unit has a history (同比变化) and
    a middle year (2024) has all 200 units (单位对比)."""
    r = copy.deepcopy(report)
    unit = f"{report.doc['unit_name']}（合成{i // 5:03d}）"
    year = (report.doc["fiscal_year"] or 2023) - 2 + i % 5
    doc_id = hashlib.sha256(f"{report.doc['doc_id']}:{i}".encode()).hexdigest()[:16]
    r.doc.update(doc_id=doc_id, unit_name=unit, fiscal_year=year, source_file=f"合成-{i:04d}-{report.doc['source_file']}")
    for rows in [r.tables, r.checks, *r.rows.values()]:
        for row in rows:
            row["doc_id"] = doc_id
    return r


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--out", type=Path, default=ROOT / "tests" / "output" / "scale-1000.duckdb")
    ap.add_argument("--repeat", type=int, default=15, help="runs per page for the page timings")
    ap.add_argument("--skip-throughput", action="store_true", help="do not time parsing with 1 and 2 workers")
    ap.add_argument("--throughput-only", action="store_true", help="only time parsing (pool and Dask)")
    ap.add_argument("--no-dask", action="store_true", help="time the process pool only")
    ap.add_argument("--reuse", action="store_true", help="use the database at --out if it exists")
    ap.add_argument("--no-rss", action="store_true", help="do not serve the app to measure its memory")
    args = ap.parse_args()
    if args.out.resolve() == (ROOT / "data" / "budget.duckdb").resolve():
        ap.error("the scale fixture must not overwrite data/budget.duckdb")
    files = sample_files()
    print(f"samples: {len(files)} files; cores: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}")
    if not args.skip_throughput:
        report_throughput(files, args.rounds, not args.no_dask)
    if args.throughput_only:
        return 0
    if not (args.reuse and args.out.exists()):
        build(files, args)
    pages(args)
    return 0


def pages(args: argparse.Namespace) -> None:
    one = bench_pages.yangquan_db()
    small = bench_pages.bench_pages(one, args.repeat, "1 report", {"unit": "阳泉市文化和旅游局", "year": "2023"})
    big = bench_pages.bench_pages(args.out, args.repeat, f"{args.reports} reports",
                                  {"unit": "阳泉市文化和旅游局（合成000）", "year": "2024"})
    if not args.no_rss:
        bench_pages.bench_rss(one, "1 report")
        bench_pages.bench_rss(args.out, f"{args.reports} reports")
    print(f"\ncold p95 at 1 → {args.reports} reports (ms): "
          + "; ".join(f"{Path(p).stem} {small[p]:.0f} → {big[p]:.0f}" for p in big))
    missed = [p for p, ms in big.items() if ms >= bench_pages.TARGET_P95_MS]
    print(f"pages missing p95 < {bench_pages.TARGET_P95_MS} ms at {args.reports} reports: {', '.join(missed) or 'none'}")


def build(files: list[Path], args: argparse.Namespace) -> None:
    parsed = [p for p in (_parse(f, None) for f in files) if isinstance(p, ParsedReport)]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", ".wal"):
        Path(str(args.out) + suffix).unlink(missing_ok=True)
    con = connect(args.out)
    t0 = time.perf_counter()
    for i in range(args.reports):
        write_report(con, synthetic_copy(parsed[(i // 5) % len(parsed)], i))
    con.execute("CHECKPOINT")
    write_secs = time.perf_counter() - t0
    rows = con.execute("SELECT (SELECT count(*) FROM func_lines), (SELECT count(*) FROM checks), "
                       "(SELECT count(*) FROM documents)").fetchall()[0]
    con.close()
    size = args.out.stat().st_size / 2**20
    print(f"wrote {rows[2]} reports ({rows[0]:,} func_lines, {rows[1]:,} checks) in {write_secs:.1f} s "
          f"= {args.reports / write_secs:.1f} reports/s; database {size:.1f} MiB at {args.out}")


if __name__ == "__main__":
    raise SystemExit(main())
