"""What every table parser shares: the columns of a table, its logical rows, amount placement, issues."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from etl.read import tokens
from etl.read.amounts import is_amount, is_blank, parse_amount, to_yuan
from etl.read.layout import RawTable
from etl.read.report import Comparison, Issue
from etl.read.tokens import clean
from etl.tables import placement
from etl.tables.columns import Column, grid_columns, text_columns

__all__ = ["Issue", "LRow", "Parsed"]

_TOTAL = re.compile(r"^(合计|总计|部门合计|单位合计)$")


@dataclass
class LRow:
    """A logical table row: its label parts and amounts by amount-column position (printed unit)."""

    code: str | None
    name: str
    page: int | None
    values: dict[int, Decimal] = field(default_factory=dict)
    extra: str | None = None  # a second label column (e.g. 政府预算支出经济科目名称)
    pending: placement.Pending | None = None
    raw: str = ""

    @property
    def is_total(self) -> bool:
        return bool(_TOTAL.match(self.name)) and not self.code


@dataclass
class Parsed:
    """A parser's output: contract rows per target table, plus what it could not do."""

    rows: dict[str, list[dict]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    has_data: bool = False
    consumed: int = 0  # printed amounts deliberately not stored as rows (sub-totals), each verified by a check
    # (rule id, comparison) for those sub-totals: the rule table's evaluator judges them with the other checks
    comparisons: list[tuple[str, Comparison]] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    def add(self, table: str, row: dict) -> None:
        self.rows.setdefault(table, []).append(row)


def unit_of(raw: RawTable, default: str = "元") -> str:
    return raw.unit_printed or default


def tolerance(raw: RawTable) -> Decimal:
    """Rounding slack for one printed cell, in the printed unit (amounts are placed before conversion)."""
    return Decimal("0.01")


def amount_columns(raw: RawTable) -> tuple[list[Column], list[Column]]:
    """(all columns, amount columns). Text tables have only amount columns."""
    if raw.rows and raw.rows[0].aligned:
        width = max(len(r.cells) for r in raw.rows)
        cols = grid_columns(raw.header, width)
    else:
        cols = text_columns(" ".join(h[0] or "" for h in raw.header))
    return cols, [c for c in cols if c.role == "amount"]


def read_amount(text: str | None, where: str, page: int | None, out: Parsed) -> Decimal | None:
    try:
        return parse_amount(text)
    except ValueError:
        out.issues.append(Issue("error", f"{where}：金额无法识别 “{text}”", page))
        return None


def aligned_rows(raw: RawTable, cols: list[Column], amount_cols: list[Column], out: Parsed) -> list[LRow]:
    """Rows of a ruled grid: label cells by role, amounts by their column."""
    result = []
    pos = {c.index: k for k, c in enumerate(amount_cols)}
    levels = code_levels(cols)
    last: str | None = None
    for r in raw.rows:
        cells = padded(r.cells, len(cols))
        code_parts: list[tuple[int, str]] = []
        names, values = [], {}
        for c in cols:
            cell = cells[c.index] if c.index < len(cells) else None
            if c.role == "code":
                # a 类/款/项 header cell merged into the 合计 row below it (决算 templates) is a label, not a code
                if cell and cell.strip() and clean(cell) not in ("类", "款", "项"):
                    code_parts.append((levels[c.index], clean(cell)))
            elif c.role == "name":
                if cell and cell.strip():
                    names.append(clean(cell))
            else:
                if is_blank(cell):
                    continue
                v = read_amount(cell, f"{raw.title}（{clean(''.join(n for n in names))}）", r.page, out)
                if v is not None:
                    values[pos[c.index]] = v
        if names and names[0] in ("栏次", "行次") and not code_parts:
            continue  # the column-number row some templates print under the header (栏次 1 2 3 …)
        if len(levels) > 1:
            code = assemble_code(code_parts, last, f"{raw.title}（{''.join(names[:1])}）", r.page, out)
        else:  # one code column: the code as printed
            code = "".join(t for _, t in code_parts) or None
        if code and not code.isdigit():
            names.insert(0, code)
            code = None
        if code:
            last = code
        result.append(LRow(code=code, name="".join(names[:1]) if names else "", extra=names[1] if len(names) > 1 else None,
                           page=r.page, values=values, raw=" | ".join(str(c) for c in r.cells)))
    return result


def zeros_under_no_data_note(raw: RawTable, rows: list[LRow]) -> int:
    """How many zeros a table declared empty prints (注：本表无数据 over a grid of 0.00), else 0.

    Such a table is empty: its zeros are the template's filler, and storing them would put rows (and, where the
    code columns are split, codes) into a table the report says has none. A single non-zero figure means the note
    is wrong and the table is read as printed."""
    values = [v for r in rows for v in r.values.values()]
    if raw.no_data_note and values and all(v == 0 for v in values):
        return len(values)
    return 0


def padded(cells: list[str | None], width: int) -> list[str | None]:
    """A page whose grid merged the label columns (a lone 合计 row) keeps its amounts at the right edge."""
    if len(cells) < width and cells and not is_amount(cells[0]):
        return [cells[0]] + [None] * (width - len(cells)) + cells[1:]
    return cells


def code_levels(cols: list[Column]) -> dict[int, int]:
    """The level each code column prints (0 类, 1 款, 2 项): its header word where it has one, else its place among
    the code columns (a 科目编码 heading spanning three unlabelled columns)."""
    levels: dict[int, int] = {}
    for n, c in enumerate(c for c in cols if c.role == "code"):
        leaf = c.label.split("/")[-1]
        levels[c.index] = {"类": 0, "款": 1, "项": 2}.get(leaf, n)
    return levels


def assemble_code(parts: list[tuple[int, str]], last: str | None, where: str, page: int | None,
                  out: Parsed) -> str | None:
    """The 科目编码 of one grid row from its printed code cells, (level, text) in column order.

    Templates split the code three ways: one cell holding the whole code (201, 20132, 2013202); 类 | 款 | 项 columns
    with the parents repeated on every row (201 | 32 | 02); or the parents printed once and left blank below
    (201, then | 32, then | | 02). A cell of three or more digits is a code as printed (a parent repeated in a
    child's column is that parent, not a second copy to append); a 款 or 项 cell of one or two digits follows the
    digits above it: its own row's 类 (and 款), else those of the last code printed above — blank is never read as
    a digit. A 款/项 printed without its leading zero is padded, and a 类 misprinted beside the 款 of the row above
    takes that row's 类: both are reported. A code that cannot be put together this way is an error, never a guess."""
    if not parts:
        return None
    texts = [t for _, t in parts]
    if not all(t.isdigit() for t in texts):
        return "".join(texts)  # a label (合计) in the code columns goes back to the name
    if (parts[0][0] == 0 and len(texts[0]) != 3 and len(parts) > 1 and parts[1][0] == 1 and last
            and len(last) >= 5 and last[3:5] == texts[1].zfill(2)):
        parts = [(0, last[:3])] + parts[1:]
    code = ""
    for level, text in parts:
        if len(text) >= 3:
            if not code or text.startswith(code):
                code = text
            elif not code.startswith(text):
                out.issues.append(Issue("error", f"{where}：科目编码各栏“{' '.join(texts)}”互不相符", page))
                return None
            continue
        before = 3 + 2 * (level - 1)  # digits above a 款 (3) or a 项 (5)
        if level == 0 or len(code) > before:
            out.issues.append(Issue("error", f"{where}：科目编码各栏“{' '.join(texts)}”无法拼成编码", page))
            return None
        if len(code) < before:
            if not (last and len(last) >= before and last.startswith(code)):
                out.issues.append(Issue("error", f"{where}：科目编码“{' '.join(texts)}”上方没有可接续的上级编码", page))
                return None
            code = last[:before]
        code += text.zfill(2)
    if [t for _, t in parts] != texts or any(len(t) == 1 for t in texts):
        out.issues.append(Issue("warning", f"{where}：科目编码印作“{' '.join(texts)}”，按上下行读作{code}", page))
    return code


def text_amounts(line: str) -> tuple[list[str], list[str], list[int]]:
    """(label texts, amount tokens, gaps) of one text line after its leading code."""
    labels, amounts, gaps = [], [], []
    for p in tokens.pieces(line):
        if p.kind == "text":
            labels.append(p.text)
        elif p.kind == "amount":
            amounts.append(p.text)
            gaps.append(p.gap_before)
        elif p.kind == "end" and amounts:
            gaps.append(p.gap_before)
    if amounts and len(gaps) == len(amounts):
        gaps.append(0)
    return labels, amounts, gaps


def set_pending(row: LRow, amounts: list[str], gaps: list[int], measures: list[str | None], raw: RawTable,
                out: Parsed) -> None:
    """The row's amounts with every placement the table's arithmetic allows (bounded by the printed spaces unless
    the table is read again without them: RawTable.spacing). Amounts that cannot be placed at all — unreadable, or
    more than the columns, each reported — leave the row an empty placement, so it waits for none."""
    row.pending = placement.Pending(values=[], gaps=[], placed=())
    values = []
    for a in amounts:
        v = read_amount(a, f"{raw.title}（{row.name}）", row.page, out)
        if v is None:
            return
        values.append(v)
    if not values:
        return
    if len(values) > len(measures):
        out.issues.append(Issue("error", f"{raw.title}（{row.code or ''}{row.name}）：{len(values)}个金额多于{len(measures)}列",
                                row.page))
        return
    gaps = gaps if raw.spacing else []
    pend = placement.Pending(values=values, gaps=gaps)
    pend.candidates = placement.candidates(values, gaps, measures, tolerance(raw))
    if len(pend.candidates) == 1:
        pend.placed = pend.candidates[0]
    row.pending = pend


def finish_placement(rows: list[LRow], title: str, out: Parsed) -> None:
    """Move placed amounts into values; every amount still unplaced is an error naming the row."""
    for r in rows:
        p = r.pending
        if p is None:
            continue
        if p.placed is not None:
            r.values = p.as_dict(p.placed)
        else:
            why = "无一种排列能满足本行的合计关系" if not p.candidates else f"有{len(p.candidates)}种排列都满足表内关系"
            vals = "、".join(str(v) for v in p.values)
            out.issues.append(Issue("error", f"{title}（{r.code or ''}{r.name}）：金额 {vals} 无法确定所在列（{why}）", r.page))


def yuan(value: Decimal, raw: RawTable) -> Decimal:
    return to_yuan(value, unit_of(raw))
