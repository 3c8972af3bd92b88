"""问题截图: the page a finding is about, as a picture with the offending words or cells boxed in red.

A district reviewer's 公开情况检查表 asks, for every problem, a screenshot of the page where it sits; the 检查表 writer
and the 数据核对 page show this picture beside each finding. A box must never sit on the wrong words: what cannot be
found for certain is left unboxed and the picture says so (`Picture.located`, `Picture.note`), since a confident red
box on an innocent figure is worse than the bare page.

Three steps, each usable alone:
- `locate` finds the report's file again (the stored upload, the path it was ingested from, or a folder the caller
  names) and proves it by sha256 — a same-named file of another year or edition would box the wrong page.
- `finding_inputs` turns a `checks` row into what to look for: its quote, the sentence it is about, its figures and
  the unit they are printed in.
- `finding_picture` renders one page (pdfplumber) or the quoted lines of a text extraction (Pillow) with the boxes.

Caching is the caller's (st.cache_data, lru_cache): these functions read files and return bytes, nothing more.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb

from dashboard import queries

Box = tuple[float, float, float, float]  # x0, top, x1, bottom

SUFFIXES = (".pdf", ".txt")
RED = (220, 0, 0)
STROKE_PX = 3
PAD_PT = 1.5          # a box stands this far off the glyphs, so its line does not cover them
FEW = 3               # a figure (or quote) seen this often on a page, with nothing to choose among them, is boxed
WRAP_GAP = 120        # the longest stretch an ellipsis (…) in a quote may stand for, in characters
TEXT_WINDOW = 6       # lines shown either side of a match in a text extraction without page marks
FONT_DIRS = ("/usr/share/fonts",)
# the repo's own reports (`make db` ingests data/raw, and the CLI records a file's name only): where the app looks
# for a report's file after its stored upload
RAW_REPORTS = Path(__file__).resolve().parents[2] / "data" / "raw"
FONT_NAMES = ("NotoSansCJK-Regular.ttc", "NotoSerifCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf",
              "NotoSansCJK-Medium.ttc", "NotoSerifCJK-Bold.ttc")
# a quote comes from the parsed text, which may print a punctuation mark in the other width than the PDF does
_EQUIVALENT = {
    "（": "（(", "(": "（(", "）": "）)", ")": "）)", "：": "：:", ":": "：:", "，": "，,", ",": "，,",
    "；": "；;", ";": "；;", "％": "％%", "%": "％%", "．": "．.", "“": "“”\"", "”": "“”\"", "\"": "“”\"",
    "‘": "‘’'", "’": "‘’'", "！": "！!", "!": "！!", "？": "？?", "?": "？?", "—": "—－-", "－": "—－-",
}
# some fonts map 汉字 to look-alike code points (Kangxi radicals ⼈⼤⽀, compatibility ideographs) in the text layer —
# Chromium printing Noto CJK does: a quote's 人 must also match a printed ⼈
_LOOKALIKES: dict[str, str] = {}
for _cp in [*range(0x2E80, 0x2FE0), *range(0xF900, 0xFB00)]:
    _norm = unicodedata.normalize("NFKC", chr(_cp))
    if len(_norm) == 1 and _norm != chr(_cp):
        _LOOKALIKES[_norm] = _LOOKALIKES.get(_norm, "") + chr(_cp)
_PAGE_MARK = re.compile(r"^\s*[-－—]\s*(\d{1,4})\s*[-－—]\s*$")


@dataclass(frozen=True)
class Picture:
    """One finding's picture. `boxes` are what was drawn: PDF points (x0, top, x1, bottom, as pdfplumber measures)
    for a PDF page, pixels of `png` for a text extraction (which has no page geometry). `located` is False when
    nothing could be found for certain — the page is then shown bare and `note` says why."""

    png: bytes
    page: int | None
    boxes: list[Box] = field(default_factory=list)
    located: bool = False
    note: str = ""
    size: tuple[int, int] = (0, 0)


# ---------------------------------------------------------------------------------------------------------- locate

def _sha256(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def _is(path: Path, sha: str, size: int | None = None) -> bool:
    """The file's sha256 is `sha` — or begins with it, where only the report's doc_id (its first 16 digits) is
    known."""
    try:
        if not path.is_file() or (size is not None and path.stat().st_size != size):
            return False
    except OSError:
        return False
    digest = _sha256(path)
    return digest is not None and digest.startswith(sha)


def locate(db_path: str | Path, doc: dict, search: Sequence[Path] = ()) -> Path | None:
    """The report's own file, proven by sha256, or None when it is not at hand.

    Tried in order: the upload the 导入 page stored by content beside the database, the source_file as given
    (absolute, or relative to the working directory — the CLI records what it was given), then .pdf/.txt files under
    the `search` folders, same-named ones first. `doc` is a `documents` row (sha256, source_file, source_kind); a
    `size` key (bytes), where the caller knows it, spares hashing files of another size. A row without sha256 (the
    dashboard's list of reports) is proven by its doc_id, which is the sha256's first 16 digits (etl/pipeline.py).
    """
    from etl.store.uploads import upload_dir_for

    sha = str(doc.get("sha256") or "").lower()
    if not re.fullmatch(r"[0-9a-f]{64}", sha):
        sha = str(doc.get("doc_id") or "").lower()
        if not re.fullmatch(r"[0-9a-f]{16}", sha):
            return None
    size = doc.get("size")
    uploads = upload_dir_for(db_path)
    for suffix in SUFFIXES:
        stored = [uploads / f"{sha[:32]}{suffix}"] if len(sha) == 64 else \
            sorted(uploads.glob(f"{sha}{'[0-9a-f]' * 16}{suffix}")) if uploads.is_dir() else []
        found = next((f for f in stored if _is(f, sha)), None)
        if found is not None:
            return found
    source = str(doc.get("source_file") or "")
    if source and _is(Path(source), sha, size):
        return Path(source)
    name = Path(source.replace("\\", "/")).name if source else ""
    kind = {"pdf": ".pdf", "text": ".txt"}.get(str(doc.get("source_kind") or ""))
    seen: set[Path] = set()
    candidates: list[Path] = []
    for folder in search:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        for f in folder.rglob("*"):
            if f.suffix.lower() in SUFFIXES and (kind is None or f.suffix.lower() == kind) and f not in seen:
                seen.add(f)
                candidates.append(f)
    candidates.sort(key=lambda f: (f.name != name, len(f.parts), str(f)))
    return next((f for f in candidates if _is(f, sha, size)), None)


# ------------------------------------------------------------------------------------------------- what to look for

def figure_forms(amount: Decimal, unit: str = "元") -> list[str]:
    """The ways a report prints `amount` (元) in `unit`: 元 → 312,142.00 / 312142.00 / 312,142 / 312142; 万元 →
    3,121.42 / 3121.42, and a prose figure's shorter forms (6.2, 0). Unsigned: the sign may be printed apart."""
    value = abs(Decimal(amount))
    if unit == "万元":
        value = value / Decimal(10000)
    two = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    forms = [f"{two:,.2f}", f"{two:.2f}"]
    short = format(two.normalize(), "f") if two else "0"
    if "." not in short or unit == "万元":
        forms += [f"{Decimal(short):,}" if "." not in short else _commas(short), short]
    return list(dict.fromkeys(forms))


def _commas(number: str) -> str:
    whole, _, frac = number.partition(".")
    return f"{int(whole):,}" + (f".{frac}" if frac else "")


def _figure_pattern(amount: Decimal, unit: str) -> str:
    alts = "|".join(re.escape(f) for f in sorted(figure_forms(amount, unit), key=len, reverse=True))
    return rf"(?<![\d.,，])(?:{alts})(?![\d]|[.,]\d)"


def _char_class(ch: str) -> str:
    same = _EQUIVALENT.get(ch) or (ch + _LOOKALIKES[ch] if ch in _LOOKALIKES else None)
    return "[" + "".join(re.escape(c) for c in same) + "]" if same else re.escape(ch)


def _words_pattern(words: str) -> str | None:
    """A regex for printed words that tolerates what printing adds: line breaks and spaces between any two
    characters, a punctuation mark in the other width, and an ellipsis (…) standing for words the quote cut."""
    parts = [re.sub(r"\s+", "", p) for p in re.split(r"…+|\.{3,}", words or "")]
    parts = [p for p in parts if p]
    if not parts or sum(len(p) for p in parts) < 2:
        return None
    gap = rf"[\s\S]{{0,{WRAP_GAP}}}?"
    return gap.join(r"\s*".join(_char_class(c) for c in p) for p in parts)


# ------------------------------------------------------------------------------------------------ choosing matches

def _center(b: Box) -> tuple[float, float]:
    return (b[0] + b[2]) / 2, (b[1] + b[3]) / 2


def _inside(b: Box, area: Sequence[Box], tol: float = 1.0) -> bool:
    x, y = _center(b)
    return any(a[0] - tol <= x <= a[2] + tol and a[1] - tol <= y <= a[3] + tol for a in area)


def _same_row(b: Box, rows: Sequence[Box]) -> bool:
    y = _center(b)[1]
    return any(r[1] <= y <= r[3] for r in rows)


def _choose(matches: list[list[Box]], area: Sequence[Box], rows: Sequence[Box]) -> tuple[list[list[Box]], str]:
    """The matches to box. Where the finding's sentence or quote was found (`area`, `rows`), only matches inside it
    or on its rows count: a figure elsewhere on the page is another figure. Otherwise all matches, if few."""
    if not matches:
        return [], "none"
    if area or rows:
        near = [m for m in matches if all(_inside(b, area) or _same_row(b, rows) for b in m)]
        return near, "near" if near else "elsewhere"
    if len(matches) <= FEW:
        return matches, "all" if len(matches) == 1 else "several"
    return [], "many"


# ---------------------------------------------------------------------------------------------------------- picture

def finding_picture(path: Path, page: int | None, *, quote: str | None = None, context: str | None = None,
                    figures: Sequence[Decimal] = (), unit: str = "元", resolution: int = 110) -> Picture:
    """The picture of a finding on `page` (1-based) of the report at `path`, its words or cells boxed in red.

    `quote` — the offending words (checks.quote; an ellipsis stands for a cut); `context` — the sentence the
    finding is about (statements.sentence), which chooses among repeated words and places the figures; `figures` —
    amounts in 元 (checks.expected/actual) looked for as printed in `unit` (the table's 单位, or the sentence's).
    A PDF renders that one page; a text extraction renders the lines of that page (or around the match).
    """
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        return _pdf_picture(path, page, quote, context, figures, unit, resolution)
    return _text_picture(path, page, quote, context, figures, unit, resolution)


def _line_boxes(chars: Iterable[dict]) -> list[Box]:
    """One box per printed line of a match: a quote wrapped over two lines is two boxes, not one over both."""
    lines: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        mid = (c["top"] + c["bottom"]) / 2
        for line in lines:
            if line[0]["top"] - 0.5 <= mid <= line[0]["bottom"] + 0.5:
                line.append(c)
                break
        else:
            lines.append([c])
    return [(min(c["x0"] for c in ln), min(c["top"] for c in ln), max(c["x1"] for c in ln),
             max(c["bottom"] for c in ln)) for ln in lines]


def pdf_search(pg: object, pattern: str | None) -> list[list[Box]]:
    """Matches on the page's text as pdfplumber reads it; failing that, read again with lines 5pt apart joined,
    since forms print their filled-in figures a few points below the words around them (决算 说明: "收入 万元，占
    ；" on one line, "6.2 0.21%" on the next), which splits a sentence the reader sees as one line."""
    if not pattern:
        return []
    for y_tolerance in (3, 5):
        try:
            found = pg.search(pattern, regex=True, return_groups=False,  # type: ignore[attr-defined]
                              y_tolerance=y_tolerance)
        except re.error:
            return []
        matches = [_line_boxes(m["chars"]) for m in found if m.get("chars")]
        if matches:
            return matches
    return []


def pad_box(b: Box, pad: float, limit: Box) -> Box:
    return (max(limit[0], b[0] - pad), max(limit[1], b[1] - pad), min(limit[2], b[2] + pad), min(limit[3], b[3] + pad))


def locate_all(search: object, quote: str | None, context: str | None, figures: Sequence[Decimal],
                unit: str) -> tuple[list[Box], list[str]]:
    """The boxes to draw (unpadded) and notes on what could not be placed, by the one selection rule for PDF
    and text: the sentence first, then the quote within it, then each figure within the sentence or the quote's
    rows. `search(pattern)` returns the matches, each a list of line boxes."""
    notes: list[str] = []
    ctx_matches = search(_words_pattern(context)) if context else []  # type: ignore[operator]
    ctx = ctx_matches[0] if len(ctx_matches) == 1 else []
    quote_boxes: list[Box] = []
    if quote:
        chosen, how = _choose(search(_words_pattern(quote)), ctx, [])  # type: ignore[operator]
        if how == "elsewhere":  # the quote lies outside the sentence found: trust the quote, if it is not common
            chosen, how = _choose(search(_words_pattern(quote)), [], [])  # type: ignore[operator]
        quote_boxes = [b for m in chosen for b in m]
        if how == "several":
            notes.append(f"所述文字在本页出现{len(chosen)}处，均已框出")
        elif how == "many":
            notes.append("所述文字在本页多处出现，无法确定位置，未框出")
        elif not chosen:
            notes.append("未在本页找到所述文字")
    figure_boxes: list[Box] = []
    for amount in figures:
        if amount is None:
            continue
        chosen, how = _choose(search(_figure_pattern(Decimal(amount), unit)), ctx, quote_boxes)  # type: ignore
        if how == "many":
            notes.append(f"金额{figure_forms(Decimal(amount), unit)[0]}在本页多处出现，无法确定位置，未框出")
        elif how == "several":
            notes.append(f"金额{figure_forms(Decimal(amount), unit)[0]}在本页出现{len(chosen)}处，均已框出")
        figure_boxes += [b for m in chosen for b in m if not _inside(b, quote_boxes, tol=0.5)]
    boxes = quote_boxes + figure_boxes
    if not boxes and ctx:
        boxes = list(ctx)
        notes.append("框出的是所述句子")
    return list(dict.fromkeys(boxes)), notes


class PdfPages:
    """A report's PDF opened once, each page read (its printed characters) and rendered once: a 数据核对 picture
    draws one finding, a 检查表 every finding of the report — often several on one page — through the same pages."""

    def __init__(self, path: Path, resolution: int) -> None:
        import pdfplumber

        self.pdf = pdfplumber.open(path)
        self.resolution = resolution
        self.pages: dict[int, tuple[object, object, object]] = {}

    def __enter__(self) -> PdfPages:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self.pdf.close()
        self.pages.clear()

    def _page(self, n: int) -> tuple[object, object, object]:
        if n not in self.pages:
            pg = self.pdf.pages[n - 1]
            bx0, btop, bx1, bbottom = pg.bbox

            def printed(obj: dict) -> bool:
                # text outside the page box is carried by the file but never printed: never box it
                return obj.get("object_type") != "char" or (
                    obj["x0"] >= bx0 - 1 and obj["x1"] <= bx1 + 1 and obj["top"] >= btop - 1
                    and obj["bottom"] <= bbottom + 1)

            self.pages[n] = (pg, pg.filter(printed).dedupe_chars(), pg.to_image(resolution=self.resolution))
        return self.pages[n]

    def draw(self, page: int | None, quote: str | None, context: str | None, figures: Sequence[Decimal],
             unit: str) -> tuple[object, int, list[Box], list[str]]:
        """(image with the finding's boxes in red, page shown, boxes drawn in points, notes) — the page asked for, or
        page 1 with a note where the report has no such page."""
        n = page if page and 1 <= page <= len(self.pdf.pages) else 1
        pg, visible, im = self._page(n)
        boxes, notes = locate_all(lambda pat: pdf_search(visible, pat), quote, context, figures, unit)
        drawn = [pad_box(b, PAD_PT, pg.bbox) for b in boxes]  # type: ignore[attr-defined]
        im.reset()  # type: ignore[attr-defined]  # the page's rendering is kept; each finding draws on a clean copy
        for b in drawn:
            im.draw_rect(b, fill=(0, 0, 0, 0), stroke=RED, stroke_width=STROKE_PX)  # type: ignore[attr-defined]
        img = im.annotated.convert("RGB")  # type: ignore[attr-defined]
        if page != n:
            notes.insert(0, f"报告没有第{page}页，显示第1页" if page else "检查结果没有页码，显示第1页")
        return img, n, drawn, notes


def _pdf_picture(path: Path, page: int | None, quote: str | None, context: str | None,
                 figures: Sequence[Decimal], unit: str, resolution: int) -> Picture:
    with PdfPages(path, resolution) as pages:
        img, n, drawn, notes = pages.draw(page, quote, context, figures, unit)
    return _picture(img, n, drawn, notes)


def _picture(img: object, page: int | None, boxes: list[Box], notes: list[str]) -> Picture:
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)  # type: ignore[attr-defined]
    located = bool(boxes)
    if not located:
        notes = notes + ["未能定位到问题所在，显示整页，未加框"]
    return Picture(png=buf.getvalue(), page=page, boxes=boxes, located=located, note="；".join(notes),
                   size=img.size)  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------------------------- text extraction

