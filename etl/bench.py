"""Benchmark: `python -m etl.bench [FILE] [--repeat N]` (also `budget bench`) — what a user who uploads one report
pays, against the least any PDF reader here must pay.

Both sides are timed as whole processes, started the same way, so imports and start-up count:
  * ingest: `python -m etl ingest FILE --db <a fresh temporary file> --nice 0`;
  * bare:   a script that opens FILE with pdfplumber and calls `page.extract_tables()` on every page.
Runs alternate (bare, ingest, bare, ingest …) after one warm-up of each, so both sides see the same machine; each
side's wall and CPU seconds are printed as min / median / max, then the ratio ingest / bare of the medians and the
median of the run-by-run ratios. Target: ≤ 1.2× (docs: issue "The shape", item 5). By default FILE is the 35-page
万里街道 2023 report of the shared samples. `--per-file PATH…` adds the older in-process table (ingest seconds per
page beside the pdfplumber floor, per file) — slower, so only on request.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples"
PROCESS_FILE = SAMPLES / "shanghai-putuo-wanli-2023-dept-budget.pdf"
DEFAULT_FILES = [ROOT / "data" / "raw", SAMPLES, SAMPLES / "final"]
TARGET = 1.2
BARE_SCRIPT = """
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_tables()
"""


@dataclass(frozen=True)
class Run:
    wall: float  # seconds, start to exit
    cpu: float   # user + system seconds of the child: what a shared machine distorts least
    code: int    # exit status


def timed(cmd: Sequence[str]) -> Run:
    """One child process, timed from outside; its output is discarded (a refusal still times the whole start)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    code = subprocess.run(list(cmd), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Run(wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), code)


def bare_command(path: Path) -> list[str]:
    return [sys.executable, "-c", BARE_SCRIPT, str(path)]


def ingest_command(path: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "etl", "ingest", str(path), "--db", str(db), "--nice", "0"]


def compare(path: Path, runs: int = 5, warmup: int = 1) -> dict[str, list[Run]]:
    """{'bare': runs, 'ingest': runs}, alternating, each ingest into a database file of its own (an unchanged file
    would be skipped, not parsed). Warm-up runs (file cache, first imports) are not kept."""
    out: dict[str, list[Run]] = {"bare": [], "ingest": []}
    with tempfile.TemporaryDirectory(prefix="budget-bench-") as tmp:
        for i in range(warmup + runs):
            bare = timed(bare_command(path))
            db = Path(tmp) / f"run{i}.duckdb"
            ingest = timed(ingest_command(path, db))
            for leftover in Path(tmp).iterdir():  # keeps the disk flat over many runs (the database, its log folder)
                shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
            if i >= warmup:
                out["bare"].append(bare)
                out["ingest"].append(ingest)
    return out


def _spread(values: list[float]) -> str:
    return f"{min(values):6.2f} {statistics.median(values):6.2f} {max(values):6.2f}"


def page_count(path: Path) -> int | None:
    if path.suffix.lower() != ".pdf":
        return None
    import pdfplumber  # only here: the bench's own start-up is not what it measures, but --help stays instant

    try:
        with pdfplumber.open(path) as pdf:
            return len(pdf.pages)
    except Exception:  # noqa: BLE001 — a damaged file still times; it just has no per-page figure
        return None


def bytecode_note() -> str | None:
    """Started with PYTHONDONTWRITEBYTECODE and no cached bytecode for etl/, every ingest compiles etl's sources
    (about 0.1 s) while the bare script's pdfplumber comes compiled from site-packages: say so beside the figures."""
    if not sys.flags.dont_write_bytecode or any((ROOT / "etl" / "__pycache__").glob("pipeline.*.pyc")):
        return None
    return ("note: PYTHONDONTWRITEBYTECODE is set and etl/ has no cached bytecode, so every ingest run also compiles "
            "etl's sources (an installed copy is compiled once)")


