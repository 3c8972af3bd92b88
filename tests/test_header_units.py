"""Money units printed once per page (in the running header, or above the caption) and numbered captions
(表一…表十三, 表1：, 附表1-1, 预算公开表1).

Templates of the same family differ in where they print 单位 and how they number tables: the unit a table is read in
must be the one printed on its page (a caption's own 单位 line first), never one guessed, and a table's kind comes
from the words after its number. Hand-built blocks pin the rules; Chromium prints (tests/pdf_grid_report.render,
this file's HTML — all synthetic, marked 合成) show them on a real PDF reading.
"""

from __future__ import annotations

import html
from decimal import Decimal
from pathlib import Path

import pytest

from etl.pipeline import parse_report
from etl.read.layout import Grid, Line, Source
from etl.tables.classify import classify, split_number
from etl.tables.segment import segment

from .pdf_grid_report import STYLE, UNIT, YEAR, render

HEADER = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]]
BODY = [["", "合计", "300.00", "100.00", "200.00"], ["205", "教育支出", "300.00", "100.00", "200.00"],
        ["20502", "普通教育", "300.00", "100.00", "200.00"]]
REVENUE_HEADER = [["科目编码", "科目名称", "合计", "一般公共预算"]]
REVENUE_BODY = [["", "合计", "300.00", "300.00"], ["205", "教育支出", "300.00", "300.00"],
                ["20502", "普通教育", "300.00", "300.00"]]


def pdf(*blocks: Line | Grid) -> Source:
    return Source(blocks=list(blocks), page_count=5, kind="pdf")


def grid(page: int, rows: list[list[str]] | None = None) -> Grid:
    return Grid(rows=[*HEADER, *(rows or BODY)], page=page)


def found(source: Source) -> list[tuple[str, str | None, str | None, int | None, int | None]]:
    return [(t.title, t.table_no, t.unit_printed, t.page_from, t.page_to) for t in segment(source).tables]


# ------------------------------------------------------------------------------------------------ the page's unit


def test_a_unit_in_the_page_header_is_the_unit_of_the_tables_starting_on_that_page() -> None:
    src = pdf(Line("金额单位：万元", 2), Line("表一", 2), Line("2024年部门支出总表", 2), grid(2),
              Line("金额单位：万元", 3), grid(3, [["2050201", "学前教育", "1.00", "1.00", ""]]),  # goes on over page 3
              Line("金额单位：元", 4), Line("表二", 4), Line("2024年部门收入总表", 4), grid(4),
              Line("表三", 4), Line("2024年部门财政拨款收支总表", 4), grid(4))
    assert found(src) == [("2024年部门支出总表", "一", "万元", 2, 3), ("2024年部门收入总表", "二", "元", 4, 4),
                          ("2024年部门财政拨款收支总表", "三", "元", 4, 4)]
    # the running header of page 3 neither closed the table nor became a row of it
    first = segment(src).tables[0]
    assert [r.cells[1] for r in first.rows] == ["合计", "教育支出", "普通教育", "学前教育"]
    assert not any("单位" in ln.text for ln in segment(src).prose)


def test_a_header_unit_over_a_grid_of_other_columns_does_not_join_it_to_the_open_table() -> None:
    """A page header over a grid that is not the open table's (other columns, no caption found): the grid is reported
    as a table without a title, never added to the table before it."""
    src = pdf(Line("金额单位：万元", 2), Line("表一", 2), Line("2024年部门支出总表", 2), grid(2),
              Line("金额单位：万元", 3), Grid(rows=[["项目", "金额"], ["合计", "5.00"]], page=3))
    assert [(t.title, len(t.rows)) for t in segment(src).tables] == [("2024年部门支出总表", 3), ("（无标题表格）", 1)]


def test_a_lone_total_row_on_the_last_page_goes_on_with_the_table_under_a_header_unit() -> None:
    """The last page of a table holds only its 合计 row, whose label cells print merged (a narrower grid): under
    that page's running-header unit it is still the table's last row, its amounts kept at the right edge."""
    src = pdf(Line("金额单位：万元", 2), Line("表一", 2), Line("2024年部门支出总表", 2),
              Grid(rows=[*HEADER, *BODY[1:]], page=2),
              Line("金额单位：万元", 3), Grid(rows=[["合计", "300.00", "100.00", "200.00"]], page=3))
    (table,) = segment(src).tables
    assert (table.page_from, table.page_to) == (2, 3) and table.rows[-1].cells == ["合计", "300.00", "100.00", "200.00"]


