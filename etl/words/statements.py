"""Every quantitative sentence of the 说明 read into a statement — one subject, the figures the sentence gives it, the
words naming the prior figure, the change, the reason — as a finance-bureau reviewer reads it before checking it.

facts.py and facts_final.py turn the prose into loose figures keyed by label; a reviewer's rule needs more: which
sentence says what about which table cell, in its own words, so that it can quote the offending words and compare
the sentence's own figures with each other (the percentage with the two amounts, the direction with the sign, the
reason with the movement, 预算安排 with the amount) and with the table. So a statement keeps the whole sentence as
printed (wrapped lines re-joined) and the character span of each figure in it, and is resolved to the table cell it
speaks of: a 科目 by its code (printed, as in “（201类）…（06款）…（01项）”, or found from the printed 类/款/项 names in
the report's own 功能分类 tables, never guessed), a total by its key.

A change printed after a 其中 list of two or more parts is the list's head's; one right after a single part is that
part's. A 决算's 完成（年初）预算的X% is a completion rate (completion_pct), never a change (change_pct).

Nothing is judged here: contradictory figures are read as printed. Amounts are exact (Decimal from the printed digits
times the printed unit, never through float); a template's placeholder (XXX万元) is an amount of None.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from etl.read.layout import Line
from etl.read.names import name_key
from etl.read.report import ParsedReport
from etl.read.units import YUAN_PER
from etl.words.facts import RENAMED_CLASSES, CodeIndex, clean

NUM = r"(?:\d[\d,]*(?:\.\d+)?|[XＸ]{2,})"
DIR = r"(?:基本持平|基本一致|持平|一致|增加|减少|增长|下降)"
_ALT = r"（(?:增加|减少|增长|下降)）"  # the template's other choice, left in the print: 增加（减少）
_ORDINAL = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|（[一二三四五六七八九十\d]+）[、.．]?"
                      r"|\d+[、.．](?!\d))")
_REASON = re.compile(r"(?:主要原因|增加原因|减少原因|变动原因|原因)(?:是|为)?[:：]?")
_CHANGE = re.compile(
    r"(?:比|较|与|同)(?P<base>上年度?|上一年度?|\d{4}年度?)(?:（[^）]{0,12}）)?(?:的(?P<prior>" + NUM + r")(?P<pu>万元|元))?"
    r"(?P<blabel>(?:当年)?预算执行数|预算数|预算|决算数|决算)?(?:相比)?[，,]?(?P<subj>[^，。；：%\d]{0,30}?)"
    r"(?P<dir>" + DIR + r")(?P<alt>" + _ALT + r")?(?:(?P<amt>" + NUM + r")(?P<au>万元|元|%)?)?"
    r"(?:[，,](?:同比)?(?P<pdir>增加|减少|增长|下降)(?P<palt>" + _ALT + r")?(?P<pct>" + NUM + r")(?P<pu2>%)?(?![\d万元]))?")
_CHANGE_BARE = re.compile(
    r"(?P<dir>增加|减少)(?P<alt>" + _ALT + r")?(?P<amt>" + NUM + r")(?P<au>万元|元)"
    r"(?:[，,](?:同比)?(?P<pdir>增加|减少|增长|下降)(?P<palt>" + _ALT + r")?(?P<pct>" + NUM + r")(?P<pu2>%)?(?![\d万元]))?")
_FLAT = re.compile(r"(?P<dir>基本持平|持平)")
_REASON_OF = re.compile(r"(?P<label>[^，。；：]{2,24}?)(?P<dir>增加|减少|增长|下降|变动|变化)的(?:主要)?原因")
_COMPARISON = re.compile(r"决算数?(?:与|同|和)?(?P<word>大于|小于|高于|低于|等于|超过|同|与|和)预算数?(?P<flat>基本持平|持平|一致)?")
_FIGURE = re.compile(r"(?P<label>[^，。；：,;:、]*?)(?:为|是|达)?(?P<num>" + NUM + r")(?P<unit>万元|元|%|个)")
_NAMES = r"(?:[^（）“”\"。；，：:、\d]+?（\d*(?:类|款|项)）){1,3}"
_ITEM = re.compile(r"(?:(?<=^)|(?<=[：:；;，,、.．）]))(?:[“\"](?P<q>" + _NAMES + r")[”\"]|(?P<u>" + _NAMES + r"))"
                   r"(?:(?P<num>" + NUM + r")(?P<unit>万元|元))?")
_PART = re.compile(r"([^（）]+?)（(\d*)(类|款|项)）")
_EXEC = re.compile(r"^(?P<subj>.*?)(?P<what>(?:\d{4}年)?(?:当年)?预算执行数|\d{4}年(?:度)?预算安排|(?:年初|全年|调整)预算(?:数)?"
                   r"|(?:支出)?决算(?:数)?|完成(?:年初|全年|调整)?预算(?:数)?的)$")
_NONE = re.compile(r"无(?P<what>[“\"]?三公[”\"]?经费[^，。；]*|机关运行经费[^，。；]*|政府性基金预算[^，。；]*|国有资本经营预算[^，。；]*)")
_LISTS = re.compile(r"其中|包括|主要用于|收入为|支出为|分别为|如下")  # words listing what follows under a head
_LEAD = re.compile(r"^(?:其中|主要包括|主要用于以下方面|主要用于|支出包括|收入为|包括|具体情况如下|分别为|即)")
_YEAR = re.compile(r"(\d{4})年度?")

KINDS = {"three_public": "three_public", "operating_cost": "operating_cost", "procurement": "procurement",
         "performance": "performance"}

# label → subject key, first match wins (specific before general); `head` is the key the sentence is about
_KEYS: list[tuple[str, str]] = [
    (r"外宾", ""),
    (r"因公出国", "three_public:因公出国（境）费"),
    (r"公务(?:用)?车(?:辆)?购置及运行", "three_public:公务用车购置及运行费"),
    (r"公务(?:用)?车(?:用车)?运行", "three_public:公务用车运行维护费"),
    (r"公务(?:用)?车(?:辆)?购置", "three_public:公务用车购置费"),
    (r"公务接待", "three_public:公务接待费"),
    (r"三公", "three_public_total"),
    (r"机关运行经费", "operating_cost"),
    (r"小型和微型|小微企业", "procurement_small_micro"),
    (r"中小企业", "procurement_sme"),
    (r"采购货物|货物采购", "procurement_goods"),
    (r"采购工程|工程采购", "procurement_works"),
    (r"采购服务|服务采购", "procurement_services"),
    (r"政府采购(?:预算|金额|支出)", "procurement_total"),
    (r"绩效跟踪评价的.*项目$", "performance_tracked_projects"),
    (r"绩效自评的.*项目$", "performance_self_projects"),
    (r"(?:编报|设置|申报)绩效目标的.*项目(?:共)?$|绩效目标管理的项目$", "performance_projects"),
    (r"财政拨款收支总(?:预算|计)|财政拨款收入支出总(?:预算|计)", "fiscal_total"),
    (r"收入支出总计$|收支总计$", "revenue_expenditure_total"),
    (r"一般公共预算(?:财政拨款)?基本支出", "gp_basic_total"),
    (r"一般公共预算当年拨款", "gp_current"),
    (r"一般公共预算(?:财政)?拨款支出|一般公共预算支出", "gp_total"),
    (r"一般公共预算(?:财政)?拨款(?:收入)?$", "gp_revenue"),
    (r"政府性基金(?:预算)?(?:财政)?拨款支出", "gov_fund_total"),
    (r"政府性基金预算(?:财政)?拨款(?:收入)?$", "gov_fund_revenue"),
    (r"国有资本经营预算(?:财政)?拨款支出", "soe_total"),
    (r"国有资本经营预算(?:财政)?拨款(?:收入)?$", "soe_revenue"),
    (r"财政拨款收入$", "fiscal_revenue"),
    (r"财政拨款支出(?:预算)?$", "fiscal_expenditure"),
    (r"财政专户管理资金(?:收入)?$", "special_account_revenue"),
    (r"单位资金$", "unit_funds"),
    (r"(?:事业单位)?经营收入$", "operating_income"),
    (r"事业收入$", "business_income"),
    (r"上级补助收入$", "superior_subsidy"),
    (r"附属单位上缴收入$", "affiliated_remit"),
    (r"其他收入$", "other_income"),
    (r"本年收入(?:合计)?$", "revenue_current"),
    (r"本年支出(?:合计)?$", "expenditure_current"),
    (r"(?:收入预算|预算收入|收入总计|收入总预算|收入预算总额)$", "revenue_total"),
    (r"(?<!拨款)(?:支出预算|预算支出|支出总计|支出总预算|支出预算总额)$", "expenditure_total"),
]
_KEY_RX = [(re.compile(p), k) for p, k in _KEYS]
# keys whose meaning depends on the sentence's head (本年预算安排 / 上年结转 under 收入 or 支出 …)
_PARTS = [(re.compile(r"本年预算安排$"), {"expenditure_total": "expenditure_current"}),
          (re.compile(r"当年拨款(?:收入)?$"), {"fiscal_total": "fiscal_current"}),
          (re.compile(r"(?:上年结转|年初结转和结余)(?:收入)?$"),
           {"revenue_total": "revenue_carryover", "expenditure_total": "expenditure_carryover",
            "fiscal_total": "fiscal_carryover", "revenue_expenditure_total": "revenue_carryover"}),
          (re.compile(r"(?<!一般公共预算)(?<!财政拨款)基本支出$"),
           {"expenditure_total": "basic_total", "expenditure_current": "basic_total"}),
          (re.compile(r"项目支出$"), {"expenditure_total": "project_total", "expenditure_current": "project_total"}),
          (re.compile(r"人员经费$"), {"gp_basic_total": "basic_personnel"}),
          (re.compile(r"公用经费$"), {"gp_basic_total": "basic_public"})]
_FUNDS = {"performance_projects": "performance_funds", "performance_tracked_projects": "performance_tracked_funds",
          "performance_self_projects": "performance_self_funds"}


def _kind(key: str) -> str:
    for prefix, kind in KINDS.items():
        if key.startswith(prefix):
            return kind
    return "total"


@dataclass
class _Para:
    text: str
    starts: list[tuple[int, int, int | None]]  # (offset in text, index of the prose line, its page)

    def line_at(self, offset: int) -> tuple[int, int | None]:
        found = self.starts[0][1:]
        for start, idx, page in self.starts:
            if start > offset:
                break
            found = (idx, page)
        return found


@dataclass
class _St:
    subject: str | None
    name: str
    level: int | None
    kind: str
    start: int                      # offset in the paragraph where its sentence begins
    end: int = 0                    # offset where its last sentence ends
    parent: _St | None = None
    amount: Decimal | None = None
    unit: str | None = None
    arranged: Decimal | None = None
    prior: Decimal | None = None
    prior_label: str | None = None
    prior_year: int | None = None
    year: int | None = None
    change: Decimal | None = None
    change_pct: Decimal | None = None
    completion_pct: Decimal | None = None
    direction: str | None = None
    reason: str | None = None
    code: str | None = None
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)


def _decimal(num: str) -> Decimal | None:
    """The printed digits exactly; None for a template's placeholder (XXX)."""
    if not num or num[0] in "XＸ":
        return None
    return Decimal(num.replace(",", ""))


