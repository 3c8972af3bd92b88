"""单位对比 from year-wide queries: the figures and source notes it showed when it read every report one by one.

RECORDED was taken from dashboard/compare.py before the change (per report: kpis.load, tables.econ_split, the “三公”
tables, report_tables), on 阳泉 2023 and the four 上海 sample PDFs, in 元. The edge database then removes rows from
those real reports so that every fallback (exact vs prefix 支出总计 rows, 支出总表 合计, prose figures in 亿元 or with no
unit, a repeated 合计 row, 本表无数据 tables, a missing table) is taken, and holds the year-wide figures to the
per-report functions the unit's own pages still use — a unit's number here is the number on its 总览.
"""

from __future__ import annotations

import copy
import hashlib
import math
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import compare, generations, kpis, queries, tables
from etl.pipeline import ParsedReport
from etl.store.write import connect, write_report
from tests.fixtures.parsed import parse_all
from tests.samples import SAMPLES, YANGQUAN, build_db, needs_samples

pytestmark = needs_samples

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PDFS = ["shanghai-putuo-finance-2025-dept-budget.pdf", "shanghai-putuo-wanli-2023-dept-budget.pdf",
        "shanghai-putuo-wanli-2024-dept-budget.pdf", "shanghai-putuo-welfare-home-2024-unit-budget.pdf"]
WANLI = "上海市普陀区人民政府万里街道办事处"
YANGQUAN_UNIT = "阳泉市文化和旅游局"
WELFARE = "上海市普陀区社会福利院"
FINANCE = "上海市普陀区财政局"
EMPTY_NOTE = "“三公”经费表注明“本表无数据”，按0计"
NUMBERS = ["expenditure", "basic", "project", "personnel", "public", "three_public", "operating_cost"]

# year → label → (支出总计, 基本, 项目, 人员经费, 公用经费, “三公”经费, 机关运行经费 in 元, note), as shown before the change
RECORDED = {
    2023: {
        WANLI: (164978640.0, 99406297.0, 65572343.0, 84024865.0, 15381432.0, 229100.0, 7860900.0, ""),
        YANGQUAN_UNIT: (36232600.0, 4252100.0, 31980600.0, 3776400.0, 475600.0, 0.0, 475600.0, EMPTY_NOTE),
    },
    2024: {
        WANLI: (156211123.0, 99706020.0, 56505103.0, 88537451.0, 11168569.0, 479100.0, 4431800.0, ""),
        WELFARE: (12121164.0, 9501164.0, 2620000.0, 7380214.0, 2120950.0, 64000.0, 0.0, ""),
    },
    2025: {
        FINANCE: (31214205.8, 25121091.0, 6093114.8, 22826756.0, 2294335.0, 9500.0, 2294300.0, ""),
    },
}
RECORDED_SOURCES = {
    (2023, ("summary", "expenditure")):
        "资料来源：上海市普陀区人民政府万里街道办事处，《上海市普陀区2023年区级部门预算》“2023年部门财务收支预算总表”，第10页；"
        "“2023年部门支出预算总表”，第15–18页；阳泉市文化和旅游局，《阳泉市文化和旅游局2023年单位预算公开报告》表1“2023年预算收支总表”；"
        "表3“2023年预算支出总表”",
    (2024, ("three_public", "operating_cost")):  # one printed table serving both kinds is named once
        "资料来源：上海市普陀区人民政府万里街道办事处，《上海市普陀区2024年区级部门预算》“部门“三公”经费和机关运行经费预算表”，第31页；"
        "上海市普陀区社会福利院，《上海市普陀区社会福利院2024年单位预算》“单位“三公”经费和机关运行经费预算表”，第15页",
}
KIND_SETS = [["summary", "expenditure"], ["expenditure"], ["gp_basic_econ"], ["three_public", "operating_cost"],
             ["gp_basic_econ", "three_public", "operating_cost"]]


@pytest.fixture(scope="module")
def real_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = [YANGQUAN, *(SAMPLES / name for name in PDFS)]
    return build_db(tmp_path_factory.mktemp("compare_real") / "budget.duckdb", files)


def _doc(con: duckdb.DuckDBPyConnection, unit: str, year: int) -> str:
    return con.execute("SELECT doc_id FROM documents WHERE unit_name = ? AND fiscal_year = ?", [unit, year]).fetchone()[0]


