"""Property-based tests: thousands of generated inputs, no unhandled exception, and never a wrong number."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.read.amounts import parse_amount, to_yuan
from etl.read.layout import RawTable, Row
from etl.read.tokens import pieces
from etl.tables.parsers.func import parse_func
from etl.tables.placement import candidates, row_adds_up

cents = st.integers(min_value=0, max_value=10**13).map(lambda c: Decimal(c) / 100)


def printed(value: Decimal) -> str:
    return f"{value:,.2f}"


@given(cents)
def test_amount_round_trip(value):
    assert parse_amount(printed(value)) == value
    yuan = to_yuan(value, "万元")
    assert yuan == value * 10000
    assert (yuan / 10000).quantize(Decimal("0.01")) == value


@given(st.text(max_size=200))
@settings(max_examples=2000)
def test_tokenizer_never_raises_and_every_amount_token_parses(line):
    for p in pieces(line):
        if p.kind == "amount":
            parse_amount(p.text)


MEASURES = ["total", "basic", "project"]


@given(st.lists(cents, min_size=0, max_size=3), st.lists(st.integers(0, 12), min_size=0, max_size=4))
@settings(max_examples=2000)
def test_candidates_always_add_up(values, gaps):
    for placement in candidates(values, gaps, MEASURES, Decimal("0.01")):
        assert row_adds_up(dict(zip(placement, values, strict=True)), MEASURES, Decimal("0.01"))


@st.composite
def func_table(draw):
    """A 功能分类 table with consistent 合计/基本/项目 and parents = sums, printed as a text extraction prints it:
    blank cells dropped, a blank between two amounts leaving two extra spaces."""
    n_items = draw(st.integers(1, 6))
    items = []
    for i in range(n_items):
        basic = draw(st.one_of(st.just(Decimal(0)), cents.filter(lambda v: v < 10**6)))
        project = draw(st.one_of(st.just(Decimal(0)), cents.filter(lambda v: v < 10**6)))
        if basic == 0 and project == 0:
            project = Decimal("1.00")
        items.append((f"20701{i:02d}", f"项目{i}", basic, project))
    basic_sum = sum(i[2] for i in items)
    project_sum = sum(i[3] for i in items)
    rows = [(None, "合计", basic_sum, project_sum), ("207", "文化旅游体育与传媒支出", basic_sum, project_sum),
            ("20701", "文化和旅游", basic_sum, project_sum)] + items

    def line(code, name, basic, project):
        cells = [basic + project, basic, project]
        text = f"{code} {name}" if code else name
        out, pending_blanks = text, 0
        for v in cells:
            if v == 0:
                pending_blanks += 1
                continue
            out += " " + "  " * pending_blanks + printed(v)
            pending_blanks = 0
        return out + "  " * pending_blanks

    truth = {}
    for code, _name, b, p in rows:
        for m, v in zip(MEASURES, [b + p, b, p], strict=True):
            if v != 0:
                truth[(code, m)] = v * 10000
    text_rows = [Row(cells=[line(*r)], page=None, aligned=False) for r in rows]
    return text_rows, truth


@given(func_table())
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_text_func_table_is_exact_or_reported(table):
    rows, truth = table
    raw = RawTable(title="测试表（合成）", table_no=None, unit_printed="万元", page_from=None, page_to=None,
                   header=[["科目编码 科目名称 合计 基本支出 项目支出"]], rows=rows)
    out = parse_func(raw, "expenditure")
    for r in out.rows.get("func_lines", []):
        assert truth[(r["code"], r["measure"])] == r["amount_yuan"]  # never a wrong number
    stored = {(r["code"], r["measure"]) for r in out.rows.get("func_lines", [])}
    missing = set(truth) - stored
    if missing:
        assert any(i.severity == "error" for i in out.issues)  # what is not stored is reported
