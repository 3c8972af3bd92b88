"""一般公共预算基本支出经济分类表: 经济分类 rows (类 groups and their 款 items) by 人员经费 / 公用经费."""

from __future__ import annotations

import re
from decimal import Decimal

from etl.read import tokens
from etl.read.layout import RawTable, Row
from etl.tables import placement
from etl.tables.columns import Column
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

# 部门预算支出经济分类 类 names (a text extraction carries no codes to tell groups by)
_GROUPS = re.compile(r"^(工资福利支出|商品和服务支出|对个人和家庭的补助|资本性支出.*|对企业补助.*|对事业单位.*补助|"
                     r"债务利息及费用支出|对社会保障基金补助|其他支出|合计|总计)$")


# 决算 基本支出表: the sub-totals under each half (人员经费合计 / 公用经费合计) are group rows
_HALF_TOTALS = re.compile(r"^(人员经费|公用经费)(合计|小计)?$")


def _is_group(r: LRow) -> bool:
    if r.code:
        return len(r.code) == 3
    return (bool(_GROUPS.match(r.name)) or bool(_HALF_TOTALS.match(r.name))) and not r.extra


def halves(cols: list[Column]) -> list[list[Column]]:
    """A table printed as side-by-side halves (决算 基本支出表: 301/303 left, 302/310 right) repeats its label
    columns after an amount column: each half is read as a table of its own."""
    out: list[list[Column]] = [[]]
    for c in cols:
        if c.role != "amount" and out[-1] and out[-1][-1].role == "amount":
            out.append([])
        out[-1].append(c)
    return out if len(out) > 1 and all(any(c.role == "amount" for c in h) for h in out) else [cols]


def _half_rows(raw: RawTable, cols: list[Column], amount_cols: list[Column], out: Parsed) -> list[LRow]:
    """Rows of every half, the left half first (the print's reading order: 工资福利 … 对个人和家庭, then
    商品和服务 … 资本性支出); each row's values keyed by its column's position among all amount columns."""
    rows: list[LRow] = []
    for half in halves(cols):
        width = max(c.index for c in half) + 1
        sub = [Column(index=c.index - half[0].index, label=c.label, role=c.role, measure=c.measure)
               for c in half]
        sub_amounts = [c for c in sub if c.role == "amount"]
        part = RawTable(title=raw.title, table_no=raw.table_no, unit_printed=raw.unit_printed,
                        page_from=raw.page_from, page_to=raw.page_to, header=[],
                        rows=[Row(cells=list(r.cells[half[0].index:width]), page=r.page, aligned=True)
                              for r in raw.rows])
        pos = {k: amount_cols.index(next(a for a in amount_cols if a.index == c.index + half[0].index))
               for k, c in enumerate(sub_amounts)}
        for r in aligned_rows(part, sub, sub_amounts, out):
            if not r.code and not r.name and not r.values:
                continue  # the half's blank tail (the left half ends before the right one)
            r.values = {pos[k]: v for k, v in r.values.items()}
            rows.append(r)
    return rows


def _text_rows(raw: RawTable, measures: list[str | None], out: Parsed) -> list[LRow]:
    rows: list[LRow] = []
    cur: LRow | None = None
    for r in raw.rows:
        line = r.cells[0] or ""
        code, rest = tokens.leading_code(line)
        labels, amounts, gaps = text_amounts(rest)
        if cur is None or cur.pending is not None or code:
            cur = LRow(code=code, name="", page=r.page, raw=line)
            rows.append(cur)
        words = " ".join(labels).split()
        if words:
            cur.name += words[0]
            if len(words) > 1:
                cur.extra = (cur.extra or "") + "".join(words[1:])
        if amounts:
            set_pending(cur, amounts, gaps, measures, raw, out)
    return rows


def _resolve(rows: list[LRow], tol: Decimal) -> None:
    pend = [r.pending for r in rows if r.pending]
    placement.resolve_by_usage(pend)
    groups: list[tuple[LRow, list[LRow]]] = []
    total = next((r for r in rows if r.is_total), None)
    for r in rows:
        if r is total:
            continue
        if _is_group(r):
            groups.append((r, []))
        elif groups:
            groups[-1][1].append(r)
    for _ in range(3):
        if total and total.pending and total.pending.placed is not None:
            placement.resolve_children(total.pending.as_dict(total.pending.placed), [g.pending for g, _ in groups if g.pending], tol)
        for g, kids in groups:
            if g.pending and g.pending.placed is not None:
                placement.resolve_children(g.pending.as_dict(g.pending.placed), [k.pending for k in kids if k.pending], tol)
        placement.resolve_by_usage(pend)


def parse_econ(raw: RawTable, kind: str) -> Parsed:
    out = Parsed()
    cols, amount_cols = amount_columns(raw)
    measures = [c.measure for c in amount_cols]
    if raw.rows and raw.rows[0].aligned:
        rows = _half_rows(raw, cols, amount_cols, out) if len(halves(cols)) > 1 else \
            aligned_rows(raw, cols, amount_cols, out)
    else:
        rows = _text_rows(raw, measures, out)
        _resolve(rows, tolerance(raw))
        finish_placement(rows, raw.title, out)
    if zeros := zeros_under_no_data_note(raw, rows):
        out.consumed = zeros  # printed, deliberately not stored: the table says it has no data
        return out
    for i, r in enumerate(rows):
        for k, v in sorted(r.values.items()):
            col = amount_cols[k]
            out.add("econ_lines", {
                "econ_code": r.code, "econ_name": r.name, "gov_econ_name": r.extra, "is_group": _is_group(r),
                "measure": col.measure, "column_label": col.label, "amount_yuan": yuan(v, raw), "page": r.page,
                "row_no": i,
            })
    out.has_data = bool(out.rows.get("econ_lines"))
    return out
