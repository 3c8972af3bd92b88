"""决算 reading on small hand-built inputs: titles, column measures, the parsers' 决算 layouts, the cover, the
template refusal, the prose facts and the two-font line re-join. Every figure here is made up for the test."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from etl.read.errors import RefusedInput
from etl.read.layout import Line, RawTable, Row, Source
from etl.tables.classify import classify
from etl.tables.columns import measure_of
from etl.tables.parsers.econ import parse_econ
from etl.tables.parsers.func import parse_func
from etl.tables.parsers.summary import parse_summary
from etl.tables.parsers.three_public import parse_three_public
from etl.words.metadata import read_metadata


def _raw(title: str, header: list[list[str | None]], rows: list[list[str | None]], unit: str = "万元") -> RawTable:
    return RawTable(title=title, table_no=None, unit_printed=unit, page_from=3, page_to=3, header=header,
                    rows=[Row(cells=r, page=3, aligned=True) for r in rows])


@pytest.mark.parametrize("title, kind", [
    ("收入支出决算总表", "final_summary"),
    ("部门收支决算总表", "final_summary"),
    ("收入决算表", "revenue"),
    ("支出决算表", "expenditure"),
    ("财政拨款收入支出决算总表", "fiscal_summary"),
    ("一般公共预算财政拨款支出决算表", "gp_expenditure"),
    ("一般公共预算财政拨款基本支出决算表", "gp_basic_econ"),
    ("财政拨款“三公”经费支出决算表", "three_public"),
    ("政府性基金预算财政拨款收入支出决算表", "gov_fund_expenditure"),
    ("国有资本经营预算财政拨款收入支出决算表", "soe_capital"),
    # 预算 titles keep their kinds
    ("部门收支总表", "summary"),
    ("部门收入总表", "revenue"),
    ("政府性基金预算收入表", "gov_fund_revenue"),
])
def test_final_titles(title, kind):
    assert classify(title) == kind


@pytest.mark.parametrize("label, measure", [
    ("上级补助收入", "superior_subsidy"), ("附属单位上缴收入", "affiliated_remit"), ("上缴上级支出", "remit_superior"),
    ("经营支出", "operating_expense"), ("对附属单位补助支出", "affiliated_subsidy"), ("年初结转和结余", "opening_balance"),
    ("年末结转和结余", "closing_balance"), ("本年收入", "current_revenue"), ("本年收入合计", "total"),
    ("决算数", "total"), ("年初预算数", "budget_initial"), ("调整预算数", "budget_adjusted"),
    ("全年预算数", "budget_adjusted"), ("调整后预算数", "budget_adjusted"), ("预算数/全年预算数", "budget_adjusted"),
    ("事业单位经营收入", "operating_income"), ("经营收入", "operating_income"),
])
def test_final_measures(label, measure):
    assert measure_of(label) == measure


def test_fund_table_with_balances():
    """政府性基金…收入支出决算表: 年初结转和结余 | 本年收入 | 本年支出 (小计/基本/项目) | 年末结转和结余."""
    raw = _raw("政府性基金预算财政拨款收入支出决算表", [
        ["项目", None, None, None, "年初结转和\n结余", "本年收入", "本年支出", None, None, "年末结转和\n结余"],
        ["支出功能分类\n科目编码", None, None, "科目名称", None, None, "小计", "基本支出", "项目支出", None],
        ["类", "款", "项", None, None, None, None, None, None, None],
    ], [
        ["212", "", "", "城乡社区支出", "1.00", "10.50", "11.00", "", "11.00", "0.50"],
        ["212", "08", "", "国有土地使用权出让收入安排的支出", "1.00", "10.50", "11.00", "", "11.00", "0.50"],
        ["合计", None, None, None, "1.00", "10.50", "11.00", "", "11.00", "0.50"],
    ])
    out = parse_func(raw, "gov_fund_expenditure")
    assert not out.issues
    got = {(r["code"], r["measure"]): r["amount_yuan"] for r in out.rows["func_lines"]}
    assert got[("21208", "opening_balance")] == D("10000.00")
    assert got[("21208", "current_revenue")] == D("105000.00")
    assert got[("21208", "total")] == D("110000.00")
    assert got[("21208", "project")] == D("110000.00")
    assert got[(None, "closing_balance")] == D("5000.00")
    assert ("21208", "basic") not in got  # blank: no row


def test_label_cells_beside_the_total_row():
    """类 | 款 | 项 printed in the 合计 row's code cells (收入决算表) are labels: the row is 合计."""
    raw = _raw("收入决算表", [
        ["项目", None, None, None, "本年收入合计", "财政拨款收入", "上级补助收入", "附属单位上缴收入"],
        ["支出功能分类", None, None, "科目名称", None, None, None, None],
        ["科目编码", None, None, None, None, None, None, None],
    ], [
        ["类", "款", "项", "合计", "3.00", "1.00", "1.50", "0.50"],
        ["201", "", "", "一般公共服务支出", "3.00", "1.00", "1.50", "0.50"],
    ])
    out = parse_func(raw, "revenue")
    assert not out.issues
    got = {(r["code"], r["level"], r["measure"]): r["amount_yuan"] for r in out.rows["func_lines"]}
    assert got[(None, 0, "total")] == D("30000.00")
    assert got[(None, 0, "superior_subsidy")] == D("15000.00")
    assert got[("201", 1, "affiliated_remit")] == D("5000.00")


