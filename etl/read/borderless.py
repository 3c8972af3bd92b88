"""Tables printed without ruling lines, read back as grids from where their words sit on the page.

pdfplumber's table finder needs ruling lines; a borderless print's rows come out as text lines whose words are
joined by one space however wide the gap between them, so the column an amount stands in is lost — and with it
whether 2,120,950 is 人员经费 or 公用经费. The words' x positions still say it. The columns are the horizontal
bands the body's words occupy (a column's words overlap one another, words of two columns never do); a column no
body row fills is added where the header prints its label; every line's words drop into their bands. The result is
a Grid like a ruled table's, so segmenting, the header's labels, split 类/款/项 codes and the parsers treat both
prints alike, and the table's own arithmetic later confirms the reading (etl.pipeline.verify_tables).

A header label beside a column (centred or left-aligned over right-aligned figures) names the free column next to
it, labels and columns matched in print order; lines closer than a row's spacing are one cell's lines (a label
wrapped around its figures, a heading wrapped in its cell); a numbered item that prints no amount is a row. A table
going on over a page break without repeating its header takes the bands of the table above it, so the continuation
has the same columns (a lone 合计 row laid out anew is read by its count of amounts only when it prints one for
every amount column). Nothing is guessed: a line is a table row only where it prints amounts and no sentence
punctuation, and a region needs two such rows, or one under a header (the “三公” table), or a continuation whose
words all fall in the carried bands; what the reading gets wrong fails the table's own arithmetic and is marked.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from etl.read.amounts import is_printed_amount
from etl.read.layout import Grid

_PROSE = re.compile(r"[。，；！？]")  # not 、: table rows number their items (一、 1、)
_CJK = re.compile(r"[\u3400-\u9fff]")
_LEADER = re.compile(r"…|\.{3}|·{3}|—{2}")  # a contents line's leader to its page number
_TOTAL = re.compile(r"^(?:合计|总计|.{0,8}总计)$")  # a table's last row: nothing goes on after it
_ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|\d+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{3,7}\b)")
_STOP = re.compile(r"单位[:：]|表$|^\s*注")  # a caption, its 单位 line or a note: above the header, not in it
MAX_HEADER_LINES = 6
MAX_WRAPPED = 12  # label lines between two rows of amounts (wrapped cells, items printing no amount)


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
    ended: bool = False  # its last row was its total: nothing on the next page goes on with it


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


def _is_row(words: list[Word]) -> bool:
    """A line of a table body: it ends in a number and prints two numbers, or a label and then a number; never a
    sentence (prose punctuation)."""
    if not words or not is_printed_amount(words[-1].text):
        return False
    text = " ".join(w.text for w in words)
    if _PROSE.search(text) or "：" in text or ":" in text or _LEADER.search(text):
        return False
    numbers = sum(1 for w in words if is_printed_amount(w.text))
    return numbers >= 2 or any(_CJK.search(w.text) for w in words[:-1])


def _might_be_row(text: str) -> bool:
    """The cheap test on a line's text before its words are measured: it ends in a number, no sentence."""
    parts = text.split()
    return len(parts) >= 2 and is_printed_amount(parts[-1]) and not _PROSE.search(text)


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


def _hits(word: Word, bands: list[tuple[float, float]] | list[list[float]]) -> list[int]:
    """The bands a word stands over (by more than half a point)."""
    return [k for k, (b0, b1) in enumerate(bands) if _overlap(word.x0, word.x1, b0, b1) > 0.5]


def _band_of(word: Word, bands: list[tuple[float, float]]) -> list[int]:
    """The bands a word covers (by overlap); a word between bands goes to the nearest one."""
    hit = _hits(word, bands)
    if hit:
        return hit
    mid = (word.x0 + word.x1) / 2
    return [min(range(len(bands)), key=lambda k: min(abs(mid - bands[k][0]), abs(mid - bands[k][1])))]


