"""The text-extraction amount placement: arithmetic decides, spacing bounds, ambiguity is never guessed."""

from decimal import Decimal as D

from etl.read.tokens import leading_code, pieces
from etl.tables.placement import Pending, candidates, resolve_by_usage, resolve_children

TOL = D("0.01")


def test_total_basic_project_row_with_three_values_is_certain():
    assert candidates([D("3623.26"), D("425.21"), D("3198.06")], [], ["total", "basic", "project"], TOL) == [(0, 1, 2)]


def test_two_equal_values_are_ambiguous_without_more_evidence():
    assert candidates([D("135.38"), D("135.38")], [], ["total", "basic", "project"], TOL) == [(0, 1), (0, 2)]


def test_one_value_in_revenue_table_can_only_be_carryover():
    measures = ["total", "general_budget", "gov_fund", "soe_capital", "special_account", "unit_funds", "carryover"]
    assert candidates([D("13.09")], [], measures, TOL) == [(6,)]


def test_spacing_bounds_blank_cells():
    measures = ["total", "general_budget", "gov_fund", "soe_capital", "special_account", "unit_funds", "carryover"]
    # "合计 3,276.48 3,276.48         346.79": nine spaces are four blank cells
    gaps = [1, 1, 9, 0]
    assert candidates([D("3276.48"), D("3276.48"), D("346.79")], gaps, measures, TOL) == [(0, 1, 6)]
    # a single space between two amounts: adjacent cells
    assert candidates([D("0.70"), D("0.70")], [1, 1, 2], ["total", "basic", "project"], TOL) == [(0, 1)]


def test_children_settle_by_parent_sum():
    kids = [Pending([D("323.55"), D("323.55")], []), Pending([D("135.38"), D("135.38")], [])]
    for k in kids:
        k.candidates = [(0, 1), (0, 2)]
    parent = {0: D("458.93"), 1: D("323.55"), 2: D("135.38")}
    assert resolve_children(parent, kids, TOL)
    assert [k.placed for k in kids] == [(0, 1), (0, 2)]


def test_usage_narrows_to_columns_certain_rows_use():
    certain = Pending([D(1)], [], candidates=[(0,)], placed=(0,))
    open_row = Pending([D(2)], [], candidates=[(0,), (3,)])
    resolve_by_usage([certain, open_row])
    assert open_row.placed == (0,)


def test_tokens_split_glued_amounts_and_codes():
    kinds = [(p.kind, p.text) for p in pieces("3,276.48一、一般公共服务支出 0.70 0.70  ")]
    assert kinds[:4] == [("amount", "3,276.48"), ("text", "一、一般公共服务支出"), ("amount", "0.70"), ("amount", "0.70")]
    assert leading_code("201 05 06 统计管理 26,300")[0] == "2010506"
    assert leading_code("2013299 其他组织事务支出 0.70")[0] == "2013299"
    # a year glued to a project name is text, not an amount
    assert [p.kind for p in pieces("　　2023首届旅游发展大会 200.00")] == ["text", "amount", "end"]
