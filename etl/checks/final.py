"""What the 决算 (final accounts) rules relate: the cells of a 决算's tables and prose, found by meaning.

Relations in the sense of etl/checks/budget.py: each yields `Comparison`s for the rule table (etl/checks/rules.py), which
decides the family, the tolerance method and the words. Cells are found by the contract's vocabulary (kind,
side, item pattern, measure, code), never by position, so a 决算 of another unit or year is read the same way.

Percentages (占 %, 完成预算的 %) are compared as numbers in the checks' expected/actual columns; their tolerance
is worked out from the precision the figures are printed with (a % printed with two decimals stands for ±0.005,
and the 万元 figures it divides are themselves rounded to 0.01), so a report that rounds honestly passes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from etl.checks.budget import Relation, View, amount_or_zero, fmt_figure, pick, prose_figures
from etl.read.amounts import rounding_tolerance
from etl.read.report import Comparison
from etl.read.tokens import clean
from etl.tables import kinds as K

D0 = Decimal(0)
HUNDRED = Decimal(100)
_FUNDS = ("general_budget", "gov_fund", "soe_capital")
_FUND_WORDS = {"general_budget": "一般公共预算", "gov_fund": "政府性基金", "soe_capital": "国有资本经营"}
REVENUE_PARTS = ("fiscal_appropriation", "superior_subsidy", "business_income", "operating_income",
                 "affiliated_remit", "other_income")
EXPENDITURE_PARTS = ("basic", "project", "remit_superior", "operating_expense", "affiliated_subsidy")
# 收入支出决算总表 收入 lines → the 收入决算表 column that holds the same money
_SUMMARY_SOURCES = (
    (r"财政拨款收入$", "fiscal_appropriation"), (r"^上级补助收入$", "superior_subsidy"), (r"^事业收入$", "business_income"),
    (r"^经营收入$|^事业单位经营收入$", "operating_income"), (r"^附属单位上缴收入$", "affiliated_remit"),
    (r"^其他收入$", "other_income"),
)


def _is_total(item: str) -> bool:
    return bool(re.search(r"合计$|总计$|结转和结余$|^结余分配$|^使用非财政拨款结余", item))


# ------------------------------------------------------------------------------------------ 收入支出决算总表


def final_summary_identities(v: View) -> Iterator[Comparison]:
    """总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余 (收入); 总计 = 本年支出合计 + 结余分配 + 年末结转和结余
    (支出); 本年收入/支出合计 = the lines above it. A blank line is nothing (0)."""
    kind = "final_summary"
    for side, current, parts, word in (
            ("收入", r"^本年收入合计$", (r"^使用非财政拨款结余", r"^年初结转和结余$"), "本年收入合计、使用非财政拨款结余与年初结转和结余之和"),
            ("支出", r"^本年支出合计$", (r"^结余分配$", r"^年末结转和结余$"), "本年支出合计、结余分配与年末结转和结余之和")):
        rows = v.side_rows(kind, side)
        cur = pick(rows, current)
        total = pick(rows, r"^总计$")
        if cur is not None and total is not None:
            found = [pick(rows, p) for p in parts]
            yield Comparison(f"{kind}:total:{side}", total["amount_yuan"],
                             cur["amount_yuan"] + sum((amount_or_zero(r) for r in found), D0), 3, total["page"], kind,
                             {"row": f"{side}总计", "parts": word})
        if cur is not None:
            lines = [r for r in rows if r["row_no"] < cur["row_no"] and r["measure"] == "total" and not _is_total(r["item"])]
            if lines:
                yield Comparison(f"{kind}:current:{side}", cur["amount_yuan"], sum((r["amount_yuan"] for r in lines), D0),
                                 len(lines), cur["page"], kind, {"row": cur["item"], "parts": f"其上{len(lines)}行之和"})


def final_summary_vs(kind: str) -> Relation:
    """收入支出决算总表 against 收入决算表 (its 合计 and each 收入 source against its column) or 支出决算表 (its 合计 and
    each 类 against the 类 of the same name)."""

    def relate(v: View) -> Iterator[Comparison]:
        yield from (c for c in _final_summary_vs_tables(v) if c.fields.get("kind") == kind)

    return relate


def _final_summary_vs_tables(v: View) -> Iterator[Comparison]:
    rev = v.side_rows("final_summary", "收入")
    exp = v.side_rows("final_summary", "支出")
    for kind, rows, pattern in (("revenue", rev, r"^本年收入合计$"), ("expenditure", exp, r"^本年支出合计$")):
        s = pick(rows, pattern)
        t = v.func_cell(kind, None, "total")
        if s is not None and t is not None:
            yield Comparison(f"final_summary:{kind}_total", s["amount_yuan"], t["amount_yuan"], 2, s["page"],
                             "final_summary", {"item": s["item"], "other": f"{v.title(kind)}合计", "kind": kind})
    if v.func_cell("revenue", None, "total") is not None:
        current = pick(rev, r"^本年收入合计$")
        limit = current["row_no"] if current else 10 ** 9
        for pattern, measure in _SUMMARY_SOURCES:
            lines = [r for r in rev if r["row_no"] < limit and r["measure"] == "total" and re.search(pattern, r["item"])]
            column = v.func_cell("revenue", None, measure)
            if not lines and column is None:
                continue
            item = "、".join(r["item"] for r in lines) or re.sub(r"[\^$|\\]", "", pattern.split("|")[0])
            yield Comparison(f"final_summary:source:{measure}", sum((r["amount_yuan"] for r in lines), D0),
                             amount_or_zero(column), max(len(lines), 1) + 1, lines[0]["page"] if lines else None,
                             "final_summary",
                             {"item": item, "other": f"{v.title('revenue')}合计行{K.measure_label(measure)}",
                              "kind": "revenue"})
    by_name = {r["name"]: r for r in v.func_rows("expenditure") if r["level"] == 1 and r["measure"] == "total"}
    for r in exp:
        if r["measure"] == "total" and r["item"] in by_name:
            e = by_name[r["item"]]
            yield Comparison(f"final_summary:class:{e['code']}", r["amount_yuan"], e["amount_yuan"], 2, r["page"],
                             "final_summary", {"item": r["item"], "other": f"{v.title('expenditure')}科目{e['code']}的合计",
                                               "kind": "expenditure"})


# ------------------------------------------------------------------------------------------ 财政拨款收入支出决算总表


def fiscal_final_identities(v: View) -> Iterator[Comparison]:
    """财政拨款收入支出决算总表: 本年收入合计 = its fund lines; 年初财政拨款结转和结余 = its fund lines; each 支出 column's
    本年支出合计 = its 类 rows; 总计 = 本年 + 结转 on both sides; and per fund 年初 + 本年收入 = 本年支出 + 年末."""
    kind = "fiscal_summary"
    rev = v.side_rows(kind, "收入")
    exp = v.side_rows(kind, "支出")
    cur_in = pick(rev, r"^本年收入合计$")
    open_in = pick(rev, r"^年初.*结转和结余$")
    total_in = pick(rev, r"^总计$")
    if cur_in is None:
        return
    blocks = {"current": [r for r in rev if r["row_no"] < cur_in["row_no"] and r["measure"] == "total"
                          and not _is_total(r["item"])]}
    if open_in is not None:
        end = total_in["row_no"] if total_in else 10 ** 9
        blocks["opening"] = [r for r in rev if open_in["row_no"] < r["row_no"] < end and r["measure"] == "total"]
    for name, head in (("current", cur_in), ("opening", open_in)):
        lines = blocks.get(name, [])
        if head is not None and lines:
            yield Comparison(f"{kind}:in:{name}", head["amount_yuan"], sum((r["amount_yuan"] for r in lines), D0),
                             len(lines), head["page"], kind, {"row": f"“{head['item']}”", "parts": f"其下{len(lines)}项资金之和"
                                                                if name == "opening" else f"其上{len(lines)}项资金之和"})
    if total_in is not None:
        yield Comparison(f"{kind}:in:total", total_in["amount_yuan"], cur_in["amount_yuan"] + amount_or_zero(open_in), 2,
                         total_in["page"], kind, {"row": "“收入总计”", "parts": "本年收入合计与年初财政拨款结转和结余之和"})
    cur_out = pick(exp, r"^本年支出合计$")
    total_out = pick(exp, r"^总计$")
    if cur_out is None:
        return
    measures = sorted({r["measure"] for r in exp}, key=lambda m: (m != "total", str(m)))
    for m in measures:
        cur_m = pick(exp, r"^本年支出合计$", m)
        lines = [r for r in exp if r["row_no"] < cur_out["row_no"] and r["measure"] == m and not _is_total(r["item"])]
        label = K.measure_label(m)
        if cur_m is not None or lines:
            yield Comparison(f"{kind}:out:current:{m}", amount_or_zero(cur_m), sum((r["amount_yuan"] for r in lines), D0),
                             max(len(lines), 1), cur_out["page"], kind,
                             {"row": f"“本年支出合计”行{label}列", "parts": f"其上{len(lines)}类支出之和"})
        tot_m = pick(exp, r"^总计$", m)
        if total_out is not None and (tot_m is not None or cur_m is not None):
            closing = amount_or_zero(pick(exp, r"^年末.*结转和结余$", m))
            yield Comparison(f"{kind}:out:total:{m}", amount_or_zero(tot_m), amount_or_zero(cur_m) + closing,
                             2, total_out["page"], kind,
                             {"row": f"“支出总计”行{label}列", "parts": "本年支出合计与年末财政拨款结转和结余之和"})
    opening = blocks.get("opening", [])
    for m in _FUNDS:
        word = _FUND_WORDS[m]
        income = sum((r["amount_yuan"] for r in blocks["current"] if r["item"].startswith(word)), D0)
        start = sum((r["amount_yuan"] for r in opening if r["item"].startswith(word)), D0)
        spent = amount_or_zero(pick(exp, r"^本年支出合计$", m))
        end = amount_or_zero(pick(exp, r"^年末.*结转和结余$", m))
        if income or start or spent or end:
            yield Comparison(f"{kind}:fund:{m}", start + income, spent + end, 4, cur_out["page"], kind,
                             {"row": f"{word}财政拨款的年初结转和结余与本年收入之和",
                              "parts": "其本年支出与年末结转和结余之和"})


def fiscal_vs_final_summary(v: View) -> Iterator[Comparison]:
    """财政拨款收入支出决算总表's 本年收入 by fund equals the 收入支出决算总表's 财政拨款收入 lines of the same fund."""
    fiscal = v.side_rows("fiscal_summary", "收入")
    final = v.side_rows("final_summary", "收入")
    cur_f = pick(fiscal, r"^本年收入合计$")
    cur_s = pick(final, r"^本年收入合计$")
    if cur_f is None or cur_s is None:
        return
    for m in _FUNDS:
        word = _FUND_WORDS[m]
        a = [r for r in fiscal if r["row_no"] < cur_f["row_no"] and r["measure"] == "total" and r["item"].startswith(word)]
        b = [r for r in final if r["row_no"] < cur_s["row_no"] and r["measure"] == "total" and r["item"].startswith(word)]
        if a or b:
            yield Comparison(f"fiscal_summary:vs_final:{m}", sum((r["amount_yuan"] for r in b), D0),
                             sum((r["amount_yuan"] for r in a), D0), 2, a[0]["page"] if a else None, "fiscal_summary",
                             {"item": f"{word}财政拨款收入"})


# ------------------------------------------------------------------------------------------ 基本支出决算表


def _sum_words(parts: list[str]) -> str:
    """“A、B与C之和” — how a reviewer names a sum; one part is itself, none the other 类 (none printed)."""
    if not parts:
        return "其余各类之和"
    if len(parts) == 1:
        return parts[0]
    return f"{'、'.join(parts[:-1])}与{parts[-1]}之和"


def econ_final_groups(v: View) -> Iterator[Comparison]:
    """人员经费合计 = 301 工资福利支出 + 303 对个人和家庭的补助; 公用经费合计 = 302 商品和服务支出 + 310 资本性支出 (and any
    other 类 printed on its side)."""
    econ = [r for r in v.rows.get("econ_lines", []) if r["measure"] == "total"]
    groups = {r["econ_code"]: r for r in econ if r["is_group"] and r["econ_code"] and len(r["econ_code"]) == 3}
    personnel = v.econ_line("人员经费", prefix=True)
    public = v.econ_line("公用经费", prefix=True)
    if personnel is not None:
        parts = [groups[c] for c in ("301", "303") if c in groups]
        yield Comparison("gp_basic_econ:personnel", personnel["amount_yuan"], sum((r["amount_yuan"] for r in parts), D0),
                         max(len(parts), 1), personnel["page"], "gp_basic_econ",
                         {"row": personnel["econ_name"], "parts": "301工资福利支出与303对个人和家庭的补助之和"})
    if public is not None:
        parts = [r for c, r in sorted(groups.items()) if c not in ("301", "303")]
        yield Comparison("gp_basic_econ:public", public["amount_yuan"], sum((r["amount_yuan"] for r in parts), D0),
                         max(len(parts), 1), public["page"], "gp_basic_econ",
                         {"row": public["econ_name"],
                          "parts": _sum_words([f"{r['econ_code']}{r['econ_name']}" for r in parts])})


def econ_final_vs_gp_basic(v: View) -> Iterator[Comparison]:
    """人员经费合计 + 公用经费合计 of the 基本支出决算表 = the 一般公共预算财政拨款支出决算表's 基本支出 合计."""
    personnel = v.econ_line("人员经费", prefix=True)
    public = v.econ_line("公用经费", prefix=True)
    gp_basic = v.func_cell("gp_expenditure", None, "basic")
    if personnel is not None and public is not None and gp_basic is not None:
        yield Comparison("gp_basic_econ:vs_gp_basic", gp_basic["amount_yuan"],
                         personnel["amount_yuan"] + public["amount_yuan"], 3, public["page"], "gp_basic_econ",
                         {"row": "人员经费合计与公用经费合计之和", "parts": f"{v.title('gp_expenditure')}基本支出合计"})


