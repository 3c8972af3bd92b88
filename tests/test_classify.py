"""Tables are recognised by what their title says, across templates: the samples' own titles and the naming of
other provinces' and the central departments' templates (titles as those templates print them)."""

from __future__ import annotations

import pytest

from etl.tables.classify import classify


@pytest.mark.parametrize(("title", "kind"), [
    # 阳泉 2023 (山西, 13 tables)
    ("2023年预算收支总表", "summary"),
    ("2023年一般公共预算安排基本支出分经济科目表（不含上年结转）", "gp_basic_econ"),
    ("2023年国有资本经营预算收支预算表（不含上年结转）", "soe_capital"),
    ("2023年项目支出预算表（上年结转）", "projects_carryover"),
    ("阳泉市市级预算部门（单位）项目支出绩效目标申报表", "performance_form"),
    # 上海 部门/单位预算 (9 tables)
    ("2024年部门财务收支预算总表", "summary"),
    ("2024年预算单位一般公共预算基本支出部门预算经济分类预算表", "gp_basic_econ"),
    ("2025年部门一般公共预算支出功能分类预算表", "gp_expenditure"),
    ("部门“三公”经费和机关运行经费预算表", "three_public"),
    # other templates: 中央部门 and provinces that drop 总 or 经济分类 from the title
    ("一般公共预算基本支出表", "gp_basic_econ"),
    ("一般公共预算财政拨款基本支出预算表", "gp_basic_econ"),
    ("一般公共预算支出表", "gp_expenditure"),
    ("部门收支预算表", "summary"),
    ("部门收入预算表", "revenue"),
    ("部门支出预算表", "expenditure"),
    ("单位收入预算表", "revenue"),
    ("财政拨款支出预算表", "unrecognised"),  # a part of the budget, not the 支出总表: reported, never taken for it
    ("收入总表", "revenue"),
    ("支出总表", "expenditure"),
    ("财政拨款收支总表", "fiscal_summary"),
    ("政府性基金预算支出表", "gov_fund_expenditure"),
    ("国有资本经营预算支出表", "soe_capital"),
    ("一般公共预算“三公”经费支出表", "three_public"),
    ("项目支出预算表", "projects"),
    ("政府采购预算表", "procurement"),
    ("部门基本情况表", "unrecognised"),
])
def test_title_names_the_table(title: str, kind: str) -> None:
    assert classify(title) == kind
