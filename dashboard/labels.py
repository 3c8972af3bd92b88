"""Chinese names for the data model's codes (table_kind, measure, funding columns).

The database speaks in contract vocabulary; every label the official reads comes from here so one word is never
spelled two ways on two pages.
"""

from __future__ import annotations

from etl.tables.kinds import KINDS, MEASURE_LABELS, UNRECOGNISED, UNRECOGNISED_LABEL

# The registry's one label per kind (etl/tables/kinds.py), so the dashboard and the checks never spell a table two ways.
TABLE_KIND: dict[str, str] = {k.key: k.label for k in KINDS} | {UNRECOGNISED: UNRECOGNISED_LABEL}

MEASURE: dict[str, str] = dict(MEASURE_LABELS)

# projects table funding columns, in the order the reports print them.
PROJECT_FUNDS: dict[str, str] = {
    "general_budget_yuan": "一般公共预算",
    "gov_fund_yuan": "政府性基金",
    "soe_capital_yuan": "国有资本经营预算",
    "special_account_yuan": "财政专户管理资金",
    "unit_funds_yuan": "单位资金",
}

FORM_TEXT: dict[str, str] = {
    "overview": "项目概况",
    "basis": "立项依据",
    "necessity": "项目设立必要性",
    "safeguards": "保证项目实施的制度、措施",
    "plan": "项目实施计划",
}

INDICATOR_LEVEL1_ORDER = ("产出指标", "效益指标", "满意度指标")


def table_kind(kind: str | None) -> str:
    """Readable name for a table_kind; an unknown key is never shown to a user as it is."""
    if not kind:
        return "—"
    return TABLE_KIND.get(kind, "未知表")


def is_final(doc_type: str | None) -> bool:
    """A 部门决算/单位决算: its amounts are what was spent, not what was planned."""
    return "决算" in (doc_type or "")


def amount_word(doc_type: str | None) -> str:
    """'决算' or '预算' — the one word every page puts before 数/年度/报告 for the selected report, so a 决算 is never
    labelled with budget wording (and an unknown type reads as the budgets the tool began with)."""
    return "决算" if is_final(doc_type) else "预算"


def amount_label(doc_type: str | None) -> str:
    """'决算数' / '预算数': what the report's amounts are."""
    return f"{amount_word(doc_type)}数"


def report_kind(doc_type: str | None) -> str:
    """The report's type as titles print it ('部门决算'), or '报告' when the document did not say."""
    return doc_type or "报告"
