"""绩效目标表, 政府采购 and prose facts of the real reports, every value read off the source by hand.

阳泉 2023 is a text extraction (data/raw); its 申报表 print the indicator table as two halves side by side (实施期
left, 年度 right), so each indicator is asserted with its own scope. 万里街道 2023 is a PDF with ruled 填报表 and
per-科目 prose items (2022年当年预算执行数为…).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from etl.tables.parsers.forms import _Form, _text_goals

from .fixtures.parsed import parsed
from .samples import YANGQUAN, doc_id, needs_samples, sample

WANLI23 = "shanghai-putuo-wanli-2023-dept-budget.pdf"
Y = YANGQUAN.name
P, A = "实施期", "年度"


@pytest.fixture(scope="module")
def db(samples_db):
    return samples_db


_doc = doc_id


def _rows(db, name: str, sql: str, *params) -> list[tuple]:
    con, _ = db
    return con.execute(sql, [_doc(db, name), *params]).fetchall()


def indicators(db, name: str, project: str, scope: str) -> list[tuple]:
    return _rows(db, name, "SELECT level1, level2, level3, target FROM indicators WHERE doc_id=? AND project_name=? "
                           "AND scope=? ORDER BY row_no", project, scope)


def facts(db, name: str, key: str) -> list[tuple]:
    return _rows(db, name, "SELECT value, unit, code FROM facts WHERE doc_id=? AND key=? ORDER BY rowid", key)


# ---------------------------------------------------------------------------------------------- 阳泉 forms

# 项目名称 and 年度资金总额 as printed on each 申报表 (元); the same 13 projects, in 万元, make up 预算公开表12
YANGQUAN_FORMS = {
    "专项业务工作经费": ("1500000", "200000"),
    "阳泉市电影院职工工资及社保": ("3600000", "1048800"),
    "文旅局乡村振兴驻村干部经费及生活补贴": ("255000", "85000"),
    "山西省群众文化惠民工程(四个一批市县部分)": ("50000", "50000"),
    "三团过渡期保障经费": ("66582000", "22194000"),
    "全省第七旅发大会阳泉分会场“大美太行在山西宣传活动”项目": ("1280000", "1280000"),
    "全国文化旅游合唱展演项目": ("400000", "400000"),
    "结转公共文化服务体系建设中央及省级补助资金": ("734900", "734900"),
    "大宗旅游接待奖励费": ("900000", "200000"),
    "2023首届旅游发展大会": ("2000000", "2000000"),
    "2023年旅游宣传推广": ("200000", "200000"),
    "2023年局法律顾问聘用费": ("60000", "20000"),
    "群众文化系列活动经费": ("700000", "100000"),
}


def test_yangquan_13_forms_with_their_funds(db):
    rows = _rows(db, Y, "SELECT project_name, total_funds_yuan, annual_funds_yuan FROM project_forms WHERE doc_id=?")
    assert {r[0]: (r[1], r[2]) for r in rows} == {k: (D(t), D(a)) for k, (t, a) in YANGQUAN_FORMS.items()}
    assert len(rows) == 13


def test_yangquan_form_header_and_funding_grid(db):
    row = _rows(db, Y, "SELECT department, implementer, attribute, period FROM project_forms WHERE doc_id=? AND "
                       "project_name='阳泉市电影院职工工资及社保'")[0]
    assert row == ("057-阳泉市文化和旅游局", "阳泉市文化和旅游局", "经常性项目（长期开展）", "3年")
    funds = _rows(db, Y, "SELECT scope, source, amount_yuan FROM project_funds WHERE doc_id=? AND "
                         "project_name='阳泉市电影院职工工资及社保' AND amount_yuan <> 0 ORDER BY scope, source")
    # 市县（区）财政资金 1,200,000 + 单位自筹 2,400,000 (实施期); 市县（区）财政资金 1,048,800 (年度)
    assert funds == [(P, "单位自筹", D("2400000")), (P, "市县（区）财政资金", D("1200000")),
                     (A, "市县（区）财政资金", D("1048800"))]


def test_yangquan_goals_split_between_the_two_blocks(db):
    goals = dict((r[0], (r[1], r[2])) for r in _rows(
        db, Y, "SELECT project_name, goal_period, goal_annual FROM project_forms WHERE doc_id=?"))
    # the 实施期 block ends on a full-width line here: its last line must not take the 年度 block's first
    period, annual = goals["2023首届旅游发展大会"]
    assert period.endswith("旅游产品体系和旅游服务质量取得明显成效。") and period.startswith("通过举办5类互动营销")
    assert annual == ("通过举办5类互动营销、1次文旅招商推介活动和1次省外宣传推介活动，发展全市旅游积极性增强，"
                      "旅游要素配置进一步提升，旅游产品体系和旅游服务质量取得明显成效。")
    period, annual = goals["2023年局法律顾问聘用费"]
    assert period.startswith("完善法律顾问参与") and annual.startswith("2023年聘请2名法律顾问")
    period, annual = goals["全国文化旅游合唱展演项目"]
    assert period == annual == ("通过合唱展演，展示我市文明形象，提升我市文化品味，切实增强人民群众获得感、幸福感，"
                                "为建设富有特色和魅力的文化旅游强市做出贡献。")
    assert goals["群众文化系列活动经费"][0] == "举办综合性晚会或音乐会1台；举办各类群众文化活动5项；举办各类赛事活动5项。"


CHORUS = [
    ("产出指标", "数量指标", "参加合唱展演队伍", "≥40支"),
    ("产出指标", "数量指标", "合唱展演场次", "≥5场"),
    ("产出指标", "质量指标", "合唱展演完成率", "100%"),
    ("产出指标", "时效指标", "活动开展时间", "2023年底完成"),
    ("效益指标", "社会效益指标", "合唱展演活动满足市民群众文化需求度，增加人民荣誉感。", "有效开展"),
    ("效益指标", "可持续影响指标", "开展合唱展演活动，加强阵地建设，繁荣群众文化可持续", "可持续"),
    ("满意度指标", "服务对象满意度指标", "市民满意度", "≥95%"),
]

# The two halves differ here: the 实施期 targets are per year (14人/年), the 年度 ones for 2023 (14人)
CINEMA_PERIOD = [
    ("产出指标", "数量指标", "在职职工人数", "14人/年"),
    ("产出指标", "数量指标", "退休职工人数", "22人/年"),
    ("产出指标", "质量指标", "应发尽发率", "100%"),
    ("产出指标", "质量指标", "应缴尽缴率", "100%"),
    ("产出指标", "质量指标", "发放、缴纳对象准确率", "100%"),
    ("产出指标", "时效指标", "发放时间", "按月发放"),
    ("产出指标", "时效指标", "社保缴纳时间", "按月缴纳"),
    ("产出指标", "时效指标", "采暖费发放时间", "每年10月份以前"),
    ("产出指标", "成本指标", "在职职工工资发放成本", "按每人工资水平"),
    ("产出指标", "成本指标", "退休职工大病统筹金", "8元/人/月"),
    ("产出指标", "成本指标", "取暖费", "按级别和职称发放"),
    ("产出指标", "成本指标", "在职职工各项社保缴纳费用", "按每人实际情况缴纳"),
    ("效益指标", "社会效益指标", "保障市电影院职工合法权益", "有效保障"),
    ("满意度指标", "服务对象满意度指标", "市电影院职工满意度", "≥95%"),
]
CINEMA_ANNUAL = [
    ("产出指标", "数量指标", "在职职工人数", "14人"),
    ("产出指标", "数量指标", "退休职工人数", "22人"),
    *CINEMA_PERIOD[2:7],
    ("产出指标", "时效指标", "采暖费发放时间", "2023年10月份以前"),
    *CINEMA_PERIOD[8:],
]

TROUPE_PERIOD = [
    ("产出指标", "数量指标", "在职职工人数", "≥188人/年"),
    ("产出指标", "质量指标", "发放、缴纳对象准确率", "100%"),
    ("产出指标", "质量指标", "应发尽发率", "100%"),
    ("产出指标", "质量指标", "应缴尽缴率", "100%"),
    ("产出指标", "时效指标", "社保缴纳时间", "按月缴纳"),
    ("产出指标", "时效指标", "采暖发放时间", "每年10月份以前发放到位"),
    ("产出指标", "时效指标", "发放时间", "按月发放"),
    ("产出指标", "成本指标", "在职职工工资发放成本", "按每人工资水平"),
    ("产出指标", "成本指标", "在职职工各项社保缴纳费用", "按每人实际情况缴纳"),
    ("产出指标", "成本指标", "取暖费", "按级别和职称发放"),
    ("效益指标", "社会效益指标", "保障市职工稳定", "有效保障"),
    ("满意度指标", "服务对象满意度指标", "职工满意度", "≥98%"),
]
TROUPE_ANNUAL = [
    ("产出指标", "数量指标", "在职职工人数", "≥188人"),
    *TROUPE_PERIOD[1:5],
    ("产出指标", "时效指标", "采暖发放时间", "2023年10月份以前发放到位"),
    *TROUPE_PERIOD[6:],
]

# The 年度 half's cell was cut off in the print (“…增加群众” without 获得感): stored as printed, not completed
SPECIAL_PERIOD = [
    ("产出指标", "数量指标", "完成群众文化系列活动及文化产业等任务", "≥3项"),
    ("产出指标", "数量指标", "完成政府购买服务", "≥3个"),
    ("产出指标", "质量指标", "购买服务达到目标责任要求", "≥95%"),
    ("产出指标", "质量指标", "各项任务完成率", "100%"),
    ("产出指标", "时效指标", "完成各项目标责任时间", "2023年底"),
    ("效益指标", "社会效益指标", "文化与旅游结合，宣传我市品牌", "大力宣传"),
    ("效益指标", "社会效益指标", "群众文化系列活动满足市民群众需求，增加群众获得感", "有效开展"),
    ("效益指标", "可持续影响指标", "加强文化阵地建设，繁荣群众文化", "可持续"),
    ("满意度指标", "服务对象满意度指标", "购买服务对象满意度", "≥95%"),
    ("满意度指标", "服务对象满意度指标", "社会公众满意度", "≥95%"),
]
SPECIAL_ANNUAL = [*SPECIAL_PERIOD[:6], ("效益指标", "社会效益指标", "群众文化系列活动满足市民群众需求，增加群众", "有效开展"),
                  *SPECIAL_PERIOD[7:]]


@pytest.mark.parametrize(("project", "period", "annual"), [
    ("全国文化旅游合唱展演项目", CHORUS, CHORUS),
    ("阳泉市电影院职工工资及社保", CINEMA_PERIOD, CINEMA_ANNUAL),
    ("三团过渡期保障经费", TROUPE_PERIOD, TROUPE_ANNUAL),
    ("专项业务工作经费", SPECIAL_PERIOD, SPECIAL_ANNUAL),
])
def test_yangquan_every_indicator_of_both_halves(db, project, period, annual):
    assert indicators(db, Y, project, P) == period
    assert indicators(db, Y, project, A) == annual


def test_yangquan_halves_with_different_row_counts(db):
    """全省第七旅发大会 时效指标: 实施期 prints one row, 年度 two. The text gives “宣传时间 2022年6-12月” alone, then
    “宣传时间 2022年6-12月 费用支付时间 2023年2月底前”: the 4-cell line is a 实施期 row beside a 年度 row, so the lone
    line can only be 年度 (as 实施期 it would print 宣传时间 twice in one half)."""
    project = "全省第七旅发大会阳泉分会场“大美太行在山西宣传活动”项目"
    period = [r for r in indicators(db, Y, project, P) if r[1] == "时效指标"]
    annual = [r for r in indicators(db, Y, project, A) if r[1] == "时效指标"]
    assert period == [("产出指标", "时效指标", "宣传时间", "2022年6-12月")]
    assert annual == [("产出指标", "时效指标", "宣传时间", "2022年6-12月"),
                      ("产出指标", "时效指标", "费用支付时间", "2023年2月底前")]
    assert len(indicators(db, Y, project, P)) == 14 and len(indicators(db, Y, project, A)) == 15


def test_yangquan_ambiguous_indicator_groups_are_reported_not_guessed(db):
    """Two groups whose text fits more than one reading (or none): reported in the ingest report, none stored.
    2023首届旅游发展大会 质量指标: “推介会高质量完成率100%” could be a 实施期 row or a third 年度 row. 群众文化系列活动经费
    社会效益指标: both halves print 三级指标 and 指标值 glued (“…增加人民幸福感有效开展”) with nothing telling where to cut."""
    messages = [r[0] for r in _rows(db, Y, "SELECT message FROM ingest_issues WHERE doc_id=? AND message LIKE '%绩效目标表%'")]
    assert len(messages) == 2
    assert any("2023首届旅游发展大会" in m and "质量指标" in m for m in messages)
    assert any("群众文化系列活动经费" in m and "社会效益指标" in m for m in messages)
    assert _rows(db, Y, "SELECT count(*) FROM indicators WHERE doc_id=? AND project_name='2023首届旅游发展大会' AND "
                        "level2='质量指标'") == [(0,)]
    assert _rows(db, Y, "SELECT count(*) FROM indicators WHERE doc_id=? AND project_name='群众文化系列活动经费' AND "
                        "level2='社会效益指标'") == [(0,)]


def test_yangquan_each_project_matches_its_form(db):
    """表12 lists the 13 projects in 万元; each equals its 申报表's 年度资金总额, and the list sums to 项目支出."""
    rows = _rows(db, Y, "SELECT check_id, expected, actual, passed FROM checks WHERE doc_id=? AND check_id LIKE "
                        "'projects:form:%'")
    assert len(rows) == 13 and all(r[3] for r in rows)
    assert sorted(r[1] for r in rows) == sorted(D(a) for _, a in YANGQUAN_FORMS.values())
    assert _rows(db, Y, "SELECT expected, actual, passed FROM checks WHERE doc_id=? AND check_id='projects:sum'") == [
        (D("28512700.00"), D("28512700.00"), True)]
    # 表12 (13 projects, 2,851.27万元) + 表13 (4 carried-over projects, 346.79万元) = 支出总表 项目支出 3,198.06万元
    assert _rows(db, Y, "SELECT expected, actual, passed FROM checks WHERE doc_id=? AND check_id='projects:all_lists'") \
        == [(D("31980600.00"), D("31980600.00"), True)]