def _yuan(num: str, unit: str) -> Decimal | None:
    value = _decimal(num)
    if value is None or unit not in YUAN_PER:
        return value
    return (value * YUAN_PER[unit]).quantize(Decimal("0.01"))


def _join(a: str, b: str) -> str:
    """Wrapped lines re-joined: a line break inside a sentence is no character, except between two ASCII words."""
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def _is_heading(text: str) -> bool:
    body = _ORDINAL.sub("", text)
    if len(text) > 32 or re.search(r"[，。；：,;%]|万元|\d\.\d|（\d*(?:类|款|项)）", text):
        return False
    return bool(re.search(r"(说明|情况|概况|概述|依据|主体|方案|周期|安排|目标|解释|职能|设置|报表|构成)(（[^）]*）)?$", body)) \
        or (body != text and len(body) <= 24)


def _paragraphs(prose: list[Line]) -> list[_Para]:
    """Lines re-joined into paragraphs, each line's index kept (the caller's section_of takes it). A paragraph starts
    at an ordinal, a heading or after skipped pages — except the next number of a reason printed as a numbered list
    (主要原因是1、…  2、…), which stays with its reason."""
    out: list[_Para] = []
    cur: _Para | None = None
    last_page: int | None = None
    for i, ln in enumerate(prose):
        t = clean(ln.text)
        if not t:
            continue
        jumped = ln.page is not None and last_page is not None and ln.page - last_page > 1
        last_page = ln.page if ln.page is not None else last_page
        listed = cur is not None and _next_in_reason_list(cur.text, t)
        if _is_heading(t) and not listed:
            out.append(_Para(t, [(0, i, ln.page)]))
            cur = None
            continue
        if cur is None or jumped or (_ORDINAL.match(t) and not listed) or re.match(r"^注[:：]", t):
            cur = _Para("", [])
            out.append(cur)
        cur.starts.append((len(cur.text), i, ln.page))
        cur.text = _join(cur.text, t)
    return out


