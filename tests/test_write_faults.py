"""Faults while writing, with real processes: an ingest killed (SIGKILL) at each moment of its life, a second ingest
meeting a live one, a full disk, a read-only file system, folder and file, and a container renamed .pdf.

The moments are hit exactly through etl.store.publish.pause_point: with BUDGET_TEST_PAUSE=<point>=<file> the ingest writes
<file> on reaching <point> and waits there, so each test waits on that file, never on a clock. Afterwards the database
must be the old one or the new one, no process of the killed ingest may be alive, the lock must be free, and the next
ingest must run in its normal time and leave no temporary file behind.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from etl.read.pdf import starts_as_pdf
from etl.store.publish import generation, open_snapshot, writing
from etl.store.uploads import ingest_upload

from .fixtures.reports import write_report
from .pdf_fixtures import text_pdf
from .samples import ROOT, YANGQUAN
from .test_cli import db_digest

POINTS = ["locked", "copying", "copied", "parsing", "writing", "publishing", "published"]
ORPHAN_GRACE = 2.0  # seconds a killed ingest's processes may take to go


def cli(*args: str, env: dict[str, str] | None = None, prefix: list[str] | None = None,
        timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*(prefix or []), sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


def start_paused(point: str, marker: Path, args: list[str]) -> subprocess.Popen:
    env = {**os.environ, "BUDGET_TEST_PAUSE": f"{point}={marker}"}
    return subprocess.Popen([sys.executable, "-m", "etl", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def wait_for(condition, timeout: float, what: str, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the ingest ended ({proc.returncode}) before {what}: {proc.stderr.read()[-2000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def processes_with(token: str) -> set[int]:
    """Every live process whose environment carries token: the ingest and all it started, wherever reparented."""
    found = set()
    needle = token.encode()
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            if needle in Path(entry.path, "environ").read_bytes():
                state = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state not in ("Z", "X"):
                    found.add(int(entry.name))
        except OSError:
            continue
    return found


def lock_is_free(db: Path) -> bool:
    with open(db.with_name(db.name + ".lock"), "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(f, fcntl.LOCK_UN)
        return True


def leftovers(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.glob(f".{db.name}.*.tmp*"))


def doc_files(db: Path) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {r[0] for r in con.execute("SELECT source_file FROM documents").fetchall()}
    finally:
        con.close()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], float]:
    """A database holding 阳泉, a two-report batch to add, and how long adding it takes normally (one run: the bound it
    sets, 3 × that + 10 s, is loose enough for one run's noise)."""
    folder = tmp_path_factory.mktemp("faults")
    db = folder / "base.duckdb"
    assert cli("ingest", str(YANGQUAN), "--db", str(db)).returncode == 0
    batch = [write_report(folder / "in", f"合成故障测试单位{i}", tag=f"fault{i}") for i in (1, 2)]
    trial = folder / "trial.duckdb"
    shutil.copy(db, trial)
    started = time.monotonic()
    res = cli("ingest", *map(str, batch), "--db", str(trial), "--workers", "2")
    normal = time.monotonic() - started
    assert res.returncode == 0, res.stderr
    trial.unlink()
    return db, batch, normal


@pytest.mark.parametrize("point", POINTS)
def test_killed_ingest_leaves_old_or_new_no_process_and_the_next_runs(point: str, base, tmp_path: Path) -> None:
    base_db, batch, normal = base
    db = tmp_path / "budget.duckdb"
    shutil.copy(base_db, db)
    old, new = doc_files(db), doc_files(db) | {p.name for p in batch}
    marker = tmp_path / f"paused-{point}"
    proc = start_paused(point, marker, ["ingest", *map(str, batch), "--db", str(db), "--workers", "2"])
    wait_for(lambda: marker.exists() and marker.read_text(), 120, f"the ingest to reach '{point}'", proc)
    if point in ("parsing", "writing"):  # the kill must find parse workers running
        wait_for(lambda: len(processes_with(str(marker))) >= 4, 30, "the parse workers to start", proc)
    family = processes_with(str(marker))
    assert proc.pid in family

    proc.send_signal(signal.SIGKILL)
    killed = time.monotonic()
    proc.wait(timeout=10)
    wait_for(lambda: not processes_with(str(marker)), 10, "every process of the killed ingest to end")
    gone_after = time.monotonic() - killed
    proc.stdout.close()
    proc.stderr.close()
    assert gone_after < ORPHAN_GRACE, f"{len(family) - 1} processes outlived the killed ingest by {gone_after:.2f} s"
    assert lock_is_free(db), "the lock is still held after its writer died"
    assert doc_files(db) in (old, new), f"killed at {point}: the database is neither old nor new"

    had_leftovers = leftovers(db)
    started = time.monotonic()
    res = cli("ingest", *map(str, batch), "--db", str(db), "--workers", "2")
    took = time.monotonic() - started
    assert res.returncode == 0, res.stderr
    assert doc_files(db) == new
    assert leftovers(db) == []
    if had_leftovers:
        assert "已清理已结束的导入留下的临时文件" in res.stderr and had_leftovers[0] in res.stderr
    assert took < 3 * normal + 10, f"the next ingest took {took:.1f} s (normally {normal:.1f} s)"


def test_second_ingest_says_who_writes_waits_bounded_then_gives_up(base, tmp_path: Path) -> None:
    base_db, batch, _ = base
    db = tmp_path / "budget.duckdb"
    shutil.copy(base_db, db)
    marker = tmp_path / "holder"
    holder = start_paused("writing", marker, ["ingest", str(batch[0]), "--db", str(db)])
    try:
        wait_for(lambda: marker.exists() and marker.read_text(), 120, "the first ingest to write", holder)
        before = db_digest(db)
        started = time.monotonic()
        second = subprocess.Popen([sys.executable, "-m", "etl", "ingest", str(batch[1]), "--db", str(db), "--wait",
                                   "2"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first_line = second.stderr.readline()
        said_at = time.monotonic()
        rest = second.stderr.read()
        second.wait(timeout=60)
        ended = time.monotonic()
        second.stdout.close()
        second.stderr.close()
        assert first_line.startswith(f"另一个导入正在进行：进程 {holder.pid}，开始于 20"), first_line
        assert "最多再等" in rest  # the countdown
        assert f"另一个导入正在进行（进程 {holder.pid}，开始于" in rest and "等待2秒后仍未结束" in rest
        assert "本次未导入，数据库未作改动" in rest
        assert second.returncode == 1
        assert ended - said_at >= 1.5, "the line came late, not at once"
        assert ended - started < 2 + 30
        assert db_digest(db) == before
    finally:
        holder.kill()
        holder.wait(timeout=10)
        holder.stdout.close()
        holder.stderr.close()
    res = cli("ingest", str(batch[1]), "--db", str(db))  # and once it is gone, the next one just runs
    assert res.returncode == 0 and "另一个导入" not in res.stderr, res.stderr


def test_upload_meeting_a_live_writer_says_so_and_keeps_nothing(base, tmp_path: Path) -> None:
    base_db, batch, _ = base
    db = tmp_path / "budget.duckdb"
    shutil.copy(base_db, db)
    marker = tmp_path / "holder"
    holder = start_paused("writing", marker, ["ingest", str(batch[0]), "--db", str(db)])
    try:
        wait_for(lambda: marker.exists() and marker.read_text(), 120, "the first ingest to write", holder)
        busy, waits = [], []
        outcome = ingest_upload(db, batch[1].read_bytes(), "x.txt", tmp_path / "uploads", wait=1.5,
                                on_busy=busy.append, on_wait=waits.append)
    finally:
        holder.kill()
        holder.wait(timeout=10)
        holder.stdout.close()
        holder.stderr.close()
    assert busy == [f"另一个导入正在进行：进程 {holder.pid}，开始于 {busy[0].split('开始于 ')[1]}"]
    assert waits and waits[0] <= 1.5
    assert outcome.status == "busy" and outcome.message.startswith(f"另一个导入正在进行（进程 {holder.pid}")
    uploads = tmp_path / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())


# --- full disk and read-only stores ---------------------------------------------------------------------------

@pytest.fixture()
def small_disk() -> Iterator[callable]:
    """mount(size) -> a fresh tmpfs of that size; skipped where this process may not mount."""
    mounts: list[Path] = []

    def mount(size: int) -> Path:
        point = Path(tempfile.mkdtemp(prefix="budget-disk-"))
        res = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                             capture_output=True, text=True)
        if res.returncode != 0:
            point.rmdir()
            pytest.skip(f"cannot mount a small tmpfs here ({res.stderr.strip() or 'mount failed'}): needs root "
                        "or CAP_SYS_ADMIN")
        mounts.append(point)
        return point

    yield mount
    for point in mounts:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)
        shutil.rmtree(point, ignore_errors=True)


