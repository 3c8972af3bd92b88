"""A real sample report printed again from our own reading of it: each page's blocks, in order, as an HTML page that
Chromium prints to PDF (lines as paragraphs, grids as ruled tables with their merged cells), one PDF page per source
page.

Why: a rule is only trusted when it finds an error a reviewer knows is there and nothing else. Real reports with
known errors are few, and editing a PDF's bytes is fragile; a report re-printed from its own blocks reads back as
the original does, so a copy with one sentence, one page or one section changed differs from the clean copy by that
error alone (tests/test_planted_errors.py). Nothing here is a real report's bytes: only the text and cells our reader
took from it, printed by the system Chromium into a test's tmp dir.

The print keeps what the reader relies on: every line a paragraph of its own (never re-wrapped: white-space is
kept and the font is sized to fit the page), every grid a bordered table whose merged cells (None in Grid.rows) are
row/column spans again, and page n of the source on page n of the copy (an empty page stays an empty page).
The same pages can also be printed as other templates print theirs (the “other layouts” below: 元, whole or split
科目编码, the unit in the page header, numbered captions, tables broken over pages, a borderless print).
Chromium's text layer names many CJK glyphs by their radical code points (⼈ for 人, ⻔ for 门), as some real printers
do; the reader folds them back — all but ⺠ for 民, so only a report without 民 re-prints exactly
(test_planted_errors.test_a_reprinted_min_reads_back_as_min).
"""

from __future__ import annotations

import html
import queue
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from etl.read.amounts import is_printed_amount
from etl.read.layout import Block, Grid, Line, Source

PAGE_W_MM, PAGE_H_MM, MARGIN_MM = 297, 210, 8  # A4 landscape
_PT_PER_MM = 72 / 25.4
STYLE = f"""
@page {{ size: {PAGE_W_MM}mm {PAGE_H_MM}mm; margin: {MARGIN_MM}mm; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: 'Noto Sans CJK SC', sans-serif; }}
.page {{ min-height: 1px; break-after: page; }}
.page:last-child {{ break-after: auto; }}
p {{ margin: 0 0 0.45em 0; white-space: pre; line-height: 1.2; }}
table {{ border-collapse: collapse; margin: 0.3em 0 0.6em 0; }}
td {{ border: 1px solid #000; padding: 0.1em 0.4em; white-space: pre; line-height: 1.15; height: 1.2em;
      min-width: 2.5em; vertical-align: middle; }}
p.header {{ text-align: right; }}
"""
# A borderless print (many 区县 templates): no ruling at all, figures right-aligned under their headings, as a
# spreadsheet printed without gridlines looks; the reader then has only the words' positions to go by.
BORDERLESS = """
td { border: none; }
td.amount { text-align: right; }
tr.head td { text-align: center; }
"""
STYLES = {"ruled": "", "borderless": BORDERLESS}


@dataclass
class HeaderLine(Line):
    """A line of the page's running header, printed right-aligned at the top (金额单位：万元 over every table page)."""


@dataclass
class Page:
    """One page of the report: its blocks in reading order (an empty list prints an empty page). `font` fixes the
    page's font size (pages of one broken table share it, so their columns stand where the first page's do)."""

    blocks: list[Block] = field(default_factory=list)
    font: float | None = None


@dataclass
class SizedGrid(Grid):
    """A part of a table broken over pages: every part printed with the whole table's column widths (in em), as one
    spreadsheet printed over several pages keeps its columns where they are."""

    widths: list[float] = field(default_factory=list)


def pages_of(source: Source) -> list[Page]:
    """The source's blocks grouped by page, with every page from 1 to page_count present (a page the reader found
    nothing on is an empty Page), so page n of the copy is page n of the original."""
    count = source.page_count or max((b.page or 0 for b in source.blocks), default=0)
    pages = [Page() for _ in range(count)]
    for block in source.blocks:
        if block.page is None:
            raise ValueError("a text extraction has no pages to re-print; re-render a PDF")
        pages[block.page - 1].blocks.append(block)
    return pages


def read_pages(path: Path) -> list[Page]:
    """Read a PDF as the pipeline does (etl.pipeline.read_source) and group its blocks by page."""
    from etl.pipeline import read_source

    return pages_of(read_source(path, path.read_bytes()))


