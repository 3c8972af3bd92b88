"""The 跨报告 rule family: figures one report states about another loaded report, on small hand-built reports
written through etl/store.write_report (so the recompute on arrival is what is tested), and on the real samples."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from etl.checks.rules import BY_ID, CROSS_RULES
from etl.read.report import ParsedReport
from etl.store.write import write_report

from .samples import SAMPLES


@pytest.fixture()
def con(schema_con):
    return schema_con


def _report(doc_id: str, year: int, doc_type: str, gp: dict[str, dict[str, str]], facts: list[dict] = (),
            unit: str = "测试局", total: str | None = None) -> ParsedReport:
    """A report with a 一般公共预算 table in 万元 (code → measure → printed amount) and prose facts."""
    lines = [{"table_kind": "gp_expenditure", "code": None, "name": "合计", "level": 0, "measure": "total",
              "column_label": "合计", "amount_yuan": D(total) * 10000, "page": 7, "row_no": 0}] if total else []
    lines += [{"table_kind": "gp_expenditure", "code": code, "name": f"科目{code}", "level": len(code) // 2,
              "measure": m, "column_label": m, "amount_yuan": D(a) * 10000, "page": 7, "row_no": i}
             for i, (code, ms) in enumerate(gp.items()) for m, a in ms.items()]
    return ParsedReport(
        doc={"doc_id": doc_id, "unit_name": unit, "fiscal_year": year, "doc_type": doc_type, "title": doc_type,
             "source_file": f"{doc_id}.pdf", "sha256": doc_id, "page_count": 20, "source_kind": "pdf"},
        tables=[{"doc_id": doc_id, "seq": 1, "table_kind": "gp_expenditure", "title": "一般公共预算支出表",
                 "unit_printed": "万元", "page_from": 7, "page_to": 7, "has_data": True, "row_count": len(lines),
                 "status": "parsed"}],
        rows={"func_lines": [dict(r, doc_id=doc_id) for r in lines],
              "facts": [dict({"sentence": "…"}, **f, doc_id=doc_id, unit="万元") for f in facts]})


def _cross(con, doc_id: str, rule: str) -> list[tuple]:
    return con.execute("SELECT check_id, expected, actual, passed, page, description FROM checks WHERE doc_id = ? "
                       "AND rule = ? ORDER BY check_id", [doc_id, rule]).fetchall()


# each 跨报告 rule → its passing-and-failing test here (tests/test_rules.py checks that every rule row has a case)
CROSS_CASES = {
    "cross.final_initial_vs_budget": "test_final_initial_vs_budget",
    "cross.final_prose_budget_vs_budget": "test_final_prose_budget_vs_budget_when_budget_arrives_later",
    "cross.budget_prior_executed_vs_final": "test_budget_prior_executed_vs_final",
    "cross.budget_prior_gp_vs_prior_year": "test_budget_prior_gp_vs_prior_budget",
}

BUDGET_2024 = {"201": {"total": "120.00"}, "20106": {"total": "120.00"}}


def test_cross_rules_are_rows_of_the_one_table():
    assert {r.id for r in CROSS_RULES} == {"cross.final_initial_vs_budget", "cross.final_prose_budget_vs_budget",
                                           "cross.budget_prior_executed_vs_final",
                                           "cross.budget_prior_gp_vs_prior_year"}
    assert all(BY_ID[r.id] is r and r.database for r in CROSS_RULES)
    assert set(CROSS_CASES) == set(BY_ID).intersection(r.id for r in CROSS_RULES)
    assert all(callable(globals()[name]) for name in CROSS_CASES.values())


@pytest.mark.parametrize("initial, passed", [("120.00", True), ("100.00", False)])
def test_final_initial_vs_budget(con, initial, passed):
    write_report(con, _report("b24", 2024, "部门预算", BUDGET_2024))
    final = _report("f24", 2024, "部门决算", {"20106": {"budget_initial": initial, "total": "110.00"}})
    write_report(con, final)
    [(cid, expected, actual, ok, page, text)] = _cross(con, "f24", "cross.final_initial_vs_budget")
    assert (cid, expected, actual, ok, page) == ("cross:budget_initial:20106", D("1200000.00"),
                                                 D(initial) * 10000, passed, 7)
    assert "测试局2024年部门决算（f24.pdf）第7页" in text and "测试局2024年部门预算（b24.pdf）第7页" in text


def test_no_row_without_counterpart(con):
    write_report(con, _report("f24", 2024, "部门决算", {"20106": {"budget_initial": "100.00"}},
                              [{"key": "item_budget", "code": "20106", "value": 100.0, "page": 12, "decimals": 2}]))
    assert con.execute("SELECT count(*) FROM checks WHERE rule LIKE 'cross.%'").fetchone()[0] == 0


@pytest.mark.parametrize("value, decimals, passed", [(120.0, 0, True), (119.99, 2, True), (119.6, 1, False), (121.0, 0, False)])
def test_final_prose_budget_vs_budget_when_budget_arrives_later(con, value, decimals, passed):
    """The 决算 is loaded first: loading the 预算 afterwards re-judges the 决算's cross checks."""
    write_report(con, _report("f24", 2024, "部门决算", {"20106": {"total": "110.00"}},
                              [{"key": "item_budget", "code": "20106", "value": value, "page": 12,
                                "decimals": decimals}]))
    assert _cross(con, "f24", "cross.final_prose_budget_vs_budget") == []
    write_report(con, _report("b24", 2024, "部门预算", BUDGET_2024))
    [(cid, expected, actual, ok, page, text)] = _cross(con, "f24", "cross.final_prose_budget_vs_budget")
    assert (cid, expected, actual, ok, page) == ("cross:prose_budget:20106:1", D("1200000.00"),
                                                 D(str(value)) * 10000, passed, 12)
    assert "b24.pdf" in text and "第12页" in text and "第7页" in text


