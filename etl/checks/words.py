"""What a reviewer finds in the words of the 说明, read from the report's statements (etl/words/statements.py).

A district finance bureau's reviewer reads each quantitative sentence and checks it against itself and the tables:
the 预算安排 it gives against the amount it named, the percentage against its two figures, the direction word against
the sign, the reason against the direction, the years against the report's year, the 科目 names against the table's,
a total against the parts it lists, and the template words an author forgot to delete. Each relation here is one
such check over `report.statements`; each yields one comparison per statement (or per offending passage), a finding
quoting the offending words (at most 40 characters, cut from the sentence around the figures' spans).

One finding per real problem: where an older facts-based rule (etl/checks/budget.py, final.py) already judges the
same figures — a prose figure against the table, an item's percentage, a completion rate — the relation here leaves
that sentence to it. Nothing is guessed: a 科目 the report's tables do not let us place is reported as not run.
Descriptions are written per outcome (the rule's template is “说明文字{at}{finding}”), as a reviewer writes them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from etl.checks import budget as R
from etl.checks import final as F
from etl.read.names import name_key
from etl.read.report import Comparison
from etl.read.units import YUAN_PER
from etl.tables import kinds as K

QUOTE_MAX = 40  # the evaluator refuses a longer quote (rules.QUOTE_MAX)
D0 = Decimal(0)

UP = ("增加", "增长", "上升", "大于", "高于", "超过")
DOWN = ("减少", "下降", "降低", "小于", "低于")
FLAT = ("持平", "基本持平", "一致", "基本一致", "等于")
# words of a reason that name a movement (a reason without any is not judged)
_REASON_UP = re.compile(r"增加|增长|新增|调增|上升|提高|增多")
_REASON_DOWN = re.compile(r"减少|下降|降低|调减|压减|缩减|减员")
_MOVES = "增加|减少|增长|下降|上升|大于|小于|高于|低于"
_ALTERNATIVE = re.compile(rf"(?:{_MOVES})（(?:{_MOVES})）")
# a bracketed note telling the author what to write (national 决算 template: （如持平作持平表述）（不涉及的不列）
# （制度名称）; budget templates: （说明增减原因）（如有…请说明）); a bracket that explains (（以合同签订为准）) is no note
_NOTE = re.compile(r"（[^（）]{0,30}?(?:如持平|不涉及的?不列|如有|如无|请[^）]{0,20}(?:说明|填|列)|填写|填列|"
                   r"说明[^）]{0,12}原因|注明|作[^）]{0,6}表述|不列举|制度名称|本部分内容为)[^（）]{0,40}）")
_LEAD = re.compile(r"[，,：:]?(?:其中|主要包括|主要用于以下方面|支出包括|包括|分别为)[：:，,]?")
_PART = re.compile(r"([^（）“”\"]+?)（(\d*)(类|款|项)）")
_LEVEL = {"类": 3, "款": 5, "项": 7}
_REASON_NAMES = re.compile(r"^(?P<name>.+?)经费(?:增加|减少|保持不变|持平)$")


# ------------------------------------------------------------------------------------------ reading statements


def statements(v: R.View) -> list[dict]:
    """The report's statements (none where the words stage did not run)."""
    return list(getattr(v.report, "statements", None) or [])


def _family(v: R.View) -> str:
    return K.family_of(v.report.doc.get("doc_type"))


def _at(s: dict) -> str:
    return f"第{s['page']}页" if s.get("page") else ""


def _span(s: dict, key: str) -> tuple[int, int] | None:
    span = (s.get("spans") or {}).get(key)
    return tuple(span) if span else None


def _text(s: dict, key: str) -> str:
    span = _span(s, key)
    return s["sentence"][span[0]:span[1]] if span else ""


def _money(s: dict, key: str) -> bool:
    return _text(s, key).endswith(("万元", "元"))


