"""What the rules relate: the cells of a parsed report, found by meaning, and the relations between them.

Each function here is a *relation*: given a `View` of one report it yields `Comparison`s (two figures the report
says are equal, or a finding about its words). A relation knows where to find cells; it never decides the
tolerance of a printed figure on its own, never writes a description and never knows whether a table it needs
could be read — the rule table (etl/checks/rules.py) and its one evaluator do that. Most relations are built by a
factory with the table kind as parameter, so one relation serves every kind (and every report family) it fits.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from decimal import Decimal

from etl.read.amounts import YUAN_PER, rounding_tolerance
from etl.read.names import name_key
from etl.read.report import Comparison, Issue, ParsedReport
from etl.read.units import PROSE_UNIT, to_yuan
from etl.tables import kinds as K

D0 = Decimal(0)

Relation = Callable[["View"], Iterator[Comparison]]


class View:
    """One report's rows as the rules read them. A table that could not be read (status unparsed) is not here:
    its kind is in `unparsed`, and a relation that needs it yields nothing (the evaluator records 未核对)."""

    def __init__(self, report: ParsedReport):
        self.report = report
        self.unparsed = {t["table_kind"]: t for t in report.tables if t.get("status") == "unparsed"}
        readable = [t for t in report.tables if t.get("status") != "unparsed"]
        self.tables = {t["table_kind"]: t for t in reversed(readable)}  # first printed wins
        self.rows = report.rows
        self.func = report.rows.get("func_lines", [])
        self.summary = report.rows.get("summary_lines", [])
        self.facts = report.rows.get("facts", [])

    def has(self, kind: str) -> bool:
        return kind in self.tables

    def unit(self, kind: str | None) -> str:
        t = self.tables.get(kind or "")
        return (t or {}).get("unit_printed") or "元"

    def page(self, kind: str | None) -> int | None:
        return (self.tables.get(kind or "") or {}).get("page_from")

    def title(self, kind: str) -> str:
        t = self.tables.get(kind)
        return f"“{t['title']}”" if t and t.get("title") else K.label(kind)

    def empty(self, kind: str) -> bool:
        t = self.tables.get(kind)
        return bool(t) and not t.get("has_data")

    def summary_rows(self, kind: str) -> list[dict]:
        return [r for r in self.summary if r["table_kind"] == kind]

    def side_rows(self, kind: str, side: str) -> list[dict]:
        """One side (收入 / 支出) of a 收支总表-like table, in printed order."""
        return sorted((r for r in self.summary_rows(kind) if r["side"] == side), key=lambda r: r["row_no"])

    def summary_item(self, kind: str, side: str, pattern: str, measure: str = "total") -> dict | None:
        return pick(self.summary_rows(kind), pattern, measure, side)

    def three_public_cell(self, item: str, measure: str, kind: str | None = None) -> dict | None:
        """The first “三公” row of this item and measure — of table `kind`, or of any table printing such rows (the
        机关运行经费 line shares them)."""
        return next((r for r in self.rows.get("three_public", []) if r["item"] == item and r["measure"] == measure
                     and (kind is None or r["table_kind"] == kind)), None)

    def econ_line(self, name: str, measure: str = "total", *, prefix: bool = False) -> dict | None:
        """The first 经济分类 row named `name` in this measure; with `prefix`, the first uncoded row whose name
        starts with it (a 决算 prints 人员经费合计 / 公用经费合计 without a code)."""
        for r in self.rows.get("econ_lines", []):
            if r["measure"] != measure:
                continue
            if (not r["econ_code"] and r["econ_name"].startswith(name)) if prefix else r["econ_name"] == name:
                return r
        return None

    def func_cell(self, kind: str, code: str | None, measure: str) -> dict | None:
        for r in self.func:
            if r["table_kind"] == kind and r["code"] == code and r["measure"] == measure:
                return r
        return None

    def func_rows(self, kind: str) -> list[dict]:
        return [r for r in self.func if r["table_kind"] == kind]


# ------------------------------------------------------------------------------------------ cell lookups
# One set for every family (final.py uses them too). A cell that is not there means one of two things, and the
# caller says which: nothing to compare (amount_or_none) or a line printed blank, which is 0 (amount_or_zero).


def amount_or_none(r: dict | None) -> Decimal | None:
    """The cell's amount; None where the report prints no such cell — the comparison has nothing to go on."""
    return None if r is None else r["amount_yuan"]


def amount_or_zero(r: dict | None) -> Decimal:
    """The cell's amount; 0 where the line is printed without a figure — a blank line of a total is nothing."""
    return D0 if r is None else r["amount_yuan"]


def pick(rows: list[dict], pattern: str, measure: str = "total", side: str | None = None) -> dict | None:
    """The first of `rows` (summary lines) whose item matches `pattern`, in this measure (and on this side)."""
    for r in rows:
        if (side is None or r["side"] == side) and r["measure"] == measure and re.search(pattern, r["item"]):
            return r
    return None


# ------------------------------------------------------------------------------------------ table arithmetic


def tree_sums(kind: str) -> Relation:
    """Every parent 科目 (and the 合计) of a 功能分类 table equals the sum of its children, column by column."""

    def relate(v: View) -> Iterator[Comparison]:
        rows = v.func_rows(kind)
        cell = {(r["code"], r["measure"]): r for r in rows}
        codes = {r["code"] for r in rows if r["code"]}
        measures = {r["measure"] for r in rows}
        for parent in [None] + sorted(x for x in codes if len(x) < 7):
            kids = sorted(x for x in codes if (len(x) == 3 if parent is None else
                                               (len(x) == len(parent) + 2 and x.startswith(parent))))
            if not kids:
                continue
            for m in sorted(measures, key=str):
                p = cell.get((parent, m))
                kid_cells = [cell[(k, m)] for k in kids if (k, m) in cell]
                if p is None and not kid_cells:
                    continue
                column = K.measure_label(m, (p or kid_cells[0]).get("column_label"))
                yield Comparison(f"{kind}:tree:{parent or 'total'}:{m}", p["amount_yuan"] if p else D0,
                                 sum((k["amount_yuan"] for k in kid_cells), D0), max(len(kid_cells), 1),
                                 p["page"] if p else None, kind,
                                 {"row": "合计" if parent is None else f"{parent} {p['name'] if p else ''}".strip(),
                                  "column": column})

    return relate


