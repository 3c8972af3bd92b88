"""docs/scaling.md's Dask deployment, run as written: the project installed (not the checkout), then `dask scheduler`
and `dask worker` started from a folder outside the checkout with no PYTHONPATH pointing into it.

tests/test_distributed.py's LocalCluster shares the test's sys.path, so it passed while a real cluster refused every
file (its scheduler unpickles each task and could not import etl). Here the project is installed non-editable with
`pip install --no-deps --no-build-isolation --target` into a temporary folder — from a copy of its sources, so the
build leaves nothing in the checkout, and without build isolation, so nothing is downloaded at test time — and that
folder is the only place the scheduler and the worker can import etl from (asserted in both). The client is
`python -m etl ingest --dask` in the checkout, as on the writer's host, so its version check also holds that an
installed copy has the checkout's code_version. Everything listens on loopback with ports the system picks, and
every wait has a deadline.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from etl.store.digest import database_digest
from etl.store.write import connect
from tests.samples import ROOT, SAMPLES, YANGQUAN, build_db, needs_samples

distributed = pytest.importorskip("distributed")

PACKAGES = ("etl", "dashboard")
FILES = [YANGQUAN, SAMPLES / "shanghai-putuo-welfare-home-2024-unit-budget.pdf"]
START = 90.0  # seconds for a scheduler or worker to come up on a loaded 2-core machine
INGEST = 240.0  # seconds for the two-file ingest through the cluster


def wait_for(what: str, ready: Callable[[], bool], procs: list[subprocess.Popen], timeout: float = START) -> None:
    """Poll ready() until it holds; fail at the deadline, or at once if a process it depends on has exited."""
    deadline = time.monotonic() + timeout
    while not ready():
        for proc in procs:
            if proc.poll() is not None:
                raise AssertionError(f"{what}: {' '.join(map(str, proc.args))} exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


def dask_command() -> list[str]:
    """The `dask` command of this environment (beside the interpreter), as an operator types it."""
    script = Path(sys.executable).with_name("dask")
    return [str(script)] if script.exists() else [sys.executable, "-m", "dask"]


def shipped_files(source: Path) -> set[str]:
    """What `pip install .` of source must put in place: every module (new ones included) and every file of the
    packages that git tracks in the checkout (data files too), caches aside."""
    files = {f.relative_to(source).as_posix() for p in PACKAGES for f in (source / p).rglob("*.py")
             if "__pycache__" not in f.parts}
    git = shutil.which("git")
    if git:
        listed = subprocess.run([git, "ls-files", "-z", *PACKAGES], cwd=ROOT, capture_output=True, timeout=60)
        if listed.returncode == 0:
            files |= {name for name in listed.stdout.decode().split("\0") if name and (source / name).is_file()}
    return files


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A non-editable install of the project (packages and the `budget` script) in DIR/site, from its sources
    copied to DIR/source (the checkout as it was then: others may be editing it while the tests run)."""
    assert importlib.util.find_spec("setuptools"), "the build backend setuptools is missing: run scripts/setup.sh"
    base = tmp_path_factory.mktemp("install")
    source, target = base / "source", base / "site"
    source.mkdir()
    shutil.copy2(ROOT / "pyproject.toml", source)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index",
                           "--disable-pip-version-check", "--quiet", "--target", str(target), str(source)],
                          cwd=base, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return target


def outside_env(site: Path | None) -> dict[str, str]:
    """The environment of a cluster process: PYTHONPATH is the installed copy only (or unset), nothing the test run
    or a developer's shell put there."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("DASK_")}
    if site is not None:
        env["PYTHONPATH"] = str(site)
    env["PYTHONNOUSERSITE"] = "1"
    return env


class Processes:
    """Processes started by one test, each in its own session, ended (SIGTERM, then SIGKILL) in reverse order."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.procs: list[subprocess.Popen] = []

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen:
        with open(self.folder / f"{name}.log", "wb") as log:  # the child keeps its own descriptor
            proc = subprocess.Popen(argv, cwd=self.folder, env=env, stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        self.procs.append(proc)
        return proc

    def stop(self) -> None:
        for proc in reversed(self.procs):
            for sig, grace in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
                if proc.poll() is not None:
                    break
                try:
                    os.killpg(proc.pid, sig)  # the process and its children (a worker's nanny starts one)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(timeout=grace)
                except subprocess.TimeoutExpired:
                    continue
        self.procs.clear()

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in self.folder.glob("*.log"))


@pytest.fixture
def processes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Processes]:
    """The cluster's working folder: a temporary one, outside the checkout."""
    folder = tmp_path_factory.mktemp("cluster")
    assert ROOT not in folder.parents
    procs = Processes(folder)
    try:
        yield procs
    finally:
        procs.stop()


