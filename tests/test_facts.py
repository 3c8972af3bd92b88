"""Figures of the report's prose, from small hand-built paragraphs: which key a figure gets, the change against
last year, the coded 科目 items, and that nothing unrecognised is invented."""

from __future__ import annotations

from etl.pipeline import ParsedReport
from etl.read.layout import Line
from etl.words.facts import paragraphs, parse_facts


def facts(lines: list[tuple[str, int]], func_lines: list[dict] | None = None) -> tuple[list[tuple], ParsedReport]:
    report = ParsedReport(doc={}, rows={"func_lines": func_lines or []})
    found = parse_facts([Line(t, p) for t, p in lines], report)
    return [(f["key"], f["value"], f["unit"], f["code"], f["page"]) for f in found], report


FUNC = [{"code": "207", "name": "文化旅游体育与传媒支出"}, {"code": "20701", "name": "文化和旅游"},
        {"code": "2070101", "name": "行政运行"}, {"code": "229", "name": "其他支出"},
        {"code": "22999", "name": "其他支出"}]


def test_totals_and_their_change_against_last_year() -> None:
    found, _ = facts([("二、收支预算总体情况", 3),
                      ("2023年收入总计3,623.26万元，比上年增加574.68万元，增长18.85%。", 3),
                      ("支出预算2,000.00万元，比上年减少100.00万元。", 4)])
    assert found == [
        ("revenue_total", 3623.26, "万元", None, 3), ("revenue_change", 574.68, "万元", None, 3),
        ("revenue_change_pct", 18.85, "%", None, 3),
        ("expenditure_total", 2000.0, "万元", None, 4), ("expenditure_change", -100.0, "万元", None, 4),
    ]


def test_a_flat_year_is_zero_change_and_none_is_zero() -> None:
    found, _ = facts([("三、“三公”经费情况", 4), ("2023年“三公”经费预算数为0.00万元，与上年持平。", 4),
                      ("本单位无机关运行经费。", 4)])
    assert found == [("three_public_total", 0.0, "万元", None, 4), ("three_public_change", 0.0, "万元", None, 4),
                     ("operating_cost", 0.0, "万元", None, 4)]


def test_parts_of_a_sentence_are_read_by_their_labels() -> None:
    found, _ = facts([("（一）收入", 3), ("其中：一般公共预算拨款收入3,276.48万元，政府性基金预算拨款收入12.00万元。", 3)])
    assert found == [("revenue_general_budget", 3276.48, "万元", None, 3), ("revenue_gov_fund", 12.0, "万元", None, 3)]


def test_an_unrecognised_figure_is_left_out_never_guessed() -> None:
    found, _ = facts([("一、概况", 1), ("本部门共有在职人员52人，车辆3辆，办公面积1,200.00平方米。", 1)])
    assert found == []


def test_a_kemu_item_gets_its_code_from_the_reports_own_tables() -> None:
    found, report = facts([
        ("三、一般公共预算当年拨款情况", 5),
        ("（一）“文化旅游体育与传媒支出（类）文化和旅游（款）行政运行（项）”323.55万元，主要用于机关运转。"
         "2022年当年预算执行数为300.00万元，2023年预算安排323.55万元，比2022年预算执行数增加7.85%。", 5),
    ], FUNC)
    assert found == [("item_amount", 323.55, "万元", "2070101", 5), ("item_prior_executed", 300.0, "万元", "2070101", 5),
                     ("item_budget", 323.55, "万元", "2070101", 5), ("item_change_pct", 7.85, "%", "2070101", 5)]
    assert report.issues == []


def test_qita_and_qita_variants_name_the_same_kemu() -> None:
    found, report = facts([("三、一般公共预算当年拨款情况", 5), ("（二）“其它支出（类）其它支出（款）”1.00万元。", 5)], FUNC)
    assert found == [("item_amount", 1.0, "万元", "22999", 5)]
    assert report.issues == []


def test_an_item_without_a_unique_code_is_kept_uncoded_with_a_warning() -> None:
    found, report = facts([("三、一般公共预算当年拨款情况", 5), ("（一）“教育支出（类）普通教育（款）”8.00万元。", 5)], FUNC)
    assert found == [("item_amount", 8.0, "万元", None, 5)]
    assert len(report.issues) == 1 and report.issues[0].severity == "warning" and "找不到" in report.issues[0].message


def test_wrapped_lines_rejoin_and_a_heading_or_ordinal_starts_a_paragraph() -> None:
    paras = paragraphs([Line("一、概况", 1), Line("收入总计", 1), Line("100.00万元。", 2), Line("（一）收入", 2),
                        Line("财 政 拨 款 10.00 万 元", 2)])
    assert [(p.text, p.heading) for p in paras] == [("一、概况", True), ("收入总计100.00万元。", False),
                                                   ("（一）收入", True), ("财政拨款10.00万元", False)]
    assert paras[1].page_at(0) == 1 and paras[1].page_at(5) == 2  # the figure sits on the second line's page
