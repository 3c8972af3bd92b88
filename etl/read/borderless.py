"""Tables printed without ruling lines, read back as grids from where their words sit on the page.

pdfplumber's table finder needs ruling lines; a borderless print's rows come out as text lines whose words are
joined by one space however wide the gap between them, so the column an amount stands in is lost — and with it
whether 2,120,950 is 人员经费 or 公用经费. The words' x positions still say it. The columns are the horizontal
bands the body's words occupy (a column's words overlap one another, words of two columns never do); a column no
body row fills is added where the header prints its label; every line's words drop into their bands. The result is
a Grid like a ruled table's, so segmenting, the header's labels, split 类/款/项 codes and the parsers treat both
prints alike, and the table's own arithmetic later confirms the reading (etl.pipeline.verify_tables).

A table going on over a page break without repeating its header takes the bands of the table above it, so the
continuation has the same columns. Nothing is guessed: a line is a table row only where it prints amounts and no
sentence punctuation, and a region needs two such rows (one on a continuation page whose words all fall in the
carried bands).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.read.layout import Grid

_NUMBER = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_PROSE = re.compile(r"[。，；！？]")  # not 、: table rows number their items (一、 1、)
_CJK = re.compile(r"[\u3400-\u9fff]")
_ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|\d+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{3,7}\b)")
_STOP = re.compile(r"单位[:：]|表$|^\s*注")  # a caption, its 单位 line or a note: above the header, not in it
MAX_HEADER_LINES = 6
MAX_WRAPPED = 3  # label lines (a cell wrapped over lines) between two rows of amounts


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class _Line:
    index: int  # position among the page's lines
    top: float
    bottom: float
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class Carry:
    """The columns of the last borderless table read, for a continuation on the next page."""

    bands: list[tuple[float, float]] = field(default_factory=list)
    amount_bands: list[int] = field(default_factory=list)  # the bands its body printed amounts in
    page: int | None = None


def words_of(chars: list[dict]) -> list[Word]:
    """A line's characters as words: a word ends at a blank character or at a gap wider than half a character."""
    out: list[Word] = []
    cur: list[dict] = []

    def flush() -> None:
        if cur:
            out.append(Word("".join(c["text"] for c in cur), min(c["x0"] for c in cur), max(c["x1"] for c in cur),
                            min(c["top"] for c in cur), max(c["bottom"] for c in cur)))
            cur.clear()

    for c in sorted(chars, key=lambda c: c["x0"]):
        if not c["text"].strip():
            flush()
            continue
        if cur:
            size = max(c["bottom"] - c["top"], 1.0)
            if c["x0"] - cur[-1]["x1"] > 0.5 * size:
                flush()
        cur.append(c)
    flush()
    return out


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.replace("−", "-")))


def _is_row(words: list[Word]) -> bool:
    """A line of a table body: it ends in a number and prints two numbers, or a label and then a number; never a
    sentence (prose punctuation)."""
    if not words or not _is_number(words[-1].text):
        return False
    text = " ".join(w.text for w in words)
    if _PROSE.search(text) or "：" in text or ":" in text:
        return False
    numbers = sum(1 for w in words if _is_number(w.text))
    return numbers >= 2 or any(_CJK.search(w.text) for w in words[:-1])


def _might_be_row(text: str) -> bool:
    """The cheap test on a line's text before its words are measured: it ends in a number, no sentence."""
    parts = text.split()
    return len(parts) >= 2 and _is_number(parts[-1]) and not _PROSE.search(text)


