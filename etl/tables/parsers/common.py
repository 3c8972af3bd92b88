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
    last: dict[int, str] = {}
    for r in raw.rows:
        cells = padded(r.cells, len(cols))
        code_parts, names, values = [], [], {}
        for c in cols:
            cell = cells[c.index] if c.index < len(cells) else None
            if c.role == "code":
                # a 类/款/项 header cell merged into the 合计 row below it (决算 templates) is a label, not a code
                if cell and cell.strip() and clean(cell) not in ("类", "款", "项"):
                    code_parts.append(clean(cell))
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
        code = _repair_code(code_parts, last, raw, r.page, out)
        if code and not code.isdigit():
            names.insert(0, code)
            code = None
        result.append(LRow(code=code, name="".join(names[:1]) if names else "", extra=names[1] if len(names) > 1 else None,
                           page=r.page, values=values, raw=" | ".join(str(c) for c in r.cells)))
    return result


def padded(cells: list[str | None], width: int) -> list[str | None]:
    """A page whose grid merged the label columns (a lone 合计 row) keeps its amounts at the right edge."""
    if len(cells) < width and cells and not is_amount(cells[0]):
        return [cells[0]] + [None] * (width - len(cells)) + cells[1:]
    return cells


def _repair_code(parts: list[str], last: dict[int, str], raw: RawTable, page: int | None, out: Parsed) -> str | None:
    """Join 类/款/项 columns. A 款/项 printed without its leading zero is padded; a 类 misprinted under a 款
    that continues the row above takes that row's 类. Both are reported, never silent."""
    if len(parts) < 2 or not all(p.isdigit() for p in parts):
        return "".join(parts) or None
    fixed = [parts[0]] + [p.zfill(2) if len(p) == 1 else p for p in parts[1:]]
    if len(fixed[0]) != 3 and last.get(0) and last.get(1) == fixed[1]:
        fixed[0] = last[0]
    if fixed != parts:
        out.issues.append(Issue("warning", f"{raw.title}：科目编码印作“{' '.join(parts)}”，按上下行读作{''.join(fixed)}", page))
    last.update(dict(enumerate(fixed)))
    return "".join(fixed)


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


def set_pending(row: LRow, amounts: list[str], gaps: list[int], measures: list[str | None], tol: Decimal,
                out: Parsed, title: str) -> None:
    values = []
    for a in amounts:
        v = read_amount(a, f"{title}（{row.name}）", row.page, out)
        if v is None:
            return
        values.append(v)
    if not values:
        return
    if len(values) > len(measures):
        out.issues.append(Issue("error", f"{title}（{row.code or ''}{row.name}）：{len(values)}个金额多于{len(measures)}列", row.page))
        return
    pend = placement.Pending(values=values, gaps=gaps)
    pend.candidates = placement.candidates(values, gaps, measures, tol)
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