def row_parts(kind: str, target: str, key: str, parts: tuple[str, ...], label: str) -> Relation:
    """Per printed row: its 合计 equals the sum of the listed columns (基本+项目, 人员+公用)."""

    def relate(v: View) -> Iterator[Comparison]:
        rows: dict[tuple, dict[str, dict]] = defaultdict(dict)
        for r in v.rows.get(target, []):
            if r.get("table_kind", kind) != kind:
                continue
            rows[(r[key], r.get("name", r.get("econ_name")), r["row_no"])][r["measure"]] = r
        for (code, name, _), cells in rows.items():
            if "total" not in cells or not any(p in cells for p in parts):
                continue
            yield Comparison(f"{kind}:row:{code or name}", cells["total"]["amount_yuan"],
                             sum((cells[p]["amount_yuan"] for p in parts if p in cells), D0), len(parts),
                             cells["total"]["page"], kind,
                             {"row": f"{code or ''} {name}".strip(), "parts": label})

    return relate


def summary_vs_func_total(kind: str) -> Relation:
    """收支总表's 收入/支出 合计 (or 总计, with 上年结转) equals the 收入总表 / 支出总表 合计."""
    side, pattern = {"revenue": ("收入", r"^本年收入合计$|^收入合计$"),
                     "expenditure": ("支出", r"^本年支出合计$|^支出合计$")}[kind]

    def relate(v: View) -> Iterator[Comparison]:
        summary = v.summary_rows("summary")
        s = pick(summary, pattern, side=side) or pick(summary, r"总计$", side=side)
        t = v.func_cell(kind, None, "total")
        if not (s and t):
            return
        actual = t["amount_yuan"]
        if s["item"].endswith("总计"):
            carry = v.func_cell(kind, None, "carryover")
            actual += carry["amount_yuan"] if carry else D0
        yield Comparison(f"summary:{kind}_total", s["amount_yuan"], actual, 2, None, "summary",
                         {"item": s["item"], "other": K.label(kind)})

    return relate


def summary_classes(v: View) -> Iterator[Comparison]:
    """收支总表's 支出 by 类 equals the 支出总表's 类 rows (matched by name)."""
    exp_by_name = {r["name"]: r for r in v.func_rows("expenditure") if r["level"] == 1 and r["measure"] == "total"}
    for r in v.summary_rows("summary"):
        if r["side"] == "支出" and r["measure"] == "total" and r["item"] in exp_by_name:
            e = exp_by_name[r["item"]]
            yield Comparison(f"summary:class:{e['code']}", r["amount_yuan"], e["amount_yuan"], 2, r["page"], "summary",
                             {"item": r["item"], "code": e["code"]})


def fiscal_gp_total(v: View) -> Iterator[Comparison]:
    """一般公共预算支出表 合计 equals the 财政拨款收支总表's 一般公共预算 支出 (less 上年结转 where the table excludes it)."""
    gp_total = v.func_cell("gp_expenditure", None, "total")
    fiscal = v.summary_rows("fiscal_summary")
    fs_total = pick(fiscal, r"支出合计$|^支出总计$", "general_budget", side="支出")
    if not (gp_total and fs_total):
        return
    expected = fs_total["amount_yuan"]
    note = ""
    if "不含上年结转" in v.tables["gp_expenditure"].get("title", ""):
        carry = [r for r in fiscal if r["side"] == "收入" and r["item"].startswith("一般公共预算")]
        # the second 一般公共预算 line on the 收入 side is the 上年结转 part
        if len(carry) > 1:
            expected -= carry[-1]["amount_yuan"]
            note = "（扣除上年结转）"
    yield Comparison("fiscal_summary:gp_total", expected, gp_total["amount_yuan"], 2, None, "gp_expenditure",
                     {"note": note})


def fiscal_gp_classes(v: View) -> Iterator[Comparison]:
    """财政拨款收支总表 一般公共预算 by 类 equals the 一般公共预算支出表's 类 rows."""
    if "不含上年结转" in v.tables["gp_expenditure"].get("title", ""):
        return
    gp_by_name = {r["name"]: r for r in v.func_rows("gp_expenditure") if r["level"] == 1 and r["measure"] == "total"}
    for r in v.summary_rows("fiscal_summary"):
        if r["side"] == "支出" and r["measure"] == "general_budget" and r["item"] in gp_by_name:
            g = gp_by_name[r["item"]]
            yield Comparison(f"fiscal_summary:class:{g['code']}", r["amount_yuan"], g["amount_yuan"], 2, g["page"],
                             "gp_expenditure", {"item": r["item"], "code": g["code"]})


def econ_vs_gp_basic(v: View) -> Iterator[Comparison]:
    """基本支出经济分类表 合计 equals the 一般公共预算支出表's 基本支出 合计."""
    econ_total = v.econ_line("合计")
    gp_basic = v.func_cell("gp_expenditure", None, "basic")
    if econ_total and gp_basic:
        yield Comparison("gp_basic_econ:total", gp_basic["amount_yuan"], econ_total["amount_yuan"], 2, None,
                         "gp_basic_econ")


def projects_vs_gp_project(v: View) -> Iterator[Comparison]:
    current = [p for p in v.rows.get("projects", []) if p["table_kind"] == "projects"]
    gp_project = v.func_cell("gp_expenditure", None, "project")
    if current and gp_project:
        yield Comparison("projects:sum", gp_project["amount_yuan"], sum((p["total_yuan"] or D0 for p in current), D0),
                         len(current), None, "projects")


def carryover_vs_summary(v: View) -> Iterator[Comparison]:
    carried = [p for p in v.rows.get("projects", []) if p["table_kind"] == "projects_carryover"]
    carry_total = pick(v.summary_rows("summary"), r"^上年结转$", side="收入")
    if carried and carry_total:
        yield Comparison("projects_carryover:sum", carry_total["amount_yuan"],
                         sum((p["total_yuan"] or D0 for p in carried), D0), len(carried), None, "projects_carryover")


