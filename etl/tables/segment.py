"""Blocks → tables: find each table by its caption, gather its rows across pages, split header from body.

Works on the shared intermediate, so a PDF (grids) and a text extraction (lines) are segmented by the same rules.
Everything between tables that is not a table is kept as prose for the prose parsers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.read import tokens
from etl.read.amounts import is_amount
from etl.read.layout import Grid, Line, RawTable, Row, Source
from etl.tables.classify import classify, looks_like_title

_NUMBER_LINE = re.compile(r"^\s*(?:预算公开|部门公开|单位公开|公开|附)?表\s*([0-9一二三四五六七八九十]+)\s*$")
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


def _split_grid_caption(grid: Grid) -> tuple[str | None, list[Line], Grid]:
    """Some PDFs draw the caption (title, year, unit) inside the table's ruling: lift those rows out."""
    title: str | None = None
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
        if title is None and not caption and looks_like_title(text):
            title = text
        elif title is not None and (_UNIT.search(text) or re.match(r"^[（(]\d{4}年度[）)]$", text)):
            caption.append(Line(text=text, page=grid.page))
        else:
            break
        k += 1
    if title is None:
        return None, [], grid
    return title, caption, Grid(rows=grid.rows[k:], page=grid.page)


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
    def __init__(self, title: str, table_no: str | None, page: int | None):
        self.table = RawTable(title=title.strip(), table_no=table_no, unit_printed=None, page_from=page,
                              page_to=page, header=[], rows=[])
        self.grids: list[Grid] = []
        self.lines: list[Line] = []

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
    blocks = source.blocks
    out = Segmented(tables=[])
    cur: _Builder | None = None
    pending_no: tuple[str, Line] | None = None

    def close() -> None:
        nonlocal cur
        if cur is not None:
            out.tables.append(cur.finish())
            cur = None

    for i, b in enumerate(blocks):
        if isinstance(b, Grid):
            title, caption, b = _split_grid_caption(b)
            if title is not None:
                close()
                cur = _Builder(title, pending_no[0] if pending_no else None, b.page)
                pending_no = None
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
            continue
        if looks_like_title(text) and _confirmed(blocks, i, text):
            close()
            no = pending_no[0] if pending_no else None
            cur = _Builder(text, no, b.page)
            pending_no = None
            continue
        if pending_no is not None:
            # a lone 表N line not followed by a caption is just text
            (cur.add_line(pending_no[1]) if cur else out.prose.append(pending_no[1]))
            pending_no = None
        if _FURNITURE.match(text):
            continue
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
    return out