def _next_in_reason_list(text: str, line: str) -> bool:
    starts = list(re.finditer(r"原因(?:是|为)?[:：]?1[、.．]", text))
    if not starts:
        return False
    m = starts[-1]
    numbers = [int(n) for n in re.findall(r"(?:^|。)(\d+)[、.．]", text[m.end() - 2:])] or [1]
    nxt = re.match(r"^(\d+)[、.．]", line)
    return bool(nxt) and int(nxt.group(1)) == max(numbers) + 1


class _Reader:
    """One report's context: its 科目 codes and names, and the cells a total key resolves to."""

    def __init__(self, report: ParsedReport):
        self.report = report
        func = report.rows.get("func_lines", [])
        self.index = CodeIndex(func)
        self.kinds: dict[str, list[str]] = {}
        self.table_names: dict[str, str] = {}
        for r in func:
            if r.get("code"):
                kinds = self.kinds.setdefault(r["code"], [])
                if r.get("table_kind") and r["table_kind"] not in kinds:
                    kinds.append(r["table_kind"])
                self.table_names.setdefault(r["code"], r.get("name") or "")
        self.by_name: dict[str, set[str]] = {}
        for code, names in self.index.names.items():
            for n in names:
                self.by_name.setdefault(n, set()).add(code)

    # --- 科目 ---------------------------------------------------------------------------------------------------
    def code_of(self, parts: list[tuple[str, str, str]]) -> str | None:
        """The printed code where every level prints its digits (201类 06款 01项), else the code the names give
        in this report's 功能分类 tables (unique, level by level), else None."""
        digits = [d for _, d, _ in parts]
        if all(digits) and len(digits[0]) == 3 and all(len(d) == 2 for d in digits[1:]):
            return "".join(digits)
        levels = {w: n for n, _, w in parts}
        if "类" in levels:
            return self.index.find(levels["类"], levels.get("款"), levels.get("项") if "款" in levels else None)
        codes = self.by_name.get(name_key(parts[-1][0]), set())
        length = {"款": 5, "项": 7}[parts[-1][2]]
        codes = {c for c in codes if len(c) == length}
        return next(iter(codes)) if len(codes) == 1 else None

    def bare_code(self, label: str) -> str | None:
        """A 科目 printed by its name alone (阳泉: 一般公共服务支出0.70万元): its code where the name is one 类 of the
        report's tables, or failing that one code at any level."""
        key = name_key(label)
        codes = self.by_name.get(key, set()) | self.by_name.get(name_key(RENAMED_CLASSES.get(label, "")), set())
        classes = {c for c in codes if len(c) == 3}
        if len(classes) == 1:
            return next(iter(classes))
        return next(iter(codes)) if len(codes) == 1 else None

    def item_kind(self, code: str | None) -> str | None:
        kinds = self.kinds.get(code or "", [])
        for k in ("gp_expenditure", "gov_fund_expenditure", "soe_capital", "expenditure", "revenue"):
            if k in kinds:
                return k
        return kinds[0] if kinds else None

    # --- totals -------------------------------------------------------------------------------------------------
    def cell(self, key: str) -> str | None:
        """The table kind holding the cell `key` speaks of, None where the report's tables hold none."""
        rows = self.report.rows
        summary = rows.get("summary_lines", [])
        func = [r for r in rows.get("func_lines", []) if not r.get("code")]
        tp = rows.get("three_public", [])

        def s(side: str, items: tuple[str, ...], kinds: tuple[str, ...], measure: str = "total") -> str | None:
            return next((r["table_kind"] for r in summary if r["side"] == side and r["item"] in items
                         and r["table_kind"] in kinds and r["measure"] == measure), None)

        def f(kind: str, measure: str) -> str | None:
            return next((r["table_kind"] for r in func if r["table_kind"] == kind and r["measure"] == measure), None)

        totals = ("summary", "final_summary")
        if key.startswith("three_public:"):
            return next((r["table_kind"] for r in tp if r["table_kind"] == "three_public"
                         and r["item"] == key.partition(":")[2]), None)
        if key.startswith("procurement"):
            return "procurement" if rows.get("procurement") else None
        if key.startswith("performance"):
            return "performance_form" if rows.get("project_forms") else None
        found = {
            "revenue_total": lambda: s("收入", ("收入总计", "总计"), totals),
            "expenditure_total": lambda: s("支出", ("支出总计", "总计"), totals),
            "revenue_expenditure_total": lambda: s("收入", ("收入总计", "总计"), totals),
            "fiscal_total": lambda: s("收入", ("收入总计", "总计"), ("fiscal_summary",)),
            "fiscal_expenditure": lambda: s("支出", ("支出总计", "总计"), ("fiscal_summary",)),
            "fiscal_revenue": lambda: s("收入", ("财政拨款收入",), totals) or f("revenue", "fiscal_appropriation"),
            "gp_total": lambda: f("gp_expenditure", "total"),
            "gp_revenue": lambda: s("收入", ("一般公共预算", "一般公共预算资金", "一般公共预算财政拨款收入"),
                                    totals + ("fiscal_summary",)),
            "expenditure_carryover": lambda: s("支出", ("支出总计", "总计"), totals, "carryover"),
            "gp_current": lambda: f("gp_expenditure", "total"),
            "gov_fund_total": lambda: f("gov_fund_expenditure", "total"),
            "soe_total": lambda: f("soe_capital", "total"),
            "revenue_current": lambda: s("收入", ("本年收入合计", "本年收入"), totals),
            "expenditure_current": lambda: s("支出", ("本年支出合计", "本年支出"), totals),
            "revenue_carryover": lambda: s("收入", ("上年结转", "年初结转和结余"), totals),
            "business_income": lambda: f("revenue", "business_income"),
            "operating_income": lambda: f("revenue", "operating_income"),
            "other_income": lambda: f("revenue", "other_income"),
            "basic_total": lambda: f("expenditure", "basic"),
            "project_total": lambda: f("expenditure", "project"),
            "gp_basic_total": lambda: "gp_basic_econ" if rows.get("econ_lines") else None,
            "basic_personnel": lambda: "gp_basic_econ" if rows.get("econ_lines") else None,
            "basic_public": lambda: "gp_basic_econ" if rows.get("econ_lines") else None,
            "three_public_total": lambda: next((r["table_kind"] for r in tp if r["table_kind"] == "three_public"
                                                and r["item"] == "合计"), None),
            "operating_cost": lambda: next((r["table_kind"] for r in tp if r["table_kind"] == "operating_cost"), None),
        }.get(key)
        return found() if found else None

    def key_of(self, label: str, head: str | None, unit: str, prev: str | None) -> str | None:
        """The subject key a figure's label names (money labels need a money unit, counts 个)."""
        label = _LEAD.sub("", _ORDINAL.sub("", label)).strip("“”\" ")
        if not label:
            return None
        if unit == "个":
            key = next((k for rx, k in _KEY_RX if rx.search(label)), None)
            return key if key and key.startswith("performance") else None
        if label.startswith("涉及") and prev in _FUNDS:
            return _FUNDS[prev]
        for rx, by_head in _PARTS:
            if rx.search(label) and head in by_head:
                return by_head[head]
        key = next((k for rx, k in _KEY_RX if rx.search(label)), None)
        return key or None


