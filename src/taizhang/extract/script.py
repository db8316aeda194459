"""Traditional characters → simplified, one character for one, for analysis only.

Pages are also served by mirror sites in traditional characters (新改擴建公辦幼兒園25所, 億元,
目標); the lexicons are written in simplified ones. A text that is mostly traditional is read
through OpenCC's character table (its first simplified form for each traditional character).
The mapping keeps every character's place, so the layout repair's map back to the original
stays valid and every reported span still points into what the reader returned. A simplified
text is left as it is: some characters are both a simplified form and the traditional form of
another (著, 乾, 余), and converting them there would only do harm.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_SAMPLE = 1000  # characters looked at to decide the script of a text
_MIN_SHARE = 0.04  # of its CJK characters that are traditional-only: a traditional text
_MIN_COUNT = 8


@cache
def _table() -> dict[int, str]:
    """OpenCC's TSCharacters: traditional → simplified candidates; the first is the usual one."""
    text = resources.files("opencc").joinpath("dictionary", "TSCharacters.txt").read_text(encoding="utf-8")
    table: dict[int, str] = {}
    for line in text.splitlines():
        trad, _, simp = line.partition("\t")
        first = simp.split(" ")[0] if simp else ""
        if len(trad) == 1 and len(first) == 1 and first != trad:
            table[ord(trad)] = first
    return table


@cache
def _traditional_chars() -> frozenset[str]:
    return frozenset(map(chr, _table()))


@cache
def _traditional_bmp_char() -> re.Pattern[str]:
    """Any traditional-only character of the Basic Multilingual Plane, as one character class:
    counting them is one regex scan (a set lookup per character through Python costs twice as
    much). The few beyond it (U+2xxxx) are left out: the regex engine tests a class that holds
    them one member at a time, and they are counted one by one instead (`_ASTRAL`)."""
    bmp = sorted(ch for ch in _traditional_chars() if ord(ch) <= 0xFFFF)
    return re.compile("[" + "".join(re.escape(ch) for ch in bmp) + "]")


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


_CJK = re.compile("[\u4e00-\u9fff]")


def is_traditional(text: str) -> bool:
    """Decided on the opening of a text by C-level passes only (two regex counts): this runs
    once per document."""
    head = text[:_SAMPLE]
    trad = len(_traditional_bmp_char().findall(head))
    if _ASTRAL.search(head):
        trad += sum(map(_traditional_chars().__contains__, _ASTRAL.findall(head)))
    return trad >= _MIN_COUNT and trad >= _MIN_SHARE * len(_CJK.findall(head))


@cache
def _phrases() -> tuple[re.Pattern[str], dict[str, str]]:
    """OpenCC's TSPhrases that the character table gets wrong and that keep their length (計畫 →
    计划, where 畫 alone is 画): the table's reading of each, and what it should be."""
    text = resources.files("opencc").joinpath("dictionary", "TSPhrases.txt").read_text(encoding="utf-8")
    table, fixes = _table(), {}
    for line in text.splitlines():
        trad, _, simp = line.partition("\t")
        first = simp.split(" ")[0]
        if len(first) == len(trad) and (read := trad.translate(table)) != first:
            fixes.setdefault(read, first)
    return re.compile("|".join(sorted(map(re.escape, fixes), key=len, reverse=True))), fixes


def to_simplified(text: str) -> str:
    """The text through the character table, whatever its script (see `simplified`), then its
    phrases the table reads wrong (same length: every place is kept)."""
    pattern, fixes = _phrases()
    return pattern.sub(lambda m: fixes[m.group()], text.translate(_table()))


def simplified(text: str) -> str:
    """The text in simplified characters if it is written in traditional ones, else itself;
    always of the same length, character for character.

    >>> simplified("新改擴建公辦幼兒園25所、中小學15所，全年地區生產總值增長6%，目標億元級產業集群")
    '新改扩建公办幼儿园25所、中小学15所，全年地区生产总值增长6%，目标亿元级产业集群'
    >>> simplified("昆明市計畫新開工產業項目167個，年度計畫完成投資421億元，全市億元級項目")
    '昆明市计划新开工产业项目167个，年度计划完成投资421亿元，全市亿元级项目'
    >>> simplified("显著提升，着力推进")
    '显著提升，着力推进'
    """
    return to_simplified(text) if is_traditional(text) else text