# ---------------------------------------------------------------------------------------------- 阳泉 procurement

def test_yangquan_procurement_lines(db):
    rows = _rows(db, Y, "SELECT project, econ_class, item, quantity, amount_yuan FROM procurement WHERE doc_id=? "
                        "ORDER BY rowid")
    assert rows == [
        ("公用经费项目", "30202 印刷费", "印刷服务", "1", D("10000.00")),
        ("专项业务工作经费", "30201 办公费", "复印纸", "1", D("50000.00")),
        ("2023年旅游宣传推广", "30202 印刷费", "印刷服务", "1", D("30000.00")),
        ("全国文化旅游合唱展演项目", "30299 其他商品和服务支出", "娱乐服务", "1", D("400000.00")),
        ("2023首届旅游发展大会", "30299 其他商品和服务支出", "其他服务", "1", D("1500000.00")),
        ("2022年公共文化服务体系建设中央补助资金(文化服务中心配置文化设施)", "30299 其他商品和服务支出", "文化艺术服务", "1",
         D("556000.00")),
        ("2022公共文化服务体系建设中央补助资金(绩效奖励市县部分)", "30299 其他商品和服务支出", "文化艺术服务", "1",
         D("2618000.00")),
    ]
    assert sum(r[4] for r in rows) == D("5164000.00")  # 合计 516.400000万元