def _regions(lines: list[_Line]) -> list[tuple[int, int, int]]:
    """(header start, body start, end) index ranges over `lines`: runs of body rows — lines of amounts, and numbered
    items that print none (三、事业单位经营收入) — with the label lines wrapped between them, and the header lines
    right above. A region holds at least one line of amounts."""
    rows = [_is_row(ln.words) for ln in lines]
    items = [not rows[k] and _is_label_line(ln) and bool(_ORDINAL.match(ln.text)) for k, ln in enumerate(lines)]
    out = []
    i = 0
    while i < len(lines):
        if not rows[i] or (i == 0 and len(lines) > 1 and not _close(lines[0], lines[1])):
            i += 1  # not a row — or the page's first line standing apart (a running header with its page number)
            continue
        start = end = i
        # numbered items above the first row, with the wrapped ends of their labels (十四、资源勘探工业信息等 / 支出)
        floor = out[-1][2] if out else 0  # never reach back into the region above
        while start > floor and _close(lines[start - 1], lines[start]) and (
                items[start - 1] or (start > 1 and items[start - 2] and len(lines[start - 1].words) == 1
                                     and _is_label_line(lines[start - 1]) and _close(lines[start - 2], lines[start - 1]))):
            start -= 1
        j = i + 1
        while j < len(lines):
            if rows[j] or (items[j] and _close(lines[j - 1], lines[j])):
                end = j
                j += 1
                continue
            k = j
            while k < len(lines) and not rows[k] and not items[k] and k - j < MAX_WRAPPED \
                    and _is_label_line(lines[k]):
                k += 1
            if k < len(lines) and (rows[k] or items[k]) and k > j:
                j = k
                continue
            break
        # a label line overlapping the first row's height is that row's label wrapped around its figures
        while start > floor and _is_label_line(lines[start - 1]) and lines[start].top < lines[start - 1].bottom:
            start -= 1
        # a label line right under the last row (its wrapped name) stays with the table
        while end + 1 < len(lines) and not rows[end + 1] and not items[end + 1] and _wraps(lines[end], lines[end + 1]):
            end += 1
        head = start
        while head > floor and start - head < MAX_HEADER_LINES and _is_label_line(lines[head - 1]) \
                and not any(is_printed_amount(w.text) for w in lines[head - 1].words) \
                and not items[head - 1] and _close(lines[head - 1], lines[head]):
            head -= 1
        out.append((head, start, end + 1))
        i = end + 1
    return out


def _close(upper: _Line, lower: _Line) -> bool:
    height = max(upper.bottom - upper.top, lower.bottom - lower.top, 1.0)
    return lower.top - upper.bottom < 1.5 * height


def _wraps(row: _Line, nxt: _Line) -> bool:
    height = max(row.bottom - row.top, 1.0)
    return _is_label_line(nxt) and nxt.top - row.bottom < 0.6 * height and not any(is_printed_amount(w.text) for w in nxt.words)


