"""Chinese names for the data model's codes (table_kind, measure, funding columns).

The database speaks in contract vocabulary; every label the official reads comes from here so one word is never
spelled two ways on two pages.
"""

from __future__ import annotations

from etl.kinds import KINDS, MEASURE_LABELS, UNRECOGNISED, UNRECOGNISED_LABEL

# The registry's one label per kind (etl/kinds.py), so the dashboard and the checks never spell a table two ways.
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
