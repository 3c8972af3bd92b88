"""一般公共预算基本支出经济分类表: 经济分类 rows (类 groups and their 款 items) by 人员经费 / 公用经费."""

from __future__ import annotations

import re
from decimal import Decimal

from .. import placement, tokens
from ..layout import RawTable
from .common import (
    LRow,
    Parsed,
    aligned_rows,
    amount_columns,
    finish_placement,
    set_pending,
    text_amounts,
    tolerance,
    yuan,
)

# 部门预算支出经济分类 类 names (a text extraction carries no codes to tell groups by)
_GROUPS = re.compile(r"^(工资福利支出|商品和服务支出|对个人和家庭的补助|资本性支出.*|对企业补助.*|对事业单位.*补助|"
                     r"债务利息及费用支出|对社会保障基金补助|其他支出|合计|总计)$")


def _is_group(r: LRow) -> bool:
    if r.code:
        return len(r.code) == 3
    return bool(_GROUPS.match(r.name)) and not r.extra


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
            set_pending(cur, amounts, gaps, measures, tolerance(raw), out, raw.title)
            if cur.pending is None:
                cur.pending = placement.Pending(values=[], gaps=[], placed=())
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
        rows = aligned_rows(raw, cols, amount_cols, out)
    else:
        rows = _text_rows(raw, measures, out)
        _resolve(rows, tolerance(raw))
        finish_placement(rows, raw.title, out)
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
