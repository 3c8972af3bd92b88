"""Blocks → tables: find each table by its caption, gather its rows across pages, split header from body.

Works on the shared intermediate, so a PDF (grids) and a text extraction (lines) are segmented by the same rules.
Everything between tables that is not a table is kept as prose for the prose parsers.

Templates differ in where they print what a caption says: the number on its own line or before the title (表一,
表1：, 预算公开表1, 附表1-1), the money unit under the caption, above it, or once in each page's running header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.read import tokens
from etl.read.amounts import is_amount
from etl.read.layout import Grid, Line, RawTable, Row, Source
from etl.tables.classify import classify, looks_like_title, split_number

# a line printing only a table's number (表一, 预算公开表1, 附表1-1), perhaps with the unit beside it
_NUMBER_LINE = re.compile(r"^\s*(?:(?:部门|单位)?(?:预算|决算)?公开|附)?表\s*(\d{1,3}(?:\s*[-－—]\s*\d{1,3})?|[一二三四五六七八九十]{1,3})"
                          r"\s*[:：]?\s*(?:(?:金额)?单位\s*[:：]\s*(?:万元|亿元|元))?\s*$")
_UNIT = re.compile(r"单位\s*[:：]\s*(万元|亿元|元)")
_NO_DATA = re.compile(r"本表无数据|本表为空|无此项(收支|数据)")
# A heading that closes whatever table is open (the part holding the tables is named …报表 and does not).
_TERMINATOR = re.compile(r"^\s*(第[一二三四五六七八九十]+部分(?!.*报表)|其他相关情况说明|项目经费情况说明|名词解释)")
_FURNITURE = re.compile(r"^\s*(第\s*\d+\s*页.*|[-－—]?\s*\d{1,4}\s*[-－—]?|共\s*\d+\s*页)\s*$")
_HEADER_WORDS = re.compile(r"^\s*(项目|科目编码|科目名称|功能分类科目|收入\s+支出|本年收入|财政拨款收入)")
_NOTE = re.compile(r"^\s*(注|说明|备注)\s*\d*\s*[:：]")
_ORDINAL = re.compile(r"^\s*([一二三四五六七八九十]+、|\d+[.、．]|[①②③④⑤⑥⑦⑧⑨⑩]|（[一二三四五六七八九十]+）)")
_TOTAL_WORDS = re.compile(r"^\s*(合计|总计|小计|本年收入合计|本年支出合计|部门合计|收入总计|支出总计)")


@dataclass
class Segmented:
    tables: list[RawTable]
    prose: list[Line] = field(default_factory=list)
    # index in `tables` → why its unit cannot be known: it prints none and its page prints two different ones
    unit_problems: dict[int, str] = field(default_factory=dict)


def _confirmed(blocks: list, i: int, title: str) -> bool:
    """A caption is a table's only if a unit line, a grid or a 本表无数据 note follows closely."""
    form = classify(title) == "performance_form"
    for b in blocks[i + 1 : i + 7]:
        if isinstance(b, Grid):
            return True
        if form and re.match(r"^\s*(（\d{4}年度）|\(\d{4}年度\)|项目名称)", b.text):
            return True
        if _UNIT.search(b.text) or _NO_DATA.search(b.text) or (_HEADER_WORDS.match(b.text) and not tokens.has_amount(b.text)):
            return True
        if looks_like_title(b.text):
            return False
    return False


# the line under a caption naming who compiled the table (编制单位：…, 编制部门：…), printed with or without the unit
_COMPILER = re.compile(r"^\s*(?:编制|填报)(?:单位|部门)\s*[:：]")