def test_yangquan_procurement_checks(db):
    checks = dict((r[0], r[1:]) for r in _rows(db, Y, "SELECT check_id, expected, actual, passed FROM checks WHERE "
                                                      "doc_id=? AND check_id LIKE '%procurement%'"))
    assert checks["procurement:total:0"] == (D("5164000.00"), D("5164000.00"), True)
    # 公用经费 1.00, 其他运转类 198.00, 专项项目 317.40 (万元)
    cats = sorted(v[0] for k, v in checks.items() if k.startswith("procurement:category:"))
    assert cats == [D("10000.00"), D("1980000.00"), D("3174000.00")]
    # the prose: “政府采购预算总额516.4万元 … 货物预算5万元、工程预算 0万元、服务预算511.4万元”
    assert checks["facts:procurement_total::1"] == (D("5164000.00"), D("5164000.00"), True)
    assert checks["facts:procurement_parts"] == (D("5164000.00"), D("5164000.00"), True)


# ---------------------------------------------------------------------------------------------- 阳泉 facts

@pytest.mark.parametrize(("key", "values"), [
    ("revenue_total", [3623.26, 3623.26]),
    ("revenue_change", [574.68]),
    ("revenue_change_pct", [18.85]),
    ("expenditure_total", [3623.26, 3623.26]),
    ("expenditure_change", [574.68]),
    ("basic_total", [425.21]),
    ("project_total", [3198.06]),
    ("gp_current", [3276.48, 3276.48]),
    ("gp_current_change", [227.90]),
    ("gp_current_change_pct", [7.48]),
    ("operating_cost", [47.56]),
    ("operating_cost_prior", [45.96]),
    ("operating_cost_change", [1.6]),
    ("three_public_total", [0.0]),  # “本单位无“三公”经费预算。”
    ("procurement_total", [516.4]),
    ("procurement_goods", [5.0]),
    ("procurement_works", [0.0]),
    ("procurement_services", [511.4]),
    ("performance_projects", [13.0]),
    ("performance_funds", [2851.27]),
])
def test_yangquan_facts(db, key, values):
    assert [r[0] for r in facts(db, Y, key)] == values


