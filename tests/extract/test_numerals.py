"""Numeral parsing: properties over all integers, and the magnitudes of DOMAIN.md."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taizhang.extract.numerals import parse_chinese_integer, parse_number

DIGITS = "零一二三四五六七八九"


def _section(n: int) -> str:
    """0 < n < 10000 in Chinese, with 零 for skipped places: 1005 → 一千零五."""
    out, zero = "", False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += DIGITS[d] + name
    return out


def to_chinese(n: int) -> str:
    """A reference writer of Chinese numerals (the way reports print them)."""
    if n == 0:
        return "零"
    parts = []
    for unit, name in ((10**8, "亿"), (10**4, "万"), (1, "")):
        section = n // unit % 10**4 if unit < 10**8 else n // unit
        if section:
            text = to_chinese(section) if section >= 10**4 else _section(section)
            if parts and section < 1000:
                text = "零" + text
            parts.append(text + name)
    return "".join(parts)


@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_chinese_numerals_round_trip(n: int) -> None:
    assert parse_chinese_integer(to_chinese(n)) == n


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["", "万", "亿", "万亿", "千亿", "百亿"]))
def test_arabic_with_magnitude_is_exact(n: int, magnitude: str) -> None:
    factor = {"": 1, "万": 10**4, "亿": 10**8, "万亿": 10**12, "千亿": 10**11, "百亿": 10**10}[magnitude]
    assert parse_number(f"{n}{magnitude}") == Decimal(n) * factor


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False))
def test_decimals_are_exact(value: Decimal) -> None:
    text = f"{value:f}"
    assert parse_number(text + "万") == value * 10**4


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.3万亿", "1300000000000"), ("千亿", "100000000000"), ("两万", "20000"), ("十五", "15"),
     ("一百零五", "105"), ("二〇二四", "2024"), ("１２００", "1200"), ("1,200", "1200"), ("五点五", "5.5")],
)
def test_forms_as_printed(text: str, value: str) -> None:
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "新一轮", "万物", "1.2.3", "亿万"])
def test_not_numbers(text: str) -> None:
    assert parse_number(text) is None