def _half(printed: str) -> Decimal:
    """Half the last printed digit of a money figure, in 元: 350.35万元 stands for 350.345–350.355万元."""
    m = re.match(r"([\d,]*)(?:\.(\d+))?\s*(万元|亿元|元)", printed)
    if not m:
        return D0
    decimals = len(m.group(2) or "")
    return YUAN_PER[m.group(3)] * Decimal(5) / Decimal(10) ** (decimals + 1)


def _pct_half(printed: str) -> Decimal:
    m = re.match(r"\d+(?:\.(\d+))?", printed)
    return Decimal(5) / Decimal(10) ** (len((m.group(1) or "") if m else "") + 1)


def _wan(value: Decimal) -> str:
    """A 元 amount as the 万元 figure a reviewer writes (two decimals, trailing zeros kept as printed reports do)."""
    return f"{value / YUAN_PER['万元']:,.2f}"


def cut(sentence: str, a: int, b: int) -> str:
    """The words of `sentence` from a to b, widened to their clause where that still fits QUOTE_MAX, or the head and
    the tail joined by “…” where the two ends lie too far apart to quote whole."""
    a, b = max(a, 0), min(b, len(sentence))
    if b - a > QUOTE_MAX:
        head = (QUOTE_MAX - 1) // 2
        return sentence[a:a + head] + "…" + sentence[b - (QUOTE_MAX - 1 - head):b]
    start = max(sentence.rfind(p, 0, a) for p in "，。；：,;:") + 1
    if b - start > QUOTE_MAX:
        start = a
    ends = [i for i in (sentence.find(p, b) for p in "，。；,;") if i >= 0]
    end = min(ends) if ends else len(sentence)
    if end - start > QUOTE_MAX:
        end = b
    return sentence[start:end]


def _quote(s: dict, *keys: str) -> str:
    spans = [sp for k in keys if (sp := _span(s, k))]
    if not spans:
        return cut(s["sentence"], 0, QUOTE_MAX)
    return cut(s["sentence"], min(a for a, _ in spans), max(b for _, b in spans))


def _what(s: dict) -> str:
    """The subject as a reviewer names it: an item by its last two printed levels, a total by its printed label."""
    parts = _PART.findall(s.get("subject_name") or "")
    if parts:
        return "".join(f"{n}（{w}）" for n, _, w in parts[-2:])
    named = re.sub(r"^.*?\d{4}年度?", "", s.get("subject_name") or "") or (s.get("subject_name") or "")
    # a sentence whose subject was not read is named by its opening words, never by empty quotes (“”)
    return named or _short(s.get("sentence") or "", 12)


def _words(key: str, s: dict, passed: bool | None, finding: str, quote: str | None,
           expected: Decimal | None = None, actual: Decimal | None = None) -> Comparison:
    return Comparison(key, expected, actual, 0, s.get("page"), s.get("table_kind"),
                      {"at": _at(s), "finding": finding}, passed=passed, section=s.get("section"), quote=quote)


def _base(direction: str | None) -> str | None:
    """The direction word without a template's alternative left beside it (增加（减少） → None: not judged here)."""
    if not direction or "（" in direction:
        return None
    return direction


def _sense(word: str | None) -> int | None:
    if word in UP:
        return 1
    if word in DOWN:
        return -1
    if word in FLAT:
        return 0
    return None


# ------------------------------------------------------------------------------------------ what older rules judge


def _judged(comparisons: Iterator[Comparison]) -> list[Comparison]:
    return [c for c in comparisons if c.blocked is None]


def _failed_table_figures(v: R.View) -> set[tuple[int | None, Decimal]]:
    """(page, figure in 元) of every prose figure the facts-based table rule of this family already reports."""
    relation = F.prose_vs_tables if _family(v) == K.FINAL else R.prose_vs_tables
    out = set()
    for c in _judged(relation(v)):
        if c.expected is not None and c.actual is not None and c.tolerance is not None \
                and abs(c.expected - c.actual) > c.tolerance:
            out.add((c.page, c.actual))
    return out