def _label(text: str, start: int, end: int) -> tuple[str, int]:
    """The figure's label with its start: leading ordinals, 其中 … and a year removed."""
    raw = text[start:end]
    stripped = _LEAD.sub("", _ORDINAL.sub("", raw))
    stripped = re.sub(r"^[、，,：:]", "", stripped)
    return stripped, end - len(stripped)


def read_statements(prose: list[Line], report: ParsedReport,
                    section_of: Callable[[int], str | None] = lambda i: None) -> list[dict]:
    """Every quantitative statement of the prose, in print order, one dict each (see the module docstring); a
    passage the report prints twice is read once."""
    reader = _Reader(report)
    out: list[dict] = []
    seen: set[tuple] = set()
    for para in _paragraphs(prose):
        for st in _read_paragraph(para.text, reader):
            d = _as_dict(st, para, reader, section_of)
            key = (d["subject"], d["subject_name"], d["sentence"])
            if key in seen:
                continue
            seen.add(key)
            d["statement_id"] = f"s{len(out) + 1}"
            out.append(d)
    return out


def _sentences(text: str) -> list[tuple[int, int]]:
    """Each sentence's (start, end); a stray separator printed after a 。 (阳泉: “…结转资金。；本年单位预算…”) opens no
    sentence, so a statement's sentence starts at its first word."""
    out, start = [], 0
    for m in re.finditer(r"。", text):
        out.append((start, m.end()))
        start = m.end()
        while start < len(text) and text[start] in "；;，, ":
            start += 1
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def _read_paragraph(text: str, reader: _Reader) -> list[_St]:
    found: list[_St] = []
    cur: _St | None = None
    last_changed: _St | None = None
    in_reason_list: _St | None = None
    head_here: _St | None = None
    for s_start, s_end in _sentences(text):
        sentence = text[s_start:s_end]
        if in_reason_list is not None and re.match(r"^\d+[、.．]", sentence):
            in_reason_list.end = s_end
            in_reason_list.spans["reason"] = (in_reason_list.spans["reason"][0], s_end)
            in_reason_list.reason = text[in_reason_list.spans["reason"][0]:s_end]
            continue
        in_reason_list = None
        seg_start = s_start
        for seg in re.split(r"(?<=[；;])", sentence):
            seg_end = seg_start + len(seg)
            body_end = seg_end
            reason_m = _REASON.search(text, seg_start, seg_end)
            if reason_m:
                body_end = reason_m.start()
            new, cur, last_changed, head_here = _read_segment(text, seg_start, body_end, (s_start, s_end), reader,
                                                              found, cur, last_changed, head_here)
            found.extend(new)
            if reason_m:
                target = _reason_target(text, seg_start, reason_m, reader, found, cur, last_changed, s_start)
                if target is not None:
                    why_end = seg_end - (1 if text[seg_end - 1:seg_end] in "。；;" and seg_end > reason_m.end() else 0)
                    if text[seg_end - 1:seg_end] in "。；;" and seg_end == reason_m.end() + 1:
                        why_end = reason_m.end()
                    target.reason = text[reason_m.end():why_end]
                    target.spans["reason"] = (reason_m.end(), why_end)
                    target.end = max(target.end, s_end)
                    if re.match(r"^1[、.．]", target.reason):
                        in_reason_list = target
                    if target not in found:
                        found.append(target)
            seg_start = seg_end
    return found