_PROJECT_SOURCES = ("general_budget_yuan", "gov_fund_yuan", "soe_capital_yuan", "special_account_yuan", "unit_funds_yuan")


def project_sources(kind: str) -> Relation:
    """Each project's 合计 equals the sum of its funding sources."""

    def relate(v: View) -> Iterator[Comparison]:
        for p in v.rows.get("projects", []):
            if p["table_kind"] != kind:
                continue
            parts = [p[f] for f in _PROJECT_SOURCES]
            if p["total_yuan"] is not None and any(x is not None for x in parts):
                yield Comparison(f"{kind}:row:{p['row_no']}", p["total_yuan"], sum((x or D0 for x in parts), D0), 5,
                                 p["page"], kind, {"name": p["name"]})

    return relate


def project_lists_vs_expenditure(v: View) -> Iterator[Comparison]:
    """Both project lists together (本年 + 上年结转) equal the 支出总表's 项目支出 合计: the other rules tie each list to its
    own source; this ties them to the whole 项目支出, which neither covers alone. Run only where each list is printed
    (a 上年结转 table printed as 本表无数据 counts as printed and empty)."""
    projects = v.rows.get("projects", [])
    current = [p for p in projects if p["table_kind"] == "projects"]
    carried = [p for p in projects if p["table_kind"] == "projects_carryover"]
    total = v.func_cell("expenditure", None, "project")
    if not current or not v.has("projects_carryover") or total is None:
        return
    lines = current + carried
    tol = rounding_tolerance(v.unit("expenditure"), 1) + rounding_tolerance(v.unit("projects"), len(lines))
    yield Comparison("projects:all_lists", total["amount_yuan"], sum((p["total_yuan"] or D0 for p in lines), D0),
                     len(lines), total.get("page"), "projects", {"current": len(current), "carried": len(carried)},
                     tolerance=tol)


def parser_made(rule_id: str) -> Relation:
    """Sub-totals a parser verified while reading (rows it does not store, e.g. a unit's 小计 in a project list)."""

    def relate(v: View) -> Iterator[Comparison]:
        for rid, c in v.report.parser_comparisons:
            if rid == rule_id:
                yield c

    return relate


# ------------------------------------------------------------------------------------------ forms


def _name_key(name: str) -> str:
    """Names are matched as printed; only what a wrap or font may change is ignored (etl/read/names.py, the one key)."""
    return name_key(name)


def form_sources(v: View) -> Iterator[Comparison]:
    """Each 绩效目标表's 资金总额 equals the sum of its sources, per scope (实施期 / 年度)."""
    funds = v.rows.get("project_funds", [])
    for i, form in enumerate(v.rows.get("project_forms", [])):
        for scope, field in (("实施期", "total_funds_yuan"), ("年度", "annual_funds_yuan")):
            parts = [x["amount_yuan"] for x in funds if x["project_name"] == form["project_name"] and x["scope"] == scope]
            if form[field] is None or not parts:
                continue
            yield Comparison(f"performance_form:funds:{i}:{scope}", form[field], sum(parts, D0), len(parts),
                             form.get("page"), "performance_form",
                             {"name": form["project_name"], "what": "实施期资金总额" if scope == "实施期" else "年度资金总额"},
                             tolerance=rounding_tolerance("元", len(parts)))


def project_vs_form(v: View) -> Iterator[Comparison]:
    """Each 项目支出表 project equals the 年度资金总额 of its 绩效目标表 (matched by name, never by guess: an unmatched
    project or form is listed as a warning)."""
    forms = v.rows.get("project_forms", [])
    projects = [p for p in v.rows.get("projects", []) if p["table_kind"] == "projects"]
    if not forms or not projects:
        return
    by_name: dict[str, list[dict]] = defaultdict(list)
    for f in forms:
        by_name[_name_key(f["project_name"])].append(f)
    matched: set[str] = set()
    unmatched: list[str] = []
    for p in projects:
        found = by_name.get(_name_key(p["name"]), [])
        if len(found) != 1 or found[0]["annual_funds_yuan"] is None or p["total_yuan"] is None:
            unmatched.append(p["name"])
            continue
        form = found[0]
        matched.add(_name_key(form["project_name"]))
        yield Comparison(f"projects:form:{p['row_no']}", p["total_yuan"], form["annual_funds_yuan"], 1, p.get("page"),
                         "projects", {"name": p["name"]},
                         tolerance=rounding_tolerance(v.unit("projects"), 1) + rounding_tolerance("元", 1))
    if unmatched:
        v.report.issues.append(Issue("warning", "项目支出表中这些项目找不到同名的绩效目标表（未核对）：" + "、".join(unmatched)))
    orphans = [f["project_name"] for f in forms if _name_key(f["project_name"]) not in matched]
    if orphans:
        v.report.issues.append(Issue("warning", "这些绩效目标表在项目支出表（本年）中找不到同名项目（未核对）："
                                     + "、".join(orphans)))


# ------------------------------------------------------------------------------------------ prose


