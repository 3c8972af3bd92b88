"""Figures a 决算 (final accounts) report states in its 情况说明 → facts rows, each with its source sentence.

The national 决算 template words every paragraph the same way (收入支出总计X万元。与Y年度相比…增加Z万元，增长W%;
年初预算为A万元，支出决算为B万元，完成年初预算的C%。决算数小于预算数的主要原因：…), so a figure is recognised by
the words the template puts in front of it, never by its position. What the prose states about one 科目
(“1、一般公共服务支出（类）财政事务（款）行政运行（项）。… 年初预算为…”) is coded from the report's own 功能分类
tables (name by name, 类 → 款 → 项) or left uncoded with a warning — never matched by amount.

Values are kept as printed (万元 / %); a decrease is negative, 持平 is 0. The comparison a sentence makes
(决算数大于/小于/等于预算数, 持平) is a fact whose value is NULL and whose unit is the word; the stated reason
(主要原因：…) is a fact whose sentence is the reason as printed. Budget (预算) reports are left to etl.words.facts.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from etl.read.layout import Line
from etl.read.report import Issue, ParsedReport
from etl.read.tokens import clean
from etl.words.facts import CodeIndex, Paragraph, only_budgets, paragraphs

__all__ = ["parse_final_facts", "only_budgets"]  # only_budgets lives in etl.words.facts (see there)

N = r"(-?\d[\d,]*(?:\.\d+)?)"
_OPT = r"(?:（[^）]{0,8}）)?"  # the template's own alternatives left in the print: 增加（减少）, 增长（下降）
_CHANGE = re.compile(r"与(?P<base>\d{4})年度?相比[，,]?(?P<subject>[^，。；]{0,30}?)(?:"
                     r"(?P<flat>持平|一致|基本持平)|(?P<dir>增加|减少)" + _OPT + N.replace("(", "(?P<amt>", 1)
                     + r"万元(?:[，,]\s*(?P<pdir>增长|下降)" + _OPT + N.replace("(", "(?P<pct>", 1) + r"%)?)")
_CHANGE_THAN = re.compile(r"比(?P<base>\d{4})年度?(?:(?P<flat>持平)|(?P<dir>增加|减少)" + _OPT
                          + N.replace("(", "(?P<amt>", 1) + r"万元(?:[，,]\s*(?P<pdir>增长|下降)" + _OPT
                          + N.replace("(", "(?P<pct>", 1) + r"%)?)")
_BUDGET = re.compile(r"(?:年初|全年|调整)?预算(?:数)?为" + N + r"万元")
# 全年预算 (调整后) stated beside 年初预算: a unit founded during the year prints 年初预算 0 and its 全年预算 apart
_FULL_BUDGET = re.compile(r"(?:全年|调整后?)预算(?:数)?为" + N + r"万元")
_ACTUAL = re.compile(r"(?:支出)?决算(?:数)?为" + N + r"万元")
_COMPLETION = re.compile(r"完成(?:年初|全年|调整)?预算(?:数)?的" + N + r"%")
_COMPARISON = re.compile(r"决算数?(?:与|同|和)?(?P<word>大于|小于|高于|低于|等于|超过|同|与|和)预算数?(?P<flat>基本持平|持平|一致)?")
_REASON = re.compile(r"主要原因(?:是|为)?[:：]?(?P<why>[^。]*)")
_ITEM_HEAD = re.compile(r"^\d+[、.．]\s*(?P<names>(?:[^（）。]+?（(?:类|款|项)）)+)")
_ITEM_NAMES = re.compile(r"^(?P<lei>.+?)（类）(?:(?P<kuan>.+?)（款）)?(?:(?P<xiang>.+?)（项）)?$")
_CLASS_SHARE = re.compile(r"(?:^|[：:；;，,])(?P<name>[^：:；;，,（）]+?)（类）" + N + r"万元[，,]\s*占" + N + r"%")
_WORDS = {"大于": "大于", "高于": "大于", "超过": "大于", "小于": "小于", "低于": "小于", "等于": "等于"}

# a part of the 收入/支出 total: the prose's words → key stem (the contract's measure where there is one)
_REVENUE_PARTS = [("财政拨款收入", "fiscal_appropriation"), ("上级补助收入", "superior_subsidy"),
                  ("事业收入", "business_income"), ("附属单位上缴收入", "affiliated_remit"),
                  ("经营收入", "operating_income"), ("其他收入", "other_income")]
_EXPENDITURE_PARTS = [("基本支出", "basic_total"), ("项目支出", "project_total"),
                      ("上缴上级支出", "remit_superior"), ("对附属单位补助支出", "affiliated_subsidy"),
                      ("经营支出", "operating_expense")]
_THREE_PUBLIC = [("因公出国（境）费", "abroad"), ("公务用车购置及运行维护费", "vehicle"),
                 ("公务用车购置及运行费", "vehicle"), ("公务用车购置", "vehicle_purchase"),
                 ("公务用车运行维护", "vehicle_operation"), ("公务接待费", "reception")]


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _fact(key: str, value: str | float | None, unit: str | None, sentence: str, page: int | None,
          code: str | None = None, sign: float = 1.0) -> dict:
    """`value` as printed (a string: its decimals say how precise the prose is, which the rules' tolerance reads),
    or a number the wording gives (持平 is 0), or None (a comparison word, a reason)."""
    decimals = None
    if isinstance(value, str):
        decimals = len(value.partition(".")[2])
        value = _number(value)
    if value is not None:
        value = sign * value if value else 0.0
    return {"key": key, "value": value, "unit": unit, "sentence": sentence, "code": code, "page": page,
            "decimals": decimals}


def _sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) split after 。 — a 科目 paragraph's figures and its reason stay whole per sentence."""
    out, offset = [], 0
    for s in re.split(r"(?<=。)", text):
        if s.strip():
            out.append((offset, s))
        offset += len(s)
    return out


def _change(m: re.Match, stem: str, sentence: str, page: int | None) -> list[dict]:
    if m.group("flat"):
        return [_fact(f"{stem}_change", 0.0, "万元", sentence, page)]
    sign = -1.0 if m.group("dir") == "减少" else 1.0
    out = [_fact(f"{stem}_change", m.group("amt"), "万元", sentence, page, sign=sign)]
    if m.group("pct") is not None:
        psign = -1.0 if m.group("pdir") == "下降" else 1.0
        out.append(_fact(f"{stem}_change_pct", m.group("pct"), "%", sentence, page, sign=psign))
    return out


def comparison(text: str) -> str | None:
    """The word a sentence compares 决算 with 预算 by: 大于 / 小于 / 等于 / 持平 (同/与…持平)."""
    m = _COMPARISON.search(text)
    if m is None:
        return None
    if m.group("flat"):
        return "持平"
    return _WORDS.get(m.group("word"))


def _reason(text: str) -> str | None:
    m = _REASON.search(text)
    why = m.group("why").strip(" ：:。") if m else ""
    return why or None


def _execution(stem: str, text: str, page: int | None, code: str | None = None) -> list[dict]:
    """年初预算为A万元，支出决算为B万元，完成年初预算的C%。决算数小于预算数的主要原因：… → budget, actual, %,
    the comparison word and the reason, under one key stem (item_ / gp_ / three_public_)."""
    out = []
    if b := _BUDGET.search(text):
        out.append(_fact(f"{stem}_budget", b.group(1), "万元", text, page, code))
    if f := _FULL_BUDGET.search(text):
        out.append(_fact(f"{stem}_budget_adjusted", f.group(1), "万元", text, page, code))
    if a := _ACTUAL.search(text):
        out.append(_fact(f"{stem}_actual", a.group(1), "万元", text, page, code))
    if c := _COMPLETION.search(text):
        out.append(_fact(f"{stem}_completion_pct", c.group(1), "%", text, page, code))
    if word := comparison(text):
        out.append(_fact(f"{stem}_comparison", None, word, text, page, code))
    if why := _reason(text):
        out.append(_fact(f"{stem}_reason", None, None, why, page, code))
    return out


def _item(text: str, page: int | None, index: CodeIndex, report: ParsedReport) -> list[dict]:
    head = _ITEM_HEAD.match(text)
    label = clean(head.group("names"))
    names = _ITEM_NAMES.match(label)
    code = index.find(names.group("lei"), names.group("kuan"), names.group("xiang")) if names else None
    if code is None:
        report.issues.append(Issue("warning", f"说明中的科目“{label}”在本报告的功能分类表中找不到唯一对应的科目编码，"
                                              f"其数字记入facts但编码留空", page))
    return _execution("item", text, page, code)


def _parts(text: str, parts: list[tuple[str, str]], prefix: str, page: int | None) -> list[dict]:
    out = []
    for words, stem in parts:
        for m in re.finditer(r"(?:^|[：:；;，,])" + words + r"(?:为)?" + N + r"万元(?:[，,]\s*占" + N + r"%)?", text):
            key = f"{prefix}{stem}"
            out.append(_fact(key, m.group(1), "万元", text, page))
            if m.group(2) is not None:
                out.append(_fact(f"{key}_share", m.group(2), "%", text, page))
    return out


Extractor = Callable[[str, int | None, dict], list[dict]]


def _totals(s: str, page: int | None, ctx: dict) -> list[dict]:
    out: list[dict] = []
    if m := re.search(r"(?<!拨款)收入支出总计(?:为)?" + N + r"万元", s):
        out.append(_fact("final_total", m.group(1), "万元", s, page))
        ctx["stem"] = "final_total"
    if m := re.search(r"财政拨款收入支出总计(?:为)?" + N + r"万元", s):
        out.append(_fact("fiscal_total", m.group(1), "万元", s, page))
        ctx["stem"] = "fiscal_total"
    if (m := _CHANGE.search(s)) and ctx.get("stem"):
        out.extend(_change(m, ctx["stem"], s, page))
    return out


def _revenue(s: str, page: int | None, ctx: dict) -> list[dict]:
    m = re.search(r"本年收入合计(?:为)?" + N + r"万元", s)
    if m is None:
        return []
    return [_fact("revenue_current", m.group(1), "万元", s, page)] + _parts(s, _REVENUE_PARTS, "revenue_", page)


def _expenditure(s: str, page: int | None, ctx: dict) -> list[dict]:
    m = re.search(r"本年支出合计(?:为)?" + N + r"万元[，,]\s*其中", s)
    if m is None:
        return []
    return [_fact("expenditure_current", m.group(1), "万元", s, page)] + _parts(s, _EXPENDITURE_PARTS, "", page)


def _gp(s: str, page: int | None, ctx: dict) -> list[dict]:
    out: list[dict] = []
    if "一般公共预算财政拨款支出" not in s or "基本支出" in s:
        return out
    if m := re.search(r"一般公共预算财政拨款支出(?:决算)?(?:为)?" + N + r"万元[，,]\s*占本年支出合计的" + N + r"%", s):
        out.append(_fact("gp_actual", m.group(1), "万元", s, page))
        out.append(_fact("gp_actual_share", m.group(2), "%", s, page))
    if (m := _CHANGE.search(s)) and "一般公共预算财政拨款支出" in (m.group("subject") or "") + s[m.end():m.end() + 2]:
        out.extend(_change(m, "gp_actual", s, page))
    elif m and out:
        out.extend(_change(m, "gp_actual", s, page))
    for m in _CLASS_SHARE.finditer(s):
        name = clean(m.group("name"))
        name = re.sub(r"^(?:主要用于以下方面|主要用于|其中)", "", name)
        code = ctx["classes"].get(name)
        out.append(_fact("gp_class_actual", m.group(2), "万元", s, page, code))
        out.append(_fact("gp_class_share", m.group(3), "%", s, page, code))
    return out


def _basic(s: str, page: int | None, ctx: dict) -> list[dict]:
    m = re.search(r"一般公共预算财政拨款基本支出(?:决算)?(?:为)?" + N + r"万元", s)
    if m is None:
        return []
    out = [_fact("gp_basic_total", m.group(1), "万元", s, page)]
    if p := re.search(r"人员经费(?:为)?" + N + r"万元", s):
        out.append(_fact("basic_personnel", p.group(1), "万元", s, page))
    if p := re.search(r"公用经费(?:为)?" + N + r"万元", s):
        out.append(_fact("basic_public", p.group(1), "万元", s, page))
    return out


def _three_public(s: str, page: int | None, ctx: dict) -> list[dict]:
    out: list[dict] = []
    if ctx.get("section") != "three_public":
        return out
    if re.search(r"三公[”\"]?经费(?:财政拨款)?支出(?:年初|全年)?预算为", s):
        head = re.split(r"，其中|。", s)[0]
        out.extend(_fact(f["key"].replace("tp_", "three_public_"), f["value"], f["unit"], s, page)
                   for f in _execution("tp", head, page) if not f["key"].endswith("_reason"))
        for words, stem in _THREE_PUBLIC:
            for m in re.finditer(re.escape(words) + r"(?:支出)?决算(?:为)?" + N + r"万元(?:[，,]\s*完成预算的" + N + r"%)?", s):
                out.append(_fact(f"three_public_{stem}_actual", m.group(1), "万元", s, page))
                if m.group(2) is not None:
                    out.append(_fact(f"three_public_{stem}_completion_pct", m.group(2), "%", s, page))
    elif re.search(r"三公[”\"]?经费支出决算数(?:大于|小于|等于|与|同)", s):
        if word := comparison(s):
            out.append(_fact("three_public_comparison", None, word, s, page))
        if why := _reason(s):
            out.append(_fact("three_public_reason", None, None, why, page))
    elif re.search(r"三公[”\"]?经费财政拨款支出决算(?:数)?(?:比|与)", s):
        m = _CHANGE_THAN.search(s) or _CHANGE.search(s)
        if m:
            out.extend(_change(m, "three_public_actual", s, page))
    elif re.search(r"支出决算中", s):
        for words, stem in _THREE_PUBLIC:
            for m in re.finditer(re.escape(words) + r"(?:支出)?决算(?:为)?" + N + r"万元[，,]\s*占" + N + r"%", s):
                out.append(_fact(f"three_public_{stem}_actual", m.group(1), "万元", s, page))
                out.append(_fact(f"three_public_{stem}_share", m.group(2), "%", s, page))
    return out


def _other(s: str, page: int | None, ctx: dict) -> list[dict]:
    out: list[dict] = []
    if m := re.search(r"机关运行经费(?:支出)?(?:为)?" + N + r"万元", s):
        out.append(_fact("operating_cost_actual", m.group(1), "万元", s, page))
        if c := _CHANGE_THAN.search(s):
            out.extend(_change(c, "operating_cost_actual", s, page))
    if m := re.search(r"政府采购(?:支出)?(?:金额)?(?:总额)?" + _OPT + r"(?:（[^）]*）)?为" + N + r"万元", s):
        out.append(_fact("procurement_total", m.group(1), "万元", s, page))
    for words, key in (("货物采购", "procurement_goods"), ("工程采购", "procurement_works"),
                       ("服务采购", "procurement_services")):
        if m := re.search(words + r"(?:金额)?(?:为)?" + N + r"万元", s):
            out.append(_fact(key, m.group(1), "万元", s, page))
    for words, key in (("政府性基金", "gov_fund_actual"), ("国有资本经营", "soe_capital_actual")):
        if re.search(r"无" + words + r"预算(?:财政拨款)?(?:收入和支出|收支|收入支出|支出)", s):
            out.append(_fact(key, 0.0, "万元", s, page))
    return out


_EXTRACTORS: list[Extractor] = [_totals, _revenue, _expenditure, _gp, _three_public, _other]


def _section(heading: str, current: str | None) -> str | None:
    h = clean(heading)
    if "三公" in h:
        return "three_public"
    if re.match(r"^[一二三四五六七八九十]+、", h):
        return None
    return current


def _rejoin(paras: list[Paragraph]) -> list[Paragraph]:
    """A 科目 item whose first line is short (“6、卫生健康支出（类）行政事业单位医疗（款）行政单位”) reads as a
    heading to the shared paragraph splitter; it is the start of the paragraph that follows it."""
    out: list[Paragraph] = []
    for p in paras:
        prev = out[-1] if out else None
        if prev is not None and prev.heading and re.search(r"（(?:类|款)）", prev.text) \
                and not p.heading and not re.match(r"^(?:\d+[、.．]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)", p.text):
            shift = len(prev.text)
            out[-1] = Paragraph(prev.text + p.text, False, prev.pages + [(o + shift, pg) for o, pg in p.pages])
            continue
        out.append(p)
    return out


def parse_final_facts(prose: list[Line], report: ParsedReport) -> list[dict]:
    """Every recognised figure of a 决算's 情况说明; nothing for a 预算 (etl.words.facts reads those)."""
    if "决算" not in (report.doc.get("doc_type") or ""):
        return []
    index = CodeIndex(report.rows.get("func_lines", []))
    classes = {n: c for c, names in index.names.items() if len(c) == 3 for n in names}
    facts: list[dict] = []
    ctx: dict = {"classes": classes, "section": None}
    for para in _rejoin(paragraphs(prose)):
        text = para.text
        if para.heading:
            ctx["section"] = _section(text, ctx["section"])
            continue
        if re.match(r"^[一二三四五六七八九十]+、", text) and len(text) <= 40 and "万元" not in text:
            ctx["section"] = _section(text, ctx["section"])
            continue
        if re.match(r"^（[一二三四五六七八九十]+）", text) and "万元" not in text:
            continue
        ctx["stem"] = None
        if _ITEM_HEAD.match(text) and _BUDGET.search(text) and _ACTUAL.search(text):
            facts.extend(_item(text, para.page_at(0), index, report))
            continue
        if text.startswith("一般公共预算财政拨款基本支出"):
            facts.extend(_basic(text, para.page_at(0), ctx))
            continue
        if re.match(r"^一般公共预算财政拨款支出(?:年初|全年|调整)?预算(?:数)?为", text) and _ACTUAL.search(text):
            # the paragraph before the 科目 items: its own execution, comparison and reason (up to 其中：)
            facts.extend(_execution("gp", re.split(r"其中[:：]\s*$", text)[0], para.page_at(0)))
            continue
        for offset, s in _sentences(text):
            page = para.page_at(offset)
            for extract in _EXTRACTORS:
                facts.extend(extract(s, page, ctx))
    seen: set[tuple] = set()
    unique = []
    for f in facts:
        key = (f["key"], f["code"], f["value"], f["unit"], f["sentence"])
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique
