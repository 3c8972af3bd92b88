"""The report's make-up and wording, as a finance-bureau reviewer checks it before any figure (公开情况检查表).

A reviewer marks each part 符合要求 是/否 and writes the problem: the report calls itself by another family's name
(“2024年部门预算编制说明” in a 单位预算), a punctuation mark is doubled (。。) or a bracket is never closed, a
paragraph of the 说明 stops without its 。, a page is blank or printed twice, a part is printed twice, the 目录 lists
a part the body lacks or misses one the body prints. Each relation here yields one finding per such place, quoting
the words (at most 40 characters), and one passing row where the report has none, so the checks table says the
check ran. A false alarm costs a reviewer's trust as much as a miss: where the print cannot tell an error from a
layout (a line wrap, a page break, a list printed without punctuation by design), nothing is reported.

Everything is read from the words stage: `report.prose` (the text outside tables, in reading order) and
`report.section_map` (etl/words/sections.py). A report without a section map (a hand-built one) gets no rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from etl.checks.budget import View
from etl.read.report import Comparison
from etl.read.tokens import clean
from etl.tables import kinds as K
from etl.tables.classify import classify
from etl.words.sections import SectionMap, family, label

QUOTE = 40
# the parts whose paragraphs explain (说明, 其他相关情况说明, 项目经费情况说明): only there must a paragraph end in 。
EXPLANATORY = ("explanation", "other", "projects_text")
_PARTS = ("duties", "organisation", "glossary", "explanation", "other", "projects_text")

# an item's number at the start of a line, with its rank (a smaller rank is a higher level)
_ORDINALS = [(re.compile(r"^第[一二三四五六七八九十]+部分"), 0), (re.compile(r"^[一二三四五六七八九十]+[、.．]"), 1),
             (re.compile(r"^[（(][一二三四五六七八九十]+[）)]"), 2), (re.compile(r"^\d{1,2}(?:[、．]|\.(?!\d))"), 3),
             (re.compile(r"^[（(]\d{1,2}[）)]"), 4), (re.compile(r"^[①-⑳]"), 5)]
# a numbered line without a sentence's punctuation that ends in a heading's last word (a note in brackets may follow:
# 绩效目标情况（附表说明）) is a heading; a line wrapped mid-sentence ends otherwise (…养老支出（款）)
_HEADING_END = re.compile(r"(?:情况|说明|概况|概述|依据|主体|方案|周期|安排|目标|解释|职能|职责|设置|构成|事项|内容|预算|经费"
                          r"|支出|收入|表)(?:[（(][^（）()]{2,}[）)])?[。.]?$")
_SENTENCE_MARK = re.compile(r"[，；：,;:]")
_TERMINATOR = "。！？!?"


def _ordinal(text: str) -> int | None:
    for rx, rank in _ORDINALS:
        if rx.match(text):
            return rank
    return None


def _at(page: int | None, section: str | None, family: str) -> str:
    """Where a finding stands, as a reviewer writes it: the page, or (a text extraction has none) the part."""
    if page is not None:
        return f"第{page}页"
    return f"{label(section, family)}中" if section else ""


def _family(v: View) -> str:
    return family(v.report.doc.get("doc_type"))


def _cut(text: str, start: int, end: int, room: int = QUOTE) -> str:
    """text[start:end] widened by context on both sides up to `room` characters, marked … where cut."""
    spare = max(room - (end - start) - 2, 0)
    a = max(start - spare // 2, 0)
    b = min(end + spare - (start - a), len(text))
    a = max(min(a, b - (room - 2)), 0)
    out = text[a:b]
    return ("…" if a > 0 else "") + out + ("…" if b < len(text) else "")


def _tail(text: str, room: int = QUOTE) -> str:
    return text if len(text) <= room else "…" + text[-(room - 1):]


def _finding(key: str, passed: bool, finding: str, page: int | None = None, section: str | None = None,
             quote: str | None = None) -> Comparison:
    return Comparison(key, None, None, 0, page, None, {"finding": finding}, passed=passed, section=section,
                      quote=quote)


# ---------------------------------------------------------------------------------------------------- paragraphs

@dataclass
class _Unit:
    """A run of prose lines read as one paragraph or item: it starts at a numbered line, a heading or a new part,
    never at a page turn (a paragraph goes on over the page)."""

    lines: list[int]
    section: str | None
    heading: bool
    rank: int | None  # the number's rank, where the unit starts with one


def _is_heading(text: str, index: int, sm: SectionMap) -> bool:
    s = clean(text)
    if not s or len(s) > 40:
        return False
    sec = sm.section_of(index)
    for part in sm.sections:
        if part.section == sec and part.first_line == index:
            return True  # the line that opened its part
    if _ordinal(s) is None:
        return False
    return not _SENTENCE_MARK.search(s) and "。" not in s.rstrip("。.") and bool(_HEADING_END.search(s))


def _units(prose: list, sm: SectionMap) -> list[_Unit]:
    units: list[_Unit] = []
    for i, ln in enumerate(prose):
        s = clean(ln.text)
        if not s:
            continue
        sec = sm.section_of(i)
        heading = _is_heading(ln.text, i, sm)
        last = units[-1] if units else None
        starts = (last is None or last.heading or heading or last.section != sec or _ordinal(s) is not None)
        if starts:
            units.append(_Unit([i], sec, heading, _ordinal(s)))
        else:
            last.lines.append(i)
    return units


def _joined(prose: list, lines: list[int]) -> tuple[str, list[int]]:
    """The unit's words without whitespace, and for each character the prose line it came from."""
    text, owner = "", []
    for i in lines:
        s = clean(prose[i].text)
        text += s
        owner += [i] * len(s)
    return text, owner


# ---------------------------------------------------------------------------------------------------- 1. family word

_COMPOUND = re.compile(r"(部门|单位)(预算|决算)")
# a compound that names something else: the 部门预算支出经济分类 (a classification), a department's 预算单位
_NOT_SELF = re.compile(r"^(?:支出)?经济分类|^单位|^管理|^改革|^批复")
_HEADING_LINE = re.compile(r"[，。；,;]")
_LEADERS = re.compile(r"(?:[.…·．‥_—\-]{2,}|…).*$")


def family_word(v: View) -> Iterator[Comparison]:
    """The report calls itself what it is: a 单位预算 whose heading reads “2024年部门预算编制说明”, or whose 说明 says
    “本部门预算…”, is a copied template a reviewer sends back. Only the compound 部门预算/单位预算/部门决算/单位决算
    naming this report counts — in a heading (the cover, a 目录 entry, a part's title) or after 本/我/该, the unit's
    name or the report's year; 预算单位, 下属单位预算 and a 预算's 上年决算 name other things. A heading of the other
    family (决算 in a 预算) is a finding; a sentence naming the other family may cite a real document, so is not."""
    sm: SectionMap | None = v.report.section_map
    doc_type = v.report.doc.get("doc_type") or ""
    m0 = _COMPOUND.fullmatch(doc_type)
    if sm is None or m0 is None:
        return
    family = _family(v)
    unit = clean(v.report.doc.get("unit_name"))
    year = v.report.doc.get("fiscal_year")
    pointer = ["本", "我", "该"] + ([unit] if unit else [])
    found = 0
    for i, ln in enumerate(v.report.prose):
        s = clean(_LEADERS.sub("", ln.text))
        heading = len(s) <= 48 and not _HEADING_LINE.search(s)
        for m in _COMPOUND.finditer(s):
            word = m.group(0)
            if word == doc_type or _NOT_SELF.match(s[m.end():]):
                continue
            before = s[:m.start()]
            if m.group(2) != m0.group(2):
                self_ref = heading  # 决算 in a 预算's (or 预算 in a 决算's) heading
            else:
                y = re.search(r"(\d{4})年度?$", before)
                self_ref = heading or any(before.endswith(p) for p in pointer) or (
                    y is not None and year is not None and int(y.group(1)) == int(year))
            if not self_ref:
                continue
            found += 1
            sec = sm.section_of(i)
            yield _finding(f"structure:family_word:{i}:{m.start()}", False,
                           f"{_at(ln.page, sec, family)}“{_cut(s, m.start(), m.end())}”称本报告为{word}，"
                           f"本报告是{doc_type}", ln.page, sec, _cut(s, m.start(), m.end()))
            break  # one finding per line
    if not found:
        yield _finding("structure:family_word:none", True, f"全文称本报告为{doc_type}，未见其他报告类型的自称")


# ---------------------------------------------------------------------------------------------------- 2. punctuation

_MARKS = "。，；、：！？"
_DOUBLED = re.compile(rf"[{_MARKS}][{_MARKS},;]|[,;][{_MARKS}]")
# pairs that must close within their paragraph: full- and half-width brackets count as one kind (a mixed pair is
# a matter of style, not an unclosed bracket)
_PAIRS = (("“", "”", "引号"), ("‘", "’", "引号"), ("（(", "）)", "括号"), ("《", "》", "书名号"), ("【", "】", "括号"))


def punctuation(v: View) -> Iterator[Comparison]:
    """Doubled marks (。。，，。；) and a quotation mark, bracket or 书名号 left open (or closed without opening) within
    its paragraph. A paragraph is read whole — over line wraps and page turns — so a bracket that closes on the next
    line or page is not a finding; the 目录 (dot leaders) is not read."""
    sm: SectionMap | None = v.report.section_map
    if sm is None:
        return
    family = _family(v)
    prose = v.report.prose
    found = 0
    for u in _units(prose, sm):
        if u.section == "contents":
            continue
        text, owner = _joined(prose, u.lines)
        problems: list[tuple[int, int, str]] = []  # (start, end, what)
        for m in _DOUBLED.finditer(text):
            problems.append((m.start(), m.end(), f"“{m.group(0)}”标点重复"))
        for opens, closes, name in _PAIRS:
            depth, first_open = 0, None
            for k, c in enumerate(text):
                if c in opens:
                    if depth == 0:
                        first_open = k
                    depth += 1
                elif c in closes:
                    if depth == 0:
                        problems.append((k, k + 1, f"{name}“{c}”前没有对应的“{opens[0]}”"))
                    else:
                        depth -= 1
            if depth > 0 and first_open is not None:
                problems.append((first_open, first_open + 1, f"{name}“{text[first_open]}”没有对应的“{closes[0]}”"))
        if text.count('"') % 2:
            k = text.rindex('"')
            problems.append((k, k + 1, "英文引号“\"”不成对"))
        for start, end, what in sorted(problems):
            found += 1
            ln = prose[owner[start]]
            quote = _cut(text, start, end, 30)
            yield _finding(f"structure:punctuation:{owner[start]}:{start}", False,
                           f"{_at(ln.page, u.section, family)}“{quote}”{what}", ln.page, u.section, quote)
    if not found:
        yield _finding("structure:punctuation:none", True, "全文未见重复标点，引号、括号、书名号均成对")


# ---------------------------------------------------------------------------------------------------- 3. sentence ends

# a sentence that sends the reader elsewhere is a sentence even without a comma (详见单位的项目绩效目标表)
_REFERS = re.compile(r"^(?:详见|参见|具体见|具体详见|见附表|详情见)")


def sentence_ends(v: View) -> Iterator[Comparison]:
    """A paragraph of the 说明 (编制说明/情况说明, 其他相关情况说明, 项目经费情况说明) ends with 。 (or ！？, or ：
    before what it introduces). Judged only where the paragraph certainly ends — before a heading, a new part or
    the report's end — and only on a sentence (it holds ，；： or points the reader elsewhere), never on a heading,
    a value (2025年1月1日至2025年12月31日) or a list item printed without punctuation; a line ending in ； before
    the next item of its list is a list, not an ending."""
    sm: SectionMap | None = v.report.section_map
    if sm is None:
        return
    family = _family(v)
    prose = v.report.prose
    units = _units(prose, sm)
    found = 0
    for n, u in enumerate(units):
        if u.section not in EXPLANATORY or u.heading:
            continue
        nxt = units[n + 1] if n + 1 < len(units) else None
        if nxt is not None and not nxt.heading and nxt.section == u.section:
            continue  # the next item of a list, or a paragraph going on: not certainly an end
        text, _ = _joined(prose, u.lines)
        if text.startswith(("注：", "注:", "备注")):
            continue
        tail = text[max(text.rfind(c) for c in _TERMINATOR) + 1:]
        if not tail or tail[-1] in "：:":
            continue
        ends_badly = tail[-1] in "，；、,;"
        if not (ends_badly or _SENTENCE_MARK.search(tail) or _REFERS.match(tail)):
            continue  # a heading, a value, a list item: no sentence to end
        found += 1
        ln = prose[u.lines[-1]]
        quote = _tail(tail, 24)
        what = f"段末以“{tail[-1]}”结束，应为句号" if ends_badly else "句末缺少句号"
        yield _finding(f"structure:sentence_end:{u.lines[-1]}", False,
                       f"{_at(ln.page, u.section, family)}“{quote}”{what}", ln.page, u.section, quote)
    if not found and any(u.section in EXPLANATORY for u in units):
        yield _finding("structure:sentence_end:none", True, "说明各段均以句号结束")


# ---------------------------------------------------------------------------------------------------- 4. blank pages

def blank_pages(v: View) -> Iterator[Comparison]:
    """A page inside the report that prints nothing. Not a finding: blank pages after the last printed one (the back
    cover) and the page right after the cover (its reverse in a two-sided print). A page holding only an empty row of
    a table's ruling is blank to a reader — nothing on it can be read — and says which table spilled onto it."""
    sm: SectionMap | None = v.report.section_map
    pages = v.report.doc.get("page_count")
    if sm is None or not pages:
        return
    blank = set(sm.blank_pages)
    printed = [p for p in range(1, pages + 1) if p not in blank]
    if not printed:
        return
    cover = next((s for s in sm.sections if s.section == "cover"), None)
    verso = cover.page_to + 1 if cover is not None and cover.page_to is not None else None
    found = 0
    for p in sorted(blank):
        if p < printed[0] or p > printed[-1] or p == verso:
            continue
        found += 1
        spill = next((t for t in v.report.tables if (t.get("page_from") or p) < p <= (t.get("page_to") or 0)), None)
        note = f"（“{spill['title']}”延续到此页，此页只有空白表格线，没有文字或数字）" if spill else ""
        yield _finding(f"structure:blank_page:{p}", False, f"第{p}页为空白页{note}", p, _section_at(sm, p))
    if not found:
        yield _finding("structure:blank_page:none", True, "报告中没有空白页")


def _section_at(sm: SectionMap, page: int) -> str | None:
    """The part a page stands in; a page between two parts belongs to the one before it, where a reader meets it."""
    for s in sm.sections:
        if s.page_from is not None and s.page_to is not None and s.page_from <= page <= s.page_to:
            return s.section
    before = [s for s in sm.sections if s.page_to is not None and s.page_to < page]
    return max(before, key=lambda s: s.page_to).section if before else None


# ---------------------------------------------------------------------------------------------------- 5. printed twice

def repeated(v: View) -> Iterator[Comparison]:
    """A page printed twice (the same words as an earlier page) and a part whose heading the body prints twice (a
    part printed again, or begun again after another part). A heading on a page already reported as repeated is
    that page's finding, not a second one."""
    sm: SectionMap | None = v.report.section_map
    if sm is None:
        return
    family = _family(v)
    prose = v.report.prose
    found = 0
    twice = {p for p, _ in sm.repeated_pages}
    for p, earlier in sm.repeated_pages:
        found += 1
        first = next((clean(ln.text) for ln in prose if ln.page == p and clean(ln.text)), None)
        yield _finding(f"structure:repeated_page:{p}", False, f"第{p}页与第{earlier}页内容相同，重复印制",
                       p, _section_at(sm, p), _tail(first) if first else None)
    for part in sm.sections:
        if part.section not in _PARTS or not part.title:
            continue
        title = clean(part.title)
        at = _occurrences(prose, sm, title)
        runs = _runs(sm, part.section)
        starts = sorted(set(at) | {r for r in runs[1:]})
        for i in starts[1:]:
            page = prose[i].page
            if page in twice:
                continue
            found += 1
            shown = clean(prose[i].text)
            yield _finding(f"structure:repeated_part:{part.section}:{i}", False,
                           f"{_at(page, part.section, family)}再次出现“{_tail(shown)}”，"
                           f"{label(part.section, family)}在正文中出现两次", page, part.section, _tail(shown))
    if not found:
        yield _finding("structure:repeated:none", True, "没有重复印制的页面或部分")


def _occurrences(prose: list, sm: SectionMap, title: str) -> list[int]:
    """Body lines (not the cover, not the 目录) that print the part's title — on one line or wrapped over two."""
    out = []
    for i, ln in enumerate(prose):
        if sm.section_of(i) in ("cover", "contents"):
            continue
        s = clean(ln.text)
        nxt = clean(prose[i + 1].text) if i + 1 < len(prose) else ""
        if s == title or (s and nxt and s + nxt == title):
            out.append(i)
    return out


def _runs(sm: SectionMap, kind: str) -> list[int]:
    """The first line of each run of consecutive lines the map puts in this part: a second run is the part begun
    again after another."""
    starts = []
    prev = None
    for i, sec in enumerate(sm.line_sections):
        if sec == kind and prev != kind:
            starts.append(i)
        prev = sec
    return starts


# ---------------------------------------------------------------------------------------------------- 6. the 目录

def contents_found(v: View) -> Iterator[Comparison]:
    """Each 目录 entry is printed in the body (目录列有…，正文中没有), judged by the section map."""
    sm: SectionMap | None = v.report.section_map
    if sm is None or not sm.contents:
        return
    page = next((s.page_from for s in sm.sections if s.section == "contents"), None)
    found = 0
    for e in sm.contents:
        if not e.found:
            found += 1
            yield _finding(f"structure:contents_found:{e.seq}", False, f"目录列有“{_tail(e.title)}”，正文中没有",
                           page, "contents", _tail(e.title))
    if not found:
        yield _finding("structure:contents_found:none", True, "目录所列各项正文中均有")


_OVERVIEW = re.compile(r"概况|概述|基本情况")


def contents_complete(v: View) -> Iterator[Comparison]:
    """Each part and each table the body prints is in the 目录. A part listed as a sub-item of a listed part is
    covered by it where templates nest it (职能/机构 under 概况; items numbered under a 第X部分 情况说明); a 目录
    that lists the tables one by one must list each printed table (绩效目标表 excepted: 目录 list them as one part)."""
    sm: SectionMap | None = v.report.section_map
    if sm is None or not sm.contents:
        return
    family = _family(v)
    page = next((s.page_from for s in sm.sections if s.section == "contents"), None)
    listed = {e.section for e in sm.contents if e.section}
    overview = any(e.section is None and _OVERVIEW.search(e.title) for e in sm.contents)
    explanation = next((s for s in sm.sections if s.section == "explanation"), None)
    found = 0
    for part in sm.sections:
        kind = part.section
        if kind not in _PARTS or kind in listed:
            continue
        if kind in ("duties", "organisation") and overview:
            continue
        if kind in ("other", "projects_text") and "explanation" in listed and explanation is not None \
                and _nested(part.title, explanation.title):
            continue
        found += 1
        yield _finding(f"structure:contents_missing:{kind}", False,
                       f"正文{_at(part.page_from, kind, family)}有“{_tail(clean(part.title), 30)}”，目录中没有列出",
                       page, "contents", _tail(clean(part.title)))
    for t in _unlisted_tables(v, sm):
        found += 1
        yield _finding(f"structure:contents_missing:table:{t['seq']}", False,
                       f"正文{_at(t.get('page_from'), 'table', family)}有“{_tail(t['title'], 30)}”，目录中没有列出",
                       page, "contents", _tail(t["title"]))
    if not found:
        yield _finding("structure:contents_missing:none", True, "正文各部分、各表目录中均已列出")