def test_yangquan_fact_sentences_units_and_checks(db):
    row = _rows(db, Y, "SELECT unit, code, sentence FROM facts WHERE doc_id=? AND key='operating_cost_prior'")[0]
    assert row[:2] == ("万元", None)
    assert "比2022年的45.96万元增加1.6万元" in row[2]
    assert facts(db, Y, "revenue_change_pct") == [(18.85, "%", None)]
    sentence = _rows(db, Y, "SELECT sentence FROM facts WHERE doc_id=? AND key='gp_current_change'")[0][0]
    assert sentence == "2023年度一般公共预算当年拨款3,276.48万元,比上年增加227.90万元，增加7.48%。"
    # every prose figure that describes a table figure was checked against it, and all agree in this report
    rows = _rows(db, Y, "SELECT check_id, passed FROM checks WHERE doc_id=? AND check_id LIKE 'facts:%'")
    ids = {r[0] for r in rows}
    assert {"facts:revenue_total::1", "facts:basic_total::1", "facts:project_total::1", "facts:operating_cost::1",
            "facts:three_public_total::1", "facts:gp_class_amount:207:2", "facts:performance_funds::1"} <= ids
    assert all(r[1] for r in rows)


# ---------------------------------------------------------------------------------------------- 万里街道 2023 (PDF)

