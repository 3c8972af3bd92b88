"""PDF → Source: each page's ruled tables as grids and the text outside them as lines, in reading order."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from etl.read.errors import RefusedInput
from etl.read.layout import Block, Grid, Line, Source

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
                for tl in _merge_lines(page.extract_text_lines(return_chars=True)):
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
