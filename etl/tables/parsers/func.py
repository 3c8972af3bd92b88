"""Tables keyed by 支出功能分类科目: revenue, expenditure, gp_expenditure, gov_fund_*, soe_capital."""

from __future__ import annotations

from decimal import Decimal

from etl.read import tokens
from etl.read.layout import RawTable
from etl.read.report import Issue
from etl.tables import placement
from etl.tables.parsers.common import (
    LRow,
    Parsed,
    aligned_rows,
    amount_columns,
    finish_placement,
    set_pending,
    text_amounts,
    tolerance,
    yuan,
    zeros_under_no_data_note,
)


def _level(code: str | None) -> int:
    return {3: 1, 5: 2, 7: 3}.get(len(code or ""), 0)


def _text_rows(raw: RawTable, measures: list[str | None], out: Parsed) -> list[LRow]:
    """Re-join wrapped rows: a row starts at a 科目编码 or 合计; lines without one continue its name."""
    rows: list[LRow] = []
    cur: LRow | None = None
    for r in raw.rows:
        line = r.cells[0] or ""
        code, rest = tokens.leading_code(line)
        labels, amounts, gaps = text_amounts(rest)
        starts = code is not None or (labels and labels[0].startswith(("合计", "总计")))
        if starts or cur is None or cur.pending is not None:
            cur = LRow(code=code, name="", page=r.page, raw=line)
            rows.append(cur)
        else:
            cur.raw += "\n" + line
        cur.name += "".join(labels)
        if amounts:
            set_pending(cur, amounts, gaps, measures, raw, out)
    return rows


def _children(rows: list[LRow], parent: LRow) -> list[LRow]:
    if parent.is_total:
        return [r for r in rows if len(r.code or "") == 3]
    if not parent.code:
        return []
    n = len(parent.code) + 2
    return [r for r in rows if r.code and len(r.code) == n and r.code.startswith(parent.code)]


def _resolve(rows: list[LRow], tol: Decimal) -> None:
    pend = [r.pending for r in rows if r.pending]
    placement.resolve_by_usage(pend)
    for _ in range(6):
        progress = False
        for parent in rows:
            kids = _children(rows, parent)
            if not kids or any(k.pending is None and not k.values for k in kids):
                continue
            if parent.pending and parent.pending.placed is None:
                # a parent is the sum of its placed children
                if all(k.pending is None or k.pending.placed is not None for k in kids):
                    sums: dict[int, Decimal] = {}
                    for k in kids:
                        vals = k.pending.as_dict(k.pending.placed) if k.pending else k.values
                        for c, v in vals.items():
                            sums[c] = sums.get(c, Decimal(0)) + v
                    match = [p for p in parent.pending.candidates
                             if all(abs(parent.pending.as_dict(p).get(c, Decimal(0)) - v) <= tol * len(kids)
                                    for c, v in sums.items())]
                    if len(match) == 1:
                        parent.pending.placed = match[0]
                        progress = True
                continue
            known = parent.pending.as_dict(parent.pending.placed) if parent.pending else parent.values
            kid_pend = [k.pending for k in kids if k.pending]
            if placement.resolve_children(known, kid_pend, tol):
                progress = True
        placement.resolve_by_usage(pend)
        if not progress:
            break


def parse_func(raw: RawTable, kind: str) -> Parsed:
    out = Parsed()
    cols, amount_cols = amount_columns(raw)
    measures = [c.measure for c in amount_cols]
    if raw.rows and raw.rows[0].aligned:
        rows = aligned_rows(raw, cols, amount_cols, out)
    else:
        rows = _text_rows(raw, measures, out)
        _resolve(rows, tolerance(raw))
        finish_placement(rows, raw.title, out)
    if zeros := zeros_under_no_data_note(raw, rows):
        out.consumed = zeros  # printed, deliberately not stored: the table says it has no data
        return out
    for i, r in enumerate(rows):
        if not r.code and not r.is_total:
            if r.values:
                out.issues.append(_issue(raw, r))
            continue
        for k, v in sorted(r.values.items()):
            col = amount_cols[k]
            out.add("func_lines", {
                "table_kind": kind, "code": r.code, "name": r.name, "level": _level(r.code),
                "measure": col.measure, "column_label": col.label, "amount_yuan": yuan(v, raw),
                "page": r.page, "row_no": i,
            })
    out.has_data = bool(out.rows.get("func_lines"))
    return out


def _issue(raw: RawTable, r: LRow) -> Issue:
    return Issue("error", f"{raw.title}：无法识别的行 “{r.raw[:60]}”", r.page)