# ------------------------------------------------------------------------------------------ 三公 and empty tables


def three_public_within_budget(v: View) -> Iterator[Comparison]:
    """Each “三公” item's 决算数 is not above its 预算数 (above is a finding to explain, not an arithmetic error)."""
    cells: dict[str, dict[str, dict]] = defaultdict(dict)
    for r in v.rows.get("three_public", []):
        if r["table_kind"] == "three_public" and r["measure"] in ("budget", "actual"):
            cells[r["item"]][r["measure"]] = r
    for item, c in cells.items():
        if "actual" not in c:
            continue
        budget = amount_or_zero(c.get("budget"))
        actual = c["actual"]["amount_yuan"]
        yield Comparison(f"three_public:within_budget:{item}", budget, actual, 1, c["actual"]["page"], "three_public",
                         {"item": item}, passed=actual <= budget)




# ------------------------------------------------------------------------------------------ prose


FACT_LABELS = {
    "final_total": "收入支出总计", "revenue_current": "本年收入合计", "expenditure_current": "本年支出合计",
    "basic_total": "基本支出", "project_total": "项目支出", "fiscal_total": "财政拨款收入支出总计",
    "gp_actual": "一般公共预算财政拨款支出", "gp_basic_total": "一般公共预算财政拨款基本支出",
    "basic_personnel": "人员经费", "basic_public": "公用经费", "gp_class_actual": "类级支出", "item_actual": "科目支出决算",
    "three_public_budget": "“三公”经费预算", "three_public_actual": "“三公”经费支出决算",
    "gov_fund_actual": "政府性基金预算财政拨款支出", "soe_capital_actual": "国有资本经营预算财政拨款支出",
    **{f"revenue_{m}": K.measure_label(m) for m in REVENUE_PARTS},
    "remit_superior": "上缴上级支出", "operating_expense": "经营支出", "affiliated_subsidy": "对附属单位补助支出",
}
_TP_ITEMS = {"abroad": "因公出国（境）费", "vehicle": "公务用车购置及运行费", "vehicle_purchase": "公务用车购置费",
             "vehicle_operation": "公务用车运行维护费", "reception": "公务接待费"}