def spans(rows: list[list[str | None]]) -> list[list[tuple[str, int, int] | None]]:
    """Each cell as (text, rowspan, colspan), None where an earlier cell's span covers it. A None cell belongs to the
    nearest text cell to its left (a column span) unless a cell above already spans down over it; a text cell spans
    down while the whole width it covers is None in the rows below."""
    height = len(rows)
    width = max((len(r) for r in rows), default=0)
    grid = [list(r) + [""] * (width - len(r)) for r in rows]
    covered = [[False] * width for _ in range(height)]
    out: list[list[tuple[str, int, int] | None]] = [[None] * width for _ in range(height)]
    for r in range(height):
        for c in range(width):
            if covered[r][c]:
                continue
            text = grid[r][c]
            if text is None:  # a merged cell with no anchor (left edge of a row): printed as an empty cell
                text = ""
            cs = 1
            while c + cs < width and grid[r][c + cs] is None and not covered[r][c + cs]:
                cs += 1
            rs = 1
            while r + rs < height and all(grid[r + rs][k] is None and not covered[r + rs][k] for k in range(c, c + cs)):
                rs += 1
            for dr in range(rs):
                for dc in range(cs):
                    covered[r + dr][c + dc] = True
            out[r][c] = (text, rs, cs)
    return out


def _cell(text: str, rs: int, cs: int) -> str:
    attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
    attrs += ' class="amount"' if is_printed_amount(text.strip()) else ""  # right-aligned in a borderless print only
    return f"<td{attrs}>{html.escape(text)}</td>"


def grid_html(grid: Grid) -> str:
    """A ruled table printing the grid's cells, merged cells as spans."""
    head = _first_body_row(grid)  # heading rows: centred over their columns in a borderless print
    body = "".join(("<tr class='head'>" if n < head else "<tr>")
                   + "".join(_cell(*cell) for cell in row if cell is not None) + "</tr>"
                   for n, row in enumerate(spans(grid.rows)))
    if isinstance(grid, SizedGrid) and grid.widths:
        cols = "".join(f'<col style="width:{w:.2f}em">' for w in grid.widths)
        return (f'<table style="table-layout:fixed;width:{sum(grid.widths):.2f}em"><colgroup>{cols}</colgroup>'
                f"{body}</table>")
    return f"<table>{body}</table>"


def column_widths(rows: list[list[str | None]]) -> list[float]:
    """Each column's width in em: its widest one-column cell (a CJK character 1em, others 0.6em) and the padding,
    widened where a cell spanning it and its neighbours would not fit them (a fixed layout never widens a column)."""
    width = max((len(r) for r in rows), default=0)
    out = [2.5] * width

    def need(text: str) -> float:
        return max((sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in part) for part in text.split("\n")),
                   default=0.0) + 0.9

    cells = [(j, cell) for row in spans(rows) for j, cell in enumerate(row) if cell is not None]
    for j, (text, _, cs) in cells:
        if cs == 1:
            out[j] = max(out[j], need(text))
    for j, (text, _, cs) in cells:
        if cs > 1 and (short := need(text) - sum(out[j:j + cs])) > 0:
            for k in range(j, j + cs):
                out[k] += short / cs
    return out


def _height_units(page: Page) -> float:
    """The page's height in printed lines (a grid row as tall as its tallest cell), to size its font."""
    units = 0.0
    for block in page.blocks:
        if isinstance(block, Line):
            units += 1.65
        else:
            units += 0.9 + sum(1.45 * max((1 + (c or "").count("\n") for c in row), default=1) for row in block.rows)
    return units


def _width_chars(page: Page) -> float:
    """The page's widest printed line or table row in characters, to size its font."""
    def chars(text: str) -> float:
        return sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in text)
    widest = 0.0
    for block in page.blocks:
        if isinstance(block, Line):
            widest = max(widest, chars(block.text))
        else:
            for row in spans(block.rows):
                cells = [max((chars(part) for part in text.split("\n")), default=0) + 1.2
                         for text, _, cs in (c for c in row if c is not None) if cs == 1]
                widest = max(widest, sum(cells) + 3.0 * sum(1 for c in row if c is not None and c[2] > 1))
    return widest


