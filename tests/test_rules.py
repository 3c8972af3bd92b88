"""Every rule of the rule table on small hand-built reports: one that satisfies it, one that breaks it.

The reports here are built in the test (never real figures); each holds only the rows its rule reads.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from etl.checks.rules import BY_ID, RULES, evaluate
from etl.read.layout import Line
from etl.read.report import ParsedReport
from etl.tables import kinds as K


class Build:
    """A hand-built ParsedReport: tables by kind, rows by contract table."""

    def __init__(self, doc_type: str = "单位预算", year: int = 2023):
        self.r = ParsedReport(doc={"doc_id": "test", "doc_type": doc_type, "fiscal_year": year,
                                   "title": f"测试单位{year}年{doc_type}"})

    def table(self, kind: str, unit: str = "元", status: str = "parsed", note: str | None = None,
              title: str | None = None, has_data: bool | None = None) -> Build:
        self.r.tables.append({"doc_id": "test", "seq": len(self.r.tables), "table_kind": kind, "table_no": None,
                              "title": title or f"2023年{K.label(kind)}", "unit_printed": unit, "page_from": 3,
                              "page_to": 3, "has_data": status == "parsed" if has_data is None else has_data,
                              "row_count": 0, "status": status, "problem": "金额无法识别 “1,2a3”" if status == "unparsed"
                              else None, "note": note})
        return self

    def add(self, target: str, **row) -> Build:
        self.r.rows.setdefault(target, []).append(row)
        return self

    def func(self, kind: str, code: str | None, measure: str, amount: str, name: str = "科目", row_no: int = 0) -> Build:
        return self.add("func_lines", table_kind=kind, code=code, name="合计" if code is None else name,
                        level={3: 1, 5: 2, 7: 3}.get(len(code or ""), 0), measure=measure, column_label=None,
                        amount_yuan=D(amount), page=4, row_no=row_no)

    def summ(self, kind: str, side: str, item: str, amount: str, measure: str = "total", row_no: int = 0) -> Build:
        return self.add("summary_lines", table_kind=kind, side=side, item=item, measure=measure, column_label=None,
                        amount_yuan=D(amount), page=2, row_no=row_no)

    def econ(self, code: str | None, name: str, measure: str, amount: str, row_no: int, group: bool = False) -> Build:
        return self.add("econ_lines", econ_code=code, econ_name=name, gov_econ_name=None, is_group=group,
                        measure=measure, column_label=None, amount_yuan=D(amount), page=8, row_no=row_no)

    def three(self, item: str, amount: str, kind: str = "three_public") -> Build:
        return self.add("three_public", table_kind=kind, item=item, measure="total", column_label=None,
                        amount_yuan=D(amount), page=9)

    def project(self, kind: str, name: str, total: str, general_budget: str | None = None, row_no: int = 0) -> Build:
        return self.add("projects", table_kind=kind, name=name, carryover=kind == "projects_carryover",
                        total_yuan=D(total), general_budget_yuan=None if general_budget is None else D(general_budget),
                        gov_fund_yuan=None, soe_capital_yuan=None, special_account_yuan=None, unit_funds_yuan=None,
                        page=10, row_no=row_no)

    def form(self, name: str, annual: str, sources: list[str]) -> Build:
        self.add("project_forms", project_name=name, total_funds_yuan=None, annual_funds_yuan=D(annual), page=12)
        for s in sources:
            self.add("project_funds", project_name=name, scope="年度", source="财政资金", amount_yuan=D(s))
        return self

    def fact(self, key: str, value: float, decimals: int | None = 2, code: str | None = None,
             sentence: str = "合成句子。", unit: str = "万元") -> Build:
        return self.add("facts", key=key, value=value, unit=unit, sentence=sentence, code=code, page=1,
                        decimals=decimals)

    def prose(self, text: str) -> Build:
        self.r.prose.append(Line(text=text, page=1))
        return self


def _func_tree(kind: str, ok: bool) -> ParsedReport:
    return (Build().table(kind).func(kind, None, "total", "300").func(kind, "201", "total", "100")
            .func(kind, "205", "total", "200" if ok else "201")).r


def _row_bp(kind: str, ok: bool) -> ParsedReport:
    return (Build().table(kind).func(kind, "201", "total", "300").func(kind, "201", "basic", "100")
            .func(kind, "201", "project", "200" if ok else "199")).r


def _project_rows(kind: str, ok: bool) -> ParsedReport:
    return Build().table(kind).project(kind, "合成项目", "500", "500" if ok else "499").r


def _parser_made(rule_id: str, kind: str, ok: bool) -> ParsedReport:
    from etl.read.report import Comparison

    b = Build().table(kind)
    b.r.parser_comparisons.append((rule_id, Comparison(f"{kind}:x", D(1000), D(1000 if ok else 990), 2, 5, kind,
                                                       {"row": "单位小计", "column": "合计", "name": "合成"})))
    return b.r


def _summary_total(kind: str, ok: bool) -> ParsedReport:
    side, item = ("收入", "本年收入合计") if kind == "revenue" else ("支出", "本年支出合计")
    return (Build().table("summary").table(kind).summ("summary", side, item, "900")
            .func(kind, None, "total", "900" if ok else "800")).r


def _balance(kind: str, ok: bool) -> ParsedReport:
    return (Build().table(kind).summ(kind, "收入", "收入总计", "1000")
            .summ(kind, "支出", "支出总计", "1000" if ok else "1001", row_no=1)).r


def _fund_column(kind: str, measure: str, ok: bool) -> ParsedReport:
    return (Build().table("fiscal_summary").table(kind).summ("fiscal_summary", "支出", "支出总计", "700")
            .summ("fiscal_summary", "支出", "支出总计", "50", measure)
            .func(kind, None, "total", "50" if ok else "60")).r


def _words(note_ok: bool, kind: str = "gov_fund_expenditure", **table) -> ParsedReport:
    return Build().table(kind, **table).r


CASES = {
    **{f"{k}.tree": (lambda ok, k=k: _func_tree(k, ok)) for k in K.keys(target="func_lines")},
    **{f"{k}.row_basic_project": (lambda ok, k=k: _row_bp(k, ok)) for k in K.keys(target="func_lines")},
    "gp_basic_econ.row_personnel_public": lambda ok: (
        Build().table("gp_basic_econ").econ("30101", "基本工资", "total", "100", 1)
        .econ("30101", "基本工资", "personnel", "60", 1).econ("30101", "基本工资", "public", "40" if ok else "41", 1)).r,
    **{f"{k}.row_sources": (lambda ok, k=k: _project_rows(k, ok)) for k in ("projects", "projects_carryover")},
    **{f"{k}.subtotal": (lambda ok, k=k: _parser_made(f"{k}.subtotal", k, ok)) for k in ("projects", "projects_carryover")},
    "procurement.line": lambda ok: _parser_made("procurement.line", "procurement", ok),
    "procurement.subtotal": lambda ok: _parser_made("procurement.subtotal", "procurement", ok),
    "performance_form.sources": lambda ok: (
        Build().table("performance_form").form("合成项目", "300", ["100", "200" if ok else "150"])).r,
    "summary.revenue_total": lambda ok: _summary_total("revenue", ok),
    "summary.expenditure_total": lambda ok: _summary_total("expenditure", ok),
    "summary.classes": lambda ok: (
        Build().table("summary").table("expenditure").summ("summary", "支出", "教育支出", "400")
        .func("expenditure", "205", "total", "400" if ok else "410", name="教育支出")).r,
    "fiscal_summary.gp_total": lambda ok: (
        Build().table("fiscal_summary").table("gp_expenditure")
        .summ("fiscal_summary", "支出", "支出总计", "800", "general_budget")
        .func("gp_expenditure", None, "total", "800" if ok else "700")).r,
    "fiscal_summary.gp_classes": lambda ok: (
        Build().table("fiscal_summary").table("gp_expenditure")
        .summ("fiscal_summary", "支出", "教育支出", "300", "general_budget")
        .func("gp_expenditure", "205", "total", "300" if ok else "301", name="教育支出")).r,
    "gp_basic_econ.vs_gp_basic": lambda ok: (
        Build().table("gp_basic_econ").table("gp_expenditure").econ(None, "合计", "total", "250", 0, True)
        .func("gp_expenditure", None, "basic", "250" if ok else "260")).r,
    "projects.vs_gp_project": lambda ok: (
        Build().table("projects").table("gp_expenditure").project("projects", "甲", "100").project("projects", "乙", "50")
        .func("gp_expenditure", None, "project", "150" if ok else "155")).r,
    "projects_carryover.vs_summary": lambda ok: (
        Build().table("projects_carryover").table("summary").project("projects_carryover", "丙", "80")
        .summ("summary", "收入", "上年结转", "80" if ok else "90")).r,
    "projects.all_lists": lambda ok: (
        Build().table("projects").table("projects_carryover").table("expenditure")
        .project("projects", "甲", "100").project("projects_carryover", "丙", "80")
        .func("expenditure", None, "project", "180" if ok else "200")).r,
    "projects.vs_form": lambda ok: (
        Build().table("projects").table("performance_form").project("projects", "合成项目", "300")
        .form("合成项目", "300" if ok else "310", ["300" if ok else "310"])).r,
    "summary.balance": lambda ok: _balance("summary", ok),
    "fiscal_summary.balance": lambda ok: _balance("fiscal_summary", ok),
    "three_public.total_parts": lambda ok: (
        Build().table("three_public", unit="万元").three("合计", "100000").three("因公出国（境）费", "20000")
        .three("公务接待费", "30000").three("公务用车购置及运行费", "50000" if ok else "60000")).r,
    "three_public.vehicle_parts": lambda ok: (
        Build().table("three_public", unit="万元").three("公务用车购置及运行费", "50000").three("公务用车购置费", "20000")
        .three("公务用车运行维护费", "30000" if ok else "25000")).r,
    "fiscal_summary.row_funds": lambda ok: (
        Build().table("fiscal_summary").summ("fiscal_summary", "支出", "教育支出", "100")
        .summ("fiscal_summary", "支出", "教育支出", "70", "general_budget")
        .summ("fiscal_summary", "支出", "教育支出", "30" if ok else "20", "gov_fund")).r,
    "fiscal_summary.gov_fund": lambda ok: _fund_column("gov_fund_expenditure", "gov_fund", ok),
    "fiscal_summary.soe_capital": lambda ok: _fund_column("soe_capital", "soe_capital", ok),
    # the 上海 case: 302 商品和服务支出 printed 1 元 above the sum of its items
    "gp_basic_econ.groups": lambda ok: (
        Build().table("gp_basic_econ").econ(None, "合计", "total", "1500" if ok else "1501", 0, True)
        .econ("301", "工资福利支出", "total", "1000", 1, True).econ("30101", "基本工资", "total", "1000", 2)
        .econ("302", "商品和服务支出", "total", "500" if ok else "501", 3, True)
        .econ("30201", "办公费", "total", "300", 4).econ("30202", "印刷费", "total", "200", 5)).r,
    "revenue.vs_expenditure": lambda ok: (
        Build().table("revenue").table("expenditure").func("revenue", "205", "total", "400")
        .func("expenditure", "205", "total", "400" if ok else "399")).r,
    "notes.empty_has_note": lambda ok: Build().table("gov_fund_expenditure", status="empty",
                                                     note="注：本单位无政府性基金预算，故本表无数据。" if ok else None).r,
    "notes.note_means_empty": lambda ok: Build().table("three_public", status="empty" if ok else "parsed",
                                                       note="注：本表无数据").r,
    "notes.names_own_table": lambda ok: Build().table(
        "soe_capital", status="empty",
        note="注：本单位无国有资本经营预算，故本表无数据。" if ok else "注：本单位无政府性基金预算，故本表无数据。").r,
    "report.required_tables": lambda ok: (
        Build().table("summary").table("revenue").table("expenditure").table("fiscal_summary")
        .table("gp_expenditure").table("gp_basic_econ").table("three_public" if ok else "operating_cost")).r,
    "report.placeholders": lambda ok: Build().prose("本单位为XX局所属单位。" if not ok else "本单位为市文旅局所属单位。").r,
    "report.heading_years": lambda ok: Build().table("summary", title="2023年收支总表" if ok else "2022年收支总表").r,
    "prose.vs_tables": lambda ok: (
        Build().table("summary").summ("summary", "收入", "收入总计", "171915169.00")
        .fact("revenue_total", 17192 if ok else 17193, decimals=0)).r,
    "prose.procurement_parts": lambda ok: (
        Build().fact("procurement_total", 30.0).fact("procurement_goods", 10.0).fact("procurement_works", 5.0)
        .fact("procurement_services", 15.0 if ok else 14.0)).r,
    "prose.change_prior_nonnegative": lambda ok: (
        Build().fact("gov_fund_expenditure", 100.0 if ok else 0.0, sentence="甲")
        .fact("gov_fund_expenditure_change", 20.0, sentence="甲")).r,
    "prose.change_vs_prior": lambda ok: (
        Build().fact("revenue_total", 120.0, sentence="甲").fact("revenue_change", 20.0, sentence="甲")
        .fact("revenue_prior", 100.0 if ok else 90.0, sentence="甲")).r,
    "prose.change_pct": lambda ok: (
        Build().fact("revenue_total", 1200.0, sentence="甲").fact("revenue_change", 100.0, sentence="甲")
        .fact("revenue_change_pct", 9.09 if ok else 8.33, sentence="甲", unit="%")).r,
    "prose.item_change_pct": lambda ok: (
        Build().fact("item_amount", 45.41, code="2012902", sentence="甲")
        .fact("item_prior_executed", 11.67, code="2012902", sentence="甲")
        .fact("item_change_pct", 289.12 if ok else 314.82, code="2012902", sentence="甲", unit="%")).r,
    "prose.revenue_expenditure_change": lambda ok: (
        Build().fact("revenue_total", 500.0, sentence="甲").fact("revenue_change", 20.0, sentence="甲")
        .fact("expenditure_total", 500.0, sentence="乙").fact("expenditure_change", 20.0 if ok else -20.0,
                                                               sentence="乙")).r,
    "prose.performance_count": lambda ok: (
        Build().table("performance_form").form("甲", "10", ["10"]).form("乙", "20", ["20"])
        .fact("performance_projects", 2 if ok else 3, decimals=0, unit="个")).r,
}


def test_every_rule_has_a_case() -> None:
    from tests.test_rules_cross import CROSS_CASES  # the 跨报告 rows' cases (a database of reports), run there
    from tests.test_rules_final import FINAL_CASES  # the 决算 rows' cases (issue 11), run there
    from tests.test_rules_structure import STRUCTURE_CASES  # the report's make-up (pages, 目录, punctuation)
    from tests.test_rules_words import WORDS_CASES  # the 说明's statements

    cases = set(CASES) | set(FINAL_CASES) | set(CROSS_CASES) | set(STRUCTURE_CASES) | set(WORDS_CASES)
    assert cases == set(BY_ID), set(BY_ID) ^ cases


@pytest.mark.parametrize("rule_id", [r.id for r in RULES if r.id in CASES])
def test_rule_passes_and_fails(rule_id: str) -> None:
    rule = BY_ID[rule_id]
    good = evaluate(CASES[rule_id](True), (rule,))
    assert good and all(c["passed"] is True for c in good), good
    bad = evaluate(CASES[rule_id](False), (rule,))
    assert any(c["passed"] is False for c in bad), bad
    for row in good + bad:
        assert row["rule"] == rule_id
        assert "_" not in row["description"] or rule_id == "report.placeholders", row["description"]  # no keys


def test_unreadable_table_means_not_run_with_the_reason() -> None:
    report = Build().table("summary").table("revenue", status="unparsed").summ("summary", "收入", "本年收入合计", "900").r
    rows = evaluate(report, (BY_ID["summary.revenue_total"],))
    assert len(rows) == 1 and rows[0]["passed"] is None
    assert "收入总表未能解析" in rows[0]["description"] and "1,2a3" in rows[0]["description"]


def test_prose_figure_about_an_unreadable_table_is_not_run() -> None:
    report = Build().table("summary", status="unparsed").fact("revenue_total", 100.0).r
    rows = evaluate(report, (BY_ID["prose.vs_tables"],))
    assert [r["passed"] for r in rows] == [None] and "收支总表未能解析" in rows[0]["description"]


def test_printed_precision() -> None:
    """17,192万元 is any amount rounding to it; 17,191.52万元 is that figure to the 0.01万元."""
    rule = BY_ID["prose.vs_tables"]

    def check(value: float, decimals: int, table: str) -> bool:
        b = Build().table("summary").summ("summary", "收入", "收入总计", table).fact("revenue_total", value, decimals)
        return evaluate(b.r, (rule,))[0]["passed"]

    assert check(17192, 0, "171915169.00") and check(17192, 0, "171924999.00")
    assert not check(17192, 0, "171925100.00")
    assert check(17191.52, 2, "171915169.00") and not check(17191.50, 2, "171915169.00")


def test_a_rule_of_another_family_does_not_run() -> None:
    report = _balance("summary", False)
    report.doc["doc_type"] = "部门决算"
    assert evaluate(report, (BY_ID["revenue.vs_expenditure"],)) == []
