"""“三公”经费 and 机关运行经费: printed wide (one row, items as columns) or long (items as rows)."""

from __future__ import annotations

import re

from etl.read import tokens
from etl.read.layout import RawTable
from etl.read.tokens import clean
from etl.tables import placement
from etl.tables.parsers.common import (
    Issue,
    LRow,
    Parsed,
    aligned_rows,
    amount_columns,
    finish_placement,
    read_amount,
    set_pending,
    text_amounts,
    yuan,
)

# printed label → contract item
_ITEMS = [
    (r"因公出国", "因公出国（境）费"),
    (r"公务接待", "公务接待费"),
    (r"购置及运行|车辆购置及运行", "公务用车购置及运行费"),
    (r"运行维护|^运行费$|用车运行", "公务用车运行维护费"),
    (r"购置费", "公务用车购置费"),
    (r"机关运行经费", "机关运行经费"),
    (r"^合计$|^小计$|^总计$|部门合计|单位合计", "合计"),
]


def item_of(label: str) -> str | None:
    t = re.sub(r"^[①②③④⑤⑥⑦⑧⑨⑩\d.、]+", "", clean(label))
    for pattern, item in _ITEMS:
        if re.search(pattern, t):
            return item
    return None


# a 决算 table prints each item twice: 预算数 (or 全年/年初预算数) beside 决算数
_BUDGET_ACTUAL = [(re.compile(r"决算数?$"), "actual"), (re.compile(r"预算数?$"), "budget")]


def _budget_actual(label: str) -> str | None:
    for rx, measure in _BUDGET_ACTUAL:
        if rx.search(label):
            return measure
    return None


def _paired(amount_cols: list) -> bool:
    """预算数 / 决算数 column pairs under each item: the 决算 layout."""
    leaves = [c.label.split("/")[-1] for c in amount_cols]
    return any(_budget_actual(x) == "actual" for x in leaves) and any(_budget_actual(x) == "budget" for x in leaves)


def _wide(raw: RawTable, kind: str, out: Parsed) -> None:
    cols, amount_cols = amount_columns(raw)
    paired = _paired(amount_cols)
    for r in raw.rows:
        for c in amount_cols:
            cell = r.cells[c.index] if c.index < len(r.cells) else None
            v = read_amount(cell, raw.title, r.page, out)
            if v is None:
                continue
            path = c.label.split("/")
            measure = "total"
            if paired and len(path) > 1 and _budget_actual(path[-1]):
                measure = _budget_actual(path[-1])
                path = path[:-1]
            leaf = path[-1]
            item = item_of(leaf)
            if leaf == "小计" and len(path) > 1:
                item = item_of(path[-2])
            if item is None and "机关运行" in c.label:
                item = "机关运行经费"
            if item is None:
                out.issues.append(Issue("error", f"{raw.title}：无法识别的列 “{c.label}”", r.page))
                continue
            if item == "合计" and "三公" not in c.label and "机关运行" in c.label:
                item = "机关运行经费"
            target = "operating_cost" if item == "机关运行经费" else kind
            out.add("three_public", {"table_kind": target, "item": item, "measure": measure, "column_label": c.label,
                                     "amount_yuan": yuan(v, raw), "page": r.page})


def _long(raw: RawTable, kind: str, out: Parsed) -> None:
    cols, amount_cols = amount_columns(raw)
    if _paired(amount_cols):
        # items as rows, 预算数 / 决算数 as columns (a 决算 printed long)
        for c in amount_cols:
            c.measure = _budget_actual(c.label.split("/")[-1]) or c.measure
    measures = [c.measure for c in amount_cols]
    if raw.rows and raw.rows[0].aligned:
        rows = aligned_rows(raw, cols, amount_cols, out)
    else:
        rows = []
        for r in raw.rows:
            line = r.cells[0] or ""
            labels, amounts, gaps = text_amounts(line)
            if not labels and rows and rows[-1].pending is None:
                row = rows[-1]
            else:
                row = LRow(code=None, name="".join(labels), page=r.page, raw=line)
                rows.append(row)
            if amounts:
                set_pending(row, amounts, gaps, measures, raw, out)
        placement.resolve_by_usage([r.pending for r in rows if r.pending])
        finish_placement(rows, raw.title, out)
    for r in rows:
        item = item_of(r.name)
        if kind == "operating_cost":
            # rows are units: the total row is the unit's 机关运行经费, the others its parts
            item = "机关运行经费" if item in ("合计", "机关运行经费") else f"机关运行经费/{r.name}"
        elif item is None:
            if r.values:
                out.issues.append(Issue("error", f"{raw.title}：无法识别的行 “{r.name}”", r.page))
            continue
        for k, v in sorted(r.values.items()):
            col = amount_cols[k]
            out.add("three_public", {"table_kind": kind, "item": item, "measure": col.measure, "column_label": col.label,
                                     "amount_yuan": yuan(v, raw), "page": r.page})


def parse_three_public(raw: RawTable, kind: str) -> Parsed:
    out = Parsed()
    _, amount_cols = amount_columns(raw)
    paired = _paired(amount_cols)

    def item_leaf(label: str) -> str | None:
        path = label.split("/")
        if paired and len(path) > 1 and _budget_actual(path[-1]):
            path = path[:-1]  # 因公出国（境）费/预算数: the item is above its 预算数/决算数 pair
        return item_of(path[-1])

    wide = raw.rows and raw.rows[0].aligned and any(item_leaf(c.label) not in (None, "合计") for c in amount_cols)
    (_wide if wide else _long)(raw, kind, out)
    out.has_data = bool(out.rows.get("three_public"))
    return out


__all__ = ["parse_three_public", "item_of", "tokens"]
