"""Failed checks as findings an official can act on: one per real problem, with every place it shows up.

One misprinted cell fails several checks — its 款 against its 项, the 类 above, the 收支总表 beside it — each with the
same difference. Those failures are one finding: grouped by the size of the difference (exact, in 元), shown once
with both figures and the list of places. A difference smaller than 0.01万元 is shown in 元 (差额 1元), where 万元
would read “9,499.58 vs 9,499.58, 差额 -0.00”.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from .fmt import wan
from .labels import table_kind

_WAN_CENT = Decimal(100)  # 0.01万元 in 元


@dataclass
class Place:
    description: str
    table: str
    page: int | None


@dataclass
class Finding:
    description: str
    expected: Decimal | None
    actual: Decimal | None
    places: list[Place] = field(default_factory=list)

    @property
    def difference(self) -> str:
        return difference_text(self.expected, self.actual)


def _decimal(value: object) -> Decimal | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return Decimal(str(value))


def amount_text(yuan: Decimal | None, *, small: bool) -> str:
    """An amount in 万元; in 元 where the finding is about less than 0.01万元 (so both figures differ visibly)."""
    if yuan is None:
        return "—"
    if small:
        return f"{yuan:,.2f}".rstrip("0").rstrip(".") + "元"
    return wan(yuan, suffix=True)


def difference_text(expected: Decimal | None, actual: Decimal | None) -> str:
    """'差额 1元', '差额 -0.5元', '差额 12.30万元' — never '-0.00万元' for a difference that exists."""
    if expected is None or actual is None:
        return ""
    diff = actual - expected
    if abs(diff) < _WAN_CENT:
        return f"差额 {diff:,.2f}".rstrip("0").rstrip(".") + "元"
    return f"差额 {wan(diff, suffix=True)}"


def figures_text(f: Finding) -> str:
    """'应为 X，实际 Y，差额 Z' in the unit that shows the difference."""
    if f.expected is None or f.actual is None:
        return ""
    small = abs(f.actual - f.expected) < _WAN_CENT
    return (f"应为 {amount_text(f.expected, small=small)}，实际 {amount_text(f.actual, small=small)}，"
            f"{f.difference}")


def _table_label(row: pd.Series) -> str:
    label = table_kind(row.get("table_kind")) if isinstance(row.get("table_kind"), str) else ""
    number = row.get("table_no")
    if label and isinstance(number, str) and number.strip():
        number = number.strip()
        label = f"{number if '表' in number else '表' + number} {label}"
    return label


def findings(checks: pd.DataFrame) -> list[Finding]:
    """Failed checks (passed False; NULL is not run) grouped into findings, in the order the checks come."""
    out: list[Finding] = []
    by_difference: dict[Decimal, Finding] = {}
    if checks.empty:
        return out
    failed = checks[checks["passed"].map(lambda p: p is not None and not pd.isna(p) and not bool(p))]
    for _, row in failed.iterrows():
        expected, actual = _decimal(row.get("expected")), _decimal(row.get("actual"))
        page = row.get("page")
        place = Place(str(row.get("description") or ""), _table_label(row),
                      None if page is None or pd.isna(page) else int(page))
        key = abs(actual - expected) if expected is not None and actual is not None else None
        if key is not None and key in by_difference:
            by_difference[key].places.append(place)
            continue
        finding = Finding(place.description, expected, actual, [place])
        if key is not None:
            by_difference[key] = finding
        out.append(finding)
    return out
