"""Figures stated in the report's prose (情况说明 / 编制说明) → facts rows, each with the sentence it came from.

The prose carries what the tables do not — last year's figures (比上年增加574.68万元, 2022年当年预算执行数为
4.17万元) — and restates table figures a reviewer wants checked (收入总计, 三公, 政府采购 …). Sentences differ by
template, so a figure is recognised by the words in front of it (its label) and by what the sentence is about
(its first figure); a change (比…增加/减少/持平) belongs to the sentence's subject when it is measured against
上年, else to the figure just before it. Values are kept as printed (万元, %, 个); a decrease is negative,
持平 is 0. A 科目 sentence (“…（类）…（款）…（项）”X万元) gets its 7-digit code from the report's own
功能分类 tables — by name, level by level — or none, with a warning, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from etl.read.layout import Line
from etl.read.names import name_key
from etl.read.report import Issue, ParsedReport

N = r"(\d[\d,]*(?:\.\d+)?)"
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）、?|\d+[.、．](?!\d)|第[一二三四五六七八九十]+部分)")
_FIGURE = re.compile(r"(?P<label>[^，。；：:,、]*?)(?:为|是)?" + N + r"(?P<unit>万元|%|个)")
_CHANGE = re.compile(r"(?:比|较|与)(?P<base>上年|上一年|\d{4}年(?:度)?)(?:（[^）]*）)?(?:的" + N.replace("(", "(?P<prior>", 1)
                     + r"万元)?(?:预算)?(?:执行数)?(?P<dir>增加|减少|增长|下降|持平|一致)(?:" + N.replace("(", "(?P<amt>", 1)
                     + r"万元)?(?:[，,]?(?:同比)?(?:增加|减少|增长|下降)" + N.replace("(", "(?P<pct>", 1) + r"%)?")
_ITEM = re.compile(r"[“\"](?P<q>[^“”\"]+?[（(](?:类|款|项)[）)])[”\"]" + N + r"万元")
_ITEM_NAMES = re.compile(r"^(?P<lei>.+?)[（(]类[）)](?:(?P<kuan>.+?)[（(]款[）)])?(?:(?P<xiang>.+?)[（(]项[）)])?$")
_PRIOR_EXEC = re.compile(r"\d{4}年(?:当年)?预算执行数为" + N + r"万元")
_BUDGET = re.compile(r"\d{4}年预算安排" + N + r"万元")
_ITEM_PCT = re.compile(r"比\d{4}年(?:当年)?预算执行数(?P<dir>增加|减少|持平)(?:" + N + r"%)?")
_NONE = [(re.compile(r"无[“\"]?三公[”\"]?经费"), "three_public_total"),
         (re.compile(r"无(?:[“\"]?三公[”\"]?经费和)?机关运行经费"), "operating_cost")]

# keys whose 比上年 change the prose states (key_change in 万元, key_change_pct in %, key_prior where printed)
CHANGE_KEYS = {"revenue_total": "revenue", "expenditure_total": "expenditure", "gp_current": "gp_current",
               "fiscal_revenue": "fiscal_revenue", "fiscal_expenditure": "fiscal_expenditure",
               "gov_fund_expenditure": "gov_fund_expenditure", "soe_expenditure": "soe_expenditure",
               "three_public_total": "three_public", "operating_cost": "operating_cost"}

Rule = tuple[str, Callable[[str, dict], bool]]


def _has(*words: str) -> Callable[[str, dict], bool]:
    return lambda label, ctx: any(w in label for w in words)


def _re(pattern: str) -> Callable[[str, dict], bool]:
    rx = re.compile(pattern)
    return lambda label, ctx: bool(rx.search(label))


# label → key, first match wins (specific before general); ctx carries the sentence's subject and section
RULES: list[Rule] = [
    ("performance_funds", lambda lb, c: lb.startswith("涉及") and c.get("prev") == "performance_projects"),
    ("performance_projects", lambda lb, c: c["unit"] == "个" and "绩效目标" in lb and "项目" in lb),
    ("procurement_small_micro", _has("小型和微型", "小微企业")),
    ("procurement_sme", _has("中小企业")),
    ("procurement_goods", _has("采购货物")),
    ("procurement_works", _has("采购工程")),
    ("procurement_services", _has("采购服务")),
    ("procurement_total", _re(r"政府采购预算(总额|总计|合计)?$|政府采购预算(总额|总计|合计)?为$")),
    ("three_public_vehicle_purchase", _re(r"公务(用)?车购置费")),
    ("three_public_vehicle_operation", _re(r"公务(用车|车用车|车)运行(维护)?费")),
    ("three_public_vehicle", _re(r"公务(用)?车购置及运行(维护)?费")),
    ("three_public_abroad", _has("因公出国")),
    ("three_public_reception", _has("公务接待费")),
    ("three_public_total", _has("三公")),
    ("operating_cost", _has("机关运行经费")),
    ("gp_basic_total", _has("一般公共预算基本支出")),
    ("gp_current", _has("一般公共预算当年拨款", "一般公共预算拨款支出")),
    ("gov_fund_expenditure", _has("政府性基金拨款支出", "政府性基金预算拨款支出")),
    ("soe_expenditure", _has("国有资本经营预算拨款支出")),
    ("fiscal_total", _has("财政拨款收支总预算", "财政拨款收支总计")),
    ("fiscal_revenue", _has("财政拨款收入")),
    ("fiscal_expenditure", _has("财政拨款支出")),
    ("revenue_general_budget", _has("一般公共预算拨款收入")),
    ("revenue_gov_fund", _has("政府性基金预算拨款收入")),
    ("revenue_soe_capital", _has("国有资本经营预算拨款收入")),
    ("revenue_special_account", _has("财政专户管理资金收入")),
    ("revenue_unit_funds", lambda lb, c: lb.endswith("单位资金") and c.get("head") == "revenue_total"),
    ("revenue_operating", _has("事业单位经营收入")),
    ("revenue_business", _has("事业收入")),
    ("revenue_other", lambda lb, c: lb.endswith("其他收入")),
    ("revenue_total", _re(r"收入总计$|预算收入$|收入预算$|收入预算总额$|收入总预算$")),
    ("expenditure_total", _re(r"(?<!拨款)支出总计$|(?<!拨款)支出预算$|(?<!拨款)预算支出$|支出总预算$")),
    ("basic_personnel", lambda lb, c: lb.endswith("人员经费") and c.get("head") == "gp_basic_total"),
    ("basic_public", lambda lb, c: lb.endswith("公用经费") and c.get("head") == "gp_basic_total"),
    ("basic_total", lambda lb, c: lb.endswith("基本支出") and c.get("head") == "expenditure_total"),
    ("project_total", lambda lb, c: lb.endswith("项目支出") and c.get("head") == "expenditure_total"),
    ("revenue_current", lambda lb, c: lb.endswith("本年收入") and c.get("head") == "revenue_total"),
    ("revenue_carryover", lambda lb, c: lb.endswith("上年结转") and c.get("head") == "revenue_total"),
    ("expenditure_current", lambda lb, c: lb.endswith("本年预算安排") and c.get("head") == "expenditure_total"),
    ("expenditure_carryover", lambda lb, c: lb.endswith("上年结转") and c.get("head") == "expenditure_total"),
]
UNITS = {"万元": "万元", "%": "%", "个": "个"}


def clean(text: str) -> str:
    """Spaces a PDF puts between characters (‘财 政 业 务 费 10.00 万 元’) are not part of the sentence."""
    return re.sub(r"\s+", lambda m: " " if _ascii_word(m.string, m.start(), m.end()) else "", text.strip())


def _ascii_word(s: str, start: int, end: int) -> bool:
    return 0 < start and end < len(s) and s[start - 1].isascii() and s[start - 1].isalnum() \
        and s[end].isascii() and s[end].isalnum()


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _signed(direction: str, value: float) -> float:
    return -value if direction in ("减少", "下降") else value


_HEADING_END = re.compile(r"(说明|情况|概况|概述|依据|主体|方案|周期|安排|目标|解释|职能|设置|报表)(（[^）]*）|\([^)]*\))?$")
# 类 names the 政府收支分类科目 has since renamed: a report may print the old name in its prose (or one table)
# and the new one in its 功能分类 tables; the code is the same
RENAMED_CLASSES = {"医疗卫生与计划生育支出": "卫生健康支出", "文化体育与传媒支出": "文化旅游体育与传媒支出"}


def _is_heading(text: str) -> bool:
    """A short line naming a section (四、部门预算编制说明 / 其他相关情况说明), never a wrapped sentence line."""
    body = _ORDINAL.sub("", text)
    if len(text) > 32 or re.search(r"[，。；：,;%]|万元|\d\.\d", body):
        return False
    return bool(_HEADING_END.search(body)) or (body != text and len(body) <= 24)


@dataclass
class Paragraph:
    text: str
    heading: bool
    pages: list[tuple[int, int | None]]  # (offset in text, page) where each printed line starts

    def page_at(self, offset: int) -> int | None:
        page = self.pages[0][1] if self.pages else None
        for start, p in self.pages:
            if start > offset:
                break
            page = p
        return page


def paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Wrapped lines re-joined into paragraphs. One starts at an ordinal (一、 / （一） / 1.), a 注: note, a heading
    line, or where pages were skipped (a table stood between); a line break after 。 does not end one, so a
    numbered 科目 item stays whole."""
    out: list[Paragraph] = []
    cur: Paragraph | None = None
    last_page: int | None = None
    for ln in lines:
        t = clean(ln.text)
        if not t:
            continue
        jumped = ln.page is not None and last_page is not None and ln.page - last_page > 1
        last_page = ln.page if ln.page is not None else last_page
        if _is_heading(t):
            cur = None
            out.append(Paragraph(t, True, [(0, ln.page)]))
            continue
        if cur is None or jumped or _ORDINAL.match(t) or re.match(r"^注[:：]", t):
            cur = Paragraph("", False, [])
            out.append(cur)
        cur.pages.append((len(cur.text), ln.page))
        cur.text += t
    return out


