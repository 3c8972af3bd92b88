"""The 说明's quantitative sentences read into statements: each form on hand-built prose, then every sample's
numbered 科目 items counted and checked against the report's own tables."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from etl.read.layout import Line
from etl.read.report import ParsedReport
from etl.words.statements import read_statements
from tests.samples import SAMPLES, needs_samples

FUNC = [{"code": c, "name": n, "table_kind": "gp_expenditure", "measure": "total"} for c, n in [
    ("201", "一般公共服务支出"), ("20105", "统计信息事务"), ("2010507", "专项普查活动"),
    ("20106", "财政事务"), ("2010601", "行政运行"), ("207", "文化旅游体育与传媒支出")]]


def read(*lines: str) -> list[dict]:
    report = ParsedReport(doc={}, rows={"func_lines": FUNC})
    return read_statements([Line(t, 6) for t in lines], report, section_of=lambda i: f"line{i}")


def test_shanghai_quoted_item() -> None:
    [s] = read("1. “一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”25.77万元，主要用于专项普查活动。2023年当年预算执行",
               "数为60.13万元，2024年预算安排25.77万元，比2023年预算执行数减少57.14%。主要原因是：项目调整。")
    assert (s["kind"], s["subject"], s["subject_level"], s["resolved"], s["table_kind"]) == \
        ("item", "2010507", 3, True, "gp_expenditure")
    assert (s["amount"], s["arranged"], s["prior_amount"]) == (Decimal("257700.00"), Decimal("257700.00"),
                                                                Decimal("601300.00"))
    assert (s["prior_label"], s["prior_year"], s["year"]) == ("2023年当年预算执行数", 2023, 2024)
    assert (s["change_pct"], s["direction"], s["reason"], s["unit"]) == (Decimal("57.14"), "减少", "项目调整", "万元")
    assert "执行数为60.13" in s["sentence"]  # wrapped lines joined without a gap
    a, b = s["spans"]["change_pct"]
    assert s["sentence"][a:b] == "57.14%"
    a, b = s["spans"]["reason"]
    assert s["sentence"][a:b] == "项目调整"
    assert s["section"] == "line0" and s["page"] == 6 and s["statement_id"] == "s1"


def test_coded_item_takes_its_printed_code() -> None:
    [s] = read("1、一般公共服务支出（201类）财政事务（06款）行政运行（01项）352.18万元。主要用于：机构运行。2024年当年预算"
               "执行数为300.00万元，2025年预算安排352.18万元，比2024年预算执行数增加17.39%。主要原因是：人员增加。")
    assert (s["subject"], s["resolved"], s["amount"], s["prior_amount"]) == \
        ("2010601", True, Decimal("3521800.00"), Decimal("3000000.00"))
    assert (s["change_pct"], s["direction"], s["year"], s["reason"]) == (Decimal("17.39"), "增加", 2025, "人员增加")


def test_unquoted_names_and_bare_class_names() -> None:
    found = read("一般公共预算财政拨款支出400.00万元，主要用于以下方面：一般公共服务支出（类）300.00万元，占75.00%；"
                 "文化旅游体育与传媒支出100.00万元，占25.00%。")
    items = [(s["subject"], s["subject_level"], s["amount"]) for s in found if s["kind"] == "item"]
    assert items == [("201", 1, Decimal("3000000.00")), ("207", 1, Decimal("1000000.00"))]
    assert found[0]["subject"] == "gp_total"


def test_unresolved_names_stay_uncoded() -> None:
    [s] = read("1、一般公共服务支出（类）统计信息事务（款）不存在的项目（项）。年初预算为1.00万元，支出决算为1.00万元。")
    assert (s["subject"], s["resolved"], s["subject_name"]) == (None, False, "一般公共服务支出（类）统计信息事务（款）不存在的项目（项）")


def test_yangquan_totals_change_belongs_to_the_head() -> None:
    found = read("2023年度预算收入总计3,623.26万元，其中：本年收入3,276.48万元，上年结",
                 "转346.79万元，比上年增加574.68万元 ，增加18.85%，主要原因是1、人员经费增加。",
                 "2、增加了专项经费。")
    head = found[0]
    assert (head["subject"], head["amount"], head["change"], head["change_pct"], head["direction"]) == \
        ("revenue_total", Decimal("36232600.00"), Decimal("5746800.00"), Decimal("18.85"), "增加")
    assert head["prior_label"] == "上年" and head["prior_year"] is None and head["year"] == 2023
    assert head["reason"] == "1、人员经费增加。2、增加了专项经费。"
    assert [s["subject"] for s in found[1:]] == ["revenue_current", "revenue_carryover"]


def test_a_change_after_a_list_belongs_to_its_head_in_either_sentence() -> None:
    """阳泉 prints the 收入 and the 支出 sentence alike, the second after a stray “。；”: the 支出 total opens a statement
    of its own (not a part of the 收入 total), its 本年预算安排 and 上年结转 are the 支出 side's, and the change printed
    after the two parts is the total's."""
    found = read("2023年度预算收入总计1,100.00万元，其中：本年收入1,000.00万元，上年结转100.00万元，比上年增加100.00万元，",
                 "增加10.00%，主要原因是人员经费增加。；本年单位预算支出总计1,100.00万元，其中：本年预算安排1,000.00万元，",
                 "上年结转100.00万元，比上年增加100.00万元，增加10.00%，主要原因是专项经费增加。")
    got = [(s["subject"], s["amount"], s["change"], s["change_pct"], s["direction"], s["reason"]) for s in found]
    assert got == [
        ("revenue_total", Decimal("11000000.00"), Decimal("1000000.00"), Decimal("10.00"), "增加", "人员经费增加"),
        ("revenue_current", Decimal("10000000.00"), None, None, None, None),
        ("revenue_carryover", Decimal("1000000.00"), None, None, None, None),
        ("expenditure_total", Decimal("11000000.00"), Decimal("1000000.00"), Decimal("10.00"), "增加", "专项经费增加"),
        ("expenditure_current", Decimal("10000000.00"), None, None, None, None),
        ("expenditure_carryover", Decimal("1000000.00"), None, None, None, None)]
    assert found[3]["sentence"].startswith("本年单位预算支出总计")  # the stray “；” is no part of it
    a, b = found[3]["spans"]["change_pct"]
    assert found[3]["sentence"][a:b] == "10.00%"