def _reason_target(text: str, seg_start: int, m: re.Match, reader: _Reader, found: list[_St], cur: _St | None,
                   last_changed: _St | None, s_start: int) -> _St | None:
    """Whose reason this is: a subject the words name (财政拨款收入支出减少的主要原因 …), else the statement the
    last change was read into, else the current one."""
    of = _REASON_OF.search(text[seg_start:m.end()])
    if of:
        label = re.sub(r"^\d{4}年度?", "", _ORDINAL.sub("", of.group("label")))
        key = reader.key_of(label, None, "万元", None) or _loose_key(label)
        earlier = [st for st in found if st.subject == key and st.reason is None]
        if key and earlier:
            return earlier[-1]
        if key and (cur is None or cur.subject != key or cur.reason is not None):
            st = _St(key, label, None, _kind(key), s_start, text.find("。", m.end()) + 1 or len(text))
            st.direction = of.group("dir")
            st.spans["direction"] = (seg_start + of.start("dir"), seg_start + of.end("dir"))
            return st
    target = last_changed if last_changed is not None and last_changed.reason is None else cur
    if target is None or target.reason is not None:
        return None
    return target


def _loose_key(label: str) -> str | None:
    """The subject of a reason sentence, named loosely (财政拨款收入支出 / “三公”经费支出决算数)."""
    if "三公" in label:
        return "three_public_total"
    if re.search(r"财政拨款收入支出|财政拨款收支", label):
        return "fiscal_total"
    if re.search(r"收入支出|收支", label):
        return "revenue_expenditure_total"
    return None


