"""CLI: `budget` (the console script) or `python -m etl`, with four subcommands —
`ingest PATH... [--db FILE] [--year N] [--dask ADDRESS]`, `checks [--db FILE]`, `bench` (etl/bench.py) and
`review --year N [--unit NAME] --out FILE|DIR` (the 公开情况检查表, dashboard/export/review.py).

Only argparse is imported up front: `--help`, a mistyped option and `checks` must answer at once, and each
subcommand imports what it uses (DuckDB, pdfplumber, the parsers) when it runs — a one-file ingest pays for no
module it does not touch. tests/test_cli.py holds the constants copied below equal to their owners'.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for annotations only: importing these at run time would load DuckDB and the parsers
    from types import ModuleType

    import duckdb

    from etl.store.ingest import Outcome

DEFAULT_DB = "data/budget.duckdb"
DASK_ENV = "BUDGET_DASK"  # same as etl.store.distributed.ENV; not imported so a local run never loads Dask
DASK_TIMEOUT_ENV = "BUDGET_DASK_TIMEOUT"
NICE_ENV = "BUDGET_INGEST_NICE"
DEFAULT_NICE = 10
# same as etl.store.publish's (which imports DuckDB); only the help text reads them here
LOCK_WAIT_ENV = "BUDGET_LOCK_WAIT"
DEFAULT_LOCK_WAIT = 60.0
CONSOLE_SCRIPT = "budget"  # pyproject.toml [project.scripts]


def yield_cpu(increment: int) -> int:
    """Lower this process's CPU priority before any parse worker starts (they inherit it), so a batch import on the
    dashboard's own host leaves the cores to the people reading pages; on an idle machine it changes nothing. The
    parse is CPU-bound and can wait, a reader cannot (docs/scaling.md has the figures). Returns the niceness now."""
    return os.nice(max(increment, 0))


@contextmanager
def _progress(total: int) -> Iterator[Callable[[], None] | None]:
    """A bar over files on a terminal (stderr) for batches of more than one; the per-file lines print above it
    (rich redirects prints while it draws). Output that is not a terminal (a log, a test) gets the lines only, and
    the caller gets None instead of an advance function."""
    if total < 2 or not sys.stderr.isatty():
        yield None
        return
    from rich import progress as rp
    from rich.console import Console

    columns = (rp.TextColumn("导入"), rp.BarColumn(), rp.MofNCompleteColumn(), rp.TimeElapsedColumn(),
               rp.TextColumn("剩余"), rp.TimeRemainingColumn())
    with rp.Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("files", total=total)
        yield lambda: bar.advance(task)


MARKS = {"loaded": "已导入", "unchanged": "未变化", "refused": "已拒绝", "failed": "失败"}


def _ingest(args: argparse.Namespace) -> int:
    yield_cpu(args.nice)
    from etl.store.ingest import expand

    files = expand([Path(p) for p in args.paths])
    if not files:
        print("没有找到 .pdf 或 .txt 文件", file=sys.stderr)
        return 2
    from etl.store import logs

    try:
        logs.configure(args.db)  # a bug's traceback goes to <database folder>/logs/etl.log; its line names the file
    except OSError:
        pass  # a folder that cannot hold the log (read-only): tracebacks stay on stderr, and each line says so
    client = None
    parse_many = None
    if args.dask:  # connect before the database is touched: an unreachable cluster leaves it as it was
        from etl.store.distributed import ClusterUnavailable, DaskParser, connect

        try:
            client = connect(args.dask) if args.dask_timeout is None else connect(args.dask, args.dask_timeout)
        except ClusterUnavailable as exc:
            print(exc, file=sys.stderr)
            return 1
        if args.year is None:
            parse_many = DaskParser(client)
        else:  # the workers parse with the given year
            from etl.store.ingest import parse_with_year

            parse_many = DaskParser(client, parse=parse_with_year(args.year))
    try:
        return _ingest_files(args, files, parse_many)
    finally:
        if client is not None:
            client.close()


def _ingest_files(args: argparse.Namespace, files: list[Path], parse_many: Callable | None) -> int:
    """Every file named gets exactly one final line. Refused and unchanged files are final when read and are printed
    at once; a loaded file is only in the database once the batch is published, so its 已导入 line waits for the
    publication (a terminal shows a progress line meanwhile) — or becomes 失败 with the reason when publishing
    fails. Nothing printed is ever contradicted later."""
    from etl.store.ingest import ingest_many
    from etl.store.publish import NothingToPublish, WriteFault, WriterBusy, writing
    from etl.store.uploads import sweep_uploads, upload_dir_for

    tty = sys.stderr.isatty()
    done: dict[int, Outcome] = {}
    pending: list[Outcome] = []

    def status(text: str) -> None:  # one transient line on a terminal, overwritten by the next
        if tty:
            print(f"\r\033[K{text}", end="", file=sys.stderr, flush=True)

    def line(outcome: Outcome) -> None:
        status("")
        stream = sys.stdout if outcome.ok else sys.stderr
        mark = "程序错误" if outcome.internal else MARKS[outcome.status]
        print(f"[{mark}] {outcome.path}: {outcome.message}", file=stream, flush=True)
        if outcome.report and args.verbose:
            for issue in outcome.report.issues:
                print(f"    {issue.severity}: {issue.message}", file=stream)

    advance: Callable[[], None] | None = None  # the file bar, once the database is ours

    def show(outcome: Outcome) -> None:
        done[len(done)] = outcome
        if advance is not None:
            advance()
        if outcome.status == "loaded":
            pending.append(outcome)
            if advance is None:
                status(f"已读取 {len(done)}/{len(files)}：{outcome.path}（全部读完后写入数据库）")
        else:
            line(outcome)

    def busy(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    told: list[float] = []

    def waiting(left: float) -> None:  # a countdown on a terminal; in a log, a line every 10 seconds
        if tty:
            status(f"等待它结束，最多再等 {left:.0f} 秒…（按 Ctrl+C 放弃）")
        elif not told or told[-1] - left >= 10:
            told.append(left)
            print(f"  等待它结束，最多再等 {left:.0f} 秒", file=sys.stderr, flush=True)

    def cleaned(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    try:
        with writing(args.db, wait=args.wait, on_busy=busy, on_wait=waiting, on_clean=cleaned) as con:
            # readers keep the old file until the new one is complete
            for note in sweep_uploads(con, upload_dir_for(args.db)):
                cleaned(note)
            with _progress(len(files)) as advance:
                outcomes = ingest_many(con, files, workers=args.workers, on_outcome=show, replace=args.replace,
                                       parse_many=parse_many, year=args.year)
            if not any(o.status == "loaded" for o in outcomes):
                raise NothingToPublish  # all unchanged or refused: keep the file (and readers' caches) as they are
    except WriterBusy as exc:
        status("")
        print(f"{exc}；本次未导入，数据库未作改动", file=sys.stderr)
        return 1
    except WriteFault as exc:
        status("")
        final = {str(o.path) for o in done.values() if o.status != "loaded"}
        for f in files:
            if str(f) not in final:
                print(f"[失败] {f}: 未导入——{exc}；数据库未作改动", file=sys.stderr, flush=True)
        return 1
    for outcome in pending:
        line(outcome)
    return 1 if any(not o.ok for o in outcomes) else 0


def _checks(args: argparse.Namespace) -> int:
    from etl.store.write import connect

    con = connect(args.db)
    docs = con.execute("SELECT doc_id, unit_name, fiscal_year, doc_type, source_file FROM documents "
                       "ORDER BY unit_name, fiscal_year").fetchall()
    if not docs:
        print("数据库中没有报告")
        return 0
    for doc_id, unit, year, doc_type, source in docs:
        rows = con.execute("SELECT check_id, description, expected, actual, passed, section = 'table' FROM checks "
                           "WHERE doc_id = ? ORDER BY passed, check_id", [doc_id]).fetchall()
        parts = []
        for label, mine in (("表格核对", [r for r in rows if r[5]]), ("文字审查", [r for r in rows if not r[5]])):
            failed = sum(1 for r in mine if r[4] is False)
            not_run = sum(1 for r in mine if r[4] is None)
            parts.append(f"{label}{len(mine)}项（未通过{failed}" + (f"，未核对{not_run}" if not_run else "") + "）")
        print(f"{unit} {year}年{doc_type or ''}（{source}）：" + "，".join(parts))
        shown = rows if args.all else [r for r in rows if r[4] is not True]
        for _, desc, expected, actual, passed, _table in shown:
            mark = "未核对" if passed is None else "通过" if passed else "未通过"
            figures = "" if expected is None or actual is None else \
                f"：应为 {expected:,.2f} 元，实为 {actual:,.2f} 元（差 {actual - expected:,.2f} 元）"
            print(f"  [{mark}] {desc}{figures}")
    con.close()
    return 0


REVIEW_SUFFIXES = {".xlsx": "检查表", ".docx": "审查意见"}


def _fail(text: str) -> int:
    print(f"错误：{text}", file=sys.stderr)
    return 1


def _writable(path: Path) -> str | None:
    """Why `path` cannot be written (one Chinese clause), or None — asked before any work, so a wrong path costs
    nothing and leaves nothing behind."""
    if path.is_dir():
        return f"{path} 是一个文件夹"
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        return f"文件夹 {parent} 不存在"
    if not os.access(parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return f"没有写入 {path} 的权限"
    return None


def _review(args: argparse.Namespace) -> int:
    """`review`: one report's 检查表 (.xlsx) and/or 审查意见 (.docx) with --unit, else every report of the year into
    a folder with 汇总.xlsx. Exit 1 with one Chinese line for a missing database, an unknown unit or year, an output
    that cannot be written — and, after writing, for a report whose file is not at hand (its sheet says so where the
    pictures would be)."""
    db = Path(args.db)
    if not db.is_file():
        return _fail(f"找不到数据库 {db}（用 --db 指定，或先用 ingest 导入报告）")
    import streamlit.logger  # the query cache's 'No runtime found' notices are not for the operator

    streamlit.logger.set_log_level("error")
    import duckdb

    from dashboard.export import review

    search = [Path(s) for s in args.search or []]
    for folder in search:
        if not folder.is_dir():
            return _fail(f"--search 指定的文件夹 {folder} 不存在")
    try:
        con = duckdb.connect(str(db), read_only=True)
        con.execute("SELECT count(*) FROM documents").fetchall()
    except duckdb.Error as exc:
        return _fail(f"数据库 {db} 无法读取（{str(exc).splitlines()[0]}）")
    try:
        if args.unit:
            return _review_one(args, con, db, search, review)
        return _review_district(args, con, db, search, review)
    except review.ReviewError as exc:
        return _fail(str(exc))
    finally:
        con.close()


def _review_one(args: argparse.Namespace, con: duckdb.DuckDBPyConnection, db: Path, search: list[Path],
                review: ModuleType) -> int:
    out = Path(args.out)
    targets = [out] + ([Path(args.docx)] if args.docx else [])
    for target in targets:
        if target.suffix.lower() not in REVIEW_SUFFIXES:
            return _fail(f"输出文件 {target} 应以 .xlsx（检查表）或 .docx（审查意见）结尾")
        why = _writable(target)
        if why:
            return _fail(f"无法写入 {target}：{why}")
    row = review.find_report(con, args.unit, args.year, args.kind)
    sheet = review.render(review.collect(con, db, str(row["doc_id"]), search))
    data = [(t, review.sheet_xlsx(sheet) if t.suffix.lower() == ".xlsx" else review.letter_docx(sheet))
            for t in targets]
    parts: list[tuple[Path, Path]] = []
    try:  # every file complete under a temporary name first, then renamed: none half written
        for target, blob in data:
            tmp = target.with_name(f".{target.name}.part")
            parts.append((tmp, target))
            tmp.write_bytes(blob)
        for tmp, target in parts:
            os.replace(tmp, target)
    except OSError as exc:
        for tmp, _ in parts:
            tmp.unlink(missing_ok=True)
        return _fail(f"无法写入 {parts[-1][1] if parts else out}：{exc.strerror or exc}")
    for target, _ in data:
        print(f"已生成{REVIEW_SUFFIXES[target.suffix.lower()]} {target}（{sheet.unit} {sheet.year}年{sheet.doc_type}，"
              f"问题{sheet.problems}处）")
    if sheet.file is None and sheet.problems:
        print(f"注意：找不到报告原文件 {sheet.source_file}（按 sha256 核对），问题截图处已注明“{review.NO_FILE}”；"
              "可用 --search 指定原文件所在的文件夹", file=sys.stderr)
        return 1
    return 0


def _review_district(args: argparse.Namespace, con: duckdb.DuckDBPyConnection, db: Path, search: list[Path],
                review: ModuleType) -> int:
    if args.docx:
        return _fail("--docx 只用于单个单位（同时给出 --unit）")
    out = Path(args.out)
    if out.suffix.lower() in REVIEW_SUFFIXES:
        return _fail(f"未指定 --unit 时 --out 应为文件夹（全区每份报告一张检查表），而不是 {out}")
    written = review.district(con, db, args.year, out, args.kind, search, workers=args.workers)
    total = sum(w.total for w in written)
    print(f"已生成 {len(written)} 张检查表和 {review.SUMMARY_NAME} 于 {out}（问题合计{total}处）")
    missing = [w for w in written if not w.file_at_hand]
    if missing:
        names = "、".join(w.unit for w in missing[:5]) + (f"等{len(missing)}份" if len(missing) > 5 else "")
        print(f"注意：{names}报告的原文件不在（按 sha256 核对），其检查表的问题截图处已注明“{review.NO_FILE}”；"
              "可用 --search 指定原文件所在的文件夹", file=sys.stderr)
        return 1
    return 0


def _bench(args: argparse.Namespace) -> int:
    """The benchmark is its own module (also `python -m etl.bench`); its arguments pass through untouched."""
    from etl import bench

    return bench.main(args.bench_args, prog=f"{args.prog} bench")


def prog_name(argv0: str | None = None) -> str:
    """What the usage line calls this program: `budget` when started as the console script, else `python -m etl`
    (then argv[0] is etl/__main__.py), so the help shows the command the user can type again."""
    name = Path(sys.argv[0] if argv0 is None else argv0).name
    return CONSOLE_SCRIPT if name.removesuffix(".exe") == CONSOLE_SCRIPT else "python -m etl"


def _year(text: str) -> int:
    """--year: a four-digit year; anything else is argparse's one-line error, before any file is read."""
    if not text.strip().isdigit() or not 1990 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"“{text}”不是年度（应为四位数字，如 2024）")
    return int(text)


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    """Every subcommand's arguments, with nothing imported beyond argparse (the help must stay instant)."""
    prog = prog or prog_name()
    parser = argparse.ArgumentParser(prog=prog, description="预算公开报告导入工具")
    parser.set_defaults(prog=prog)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="导入 PDF / TXT 报告（文件夹表示其中所有此类文件）")
    p.add_argument("paths", nargs="+")
    p.add_argument("--db", default=DEFAULT_DB)
    p.add_argument("-v", "--verbose", action="store_true", help="列出每份报告的提示")
    p.add_argument("--replace", action="store_true", help="同单位同年度已有报告时，以新文件替换")
    p.add_argument("--year", type=_year, metavar="N", default=None,
                   help="报告未印预算年度时按此年度导入（如 2024）；报告印有年度时以报告为准，不使用此值")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="并行解析的进程数（默认：CPU核数）")
    p.add_argument("--wait", type=float, default=None, metavar="秒",
                   help=f"另一个导入正在进行时最多等待的秒数（默认：环境变量 {LOCK_WAIT_ENV}，否则 {DEFAULT_LOCK_WAIT:.0f}）")
    p.add_argument("--dask", metavar="ADDRESS", default=os.environ.get(DASK_ENV) or None,
                   help=f"在 Dask 集群上解析（调度器地址，如 tcp://10.0.0.5:8786；也可用环境变量 {DASK_ENV}）；"
                        "写入仍只在本机")
    p.add_argument("--dask-timeout", type=float, metavar="秒", default=os.environ.get(DASK_TIMEOUT_ENV) or None,
                   help=f"连接 Dask 集群、等待工作节点的最长秒数（默认：环境变量 {DASK_TIMEOUT_ENV}，否则几秒）；"
                        "远程集群响应慢时调大")
    # a string default (the environment's) goes through type=int too: a bad value is argparse's one-line error
    p.add_argument("--nice", type=int, metavar="N", default=os.environ.get(NICE_ENV) or DEFAULT_NICE,
                   help=f"以较低的CPU优先级导入（nice 增量，默认：环境变量 {NICE_ENV}，否则 {DEFAULT_NICE}），"
                        "与看板同机时读者的页面不被拖慢；0 为不降低")
    p.set_defaults(func=_ingest)
    c = sub.add_parser("checks", help="列出每份报告的勾稽核对结果")
    c.add_argument("--db", default=DEFAULT_DB)
    c.add_argument("--all", action="store_true", help="也列出通过的核对")
    c.set_defaults(func=_checks)
    r = sub.add_parser("review", help="生成公开情况检查表（Excel，含问题截图）：一个单位，或全区一个年度的全部报告",
                       description="给出 --unit 时生成该单位一份报告的检查表（--out x.xlsx）或审查意见（--out x.docx）；"
                                   "不给 --unit 时为该年度每份报告生成一张检查表，并生成 汇总.xlsx（--out 为文件夹）。")
    r.add_argument("--db", default=DEFAULT_DB)
    r.add_argument("--year", type=int, required=True, help="年度，如 2026")
    r.add_argument("--unit", help="单位名称（不给则为全区该年度的全部报告）")
    r.add_argument("--kind", help="报告类型，如 部门预算、单位决算（同一单位同年有多份时必填）")
    r.add_argument("--out", required=True, help="输出：检查表.xlsx / 审查意见.docx；全区时为文件夹")
    r.add_argument("--docx", metavar="FILE", help="同时生成审查意见（Word），仅用于单个单位")
    r.add_argument("--search", action="append", metavar="DIR",
                   help="报告原文件（PDF/TXT）所在的文件夹，用于截图；可重复给出")
    r.add_argument("--workers", type=int, default=2, help="全区生成时并行截图的进程数（默认 2）")
    r.set_defaults(func=_review)
    # no arguments of its own here: all of them (--help included) go to etl.bench, which parses them
    b = sub.add_parser("bench", add_help=False, help="计时：导入一份报告与只用 pdfplumber 读表之比（bench --help 见参数）")
    b.set_defaults(func=_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of both `budget` and `python -m etl`; returns the exit status."""
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if args.command != "bench" and rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    args.bench_args = rest
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