def cjk_font_path() -> Path | None:
    """A Noto CJK font (fonts-noto-cjk): Pillow's default font has no 汉字 and would draw boxes for every one."""
    for folder in FONT_DIRS:
        root = Path(folder)
        if not root.is_dir():
            continue
        for name in FONT_NAMES:
            hit = next(iter(sorted(root.rglob(name))), None)
            if hit:
                return hit
    return None


def _text_lines(path: Path) -> list[tuple[str, int | None]]:
    """The file's printed lines with their page (a line lies on page N between the marks -N-1- and -N-), blank
    lines and the marks themselves dropped — as etl/read/text.py reads it, so a check's page finds its lines."""
    from etl.read.text import decode

    raw = decode(path.read_bytes())
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    marks = [(i, int(m.group(1))) for i, s in enumerate(lines) if (m := _PAGE_MARK.match(s))]
    pages: list[int | None] = [None] * len(lines)
    prev_i, prev_no = -1, None
    for i, no in marks:
        if prev_no is not None and no == prev_no + 1:
            pages[prev_i + 1:i] = [no] * (i - prev_i - 1)
        prev_i, prev_no = i, no
    return [(s.rstrip().expandtabs(4), pages[i]) for i, s in enumerate(lines) if s.strip() and not _PAGE_MARK.match(s)]