def font_pt(page: Page) -> float:
    """The largest font (at most 10pt) at which the page's lines and grids fit one printed page unwrapped."""
    usable_w = (PAGE_W_MM - 2 * MARGIN_MM) * _PT_PER_MM * 0.95
    usable_h = (PAGE_H_MM - 2 * MARGIN_MM) * _PT_PER_MM * 0.92
    size = 10.0
    if (units := _height_units(page)) > 0:
        size = min(size, usable_h / (units * 1.2))
    if (chars := _width_chars(page)) > 0:
        size = min(size, usable_w / chars)
    return round(max(size, 4.0), 2)


def _line_html(line: Line) -> str:
    cls = ' class="header"' if isinstance(line, HeaderLine) else ""
    return f"<p{cls}>{html.escape(line.text)}</p>"


def page_html(page: Page) -> str:
    """One source page as one printed page: a page that would not fit spills onto another and `render` refuses the
    print (the page numbers would no longer be the source's), so nothing is ever clipped silently."""
    parts = [grid_html(b) if isinstance(b, Grid) else _line_html(b) for b in page.blocks]
    return f'<div class="page" style="font-size:{page.font or font_pt(page)}pt">{"".join(parts)}</div>'


def document_html(pages: list[Page], style: str = "ruled") -> str:
    """The whole report as one HTML document, so Chromium prints it in one go with the page size of STYLE; `style`
    (a key of STYLES) prints the grids ruled, as the samples are, or borderless. The doctype keeps Chromium out of
    quirks mode, where a table does not inherit its page's font size and printed at 12pt whatever font_pt chose."""
    body = "".join(page_html(p) for p in pages)
    head = f"<meta charset='utf-8'><style>{STYLE}{STYLES[style]}</style>"
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def page_count(path: Path) -> int:
    """Pages of a printed PDF, to prove each source page took exactly one printed page."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


Job = tuple[Path, list[Page]] | tuple[Path, list[Page], str]  # (pdf, pages[, style]): a job's style beats the call's


def render(jobs: Iterable[Job], style: str = "ruled") -> list[Path]:
    """Print each (path, pages) to its PDF with one launch of the system Chromium (skips the test where it is
    missing); each PDF must come out with exactly its pages' count, or the page numbers would not be the source's.
    A job may name its own style, so ruled and borderless copies still share the one launch."""
    return list(render_each(jobs, style))


def render_each(jobs: Iterable[Job], style: str = "ruled") -> Iterator[Path]:
    """`render`, yielding each PDF as soon as it is printed: the printing goes on in a thread (Chromium works in its
    own process) while the caller reads the PDFs already printed, so a test printing and parsing many copies waits
    for the slower of the two, not for both. What the printing raises (a skip where Chromium is missing, a page
    that overflowed) is raised here."""
    ready: queue.Queue[Path | BaseException | None] = queue.Queue()

    def work() -> None:
        from tests.fixtures.app_server import system_chromium

        try:
            with system_chromium() as (_, browser):
                tab = browser.new_page()
                for path, pages, *own in jobs:
                    tab.set_content(document_html(pages, own[0] if own else style))
                    tab.pdf(path=str(path), prefer_css_page_size=True, print_background=False)
                    if (printed := page_count(path)) != len(pages):
                        raise AssertionError(f"{path.name}: {len(pages)} pages printed on {printed}: a page overflowed")
                    ready.put(path)
                tab.close()
        except BaseException as exc:  # noqa: BLE001 — handed to the caller's thread (pytest's skip is a BaseException)
            ready.put(exc)
        else:
            ready.put(None)

    printer = threading.Thread(target=work, name="rerender", daemon=True)
    printer.start()
    try:
        while (item := ready.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        printer.join()


# ---------------------------------------------------------------------------------------------------- planting errors
# Each edit returns new pages and leaves its input alone, so one reading of the sample serves every copy.


def _copy(pages: list[Page]) -> list[Page]:
    return [Page([replace(b) if isinstance(b, Line) else Grid([list(r) for r in b.rows], b.page)
                  for b in p.blocks]) for p in pages]


def replace_text(pages: list[Page], page: int, old: str, new: str) -> list[Page]:
    """`old` → `new` in the one line of page `page` (1-based) that prints it; an edit that matches no line or more
    than one would plant its error somewhere other than where the test looks, so it raises instead."""
    out = _copy(pages)
    hits = [b for b in out[page - 1].blocks if isinstance(b, Line) and old in b.text]
    if len(hits) != 1 or hits[0].text.count(old) != 1:
        raise ValueError(f"“{old}” is printed {sum(b.text.count(old) for b in hits)} times on page {page}, not once")
    hits[0].text = hits[0].text.replace(old, new)
    return out


def insert_page(pages: list[Page], before: int, page: Page | None = None) -> list[Page]:
    """A page (an empty one by default) printed as page `before`; the pages from there on move one page later."""
    out = _copy(pages)
    out.insert(before - 1, page if page is not None else Page())
    return out


def repeat_page(pages: list[Page], page: int) -> list[Page]:
    """Page `page` printed a second time right after itself."""
    return insert_page(pages, page + 1, _copy([pages[page - 1]])[0])


def drop_page(pages: list[Page], page: int) -> list[Page]:
    """Page `page` left out; the pages after it move one page earlier."""
    out = _copy(pages)
    del out[page - 1]
    return out


# ---------------------------------------------------------------------------------------------------- other layouts
# The same report printed as other templates print theirs — amounts in 元, 科目编码 whole or in 类 | 款 | 项 columns,
# the unit in the running header, numbered captions, tables broken over pages — so a copy differs from the clean one
# by its layout alone and must load the very same amounts (tests/test_rerendered_layouts.py). Each returns new pages
# and leaves its input alone; what it cannot place (a page printing two units) raises rather than guessing.

_UNIT_TEXT = re.compile(r"((?:金额)?单位\s*[:：]\s*)(万元|亿元|元)")
_UNIT_PART = re.compile(r"\s*(?:金额)?单位\s*[:：]\s*(?:万元|亿元|元)")
_CAPTION = re.compile(r"表\s*(?:（[^）]{1,12}）|\([^)]{1,12}\))?\s*$")
_CODE_LABELS = ("类", "款", "项")
_COLUMN_NUMBERS = re.compile(r"栏次")


def _unit_of(text: str | None) -> str | None:
    """The money unit a short caption or header text prints (a sentence that happens to say 单位 is no unit line)."""
    if not text or len(text) > 60 or "。" in text:
        return None
    m = _UNIT_TEXT.search(text)
    return m.group(2) if m else None


def _is_caption(text: str) -> bool:
    s = text.strip()
    return bool(s) and len(s) <= 60 and not any(ch in s for ch in "…。，") and bool(_CAPTION.search(s))


def _is_code(text: str | None) -> bool:
    return bool(text) and text.strip().isdigit() and len(text.strip()) <= 7


def _first_body_row(grid: Grid) -> int:
    """Index of the first row printing a figure or a 科目编码: the rows above are the table's heading (and, in a
    grid that carries its own caption, the caption)."""
    for i, row in enumerate(grid.rows):
        if any(c and (is_printed_amount(c.strip()) or _is_code(c)) for c in row):
            return i
    return len(grid.rows)


# -------------------------------------------------- amounts in 元


def _in_yuan(text: str) -> str:
    """A 万元 amount as a 元 report prints it: exact (×10000 of a decimal never rounds), whole 元 where the 万元 print
    had no decimals, else two decimals; thousands grouped where the 万元 print grouped them."""
    value = Decimal(text.replace(",", "").replace("−", "-")) * 10000
    places = Decimal(1) if "." not in text else Decimal("0.01")
    if value != value.quantize(places):
        raise ValueError(f"{text}万元 is no whole number of 分")
    value = value.quantize(places)
    return f"{value:,}" if "," in text else f"{value}"


def _yuan_unit(m: re.Match) -> str:
    return m.group(1) + ("元" if m.group(2) == "万元" else m.group(2))


def in_yuan(pages: list[Page]) -> list[Page]:
    """Every table printed in 万元 printed in 元 instead: its amounts ×10000 and its 单位：万元 (in a line or in a grid's
    caption cell) reading 元. A grid is in the unit printed last above it, as a reader takes it; 科目编码 columns and
    栏次 rows are not amounts. Prose keeps its 万元: a 元 report's 说明 still speaks in 万元."""
    out = _copy(pages)
    unit: str | None = None
    carried: _Codes | None = None
    for page in out:
        for block in page.blocks:
            if isinstance(block, Line):
                if _is_caption(block.text):
                    unit = None  # a new table: its unit is the one it prints
                if (u := _unit_of(block.text)) is not None:
                    unit = u
                    block.text = _UNIT_TEXT.sub(_yuan_unit, block.text)
                continue
            for row in block.rows:
                for k, cell in enumerate(row):
                    if (u := _unit_of(cell)) is not None:
                        unit = u
                        row[k] = _UNIT_TEXT.sub(_yuan_unit, cell)
            codes = _find_codes(block, carried)
            carried = codes or carried
            if unit != "万元":
                continue
            skip = set(range(codes.col, codes.col + codes.pieces)) if codes else set()
            for row in block.rows[_first_body_row(block):]:
                if any(c and _COLUMN_NUMBERS.search(c) for c in row):
                    continue
                for k, cell in enumerate(row):
                    if k not in skip and cell and is_printed_amount(cell.strip()):
                        row[k] = _in_yuan(cell.strip())
    return out


