"""Who and when, from small hand-built reports: unit, year, report type and title as the report prints them."""

from __future__ import annotations

import pytest

from etl.read.layout import Line, Source
from etl.words.metadata import read_metadata


def report(*lines: str, furniture: tuple[str, ...] = ()) -> Source:
    return Source(blocks=[Line(t, 1) for t in lines], page_count=None, kind="text", furniture=list(furniture))


def test_unit_from_its_label_year_and_type_from_the_title() -> None:
    meta = read_metadata(report("阳泉市文化和旅游局2023年单位预算公开报告", "目录",
                                "预算单位：阳泉市文化和旅游局  单位：万元", "单位名称：阳泉市文化和旅游局"), [])
    assert (meta.unit_name, meta.fiscal_year, meta.doc_type, meta.title) == (
        "阳泉市文化和旅游局", 2023, "单位预算", "阳泉市文化和旅游局2023年单位预算公开报告")


def test_the_most_printed_unit_label_wins() -> None:
    meta = read_metadata(report("部门名称：甲局", "部门名称：乙局", "部门名称：乙局"), [])
    assert meta.unit_name == "乙局"


def test_a_title_naming_the_unit_before_the_year_gives_the_unit() -> None:
    meta = read_metadata(report("上海市普陀区社会福利院2024年单位预算", "编制说明"), [])
    assert (meta.unit_name, meta.fiscal_year, meta.doc_type) == ("上海市普陀区社会福利院", 2024, "单位预算")


def test_a_district_wide_title_is_not_taken_for_the_unit() -> None:
    meta = read_metadata(report("上海市普陀区2024年区级部门预算", "部门名称：上海市普陀区人民政府万里街道办事处"), [])
    assert (meta.unit_name, meta.fiscal_year, meta.doc_type) == ("上海市普陀区人民政府万里街道办事处", 2024, "部门预算")


@pytest.mark.parametrize(("title", "unit"), [
    ("上海市普陀区2024年区级部门预算", None),  # a district's collection: the place is no unit
    ("阳泉市2023年部门预算", None),  # a place alone
    ("上海市普陀区社会福利院2024年单位预算", "上海市普陀区社会福利院"),
    ("某某县县级融媒体中心2024年单位预算", "某某县县级融媒体中心"),  # 县级 in a unit's own name, before the year
    ("上海市普陀区人民政府万里街道办事处2023年部门预算", "上海市普陀区人民政府万里街道办事处"),
    ("上海市普陀区长征镇2024年部门预算", "上海市普陀区长征镇"),  # a town is a budget unit of its own
])
def test_a_title_alone_names_the_unit_only_where_it_names_one(title: str, unit: str | None) -> None:
    assert read_metadata(report(title), []).unit_name == unit


def test_the_title_can_be_running_page_furniture() -> None:
    meta = read_metadata(report("一、部门职责", furniture=("某某局2025年部门预算",)), [])
    assert (meta.title, meta.fiscal_year, meta.unit_name) == ("某某局2025年部门预算", 2025, "某某局")


def test_without_a_title_the_year_comes_from_the_table_captions_and_nothing_is_guessed() -> None:
    meta = read_metadata(report("一些文字"), ["2022年部门收支总表", "2022年部门支出总表", "2021年对比表"])
    assert (meta.unit_name, meta.fiscal_year, meta.doc_type, meta.title) == (None, 2022, None, None)


def page(*lines: str, page_no: int = 1) -> list[Line]:
    return [Line(t, page_no) for t in lines]


def pages(*pages_: list[Line], furniture: tuple[str, ...] = ()) -> Source:
    return Source(blocks=[b for p in pages_ for b in p], page_count=len(pages_), kind="pdf", furniture=list(furniture))


# ------------------------------------------------------------------ the year however a cover prints it
@pytest.mark.parametrize("cover", [
    ("上海市普陀区社会工作部 2024 年度 部门决算",),  # spaces around the year, one line
    ("上海市普陀区社会工作部", "2024 年度 部门决算"),
    ("上海市普陀区社会工作部", "2024", "年度", "部门决算"),  # the year broken off its 年度
    ("上海市普陀区社会工作部", "2024 年度", "部门决算"),
    ("上海市普陀区社会工作部", "２０２４年度部门决算"),  # full-width digits
    ("上海市普陀区社会工作部", "二〇二四年度部门决算"),  # the year in Chinese numerals
    ("上海市普陀区社会工作部", "二○二四年度", "部门决算"),
    ("上 海 市 普 陀 区 社 会 工 作 部", "2 0 2 4 年 度 部 门 决 算"),  # letter-spaced
    ("上海市普陀区", "社会工作部", "2024 年度", "部门决算"),  # the unit wrapped too
])
def test_the_cover_gives_unit_and_year_however_it_spaces_them(cover: tuple[str, ...]) -> None:
    meta = read_metadata(pages(page(*cover), page("目 录", "一、收入支出决算总表", page_no=2)), ["收入支出决算总表"])
    assert (meta.unit_name, meta.fiscal_year, meta.doc_type) == ("上海市普陀区社会工作部", 2024, "部门决算")


def test_the_cover_title_does_not_reach_over_the_page() -> None:
    # the year on the cover, the type only on the next page: no title, and the year is not taken from a bare number
    meta = read_metadata(pages(page("上海市普陀区社会工作部", "2024"), page("部门决算", page_no=2)), [])
    assert (meta.fiscal_year, meta.title) == (None, None)