def _nested(title: str, parent: str) -> bool:
    """The part's number ranks below its parent's (十、预算绩效管理情况 under 第三部分 …情况说明)."""
    own, top = _ordinal(clean(title)), _ordinal(clean(parent))
    return own is not None and top is not None and own > top


def _table_key(title: str) -> str:
    s = clean(title)
    for rx, _ in _ORDINALS:
        s = rx.sub("", s)
    return re.sub(r"\d{4}年度?|部门|单位|预算单位|[“”\"]", "", s.lstrip("、.．:："))


def _unlisted_tables(v: View, sm: SectionMap) -> list[dict]:
    """Printed tables no 目录 entry names, where the 目录 lists tables one by one (more than one entry names a
    table): an entry names a table by the kind of its words or by the same title. One printed table may be read as
    two kinds (“三公”经费和机关运行经费预算表): any of them answers."""
    entries = [e for e in sm.contents if e.section == "table"]
    kinds_of = [classify(_table_key(e.title)) for e in entries]
    if sum(k != K.UNRECOGNISED for k in kinds_of) < 2:
        return []
    printed: dict[tuple, dict] = {}
    for t in v.report.tables:
        if t["table_kind"] in ("performance_form", K.UNRECOGNISED):
            continue
        key = (t.get("page_from"), clean(t.get("title")))
        printed.setdefault(key, dict(t, kinds=set()))["kinds"].add(t["table_kind"])
    free = list(range(len(entries)))
    missing = []
    for t in printed.values():
        hit = next((j for j in free if kinds_of[j] in t["kinds"]
                    or _table_key(entries[j].title) == _table_key(t["title"] or "")), None)
        if hit is None:
            missing.append(t)
        else:
            free.remove(hit)
    return missing


# ---------------------------------------------------------------------------------------------------- 7. dates

# a year as printed in a period or a date: 2021年, 2021-01-01, 2021.12.31, 2021/1/1 (not a figure's digits: 4 digits
# followed by 年 or a date's separator)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=年|[-./](?:0?[1-9]|1[0-2])(?!\d))")
# a project's period named in the words: “实施周期：2021年-2022年”, “项目期为2021年至2022年”, or the heading
# “五、实施周期” with the period on the line after it
_PERIOD_WORD = re.compile(r"(?:实施周期|项目期|项目周期|执行期限)(?:为|是|[:：])?")
_PERIOD_END = re.compile(r"[。；;，,]")


def _period_end(text: str) -> int | None:
    """The last year a period names (2021年-2022年 → 2022); None where it names no year (3年, 第一季度…)."""
    years = [int(y) for y in _YEAR.findall(clean(text))]
    return max(years) if years else None


def _stated_periods(v: View) -> Iterator[tuple[str, int | None, str | None, str | None]]:
    """(period as printed, page, part, project) for each 实施周期 the report states: each 绩效目标表's 项目期 and each
    period the 说明 and 项目经费情况说明 write after 实施周期/项目期 (on its line, or the line after a heading)."""
    for f in v.report.rows.get("project_forms", []):
        if f.get("period"):
            yield str(f["period"]), f.get("page"), "table", f.get("project_name")
    sm: SectionMap | None = v.report.section_map
    prose = v.report.prose
    for i, ln in enumerate(prose):
        s = clean(ln.text)
        m = _PERIOD_WORD.search(s)
        if m is None:
            continue
        rest = s[m.end():]
        if not rest and i + 1 < len(prose):
            rest = clean(prose[i + 1].text)  # the heading “五、实施周期”: the period is the next line
        cut = _PERIOD_END.search(rest)
        rest = rest[:cut.start()] if cut else rest
        if rest:
            yield rest, ln.page, sm.section_of(i) if sm is not None else None, None


