"""The dashboard's one-unit 同比 query is the yoy_func view's own text with the filters moved inside, so it must
return exactly the view's rows for every unit, table and measure of the real reports."""

from __future__ import annotations

from decimal import Decimal as D

from etl.schema import YOY_FUNC_FOR_UNIT

from .samples import needs_samples

COLUMNS = "code, name, measure, fiscal_year, amount_yuan, prior_amount_yuan, change_yuan, change_pct"


@needs_samples
def test_one_unit_query_equals_the_view(samples_db) -> None:
    con, _ = samples_db
    cases = con.execute("SELECT DISTINCT unit_name, table_kind, measure FROM yoy_func").fetchall()
    assert len(cases) >= 20
    for unit, kind, measure in cases:
        from_view = con.execute(f"SELECT {COLUMNS} FROM yoy_func WHERE unit_name = ? AND table_kind = ? AND measure = ? "
                                "ORDER BY ALL", [unit, kind, measure]).fetchall()
        direct = con.execute(f"SELECT {COLUMNS} FROM ({YOY_FUNC_FOR_UNIT}) ORDER BY ALL",
                             [unit, kind, measure, unit]).fetchall()
        assert direct == from_view, (unit, kind, measure)


@needs_samples
def test_wanli_2024_against_2023_through_the_one_unit_query(samples_db) -> None:
    """行政运行 2120101 in the two 支出总表: 16,603,248 (2024: 基本 16,353,248 + 项目 250,000) vs 18,373,632 (2023)."""
    con, _ = samples_db
    unit = "上海市普陀区人民政府万里街道办事处"
    rows = con.execute(f"SELECT amount_yuan, prior_amount_yuan, change_yuan FROM ({YOY_FUNC_FOR_UNIT}) "
                       "WHERE code = '2120101' AND fiscal_year = 2024", [unit, "expenditure", "total", unit]).fetchall()
    assert rows == [(D("16603248.00"), D("18373632.00"), D("-1770384.00"))]