def test_a_unit_under_the_caption_wins_over_the_page_header() -> None:
    src = pdf(Line("金额单位：万元", 2), Line("2024年部门支出总表", 2), Line("单位：元", 2), grid(2),
              Line("2024年部门收入总表", 2), grid(2))
    assert [t[2] for t in found(src)] == ["元", "万元"]


def test_a_page_printing_two_header_units_gives_none_to_a_table_without_its_own() -> None:
    src = pdf(Line("单位：万元", 2), Line("2024年部门支出总表", 2), grid(2),
              Line("单位：元", 2), Line("2024年部门收入总表", 2), grid(2),
              Line("2024年部门财政拨款收支总表", 2), grid(2))
    # each unit is printed right above its caption; the third table has none of its own and its page prints two
    assert [t[2] for t in found(src)] == ["万元", "元", None]
    assert segment(src).unit_problems == {2: "第2页印有两种金额单位（万元、元），无法确定此表的单位"}


def test_a_table_under_two_header_units_is_not_read_and_the_rest_loads(tmp_path: Path) -> None:
    """Not the unit the report's other tables print (pipeline._settle_units' fallback): its page prints two."""
    rows = "科目编码 科目名称 合计 基本支出 项目支出\n合计 300.00 100.00 200.00\n205 教育支出 300.00 100.00 200.00\n"
    text = ("合成测试局2024年单位预算\n一、单位职责\n合成测试局负责测试工作（合成数据）。\n-1-\n"
            f"单位：万元\n2024年部门支出总表\n{rows}单位：元\n2024年部门收入总表\n"
            "科目编码 科目名称 合计 一般公共预算\n合计 300.00 300.00\n205 教育支出 300.00 300.00\n"
            f"2024年一般公共预算支出表\n{rows}-2-\n")
    path = tmp_path / "two-units.txt"
    path.write_text(text, encoding="utf-8")
    report = parse_report(path)
    got = [(t["table_kind"], t["unit_printed"], t["status"], t["problem"]) for t in report.tables]
    assert got == [("expenditure", "万元", "parsed", None), ("revenue", "元", "parsed", None),
                   ("gp_expenditure", None, "unparsed", "第2页印有两种金额单位（万元、元），无法确定此表的单位")]


def test_no_unit_printed_anywhere_is_never_invented() -> None:
    src = pdf(Line("2024年部门支出总表", 2), grid(2), Line("2024年部门收入总表", 3), grid(3))
    assert [t[2] for t in found(src)] == [None, None]


def test_a_unit_on_the_number_line_and_in_a_text_report() -> None:
    src = pdf(Line("表1          金额单位：万元", 2), Line("2024年部门支出总表", 2), grid(2))
    assert found(src) == [("2024年部门支出总表", "1", "万元", 2, 2)]
    text = Source(blocks=[Line("金额单位：万元", None), Line("表1", None), Line("2024年部门支出总表", None),
                          Line("科目编码 科目名称 合计 基本支出 项目支出", None),
                          Line("205 教育支出 300.00 100.00 200.00", None),
                          Line("单位：元", None), Line("表2", None), Line("2024年部门收入总表", None),
                          Line("科目编码 科目名称 合计", None), Line("205 教育支出 300.00", None)],
                  page_count=None, kind="text")
    tables = segment(text).tables
    # the unit above the next caption is that table's, not a late 单位 line of the table before
    assert [(t.table_no, t.unit_printed, len(t.rows)) for t in tables] == [("1", "万元", 1), ("2", "元", 1)]


def test_a_unit_line_under_an_empty_caption_stays_that_tables() -> None:
    """The 单位 line right under a caption is the caption's, even when the next caption follows at once."""
    src = Source(blocks=[Line("2023年“三公”经费支出预算表", 5), Line("单位：万元", 5),
                         Line("2023年政府性基金预算支出表", 6), Line("单位：元", 6), Line("本表无数据", 6)],
                 page_count=None, kind="text")
    assert [(t.title, t.unit_printed) for t in segment(src).tables] == [("2023年“三公”经费支出预算表", "万元"),
                                                                        ("2023年政府性基金预算支出表", "元")]


# ------------------------------------------------------------------------------------------------ numbered captions


