"""Headline figures of one report, picked from whichever table states them.

Templates differ (山西 13 tables, 上海 9 tables), so each figure has a short list of places to look, in order of
authority: the summary table first, then the revenue/expenditure tables, then the figures stated in the prose.
Amounts stay in 元 here; formatting to 万元 happens at display time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from dashboard import queries
from dashboard.fmt import share
from dashboard.generations import per_report
from etl.read.units import yuan_per


@dataclass(frozen=True)
class Kpis:
    revenue_total: float | None
    expenditure_total: float | None
    current_revenue: float | None
    carryover: float | None
    basic: float | None
    project: float | None
    fiscal: float | None
    change_yuan: float | None
    change_pct: float | None
    change_source: str | None  # where the change figure came from, shown as help text

    @property
    def basic_share(self) -> float | None:
        return share(self.basic, self.expenditure_total)

    @property
    def project_share(self) -> float | None:
        return share(self.project, self.expenditure_total)

    @property
    def fiscal_share(self) -> float | None:
        return share(self.fiscal, self.revenue_total)

    @property
    def carryover_share(self) -> float | None:
        return share(self.carryover, self.revenue_total)


def _num(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def summary_amount(lines: pd.DataFrame, side: str, items: tuple[str, ...]) -> float | None:
    """First amount of a named summary row, preferring the 收支总表 and its 合计 column."""
    if lines.empty:
        return None
    rows = lines[(lines["side"] == side) & lines["item"].isin(items) & lines["amount_yuan"].notna()]
    if rows.empty:
        pattern = "|".join(re.escape(i) for i in items)
        starts = lines["item"].fillna("").str.match(pattern)
        rows = lines[(lines["side"] == side) & starts & lines["amount_yuan"].notna()]
    if rows.empty:
        return None
    rank = rows.assign(
        _kind=(rows["table_kind"] != "summary").astype(int),
        _measure=rows["measure"].map(lambda m: 0 if m == "total" else 1 if m is None or pd.isna(m) else 2),
        _item=rows["item"].map(lambda i: items.index(i) if i in items else len(items)),
    ).sort_values(["_kind", "_item", "_measure", "row_no"])
    return _num(rank["amount_yuan"].iloc[0])


def func_total(lines: pd.DataFrame, measures: tuple[str, ...]) -> float | None:
    """Sum of the 合计 row (level 0) over the given measures; None when none of them is printed."""
    if lines.empty:
        return None
    rows = lines[(lines["level"] == 0) & lines["measure"].isin(measures) & lines["amount_yuan"].notna()]
    if rows.empty:
        return None
    return float(rows.groupby("measure")["amount_yuan"].first().sum())


def _first(facts: pd.DataFrame, key: str) -> int | None:
    """Position of the first fact named key, or None. A plain list search: the pages look facts up by the
    dozen per view (同比变化's prose items), and a pandas mask per lookup cost more than the rest of the work."""
    if facts.empty:
        return None
    try:
        return facts["key"].tolist().index(key)
    except ValueError:
        return None


def fact_yuan(facts: pd.DataFrame, key: str) -> float | None:
    """A money fact in 元, whatever unit the sentence used (万元 when the ETL left the unit blank): etl.read.units."""
    i = _first(facts, key)
    if i is None or pd.isna(facts["value"].iloc[i]):
        return None
    unit = facts["unit"].iloc[i]
    return float(facts["value"].iloc[i]) * float(yuan_per(None if unit is None or pd.isna(unit) else str(unit)))


def fact_pct(facts: pd.DataFrame, key: str) -> float | None:
    i = _first(facts, key)
    if i is None or pd.isna(facts["value"].iloc[i]):
        return None
    return float(facts["value"].iloc[i])


def _totals(doc_id: str) -> tuple[float | None, float | None]:
    lines = queries.summary_lines(doc_id)
    revenue = summary_amount(lines, "收入", ("收入总计", "收入总计（合计）", "收入合计"))
    expenditure = summary_amount(lines, "支出", ("支出总计", "支出总计（合计）", "支出合计"))
    return revenue, expenditure


def _change(doc_id: str, facts: pd.DataFrame, revenue: float | None, expenditure: float | None) -> tuple:
    """Year-on-year change of the budget total: the prose first, else the same unit's report a year earlier."""
    for prefix in ("expenditure", "revenue"):
        change = fact_yuan(facts, f"{prefix}_change")
        # a budget balances (收入总计 = 支出总计), so the revenue change is the expenditure change too
        if change is not None and (prefix == "expenditure" or revenue == expenditure or expenditure is None):
            return change, fact_pct(facts, f"{prefix}_change_pct"), "报告文字说明"
    prior = queries.prior_document(doc_id)
    if prior.empty or expenditure is None:
        return None, None, None
    _, prior_expenditure = _totals(str(prior["doc_id"].iloc[0]))
    if prior_expenditure is None:
        return None, None, None
    change = expenditure - prior_expenditure
    return change, share(change, prior_expenditure), f"与{int(prior['fiscal_year'].iloc[0])}年报告比较"


@per_report  # last year's report, which the change figure reads, is of the same unit: in the version
def load(doc_id: str) -> Kpis:
    """All headline figures of one report; any figure the report doesn't state is None."""
    lines = queries.summary_lines(doc_id)
    facts = queries.facts(doc_id)
    expenditure_lines = queries.func_lines(doc_id, "expenditure")
    revenue_lines = queries.func_lines(doc_id, "revenue")

    revenue, expenditure = _totals(doc_id)
    revenue = revenue if revenue is not None else fact_yuan(facts, "revenue_total")
    expenditure = expenditure if expenditure is not None else (
        func_total(expenditure_lines, ("total",)) or fact_yuan(facts, "expenditure_total"))
    current = summary_amount(lines, "收入", ("本年收入合计", "本年收入小计", "本年收入"))
    if current is None:
        current = func_total(revenue_lines, ("total",))
    carryover = summary_amount(lines, "收入", ("上年结转", "上年结转结余", "上年财政拨款结转"))
    if carryover is None:
        carryover = func_total(revenue_lines, ("carryover",))
    basic = func_total(expenditure_lines, ("basic",))
    project = func_total(expenditure_lines, ("project",))
    basic = basic if basic is not None else fact_yuan(facts, "basic_total")
    project = project if project is not None else fact_yuan(facts, "project_total")
    fiscal = func_total(revenue_lines, ("general_budget", "gov_fund", "soe_capital"))
    if fiscal is None:
        fiscal = func_total(revenue_lines, ("fiscal_appropriation",))
    change, change_pct, source = _change(doc_id, facts, revenue, expenditure)
    return Kpis(revenue, expenditure, current, carryover, basic, project, fiscal, change, change_pct, source)