def _bands(header: list[_Line], body: list[_Line]) -> list[tuple[float, float]] | None:
    """The table's columns: the bands of its body's words, then its header's labels. A label over a band is that
    column's; a label (or a stack of wrapped label lines) beside the bands names a free column next to it — a print
    centres or left-aligns labels over right-aligned figures — labels and columns paired in print order, and is
    otherwise a column of its own that no row fills (事业单位经营收入 with no income). None where two pairings are
    possible."""
    bands = [list(b) for b in _merge([(w.x0, w.x1) for ln in body for w in ln.words])]
    words = [w for ln in header for w in ln.words]
    over = [_hits(w, bands) for w in words]
    claimed = {hit[0] for hit in over if len(hit) == 1}
    # a column reaches as wide as its own label — the lowest over it; a heading above spans more than one column
    lowest: dict[int, Word] = {}
    for w, hit in zip(words, over, strict=True):  # words in header-line order: a later one is lower
        if len(hit) == 1:
            lowest[hit[0]] = w
    for k, w in sorted(lowest.items()):
        wider = [min(bands[k][0], w.x0), max(bands[k][1], w.x1)]
        if not any(_overlap(*wider, *bands[j]) > 0 for j in (k - 1, k + 1) if 0 <= j < len(bands)):
            bands[k] = wider
    over = [_hits(w, bands) for w in words]
    loose = [w for w, hit in zip(words, over, strict=True) if not hit]

    def heading(w: Word) -> bool:  # over two labels side by side (公务用车购置及运行费 over 小计 购置费 运行费)
        under = [u for u in loose if u is not w and _overlap(w.x0, w.x1, u.x0, u.x1) > 0.5]
        return any(_overlap(a.x0, a.x1, b.x0, b.x1) <= 0 for a in under for b in under if a is not b)

    beside = _merge([(w.x0, w.x1) for w in loose if not heading(w)])
    extra: list[tuple[float, float]] = []

    labels = sorted(beside, key=lambda lb: lb[0] + lb[1])
    options = [_neighbours(label, bands, claimed, beside) for label in labels]

    @functools.cache
    def match(i: int, last: int) -> tuple[int, int, tuple[int | None, ...]]:
        """Labels i… named to free columns after band `last`, in print order: (fewest labels left without a column,
        how many matchings leave that few, one of them — each label's band or None)."""
        if i == len(labels):
            return 0, 1, ()
        lone, count, rest = match(i + 1, last)
        found = (lone + 1, count, (None, *rest))
        for k in options[i]:
            if k > last:
                other, n, rest = match(i + 1, k)
                if other < found[0]:
                    found = (other, n, (k, *rest))
                elif other == found[0]:
                    found = (other, found[1] + n, found[2])
        return found

    _, count, matching = match(0, -1)
    if count > 1:
        # two matchings name the columns differently (a left-aligned label beside the figures of the column before
        # it, its own column empty in every row): which column is which is not printed — no grid, never a guess
        return None
    for label, k in zip(labels, matching, strict=True):
        if k is None:
            extra.append(label)
        else:
            bands[k] = [min(bands[k][0], label[0]), max(bands[k][1], label[1])]
    return sorted([(a, b) for a, b in bands] + extra)


def _neighbours(label: tuple[float, float], bands: list[list[float]], claimed: set[int],
                labels: list[tuple[float, float]]) -> list[int]:
    """The free columns a label beside the bands may name: the nearest on its left and on its right, where no
    other label stands between."""
    mid = (label[0] + label[1]) / 2
    left = [k for k in range(len(bands)) if (bands[k][0] + bands[k][1]) / 2 < mid]
    right = [k for k in range(len(bands)) if (bands[k][0] + bands[k][1]) / 2 >= mid]
    return [k for k in (left[-1] if left else None, right[0] if right else None)
            if k is not None and k not in claimed
            and not any(e is not label and min(e[1], max(label[1], bands[k][1])) > max(e[0], min(label[0], bands[k][0]))
                        for e in labels)]


def _header_rows(header: list[_Line], bands: list[tuple[float, float]], tight: float) -> list[list[str | None]]:
    """Each header line as a row of cells. A heading over several columns is printed in each of them (a ruled
    print's merged cell reads the same way: every column under it carries it); a column with no label of its own,
    right of such a heading, is under it too — 科目编码 centred over 类 款 项 reaches neither edge. A label's next
    line in its cell (closer than `tight`) is read with it as one label."""
    rows: list[list[str | None]] = []
    spans: list[set[int]] = []  # per row: the bands a heading of several columns covers, its first one excepted
    # the columns a label piece covers → (row, bottom) of the piece printed lowest over exactly them so far
    last: dict[tuple[int, ...], tuple[int, float]] = {}
    for ln in header:
        cells: list[str | None] = [""] * len(bands)
        spanned: set[int] = set()
        for w in ln.words:
            hit = _band_of(w, bands)
            k = hit[0]
            above = last.get(tuple(hit))
            if above is not None and above[0] < len(rows) and w.top - above[1] < tight and rows[above[0]][k]:
                # the next line of one label wrapped in its cell (一般公共 / 预算财政 / 拨款, 因公出国 / （境）费 over
                # its two columns): read as one label
                for j in hit:
                    rows[above[0]][j] += w.text
                last[tuple(hit)] = (above[0], w.bottom)
                continue
            cells[k] = (cells[k] or "") + w.text
            last[tuple(hit)] = (len(rows), w.bottom)
            for j in hit[1:]:
                if cells[j] == "":
                    cells[j] = w.text
                    spanned.add(j)
        rows.append(cells)
        spans.append(spanned)
    _nest(rows, spans)
    bare = [k for k in range(len(bands)) if all(not row[k] or k in spanned for row, spanned in zip(rows, spans,
                                                                                                strict=True))]
    for row, spanned in zip(rows, spans, strict=True):
        for k in bare:
            if k > 0 and row[k] == "" and (k - 1) in spanned:
                row[k] = row[k - 1]
                spanned.add(k)
    return rows


