"""Chinese names for the data model's codes (table_kind, measure, funding columns).

The database speaks in contract vocabulary; every label the official reads comes from here so one word is never
spelled two ways on two pages.
"""

from __future__ import annotations

TABLE_KIND: dict[str, str] = {
    "summary": "收支总表",
    "revenue": "收入总表",
    "expenditure": "支出总表",
    "fiscal_summary": "财政拨款收支总表",
    "gp_expenditure": "一般公共预算支出表",
    "gp_basic_econ": "一般公共预算基本支出经济分类表",
    "gov_fund_revenue": "政府性基金预算收入表",
    "gov_fund_expenditure": "政府性基金预算支出表",
    "soe_capital": "国有资本经营预算支出表",
    "three_public": "“三公”经费支出表",
    "operating_cost": "机关运行经费表",
    "projects": "项目支出表（本年）",
    "projects_carryover": "项目支出表（上年结转）",
    "procurement": "政府采购预算明细表",
    "performance_form": "项目支出绩效目标申报表",
    "unrecognised": "未识别的表",
}

MEASURE: dict[str, str] = {
    "total": "合计",
    "basic": "基本支出",
    "project": "项目支出",
    "general_budget": "一般公共预算",
    "gov_fund": "政府性基金",
    "soe_capital": "国有资本经营预算",
    "special_account": "财政专户管理资金",
    "unit_funds": "单位资金",
    "carryover": "上年结转",
    "current_year": "当年预算安排",
    "fiscal_appropriation": "财政拨款收入",
    "business_income": "事业收入",
    "operating_income": "事业单位经营收入",
    "other_income": "其他收入",
    "personnel": "人员经费",
    "public": "公用经费",
}

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
    """Readable name for a table_kind; unknown kinds pass through rather than vanish."""
    if not kind:
        return "—"
    return TABLE_KIND.get(kind, kind)
