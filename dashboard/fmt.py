"""Number and text formatting shared by charts, tables and prose.

Officials compare our figures with the printed report, so every amount is rounded half-up to 2 decimals in 万元
exactly as the report prints it, never with binary-float rounding surprises.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

import pandas as pd

from etl.read.units import yuan_to_display

# A difference under 0.01万元 (100元) rounds to 0.00 in 万元: such a difference — a misprinted 元 — is shown in 元.
SMALL_DIFFERENCE_YUAN = Decimal(100)

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$:])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])", re.MULTILINE)


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def to_wan(yuan: float | Decimal | int | None) -> float | None:
    """元 → 万元 rounded half-up to the cent of a 万元, as the reports print it (etl.read.units)."""
    if _is_missing(yuan):
        return None
    return float(yuan_to_display(yuan))


def wan(yuan: float | Decimal | int | None, *, suffix: bool = False, missing: str = "—") -> str:
    """元 → '3,623.26' (or '3,623.26万元'): the single spelling of an amount across the UI."""
    value = to_wan(yuan)
    if value is None:
        return missing
    text = f"{value:,.2f}"
    return f"{text}万元" if suffix else text


def _decimal(value: object) -> Decimal | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def yuan(amount: object) -> str:
    """'94,995,800元', '-0.34元', '0.5元': an exact amount in 元 (to the 分, trailing zeros dropped)."""
    value = _decimal(amount)
    if value is None:
        return "—"
    return f"{value:,.2f}".rstrip("0").rstrip(".") + "元"


def is_small_difference(expected: object, actual: object) -> bool:
    """True where the two amounts differ by less than 0.01万元: in 万元 they would read as equal, 差额 0.00."""
    e, a = _decimal(expected), _decimal(actual)
    return e is not None and a is not None and abs(a - e) < SMALL_DIFFERENCE_YUAN


def amount(value: object, *, small: bool = False) -> str:
    """An amount with its unit: '3,623.26万元', or exactly in 元 where `small` (the comparison it belongs to differs
    by less than 0.01万元, so both figures must show the 元 that differ)."""
    d = _decimal(value)
    if d is None:
        return "—"
    return yuan(d) if small else f"{yuan_to_display(d):,.2f}万元"


def difference(expected: object, actual: object) -> str:
    """'实际' minus '应为' with its unit: in 元 below 0.01万元 ('-0.34元'), else in 万元 ('12.30万元'); never '0.00万元'
    for a difference that exists. Empty where either side is unknown."""
    e, a = _decimal(expected), _decimal(actual)
    if e is None or a is None:
        return ""
    return amount(a - e, small=is_small_difference(e, a))


def compared(expected: object, actual: object) -> tuple[str, str, str]:
    """应为, 实际 and 差额 in one unit — 元 where they differ by less than 0.01万元 — so the three always agree."""
    small = is_small_difference(expected, actual)
    diff = difference(expected, actual)
    return amount(expected, small=small), amount(actual, small=small), diff or "—"


def pct(value: float | None, *, digits: int = 2, missing: str = "—") -> str:
    """A percentage number (18.85) → '18.85%'."""
    if _is_missing(value):
        return missing
    return f"{value:.{digits}f}%"


def share(part: float | None, whole: float | None) -> float | None:
    """Part of whole in percent, or None when either side is unknown or the whole is 0."""
    if _is_missing(part) or _is_missing(whole) or not whole:
        return None
    return float(part) * 100.0 / float(whole)


def change_phrase(change_yuan: float | None, change_pct: float | None) -> str | None:
    """'比上年增加574.68万元（18.85%）' — the wording budget explanations use for year-on-year change."""
    if _is_missing(change_yuan):
        return None
    amount = to_wan(abs(change_yuan))
    if amount == 0:
        return "与上年持平"
    verb = "增加" if change_yuan > 0 else "减少"
    text = f"比上年{verb}{amount:,.2f}万元"
    if not _is_missing(change_pct):
        text += f"（{abs(change_pct):.2f}%）"
    return text


def signed_change(change_yuan: float | None, change_pct: float | None) -> str | None:
    """'+574.68（+18.85%）' (万元 in the card's label) for a metric delta, whose arrow follows the sign."""
    if _is_missing(change_yuan):
        return None
    text = f"{to_wan(change_yuan):+,.2f}"
    if not _is_missing(change_pct):
        text += f"（{change_pct:+.2f}%）"
    return text


def md_escape(text: str | None) -> str:
    """Report text is data, not markup: escape it before st.markdown so '*' or '#' in a form stay literal."""
    if not text:
        return ""
    escaped = _MD_SPECIAL.sub(r"\\\1", str(text))
    return _MD_LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], escaped)


def wrap_label(text: str, width: int = 14, max_lines: int = 3) -> str:
    """Break long Chinese names with <br> so axis labels don't eat the plot; '…' past max_lines."""
    text = str(text)
    parts = [text[i : i + width] for i in range(0, len(text), width)] or [""]
    if len(parts) > max_lines:
        parts = parts[:max_lines]
        parts[-1] = parts[-1][:-1] + "…"
    return "<br>".join(parts)