def test_a_change_after_a_list_of_parts_whatever_its_base() -> None:
    found = read("支出预算1,000.00万元，其中：基本支出400.00万元，项目支出600.00万元，比2022年预算增加100.00万元，增长11.11%。")
    got = [(s["subject"], s["change"], s["change_pct"]) for s in found]
    assert got == [("expenditure_total", Decimal("1000000.00"), Decimal("11.11")), ("basic_total", None, None),
                   ("project_total", None, None)]


def test_a_change_right_after_a_lists_only_part_is_the_parts() -> None:
    """上海: “其中：财政拨款收入X万元，比2024年预算增加Y万元；事业收入0万元” — the 财政拨款收入's change, whichever year it
    names."""
    for base in ("2024年预算", "上年"):
        found = read(f"收入预算3,121.42万元，其中：财政拨款收入3,121.42万元，比{base}增加107.62万元；事业收入0万元。")
        got = [(s["subject"], s["change"], s["direction"]) for s in found]
        assert got == [("revenue_total", None, None), ("fiscal_revenue", Decimal("1076200.00"), "增加"),
                       ("business_income", None, None)], base


def test_yangquan_operating_cost_with_its_prior_figure() -> None:
    [s] = read("阳泉市文化和旅游局2023年机关运行经费47.56万元，比2022年的45.96万元增",
               "加1.6万元，同比增加3.4%，增加原因为新招聘人员公用经费增加。")
    assert (s["kind"], s["amount"], s["prior_amount"], s["prior_year"]) == \
        ("operating_cost", Decimal("475600.00"), Decimal("459600.00"), 2022)
    assert (s["change"], s["change_pct"], s["reason"]) == (Decimal("16000.00"), Decimal("3.4"), "新招聘人员公用经费增加")


def test_final_item_execution() -> None:
    [s] = read("1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：人员经费。年初预算为1560.05万元，支出决算为1511.89万",
               "元。决算数小于预算数的主要原因：人员进出及退休变化。")
    assert (s["subject"], s["amount"], s["arranged"], s["prior_amount"], s["prior_label"]) == \
        ("2010601", Decimal("15118900.00"), Decimal("15118900.00"), Decimal("15600500.00"), "年初预算")
    assert (s["direction"], s["reason"]) == ("小于", "人员进出及退休变化")
    assert s["completion_pct"] is None and s["change_pct"] is None


