"""The synthetic database (tests/synthetic_db.py) with a 公开情况检查表's worth of findings in its 2023 report: parts
printed and not, a 目录 entry the body lacks, findings about words (quoted) in several parts, a difference of 0.34元,
one misprint failing two checks, and a finding about the whole report — everything the 数据核对 page and the
briefing group, built by hand so each expectation is visible here."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb

from tests import synthetic_db as syn

DOC = syn.DOC

# section, title, page_from, page_to (no 名词解释: the 目录 lists it, the body lacks it)
SECTIONS = [
    ("cover", "测试单位（合成数据）2023年单位预算", 1, 1),
    ("contents", "目录", 2, 2),
    ("duties", "一、主要职能", 3, 3),
    ("organisation", "二、机构设置", 3, 3),
    ("explanation", "第二部分 2023年单位预算编制说明", 4, 5),
    ("table", "2023年预算收支总表", 6, 6),
    ("table", "2023年项目支出预算表（本年预算）", 13, 13),
    ("other", "其他相关情况说明", 15, 15),
    ("projects_text", "项目经费情况说明", 16, 16),
]
CONTENTS = [
    ("第一部分 单位概况", 3, None, True),
    ("三、名词解释", 3, "glossary", False),
    ("第二部分 2023年单位预算编制说明", 4, "explanation", True),
]
# check_id, rule, description, expected, actual, passed, table_kind, page, section, quote
CHECKS = [
    ("w:cover", "structure.family_word", "第1页称本报告为“部门预算”，本报告为单位预算", None, None, False, None, 1,
     "cover", "2023年部门预算"),
    ("w:alt", "prose.alternatives", "说明文字第4页“增加（减少）”保留了模板的两种写法，未删去其一", None, None, False,
     None, 4, "explanation", "增加（减少）12.5%"),
    ("w:alt2", "prose.alternatives", "说明文字第5页“增加（减少）”保留了模板的两种写法，未删去其一", None, None, False,
     None, 5, "explanation", "增加（减少）12.5%"),
    ("p:small", "prose.vs_tables", "说明文字第4页“支出总计”等于收支总表", Decimal("94995800.34"),
     Decimal("94995800.00"), False, "summary", 4, "explanation", None),
    ("p:ok", "prose.vs_tables", "说明文字第4页“收入总计”等于收支总表", Decimal("12000000"), Decimal("12000000"), True,
     "summary", 4, "explanation", None),
    ("t:same", "gp_expenditure.row_basic_project", "一般公共预算支出表：合计 合计 = 基本支出+项目支出",
     Decimal("6900000"), Decimal("7000000"), False, "gp_expenditure", 8, "table", None),
    ("o:ok", "prose.empty_reason", "说明文字第15页“三公经费”写明了原因", None, None, True, None, 15, "other", None),
    ("r:placeholder", "report.placeholders", "第16页不应有模板占位符“XX”", None, None, False, None, 16, None,
     "XX项目"),
]
# besides these, syn's own failing check (项目支出表合计 700万元 vs 690万元, section NULL, table_kind projects) counts:
# it shares its 10万元 difference with t:same, so the two are one finding under 报表
FAILED = 1 + sum(1 for c in CHECKS if c[5] is False)
FINDINGS = 6  # cover, contents (the 目录's missing entry), explanation ×2 (the two 增加（减少） are one), table, report


def build(path: str | Path) -> Path:
    path = syn.build(path)
    con = duckdb.connect(str(path))
    try:
        con.executemany("INSERT INTO report_sections VALUES (?, ?, ?, ?, ?, ?)",
                        [(DOC, i, *row) for i, row in enumerate(SECTIONS, 1)])
        con.executemany("INSERT INTO contents_entries VALUES (?, ?, ?, ?, ?, ?)",
                        [(DOC, i, *row) for i, row in enumerate(CONTENTS, 1)])
        con.executemany(
            "INSERT INTO checks (doc_id, check_id, rule, description, expected, actual, passed, table_kind, page, "
            "section, quote) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [(DOC, *row) for row in CHECKS])
    finally:
        con.close()
    return path
