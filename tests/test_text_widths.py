"""Column widths of a text extraction are the table's own, not the 山西 sample's (issue 23, Must 4).

A plain text extraction keeps no positions, so a wrapped cell is re-joined by the width at which its column wraps.
These hand-made extractions re-lay the 阳泉 form and procurement table at other widths: what the table itself
measures (the 总体目标 blocks' longest lines, the longest 经济分类 line) reads the same rows; what it cannot measure
(the indicator columns of another template, a 经济分类 wrapped at two widths) is reported, not misread.
"""

from __future__ import annotations

from etl.read.layout import RawTable, Row
from etl.read.tokens import display_width
from etl.tables.parsers.forms import parse_form
from etl.tables.parsers.procurement import parse_procurement

GOAL_PERIOD = ("开展乡土文化能人艺人挖掘工作，组织全市群众文化系列活动，推动文化惠民工程落地见效，提高人民群众的"
               "文化获得感和幸福感，培育乡土文化品牌，促进文旅深度融合发展。")
GOAL_ANNUAL = "全省挖掘85名乡土文化能人艺人，完成群众文化系列活动，提高人民群众的获得感。"


def _wrap(text: str, width: int) -> list[str]:
    """Text as a fixed-width column prints it: as many characters per line as fit in `width` display units."""
    lines, line = [], ""
    for ch in text:
        if display_width(line + ch) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


def _raw(title: str, header: list[str], lines: list[str]) -> RawTable:
    return RawTable(title=title, table_no=None, unit_printed=None, page_from=1, page_to=1,
                    header=[[h] for h in header], rows=[Row(cells=[ln], page=1, aligned=False) for ln in lines])


# 山西 widths (三级指标 24 / 14): ‘乡土文化能人艺人活动完成’ + ‘率’ left, ‘乡土文化能人艺’ + ‘人活动完成率’ right
SHANXI_INDICATORS = [
    "产出指标",
    "数量指标 乡土文化能人艺人 85名 数量指标 乡土文化能人艺", "人", "85名",
    "质量指标", "乡土文化能人艺人活动完成", "率", "100% 质量指标", "乡土文化能人艺", "人活动完成率", "100%",
    "时效指标 资金下达时效 2023年底完成 时效指标 资金下达时效 2023年底完成",
]
# another template: 三级指标 columns 30 / 20 wide
WIDER_INDICATORS = [
    "产出指标",
    "数量指标 乡土文化能人艺人 85名 数量指标 乡土文化能人艺人 85名",
    "质量指标 乡土文化能人艺人活动完成率 100% 质量指标 乡土文化能人艺人活动", "完成率", "100%",
    "时效指标 资金下达时效 2023年底完成 时效指标 资金下达时效 2023年底完成",
]
INDICATORS = {("实施期", "数量指标", "乡土文化能人艺人", "85名"), ("年度", "数量指标", "乡土文化能人艺人", "85名"),
              ("实施期", "质量指标", "乡土文化能人艺人活动完成率", "100%"),
              ("年度", "质量指标", "乡土文化能人艺人活动完成率", "100%"),
              ("实施期", "时效指标", "资金下达时效", "2023年底完成"), ("年度", "时效指标", "资金下达时效", "2023年底完成")}


def _form(goal_widths: tuple[int, int], indicators: list[str]) -> RawTable:
    lines = ["主管部门及代码 057-阳泉市文化和旅游局 实施单位 阳泉市文化和旅游局", "项目属性 延续项目 项目期 1年",
             "实施期资金总额： 50,000 年度资金总额： 50,000", "其中：中央财政资金 0 其中：中央财政资金 0",
             "省级财政资金 50,000 省级财政资金 50,000", "项目概况 2022年群众文化惠民工程经费", "实施期目标 年度目标",
             "总体目标", *_wrap(GOAL_PERIOD, goal_widths[0]), *_wrap(GOAL_ANNUAL, goal_widths[1]), "绩", "效", "指", "标",
             "一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值", *indicators, "负责人： 填表人："]
    return _raw("项目支出绩效目标表", ["（2023年度）", "项目名称 乡土文化能人挖掘"], lines)


def _indicators(parsed) -> set[tuple[str, str, str, str]]:
    return {(r["scope"], r["level2"], r["level3"], r["target"]) for r in parsed.rows.get("indicators", [])}


