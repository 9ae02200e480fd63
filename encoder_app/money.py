"""Amounts of money as a practice writes them: "$1,200.00", "25.5", 120 -> Decimal cents.

One reading for every place an amount comes in (the fee schedule CSV, the encounter file, the
chart pane's cells), so "$25.00" typed at the front desk means the same everywhere. Fractions of
a cent are refused, not rounded: a file read with the wrong decimal separator must not load as
plausible amounts. NaN and infinity are refused (they are Decimals too, and break totals).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

CENT = Decimal("0.01")
#: Larger than any real charge or payment; keeps totals printable and sums exact.
MAX_AMOUNT = Decimal("9999999.99")
_AMOUNT = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+")


def parse_amount(value: Decimal | int | float | str, allow_negative: bool = False) -> Decimal:
    """The amount in whole cents; ValueError says what is wrong ("is not an amount", "is
    negative", "has fractions of a cent", "is too large")."""
    if isinstance(value, bool):
        raise ValueError("is not an amount")
    if isinstance(value, float):
        value = repr(value)  # 12.5, not the binary fraction Decimal(12.5) would keep
    if isinstance(value, str):
        text = value.strip().replace("$", "").replace(" ", "")
        if not text:
            raise ValueError("is empty")
        negative = text.startswith("-")
        if not _AMOUNT.fullmatch(text.lstrip("-")):
            raise ValueError("is not an amount")
        value = ("-" if negative else "") + text.lstrip("-").replace(",", "")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError("is not an amount") from None
    if not amount.is_finite():
        raise ValueError("is not an amount")
    if amount < 0 and not allow_negative:
        raise ValueError("is negative")
    # Before quantize: 10**30 to the cent has more digits than Decimal keeps (InvalidOperation).
    if abs(amount) > MAX_AMOUNT:
        raise ValueError(f"is too large (at most {MAX_AMOUNT:,})")
    if amount != amount.quantize(CENT):
        raise ValueError("has fractions of a cent")
    return amount.quantize(CENT)


def amount_text(value: object) -> str:
    """An amount as a cell shows it ("25.50"); text that is not an amount is shown as typed,
    so the coder sees what the edits complain about."""
    if value is None or value == "":
        return ""
    try:
        return f"{parse_amount(value, allow_negative=True):.2f}"
    except ValueError:
        return str(value)
