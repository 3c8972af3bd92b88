"""Benchmark of the district 检查表 run (`etl review --year N --out DIR`): N reports, one sheet each with its
pictures, and 汇总.xlsx — the spring's work of a district finance bureau. The target is 100 reports in under two
minutes on 2 cores once the database is loaded.

    python scripts/bench_review.py [--reports 100] [--workers 2] [--out DIR] [--keep]

The database is built first (not timed): the real samples are parsed once each and written N times over by the
ETL's own writer (etl.store.write.write_report), each copy under another unit name and the same year, so the run
sees N distinct reports whose files (the samples, found by sha256 in the samples folder) are at hand. Then the
district run is timed as the command runs it: reading every report's checks, drawing every problem's page in the
worker processes, writing the sheets and the summary, moving the folder into place.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLES = ROOT.parent / "shared" / "samples"
YEAR = 2026


def sample_files() -> list[Path]:
    """Every sample report there is: the budgets, the 决算 (not the blank template) and the 阳泉 text."""
    files = sorted(SAMPLES.glob("*.pdf")) + sorted((SAMPLES / "final").glob("shanghai-*.pdf"))
    text = SAMPLES / "yangquan-wenlv-2023-unit-budget.txt"
    return files + ([text] if text.exists() else [])


def renamed(report: object, i: int) -> object:
    """A parsed report as another unit's report of YEAR: a new doc_id on every row, the same file (sha256)."""
    r = copy.deepcopy(report)
    doc = r.doc  # type: ignore[attr-defined]
    doc_id = hashlib.sha256(f"{doc['doc_id']}:review:{i}".encode()).hexdigest()[:16]
    doc.update(doc_id=doc_id, unit_name=f"{doc['unit_name']}（检查{i:03d}）", fiscal_year=YEAR)
    doc.pop("unit_key", None)  # the writer keys the new name
    for rows in [r.tables, r.checks, *r.rows.values()]:  # type: ignore[attr-defined]
        for row in rows:
            row["doc_id"] = doc_id
    return r


def build(db: Path, n: int, workers: int) -> None:
    from etl.pipeline import parse_report
    from etl.store.write import connect, write_report

    files = sample_files()
    if not files:
        sys.exit(f"no sample reports in {SAMPLES}")
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        parsed = [p for p in pool.map(parse_report, files) if not p.errors]
    t1 = time.perf_counter()
    con = connect(db)
    try:
        for i in range(n):
            write_report(con, renamed(parsed[i % len(parsed)], i))
        con.execute("CHECKPOINT")
    finally:
        con.close()
    print(f"database: {n} reports from {len(parsed)} samples (parsed in {t1 - t0:.1f} s, written in "
          f"{time.perf_counter() - t1:.1f} s) at {db}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=100)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, help="folder for the database and the sheets (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the database and the sheets")
    args = ap.parse_args(argv)

    import streamlit.logger

    streamlit.logger.set_log_level("error")
    import duckdb

    from dashboard.export.review import district

    work = args.out or Path(tempfile.mkdtemp(prefix="bench-review-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "review.duckdb"
    db.unlink(missing_ok=True)
    out = work / "检查表"
    shutil.rmtree(out, ignore_errors=True)
    try:
        build(db, args.reports, args.workers)
        con = duckdb.connect(str(db), read_only=True)
        t0 = time.perf_counter()
        written = district(con, db, YEAR, out, search=[SAMPLES], progress=False, workers=args.workers)
        seconds = time.perf_counter() - t0
        con.close()
        problems = sum(w.total for w in written)
        pictures = sum(1 for _ in out.glob("*.xlsx"))
        print(f"district run: {len(written)} reports ({problems} problems, {pictures} files) in {seconds:.1f} s "
              f"with {args.workers} workers = {len(written) / seconds:.2f} reports/s")
        print(f"target: {args.reports} reports in under 120 s — {'met' if seconds < 120 else 'NOT met'}")
    finally:
        if not args.keep and args.out is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