# ------------------------------------------------------------------ the unit from running labels, titles, headings
@pytest.mark.parametrize("label", ["编制部门：", "单位名称：", "部门：", "预算单位：", "编制单位: "])
def test_the_unit_given_only_in_a_running_header(label: str) -> None:
    meta = read_metadata(pages(page("2024年度部门决算"), page(f"{label}上海市普陀区社会工作部  单位：万元",
                                                               "收入支出决算总表", page_no=2)), ["收入支出决算总表"])
    assert (meta.unit_name, meta.fiscal_year) == ("上海市普陀区社会工作部", 2024)


def test_the_unit_given_only_in_table_titles() -> None:
    meta = read_metadata(pages(page("一、部门主要职能", "（略）")),
                         ["上海市普陀区社会工作部2024年部门收支总表", "表2 上海市普陀区社会工作部2024年部门收入总表"])
    assert (meta.unit_name, meta.fiscal_year) == ("上海市普陀区社会工作部", 2024)


def test_a_table_title_naming_a_place_gives_no_unit() -> None:
    meta = read_metadata(pages(page("一些文字")), ["上海市普陀区2024年区级部门收支总表", "上海市普陀区2024年部门收入总表"])
    assert (meta.unit_name, meta.fiscal_year) == (None, 2024)


@pytest.mark.parametrize("heading", ["第一部分 上海市普陀区社会工作部概况",
                                     "上海市普陀区社会工作部（部门）主要职能",
                                     "一、上海市普陀区社会工作部（单位）概况"])
def test_the_unit_given_only_in_a_contents_heading(heading: str) -> None:
    meta = read_metadata(pages(page("2024年度部门决算"), page("目 录", heading, page_no=2)), [])
    assert (meta.unit_name, meta.fiscal_year) == ("上海市普陀区社会工作部", 2024)


# ------------------------------------------------------------------ never from a document number, a law, a date
def test_no_unit_or_year_from_document_numbers_laws_or_dates() -> None:
    prose = page("一些说明",
                 "根据沪财预〔2024〕12号文件编制2025年部门预算",
                 "依据《中华人民共和国预算法》2023年单位预算",
                 "截至2024年12月31日部门决算",
                 "2022年1月部门预算",
                 "本部门2021年度部门决算")
    meta = read_metadata(pages(prose, furniture=("2025年1月20日",)), ["沪财预〔2024〕12号", "2024年12月31日资产表"])
    assert (meta.unit_name, meta.fiscal_year, meta.title) == (None, None, None)


def test_a_page_header_date_is_not_the_year() -> None:
    meta = read_metadata(pages(page("上海市普陀区社会工作部", "部门决算", "2025年7月"),
                               page("2025年7月20日", "编制部门：上海市普陀区社会工作部", page_no=2)), ["收入支出决算总表"])
    assert (meta.unit_name, meta.fiscal_year, meta.doc_type) == ("上海市普陀区社会工作部", None, "部门决算")


def test_the_title_year_wins_over_a_document_number_on_the_cover() -> None:
    meta = read_metadata(pages(page("沪财预〔2023〕5号", "上海市普陀区社会工作部", "2024年度部门决算")), [])
    assert (meta.unit_name, meta.fiscal_year) == ("上海市普陀区社会工作部", 2024)


# ------------------------------------------------------------------ a name ending in 区/市/县 that is a unit
@pytest.mark.parametrize(("title", "unit"), [
    ("上海化学工业区2024年部门预算", "上海化学工业区"),  # more than a place name
    ("某某经济技术开发区2024年部门预算", "某某经济技术开发区"),
    ("张江高新区2024年部门预算", "张江高新区"),
    ("临港新片区2024年单位预算", "临港新片区"),
    ("上海市浦东新区2024年部门预算", None),  # a district alone
    ("广西壮族自治区2024年部门预算", None),  # a region alone
    ("上海市普陀区2024年区级部门预算", None),
    ("某某县2024年部门预算", None),
])
def test_a_name_ending_in_a_division_is_a_unit_when_it_is_more_than_a_place(title: str, unit: str | None) -> None:
    assert read_metadata(report(title), []).unit_name == unit


@pytest.mark.parametrize("own", ["某某市（部门）主要职能", "本单位即某某市", "第一部分 某某市概况"])
def test_a_place_name_is_the_unit_when_the_report_calls_it_its_own(own: str) -> None:
    # 第一部分 …概况 names the unit through the headings; the others through the title
    assert read_metadata(report("某某市2024年单位预算", own), []).unit_name == "某某市"


def test_a_cover_place_above_a_district_title_is_no_unit() -> None:
    meta = read_metadata(pages(page("上海市普陀区", "2024年区级部门预算")), [])
    assert (meta.unit_name, meta.fiscal_year, meta.doc_type) == (None, 2024, "部门预算")


def test_a_wrapped_title_is_made_of_cover_lines_never_of_prose() -> None:
    prose = page("一些文字", "根据区政府统一部署结合本地实际情况和今年的重点工作任务统筹安排2024", "部门预算")
    meta = read_metadata(pages(prose), [])
    assert (meta.fiscal_year, meta.title) == (None, None)


@pytest.mark.parametrize("unit", ["某某市第12中学", "'\"<b>x</b>合成单位"])
def test_a_title_keeps_the_unit_as_printed(unit: str) -> None:
    assert read_metadata(report(f"{unit}2024年单位预算"), []).unit_name == unit


def test_a_unit_printed_between_the_year_and_the_type() -> None:
    meta = read_metadata(report("2024年度上海市普陀区社会工作部部门决算"), [])
    assert (meta.unit_name, meta.fiscal_year, meta.doc_type) == ("上海市普陀区社会工作部", 2024, "部门决算")
