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
Chromium's text layer names many CJK glyphs by their radical code points (⼈ for 人, ⻔ for 门), as some real printers
do; the reader folds them back — all but ⺠ for 民, so only a report without 民 re-prints exactly
(test_planted_errors.test_a_reprinted_min_reads_back_as_min).
"""

from __future__ import annotations

import html
import queue
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

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
"""


@dataclass
class Page:
    """One page of the report: its blocks in reading order (an empty list prints an empty page)."""

    blocks: list[Block] = field(default_factory=list)


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
    return f"<td{attrs}>{html.escape(text)}</td>"


def grid_html(grid: Grid) -> str:
    """A ruled table printing the grid's cells, merged cells as spans."""
    body = "".join("<tr>" + "".join(_cell(*cell) for cell in row if cell is not None) + "</tr>"
                   for row in spans(grid.rows))
    return f"<table>{body}</table>"


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


def page_html(page: Page) -> str:
    """One source page as one printed page: a page that would not fit spills onto another and `render` refuses the
    print (the page numbers would no longer be the source's), so nothing is ever clipped silently."""
    parts = [grid_html(b) if isinstance(b, Grid) else f"<p>{html.escape(b.text)}</p>" for b in page.blocks]
    return f'<div class="page" style="font-size:{font_pt(page)}pt">{"".join(parts)}</div>'


def document_html(pages: list[Page]) -> str:
    """The whole report as one HTML document, so Chromium prints it in one go with the page size of STYLE."""
    body = "".join(page_html(p) for p in pages)
    return f"<html><head><meta charset='utf-8'><style>{STYLE}</style></head><body>{body}</body></html>"


def page_count(path: Path) -> int:
    """Pages of a printed PDF, to prove each source page took exactly one printed page."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def render(jobs: Iterable[tuple[Path, list[Page]]]) -> list[Path]:
    """Print each (path, pages) to its PDF with one launch of the system Chromium (skips the test where it is
    missing); each PDF must come out with exactly its pages' count, or the page numbers would not be the source's."""
    return list(render_each(jobs))


def render_each(jobs: Iterable[tuple[Path, list[Page]]]) -> Iterator[Path]:
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
                for path, pages in jobs:
                    tab.set_content(document_html(pages))
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
    return [Page([Line(b.text, b.page) if isinstance(b, Line) else Grid([list(r) for r in b.rows], b.page)
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
