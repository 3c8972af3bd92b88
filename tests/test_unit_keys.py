"""A unit is one unit wherever its name key is equal: reports whose printed unit names differ only in spaces, bracket
widths or 其它/其他 are listed once in the picker, compared year on year and checked against each other (跨报告);
names that differ in any other character stay two units.

Generated reports (tests/fixtures/reports.py: the 阳泉 text under a 合成 unit name) for the views and pages, small
hand-built reports (as tests/test_rules_cross.py builds them) for the 跨报告 rules and 预算执行.
"""

from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import queries
from dashboard.state import unit_of
from etl.read.names import name_key
from etl.read.report import ParsedReport
from etl.store.schema import YOY_FUNC_FOR_UNIT
from etl.store.write import write_report
from tests.fixtures.parsed import write_db
from tests.fixtures.reports import write_report as write_generated
from tests.test_rules_cross import _report as cross_report

APP = str(Path(__file__).resolve().parents[1] / "app.py")
# one unit printed two ways (bracket width, 其它/其他), and a unit whose name differs in another character
PRINTED_2023 = "合成甲街道办事处（其它）"
PRINTED_2024 = "合成甲街道办事处(其他)"
OTHER_2024 = "合成甲街道办公处(其他)"
KEY = "合成甲街道办事处（其他）"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("unit_keys")
    files = [write_generated(folder, PRINTED_2023, 2023), write_generated(folder, PRINTED_2024, 2024),
             write_generated(folder, OTHER_2024, 2024, tag="other-2024")]
    return write_db(folder / "budget.duckdb", files)


@pytest.fixture()
def con(db: Path):
    c = duckdb.connect(str(db), read_only=True)
    yield c
    c.close()


def test_the_reports_print_the_names_and_store_their_keys(con) -> None:
    assert con.execute("SELECT unit_name, unit_key, fiscal_year FROM documents ORDER BY fiscal_year, unit_name"
                       ).fetchall() == [(PRINTED_2023, KEY, 2023), (PRINTED_2024, KEY, 2024),
                                        (OTHER_2024, "合成甲街道办公处（其他）", 2024)]
    assert name_key(PRINTED_2023) == name_key(PRINTED_2024) == KEY != name_key(OTHER_2024)


def test_unit_docs_gives_one_key_and_the_newest_printing_as_the_name(con) -> None:
    rows = con.execute("SELECT fiscal_year, unit_name, unit_key, printed_unit_name FROM unit_docs "
                       "ORDER BY fiscal_year, printed_unit_name").fetchall()
    assert rows == [(2023, PRINTED_2024, KEY, PRINTED_2023),
                    (2024, PRINTED_2024, KEY, PRINTED_2024),
                    (2024, OTHER_2024, "合成甲街道办公处（其他）", OTHER_2024)]


def test_projects_of_the_two_printings_pair_as_continuing(con) -> None:
    rows = con.execute("SELECT status, name, total_yuan, prior_total_yuan, change_yuan FROM yoy_projects "
                       "WHERE fiscal_year = 2024 ORDER BY name").fetchall()
    dated = [r for r in rows if re.search(r"20\d\d年", r[1])]  # the generator moves 2023年 in a name to 2024年
    undated = [r for r in rows if r not in dated]
    names_2023 = con.execute("SELECT count(DISTINCT name_key) FROM projects p JOIN documents d USING (doc_id) "
                             "WHERE d.fiscal_year = 2023 AND NOT regexp_matches(p.name, '20[0-9][0-9]年')").fetchone()[0]
    # every project whose name is printed alike continues from 2023 (the figures are the same report's) ...
    assert len(undated) == names_2023 == 13
    assert all(status == "延续" and now == prior and change == 0 for status, _, now, prior, change in undated)
    # ... and the names that changed (a year in the name) stay 新增 / 结束, never paired
    assert sorted(r[0] for r in dated) == ["新增"] * 4 + ["结束"] * 4
    assert ("延续", "三团过渡期保障经费", D("22194000.00"), D("22194000.00"), D("0.00")) in undated
    # one unit: the other name (办公处) has no 2023 report, so no row of it
    assert con.execute("SELECT DISTINCT unit_name, unit_key FROM yoy_projects").fetchall() == [(PRINTED_2024, KEY)]


def test_func_cells_of_the_two_printings_pair_and_the_other_name_does_not(con) -> None:
    # 艺术表演团体 2070107, 支出总表 合计: the same cell in both years
    rows = con.execute("SELECT unit_name, amount_yuan, prior_amount_yuan, change_yuan FROM yoy_func WHERE "
                       "table_kind = 'expenditure' AND code = '2070107' AND measure = 'total' AND fiscal_year = 2024 "
                       "ORDER BY unit_name").fetchall()
    printed = con.execute("SELECT amount_yuan FROM func_lines WHERE table_kind = 'expenditure' AND code = '2070107' "
                          "AND measure = 'total' LIMIT 1").fetchone()[0]
    assert printed > 0
    assert rows == [(PRINTED_2024, printed, printed, D("0.00")), (OTHER_2024, printed, None, None)]
    # the dashboard's one-unit text, bound with either printing (or the key), gives the view's rows of that unit
    view = con.execute("SELECT code, fiscal_year, amount_yuan, prior_amount_yuan, change_yuan FROM yoy_func "
                       "WHERE unit_key = ? AND table_kind = 'expenditure' AND measure = 'total' ORDER BY ALL",
                       [KEY]).fetchall()
    assert len(view) > 20
    for name in (PRINTED_2023, PRINTED_2024, KEY):
        direct = con.execute(f"SELECT code, fiscal_year, amount_yuan, prior_amount_yuan, change_yuan FROM "
                             f"({YOY_FUNC_FOR_UNIT}) ORDER BY ALL",
                             [name, "单位预算", "expenditure", "total", name, "单位预算", "expenditure"]).fetchall()
        assert direct == view, name