def _read_segment(text: str, start: int, end: int, sentence: tuple[int, int], reader: _Reader, found: list[_St],
                  cur: _St | None, last_changed: _St | None, head_here: _St | None):
    """Events of one segment (before its reason) in print order: 科目 names, figures, changes, comparisons. A new
    statement's sentence is the one it starts in; one a later sentence adds to grows to that sentence's end."""
    s_start, s_end = sentence
    new: list[_St] = []
    events: list[tuple[int, int, str, re.Match]] = []
    for m in _ITEM.finditer(text, start, end):
        events.append((m.start(), m.end(), "item", m))
    for m in _CHANGE.finditer(text, start, end):
        events.append((m.start(), m.end(), "change", m))
    for m in _CHANGE_BARE.finditer(text, start, end):
        events.append((m.start(), m.end(), "bare_change", m))
    for m in _COMPARISON.finditer(text, start, end):
        events.append((m.start(), m.end(), "comparison", m))
    for m in _NONE.finditer(text, start, end):
        events.append((m.start(), m.end(), "none", m))
    for m in _FIGURE.finditer(text, start, end):
        events.append((m.start("num"), m.end(), "figure", m))
    for m in _FLAT.finditer(text, start, end):
        events.append((m.start(), m.end(), "flat", m))
    events.sort(key=lambda e: (e[0], -e[1]))
    taken: list[tuple[int, int]] = []
    head = head_here
    for ev_start, ev_end, what, m in events:
        if any(a <= ev_start < b for a, b in taken):
            continue
        if what == "item":
            names = m.group("q") or m.group("u")
            parts = _PART.findall(names)
            code = reader.code_of(parts)
            st = _St(code, names, len(parts), "item", s_start, 0, code=code)
            st.parent = head if head is not None and head is not cur else None
            if m.group("num"):
                st.amount, st.unit = _yuan(m.group("num"), m.group("unit")), m.group("unit")
                st.spans["amount"] = (m.start("num"), m.end("unit"))
            st.end = s_end
            new.append(st)
            cur = st
            taken.append((ev_start, ev_end))
        elif what == "bare_change":
            named = _named_before(text, start, ev_start, reader)
            if named is None:
                continue
            st = _St(named[0], named[1], None, _kind(named[0]), s_start, s_end)
            new.append(st)
            cur = st
            _apply_change(st, m)
            last_changed = st
            taken.append((ev_start, ev_end))
        elif what == "change":
            named = _named_before(text, start, ev_start, reader)
            if named is not None and (cur is None or cur.subject != named[0] or cur.direction is not None):
                st = _St(named[0], named[1], None, _kind(named[0]), s_start, s_end)
                new.append(st)
                cur = st
            target = cur
            if target is None:
                continue
            if target.parent is not None and target.parent.direction is None \
                    and _closes_list(target, found + new, s_start):
                target = target.parent
            elif target.direction is not None:
                continue
            _apply_change(target, m)
            target.end = max(target.end, s_end)
            last_changed = target
            taken.append((ev_start, ev_end))
        elif what == "comparison":
            named = _named_before(text, start, ev_start, reader)
            if named is not None and (cur is None or cur.subject != named[0]):
                earlier = [st for st in found + new if st.subject == named[0]]
                cur = earlier[-1] if earlier else None
            if cur is not None and cur.direction is None:
                last_changed = cur
                word = m.group("flat") or m.group("word")
                cur.direction = word if m.group("flat") or word not in ("同", "与", "和") else word
                span = "flat" if m.group("flat") else "word"
                cur.spans["direction"] = (m.start(span), m.end(span))
                cur.end = max(cur.end, s_end)
            taken.append((ev_start, ev_end))
        elif what == "none":
            label = m.group("what")
            key = reader.key_of(label, None, "万元", None) or _none_key(label)
            if key and not re.search(NUM + r"(?:万元|元)", text[m.start():m.end()]):
                st = _St(key, label, None, _kind(key), s_start, s_end)
                st.amount = Decimal("0.00")
                st.spans["amount"] = (m.start(), m.start() + 1)
                new.append(st)
                cur = st
            taken.append((ev_start, ev_end))
        elif what == "figure":
            cur, head = _figure(text, start, m, reader, new, cur, head, s_start, s_end)
        elif what == "flat":
            if cur is not None and cur.direction is None:
                cur.direction = m.group("dir")
                cur.spans["direction"] = (m.start(), m.end())
                cur.end = max(cur.end, s_end)
                continue
            named = _named_before(text, start, m.start(), reader)
            if named:
                st = _St(named[0], named[1], None, _kind(named[0]), s_start, s_end)
                st.direction = m.group("dir")
                st.spans["direction"] = (m.start(), m.end())
                new.append(st)
                cur = st
    return new, cur, last_changed, head