# -------------------------------------------------- 科目编码 whole or in 类 | 款 | 项


@dataclass
class _Codes:
    """Where a grid prints its 科目编码: from column `col`, in `pieces` columns (1: the whole code; 2–3: 类 | 款 [| 项]);
    `labels` is the heading row printing 类 | 款 | 项 (None: whole codes, or a continuation grid with no heading)."""

    col: int
    pieces: int
    labels: int | None
    body: int  # first body row
    width: int


def _find_codes(grid: Grid, carried: _Codes | None) -> _Codes | None:
    """The grid's code columns: under a heading naming 编码, or — a continuation page printing no heading — those of
    the table it goes on with (`carried`, same width, body rows at once)."""
    width = max((len(r) for r in grid.rows), default=0)
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            if not (cell and "编码" in cell):
                continue
            below = grid.rows[r + 1] if r + 1 < len(grid.rows) else []
            n = 0
            while c + n < len(below) and n < 3 and (below[c + n] or "").strip() == _CODE_LABELS[n]:
                n += 1
            if n >= 2:
                return _Codes(c, n, r + 1, r + 2, width)
            return _Codes(c, 1, None, r + 1, width)
    if carried is not None and width == carried.width and _first_body_row(grid) == 0:
        return _Codes(carried.col, carried.pieces, None, 0, width)
    return None