@pytest.mark.parametrize(("caption", "number", "title", "kind"), [
    ("表1：2024年部门收支总表", "1", "2024年部门收支总表", "summary"),
    ("表1 2024年部门收支总表", "1", "2024年部门收支总表", "summary"),
    ("表一 2024年部门收支总表", "一", "2024年部门收支总表", "summary"),
    ("表一2024年部门收支总表", "一", "2024年部门收支总表", "summary"),
    ("表十三、2023年项目支出预算表（上年结转）", "十三", "2023年项目支出预算表（上年结转）", "projects_carryover"),
    ("附表1-1 2024年部门收入总表", "1-1", "2024年部门收入总表", "revenue"),
    ("附表2：部门支出总表", "2", "部门支出总表", "expenditure"),
    ("预算公开表1 2023年预算收支总表", "1", "2023年预算收支总表", "summary"),
    ("部门公开表9：2023年国有资本经营预算收支预算表", "9", "2023年国有资本经营预算收支预算表", "soe_capital"),
])
def test_a_numbered_caption_is_named_by_the_words_after_its_number(caption: str, number: str, title: str,
                                                                   kind: str) -> None:
    assert split_number(caption) == (number, title)
    assert classify(caption) == classify(title) == kind
    src = pdf(Line(caption, 2), Line("单位：元", 2), grid(2))
    assert found(src) == [(title, number, "元", 2, 2)]


@pytest.mark.parametrize("text", ["表12024年部门收支总表", "表1", "附表1 说明", "2024年部门收支总表"])
def test_what_is_not_a_number_before_a_title_is_left_alone(text: str) -> None:
    """表12024年…: 表1 or 表12? Never guessed — the caption is kept whole (its kind is still read from its words)."""
    assert split_number(text) == (None, text)


@pytest.mark.parametrize("number_line", ["表一", "表 1", "附表1", "附表1-1", "预算公开表1", "部门公开表9", "表十三"])
def test_a_number_printed_on_its_own_line_is_the_next_captions(number_line: str) -> None:
    src = pdf(Line(number_line, 2), Line("2024年部门支出总表", 2), Line("单位：元", 2), grid(2))
    assert found(src)[0][1] == number_line.split("表")[-1].strip()


def test_a_numbered_caption_drawn_inside_the_ruling() -> None:
    src = pdf(Grid(rows=[["表一", None, None, None, None], ["2024年部门支出总表", None, None, None, None],
                         ["", "", "", "", "单位：万元"], *HEADER, *BODY], page=2),
              Grid(rows=[["附表2：2024年部门收入总表", None, None, None], *REVENUE_HEADER, *REVENUE_BODY], page=3))
    assert found(src) == [("2024年部门支出总表", "一", "万元", 2, 2), ("2024年部门收入总表", "2", None, 3, 3)]


# ------------------------------------------------------------------------------------------------ printed reports


def _page(number: str, title: str, header: list[list[str]], rows: list[list[str]], unit: str | None) -> str:
    """One table page: the unit (if any) at the top right as a page header, the number, the title, the grid — and
    no 单位 line under the caption."""
    def tr(cells: list[str], tag: str) -> str:
        return "<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in cells) + "</tr>"

    top = f'<p style="text-align:right;font-size:9pt">金额单位：{unit}</p>' if unit else ""
    body = "".join(tr(h, "th") for h in header) + "".join(tr(r, "td") for r in rows)
    return (f'<div class="page">{top}<p>{html.escape(number)}</p>'
            f'<p style="text-align:center;font-size:14pt">{html.escape(title)}</p><table>{body}</table></div>')


def _with_running_header(path: Path, pages: list[str], header: str) -> Path:
    """Print with Chromium's own running header (on every page, over a table's continuation pages too)."""
    from tests.fixtures.app_server import system_chromium

    cover = f'<div class="page"><h1>{UNIT}{YEAR}年部门预算</h1><p>本部门为{UNIT}（合成数据，供测试使用）。</p></div>'
    doc = f"<html><head><meta charset='utf-8'><style>{STYLE}</style></head><body>{cover}{''.join(pages)}</body></html>"
    template = ("<div style=\"width:100%;text-align:right;font-size:9px;margin-right:40px;"
                f"font-family:'Noto Sans CJK SC',sans-serif\">{html.escape(header)}</div>")
    with system_chromium() as (_, browser):
        page = browser.new_page()
        page.set_content(doc)
        page.pdf(path=str(path), format="A4", display_header_footer=True, header_template=template,
                 footer_template="<span></span>", margin={"top": "60px", "bottom": "40px"})
    return path


