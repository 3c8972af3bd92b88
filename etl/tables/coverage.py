"""Did every printed amount of a recognised table reach the database? Counted, not assumed.

The count of amount cells the table prints (grid cells or text tokens) must equal the amounts its parser
produced; a difference means a cell was dropped or invented, which is an ingest error.
"""

from __future__ import annotations

from etl.read import tokens
from etl.read.amounts import is_amount
from etl.read.layout import RawTable
from etl.read.tokens import clean
from etl.tables.parsers.common import amount_columns, padded

# which output rows carry how many amounts
_AMOUNT_FIELDS = ("total_yuan", "general_budget_yuan", "gov_fund_yuan", "soe_capital_yuan", "special_account_yuan",
                  "unit_funds_yuan")


def printed_amounts(raw: RawTable) -> int:
    n = 0
    amount_idx: set[int] = set()
    width = 0
    if raw.rows and raw.rows[0].aligned:
        cols, amount_cols = amount_columns(raw)
        amount_idx = {c.index for c in amount_cols}
        width = len(cols)
    for r in raw.rows:
        if r.aligned:
            cells = padded(r.cells, width)
            n += sum(1 for i, c in enumerate(cells) if i in amount_idx and c is not None and clean(c) and is_amount(c))
        else:
            _, rest = tokens.leading_code(r.cells[0] or "")
            n += sum(1 for p in tokens.pieces(rest) if p.kind == "amount")
    return n


def produced_amounts(rows: dict[str, list[dict]]) -> int:
    n = 0
    for table, items in rows.items():
        for r in items:
            if table == "projects":
                n += sum(1 for f in _AMOUNT_FIELDS if r.get(f) is not None)
            elif "amount_yuan" in r:
                n += 1
    return n