def _full_code(texts: list[str], last: str) -> str | None:
    """The 科目编码 a row's code cells print, (类, 款, 项) as printed: a parent left blank — or misprinted, as the welfare
    home's “7 | 11 | 02” under 210 | 11 — is the one of the code above, as a reader of the print takes it; a 款 or 项
    printed without its leading zero is padded. None: the cells print no code (a label, or nothing)."""
    texts = [t.strip() for t in texts]
    if not any(texts) or not all(t.isdigit() for t in texts if t):
        return None
    if len(texts) == 1:
        return texts[0]
    deepest = max(i for i, t in enumerate(texts) if t)
    code = texts[0] if len(texts[0]) == 3 else ""
    for i in range(1, deepest + 1):
        need = 3 + 2 * (i - 1)
        if len(code) != need:
            if len(last) < need or (code and not last.startswith(code)):
                raise ValueError(f"科目编码 {' | '.join(texts)} follows no code above (last {last or 'none'})")
            code = last[:need]
        if texts[i]:
            code += texts[i].zfill(2)
    return code


def _pieces(code: str, n: int) -> list[str]:
    return [code[:3]] + [code[3 + 2 * i: 5 + 2 * i] for i in range(n - 1)]


def _recode(grid: Grid, codes: _Codes, n: int, repeat_parents: bool, last: str) -> tuple[Grid, str]:
    """The grid with its codes printed in `n` columns (1: whole), parents repeated on every row or left blank under
    the row that printed them; returns it with the last code printed (a continuation page goes on from it)."""
    c, m = codes.col, codes.pieces
    rows = [list(r) + [""] * (codes.width - len(r)) for r in grid.rows]
    out: list[list[str | None]] = []
    for r, row in enumerate(rows):
        before, cells, after = row[:c], row[c: c + m], row[c + m:]
        if r < codes.body:  # the heading
            if r == codes.labels:
                if n > 1:
                    out.append(before + list(_CODE_LABELS[:n]) + after)
                elif any(x is not None for x in before + after):
                    out.append(before + [None] + after)  # 编码 above spans down over it
                continue
            head = cells[0]
            out.append(before + [head] + ([None] * (n - 1)) + after)
            if codes.labels is None and n > 1 and head and "编码" in head:
                out.append([None] * c + list(_CODE_LABELS[:n]) + [None] * len(after))
            continue
        code = _full_code([x or "" for x in cells], last)
        if code is None:  # 合计, a blank row: the label over the code columns as it was merged (or not)
            merged = all(x is None for x in cells[1:]) and cells[0] is not None
            out.append(before + [cells[0]] + ([None] * (n - 1) if merged else [""] * (n - 1)) + after)
            continue
        printed = [code] if n == 1 else _pieces(code, n)
        if n > 1 and not repeat_parents:
            printed = [p if i == len(printed) - 1 or not p or not last.startswith(code[: 3 + 2 * i]) or not printed[i + 1]
                       else "" for i, p in enumerate(printed)]
        out.append(before + printed + after)
        last = code
    return Grid(out, grid.page), last