@pytest.mark.parametrize("value, passed", [(110.0, True), (115.0, False)])
def test_budget_prior_executed_vs_final(con, value, passed):
    write_report(con, _report("f24", 2024, "部门决算", {"20106": {"total": "110.00"}}))
    write_report(con, _report("b25", 2025, "部门预算", {"20106": {"total": "130.00"}},
                              [{"key": "item_prior_executed", "code": "20106", "value": value, "page": 15,
                                "decimals": 2}]))
    [(cid, expected, actual, ok, page, text)] = _cross(con, "b25", "cross.budget_prior_executed_vs_final")
    assert (cid, expected, actual, ok, page) == ("cross:prior_executed:20106:1", D("1100000.00"),
                                                 D(str(value)) * 10000, passed, 15)
    assert "测试局2025年部门预算（b25.pdf）第15页" in text and "测试局2024年部门决算（f24.pdf）第7页" in text


def test_replacing_the_counterpart_recomputes_and_never_duplicates(con):
    write_report(con, _report("b24", 2024, "部门预算", BUDGET_2024))
    write_report(con, _report("f24", 2024, "部门决算", {"20106": {"budget_initial": "120.00"}}))
    assert [r[3] for r in _cross(con, "f24", "cross.final_initial_vs_budget")] == [True]
    write_report(con, _report("b24v2", 2024, "部门预算", {"20106": {"total": "125.00"}}), replaces=["b24"])
    assert [r[3] for r in _cross(con, "f24", "cross.final_initial_vs_budget")] == [False]


def test_other_unit_or_type_is_no_counterpart(con):
    write_report(con, _report("b24", 2024, "单位预算", BUDGET_2024))
    write_report(con, _report("x24", 2024, "部门预算", BUDGET_2024, unit="别的局"))
    write_report(con, _report("f24", 2024, "部门决算", {"20106": {"budget_initial": "100.00"}}))
    assert _cross(con, "f24", "cross.final_initial_vs_budget") == []


def _gp_prose(current: float, change: float, page: int = 5) -> list[dict]:
    sentence = f"一般公共预算拨款支出预算{current}万元，比上年预算增加{change}万元。"
    return [{"key": "gp_current", "code": None, "value": current, "page": page, "decimals": 2, "sentence": sentence},
            {"key": "gp_current_change", "code": None, "value": change, "page": page, "decimals": 2,
             "sentence": sentence}]


