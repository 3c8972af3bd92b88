"""The section map: which pages hold a report's cover, 目录, parts and tables, whether the 目录 promises only what the
body prints, and which pages are blank or printed twice — on small hand-built reports of each layout, then on every
real sample with values read off the published reports."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from etl.read.layout import Grid, Line, Source
from etl.tables.classify import classify
from etl.tables.segment import segment
from etl.words.sections import LABELS, SECTIONS, SectionMap, label, map_sections
from tests.samples import SAMPLES, needs_samples


class _Table(list):
    """A small table: caption, unit line (what makes segment take it for one), header and a total — ruled in a PDF,
    lines in a text extraction."""


def _table(title: str) -> _Table:
    return _Table([title, "单位：万元", ["项目", "合计"], ["合计", "100.00"]])


def _source(pages: list[list[str | _Table]], kind: str = "pdf", page_count: int | None = None,
            numbered_pages: bool = True) -> Source:
    """A Source from pages of lines and tables; page marks optional (a text extraction may have none)."""
    blocks: list = []
    for n, page in enumerate(pages, 1):
        p = n if numbered_pages else None
        for item in page:
            if isinstance(item, str):
                blocks.append(Line(item, p))
            elif kind == "pdf":
                blocks += [Line(item[0], p), Line(item[1], p), Grid(rows=item[2:], page=p)]
            else:
                blocks += [Line(item[0], p), Line(item[1], p)] + [Line(" ".join(r), p) for r in item[2:]]
    count = page_count if page_count is not None else (len(pages) if numbered_pages else None)
    return Source(blocks=blocks, page_count=count, kind=kind)


def _map(source: Source, family: str = "budget") -> tuple[SectionMap, list[Line]]:
    seg = segment(source)
    return map_sections(source, seg.prose, seg.tables, [classify(t.title) for t in seg.tables], family), seg.prose


def _pages(m: SectionMap) -> list[tuple[str, int | None, int | None]]:
    return [(s.section, s.page_from, s.page_to) for s in m.sections]


def _line(prose: list[Line], text: str, page: int | None = None) -> int:
    return next(i for i, ln in enumerate(prose) if ln.text == text and (page is None or ln.page == page))


UNNUMBERED = [
    ["上海市某区2024年区级部门预算", "预算主管部门：上海市某区某局"],
    ["目 录", "一、部门主要职能 ………………………… 3", "二、部门机构设置 ………………………… 3", "三、名词解释 …………………………… 4",
     "四、部门预算编制说明 ……………………… 4", "五、部门预算表 ………………………… 5",
     "1. 2024年部门收入预算总表 ……………… 5", "六、其他相关情况说明 ……………………… 6",
     "七、项目经费情况说明 ……………………… 6"],
    ["上海市某区某局（部门）主要职能", "上海市某区某局是区政府工作部门。", "主要职能包括：", "一、负责本区某项工作。",
     "上海市某区某局（部门）机构设置", "本部门包括本部一家单位。"],
    ["名词解释", "（一）财政拨款收入：指本级财政拨付的资金。", "2024年部门预算编制说明",
     "2024年，某局收入预算100.00万元。"],
    [_table("2024年部门收入预算总表")],
    ["其他相关情况说明", "一、2024年“三公”经费预算情况说明", "2024年“三公”经费预算数为0万元。", "四、绩效目标设置情况",
     "编报绩效目标的项目2个。", "项目经费情况说明", "一、项目概况", "某项目用于某事。", "七、绩效目标", "提升服务。"],
]


def test_unnumbered_part_titles_each_open_their_part():
    m, prose = _map(_source(UNNUMBERED))
    assert _pages(m) == [("cover", 1, 1), ("contents", 2, 2), ("duties", 3, 3), ("organisation", 3, 3),
                         ("glossary", 4, 4), ("explanation", 4, 4), ("table", 5, 5), ("other", 6, 6),
                         ("projects_text", 6, 6)]
    assert m.sections[2].title == "上海市某区某局（部门）主要职能"
    assert m.sections[6].title == "2024年部门收入预算总表"
    # sub-items of 其他相关情况说明 (三公经费预算情况说明, 绩效目标设置情况) are that part's own
    assert m.section_of(_line(prose, "一、2024年“三公”经费预算情况说明")) == "other"
    assert m.section_of(_line(prose, "四、绩效目标设置情况")) == "other"
    assert m.section_of(_line(prose, "七、绩效目标")) == "projects_text"
    assert m.section_of(_line(prose, "一、负责本区某项工作。")) == "duties"
    assert m.blank_pages == [] and m.repeated_pages == []


def test_contents_entries_carry_their_printed_page_and_what_they_name():
    m, _ = _map(_source(UNNUMBERED))
    got = [(e.title, e.page, e.section, e.found) for e in m.contents]
    assert got == [("一、部门主要职能", 3, "duties", True), ("二、部门机构设置", 3, "organisation", True),
                   ("三、名词解释", 4, "glossary", True), ("四、部门预算编制说明", 4, "explanation", True),
                   ("五、部门预算表", 5, "table", True), ("1.2024年部门收入预算总表", 5, "table", True),
                   ("六、其他相关情况说明", 6, "other", True), ("七、项目经费情况说明", 6, "projects_text", True)]
    assert m.contents_rows("d1")[0] == {"doc_id": "d1", "seq": 1, "title": "一、部门主要职能", "page": 3,
                                        "section": "duties", "found": True}


def test_numbered_headings_open_parts_and_their_sub_items_stay_inside():
    src = _source([
        ["某单位2024年单位预算"],
        ["一、单位主要职能", "负责某项工作。", "二、单位机构设置", "本单位内设3个科室。", "三、单位预算编制说明",
         "（一）收入预算情况说明", "收入预算50.00万元。", "（二）支出预算情况说明", "支出预算50.00万元。"],
        [_table("2024年单位支出预算总表")],
        ["四、其他相关情况说明", "（一）机关运行经费预算", "机关运行经费10.00万元。", "五、名词解释",
         "1. 基本支出：指保障机构运转的支出。"],
    ])
    m, prose = _map(src)
    assert _pages(m) == [("cover", 1, 1), ("duties", 2, 2), ("organisation", 2, 2), ("explanation", 2, 2),
                         ("table", 3, 3), ("other", 4, 4), ("glossary", 4, 4)]
    assert m.section_of(_line(prose, "（二）支出预算情况说明")) == "explanation"
    assert m.contents == []
    assert m.rows("d") == [{"doc_id": "d", "seq": i, "section": s.section, "title": s.title,
                            "page_from": s.page_from, "page_to": s.page_to} for i, s in enumerate(m.sections, 1)]


FINAL = [
    ["上海市某局", "2024年度部门决算"],
    ["目 录", "第一部分 上海市某局概况", "一、主要职能", "二、部门决算单位构成", "第二部分 上海市某局2024年度部门决算",
     "表", "一、收入支出决算总表", "第三部分 上海市某局2024年度部门决算", "情况说明", "一、收入支出决算总体情况说明",
     "二、收入决算情况说明", "十、预算绩效管理情况", "十一、其他重要事项的情况说明", "第四部分 名词解释"],
    ["第一部分 上海市某局概况", "一、主要职能", "负责本市某项工作。", "二、部门决算单位构成（仅有一个单位的部门，本部分内",
     "容为“机构设置”）", "纳入编制范围的单位包括：本级。"],
    ["第二部分 上海市某局2024年度部门决算表", _table("收入支出决算总表")],
    ["第三部分 上海市某局2024年度部门决算情况", "说明", "一、收入支出决算总体情况说明", "收入支出总计100.00万元。",
     "二、收入决算情况说明", "本年收入合计100.00万元。", "十、预算绩效管理情况", "编报绩效目标的项目2个。",
     "十一、其他重要事项的情况说明", "（一）机关运行经费支出情况",
     "机关运行经费支出10.00万元。"],
    ["第四部分 名词解释", "一、财政拨款收入：指本级财政拨付的资金。"],
]


def test_a_final_account_with_four_numbered_parts():
    m, prose = _map(_source(FINAL), "final")
    assert _pages(m) == [("cover", 1, 1), ("contents", 2, 2), ("duties", 3, 3), ("organisation", 3, 3),
                         ("table", 4, 4), ("explanation", 5, 5), ("projects_text", 5, 5), ("other", 5, 5),
                         ("glossary", 6, 6)]
    # a heading wrapped before its last word keeps it; the part heading 概况 leads into its first section
    assert m.sections[5].title == "第三部分上海市某局2024年度部门决算情况说明"
    assert m.section_of(_line(prose, "第一部分 上海市某局概况", 3)) == "duties"
    assert m.section_of(_line(prose, "第二部分 上海市某局2024年度部门决算表")) == "table"
    assert m.section_of(_line(prose, "（一）机关运行经费支出情况")) == "other"
    titles = [e.title for e in m.contents]
    assert "第二部分上海市某局2024年度部门决算表" in titles and "第三部分上海市某局2024年度部门决算情况说明" in titles
    assert all(e.found for e in m.contents), [e for e in m.contents if not e.found]
    kinds = {e.title: e.section for e in m.contents}
    assert kinds["一、收入支出决算总表"] == "table" and kinds["十、预算绩效管理情况"] == "projects_text"
    assert kinds["第一部分上海市某局概况"] is None
    assert label("explanation", "final") == "情况说明" and label("explanation", "budget") == "编制说明"


def test_a_text_extraction_without_page_marks():
    src = _source([
        ["某市某局2023年单位预算公开"],
        ["第一部分 概况", "一、本单位职责", "负责全市某项工作。", "二、机构设置情况", "本部门内设机构3个。"],
        ["第二部分 2023年单位预算报表", _table("2023年预算收入总表")],
        ["第三部分 2023年度单位预算情况说明", "一、收入预算情况说明", "收入预算3.00万元。", "十、绩效管理情况",
         "实行绩效目标管理的项目1个。"],
        ["第四部分 名词解释", "一、基本支出：指人员和公用支出。"],
    ], kind="text", numbered_pages=False)
    m, prose = _map(src)
    assert [s.section for s in m.sections] == ["cover", "duties", "organisation", "table", "explanation",
                                               "projects_text", "glossary"]
    assert all(s.page_from is None and s.page_to is None for s in m.sections)
    assert m.sections[0].title == "某市某局2023年单位预算公开"
    assert m.blank_pages == [] and m.repeated_pages == []
    assert m.section_of(_line(prose, "收入预算3.00万元。")) == "explanation"


def test_a_contents_entry_the_body_lacks_is_not_found():
    pages = [list(p) for p in UNNUMBERED[:5]]
    pages[1] = pages[1] + ["2. 2024年部门政府性基金预算支出功能分类预算表"]
    src = _source(pages)  # no 其他相关情况说明, no 项目经费情况说明, no 政府性基金 table
    m, _ = _map(src)
    missing = [(e.title, e.section) for e in m.contents if not e.found]
    assert missing == [("六、其他相关情况说明", "other"), ("七、项目经费情况说明", "projects_text"),
                       ("2.2024年部门政府性基金预算支出功能分类预算表", "table")]


def test_a_blank_page_and_a_page_printed_twice():
    src = _source([
        ["某局2024年部门预算"],
        ["部门主要职能", "负责某项工作。"],
        ["- 3 -"],  # only a page number
        ["名词解释", "基本支出：指保障机构运转的支出。"],
        ["名词解释", "基本支出：指保障机构运转的支出。", "6"],
    ], page_count=6)
    src.blocks.append(Grid(rows=[["", None], [" ", ""]], page=2))  # an empty ruled row: still no print
    m, _ = _map(src)
    assert m.blank_pages == [3, 6]
    assert m.repeated_pages == [(5, 4)]


def test_a_sentence_naming_a_part_opens_none():
    src = _source([
        ["某局2024年部门预算"],
        ["部门主要职能", "负责某项工作，各项支出的口径请参见本报告的名词解释。",
         "本部门各项收入和支出的口径、范围及有关概念，请参见本报告所附的",
         "名词解释", "部分中的相关内容，此处不再重复说明。", "一、负责本市某项工作的职能", "名词解释",
         "基本支出：指保障机构运转的支出。"],
    ])
    m, prose = _map(src)
    assert [s.section for s in m.sections] == ["cover", "duties", "glossary"]
    first, second = [i for i, ln in enumerate(prose) if ln.text == "名词解释"]
    assert m.section_of(first) == "duties" and m.section_of(second) == "glossary"
    # a numbered item naming 职能 inside the duties is the duties' own
    assert m.section_of(_line(prose, "一、负责本市某项工作的职能")) == "duties"


def test_contents_lines_open_no_section_and_a_wrapped_entry_is_one():
    m, prose = _map(_source(FINAL), "final")
    assert [m.section_of(i) for i, ln in enumerate(prose) if ln.page == 2] == ["contents"] * 14
    assert len(m.contents) == 11


def test_labels_cover_every_section():
    assert set(LABELS) == set(SECTIONS)
    assert all(label(s, f) for s in SECTIONS for f in ("budget", "final"))


# ----------------------------------------------------------------------------------------------- the real samples

@cache
def _sample_map(name: str) -> tuple[SectionMap, list[Line]]:
    from etl.pipeline import read_source

    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"{name} is read from {SAMPLES}, absent here")
    src = read_source(Path(path), path.read_bytes())
    return _map(src, "final" if name.startswith("final/") else "budget")


def _merged(m: SectionMap) -> dict[str, tuple[int | None, int | None]]:
    """section → (first page, last page), tables merged."""
    out: dict[str, tuple[int | None, int | None]] = {}
    for s in m.sections:
        a, b = out.get(s.section, (s.page_from, s.page_to))
        out[s.section] = (a if s.page_from is None else min(a or s.page_from, s.page_from),
                          b if s.page_to is None else max(b or s.page_to, s.page_to))
    return out


SHANGHAI_BUDGET_ORDER = ["cover", "contents", "duties", "organisation", "glossary", "explanation"] + ["table"] * 9 \
    + ["other", "projects_text"]
FINAL_ORDER = ["cover", "contents", "duties", "organisation"] + ["table"] * 9 \
    + ["explanation", "projects_text", "other", "glossary"]

# verified against the printed pages (the 目录 on page 2; page numbers as printed in the PDF)
EXPECTED = {
    "shanghai-putuo-wanli-2024-dept-budget.pdf": (
        SHANGHAI_BUDGET_ORDER,
        {"cover": (1, 1), "contents": (2, 2), "duties": (3, 3), "organisation": (4, 4), "glossary": (5, 5),
         "explanation": (6, 9), "table": (10, 31), "other": (32, 32), "projects_text": (33, 33)}, 16),
    "shanghai-putuo-wanli-2023-dept-budget.pdf": (
        SHANGHAI_BUDGET_ORDER + ["table"] * 5,
        {"cover": (1, 1), "contents": (2, 2), "duties": (3, 3), "organisation": (4, 4), "glossary": (5, 5),
         "explanation": (6, 9), "table": (10, 35), "other": (29, 29), "projects_text": (30, 30)}, 17),
    "shanghai-putuo-finance-2025-dept-budget.pdf": (
        SHANGHAI_BUDGET_ORDER,
        {"cover": (1, 1), "contents": (2, 2), "duties": (3, 4), "organisation": (5, 5), "glossary": (6, 6),
         "explanation": (7, 8), "table": (9, 21), "other": (22, 22), "projects_text": (23, 24)}, 16),
    "shanghai-putuo-welfare-home-2024-unit-budget.pdf": (
        SHANGHAI_BUDGET_ORDER[:-1],
        {"cover": (1, 1), "contents": (2, 2), "duties": (3, 3), "organisation": (4, 4), "glossary": (5, 5),
         "explanation": (6, 6), "table": (7, 15), "other": (16, 16)}, 15),
    "final/shanghai-putuo-finance-2024-dept-final.pdf": (
        FINAL_ORDER,
        {"cover": (1, 1), "contents": (2, 3), "duties": (4, 5), "organisation": (5, 5), "table": (6, 20),
         "explanation": (21, 23), "projects_text": (23, 23), "other": (23, 24), "glossary": (25, 25)}, 26),
    "final/shanghai-putuo-planning-2024-dept-final.pdf": (
        FINAL_ORDER,
        {"cover": (1, 1), "contents": (2, 3), "duties": (4, 6), "organisation": (6, 6), "table": (7, 19),
         "explanation": (20, 26), "projects_text": (26, 27), "other": (27, 28), "glossary": (29, 30)}, 26),
    "final/national-dept-final-template-2024.pdf": (
        FINAL_ORDER,
        {"cover": (1, 1), "contents": (2, 3), "duties": (4, 4), "organisation": (4, 4), "table": (5, 14),
         "explanation": (15, 19), "projects_text": (19, 20), "other": (20, 21), "glossary": (22, 23)}, 26),
}


@needs_samples
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_section_map(name):
    order, pages, entries = EXPECTED[name]
    m, _ = _sample_map(name)
    assert [s.section for s in m.sections] == order
    assert _merged(m) == pages
    assert len(m.contents) == entries
    assert all(e.found for e in m.contents), [e.title for e in m.contents if not e.found]
    assert all(e.page is None for e in m.contents)  # these 目录 print no page numbers


@needs_samples
def test_wanli_2024_parts_and_contents():
    m, prose = _sample_map("shanghai-putuo-wanli-2024-dept-budget.pdf")
    by = {s.section: s for s in m.sections}
    assert by["duties"].title == "上海市普陀区人民政府万里街道办事处（部门）主要职能"
    assert by["explanation"].title == "2024年部门预算编制说明"
    assert [(s.title, s.page_from, s.page_to) for s in m.sections if s.section == "table"][:2] == [
        ("2024年部门财务收支预算总表", 10, 10), ("2024年部门收入预算总表", 11, 15)]
    assert [e.section for e in m.contents] == ["duties", "organisation", "glossary", "explanation"] \
        + ["table"] * 10 + ["other", "projects_text"]
    # 四、绩效目标设置情况 is an item of 其他相关情况说明; 七、绩效目标 one of 项目经费情况说明
    assert m.section_of(_line(prose, "四、绩效目标设置情况")) == "other"
    assert m.section_of(_line(prose, "七、绩效目标")) == "projects_text"
    assert m.blank_pages == [] and m.repeated_pages == []


@needs_samples
def test_wanli_2023_lists_performance_targets_and_prints_their_forms():
    m, _ = _sample_map("shanghai-putuo-wanli-2023-dept-budget.pdf")
    assert (m.contents[-1].title, m.contents[-1].section, m.contents[-1].found) == ("八、绩效目标", "projects_text",
                                                                                    True)
    forms = [(s.page_from, s.title) for s in m.sections if s.title == "财政项目支出绩效目标填报表"]
    assert [p for p, _ in forms] == [31, 32, 33, 34, 35]


@needs_samples
def test_finance_2024_final_has_a_blank_page_inside_a_table():
    m, _ = _sample_map("final/shanghai-putuo-finance-2024-dept-final.pdf")
    assert m.blank_pages == [14]  # an empty ruled row of 财政拨款收入支出决算总表 (p12-14) spills onto it
    assert ("财政拨款收入支出决算总表", 12, 14) in [(s.title, s.page_from, s.page_to) for s in m.sections]
    assert m.repeated_pages == []


@needs_samples
def test_finals_fold_the_unit_list_into_the_organisation_part():
    for name in ("final/shanghai-putuo-finance-2024-dept-final.pdf", "final/shanghai-putuo-planning-2024-dept-final.pdf",
                 "final/national-dept-final-template-2024.pdf"):
        m, prose = _sample_map(name)
        assert "（无标题表格）" not in [s.title for s in m.sections], name
        by = {s.section: s for s in m.sections}
        assert by["explanation"].title.endswith("部门决算情况说明"), by["explanation"].title
        assert by["glossary"].title == "第四部分名词解释"
        assert [e.title for e in m.contents][3].startswith("第二部分") and m.contents[3].section == "table"
        assert m.section_of(_line(prose, next(ln.text for ln in prose if "十一、其他重要事项" in ln.text
                                              and ln.page and ln.page > 3))) == "other"


@needs_samples
def test_planning_final_contents_rejoins_its_wrapped_entries():
    m, _ = _sample_map("final/shanghai-putuo-planning-2024-dept-final.pdf")
    assert m.contents[3].title == "第二部分上海市普陀区规划和自然资源局2024年度部门决算表"
    assert m.contents[13].title == "第三部分上海市普陀区规划和自然资源局2024年度部门决算情况说明"
    assert m.sections[0].title == "上海市普陀区规划和自然 资源局 2024年度部门决算"


@needs_samples
def test_yangquan_text_extraction():
    m, prose = _sample_map("yangquan-wenlv-2023-unit-budget.txt")
    assert [s.section for s in m.sections] == ["duties", "organisation"] + ["table"] * 13 \
        + ["explanation", "projects_text"] + ["table"] * 14 + ["glossary"]
    by = {s.section: s for s in m.sections}
    assert by["duties"].title == "一、本单位职责" and by["duties"].first_line == 0  # from 第一部分 概况
    assert by["organisation"].title == "二、机构设置情况"
    assert by["explanation"].title == "第三部分2023年度单位预算情况说明"
    assert by["projects_text"].title == "十、绩效管理情况"
    assert by["glossary"].title == "第四部分名词解释"
    assert all(s.page_from is None for s in m.sections)
    assert m.contents == [] and m.blank_pages == [] and m.repeated_pages == []  # the extraction has no 目录
    assert m.section_of(_line(prose, "七、“三公”经费增减变动原因说明")) == "explanation"
    assert m.section_of(len(prose) - 1) == "glossary"
