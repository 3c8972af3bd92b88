"""Source notes: which report, table and page a figure's numbers were printed on.

A chart pasted into a briefing travels without the dashboard, so the note under it must let a reader find the
numbers in the original report.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard import queries
from dashboard.charts import ChartContext
from dashboard.labels import table_kind as kind_label
from dashboard.state import Selection


def _table_label(row: pd.Series) -> str:
    number = row.get("table_no")
    title = row.get("title")
    label = ""
    if number is not None and not pd.isna(number) and str(number).strip():
        number = str(number).strip()
        label = number if "表" in number else f"表{number}"
    if title is not None and not pd.isna(title) and str(title).strip():
        label += f"“{str(title).strip()}”"
    return label or kind_label(row.get("table_kind"))


def _pages(rows: pd.DataFrame) -> str:
    first = rows["page_from"].dropna()
    last = rows["page_to"].dropna()
    if first.empty:
        return ""
    lo, hi = int(first.min()), int(max(last.max(), first.max())) if not last.empty else int(first.max())
    return f"第{lo}页" if lo == hi else f"第{lo}–{hi}页"


def source_note(doc_title: str | None, tables: pd.DataFrame, kinds: Sequence[str]) -> str:
    """'资料来源：《…》表3“2023年预算支出总表”，第6页' — tables absent from the report are simply not named."""
    head = f"资料来源：《{doc_title}》" if doc_title else "资料来源：公开报告"
    if tables.empty:
        return head
    parts = []
    for kind in kinds:
        rows = tables[tables["table_kind"] == kind]
        if rows.empty:
            continue
        label = _table_label(rows.iloc[0])
        pages = _pages(rows)
        parts.append(f"{label}，{pages}" if pages else label)
    return head + "；".join(parts)


def context(sel: Selection, kinds: Sequence[str]) -> ChartContext:
    """Title and source-note context for a chart drawn from the given tables of the selected report."""
    tables = queries.report_tables(sel.doc_id)
    return ChartContext(unit=sel.unit_name, year=sel.fiscal_year, source=source_note(sel.title, tables, kinds),
                        kind=sel.doc_type or "")
