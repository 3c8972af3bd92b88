"""CLI: `python -m etl ingest PATH... [--db FILE]` and `python -m etl checks [--db FILE]`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .ingest import Outcome, expand, ingest_many
from .publish import NothingToPublish, writing
from .store import connect

DEFAULT_DB = "data/budget.duckdb"


def _ingest(args: argparse.Namespace) -> int:
    files = expand([Path(p) for p in args.paths])
    if not files:
        print("没有找到 .pdf 或 .txt 文件", file=sys.stderr)
        return 2
    def show(outcome: Outcome) -> None:
        mark = {"loaded": "已导入", "unchanged": "未变化", "refused": "已拒绝", "failed": "失败"}[outcome.status]
        stream = sys.stdout if outcome.ok else sys.stderr
        print(f"[{mark}] {outcome.path}: {outcome.message}", file=stream, flush=True)
        if outcome.report and args.verbose:
            for issue in outcome.report.issues:
                print(f"    {issue.severity}: {issue.message}", file=stream)

    with writing(args.db) as con:  # readers keep the old file until the new one is complete
        outcomes = ingest_many(con, files, workers=args.workers, on_outcome=show, replace=args.replace)
        if not any(o.status == "loaded" for o in outcomes):
            raise NothingToPublish  # all unchanged or refused: keep the file (and readers' caches) as they are
    return 1 if any(not o.ok for o in outcomes) else 0


def _checks(args: argparse.Namespace) -> int:
    con = connect(args.db)
    docs = con.execute("SELECT doc_id, unit_name, fiscal_year, doc_type, source_file FROM documents "
                       "ORDER BY unit_name, fiscal_year").fetchall()
    if not docs:
        print("数据库中没有报告")
        return 0
    for doc_id, unit, year, doc_type, source in docs:
        rows = con.execute("SELECT check_id, description, expected, actual, passed FROM checks WHERE doc_id = ? "
                           "ORDER BY passed, check_id", [doc_id]).fetchall()
        failed = [r for r in rows if r[4] is False]
        not_run = [r for r in rows if r[4] is None]
        print(f"{unit} {year}年{doc_type or ''}（{source}）：核对{len(rows)}项，通过{len(rows) - len(failed) - len(not_run)}，"
              f"未通过{len(failed)}" + (f"，未核对{len(not_run)}" if not_run else ""))
        shown = rows if args.all else failed + not_run
        for _, desc, expected, actual, passed in shown:
            mark = "未核对" if passed is None else "通过" if passed else "未通过"
            figures = "" if expected is None or actual is None else \
                f"：应为 {expected:,.2f} 元，实为 {actual:,.2f} 元（差 {actual - expected:,.2f} 元）"
            print(f"  [{mark}] {desc}{figures}")
    con.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description="预算公开报告导入工具")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="导入 PDF / TXT 报告（文件夹表示其中所有此类文件）")
    p.add_argument("paths", nargs="+")
    p.add_argument("--db", default=DEFAULT_DB)
    p.add_argument("-v", "--verbose", action="store_true", help="列出每份报告的提示")
    p.add_argument("--replace", action="store_true", help="同单位同年度已有报告时，以新文件替换")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="并行解析的进程数（默认：CPU核数）")
    p.set_defaults(func=_ingest)
    c = sub.add_parser("checks", help="列出每份报告的勾稽核对结果")
    c.add_argument("--db", default=DEFAULT_DB)
    c.add_argument("--all", action="store_true", help="也列出通过的核对")
    c.set_defaults(func=_checks)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
