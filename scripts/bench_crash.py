"""How a killed ingest costs the next one: for each moment of an ingest's life, kill it (SIGKILL) there and print how
long its processes took to go and how long the next ingest took, beside a normal ingest of the same batch.

    python scripts/bench_crash.py [--rounds 3]

The batch is two generated text reports added to a database holding the shipped 阳泉 report, parsed by two workers.
Moments are reached exactly through etl.store.publish.pause_point (BUDGET_TEST_PAUSE). Figures are medians; on a shared
machine compare them with the normal ingest's, not with absolute expectations.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.fixtures.reports import write_report  # noqa: E402

POINTS = ["locked", "copying", "copied", "parsing", "writing", "publishing", "published"]
RAW = REPO / "data" / "raw"


def processes_with(token: bytes) -> set[int]:
    found = set()
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if token in Path(entry.path, "environ").read_bytes():
                    if Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X"):
                        found.add(int(entry.name))
            except OSError:
                continue
    return found


def ingest(batch: list[Path], db: Path, env: dict[str, str] | None = None) -> float:
    started = time.monotonic()
    res = subprocess.run([sys.executable, "-m", "etl", "ingest", *map(str, batch), "--db", str(db), "--workers", "2"],
                         cwd=REPO, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if res.returncode != 0:
        raise SystemExit(f"ingest failed: {res.stderr}")
    return time.monotonic() - started


def kill_at(point: str, batch: list[Path], db: Path, folder: Path) -> tuple[float, int, float]:
    """(seconds until every process of the killed ingest was gone, how many there were, next ingest's seconds)."""
    marker = folder / f"m-{point}-{time.monotonic_ns()}"
    proc = subprocess.Popen([sys.executable, "-m", "etl", "ingest", *map(str, batch), "--db", str(db), "--workers",
                             "2"], cwd=REPO, env={**os.environ, "BUDGET_TEST_PAUSE": f"{point}={marker}"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not (marker.exists() and marker.read_text()):
        time.sleep(0.01)
    token = str(marker).encode()
    if point in ("parsing", "writing"):
        deadline = time.monotonic() + 30
        while len(processes_with(token)) < 4 and time.monotonic() < deadline:
            time.sleep(0.01)
    family = len(processes_with(token))
    proc.send_signal(signal.SIGKILL)
    killed = time.monotonic()
    proc.wait()
    while processes_with(token):
        time.sleep(0.005)
    gone = time.monotonic() - killed
    return gone, family, ingest(batch, db)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-crash-"))
    try:
        base = folder / "base.duckdb"
        ingest([*sorted(RAW.glob("*.txt"))], base)
        batch = [write_report(folder / "in", f"合成崩溃测试单位{i}", tag=f"crash{i}") for i in (1, 2)]
        normal = []
        for _ in range(args.rounds):
            db = folder / "normal.duckdb"
            shutil.copy(base, db)
            normal.append(ingest(batch, db))
        print(f"normal ingest of the batch: median {statistics.median(normal):.2f} s over {args.rounds}")
        print(f"{'killed at':<12}{'processes':>10}{'all gone after':>16}{'next ingest':>13}{'× normal':>10}")
        for point in POINTS:
            rows = []
            for _ in range(args.rounds):
                db = folder / f"{point}.duckdb"
                shutil.copy(base, db)
                rows.append(kill_at(point, batch, db, folder))
            gone = statistics.median(r[0] for r in rows)
            nxt = statistics.median(r[2] for r in rows)
            print(f"{point:<12}{max(r[1] for r in rows):>10}{gone * 1000:>13.0f} ms{nxt:>11.2f} s"
                  f"{nxt / statistics.median(normal):>10.2f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