def _split_grid_caption(grid: Grid) -> tuple[str | None, list[Line], Grid, str | None]:
    """Some PDFs draw the caption (number, title, year, unit) inside the table's ruling: lift those rows out.
    Returns the title, the caption lines, the rest of the grid and the printed table number."""
    title: str | None = None
    number: str | None = None
    caption: list[Line] = []
    k = 0
    for cells in grid.rows:
        texts = {c.strip() for c in cells if c and c.strip()}
        if not texts:
            k += 1
            continue
        if title is not None and any(_UNIT.search(t) for t in texts):
            caption.append(Line(text=" ".join(sorted(texts, key=lambda t: bool(_UNIT.search(t)))), page=grid.page))
            k += 1
            continue
        if len(texts) != 1:
            break
        (text,) = texts
        no, bare = split_number(text)
        if title is None and not caption and number is None and (m := _NUMBER_LINE.match(text)):
            number = m.group(1)
            caption.extend([Line(text=text, page=grid.page)] if _UNIT.search(text) else [])
        elif title is None and looks_like_title(bare) and (no is None or number is None):
            title, number = bare, no or number
        elif title is not None and (_UNIT.search(text) or re.match(r"^[（(]\d{4}年度[）)]$", text)
                                    or _COMPILER.match(text)):
            caption.append(Line(text=text, page=grid.page))
        else:
            break
        k += 1
    if title is None:
        return None, [], grid, None
    return title, caption, Grid(rows=grid.rows[k:], page=grid.page), _printed_number(number)


def _printed_number(number: str | None) -> str | None:
    """The table number as printed (一 stays 一, 1-1 stays 1-1), spacing and dash forms aside."""
    return None if number is None else re.sub(r"\s+", "", number).replace("－", "-").replace("—", "-")


def _is_unit_line(text: str) -> bool:
    """A short line that prints a money unit (单位：万元, 金额单位：元 …) and no title and no amount: a caption's
    单位 line, or a page's running header."""
    s = text.strip()
    return bool(_UNIT.search(s)) and len(s) <= 60 and not looks_like_title(s) and not tokens.has_amount(s)


def _continues(blocks: list, i: int, last: Grid) -> bool:
    """Is the next block after the header line blocks[i] a grid going on with `last` (no caption of its own, as
    many columns, or fewer where a lone 合计 row merged its label cells)? Only then does a page's header unit leave
    the open table open; otherwise the line closes it as any text after a grid does, and a grid of other columns is
    never added to it."""
    nxt = next((b for b in blocks[i + 1: i + 3] if isinstance(b, Grid) or not _FURNITURE.match(b.text)), None)
    if not isinstance(nxt, Grid) or _split_grid_caption(nxt)[0] is not None:
        return False
    if not (nxt.rows and last.rows):
        return False
    width, before = len(nxt.rows[0]), len(last.rows[0])
    # a page holding only the 合计 row, its label cells merged into one, is a narrower grid of the same table
    # (the parsers keep its amounts at the right edge: parsers.common.padded); any other narrower grid is not
    return width == before or (width < before and all(
        r and r[0] and _TOTAL_WORDS.match(r[0].strip()) and all(not c or is_amount(c) for c in r[1:]) for r in nxt.rows))


def _caption_follows(blocks: list, i: int) -> bool:
    """Does a table's caption follow the unit line blocks[i] closely, with nothing of a table between? Then the unit
    is printed above that caption (or in the page header over it) and is that table's."""
    for j in range(i + 1, min(i + 5, len(blocks))):
        b = blocks[j]
        if isinstance(b, Grid):
            return _split_grid_caption(b)[0] is not None
        t = b.text
        if not t.strip() or _NUMBER_LINE.match(t) or _FURNITURE.match(t):
            continue
        title = split_number(t)[1]
        if looks_like_title(title) and _confirmed(blocks, j, title):
            return True
        if (tokens.has_amount(t) or _HEADER_WORDS.match(t) or _UNIT.search(t) or _NO_DATA.search(t)
                or _TERMINATOR.match(t) or _NOTE.match(t) or looks_like_title(t)):
            return False
    return False


def _has_figures(grid: Grid) -> bool:
    return any(not _is_header_cell_row(r) for r in grid.rows)


