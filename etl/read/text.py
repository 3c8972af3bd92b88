"""Text extraction → Source: lines with the page their page mark (-4-) gives, page furniture removed."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from etl.read.errors import RefusedInput
from etl.read.layout import Line, Source

_PAGE_MARK = re.compile(r"^\s*[-－—]\s*(\d{1,4})\s*[-－—]\s*$")
_ENCODINGS = ("utf-8-sig", "gb18030", "utf-16")


def decode(data: bytes) -> str:
    """Reports come as UTF-8 or GBK/GB18030; a NUL-laden or undecodable file is not text."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RefusedInput("不是文本文件（含二进制内容）")
    for enc in _ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise RefusedInput("文本编码无法识别（既不是UTF-8也不是GBK）")


def _page_of_segments(marks: list[tuple[int, int]], n_lines: int) -> list[int | None]:
    """A line gets page N when it lies between mark N-1 and mark N: only then is its page certain."""
    pages: list[int | None] = [None] * n_lines
    prev_idx, prev_no = -1, None
    for idx, no in marks:
        if prev_no is not None and no == prev_no + 1:
            for i in range(prev_idx + 1, idx):
                pages[i] = no
        prev_idx, prev_no = idx, no
    return pages


def read_text(path: Path) -> Source:
    raw = decode(path.read_bytes())
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    marks = [(i, int(m.group(1))) for i, line in enumerate(lines) if (m := _PAGE_MARK.match(line))]
    pages = _page_of_segments(marks, len(lines))
    # running headers/footers: the same non-trivial line repeated on several pages
    counts = Counter(s.strip() for s in lines if s.strip())
    furniture = {s for s, c in counts.items() if c >= 2 and len(s) >= 8 and re.search(r"(预算|决算).*(公开|报告)$", s)}
    blocks = []
    for i, line in enumerate(lines):
        s = line.rstrip("\n")
        if not s.strip() or _PAGE_MARK.match(s) or s.strip() in furniture:
            continue
        blocks.append(Line(text=s, page=pages[i]))
    if not blocks:
        raise RefusedInput("文件没有文字内容")
    return Source(blocks=blocks, page_count=None, kind="text", furniture=sorted(furniture))