def assert_refused_whole(res: subprocess.CompletedProcess, batch: list[Path], reason: str) -> None:
    assert res.returncode == 1, res.stdout + res.stderr
    assert "[已导入]" not in res.stdout, res.stdout
    assert "Traceback" not in res.stderr, res.stderr
    for f in batch:
        lines = [line for line in res.stderr.splitlines() if line.startswith(f"[失败] {f}: 未导入——无法写入 ")]
        assert len(lines) == 1 and reason in lines[0] and lines[0].endswith("数据库未作改动"), res.stderr


def test_full_disk_is_one_line_per_file_and_leaves_nothing(base, small_disk, tmp_path: Path) -> None:
    base_db, batch, _ = base
    size = base_db.stat().st_size
    failed_at: dict[int, str] = {}
    # a disk too small for the copy; room for the copy but not the new rows; room for everything
    for room in (size + size // 2, 2 * size + 64 * 1024, 2 * size + 1024 * 1024, 4 * size):
        disk = small_disk(room)
        db = disk / "budget.duckdb"
        shutil.copy(base_db, db)
        before, free = db_digest(db), shutil.disk_usage(disk).free
        res = cli("ingest", *map(str, batch), "--db", str(db), "--workers", "1")
        assert leftovers(db) == []
        if res.returncode == 0:
            assert doc_files(db) == doc_files(base_db) | {p.name for p in batch}
            continue
        # the line names what could not be written: the private copy, or the database being published
        failed_at[room] = "copy" if f"{db.parent}/.budget.duckdb." in res.stderr else "database"
        assert_refused_whole(res, batch, "磁盘空间已满")
        assert db_digest(db) == before
        assert shutil.disk_usage(disk).free >= free - 64 * 1024, "a partial copy still fills the disk"
    assert failed_at.get(size + size // 2) == "copy", failed_at
    assert failed_at.get(2 * size + 64 * 1024) == "database", failed_at  # the copy fitted, the new rows did not
    assert 4 * size not in failed_at


def test_read_only_file_system_is_one_line_and_changes_nothing(base, small_disk) -> None:
    base_db, batch, _ = base
    disk = small_disk(4 * base_db.stat().st_size)
    db = disk / "budget.duckdb"
    shutil.copy(base_db, db)
    res = cli("ingest", str(YANGQUAN), "--db", str(db))  # the lock file exists, as on a store used before
    assert res.returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    before = db_digest(db)
    res = cli("ingest", *map(str, batch), "--db", str(db))
    assert_refused_whole(res, batch, "文件系统为只读")
    assert db_digest(db) == before


@pytest.fixture()
def other_user_dir() -> Iterator[tuple[Path, list[str]]]:
    """A folder another (non-root) user owns, and the command prefix that runs a process as that user, so
    permissions apply as they do to an operator (root would write through them)."""
    folder = Path(tempfile.mkdtemp(prefix="budget-ro-"))
    folder.chmod(0o755)
    prefix: list[str] = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: cannot run the ingest as a user permissions apply to")
        prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        probe = subprocess.run([*prefix, sys.executable, "-c", "import duckdb"], cwd=ROOT, capture_output=True)
        if probe.returncode != 0:
            pytest.skip("the user nobody cannot run this project's Python here")
    yield folder, prefix
    subprocess.run(["chmod", "-R", "u+w", str(folder)])
    shutil.rmtree(folder, ignore_errors=True)


def _own(paths: list[Path]) -> None:
    if os.geteuid() == 0:
        for p in paths:
            shutil.chown(p, "nobody", "nogroup")


@pytest.mark.parametrize("lock_exists", [False, True])
def test_read_only_folder_is_one_line_and_changes_nothing(base, other_user_dir, lock_exists: bool) -> None:
    base_db, batch, _ = base
    folder, prefix = other_user_dir
    store, inbox = folder / "store", folder / "in"
    store.mkdir()
    inbox.mkdir()
    db = store / "budget.duckdb"
    shutil.copy(base_db, db)
    files = [Path(shutil.copy(f, inbox / f.name)) for f in batch]
    lock = store / "budget.duckdb.lock"
    if lock_exists:
        lock.touch()
    _own([store, db, *([lock] if lock_exists else [])])
    store.chmod(0o555)
    before = db_digest(db)
    res = cli("ingest", *map(str, files), "--db", str(db), env={"HOME": str(folder)}, prefix=prefix)
    assert_refused_whole(res, files, "没有写入权限")
    assert db_digest(db) == before and leftovers(db) == []


@pytest.mark.parametrize("as_other_user", [False, True])
def test_read_only_database_file_is_never_replaced(base, other_user_dir, as_other_user: bool) -> None:
    base_db, batch, _ = base
    folder, prefix = other_user_dir
    db = folder / "budget.duckdb"
    shutil.copy(base_db, db)
    files = [Path(shutil.copy(f, folder / f.name)) for f in batch]
    _own([folder, db])  # the folder is writable for the user: only the file says no
    db.chmod(0o444)
    identity, before = generation(db), db_digest(db)
    res = cli("ingest", *map(str, files), "--db", str(db), env={"HOME": str(folder)},
              prefix=prefix if as_other_user else None)
    assert_refused_whole(res, files, "数据库文件为只读，不会被替换")
    assert generation(db) == identity and db.stat().st_mode & 0o777 == 0o444
    assert db_digest(db) == before and leftovers(db) == []


# --- what the next writer removes ----------------------------------------------------------------------------

def test_next_writer_removes_only_dead_writers_leftovers(tmp_path: Path) -> None:
    db = tmp_path / "b.duckdb"
    with writing(db) as con:
        con.execute("INSERT INTO documents (doc_id) VALUES ('a')")
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        live = tmp_path / f".b.duckdb.{sleeper.pid}.tmp"
        live.write_bytes(b"x")
        ended = subprocess.Popen(["true"])
        ended.wait()
        dead_pid = ended.pid
        dead = tmp_path / f".b.duckdb.{dead_pid}.tmp"
        dead.write_bytes(b"x" * 2048)
        Path(str(dead) + ".wal").write_bytes(b"y")
        notes = []
        with writing(db, on_clean=notes.append) as con:
            con.execute("INSERT INTO documents (doc_id) VALUES ('b')")
        assert live.exists() and not dead.exists() and not Path(str(dead) + ".wal").exists()
        assert len(notes) == 1 and dead.name in notes[0] and "2个" in notes[0]
    finally:
        sleeper.kill()
        sleeper.wait()


def test_old_generation_links_are_removed_by_the_next_writer(tmp_path: Path) -> None:
    db = tmp_path / "b.duckdb"
    with writing(db) as con:
        con.execute("INSERT INTO documents (doc_id) VALUES ('a')")
    reader, gen = open_snapshot(db)  # a dashboard reading the first generation
    with writing(db) as con:
        con.execute("INSERT INTO documents (doc_id) VALUES ('b')")
    links = list(tmp_path.glob(".b.duckdb.*.snapshot"))
    assert links == [], links  # nobody will open the old generation again; its space goes with its last reader
    assert reader.execute("SELECT count(*) FROM documents").fetchall() == [(1,)]  # the open reader still reads it
    reader.close()
    fresh, gen2 = open_snapshot(db)
    assert gen2 != gen and fresh.execute("SELECT count(*) FROM documents").fetchall() == [(2,)]
    fresh.close()


def test_uploads_the_database_does_not_hold_are_removed(tmp_path: Path) -> None:
    db, uploads = tmp_path / "b.duckdb", tmp_path / "uploads"
    kept = ingest_upload(db, YANGQUAN.read_bytes(), "阳泉.txt", uploads)
    assert kept.status == "loaded"
    # what a server killed mid-upload leaves: a stored file whose report never reached the database, and a piece
    orphan = uploads / ("ab" * 16 + ".pdf")
    orphan.write_bytes(b"%PDF-1.4 orphan")
    piece = uploads / ("cd" * 16 + ".txt.part")
    piece.write_bytes(b"half")
    unrelated = uploads / "README"
    unrelated.write_text("not ours")
    res = cli("ingest", str(write_report(tmp_path / "in", "合成上传测试单位")), "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert "已删除数据库中没有的上传文件2个" in res.stderr
    assert not orphan.exists() and not piece.exists() and unrelated.exists()
    assert len(list(uploads.glob("*.txt"))) == 1  # the upload the database holds stays


# --- what is a PDF --------------------------------------------------------------------------------------------

def test_a_pdf_is_what_starts_as_one() -> None:
    assert starts_as_pdf(b"%PDF-1.7\n")
    assert starts_as_pdf(b"\xef\xbb\xbf%PDF-1.4")
    assert starts_as_pdf(b"\r\n \t\x00\x0c%PDF-1.4")
    assert not starts_as_pdf(b"PK\x03\x04" + b"\x00" * 26 + b"report.pdf%PDF-1.4")
    assert not starts_as_pdf(b"<html>%PDF-1.4")
    assert not starts_as_pdf(b"%PDF1.4")


def test_zip_renamed_pdf_is_refused_by_cli_and_upload(tmp_path: Path) -> None:
    inner = text_pdf(tmp_path / "inner.pdf", ["部门预算"])
    fake = tmp_path / "report.pdf"
    with zipfile.ZipFile(fake, "w", compression=zipfile.ZIP_STORED) as z:
        z.write(inner, "report.pdf")
    assert b"%PDF" in fake.read_bytes()[:1024]  # the old check would have taken it
    db = tmp_path / "b.duckdb"
    res = cli("ingest", str(fake), "--db", str(db))
    assert res.returncode == 1 and f"[已拒绝] {fake}: 不是PDF文件（文件开头不是 %PDF-）" in res.stderr
    outcome = ingest_upload(db, fake.read_bytes(), "report.pdf", tmp_path / "uploads")
    assert outcome.status == "refused" and "不是PDF文件" in outcome.message
    assert not list((tmp_path / "uploads").iterdir())
