"""Parsing on a Dask cluster (etl/store/distributed.py) gives the database and the per-file lines of a local ingest, and
survives a worker that dies mid-batch, a file that kills its worker every time, and a cluster that is not there.

The cluster is a LocalCluster started here: 2 worker processes on loopback, no dashboard. Its scheduler allows two
worker deaths per task (distributed.scheduler.allowed-failures = 2; the default is 3): the poison-file test needs
three deaths, not four, and the kill test still tolerates one death it did not cause (a slow nanny restart on a
loaded machine).
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from etl.__main__ import main
from etl.store.digest import database_digest
from etl.store.ingest import _parse, ingest_many
from etl.store.publish import writing
from etl.store.write import connect
from tests.samples import SAMPLES, YANGQUAN, needs_samples

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")

pytestmark = needs_samples


def sample_files() -> list[Path]:
    return [YANGQUAN, *sorted(SAMPLES.glob("*.pdf"))]


def wait_for(condition, timeout: float = 120, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


# Parse wrappers run on the workers (imported there by name from this module).
def held_parse(marks: str, path: Path, name: str | None) -> object:
    """Say which worker process started this file, then wait for the test's go-ahead before parsing it."""
    Path(marks, f"{Path(name or path.name).name}.{os.getpid()}.started").touch()
    deadline = time.monotonic() + 300
    while not Path(marks, "go").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return _parse(path, name)


def poison_parse(path: Path, name: str | None) -> object:
    """A parser crash that takes the whole worker process down (as a segfault in a PDF library would)."""
    if "poison" in (name or path.name):
        os._exit(3)
    return _parse(path, name)


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    with dask.config.set({"distributed.scheduler.allowed-failures": 2}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=None) as lc:
            yield lc.scheduler_address


@pytest.fixture(scope="module")
def local_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[str], int]:
    """(database digest, per-file lines, exit code) of the samples ingested locally with the process pool."""
    db = tmp_path_factory.mktemp("local") / "budget.duckdb"
    code, lines = run_cli([*map(str, sample_files()), "--db", str(db), "--workers", "2"])
    return digest_of(db), lines, code


def digest_of(db: Path) -> str:
    con = connect(db, read_only=True)
    try:
        return database_digest(con)
    finally:
        con.close()


def run_cli(argv: list[str]) -> tuple[int, list[str]]:
    """Exit code and the per-file lines of `python -m etl ingest`, the parse time (varies run to run) blanked."""
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["ingest", *argv])
    lines = (out.getvalue() + err.getvalue()).splitlines()
    return code, sorted(re.sub(r"\d+\.\d\d秒$", "…秒", line) for line in lines)


def test_dask_ingest_equals_local_ingest(cluster: str, local_run, tmp_path: Path) -> None:
    digest, lines, code = local_run
    db = tmp_path / "budget.duckdb"
    dask_code, dask_lines = run_cli([*map(str, sample_files()), "--db", str(db), "--dask", cluster])
    assert dask_code == code == 0
    assert dask_lines == lines
    assert len(lines) == len(sample_files()) and all(line.startswith("[已导入]") for line in lines)
    assert digest_of(db) == digest
    con = connect(db, read_only=True)
    names = [r[0] for r in con.execute("SELECT source_file FROM documents ORDER BY source_file").fetchall()]
    con.close()
    assert names == sorted(f.name for f in sample_files())  # the worker's temp path never leaks into the data


def test_dask_from_environment_and_unchanged_rerun(cluster: str, local_run, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """BUDGET_DASK works like --dask; a second run finds every file unchanged and parses nothing."""
    db = tmp_path / "budget.duckdb"
    monkeypatch.setenv("BUDGET_DASK", cluster)
    files = [str(YANGQUAN)]
    assert run_cli([*files, "--db", str(db)])[0] == 0
    before = db.stat().st_mtime_ns
    code, lines = run_cli([*files, "--db", str(db)])
    assert code == 0 and lines == [f"[未变化] {YANGQUAN}: 内容未变，已跳过"]
    assert db.stat().st_mtime_ns == before


def test_worker_killed_mid_batch_each_file_loads_once(cluster: str, local_run, tmp_path: Path) -> None:
    from etl.store.distributed import DaskParser
    from etl.store.distributed import connect as dask_connect

    files = sample_files()
    marks = tmp_path / "marks"
    marks.mkdir()
    db = tmp_path / "budget.duckdb"
    client = dask_connect(cluster)
    outcomes: list = []
    failure: list[BaseException] = []

    def batch() -> None:
        try:
            with writing(db) as con:
                outcomes.extend(ingest_many(con, files, parse_many=DaskParser(client, parse=partial(held_parse,
                                                                                                     str(marks)))))
        except BaseException as exc:  # reported by the test thread
            failure.append(exc)

    writer = threading.Thread(target=batch)
    writer.start()
    try:
        wait_for(lambda: len(list(marks.glob("*.started"))) >= 2, what="both workers to start a file")
        victim = next(marks.glob("*.started"))
        name, pid = victim.name.rsplit(".", 2)[:2]
        os.kill(int(pid), signal.SIGKILL)  # dies holding `name`, before parsing it
    finally:
        (marks / "go").touch()
        writer.join(timeout=600)
        client.close()
    assert not failure, failure
    again = [m for m in marks.glob(f"{name}.*.started") if m != victim]
    assert again, f"{name} was not parsed again after its worker died"
    assert [o.status for o in outcomes] == ["loaded"] * len(files), [o.message for o in outcomes]
    con = connect(db, read_only=True)
    rows = con.execute("SELECT source_file, count(*) FROM documents GROUP BY ALL ORDER BY 1").fetchall()
    con.close()
    assert rows == [(f.name, 1) for f in sorted(files, key=lambda f: f.name)]
    assert digest_of(db) == local_run[0]


def test_file_that_kills_its_worker_every_time_is_refused(cluster: str, tmp_path: Path) -> None:
    from etl.store.distributed import DaskParser
    from etl.store.distributed import connect as dask_connect

    poison = tmp_path / "poison-crash.txt"
    poison.write_text("任意内容", encoding="utf-8")
    db = tmp_path / "budget.duckdb"
    client = dask_connect(cluster)
    try:
        with writing(db) as con:
            outcomes = ingest_many(con, [poison, YANGQUAN], parse_many=DaskParser(client, parse=poison_parse))
    finally:
        client.close()
    assert [o.status for o in outcomes] == ["refused", "loaded"]
    assert "工作进程多次意外退出" in outcomes[0].message and "已放弃重试" in outcomes[0].message
    con = connect(db, read_only=True)
    assert con.execute("SELECT source_file FROM documents").fetchall() == [(YANGQUAN.name,)]
    con.close()


def test_unreachable_cluster_one_line_exit_1_database_unchanged(local_run, tmp_path: Path) -> None:
    import socket

    db = tmp_path / "budget.duckdb"
    run_cli([str(YANGQUAN), "--db", str(db)])
    before = db.read_bytes()
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    code, lines = run_cli([str(SAMPLES / "shanghai-putuo-wanli-2023-dept-budget.pdf"), "--db", str(db),
                           "--dask", f"tcp://127.0.0.1:{port}", "--dask-timeout", "1"])
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith("无法连接 Dask 集群") and "未导入任何文件" in lines[0]
    assert "1秒内无应答" in lines[0]  # the operator's --dask-timeout, not the default
    assert time.monotonic() - started < 30
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["budget.duckdb", "budget.duckdb.lock"]