# p.6–9 “财政拨款支出主要内容”: (code, 2023 amount, 2022年当年预算执行数, change % as signed) per numbered item
WANLI23_ITEMS = [
    ("2010506", 2.63, 1.48, 77.70), ("2010507", 60.13, 0.0, 100.00), ("2012902", 45.41, 11.67, 314.82),
    ("2013202", 65.69, 60.51, 8.56), ("2013302", 100.20, 79.90, 25.41), ("2013402", 9.00, 6.75, 33.33),
    ("2013802", 14.62, 4.17, 250.60), ("2040607", 15.00, 15.00, 0.0), ("2049999", 110.23, 84.45, 30.53),
    ("2060702", 10.00, 10.00, 0.0), ("2070308", 20.00, 12.04, 66.11), ("2080206", 21.50, 14.00, 53.57),
    ("2080501", 17.72, 8.61, 105.81), ("2080502", 5.21, 1.79, 191.06), ("2080505", 441.25, 274.85, 60.54),
    ("2080506", 220.63, 132.59, 60.54), ("2080599", 0.31, 0.0, 100.00), ("2080705", 635.10, 667.32, -4.83),
    ("2081602", 4.33, 4.26, 1.64), ("2082501", 30.00, 5.00, 500.00), ("2089999", 1331.27, 692.63, 92.21),
    ("2100717", 20.00, 15.00, 33.33), ("2101101", 144.55, 75.95, 90.32), ("2101102", 145.02, 104.25, 39.11),
    ("2120101", 1837.36, 2695.80, -31.84), ("2120102", 1822.95, 1096.67, 66.23), ("2120104", 690.58, 767.68, -10.04),
    ("2120199", 4992.71, 4953.14, 0.80), ("2120399", 775.00, 1576.05, -50.83), ("2120501", 563.38, 659.24, -14.54),
    ("2129999", 1450.00, 3853.06, -62.37), ("2210201", 352.67, 440.75, -19.98), ("2210203", 325.68, 319.41, 1.96),
    ("2210399", 217.72, 217.54, 0.08),
]


