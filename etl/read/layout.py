"""The intermediate both readers produce: pages of blocks (text lines and ruled grids), each with its page.

A PDF gives grids whose cells sit in known columns; a text extraction gives only lines. Everything after the
readers (segmentation into tables, table parsers, checks) works on this one model, so there is one copy of the
table logic for both inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Line:
    """One printed line of text outside any ruled grid (or any line of a text extraction)."""

    text: str
    page: int | None


@dataclass
class Grid:
    """A ruled table region on one PDF page: rows of cells; None marks a cell merged into its left/upper one."""

    rows: list[list[str | None]]
    page: int | None


Block = Line | Grid


@dataclass
class Source:
    """A whole report as blocks in reading order."""

    blocks: list[Block]
    page_count: int | None
    kind: str  # "pdf" or "text"
    furniture: list[str] = field(default_factory=list)  # running headers removed from the text (the title)

    def text_lines(self) -> list[Line]:
        return [b for b in self.blocks if isinstance(b, Line)]


@dataclass
class Row:
    """A table row. `cells` are column-aligned when `aligned`; for text, label text plus unplaced amount tokens."""

    cells: list[str | None]
    page: int | None
    aligned: bool
    # text rows: the amount tokens in print order and the spaces seen before each and after the last
    amounts: list[str] = field(default_factory=list)
    gaps: list[int] = field(default_factory=list)


@dataclass
class RawTable:
    """A table as found: its caption facts, header and body rows, before any kind-specific parsing."""

    title: str
    table_no: str | None
    unit_printed: str | None
    page_from: int | None
    page_to: int | None
    header: list[list[str | None]]
    rows: list[Row]
    no_data_note: bool = False
    note: str | None = None  # the printed 注 line(s) under the table (注：本表无数据 …), as printed
    # a text row's spaces bound the blank cells between its amounts (etl.tables.placement); False when a reading
    # under that bound failed the table's own arithmetic and the amounts are placed by the arithmetic alone
    spacing: bool = True

    def add_note(self, text: str) -> None:
        self.no_data_note = True
        text = text.strip()
        self.note = text if not self.note else f"{self.note}{text}"