def _judged_pcts(v: R.View) -> set[tuple[int | None, Decimal]]:
    """(page, percentage) of every change percentage a facts-based rule of this family already judges."""
    relations = [R.change_pct] + ([R.item_change_pct] if _family(v) == K.BUDGET else [])
    return {(c.page, abs(Decimal(str(c.fields["pct"]).replace(",", "")))) for rel in relations for c in _judged(rel(v))}


# ------------------------------------------------------------------------------------------ relations


def arranged_vs_amount(v: R.View) -> Iterator[Comparison]:
    """An item's “预算安排X万元” / “支出决算为X万元” is the amount the sentence first named for it: two figures for one
    科目 in one paragraph are one wrong. Left to the table rule where it already reports either figure."""
    reported = _failed_table_figures(v)
    word = "支出决算" if _family(v) == K.FINAL else "预算安排"
    for s in statements(v):
        a, b = _span(s, "amount"), _span(s, "arranged")
        if s["amount"] is None or s["arranged"] is None or not a or not b or a == b:
            continue
        if not (_money(s, "amount") and _money(s, "arranged")):
            continue
        if (s["page"], s["amount"]) in reported or (s["page"], s["arranged"]) in reported:
            continue
        tol = _half(_text(s, "amount")) + _half(_text(s, "arranged"))
        passed = abs(s["amount"] - s["arranged"]) <= tol
        what = _what(s)
        finding = (f"“{what}”{_text(s, 'amount')}与{word}{_text(s, 'arranged')}一致" if passed else
                   f"“{what}”写作{_text(s, 'amount')}，{word}却为{_text(s, 'arranged')}")
        yield _words(f"words:arranged:{s['statement_id']}", s, passed, finding, _quote(s, "amount", "arranged"),
                     s["amount"], s["arranged"])


def _pct_figures(s: dict) -> list[tuple[Decimal, Decimal, Decimal, Decimal, str]]:
    """Each (current, prior, their printed spreads, whence) a change percentage may be reckoned from: the stated
    上年数, and the stated 增减额 (prior = current − change, as printed); empty where the sentence gives neither."""
    cur_key = "arranged" if s["arranged"] is not None and _span(s, "arranged") else "amount"
    cur = s[cur_key]
    if cur is None or not _money(s, cur_key):
        return []
    out = []
    ea = _half(_text(s, cur_key))
    if s["prior_amount"] is not None and _money(s, "prior"):
        out.append((cur, s["prior_amount"], ea, _half(_text(s, "prior")), "prior"))
    if s["change"] is not None and _money(s, "change"):
        out.append((cur, cur - s["change"], ea, ea + _half(_text(s, "change")), "change"))
    return out


def _pct_range(cur: Decimal, prior: Decimal, ea: Decimal, ep: Decimal) -> tuple[Decimal, Decimal] | None:
    """The |change| % the figures allow, each anywhere within its printed rounding; None where last year is ~0."""
    values = []
    for da in (-ea, ea):
        for dp in (-ep, ep):
            p = prior + dp
            if p <= 0:
                return None
            values.append(abs(cur + da - p) / p * 100)
    return min(values), max(values)