for _stem, _item in _TP_ITEMS.items():
    FACT_LABELS[f"three_public_{_stem}_actual"] = f"{_item}支出决算"


def _tp_cell(v: View, item: str, measure: str) -> tuple[Decimal, int, str, str] | None:
    if not v.has("three_public"):
        return None
    r = v.three_public_cell(item, measure, "three_public")
    label = "决算数" if measure == "actual" else "预算数"
    if r is not None:
        return r["amount_yuan"], 1, "three_public", f"{v.title('three_public')}{item}{label}"
    return D0, 1, "three_public", f"{v.title('three_public')}{item}{label}（未列数）"


def lookup(v: View, key: str, code: str | None) -> tuple[Decimal, int, str, str] | None:
    """(table figure, cells, table kind, what it is) for a 决算 prose figure, or None where no table says it."""
    def summary(kind: str, side: str, pattern: str, what: str, measure: str = "total"):
        r = pick(v.side_rows(kind, side), pattern, measure)
        return None if r is None else (r["amount_yuan"], 1, kind, f"{v.title(kind)}{what}")

    def func(kind: str, fcode: str | None, measure: str, what: str):
        r = v.func_cell(kind, fcode, measure)
        if r is None and v.func_cell(kind, fcode, "total") is not None:
            return D0, 1, kind, f"{v.title(kind)}{what}（未列数）"
        if r is None and v.empty(kind):
            return D0, 1, kind, f"{v.title(kind)}（本表无数据）"
        return None if r is None else (r["amount_yuan"], 1, kind, f"{v.title(kind)}{what}")

    if key == "final_total":
        return summary("final_summary", "收入", r"^总计$", "总计")
    if key == "revenue_current":
        return summary("final_summary", "收入", r"^本年收入合计$", "本年收入合计")
    if key == "expenditure_current":
        return summary("final_summary", "支出", r"^本年支出合计$", "本年支出合计")
    if key == "fiscal_total":
        return summary("fiscal_summary", "收入", r"^总计$", "总计")
    if key.startswith("revenue_") and key[8:] in REVENUE_PARTS:
        return func("revenue", None, key[8:], f"合计行{K.measure_label(key[8:])}")
    if key in ("basic_total", "project_total", "remit_superior", "operating_expense", "affiliated_subsidy"):
        m = {"basic_total": "basic", "project_total": "project"}.get(key, key)
        return func("expenditure", None, m, f"合计行{FACT_LABELS[key]}")
    if key == "gp_actual":
        return func("gp_expenditure", None, "total", "合计")
    if key == "gp_basic_total":
        return func("gp_expenditure", None, "basic", "基本支出合计")
    if key in ("gp_class_actual", "item_actual") and code:
        return func("gp_expenditure", code, "total", f"科目{code}的合计")
    if key in ("basic_personnel", "basic_public"):
        word = "人员经费" if key == "basic_personnel" else "公用经费"
        r = v.econ_line(word, prefix=True)
        return None if r is None else (r["amount_yuan"], 1, "gp_basic_econ", f"{v.title('gp_basic_econ')}{r['econ_name']}")
    if key in ("three_public_budget", "three_public_actual"):
        return _tp_cell(v, "合计", key.rsplit("_", 1)[1])
    if key.startswith("three_public_") and key.endswith("_actual") and key[13:-7] in _TP_ITEMS:
        return _tp_cell(v, _TP_ITEMS[key[13:-7]], "actual")
    if key == "gov_fund_actual":
        return func("gov_fund_expenditure", None, "total", "合计")
    if key == "soe_capital_actual":
        return func("soe_capital", None, "total", "合计")
    return None


