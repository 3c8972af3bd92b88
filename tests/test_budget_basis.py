"""Which budget a 决算 is judged against (budget_vs_actual.budget_source) and the word the 预算执行 page uses for it.

A unit founded during the year prints 年初预算 0 and 全年预算 321.02万元; measured against 0 its 307.82万元 决算 is no
execution at all, against 321.02 it is 95.89%. The 全年预算 wins where the 决算 prints it (its table's 调整预算数 /
全年预算数 column, or prose “全年预算为X万元”), then the same year's 预算 report, then the 决算's own 年初预算. Reports
are built by hand (figures invented, unit 测试局) and written through etl/store.write_report.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from dashboard.execution import budget_word
from etl.read.layout import RawTable, Row
from etl.read.report import ParsedReport
from etl.store.write import write_report
from etl.tables.parsers.func import parse_func


@pytest.fixture()
def con(schema_con):
    return schema_con


def _report(doc_id: str, doc_type: str, gp: dict[str | None, dict[str, str]], facts: list[dict] = ()) -> ParsedReport:
    """A 2024 report of 测试局 whose 一般公共预算 table prints code → measure → amount (万元), plus prose facts."""
    lines = [{"table_kind": "gp_expenditure", "code": code, "name": f"科目{code}" if code else "合计",
              "level": {3: 1, 5: 2, 7: 3}.get(len(code or ""), 0), "measure": m, "column_label": m,
              "amount_yuan": D(a) * 10000, "page": 9, "row_no": i}
             for i, (code, ms) in enumerate(gp.items()) for m, a in ms.items()]
    return ParsedReport(
        doc={"doc_id": doc_id, "unit_name": "测试局", "fiscal_year": 2024, "doc_type": doc_type, "title": doc_type,
             "source_file": f"{doc_id}.pdf", "sha256": doc_id, "page_count": 20, "source_kind": "pdf"},
        tables=[{"doc_id": doc_id, "seq": 1, "table_kind": "gp_expenditure", "title": "一般公共预算财政拨款支出决算表",
                 "unit_printed": "万元", "page_from": 9, "page_to": 9, "has_data": True, "row_count": len(lines),
                 "status": "parsed"}],
        rows={"func_lines": [dict(r, doc_id=doc_id) for r in lines],
              "facts": [dict(f, doc_id=doc_id, unit="万元", decimals=2) for f in facts]})


def _view(con, doc_id: str = "f24") -> dict[str | None, tuple]:
    return {r[0]: r[1:] for r in con.execute(
        "SELECT code, budget_yuan, budget_source, budget_page, actual_yuan, completion_pct FROM budget_vs_actual "
        "WHERE final_doc_id = ?", [doc_id]).fetchall()}


FOUNDED = {None: {"budget_initial": "0.00", "budget_adjusted": "321.02", "total": "307.82"},
           "2010101": {"budget_initial": "0.00", "budget_adjusted": "200.00", "total": "190.00"},
           "2010102": {"budget_initial": "0.00", "budget_adjusted": "121.02", "total": "117.82"}}


def test_a_unit_founded_during_the_year_is_judged_against_its_full_year_budget(con):
    write_report(con, _report("f24", "部门决算", FOUNDED))
    rows = _view(con)
    assert rows[None] == (D("3210200.00"), "全年预算", 9, D("3078200.00"), 95.89)
    assert rows["2010101"][:2] == (D("2000000.00"), "全年预算")
    assert rows["2010102"][:2] == (D("1210200.00"), "全年预算")


def test_only_the_initial_budget_printed_is_said_to_be_the_initial_budget(con):
    write_report(con, _report("f24", "部门决算", {None: {"budget_initial": "100.00", "total": "90.00"}}))
    assert _view(con)[None] == (D("1000000.00"), "年初预算", 9, D("900000.00"), 90.0)


def test_the_full_year_budget_wins_over_the_budget_report_which_wins_over_the_initial_column(con):
    write_report(con, _report("b24", "部门预算", {None: {"total": "100.00"}, "2010101": {"total": "100.00"}}))
    write_report(con, _report("f24", "部门决算", {
        None: {"budget_initial": "100.00", "budget_adjusted": "130.00", "total": "120.00"},
        "2010101": {"budget_initial": "90.00", "total": "95.00"}}))  # 全年预算 cell blank for this 科目
    rows = _view(con)
    assert rows[None][:3] == (D("1300000.00"), "全年预算", 9)
    assert rows["2010101"][:3] == (D("1000000.00"), "预算报告", 9)


def test_a_blank_budget_cell_is_no_budget(con):
    write_report(con, _report("f24", "部门决算", {None: {"total": "50.00"}}))
    assert _view(con)[None] == (None, None, None, D("500000.00"), None)


@pytest.mark.parametrize("sentence, value, source", [
    ("一般公共预算财政拨款支出全年预算为321.02万元，支出决算为307.82万元。", 321.02, "全年预算"),
    ("一般公共预算财政拨款支出调整后预算为321.02万元，支出决算为307.82万元。", 321.02, "全年预算"),
    ("一般公共预算财政拨款支出年初预算为321.02万元，支出决算为307.82万元。", 321.02, "年初预算"),
    ("一般公共预算财政拨款支出预算为321.02万元，支出决算为307.82万元。", 321.02, "决算报告所列"),
])
def test_prose_budget_says_which_budget_by_its_own_word(con, sentence, value, source):
    fact = {"key": "gp_budget", "code": None, "value": value, "page": 4, "sentence": sentence}
    write_report(con, _report("f24", "部门决算", {None: {"total": "307.82"}}, [fact]))
    assert _view(con)[None][:3] == (D("3210200.00"), source, 4)


def test_prose_full_year_budget_wins_over_the_budget_report(con):
    write_report(con, _report("b24", "部门预算", {None: {"total": "0.00"}}))
    fact = {"key": "gp_budget", "code": None, "value": 321.02, "page": 4,
            "sentence": "全年预算为321.02万元，支出决算为307.82万元。"}
    write_report(con, _report("f24", "部门决算", {None: {"total": "307.82"}}, [fact]))
    assert _view(con)[None][:3] == (D("3210200.00"), "全年预算", 4)


def test_prose_stating_both_budgets_takes_the_full_year_one_where_the_prose_reader_keeps_it_apart(con):
    sentence = "一般公共预算财政拨款支出年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元。"
    initial = {"key": "gp_budget", "code": None, "value": 0.0, "page": 4, "sentence": sentence}
    write_report(con, _report("f24", "部门决算", {None: {"total": "307.82"}}, [initial]))
    assert _view(con)[None] == (D("0.00"), "年初预算", 4, D("3078200.00"), None)  # 0 said to be the 年初预算
    full = {"key": "gp_budget_adjusted", "code": None, "value": 321.02, "page": 4, "sentence": sentence}
    write_report(con, _report("f24", "部门决算", {None: {"total": "307.82"}}, [initial, full]), replaces=["f24"])
    assert _view(con)[None] == (D("3210200.00"), "全年预算", 4, D("3078200.00"), 95.89)


@pytest.mark.parametrize("sources, word", [
    (["全年预算"], "全年预算"), (["年初预算", "预算报告"], "年初预算"), (["全年预算", "年初预算"], "预算"),
    (["决算报告所列"], "预算"), ([], "预算"), ([None], "预算"),
])
def test_the_page_names_the_budget_only_when_every_figure_is_that_budget(sources, word):
    assert budget_word(sources) == word


def test_final_table_keeps_initial_and_full_year_budget_apart():
    """一般公共预算财政拨款支出决算表 printing 年初预算数 | 全年预算数 | 决算数 (合计/基本支出/项目支出)."""
    raw = RawTable(title="一般公共预算财政拨款支出决算表", table_no=None, unit_printed="万元", page_from=9, page_to=9,
                   header=[["科目编码", None, None, "科目名称", "年初预算数", "全年预算数", "决算数", None, None],
                           ["类", "款", "项", None, None, None, "合计", "基本支出", "项目支出"]],
                   rows=[Row(cells=c, page=9, aligned=True) for c in [
                       [None, None, None, "合计", "0.00", "321.02", "307.82", "190.00", "117.82"],
                       ["201", None, None, "一般公共服务支出", "0.00", "321.02", "307.82", "190.00", "117.82"]]])
    out = parse_func(raw, "gp_expenditure")
    got = {(r["code"], r["measure"]): r["amount_yuan"] for r in out.rows["func_lines"]}
    assert got[(None, "budget_initial")] == D("0.00")  # a printed 0 is 0
    assert got[(None, "budget_adjusted")] == D("3210200.00")
    assert got[("201", "total")] == D("3078200.00") and got[("201", "project")] == D("1178200.00")
    assert not [i for i in out.issues if i.severity == "error"]


def test_a_final_stating_both_budgets_keeps_the_full_year_one_apart():
    """“年初预算为0万元，全年预算为321.02万元”: the 年初 figure stays the budget, the 全年 one is its own fact, which
    budget_vs_actual prefers."""
    from etl.words.facts_final import _execution

    text = "年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元，完成全年预算的95.89%。"
    facts = {f["key"]: f["value"] for f in _execution("gp", text, 21)}
    assert facts["gp_budget"] == 0 and facts["gp_budget_adjusted"] == 321.02 and facts["gp_actual"] == 307.82