def change_pct(v: R.View) -> Iterator[Comparison]:
    """A stated 增减百分比 is |本年 − 上年| ÷ 上年 of the sentence's own figures, each anywhere within its printed rounding
    and the percentage within its own (3.4% for 1.6万元 ÷ 45.96万元 fits: 1.55–1.65万元 gives 3.37–3.59%). Left to
    the facts-based rules where they judge the same percentage. A completion rate (完成预算的X%) is no change: the
    statement keeps it as completion_pct (final.prose_completion judges it), so change_pct is only ever a 增减."""
    judged = _judged_pcts(v)
    for s in statements(v):
        base = _base(s.get("direction"))
        if s.get("change_pct") is None or _sense(base) not in (1, -1) or base in ("大于", "小于", "高于", "低于"):
            continue
        if not _span(s, "change_pct"):
            continue
        if (s["page"], abs(s["change_pct"])) in judged:
            continue
        figures = [(f, r) for f in _pct_figures(s) if (r := _pct_range(*f[:4])) is not None]
        if not figures:
            continue  # no figures, or last year ~0: any percentage (or none) is possible
        half = _pct_half(_text(s, "change_pct"))
        stated = s["change_pct"]
        passed = any(lo - half <= stated <= hi + half for _, (lo, hi) in figures)
        cur, prior = figures[0][0][:2]
        implied = abs(cur - prior) / prior * 100
        what = _what(s)
        finding = (f"“{what}”{base}{stated}%与所述金额相符" if passed else
                   f"“{what}”由{_wan(prior)}万元变为{_wan(cur)}万元，应{base}{implied:.2f}%，说明却写{base}{stated}%")
        yield _words(f"words:change_pct:{s['statement_id']}", s, passed, finding,
                     _quote(s, "direction", "change_pct"), implied.quantize(Decimal("0.01")), stated)


def pct_sign(v: R.View) -> Iterator[Comparison]:
    """A change percentage is printed with its %: “增长13.95。” leaves the reader guessing what 13.95 is."""
    seen: set[tuple] = set()
    for s in statements(v):
        span = _span(s, "change_pct")
        if s.get("change_pct") is None or not span:
            continue
        printed = s["sentence"][span[0]:span[1]]
        quote = _quote(s, "pct_direction", "change_pct") if _span(s, "pct_direction") else _quote(s, "change_pct")
        if (s["page"], quote) in seen:
            continue
        seen.add((s["page"], quote))
        passed = printed.endswith("%")
        finding = (f"“{_what(s)}”的百分比{printed}印有%" if passed else
                   f"“{_what(s)}”的增减幅度写作“{quote}”，数字{printed}后缺少%")
        yield _words(f"words:pct_sign:{s['statement_id']}", s, passed, finding, quote)


def direction_vs_figures(v: R.View) -> Iterator[Comparison]:
    """增加 with a rise, 减少 with a fall, 持平 with equal figures; and a second direction word (“减少X万元，增长Y%”)
    the same as the first. A 决算's 大于/小于预算 is final.prose_wording's."""
    final = _family(v) == K.FINAL
    for s in statements(v):
        base = _base(s.get("direction"))
        sense = _sense(base)
        if sense is None or base in ("大于", "小于", "高于", "低于", "超过", "等于"):
            continue
        if final and (s.get("prior_label") or "").startswith(("年初", "全年", "调整")):
            continue
        key = f"words:direction:{s['statement_id']}"
        what = _what(s)
        pdir = _text(s, "pct_direction")
        if pdir and "（" not in pdir and _sense(pdir) is not None:
            passed = _sense(pdir) == sense
            finding = (f"“{what}”{base}与{pdir}一致" if passed else
                       f"“{what}”先写{base}，后写{pdir}{_text(s, 'change_pct')}，增减方向自相矛盾")
            yield _words(key + ":pct", s, passed, finding, _quote(s, "direction", "pct_direction"))
        fig = next((f for f in _pct_figures(s) if f[4] == "prior"), None)
        if fig is None:
            if sense == 0 and s.get("change") is not None and _money(s, "change"):
                passed = abs(s["change"]) <= _half(_text(s, "change"))
                finding = (f"“{what}”{base}，增减额为0" if passed else
                           f"“{what}”写{base}，却又写增减{_text(s, 'change')}")
                yield _words(key, s, passed, finding, _quote(s, "direction", "change"))
            continue
        cur, prior, ea, ep, _ = fig
        diff, tol = cur - prior, ea + ep
        actual = 1 if diff > tol else -1 if diff < -tol else 0
        if sense != 0 and actual == 0 and diff != 0:
            continue  # within the print's rounding: either word fits
        passed = actual == sense
        moved = {1: "增加", -1: "减少", 0: "持平"}[actual]
        finding = (f"“{what}”{base}与所述两数相符" if passed else
                   f"“{what}”由{_wan(prior)}万元变为{_wan(cur)}万元，实为{moved}，说明却写“{base}”")
        yield _words(key, s, passed, finding, _quote(s, "direction"), prior, cur)