@pytest.fixture(scope="module")
def edge_db(real_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real reports with rows taken away or added so that each way of picking a figure is used once."""
    path = Path(shutil.copy(real_db, tmp_path_factory.mktemp("compare_edge") / "budget.duckdb"))
    con = duckdb.connect(str(path))
    try:
        w23, w24, home = _doc(con, WANLI, 2023), _doc(con, WANLI, 2024), _doc(con, WELFARE, 2024)
        finance, yq = _doc(con, FINANCE, 2025), _doc(con, YANGQUAN_UNIT, 2023)
        # 万里 2023: no 支出 summary rows → the 支出总表's level-0 合计
        con.execute("DELETE FROM summary_lines WHERE doc_id = ? AND side = '支出'", [w23])
        # 福利院: the 收支总表's row only starts with 支出总计 → the exactly named 财政拨款收支总表 row wins
        con.execute("UPDATE summary_lines SET item = '支出总计（含上年结转）' WHERE doc_id = ? AND item = '支出总计' "
                    "AND table_kind = 'summary'", [home])
        # 万里 2024: no row is named exactly → rows starting 支出总计, 收支总表 first
        con.execute("UPDATE summary_lines SET item = item || '（含结转）' WHERE doc_id = ? AND item = '支出总计'", [w24])
        # 财政局: no summary rows, 支出总表 合计 printed as 0, no 基本/项目 合计 → the prose, in 万元, 亿元, no unit
        con.execute("DELETE FROM summary_lines WHERE doc_id = ? AND side = '支出'", [finance])
        con.execute("UPDATE func_lines SET amount_yuan = 0 WHERE doc_id = ? AND table_kind = 'expenditure' "
                    "AND level = 0 AND measure = 'total'", [finance])
        con.execute("DELETE FROM func_lines WHERE doc_id = ? AND table_kind = 'expenditure' AND level = 0 "
                    "AND measure IN ('basic', 'project')", [finance])
        con.execute("INSERT INTO facts (doc_id, key, value, unit) VALUES (?, 'basic_total', 0.25, '亿元'), "
                    "(?, 'project_total', 609.31, NULL)", [finance, finance])
        # 阳泉: no 人员经费 合计; a later 总计 row repeats 公用经费; 机关运行经费 table printed as 本表无数据
        con.execute("DELETE FROM econ_lines WHERE doc_id = ? AND econ_name = '合计' AND measure = 'personnel'", [yq])
        con.execute("INSERT INTO econ_lines (doc_id, econ_name, measure, amount_yuan, row_no) "
                    "VALUES (?, '总计', 'public', 123.45, 999)", [yq])
        con.execute("DELETE FROM three_public WHERE doc_id = ? AND table_kind = 'operating_cost'", [yq])
        con.execute("UPDATE report_tables SET has_data = false WHERE doc_id = ? AND table_kind = 'operating_cost'",
                    [yq])
        # 福利院: its “三公” rows lost but its table has data → not printed (None), not 0
        con.execute("DELETE FROM three_public WHERE doc_id = ? AND table_kind = 'three_public'", [home])
    finally:
        con.close()
    return path


def _year_docs(year: int) -> pd.DataFrame:
    docs = queries.documents()
    return docs[docs["fiscal_year"] == year].reset_index(drop=True)


def _same(a: object, b: object) -> bool:
    missing = [x is None or (isinstance(x, float) and math.isnan(x)) for x in (a, b)]
    return all(missing) or (not any(missing) and a == b)


def _reference_three_public(doc_id: str) -> tuple[float | None, float | None, str]:
    """The per-report rule the page used before (dashboard/compare._three_public), kept here as the yardstick."""
    report = queries.report_tables(doc_id)
    rows = queries.three_public(doc_id)

    def no_data(kind: str) -> bool:
        kind_rows = report[report["table_kind"] == kind]
        return not kind_rows.empty and not kind_rows["has_data"].fillna(False).any()

    total = rows[(rows["table_kind"] == "three_public") & (rows["item"] == "合计") & (rows["measure"] == "total")]
    cost = rows[(rows["table_kind"] == "operating_cost") & (rows["item"] == "机关运行经费") & (rows["measure"] == "total")]
    three, note = (float(total["amount_yuan"].iloc[0]), "") if not total.empty else (
        (0.0, EMPTY_NOTE) if no_data("three_public") else (None, ""))
    spent = float(cost["amount_yuan"].iloc[0]) if not cost.empty else 0.0 if no_data("operating_cost") else None
    return three, spent, note


def test_figures_are_the_recorded_ones(real_db, use_db) -> None:
    use_db(real_db)
    for year, expected in RECORDED.items():
        frame = compare.figures(_year_docs(year))
        assert list(frame.columns) == compare.FIGURES
        shown = {row.label: (*(getattr(row, n) for n in NUMBERS), row.three_public_note)
                 for row in frame.itertuples(index=False)}
        assert shown == expected, year


def test_source_notes_are_the_recorded_and_per_report_ones(real_db, use_db) -> None:
    use_db(real_db)
    for year in RECORDED:
        docs = _year_docs(year)
        sources = compare.Sources(docs, year)
        for kinds in KIND_SETS:
            per_report = "；".join(
                f"{doc.unit_name}，{compare.report_source(doc.title, doc.doc_id, kinds)}"
                for doc in docs.itertuples(index=False))
            assert sources.context(kinds).source == "资料来源：" + per_report
            assert compare.context(docs, year, kinds).source == sources.context(kinds).source
            if (year, tuple(kinds)) in RECORDED_SOURCES:
                assert sources.context(kinds).source == RECORDED_SOURCES[year, tuple(kinds)]


def test_two_reports_of_one_unit_are_labelled_by_kind(real_db, use_db, tmp_path) -> None:
    db = use_db(shutil.copy(real_db, tmp_path / "budget.duckdb"))
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO unit_aliases VALUES (?, ?)", [WELFARE, WANLI])  # 福利院 filed under 万里街道
    con.close()
    frame = compare.figures(_year_docs(2024)).set_index("label")
    assert frame.loc[f"{WANLI}（部门预算）", "expenditure"] == RECORDED[2024][WANLI][0]
    assert frame.loc[f"{WANLI}（单位预算）", "expenditure"] == RECORDED[2024][WELFARE][0]
    assert set(frame["unit"]) == {WANLI}


def test_every_fallback_matches_the_per_report_path(edge_db, use_db) -> None:
    use_db(edge_db)
    shown = {}
    for year in RECORDED:
        for row in compare.figures(_year_docs(year)).itertuples(index=False):
            head = kpis.load(row.doc_id)
            _, personnel, public = tables.econ_split(queries.econ_lines(row.doc_id))
            three, cost, note = _reference_three_public(row.doc_id)
            expected = (head.expenditure_total, head.basic, head.project, personnel, public, three, cost)
            got = tuple(getattr(row, n) for n in NUMBERS)
            assert all(_same(a, b) for a, b in zip(got, expected, strict=True)), (row.label, got, expected)
            assert row.three_public_note == note
            shown[row.label, year] = got
    # and the fallbacks chosen are the intended ones
    assert shown[WELFARE, 2024][0] == 9501164.0  # exact 支出总计 of the 财政拨款 summary over a row only starting so
    assert shown[WANLI, 2024][0] == RECORDED[2024][WANLI][0]  # prefix rows, 收支总表 first
    assert shown[FINANCE, 2025][:3] == (3121.42 * 10000, 0.25 * 100000000, 609.31 * 10000)  # the prose
    assert math.isnan(shown[YANGQUAN_UNIT, 2023][3]) and shown[YANGQUAN_UNIT, 2023][4] == 123.45
    assert shown[YANGQUAN_UNIT, 2023][5:] == (0.0, 0.0)
    assert math.isnan(shown[WELFARE, 2024][5])


def _many(parsed: list[ParsedReport], copies: int) -> list[ParsedReport]:
    """Each real report `copies` times as a 2024 report of its own unit (marked 合成): same rows, new identity."""
    out = []
    for i in range(copies * len(parsed)):
        r = copy.deepcopy(parsed[i % len(parsed)])  # the session's parse is shared: never changed in place
        doc_id = hashlib.sha256(f"{r.doc['doc_id']}:{i}".encode()).hexdigest()[:16]
        r.doc.update(doc_id=doc_id, unit_name=f"{r.doc['unit_name']}（合成{i:02d}）", fiscal_year=2024,
                     source_file=f"合成-{i:02d}-{r.doc['source_file']}")
        for rows in [r.tables, r.checks, *r.rows.values()]:
            for row in rows:
                row["doc_id"] = doc_id
        out.append(r)
    return out


@pytest.fixture(scope="module")
def many_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """15 units in 2024: the five real reports three times each, under generated names."""
    parsed = parse_all([YANGQUAN, *(SAMPLES / name for name in PDFS)])
    path = tmp_path_factory.mktemp("compare_many") / "budget.duckdb"
    con = connect(path)
    try:
        for report in _many(parsed, 3):
            write_report(con, report)
    finally:
        con.close()
    return path


def test_a_year_costs_four_statements_however_many_reports(many_db, use_db, monkeypatch) -> None:
    use_db(many_db)
    docs = _year_docs(2024)
    assert len(docs) == 15
    st.cache_data.clear()
    statements = []
    run = generations.read_sql
    monkeypatch.setattr(generations, "read_sql", lambda *a: statements.append(a[1]) or run(*a))
    compare.figures(docs)
    sources = compare.Sources(docs, 2024)
    for kinds in KIND_SETS:
        sources.context(kinds)
    assert len(statements) == 4


def test_page_defaults_to_the_selected_unit_and_the_nine_largest(many_db, use_db) -> None:
    use_db(many_db)
    selected = f"{WELFARE}（合成04）"  # the smallest report
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["unit"], at.query_params["year"] = selected, "2024"
    at.run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    box = at.multiselect[0]
    assert len(box.options) == 15 and "共15个" in box.label
    # files in order 阳泉, 财政局, 万里 2023, 万里 2024, 福利院: copy i is of file i % 5
    largest = [f"{WANLI}（合成{i:02d}）" for i in (2, 3, 7, 8, 12, 13)] + [f"{YANGQUAN_UNIT}（合成{i:02d}）"
                                                                       for i in (0, 5, 10)]
    assert set(box.value) == {selected, *largest}
    assert any("2024年共有15个单位的报告" in c.value and "支出总计最大的9个单位" in c.value for c in at.caption)
    table = next(t.value for t in at.dataframe if "支出总计（万元）" in t.value.columns).set_index("单位")
    assert len(table) == 10 and table.loc[selected, "支出总计（万元）"] == 1212.12
    box.set_value([*box.value, f"{FINANCE}（合成01）"]).run()  # every unit stays selectable
    assert not at.exception and len(next(t.value for t in at.dataframe if "支出总计（万元）" in t.value.columns)) == 11
