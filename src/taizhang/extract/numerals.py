"""Numeral parsing: Arabic, full-width and Chinese numerals with magnitudes → exact Decimal.

Own converter rather than cn2an (it turns 新一轮 into 新1轮 and misses 千亿/百亿): we only
convert strings the quantity rules have already delimited.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from taizhang.extract.lexicon.numerals import DIGITS, FULLWIDTH, LARGE_UNITS, MAGNITUDES, SMALL_UNITS


def parse_chinese_integer(text: str) -> int | None:
    """一千二百三十 → 1230, 两万 → 20000, 十五 → 15, 三 → 3, 一二三 → 123 (digit by digit).

    >>> parse_chinese_integer("一千二百三十")
    1230
    >>> parse_chinese_integer("三万五千")
    35000
    >>> parse_chinese_integer("十二")
    12
    """
    if not text:
        return None
    if all(ch in DIGITS for ch in text):
        # 二〇二四 style: digits read one by one
        return int("".join(str(DIGITS[ch]) for ch in text))
    total = 0  # completed 亿 / 万 sections
    section = 0  # current section below 万
    digit: int | None = None
    for ch in text:
        if ch in "零〇":
            continue  # a place holder: 一百零五
        if ch in DIGITS:
            if digit is not None:
                return None  # two digits in a row inside a positional numeral
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        elif ch in LARGE_UNITS:
            unit = LARGE_UNITS[ch]
            section += digit or 0
            digit = None
            if section == 0 and total == 0:
                return None
            if unit == 10**8:
                total = (total + section) * unit
            else:
                total += section * unit
            section = 0
        else:
            return None
    return total + section + (digit or 0)


def parse_arabic(text: str) -> Decimal | None:
    """'1,200' → 1200, '５.５' → 5.5; None when it is not a number.

    >>> parse_arabic("1,200.5")
    Decimal('1200.5')
    """
    cleaned = text.translate(FULLWIDTH).replace(",", "")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def parse_number(text: str) -> Decimal | None:
    """A number as written, with an optional trailing magnitude word: '1.3万亿', '三万', '千亿'.

    >>> parse_number("1.3万亿")
    Decimal('1300000000000.0')
    >>> parse_number("千亿")
    Decimal('100000000000')
    >>> parse_number("6074亿")
    Decimal('607400000000')
    """
    text = text.translate(FULLWIDTH).replace(",", "")
    if not text:
        return None
    if text in MAGNITUDES:
        return Decimal(MAGNITUDES[text])
    # split an Arabic head from a magnitude tail: 1.3 | 万亿
    i = 0
    while i < len(text) and (text[i].isdigit() or text[i] == "."):
        i += 1
    if i:
        head = parse_arabic(text[:i])
        if head is None:
            return None
        tail = text[i:]
        if not tail:
            return head
        if tail in MAGNITUDES:
            return head * MAGNITUDES[tail]
        return None
    whole, point, decimals = text.partition("点")
    value = parse_chinese_integer(whole)
    if value is None:
        return None
    if point:
        # 四十九点五亿: the decimals, then a magnitude
        n = 0
        while n < len(decimals) and decimals[n] in DIGITS:
            n += 1
        tail = decimals[n:]
        if not n or (tail and tail not in MAGNITUDES):
            return None
        number = Decimal(f"{value}.{''.join(str(DIGITS[ch]) for ch in decimals[:n])}")
        return number * MAGNITUDES[tail] if tail else number
    return Decimal(value)