def reason_direction(v: R.View) -> Iterator[Comparison]:
    """A reason explains the movement the sentence states: “减少……主要原因是……经费增加” (or 持平 explained by 减少支付)
    explains the opposite. A reason naming no movement, or both, is not judged."""
    for s in statements(v):
        base = _base(s.get("direction"))
        sense = _sense(base)
        reason = (s.get("reason") or "").strip()
        if sense is None or not reason:
            continue
        up, down = bool(_REASON_UP.search(reason)), bool(_REASON_DOWN.search(reason))
        if up == down:
            continue
        said = 1 if up else -1
        passed = said == sense
        moved = (_REASON_UP if up else _REASON_DOWN).findall(reason)[-1]
        what = _what(s)
        finding = (f"“{what}”{_stated(s, base)}，所述原因与之相符" if passed else
                   f"“{what}”{_stated(s, base)}，所述原因却是{moved}（“{_short(reason)}”）")
        yield _words(f"words:reason:{s['statement_id']}", s, passed, finding, _quote(s, "direction", "reason"))


_VERSUS = ("大于", "小于", "等于", "高于", "低于")


def _stated(s: dict, base: str) -> str:
    """The movement as the sentence states it (比2023年当年预算执行数减少2.98% / 与2023年度相比持平)."""
    label = re.sub(r"^(?:比|较|与|同)", "", s.get("prior_label") or "")
    if base in _VERSUS:  # a 决算 set against its 预算: 决算数小于年初预算, not “小于”
        return f"决算数{base}{label or '预算数'}"
    figure = _text(s, "change_pct") or _text(s, "change")
    if not label:
        return f"{base}{figure}"
    return f"与{label}相比{base}" if base in FLAT else f"比{label}{base}{figure}"