def _named_before(text: str, start: int, pos: int, reader: _Reader) -> tuple[str, str] | None:
    """The subject the words just before a change or comparison name (“三公”经费财政拨款支出决算数 比…), if any."""
    words = re.split(r"[，,；;：:。]", text[start:pos])[-1]
    words = re.sub(r"^\d{4}年度?", "", _LEAD.sub("", _ORDINAL.sub("", words)))
    words = re.sub(r"(?:支出)?决算数?$|预算数?$", "", words)
    if not words:
        return None
    key = reader.key_of(words, None, "万元", None) or _loose_key(words)
    return (key, words) if key else None


def _none_key(label: str) -> str | None:
    if "政府性基金" in label:
        return "gov_fund_total"
    if "国有资本经营" in label:
        return "soe_total"
    return None


def _figure(text: str, seg_start: int, m: re.Match, reader: _Reader, new: list[_St], cur: _St | None,
            head: _St | None, s_start: int, end: int) -> tuple[_St | None, _St | None]:
    label, label_start = _label(text, m.start("label"), m.end("label"))
    unit = m.group("unit")
    num = m.group("num")
    if label.startswith("占") or label.endswith("占"):
        return cur, head
    year = None
    if y := re.match(r"^(\d{4})年度?", text[m.start("label"):m.end("label")].lstrip("，,")):
        year = int(y.group(1))
    ex = _EXEC.match(label)
    subject_label = ex.group("subj") if ex else label
    subject_label = re.sub(r"^\d{4}年度?", "", subject_label)
    st = None
    if subject_label:
        head_key = head.subject if head is not None else None
        prev = cur.subject if cur is not None else None
        key = reader.key_of(subject_label, head_key, unit, prev)
        if key is None and unit in ("万元", "元") and not ex:
            code = reader.bare_code(_LEAD.sub("", _ORDINAL.sub("", subject_label)))
            if code:
                name = _LEAD.sub("", _ORDINAL.sub("", subject_label))
                st = _St(code, name, {3: 1, 5: 2, 7: 3}.get(len(code)), "item", s_start, end, code=code)
        elif key is not None:
            if unit == "%":
                return cur, head
            st = _St(key, _LEAD.sub("", _ORDINAL.sub("", subject_label)).strip("，,"), None, _kind(key), s_start, end)
        if st is not None:
            st.parent = head if head is not None and st.kind in ("total", "item") and head.kind == "total" else None
            if st.parent is not None and st.kind != "item" \
                    and _opens_sentence(text, s_start, m.start("num"), st.parent) \
                    and reader.key_of(subject_label, None, unit, prev) == key:
                st.parent = None  # a total of its own opening the next sentence, not a part of the last one's head
            if head is None or (st.kind != head.kind and st.kind != "item"):
                head = st
            st.year = year
            new.append(st)
            cur = st
            if "其中" not in text[seg_start:m.start()] and st.parent is None:
                head = st
    if cur is None:
        return cur, head
    value_span = (m.start("num"), m.end("unit"))
    what = ex.group("what") if ex else None
    if what is not None:
        cur.end = max(cur.end, end)
    if what is None:
        if st is not None:
            if unit == "%":
                return cur, head
            st.amount = _yuan(num, unit) if unit != "个" else _decimal(num)
            st.unit = unit
            st.spans["amount"] = value_span
        return cur, head
    if "执行数" in what or what.startswith(("年初", "全年", "调整")):
        cur.prior, cur.unit = _yuan(num, unit), cur.unit or unit
        cur.prior_label = what
        cur.prior_year = int(y.group(1)) if (y := _YEAR.match(what)) else None
        cur.spans["prior"] = value_span
    elif "预算安排" in what or "决算" in what:
        cur.arranged = _yuan(num, unit)
        cur.unit = cur.unit or unit
        cur.spans["arranged"] = value_span
        if (y := _YEAR.match(what)) and cur.year is None:
            cur.year = int(y.group(1))
        if cur.amount is None:
            cur.amount = cur.arranged
            cur.spans["amount"] = value_span
    elif what.startswith("完成") and unit == "%":
        # a share of the budget executed, not a change: kept apart so no rule reads it as 增减百分比
        cur.completion_pct = _decimal(num)
        cur.spans["completion_pct"] = (m.start("num"), m.end("unit"))
    return cur, head


