"""The report's own arithmetic (勾稽关系), verified at ingest. A failed check is a finding about the report.

Every check compares two amounts in 元; the tolerance is the print's rounding (0.01 of the printed unit per
summed cell), so a 万元 table that rounds each cell still passes when it truly adds up.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from .amounts import rounding_tolerance

if TYPE_CHECKING:
    from .pipeline import ParsedReport

D0 = Decimal(0)
FUNC_KINDS = ("revenue", "expenditure", "gp_expenditure", "gov_fund_revenue", "gov_fund_expenditure", "soe_capital")
_KIND_CN = {
    "revenue": "收入总表", "expenditure": "支出总表", "gp_expenditure": "一般公共预算支出表",
    "gov_fund_revenue": "政府性基金收入表", "gov_fund_expenditure": "政府性基金支出表", "soe_capital": "国有资本经营预算表",
    "summary": "收支总表", "fiscal_summary": "财政拨款收支总表", "gp_basic_econ": "基本支出经济分类表",
    "projects": "项目支出表", "projects_carryover": "项目支出表（上年结转）",
}
_MEASURE_CN = {"total": "合计", "basic": "基本支出", "project": "项目支出", "personnel": "人员经费", "public": "公用经费",
               "general_budget": "一般公共预算", "carryover": "上年结转", "current_year": "当年预算安排"}


class _Checks:
    def __init__(self, report: ParsedReport):
        self.out: list[dict] = []
        self.units = {t["table_kind"]: (t["unit_printed"] or "元") for t in report.tables}
        self.titles = {t["table_kind"]: t["title"] for t in report.tables}
        self.pages = {t["table_kind"]: t["page_from"] for t in report.tables}

    def add(self, check_id: str, description: str, expected: Decimal, actual: Decimal, kind: str, cells: int,
            page: int | None = None, unit_kind: str | None = None) -> None:
        tol = rounding_tolerance(self.units.get(unit_kind or kind, "元"), cells)
        self.out.append({
            "check_id": check_id, "description": description, "expected": expected, "actual": actual,
            "passed": abs(expected - actual) <= tol, "table_kind": kind,
            "page": page if page is not None else self.pages.get(kind),
        })


def _func_tree(c: _Checks, lines: list[dict]) -> None:
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for r in lines:
        by_kind[r["table_kind"]].append(r)
    for kind, rows in by_kind.items():
        cell: dict[tuple[str | None, str], dict] = {}
        for r in rows:
            cell[(r["code"], r["measure"])] = r
        codes = {r["code"] for r in rows if r["code"]}
        measures = {r["measure"] for r in rows}
        parents = [None] + sorted(x for x in codes if len(x) < 7)
        for parent in parents:
            kids = sorted(x for x in codes if (len(x) == 3 if parent is None else
                                               (len(x) == len(parent) + 2 and x.startswith(parent))))
            if not kids:
                continue
            for m in sorted(measures, key=str):
                p = cell.get((parent, m))
                kid_cells = [cell[(k, m)] for k in kids if (k, m) in cell]
                if p is None and not kid_cells:
                    continue
                expected = p["amount_yuan"] if p else D0
                actual = sum((k["amount_yuan"] for k in kid_cells), D0)
                label = "合计" if parent is None else f"{parent} {p['name'] if p else ''}".strip()
                c.add(f"{kind}:tree:{parent or 'total'}:{m}",
                      f"{_KIND_CN.get(kind, kind)}：{label}（{_MEASURE_CN.get(m, m)}）等于下级科目之和",
                      expected, actual, kind, max(len(kid_cells), 1), p["page"] if p else None)


def _row_identity(c: _Checks, lines: list[dict], key: str, parts: tuple[str, ...], label: str) -> None:
    """Per row: 合计 = the sum of its parts (基本+项目, 人员+公用)."""
    rows: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for r in lines:
        rows[(r.get("table_kind", "gp_basic_econ"), r[key], r.get("name", r.get("econ_name")), r["row_no"])][r["measure"]] = r
    for (kind, code, name, _), cells in rows.items():
        if "total" not in cells or not any(p in cells for p in parts):
            continue
        expected = cells["total"]["amount_yuan"]
        actual = sum((cells[p]["amount_yuan"] for p in parts if p in cells), D0)
        c.add(f"{kind}:row:{code or name}", f"{_KIND_CN.get(kind, kind)}：{code or ''} {name} 合计 = {label}".replace("  ", " "),
              expected, actual, kind, len(parts), cells["total"]["page"])


def _pick(rows: list[dict], side: str, pattern: str, measure: str = "total") -> dict | None:
    for r in rows:
        if r["side"] == side and r["measure"] == measure and re.search(pattern, r["item"]):
            return r
    return None


def _func_cell(lines: list[dict], kind: str, code: str | None, measure: str) -> dict | None:
    for r in lines:
        if r["table_kind"] == kind and r["code"] == code and r["measure"] == measure:
            return r
    return None


def _cross_tables(c: _Checks, report: ParsedReport) -> None:
    func = report.rows.get("func_lines", [])
    summary = [r for r in report.rows.get("summary_lines", []) if r["table_kind"] == "summary"]
    fiscal = [r for r in report.rows.get("summary_lines", []) if r["table_kind"] == "fiscal_summary"]
    # 收支总表 totals ↔ 收入总表 / 支出总表 totals
    for side, kind, pattern in (("收入", "revenue", r"^本年收入合计$|^收入合计$"), ("支出", "expenditure", r"^本年支出合计$|^支出合计$")):
        s = _pick(summary, side, pattern) or _pick(summary, side, r"总计$")
        t = _func_cell(func, kind, None, "total")
        if s and t:
            expected = s["amount_yuan"]
            actual = t["amount_yuan"]
            if s["item"].endswith("总计"):
                carry = _func_cell(func, kind, None, "carryover")
                actual += carry["amount_yuan"] if carry else D0
            c.add(f"summary:{kind}_total", f"收支总表“{s['item']}”等于{_KIND_CN[kind]}合计", expected, actual, "summary", 2)
    # 收支总表 支出 by 类 ↔ 支出总表 类 rows (matched by name)
    exp_by_name = {r["name"]: r for r in func if r["table_kind"] == "expenditure" and r["level"] == 1 and r["measure"] == "total"}
    for r in summary:
        if r["side"] == "支出" and r["measure"] == "total" and r["item"] in exp_by_name:
            e = exp_by_name[r["item"]]
            c.add(f"summary:class:{e['code']}", f"收支总表“{r['item']}”等于支出总表 {e['code']} 合计",
                  r["amount_yuan"], e["amount_yuan"], "summary", 2, r["page"])
    # 一般公共预算支出表 ↔ 财政拨款收支总表 一般公共预算 column
    gp_total = _func_cell(func, "gp_expenditure", None, "total")
    gp_title = c.titles.get("gp_expenditure", "")
    fs_total = _pick(fiscal, "支出", r"支出合计$|^支出总计$", "general_budget")
    if gp_total and fs_total:
        expected = fs_total["amount_yuan"]
        note = ""
        if "不含上年结转" in gp_title:
            carry = [r for r in fiscal if r["side"] == "收入" and r["item"].startswith("一般公共预算")]
            # the second 一般公共预算 line on the 收入 side is the 上年结转 part
            if len(carry) > 1:
                expected -= carry[-1]["amount_yuan"]
                note = "（扣除上年结转）"
        c.add("fiscal_summary:gp_total", f"一般公共预算支出表合计等于财政拨款收支总表一般公共预算支出{note}",
              expected, gp_total["amount_yuan"], "gp_expenditure", 2)
    if "不含上年结转" not in gp_title:
        gp_by_name = {r["name"]: r for r in func if r["table_kind"] == "gp_expenditure" and r["level"] == 1 and r["measure"] == "total"}
        for r in fiscal:
            if r["side"] == "支出" and r["measure"] == "general_budget" and r["item"] in gp_by_name:
                g = gp_by_name[r["item"]]
                c.add(f"fiscal_summary:class:{g['code']}", f"财政拨款收支总表“{r['item']}”一般公共预算等于一般公共预算支出表 {g['code']}",
                      r["amount_yuan"], g["amount_yuan"], "gp_expenditure", 2, g["page"])
    # 基本支出经济分类 合计 ↔ 一般公共预算支出表 基本支出
    econ_total = next((r for r in report.rows.get("econ_lines", []) if r["econ_name"] == "合计" and r["measure"] == "total"), None)
    gp_basic = _func_cell(func, "gp_expenditure", None, "basic")
    if econ_total and gp_basic:
        c.add("gp_basic_econ:total", "基本支出经济分类表合计等于一般公共预算支出表基本支出合计",
              gp_basic["amount_yuan"], econ_total["amount_yuan"], "gp_basic_econ", 2)
    # 项目支出表 ↔ 项目支出 of the year, 上年结转
    projects = report.rows.get("projects", [])
    current = [p for p in projects if p["table_kind"] == "projects"]
    gp_project = _func_cell(func, "gp_expenditure", None, "project")
    if current and gp_project:
        c.add("projects:sum", "项目支出表各项目合计等于一般公共预算支出表项目支出",
              gp_project["amount_yuan"], sum((p["total_yuan"] or D0 for p in current), D0), "projects", len(current))
    carried = [p for p in projects if p["table_kind"] == "projects_carryover"]
    carry_total = _pick(summary, "收入", r"^上年结转$")
    if carried and carry_total:
        c.add("projects_carryover:sum", "上年结转项目合计等于收支总表上年结转",
              carry_total["amount_yuan"], sum((p["total_yuan"] or D0 for p in carried), D0), "projects_carryover", len(carried))
    # 项目 rows: 合计 = sum of sources
    for p in projects:
        parts = [p[f] for f in ("general_budget_yuan", "gov_fund_yuan", "soe_capital_yuan", "special_account_yuan", "unit_funds_yuan")]
        if p["total_yuan"] is not None and any(x is not None for x in parts):
            c.add(f"{p['table_kind']}:row:{p['row_no']}", f"项目“{p['name']}”合计等于各资金来源之和",
                  p["total_yuan"], sum((x or D0 for x in parts), D0), p["table_kind"], 5, p["page"])


def run_checks(report: ParsedReport) -> list[dict]:
    c = _Checks(report)
    func = report.rows.get("func_lines", [])
    _func_tree(c, func)
    _row_identity(c, func, "code", ("basic", "project"), "基本支出+项目支出")
    econ = report.rows.get("econ_lines", [])
    _row_identity(c, econ, "econ_code", ("personnel", "public"), "人员经费+公用经费")
    _cross_tables(c, report)
    for extra in EXTRA_CHECKS:
        c.out.extend(extra(report))
    return c.out


# later checks (forms, prose facts) register here
EXTRA_CHECKS: list = []