class CodeIndex:
    """科目 names → codes, from the report's own 功能分类 tables, level by level (类 → 款 → 项)."""

    def __init__(self, func_lines: list[dict]):
        self.names: dict[str, set[str]] = {}
        for r in func_lines:
            if r.get("code") and r.get("name"):
                self.names.setdefault(r["code"], set()).add(_norm_name(r["name"]))

    def find(self, lei: str, kuan: str | None, xiang: str | None) -> str | None:
        found = [c for c, n in self.names.items() if len(c) == 3 and _norm_name(lei) in n]
        if not found and lei in RENAMED_CLASSES:
            found = [c for c, n in self.names.items() if len(c) == 3 and RENAMED_CLASSES[lei] in n]
        for part, length in ((kuan, 5), (xiang, 7)):
            if part is None:
                break
            found = [c for c, n in self.names.items() if len(c) == length and c[: length - 2] in found
                     and _norm_name(part) in n]
        return found[0] if len(found) == 1 else None


def _norm_name(name: str) -> str:
    return name_key(name)


def parse_facts(prose: list[Line], report: ParsedReport) -> list[dict]:
    """Every recognised figure of the prose, as facts rows (doc_id is added by the pipeline)."""
    index = CodeIndex(report.rows.get("func_lines", []))
    classes = {n: c for c, names in index.names.items() if len(c) == 3 for n in names}
    facts: list[dict] = []
    section = ""
    for para in paragraphs(prose):
        if para.heading:
            section = para.text
            continue
        sentences: list[tuple[str, int | None]] = []
        offset = 0
        for s in re.split(r"(?<=。)", para.text):
            if s.strip("。；; "):
                sentences.append((s, para.page_at(offset + len(s) - len(s.lstrip("；; ")))))
            offset += len(s)
        if sentences and _ITEM.search(sentences[0][0]):
            # the item's sentences: its amount, then those about its 执行数 / 预算安排 / 原因
            k = 1
            while k < len(sentences) and re.search(r"预算执行数|预算安排|主要原因|^[^，]{0,12}。$", sentences[k][0]):
                k += 1
            facts.extend(_item_facts("".join(s for s, _ in sentences[:k]), sentences[0][1], index, report))
            sentences = sentences[k:]
        for sentence, page in sentences:
            facts.extend(_sentence_facts(sentence.strip("；; "), page, section, classes))
    seen: set[tuple] = set()
    unique = []
    for f in facts:
        key = (f["key"], f["code"], f["value"], f["sentence"])
        if key not in seen:  # a report printing the same passage twice states each figure once
            seen.add(key)
            unique.append(f)
    return unique