def _is_label_line(line: _Line) -> bool:
    text = line.text
    return bool(line.words) and not _PROSE.search(text) and not _STOP.search(text)


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def _merge(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    bands: list[list[float]] = []
    for x0, x1 in sorted(intervals):
        if bands and x0 < bands[-1][1] - 0.5:
            bands[-1][1] = max(bands[-1][1], x1)
        else:
            bands.append([x0, x1])
    return [(a, b) for a, b in bands]


def _band_of(word: Word, bands: list[tuple[float, float]]) -> list[int]:
    """The bands a word covers (by overlap); a word between bands goes to the nearest one."""
    hit = [k for k, (b0, b1) in enumerate(bands) if _overlap(word.x0, word.x1, b0, b1) > 0.5]
    if hit:
        return hit
    mid = (word.x0 + word.x1) / 2
    return [min(range(len(bands)), key=lambda k: min(abs(mid - bands[k][0]), abs(mid - bands[k][1])))]


def _regions(lines: list[_Line]) -> list[tuple[int, int, int]]:
    """(header start, body start, end) index ranges over `lines`: runs of body rows with the label lines wrapped
    between them, and the header lines right above."""
    rows = [_is_row(ln.words) for ln in lines]
    out = []
    i = 0
    while i < len(lines):
        if not rows[i]:
            i += 1
            continue
        start = end = i
        j = i + 1
        while j < len(lines):
            if rows[j]:
                end = j
                j += 1
                continue
            k = j
            while k < len(lines) and not rows[k] and k - j < MAX_WRAPPED and _is_label_line(lines[k]):
                k += 1
            if k < len(lines) and rows[k] and k > j:
                j = k
                continue
            break
        # a label line right under the last row (its wrapped name) stays with the table
        while end + 1 < len(lines) and not rows[end + 1] and _wraps(lines[end], lines[end + 1]):
            end += 1
        head = start
        while head > 0 and start - head < MAX_HEADER_LINES and _is_label_line(lines[head - 1]) \
                and _close(lines[head - 1], lines[head]):
            head -= 1
        out.append((head, start, end + 1))
        i = end + 1
    return out


def _close(upper: _Line, lower: _Line) -> bool:
    height = max(upper.bottom - upper.top, lower.bottom - lower.top, 1.0)
    return lower.top - upper.bottom < 1.5 * height


def _wraps(row: _Line, nxt: _Line) -> bool:
    height = max(row.bottom - row.top, 1.0)
    return _is_label_line(nxt) and nxt.top - row.bottom < 0.6 * height and not any(_is_number(w.text) for w in nxt.words)


def _bands(header: list[_Line], body: list[_Line]) -> list[tuple[float, float]]:
    bands = _merge([(w.x0, w.x1) for ln in body for w in ln.words])
    extra = [(w.x0, w.x1) for ln in header for w in ln.words
             if not any(_overlap(w.x0, w.x1, b0, b1) > 0.5 for b0, b1 in bands)]
    return sorted(bands + _merge(extra)) if extra else bands


def _header_rows(header: list[_Line], bands: list[tuple[float, float]]) -> list[list[str | None]]:
    """Each header line as a row of cells: a label over several columns sits in the first, the others None (a
    horizontal span, as a ruled table's merged cell reads)."""
    rows = []
    for ln in header:
        cells: list[str | None] = [""] * len(bands)
        for w in ln.words:
            hit = [k for k, (b0, b1) in enumerate(bands) if _overlap(w.x0, w.x1, b0, b1) > 0.5]
            if not hit:
                hit = _band_of(w, bands)
            first = hit[0]
            cells[first] = (cells[first] or "") + w.text
            for k in hit[1:]:
                if cells[k] == "":
                    cells[k] = None
        rows.append(cells)
    return rows


def _body_rows(body: list[_Line], bands: list[tuple[float, float]]) -> list[list[str | None]]:
    """Rows of cells: each line of amounts is a row; a label line (a wrapped cell) joins the row line nearest it."""
    anchors = [k for k, ln in enumerate(body) if _is_row(ln.words)]
    owner: dict[int, int] = {}
    for k, ln in enumerate(body):
        if k in anchors:
            owner[k] = k
            continue
        # the row above or below; one with the label's cells still blank is the one whose label wrapped
        around = [a for a in (max((a for a in anchors if a < k), default=None),
                              min((a for a in anchors if a > k), default=None)) if a is not None]
        free = [a for a in around if not _clash(body[a], ln, bands)]
        if not free and _ORDINAL.match(ln.text):
            owner[k] = k  # a row of its own that prints no amount (三、事业单位经营收入)
            anchors = sorted([*anchors, k])
            continue
        mid = (ln.top + ln.bottom) / 2
        owner[k] = min(free or around, key=lambda a: (any(_CJK.search(w.text) for w in body[a].words),
                                                      abs((body[a].top + body[a].bottom) / 2 - mid), a > k))
    rows: dict[int, list[list[str]]] = {a: [[] for _ in bands] for a in anchors}
    for k in sorted(range(len(body)), key=lambda k: body[k].top):
        for w in body[k].words:
            rows[owner[k]][_band_of(w, bands)[0]].append(w.text)
    return [[" ".join(parts) if parts and all(_is_number(p) for p in parts) else "".join(parts)
             for parts in rows[a]] for a in anchors]


def _clash(row: _Line, label: _Line, bands: list[tuple[float, float]]) -> bool:
    """Does the label line put a word in a column where the row already prints a label?"""
    filled = {_band_of(w, bands)[0] for w in row.words if not _is_number(w.text)}
    return any(_band_of(w, bands)[0] in filled for w in label.words)


def _fits(body: list[_Line], bands: list[tuple[float, float]]) -> bool:
    """Do the lines sit in these columns: every word inside exactly one, no two words of a line in the same?"""
    if not bands:
        return False
    for ln in body:
        seen: set[int] = set()
        for w in ln.words:
            hit = [k for k, (b0, b1) in enumerate(bands) if _overlap(w.x0, w.x1, b0, b1) > 0.5]
            if len(hit) != 1 or hit[0] in seen:
                return False
            seen.add(hit[0])
    return True


def _by_count(body: list[_Line], carry: Carry) -> list[list[str | None]] | None:
    """A continuation set at other positions (a page's table laid out anew) whose every line prints its label and
    then one amount for each amount column of the table above — a 合计 row alone on the last page: its amounts
    are those columns' in order. Any other count is not read this way."""
    n = len(carry.amount_bands)
    rows = []
    for ln in body:
        numbers = [w.text for w in ln.words if _is_number(w.text)]
        labels = [w.text for w in ln.words if not _is_number(w.text)]
        if len(numbers) != n or not labels:
            return None
        if any(_is_number(w.text) for w in ln.words[: len(labels)]):
            return None  # a number among the labels (a code): its column is not known
        cells: list[str | None] = [""] * len(carry.bands)
        cells[0] = "".join(labels)
        for k, text in zip(carry.amount_bands, numbers, strict=True):
            cells[k] = text
        rows.append(cells)
    return rows


def grids(lines: list[dict], page: int, carry: Carry) -> tuple[list[tuple[float, Grid]], set[int]]:
    """The borderless tables among a page's text lines (pdfplumber's, with their chars): each (top, Grid), and the
    indices of the lines they consumed. `carry` holds the last table's columns from one page to the next."""
    if not any(_might_be_row(ln["text"]) for ln in lines):
        return [], set()  # most pages: prose, or tables found by their ruling
    page_lines = [_Line(i, ln["top"], ln["bottom"], words_of(ln["chars"])) for i, ln in enumerate(lines)]
    page_lines = [ln for ln in page_lines if ln.words]
    out: list[tuple[float, Grid]] = []
    used: set[int] = set()
    for n, (head, start, end) in enumerate(_regions(page_lines)):
        header, body = page_lines[head:start], page_lines[start:end]
        follows = n == 0 and not header and carry.page == page - 1
        continued = follows and _fits(body, carry.bands)
        if follows and not continued and (counted := _by_count(body, carry)) is not None:
            out.append((page_lines[head].top, Grid(rows=counted, page=page)))
            used.update(ln.index for ln in body)
            carry.page = page
            continue
        single = bool(header) and sum(1 for w in body[0].words if _is_number(w.text)) >= 2  # “三公”经费: one row
        if sum(1 for ln in body if _is_row(ln.words)) < 2 and not (continued or single):
            continue
        bands = carry.bands if continued else _bands(header, body)
        if len(bands) < 2:
            continue
        rows = _header_rows(header, bands) + _body_rows(body, bands)
        out.append((page_lines[head].top, Grid(rows=rows, page=page)))
        used.update(ln.index for ln in page_lines[head:end])
        carry.bands, carry.page = bands, page
        # the amount columns are right of the last column holding a label (codes are numbers too)
        labels = max((_band_of(w, bands)[0] for ln in body for w in ln.words if not _is_number(w.text)), default=-1)
        carry.amount_bands = sorted({k for ln in body for w in ln.words if _is_number(w.text)
                                     and (k := _band_of(w, bands)[0]) > labels})
    return out, used