def _is_header_cell_row(cells: list[str | None]) -> bool:
    """Header rows carry no amounts and no 科目编码: they are labels only (a blank 合计 row is a body row)."""
    texts = [c.strip() for c in cells if c and c.strip()]
    if texts and _TOTAL_WORDS.match(texts[0]) and all(is_amount(t) for t in texts[1:]):
        return False
    for c in cells:
        if c is None or not c.strip():
            continue
        if is_amount(c) or re.fullmatch(r"\d{2,7}", c.strip()):
            return False
    return True


def _text_row_starts_body(line: str) -> bool:
    if tokens.is_column_numbers(line):
        return False
    code, _ = tokens.leading_code(line)
    return bool(code or tokens.has_amount(line) or _ORDINAL.match(line))


class _Builder:
    def __init__(self, title: str, table_no: str | None, page: int | None, header_unit: str | None = None):
        self.table = RawTable(title=title.strip(), table_no=table_no, unit_printed=None, page_from=page,
                              page_to=page, header=[], rows=[])
        self.grids: list[Grid] = []
        self.lines: list[Line] = []
        self.header_unit = header_unit  # printed above the caption: the table's unless its caption prints one

    def wants_unit(self) -> bool:
        """Still in its caption: no 单位 line read yet and nothing of its body — a unit line now is its own."""
        return not self.grids and not any(_UNIT.search(ln.text) or _HEADER_WORDS.match(ln.text)
                                          or _text_row_starts_body(ln.text) for ln in self.lines)

    def add_line(self, line: Line) -> None:
        self.lines.append(line)
        self._touch(line.page)

    def add_grid(self, grid: Grid) -> None:
        self.grids.append(grid)
        self._touch(grid.page)

    def _touch(self, page: int | None) -> None:
        if page is not None:
            t = self.table
            t.page_from = page if t.page_from is None else min(t.page_from, page)
            t.page_to = page if t.page_to is None else max(t.page_to, page)

    def finish(self) -> RawTable:
        t = self.table
        caption: list[Line] = []
        body_lines: list[Line] = []
        for ln in self.lines:
            if t.unit_printed is None and (m := _UNIT.search(ln.text)):
                t.unit_printed = m.group(1)
                continue
            if _NO_DATA.search(ln.text):
                t.add_note(ln.text)
                continue
            (body_lines if self.grids == [] else caption).append(ln)
        if t.unit_printed is None:
            t.unit_printed = self.header_unit
        if self.grids:
            self._rows_from_grids()
        else:
            self._rows_from_lines(body_lines)
        return t

    def _rows_from_grids(self) -> None:
        t = self.table
        first = True
        form = classify(t.title) == "performance_form"  # all text: a continuation page repeats no header
        for g in self.grids:
            in_header = True
            for cells in g.rows:
                if all(c is None or not str(c).strip() for c in cells):
                    continue
                texts = [str(c).strip() for c in cells if c is not None and str(c).strip()]
                if len(texts) == 1 and _NO_DATA.search(texts[0]):
                    t.add_note(texts[0])  # a note drawn inside the table's ruling
                    continue
                if in_header and _is_header_cell_row(cells) and (first or not form):
                    if first:
                        t.header.append(cells)
                    continue  # a continuation page repeating the header
                in_header = False
                t.rows.append(Row(cells=[c if c is None else str(c) for c in cells], page=g.page, aligned=True))
            first = False if t.header or t.rows else first

    def _rows_from_lines(self, lines: list[Line]) -> None:
        t = self.table
        started = False
        for ln in lines:
            if not ln.text.strip():
                continue
            if not started and not _text_row_starts_body(ln.text):
                t.header.append([ln.text.strip()])
                continue
            started = True
            t.rows.append(Row(cells=[ln.text], page=ln.page, aligned=False))


