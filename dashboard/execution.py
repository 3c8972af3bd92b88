"""预算执行 of one 决算: the figures the 预算执行 page shows and the briefing's 预算执行 section prints, worked out once
so the file handed in and the screen can never disagree.

All amounts stay in 元 as the query returns them; the callers format them (万元) where they print.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, queries

BUDGET_WORD = "年初预算"
CHART_SUBJECT = "一般公共预算各项（项级科目）预算执行"
SHOWN = 3  # the under- and over-executions named beside the chart


@dataclass(frozen=True)
class Execution:
    rows: pd.DataFrame           # every 科目 and the total (code NULL), as queries.budget_vs_actual gives them
    reasons: pd.DataFrame        # code, reason: the report's own words for a 科目's difference
    total: pd.Series | None      # the 合计 row, or None when the report prints none
    items: pd.DataFrame          # 项-level 科目 with both figures, reasons merged, most under-executed first

    @property
    def under(self) -> pd.DataFrame:
        return self.items[self.items["difference_yuan"] < 0].head(SHOWN)

    @property
    def over(self) -> pd.DataFrame:
        over = self.items[self.items["difference_yuan"] > 0]
        return over.sort_values("difference_yuan", ascending=False, kind="stable").head(SHOWN)

    @property
    def sources(self) -> list[str]:
        return sorted(set(self.rows["budget_source"].dropna()))


def of_report(doc_id: str) -> Execution:
    rows = queries.budget_vs_actual(doc_id)
    reasons = queries.stated_reasons(doc_id)
    total = rows[rows["code"].isna()]
    items = rows[(rows["level"] == 3) & rows["budget_yuan"].notna() & rows["actual_yuan"].notna()].copy()
    items = items.merge(reasons, on="code", how="left").sort_values("difference_yuan", kind="stable")
    return Execution(rows, reasons, total.iloc[0] if not total.empty else None, items)


def chart(ex: Execution, ctx: charts.ChartContext) -> go.Figure:
    """Budget beside actual per 项, in the order of the page: most under-executed first."""
    labels = [f"{c} {n}" for c, n in zip(ex.items["code"], ex.items["name"], strict=True)]
    return charts.execution_bar(labels, list(ex.items["budget_yuan"]), list(ex.items["actual_yuan"]), ctx,
                                CHART_SUBJECT, budget_name=BUDGET_WORD)


def reason(row: pd.Series) -> str:
    return row["reason"] if isinstance(row.get("reason"), str) else "报告未说明原因"
