"""Money units: how many 元 one printed unit is — the one table the ETL, the dashboard and SQL all read.

Amounts are stored in 元 (DECIMAL, exact). A table prints 元, 万元 or 亿元; the prose prints 万元 (and the ETL records
a prose figure's unit as printed); the dashboard shows 万元. Every conversion between them goes through here:
`to_yuan` (ETL, exact), `yuan_to_display` (dashboard, half-up to the cent of a 万元 as reports print it) and
`sql_yuan_per` (the same factors as a DuckDB expression for queries and views).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

YUAN_PER: dict[str, Decimal] = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}
PROSE_UNIT = "万元"  # the unit of a prose money figure that prints none (and of the facts the prose parser stores)
DISPLAY_UNIT = "万元"  # every amount the dashboard shows, titled 单位：万元
_CENT = Decimal("0.01")


def yuan_per(unit: str | None, default: str = PROSE_UNIT) -> Decimal:
    """元 per printed unit; a missing or unknown unit is `default` (a prose figure: 万元)."""
    return YUAN_PER.get(str(unit).strip() if unit is not None else "", YUAN_PER[default])


def to_yuan(value: Decimal | float | str | None, unit: str) -> Decimal | None:
    """A printed amount in `unit` → 元 with two decimals, exactly (万元 × 10000 never rounds; floats go via str)."""
    if value is None:
        return None
    return (Decimal(str(value)) * YUAN_PER[unit]).quantize(_CENT)


def yuan_to_display(yuan: Decimal | float | int, unit: str = DISPLAY_UNIT) -> Decimal:
    """元 → the display unit, rounded half-up to its cent (3,623.26万元), as the reports print amounts."""
    return (Decimal(str(yuan)) / YUAN_PER[unit]).quantize(_CENT, rounding=ROUND_HALF_UP)


def sql_yuan_per(unit_column: str, default: str = PROSE_UNIT) -> str:
    """`yuan_per` as a DuckDB CASE expression over `unit_column` (a column name of ours, never user text)."""
    whens = " ".join(f"WHEN '{unit}' THEN {factor}" for unit, factor in YUAN_PER.items())
    return f"CASE trim({unit_column}) {whens} ELSE {YUAN_PER[default]} END"