def report_process(path: Path, runs: int, warmup: int = 1) -> float:
    """Prints both sides and their ratio; returns the ratio of the medians (wall)."""
    pages = page_count(path)
    print(f"whole process, {path.name}{f' ({pages} pages)' if pages else ''}: {runs} alternating runs per side "
          f"after {warmup} warm-up; seconds min / median / max")
    result = compare(path, runs, warmup)
    bare, ingest = result["bare"], result["ingest"]
    labels = {"bare": "bare pdfplumber script", "ingest": "python -m etl ingest"}
    for side, rs in result.items():
        line = f"  {labels[side]:24} wall {_spread([r.wall for r in rs])}   cpu {_spread([r.cpu for r in rs])}"
        if pages:
            line += f"   {statistics.median(r.wall for r in rs) / pages:.3f} s/page"
        print(line)
    ratios: dict[str, float] = {}
    for what in ("wall", "cpu"):
        b = [getattr(r, what) for r in bare]
        i = [getattr(r, what) for r in ingest]
        ratios[what] = statistics.median(i) / statistics.median(b)
        pairs = statistics.median(x / y for x, y in zip(i, b, strict=True))
        print(f"  ratio ingest / bare, {what:4}: {ratios[what]:.2f} (medians), {pairs:.2f} (median of pairs); "
              f"target ≤ {TARGET:.2f}")
    failed = sorted({r.code for r in ingest if r.code} | {r.code for r in bare if r.code})
    if failed:
        print(f"  note: a run exited with status {', '.join(map(str, failed))} (the file was not loaded or not read); "
              "the figures time that")
    if note := bytecode_note():
        print("  " + note)
    return ratios["wall"]


def floor_seconds(path: Path) -> float:
    """In-process: the pdfplumber pass every reader here pays (open, find and extract every page's tables)."""
    import pdfplumber

    t0 = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
    return time.perf_counter() - t0


def ingest_seconds(path: Path) -> float | None:
    """In-process: one file parsed and written into a fresh database (None: refused by design as a blank template)."""
    from etl.store.ingest import ingest_file
    from etl.store.write import connect

    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "bench.duckdb")
        t0 = time.perf_counter()
        outcome = ingest_file(con, path)
        elapsed = time.perf_counter() - t0
        con.close()
    if outcome.status == "refused" and "模板" in (outcome.message or ""):
        return None  # the blank national 决算 template: refused by design, nothing to time
    if outcome.status != "loaded":
        raise SystemExit(f"{path.name}: {outcome.message}")
    return elapsed


def report_per_file(paths: list[Path], repeat: int) -> None:
    """The in-process table: ingest seconds per page beside the pdfplumber floor, per file (median of `repeat`)."""
    files: list[Path] = []
    for p in paths or DEFAULT_FILES:
        if p.is_dir():
            files += sorted(f for f in p.iterdir() if f.suffix in (".pdf", ".txt"))
        elif p.exists():
            files.append(p)
    seen: set[str] = set()
    files = [f for f in files if not (f.name in seen or seen.add(f.name))]
    print(f"{'file':52} {'pages':>5} {'ingest s':>9} {'s/page':>7} {'floor s/page':>12} {'ratio':>6}")
    ratios = []
    for f in files:
        timings = [ingest_seconds(f) for _ in range(repeat)]
        if None in timings:
            print(f"{f.name:52} refused as a blank template (not timed)")
            continue
        ingest = statistics.median(timings)
        pages = page_count(f)
        if pages:
            floor = statistics.median(floor_seconds(f) for _ in range(repeat))
            ratios.append(ingest / floor)
            print(f"{f.name:52} {pages:5d} {ingest:9.3f} {ingest / pages:7.3f} {floor / pages:12.3f} "
                  f"{ingest / floor:6.2f}")
        else:
            print(f"{f.name:52} {'text':>5} {ingest:9.3f} {'':>7} {'':>12} {'':>6}")
    if ratios:
        print(f"median ratio ingest/floor: {statistics.median(ratios):.2f}; worst {max(ratios):.2f}")


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    """Exit status 0 when the figures were printed (the bench reports, it does not judge); 2 when there is no
    file to time."""
    parser = argparse.ArgumentParser(prog=prog or "python -m etl.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", type=Path, default=None,
                        help=f"the report to time (default: {PROCESS_FILE.name} from {SAMPLES})")
    parser.add_argument("--repeat", "-n", type=int, default=5, help="counted runs of each side (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="runs of each side not counted, first (default 1)")
    parser.add_argument("--per-file", nargs="*", type=Path, metavar="PATH", default=None,
                        help="also the in-process per-file table (no PATH: data/raw and the shared samples)")
    args = parser.parse_args(argv)
    path = args.file or PROCESS_FILE
    if args.per_file is not None:
        report_per_file(args.per_file, args.repeat)
    if not path.exists():
        print(f"whole process: nothing to time ({path} is absent; name a report file)", file=sys.stderr)
        return 2
    report_process(path, max(args.repeat, 1), max(args.warmup, 0))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