def _text_search(lines: list[str], pattern: str | None) -> list[list[Box]]:
    """Matches in the lines as one text; each match is a box per line in character cells (col0, line, col1,
    line + 1), converted to pixels once the picture's layout is known."""
    if not pattern:
        return []
    joined = "\n".join(lines)
    starts = [0]
    for s in lines:
        starts.append(starts[-1] + len(s) + 1)
    out = []
    for m in re.finditer(pattern, joined):
        a, b = m.span()
        if a == b:
            continue
        boxes: list[Box] = []
        for li, s in enumerate(lines):
            lo, hi = max(a, starts[li]), min(b, starts[li] + len(s))
            if lo < hi:
                seg = s[lo - starts[li]:hi - starts[li]]
                lead = len(seg) - len(seg.lstrip())
                tail = len(seg) - len(seg.rstrip())
                boxes.append((lo - starts[li] + lead, li, hi - starts[li] - tail, li + 1))
        out.append(boxes)
    return out


def _text_picture(path: Path, page: int | None, quote: str | None, context: str | None,
                  figures: Sequence[Decimal], unit: str, resolution: int) -> Picture:
    from PIL import Image, ImageDraw, ImageFont

    numbered = _text_lines(path)
    on_page = [i for i, (_, p) in enumerate(numbered) if page is not None and p == page]
    scope = range(on_page[0], on_page[-1] + 1) if on_page else range(len(numbered))
    lines = [numbered[i][0] for i in scope]
    cells, notes = locate_all(lambda pat: _text_search(lines, pat), quote, context, figures, unit)
    if on_page:
        lo, hi = 0, len(lines)
    elif cells:
        first, last = int(min(b[1] for b in cells)), int(max(b[3] for b in cells))
        lo, hi = max(0, first - TEXT_WINDOW), min(len(lines), last + TEXT_WINDOW)
    else:
        lo, hi = 0, min(len(lines), 2 * TEXT_WINDOW + 1)
    shown_page = numbered[scope[lo]][1] if lines else page

    size = max(12, round(15 * resolution / 72))
    font_path = cjk_font_path()
    font = ImageFont.truetype(str(font_path), size) if font_path else ImageFont.load_default()
    title_font = ImageFont.truetype(str(font_path), round(size * 1.1)) if font_path else font
    margin, step = size, round(size * 1.6)
    title = f"{path.name} 第{shown_page}页" if shown_page else f"{path.name}（文本，无页码）"
    body_top = margin + round(size * 2.4)
    width = int(max([font.getlength(s) for s in lines[lo:hi]] + [title_font.getlength(title)])) + 2 * margin
    height = body_top + (hi - lo) * step + margin
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    draw.text((margin, margin), title, font=title_font, fill=(0, 0, 0))
    draw.line((margin, body_top - round(size * 0.6), width - margin, body_top - round(size * 0.6)),
              fill=(160, 160, 160), width=1)
    for k, s in enumerate(lines[lo:hi]):
        draw.text((margin, body_top + k * step), s, font=font, fill=(0, 0, 0))
    boxes: list[Box] = []
    for c0, li, c1, _ in cells:
        li = int(li)
        if not lo <= li < hi:
            continue
        s = lines[li]
        y = body_top + (li - lo) * step
        x0 = margin + font.getlength(s[:int(c0)])
        x1 = margin + font.getlength(s[:int(c1)])
        box = (x0 - 3, y - round(size * 0.2), x1 + 3, y + round(size * 1.35))
        draw.rectangle(box, outline=RED, width=STROKE_PX)
        boxes.append(box)
    if len(boxes) < len(cells):
        notes.append("部分位置不在所示行内")
    return _picture(img, shown_page, boxes, notes)