@needs_samples
def test_wanli_2023_item_prior_executed_with_codes(db):
    assert [(r[2], r[0]) for r in facts(db, WANLI23, "item_prior_executed")] == [(c, p) for c, _, p, _ in WANLI23_ITEMS]
    assert [(r[2], r[0]) for r in facts(db, WANLI23, "item_amount")] == [(c, a) for c, a, _, _ in WANLI23_ITEMS]
    # 减少 is negative, 持平 is 0
    assert [(r[2], r[0]) for r in facts(db, WANLI23, "item_change_pct")] == [(c, x) for c, _, _, x in WANLI23_ITEMS]
    sentence = _rows(db, WANLI23, "SELECT sentence, page FROM facts WHERE doc_id=? AND key='item_prior_executed' AND "
                                  "code='2080705'")[0]
    assert sentence[0].startswith("18.“社会保障和就业支出（类）就业补助（款）公益性岗位补贴（项）”635.10万元")
    assert "2022年当年预算执行数为667.32万元" in sentence[0] and sentence[1] == 8


@needs_samples
def test_wanli_2023_item_amounts_checked_against_the_tables(db):
    rows = _rows(db, WANLI23, "SELECT check_id, passed FROM checks WHERE doc_id=? AND check_id LIKE 'facts:item_amount:%'")
    assert len(rows) == 34 and all(r[1] for r in rows)
    # item 16 prints “2023年预算安排441.25万元” (item 15's figure) against 220.63万元 in the tables: a finding
    assert _rows(db, WANLI23, "SELECT expected, actual, passed FROM checks WHERE doc_id=? AND "
                              "check_id='facts:item_budget:2080506:16'") == [(D("2206272.00"), D("4412500.00"), False)]