def fact_table(key: str) -> tuple[str, ...]:
    if key in ("final_total", "revenue_current", "expenditure_current"):
        return ("final_summary",)
    if key == "fiscal_total":
        return ("fiscal_summary",)
    if key.startswith("revenue_"):
        return ("revenue",)
    if key in ("basic_total", "project_total", "remit_superior", "operating_expense", "affiliated_subsidy"):
        return ("expenditure",)
    if key in ("gp_actual", "gp_basic_total", "gp_class_actual", "item_actual"):
        return ("gp_expenditure",)
    if key in ("basic_personnel", "basic_public"):
        return ("gp_basic_econ",)
    if key.startswith("three_public_"):
        return ("three_public",)
    if key == "gov_fund_actual":
        return ("gov_fund_expenditure",)
    if key == "soe_capital_actual":
        return ("soe_capital",)
    return ()


def _named(v: View, what: str, code: str | None) -> str:
    """A coded figure is named by its 科目 as the report's table prints it (一般公共服务支出), else by what it is."""
    if code:
        name = next((r["name"] for r in v.func if r["code"] == code and r.get("name")), None)
        if name:
            return name
    return what


def _fields(v: View, f: dict, what: str, source: str = "相应的表") -> dict:
    return {"where": f"第{f['page']}页" if f.get("page") else "", "what": _named(v, what, f.get("code")),
            "code": f"（{f['code']}）" if f.get("code") else "", "figure": fmt_figure(f["value"]), "source": source}


