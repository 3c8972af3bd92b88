"""Benchmark: `python -m etl.bench [--repeat N]` — ingest seconds per page beside a bare pdfplumber floor.

The floor is what any PDF reader here must pay: open the file and, on every page, find and extract the tables.
The target is ingest ≤ 1.5× that floor measured in the same run, and a 35-page report under 3 s.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import pdfplumber

from .ingest import ingest_file
from .store import connect

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILES = [ROOT / "data" / "raw"] + [ROOT.parent / "shared" / "samples"]


def floor_seconds(path: Path) -> float:
    t0 = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.find_tables():
                table.extract()
    return time.perf_counter() - t0


def ingest_seconds(path: Path) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "bench.duckdb")
        t0 = time.perf_counter()
        outcome = ingest_file(con, path)
        elapsed = time.perf_counter() - t0
        con.close()
    if outcome.status != "loaded":
        raise SystemExit(f"{path.name}: {outcome.message}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    files: list[Path] = []
    for p in args.paths or DEFAULT_FILES:
        files += sorted(f for f in p.iterdir() if f.suffix in (".pdf", ".txt")) if p.is_dir() else [p]
    seen: set[str] = set()
    files = [f for f in files if not (f.name in seen or seen.add(f.name))]
    print(f"{'file':52} {'pages':>5} {'ingest s':>9} {'s/page':>7} {'floor s/page':>12} {'ratio':>6}")
    ratios = []
    for f in files:
        ingest = statistics.median(ingest_seconds(f) for _ in range(args.repeat))
        if f.suffix == ".pdf":
            with pdfplumber.open(f) as pdf:
                pages = len(pdf.pages)
            floor = statistics.median(floor_seconds(f) for _ in range(args.repeat))
            ratio = ingest / floor
            ratios.append(ratio)
            print(f"{f.name:52} {pages:5d} {ingest:9.3f} {ingest / pages:7.3f} {floor / pages:12.3f} {ratio:6.2f}")
        else:
            print(f"{f.name:52} {'text':>5} {ingest:9.3f} {'':>7} {'':>12} {'':>6}")
    if ratios:
        print(f"median ratio ingest/floor: {statistics.median(ratios):.2f} (target ≤ 1.50); worst {max(ratios):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