@needs_samples
def test_wanli_2023_other_facts(db):
    assert [r[0] for r in facts(db, WANLI23, "revenue_total")] == [16497.86]
    assert [r[0] for r in facts(db, WANLI23, "three_public_total")] == [22.91]
    assert [r[0] for r in facts(db, WANLI23, "three_public_change")] == [0.0]  # “比2022年预算持平”
    assert [r[0] for r in facts(db, WANLI23, "operating_cost")] == [786.09]
    assert [r[0] for r in facts(db, WANLI23, "procurement_total")] == [830.0]
    assert [r[0] for r in facts(db, WANLI23, "performance_funds")] == [3328.13]


WANLI23_FORMS = {  # p.31–35: 项目名称, 项目资金总额 = 年度资金申请总额 (元), 页
    "新建万里街道社区公共服务中心": ("4100000.00", 31),
    "就业援助基地补贴": ("6351000.00", 32),
    "社区环境整治和建设经费": ("4563800.00", 33),
    "各类工作经费": ("7595500.00", 34),
    "公共服务设施运行经费": ("10903043.00", 35),
}


@needs_samples
def test_wanli_2023_five_forms(db):
    rows = _rows(db, WANLI23, "SELECT project_name, total_funds_yuan, annual_funds_yuan, page, attribute, period "
                              "FROM project_forms WHERE doc_id=? ORDER BY page")
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [(k, D(v), D(v), p) for k, (v, p) in WANLI23_FORMS.items()]
    assert rows[0][4:] == ("阶段性项目", "2023-01-01至2023-12-31")
    counts = dict(_rows(db, WANLI23, "SELECT project_name, count(*) FROM indicators WHERE doc_id=? AND scope='年度' "
                                     "GROUP BY 1"))
    assert counts == {"新建万里街道社区公共服务中心": 5, "就业援助基地补贴": 4, "社区环境整治和建设经费": 4,
                      "各类工作经费": 43, "公共服务设施运行经费": 9}
    # 年度资金申请总额 10,903,043.00 but 其中：当年财政拨款 11,419,043.00 (p.35): a finding with both numbers
    assert _rows(db, WANLI23, "SELECT expected, actual, passed FROM checks WHERE doc_id=? AND "
                              "check_id='performance_form:funds:4:年度'") == [(D("10903043.00"), D("11419043.00"), False)]


@needs_samples
@pytest.mark.parametrize(("project", "expected"), [
    ("新建万里街道社区公共服务中心", [
        ("产出指标", "数量指标", "规划建筑面积", "≥13459.00(平方米)"),
        ("产出指标", "质量指标", "完工及时率", "及时率"),
        ("产出指标", "成本指标", "预算内经费", "合规"),
        ("效益指标", "社会效益指标", "完善社区基础设施建设", "完善率"),
        ("满意度指标", "服务对象满意度指标", "居民满意度", "满意度"),
    ]),
    ("就业援助基地补贴", [
        ("产出指标", "数量指标", "补贴对象申请审核完成率", "=100.00(%)"),
        ("产出指标", "质量指标", "补贴对象审核达标率", "=100.00(%)"),
        ("效益指标", "社会效益指标", "补贴对象生活改善度", "补贴对象生活改善度不低于80%"),
        ("满意度指标", "服务对象满意度指标", "补贴对象满意度", "≥80.00(%)"),
    ]),
    ("社区环境整治和建设经费", [
        ("产出指标", "数量指标", "整治行动、病媒消杀", "≥12.00(次)"),
        ("产出指标", "质量指标", "项目质量可控性", "可控性100%"),
        ("效益指标", "社会效益指标", "社区居民满意度、幸福感", "不低于50%"),
        ("满意度指标", "服务对象满意度指标", "市容环境满意度", "不低于50%"),
    ]),
    ("公共服务设施运行经费", [
        ("产出指标", "数量指标", "开展活动300场", "=300.00(场)"),
        ("产出指标", "数量指标", "环境卫生及保安服务", "卫生整洁、内部安全有序"),
        ("产出指标", "质量指标", "居民参与率", "居民参与率不低于100%"),
        ("产出指标", "质量指标", "维修处理及时率", "维修响应速度快"),
        ("产出指标", "质量指标", "房屋质量", "房屋完好"),
        ("效益指标", "社会效益指标", "加强工作人员队伍建设", "是"),  # 二级 printed wrapped “社会效益指\n标”
        ("效益指标", "社会效益指标", "安全责任事故", "安全无事故"),
        ("满意度指标", "服务对象满意度指标", "居民满意度", "90%"),
        ("满意度指标", "服务对象满意度指标", "工作人员满意度", "≥95.00(%)"),
    ]),
])
def test_wanli_2023_form_indicators(db, project, expected):
    assert indicators(db, WANLI23, project, A) == expected
    assert indicators(db, WANLI23, project, P) == []  # the 填报表 has one indicator scope