def prose_vs_tables(v: View) -> Iterator[Comparison]:
    """Every 万元 figure a 决算's prose states equals the table figure it names, to the precision it is printed with."""
    yield from prose_figures(v, "final_facts", FACT_LABELS, fact_table, lookup,
                             lambda f, source: _fields(v, f, FACT_LABELS[f["key"]], source))


def _pct_tolerance(printed_decimals: int | None, part: Decimal, whole: Decimal, unit_step: Decimal) -> Decimal:
    """How far a printed % may be from part/whole×100 when the % is rounded (or cut) to its printed decimals and
    part and whole are each rounded to `unit_step` (the print's 0.01 万元)."""
    # one unit of the last printed digit: a report may round or cut (95.4571% printed 95.45%) — both honest
    half = Decimal(1) / Decimal(10) ** (printed_decimals if printed_decimals is not None else 2)
    if whole <= unit_step:
        return half + HUNDRED
    spread = HUNDRED * (abs(part) * unit_step + abs(whole) * unit_step) / (whole * (whole - unit_step))
    return half + spread


# share fact → (part fact key, whole: a table figure found by lookup on this key)
_SHARES = {
    **{f"revenue_{m}_share": (f"revenue_{m}", "revenue_current") for m in REVENUE_PARTS},
    "basic_total_share": ("basic_total", "expenditure_current"),
    "project_total_share": ("project_total", "expenditure_current"),
    "gp_actual_share": ("gp_actual", "expenditure_current"),
    **{f"{k}_share": (k, "expenditure_current") for k in ("remit_superior", "operating_expense", "affiliated_subsidy")},
    "gp_class_share": ("gp_class_actual", "gp_actual"),
}