def test_dashboard_queries_select_the_unit_by_any_printing(db: Path, use_db) -> None:
    use_db(db)
    docs = queries.documents()
    assert list(dict.fromkeys(docs["unit_name"])) == [PRINTED_2024, OTHER_2024]
    ours = docs[docs["unit_name"] == PRINTED_2024]
    assert list(ours["fiscal_year"]) == [2024, 2023] and list(ours["printed_unit_name"]) == [PRINTED_2024, PRINTED_2023]
    for name in (PRINTED_2023, PRINTED_2024, "合成甲街道办事处 （其它） ", KEY):
        assert unit_of(docs, name) == PRINTED_2024, name
        projects = queries.yoy_projects(name, "单位预算", 2024)
        assert projects["status"].value_counts().to_dict() == {"延续": 13, "新增": 4, "结束": 4}, name
    assert unit_of(docs, OTHER_2024) == OTHER_2024 and unit_of(docs, "合成甲街道办事处（其余）") is None
    assert unit_of(docs, "") is None
    assert queries.yoy_projects(OTHER_2024, "单位预算", 2024).empty  # no 2023 report of that unit
    prior = queries.prior_document(str(ours["doc_id"].iloc[0]))
    assert list(prior["doc_id"]) == [ours["doc_id"].iloc[1]] and list(prior["fiscal_year"]) == [2023]
    other = docs[docs["unit_name"] == OTHER_2024]
    assert queries.prior_document(str(other["doc_id"].iloc[0])).empty