@needs_samples
def test_wanli_2023_wrapped_indicator_is_rejoined(db):
    rows = indicators(db, WANLI23, "各类工作经费", A)
    assert ("效益指标", "社会效益指标", "全面提升社区党员党性修养，提升书记综合素质，牢固树立全心全意为民服务意识", "有效") in rows
    assert rows[0] == ("产出指标", "数量指标", "成立社戒社康人员习得规范小组", ">6.00(次)")
    assert rows[-1] == ("满意度指标", "服务对象满意度指标", "党员群众满意度", "党员群众满意度不少于80%")


# ---------------------------------------------------------------------------------------------- one parser, two routes

@needs_samples
def test_text_and_pdf_forms_go_through_the_same_parser():
    """Both routes reach the one 绩效目标表 parser: the text report's forms are text lines, the PDF's ruled cells, and
    every form table of each becomes one project form (the session's parses, tests/fixtures/parsed.py)."""
    text, pdf = parsed(YANGQUAN), parsed(sample(WANLI23))

    def routes(report) -> list[bool]:  # per form table: ruled cells (PDF) or text lines?
        return [bool(raw.rows) and raw.rows[0].aligned for kind, raw in report.raw_tables if kind == "performance_form"]

    assert routes(text) == [False] * 13  # text lines: the two-half text reading
    assert routes(pdf) == [True] * 5  # ruled cells: the grid reading
    assert len(text.rows["project_forms"]) == 13 and len(pdf.rows["project_forms"]) == 5
    assert {r["scope"] for r in text.rows["indicators"]} == {P, A}
    assert {r["scope"] for r in pdf.rows["indicators"]} == {A}


# ---------------------------------------------------------------------------------------------- goal split (unit)

def test_goal_blocks_split_by_column_width():
    wide = "通过合唱展演，展示我市文明形象，提升我市文化品味，切实增强人民群众获得感、幸福"  # 78 units: a wrapped left line
    tail = "感，为建设富有特色和魅力的文化旅游强市做出贡献。"  # 48 units: could start the right block by width alone
    right = ["通过合唱展演，展示我市文明形象，提升我市文化品", "味，切实增强人民群众获得感、幸福感，为建设富有特", "色和魅力的文化旅游强市做出贡献。"]
    form = _Form(fields={"project_name": "x"})
    _text_goals(None, [wide, tail, *right], form, None)
    assert form.fields["goal_period"] == wide + tail  # the reading whose 实施期 text ends a sentence
    assert form.fields["goal_annual"] == "".join(right)
    assert form.issues == []


def test_goal_blocks_that_fit_no_reading_are_reported():
    form = _Form(fields={"project_name": "x"})
    _text_goals(None, ["短", "也短", "还是短的一行"], form, None)  # three short lines: no width tells the blocks apart
    assert "goal_period" not in form.fields and "goal_annual" not in form.fields
    assert len(form.issues) == 1 and "总体目标" in form.issues[0].message