def _recoded(pages: list[Page], n: int | None, repeat_parents: bool) -> list[Page]:
    out = _copy(pages)
    carried: _Codes | None = None
    last = ""
    for page in out:
        for k, block in enumerate(page.blocks):
            if not isinstance(block, Grid) or (codes := _find_codes(block, carried)) is None:
                continue
            if codes.body > 0:
                last = ""  # a heading: a new table, or a page repeating it
            if n is not None:
                width = n
            elif codes.pieces > 1:
                width = codes.pieces
            else:  # whole codes: 类 | 款 | 项 for 功能分类 (7 digits), 类 | 款 for 经济分类 (5), as the heading says
                heading = " ".join(c for r in block.rows[:codes.body] for c in r if c)  # where a table prints none
                deepest = max((len(r[codes.col].strip()) for r in block.rows[codes.body:] if _is_code(r[codes.col])),
                              default=5 if "经济" in heading else 7)
                width = 3 if deepest > 5 else 2
            page.blocks[k], last = _recode(block, codes, width, repeat_parents, last)
            carried = codes
    return out


def join_codes(pages: list[Page]) -> list[Page]:
    """Every 科目编码 printed whole in one column (2080505), as templates without 类 | 款 | 项 columns print it."""
    return _recoded(pages, 1, True)


def split_codes(pages: list[Page], repeat_parents: bool = True) -> list[Page]:
    """Every 科目编码 printed in 类 | 款 | 项 columns (208 | 05 | 05; 经济分类 in 类 | 款) under a 科目编码 heading spanning
    them, as the national templates print it: the parents on every row, or (repeat_parents=False) printed once and
    left blank under the row that printed them. Already split codes are printed again the chosen way."""
    return _recoded(pages, None, repeat_parents)


# -------------------------------------------------- the unit in the running header


def unit_in_header(pages: list[Page], continued: bool = False) -> list[Page]:
    """Each table page's money unit printed once in its running header (a right-aligned 金额单位：元 as the page's
    first line) instead of beside its caption or in its grid (编制单位：… stays, without its 单位：元). With
    `continued`, a page going on with the table above (a grid first) prints it too, as a header on every page
    does. A page printing two units cannot have one header: that raises."""
    out = _copy(pages)
    unit: str | None = None
    for page in out:
        found: set[str] = set()
        for block in page.blocks:
            if isinstance(block, Line):
                if (u := _unit_of(block.text)) is not None:
                    found.add(u)
                    block.text = _UNIT_PART.sub("", block.text).strip()
                continue
            for row in block.rows:
                for k, cell in enumerate(row):
                    if (u := _unit_of(cell)) is not None:
                        found.add(u)
                        row[k] = _UNIT_PART.sub("", cell).strip()
        page.blocks = [b for b in page.blocks if not isinstance(b, Line) or b.text]
        found_here = bool(found)
        if len(found) > 1:
            raise ValueError(f"a page prints {sorted(found)}: one running header cannot say both")
        continues = bool(page.blocks) and isinstance(page.blocks[0], Grid)
        unit = found.pop() if found else (unit if continues else None)
        if unit is not None and (found_here or continued) and any(isinstance(b, Grid) for b in page.blocks):
            first = page.blocks[0].page if page.blocks else None
            page.blocks.insert(0, HeaderLine(f"金额单位：{unit}", first))
    return out


# -------------------------------------------------- numbered captions

_NUMERALS = "一二三四五六七八九"


