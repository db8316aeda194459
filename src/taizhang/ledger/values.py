"""Parsing what people type into CLI options, CSV cells and spreadsheet cells."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from taizhang.errors import LedgerError

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


def parse_decimal(raw: Any, *, what: str = "value") -> Decimal:
    """A number from a cell or option: `1,200`, `１２００`, `65%`, `5.5`, or a numeric cell.

    >>> parse_decimal("1,200.5")
    Decimal('1200.5')
    >>> parse_decimal("65%")
    Decimal('65')
    """
    if isinstance(raw, bool):
        raise LedgerError(f"{what}: expected a number, got {raw!r}")
    if isinstance(raw, int | Decimal):
        return check_amount(Decimal(raw), what=what)
    if isinstance(raw, float):
        return check_amount(Decimal(repr(raw)), what=what)
    text = unicodedata.normalize("NFKC", str(raw or "")).strip().replace(",", "")
    text = text.removesuffix("%").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise LedgerError(f"{what}: expected a number, got {raw!r}") from None
    if not value.is_finite():
        raise LedgerError(f"{what}: expected a finite number, got {raw!r}")
    return check_amount(value, what=what)


# One rule for both databases. Amounts are NUMERIC(30, 6) on PostgreSQL (overflow above 1e24,
# silent rounding to 6 decimals) and REAL on SQLite (15-17 significant digits): a number that
# either would change is refused on both, with the reason, instead of stored differently.
AMOUNT_MAX = Decimal("1e18")
AMOUNT_DIGITS = 15
AMOUNT_DECIMALS = 6


def check_amount(value: Decimal, *, what: str = "value") -> Decimal:
    """`value` unchanged if both databases store it exactly, else a `LedgerError` saying why.

    >>> check_amount(Decimal("1.2e12"))
    Decimal('1.2E+12')
    >>> check_amount(Decimal("1e40"))
    Traceback (most recent call last):
    ...
    taizhang.errors.LedgerError: value: 1E+40 is out of range (at most 999,999,999,999,999,999)
    """
    if not value.is_finite():
        raise LedgerError(f"{what}: expected a finite number, got {value}")
    if abs(value) >= AMOUNT_MAX:
        raise LedgerError(f"{what}: {value} is out of range (at most {AMOUNT_MAX - 1:,f})")
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    if value and -exponent > AMOUNT_DECIMALS:
        raise LedgerError(f"{what}: {value} has more than {AMOUNT_DECIMALS} decimal places")
    if len(value.normalize().as_tuple().digits) > AMOUNT_DIGITS:
        raise LedgerError(f"{what}: {value} has more than {AMOUNT_DIGITS} significant digits")
    return value


def parse_date(raw: Any, *, what: str = "date") -> date:
    """A date from a cell or option: 2024-06-30, 2024/6/30, 2024年6月30日, a date cell.

    A month alone (2024-06, 2024年6月) means its last day, as statistics are reported.

    >>> parse_date("2024年6月30日")
    datetime.date(2024, 6, 30)
    >>> parse_date("2024-02")
    datetime.date(2024, 2, 29)
    """
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = unicodedata.normalize("NFKC", str(raw or "")).strip()
    problem = LedgerError(f"{what}: expected a date like 2024-06-30, got {raw!r}")
    try:
        if m := _DATE.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _MONTH.match(text):
            year, month = int(m[1]), int(m[2])
            nxt = date(year + month // 12, month % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
    except ValueError:  # 2024-02-30, month 13
        raise problem from None
    raise problem


MAX_ID = 2**31 - 1  # ids are INTEGER columns on both databases
_ID = re.compile(r"[0-9]{1,10}")


def parse_id(raw: Any) -> int | None:
    """A record's number as typed (`12`, `#12`, a numeric cell), or None when it cannot be one:
    only ASCII digits (not `²`, which `str.isdigit` accepts) and no more than an INTEGER holds.

    >>> parse_id("#12"), parse_id("²"), parse_id("99999999999999999999")
    (12, None, None)
    """
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, bool):
        return None
    text = str(raw if raw is not None else "").strip().lstrip("#")
    if not _ID.fullmatch(text):
        return None
    number = int(text)
    return number if number <= MAX_ID else None