def start_scheduler(procs: Processes, site: Path | None) -> str:
    """`dask scheduler` on loopback at a port the system picks; its address, read from its scheduler file."""
    info = procs.folder / "scheduler.json"
    proc = procs.start("scheduler", [*dask_command(), "scheduler", "--host", "127.0.0.1", "--port", "0",
                                     "--no-dashboard", "--scheduler-file", str(info)], outside_env(site))
    wait_for("the scheduler's address", lambda: info.exists() and info.stat().st_size > 0, [proc])
    deadline = time.monotonic() + START
    while True:  # written in one go, but read it as JSON only once it parses
        try:
            return json.loads(info.read_text())["address"]
        except (ValueError, KeyError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def ingest(files: list[Path], db: Path, address: str) -> subprocess.CompletedProcess:
    """`python -m etl ingest … --dask ADDRESS` in the checkout, as the writer's host runs it."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([sys.executable, "-m", "etl", "ingest", *map(str, files), "--db", str(db),
                           "--dask", address, "--dask-timeout", "60"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=INGEST)


def digest_of(db: Path) -> str:
    con = connect(db, read_only=True)
    try:
        return database_digest(con)
    finally:
        con.close()


def test_the_install_ships_every_file_of_the_packages(installed: Path) -> None:
    """Non-editable means copied: every module (etl/read, etl/tables/parsers, …) and every tracked data file."""
    source = installed.parent / "source"
    wanted = sorted(shipped_files(source))
    assert "etl/tables/parsers/__init__.py" in wanted and "dashboard/charts.py" in wanted
    missing = [f for f in wanted if not (installed / f).is_file()]
    assert not missing, f"not in the installed copy: {missing}"
    differ = [f for f in wanted if (installed / f).read_bytes() != (source / f).read_bytes()]
    assert not differ, f"installed copy differs from its sources: {differ}"
    assert (installed / "bin" / "budget").is_file()
    assert not (installed / "tests").exists()


def test_the_installed_copy_has_the_checkouts_code_version(installed: Path) -> None:
    from etl.store.distributed import code_version

    done = subprocess.run([sys.executable, "-c", "import etl.store.distributed as d; print(d.__file__); "
                           "print(d.code_version())"], cwd=installed.parent, env=outside_env(installed),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    where, theirs = done.stdout.split()
    assert Path(where).is_relative_to(installed)
    assert theirs == code_version()


@needs_samples
def test_cluster_of_installed_copies_loads_what_a_local_ingest_loads(installed: Path, processes: Processes,
                                                                     tmp_path: Path) -> None:
    address = start_scheduler(processes, installed)
    assert address.startswith("tcp://127.0.0.1:")
    worker = start_worker(processes, address, installed)
    client = distributed.Client(address, timeout=START, set_as_default=False)
    try:
        wait_for("one worker", lambda: len(client.nthreads()) >= 1, processes.procs)

        def etl_origin() -> str:  # defined in here so that it travels by value: the cluster cannot import tests/
            import etl

            return str(Path(etl.__file__).resolve().parent)

        where = {"scheduler": client.run_on_scheduler(etl_origin), **client.run(etl_origin)}
    finally:
        client.close()
    installed_etl = str((installed / "etl").resolve())
    assert set(where.values()) == {installed_etl}, f"etl imported from {where}, not from the installed copy"
    assert worker.poll() is None

    db = tmp_path / "budget.duckdb"
    done = ingest(FILES, db, address)
    assert done.returncode == 0, f"{done.stdout}{done.stderr}\n{processes.logs()}"
    lines = done.stdout.splitlines()
    assert len(lines) == len(FILES) and all(line.startswith("[已导入]") for line in lines), done.stdout
    assert digest_of(db) == digest_of(build_db(tmp_path / "local.duckdb", FILES))


def start_worker(procs: Processes, address: str, site: Path) -> subprocess.Popen:
    """docs/scaling.md's `dask worker` line (one process on loopback here), with site as the installed project."""
    return procs.start("worker", [*dask_command(), "worker", address, "--nworkers", "1", "--nthreads", "1",
                                  "--memory-limit", "2GiB", "--host", "127.0.0.1", "--no-dashboard",
                                  "--local-directory", str(procs.folder / "work")], outside_env(site))


def test_worker_with_other_code_is_one_line_naming_it(installed: Path, processes: Processes, tmp_path: Path) -> None:
    """A worker host left on an older install (here: one module changed by a comment) refuses the batch before
    anything is parsed, naming the worker."""
    older = tmp_path / "older"
    shutil.copytree(installed, older, ignore=shutil.ignore_patterns("__pycache__"))
    with open(older / "etl" / "read" / "units.py", "a", encoding="utf-8") as f:
        f.write("# an older build\n")
    address = start_scheduler(processes, installed)
    start_worker(processes, address, older)
    db = tmp_path / "budget.duckdb"
    done = ingest([YANGQUAN], db, address)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = (done.stdout + done.stderr).splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("Dask 工作节点 tcp://127.0.0.1:") and "版本不同" in lines[0], lines[0]
    assert "请在该主机上用 pip 安装本项目" in lines[0] and "dask worker" in lines[0]
    assert not db.exists()


def test_scheduler_without_the_project_is_one_line_saying_to_install_it(processes: Processes,
                                                                        tmp_path: Path) -> None:
    """The failure the issue saw (every file refused with "Error during deserialization of the task graph") is
    caught before anything is sent: one line, exit 1, no database."""
    bare = outside_env(None)
    probe = subprocess.run([sys.executable, "-c", "import etl"], cwd=processes.folder, env=bare,
                           capture_output=True, timeout=120)
    if probe.returncode == 0:
        pytest.skip("etl is importable without the checkout here (the project is installed in this environment)")
    address = start_scheduler(processes, None)
    db = tmp_path / "budget.duckdb"
    done = ingest([YANGQUAN], db, address)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = (done.stdout + done.stderr).splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"Dask 调度节点 {address} 无法运行本程序") and "No module named 'etl'" in lines[0]
    assert "请在该主机上用 pip 安装本项目" in lines[0] and "dask scheduler" in lines[0] and "未导入任何文件" in lines[0]
    assert not db.exists()
