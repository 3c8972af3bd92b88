"""Segmentation on small hand-built reports: which lines and grids make which table, and what stays prose.

Inputs are the shared intermediate (Line / Grid blocks), so nothing here needs a sample report.
"""

from __future__ import annotations

from etl.read.layout import Grid, Line, Source
from etl.tables.segment import segment


def lines(*items: tuple[str, int]) -> list[Line]:
    return [Line(text=t, page=p) for t, p in items]


def text_report(*items: tuple[str, int]) -> Source:
    return Source(blocks=lines(*items), page_count=None, kind="text")


def test_text_tables_are_found_by_caption_with_number_unit_header_and_body() -> None:
    seg = segment(text_report(
        ("一、部门职责", 1), ("本部门负责文化和旅游工作。", 1),
        ("表1", 2), ("2023年部门收支总表", 2), ("单位：万元", 2),
        ("项目 金额 项目 金额", 2),
        ("一、财政拨款收入 100.00 一、文化旅游体育与传媒支出 100.00", 2),
        ("收入总计 100.00 支出总计 100.00", 2),
        ("表2", 3), ("2023年部门支出总表", 3), ("单位：元", 3),
        ("科目编码 科目名称 合计 基本支出 项目支出", 3),
        ("207 文化旅游体育与传媒支出 100.00 60.00 40.00", 3),
        ("20701 文化和旅游", 4),  # the table goes on over the page
        ("第三部分 名词解释", 4), ("基本支出：指保障机构正常运转的支出。", 4),
    ))
    assert [(t.title, t.table_no, t.unit_printed, t.page_from, t.page_to) for t in seg.tables] == [
        ("2023年部门收支总表", "1", "万元", 2, 2),
        ("2023年部门支出总表", "2", "元", 3, 4),
    ]
    summary, expenditure = seg.tables
    assert summary.header == [["项目 金额 项目 金额"]]
    assert [r.cells for r in summary.rows] == [["一、财政拨款收入 100.00 一、文化旅游体育与传媒支出 100.00"],
                                              ["收入总计 100.00 支出总计 100.00"]]
    assert not any(r.aligned for r in summary.rows)
    assert [r.cells[0] for r in expenditure.rows] == ["207 文化旅游体育与传媒支出 100.00 60.00 40.00", "20701 文化和旅游"]
    assert [r.page for r in expenditure.rows] == [3, 4]
    # the heading that closes the tables and everything outside them is prose, in order
    assert [ln.text for ln in seg.prose] == ["一、部门职责", "本部门负责文化和旅游工作。", "第三部分 名词解释",
                                           "基本支出：指保障机构正常运转的支出。"]


def test_a_caption_without_a_table_after_it_stays_prose() -> None:
    seg = segment(text_report(("2023年部门收支总表的说明如下", 1), ("收入比上年增加。", 1), ("表9", 1), ("正文继续。", 1)))
    assert seg.tables == []
    assert [ln.text for ln in seg.prose] == ["2023年部门收支总表的说明如下", "收入比上年增加。", "表9", "正文继续。"]


def test_a_no_data_note_marks_the_table_empty() -> None:
    seg = segment(text_report(("2023年“三公”经费支出预算表", 5), ("单位：万元", 5), ("本表无数据", 5),
                              ("2023年政府性基金预算支出表", 6), ("单位：万元", 6), ("本表无数据", 6)))
    assert [(t.title, t.no_data_note, t.rows, t.unit_printed) for t in seg.tables] == [
        ("2023年“三公”经费支出预算表", True, [], "万元"), ("2023年政府性基金预算支出表", True, [], "万元")]


def test_pdf_grids_cross_pages_and_a_repeated_header_is_dropped() -> None:
    header = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    seg = segment(Source(blocks=[
        Line("2023年部门支出总表", 5), Line("单位：元", 5),
        Grid(rows=[header, ["207", "文化旅游体育与传媒支出", "1,000.00", "600.00", "400.00"]], page=5),
        Grid(rows=[header, ["2070101", "行政运行", "600.00", "600.00", None]], page=6),
        Grid(rows=[["2070199", "其他文化和旅游支出", "400.00", None, "400.00"]], page=7),  # no header repeated
        Line("注：以上为支出。", 7),
    ], page_count=7, kind="pdf"))
    (table,) = seg.tables
    assert (table.title, table.unit_printed, table.page_from, table.page_to) == ("2023年部门支出总表", "元", 5, 7)
    assert table.header == [header]
    assert [(r.cells[0], r.page, r.aligned) for r in table.rows] == [("207", 5, True), ("2070101", 6, True),
                                                                    ("2070199", 7, True)]
    assert table.rows[1].cells[4] is None  # a blank cell stays blank, never 0
    assert [ln.text for ln in seg.prose] == ["注：以上为支出。"]  # text after a PDF table's grid closes it


def test_a_caption_printed_inside_the_grid_is_lifted_out() -> None:
    seg = segment(Source(blocks=[Grid(rows=[
        ["2024年单位收支总表"], ["单位：万元"],
        ["项目", "预算数", "项目", "预算数"],
        ["一、财政拨款收入", "5.00", "一、社会保障和就业支出", "5.00"],
    ], page=9)], page_count=9, kind="pdf"))
    (table,) = seg.tables
    assert (table.title, table.unit_printed) == ("2024年单位收支总表", "万元")
    assert table.header == [["项目", "预算数", "项目", "预算数"]]
    assert [r.cells for r in table.rows] == [["一、财政拨款收入", "5.00", "一、社会保障和就业支出", "5.00"]]


def test_the_compiler_line_inside_the_grid_is_caption_not_header() -> None:
    """编制单位：… printed inside the ruling without the unit (the unit once in the page header): still caption, not
    the first header row (it would prefix every column's label)."""
    seg = segment(Source(blocks=[Grid(rows=[
        ["2024年单位收支总表"], ["编制单位：某某局"],
        ["项目", "预算数", "项目", "预算数"],
        ["一、财政拨款收入", "5.00", "一、社会保障和就业支出", "5.00"],
    ], page=9)], page_count=9, kind="pdf"))
    (table,) = seg.tables
    assert table.header == [["项目", "预算数", "项目", "预算数"]]


def test_a_grid_without_caption_is_kept_and_named_a_text_box_is_prose() -> None:
    seg = segment(Source(blocks=[
        Grid(rows=[["目录"], ["一、部门职责"]], page=1),  # a ruled box of text: prose
        Grid(rows=[["项目", "金额"], ["合计", "12.00"]], page=2),  # figures with no caption: reported, not dropped
    ], page_count=2, kind="pdf"))
    assert [ln.text for ln in seg.prose] == ["目录", "一、部门职责"]
    (table,) = seg.tables
    assert table.title == "（无标题表格）" and [r.cells for r in table.rows] == [["合计", "12.00"]]