def _ranges(row: list[str | None], spanned: set[int]) -> list[tuple[int, int]]:
    """The columns each label of a header row stands over: its own column and the spanned ones after it."""
    out: list[tuple[int, int]] = []
    for k, cell in enumerate(row):
        if cell and k not in spanned:
            out.append((k, k))
        elif cell and k in spanned and out and out[-1][1] == k - 1:
            out[-1] = (out[-1][0], k)
    return out


def _nest(rows: list[list[str | None]], spans: list[set[int]]) -> None:
    """A heading stands over whole groups of the columns below it: one printed over part of a group the lower
    headings form (公务用车购置及运行维护费 over half of 小计's 预算数 | 决算数) reaches over all of it — a centred
    heading does not show its span, the groups under it do. Only over cells of its row that print nothing."""
    below: list[tuple[int, int]] = []
    for r in range(len(rows) - 1, -1, -1):
        row, spanned = rows[r], spans[r]
        for a, b in _ranges(row, spanned):
            lo, hi = a, b
            grown = True
            while grown:
                grown = False
                for c, d in below:
                    if (c < lo <= d or c <= hi < d) and all(not row[k] or lo <= k <= hi for k in range(min(c, lo), max(d, hi) + 1)):
                        lo, hi, grown = min(c, lo), max(d, hi), True
            for k in range(lo, hi + 1):
                if not row[k]:
                    row[k] = row[a]
                    spanned.add(k)
            below.append((lo, hi))


def _body_rows(body: list[_Line], bands: list[tuple[float, float]], tight: float) -> list[list[str | None]]:
    """Rows of cells. Lines closer than `tight` are one row's cell lines (a label wrapped in its cell, the figures
    centred between its lines): such a block with one line of amounts is that row; a block with none is a row of
    its own that prints no amount (三、事业单位经营收入, 年末结转和结余); in a block of several rows — packed
    without spacing — a label line joins the row above or below whose label cells it leaves blank, else the
    nearer one (a numbered item stays a row of its own)."""
    blocks: list[list[int]] = []
    for k, ln in enumerate(body):
        if blocks and ln.top - body[blocks[-1][-1]].bottom < tight:
            blocks[-1].append(k)
        else:
            blocks.append([k])
    anchors = [k for k, ln in enumerate(body) if _is_row(ln.words)]
    owner: dict[int, int] = {}
    for block in blocks:
        inside = [k for k in block if k in anchors]
        if len(inside) <= 1:
            head = inside[0] if inside else block[0]
            if not inside:
                anchors = sorted([*anchors, head])
            for k in block:
                # a numbered item or coded row whose cells the row already fills is a row of its own
                alone = k != head and _ORDINAL.match(body[k].text) and _clash(body[head], body[k], bands)
                owner[k] = k if alone else head
                if alone:
                    anchors = sorted([*anchors, k])
            continue
        for k in block:
            if k in anchors:
                owner[k] = k
                continue
            ln = body[k]
            around = [a for a in (max((a for a in inside if a < k), default=None),
                                  min((a for a in inside if a > k), default=None)) if a is not None]
            free = [a for a in around if not _clash(body[a], ln, bands)]
            if not free and _ORDINAL.match(ln.text):
                owner[k] = k
                anchors = sorted([*anchors, k])
                continue
            mid = (ln.top + ln.bottom) / 2
            owner[k] = min(free or around, key=lambda a: (any(_CJK.search(w.text) for w in body[a].words),
                                                          abs((body[a].top + body[a].bottom) / 2 - mid), a > k))
    rows: dict[int, list[list[str]]] = {a: [[] for _ in bands] for a in anchors}
    for k in sorted(range(len(body)), key=lambda k: body[k].top):
        for w in body[k].words:
            rows[owner[k]][_band_of(w, bands)[0]].append(w.text)
    return [[" ".join(parts) if parts and all(is_printed_amount(p) for p in parts) else "".join(parts)
             for parts in rows[a]] for a in anchors]