def segment(source: Source) -> Segmented:
    """The report's tables, each with its caption facts, and its prose.

    A money unit printed above a caption (or once in a page's running header) is the unit of the tables starting on
    that page that print none under their caption; a caption's own 单位 line always wins, and a page printing two
    different header units gives none (never a guess: Segmented.unit_problems says why, and the table is not read)."""
    blocks = source.blocks
    out = Segmented(tables=[])
    cur: _Builder | None = None
    pending_no: tuple[str, Line] | None = None
    pending_unit: str | None = None  # a unit line just above the coming caption
    page_units: dict[int, set[str]] = {}  # page → the units its header prints (not under a caption)

    def close() -> None:
        nonlocal cur
        if cur is not None:
            out.tables.append(cur.finish())
            cur = None

    def start(title: str, no: str | None, page: int | None) -> None:
        nonlocal cur, pending_no, pending_unit
        close()
        cur = _Builder(title, _printed_number(no or (pending_no[0] if pending_no else None)), page, pending_unit)
        pending_no = None
        pending_unit = None

    for i, b in enumerate(blocks):
        if isinstance(b, Grid):
            title, caption, b, grid_no = _split_grid_caption(b)
            if title is not None:
                start(title, grid_no, b.page)
            pending_unit = None  # a unit line above a grid that is no caption's: nobody's
            if cur is None and not _has_figures(b):
                # a ruled box of text (a contents page, a framed note): prose, not a table
                out.prose.extend(Line(text=" ".join(c for c in r if c), page=b.page) for r in b.rows if any(r))
                continue
            if cur is None:
                # a grid with no caption of its own: reported, never dropped
                cur = _Builder("（无标题表格）", None, b.page)
            for c in caption:
                cur.add_line(c)
            if b.rows:
                cur.add_grid(b)
            continue
        text = b.text
        m = _NUMBER_LINE.match(text)
        if m:
            pending_no = (m.group(1), b)
            if (u := _UNIT.search(text)) is not None:
                pending_unit = u.group(1)  # 表一 … 金额单位：万元 on one line, above the caption
                if b.page is not None:
                    page_units.setdefault(b.page, set()).add(pending_unit)
            continue
        no, bare = split_number(text)
        if looks_like_title(bare) and _confirmed(blocks, i, bare):
            start(bare, no, b.page)
            continue
        if pending_no is not None:
            # a lone 表N line not followed by a caption is just text
            (cur.add_line(pending_no[1]) if cur else out.prose.append(pending_no[1]))
            pending_no = None
            pending_unit = None
        if _FURNITURE.match(text):
            continue
        if _is_unit_line(text) and (cur is None or not cur.wants_unit()):
            unit = _UNIT.search(text).group(1)
            new_page = b.page is not None and (i == 0 or blocks[i - 1].page != b.page)
            above = _caption_follows(blocks, i)
            if (above or new_page) and b.page is not None:
                page_units.setdefault(b.page, set()).add(unit)  # the page's header unit
            if above:
                pending_unit = unit
                continue
            if cur is not None and new_page and (not cur.grids or _continues(blocks, i, cur.grids[-1])):
                continue  # the running header of a page the open table goes on over: it does not close it
        if cur is not None and _TERMINATOR.match(text):
            close()
        if cur is None:
            out.prose.append(b)
        elif cur.grids and source.kind == "pdf":
            # text after a PDF table's grid closes it (continuation pages carry only grids); a 本表无数据 note
            # printed under the grid is the table's own
            if _NO_DATA.search(text):
                cur.table.add_note(text)
                continue
            if _NOTE.match(text):
                # a 注 describing the table (注：本表反映…) under its grid: its 本表无数据 说明 may follow
                out.prose.append(b)
                continue
            close()
            out.prose.append(b)
        else:
            cur.add_line(b)
    close()
    for n, t in enumerate(out.tables):
        units = page_units.get(t.page_from) if t.page_from is not None else None
        if t.unit_printed is not None or not units:
            continue
        if len(units) == 1:
            (t.unit_printed,) = units  # printed once in the header of the page the table starts on
        else:
            out.unit_problems[n] = f"第{t.page_from}页印有两种金额单位（{'、'.join(sorted(units))}），无法确定此表的单位"
    return out
