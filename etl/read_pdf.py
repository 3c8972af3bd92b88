"""PDF → Source: each page's ruled tables as grids and the text outside them as lines, in reading order."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from .errors import RefusedInput
from .layout import Block, Grid, Line, Source

MAX_PAGES = 1000  # the largest 部门预算 seen runs to a few hundred pages
_BOM = b"\xef\xbb\xbf"
_PDF_WHITESPACE = b"\x00\t\n\x0c\r "  # the white-space characters of the PDF format (ISO 32000, 7.2.2)


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
_SIMPLIFIED = "⻔门⻓长⻛风⻋车⻅见⻆角⻉贝⻢马⻜飞⻝食⻩黄⻚页⻘青⻥鱼⻮齿⻰龙⻳龟⻙韦⻄西⺁厂⺇几⺌小⺓幺⺮竹⺼月⻊足⻣骨⻦鸟⻨麦⻬齐⻧卤⻪黾"
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


def read_pdf(path: Path, progress: Callable[[int, int], None] | None = None) -> Source:
    """Read every page once: find_tables gives the grids, extract_text_lines the prose and captions."""
    head = path.read_bytes()[:1024]
    if not starts_as_pdf(head):
        raise RefusedInput("不是PDF文件（文件开头不是 %PDF-）")
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many types for damaged files, wrapped by pdfplumber
        if _is_encrypted(exc):
            raise RefusedInput("PDF已加密，无法读取") from exc
        raise RefusedInput(f"PDF文件已损坏或无法解析：{type(exc).__name__}") from exc
    blocks: list[Block] = []
    chars = 0
    with pdf:
        try:
            pages = list(pdf.pages)
        except Exception as exc:
            raise RefusedInput(f"PDF文件已损坏或无法解析：{type(exc).__name__}") from exc
        if len(pages) > MAX_PAGES:
            raise RefusedInput(f"PDF有{len(pages)}页，超过{MAX_PAGES}页上限，不像一份预算公开报告")
        for number, page in enumerate(pages, start=1):
            try:
                tables = page.find_tables()
                placed: list[tuple[float, Block]] = []
                boxes = [t.bbox for t in tables]
                for t in tables:
                    placed.append((t.bbox[1], Grid(rows=[[_fold(c) for c in row] for row in t.extract()],
                                                   page=number)))
                for tl in page.extract_text_lines(return_chars=False):
                    chars += len(tl["text"])
                    if not _inside(tl["top"], tl["bottom"], boxes):
                        placed.append((tl["top"], Line(text=_fold(tl["text"]), page=number)))
            except Exception as exc:
                raise RefusedInput(f"第{number}页无法解析：{type(exc).__name__}") from exc
            finally:
                page.close()  # frees the page's parsed objects: memory stays flat on long reports
            if progress:
                progress(number, len(pages))
            placed.sort(key=lambda p: p[0])
            blocks.extend(b for _, b in placed)
        page_count = len(pages)
    if chars == 0:
        raise RefusedInput("PDF没有文字层（可能是扫描件），无法读取表格")
    return Source(blocks=blocks, page_count=page_count, kind="pdf")
