"""The one registry of table kinds: what each table of a budget (预算) or final-accounts (决算) report is.

A kind is one record here — its key (the contract's `table_kind`), its report family, the words of its title, the
one Chinese label every user-facing text uses, its parser, the contract table its rows go to, and whether a
standard report must print it. classify, the pipeline, the rules, the dashboard's labels and the SQL that names a
kind all read this module; it imports nothing of the ETL, so anything may import it.

Order matters for recognition only: a title is matched against the kinds in the order listed (specific before
general — “三公” before 一般公共预算…支出, 项目支出…上年结转 before 项目支出), each kind's title patterns in turn.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

BUDGET = "预算"
FINAL = "决算"
BOTH = (BUDGET, FINAL)


@dataclass(frozen=True)
class Kind:
    key: str                                  # contract table_kind
    label: str                                # the one Chinese name shown to a user
    titles: tuple[tuple[str, ...], ...]       # a title whose words include all of one tuple is this kind
    families: tuple[str, ...] = (BUDGET,)     # report families that print it (预算 / 决算)
    parser: str | None = None                 # "module:function", imported on first use
    target: str | None = None                 # contract table its rows are written to
    required: bool = False                    # a standard report of its families must print it
    core: bool = False                        # finding it is what makes a file a report of its family
    subject: tuple[str, ...] = ()             # words a 本表无数据 note about this table names (政府性基金 …)

    def load_parser(self) -> Callable[..., Any] | None:
        if self.parser is None:
            return None
        module, _, name = self.parser.partition(":")
        return getattr(importlib.import_module(module), name)


def _k(*words: str) -> tuple[str, ...]:
    return words


KINDS: tuple[Kind, ...] = (
    Kind("performance_form", "项目支出绩效目标申报表", (_k("绩效目标"),), BOTH,
         "etl.tables.parsers.forms:parse_form", "project_forms"),
    Kind("procurement", "政府采购预算明细表", (_k("政府采购"),), BOTH,
         "etl.tables.parsers.procurement:parse_procurement", "procurement"),
    Kind("three_public", "“三公”经费支出表", (_k("三公"),), BOTH,
         "etl.tables.parsers.three_public:parse_three_public", "three_public", required=True, subject=("三公",)),
    Kind("operating_cost", "机关运行经费表", (_k("机关运行经费"),), BOTH,
         "etl.tables.parsers.three_public:parse_three_public", "three_public", subject=("机关运行经费",)),
    Kind("projects_carryover", "项目支出表（上年结转）", (_k("项目支出", "上年结转"),), (BUDGET,),
         "etl.tables.parsers.projects:parse_projects", "projects"),
    Kind("projects", "项目支出表（本年）", (_k("项目支出", "预算表"),), (BUDGET,),
         "etl.tables.parsers.projects:parse_projects", "projects"),
    Kind("soe_capital", "国有资本经营预算支出表", (_k("国有资本经营"),), BOTH,
         "etl.tables.parsers.func:parse_func", "func_lines", subject=("国有资本经营",)),
    Kind("gov_fund_revenue", "政府性基金预算收入表", (_k("政府性基金", "收入"),), (BUDGET,),
         "etl.tables.parsers.func:parse_func", "func_lines", subject=("政府性基金",)),
    Kind("gov_fund_expenditure", "政府性基金预算支出表", (_k("政府性基金"),), BOTH,
         "etl.tables.parsers.func:parse_func", "func_lines", subject=("政府性基金",)),
    # 中央/many provinces title it 一般公共预算基本支出表 (by 经济分类)
    Kind("gp_basic_econ", "一般公共预算基本支出经济分类表",
         (_k("经济分类"), _k("经济科目"), _k("一般公共预算", "基本支出")), BOTH,
         "etl.tables.parsers.econ:parse_econ", "econ_lines", required=True, core=True),
    Kind("fiscal_summary", "财政拨款收支总表", (_k("财政拨款收支"), _k("财政拨款收入支出")), BOTH,
         "etl.tables.parsers.summary:parse_summary", "summary_lines", required=True, core=True),
    Kind("gp_expenditure", "一般公共预算支出表", (_k("一般公共预算", "支出"),), BOTH,
         "etl.tables.parsers.func:parse_func", "func_lines", required=True, core=True),
    # 部门/单位收支预算表: templates that keep 总 for the 收支 table only. Only with 部门/单位 in the title, so a
    # 财政拨款支出预算表 or other part-table is reported as unrecognised rather than taken for the whole
    Kind("summary", "收支总表", (_k("收支", "总表"), _k("部门", "收支", "预算表"), _k("单位", "收支", "预算表")), (BUDGET,),
         "etl.tables.parsers.summary:parse_summary", "summary_lines", required=True, core=True),
    # 决算: the 收支 table is its own kind (决算数 with 年初/年末结转和结余, 结余分配); before 收入/支出, whose words
    # 收入支出决算总表 also holds
    Kind("final_summary", "收入支出决算总表", (_k("收入支出", "决算"), _k("收支", "决算")), (FINAL,),
         "etl.tables.parsers.summary:parse_summary", "summary_lines", required=True, core=True),
    Kind("revenue", "收入总表", (_k("收入", "总表"), _k("部门", "收入", "预算表"), _k("单位", "收入", "预算表"),
                               _k("收入", "决算")), BOTH,
         "etl.tables.parsers.func:parse_func", "func_lines", required=True, core=True),
    Kind("expenditure", "支出总表", (_k("支出", "总表"), _k("部门", "支出", "预算表"), _k("单位", "支出", "预算表"),
                                   _k("支出", "决算")), BOTH,
         "etl.tables.parsers.func:parse_func", "func_lines", required=True, core=True),
)

UNRECOGNISED = "unrecognised"
UNRECOGNISED_LABEL = "未识别的表"

BY_KEY: dict[str, Kind] = {k.key: k for k in KINDS}

# Contract measure vocabulary → its Chinese column name (rules' descriptions and the dashboard share it).
MEASURE_LABELS: dict[str, str] = {
    "total": "合计",
    "basic": "基本支出",
    "project": "项目支出",
    "general_budget": "一般公共预算",
    "gov_fund": "政府性基金",
    "soe_capital": "国有资本经营预算",
    "special_account": "财政专户管理资金",
    "unit_funds": "单位资金",
    "carryover": "上年结转",
    "current_year": "当年预算安排",
    "fiscal_appropriation": "财政拨款收入",
    "business_income": "事业收入",
    "operating_income": "事业单位经营收入",
    "other_income": "其他收入",
    "personnel": "人员经费",
    "public": "公用经费",
}


def family_of_title(title: str) -> str:
    """A table title naming 决算 belongs to a final account: it is matched only against 决算 kinds, so a
    收入支出决算总表 is never taken for a 预算's 收入总表 (nor a 政府性基金…收入支出决算表 for its 收入表)."""
    return FINAL if FINAL in title else BUDGET


def label(key: str | None) -> str:
    """The Chinese name of a kind; an unknown key is said to be unknown, never shown as the key itself."""
    if key == UNRECOGNISED:
        return UNRECOGNISED_LABEL
    kind = BY_KEY.get(key or "")
    return kind.label if kind else "未知表"


def measure_label(measure: str | None, printed: str | None = None) -> str:
    """A measure's Chinese name; a measure outside the vocabulary shows the column as printed."""
    return MEASURE_LABELS.get(measure or "") or printed or "金额"


def keys(*, target: str | None = None, family: str | None = None) -> tuple[str, ...]:
    """Kind keys in registry order, optionally only those writing to one contract table or printed in one family."""
    return tuple(k.key for k in KINDS if (target is None or k.target == target)
                 and (family is None or family in k.families))


def required(family: str) -> tuple[str, ...]:
    return tuple(k.key for k in KINDS if k.required and family in k.families)


def core(family: str | None = None) -> frozenset[str]:
    return frozenset(k.key for k in KINDS if k.core and (family is None or family in k.families))


def family_of(doc_type: str | None) -> str:
    """A 部门决算/单位决算 is a final account; anything else (预算 or unknown) is read as a budget."""
    return FINAL if doc_type and FINAL in doc_type else BUDGET