def test_completion_rate_is_no_change() -> None:
    """完成年初预算的98.20% is a share of the budget executed: completion_pct, never change_pct."""
    [s] = read("一般公共预算财政拨款支出年初预算为2,993.92万元，支出决算为2,940.05万元，完成年初预算的98.20%。决算数小于预算数的主要",
               "原因：项目调减。")
    assert (s["subject"], s["amount"], s["prior_amount"], s["completion_pct"], s["change_pct"], s["direction"]) == \
        ("gp_total", Decimal("29400500.00"), Decimal("29939200.00"), Decimal("98.20"), None, "小于")
    a, b = s["spans"]["completion_pct"]
    assert s["sentence"][a:b] == "98.20%" and "change_pct" not in s["spans"]


def test_completion_rate_beside_a_change() -> None:
    [s] = read("“三公”经费财政拨款支出决算为0.39万元，完成预算的13.68%，比2023年度减少0.15万元，下降27.78%。")
    assert (s["subject"], s["completion_pct"], s["change"], s["change_pct"], s["direction"]) == \
        ("three_public_total", Decimal("13.68"), Decimal("-1500.00"), Decimal("27.78"), "减少")
    a, b = s["spans"]["completion_pct"]
    assert s["sentence"][a:b] == "13.68%"


def test_final_totals_across_sentences() -> None:
    [s] = read("上海市普陀区财政局2024年度收入支出总计2995.39万元。与2023年度相比，收入",
               "支出总计减少56.95万元，下降1.87%。主要原因：基本支出减少。")
    assert (s["subject"], s["amount"], s["change"], s["change_pct"], s["direction"], s["prior_year"]) == \
        ("revenue_expenditure_total", Decimal("29953900.00"), Decimal("-569500.00"), Decimal("1.87"), "减少", 2023)
    assert s["reason"] == "基本支出减少" and s["sentence"].endswith("主要原因：基本支出减少。")


def test_three_public_items_and_empty_reason() -> None:
    found = read("2024年“三公”经费预算数为6.40万元，与2023年预算持平。其中：",
                 "（二）公务用车购置及运行费6.40万元，与2023年预算持平，主要原因是。其中：公务用车购置费0.00万元，与2023年预算持平，主",
                 "要原因是无此项支出；公务用车运行费6.40万元，与2023年预算持平，主要原因是根据实际。")
    got = [(s["subject"], s["amount"], s["direction"], s["reason"]) for s in found]
    assert got == [("three_public_total", Decimal("64000.00"), "持平", None),
                   ("three_public:公务用车购置及运行费", Decimal("64000.00"), "持平", ""),
                   ("three_public:公务用车购置费", Decimal("0.00"), "持平", "无此项支出"),
                   ("three_public:公务用车运行维护费", Decimal("64000.00"), "持平", "根据实际")]
    assert all(s["kind"] == "three_public" for s in found)


def test_template_leaves_direction_unresolved_and_amounts_none() -> None:
    [s] = read("机关运行经费支出 XXX 万元，比 2023 年度增加（减少）XXX",
               "万元，增长（下降）XX%。主要原因是 XXXXXXXX。")
    assert (s["subject"], s["amount"], s["change"], s["change_pct"]) == ("operating_cost", None, None, None)
    assert s["direction"] == "增加（减少）" and s["prior_year"] == 2023
    a, b = s["spans"]["pct_direction"]
    assert s["sentence"][a:b] == "增长（下降）"


def test_procurement_and_performance() -> None:
    found = read("2024年本部门政府采购预算1662.44万元，其中：政府采购货物预算93.98万元、政府采购工程预算815.87万元、政府采购服务预算",
                 "752.59万元。", "四、绩效目标设置情况", "本部门编报绩效目标的项目50个，涉及项目预算资金5634.81万元。")
    got = [(s["subject"], s["amount"], s["unit"], s["kind"]) for s in found]
    assert got == [("procurement_total", Decimal("16624400.00"), "万元", "procurement"),
                   ("procurement_goods", Decimal("939800.00"), "万元", "procurement"),
                   ("procurement_works", Decimal("8158700.00"), "万元", "procurement"),
                   ("procurement_services", Decimal("7525900.00"), "万元", "procurement"),
                   ("performance_projects", Decimal("50"), "个", "performance"),
                   ("performance_funds", Decimal("56348100.00"), "万元", "performance")]


# --- real samples ----------------------------------------------------------------------------------------------