def _run(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("asked", [PRINTED_2023, "合成甲街道办事处 (其它)"])
def test_picker_lists_the_unit_once_and_a_link_with_any_printing_opens_it(db: Path, use_db, asked: str) -> None:
    use_db(db)
    at = _run(unit=asked, year="2023")
    unit, year = at.sidebar.selectbox[0], at.sidebar.selectbox[1]
    assert list(unit.options) == [PRINTED_2024, OTHER_2024]
    assert unit.value == PRINTED_2024 and list(year.options) == ["2024年", "2023年"] and year.value == "2023"
    assert at.query_params["unit"] == PRINTED_2024 and at.query_params["year"] == "2023"
    # after the link, the picker is the source of truth: choosing the other unit sticks
    unit.set_value(OTHER_2024).run()
    assert at.sidebar.selectbox[0].value == OTHER_2024 and at.query_params["unit"] == OTHER_2024
    assert list(at.sidebar.selectbox[1].options) == ["2024年"]


def test_yoy_page_pairs_the_two_printings(db: Path, use_db) -> None:
    use_db(db)
    at = _run(unit=PRINTED_2024, year="2024")
    at.switch_page("pages/yoy.py").run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = dict(con.execute("SELECT status, count(*) FROM yoy_projects WHERE fiscal_year = 2024 "
                                  "GROUP BY status").fetchall())
    finally:
        con.close()
    assert counts == {"延续": 13, "新增": 4, "结束": 4}  # 新增/结束: names with a year in them (see above)
    assert (metrics["新增项目"], metrics["结束项目"], metrics["延续项目"]) == ("4个", "4个", "13个")
    table = next(t.value for t in at.dataframe if "科目编码" in t.value.columns and "增减额（万元）" in t.value.columns)
    row = table[table["科目编码"] == "2070107"].iloc[0]
    assert row["2023年预算（万元）"] == row["2024年预算（万元）"] > 0 and row["增减额（万元）"] == 0


# ------------------------------------------------------------------------ 跨报告 and 预算执行 (hand-built reports)


@pytest.fixture()
def mem(schema_con):
    return schema_con


def _report(doc_id: str, year: int, doc_type: str, unit: str, gp: dict[str, dict[str, str]]) -> ParsedReport:
    """tests/test_rules_cross.py's hand-built report (a 一般公共预算 table in 万元) under this unit name."""
    return cross_report(doc_id, year, doc_type, gp, unit=unit)


def _cross(con, doc_id: str) -> list[tuple]:
    return con.execute("SELECT check_id, expected, actual, passed, description FROM checks WHERE doc_id = ? "
                       "AND rule = 'cross.final_initial_vs_budget' ORDER BY check_id", [doc_id]).fetchall()


@pytest.mark.parametrize("budget_unit", ["测试其它局（一）", "测试其他局 (一)", "测试其他局\u3000（一）"])
def test_cross_rule_pairs_a_final_with_the_budget_printed_another_way(mem, budget_unit: str) -> None:
    """The 决算 is loaded first: the 预算 arriving under another printing of the name re-judges it."""
    write_report(mem, _report("f24", 2024, "部门决算", "测试其他局(一)",
                              {"20106": {"budget_initial": "100.00", "total": "110.00"}}))
    assert _cross(mem, "f24") == []
    write_report(mem, _report("b24", 2024, "部门预算", budget_unit, {"20106": {"total": "120.00"}}))
    [(cid, expected, actual, passed, text)] = _cross(mem, "f24")
    assert (cid, expected, actual, passed) == ("cross:budget_initial:20106", D("1200000.00"), D("1000000.00"), False)
    # each report is named by the name it prints
    assert "测试其他局(一)2024年部门决算（f24.pdf）" in text and f"{budget_unit}2024年部门预算（b24.pdf）" in text
    # and 预算执行 takes that 预算 report's budget
    assert mem.execute("SELECT budget_doc_id, budget_source, budget_yuan, actual_yuan FROM budget_vs_actual "
                       "WHERE final_doc_id = 'f24' AND code = '20106'").fetchall() == [
        ("b24", "预算报告", D("1200000.00"), D("1100000.00"))]


def test_cross_rule_keeps_a_name_differing_in_another_character_apart(mem) -> None:
    write_report(mem, _report("b24", 2024, "部门预算", "测试其他局（二）", {"20106": {"total": "120.00"}}))
    write_report(mem, _report("f24", 2024, "部门决算", "测试其他局（一）",
                              {"20106": {"budget_initial": "120.00", "total": "110.00"}}))
    assert _cross(mem, "f24") == []
    # 预算执行 falls back on the 决算's own 年初预算数 column: no 预算 report of its unit is loaded
    assert mem.execute("SELECT budget_doc_id, budget_source FROM budget_vs_actual WHERE final_doc_id = 'f24' "
                       "AND code = '20106'").fetchall() == [(None, "年初预算")]


def test_unit_of_on_no_reports() -> None:
    empty = pd.DataFrame(columns=["unit_name", "unit_key", "printed_unit_name"])
    assert unit_of(empty, "测试局") is None


def test_aliases_join_by_key_once_and_an_ambiguous_alias_applies_to_no_report(mem) -> None:
    write_report(mem, _report("b23", 2023, "部门预算", "旧局（一）", {"20106": {"total": "100.00"}}))
    write_report(mem, _report("b24", 2024, "部门预算", "新局", {"20106": {"total": "120.00"}}))
    mem.execute("INSERT INTO unit_aliases VALUES ('旧局(一)', '新局'), ('旧局 （一）', '新局')")  # two printings, one unit
    units = "SELECT doc_id, unit_name, unit_key, printed_unit_name FROM unit_docs ORDER BY doc_id"
    assert mem.execute(units).fetchall() == [("b23", "新局", "新局", "旧局（一）"), ("b24", "新局", "新局", "新局")]
    assert mem.execute("SELECT fiscal_year, amount_yuan, prior_amount_yuan FROM yoy_func WHERE code = '20106' "
                       "ORDER BY fiscal_year").fetchall() == [(2023, D("1000000.00"), None),
                                                              (2024, D("1200000.00"), D("1000000.00"))]
    mem.execute("INSERT INTO unit_aliases VALUES ('旧局（一）', '别局')")  # the same former name, another unit
    assert mem.execute(units).fetchall() == [("b23", "旧局（一）", "旧局（一）", "旧局（一）"),
                                             ("b24", "新局", "新局", "新局")]


def test_a_reprint_that_only_brackets_the_name_differently_is_the_same_units_year(tmp_path: Path) -> None:
    """The ingest's duplicate check keys the unit too: the reprint is refused as 已有 (or replaces the first with the
    replace option), never loaded beside it to be summed; a name differing in another character is another unit."""
    from etl.store.ingest import ingest_many
    from etl.store.publish import writing

    first = write_generated(tmp_path / "a", PRINTED_2023, 2023)
    reprint = write_generated(tmp_path / "b", PRINTED_2023.replace("（", "(").replace("）", ")") + " ", 2023)
    other = write_generated(tmp_path / "c", OTHER_2024, 2023)
    db = tmp_path / "budget.duckdb"
    with writing(db) as c:
        outcomes = ingest_many(c, [first, reprint, other])
    assert [o.status for o in outcomes] == ["loaded", "refused", "loaded"]
    assert outcomes[1].message.startswith(f"已有{PRINTED_2023.replace('（', '(').replace('）', ')')}2023年")
    assert first.name in outcomes[1].message
    with writing(db) as c:
        assert [o.status for o in ingest_many(c, [reprint], replace=True)] == ["loaded"]
    c = duckdb.connect(str(db), read_only=True)
    try:
        rows = c.execute("SELECT unit_key, count(*) FROM documents GROUP BY ALL ORDER BY 1").fetchall()
    finally:
        c.close()
    assert rows == [(KEY, 1), ("合成甲街道办公处（其他）", 1)]