def _chinese(n: int) -> str:
    """1–99 in Chinese numerals, as 表一 … 表二十一 print them."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _NUMERALS[tens - 1] + "十")
    return head + (_NUMERALS[ones - 1] if ones else "")


# the conventions templates number their tables by (etl.tables.classify.split_number reads each)
CAPTION_STYLES = {
    "表一": lambda n: f"表{_chinese(n)}",
    "表1": lambda n: f"表{n}",
    "预算公开表1": lambda n: f"预算公开表{n}",
    "附表1": lambda n: f"附表{n}",
}


def numbered_captions(pages: list[Page], style: str, own_line: bool = False) -> list[Page]:
    """Every table's caption numbered in `style` (a key of CAPTION_STYLES), 1, 2, 3 … in print order: “表一 2024年…”
    before the title, or (own_line) the number on a line of its own above it. A caption is a title line (…表) that a
    grid follows on its page with only lines between (the 单位 line), or a title printed in a grid's own top rows;
    the 目录's entries are followed by no grid and stay as they are."""
    number = CAPTION_STYLES[style]
    out = _copy(pages)
    n = 0
    for page in out:
        blocks: list[Block] = []
        for k, block in enumerate(page.blocks):
            if isinstance(block, Line) and _is_caption(block.text):
                rest = page.blocks[k + 1: k + 4]
                grid_next = next((b for b in rest if isinstance(b, Grid) or _is_caption(b.text)), None)
                if isinstance(grid_next, Grid):
                    n += 1
                    if own_line:
                        blocks.append(Line(number(n), block.page))
                    else:
                        block.text = f"{number(n)} {block.text.strip()}"
            elif isinstance(block, Grid):
                for row in block.rows[:_first_body_row(block)]:
                    texts = [i for i, c in enumerate(row) if c and c.strip()]
                    if len(texts) == 1 and _is_caption(row[texts[0]]):
                        n += 1
                        row[texts[0]] = f"{number(n)} {row[texts[0]].strip()}"
                        break
            blocks.append(block)
        page.blocks = blocks
    return out


# -------------------------------------------------- tables broken over pages


def break_tables(pages: list[Page], every: int) -> list[Page]:
    """Each grid with more than `every` body rows printed `every` rows a page: the first page keeps the caption and the
    heading, each further page holds the next rows alone (no heading repeated, as a spreadsheet printed without
    title rows does) and what followed the grid goes on after its last rows. The copy has more pages than the
    source; each continuation is a Page of its own, so `render` still prints one Page per printed page.

    Every part of one table — the source's own continuation grids too (a grid with no heading, as many columns) —
    prints with the whole table's column widths and one font, as one spreadsheet printed over pages keeps its
    columns where they are."""
    source = _copy(pages)
    tables: list[list[Grid]] = []  # the grids of each table, in order
    for page in source:
        for block in page.blocks:
            if isinstance(block, Grid):
                if tables and _first_body_row(block) == 0 and tables[-1] and \
                        len(block.rows[0]) == len(tables[-1][-1].rows[0]):
                    tables[-1].append(block)
                else:
                    tables.append([block])
    widths: dict[int, list[float]] = {}
    for grids in tables:
        each = [column_widths(g.rows) for g in grids]
        merged = [max(w[j] for w in each if j < len(w)) for j in range(max(len(w) for w in each))]
        widths.update({id(g): merged for g in grids})
    out: list[Page] = []
    group_of: dict[int, list[Page]] = {}  # the printed pages of each table, to share one font
    for page in source:
        current = Page()
        out.append(current)
        for block in page.blocks:
            if not isinstance(block, Grid):
                current.blocks.append(block)
                continue
            table = next(n for n, grids in enumerate(tables) if any(g is block for g in grids))
            group = group_of.setdefault(table, [])
            head = _first_body_row(block)
            body = block.rows[head:]
            current.blocks.append(SizedGrid(block.rows[:head] + body[:every], block.page, widths[id(block)]))
            group.append(current)
            for k in range(every, len(body), every):
                current = Page([SizedGrid(body[k: k + every], block.page, widths[id(block)])])
                out.append(current)
                group.append(current)
    for group in group_of.values():
        font = min(font_pt(p) for p in group)
        for p in group:
            p.font = font if p.font is None else min(p.font, font)
    return out