def _fact(key: str, value: float, unit: str, sentence: str, page: int | None, code: str | None = None,
          printed: str | None = None) -> dict:
    """`printed` is the number as printed: its decimals say how precise the prose is (17,192万元 is a rounding of
    anything from 17,191.5 to 17,192.5万元), which the rules' tolerance reads."""
    decimals = None if printed is None else len(printed.partition(".")[2])
    return {"key": key, "value": value, "unit": unit, "sentence": sentence, "code": code, "page": page,
            "decimals": decimals}


def _sentence_facts(sentence: str, page: int | None, section: str, classes: dict[str, str]) -> list[dict]:
    out: list[dict] = []
    for rx, key in _NONE:
        if rx.search(sentence) and not re.search(N + r"万元", sentence):
            out.append(_fact(key, 0.0, "万元", sentence, page))
    changes = [(m.start(), m.end(), m) for m in _CHANGE.finditer(sentence)]
    ctx: dict = {"head": None, "prev": None}
    figures: list[tuple[int, str, float, str]] = []  # (position, key, value, unit)
    for m in _FIGURE.finditer(sentence):
        if any(s <= m.start(2) < e for s, e, _ in changes):
            continue
        label = _ORDINAL.sub("", m.group("label"))
        label = re.sub(r"^(其中|主要包括|主要用于以下方面|支出包括|收入为)", "", label)
        unit = m.group("unit")
        if label.startswith("占") or unit == "%":
            continue
        ctx["unit"] = unit
        key = next((k for k, rule in RULES if rule(label, ctx)), None)
        code = None
        if key is None and unit == "万元" and label in classes:
            key = "gp_class_amount" if ctx.get("head") == "gp_current" else (
                "fiscal_class_amount" if "财政拨款" in section else None)
            code = classes[label]
        if key is None:
            continue
        if ctx["head"] is None:
            ctx["head"] = key
        ctx["prev"] = key
        value = _number(m.group(2))
        figures.append((m.start(), key, value, unit))
        out.append(_fact(key, value, UNITS[unit], sentence, page, code, m.group(2)))
    for start, _end, m in changes:
        before = [f for f in figures if f[0] < start]
        if not before:
            continue
        target = before[0] if m.group("base") in ("上年", "上一年") else before[-1]
        stem = CHANGE_KEYS.get(target[1])
        if stem is None:
            continue
        direction = m.group("dir")
        if m.group("prior"):
            out.append(_fact(f"{stem}_prior", _number(m.group("prior")), "万元", sentence, page, None, m.group("prior")))
        if direction in ("持平", "一致"):
            out.append(_fact(f"{stem}_change", 0.0, "万元", sentence, page))
            continue
        if m.group("amt"):
            out.append(_fact(f"{stem}_change", _signed(direction, _number(m.group("amt"))), "万元", sentence, page,
                             None, m.group("amt")))
        if m.group("pct"):
            out.append(_fact(f"{stem}_change_pct", _signed(direction, _number(m.group("pct"))), "%", sentence, page,
                             None, m.group("pct")))
    return out


