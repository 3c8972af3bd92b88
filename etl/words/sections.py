"""The section map of one report: which pages hold its cover, 目录, 职能, 机构, 名词解释, 说明, tables and the rest.

A finance-bureau reviewer reads a disclosure part by part — is every part the template asks for printed, does the
目录 promise only what the body holds, is a page blank or printed twice — so the map is kept as data the rules can
test. Templates differ (上海 prints unnumbered part titles, 决算 and 山西 number them 第一部分…, sub-items run 一、/
（一）/1.), so a heading is recognised by its words and its shape — a short line, optionally numbered, naming a part,
starting a paragraph — never by a sample's page or order; a sentence that merely mentions 名词解释 is not one.

Headings nest: a numbered sub-heading (一、 under 第三部分, （一） under 一、) opens a section of its own only where
templates put one there — 职能/机构 under 概况, 预算绩效管理情况/其他重要事项 under a 决算's 情况说明 — and never
inside 其他相关情况说明 or 项目经费情况说明, whose items (三公经费预算情况说明, 绩效目标) are that part's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from etl.read.layout import Grid, Line, RawTable, Source
from etl.read.tokens import clean
from etl.tables.classify import classify
from etl.tables.kinds import FINAL, UNRECOGNISED, family_of

SECTIONS = ("cover", "contents", "duties", "organisation", "glossary", "explanation", "table", "other",
            "projects_text")
LABELS = {"cover": "封面", "contents": "目录", "duties": "主要职能", "organisation": "机构设置", "glossary": "名词解释",
          "explanation": "编制说明", "table": "报表", "other": "其他相关情况说明", "projects_text": "项目经费情况说明"}
# a 决算 names its parts otherwise (national 部门决算 template)
_FINAL_LABELS = {"organisation": "单位构成", "explanation": "情况说明", "other": "其他重要事项",
                 "projects_text": "预算绩效管理情况"}

# parts that hold sections but are none themselves: 第一部分 概况 (职能 + 机构), 第二部分 …报表 (the tables)
_OVERVIEW = "overview"
_TABLES_PART = "tables_part"

_NUM = "[一二三四五六七八九十百零〇]+"
# (pattern, level): a smaller level is a higher rank
_ORDINALS = [(re.compile(rf"^第{_NUM}部分[、.．:：]?"), 0), (re.compile(rf"^{_NUM}[、.．]"), 1),
             (re.compile(rf"^[（(]{_NUM}[）)][、.．]?"), 2), (re.compile(r"^\d{1,2}(?:[、．]|\.(?!\d))"), 3),
             (re.compile(r"^[（(]\d{1,2}[）)]"), 4)]
_UNNUMBERED = 0
_SENTENCE = re.compile(r"[。，；：,;:！？!?]|万元|\d%")
_ENDS_SENTENCE = re.compile(r"[。；：！？.;:!?）)”]$")
_TRAILING_PAREN = re.compile(r"[（(][^（）()]*[）)]?$")
_SHORT = 20  # characters: far short of a printed line (about 35 to 45), so not a sentence wrapped mid-way
_LEADER = re.compile(r"(?:[.…·．‥_—\-]{2,}|…)")
_PAGE_NO = re.compile(r"^(?:第\d+页.*|[-－—]?\d{1,4}[-－—]?|共\d+页|第\d+页共\d+页)$")

# words that name a section: (kind, pattern on the heading's core — its text without ordinal and spaces)
_VOCAB: list[tuple[str, re.Pattern[str]]] = [
    ("glossary", re.compile(r"^(?:附[:：]?)?(?:(?:主要|有关|专业)?名词解释|名词说明)$")),
    ("other", re.compile(r"^其[他它](?:相关|重要|需要说明的)?(?:事项)?(?:的)?(?:情况)?(?:说明|事项)$")),
    ("projects_text", re.compile(r"^(?:\d{4}年度?)?(?:部门|单位)?(?:项目(?:经费|支出)?(?:情况)?说明"
                                 r"|项目经费情况|绩效目标(?:表|情况)?|(?:预算)?绩效管理(?:工作)?(?:开展)?情况"
                                 r"|(?:项目)?绩效(?:目标)?(?:申报|填报)?表?说明)$")),
    ("duties", re.compile(r"^.{0,40}?(?:主要职能|主要职责|职能职责|职责职能|部门职责|单位职责|职能|职责)(?:配置|范围|简介|概述)?$")),
    ("organisation", re.compile(r"^.{0,40}?(?:机构设置|单位构成|单位组成|组织机构|内设机构|机构组成|机构情况)(?:情况|及人员情况)?$")),
    ("explanation", re.compile(r"^.{0,40}?(?:预算|决算)(?:编制|收支|执行)?(?:总体)?情况(?:说明)?$"
                               r"|^.{0,40}?(?:预算|决算)(?:编制)?说明$|^.{0,40}?编制说明$")),
    (_TABLES_PART, re.compile(r"^.{0,40}?(?:(?:预算|决算)(?:报)?表|报表|公开表|附表)$")),
    (_OVERVIEW, re.compile(r"^.{0,40}?(?:概况|概述|基本情况)$")),
]
# which section may open beneath a heading of a higher rank that opened `parent`
_CHILDREN: dict[str | None, set[str]] = {
    None: set(SECTIONS) | {_OVERVIEW, _TABLES_PART},
    _OVERVIEW: {"duties", "organisation"},
    "explanation": {"other", "projects_text"},
    _TABLES_PART: set(),
}


def family(doc_type: str | None) -> str:
    """'final' for a 决算 (its parts are named 情况说明, 单位构成 …), else 'budget': the family `label` takes."""
    return "final" if family_of(doc_type) == FINAL else "budget"


def label(section: str, family: str = "budget") -> str:
    """The Chinese name a reviewer uses for the part: a 决算 calls its 说明 情况说明, a 预算 编制说明."""
    if family == "final" and section in _FINAL_LABELS:
        return _FINAL_LABELS[section]
    return LABELS[section]


@dataclass
class Section:
    """One part as printed (a table is one part each), so a reviewer's finding can name where it stands."""

    section: str
    title: str
    page_from: int | None
    page_to: int | None
    first_line: int | None  # index into prose; None for a table (or a cover with no text)
    last_line: int | None


@dataclass
class ContentsEntry:
    """One 目录 line, kept as printed so a finding can quote it."""

    seq: int
    title: str
    page: int | None  # the page number printed after the leaders, if any
    section: str | None  # the section kind it names ("table" for a table); None for a part such as 概况
    found: bool  # the body has it: False is a reviewer's finding (目录列有…，正文中没有)


@dataclass
class SectionMap:
    """The parts in reading order and the page-level facts a reviewer checks before any figure."""

    sections: list[Section]
    contents: list[ContentsEntry]
    blank_pages: list[int]
    repeated_pages: list[tuple[int, int]]  # (page, earlier page with the same text)
    line_sections: list[str | None] = field(default_factory=list, repr=False)

    def section_of(self, line_index: int) -> str | None:
        """The part a prose line sits in, so a figure or a sentence can be judged by where it was printed."""
        if 0 <= line_index < len(self.line_sections):
            return self.line_sections[line_index]
        return None

    def rows(self, doc_id: str) -> list[dict]:
        """report_sections rows, numbered in reading order so the 目录's order can be compared with the body's."""
        return [{"doc_id": doc_id, "seq": i, "section": s.section, "title": s.title, "page_from": s.page_from,
                 "page_to": s.page_to} for i, s in enumerate(self.sections, 1)]

    def contents_rows(self, doc_id: str) -> list[dict]:
        """The 目录 as rows; found=False is a finding the rules report as printed (目录列有…，正文中没有)."""
        return [{"doc_id": doc_id, "seq": e.seq, "title": e.title, "page": e.page, "section": e.section,
                 "found": e.found} for e in self.contents]


# ---------------------------------------------------------------------------------------------------------- headings

@dataclass
class _Heading:
    kind: str  # a section of SECTIONS, _OVERVIEW or _TABLES_PART
    level: int
    core: str


def _split_ordinal(text: str) -> tuple[int | None, str]:
    for rx, level in _ORDINALS:
        m = rx.match(text)
        if m:
            return level, text[m.end():].lstrip("、.．:：")
    return None, text


def _cores(core: str) -> list[str]:
    """The heading's words as printed, then without a trailing note in brackets (“部门决算单位构成（仅有一个单位
    的部门…”, wrapped before its bracket closes), then without any bracket (“…办事处（部门）主要职能” keeps its)."""
    out = [core]
    cut = _TRAILING_PAREN.sub("", core)
    if cut and cut != core:
        out.append(cut)
    bare = re.sub(r"[（(][^（）()]*[）)]", "", core)
    if bare and bare not in out:
        out.append(bare)
    return out


def _kind_of(core: str) -> str | None:
    """The section a heading's words name, if any; the first matching vocabulary wins (specific before general)."""
    for text in _cores(core):
        if len(text) > 40 or _SENTENCE.search(text) or "…" in text:
            continue
        for kind, rx in _VOCAB:
            if rx.match(text):
                if kind == _TABLES_PART and classify(text) != UNRECOGNISED:
                    break  # 收入决算表: one table's caption, not the part holding the tables
                return kind
    return None


def _heading(text: str, starts_paragraph: bool = True) -> _Heading | None:
    """The heading a line is, if it is one: a short line naming a part, numbered or — when it starts a paragraph —
    not; a wrapped line of a sentence (its predecessor unfinished) or a sentence (，。：) never is."""
    s = clean(text)
    if not s or len(s) > 48 or _LEADER.search(s):
        return None
    level, core = _split_ordinal(s)
    if level is None and not starts_paragraph:
        return None
    kind = _kind_of(core)
    if kind is None:
        return None
    return _Heading(kind, _UNNUMBERED if level is None else level, core)


# ---------------------------------------------------------------------------------------------------------- contents

_ONCE = {"duties", "organisation", "glossary"}  # parts a 目录 lists once: listed again, it is the body
_CONTENTS_TITLE = re.compile(r"^(?:目录|目次|目\s*录)$")
_ENTRY_PAGE = re.compile(r"(?:[.…·．‥_—\-]{2,}|…|\s)\s*(\d{1,3})\s*$")


@dataclass
class _Entry:
    title: str
    page: int | None
    level: int | None
    lines: list[int]


def _entry_parts(text: str) -> tuple[str, int | None, bool]:
    """An entry's title, its printed page and whether dot leaders stood in the line."""
    raw = text.strip()
    page = None
    m = _ENTRY_PAGE.search(raw)
    if m and (_LEADER.search(raw) or re.search(r"\s\d{1,3}\s*$", raw)):
        page = int(m.group(1))
        raw = raw[: m.start()]
    leader = bool(_LEADER.search(raw))
    title = clean(_LEADER.split(raw)[0]) if leader else clean(raw)
    return title, page, leader or page is not None


def _looks_like_entry(text: str) -> bool:
    s = clean(text)
    if not s:
        return True
    if _LEADER.search(s):
        return True
    return len(s) <= 48 and not re.search(r"[。，；：,;:]", s)


def _read_contents(prose: list[Line], start: int) -> tuple[list[_Entry], int]:
    """The 目录's entries from the line after its title; returns them and the index of the last line it holds.
    It ends where a line is a sentence, where the body repeats the first entry, or — in a PDF — at a page that
    holds a sentence (the body's first page), so wrapped entries and a 目录 run over two pages stay whole."""
    entries: list[_Entry] = []
    first_page = prose[start].page
    end = start
    i = start + 1
    page_ok: dict[int | None, bool] = {}
    while i < len(prose):
        ln = prose[i]
        if ln.page is not None and first_page is not None and ln.page != first_page:
            if ln.page not in page_ok:
                page_ok[ln.page] = all(_looks_like_entry(p.text) for p in prose if p.page == ln.page)
            if not page_ok[ln.page]:
                break
        if not _looks_like_entry(ln.text):
            break
        title, page, marked = _entry_parts(ln.text)
        if not title:
            end = i
            i += 1
            continue
        level, core = _split_ordinal(title)
        kind = _kind_of(core)
        if entries and not marked and (_norm(title) in {_norm(e.title) for e in entries}
                                       or kind in _ONCE and kind in {_kind_of(_norm(e.title)) for e in entries}):
            break  # the body starts over: the first part's title, or a part the 目录 already listed
        last = entries[-1] if entries else None
        if (last is not None and level is None and not marked and last.page is None and kind is None
                and classify(core) == UNRECOGNISED and len(title) <= 12):
            last.title += title  # an entry wrapped over two lines (…部门决算 / 表)
            last.lines.append(i)
        else:
            entries.append(_Entry(title, page, level, [i]))
        end = i
        i += 1
    return entries, end


def _norm(text: str) -> str:
    _, core = _split_ordinal(clean(text))
    core = re.sub(r"[“”\"‘’'的]", "", core)
    return _TRAILING_PAREN.sub("", core) or core


# ---------------------------------------------------------------------------------------------------------- order

def _order_keys(source: Source, prose: list[Line], tables: list[RawTable]) -> tuple[list[float], list[float]]:
    """Each prose line's and each table's position among the source's blocks, so tables fall between the right
    lines even in a text extraction without pages; a table not found by its caption is placed by its page."""
    blocks = source.blocks
    line_keys: list[float] = []
    taken: set[int] = set()  # blocks that are prose lines: never a table's caption (a 目录 entry may equal one)
    ptr = 0
    for ln in prose:
        found = None
        for j in range(ptr, len(blocks)):
            b = blocks[j]
            if b is ln or (isinstance(b, Line) and b.text == ln.text and b.page == ln.page):
                found = j
                ptr = j + 1
                break
            if isinstance(b, Grid) and b.page == ln.page and ln.text in _grid_texts(b):
                found = j
                ptr = j
                break
        line_keys.append(float(found) if found is not None else (line_keys[-1] + 1e-3 if line_keys else 0.0))
        if found is not None and isinstance(blocks[found], Line):
            taken.add(found)
    table_keys: list[float] = []
    ptr = 0
    for t in tables:
        want = clean(t.title)
        found = None
        for j in range(ptr, len(blocks)):
            b = blocks[j]
            if isinstance(b, Line) and j not in taken and clean(b.text) == want:
                found = j
                break
            if isinstance(b, Grid) and (want in {clean(c) for r in b.rows[:4] for c in r if c}
                                        or t.title == "（无标题表格）" and b.page == t.page_from):
                found = j
                break
        if found is not None:
            ptr = found + 1
            table_keys.append(found - 0.5)
        else:
            table_keys.append(_by_page(t, prose, line_keys, table_keys))
    return line_keys, table_keys


def _by_page(t: RawTable, prose: list[Line], line_keys: list[float], table_keys: list[float]) -> float:
    before = table_keys[-1] if table_keys else -1.0
    if t.page_from is not None:
        keys = [k for ln, k in zip(prose, line_keys, strict=True) if ln.page is not None and ln.page <= t.page_from]
        if keys:
            return max(max(keys) + 0.25, before + 1e-3)
    return before + 1e-3


def _grid_texts(g: Grid) -> set[str]:
    return {" ".join(c for c in r if c) for r in g.rows if any(r)}


# ---------------------------------------------------------------------------------------------------------- pages

def _page_texts(source: Source) -> dict[int, str]:
    """Each page's printed text without whitespace or a lone page number (furniture a repeat would not share)."""
    out: dict[int, str] = {}
    for b in source.blocks:
        if b.page is None:
            continue
        texts = [b.text] if isinstance(b, Line) else [c for r in b.rows for c in r if c]
        for t in texts:
            s = clean(t)
            if s and not _PAGE_NO.match(s):
                out[b.page] = out.get(b.page, "") + s
    return out


def _blank_and_repeated(source: Source) -> tuple[list[int], list[tuple[int, int]]]:
    texts = _page_texts(source)
    blank = [p for p in range(1, (source.page_count or 0) + 1) if not texts.get(p)]
    seen: dict[str, int] = {}
    repeated = []
    for p in sorted(texts):
        if texts[p] in seen:
            repeated.append((p, seen[texts[p]]))
        else:
            seen[texts[p]] = p
    return blank, repeated


# ---------------------------------------------------------------------------------------------------------- the map

class _Builder:
    def __init__(self, prose: list[Line]):
        self.prose = prose
        self.sections: list[Section] = []
        self.by_kind: dict[str, Section] = {}
        self.line_sections: list[str | None] = [None] * len(prose)

    def add_lines(self, kind: str, title: str, lines: list[int]) -> None:
        for i in lines:
            self.line_sections[i] = kind
        if kind == "table":
            return  # lines of the part holding the tables: the tables themselves are its sections
        sec = self.by_kind.get(kind)
        if sec is None:
            sec = Section(kind, title, None, None, None, None)
            self.by_kind[kind] = sec
            self.sections.append(sec)
        for i in lines:
            self._touch(sec, self.prose[i].page)
            sec.first_line = i if sec.first_line is None else min(sec.first_line, i)
            sec.last_line = i if sec.last_line is None else max(sec.last_line, i)

    def add_pages(self, kind: str, page_from: int | None, page_to: int | None) -> None:
        sec = self.by_kind.get(kind)
        if sec is not None:
            self._touch(sec, page_from)
            self._touch(sec, page_to)

    @staticmethod
    def _touch(sec: Section, page: int | None) -> None:
        if page is not None:
            sec.page_from = page if sec.page_from is None else min(sec.page_from, page)
            sec.page_to = page if sec.page_to is None else max(sec.page_to, page)


def map_sections(source: Source, prose: list[Line], tables: list[RawTable], kinds: list[str],
                 family: str) -> SectionMap:
    """The report's parts in reading order, its 目录 checked against its body, and its blank and repeated pages:
    what a reviewer notes before reading a figure (目录列有…正文中没有, 第N页为空白页, 第N页与第M页重复)."""
    line_keys, table_keys = _order_keys(source, prose, tables)
    b = _Builder(prose)

    # 目录: its title line, then its entries
    contents_at = next((i for i, ln in enumerate(prose) if _CONTENTS_TITLE.match(clean(ln.text))), None)
    entries: list[_Entry] = []
    contents_end = -1
    if contents_at is not None:
        entries, contents_end = _read_contents(prose, contents_at)

    # the body's headings (the 目录's lines name parts but open none)
    heads: dict[int, _Heading] = {}
    prev_done = True
    for i, ln in enumerate(prose):
        text = clean(ln.text)
        if contents_at is not None and contents_at <= i <= contents_end:
            prev_done = True
            continue
        # a page turn or a table between two lines ends the paragraph before it, whatever its last word
        jumped = i > 0 and (ln.page != prose[i - 1].page or any(line_keys[i - 1] < k < line_keys[i]
                                                                for k in table_keys))
        h = _heading(ln.text, starts_paragraph=prev_done or jumped)
        if h is None and i + 1 < len(prose) and _is_title_tail(prose[i + 1]):
            h = _heading(ln.text + prose[i + 1].text, starts_paragraph=prev_done or jumped)  # …部门决算 / 情况说明
        if h is not None:
            heads[i] = h
        # a line that ends a sentence, or stops well short of the print width (a list item, a paragraph's last
        # line), leaves the next line free to start a paragraph; a full-width line runs on
        prev_done = h is not None or len(text) <= _SHORT or bool(_ENDS_SENTENCE.search(text))

    # cover: what stands before the 目录 (or, with none, before the first heading)
    first_body = contents_at if contents_at is not None else min(heads, default=len(prose))
    cover_lines = [i for i in range(first_body) if clean(prose[i].text)]
    if cover_lines:
        b.add_lines("cover", " ".join(clean(prose[i].text) for i in cover_lines[:3]), list(range(first_body)))
    elif contents_at is not None and (prose[contents_at].page or 1) > 1:
        b.sections.append(Section("cover", "", 1, (prose[contents_at].page or 2) - 1, None, None))
        b.by_kind["cover"] = b.sections[-1]
    if contents_at is not None:
        b.add_lines("contents", "目录", list(range(contents_at, contents_end + 1)))

    # the body, lines and tables merged in reading order
    events: list[tuple[float, int, int]] = [(line_keys[i], 0, i) for i in range(max(contents_end + 1, first_body),
                                                                                   len(prose))]
    events += [(k, 1, t) for t, k in enumerate(table_keys)]
    events.sort()
    state: str | None = None  # the section (or part) the prose is in
    level = _UNNUMBERED - 1  # rank of the heading that opened it (below any heading before the first)
    part_title: dict[str, str] = {}
    pending: list[int] = []  # a part heading's lines waiting for the part's first section (第一部分 概况)
    for _, is_table, idx in events:
        if is_table:
            t = tables[idx]
            if t.title == "（无标题表格）" and state in SECTIONS and state != "table":
                b.add_pages(state, t.page_from, t.page_to)  # a ruled list inside a part (纳入决算的单位)
                continue
            b.sections.append(Section("table", t.title, t.page_from, t.page_to, None, None))
            continue
        h = heads.get(idx)
        if h is not None and h.kind != state and _opens(h, state, level):
            if state == _OVERVIEW and h.level <= level and len(pending) > 1:
                # a 概况 part with text but no 职能/机构 heading under it: a reviewer reads it as the duties
                b.add_lines("duties", clean(prose[pending[0]].text), pending)
                pending = []
            level_before = level
            state, level = h.kind, h.level
            title = clean(prose[idx].text)
            if h.kind in (_OVERVIEW, _TABLES_PART):
                pending = [idx]
                if h.kind == _TABLES_PART:
                    b.add_lines("table", title, pending)
                    pending = []
                continue
            part_title.setdefault(h.kind, title)
            b.add_lines(h.kind, part_title[h.kind], (pending if h.level > level_before else []) + [idx])
            pending = []
            continue
        if state == _TABLES_PART:
            b.add_lines("table", "", [idx])
        elif state == _OVERVIEW:
            pending.append(idx)
        elif state is not None:
            sec = b.by_kind[state]
            if sec.last_line == idx - 1 and sec.title == clean(prose[idx - 1].text) and _is_title_tail(prose[idx]):
                sec.title += clean(prose[idx].text)  # a heading wrapped before its last words (…决算情况 / 说明)
            b.add_lines(state, sec.title, [idx])
    if len(pending) > 1:  # the same, where the 概况 part is the report's last
        b.add_lines("duties", clean(prose[pending[0]].text), pending)

    contents = _check_contents(entries, b, tables, kinds, heads, prose)
    blank, repeated = _blank_and_repeated(source)
    return SectionMap(b.sections, contents, blank, repeated, b.line_sections)


def _opens(h: _Heading, state: str | None, level: int) -> bool:
    """A heading of the same or a higher rank than the one that opened the current part closes it; a lower one
    opens a section only where templates nest one (职能 under 概况, 绩效管理情况 under a 决算's 情况说明)."""
    if state is None or h.level <= level:
        return True
    return h.kind in _CHILDREN.get(state, set())


_TITLE_TAIL = re.compile(r"^(?:(?:预算|决算)?(?:情况)?说明|(?:预算|决算)?(?:报)?表|情况|概况|解释|职能|职责|设置|构成)$")


def _is_title_tail(ln: Line) -> bool:
    """The last words of a heading the print wrapped onto a line of their own (…部门决算情况 / 说明)."""
    return bool(_TITLE_TAIL.match(clean(ln.text)))


def _check_contents(entries: list[_Entry], b: _Builder, tables: list[RawTable], kinds: list[str],
                    heads: dict[int, _Heading], prose: list[Line]) -> list[ContentsEntry]:
    """Each 目录 entry named as a section kind or a table, and whether the body has it: a part by its kind, a
    table by its kind (each body table answers one entry), a sub-item of a 说明 by a heading of its words."""
    present = set(b.by_kind) | ({"table"} if tables else set())
    heading_words = [_norm(prose[i].text) for i in heads] + [_norm(ln.text) for ln in prose if len(clean(ln.text)) <= 40]
    unmatched = list(range(len(tables)))
    out: list[ContentsEntry] = []
    top = min((e.level for e in entries if e.level is not None), default=None)
    parent: str | None = None
    for seq, e in enumerate(entries, 1):
        _, core = _split_ordinal(e.title)
        kind = _kind_of(core)
        table_kind = classify(core)
        section: str | None
        found: bool
        if kind in SECTIONS and not (kind == parent and e.level != top):
            section = kind
            found = kind in present or (kind == "projects_text" and "performance_form" in kinds)
        elif kind == _TABLES_PART:
            section, found = "table", bool(tables)
        elif kind == _OVERVIEW:
            section, found = None, any(_norm(e.title) in w or w in _norm(e.title) for w in heading_words if w) \
                or bool({"duties", "organisation"} & present)
        elif kind is not None:
            # a sub-item of its part (一、收入支出决算总体情况说明 under 第三部分 …情况说明): the body prints it
            section, found = kind, _said(e.title, heading_words)
        elif table_kind != UNRECOGNISED or core.endswith("表"):
            section = "table"
            found = _take_table(core, table_kind, tables, kinds, unmatched)
        else:
            section, found = None, _said(e.title, heading_words)
        if e.level == top or top is None:
            parent = kind
        out.append(ContentsEntry(seq, e.title, e.page, section, found))
    return out


def _said(title: str, words: list[str]) -> bool:
    want = _norm(title)
    return any(w and (w == want or len(want) >= 4 and (want in w or w in want and len(w) >= 4)) for w in words)


def _take_table(core: str, kind: str, tables: list[RawTable], kinds: list[str], unmatched: list[int]) -> bool:
    """The first body table not yet claimed that is this entry's: the same kind, or (unrecognised) the same title."""
    want = _title_key(core)
    match: Callable[[int], bool] = (lambda t: kinds[t] == kind) if kind != UNRECOGNISED else \
        (lambda t: _title_key(tables[t].title) == want)
    for t in unmatched:
        if match(t):
            unmatched.remove(t)
            return True
    return False


def _title_key(title: str) -> str:
    return re.sub(r"\d{4}年度?|部门|单位|预算单位|[“”\"]", "", clean(title))
