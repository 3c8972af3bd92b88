"""Each table parser on small hand-built tables (RawTable, as segmentation hands them over): the rows it produces and
their amounts in 元, for a ruled grid (PDF) and for text lines (a text extraction). No sample report is needed.

Amounts are asserted exactly (Decimal, 元): a 万元 table's 3,276.48 is 32,764,800.00 元. Figures are invented but add
up as a real report's do; a blank cell gives no row, never a 0.
"""

from __future__ import annotations

from decimal import Decimal as D

from etl.read.layout import RawTable, Row
from etl.tables.parsers.econ import parse_econ
from etl.tables.parsers.forms import parse_form
from etl.tables.parsers.func import parse_func
from etl.tables.parsers.procurement import parse_procurement
from etl.tables.parsers.projects import parse_projects
from etl.tables.parsers.summary import parse_summary
from etl.tables.parsers.three_public import parse_three_public


def grid(title: str, header: list[list[str | None]], rows: list[list[str | None]], unit: str | None = "元",
         page: int = 3) -> RawTable:
    return RawTable(title=title, table_no=None, unit_printed=unit, page_from=page, page_to=page, header=header,
                    rows=[Row(cells=r, page=page, aligned=True) for r in rows])


def text(title: str, header: list[str], lines: list[str], unit: str = "万元", page: int = 3) -> RawTable:
    return RawTable(title=title, table_no=None, unit_printed=unit, page_from=page, page_to=page,
                    header=[[h] for h in header], rows=[Row(cells=[ln], page=page, aligned=False) for ln in lines])


def errors(parsed) -> list[str]:
    return [i.message for i in parsed.issues if i.severity == "error"]


# ------------------------------------------------------------------------------------------------ 收支总表

def test_summary_grid_reads_both_sides() -> None:
    raw = grid("2024年部门财务收支预算总表", [["收入", None, "支出", None], ["项目", "预算数", "项目", "预算数"]], [
        ["一、财政拨款收入", "100.00", "一、文化旅游体育与传媒支出", "80.00"],
        ["二、事业收入", "20.00", "二、社会保障和就业支出", "40.00"],
        ["收入总计", "120.00", "支出总计", "120.00"],
    ], unit="万元")
    out = parse_summary(raw, "summary")
    got = [(r["side"], r["item"], r["measure"], r["amount_yuan"]) for r in out.rows["summary_lines"]]
    assert got == [
        ("收入", "财政拨款收入", "total", D("1000000.00")), ("支出", "文化旅游体育与传媒支出", "total", D("800000.00")),
        ("收入", "事业收入", "total", D("200000.00")), ("支出", "社会保障和就业支出", "total", D("400000.00")),
        ("收入", "收入总计", "total", D("1200000.00")), ("支出", "支出总计", "total", D("1200000.00")),
    ]
    assert out.has_data and errors(out) == []


def test_summary_text_places_expenditure_amounts_by_the_reports_arithmetic() -> None:
    raw = text("2023年预算收支总表", ["收入 支出", "项目 2023年 项目 2023年合计 当年预算安排", "上年结转安排"], [
        "一、一般公共预算 3,276.48一、一般公共服务支出 0.70 0.70  ",
        "  二、文化旅游体育与传媒支出 3,521.60 3,275.78 245.82",
        "本年收入合计 3,276.48本年支出合计 3,522.30 3,276.48 245.82",
        "上年结转 245.82",
        "收入总计 3,522.30支出总计 3,522.30 3,276.48 245.82",
    ])
    out = parse_summary(raw, "summary")
    got = {(r["side"], r["item"], r["measure"]): r["amount_yuan"] for r in out.rows["summary_lines"]}
    assert got == {
        ("收入", "一般公共预算", "total"): D("32764800.00"),
        ("支出", "一般公共服务支出", "total"): D("7000.00"),
        ("支出", "一般公共服务支出", "current_year"): D("7000.00"),  # 0.70 0.70: 合计 and 当年, by the column sums
        ("支出", "文化旅游体育与传媒支出", "total"): D("35216000.00"),
        ("支出", "文化旅游体育与传媒支出", "current_year"): D("32757800.00"),
        ("支出", "文化旅游体育与传媒支出", "carryover"): D("2458200.00"),
        ("收入", "本年收入合计", "total"): D("32764800.00"),
        ("支出", "本年支出合计", "total"): D("35223000.00"),
        ("支出", "本年支出合计", "current_year"): D("32764800.00"),
        ("支出", "本年支出合计", "carryover"): D("2458200.00"),
        ("收入", "上年结转", "total"): D("2458200.00"),
        ("收入", "收入总计", "total"): D("35223000.00"),
        ("支出", "支出总计", "total"): D("35223000.00"),
        ("支出", "支出总计", "current_year"): D("32764800.00"),
        ("支出", "支出总计", "carryover"): D("2458200.00"),
    }
    assert errors(out) == []


