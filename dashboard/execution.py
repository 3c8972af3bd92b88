"""预算执行 of one 决算: the figures the 预算执行 page shows and the briefing's 预算执行 section prints, worked out once
so the file handed in and the screen can never disagree.

All amounts stay in 元 as the query returns them; the callers format them (万元) where they print.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, queries

CHART_SUBJECT = "一般公共预算各项（项级科目）预算执行"
SHOWN = 3  # the under- and over-executions named beside the chart
# budget_vs_actual.budget_source → the budget it is: 预算报告 is the year's 预算, i.e. the budget at the year's start
_WORDS = {"全年预算": "全年预算", "年初预算": "年初预算", "预算报告": "年初预算"}


def budget_word(sources: Iterable[str | None]) -> str:
    """The word for the budget a set of figures is compared with: 全年预算 or 年初预算 where all of them are that
    budget, else plain 预算 (a mix, prose that says only 预算为X, or nothing listed). A unit founded during the year
    has a 年初预算 of 0 and a 全年预算 of what it was given; calling one the other misstates its execution."""
    words = {_WORDS.get(s, "预算") for s in sources if isinstance(s, str)}
    return words.pop() if len(words) == 1 else "预算"


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

    @property
    def total_word(self) -> str:
        """全年预算 / 年初预算 / 预算: what the 合计's budget is (the KPIs say it)."""
        return budget_word([] if self.total is None else [self.total["budget_source"]])

    @property
    def items_word(self) -> str:
        """What the 项-level budgets in the chart are; 预算 where they mix (each row's source says which)."""
        return budget_word(self.items["budget_source"])

    @property
    def rows_word(self) -> str:
        """What every budget in the detail table is."""
        return budget_word(self.rows["budget_source"])


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
                                CHART_SUBJECT, budget_name=ex.items_word)


def reason(row: pd.Series) -> str:
    return row["reason"] if isinstance(row.get("reason"), str) else "报告未说明原因"
