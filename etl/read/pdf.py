"""PDF → Source: each page's ruled tables as grids and the text outside them as lines, in reading order."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from etl.read import borderless
from etl.read.errors import RefusedInput
from etl.read.layout import Block, Grid, Line, Source

MAX_PAGES = 1000  # the largest 部门预算 seen runs to a few hundred pages
_BOM = b"\xef\xbb\xbf"
_PDF_WHITESPACE = b"\x00\t\n\x0c\r "  # the white-space characters of the PDF format (ISO 32000, 7.2.2)
# What the PDF libraries raise for a file they cannot read — the file's fault, refused with one line. pdfplumber
# wraps whatever pdfminer raises while opening the document, listing its pages and interpreting a page in
# PdfminerException, and raises MalformedPDFException for a nonsensical page box; pdfminer's own errors (all
# PSException: PSEOF, PSSyntaxError, PDFSyntaxError, PDFNoValidXRef, PDFEncryptionError, PDFFontError …) come
# through unwrapped where pdfplumber resolves objects itself (a page's boxes). Anything else raised while reading
# is a bug — ours or a library's — and is not dressed up as a damaged file (etl.store.ingest logs it).
UNREADABLE = (PdfminerException, MalformedPDFException, PSException)
# Listing the pages runs no code of ours: pdfplumber builds each page from its dictionary, and a page whose MediaBox
# is missing or not four numbers (found by corrupting sample reports byte by byte) fails there with a plain
# TypeError/ValueError from pdfplumber's box arithmetic — the file's fault too, so only there these are caught.
_BAD_PAGE_DICT = (*UNREADABLE, TypeError, ValueError)


def starts_as_pdf(head: bytes) -> bool:
    """A PDF starts with %PDF-, after at most a byte-order mark and the format's white space. Looking for %PDF
    anywhere in the first kilobyte (as lenient readers do) would take a zip or other container that merely stores
    a PDF for the PDF itself."""
    if head.startswith(_BOM):
        head = head[len(_BOM):]
    return head.lstrip(_PDF_WHITESPACE).startswith(b"%PDF-")

# Some PDF printers map CJK glyphs to the Kangxi/CJK radical code points (⽀ U+2F40 for 支, ⻔ for 门): the same
# character to a reader, a different one to every title pattern. Only those blocks are folded (NFKC of the whole
# text would also turn the full-width （）：， the templates print into ASCII).
_RADICALS = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in (*range(0x2E80, 0x2EF4), *range(0x2F00, 0x2FD6))
             if unicodedata.normalize("NFKC", chr(cp)) != chr(cp)}
# the simplified-form radicals NFKC leaves alone (⻔ for 门 in 部门)
_SIMPLIFIED = "⻔门⻓长⻛风⻋车⻅见⻆角⻉贝⻢马⻜飞⻝食⻩黄⻚页⻘青⻥鱼⻮齿⻰龙⻳龟⻙韦⻄西⺁厂⺇几⺌小⺓幺⺮竹⺼月⻊足⻣骨⻦鸟⻨麦⻬齐⻧卤⻪黾⺠民"
_RADICALS.update({ord(_SIMPLIFIED[i]): _SIMPLIFIED[i + 1] for i in range(0, len(_SIMPLIFIED), 2)})


def _fold(text: str | None) -> str | None:
    return text.translate(_RADICALS) if text else text


def _is_encrypted(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(exc).lower():
            return True
        for arg in getattr(exc, "args", ()):
            if isinstance(arg, BaseException) and _is_encrypted(arg):
                return True
        exc = exc.__cause__ or exc.__context__
    return False


def _inside(top: float, bottom: float, boxes: list[tuple[float, float, float, float]]) -> bool:
    mid = (top + bottom) / 2
    return any(b[1] - 1 <= mid <= b[3] + 1 for b in boxes)


def _on_page(line: dict, bbox: tuple[float, float, float, float]) -> bool:
    """Is the line printed? A PDF's text layer may hold text placed outside the page box (上海 普陀区财政局 2025:
    page 8 carries the whole of page 7's 编制说明 above its top edge), which no reader of the printed page sees and
    which would be read twice; a line whose middle lies outside the page box is not part of the report."""
    x0, top, x1, bottom = bbox
    mid_y = (line["top"] + line["bottom"]) / 2
    mid_x = (min(c["x0"] for c in line["chars"]) + max(c["x1"] for c in line["chars"])) / 2 if line["chars"] else x0
    return top <= mid_y <= bottom and x0 <= mid_x <= x1


def _overlap(a: dict, b: dict) -> float:
    """How much of the shorter line's height the two lines share."""
    shared = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return shared / max(min(a["bottom"] - a["top"], b["bottom"] - b["top"]), 0.1)


def _collide(a: dict, b: dict) -> bool:
    return any(ca["x0"] < cb["x1"] - 1 and cb["x0"] < ca["x1"] - 1 for ca in a["chars"] for cb in b["chars"])