# ------------------------------------------------------------------------------------------------ 功能分类 tables

def test_func_grid_joins_lei_kuan_xiang_and_keeps_blanks_blank() -> None:
    raw = grid("2023年部门支出总表", [["科目编码", None, None, "科目名称", "合计", "基本支出", "项目支出"],
                                      ["类", "款", "项", None, None, None, None]], [
        [None, None, None, "合计", "1,000.00", "600.00", "400.00"],
        ["207", None, None, "文化旅游体育与传媒支出", "1,000.00", "600.00", "400.00"],
        ["207", "01", None, "文化和旅游", "1,000.00", "600.00", "400.00"],
        ["207", "01", "01", "行政运行", "600.00", "600.00", None],
        ["207", "1", "99", "其他文化和旅游支出", "400.00", None, "400.00"],  # 款 printed without its zero
    ], unit="万元")
    out = parse_func(raw, "expenditure")
    got = [(r["code"], r["name"], r["level"], r["measure"], r["amount_yuan"]) for r in out.rows["func_lines"]]
    assert got == [
        (None, "合计", 0, "total", D("10000000.00")), (None, "合计", 0, "basic", D("6000000.00")),
        (None, "合计", 0, "project", D("4000000.00")),
        ("207", "文化旅游体育与传媒支出", 1, "total", D("10000000.00")),
        ("207", "文化旅游体育与传媒支出", 1, "basic", D("6000000.00")),
        ("207", "文化旅游体育与传媒支出", 1, "project", D("4000000.00")),
        ("20701", "文化和旅游", 2, "total", D("10000000.00")), ("20701", "文化和旅游", 2, "basic", D("6000000.00")),
        ("20701", "文化和旅游", 2, "project", D("4000000.00")),
        ("2070101", "行政运行", 3, "total", D("6000000.00")), ("2070101", "行政运行", 3, "basic", D("6000000.00")),
        ("2070199", "其他文化和旅游支出", 3, "total", D("4000000.00")),
        ("2070199", "其他文化和旅游支出", 3, "project", D("4000000.00")),
    ]
    assert errors(out) == []
    assert any("2070199" in i.message for i in out.issues)  # the repaired code is said, not silent


SPLIT_HEADER: list[list[str | None]] = [["科目编码", None, None, "科目名称", "合计", "基本支出", "项目支出"],
                                        ["类", "款", "项", None, None, None, None]]


def _codes(out) -> list[tuple]:
    return [(r["code"], r["level"], r["measure"], r["amount_yuan"]) for r in out.rows.get("func_lines", [])
            if r["measure"] == "total"]


def test_func_grid_parents_printed_once_take_the_code_above() -> None:
    raw = grid("2023年部门支出总表", SPLIT_HEADER, [
        [None, None, None, "合计", "300.00", "100.00", "200.00"],
        ["201", None, None, "一般公共服务支出", "300.00", "100.00", "200.00"],
        [None, "32", None, "组织事务", "300.00", "100.00", "200.00"],
        [None, None, "02", "一般行政管理事务", "100.00", "100.00", None],
        [None, None, "99", "其他组织事务支出", "200.00", None, "200.00"],
    ])
    out = parse_func(raw, "expenditure")
    assert _codes(out) == [(None, 0, "total", D("300.00")), ("201", 1, "total", D("300.00")),
                           ("20132", 2, "total", D("300.00")), ("2013202", 3, "total", D("100.00")),
                           ("2013299", 3, "total", D("200.00"))]
    assert errors(out) == [] and not out.issues  # the template's own layout: nothing to report