@pytest.mark.parametrize("change, passed", [(10.0, True), (12.0, False)])
def test_budget_prior_gp_vs_prior_budget(con, change, passed):
    write_report(con, _report("b24", 2024, "部门预算", BUDGET_2024, total="120.00"))
    write_report(con, _report("b25", 2025, "部门预算", {"20106": {"total": "130.00"}}, _gp_prose(130.0, change)))
    [(cid, expected, actual, ok, page, text)] = _cross(con, "b25", "cross.budget_prior_gp_vs_prior_year")
    assert (cid, expected, actual, ok, page) == ("cross:prior_gp:1", D("1200000.00"),
                                                 D(str(130.0 - change)) * 10000, passed, 5)
    assert "测试局2024年部门预算（b24.pdf）第7页一般公共预算支出表合计" in text


@pytest.mark.parametrize("stated, passed", [(120.0, True), (118.0, False)])
def test_budget_prior_gp_vs_prior_final_when_prior_budget_absent(con, stated, passed):
    """The 2025 预算 is loaded first; the 2024 决算 arriving later gives its cross check."""
    write_report(con, _report("b25", 2025, "部门预算", {"20106": {"total": "130.00"}}, _gp_prose(130.0, 10.0)))
    assert _cross(con, "b25", "cross.budget_prior_gp_vs_prior_year") == []
    write_report(con, _report("f24", 2024, "部门决算", {"20106": {"total": "110.00"}},
                              [{"key": "gp_budget", "code": None, "value": stated, "page": 21, "decimals": 2}]))
    [(cid, expected, actual, ok, page, text)] = _cross(con, "b25", "cross.budget_prior_gp_vs_prior_year")
    assert (cid, expected, actual, ok, page) == ("cross:prior_gp:1", D(str(stated)) * 10000, D("1200000.00"),
                                                 passed, 5)
    assert "测试局2024年部门决算（f24.pdf）第21页说明文字一般公共预算财政拨款支出年初预算" in text


FINAL_2024 = SAMPLES / "final" / "shanghai-putuo-finance-2024-dept-final.pdf"
BUDGET_2025 = SAMPLES / "shanghai-putuo-finance-2025-dept-budget.pdf"


@pytest.mark.skipif(not (FINAL_2024.exists() and BUDGET_2025.exists()),
                    reason=f"the 普陀区财政局 2024 决算 and 2025 预算 samples are read from {SAMPLES}, absent here")
def test_real_2025_budget_against_2024_final(tmp_path):
    """The 2025 预算 (p.7) says 一般公共预算拨款支出预算3,121.42万元，比2024年预算增加107.62万元 — a 2024 budget of
    3,013.80万元; the 2024 决算 (p.21) states 一般公共预算财政拨款支出年初预算为2993.92万元. The two reports disagree
    by 19.88万元: a finding naming both. The 2025 预算 prints no per-科目 上年执行数 and no 2024 预算 is loaded, so
    no other cross rule has anything to compare."""
    from etl.store.ingest import ingest_file
    from etl.store.write import connect

    con = connect(tmp_path / "cross.duckdb")
    assert ingest_file(con, BUDGET_2025).status == "loaded"
    assert ingest_file(con, FINAL_2024).status == "loaded"  # the later 决算 re-judges the 预算
    rows = con.execute("SELECT d.doc_type, c.rule, c.expected, c.actual, c.passed, c.page, c.description "
                       "FROM checks c JOIN documents d USING (doc_id) WHERE c.rule LIKE 'cross.%'").fetchall()
    assert len(rows) == 1
    doc_type, rule, expected, actual, passed, page, text = rows[0]
    assert (doc_type, rule, expected, actual, passed, page) == (
        "部门预算", "cross.budget_prior_gp_vs_prior_year", D("29939200.00"), D("30138000.00"), False, 7)
    assert "上海市普陀区财政局2025年部门预算（shanghai-putuo-finance-2025-dept-budget.pdf）第7页" in text
    assert "上海市普陀区财政局2024年部门决算（shanghai-putuo-finance-2024-dept-final.pdf）第21页" in text
    assert "3,121.42万元" in text and "107.62万元" in text and "3,013.8万元" in text and "2,993.92万元" in text