def _merge_lines(lines: list[dict]) -> list[dict]:
    """One printed line set in two fonts (上海 决算: the figures in Times a few points below the 仿宋 text) comes
    out of pdfplumber as two lines, the text with gaps and the figures alone. Lines that share most of their
    height and whose characters sit in each other's gaps are one line: re-joined by x position."""
    out: list[dict] = []
    for tl in sorted(lines, key=lambda t: t["top"]):
        prev = out[-1] if out else None
        if prev is not None and _overlap(prev, tl) >= 0.5 and not _collide(prev, tl):
            chars = sorted(prev["chars"] + tl["chars"], key=lambda c: c["x0"])
            text = ""
            for k, c in enumerate(chars):
                if k and c["x0"] - chars[k - 1]["x1"] > 3 and not text.endswith(" "):
                    text += " "
                text += c["text"]
            out[-1] = {"text": text, "top": min(prev["top"], tl["top"]), "bottom": max(prev["bottom"], tl["bottom"]),
                       "chars": chars}
        else:
            out.append(tl)
    return out


def _page_content(page: pdfplumber.page.Page) -> tuple[list[tuple[tuple, list[list[str | None]]]], list[dict]]:
    """The library's part of reading a page — its ruled tables (box, cells) and its text lines with their
    characters — kept apart from our own handling of them, so only the library's errors mean "this page cannot be
    read"."""
    tables = [(t.bbox, t.extract()) for t in page.find_tables()]
    return tables, page.extract_text_lines(return_chars=True)


def read_pdf(path: Path, progress: Callable[[int, int], None] | None = None) -> Source:
    """Read every page once: find_tables gives the grids, extract_text_lines the prose and captions."""
    head = path.read_bytes()[:1024]
    if not starts_as_pdf(head):
        raise RefusedInput("不是PDF文件（文件开头不是 %PDF-）")
    try:
        pdf = pdfplumber.open(path)
    except UNREADABLE as exc:  # the document cannot be parsed (or decrypted): the file's fault
        if _is_encrypted(exc):
            raise RefusedInput("PDF已加密，无法读取") from exc
        raise RefusedInput(f"PDF文件已损坏或无法解析：{_name(exc)}") from exc
    try:
        return _read_pages(pdf, progress)
    finally:
        _close(pdf)


def _close(pdf: pdfplumber.PDF) -> None:
    """Close the document even when its page tree is broken: pdfplumber's close() walks the pages again and fails
    the same way (which would replace the file's one-line refusal with the library's error); the file handle is
    what must go."""
    try:
        pdf.close()
    except _BAD_PAGE_DICT:
        pdf.stream.close()


def _read_pages(pdf: pdfplumber.PDF, progress: Callable[[int, int], None] | None) -> Source:
    """Each page's library reading, guarded as the file's fault, then our placing of its tables and lines."""
    blocks: list[Block] = []
    chars = 0
    carry = borderless.Carry()
    try:
        pages = list(pdf.pages)
    except _BAD_PAGE_DICT as exc:  # the page tree or a page's dictionary is broken: the file's fault
        raise RefusedInput(f"PDF文件已损坏或无法解析：{_name(exc)}") from exc
    if len(pages) > MAX_PAGES:
        raise RefusedInput(f"PDF有{len(pages)}页，超过{MAX_PAGES}页上限，不像一份预算公开报告")
    for number, page in enumerate(pages, start=1):
        try:
            grids, text_lines = _page_content(page)
        except UNREADABLE as exc:  # this page's content cannot be interpreted: the file's fault
            raise RefusedInput(f"第{number}页无法解析：{_name(exc)}") from exc
        finally:
            page.close()  # frees the page's parsed objects: memory stays flat on long reports
        # our own code from here: a bug in it surfaces as a bug, never as a damaged page
        placed: list[tuple[float, Block]] = []
        boxes = [bbox for bbox, _ in grids]
        for bbox, rows in grids:
            placed.append((bbox[1], Grid(rows=[[_fold(c) for c in row] for row in rows], page=number)))
        outside = []
        for tl in _merge_lines(text_lines):
            if not _on_page(tl, page.bbox):
                continue
            chars += len(tl["text"])
            if not _inside(tl["top"], tl["bottom"], boxes):
                tl["text"] = _fold(tl["text"])  # folded before a borderless table's words are read (⼆、 is 二、)
                for c in tl["chars"]:
                    c["text"] = _fold(c["text"])
                outside.append(tl)
        unruled, used = borderless.grids(outside, number, carry)
        placed.extend(unruled)  # built from the folded characters
        placed.extend((tl["top"], Line(text=tl["text"], page=number)) for k, tl in enumerate(outside) if k not in used)
        if progress:
            progress(number, len(pages))
        placed.sort(key=lambda p: p[0])
        blocks.extend(b for _, b in placed)
    page_count = len(pages)
    if chars == 0:
        raise RefusedInput("PDF没有文字层（可能是扫描件），无法读取表格")
    return Source(blocks=blocks, page_count=page_count, kind="pdf")


def _name(exc: BaseException) -> str:
    """The type of what pdfminer raised (PDFSyntaxError), not of pdfplumber's wrapper around it."""
    inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else None
    return type(inner).__name__ if isinstance(inner, BaseException) else type(exc).__name__