def test_func_grid_a_full_code_in_its_column_is_taken_as_printed() -> None:
    """类 | 款 | 项 cells each holding the whole code (207 | 20701 | 2070101), or a parent repeated in a child's
    column (207 | 207): never the pieces glued together (207207, 2013220132)."""
    raw = grid("2023年部门支出总表", SPLIT_HEADER, [
        ["207", "207", None, "文化旅游体育与传媒支出", "300.00", "100.00", "200.00"],
        ["207", "20701", None, "文化和旅游", "300.00", "100.00", "200.00"],
        ["207", "20701", "2070101", "行政运行", "100.00", "100.00", None],
        ["207", "01", "2070199", "其他文化和旅游支出", "200.00", None, "200.00"],
    ])
    out = parse_func(raw, "expenditure")
    assert [c[:2] for c in _codes(out)] == [("207", 1), ("20701", 2), ("2070101", 3), ("2070199", 3)]
    assert errors(out) == []


def test_func_grid_code_cells_that_disagree_are_an_error_not_a_code() -> None:
    raw = grid("2023年部门支出总表", SPLIT_HEADER, [
        ["207", "20501", None, "文化和旅游", "300.00", "100.00", "200.00"],
        [None, "01", None, "无上级的款", "300.00", "100.00", "200.00"],
    ])
    out = parse_func(raw, "expenditure")
    assert _codes(out) == []  # no row under a made-up code
    first, second = errors(out)[:2]  # then each row again as unreadable: the table is unparsed, never guessed
    assert "互不相符" in first and "“207 20501”" in first and "上级编码" in second


def test_func_grid_no_data_note_over_zeros_is_an_empty_table() -> None:
    """注：本表无数据 over a grid of 0.00 and split codes: no rows (the pipeline counts the zeros as consumed)."""
    rows = [[None, None, None, "合计", "0.00", "0.00", "0.00"],
            ["201", "32", "02", "一般行政管理事务", "0.00", "0.00", "0.00"]]
    raw = grid("2023年部门支出总表", SPLIT_HEADER, rows)
    raw.no_data_note = True
    out = parse_func(raw, "expenditure")
    assert out.rows.get("func_lines") is None and not out.has_data and out.consumed == 6
    printed = parse_func(grid("2023年部门支出总表", SPLIT_HEADER, rows), "expenditure")  # no note: a printed 0 is 0
    assert [c[:2] for c in _codes(printed)] == [(None, 0), ("2013202", 3)]
    assert {r["amount_yuan"] for r in printed.rows["func_lines"]} == {D("0.00")}


def test_func_text_rejoins_a_wrapped_name_and_places_amounts_by_spacing_and_sums() -> None:
    raw = text("2023年预算支出总表", ["科目编码 科目名称 合计 基本支出 项目支出"], [
        "合计 1,000.00 600.00 400.00",
        "207 文化旅游体育与传媒支出 1,000.00 600.00 400.00",
        "20701 文化和旅游 1,000.00 600.00 400.00",
        "2070101 行政运行 600.00 600.00  ",
        "2070199 其他文化和旅游支",
        "出 400.00   400.00",  # the blank 基本支出 cell between them
    ])
    out = parse_func(raw, "expenditure")
    leaves = [(r["code"], r["name"], r["measure"], r["amount_yuan"]) for r in out.rows["func_lines"] if r["level"] == 3]
    assert leaves == [("2070101", "行政运行", "total", D("6000000.00")), ("2070101", "行政运行", "basic", D("6000000.00")),
                      ("2070199", "其他文化和旅游支出", "total", D("4000000.00")),
                      ("2070199", "其他文化和旅游支出", "project", D("4000000.00"))]
    assert len(out.rows["func_lines"]) == 13 and errors(out) == []


def test_func_text_row_without_code_but_with_amounts_is_an_error_not_a_row() -> None:
    raw = text("2023年预算支出总表", ["科目编码 科目名称 合计"], ["207 文化旅游体育与传媒支出 5.00", "无编码的一行 5.00"])
    out = parse_func(raw, "expenditure")
    assert [r["code"] for r in out.rows["func_lines"]] == ["207"]
    assert len(errors(out)) == 1 and "无编码的一行" in errors(out)[0]


# ------------------------------------------------------------------------------------------------ 经济分类

