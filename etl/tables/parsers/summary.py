"""收支总表 and 财政拨款收支总表: two tables side by side (收入 left, 支出 right), one item per row and side."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from etl.read import tokens
from etl.read.layout import RawTable
from etl.read.tokens import clean
from etl.tables import placement
from etl.tables.columns import Column, measure_of, text_columns
from etl.tables.parsers.common import Issue, Parsed, amount_columns, read_amount, tolerance, yuan

_ORDINAL = re.compile(r"^\s*([一二三四五六七八九十]+、|\d+[.、．]\s*|[①②③④⑤⑥⑦⑧⑨⑩]|（[一二三四五六七八九十]+）)")
_KEYWORD = re.compile(r"^\s*(本年收入|本年支出|上年|年终|收入总计|支出总计|合计|总计|结转下年|用事业基金|收入合计|支出合计)")
_EXPENDITURE = re.compile(r"支出$|支出合计|支出总计|年终结转|结转下年|预备费$|年终结余")
_SOURCE_OF = [("一般公共预算", "general_budget"), ("政府性基金", "gov_fund"), ("国有资本经营", "soe_capital")]


def item_name(text: str) -> str:
    """Row name without its ordinal and without line-wrap breaks (contract: summary_lines.item)."""
    return _ORDINAL.sub("", clean(text))


def side_of(name: str) -> int:
    return 1 if _EXPENDITURE.search(name) else 0


@dataclass
class _Item:
    text: str
    page: int | None
    amounts: list[str] = field(default_factory=list)
    gaps: list[int] = field(default_factory=list)
    values: dict[int, Decimal] = field(default_factory=dict)
    pending: placement.Pending | None = None


def _text_items(raw: RawTable) -> list[_Item]:
    items: list[_Item] = []
    for r in raw.rows:
        for p in tokens.pieces(r.cells[0] or ""):
            if p.kind == "text":
                starts = not items or _ORDINAL.match(p.text) or _KEYWORD.match(p.text)
                if starts or items[-1].amounts:
                    items.append(_Item(text=p.text, page=r.page))
                else:
                    items[-1].text += p.text
            elif p.kind == "amount" and items:
                items[-1].amounts.append(p.text)
                items[-1].gaps.append(p.gap_before)
    return items


def _text_columns(raw: RawTable) -> tuple[Column, list[Column]]:
    header = clean("".join(h[0] or "" for h in raw.header))
    parts = header.split("项目")
    left_text = parts[1] if len(parts) > 2 else ""
    right_text = "项目".join(parts[2:]) if len(parts) > 2 else header
    left_label = re.sub(r"^(收入|支出)+", "", left_text) or "金额"
    left = Column(index=0, label=left_label, role="amount", measure=measure_of(left_label) or "total", side=0)
    right = text_columns(right_text)
    for c in right:
        c.side = 1
    return left, right


def _left_sources(items: list[_Item]) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for it in items:
        name = item_name(it.text)
        for word, measure in _SOURCE_OF:
            if name.startswith(word) and 0 in it.values:
                sums[measure] = sums.get(measure, Decimal(0)) + it.values[0]
    return sums


def parse_summary(raw: RawTable, kind: str) -> Parsed:
    out = Parsed()
    tol = tolerance(raw)
    records: list[tuple[int, str, Column, Decimal, int | None]] = []
    if raw.rows and raw.rows[0].aligned:
        cols, amount_cols = amount_columns(raw)
        name_cols = [c for c in cols if c.role == "name"]
        for row in raw.rows:
            for side in sorted({c.side for c in name_cols}):
                name_col = next(c for c in name_cols if c.side == side)
                name = clean(row.cells[name_col.index] if name_col.index < len(row.cells) else "")
                for c in amount_cols:
                    if c.side != side or c.index >= len(row.cells):
                        continue
                    v = read_amount(row.cells[c.index], f"{raw.title}（{name}）", row.page, out)
                    if v is not None:
                        if not name:
                            out.issues.append(Issue("error", f"{raw.title}：金额 {v} 没有对应的项目名称", row.page))
                            continue
                        records.append((side, name, c, v, row.page))
    else:
        left, right = _text_columns(raw)
        items = _text_items(raw)
        right_measures = [c.measure for c in right]
        for it in items:
            name = item_name(it.text)
            if not it.amounts:
                continue
            vals = [read_amount(a, f"{raw.title}（{name}）", it.page, out) for a in it.amounts]
            if any(v is None for v in vals):
                continue
            if side_of(name) == 0:
                if len(vals) > 1:
                    out.issues.append(Issue("error", f"{raw.title}（{name}）：收入方只有一列，却读到{len(vals)}个金额", it.page))
                    continue
                it.values = {0: vals[0]}
            else:
                it.pending = placement.Pending(values=vals, gaps=it.gaps + [0])
                it.pending.candidates = placement.candidates(vals, [], right_measures, tol)
                if len(it.pending.candidates) == 1:
                    it.pending.placed = it.pending.candidates[0]
        _resolve_right(items, right, tol, kind)
        for it in items:
            name = item_name(it.text)
            if side_of(name) == 0:
                for _, v in it.values.items():
                    records.append((0, name, left, v, it.page))
            elif it.pending:
                if it.pending.placed is None:
                    vals = "、".join(str(v) for v in it.pending.values)
                    out.issues.append(Issue("error", f"{raw.title}（{name}）：金额 {vals} 无法确定所在列", it.page))
                    continue
                for k, v in it.pending.as_dict(it.pending.placed).items():
                    records.append((1, name, right[k], v, it.page))
    for i, (side, name, col, v, page) in enumerate(records):
        out.add("summary_lines", {
            "table_kind": kind, "side": "收入" if side == 0 else "支出", "item": item_name(name),
            "measure": col.measure, "column_label": col.label, "amount_yuan": yuan(v, raw), "page": page, "row_no": i,
        })
    out.has_data = bool(records)
    return out


def _resolve_right(items: list[_Item], right: list[Column], tol: Decimal, kind: str) -> None:
    """支出 rows: the 类 rows sum to 本年支出合计; in 财政拨款收支总表 each fund's column sums to its 收入."""
    rights = [it for it in items if it.pending]
    pend = [it.pending for it in rights]
    total_row = next((it for it in rights if re.search(r"支出合计|支出总计", item_name(it.text))), None)
    if kind == "fiscal_summary" and total_row and total_row.pending.placed is None:
        sources = _left_sources(items)
        idx = {c.measure: k for k, c in enumerate(right)}
        match = []
        for p in total_row.pending.candidates:
            vals = total_row.pending.as_dict(p)
            if all(abs(vals.get(idx[m], Decimal(0)) - sources.get(m, Decimal(0))) <= tol * 4
                   for m in ("general_budget", "gov_fund", "soe_capital") if m in idx):
                match.append(p)
        if len(match) == 1:
            total_row.pending.placed = match[0]
    placement.resolve_by_usage(pend)
    if total_row and total_row.pending.placed is not None:
        kids = [it.pending for it in rights if _ORDINAL.match(it.text) and it is not total_row]
        placement.resolve_children(total_row.pending.as_dict(total_row.pending.placed), kids, tol)
    placement.resolve_by_usage(pend)
