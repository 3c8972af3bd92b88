from decimal import Decimal

import pytest

from etl.read.amounts import is_blank, parse_amount, rounding_tolerance, to_yuan


@pytest.mark.parametrize(("text", "value"), [
    ("3,276.48", Decimal("3276.48")), ("164,978,640", Decimal("164978640")), ("0", Decimal("0")),
    ("0.00", Decimal("0.00")), ("31,214,205.80", Decimal("31214205.80")), ("１２３", Decimal("123")),
    ("-1,000.50", Decimal("-1000.50")), (" 2,219.40\n", Decimal("2219.40")),
])
def test_parse_amount(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize("text", ["", None, "-", "—", "  "])
def test_blank_is_none_not_zero(text):
    assert is_blank(text)
    assert parse_amount(text) is None


@pytest.mark.parametrize("text", ["1,2,3.4", "＊", "abc", "12..5", "3,27.48"])
def test_garbled_amount_raises(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_wan_to_yuan_is_exact():
    assert to_yuan(Decimal("2219.40"), "万元") == Decimal("22194000.00")
    assert to_yuan(Decimal("0.01"), "万元") == Decimal("100.00")
    assert to_yuan(Decimal("164978640"), "元") == Decimal("164978640.00")


def test_tolerance_is_a_hundredth_of_the_printed_unit_per_cell():
    assert rounding_tolerance("万元", 3) == Decimal("300")
    assert rounding_tolerance("元", 2) == Decimal("0.02")
