"""The 决算 rows of the rule table on small hand-built 决算 reports: one that satisfies each rule, one that breaks it.

Built in the test (never real figures), with the Build helper of tests/test_rules.py; tests/test_rules.py counts
these cases among the rule table's (every rule has a case).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from etl.checks.rules import BY_ID, evaluate
from tests.test_rules import Build

S = "1、一般公共服务支出（类）财政事务（款）行政运行（项）。年初预算为10.00万元，支出决算为9.00万元。"


def _final() -> Build:
    b = Build(doc_type="部门决算", year=2023)
    b.r.doc["unit_name"] = "测试单位"
    return b


def _totals(ok: bool):
    b = _final().table("final_summary")
    for i, (item, amount) in enumerate((("一般公共预算财政拨款收入", "100"), ("其他收入", "10"), ("本年收入合计", "110"),
                                        ("年初结转和结余", "5"), ("总计", "115" if ok else "116"))):
        b.summ("final_summary", "收入", item, amount, row_no=i)
    for i, (item, amount) in enumerate((("一般公共服务支出", "110"), ("本年支出合计", "110"), ("年末结转和结余", "5"),
                                        ("总计", "115"))):
        b.summ("final_summary", "支出", item, amount, row_no=i)
    return b.r


def _fiscal(ok: bool):
    b = _final().table("fiscal_summary")
    for i, (item, amount) in enumerate((("一般公共预算财政拨款", "100"), ("本年收入合计", "100"),
                                        ("年初财政拨款结转和结余", "5"), ("一般公共预算财政拨款", "5"),
                                        ("总计", "105" if ok else "106"))):
        b.summ("fiscal_summary", "收入", item, amount, row_no=i)
    for i, (item, amount) in enumerate((("一般公共服务支出", "100"), ("本年支出合计", "100"), ("年末财政拨款结转和结余", "5"),
                                        ("总计", "105"))):
        b.summ("fiscal_summary", "支出", item, amount, row_no=i)
        b.summ("fiscal_summary", "支出", item, amount, measure="general_budget", row_no=i)
    return b.r


def _tp(ok: bool):
    b = _final().table("three_public", unit="万元")
    b.add("three_public", table_kind="three_public", item="合计", measure="budget", column_label=None,
          amount_yuan=D("100000"), page=9)
    b.add("three_public", table_kind="three_public", item="合计", measure="actual", column_label=None,
          amount_yuan=D("80000" if ok else "120000"), page=9)
    return b.r


def _execution(third: str, value: float | None, unit: str) -> Build:
    b = _final()
    b.fact("item_budget", 10.0, code="2010101", sentence=S)
    b.fact("item_actual", 9.0, code="2010101", sentence=S)
    b.fact(third, value, code="2010101", sentence=S, unit=unit)
    return b


FINAL_CASES = {
    "final_summary.totals": _totals,
    "final_summary.balance": _totals,
    "revenue.row_sources": lambda ok: (
        _final().table("revenue").func("revenue", "201", "total", "100").func("revenue", "201", "fiscal_appropriation", "90")
        .func("revenue", "201", "other_income", "10" if ok else "11")).r,
    "expenditure.row_parts": lambda ok: (
        _final().table("expenditure").func("expenditure", "201", "total", "100").func("expenditure", "201", "basic", "60")
        .func("expenditure", "201", "project", "30").func("expenditure", "201", "operating_expense", "10" if ok else "9")).r,
    "fiscal_summary.final_totals": _fiscal,
    "final_summary.vs_revenue": lambda ok: (
        _final().table("final_summary").table("revenue")
        .summ("final_summary", "收入", "一般公共预算财政拨款收入", "100", row_no=0)
        .summ("final_summary", "收入", "本年收入合计", "100", row_no=1)
        .func("revenue", None, "total", "100").func("revenue", None, "fiscal_appropriation", "100" if ok else "99")).r,
    "final_summary.vs_expenditure": lambda ok: (
        _final().table("final_summary").table("expenditure")
        .summ("final_summary", "支出", "一般公共服务支出", "100", row_no=0)
        .summ("final_summary", "支出", "本年支出合计", "100", row_no=1)
        .func("expenditure", None, "total", "100").func("expenditure", "201", "total", "100" if ok else "99",
                                                        name="一般公共服务支出")).r,
    "fiscal_summary.vs_final_summary": lambda ok: (
        _final().table("fiscal_summary").table("final_summary")
        .summ("fiscal_summary", "收入", "一般公共预算财政拨款", "100", row_no=0)
        .summ("fiscal_summary", "收入", "本年收入合计", "100", row_no=1)
        .summ("final_summary", "收入", "一般公共预算财政拨款收入", "100" if ok else "101", row_no=0)
        .summ("final_summary", "收入", "本年收入合计", "100", row_no=1)).r,
    "gp_basic_econ.personnel_public": lambda ok: (
        _final().table("gp_basic_econ").econ("301", "工资福利支出", "total", "60", 0, True)
        .econ("303", "对个人和家庭的补助", "total", "10", 1, True).econ(None, "人员经费合计", "total", "70" if ok else "71", 2, True)
        .econ("302", "商品和服务支出", "total", "20", 3, True).econ("310", "资本性支出", "total", "10", 4, True)
        .econ(None, "公用经费合计", "total", "30", 5, True)).r,
    "gp_basic_econ.final_vs_gp_basic": lambda ok: (
        _final().table("gp_basic_econ").table("gp_expenditure").econ(None, "人员经费合计", "total", "70", 0, True)
        .econ(None, "公用经费合计", "total", "30", 1, True).func("gp_expenditure", None, "basic", "100" if ok else "101")).r,
    "three_public.within_budget": _tp,
    "final.prose_vs_tables": lambda ok: (
        _final().table("final_summary").summ("final_summary", "收入", "总计", "1150000")
        .fact("final_total", 115.0 if ok else 116.0)).r,
    "final.prose_shares": lambda ok: (
        _final().table("final_summary").table("expenditure")
        .summ("final_summary", "支出", "本年支出合计", "1000000").func("expenditure", None, "basic", "600000")
        .fact("basic_total_share", 60.0 if ok else 61.0, unit="%")).r,
    "final.prose_wording": lambda ok: _execution("item_comparison", None, "小于" if ok else "大于").r,
    "final.prose_completion": lambda ok: _execution("item_completion_pct", 90.0 if ok else 95.0, "%").r,
    "final.part_heading_years": lambda ok: (
        _final().prose(f"第二部分 测试单位{2023 if ok else 2022}年度部门决算表")).r,
    "final.heading_units": lambda ok: _final().prose(f"{'测试单位' if ok else '别的单位'}2023年度部门决算表").r,
}


@pytest.mark.parametrize("rule_id", sorted(FINAL_CASES))
def test_final_rule_passes_and_fails(rule_id: str) -> None:
    rule = BY_ID[rule_id]
    assert rule.families == ("决算",)
    good = evaluate(FINAL_CASES[rule_id](True), (rule,))
    assert good and all(c["passed"] is True for c in good), good
    bad = evaluate(FINAL_CASES[rule_id](False), (rule,))
    assert any(c["passed"] is False for c in bad), bad
    for row in good + bad:
        assert row["rule"] == rule_id and "_" not in row["description"], row


def test_final_rules_do_not_run_on_budgets() -> None:
    report = _totals(False)
    report.doc["doc_type"] = "部门预算"
    assert evaluate(report, (BY_ID["final_summary.totals"],)) == []


def test_budget_prose_rule_does_not_read_finals() -> None:
    """A 决算's item_budget is its 年初预算, not the table's figure: the 预算 prose rule leaves it alone."""
    report = (_final().table("gp_expenditure").func("gp_expenditure", "2010101", "total", "90000")
              .fact("item_budget", 10.0, code="2010101")).r
    assert evaluate(report, (BY_ID["prose.vs_tables"],)) == []


def test_share_and_completion_findings_state_both_figures() -> None:
    [row] = evaluate(FINAL_CASES["final.prose_shares"](False), (BY_ID["final.prose_shares"],))
    assert "占61%" in row["description"] and "按表中数字为60.00%" in row["description"]
    assert row["expected"] is None and row["actual"] is None  # a % is no amount in 元
    [row] = evaluate(FINAL_CASES["final.prose_completion"](False), (BY_ID["final.prose_completion"],))
    assert "完成预算95%" in row["description"] and "应为90.00%" in row["description"]
