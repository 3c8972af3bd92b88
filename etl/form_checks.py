"""Checks that tie the forms and the prose to the tables: each a finding when the report disagrees with itself.

* each project of the 项目支出表 equals the 年度资金总额 of its 绩效目标表 (matched by name, never by guess: an
  unmatched project or form is listed as a warning);
* each form's 资金总额 equals the sum of its sources, per scope;
* both project lists together (本年 + 上年结转) equal the 支出总表's 项目支出;
* every figure the prose states equals the table figure it describes (收入/支出总计, 基本/项目支出, 一般公共预算,
  三公, 机关运行经费, per-科目 amounts, 政府采购 and 绩效 totals).

Registered in checks.EXTRA_CHECKS when this module is imported (the pipeline imports it). Tolerance: each printed
figure may be off by half its last digit, so 0.01 of its printed unit per figure involved on either side — a
prose 万元 figure with two decimals brings 100 元.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from .amounts import YUAN_PER, rounding_tolerance
from .checks import EXTRA_CHECKS
from .parsers.common import Issue

if TYPE_CHECKING:
    from .pipeline import ParsedReport

D0 = Decimal(0)
PROSE_UNIT = "万元"

KEY_CN = {
    "revenue_total": "收入总计", "expenditure_total": "支出总计", "revenue_current": "本年收入",
    "revenue_carryover": "上年结转（收入）", "expenditure_current": "本年预算安排", "expenditure_carryover": "上年结转（支出）",
    "fiscal_total": "财政拨款收支总预算", "fiscal_revenue": "财政拨款收入", "fiscal_expenditure": "财政拨款支出",
    "gp_current": "一般公共预算当年拨款", "gov_fund_expenditure": "政府性基金拨款支出", "soe_expenditure": "国有资本经营预算拨款支出",
    "basic_total": "基本支出", "project_total": "项目支出", "gp_basic_total": "一般公共预算基本支出",
    "basic_personnel": "人员经费", "basic_public": "公用经费",
    "revenue_general_budget": "一般公共预算拨款收入", "revenue_gov_fund": "政府性基金预算拨款收入",
    "revenue_soe_capital": "国有资本经营预算拨款收入", "revenue_special_account": "财政专户管理资金收入",
    "revenue_unit_funds": "单位资金", "revenue_business": "事业收入", "revenue_operating": "事业单位经营收入",
    "revenue_other": "其他收入", "three_public_total": "“三公”经费", "three_public_abroad": "因公出国（境）费",
    "three_public_vehicle": "公务用车购置及运行费", "three_public_vehicle_purchase": "公务用车购置费",
    "three_public_vehicle_operation": "公务用车运行费", "three_public_reception": "公务接待费",
    "operating_cost": "机关运行经费", "procurement_total": "政府采购预算", "performance_funds": "绩效目标项目资金",
    "item_amount": "科目金额", "item_budget": "科目预算安排", "gp_class_amount": "一般公共预算类级支出",
    "fiscal_class_amount": "财政拨款类级支出",
}
_THREE_PUBLIC_ITEMS = {
    "three_public_total": "合计", "three_public_abroad": "因公出国（境）费", "three_public_vehicle": "公务用车购置及运行费",
    "three_public_vehicle_purchase": "公务用车购置费", "three_public_vehicle_operation": "公务用车运行维护费",
    "three_public_reception": "公务接待费",
}
_REVENUE_MEASURES = {"revenue_general_budget": "general_budget", "revenue_gov_fund": "gov_fund",
                     "revenue_soe_capital": "soe_capital", "revenue_special_account": "special_account",
                     "revenue_unit_funds": "unit_funds"}


class _Tables:
    """What a fact is compared with: the figure, how many printed cells it sums, the table kind, its name."""

    def __init__(self, report: ParsedReport):
        self.r = report
        self.kinds = {t["table_kind"]: t for t in reversed(report.tables)}
        self.func = report.rows.get("func_lines", [])
        self.summary = report.rows.get("summary_lines", [])

    def unit(self, kind: str) -> str:
        t = self.kinds.get(kind)
        return (t or {}).get("unit_printed") or "元"

    def title(self, kind: str) -> str:
        t = self.kinds.get(kind)
        return f"“{t['title']}”" if t else kind

    def summary_item(self, kind: str, side: str, pattern: str, measure: str = "total") -> Decimal | None:
        for r in self.summary:
            if r["table_kind"] == kind and r["side"] == side and r["measure"] == measure and re.search(pattern, r["item"]):
                return r["amount_yuan"]
        return None

    def func_cell(self, kind: str, code: str | None, measure: str) -> Decimal | None:
        for r in self.func:
            if r["table_kind"] == kind and r["code"] == code and r["measure"] == measure:
                return r["amount_yuan"]
        return None

    def has(self, kind: str) -> bool:
        return kind in self.kinds

    def lookup(self, key: str, code: str | None) -> tuple[Decimal, int, str, str] | None:
        """(table figure, cells summed, table_kind, what it is) or None where the report has no such table figure."""
        if key in ("revenue_total", "revenue_current", "revenue_carryover", "expenditure_total", "expenditure_current",
                   "expenditure_carryover", "fiscal_revenue", "revenue_business", "revenue_operating", "revenue_other"):
            side = "收入" if key.startswith(("revenue", "fiscal_revenue")) else "支出"
            pattern, measure = {
                "revenue_total": (r"^收入总计", "total"), "revenue_current": (r"^本年收入合计$", "total"),
                "revenue_carryover": (r"^上年结转", "total"), "expenditure_total": (r"^支出总计", "total"),
                "expenditure_current": (r"^支出总计", "current_year"), "expenditure_carryover": (r"^支出总计", "carryover"),
                "fiscal_revenue": (r"^财政拨款收入$", "total"), "revenue_business": (r"^事业收入$", "total"),
                "revenue_operating": (r"^事业单位经营收入$", "total"), "revenue_other": (r"^其他收入$", "total"),
            }[key]
            v = self.summary_item("summary", side, pattern, measure)
            if v is None and key in ("revenue_business", "revenue_operating", "revenue_other") and self.has("summary") \
                    and self.summary_item("summary", "收入", r"^收入总计") is not None:
                v = D0  # a blank line of the 收支总表 is no row
            return None if v is None else (v, 1, "summary", f"{self.title('summary')}{KEY_CN[key]}")
        if key in ("fiscal_total", "fiscal_expenditure"):
            side, pattern = ("收入", r"^收入总计") if key == "fiscal_total" else ("支出", r"^支出总计")
            v = self.summary_item("fiscal_summary", side, pattern)
            return None if v is None else (v, 1, "fiscal_summary", f"{self.title('fiscal_summary')}{side}总计")
        if key in ("gp_current", "gp_basic_total", "gov_fund_expenditure", "soe_expenditure", "basic_total",
                   "project_total"):
            kind, measure = {"gp_current": ("gp_expenditure", "total"), "gp_basic_total": ("gp_expenditure", "basic"),
                             "gov_fund_expenditure": ("gov_fund_expenditure", "total"),
                             "soe_expenditure": ("soe_capital", "total"), "basic_total": ("expenditure", "basic"),
                             "project_total": ("expenditure", "project")}[key]
            v = self.func_cell(kind, None, measure)
            if v is None and self.has(kind) and not self.kinds[kind]["has_data"]:
                v = D0  # 本表无数据
            label = {"total": "合计", "basic": "基本支出合计", "project": "项目支出合计"}[measure]
            return None if v is None else (v, 1, kind, f"{self.title(kind)}{label}")
        if key in _REVENUE_MEASURES:
            if not self.has("revenue") or self.func_cell("revenue", None, "total") is None:
                return None
            v = self.func_cell("revenue", None, _REVENUE_MEASURES[key])
            return (v if v is not None else D0), 1, "revenue", f"{self.title('revenue')}合计行{KEY_CN[key]}"
        if key in ("basic_personnel", "basic_public"):
            measure = "personnel" if key == "basic_personnel" else "public"
            for r in self.r.rows.get("econ_lines", []):
                if r["econ_name"] == "合计" and r["measure"] == measure:
                    return r["amount_yuan"], 1, "gp_basic_econ", f"{self.title('gp_basic_econ')}合计{KEY_CN[key]}"
            return None
        if key in _THREE_PUBLIC_ITEMS or key == "operating_cost":
            item = _THREE_PUBLIC_ITEMS.get(key, "机关运行经费")
            kind = "three_public" if key != "operating_cost" else "operating_cost"
            rows = [r for r in self.r.rows.get("three_public", []) if r["item"] == item and r["measure"] == "total"]
            if rows:
                return rows[0]["amount_yuan"], 1, rows[0]["table_kind"], f"{self.title(rows[0]['table_kind'])}{item}"
            if self.has(kind):
                return D0, 1, kind, f"{self.title(kind)}{item}（未列数）"
            return None
        if key in ("item_amount", "item_budget", "gp_class_amount") and code:
            for kind in ("gp_expenditure", "expenditure"):
                v = self.func_cell(kind, code, "total")
                if v is not None:
                    return v, 1, kind, f"{self.title(kind)}{code}合计"
            return None
        if key == "fiscal_class_amount" and code:
            names = {r["name"] for r in self.func if r["code"] == code}
            for r in self.summary:
                if r["table_kind"] == "fiscal_summary" and r["side"] == "支出" and r["measure"] == "total" \
                        and r["item"] in names:
                    return r["amount_yuan"], 1, "fiscal_summary", f"{self.title('fiscal_summary')}“{r['item']}”"
            return None
        if key == "procurement_total" and self.has("procurement") and self.kinds["procurement"]["has_data"]:
            lines = self.r.rows.get("procurement", [])
            return (sum((x["amount_yuan"] for x in lines), D0), len(lines), "procurement",
                    f"{self.title('procurement')}各采购行之和")
        if key == "performance_funds":
            forms = [f for f in self.r.rows.get("project_forms", []) if f.get("annual_funds_yuan") is not None]
            if forms:
                return (sum((f["annual_funds_yuan"] for f in forms), D0), len(forms), "performance_form",
                        f"{len(forms)}张绩效目标表的年度资金总额之和")
        return None


def _yuan(value: float, unit: str) -> Decimal:
    return (Decimal(str(value)) * YUAN_PER[unit]).quantize(Decimal("0.01"))


def _row(check_id: str, description: str, expected: Decimal, actual: Decimal, tol: Decimal, kind: str,
         page: int | None) -> dict:
    return {"check_id": check_id, "description": description, "expected": expected, "actual": actual,
            "passed": abs(expected - actual) <= tol, "table_kind": kind, "page": page}


def fact_checks(report: ParsedReport) -> list[dict]:
    """Every prose figure against the table figure it describes; and 政府采购 = 货物 + 工程 + 服务 as stated."""
    tables = _Tables(report)
    out: list[dict] = []
    seq: dict[str, int] = defaultdict(int)
    for f in report.rows.get("facts", []):
        if f["unit"] != PROSE_UNIT or f["key"] not in KEY_CN:
            continue
        found = tables.lookup(f["key"], f.get("code"))
        if found is None:
            continue
        expected, cells, kind, what = found
        actual = _yuan(f["value"], PROSE_UNIT)
        tol = rounding_tolerance(PROSE_UNIT, 1) + rounding_tolerance(tables.unit(kind), cells)
        n = seq[f["key"]] = seq[f["key"]] + 1
        where = f"第{f['page']}页" if f.get("page") else ""
        out.append(_row(f"facts:{f['key']}:{f.get('code') or ''}:{n}",
                        f"说明文字{where}“{KEY_CN[f['key']]}{f.get('code') and '（' + f['code'] + '）' or ''}”"
                        f"{_fmt(f['value'])}万元等于{what}", expected, actual, tol, kind, f.get("page")))
    totals = [f for f in report.rows.get("facts", []) if f["key"] == "procurement_total"]
    parts: dict[str, dict] = {}
    for f in report.rows.get("facts", []):
        if f["key"] in ("procurement_goods", "procurement_works", "procurement_services"):
            parts.setdefault(f["key"], f)
    if totals and len(parts) == 3:
        t = totals[0]
        actual = sum((_yuan(p["value"], PROSE_UNIT) for p in parts.values()), D0)
        out.append(_row("facts:procurement_parts", f"说明文字政府采购预算{_fmt(t['value'])}万元等于货物、工程、服务预算之和",
                        _yuan(t["value"], PROSE_UNIT), actual, rounding_tolerance(PROSE_UNIT, 4), "procurement",
                        t.get("page")))
    _performance_count(report)
    return out


def _performance_count(report: ParsedReport) -> None:
    """A count is no amount: a 绩效 project count that differs from the forms printed is reported as an issue."""
    forms = report.rows.get("project_forms", [])
    for f in report.rows.get("facts", []):
        if f["key"] == "performance_projects" and forms and int(f["value"]) != len(forms):
            report.issues.append(Issue("warning", f"说明称实行绩效目标管理的项目{int(f['value'])}个，"
                                                  f"报告印有{len(forms)}张绩效目标表", f.get("page")))


def _fmt(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


def form_checks(report: ParsedReport) -> list[dict]:
    """Each 项目支出表 project = its form's 年度资金总额; each form's totals = the sum of its sources."""
    out: list[dict] = []
    forms = report.rows.get("project_forms", [])
    funds = report.rows.get("project_funds", [])
    for i, form in enumerate(forms):
        for scope, field in (("实施期", "total_funds_yuan"), ("年度", "annual_funds_yuan")):
            parts = [x["amount_yuan"] for x in funds if x["project_name"] == form["project_name"] and x["scope"] == scope]
            if form[field] is None or not parts:
                continue
            label = "实施期资金总额" if scope == "实施期" else "年度资金总额"
            out.append(_row(f"performance_form:funds:{i}:{scope}",
                            f"绩效目标表“{form['project_name']}”{label}等于其各资金来源之和",
                            form[field], sum(parts, D0), rounding_tolerance("元", len(parts)), "performance_form",
                            form.get("page")))
    projects = [p for p in report.rows.get("projects", []) if p["table_kind"] == "projects"]
    if not forms or not projects:
        return out
    by_name: dict[str, list[dict]] = defaultdict(list)
    for f in forms:
        by_name[_key(f["project_name"])].append(f)
    unit = next((t["unit_printed"] for t in report.tables if t["table_kind"] == "projects"), None) or "元"
    matched: set[str] = set()
    unmatched: list[str] = []
    for p in projects:
        found = by_name.get(_key(p["name"]), [])
        if len(found) != 1 or found[0]["annual_funds_yuan"] is None or p["total_yuan"] is None:
            unmatched.append(p["name"])
            continue
        form = found[0]
        matched.add(_key(form["project_name"]))
        out.append(_row(f"projects:form:{p['row_no']}", f"项目支出表“{p['name']}”等于其绩效目标表年度资金总额",
                        p["total_yuan"], form["annual_funds_yuan"],
                        rounding_tolerance(unit, 1) + rounding_tolerance("元", 1), "projects", p.get("page")))
    if unmatched:
        report.issues.append(Issue("warning", "项目支出表中这些项目找不到同名的绩效目标表（未核对）：" + "、".join(unmatched)))
    orphans = [f["project_name"] for f in forms if _key(f["project_name"]) not in matched]
    if orphans:
        report.issues.append(Issue("warning", "这些绩效目标表在项目支出表（本年）中找不到同名项目（未核对）：" + "、".join(orphans)))
    return out


def _key(name: str) -> str:
    """Names are matched as printed; only the spaces and bracket widths a wrap or font may change are ignored."""
    return re.sub(r"\s+", "", name).replace("(", "（").replace(")", "）")


def project_list_checks(report: ParsedReport) -> list[dict]:
    """Both project lists together (本年 + 上年结转) = the 支出总表's 项目支出 合计: checks.py ties each list to its own
    source (一般公共预算 项目支出, 上年结转); this ties them to the whole 项目支出, which neither covers alone. Run only where
    each list is printed (a 上年结转 table printed as 本表无数据 counts as printed and empty)."""
    projects = report.rows.get("projects", [])
    current = [p for p in projects if p["table_kind"] == "projects"]
    carried = [p for p in projects if p["table_kind"] == "projects_carryover"]
    printed = {t["table_kind"] for t in report.tables}
    total = next((r for r in report.rows.get("func_lines", []) if r["table_kind"] == "expenditure"
                  and r["code"] is None and r["measure"] == "project"), None)
    if not current or "projects_carryover" not in printed or total is None:
        return []
    units = {t["table_kind"]: t.get("unit_printed") or "元" for t in report.tables}
    lines = current + carried
    actual = sum((p["total_yuan"] or D0 for p in lines), D0)
    tol = rounding_tolerance(units.get("expenditure", "元"), 1) + rounding_tolerance(units.get("projects", "元"), len(lines))
    return [_row("projects:all_lists", f"项目支出表（本年{len(current)}项、上年结转{len(carried)}项）合计等于支出总表项目支出",
                 total["amount_yuan"], actual, tol, "projects", total.get("page"))]


CHECKS: list[Callable[[ParsedReport], list[dict]]] = [form_checks, fact_checks, project_list_checks]
for _check in CHECKS:
    if _check not in EXTRA_CHECKS:
        EXTRA_CHECKS.append(_check)