def _short(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def reason_other_item(v: R.View) -> Iterator[Comparison]:
    """An item's reason “X经费增加” names the item itself: one naming another item of the same report (a paragraph
    copied from the one before) explains nothing about this one."""
    items = [s for s in statements(v) if s["kind"] == "item"]
    names: dict[str, set[str]] = {}
    for s in items:
        parts = _PART.findall(s.get("subject_name") or "")
        if parts:
            own = {name_key(parts[-1][0])}
            if len(parts) > 1:
                own.add(name_key(parts[-2][0] + parts[-1][0]))
            names[s["statement_id"]] = own
    for s in items:
        m = _REASON_NAMES.match((s.get("reason") or "").strip())
        own = names.get(s["statement_id"])
        if not m or not own:
            continue
        named = name_key(m.group("name"))
        if named in own or any(o and o in named for o in own):
            yield _words(f"words:reason_item:{s['statement_id']}", s, True, f"“{_what(s)}”的原因说的是本科目",
                         _quote(s, "reason"))
            continue
        other = next((x for x in items if x is not s and named in names.get(x["statement_id"], set())), None)
        if other is None:
            continue  # names no item of this report: not judged
        finding = f"“{_what(s)}”的原因写的是另一科目“{_what(other)}”的经费（“{_short(s['reason'])}”）"
        yield _words(f"words:reason_item:{s['statement_id']}", s, False, finding, _quote(s, "reason"))


def _year_at(s: dict, year: int) -> tuple[int, int]:
    i = s["sentence"].find(f"{year}年")
    return (i, i + len(str(year)) + 1) if i >= 0 else (0, min(len(s["sentence"]), QUOTE_MAX))


def comparison_years(v: R.View) -> Iterator[Comparison]:
    """The year a statement compares with is the report's year − 1, and the year it speaks of the report's own: one
    row per statement naming a year, a finding per wrong year."""
    fy = v.report.doc.get("fiscal_year")
    if not fy:
        return
    fy = int(fy)
    for s in statements(v):
        named = [(f, int(s[f]), want, what) for f, want, what in (("prior_year", fy - 1, "比较年度"), ("year", fy, "所述年度"))
                 if s.get(f) is not None]
        wrong = [(f, y, want, what) for f, y, want, what in named if y != want]
        if named and not wrong:
            yield _words(f"words:year:{s['statement_id']}", s, True, f"“{_what(s)}”所写年度与报告年度{fy}年相符", None)
        for f, y, want, what in wrong:
            a, b = _year_at(s, y)
            yield _words(f"words:year:{f}:{s['statement_id']}", s, False,
                         f"“{_what(s)}”{what}写作{y}年，{fy}年度报告应为{want}年", cut(s["sentence"], a, b))


def _passages(v: R.View, rx: re.Pattern) -> Iterator[tuple[dict, re.Match, str]]:
    """Each passage of the statements' sentences matching `rx`, once (sentences overlap where a statement spans
    several)."""
    seen: set[tuple] = set()
    for s in statements(v):
        for m in rx.finditer(s["sentence"]):
            quote = cut(s["sentence"], m.start(), m.end())
            if (s.get("page"), quote) in seen:
                continue
            seen.add((s.get("page"), quote))
            yield s, m, quote


def alternatives(v: R.View) -> Iterator[Comparison]:
    """A template's choice left unmade (“增加（减少）”, “下降（增长）”): the reader cannot tell which way it moved."""
    found = 0
    for s, m, quote in _passages(v, _ALTERNATIVE):
        found += 1
        yield _words(f"words:alternative:{found}", s, False, f"“{m.group(0)}”保留了模板的两种写法，未删去其一", quote)
    if not found:
        yield Comparison("words:alternative:none", None, None, 0, None, None,
                         {"at": "", "finding": "未见保留模板备选用词（如“增加（减少）”）"}, passed=True)


def template_notes(v: R.View) -> Iterator[Comparison]:
    """A bracketed note telling the author what to write, left in the published text. XX placeholders are
    report.placeholders'."""
    found = 0
    for s, m, quote in _passages(v, _NOTE):
        found += 1
        yield _words(f"words:template_note:{found}", s, False, f"保留了模板的填写说明“{_short(m.group(0), 30)}”", quote)
    if not found:
        yield Comparison("words:template_note:none", None, None, 0, None, None,
                         {"at": "", "finding": "未见保留模板的填写说明"}, passed=True)


def empty_reason(v: R.View) -> Iterator[Comparison]:
    """“主要原因是。” gives no reason: the template's sentence was kept and its content never written."""
    for s in statements(v):
        reason = s.get("reason")
        if reason is None:
            continue
        passed = bool(re.sub(r"[\s，。；：,.;:、]", "", reason))
        span = _span(s, "reason")
        if span:
            a = max(s["sentence"].rfind("原因", 0, span[0]) - 2, 0)
            quote = cut(s["sentence"], a, min(max(span[1], a + 5) + 1, len(s["sentence"])))
        else:
            quote = _quote(s, "direction")
        finding = f"“{_what(s)}”写明了原因" if passed else f"“{_what(s)}”写“{quote}”，原因未填写"
        yield _words(f"words:empty_reason:{s['statement_id']}", s, passed, finding, quote)


def parts_sum(v: R.View) -> Iterator[Comparison]:
    """A total stated with its parts (“X万元，其中：A万元，B万元…”) equals their sum, whatever it counts; a single
    “其中” figure is a share, not a breakdown, and is not summed. The 政府采购 breakdown is prose.procurement_parts'."""
    procurement_judged = any(True for _ in R.procurement_parts(v))
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for s in statements(v):
        groups[(s.get("page"), s["sentence"].split("。")[0])].append(s)
    for (_, first), sts in groups.items():
        lead = _LEAD.search(first)
        figures = [(s, _span(s, "amount")) for s in sts if s["amount"] is not None and _span(s, "amount")
                   and _money(s, "amount") and _span(s, "amount")[1] <= len(first)]
        if not lead or not figures:
            continue
        before = [f for f in figures if f[1][1] <= lead.start()]
        if not before:
            continue
        total, tspan = max(before, key=lambda f: f[1][1])
        if first[tspan[1]:lead.start()].strip("，,：: ") or (total["subject"] == "procurement_total"
                                                              and procurement_judged):
            continue
        parts, spans = [], set()
        for s, sp in sorted(figures, key=lambda f: f[1][0]):
            if sp[0] >= lead.end() and sp not in spans and s["subject"] != total["subject"]:
                parts.append(s)
                spans.add(sp)
        if len(parts) < 2:
            continue
        summed = sum((p["amount"] for p in parts), D0)
        tol = _half(_text(total, "amount")) + sum((_half(_text(p, "amount")) for p in parts), D0)
        passed = abs(summed - total["amount"]) <= tol
        what = _what(total)
        finding = (f"“{what}”{_text(total, 'amount')}等于所列{len(parts)}项之和" if passed else
                   f"“{what}”写{_text(total, 'amount')}，所列{len(parts)}项之和却为{_wan(summed)}万元")
        yield _words(f"words:parts:{total['statement_id']}", total, passed, finding,
                     cut(total["sentence"], tspan[0], _span(parts[-1], "amount")[1]), total["amount"], summed)


_PAIRS = (("fiscal_revenue", "fiscal_expenditure", "财政拨款收入", "财政拨款支出"),
          ("revenue_total", "expenditure_total", "收入总计", "支出总计"))


def paired_changes(v: R.View) -> Iterator[Comparison]:
    """收入 and 支出 stated as one figure (a balanced budget) change by one amount: two different changes of equal
    totals say two things of one quantity. The 收入总计/支出总计 pair is prose.revenue_expenditure_change's where it
    judges it."""
    facts_pair = any(True for _ in R.revenue_expenditure_move_together(v))
    sts = statements(v)
    for rev_key, exp_key, rev_name, exp_name in _PAIRS:
        if rev_key == "revenue_total" and facts_pair:
            continue
        rev = next((s for s in sts if s["subject"] == rev_key and s["amount"] is not None
                    and s["change"] is not None and _money(s, "change")), None)
        exp = next((s for s in sts if s["subject"] == exp_key and s["amount"] is not None
                    and s["change"] is not None and _money(s, "change")), None)
        if rev is None or exp is None:
            continue
        if abs(rev["amount"] - exp["amount"]) > _half(_text(rev, "amount")) + _half(_text(exp, "amount")):
            continue
        tol = _half(_text(rev, "change")) + _half(_text(exp, "change"))
        passed = abs(rev["change"] - exp["change"]) <= tol
        finding = (f"{rev_name}与{exp_name}相等，其增减额也相同" if passed else
                   f"{rev_name}与{exp_name}同为{_text(exp, 'amount')}，{rev_name}{rev['direction']}{_text(rev, 'change')}，"
                   f"{exp_name}却{exp['direction']}{_text(exp, 'change')}")
        yield _words(f"words:paired:{rev_key}", exp, passed, finding, _quote(exp, "amount", "change"),
                     rev["change"], exp["change"])


def _func_names(v: R.View) -> dict[str, str]:
    """科目 code → name as the report's 功能分类 tables print it (the 一般公共预算 table first)."""
    out: dict[str, str] = {}
    order = ("gp_expenditure", "expenditure", "revenue", "gov_fund_expenditure", "soe_capital")
    for kind in (*order, None):
        for r in v.func:
            if r.get("code") and (kind is None or r["table_kind"] == kind):
                out.setdefault(r["code"], r.get("name") or "")
    return out


def _place(parts: list[tuple[str, str, str]], names: dict[str, str]) -> tuple[str | None, list[tuple]]:
    """The code each printed level names, level by level: a level whose name is not the table's is placed by the
    deeper levels (住房保障支出（款）住房公积金（项） under 221: the 项 is 2210201, so the 款 is 22102) and listed as
    (printed, level, code, table name); a level nothing places ends with code None: (printed, level, parent, None)."""
    parent: str | None = None
    wrong: list[tuple] = []
    for i, (name, digits, word) in enumerate(parts):
        length = _LEVEL[word]
        under = [c for c in names if len(c) == length and (parent is None or c.startswith(parent))]
        exact = [c for c in under if name_key(names[c]) == name_key(name)]
        if digits and parent is not None and parent + digits in names and len(parent + digits) == length:
            exact = [parent + digits]
        if len(exact) == 1:
            parent = exact[0]
            continue
        placed = None
        for dname, _, dword in parts[i + 1:]:
            deeper = [c for c in names if len(c) == _LEVEL[dword] and (parent is None or c.startswith(parent))
                      and name_key(names[c]) == name_key(dname)]
            if len(deeper) == 1:
                placed = deeper[0][:length]
                break
        if placed is None or placed not in names:
            return None, [*wrong, (name, word, parent, None)]
        wrong.append((name, word, placed, names[placed]))
        parent = placed
    return parent, wrong


def item_names(v: R.View) -> Iterator[Comparison]:
    """Each level of a 科目 the 说明 prints (类/款/项) is named as the table names that code: an older catalogue name
    (医疗卫生与计划生育支出 for 卫生健康支出) or another item's name is a finding. A 科目 the tables do not let us
    place is not run, never guessed."""
    names = _func_names(v)
    if not names:
        return
    for s in statements(v):
        if s["kind"] != "item":
            continue
        key = f"words:item_name:{s['statement_id']}"
        printed = s.get("subject_name") or ""
        parts = _PART.findall(printed)
        code = s.get("subject")
        if not parts:  # a 科目 printed by its name alone (阳泉: 一般公共服务支出0.70万元)
            if code and code in names:
                passed = name_key(printed) == name_key(names[code])
                finding = (f"科目“{printed}”与表中{code}名称一致" if passed else
                           f"科目名称“{printed}”与表中{code}“{names[code]}”不符")
                yield _words(key, s, passed, finding, _name_quote(s, printed))
            continue
        if code and code in names:
            wrong = [(n, w, code[:_LEVEL[w]], names.get(code[:_LEVEL[w]])) for n, _, w in parts
                     if names.get(code[:_LEVEL[w]]) is not None
                     and name_key(n) != name_key(names[code[:_LEVEL[w]]])]
        else:
            code, wrong = _place(parts, names)
            if code is None and wrong and wrong[-1][2] is None:
                name, word, parent, _ = wrong[-1]
                s_quote = _name_quote(s, f"{name}（{word}）")
                yield _words(key, s, None, f"未核对：科目“{_short(printed, 40)}”在本报告的功能分类表中找不到对应科目",
                             s_quote)
                continue
            if code is None:
                name, word, parent, _ = wrong[-1]
                finding = (f"科目“{name}（{word}）”在表中{parent} {names[parent]}下没有这一{word}"
                           f"（表中{parent}下为：{'、'.join(names[c] for c in sorted(names) if len(c) == _LEVEL[word] and c.startswith(parent))}）")
                yield _words(key, s, False, finding, _name_quote(s, f"{name}（{word}）"))
                continue
        if not wrong:
            yield _words(key, s, True, f"科目“{_what(s)}”各级名称与表中{code}一致", None)
            continue
        said = "；".join(f"{w}名“{n}”，表中{c}为“{t}”" for n, w, c, t in wrong)
        first = wrong[0]
        yield _words(key, s, False, f"科目名称与表中不符：{said}", _name_quote(s, f"{first[0]}（{first[1]}）"))


def _name_quote(s: dict, name: str) -> str:
    i = s["sentence"].find(name)
    if i < 0:
        return cut(s["sentence"], 0, min(len(s["sentence"]), QUOTE_MAX))
    return cut(s["sentence"], i, i + len(name)) if len(name) <= QUOTE_MAX else s["sentence"][i:i + QUOTE_MAX]
