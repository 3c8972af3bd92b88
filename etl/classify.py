"""Which table is this? Recognised by what its title says, never by its printed number."""

from __future__ import annotations

import re

# Ordered: the first rule whose words all occur in the title wins (specific before general).
_RULES: list[tuple[tuple[str, ...], str]] = [
    (("绩效目标",), "performance_form"),
    (("政府采购",), "procurement"),
    (("三公",), "three_public"),
    (("机关运行经费",), "operating_cost"),
    (("项目支出", "上年结转"), "projects_carryover"),
    (("项目支出", "预算表"), "projects"),
    (("国有资本经营",), "soe_capital"),
    (("政府性基金", "收入"), "gov_fund_revenue"),
    (("政府性基金",), "gov_fund_expenditure"),
    (("经济分类",), "gp_basic_econ"),
    (("经济科目",), "gp_basic_econ"),
    (("财政拨款收支",), "fiscal_summary"),
    (("一般公共预算", "基本支出"), "gp_basic_econ"),  # 中央/many provinces: 一般公共预算基本支出表 (by 经济分类)
    (("一般公共预算", "支出"), "gp_expenditure"),
    (("收支", "总表"), "summary"),
    (("收入", "总表"), "revenue"),
    (("支出", "总表"), "expenditure"),
    # 部门/单位收入预算表: templates that keep 总 for the 收支 table only. Only with 部门/单位 in the title, so a
    # 财政拨款支出预算表 or other part-table is reported as unrecognised rather than taken for the whole
    (("部门", "收支", "预算表"), "summary"),
    (("单位", "收支", "预算表"), "summary"),
    (("部门", "收入", "预算表"), "revenue"),
    (("单位", "收入", "预算表"), "revenue"),
    (("部门", "支出", "预算表"), "expenditure"),
    (("单位", "支出", "预算表"), "expenditure"),
]

# 决算 titles (部门决算/单位决算, national template): matched only against these, so a 决算 table is never taken
# for a 预算 kind (收入支出决算总表 is not a 收入总表; 政府性基金…收入支出决算表 is the fund's whole table)
_FINAL_RULES: list[tuple[tuple[str, ...], str]] = [
    (("绩效目标",), "performance_form"),
    (("政府采购",), "procurement"),
    (("三公",), "three_public"),
    (("机关运行经费",), "operating_cost"),
    (("国有资本经营",), "soe_capital"),
    (("政府性基金",), "gov_fund_expenditure"),
    (("经济分类",), "gp_basic_econ"),
    (("一般公共预算", "基本支出"), "gp_basic_econ"),
    (("财政拨款收入支出",), "fiscal_summary"),
    (("财政拨款收支",), "fiscal_summary"),
    (("一般公共预算", "支出"), "gp_expenditure"),
    (("收入支出", "决算"), "final_summary"),
    (("收支", "决算"), "final_summary"),
    (("收入", "决算"), "revenue"),
    (("支出", "决算"), "expenditure"),
]

KIND_LABELS = {
    "final_summary": "收入支出决算总表",
    "summary": "收支总表",
    "revenue": "收入总表",
    "expenditure": "支出总表",
    "fiscal_summary": "财政拨款收支总表",
    "gp_expenditure": "一般公共预算支出表",
    "gp_basic_econ": "一般公共预算基本支出经济分类表",
    "gov_fund_revenue": "政府性基金预算收入表",
    "gov_fund_expenditure": "政府性基金预算支出表",
    "soe_capital": "国有资本经营预算支出表",
    "three_public": "“三公”经费表",
    "operating_cost": "机关运行经费表",
    "projects": "项目支出预算表",
    "projects_carryover": "项目支出预算表（上年结转）",
    "procurement": "政府采购预算明细表",
    "performance_form": "项目支出绩效目标表",
    "unrecognised": "未识别的表",
}

_TITLE = re.compile(r"(预算|决算|经费|支出|收入|收支|拨款|采购|绩效)[^，。；：:]{0,40}表(（[^）]{1,12}）|\([^)]{1,12}\))?\s*$")


def looks_like_title(text: str) -> bool:
    """A caption line: short, ends in …表 (optionally a bracketed qualifier), not a sentence or a TOC entry."""
    s = text.strip()
    if not s or len(s) > 60 or "…" in s or "..." in s or "。" in s or "，" in s:
        return False
    if re.match(r"^(注|说明|备注)[:：]|^第[一二三四五六七八九十]+部分", s):
        return False
    return bool(_TITLE.search(s))


def classify(title: str) -> str:
    t = re.sub(r"\s+", "", title)
    for words, kind in (_FINAL_RULES if "决算" in t else _RULES):
        if all(w in t for w in words):
            return kind
    return "unrecognised"