# ------------------------------------------------------------------------------------------------ from a check row

# a cross-report check names its relation, not the fact it read: the sentence is that fact's (etl/checks/cross.py)
_CROSS_FACTS = {"prior_gp": "gp_current", "prior_executed": "item_prior_executed"}


def finding_inputs(con: duckdb.DuckDBPyConnection, check: dict) -> dict:
    """What `finding_picture` should look for, for one `checks` row: page, quote, context, figures, unit.

    A word or figure finding about a sentence names it in its check_id (…:s27 a statement; facts:<key>:<code>:…
    a fact, whose sentence the facts table keeps); a note finding is about the table's printed 注; a heading
    finding names the wrong words last in its check_id. Figures are expected/actual in 元, printed in the
    sentence's unit for a finding about words, in the table's 单位 for a finding about a table.
    """
    doc_id, cid = check["doc_id"], str(check.get("check_id") or "")
    page, quote = check.get("page"), check.get("quote")
    context, unit = None, None
    parts = cid.split(":")
    if (m := re.search(r":(s\d+)$", cid)) is not None:
        row = queries.statement_sentence(con, doc_id, m.group(1))
        if row:
            context, unit = row[0], row[1]
    elif parts[0] in ("facts", "final_facts", "cross") and len(parts) >= 3:
        key = _CROSS_FACTS.get(parts[1], parts[1]) if parts[0] == "cross" else parts[1]
        code = parts[2] if len(parts) >= 4 and re.fullmatch(r"\d+", parts[2]) else None  # …:<code>:<n>
        rows = queries.fact_sentences(con, doc_id, key, page, code)
        if len(rows) == 1:
            context, unit = rows[0]
    elif str(check.get("rule") or "").startswith("notes.") and not quote:
        quote = queries.table_note(con, doc_id, check.get("table_kind"))
    elif parts[0] == "final_words" and len(parts) >= 4 and not quote:
        quote = parts[-1]
    figures = [Decimal(v) for v in (check.get("expected"), check.get("actual")) if v is not None]
    if unit not in ("元", "万元"):
        about_table = check.get("section") == "table"
        printed = queries.table_unit(con, doc_id, check["table_kind"], page) if about_table and check.get("table_kind") \
            else None
        unit = (printed if printed in ("元", "万元") else None) or (
            "元" if about_table else "万元")
    return {"page": page, "quote": quote, "context": context, "figures": figures, "unit": unit}
