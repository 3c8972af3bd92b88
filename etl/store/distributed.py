"""Parsing on a Dask cluster: the one place that knows about Dask.

Parsing is per file and depends only on the file's bytes, so it can run anywhere; writing stays with the one writer
in this process (etl/ingest.ingest_many and etl/publish.writing), exactly as with the local process pool. Each task
carries the file's bytes, not its path, so workers need no shared disk; the worker writes them to a private temp
file under the file's own name (the name is what the database records as source_file) and parses that.

The bytes travel inside the task, not through `scatter`: a task whose worker dies is run again elsewhere from the
scheduler's copy (scattered data would die with the worker). A file whose parse kills its worker every time is
given up by the scheduler after `distributed.scheduler.allowed-failures` deaths (KilledWorker) and refused here
with that reason — never retried forever. Results are handed to the writer in file order, so the per-file lines
and the database are the same as a local run's.

Every host of the cluster imports etl: the workers to parse, and the scheduler too, because it unpickles each task
(the function is named by its module, etl.store.distributed.parse_bytes). The project is installed on every host
(`pip install` of the same version, docs/scaling.md); connect() checks the scheduler and every worker before the
database is touched, so a host without it is one line naming that host's role, not a refusal of every file.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import dask
from distributed import Client, KilledWorker, as_completed

from etl.pipeline import ParsedReport
from etl.store.ingest import _parse

ENV = "BUDGET_DASK"
CONNECT_TIMEOUT = 5.0  # seconds (the CLI's --dask-timeout): an unreachable scheduler is reported promptly, not after
# distributed's own 30 s
Parse = Callable[[Path, str | None], ParsedReport | str]


class ClusterUnavailable(Exception):
    """The cluster cannot take the batch (unreachable, no workers, other code); str() is the line to show."""


def _sources(package: Path) -> Iterator[Path]:
    """The .py files of package and of its subpackages, i.e. what an install ships (a folder without __init__.py is
    not a package, so `pip install` leaves it out and so does the digest; tests/test_packaging.py holds that no
    etl/ module lives in such a folder). __pycache__ has no __init__.py either."""
    if not (package / "__init__.py").is_file():
        return
    for entry in sorted(package.iterdir()):
        if entry.is_dir():
            yield from _sources(entry)
        elif entry.suffix == ".py":
            yield entry


def code_version() -> str:
    """Digest of this build's etl sources: a worker running other parsing code would load other numbers. It depends
    only on the modules' paths inside the package and their bytes, so the checkout and a `pip install` of it (on any
    host, in any directory) give the same digest."""
    root = Path(__file__).resolve().parents[1]  # the whole etl package
    h = hashlib.sha256()
    for f in sorted(_sources(root), key=lambda f: f.relative_to(root).as_posix()):
        h.update(f.relative_to(root).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()


INSTALL_HINT = "请在该主机上用 pip 安装本项目（与本机同一版本），再启动"


def connect(address: str, timeout: float = CONNECT_TIMEOUT) -> Client:
    """A client of the scheduler at address with at least one worker; the scheduler and every connected worker run
    this build's etl code (the scheduler unpickles every task, so without etl it would refuse each file)."""
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterUnavailable(f"无法连接 Dask 集群 {address}（{timeout:.0f}秒内无应答：{exc}），未导入任何文件") from exc
    mine = code_version()
    try:
        try:
            scheduler = client.run_on_scheduler(code_version)
        except Exception as exc:  # the scheduler cannot import etl: the project is not installed on its host
            raise ClusterUnavailable(f"Dask 调度节点 {address} 无法运行本程序（{type(exc).__name__}: {exc}）；调度节点要导入 etl "
                                     f"才能解开每个任务，{INSTALL_HINT} dask scheduler。未导入任何文件") from exc
        if scheduler != mine:
            raise ClusterUnavailable(f"Dask 调度节点 {address} 上的本程序与本机版本不同；{INSTALL_HINT} dask scheduler。"
                                     "未导入任何文件")
        try:
            client.wait_for_workers(1, timeout=timeout)
        except TimeoutError as exc:
            raise ClusterUnavailable(f"Dask 集群 {address} 没有可用的工作节点（{timeout:.0f}秒内），未导入任何文件") from exc
        try:
            theirs = client.run(code_version)  # every worker now connected
        except Exception as exc:  # a worker cannot even import etl: the project is not installed on its host
            raise ClusterUnavailable(f"Dask 工作节点无法运行本程序（{type(exc).__name__}: {exc}）；"
                                     f"{INSTALL_HINT} dask worker。未导入任何文件") from exc
        others = sorted(worker for worker, version in theirs.items() if version != mine)
        if others:
            raise ClusterUnavailable(f"Dask 工作节点 {', '.join(others)} 上的解析程序与本机版本不同，结果可能不一致；"
                                     f"{INSTALL_HINT} dask worker。未导入任何文件")
    except BaseException:
        client.close()
        raise
    return client


def parse_bytes(name: str, data: bytes, parse: Parse = _parse) -> ParsedReport | str:
    """Runs on a worker: the file's bytes parsed under its own name, in a temp directory removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="budget-parse-") as tmp:
        path = Path(tmp) / Path(name).name
        path.write_bytes(data)
        return parse(path, name)


def _failure(exc: BaseException) -> str:
    if isinstance(exc, KilledWorker):
        return "解析此文件时 Dask 工作进程多次意外退出（文件可能使解析程序崩溃或耗尽内存），已放弃重试，文件未导入"
    return f"在 Dask 集群上解析失败（{type(exc).__name__}: {exc}），文件未导入"


class DaskParser:
    """Callable for ingest_many(parse_many=…): the parse results of files, in their order, computed on the cluster.

    At most `window` files are in flight (submitted and not yet handed to the writer), so a batch of 100,000 files
    does not hold every file's bytes at once. `parse` is the per-file function run on the workers (tests wrap it)."""

    def __init__(self, client: Client, window: int | None = None, parse: Parse = _parse) -> None:
        self.client = client
        threads = sum(client.nthreads().values()) or 1
        self.window = window or max(8, 4 * threads)
        self.parse = parse

    def __call__(self, files: list[Path]) -> Iterator[ParsedReport | str]:
        pending = as_completed(loop=self.client.loop)
        index: dict[str, int] = {}
        futures: dict[str, object] = {}
        done: dict[int, ParsedReport | str] = {}
        submitted = 0
        handed = 0

        def submit_more() -> None:
            nonlocal submitted
            while submitted < len(files) and submitted - handed < self.window:
                f = files[submitted]
                try:
                    data = f.read_bytes()
                except OSError as exc:
                    done[submitted] = f"无法读取文件：{exc.strerror or exc}"
                else:  # the bytes ride in the task on purpose (see above): no "large graph" warning per PDF
                    with dask.config.set({"distributed.admin.large-graph-warning-threshold": "2GiB"}):
                        fut = self.client.submit(parse_bytes, f.name, data, self.parse, pure=False)
                    index[fut.key] = submitted
                    futures[fut.key] = fut
                    pending.add(fut)
                submitted += 1

        try:
            submit_more()
            while handed < len(files):
                while handed in done:  # hand over everything that is next in file order
                    yield done.pop(handed)
                    handed += 1
                    submit_more()
                if handed >= len(files):
                    break
                fut = next(pending)
                try:
                    result = fut.result()
                except Exception as exc:
                    result = _failure(exc)
                done[index.pop(fut.key)] = result
                futures.pop(fut.key)
                fut.release()
        finally:  # the writer stopped early (an error, Ctrl-C): the cluster need not finish the rest
            if futures:
                self.client.cancel(list(futures.values()))
