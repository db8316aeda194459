"""Amounts as people write them, and shown in the target's own scale.

The ledger stores values in base units (1.2万亿元 → 1200000000000, unit 元), exactly as the
extractor gives them. People neither type nor read that: a clerk types 1500亿, 1.2万, 3,000万元
or 百分之五, and a page shows 1.2万亿元 and 6000亿元. The *scale* of a target is the magnitude
its value was printed with (亿 for 1000亿元, none for 1200家); its *display unit* is scale and
unit together (亿元).

Typed amounts (`parse_amount`, the CLI, the web forms, progress files, imported sheets):

- with a magnitude (1500亿, 3,000万元, 1.2万, 两千亿) → exactly that many base units;
- without one (1500, 1,500.5, 百分之五 → 5, 65%) → a number **in the target's display unit**,
  the unit the page and the 台账's 单位 column show beside it (1500 → 1500亿 for 6000亿元).

Numbers are read by the extractor's own numeral parser (`taizhang.extract.numerals`).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from taizhang.errors import LedgerError
from taizhang.ledger.models import tidy_decimal as _tidy
from taizhang.ledger.values import check_amount

SCALES: dict[str, Decimal] = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4}
_NUMERAL = r"[\d.０-９一二两三四五六七八九十百千〇零]"
_SCALE_IN_TEXT = re.compile(rf"{_NUMERAL}\s*(万亿|亿|万)")
_PERCENT_WORDS = re.compile(r"^百分之(.+)$")
_MAGNITUDE_TAIL = re.compile(r"(万亿|千亿|百亿|十亿|亿|千万|百万|十万|万)$")
_CHINESE_ONLY = re.compile(r"^[一二两三四五六七八九十百千〇零点]+$")
_UNIT_TAIL = re.compile(r"(?<=[\d.万亿千百十])[^\d.万亿千百十一二两三四五六七八九〇零点]+$")


def scale_of(value_text: str | None, unit: str = "") -> str:
    """The magnitude a value was printed with: '万亿', '亿', '万' or ''.

    >>> scale_of("1.2万亿元", "元"), scale_of("超1000亿元", "元"), scale_of("1200家", "家")
    ('万亿', '亿', '')
    >>> scale_of("150万千瓦", "千瓦"), scale_of("千亿级", "元"), scale_of("12.5/10万", "/10万")
    ('万', '亿', '')
    """
    text = unicodedata.normalize("NFKC", value_text or "")
    if unit and unit in text:  # a unit may hold a magnitude of its own (/10万): look before it
        text = text[: text.rfind(unit)]
    found = _SCALE_IN_TEXT.findall(text)
    return found[-1] if found else ""


def display_unit(value_text: str | None, unit: str) -> str:
    """The unit a target is shown and typed in: 亿元 for 1000亿元, 家 for 1200家."""
    return scale_of(value_text, unit) + (unit or "")


def in_scale(value: Decimal | float | int | None, value_text: str | None, unit: str = "") -> Decimal | None:
    """`value` (base units) in the target's display unit: 1.2e12 with 1.2万亿元 → 1.2."""
    if value is None:
        return None
    return _tidy(Decimal(str(value)) / SCALES.get(scale_of(value_text, unit), Decimal(1)))


def format_amount(value: Decimal | float | int | None, value_text: str | None, unit: str,
                  *, with_unit: bool = True) -> str:
    """6000亿元, 1.2万亿元, 1,200家, 5.5%; '—' for None.

    >>> format_amount(Decimal("600000000000"), "6000亿元", "元")
    '6000亿元'
    >>> format_amount(Decimal("1200000000000"), "1.2万亿元", "元")
    '1.2万亿元'
    >>> format_amount(1200, "1200家", "家"), format_amount(150000000000, "6000亿元", "元")
    ('1,200家', '1500亿元')
    """
    shown = in_scale(value, value_text, unit)
    if shown is None:
        return "—"
    scaled = bool(scale_of(value_text, unit))
    number = format(shown, "f") if scaled else f"{shown:,f}"
    return number + (display_unit(value_text, unit) if with_unit else "")


def parse_amount(raw: Any, *, unit: str = "", value_text: str | None = None,
                 what: str = "value") -> Decimal:
    """A typed amount in base units, for a target with `unit` printed as `value_text`.

    >>> parse_amount("1500亿", unit="元", value_text="6000亿元")
    Decimal('150000000000')
    >>> parse_amount("1500", unit="元", value_text="6000亿元")
    Decimal('150000000000')
    >>> parse_amount("3,000万元", unit="元"), parse_amount("1.2万", unit="人")
    (Decimal('30000000'), Decimal('12000'))
    >>> parse_amount("百分之五", unit="%"), parse_amount("65%", unit="%"), parse_amount(1100, unit="家")
    (Decimal('5'), Decimal('65'), Decimal('1100'))
    """
    try:
        value = _parse_amount(raw, unit=unit, value_text=value_text, what=what)
    except InvalidOperation:  # more digits than Decimal's context holds: far out of range
        raise LedgerError(f"{what}: {raw!r} is out of range") from None
    return check_amount(value, what=what)


def _parse_amount(raw: Any, *, unit: str, value_text: str | None, what: str) -> Decimal:
    factor = SCALES.get(scale_of(value_text, unit), Decimal(1))
    if isinstance(raw, bool) or raw is None:
        raise LedgerError(f"{what}: expected an amount such as 1500, 1500亿 or 3,000万元, got {raw!r}")
    if isinstance(raw, int | Decimal):
        return _tidy(Decimal(raw) * factor)
    if isinstance(raw, float):
        return _tidy(Decimal(repr(raw)) * factor)
    text = "".join(unicodedata.normalize("NFKC", str(raw)).split()).replace(",", "")
    problem = LedgerError(
        f"{what}: {raw!r} is not an amount; write it as 1500, 1500亿, 3,000万元, 1.2万 or 百分之五"
        + (f" (a bare number is read in {display_unit(value_text, unit)})" if factor != 1 else "")
    )
    if not text:
        raise problem
    if m := _PERCENT_WORDS.match(text):
        text = m[1] + "%"
    if unit and text.endswith(unit) and len(text) > len(unit):
        text = text[: -len(unit)]
    elif text.endswith("%") and unit in ("%", "个百分点", ""):
        text = text[:-1]
    elif m := _UNIT_TAIL.search(text):
        raise LedgerError(f"{what}: {raw!r} is in {m[0]}, the target is counted in {unit or 'plain numbers'}")
    explicit = bool(_MAGNITUDE_TAIL.search(text)) or (
        bool(_CHINESE_ONLY.match(text)) and any(ch in text for ch in "万亿"))
    value = _number(text)
    if value is None:
        raise problem
    return _tidy(value if explicit else value * factor)


def _number(text: str) -> Decimal | None:
    from taizhang.extract.numerals import parse_number

    negative = text.startswith(("-", "−"))
    value = parse_number(text.lstrip("-−+"))
    if value is None or not value.is_finite():
        return None
    return -value if negative else value