# fact key → the Chinese name of what the prose states (descriptions only)
FACT_LABELS = {
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
_SUMMARY_KEYS = {
    "revenue_total": ("收入", r"^收入总计", "total"), "revenue_current": ("收入", r"^本年收入合计$", "total"),
    "revenue_carryover": ("收入", r"^上年结转", "total"), "expenditure_total": ("支出", r"^支出总计", "total"),
    "expenditure_current": ("支出", r"^支出总计", "current_year"),
    "expenditure_carryover": ("支出", r"^支出总计", "carryover"),
    "fiscal_revenue": ("收入", r"^财政拨款收入$", "total"), "revenue_business": ("收入", r"^事业收入$", "total"),
    "revenue_operating": ("收入", r"^事业单位经营收入$", "total"), "revenue_other": ("收入", r"^其他收入$", "total"),
}
_FUNC_KEYS = {"gp_current": ("gp_expenditure", "total"), "gp_basic_total": ("gp_expenditure", "basic"),
              "gov_fund_expenditure": ("gov_fund_expenditure", "total"), "soe_expenditure": ("soe_capital", "total"),
              "basic_total": ("expenditure", "basic"), "project_total": ("expenditure", "project")}


def fact_table(key: str) -> tuple[str, ...]:
    """The table kinds a prose figure may be compared with (which must be readable for the comparison to run)."""
    if key in _SUMMARY_KEYS:
        return ("summary",)
    if key in ("fiscal_total", "fiscal_expenditure", "fiscal_class_amount"):
        return ("fiscal_summary",)
    if key in _FUNC_KEYS:
        return (_FUNC_KEYS[key][0],)
    if key in _REVENUE_MEASURES:
        return ("revenue",)
    if key in ("basic_personnel", "basic_public"):
        return ("gp_basic_econ",)
    if key in _THREE_PUBLIC_ITEMS:
        return ("three_public",)
    if key == "operating_cost":
        return ("operating_cost", "three_public")
    if key in ("item_amount", "item_budget", "gp_class_amount"):
        return ("gp_expenditure", "expenditure")
    if key == "procurement_total":
        return ("procurement",)
    if key == "performance_funds":
        return ("performance_form",)
    return ()


def lookup(v: View, key: str, code: str | None) -> tuple[Decimal, int, str, str] | None:
    """(table figure, cells summed, table_kind, what it is) or None where the report has no such table figure."""
    if key in _SUMMARY_KEYS:
        side, pattern, measure = _SUMMARY_KEYS[key]
        value = amount_or_none(v.summary_item("summary", side, pattern, measure))
        if value is None and key in ("revenue_business", "revenue_operating", "revenue_other") and v.has("summary") \
                and v.summary_item("summary", "收入", r"^收入总计") is not None:
            value = D0  # a blank line of the 收支总表 is no row
        return None if value is None else (value, 1, "summary", f"{v.title('summary')}{FACT_LABELS[key]}")
    if key in ("fiscal_total", "fiscal_expenditure"):
        side, pattern = ("收入", r"^收入总计") if key == "fiscal_total" else ("支出", r"^支出总计")
        value = amount_or_none(v.summary_item("fiscal_summary", side, pattern))
        return None if value is None else (value, 1, "fiscal_summary", f"{v.title('fiscal_summary')}{side}总计")
    if key in _FUNC_KEYS:
        kind, measure = _FUNC_KEYS[key]
        value = amount_or_none(v.func_cell(kind, None, measure))
        if value is None and v.empty(kind):
            value = D0  # 本表无数据
        what = {"total": "合计", "basic": "基本支出合计", "project": "项目支出合计"}[measure]
        return None if value is None else (value, 1, kind, f"{v.title(kind)}{what}")
    if key in _REVENUE_MEASURES:
        if not v.has("revenue") or v.func_cell("revenue", None, "total") is None:
            return None
        value = amount_or_none(v.func_cell("revenue", None, _REVENUE_MEASURES[key]))
        return (value if value is not None else D0), 1, "revenue", f"{v.title('revenue')}合计行{FACT_LABELS[key]}"
    if key in ("basic_personnel", "basic_public"):
        measure = "personnel" if key == "basic_personnel" else "public"
        r = v.econ_line("合计", measure)
        return None if r is None else (r["amount_yuan"], 1, "gp_basic_econ",
                                       f"{v.title('gp_basic_econ')}合计{FACT_LABELS[key]}")
    if key in _THREE_PUBLIC_ITEMS or key == "operating_cost":
        item = _THREE_PUBLIC_ITEMS.get(key, "机关运行经费")
        kind = "three_public" if key != "operating_cost" else "operating_cost"
        r = v.three_public_cell(item, "total")
        if r is not None:
            return r["amount_yuan"], 1, r["table_kind"], f"{v.title(r['table_kind'])}{item}"
        if v.has(kind):
            return D0, 1, kind, f"{v.title(kind)}{item}（未列数）"
        return None
    if key in ("item_amount", "item_budget", "gp_class_amount") and code:
        for kind in ("gp_expenditure", "expenditure"):
            value = amount_or_none(v.func_cell(kind, code, "total"))
            if value is not None:
                return value, 1, kind, f"{v.title(kind)}同一科目的合计"
        return None
    if key == "fiscal_class_amount" and code:
        names = {r["name"] for r in v.func if r["code"] == code}
        for r in v.summary:
            if r["table_kind"] == "fiscal_summary" and r["side"] == "支出" and r["measure"] == "total" \
                    and r["item"] in names:
                return r["amount_yuan"], 1, "fiscal_summary", f"{v.title('fiscal_summary')}“{r['item']}”"
        return None
    if key == "procurement_total" and v.has("procurement") and v.tables["procurement"]["has_data"]:
        lines = v.rows.get("procurement", [])
        return (sum((x["amount_yuan"] for x in lines), D0), len(lines), "procurement",
                f"{v.title('procurement')}各采购行之和")
    if key == "performance_funds":
        forms = [f for f in v.rows.get("project_forms", []) if f.get("annual_funds_yuan") is not None]
        if forms:
            return (sum((f["annual_funds_yuan"] for f in forms), D0), len(forms), "performance_form",
                    f"{len(forms)}张绩效目标表的年度资金总额之和")
    return None


def prose_yuan(value: float, unit: str = PROSE_UNIT) -> Decimal:
    return to_yuan(value, unit)


def prose_tolerance(decimals: int | None) -> Decimal:
    """How far a prose 万元 figure may be from the exact amount it rounds: half its last printed digit where it is
    printed with fewer than two decimals (17,192万元 stands for 17,191.5–17,192.5万元); 0.01万元 otherwise."""
    if decimals is None or decimals >= 2:
        return rounding_tolerance(PROSE_UNIT, 1)
    return YUAN_PER[PROSE_UNIT] * Decimal(5) / Decimal(10) ** (decimals + 1)


def fmt_figure(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


def prose_figures(v: View, prefix: str, labels: dict[str, str], tables_of: Callable[[str], tuple[str, ...]],
                  find: Callable[[View, str, str | None], tuple[Decimal, int, str, str] | None],
                  fields: Callable[[dict, str], dict]) -> Iterator[Comparison]:
    """The one loop behind both families' prose rules: every 万元 figure the prose states, with a label in `labels`,
    against the table figure `find` gives for it, to the precision it is printed with; where the table it needs
    (`tables_of`) could not be read, a not-run comparison naming that table. `fields(fact, table label)` fills the
    rule's description template. Check ids are `prefix:key:code:n`."""
    seq: dict[str, int] = defaultdict(int)
    for f in v.facts:
        if f.get("unit") != PROSE_UNIT or f.get("value") is None or f["key"] not in labels:
            continue
        blocked = next((k for k in tables_of(f["key"]) if k in v.unparsed), None)
        found = None if blocked else find(v, f["key"], f.get("code"))
        if found is None and blocked is None:
            continue
        n = seq[f["key"]] = seq[f["key"]] + 1
        key = f"{prefix}:{f['key']}:{f.get('code') or ''}:{n}"
        actual = prose_yuan(f["value"])
        if found is None:
            yield Comparison(key, None, actual, 1, f.get("page"), blocked, fields(f, K.label(blocked)),
                             blocked=blocked)
            continue
        expected, cells, kind, what = found
        tol = prose_tolerance(f.get("decimals")) + rounding_tolerance(v.unit(kind), cells)
        yield Comparison(key, expected, actual, cells, f.get("page"), kind, fields(f, what), tolerance=tol)


# a 科目's figure, as a reviewer names it: 科目2080506“机关事业单位职业年金缴费支出”的金额
_ITEM_WORDS = {"item_amount": "金额", "item_budget": "预算安排", "gp_class_amount": "一般公共预算支出",
               "fiscal_class_amount": "财政拨款支出"}


def _fact_words(v: View, f: dict) -> str:
    """What a prose figure is, in a reviewer's words: a 科目's figure by its code and the name the tables print
    (the fact's key is no word a reader knows), any other by its label in quotes."""
    code = f.get("code")
    if not code:
        return f"“{FACT_LABELS[f['key']]}”"
    name = next((r["name"] for r in v.func if r["code"] == code and r.get("name")), None)
    named = f"科目{code}“{name}”" if name else f"科目{code}"
    return f"{named}的{_ITEM_WORDS.get(f['key'], FACT_LABELS[f['key']])}"


def prose_vs_tables(v: View) -> Iterator[Comparison]:
    """Every figure the prose states equals the table figure it describes, to the precision it is printed with."""
    def fields(f: dict, source: str) -> dict:
        return {"where": f"第{f['page']}页" if f.get("page") else "", "what": _fact_words(v, f),
                "figure": fmt_figure(f["value"]), "source": source}

    yield from prose_figures(v, "facts", FACT_LABELS, fact_table, lookup, fields)


def procurement_parts(v: View) -> Iterator[Comparison]:
    """The prose's 政府采购预算 equals its own 货物 + 工程 + 服务."""
    totals = [f for f in v.facts if f["key"] == "procurement_total"]
    parts: dict[str, dict] = {}
    for f in v.facts:
        if f["key"] in ("procurement_goods", "procurement_works", "procurement_services"):
            parts.setdefault(f["key"], f)
    if totals and len(parts) == 3:
        t = totals[0]
        yield Comparison("facts:procurement_parts", prose_yuan(t["value"]),
                         sum((prose_yuan(p["value"]) for p in parts.values()), D0), 4, t.get("page"), "procurement",
                         {"figure": fmt_figure(t["value"])},
                         tolerance=sum((prose_tolerance(f.get("decimals")) for f in [t, *parts.values()]), D0))


def performance_count(v: View) -> Iterator[Comparison]:
    """The prose's count of projects under 绩效目标管理 equals the number of 绩效目标表 printed (a count, no amount)."""
    forms = v.rows.get("project_forms", [])
    for n, f in enumerate((f for f in v.facts if f["key"] == "performance_projects"), start=1):
        if forms:
            yield Comparison(f"facts:performance_projects:{n}", None, None, 0, f.get("page"), "performance_form",
                             {"at": _at(f), "stated": int(f["value"]), "printed": len(forms)},
                             passed=int(f["value"]) == len(forms))


# ------------------------------------------------------------------------------------------ budget rules (issue 9)


def _side_free(item: str) -> str:
    """收入总计 → 总计 where the description already says 收入方 (“收入方收入总计” says it twice)."""
    return re.sub(r"^(?:收入|支出)(?=总计)", "", item)


def balance(kind: str) -> Relation:
    """收入总计 equals 支出总计 (a 收支总表 and a 财政拨款收支总表 balance by construction)."""

    def relate(v: View) -> Iterator[Comparison]:
        rows = v.summary_rows(kind)
        rev = pick(rows, r"总计$", side="收入")
        exp = pick(rows, r"总计$", side="支出")
        if rev and exp:
            yield Comparison(f"{kind}:balance", rev["amount_yuan"], exp["amount_yuan"], 2, exp["page"], kind,
                             {"left": _side_free(rev["item"]), "right": _side_free(exp["item"])})

    return relate


_ABROAD, _RECEPTION = "因公出国（境）费", "公务接待费"
_VEHICLE, _PURCHASE, _OPERATION = "公务用车购置及运行费", "公务用车购置费", "公务用车运行维护费"


def three_public_sums(part: str) -> Relation:
    """“三公”经费: 合计 = 因公出国 + 公务接待 + 公务用车 (`part` total), 公务用车 = 购置 + 运行维护 (`part` vehicle)."""

    def relate(v: View) -> Iterator[Comparison]:
        cells: dict[str, dict[str, dict]] = defaultdict(dict)
        for r in v.rows.get("three_public", []):
            if r["table_kind"] == "three_public":
                cells[r["measure"] or "total"].setdefault(r["item"], r)
        for measure, items in sorted(cells.items()):
            if part == "total":
                parent = items.get("合计")
                vehicle = [_VEHICLE] if _VEHICLE in items else [_PURCHASE, _OPERATION]
                kids = [_ABROAD, _RECEPTION, *vehicle]
                what = "因公出国（境）费、公务接待费、公务用车购置及运行费之和"
            else:
                parent = items.get(_VEHICLE)
                kids = [_PURCHASE, _OPERATION]
                what = "公务用车购置费与运行维护费之和"
            present = [items[k] for k in kids if k in items]
            if parent is None or not present:
                continue
            yield Comparison(f"three_public:{part}:{measure}", parent["amount_yuan"],
                             sum((r["amount_yuan"] for r in present), D0), len(present), parent["page"], "three_public",
                             {"row": parent["item"], "what": what,
                              "column": "" if measure == "total" else f"（{K.measure_label(measure)}）"})

    return relate


_FUNDS = ("general_budget", "gov_fund", "soe_capital")


def fiscal_row_funds(v: View) -> Iterator[Comparison]:
    """财政拨款收支总表, each 支出 row: 合计 = 一般公共预算 + 政府性基金 + 国有资本经营预算."""
    by_item: dict[str, dict[str, dict]] = defaultdict(dict)
    for r in v.summary_rows("fiscal_summary"):
        if r["side"] == "支出":
            by_item[r["item"]].setdefault(r["measure"], r)
    for item, cells in by_item.items():
        if "total" not in cells or not any(m in cells for m in _FUNDS):
            continue
        yield Comparison(f"fiscal_summary:row:{item}", cells["total"]["amount_yuan"],
                         sum((cells[m]["amount_yuan"] for m in _FUNDS if m in cells), D0), 3, cells["total"]["page"],
                         "fiscal_summary", {"item": item})


def fiscal_fund_column(kind: str, measure: str) -> Relation:
    """财政拨款收支总表's 政府性基金 / 国有资本经营预算 支出 equals that fund's own table (0 where it prints 本表无数据)."""

    def relate(v: View) -> Iterator[Comparison]:
        fiscal = v.summary_rows("fiscal_summary")
        total_row = pick(fiscal, r"支出合计$|^支出总计$", side="支出")
        if total_row is None:
            return
        column = pick(fiscal, "^" + re.escape(total_row["item"]) + "$", measure, side=total_row["side"])
        stated = column["amount_yuan"] if column else D0  # a blank cell of a printed total row is nothing
        own = v.func_cell(kind, None, "total")
        if own is None and not v.empty(kind):
            return
        if "不含上年结转" in v.tables[kind].get("title", "") and any(
                r["side"] == "收入" and "结转" in r["item"] and r["measure"] == measure and r["amount_yuan"]
                for r in fiscal):
            return  # the fund's table leaves out the 上年结转 the 总表 includes
        yield Comparison(f"fiscal_summary:{measure}", stated, own["amount_yuan"] if own else D0, 2,
                         column["page"] if column else total_row["page"], kind,
                         {"column": K.measure_label(measure)})

    return relate


def econ_groups(v: View) -> Iterator[Comparison]:
    """经济分类表: each 类 row (301 工资福利支出 …, or 人员经费/公用经费 where printed as groups) equals the sum of the
    款 items printed under it, and 合计 the sum of the 类 rows, column by column."""
    rows: dict[int, dict[str, dict]] = defaultdict(dict)
    for r in v.rows.get("econ_lines", []):
        rows[r["row_no"]][r["measure"]] = r
    ordered = [rows[k] for k in sorted(rows)]
    groups: list[tuple[dict[str, dict], list[dict[str, dict]]]] = []
    total: dict[str, dict] | None = None
    for cells in ordered:
        first = next(iter(cells.values()))
        if first["econ_name"] in ("合计", "总计") and not first["econ_code"]:
            total = cells
        elif first["is_group"]:
            groups.append((cells, []))
        elif groups:
            groups[-1][1].append(cells)
    for group, items in groups:
        if not items:
            continue
        first = next(iter(group.values()))
        for m, g in group.items():
            parts = [i[m]["amount_yuan"] for i in items if m in i]
            yield Comparison(f"gp_basic_econ:group:{first['econ_code'] or first['econ_name']}:{m}", g["amount_yuan"],
                             sum(parts, D0), max(len(parts), 1), g["page"], "gp_basic_econ",
                             {"row": f"{first['econ_code'] or ''} {first['econ_name']}".strip(),
                              "column": K.measure_label(m, g.get("column_label")), "n": len(items)})
    if total and groups:
        for m, t in total.items():
            parts = [g[m]["amount_yuan"] for g, _ in groups if m in g]
            yield Comparison(f"gp_basic_econ:group:total:{m}", t["amount_yuan"], sum(parts, D0), max(len(parts), 1),
                             t["page"], "gp_basic_econ",
                             {"row": "合计", "column": K.measure_label(m, t.get("column_label")), "n": len(groups)})


def revenue_vs_expenditure(v: View) -> Iterator[Comparison]:
    """收入总表 and 支出总表 list the same 科目 with the same 合计: a budget's 收入 by 科目 is what it spends by 科目."""
    exp = {r["code"]: r for r in v.func_rows("expenditure") if r["measure"] == "total"}
    revenue: dict[str | None, dict[str, Decimal]] = defaultdict(dict)
    for r in v.func_rows("revenue"):
        revenue[r["code"]][r["measure"]] = r["amount_yuan"]
    # templates whose 收入总表 合计 is this year's income only print 上年结转 beside it (阳泉: 合计 + 上年结转 = 支出)
    head = revenue.get(None, {})
    parts = sum((a for m, a in head.items() if m not in ("total", "carryover")), D0)
    outside = bool(head.get("carryover")) and "total" in head and \
        abs(head["total"] - parts) <= rounding_tolerance(v.unit("revenue"), len(head))
    for r in v.func_rows("revenue"):
        if r["measure"] != "total" or r["code"] not in exp:
            continue
        e = exp[r["code"]]
        carry = revenue[r["code"]].get("carryover", D0) if outside else D0
        yield Comparison(f"revenue:vs_expenditure:{r['code'] or 'total'}", r["amount_yuan"] + carry, e["amount_yuan"],
                         3 if outside else 2, e["page"], "expenditure",
                         {"row": f"{r['code'] or ''} {r['name'] or '合计'}".strip(),
                          "carry": "（含上年结转）" if outside else ""})


def _readable_tables(v: View) -> Iterator[dict]:
    seen: set[tuple] = set()
    for t in v.report.tables:
        key = (t["seq"], t["table_kind"])
        if t["table_kind"] in (K.UNRECOGNISED,) or t.get("status") == "unparsed" or key in seen:
            continue
        seen.add(key)
        yield t


def _words(key: str, passed: bool, t: dict, **fields) -> Comparison:
    return Comparison(key, None, None, 0, t.get("page_from"), t["table_kind"],
                      dict(fields, title=t.get("title") or K.label(t["table_kind"]), note=t.get("note") or ""),
                      passed=passed)


def empty_needs_note(v: View) -> Iterator[Comparison]:
    """A table printed without any amount says why (注：本表无数据 / 本单位无…): a silent blank table is a finding."""
    for t in _readable_tables(v):
        if t.get("status") == "empty":
            yield _words(f"{t['table_kind']}:note:{t['seq']}", bool(t.get("note")), t)


def note_means_empty(v: View) -> Iterator[Comparison]:
    """A table whose note says it has no data prints no amount: 本表无数据 above printed figures is a finding."""
    for t in _readable_tables(v):
        if t.get("note"):
            yield _words(f"{t['table_kind']}:note_empty:{t['seq']}", t.get("status") == "empty", t)


def note_names_own_table(v: View) -> Iterator[Comparison]:
    """The note of an empty table is about that table: one naming another table's fund (a note copied from the
    政府性基金 table under the 国有资本经营 table) is a finding. A note naming no fund at all is not judged."""
    subjects = {k.key: k.subject for k in K.KINDS if k.subject}
    for t in _readable_tables(v):
        note = t.get("note") or ""
        own = subjects.get(t["table_kind"], ())
        others = sorted({w for kind, words in subjects.items() if kind != t["table_kind"] for w in words
                         if w in note and w not in own})
        if not own or not (others or any(w in note for w in own)):
            continue
        passed = any(w in note for w in own) or not others
        yield _words(f"{t['table_kind']}:note_subject:{t['seq']}", passed, t,
                     others="说的是本表" if passed else f"说的是{'、'.join(others)}，不是本表")


def required_tables(v: View) -> Iterator[Comparison]:
    """Every table a standard report of its family prints is there (printed as 本表无数据 counts)."""
    family = K.family_of(v.report.doc.get("doc_type"))
    printed = {t["table_kind"] for t in v.report.tables}
    for kind in K.required(family):
        yield Comparison(f"report:required:{kind}", None, None, 0, None, kind, {"family": family},
                         passed=kind in printed)


_PLACEHOLDER = re.compile(r"[XＸ]{2,}|[×✕]{2,}|待填|待补充|[（(]\s*[)）]局")
_YEAR = re.compile(r"(20\d{2})\s*年")


def placeholders(v: View) -> Iterator[Comparison]:
    """A template's placeholders left in the published text (XX局, ××单位, 待填): one finding per place."""
    texts: list[tuple[str, int | None, str]] = [(v.report.doc.get("title") or "", None, "标题")]
    texts += [(t["title"] or "", t.get("page_from"), "表题") for t in v.report.tables]
    texts += [(ln.text, ln.page, "说明") for ln in v.report.prose]
    found = 0
    for text, page, where in texts:
        for m in _PLACEHOLDER.finditer(text):
            found += 1
            start = max(m.start() - 12, 0)
            yield Comparison(f"report:placeholder:{found}", None, None, 0, page, None,
                             {"where": where, "at": f"第{page}页" if page else "",
                              "finding": f"有未替换的模板占位符“{m.group(0)}”：{text[start:m.end() + 12].strip()}"},
                             passed=False)
    if not found:
        yield Comparison("report:placeholder:none", None, None, 0, None, None,
                         {"where": "全文", "at": "", "finding": "未见模板占位符（如“XX”“××”“待填”）"}, passed=True)


def heading_years(v: View) -> Iterator[Comparison]:
    """A table heading printed with another year than the report's (2022年… in a 2023 budget) is a finding."""
    year = v.report.doc.get("fiscal_year")
    if not year:
        return
    for t in _readable_tables(v):
        m = _YEAR.search(t.get("title") or "")
        if m:
            yield Comparison(f"{t['table_kind']}:year:{t['seq']}", None, None, 0, t.get("page_from"), t["table_kind"],
                             {"title": t["title"], "printed": m.group(1), "year": year},
                             passed=int(m.group(1)) == int(year))


# stem of a change (facts.CHANGE_KEYS) → the key of the amount it changes
_CHANGE_STEMS = {"revenue": "revenue_total", "expenditure": "expenditure_total", "gp_current": "gp_current",
                 "fiscal_revenue": "fiscal_revenue", "fiscal_expenditure": "fiscal_expenditure",
                 "gov_fund_expenditure": "gov_fund_expenditure", "soe_expenditure": "soe_expenditure",
                 "three_public": "three_public_total", "operating_cost": "operating_cost"}


def _changes(v: View) -> Iterator[tuple[str, dict, dict | None, dict | None, dict | None]]:
    """(stem, amount fact, change, change %, prior) stated in one sentence."""
    by_sentence: dict[str, dict[str, dict]] = defaultdict(dict)
    for f in v.facts:
        by_sentence[f["sentence"]].setdefault(f["key"], f)
    for facts in by_sentence.values():
        for stem, key in _CHANGE_STEMS.items():
            if key in facts and (f"{stem}_change" in facts or f"{stem}_change_pct" in facts):
                yield (stem, facts[key], facts.get(f"{stem}_change"), facts.get(f"{stem}_change_pct"),
                       facts.get(f"{stem}_prior"))


def _spread(f: dict) -> Decimal:
    return prose_tolerance(f.get("decimals"))


def _at(f: dict) -> str:
    return f"第{f['page']}页" if f.get("page") else ""


def change_prior_nonnegative(v: View) -> Iterator[Comparison]:
    """An amount and its change imply last year's figure (amount − change): it cannot be below 0 — a 0万元 figure
    that 比上年增加 is a contradiction."""
    for stem, amount, change, _, _ in _changes(v):
        if change is None:
            continue
        a, c = prose_yuan(amount["value"]), prose_yuan(change["value"])
        yield Comparison(f"facts:{stem}_change:prior", None, None, 0, amount.get("page"), None,
                         {"at": _at(amount), "what": FACT_LABELS.get(amount["key"], amount["key"]),
                          "figure": fmt_figure(amount["value"]), "change": fmt_figure(change["value"]),
                          "prior": fmt_figure(amount["value"] - change["value"])},
                         passed=a - c >= -(_spread(amount) + _spread(change)))


def change_vs_prior(v: View) -> Iterator[Comparison]:
    """Where the prose prints last year's figure too, amount − change equals it."""
    for stem, amount, change, _, prior in _changes(v):
        if change is None or prior is None:
            continue
        yield Comparison(f"facts:{stem}_change:stated_prior", prose_yuan(prior["value"]),
                         prose_yuan(amount["value"]) - prose_yuan(change["value"]), 2, amount.get("page"), None,
                         {"at": _at(amount), "what": FACT_LABELS.get(amount["key"], amount["key"])},
                         tolerance=_spread(amount) + _spread(change) + _spread(prior))


def _pct_bounds(amount: Decimal, change: Decimal, ea: Decimal, ec: Decimal) -> tuple[Decimal, Decimal] | None:
    """The change % the printed figures allow, each anywhere within its printed rounding."""
    values = []
    for da in (-ea, ea):
        for dc in (-ec, ec):
            prior = amount + da - (change + dc)
            if prior <= 0:
                return None  # last year ~0: any % (or none) is possible
            values.append((change + dc) / prior * 100)
    return min(values), max(values)


def change_pct(v: View) -> Iterator[Comparison]:
    """The stated % agrees with the stated amounts: change ÷ (amount − change), to the precision both are printed."""
    for stem, amount, change, pct, _ in _changes(v):
        if change is None or pct is None:
            continue
        bounds = _pct_bounds(prose_yuan(amount["value"]), prose_yuan(change["value"]), _spread(amount), _spread(change))
        if bounds is None:
            continue
        half = Decimal(5) / Decimal(10) ** ((pct.get("decimals") or 0) + 1)
        stated = Decimal(str(pct["value"]))
        yield Comparison(f"facts:{stem}_change_pct:check", None, None, 0, amount.get("page"), None,
                         {"at": _at(amount), "what": FACT_LABELS.get(amount["key"], amount["key"]),
                          "pct": fmt_figure(pct["value"]),
                          "implied": f"{(bounds[0] + bounds[1]) / 2:.2f}".rstrip("0").rstrip(".")},
                         passed=bounds[0] - half <= stated <= bounds[1] + half)


def revenue_expenditure_move_together(v: View) -> Iterator[Comparison]:
    """Where the prose states 收入总计 and 支出总计 as one figure (a balanced budget) with a change for each, the two
    changes are the same: 收入 cannot 增加 while the equal 支出 减少."""
    rev = [c for c in _changes(v) if c[0] == "revenue" and c[2] is not None]
    exp = [c for c in _changes(v) if c[0] == "expenditure" and c[2] is not None]
    if not rev or not exp:
        return
    (_, ra, rc, _, _), (_, ea, ec, _, _) = rev[0], exp[0]
    if abs(prose_yuan(ra["value"]) - prose_yuan(ea["value"])) > _spread(ra) + _spread(ea):
        return
    yield Comparison("facts:revenue_expenditure_change", prose_yuan(rc["value"]), prose_yuan(ec["value"]), 2,
                     ec.get("page"), None, {"at": _at(rc)}, tolerance=_spread(rc) + _spread(ec))


def item_change_pct(v: View) -> Iterator[Comparison]:
    """A 科目 paragraph's “比上年预算执行数增加X%” agrees with its own 预算安排 and 执行数."""
    by_sentence: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for f in v.facts:
        if f["key"].startswith("item_"):
            by_sentence[(f["sentence"], f.get("code"))].setdefault(f["key"], f)
    n = 0
    for (_, code), facts in by_sentence.items():
        prior, pct = facts.get("item_prior_executed"), facts.get("item_change_pct")
        # the % may be reckoned from the 预算安排 or the item's amount (the same figure unless one is misprinted,
        # which the table rule already reports): it agrees if it fits either
        amounts = [f for f in (facts.get("item_budget"), facts.get("item_amount")) if f]
        if not (amounts and prior and pct):
            continue
        p = prose_yuan(prior["value"])
        fits = [b for f in amounts if (b := _pct_bounds(prose_yuan(f["value"]), prose_yuan(f["value"]) - p, _spread(f),
                                                         _spread(f) + _spread(prior))) is not None]
        if not fits:
            continue
        amount, bounds = amounts[0], fits[0]
        n += 1
        half = Decimal(5) / Decimal(10) ** ((pct.get("decimals") or 0) + 1)
        stated = Decimal(str(pct["value"]))
        yield Comparison(f"facts:item_change_pct:{code or ''}:{n}", None, None, 0, amount.get("page"), None,
                         {"at": _at(amount), "code": code or "", "pct": fmt_figure(pct["value"]),
                          "figure": fmt_figure(amount["value"]), "prior": fmt_figure(prior["value"]),
                          "implied": f"{(bounds[0] + bounds[1]) / 2:.2f}".rstrip("0").rstrip(".")},
                         # the size of the change; a direction word contradicting the figures is
                         # prose.direction_vs_figures's finding, not a second one here
                         passed=any(lo - half <= x <= hi + half for lo, hi in fits for x in (stated, -stated)))