def test_basic_econ_halves():
    raw = _raw("一般公共预算财政拨款基本支出决算表", [
        ["经济分类", None, "科目名称", "决算数", "经济分类", None, "科目名称", "决算数"],
        ["科目编码", None, None, None, "科目编码", None, None, None],
        ["类", "款", None, None, "类", "款", None, None],
    ], [
        ["301", "", "工资福利支出", "5.00", "302", "", "商品和服务支出", "2.00"],
        ["301", "01", "基本工资", "5.00", "302", "01", "办公费", "2.00"],
        ["", "", "", "", "310", "02", "办公设备购置", ""],
        ["人员经费合计", None, None, "5.00", "公用经费合计", None, None, "2.00"],
    ])
    out = parse_econ(raw, "gp_basic_econ")
    assert not out.issues
    rows = [(r["econ_code"], r["econ_name"], r["is_group"], r["amount_yuan"]) for r in out.rows["econ_lines"]]
    assert rows == [
        ("301", "工资福利支出", True, D("50000.00")), ("30101", "基本工资", False, D("50000.00")),
        (None, "人员经费合计", True, D("50000.00")),
        ("302", "商品和服务支出", True, D("20000.00")), ("30201", "办公费", False, D("20000.00")),
        (None, "公用经费合计", True, D("20000.00")),
    ]


def test_three_public_budget_actual_pairs():
    raw = _raw("财政拨款“三公”经费支出决算表", [
        ["财政拨款“三公”经费", None, None, None, None, None],
        ["合计", None, "因公出国（境）费", None, "公务接待费", None],
        ["预算数", "决算数", "预算数", "决算数", "全年预算数", "决算数"],
    ], [["3.00", "1.20", "2.00", "", "1.00", "1.20"]])
    out = parse_three_public(raw, "three_public")
    assert not out.issues
    got = {(r["item"], r["measure"]): r["amount_yuan"] for r in out.rows["three_public"]}
    assert got == {("合计", "budget"): D("30000.00"), ("合计", "actual"): D("12000.00"),
                   ("因公出国（境）费", "budget"): D("20000.00"), ("公务接待费", "budget"): D("10000.00"),
                   ("公务接待费", "actual"): D("12000.00")}


def test_final_summary_two_sides():
    raw = _raw("收入支出决算总表", [["收入", None, "支出", None], ["项目", "决算数", "项目", "决算数"]], [
        ["一、一般公共预算财政拨款收入", "10.00", "一、一般公共服务支出", "9.00"],
        ["本年收入合计", "10.00", "本年支出合计", "9.00"],
        ["年初结转和结余", "1.00", "年末结转和结余", "2.00"],
        ["总计", "11.00", "总计", "11.00"],
    ])
    out = parse_summary(raw, "final_summary")
    got = [(r["side"], r["item"], r["measure"], r["amount_yuan"]) for r in out.rows["summary_lines"]]
    assert ("收入", "一般公共预算财政拨款收入", "total", D("100000.00")) in got
    assert ("支出", "年末结转和结余", "total", D("20000.00")) in got
    assert len(got) == 8


def _source(*texts: str) -> Source:
    return Source(blocks=[Line(text=t, page=1) for t in texts], page_count=1, kind="pdf")


def test_cover_names_the_unit_wrapped_over_two_lines():
    meta = read_metadata(_source("上海市某某区规划和自然", "资源局", "2024 年度部门决算", "目 录"), ["收入决算表"])
    assert (meta.unit_name, meta.fiscal_year, meta.doc_type) == ("上海市某某区规划和自然资源局", 2024, "部门决算")


def test_unit_final_type():
    meta = read_metadata(_source("某某县第一中学", "2023年度单位决算"), [])
    assert (meta.unit_name, meta.doc_type) == ("某某县第一中学", "单位决算")