def test_econ_grid_codes_groups_and_measures() -> None:
    raw = grid("部门基本支出预算明细表", [["经济分类科目编码", None, "经济分类科目名称", "合计", "人员经费", "公用经费"],
                                         ["类", "款", None, None, None, None]], [
        [None, None, "合计", "100.00", "80.00", "20.00"],
        ["301", None, "工资福利支出", "80.00", "80.00", None],
        ["301", "01", "基本工资", "80.00", "80.00", None],
        ["302", None, "商品和服务支出", "20.00", None, "20.00"],
        ["302", "01", "办公费", "20.00", None, "20.00"],
    ])
    out = parse_econ(raw, "gp_basic_econ")
    got = [(r["econ_code"], r["econ_name"], r["is_group"], r["measure"], r["amount_yuan"]) for r in out.rows["econ_lines"]]
    assert got == [
        (None, "合计", True, "total", D("100.00")), (None, "合计", True, "personnel", D("80.00")),
        (None, "合计", True, "public", D("20.00")),
        ("301", "工资福利支出", True, "total", D("80.00")), ("301", "工资福利支出", True, "personnel", D("80.00")),
        ("30101", "基本工资", False, "total", D("80.00")), ("30101", "基本工资", False, "personnel", D("80.00")),
        ("302", "商品和服务支出", True, "total", D("20.00")), ("302", "商品和服务支出", True, "public", D("20.00")),
        ("30201", "办公费", False, "total", D("20.00")), ("30201", "办公费", False, "public", D("20.00")),
    ]


def test_econ_text_groups_by_name_and_keeps_the_government_econ_name() -> None:
    raw = text("2023年一般公共预算安排基本支出分经济科目表", ["部门预算支出经济科目名称", "政府预算支出经济科目名", "称",
                                                           "2023年预算数", "合计 人员经费 公用经费"], [
        "合计 425.21 377.64 47.57",
        "工资福利支出  334.50 334.50  ",
        "基本工资 工资奖金津补贴 334.50 334.50  ",
        "商品和服务支出  47.57  47.57",
        "办公费 办公经费 45.50  45.50",
        "会议费 会议费 2.07  2.07",
        "对个人和家庭的补助  43.14 43.14  ",
        "退休费 离退休费 43.14 43.14  ",
    ])
    out = parse_econ(raw, "gp_basic_econ")
    got = [(r["econ_name"], r["gov_econ_name"], r["is_group"], r["measure"], r["amount_yuan"])
           for r in out.rows["econ_lines"] if r["measure"] != "total"]
    assert got == [
        ("合计", None, True, "personnel", D("3776400.00")), ("合计", None, True, "public", D("475700.00")),
        ("工资福利支出", None, True, "personnel", D("3345000.00")),
        ("基本工资", "工资奖金津补贴", False, "personnel", D("3345000.00")),
        ("商品和服务支出", None, True, "public", D("475700.00")),
        ("办公费", "办公经费", False, "public", D("455000.00")), ("会议费", "会议费", False, "public", D("20700.00")),
        ("对个人和家庭的补助", None, True, "personnel", D("431400.00")),
        ("退休费", "离退休费", False, "personnel", D("431400.00")),
    ]
    assert errors(out) == []


# ------------------------------------------------------------------------------------------------ “三公” / 机关运行经费

def test_three_public_wide_grid_splits_the_two_contract_tables() -> None:
    raw = grid("部门“三公”经费和机关运行经费预算表", [
        ["“三公”经费", None, None, None, None, None, "机关运行经费"],
        ["合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行费", None, None, None],
        [None, None, None, "小计", "购置费", "运行费", None],
    ], [["22.91", "0.00", "1.20", "21.71", "0.00", "21.71", "786.09"]], unit="万元")
    out = parse_three_public(raw, "three_public")
    got = [(r["table_kind"], r["item"], r["amount_yuan"]) for r in out.rows["three_public"]]
    assert got == [
        ("three_public", "合计", D("229100.00")), ("three_public", "因公出国（境）费", D("0.00")),  # a printed 0 is kept
        ("three_public", "公务接待费", D("12000.00")), ("three_public", "公务用车购置及运行费", D("217100.00")),
        ("three_public", "公务用车购置费", D("0.00")), ("three_public", "公务用车运行维护费", D("217100.00")),
        ("operating_cost", "机关运行经费", D("7860900.00")),
    ]


