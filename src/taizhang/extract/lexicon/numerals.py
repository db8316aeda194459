"""Chinese numerals and magnitudes (DOMAIN.md: 万 1e4 … 万亿 1e12; 千亿级 = at least 1e11)."""

from __future__ import annotations

DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5,
    "六": 6, "七": 7, "八": 8, "九": 9,
}

# Small multipliers inside a section of a Chinese numeral (一千二百三十).
SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}

# Section multipliers: a Chinese numeral is split at these (三万五千 = 3×1e4 + 5000).
LARGE_UNITS: dict[str, int] = {"万": 10**4, "亿": 10**8}

# Magnitude words written after an Arabic number or alone (千亿级, 1.3万亿): value multiplier.
MAGNITUDES: dict[str, int] = {
    "十": 10, "百": 100, "千": 1000, "万": 10**4, "十万": 10**5, "百万": 10**6, "千万": 10**7,
    "亿": 10**8, "十亿": 10**9, "百亿": 10**10, "千亿": 10**11, "万亿": 10**12,
}

# Full-width digits and decimal point → ASCII (length-preserving, so offsets hold).
FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")
