"""项目支出预算表 (本年 / 上年结转): one row per project; unit sub-total rows are recognised by indentation."""

from __future__ import annotations

import re
from decimal import Decimal

from etl.read.amounts import rounding_tolerance
from etl.read.layout import RawTable
from etl.read.report import Comparison
from etl.tables import placement
from etl.tables.parsers.common import (
    LRow,
    Parsed,
    aligned_rows,
    amount_columns,
    finish_placement,
    set_pending,
    text_amounts,
    yuan,
)

_FIELDS = {
    "total": "total_yuan", "general_budget": "general_budget_yuan", "gov_fund": "gov_fund_yuan",
    "soe_capital": "soe_capital_yuan", "special_account": "special_account_yuan", "unit_funds": "unit_funds_yuan",
}
_INDENT = re.compile(r"^[\u3000 ]*")


def _indent(line: str) -> int:
    return line[: len(_INDENT.match(line).group(0))].count("\u3000")


def _text_rows(raw: RawTable, measures: list[str | None], out: Parsed) -> tuple[list[LRow], list[int]]:
    rows: list[LRow] = []
    levels: list[int] = []
    for r in raw.rows:
        line = r.cells[0] or ""
        labels, amounts, gaps = text_amounts(line)
        indented = line.startswith("\u3000")
        if not rows or rows[-1].pending is not None or (indented and labels):
            rows.append(LRow(code=None, name="", page=r.page, raw=line))
            levels.append(_indent(line))
        row = rows[-1]
        row.name += "".join(labels)
        if amounts:
            set_pending(row, amounts, gaps, measures, raw, out)
    placement.resolve_by_usage([r.pending for r in rows if r.pending])
    finish_placement(rows, raw.title, out)
    return rows, levels


def _subtotal_check(raw: RawTable, kind: str, rows: list[LRow], levels: list[int], i: int, amount_cols, out: Parsed) -> None:
    """A unit/total row is not a project: it must equal the sum of the rows nested under it."""
    r = rows[i]
    below = []
    for j in range(i + 1, len(rows)):
        if levels[j] <= levels[i] and not rows[i].is_total:
            break
        if levels[j] == levels[i] + 1 or (rows[i].is_total and levels[j] == min(levels[i + 1:], default=0)):
            below.append(rows[j])
    out.consumed += len(r.values)
    tol = rounding_tolerance(raw.unit_printed or "元", max(len(below), 1))
    for k, v in r.values.items():
        expected = yuan(v, raw)
        actual = sum((yuan(b.values[k], raw) for b in below if k in b.values), Decimal(0))
        col = amount_cols[k]
        out.comparisons.append((f"{kind}.subtotal", Comparison(
            f"{kind}:subtotal:{i}:{col.measure}", expected, actual, max(len(below), 1), r.page, kind,
            {"row": r.name, "column": col.label}, tolerance=tol)))


def parse_projects(raw: RawTable, kind: str) -> Parsed:
    out = Parsed()
    cols, amount_cols = amount_columns(raw)
    measures = [c.measure for c in amount_cols]
    if raw.rows and raw.rows[0].aligned:
        rows = aligned_rows(raw, cols, amount_cols, out)
        levels = [0] * len(rows)
    else:
        rows, levels = _text_rows(raw, measures, out)
    deepest = max(levels, default=0)
    for i, (r, level) in enumerate(zip(rows, levels, strict=True)):
        if level < deepest or r.is_total or not r.name:
            _subtotal_check(raw, kind, rows, levels, i, amount_cols, out)
            continue  # a unit or total row: the sum of the projects below it
        rec = {"table_kind": kind, "name": r.name, "carryover": kind == "projects_carryover", "page": r.page, "row_no": i}
        for f in _FIELDS.values():
            rec[f] = None
        for k, v in r.values.items():
            field = _FIELDS.get(amount_cols[k].measure or "")
            if field:
                rec[field] = yuan(v, raw)
        out.add("projects", rec)
    out.has_data = bool(out.rows.get("projects"))
    return out