def test_three_public_long_text_blank_rows_give_nothing() -> None:
    raw = text("2023年一般公共预算“三公”经费支出预算表", ["项目", "2023年预算数", "合计 一般公共预算 政府性基金预算",
                                                          "国有资本经营预", "算"], [
        "因公出国（境）费 1.00 1.00    ",
        "公务接待费 2.00 2.00    ",
        "公务用车购置及运行费 3.00 3.00    ",
        "①公务用车购置费     ",
        "②公务用车运行维护费 3.00 3.00    ",
        "合计 6.00 6.00    ",
    ])
    out = parse_three_public(raw, "three_public")
    got = {(r["item"], r["measure"]): r["amount_yuan"] for r in out.rows["three_public"]}
    assert got == {(item, m): D(v) for item, v in [("因公出国（境）费", "10000.00"), ("公务接待费", "20000.00"),
                                                   ("公务用车购置及运行费", "30000.00"), ("公务用车运行维护费", "30000.00"),
                                                   ("合计", "60000.00")] for m in ("total", "general_budget")}
    assert errors(out) == []


def test_operating_cost_rows_are_units_and_the_total_row_is_the_units_cost() -> None:
    raw = text("2023年机关运行经费预算财政拨款情况统计表",
               ["单位名称", "2023预算数", "合计 一般公共预算 政府性基金预算 国有资本经营预算"],
               ["部门合计 47.56 47.56   ", "阳泉市文化和旅游局 47.56 47.56   "])
    out = parse_three_public(raw, "operating_cost")
    got = [(r["item"], r["measure"], r["amount_yuan"]) for r in out.rows["three_public"]]
    assert got == [("机关运行经费", "total", D("475600.00")), ("机关运行经费", "general_budget", D("475600.00")),
                   ("机关运行经费/阳泉市文化和旅游局", "total", D("475600.00")),
                   ("机关运行经费/阳泉市文化和旅游局", "general_budget", D("475600.00"))]


# ------------------------------------------------------------------------------------------------ 项目支出

def test_projects_text_unit_and_total_rows_are_not_projects() -> None:
    raw = text("2023年项目支出预算表（本年预算）", ["项目名称 合计", "2023年财政拨款", "财政专户管", "理资金", "单位资金",
                                                   "一般公共预算", "政府性", "基金预", "算", "国有资本经", "营预算",
                                                   "1 2 3 4 5 6 7"], [
        "合计 130.00 130.00     ",
        "\u3000阳泉市文化和旅游局 130.00 130.00     ",
        "\u3000\u3000群众文化系列活动经费 10.00 10.00     ",
        "\u3000\u3000文旅局乡村振兴驻村干部经费",
        "及生活补贴",
        "120.00 120.00     ",
    ])
    out = parse_projects(raw, "projects")
    got = [(r["name"], r["total_yuan"], r["general_budget_yuan"], r["unit_funds_yuan"], r["carryover"])
           for r in out.rows["projects"]]
    assert got == [("群众文化系列活动经费", D("100000.00"), D("100000.00"), None, False),
                   ("文旅局乡村振兴驻村干部经费及生活补贴", D("1200000.00"), D("1200000.00"), None, False)]
    assert errors(out) == []


def test_projects_grid_by_funding_source() -> None:
    raw = grid("项目支出预算表", [["项目名称", "合计", "一般公共预算", "单位资金"]], [
        ["合计", "300.00", "200.00", "100.00"],
        ["社区环境整治和建设经费", "200.00", "200.00", None],
        ["新建社区公共服务中心", "100.00", None, "100.00"],
    ])
    out = parse_projects(raw, "projects_carryover")
    got = [(r["name"], r["total_yuan"], r["general_budget_yuan"], r["unit_funds_yuan"], r["carryover"])
           for r in out.rows["projects"]]
    assert got == [("社区环境整治和建设经费", D("200.00"), D("200.00"), None, True),
                   ("新建社区公共服务中心", D("100.00"), None, D("100.00"), True)]


# ------------------------------------------------------------------------------------------------ 政府采购