def _amounts(report, kind: str) -> dict[tuple[str, str], Decimal]:
    return {(r["code"] or r.get("name") or "", r["measure"]): r["amount_yuan"] for r in report.rows["func_lines"]
            if r["table_kind"] == kind}


def test_printed_report_with_the_unit_above_each_numbered_caption(tmp_path: Path) -> None:
    path = render(tmp_path / "header-unit.pdf", [
        _page("表一", f"{YEAR}年部门支出总表", HEADER, BODY, "万元"),
        _page("表二", f"{YEAR}年部门收入总表", REVENUE_HEADER, REVENUE_BODY, "万元")])
    report = parse_report(path)
    tables = [(t["table_no"], t["title"], t["table_kind"], t["unit_printed"], t["status"]) for t in report.tables]
    assert tables == [("一", f"{YEAR}年部门支出总表", "expenditure", "万元", "parsed"),
                      ("二", f"{YEAR}年部门收入总表", "revenue", "万元", "parsed")]
    assert _amounts(report, "expenditure")[("205", "total")] == Decimal("3000000.00")  # 300.00 万元
    assert not any("没有印金额单位" in i.message for i in report.issues)


def test_printed_report_with_the_unit_only_in_the_running_header(tmp_path: Path) -> None:
    """The unit is on every page's header, over a table that goes on over the next page: the whole table is one,
    read in 万元."""
    many = [[f"20502{i:02d}", f"合成项目{i}", "1.00", "1.00", ""] for i in range(1, 61)]
    long_body = [["", "合计", "60.00", "60.00", ""], ["205", "教育支出", "60.00", "60.00", ""],
                 ["20502", "普通教育", "60.00", "60.00", ""], *many]
    path = _with_running_header(tmp_path / "running-header.pdf", [
        _page("表一", f"{YEAR}年部门支出总表", HEADER, long_body, None),
        _page("表二", f"{YEAR}年部门收入总表", REVENUE_HEADER, REVENUE_BODY, None)], "金额单位：万元")
    report = parse_report(path)
    tables = [(t["table_no"], t["table_kind"], t["unit_printed"], t["status"], t["page_from"] < t["page_to"])
              for t in report.tables]
    assert tables == [("一", "expenditure", "万元", "parsed", True), ("二", "revenue", "万元", "parsed", False)]
    amounts = _amounts(report, "expenditure")
    assert amounts[("205", "total")] == Decimal("600000.00")
    assert amounts[("2050260", "total")] == Decimal("10000.00")  # the last row, on the continuation page
    assert not report.unparsed


def test_printed_report_with_no_unit_anywhere_is_not_read(tmp_path: Path) -> None:
    path = render(tmp_path / "no-unit.pdf", [_page("表一", f"{YEAR}年部门支出总表", HEADER, BODY, None),
                                             _page("表二", f"{YEAR}年部门收入总表", REVENUE_HEADER, REVENUE_BODY, None)])
    from etl.read.errors import RefusedInput

    with pytest.raises(RefusedInput, match="没有印金额单位"):
        parse_report(path)


def test_printed_report_numbered_as_appendix_and_public_tables(tmp_path: Path) -> None:
    def captioned(caption_lines: list[str], header: list[list[str]], rows: list[list[str]]) -> str:
        tr = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in [*header, *rows])
        caption = "".join(f"<p>{html.escape(c)}</p>" for c in caption_lines)
        return f'<div class="page">{caption}<p style="text-align:right">单位：元</p><table>{tr}</table></div>'

    path = render(tmp_path / "appendix.pdf", [
        captioned(["附表1", f"{YEAR}年部门支出总表"], HEADER, BODY),
        captioned([f"预算公开表2：{YEAR}年部门收入总表"], REVENUE_HEADER, REVENUE_BODY),
        captioned([f"附表1-3 {YEAR}年部门财政拨款收支总表"],
                  [["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"]],
                  [["一般公共预算拨款", "300.00", "教育支出", "300.00"], ["收入总计", "300.00", "支出总计", "300.00"]])])
    report = parse_report(path)
    got = [(t["table_no"], t["title"], t["table_kind"], t["unit_printed"]) for t in report.tables]
    assert got[:3] == [("1", f"{YEAR}年部门支出总表", "expenditure", "元"),
                       ("2", f"{YEAR}年部门收入总表", "revenue", "元"),
                       ("1-3", f"{YEAR}年部门财政拨款收支总表", "fiscal_summary", "元")]
    assert [t["status"] for t in report.tables[:2]] == ["parsed", "parsed"]