def prose_shares(v: View) -> Iterator[Comparison]:
    """Each 占 X% the prose states equals the share the tables give (part ÷ whole × 100), to its printed precision."""
    seq: dict[str, int] = defaultdict(int)
    for f in v.facts:
        if f.get("unit") != "%" or f["key"] not in _SHARES or f.get("value") is None:
            continue
        part_key, whole_key = _SHARES[f["key"]]
        part = lookup(v, part_key, f.get("code"))
        whole = lookup(v, whole_key, None)
        if part is None or whole is None or whole[0] == 0:
            continue
        n = seq[f["key"]] = seq[f["key"]] + 1
        share = (part[0] / whole[0] * HUNDRED).quantize(Decimal("0.0001"))
        step = rounding_tolerance(v.unit(part[2]), 1)
        tol = _pct_tolerance(f.get("decimals"), part[0], whole[0], step)
        what = FACT_LABELS.get(part_key, part_key)
        printed = Decimal(str(f["value"]))
        # a % is no amount: the figures go into the words, expected/actual (元) stay NULL
        yield Comparison(f"final_facts:{f['key']}:{f.get('code') or ''}:{n}", None, None, 0, f.get("page"), part[2],
                         dict(_fields(v, f, what, f"{part[3]}÷{whole[3]}"),
                              computed=f"{share.quantize(Decimal('0.01'))}"),
                         passed=abs(share - printed) <= tol)


def _by_code(v: View, stem: str) -> dict[tuple[str | None, int], dict[str, dict]]:
    """The execution facts of one statement (item_/gp_/three_public_), grouped per 科目 (and per statement)."""
    out: dict[tuple[str | None, int], dict[str, dict]] = defaultdict(dict)
    for f in v.facts:
        k = f["key"]
        if k.startswith(stem + "_") and k[len(stem) + 1:] in ("budget", "actual", "completion_pct", "comparison"):
            # one statement per 科目 paragraph; the “三公” paragraph states its figures and its wording apart
            out[(f.get("code"), 0 if stem == "three_public" else hash(f["sentence"]))][k[len(stem) + 1:]] = f
    return out


_STATEMENTS = (("item", "科目"), ("gp", "一般公共预算财政拨款支出"), ("three_public", "“三公”经费"))


