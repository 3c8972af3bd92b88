"""The dashboard's one-unit 同比 query is the yoy_func view's own text with the filters moved inside, so it must
return exactly the view's rows for every unit, table and measure of the real reports."""

from __future__ import annotations

import shutil
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest

from etl.store.schema import YOY_FUNC_FOR_UNIT

from .samples import SAMPLES, build_db, needs_samples

WANLI = "上海市普陀区人民政府万里街道办事处"
PDFS = ["shanghai-putuo-wanli-2023-dept-budget.pdf", "shanghai-putuo-wanli-2024-dept-budget.pdf"]
COLUMNS = "code, name, measure, fiscal_year, amount_yuan, prior_amount_yuan, change_yuan, change_pct"


def bind(unit: str, doc_type: str | None, kind: str, measure: str) -> list:
    return [unit, doc_type, kind, measure, unit, doc_type, kind]


@pytest.fixture(scope="module")
def wanli_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("wanli") / "wanli.duckdb", [SAMPLES / name for name in PDFS])


@pytest.fixture()
def wanli(wanli_file: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """A private copy of the two 万里街道 reports, for tests that change it."""
    path = Path(shutil.copy(wanli_file, tmp_path / "wanli.duckdb"))
    con = duckdb.connect(str(path))
    yield con
    con.close()


def one_unit(con: duckdb.DuckDBPyConnection, doc_type: str, kind: str, code: str, year: int) -> list[tuple]:
    return con.execute(f"SELECT amount_yuan, prior_amount_yuan, change_yuan FROM ({YOY_FUNC_FOR_UNIT}) "
                       "WHERE code = ? AND fiscal_year = ?", [*bind(WANLI, doc_type, kind, "total"), code, year]).fetchall()


@needs_samples
def test_a_second_report_type_of_the_same_year_is_never_summed_in(wanli) -> None:
    """A 单位预算 copy of the 2024 report beside the 部门预算: the 部门预算 comparison is untouched, and the 单位预算
    has no 2023 单位预算 to compare with (change unknown, not the whole amount)."""
    doc = wanli.execute("SELECT doc_id FROM documents WHERE fiscal_year = 2024").fetchall()[0][0]
    wanli.execute("INSERT INTO documents SELECT * REPLACE ('copy' AS doc_id, '单位预算' AS doc_type) FROM documents "
                  "WHERE doc_id = ?", [doc])
    for table in ("func_lines", "report_tables"):
        wanli.execute(f"INSERT INTO {table} SELECT * REPLACE ('copy' AS doc_id) FROM {table} WHERE doc_id = ?", [doc])
    assert one_unit(wanli, "部门预算", "expenditure", "2120101", 2024) == [
        (D("16603248.00"), D("18373632.00"), D("-1770384.00"))]
    assert one_unit(wanli, "单位预算", "expenditure", "2120101", 2024) == [(D("16603248.00"), None, None)]


@needs_samples
def test_a_table_missing_last_year_makes_the_change_unknown_not_everything_new(wanli) -> None:
    wanli.execute("DELETE FROM func_lines WHERE table_kind = 'gp_expenditure' AND doc_id IN "
                  "(SELECT doc_id FROM documents WHERE fiscal_year = 2023)")
    wanli.execute("DELETE FROM report_tables WHERE table_kind = 'gp_expenditure' AND doc_id IN "
                  "(SELECT doc_id FROM documents WHERE fiscal_year = 2023)")
    rows = wanli.execute(f"SELECT count(*), count(change_yuan), count(prior_amount_yuan) FROM ({YOY_FUNC_FOR_UNIT}) "
                         "WHERE fiscal_year = 2024", bind(WANLI, "部门预算", "gp_expenditure", "total")).fetchall()
    assert rows[0][0] > 50 and rows[0][1:] == (0, 0)
    # the other table of the same two reports still compares
    assert one_unit(wanli, "部门预算", "expenditure", "2120101", 2024)[0][2] == D("-1770384.00")


@needs_samples
def test_one_unit_query_equals_the_view(samples_db) -> None:
    con, _ = samples_db
    cases = con.execute("SELECT DISTINCT unit_name, doc_type, table_kind, measure FROM yoy_func").fetchall()
    assert len(cases) >= 20
    for unit, doc_type, kind, measure in cases:
        from_view = con.execute(f"SELECT {COLUMNS} FROM yoy_func WHERE unit_name = ? AND doc_type IS NOT DISTINCT "
                                "FROM ? AND table_kind = ? AND measure = ? ORDER BY ALL",
                                [unit, doc_type, kind, measure]).fetchall()
        direct = con.execute(f"SELECT {COLUMNS} FROM ({YOY_FUNC_FOR_UNIT}) ORDER BY ALL",
                             bind(unit, doc_type, kind, measure)).fetchall()
        assert direct == from_view, (unit, kind, measure)


@needs_samples
def test_wanli_2024_against_2023_through_the_one_unit_query(samples_db) -> None:
    """行政运行 2120101 in the two 支出总表: 16,603,248 (2024: 基本 16,353,248 + 项目 250,000) vs 18,373,632 (2023)."""
    con, _ = samples_db
    unit = "上海市普陀区人民政府万里街道办事处"
    rows = con.execute(f"SELECT amount_yuan, prior_amount_yuan, change_yuan FROM ({YOY_FUNC_FOR_UNIT}) "
                       "WHERE code = '2120101' AND fiscal_year = 2024",
                       bind(unit, "部门预算", "expenditure", "total")).fetchall()
    assert rows == [(D("16603248.00"), D("18373632.00"), D("-1770384.00"))]