def project_periods(v: View) -> Iterator[Comparison]:
    """A project in a 预算 runs in the budget year: a 实施周期 that ended before it (“实施周期：2021年-2022年” in a
    2023 预算) is a form copied from an earlier year. Judged only where the period names a year; a period in
    years (3年) or quarters is not. One finding per period; a passing row where every period judged is in time."""
    year = v.report.doc.get("fiscal_year")
    if not year:
        return
    family = _family(v)
    judged, found, seen = 0, 0, set()
    for period, page, section, project in _stated_periods(v):
        end = _period_end(period)
        key = (page, clean(period))
        if end is None or key in seen:
            continue
        seen.add(key)
        judged += 1
        if end >= int(year):
            continue
        found += 1
        quote = _tail(clean(period))
        whose = f"项目“{_tail(project, 20)}”的" if project else ""
        yield _finding(f"structure:project_period:{page}:{found}", False,
                       f"{_at(page, section, family)}{whose}实施周期“{quote}”在{end}年已结束，早于预算年度{year}年",
                       page, section, quote)
    if judged and not found:
        yield _finding("structure:project_period:none", True, f"所写项目实施周期（{judged}处）均未在预算年度{year}年之前结束")


# “截至2024年12月31日” (or 截止、截止到; 年底/年末 for 12月31日) before what the unit holds: in a 决算 the
# 国有资产占有使用情况 is the state at the year's end
_AS_OF = re.compile(r"(?:截至|截止)(?:到)?((?:19|20)\d{2})年(?:(\d{1,2})月(\d{1,2})日|(年底|年末|底|末))")
_HOLDINGS = re.compile(r"车辆|资产|设备|房屋|占有|占用")


def as_of_dates(v: View) -> Iterator[Comparison]:
    """A 决算 reports what the unit held at the end of its year: “截至2023年12月31日” or “截至2024年6月30日” in a
    2024 决算's 国有资产占有使用情况 is a paragraph carried over or a date mistyped. Only a 截至 date followed in its
    sentence by what is held (车辆、资产、设备、房屋) is judged; a date a narrative mentions is not."""
    sm: SectionMap | None = v.report.section_map
    year = v.report.doc.get("fiscal_year")
    if sm is None or not year:
        return
    family = _family(v)
    prose = v.report.prose
    judged, found = 0, 0
    for u in _units(prose, sm):
        if u.section in ("cover", "contents"):
            continue
        text, owner = _joined(prose, u.lines)
        for m in _AS_OF.finditer(text):
            if not _HOLDINGS.search(text[m.end():m.end() + 60].split("。")[0]):
                continue  # the date of something else the 说明 tells
            judged += 1
            y, month, day = int(m.group(1)), m.group(2), m.group(3)
            at_end = month is None or (int(month) == 12 and int(day) == 31)
            if y == int(year) and at_end:
                continue
            found += 1
            ln = prose[owner[m.start()]]
            quote = _cut(text, m.start(), m.end(), 30)
            yield _finding(f"structure:as_of:{owner[m.start()]}:{m.start()}", False,
                           f"{_at(ln.page, u.section, family)}“{quote}”所写日期为{m.group(0)[2:].lstrip('到')}，"
                           f"{year}年决算应截至{year}年12月31日", ln.page, u.section, quote)
    if judged and not found:
        yield _finding("structure:as_of:none", True, f"所述资产、车辆情况均截至{year}年12月31日")
