"""Splitting a printed text line into label text and amount tokens (text extractions glue and drop cells)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Amounts with grouping or exactly two decimals may be glued to a neighbouring label ("3,276.48一、…",
# "0.0020132"); bare integers count only when they stand alone between spaces.
_AMOUNT_TOKEN = re.compile(
    r"(?<![\d.,])(?:[-−]?\d{1,3}(?:,\d{3})+(?:\.\d{2})?|[-−]?\d+\.\d{2})(?![%％])"
    r"|(?<!\S)[-−]?\d+(?!\S)"
)
_CODE_SPLIT = re.compile(r"^\s*(\d{3})(?:\s+(\d{2}))?(?:\s+(\d{2}))?(?=\s|$)")
_CODE_JOINED = re.compile(r"^\s*(\d{3}|\d{5}|\d{7})(?=\s|$|[^\d\s.,])")
_COLUMN_NUMBERS = re.compile(r"^\s*1(\s+\d{1,2})+\s*$")


@dataclass
class Piece:
    kind: str  # "text" or "amount"
    text: str
    gap_before: int  # spaces before this piece


def pieces(line: str) -> list[Piece]:
    """Alternating label and amount pieces in print order, with the spaces seen before each."""
    out: list[Piece] = []
    pos = 0
    for m in _AMOUNT_TOKEN.finditer(line):
        before = line[pos : m.start()]
        if before.strip():
            lead = len(before) - len(before.lstrip(" \t\u3000"))
            out.append(Piece("text", before.strip(), lead))
            gap = len(before) - len(before.rstrip(" \t"))
        else:
            gap = len(before)
        out.append(Piece("amount", m.group(0), gap))
        pos = m.end()
    rest = line[pos:]
    if rest.strip():
        lead = len(rest) - len(rest.lstrip(" \t\u3000"))
        out.append(Piece("text", rest.strip(), lead))
    elif out:
        out.append(Piece("end", "", len(rest)))
    return out


_SPACE = re.compile(r"\s+")


def clean(text: str | None) -> str:
    """A printed label without any whitespace: prints break and pad Chinese labels with spaces at random
    (“合    计”, a title wrapped over two lines), and the same label must compare equal however it was laid out."""
    return _SPACE.sub("", text or "")


def display_width(text: object) -> int:
    """Columns a text takes in a fixed-width layout: CJK characters take two. A text extraction lines its columns up
    by this width, and a spreadsheet column is sized by it."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))


def leading_code(line: str) -> tuple[str | None, str]:
    """A 科目编码 at the start of a line, joined (201, 20132, 2013299) or split (201 05 06); and the rest."""
    m = _CODE_SPLIT.match(line)
    if m and (m.group(2) or m.group(3)):
        code = "".join(g for g in m.groups() if g)
        return code, line[m.end() :]
    m = _CODE_JOINED.match(line)
    if m:
        return m.group(1), line[m.end() :]
    return None, line


def has_amount(line: str) -> bool:
    _, rest = leading_code(line)
    return any(p.kind == "amount" for p in pieces(rest))


def is_column_numbers(line: str) -> bool:
    """The '1 2 3 4 5 6 7' row some templates print under the header."""
    return bool(_COLUMN_NUMBERS.match(line))