def test_form_at_the_shanxi_widths_reads_goals_and_indicators():
    parsed = parse_form(_form((80, 48), SHANXI_INDICATORS), "performance_form")
    (form,) = parsed.rows["project_forms"]
    assert (form["goal_period"], form["goal_annual"]) == (GOAL_PERIOD, GOAL_ANNUAL)
    assert _indicators(parsed) == INDICATORS
    assert parsed.issues == []


def test_goal_blocks_at_other_widths_read_the_same_goals():
    """The 总体目标 blocks measured on the form itself: the same two goals at 100/60 and at 64/40 units."""
    for widths in ((100, 60), (64, 40)):
        parsed = parse_form(_form(widths, WIDER_INDICATORS), "performance_form")
        (form,) = parsed.rows["project_forms"]
        assert (form["goal_period"], form["goal_annual"]) == (GOAL_PERIOD, GOAL_ANNUAL), widths


def test_indicators_of_another_template_are_reported_not_read_at_the_shanxi_widths():
    """The indicator columns cannot be measured from one plain-text form; a form whose goal blocks measure another
    template than 山西's says so instead of reading its indicators at 山西's widths."""
    parsed = parse_form(_form((100, 60), WIDER_INDICATORS), "performance_form")
    assert "indicators" not in parsed.rows
    assert len(parsed.rows["project_forms"]) == 1
    (issue,) = parsed.issues
    assert "指标未导入" in issue.message and "100" in issue.message and "山西" in issue.message


def test_goal_blocks_fitting_no_reading_are_reported():
    """A right block wider than the left one fits no split: reported, neither goal stored."""
    parsed = parse_form(_form((40, 70), SHANXI_INDICATORS), "performance_form")
    (form,) = parsed.rows["project_forms"]
    assert form["goal_period"] is None and form["goal_annual"] is None
    assert any("总体目标" in i.message and "未导入" in i.message for i in parsed.issues)


PROCUREMENT_HEADER = ["单位编码 单位名称 项目名称 部门支出经济分类 支出项目类别 资金来源 资金性质 政府采购品目 采购数量 单价",
                      "政府采购预算金额"]


def _procurement(econ_lines: list[list[str]]) -> RawTable:
    """Two purchase lines under one unit; each line's 经济分类 printed as the given text lines."""
    lines = ["合计 2 45.000000 45.000000 45.000000", "057 [057]阳泉市文化和旅游局 2 45.000000 45.000000 45.000000",
             "其他运转类 2 45.000000 45.000000 45.000000 45.000000",
             "057001 [057001]阳泉市文化和旅游局 14030022057Y200000051-专项业务工作经费", *econ_lines[0],
             "其他特定专项", "工作经费", "年初安排 财政拨款资金 复印纸 1 5.000000 5.000000 5.000000 5.000000",
             "057001 [057001]阳泉市文化和旅游局 14030023057Y200000023-全国文化旅游合唱展演项目", *econ_lines[1],
             "其他特定专项", "工作经费", "年初安排 财政拨款资金 娱乐服务 1 40.000000 40.000000 40.000000 40.000000"]
    return _raw("政府采购预算明细表", PROCUREMENT_HEADER, lines)


def test_procurement_econ_column_at_another_width():
    """A 经济分类 column 21 units wide: ‘[30299]其他商品和服务’ wrapped, ‘[30227]委托业务费’ (17, wider than the 山西
    column's wrap) not — the next line is its 支出项目类别, not the rest of its name."""
    parsed = parse_procurement(_procurement([["[30227]委托业务费"], ["[30299]其他商品和服务", "支出"]]), "procurement")
    rows = [(r["project"], r["econ_class"], r["item"]) for r in parsed.rows["procurement"]]
    assert rows == [("专项业务工作经费", "30227 委托业务费", "复印纸"),
                    ("全国文化旅游合唱展演项目", "30299 其他商品和服务支出", "娱乐服务")]
    assert parsed.issues == []


def test_procurement_econ_wrapped_at_two_widths_is_reported():
    """The same code printed whole (25 units) on one line and wrapped at 17 on another: the table's widths do not
    tell a wrapped line from a whole one, so the name is reported and not stored rather than read as two names."""
    parsed = parse_procurement(_procurement([["[30299]其他商品和服务支出"], ["[30299]其他商品和", "服务支出"]]),
                               "procurement")
    assert [r["econ_class"] for r in parsed.rows["procurement"]] == [None, None]
    assert [r["amount_yuan"] for r in parsed.rows["procurement"]] == [50000, 400000]
    (issue,) = parsed.issues
    assert "30299" in issue.message and "未导入" in issue.message
