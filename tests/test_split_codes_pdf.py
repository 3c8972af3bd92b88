"""科目编码 printed in 类 | 款 | 项 columns, on generated PDFs (tests/pdf_grid_report.py prints them with Chromium;
unit marked 合成, figures invented): parents repeated on every row or printed once and left blank below both read as
3/5/7-digit codes; a grid that prints no amount, or 注：本表无数据 over zeros, is an empty table with no rows.
"""

from __future__ import annotations

import html
from decimal import Decimal as D

import pytest

from etl.pipeline import parse_report
from tests import pdf_grid_report as g

HEADER = [[("科目编码", 3), "科目名称", "合计", "基本支出", "项目支出"], ["类", "款", "项", "", "", "", ""]]
REPEATED = [["", "", "", "合计", "300.00", "100.00", "200.00"],
            ["201", "", "", "一般公共服务支出", "300.00", "100.00", "200.00"],
            ["201", "32", "", "组织事务", "300.00", "100.00", "200.00"],
            ["201", "32", "02", "一般行政管理事务", "100.00", "100.00", ""],
            ["201", "32", "99", "其他组织事务支出", "200.00", "", "200.00"]]
ONCE = [["", "", "", "合计", "300.00", "100.00", "200.00"],
        ["201", "", "", "一般公共服务支出", "300.00", "100.00", "200.00"],
        ["", "32", "", "组织事务", "300.00", "100.00", "200.00"],
        ["", "", "02", "一般行政管理事务", "100.00", "100.00", ""],
        ["", "", "99", "其他组织事务支出", "200.00", "", "200.00"]]
EXPECTED = [(None, 0, "total", D("300.00")), (None, 0, "basic", D("100.00")), (None, 0, "project", D("200.00")),
            ("201", 1, "total", D("300.00")), ("201", 1, "basic", D("100.00")), ("201", 1, "project", D("200.00")),
            ("20132", 2, "total", D("300.00")), ("20132", 2, "basic", D("100.00")),
            ("20132", 2, "project", D("200.00")), ("2013202", 3, "total", D("100.00")),
            ("2013202", 3, "basic", D("100.00")), ("2013299", 3, "total", D("200.00")),
            ("2013299", 3, "project", D("200.00"))]  # the blank cells are no rows


def _grid(title: str, rows: list[list[str]], note: str | None = None) -> str:
    """A 元 table whose 科目编码 heading spans the 类 | 款 | 项 columns (pdf_grid_report.grid has no spans)."""
    def cell(c: str | tuple[str, int], tag: str) -> str:
        text, span = c if isinstance(c, tuple) else (c, 1)
        return f'<{tag} colspan="{span}">{html.escape(text)}</{tag}>'

    body = "".join("<tr>" + "".join(cell(c, "th") for c in h) + "</tr>" for h in HEADER)
    body += "".join("<tr>" + "".join(cell(c, "td") for c in r) + "</tr>" for r in rows)
    note_html = f"<p>{html.escape(note)}</p>" if note else ""
    return (f'<div class="page"><p style="text-align:center;font-size:14pt">{html.escape(title)}</p>'
            f'<p style="text-align:right">单位：元</p><table>{body}</table>{note_html}</div>')


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("split-codes")
    zeros = [[c if i < 4 or not c else "0.00" for i, c in enumerate(r)] for r in REPEATED]
    blank = [[c if i < 4 else "" for i, c in enumerate(r)] for r in REPEATED]
    prints = {
        "repeated": [_grid(f"{g.YEAR}年部门支出总表", REPEATED), g.revenue()],
        "once": [_grid(f"{g.YEAR}年部门支出总表", ONCE), g.revenue()],
        "empty": [_grid(f"{g.YEAR}年部门支出总表", zeros, note="注：本表无数据"),
                  _grid(f"{g.YEAR}年一般公共预算支出表", blank), g.revenue()],
    }
    return {k: parse_report(g.render(folder / f"generated-split-{k}.pdf", t)) for k, t in prints.items()}


def _lines(report, kind: str) -> list[tuple]:
    return [(r["code"], r["level"], r["measure"], r["amount_yuan"]) for r in report.rows.get("func_lines", [])
            if r["table_kind"] == kind]


@pytest.mark.parametrize("layout", ["repeated", "once"])
def test_split_code_columns_assemble_to_full_codes(reports, layout):
    report = reports[layout]
    assert _lines(report, "expenditure") == EXPECTED
    table = next(t for t in report.tables if t["table_kind"] == "expenditure")
    assert (table["status"], table["row_count"]) == ("parsed", len(EXPECTED))
    assert not [i for i in report.issues if "科目编码" in i.message]


def test_empty_grids_with_split_codes_write_no_rows(reports):
    report = reports["empty"]
    assert _lines(report, "expenditure") == [] and _lines(report, "gp_expenditure") == []
    tables = {t["table_kind"]: (t["status"], t["has_data"], t["row_count"]) for t in report.tables}
    assert tables["expenditure"] == ("empty", False, 0)  # 本表无数据 over 0.00
    assert tables["gp_expenditure"] == ("empty", False, 0)  # nothing printed at all
    assert not [i for i in report.issues if i.severity == "error"]
