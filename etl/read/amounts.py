"""Exact money: printed amount strings to Decimal 元, never through float."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from etl.read.tokens import clean
from etl.read.units import YUAN_PER  # the one table of money units (etl/read/units.py); callers import it from here too

# A printed amount: grouped thousands or plain digits, optional sign and decimals. Full-width forms are
# normalised before matching.
_AMOUNT = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_BLANKS = {"", "-", "—", "－", "--", "——"}
_FULLWIDTH = str.maketrans("０１２３４５６７８９，．－", "0123456789,.-")


def normalise(text: str | None) -> str:
    """Strip spaces/newlines a PDF cell or a wrapped line leaves inside an amount."""
    if text is None:
        return ""
    return clean(text.translate(_FULLWIDTH))


def is_blank(text: str | None) -> bool:
    """A blank cell is no amount (contract: no row / NULL), distinct from a printed 0."""
    return normalise(text) in _BLANKS


def is_amount(text: str | None) -> bool:
    return bool(_AMOUNT.match(normalise(text)))


def is_printed_amount(text: str) -> bool:
    """An amount exactly as its characters stand — no full-width forms or inner spaces folded: a word of a line
    whose place on the page is being read (etl/read/borderless.py)."""
    return bool(_AMOUNT.match(text))


def parse_amount(text: str | None) -> Decimal | None:
    """The printed number as Decimal, None for a blank; raises ValueError for anything else."""
    t = normalise(text)
    if t in _BLANKS:
        return None
    if not _AMOUNT.match(t):
        raise ValueError(f"无法识别的金额: {text!r}")
    try:
        return Decimal(t.replace(",", "").replace("−", "-"))
    except InvalidOperation as exc:  # pragma: no cover - regex already guards
        raise ValueError(f"无法识别的金额: {text!r}") from exc


def to_yuan(value: Decimal | None, unit: str) -> Decimal | None:
    """Convert a printed amount to 元 with two decimals, exactly (万元 × 10000 never rounds)."""
    if value is None:
        return None
    return (value * YUAN_PER[unit]).quantize(Decimal("0.01"))


def rounding_tolerance(unit: str, cells: int) -> Decimal:
    """The contract's tolerance: 0.01 of the printed unit per summed cell (a 万元 print rounds each cell)."""
    return YUAN_PER[unit] * Decimal("0.01") * max(cells, 1)