def _opens_sentence(text: str, s_start: int, pos: int, head: _St) -> bool:
    """The figure at `pos` opens its sentence's own statement: the head it would fall under was read in an earlier
    sentence, and no 其中 / 包括 … in this one lists it under that head (阳泉: “…上年结转资金。；本年单位预算支出总计…”
    is no part of the 收入总计 before it)."""
    return head.start < s_start and not _LISTS.search(text, s_start, pos)


def _closes_list(part: _St, statements: list[_St], s_start: int) -> bool:
    """A change printed after the last of two or more parts of one 其中 list, none of them with a change of its own,
    speaks of the list's head: “总计3,623.26万元，其中：本年预算安排3,276.48万元，上年结转346.79万元，比上年增加574.68
    万元” is the total's change (3,623.26 − 574.68 is last year's total), not the 上年结转's. A change right after the
    list's only part is that part's (上海: “其中：财政拨款收入X万元，比2024年预算增加Y万元”)."""
    siblings = [st for st in statements if st.parent is part.parent and st.start == s_start]
    return len(siblings) >= 2 and siblings[-1] is part and all(st.direction is None for st in siblings)


def _apply_change(st: _St, m: re.Match) -> None:
    g = m.groupdict()
    base = g.get("base") or ""
    st.prior_year = int(base[:4]) if base[:4].isdigit() else None
    if st.prior_label is None and base:
        st.prior_label = base + (g.get("blabel") or "")
    if g.get("prior"):
        st.prior = _yuan(m.group("prior"), m.group("pu"))
        st.spans["prior"] = (m.start("prior"), m.end("pu"))
    st.direction = m.group("dir") + (m.group("alt") or "")
    st.spans["direction"] = (m.start("dir"), m.end("alt") if m.group("alt") else m.end("dir"))
    sign = Decimal(-1) if m.group("dir") in ("减少", "下降") else Decimal(1)
    if m.group("amt"):
        if m.group("au") == "%":
            st.change_pct = _decimal(m.group("amt"))
            st.spans["change_pct"] = (m.start("amt"), m.end("au"))
        else:
            value = _yuan(m.group("amt"), m.group("au") or "万元")
            st.unit = st.unit or m.group("au")
            st.change = None if value is None else value * sign
            st.spans["change"] = (m.start("amt"), m.end("au") if m.group("au") else m.end("amt"))
    if m.group("pct") is not None:
        st.change_pct = _decimal(m.group("pct"))
        st.spans["change_pct"] = (m.start("pct"), m.end("pu2") if m.group("pu2") else m.end("pct"))
        st.spans["pct_direction"] = (m.start("pdir"), m.end("palt") if m.group("palt") else m.end("pdir"))


def _as_dict(st: _St, para: _Para, reader: _Reader, section_of: Callable[[int], str | None]) -> dict:
    end = st.end or len(para.text)
    sentence = para.text[st.start:end]
    index, page = para.line_at(st.start)
    if st.kind == "item":
        table_kind = reader.item_kind(st.code)
    else:
        table_kind = reader.cell(st.subject or "")
    spans = {k: (a - st.start, b - st.start) for k, (a, b) in st.spans.items() if st.start <= a <= b <= end}
    if st.kind != "item" and st.year is None and (y := _YEAR.match(sentence)):
        st.year = int(y.group(1))
    return {
        "statement_id": None, "section": section_of(index), "page": page, "sentence": sentence,
        "subject": st.subject, "subject_name": st.name, "subject_level": st.level if st.kind == "item" else None,
        "resolved": table_kind is not None, "table_kind": table_kind, "amount": st.amount, "arranged": st.arranged,
        "prior_amount": st.prior, "prior_label": st.prior_label, "prior_year": st.prior_year, "year": st.year,
        "change": st.change, "change_pct": st.change_pct, "completion_pct": st.completion_pct,
        "direction": st.direction, "reason": st.reason, "unit": st.unit, "spans": spans, "kind": st.kind,
    }