def prose_wording(v: View) -> Iterator[Comparison]:
    """The word (大于 / 小于 / 等于 / 持平) a sentence uses for 决算 against 预算 fits the two figures it states."""
    for stem, label in _STATEMENTS:
        for (code, _), fs in _by_code(v, stem).items():
            if not {"budget", "actual", "comparison"} <= fs.keys():
                continue
            b, a, word = fs["budget"]["value"], fs["actual"]["value"], fs["comparison"]["unit"]
            fits = {"大于": a > b, "小于": a < b, "等于": a == b, "持平": a == b}.get(word)
            if fits is None:
                continue
            f = fs["comparison"]
            yield Comparison(f"final_words:{stem}:{code or ''}:{fs['budget']['page']}", None, None, 0,
                             f.get("page"), "gp_expenditure" if stem != "three_public" else "three_public",
                             {"where": f"第{f['page']}页" if f.get("page") else "", "what": label,
                              "code": code or "", "word": word,
                              "budget": fmt_figure(b), "actual": fmt_figure(a)}, passed=fits)


def prose_completion(v: View) -> Iterator[Comparison]:
    """完成（年初）预算的 X% equals 决算 ÷ 预算 × 100 of the figures the same sentence states."""
    for stem, label in _STATEMENTS:
        for (code, _), fs in _by_code(v, stem).items():
            if not {"budget", "actual", "completion_pct"} <= fs.keys():
                continue
            b = Decimal(str(fs["budget"]["value"]))
            a = Decimal(str(fs["actual"]["value"]))
            if b == 0:
                continue
            f = fs["completion_pct"]
            pct = (a / b * HUNDRED).quantize(Decimal("0.0001"))
            step = Decimal("0.005")
            tol = _pct_tolerance(f.get("decimals"), a, b, step)
            printed = Decimal(str(f["value"]))
            yield Comparison(f"final_pct:{stem}:{code or ''}:{f['page']}", None, None, 0,
                             f.get("page"), "gp_expenditure" if stem != "three_public" else "three_public",
                             {"where": f"第{f['page']}页" if f.get("page") else "", "what": label,
                              "code": code or "", "figure": fmt_figure(f["value"]),
                              "computed": f"{pct.quantize(Decimal('0.01'))}",
                              "budget": fmt_figure(float(b)), "actual": fmt_figure(float(a))},
                             passed=abs(pct - printed) <= tol)


# ------------------------------------------------------------------------------------------ words of the report


_HEADING_YEAR = re.compile(r"^\s*第[一二三四五六七八九十]+部分.*?(\d{4})\s*年")


def heading_years(v: View) -> Iterator[Comparison]:
    """A part heading (第二部分 … 2024年度部门决算表) naming a year names the report's year (the table titles are
    checked by report.heading_years)."""
    year = v.report.doc.get("fiscal_year")
    if not year:
        return
    seen: set[tuple[int, int | None]] = set()
    texts = [(ln.text, ln.page) for ln in v.report.prose if _HEADING_YEAR.match(ln.text)]
    for text, page in texts:
        m = re.search(r"(\d{4})\s*年", text)
        if not m or (int(m.group(1)), page) in seen:
            continue
        seen.add((int(m.group(1)), page))
        yield Comparison(f"final_words:year:{page}:{m.group(1)}", None, None, 0, page, None,
                         {"heading": text.strip()[:40], "year": year}, passed=int(m.group(1)) == year)


# a whole heading line: [第X部分] unit year 年度 部门决算[表/情况说明] — never a wrapped sentence that mentions one
_HEADING_UNIT = re.compile(r"^\s*(?:第[一二三四五六七八九十]+部分)?\s*(?P<unit>[\u4e00-\u9fff（）()]{4,40}?)\s*"
                           r"\d{4}\s*年度?\s*(?:部门|单位)(?:预算|决算)(?:表|情况说明|情况)?\s*$")


def heading_units(v: View) -> Iterator[Comparison]:
    """A heading that names the unit (… 2024年度部门决算表) names the unit the report is of (its cover)."""
    unit = v.report.doc.get("unit_name")
    if not unit:
        return
    seen: set[str] = set()
    for ln in v.report.prose:
        m = _HEADING_UNIT.match(ln.text)
        if not m or len(ln.text) > 50:
            continue
        named = clean(m.group("unit"))
        if named in seen:
            continue
        seen.add(named)
        yield Comparison(f"final_words:unit:{ln.page}:{named}", None, None, 1, ln.page, None,
                         {"heading": clean(ln.text)[:40], "named": named, "unit": unit},
                         passed=named == unit)


__all__ = ["Relation"]
