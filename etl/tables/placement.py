"""Placing the amounts of a text row into columns, from the report's own arithmetic — never by guessing.

A text extraction drops blank cells, so "135.38 135.38" under 合计/基本支出/项目支出 could be 合计+基本 or
合计+项目. Candidates are every order-preserving placement; a candidate survives only if the row adds up
(合计 = 基本+项目, 合计 = sum of sources, …), it leaves at least as many blank cells as the spaces printed show,
and it agrees with what the rest of the table forces (columns in use, parent = sum of children, known totals).
A row with no single survivor is reported, not stored.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

SOURCES = ("fiscal_appropriation", "general_budget", "gov_fund", "soe_capital", "special_account",
           "business_income", "operating_income", "other_income", "unit_funds")

Placement = tuple[int, ...]  # column position of each amount


@dataclass
class Pending:
    values: list[Decimal]
    gaps: list[int]  # spaces before each value, then after the last
    candidates: list[Placement] = field(default_factory=list)
    placed: Placement | None = None

    def as_dict(self, placement: Placement) -> dict[int, Decimal]:
        return dict(zip(placement, self.values, strict=True))


def _sum(vals: dict[int, Decimal], cols: Sequence[int]) -> Decimal:
    return sum((vals.get(c, Decimal(0)) for c in cols), Decimal(0))


def row_adds_up(vals: dict[int, Decimal], measures: Sequence[str | None], tol: Decimal) -> bool:
    """The identities a budget table's columns obey, for those columns the table has."""
    idx = {m: i for i, m in enumerate(measures) if m}
    if "total" not in idx:
        return True
    total = vals.get(idx["total"], Decimal(0))
    ok = True
    for parts in (("basic", "project"), ("personnel", "public")):
        if all(p in idx for p in parts):
            ok &= abs(total - _sum(vals, [idx[p] for p in parts])) <= tol
    sources = [idx[s] for s in SOURCES if s in idx]
    if "fiscal_appropriation" in idx and any(s in idx for s in ("general_budget", "gov_fund", "soe_capital")):
        sources = [c for c in sources if c != idx["fiscal_appropriation"]]
    alternatives = []
    if sources:
        alternatives.append(sources)
        if "carryover" in idx:
            alternatives.append(sources + [idx["carryover"]])
    if "current_year" in idx and "carryover" in idx:
        alternatives.append([idx["current_year"], idx["carryover"]])
    if alternatives:
        ok &= any(abs(total - _sum(vals, alt)) <= tol for alt in alternatives)
    return ok


def candidates(values: list[Decimal], gaps: list[int], measures: Sequence[str | None], tol: Decimal) -> list[Placement]:
    n = len(measures)
    out = []
    for placement in itertools.combinations(range(n), len(values)):
        if not _fits_spacing(placement, gaps, n):
            continue
        if row_adds_up(dict(zip(placement, values, strict=True)), measures, tol):
            out.append(placement)
    return out


def _fits_spacing(placement: Placement, gaps: list[int], n: int) -> bool:
    """Spaces between two amounts bound the blank cells between them: each blank leaves at least one extra
    space and k blanks never print wider than 2k+1 spaces, so k lies in [(gap-1)//2, gap-1]."""
    if not gaps or len(gaps) != len(placement) + 1:
        return True
    for i in range(1, len(placement)):
        blanks = placement[i] - placement[i - 1] - 1
        if not (gaps[i] - 1) // 2 <= blanks <= max(gaps[i] - 1, 0):
            return False
    return True


def resolve_by_usage(rows: list[Pending]) -> None:
    """Prefer placements using only the columns that unambiguous rows already use (a column no certain row
    fills is an unlikely home); the narrowed list still has to be settled by the table's sums."""
    used = {c for r in rows if r.placed for c in r.placed}
    for r in rows:
        if r.placed is None and len(r.candidates) > 1:
            narrowed = [p for p in r.candidates if set(p) <= used]
            if narrowed:
                r.candidates = narrowed
            if len(r.candidates) == 1:
                r.placed = r.candidates[0]


def resolve_children(parent: dict[int, Decimal], children: list[Pending], tol: Decimal, limit: int = 20000) -> bool:
    """Children of a known parent must sum to it column by column; place what every solution agrees on."""
    open_rows = [c for c in children if c.placed is None]
    if not open_rows or any(not c.candidates for c in open_rows):
        return False
    fixed: dict[int, Decimal] = {}
    for c in children:
        if c.placed is not None:
            for k, v in c.as_dict(c.placed).items():
                fixed[k] = fixed.get(k, Decimal(0)) + v
    total = 1
    for c in open_rows:
        total *= len(c.candidates)
    if total > limit:
        return False
    solutions = []
    for combo in itertools.product(*(c.candidates for c in open_rows)):
        sums = dict(fixed)
        for c, p in zip(open_rows, combo, strict=True):
            for k, v in c.as_dict(p).items():
                sums[k] = sums.get(k, Decimal(0)) + v
        keys = set(sums) | set(parent)
        if all(abs(sums.get(k, Decimal(0)) - parent.get(k, Decimal(0))) <= tol * (len(children) + 1) for k in keys):
            solutions.append(combo)
    if not solutions:
        return False
    progress = False
    for i, c in enumerate(open_rows):
        options = {s[i] for s in solutions}
        if len(options) == 1:
            c.placed = options.pop()
            progress = True
    return progress