def _item_facts(text: str, page: int | None, index: CodeIndex, report: ParsedReport) -> list[dict]:
    """‘“一般公共服务支出（类）…（项）”2.63万元 … 2022年当年预算执行数为1.48万元，2023年预算安排2.63万元，
    比2022年预算执行数增加77.70%’: the amount, last year's executed amount, the budget and the change, coded."""
    m = _ITEM.search(text)
    names = _ITEM_NAMES.match(clean(m.group("q")))
    code = None
    label = m.group("q")
    if names:
        code = index.find(names.group("lei"), names.group("kuan"), names.group("xiang"))
    if code is not None and names and _norm_name(names.group("lei")) not in index.names.get(code[:3], set()):
        report.issues.append(Issue("warning", f"说明中的科目“{label}”用的是类名旧称，按科目更名"
                                              f"（{names.group('lei')}→{RENAMED_CLASSES.get(names.group('lei'))}）"
                                              f"对应到{code}", page))
    if code is None:
        report.issues.append(Issue("warning", f"说明中的科目“{label}”在本报告的功能分类表中找不到唯一对应的科目编码，"
                                              f"其数字记入facts但编码留空", page))
    out = [_fact("item_amount", _number(m.group(2)), "万元", text, page, code, m.group(2))]
    if p := _PRIOR_EXEC.search(text):
        out.append(_fact("item_prior_executed", _number(p.group(1)), "万元", text, page, code, p.group(1)))
    if b := _BUDGET.search(text):
        out.append(_fact("item_budget", _number(b.group(1)), "万元", text, page, code, b.group(1)))
    if c := _ITEM_PCT.search(text):
        value = 0.0 if c.group("dir") == "持平" else _signed(c.group("dir"), _number(c.group(2) or "0"))
        if c.group("dir") == "持平" or c.group(2):
            out.append(_fact("item_change_pct", value, "%", text, page, code, c.group(2)))
    return out


def only_budgets(parser: Callable[[list[Line], ParsedReport], list[dict]]) -> Callable[[list[Line], ParsedReport], list[dict]]:
    """The 预算 prose parser reads 预算 reports only: a 决算's sentences mean other things (年初预算 is not 预算安排).
    It lives here, beside the 预算 parser, so a 预算's ingest never loads etl.words.facts_final (which re-exports
    it)."""
    def run(prose: list[Line], report: ParsedReport) -> list[dict]:
        if "决算" in (report.doc.get("doc_type") or ""):
            return []
        return parser(prose, report)
    run.__name__ = getattr(parser, "__name__", "prose_parser")
    return run