def test_procurement_text_lines_spread_over_several_text_lines() -> None:
    raw = text("政府采购预算明细表", ["单位编码 单位名称 项目名称 部门支出经济分类 支出项目类别 资金来源 资金性质 "
                                      "政府采购品目 采购数量 单价", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"], [
        "合计 2 21.000000 21.000000 21.000000",
        "057 [057]阳泉市文化和旅游局 2 21.000000 21.000000 21.000000",
        "公用经费 1 1.000000 1.000000 1.000000 1.000000",
        "057001 [057001]阳泉市文化和旅游局 14030022057Y200000019-公用经费项目 [30202]印刷费",
        "在职人员一般",
        "公用经费",
        "年初安排 财政拨款资金 印刷服务 1 1.000000 1.000000 1.000000 1.000000",
        "其他运转类 1 20.000000 20.000000 20.000000 20.000000",
        "057001 [057001]阳泉市文化和旅游局 14030022057Y200000020-专项业务工作经费 [30201]办公费",
        "其他运转类",
        "年初安排 财政拨款资金 复印纸 10 2.000000 20.000000 20.000000 20.000000",
    ])
    out = parse_procurement(raw, "procurement")
    got = [(r["project"], r["econ_class"], r["item"], r["quantity"], r["amount_yuan"]) for r in out.rows["procurement"]]
    # a line's amount is its 预算总计, not its 单价 (2.00 × 10 = 20.00 万元)
    assert got == [("公用经费项目", "30202 印刷费", "印刷服务", "1", D("10000.00")),
                   ("专项业务工作经费", "30201 办公费", "复印纸", "10", D("200000.00"))]
    assert out.issues == []


def test_procurement_grid_continues_a_merged_project_cell() -> None:
    raw = grid("政府采购预算明细表", [["项目名称", "经济分类", "采购品目", "采购数量", "预算总计"]], [
        ["合计", None, None, None, "30,000.00"],
        ["14030022057Y200000019-公用经费项目", "[30202]印刷费", "印刷服务", "1", "10,000.00"],
        [None, None, "复印纸", "10", "20,000.00"],
    ])
    out = parse_procurement(raw, "procurement")
    got = [(r["project"], r["econ_class"], r["item"], r["quantity"], r["amount_yuan"]) for r in out.rows["procurement"]]
    assert got == [("公用经费项目", "30202 印刷费", "印刷服务", "1", D("10000.00")),
                   ("公用经费项目", "30202 印刷费", "复印纸", "10", D("20000.00"))]


# ------------------------------------------------------------------------------------------------ 绩效目标表

def test_form_grid_fields_funds_and_indicators() -> None:
    raw = grid("项目支出绩效目标填报表", [["项目名称", "就业援助基地补贴", None, None]], [
        ["主管部门", "万里街道", "实施单位", "万里街道社区事务受理服务中心"],
        ["项目资金（万元）", "年度资金总额", "635.10", None],
        [None, "其中：财政拨款", "635.10", None],
        ["年度目标", "帮助就业困难人员实现就业", None, None],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "援助人数", "≥300人"],
        [None, "质量指标", "就业率", "≥90%"],
        ["满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%"],
    ], unit=None, page=31)
    out = parse_form(raw, "performance_form")
    (form,) = out.rows["project_forms"]
    assert (form["project_name"], form["department"], form["implementer"], form["annual_funds_yuan"],
            form["total_funds_yuan"], form["goal_annual"], form["page"]) == (
        "就业援助基地补贴", "万里街道", "万里街道社区事务受理服务中心", D("6351000.00"), None, "帮助就业困难人员实现就业", 31)
    assert [(f["scope"], f["source"], f["amount_yuan"]) for f in out.rows["project_funds"]] == [
        ("年度", "财政拨款", D("6351000.00"))]
    assert [(i["scope"], i["level1"], i["level2"], i["level3"], i["target"]) for i in out.rows["indicators"]] == [
        ("年度", "产出指标", "数量指标", "援助人数", "≥300人"),
        ("年度", "产出指标", "质量指标", "就业率", "≥90%"),
        ("年度", "满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%"),
    ]
    assert out.issues == []


def test_form_without_a_project_name_is_reported_not_stored() -> None:
    raw = grid("项目支出绩效目标表", [["主管部门", "某局", None, None]], [["一级指标", "二级指标", "三级指标", "指标值"]],
               unit=None)
    out = parse_form(raw, "performance_form")
    assert out.rows == {} and len(out.issues) == 1 and "未找到项目名称" in out.issues[0].message
