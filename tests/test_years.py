"""Year-over-year views over the 万里街道 2023 and 2024 reports (amounts as printed in each report)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from etl.store.write import connect

from .samples import SAMPLES, YANGQUAN, build_db, needs_samples

pytestmark = needs_samples
UNIT = "上海市普陀区人民政府万里街道办事处"


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    files = [SAMPLES / "shanghai-putuo-wanli-2023-dept-budget.pdf", SAMPLES / "shanghai-putuo-wanli-2024-dept-budget.pdf",
             YANGQUAN]
    c = connect(build_db(tmp_path_factory.mktemp("yoy") / "b.duckdb", files))
    yield c
    c.close()


def row(con, sql, *params):
    rows = con.execute(sql, list(params)).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def test_each_report_loads_with_the_year_its_title_prints(con):
    # the 万里 titles print their year (上海市普陀区2023年区级部门预算), whose place names no unit: the unit is the
    # 预算主管部门 label's; 阳泉's running title gives both
    rows = con.execute("SELECT unit_name, fiscal_year, doc_type FROM documents ORDER BY unit_name, fiscal_year").fetchall()
    assert rows == [(UNIT, 2023, "部门预算"), (UNIT, 2024, "部门预算"), ("阳泉市文化和旅游局", 2023, "单位预算")]


def test_yoy_func_for_a_real_item(con):
    # 2120101 行政运行 (支出总表): 2023 printed 18,373,632; 2024 printed 16,603,248
    r = row(con, "SELECT amount_yuan, prior_amount_yuan, change_yuan, change_pct FROM yoy_func WHERE unit_name=? "
                 "AND table_kind='expenditure' AND code='2120101' AND measure='total' AND fiscal_year=2024", UNIT)
    assert r == (D("16603248.00"), D("18373632.00"), D("-1770384.00"), -9.64)


def test_yoy_func_basic_and_project_split(con):
    r = row(con, "SELECT amount_yuan, prior_amount_yuan, change_yuan, change_pct FROM yoy_func WHERE unit_name=? "
                 "AND table_kind='expenditure' AND code='2120101' AND measure='project' AND fiscal_year=2024", UNIT)
    assert r == (D("250000.00"), D("0.00"), D("250000.00"), None)  # prior 0 → no percentage


def test_yoy_func_totals(con):
    r = row(con, "SELECT amount_yuan, prior_amount_yuan, change_yuan FROM yoy_func WHERE unit_name=? AND "
                 "table_kind='revenue' AND code='212' AND measure='total' AND fiscal_year=2024", UNIT)
    assert r[0] == D("119385303.00") and r[1] == D("121319878.00") and r[2] == D("-1934575.00")


def test_first_loaded_year_has_no_change(con):
    r = row(con, "SELECT prior_amount_yuan, change_yuan, change_pct FROM yoy_func WHERE unit_name=? AND "
                 "table_kind='expenditure' AND code='2120101' AND measure='total' AND fiscal_year=2023", UNIT)
    assert r == (None, None, None)


def test_yoy_econ(con):
    r = row(con, "SELECT amount_yuan, prior_amount_yuan, change_yuan FROM yoy_econ WHERE unit_name=? AND econ_code='30113' "
                 "AND measure='total' AND fiscal_year=2024", UNIT)
    assert r == (D("3503499.00"), D("3526694.00"), D("-23195.00"))


def test_alias_links_a_renamed_unit(con):
    sql = ("SELECT prior_amount_yuan FROM yoy_func WHERE unit_name=? AND table_kind='expenditure' AND code='2120101' "
           "AND measure='total' AND fiscal_year=2024")
    con.execute("BEGIN TRANSACTION")
    try:
        # as a report printing the old name would have been stored: the name and its key (etl/read/names.py)
        con.execute("UPDATE documents SET unit_name='万里街道（旧称）', unit_key='万里街道（旧称）' "
                    "WHERE fiscal_year=2023 AND unit_name=?", [UNIT])
        assert con.execute(sql, [UNIT]).fetchall() == [(None,)]  # unmatched: never silently paired
        con.execute("INSERT INTO unit_aliases VALUES ('万里街道（旧称）', ?)", [UNIT])
        assert con.execute(sql, [UNIT]).fetchall() == [(D("18373632.00"),)]
    finally:
        con.execute("ROLLBACK")