def test_template_refused():
    with pytest.raises(RefusedInput, match="模板.*XX"):
        read_metadata(_source("上海市 XX 局", "2024 年度部门决算"), ["收入决算表"])
    with pytest.raises(RefusedInput, match="占位"):
        read_metadata(_source("某某局", "2024 年度部门决算", "收入支出总计 XXX 万元。", "增长 XX%。",
                              "本年收入合计 XXX 万元"), [])


def test_final_facts_from_hand_built_prose():
    from etl.words.facts_final import comparison, parse_final_facts

    class Report:
        doc = {"doc_type": "部门决算"}
        rows = {"func_lines": [
            {"code": "201", "name": "一般公共服务支出"}, {"code": "20106", "name": "财政事务"},
            {"code": "2010601", "name": "行政运行"}]}
        issues: list = []

    lines = [Line(t, 9) for t in (
        "一、收入支出决算总体情况说明",
        "某局2024年度收入支出总计100.50万元。与2023年度相比，收入支出总计增加（减少）10.00万元，增长11.06%。",
        "1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：日常运转。年初预算为",
        "20.00万元，支出决算为25.00万元，完成年初预算的125.00%。决算数大于预算数的主要原因：人员增加。",
    )]
    facts = {(f["key"], f["code"]): (f["value"], f["unit"]) for f in parse_final_facts(lines, Report())}
    assert facts[("final_total", None)] == (100.5, "万元")
    assert facts[("final_total_change", None)] == (10.0, "万元")
    assert facts[("final_total_change_pct", None)] == (11.06, "%")
    assert facts[("item_budget", "2010601")] == (20.0, "万元")
    assert facts[("item_actual", "2010601")] == (25.0, "万元")
    assert facts[("item_completion_pct", "2010601")] == (125.0, "%")
    assert facts[("item_comparison", "2010601")] == (None, "大于")
    assert comparison("决算数与预算数基本持平") == "持平"
    assert comparison("决算数同预算数持平") == "持平"
    assert comparison("决算数等于预算数") == "等于"
    assert comparison("决算数小于预算数的主要原因") == "小于"


def test_budget_prose_parser_skips_finals():
    from etl.words.facts_final import only_budgets, parse_final_facts

    class Report:
        doc = {"doc_type": "部门预算"}
        rows: dict = {}

    calls = []
    wrapped = only_budgets(lambda prose, report: calls.append(report) or [])
    wrapped([], Report())
    Report.doc = {"doc_type": "单位决算"}
    wrapped([], Report())
    assert len(calls) == 1
    Report.doc = {"doc_type": "部门预算"}
    assert parse_final_facts([Line("收入支出总计1.00万元。", 1)], Report()) == []


def _chars(text: str, x0: float, top: float, width: float = 10) -> dict:
    chars = [{"text": ch, "x0": x0 + i * width, "x1": x0 + (i + 1) * width - 1} for i, ch in enumerate(text)]
    return {"text": text, "top": top, "bottom": top + 12, "chars": chars}


def test_two_font_line_rejoined():
    from etl.read.pdf import _merge_lines

    text = _chars("总计", 0, 100)
    text["chars"] += _chars("万元", 80, 100)["chars"]
    figures = _chars("2995.39", 25, 104.8, width=7)
    next_line = _chars("下一行", 0, 114)
    merged = _merge_lines([text, figures, next_line])
    assert [m["text"] for m in merged] == ["总计 2995.39 万元", "下一行"]


def test_three_public_long_with_budget_and_actual_columns():
    raw = _raw("财政拨款“三公”经费支出决算表", [["项目", "预算数", "决算数"]], [
        ["合计", "3.00", "2.50"], ["因公出国（境）费", "1.00", "0.50"], ["公务接待费", "2.00", "2.00"]])
    out = parse_three_public(raw, "three_public")
    assert not out.issues
    got = {(r["item"], r["measure"]): r["amount_yuan"] for r in out.rows["three_public"]}
    assert got[("合计", "budget")] == D("30000.00") and got[("合计", "actual")] == D("25000.00")
    assert got[("因公出国（境）费", "actual")] == D("5000.00")


def test_column_number_row_is_not_data():
    """中央-style tables print 栏次 1 2 3 … under the header: labels, not amounts."""
    raw = _raw("支出决算表", [["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"]], [
        ["", "栏次", "1", "2", "3"], ["", "合计", "5.00", "3.00", "2.00"], ["201", "一般公共服务支出", "5.00", "3.00", "2.00"]])
    out = parse_func(raw, "expenditure")
    assert not out.issues
    assert {(r["code"], r["measure"]): r["amount_yuan"] for r in out.rows["func_lines"]}[(None, "basic")] == D("30000.00")
