"""A small, clearly synthetic budget database for figure and unit tests.

The numbers are invented (round 万元 amounts that add up), the unit names say 合成数据, and nothing here is meant to
resemble a real report: tests that need real figures use the 阳泉 database built by the ETL (see conftest.py).
Amounts are written in 元, as the ETL does. Run as a script to write a file: python -m tests.synthetic_db PATH
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from etl.read.names import fill_keys
from etl.store.schema import ensure_schema

UNIT = "测试单位（合成数据）"
EMPTY_UNIT = "空白单位（合成数据）"
DOC = "synthetic-2023"
PRIOR_DOC = "synthetic-2022"
EMPTY_DOC = "synthetic-empty-2023"
TITLE = "测试单位（合成数据）2023年单位预算公开报告"

W = 10000  # 元 per 万元

# code, name, level, total, basic, project  (万元) — expenditure (all funds)
EXPENDITURE = [
    (None, "合计", 0, 1200, 300, 900),
    ("201", "一般公共服务支出", 1, 100, 100, None),
    ("20101", "人大事务", 2, 100, 100, None),
    ("2010101", "行政运行", 3, 100, 100, None),
    ("207", "文化旅游体育与传媒支出", 1, 1050, 150, 900),
    ("20701", "文化和旅游", 2, 1040, 150, 890),
    ("2070101", "行政运行", 3, 150, 150, None),
    ("2070107", "艺术表演团体", 3, 600, None, 600),
    ("2070113", "旅游宣传", 3, 290, None, 290),
    ("20702", "文物", 2, 10, None, 10),
    ("2070204", "文物保护", 3, 10, None, 10),
    ("221", "住房保障支出", 1, 50, 50, None),
    ("22102", "住房改革支出", 2, 50, 50, None),
    ("2210201", "住房公积金", 3, 50, 50, None),
]
# 一般公共预算 only (no carryover, no 单位资金)
GP_EXPENDITURE = [
    (None, "合计", 0, 900, 300, 600),
    ("201", "一般公共服务支出", 1, 100, 100, None),
    ("20101", "人大事务", 2, 100, 100, None),
    ("2010101", "行政运行", 3, 100, 100, None),
    ("207", "文化旅游体育与传媒支出", 1, 750, 150, 600),
    ("20701", "文化和旅游", 2, 740, 150, 590),
    ("2070101", "行政运行", 3, 150, 150, None),
    ("2070107", "艺术表演团体", 3, 400, None, 400),
    ("2070113", "旅游宣传", 3, 190, None, 190),
    ("20702", "文物", 2, 10, None, 10),
    ("2070204", "文物保护", 3, 10, None, 10),
    ("221", "住房保障支出", 1, 50, 50, None),
    ("22102", "住房改革支出", 2, 50, 50, None),
    ("2210201", "住房公积金", 3, 50, 50, None),
]
# econ_name, is_group, personnel, public (万元)
ECON = [
    ("合计", True, 260, 40),
    ("工资福利支出", True, 250, None),
    ("基本工资", False, 150, None),
    ("津贴补贴", False, 60, None),
    ("住房公积金", False, 40, None),
    ("商品和服务支出", True, None, 40),
    ("办公费", False, None, 30),
    ("水费", False, None, 0.5),
    ("差旅费", False, None, 9.5),
    ("对个人和家庭的补助", True, 10, None),
    ("退休费", False, 10, None),
]
# name, carryover, total, general_budget, unit_funds (万元)
PROJECTS = [
    ("合成剧团保障经费", False, 400, 400, None),
    ("合成旅游宣传推广", False, 190, 190, None),
    ("合成文物修缮（一期）", False, 10, 10, None),
    ("合成自筹文化活动", False, 100, None, 100),
    ("合成结转艺术项目", True, 200, 200, None),
]


def _y(wan: float | None) -> float | None:
    return None if wan is None else round(wan * W, 2)


def _documents(con: duckdb.DuckDBPyConnection) -> None:
    con.executemany(
        "INSERT INTO documents (doc_id, unit_name, fiscal_year, doc_type, title, source_file, sha256, page_count,"
        " source_kind) VALUES (?, ?, ?, '单位预算', ?, ?, ?, NULL, 'text')",
        [
            (DOC, UNIT, 2023, TITLE, "synthetic-2023.txt", "0" * 64),
            (PRIOR_DOC, UNIT, 2022, "测试单位（合成数据）2022年单位预算公开报告", "synthetic-2022.txt", "1" * 64),
            (EMPTY_DOC, EMPTY_UNIT, 2023, "空白单位（合成数据）2023年单位预算公开报告", "empty.txt", "2" * 64),
        ],
    )


def _report_tables(con: duckdb.DuckDBPyConnection) -> None:
    rows = [
        (DOC, 1, "summary", "1", "2023年预算收支总表", 4, 4, True),
        (DOC, 2, "revenue", "2", "2023年预算收入总表", 5, 5, True),
        (DOC, 3, "expenditure", "3", "2023年预算支出总表", 6, 6, True),
        (DOC, 5, "gp_expenditure", "5", "2023年一般公共预算支出预算表", 8, 8, True),
        (DOC, 6, "gp_basic_econ", "6", "2023年一般公共预算基本支出经济科目表", 9, 9, True),
        (DOC, 10, "three_public", "10", "2023年一般公共预算“三公”经费支出预算表", 12, 12, False),
        (DOC, 11, "operating_cost", "11", "2023年机关运行经费预算财政拨款情况统计表", 12, 12, True),
        (DOC, 12, "projects", "12", "2023年项目支出预算表（本年预算）", 13, 13, True),
        (DOC, 13, "projects_carryover", "13", "2023年项目支出预算表（上年结转）", 14, 14, True),
        (DOC, 14, "procurement", None, "政府采购预算明细表", 30, 30, True),
        (PRIOR_DOC, 1, "summary", "1", "2022年预算收支总表", 4, 4, True),
        (EMPTY_DOC, 1, "summary", "1", "2023年预算收支总表", 3, 3, True),
        (EMPTY_DOC, 12, "projects", "12", "2023年项目支出预算表（本年预算）", 9, 9, False),
        (EMPTY_DOC, 6, "gp_basic_econ", "6", "2023年一般公共预算基本支出经济科目表", 6, 6, False),
    ]
    con.executemany(
        "INSERT INTO report_tables (doc_id, seq, table_kind, table_no, title, unit_printed, page_from, page_to,"
        " has_data) VALUES (?, ?, ?, ?, ?, '万元', ?, ?, ?)",
        rows,
    )


def _summary(con: duckdb.DuckDBPyConnection) -> None:
    def lines(doc: str, rev_total: float, current: float, carry: float) -> list[tuple]:
        out = [
            (doc, "summary", "收入", "一般公共预算", "total", "2023年", _y(current - 100), 4, 1),
            (doc, "summary", "收入", "单位资金", "total", "2023年", _y(100), 4, 5),
            (doc, "summary", "收入", "本年收入合计", "total", "2023年", _y(current), 4, 30),
            (doc, "summary", "收入", "上年结转", "total", "2023年", _y(carry), 4, 31),
            (doc, "summary", "收入", "收入总计", "total", "2023年", _y(rev_total), 4, 32),
            (doc, "summary", "支出", "本年支出合计", "total", "2023年合计", _y(rev_total), 4, 30),
            (doc, "summary", "支出", "支出总计", "total", "2023年合计", _y(rev_total), 4, 32),
        ]
        return out

    rows = lines(DOC, 1200, 1000, 200) + lines(PRIOR_DOC, 1100, 1100, 0) + lines(EMPTY_DOC, 80, 80, 0)
    con.executemany("INSERT INTO summary_lines VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _func(con: duckdb.DuckDBPyConnection) -> None:
    rows = []
    for kind, data, page in (("expenditure", EXPENDITURE, 6), ("gp_expenditure", GP_EXPENDITURE, 8)):
        for row_no, (code, name, level, total, basic, project) in enumerate(data, start=1):
            for measure, label, value in (("total", "合计", total), ("basic", "基本支出", basic),
                                          ("project", "项目支出", project)):
                if value is not None:
                    rows.append((DOC, kind, code, name, level, measure, label, _y(value), page, row_no))
    rows += [
        (DOC, "revenue", None, "合计", 0, "total", "合计", _y(1000), 5, 1),
        (DOC, "revenue", None, "合计", 0, "general_budget", "一般公共预算", _y(900), 5, 1),
        (DOC, "revenue", None, "合计", 0, "unit_funds", "单位资金", _y(100), 5, 1),
        (DOC, "revenue", None, "合计", 0, "carryover", "上年结转", _y(200), 5, 1),
        (EMPTY_DOC, "expenditure", None, "合计", 0, "total", "合计", _y(80), 4, 1),
        (EMPTY_DOC, "expenditure", None, "合计", 0, "basic", "基本支出", _y(80), 4, 1),
    ]
    con.executemany("INSERT INTO func_lines VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _econ(con: duckdb.DuckDBPyConnection) -> None:
    rows = []
    for row_no, (name, is_group, personnel, public) in enumerate(ECON, start=1):
        total = (personnel or 0) + (public or 0)
        for measure, label, value in (("total", "合计", total), ("personnel", "人员经费", personnel),
                                      ("public", "公用经费", public)):
            if value is not None:
                rows.append((DOC, None, name, None, is_group, measure, label, _y(value), 9, row_no))
    con.executemany("INSERT INTO econ_lines VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _projects(con: duckdb.DuckDBPyConnection) -> None:
    rows = []
    for row_no, (name, carry, total, gp, unit_funds) in enumerate(PROJECTS, start=1):
        kind = "projects_carryover" if carry else "projects"
        rows.append((DOC, kind, name, carry, _y(total), _y(gp), None, None, None, _y(unit_funds),
                     14 if carry else 13, row_no))
    con.executemany("INSERT INTO projects (doc_id, table_kind, name, carryover, total_yuan, general_budget_yuan, gov_fund_yuan, "
                    "soe_capital_yuan, special_account_yuan, unit_funds_yuan, page, row_no) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.executemany(
        "INSERT INTO project_forms (doc_id, project_name, department, implementer, attribute, period, "
        "total_funds_yuan, annual_funds_yuan, overview, basis, necessity, safeguards, plan, goal_period, goal_annual, "
        "page) VALUES (?, ?, '000-测试主管部门（合成）', '测试单位（合成数据）', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (DOC, "合成剧团保障经费", "经常性项目（长期开展）", "3年", _y(1200), _y(400),
             "合成概况：保障 *三个* 合成剧团运转 #1。", "合成立项依据。", "合成必要性。", "合成保障措施。",
             "合成实施计划：按月拨付。", "实施期内保障剧团运转。", "2023年保障剧团运转。", 20),
            (DOC, "合成旅游宣传推广", "一次性项目（1年结束）", "1年", _y(190), _y(190),
             "合成概况：开展旅游宣传推广活动。", "合成依据。", None, None, None, None, "完成宣传推广。", 22),
        ],
    )
    funds = []
    for scope, amount in (("实施期", 1200), ("年度", 400)):
        for source, value in (("中央财政资金", 0), ("省级财政资金", 0), ("市县（区）财政资金", amount),
                              ("单位自筹", 0)):
            funds.append((DOC, "合成剧团保障经费", scope, source, _y(value)))
    con.executemany("INSERT INTO project_funds (doc_id, project_name, scope, source, amount_yuan) VALUES (?, ?, ?, ?, ?)", funds)
    ind = []
    for scope in ("实施期", "年度"):
        for row_no, (l1, l2, l3, target) in enumerate([
            ("产出指标", "数量指标", "合成演出场次", "≥40场"),
            ("产出指标", "质量指标", "合成演出合格率", "100%"),
            ("产出指标", "时效指标", "合成完成时间", "2023年底"),
            ("效益指标", "社会效益指标", "合成群众获得感", "有效提升"),
            ("满意度指标", "服务对象满意度指标", "合成观众满意度", "≥95%"),
        ], start=1):
            ind.append((DOC, "合成剧团保障经费", scope, l1, l2, l3, target, row_no))
    con.executemany("INSERT INTO indicators (doc_id, project_name, scope, level1, level2, level3, target, row_no) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ind)
    con.executemany(
        "INSERT INTO procurement (doc_id, project, econ_class, item, quantity, amount_yuan, page) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (DOC, "合成旅游宣传推广", "30202 印刷费", "合成宣传册印刷", "1批", _y(5), 30),
            (DOC, "合成旅游宣传推广", "30227 委托业务费", "合成广告服务", "1项", _y(100), 30),
        ],
    )


def _facts_checks(con: duckdb.DuckDBPyConnection) -> None:
    con.executemany(
        "INSERT INTO facts (doc_id, key, value, unit, sentence, code, page) VALUES (?, ?, ?, ?, ?, NULL, 15)",
        [
            (DOC, "revenue_total", 1200.0, "万元", "2023年度预算收入总计1,200.00万元（合成）。"),
            (DOC, "revenue_change", 100.0, "万元", "比上年增加100.00万元（合成）。"),
            (DOC, "revenue_change_pct", 9.09, "%", "增加9.09%（合成）。"),
        ],
    )
    con.executemany(
        "INSERT INTO checks (doc_id, check_id, description, expected, actual, passed, table_kind, page) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (DOC, "func_parent_sum", "支出总表：各类等于其下各款之和", _y(1200), _y(1200), True, "expenditure", 6),
            (DOC, "basic_plus_project", "支出总表：合计=基本支出+项目支出", _y(1200), _y(1200), True, "expenditure",
             6),
            (DOC, "summary_vs_revenue", "收支总表收入合计等于收入总表合计", _y(1000), _y(1000), True, "summary", 4),
            (DOC, "projects_sum", "项目支出表合计等于本年项目支出（合成的错误）", _y(700), _y(690), False,
             "projects", 13),
        ],
    )
    con.execute(
        "INSERT INTO ingest_issues VALUES (?, 'warning', 'procurement', 30, '合成警告：采购表有一行无法识别')",
        [DOC],
    )
    con.execute("INSERT INTO three_public VALUES (?, 'operating_cost', '机关运行经费', 'total', '合计', ?, 12)",
                [DOC, _y(40)])


def build(path: str | Path) -> Path:
    """Write the synthetic database to path (replacing it) and return the path."""
    path = Path(path)
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        ensure_schema(con)
        _documents(con)
        _report_tables(con)
        _summary(con)
        _func(con)
        _econ(con)
        _projects(con)
        _facts_checks(con)
        fill_keys(con)  # the name keys the ETL writes at ingest
    finally:
        con.close()
    return path


if __name__ == "__main__":
    print(build(sys.argv[1] if len(sys.argv) > 1 else "/tmp/synthetic.duckdb"))
