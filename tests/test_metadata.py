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
