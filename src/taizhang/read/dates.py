"""The one rule for a document's date, used by `extract`, `ingest` and the web upload.

A document's date anchors every deadline in it (全年 → 31 December of its year, 年底前, 上半年),
so a wrong or missing date silently moves every target. In order:

1. the date the user gives (`--date`, the upload form's 日期 field);
2. a full date in the sidecar `NAME.json` (`"date": "2024-06-28"`);
3. a full date in the document's opening lines (a work report's dateline,
   ——2025年1月21日在保定市第十六届人民代表大会第六次会议上; 二〇二四年一月二十三日), when it
   agrees with the sidecar's year if the sidecar gives one;
4. a sidecar's month (`2024-06` → the 28th) or year alone (`2020` → 31 December 2020, so that
   全年 and 今年 fall in that year, as the reference scorer reads it);
5. otherwise `DateNeeded`: the caller must ask for a date instead of guessing today's.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from taizhang.errors import TaizhangError

__all__ = ["DateNeeded", "DocumentDate", "date_in_text", "parse_given_date", "resolve_document_date"]

SOURCES = {
    "given": "given by the user",
    "sidecar": "from the sidecar file",
    "text": "from the document's opening lines",
    "sidecar_month": "month from the sidecar file (day taken as the 28th)",
    "sidecar_year": "year from the sidecar file (taken as 31 December)",
}
SOURCE_LABELS = {
    "given": "用户填写",
    "sidecar": "元数据文件",
    "text": "正文开头",
    "sidecar_month": "元数据文件（仅月份）",
    "sidecar_year": "元数据文件（仅年份）",
}
OPENING_CHARS = 1500
_CN_DIGIT = "〇○零一二两三四五六七八九十"
_ARABIC_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_CHINESE_DATE = re.compile(rf"([{_CN_DIGIT}]{{4}})年([{_CN_DIGIT}]{{1,3}})月([{_CN_DIGIT}]{{1,3}})日")
_MONTH = re.compile(r"^((?:19|20)\d\d)[-/.年](\d{1,2})月?$")
_YEAR = re.compile(r"^((?:19|20)\d\d)年?$")


class DateNeeded(TaizhangError):
    """Nothing gives the document a date; the user has to give one."""

    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__(
            f"{source}: no date for this document (no sidecar date and no date in its opening "
            "lines); give its date with --date YYYY-MM-DD (in the browser: the 日期 field), "
            "because 全年, 年底前 and every other deadline are counted from it"
        )


@dataclass(frozen=True, slots=True)
class DocumentDate:
    """A resolved date and where it came from (`SOURCES` keys)."""

    date: date
    source: str

    @property
    def label(self) -> str:
        """For pages: 2024-06-28（正文开头）."""
        return f"{self.date.isoformat()}（{SOURCE_LABELS[self.source]}）"


def parse_given_date(raw: Any) -> date | None:
    """A date typed by a user: 2024-06-28, 2024/6/28, 2024年6月28日; None when empty.

    >>> parse_given_date("2024年6月28日")
    datetime.date(2024, 6, 28)
    """
    if raw is None or isinstance(raw, date):
        return raw
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if not text:
        return None
    for rx in (_ISO_DATE, _ARABIC_DATE):
        m = rx.fullmatch(text)
        if m:
            return _date(m[1], m[2], m[3])
    return None


def date_in_text(text: str) -> date | None:
    """The first full date in a document's opening lines (its dateline), or None.

    >>> date_in_text("政府工作报告\\n——2025年1月21日在保定市第十六届人民代表大会第六次会议上")
    datetime.date(2025, 1, 21)
    >>> date_in_text("（二〇二四年一月二十三日）")
    datetime.date(2024, 1, 23)
    >>> date_in_text("2014年，全市上下以科学发展观为指导") is None
    True
    """
    head = unicodedata.normalize("NFKC", text[:OPENING_CHARS])
    found: list[tuple[int, date]] = []
    for rx in (_ARABIC_DATE, _ISO_DATE):
        for m in rx.finditer(head):
            day = _date(m[1], m[2], m[3])
            if day is not None:
                found.append((m.start(), day))
                break
    for m in _CHINESE_DATE.finditer(head):
        parts = [_chinese_number(p) for p in m.groups()]
        if None not in parts:
            day = _date(*(str(p) for p in parts))
            if day is not None:
                found.append((m.start(), day))
                break
    return min(found)[1] if found else None


def resolve_document_date(
    *, given: date | str | None = None, meta: dict[str, Any] | None = None, text: str = "",
    source: str = "document",
) -> DocumentDate:
    """The document's date by the rules of this module; `DateNeeded` when nothing gives one.

    >>> resolve_document_date(meta={"date": "2020"}).date
    datetime.date(2020, 12, 31)
    >>> resolve_document_date(meta={"date": "2020"}, text="（2020年1月8日在容城县人民代表大会上）")
    DocumentDate(date=datetime.date(2020, 1, 8), source='text')
    """
    if given is not None and given != "":
        day = parse_given_date(given)
        if day is None:
            raise TaizhangError(f"{source}: {given!r} is not a date like 2024-06-28")
        return DocumentDate(day, "given")
    raw = unicodedata.normalize("NFKC", str((meta or {}).get("date") or "")).strip()
    full = parse_given_date(raw[:10]) if len(raw) >= 8 else None
    if full is not None:
        return DocumentDate(full, "sidecar")
    month, year = _MONTH.match(raw), _YEAR.match(raw)
    known_year = int((month or year)[1]) if (month or year) else None
    in_text = date_in_text(text)
    if in_text is not None and known_year in (None, in_text.year):
        return DocumentDate(in_text, "text")
    if month:
        day = _date(month[1], month[2], "28")
        if day is not None:
            return DocumentDate(day, "sidecar_month")
    if year:
        return DocumentDate(date(int(year[1]), 12, 31), "sidecar_year")
    raise DateNeeded(source)


def _date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _chinese_number(text: str) -> int | None:
    """二〇二四 → 2024 (digit by digit), 二十三 → 23, 十 → 10: the numerals of a dateline.

    (The extractor's numeral parser reads these too, but `read` is the first stage and
    imports no later one.)
    """
    digits = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "两": 2}
    if "十" not in text:
        if not text or not all(ch in digits for ch in text):
            return None
        return int("".join(str(digits[ch]) for ch in text))
    tens, _, ones = text.partition("十")
    if (tens and tens not in digits) or (ones and ones not in digits):
        return None
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)
