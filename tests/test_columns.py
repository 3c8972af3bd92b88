"""What each column holds, from small hand-built headers: label paths, roles, measures, the two sides of a
收支总表, and a text header's measures in the national template's order."""

from __future__ import annotations

import pytest

from etl.tables.columns import grid_columns, measure_of, text_columns


def described(cols) -> list[tuple[str, str, str | None, int]]:
    return [(c.label, c.role, c.measure, c.side) for c in cols]


def test_merged_header_cells_inherit_the_label_they_sit_under() -> None:
    header = [["科目编码", "科目名称", "合计", "基本支出", None, "项目支出"],
              [None, None, None, "人员经费", "公用经费", None]]
    assert described(grid_columns(header, 6)) == [
        ("科目编码", "code", None, 0),
        ("科目名称", "name", None, 0),
        ("合计", "amount", "total", 0),
        ("基本支出/人员经费", "amount", "personnel", 0),
        ("基本支出/公用经费", "amount", "public", 0),
        ("项目支出", "amount", "project", 0),
    ]


def test_two_sided_table_numbers_its_sides() -> None:
    header = [["收入", None, "支出", None], ["项目", "预算数", "项目", "预算数"]]
    assert described(grid_columns(header, 4)) == [
        ("收入/项目", "name", None, 0), ("收入/预算数", "amount", "total", 0),
        ("支出/项目", "name", None, 1), ("支出/预算数", "amount", "total", 1),
    ]


def test_lei_kuan_xiang_columns_are_code_columns() -> None:
    cols = grid_columns([["类", "款", "项", "科目名称", "合计"]], 5)
    assert [c.role for c in cols] == ["code", "code", "code", "name", "amount"]


@pytest.mark.parametrize(("label", "measure"), [
    ("2023年预算数", "total"), ("2023年", "total"), ("上年财政拨款结转", "carryover"), ("事 业 收 入", "business_income"),
    ("事业单位经营收入", "operating_income"), ("当年财政拨款", "current_year"), ("一般公共预算", "general_budget"),
    ("备注", None),
])
def test_measure_of_label(label: str, measure: str | None) -> None:
    assert measure_of(label) == measure


def test_text_header_measures_come_in_canonical_order_once_each() -> None:
    cols = text_columns("科目编码 科目名称 项目支出 基本支出 合计")
    assert [(c.index, c.measure) for c in cols] == [(0, "total"), (1, "basic"), (2, "project")]


def test_text_header_fiscal_appropriation_over_its_funds_is_a_group_heading() -> None:
    cols = text_columns("项目 合计 财政拨款 一般公共预算 政府性基金 单位资金 上年结转")
    assert [c.measure for c in cols] == ["total", "general_budget", "gov_fund", "unit_funds", "carryover"]
    assert all(c.role == "amount" for c in cols)