def _clash(row: _Line, label: _Line, bands: list[tuple[float, float]]) -> bool:
    """Does the label line put a word in a column where the row already prints a label?"""
    filled = {_band_of(w, bands)[0] for w in row.words if not is_printed_amount(w.text)}
    return any(_band_of(w, bands)[0] in filled for w in label.words)


def _fits(body: list[_Line], bands: list[tuple[float, float]]) -> bool:
    """Do the lines sit in these columns: every word inside exactly one, no two words of a line in the same?"""
    if not bands:
        return False
    for ln in body:
        seen: set[int] = set()
        for w in ln.words:
            hit = _hits(w, bands)
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
        numbers = [w.text for w in ln.words if is_printed_amount(w.text)]
        labels = [w.text for w in ln.words if not is_printed_amount(w.text)]
        if len(numbers) != n or not labels or not _is_total(ln):
            return None
        if any(is_printed_amount(w.text) for w in ln.words[: len(labels)]):
            return None  # a number among the labels (a code): its column is not known
        cells: list[str | None] = [""] * len(carry.bands)
        cells[0] = "".join(labels)
        for k, text in zip(carry.amount_bands, numbers, strict=True):
            cells[k] = text
        rows.append(cells)
    return rows


def _tight(body: list[_Line]) -> float:
    """How close two lines of one wrapped label sit: well under the gap between two body rows (a cell's padding
    and ruling separate rows; a cell's own lines only its line spacing)."""
    gaps = sorted(b.top - a.bottom for a, b in zip(body, body[1:], strict=False) if _is_row(a.words) and _is_row(b.words))
    height = max((ln.bottom - ln.top for ln in body), default=10.0)
    return 0.75 * gaps[len(gaps) // 2] if gaps and gaps[len(gaps) // 2] > 0 else 0.27 * height


def _is_total(line: _Line) -> bool:
    """A table's closing row: its first label is 合计 or a …总计."""
    first = next((w.text for w in line.words if not is_printed_amount(w.text)), "")
    return bool(_TOTAL.match(first))


def _contents_like(body: list[_Line]) -> bool:
    """A 目录 whose entries end in page numbers: every line ends in a small whole number, never decreasing, and
    prints no other amount (a year in a heading aside) — not a table."""
    numbers = []
    for ln in body:
        found = [w.text for w in ln.words if is_printed_amount(w.text)]
        if any(not (t.isdigit() and len(t) == 4 and t.startswith("20")) for t in found[:-1]):
            return False
        if found:
            numbers.append(found[-1])
    return bool(numbers) and all(t.isdigit() and len(t) <= 3 for t in numbers) \
        and all(int(a) <= int(b) for a, b in zip(numbers, numbers[1:], strict=False))


def _items_only(lines: list[_Line], carry: Carry) -> tuple[list[list[str | None]], set[int]] | None:
    """The numbered items at the top of a page that goes on with the table above and prints no amount: one row
    each (a single word under an item is its wrapped end), in the carried columns."""
    taken: list[_Line] = []
    for ln in lines:
        if not _is_label_line(ln):
            break
        if _ORDINAL.match(ln.text) or (taken and len(ln.words) == 1 and _close(taken[-1], ln)):
            taken.append(ln)
            continue
        break
    if not any(_ORDINAL.match(ln.text) for ln in taken) or not _fits(taken, carry.bands):
        return None
    rows: list[list[str]] = []
    for ln in taken:
        if not _ORDINAL.match(ln.text) and rows:
            for w in ln.words:
                rows[-1][_band_of(w, carry.bands)[0]] += w.text
            continue
        cells = [""] * len(carry.bands)
        for w in ln.words:
            cells[_band_of(w, carry.bands)[0]] += w.text
        rows.append(cells)
    return [list(r) for r in rows], {ln.index for ln in taken}


def grids(lines: list[dict], page: int, carry: Carry) -> tuple[list[tuple[float, Grid]], set[int]]:
    """The borderless tables among a page's text lines (pdfplumber's, with their chars): each (top, Grid), and the
    indices of the lines they consumed. `carry` holds the last table's columns from one page to the next."""
    going_on = carry.page == page - 1 and not carry.ended
    if not going_on and not any(_might_be_row(ln["text"]) for ln in lines):
        return [], set()  # most pages: prose, or tables found by their ruling
    page_lines = [_Line(i, ln["top"], ln["bottom"], words_of(ln["chars"])) for i, ln in enumerate(lines)]
    page_lines = [ln for ln in page_lines if ln.words]
    out: list[tuple[float, Grid]] = []
    used: set[int] = set()
    if going_on and not any(_is_row(ln.words) for ln in page_lines) \
            and not any(_PROSE.search(ln.text) for ln in page_lines):
        items = _items_only(page_lines, carry)  # a page of a 收支总表 whose items print no amount
        if items is not None:
            out.append((page_lines[0].top, Grid(rows=items[0], page=page)))
            used.update(items[1])
            carry.page = page
        return out, used
    for n, (head, start, end) in enumerate(_regions(page_lines)):
        header, body = page_lines[head:start], page_lines[start:end]
        if n == 0 and header and going_on and all(len(ln.words) == 1 for ln in header) \
                and _fits(header + body, carry.bands):
            header, body = [], header + body  # a label wrapped over the page break, not a heading
        if _contents_like(body):
            continue
        follows = n == 0 and not header and going_on
        # one line alone goes on with the table above only as its total or as a row printing two figures (a
        # running header with its page number flush right fits the columns too)
        continued = follows and _fits(body, carry.bands) and (
            len(body) > 1 or _is_total(body[-1]) or sum(1 for w in body[-1].words if is_printed_amount(w.text)) >= 2)
        if follows and not continued and (counted := _by_count(body, carry)) is not None:
            out.append((page_lines[head].top, Grid(rows=counted, page=page)))
            used.update(ln.index for ln in body)
            carry.page, carry.ended = page, True
            continue
        single = bool(header) and sum(1 for w in body[0].words if is_printed_amount(w.text)) >= 2  # “三公”经费: one row
        if sum(1 for ln in body if _is_row(ln.words)) < 2 and not (continued or single):
            continue
        bands = carry.bands if continued else _bands(header, body)
        if bands is None or len(bands) < 2:
            continue
        tight = _tight(body)
        rows = _header_rows(header, bands, tight) + _body_rows(body, bands, tight)
        out.append((page_lines[head].top, Grid(rows=rows, page=page)))
        used.update(ln.index for ln in page_lines[head:end])
        carry.bands, carry.page = bands, page
        carry.ended = _is_total(next(ln for ln in reversed(body) if _is_row(ln.words)))
        # the amount columns are right of the last column holding a label (codes are numbers too)
        labels = max((_band_of(w, bands)[0] for ln in body for w in ln.words if not is_printed_amount(w.text)), default=-1)
        carry.amount_bands = sorted({k for ln in body for w in ln.words if is_printed_amount(w.text)
                                     and (k := _band_of(w, bands)[0]) > labels})
    return out, used
