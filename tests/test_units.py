"""The one table of money units: exact 元 for the ETL, half-up 万元 for the dashboard, the same factors in SQL."""

from __future__ import annotations

from decimal import Decimal as D

import duckdb
import pytest

from etl.read.units import YUAN_PER, sql_yuan_per, to_yuan, yuan_per, yuan_to_display


def test_factors() -> None:
    assert YUAN_PER == {"元": D(1), "万元": D(10000), "亿元": D(100000000)}
    assert yuan_per("万元") == D(10000) and yuan_per(" 亿元 ") == D(100000000)
    assert yuan_per(None) == D(10000) and yuan_per("个") == D(10000)  # a prose figure printing no unit: 万元


def test_to_yuan_is_exact() -> None:
    assert to_yuan(D("3276.48"), "万元") == D("32764800.00")
    assert to_yuan(0.25, "亿元") == D("25000000.00")  # a float goes through its printed digits, not binary
    assert to_yuan(None, "元") is None


@pytest.mark.parametrize(("yuan", "shown"), [(36232600, "3623.26"), (5, "0.00"), (50, "0.01"), (-50, "-0.01"),
                                             (D("32764849.99"), "3276.48")])
def test_display_rounds_half_up_to_the_cent_of_a_wan(yuan, shown: str) -> None:
    assert yuan_to_display(yuan) == D(shown)


def test_sql_factor_equals_python_factor() -> None:
    con = duckdb.connect()
    try:
        for unit in [*YUAN_PER, " 万元", "个", None]:
            got = con.execute(f"SELECT {sql_yuan_per('u')} FROM (SELECT ?::VARCHAR AS u)", [unit]).fetchone()[0]
            assert D(got) == yuan_per(unit), unit
    finally:
        con.close()
