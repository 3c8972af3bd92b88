"""简报 from the command line: one report as the Word briefing (.docx) or slides (.pptx) the pages' 生成简报（Word）
/ 生成汇报（PPT） buttons download — the same file, for a batch or a scheduled job.

    python -m dashboard.briefing --unit NAME --year 2023 [--kind 部门预算] [--pptx] --out 简报.docx [--db FILE]

What the briefing says is dashboard/export/content.py; the writers are dashboard/export/word.py and slides.py. This
module picks the report the way the sidebar would (select), and re-exports build / to_docx / to_pptx /
docx_bytes / pptx_bytes so a script can make the files without knowing that split.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

if __name__ == "__main__":  # batch use: the query cache's 'No runtime found' notices are not for the operator
    import streamlit.logger

    streamlit.logger.set_log_level("error")

import pandas as pd  # noqa: E402

from dashboard import generations, queries  # noqa: E402
from dashboard.export.content import PAGE_CHARTS, Briefing, build  # noqa: E402
from dashboard.export.slides import pptx_bytes, to_pptx  # noqa: E402
from dashboard.export.word import docx_bytes, to_docx  # noqa: E402
from dashboard.state import Selection, unit_of  # noqa: E402

__all__ = ["Briefing", "SelectionError", "build", "docx_bytes", "main", "pptx_bytes", "select", "to_docx", "to_pptx"]


class SelectionError(ValueError):
    """The unit/year/kind asked for is not in the database; the message is for the user, in Chinese."""


def select(unit: str, year: int | None, kind: str | None = None) -> tuple[Selection, str | None]:
    """The report the sidebar picker would show for unit/year/kind, plus a note when a choice was made for the user."""
    docs = queries.documents()
    display = unit_of(docs, unit)  # any printing of the unit's name, as a link's ?unit= takes it
    rows = docs[docs["unit_name"] == display]
    if rows.empty:
        names = "、".join(dict.fromkeys(docs["unit_name"].astype(str)))
        raise SelectionError(f"数据库中没有单位“{unit}”的报告。已有的单位：{names or '（无）'}")
    if year is not None:
        found = rows[rows["fiscal_year"] == year]
        if found.empty:
            years = "、".join(f"{int(y)}年" for y in rows["fiscal_year"].dropna().unique())
            raise SelectionError(f"数据库中没有{unit}{year}年的报告。已有的年度：{years or '年度不详'}")
        rows = found
    elif rows["fiscal_year"].notna().any():
        rows = rows[rows["fiscal_year"] == rows["fiscal_year"].max()]
    kinds = list(dict.fromkeys(rows["doc_type"].fillna("预算报告").astype(str)))
    note = None
    if kind is not None:
        rows = rows[rows["doc_type"].fillna("预算报告") == kind]
        if rows.empty:
            raise SelectionError(f"数据库中没有{unit}{year or ''}{'年' if year else ''}的{kind}。已有：{'、'.join(kinds)}")
    elif len(kinds) > 1:
        note = f"{unit}该年度有{'、'.join(kinds)}，已选{kinds[0]}；可用 --kind 指定。"
    row = rows.iloc[0]
    return Selection(
        doc_id=str(row["doc_id"]),
        unit_name=str(row["unit_name"]),
        fiscal_year=None if pd.isna(row["fiscal_year"]) else int(row["fiscal_year"]),
        doc_type=None if pd.isna(row["doc_type"]) else str(row["doc_type"]),
        title=None if pd.isna(row["title"]) else str(row["title"]),
    ), note


def _quiet_streamlit() -> None:
    """The query cache works outside a server but logs 'No runtime found' on every query; batch output stays clean."""
    import logging
    import warnings

    warnings.filterwarnings("ignore")
    for name in ("streamlit", "streamlit.runtime.caching.cache_data_api",
                 "streamlit.runtime.scriptrunner_utils.script_run_context"):
        logging.getLogger(name).setLevel(logging.ERROR)


def main(argv: list[str] | None = None) -> int:
    """The command: 0 with the file written (atomically), 1 with one Chinese line on stderr, never a traceback."""
    ap = argparse.ArgumentParser(prog="python -m dashboard.briefing",
                                 description="生成一份报告的情况简报（Word）或汇报（PPT），与看板上的按钮生成的文件相同。")
    ap.add_argument("--db", type=Path, help="预算数据库文件（默认 BUDGET_DB 或 data/budget.duckdb）")
    ap.add_argument("--unit", required=True, help="单位名称")
    ap.add_argument("--year", type=int, help="预算年度（默认最近一年）")
    ap.add_argument("--kind", help="报告类型，如 部门预算、单位预算（同一年度有两种时）")
    ap.add_argument("--page", default="overview", choices=[p for p in PAGE_CHARTS if p != "compare"],
                    help="按哪一页的图表生成（默认 overview 总览）")
    ap.add_argument("--pptx", action="store_true", help="生成PPT而不是Word")
    ap.add_argument("--out", type=Path, required=True, help="输出文件")
    args = ap.parse_args(argv)
    _quiet_streamlit()
    if args.db is not None:
        os.environ[generations.DB_ENV] = str(args.db)
    try:
        sel, note = select(args.unit, args.year, args.kind)
    except SelectionError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except generations.DatabaseMissing as exc:
        print(f"错误：找不到预算数据库（{exc}）。请用 --db 指定，或先运行 make db 导入报告。", file=sys.stderr)
        return 1
    except generations.DatabaseUnreadable as exc:
        print(f"错误：预算数据库无法打开（{exc}）。", file=sys.stderr)
        return 1
    if note:
        print(note, file=sys.stderr)
    data = pptx_bytes(sel, args.page) if args.pptx else docx_bytes(sel, args.page)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(args.out.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(args.out)  # never a half-written file under the asked name
    print(f"已生成 {args.out}（{len(data) // 1024} KB）")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