SAMPLE_FILES = ["shanghai-putuo-wanli-2023-dept-budget.pdf", "shanghai-putuo-wanli-2024-dept-budget.pdf",
                "shanghai-putuo-finance-2025-dept-budget.pdf", "shanghai-putuo-welfare-home-2024-unit-budget.pdf",
                "final/shanghai-putuo-finance-2024-dept-final.pdf", "final/shanghai-putuo-planning-2024-dept-final.pdf"]
# numbered 科目 items the 说明 prints (a passage printed twice counted once), and those whose printed names are not
# in the report's 功能分类 tables (real mismatches: 住房保障支出（款） for 住房改革支出, names the tables print otherwise)
NUMBERED = {"shanghai-putuo-wanli-2023-dept-budget.pdf": (34, 0), "shanghai-putuo-wanli-2024-dept-budget.pdf": (33, 0),
            "shanghai-putuo-finance-2025-dept-budget.pdf": (11, 0),
            "shanghai-putuo-welfare-home-2024-unit-budget.pdf": (6, 0),
            "final/shanghai-putuo-finance-2024-dept-final.pdf": (11, 0),
            "final/shanghai-putuo-planning-2024-dept-final.pdf": (13, 4)}


def _parsed(name: str):
    from tests.fixtures.parsed import parsed

    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"{name} is read from {SAMPLES}, absent here")
    return parsed(path)


def _numbered(statements: list[dict]) -> list[dict]:
    return [s for s in statements if s["kind"] == "item" and re.match(r"^\d+[、.．]", s["sentence"])]


@needs_samples
@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_every_numbered_item_is_read(name: str) -> None:
    report = _parsed(name)
    found = read_statements(report.prose, report)
    items = _numbered(found)
    numbers = [int(re.match(r"^(\d+)", s["sentence"]).group(1)) for s in items]
    count, unresolved = NUMBERED[name]
    assert numbers == list(range(1, count + 1))
    codes = {r["code"] for r in report.rows["func_lines"]}
    assert sum(not s["resolved"] for s in items) == unresolved
    assert all(s["subject"] in codes for s in items if s["resolved"])
    assert all(s["amount"] is not None and s["subject_level"] == 3 for s in items)
    assert [s["statement_id"] for s in found] == [f"s{i}" for i in range(1, len(found) + 1)]


@needs_samples
def test_wanli_2024_first_item_against_its_table() -> None:
    report = _parsed("shanghai-putuo-wanli-2024-dept-budget.pdf")
    first = _numbered(read_statements(report.prose, report))[0]
    assert (first["subject"], first["amount"], first["prior_amount"], first["change_pct"], first["direction"],
            first["reason"]) == ("2010507", Decimal("257700.00"), Decimal("601300.00"), Decimal("57.14"), "减少", "项目调整")
    cells = [r for r in report.rows["func_lines"] if r["code"] == "2010507" and r["table_kind"] == "gp_expenditure"
             and r["measure"] == "total"]
    assert [(r["name"], r["amount_yuan"]) for r in cells] == [("专项普查活动", Decimal("257700.00"))]


@needs_samples
def test_yangquan_class_statements_are_resolved() -> None:
    path = SAMPLES / "yangquan-wenlv-2023-unit-budget.txt"
    if not path.exists():
        pytest.skip(f"{path.name} is read from {SAMPLES}, absent here")
    from tests.fixtures.parsed import parsed

    report = parsed(path)
    found = read_statements(report.prose, report)
    items = [s for s in found if s["kind"] == "item"]
    assert len(items) == 10 and all(s["resolved"] and s["subject_level"] == 1 for s in items)
    head = found[0]
    assert (head["subject"], head["amount"], head["change"], head["change_pct"]) == \
        ("revenue_total", Decimal("36232600.00"), Decimal("5746800.00"), Decimal("18.85"))
    # the 支出 sentence after it: its own head, its own parts, the change the head's
    spending = next(i for i, s in enumerate(found) if s["subject"] == "expenditure_total")
    assert [(s["subject"], s["amount"], s["change"], s["change_pct"]) for s in found[spending:spending + 3]] == [
        ("expenditure_total", Decimal("36232600.00"), Decimal("5746800.00"), Decimal("18.85")),
        ("expenditure_current", Decimal("32764800.00"), None, None),
        ("expenditure_carryover", Decimal("3467900.00"), None, None)]
    assert found[spending]["sentence"].startswith("本年单位预算支出总计") and found[spending]["resolved"]
