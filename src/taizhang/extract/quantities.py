"""Quantity mentions: number (+ magnitude) (+ 多/余) + unit (+ range) (+ comparator suffix).

One precompiled pattern scans the text; everything here is a pure function of the text around
a match. Labels, ordinals, codes and versions are recognised here so that no later stage ever
sees “科创18条”, 第5个, PM2.5, 5G, S2线, 3.0 or 二期 as an amount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from taizhang.extract.lexicon import first_char_guard, or_regex
from taizhang.extract.lexicon.comparators import INFIX, NOT_A_PREFIX_AFTER, PREFIX, QUOTED_TARGET_VERBS, RANGE_WORDS, SUFFIX
from taizhang.extract.lexicon.cues import GROWTH_UP
from taizhang.extract.lexicon.numerals import DIGITS, MAGNITUDES
from taizhang.extract.lexicon.units import (
    DURATION_UNITS,
    MAGNITUDE_ONLY_UNITS,
    MONEY_MAGNITUDES,
    MONEY_NOUNS,
    NON_TARGET_UNITS,
    NOT_A_UNIT_BEFORE,
    PER_UNITS,
    PERSON_NOUNS,
    UNIT_BY_SURFACE,
    RATIO_NOUNS,
    UNITS,
    VISITOR_WORDS,
)
from taizhang.extract.numerals import parse_chinese_integer, parse_number
from taizhang.types import Comparator

# the same few hundred numbers recur across a corpus (5%, 10亿元): each is parsed once
# (Decimals are immutable, so a cached value can be shared; bounded, so memory stays flat)
_parse_number = lru_cache(maxsize=4096)(parse_number)

_ARABIC = r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?"
_CHINESE = r"[〇零一二两三四五六七八九十百千万亿]+"
# in running text a Chinese numeral is an amount only with a place word (三百, 一万二千)
_CHINESE_PLACED = r"[〇零一二两三四五六七八九]*[十百千万亿][〇零一二两三四五六七八九十百千万亿]*"
_MAG = or_regex(MAGNITUDES)
_UNIT = or_regex((u.surface for u in UNITS), NOT_A_UNIT_BEFORE)
_PER = or_regex(PER_UNITS)
_SUFFIX = or_regex(SUFFIX)
_RANGE = or_regex(RANGE_WORDS)

# decimals of a numeral in words, before its magnitude: 四十九点五亿美元, 二点五万亿元 (a 点
# elsewhere is o'clock or "a little": 三点, 一点)
_CHINESE_DECIMALS = r"点[〇零一二三四五六七八九]+(?=[万亿])"
# (a digit in words before 倍 too: 增长一倍)
_NUM = (
    rf"{_ARABIC}|{_CHINESE_PLACED}(?:{_CHINESE_DECIMALS})?(?!(?<=千)[瓦米克])|[一两二三四五六七八九](?=倍)"
    rf"|[一两二三四五六七八九]{_CHINESE_DECIMALS}"
)
# The same numbers, written to open on one character class: the regex engine then skips in C
# to the next digit or numeral, where a pattern that opens on an alternation is tried at every
# position of the text (twice as slow). The first character decides the alternative (digits,
# numerals before a place word, a place word), as it did in _NUM; test_guards compares them.
_NUM_FAST = (
    r"[0-9０-９〇零一二两三四五六七八九十百千万亿](?:"
    r"(?<=[0-9０-９])[0-9０-９]*(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?"
    r"|(?<=[〇零一二两三四五六七八九])[〇零一二两三四五六七八九]*[十百千万亿][〇零一二两三四五六七八九十百千万亿]*"
    rf"(?:{_CHINESE_DECIMALS})?(?!(?<=千)[瓦米克])"
    rf"|(?<=[十百千万亿])[〇零一二两三四五六七八九十百千万亿]*(?:{_CHINESE_DECIMALS})?(?!(?<=千)[瓦米克])"
    r"|(?<=[一两二三四五六七八九])(?=倍)"
    rf"|(?<=[一两二三四五六七八九]){_CHINESE_DECIMALS}"
    r")"
)

_NUM_SLOT = "<number>"  # where the pattern of the number goes (_NUM, or _NUM_FAST)
QUANTITY_PATTERN = (
    rf"""
    (?P<num>{_NUM_SLOT})
    (?P<lead>[多余](?=万|亿))?   # 5200多亿元: more than 5200亿
    (?:(?P<mag>{_MAG})(?!(?<=千)[米克瓦]))?   # 13.46千米, 5千克, 千万千瓦: a unit, not 千 × 米
    (?P<infix>(?(lead)(?!)|[多余]))?
    (?P<unit>{_UNIT})?
    (?:[/／](?P<per>{_PER}))?   # a rate unit: 58万元/人, 29微克/立方米
    (?:
        (?P<dash>{_RANGE})
        (?P<num2>{_ARABIC}|{_CHINESE})
        (?P<mag2>{_MAG})?
        (?P<unit2>{_UNIT})?
    )?
    (?:[（(][\u4e00-\u9fff]{{1,4}}[)）](?={_SUFFIX}))?   # 300台(件)以上: an alternative unit
    (?P<suffix>{_SUFFIX})?
    """
)
QUANTITY = re.compile(QUANTITY_PATTERN.replace(_NUM_SLOT, _NUM_FAST), re.VERBOSE)

# 千亿级, 百亿级产业集群, 千亿规模, 千亿元级: a size class, money unless said otherwise.
# (not after a number: 超2000亿元规模的…集群 is 2000亿元, whose 规模 it is)
# (a digit in words may lead it: 五百亿级产业 is 500亿)
SIZE_CLASS_PATTERN = (
    r"(?<![0-9０-９.．多余])(?P<lead>[一二两三四五六七八九](?=百|千))?"
    r"(?P<mag>万亿|千亿|百亿|十亿|亿|千万)(?P<unit>元)?(?P<cls>级|规模)"
)
# guarded (lexicon.first_char_guard): the look-behind first made every position cost two tests
SIZE_CLASS = re.compile(first_char_guard("万千百十亿一二两三四五六七八九") + f"(?:{SIZE_CLASS_PATTERN})")

# 1/3, 三分之一 (of a share): a percentage, three decimals as annotated (33.333).
FRACTION_PATTERN = (
    r"(?<![\d/.])(?P<a>[1-9])/(?P<b>[2-9]|10)(?![\d/.])"
    r"|(?P<b2>[二三四五六七八九十])分之(?P<a2>[一二三四五六七八九])"
)
# guarded (lexicon.first_char_guard): a lookbehind tried at every position made this scan as
# slow as the quantity pattern's, for a handful of matches
FRACTION = re.compile(first_char_guard("123456789二三四五六七八九十") + f"(?:{FRACTION_PATTERN})")

# 翻一番 / 翻番 / 翻倍 / 倍增: growth of 100 %; 翻两番: 300 %.
# (not 倍增效应, a figure of speech: 充分发挥创业带动就业倍增效应)
DOUBLING = re.compile(r"翻(?P<times>一|两|二)?番|翻倍|倍增(?!效应)")

# 四成以上, 占比达五成: tenths of a whole (not 成为, 建成, 一成不变)
TENTHS_PATTERN = rf"(?<![一二两三四五六七八九十])(?P<num>[一二两三四五六七八九])成(?:(?P<suffix>{_SUFFIX})|(?=[，。、；,;）)”\s的]|$))"
# the same, its look-behind moved after the numeral (it looks back over the numeral too, which
# is always one of its own characters): a pattern that opens on a character class lets the
# regex engine skip ahead to the next numeral, 3× faster than a test at every position
_TENTHS = re.compile(
    rf"(?P<num>[一二两三四五六七八九])(?<![一二两三四五六七八九十][一二两三四五六七八九])成(?:(?P<suffix>{_SUFFIX})|(?=[，。、；,;）)”\s的]|$))"
)
_PERCENT_WORDS = re.compile(
    rf"百分之(?P<num>[0-9.]+|[〇零一二两三四五六七八九十]+(?:点[〇零一二三四五六七八九]+)?)(?P<suffix>{_SUFFIX})?"
)

_CHINESE_ONLY = re.compile(_CHINESE)
# Chinese numerals that start common words: 一些 / 千方百计 / 万物 / 百姓 are not amounts.
_CHINESE_COUNT_UNITS = frozenset(
    u.surface for u in UNITS if u.count and u.surface not in {"次", "场", "期", "类", "种", "级", "对", "门", "片", "口", "眼", "列", "支", "根", "班", "组"}
) | {"亩", "吨", "公里", "平方米", "元", "%", "人", "万人", "个百分点"}

_RATE_OR_BOUND_END = re.compile(r"(?:[%％]|左右|以上|以下|以内)$")
_BOUND_END = re.compile(r"(?:左右|以上|以下|以内)$")
_ONE_OF = re.compile(r"[^，。；,;\d]{0,10}?之一")  # 列为109项重大工程之一: the set something belongs to
_ONE_OF_REACH = 12  # the longest match of _ONE_OF: where 之一 must be for it to match at all
_SERVICE_CIRCLE = re.compile(r"[^，。；,;]{0,10}?圈")  # 15分钟老年人助餐服务圈, 15分钟便民生活圈
_FRACTION_PLACES = Decimal("0.000001")  # 1/3 → 33.333333 %: within a millionth of the value
# after a verb of amount or a comparator word, a magnitude alone is an amount: 新增千万吨,
# 迈上万亿元台阶, 突破千亿 (富裕千万家, 千家万户 are figures of speech)
_AMOUNT_VERBS = ("新增", "新建", "增加", *PREFIX)
_SUFFIX_AT = re.compile(or_regex(SUFFIX))
_PREFIX_AT_END = re.compile(rf"(?P<word>{or_regex(PREFIX, not_after=NOT_A_PREFIX_AFTER)})(?:在|到|为|至)?$")


# the words around an amount printed without its unit (lexicon.units: MONEY_NOUNS…)
_CLAUSE_BEFORE = re.compile(r"[^，。；：,;:！？\n]{1,24}$")
_MONEY_BEFORE = re.compile(or_regex(MONEY_NOUNS))
_PEOPLE_AFTER = re.compile(rf"(?:{_SUFFIX})?[\u4e00-\u9fff]{{0,4}}?(?:{or_regex(PERSON_NOUNS)})(?!民币)")
# (人口/人数…N万 ends its clause: 人口20万以上县 is a class of counties)
_PEOPLE_BEFORE = re.compile(r"(?:人口|人数)[^，。；：,;:\d]{0,6}$")
_CLAUSE_END = re.compile(rf"(?:{_SUFFIX})?(?:[，。；、,;）)]|$)")
_RATIO_VERB_ENDS = "到至达"  # the last character of 降至, 缩小到, 达, 达到: tested first
_RATIO_BEFORE = re.compile(rf"(?P<noun>{or_regex(RATIO_NOUNS)})[^，。；：,;:\d]{{0,9}}[{_RATIO_VERB_ENDS}]$")
_PERSON_MAGNITUDES = frozenset({"万", "十万", "百万", "千万"})
_VISITORS = re.compile(or_regex(VISITOR_WORDS))


def _implied_unit(text: str, m: re.Match[str]) -> tuple[str, Decimal] | None:
    """The unit of an amount printed without one, where the words around it say it (GUIDELINES
    §1: the unit the text means): 产值过10亿 (元), 200万中小学生 (人), 收入比缩小至2.05 (none).
    Anything else without a unit is no amount (a year, a code, a count of nothing)."""
    if m.group("dash") or m.group("per") or m.group("infix") or m.group("lead"):
        return None
    num, mag = m.group("num"), m.group("mag")
    magnitude = mag if mag else num if num in MONEY_MAGNITUDES else None
    start = m.start()
    if magnitude in MONEY_MAGNITUDES:
        clause = _CLAUSE_BEFORE.search(text, max(0, start - 24), start)
        if clause is not None and _MONEY_BEFORE.search(clause.group()):
            return "元", Decimal(1)
    elif magnitude in _PERSON_MAGNITUDES:
        after = _PEOPLE_AFTER.match(text, m.end())
        if after or (_PEOPLE_BEFORE.search(text, max(0, start - 8), start) and _CLAUSE_END.match(text, m.end())):
            clause = _CLAUSE_BEFORE.search(text, max(0, start - 24), start)
            visits = _VISITORS.search(after.group()) if after else None
            visits = visits or (clause is not None and _VISITORS.search(clause.group()))
            return ("人次" if visits else "人"), Decimal(1)
    elif magnitude is None and start and text[start - 1] in _RATIO_VERB_ENDS and num[0].isdigit():
        if ratio := _RATIO_BEFORE.search(text, max(0, start - 16), start):
            return RATIO_NOUNS[ratio.group("noun")], Decimal(1)
    return None


@dataclass(frozen=True, slots=True)
class Quantity:
    start: int  # value_text span in the analysis text
    end: int
    value: Decimal
    unit: str
    comparator: Comparator
    value_max: Decimal | None = None
    comparator_word: str | None = None
    size_class: bool = False
    rules: tuple[str, ...] = ()


def _unit(surface: str | None) -> tuple[str, Decimal] | None:
    if not surface:
        return None
    word = UNIT_BY_SURFACE[surface]
    return word.base, word.factor


def _prefix_comparator(text: str, start: int) -> tuple[Comparator, str] | None:
    """A comparator word right before the number (one filler 在/到/为 allowed)."""
    m = _PREFIX_AT_END.search(text, max(0, start - 6), start)
    if m is None:
        return None
    word = m.group("word")
    return PREFIX[word], word


# what makes a quotation a target rather than a name: a comparator or change verb before the
# number inside it, or a target frame after it (“保8%、争9%”的目标)
_QUOTED_TARGET_VERB = re.compile(or_regex(QUOTED_TARGET_VERBS))
_TARGET_AFTER_QUOTE = re.compile(r"的?(?:目标|底线|红线)")


_QUOTE_PAIRS = (("“", "”"), ("「", "」"), ('"', '"'), ("‘", "’"))
# any opening quote mark (most numbers have none in the 12 characters before them: one scan)
_QUOTE_OPENING = re.compile("[" + "".join(opening for opening, _ in _QUOTE_PAIRS) + "]")


def label_reason(text: str, start: int, end: int) -> str | None:
    """Why the number at [start, end) is a label, code, ordinal or version; None if it is not."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before == "第" or text[max(0, start - 2) : start] in ("第一", "排名"):
        return "ordinal 第N"
    if before.isascii() and before.isalpha():
        return "code (letters before the number: PM2.5, S2, G318)"
    if after.isascii() and after.isalpha():
        return "code (letters after the number: 5G, 3D)"
    if before in "+＋" or after in "+＋":
        return "label N+X"
    if before in ".．" or (after in ".．" and end + 1 < len(text) and text[end + 1].isdigit()):
        return "version or dotted code"
    if before == "前" and text[start - 2 : start - 1] != "提":
        return "rank 前N"
    # inside a short quotation: “科创18条”, “4个有”, “六个一”; not a quoted target, which says
    # what to reach (“保8%、争9%”的目标, “人均预期寿命提高到80岁”)
    quote_pairs = _QUOTE_PAIRS if _QUOTE_OPENING.search(text, max(0, start - 12), start) else ()
    for opening, closing in quote_pairs:
        open_q = text.rfind(opening, max(0, start - 12), start)
        if open_q >= 0 and text.rfind(closing, open_q + 1, start) < 0:
            close_q = text.find(closing, end, end + 12)
            if close_q >= 0 and not (
                _QUOTED_TARGET_VERB.search(text, open_q + 1, start) or _TARGET_AFTER_QUOTE.match(text, close_q + 1)
                # “5%左右” after 目标: the quotation holds nothing but a rate or a bound (not a
                # policy's name: “二十条”)
                # or an indicator bounded at its end (‘城镇新增就业1200万人以上’, “粮食产量1.4万亿斤
                # 左右”: a target quoted from a report)
                or (close_q == end and _RATE_OR_BOUND_END.search(text, start, end)
                    and (open_q + 1 == start or _BOUND_END.search(text, start, end)))
            ):
                return "inside a quoted label"
    if text.find("之一", end, end + _ONE_OF_REACH) >= 0 and _ONE_OF.match(text, end):
        return "one of N (…109项重大工程之一)"
    if text.startswith("分钟", end - 2) and _SERVICE_CIRCLE.match(text, end):
        return "a service circle's name (15分钟…圈)"
    if text.startswith(("小时", "分钟"), end - 2) and text.startswith("通勤", end):
        return "a commute's name (1小时通勤)"  # 具备1小时通勤条件人口比例…: the name of a condition
    if text.startswith(("届", "次会", "次全", "大代表", "大精神"), end) or text.startswith("届", end - 1):
        return "meeting name"
    if before == "《" or text.rfind("《", max(0, start - 15), start) > text.rfind("》", max(0, start - 15), start):
        return "inside a title 《…》"
    return None


def find_quantities(text: str, lo: int = 0, hi: int | None = None) -> list[Quantity]:
    """All quantity mentions in text[lo:hi] with a unit (or a size class), left to right."""
    hi = len(text) if hi is None else hi
    found: list[Quantity] = []
    # the rarer patterns are scanned for only where the word each of their matches holds is
    # (str.find is a fast scan; the regex engine tries every position): same matches
    size_classes = text.find("级", lo, hi) >= 0 or text.find("规模", lo, hi) >= 0
    for m in SIZE_CLASS.finditer(text, lo, hi) if size_classes else ():
        cls_end = m.end("cls") if m.group("cls") == "级" else m.end("mag") + (1 if m.group("unit") else 0)
        found.append(
            Quantity(
                m.start(), cls_end, Decimal(MAGNITUDES[m.group("mag")]) * DIGITS.get(m.group("lead") or "一", 1),
                "元", Comparator.GE,
                size_class=True, rules=("<magnitude>级",),
            )
        )
    taken = [(q.start, q.end) for q in found]
    for m in QUANTITY.finditer(text, lo, hi):
        q = _quantity(text, m)
        if q is None:
            continue
        if taken and any(s < q.end and q.start < e for s, e in taken):
            continue
        found.append(q)
    for m in _PERCENT_WORDS.finditer(text, lo, hi) if text.find("百分之", lo, hi) >= 0 else ():
        value = _parse_number(m.group("num"))
        if value is not None:
            suffix = m.group("suffix")
            comparator = SUFFIX[suffix] if suffix else Comparator.EQ
            found.append(Quantity(m.start(), m.end(), value, "%", comparator, None, suffix, rules=("百分之<number>",)))
    for m in _TENTHS.finditer(text, lo, hi) if text.find("成", lo, hi) >= 0 else ():
        suffix = m.group("suffix")
        comparator = SUFFIX[suffix] if suffix else Comparator.EQ
        value = Decimal(10 * parse_chinese_integer(m.group("num")))
        found.append(Quantity(m.start(), m.end(), value, "%", comparator, None, suffix, rules=("<tenths>成",)))
    fractions = text.find("/", lo, hi) >= 0 or text.find("分之", lo, hi) >= 0
    for m in FRACTION.finditer(text, lo, hi) if fractions else ():
        a = int(m.group("a")) if m.group("a") else parse_chinese_integer(m.group("a2"))
        b = int(m.group("b")) if m.group("b") else parse_chinese_integer(m.group("b2"))
        if not a or not b or a >= b:
            continue
        prefix = _prefix_comparator(text, m.start())
        comparator, word = prefix if prefix else (Comparator.EQ, None)
        end = m.end()
        if suffix := _SUFFIX_AT.match(text, end):  # 三分之一以上: the suffix wins, as after a number
            comparator, word, end = SUFFIX[suffix.group()], suffix.group(), suffix.end()
        value = (Decimal(100 * a) / b).quantize(_FRACTION_PLACES)
        found.append(Quantity(m.start(), end, value, "%", comparator, None, word, rules=("<fraction>",)))
    doublings = text.find("番", lo, hi) >= 0 or text.find("倍", lo, hi) >= 0
    for m in DOUBLING.finditer(text, lo, hi) if doublings else ():
        times = {"两": 2, "二": 2}.get(m.group("times") or "", 1)
        found.append(Quantity(m.start(), m.end(), Decimal(2**times - 1) * 100, "%", Comparator.EQ, rules=("<doubling>",)))
    found.sort(key=lambda q: q.start)
    return found


def _quantity(text: str, m: re.Match[str]) -> Quantity | None:
    num, mag, unit = m.group("num"), m.group("mag"), m.group("unit")
    unit2 = m.group("unit2")
    implied = None
    if not unit and not unit2:
        # (most matches without a unit end here, before any other test)
        implied = _implied_unit(text, m)
        if implied is None:
            return None
    dash = m.group("dash")
    chinese = bool(_CHINESE_ONLY.fullmatch(num))
    # 算力总规模增长1倍, 数量增长一倍以上: a rise, in per cent (see below); a numeral in words too
    grown = unit == "倍" and text.endswith(GROWTH_UP, 0, m.start())
    if dash and not m.group("num2"):
        dash = None
    if dash and not unit and unit2:
        unit = unit2  # 5—6% : the first bound shares the unit of the second
    if chinese:
        if len(num) == 1 and num in "一千百万亿" and not grown:
            return None
        if not mag and not any(ch in "十百千万亿" for ch in num) and not grown:
            return None  # 两条腿, 八项规定, 五个坚持: small counts in words are names
        if (
            not any(ch in "一二两三四五六七八九" for ch in num + (mag or ""))
            and not m.group("suffix")
            and not text.endswith(_AMOUNT_VERBS, 0, m.start())
        ):
            return None  # 富裕千万家, 千家万户: a magnitude alone is a figure of speech (新增千万吨 is not)
        if (unit or "") not in _CHINESE_COUNT_UNITS and not mag and not any(ch in "万亿" for ch in num) and not grown:
            return None  # 三十米 is a description; 千亿斤 (num 千亿) an amount
        if dash:
            return None
    base = implied or _unit(unit)
    if base is None:
        return None
    unit_name, factor = base
    if unit_name in NON_TARGET_UNITS or (unit_name in MAGNITUDE_ONLY_UNITS and not mag):
        return None
    if m.group("per"):
        unit_name = f"{unit_name}/{m.group('per')}"
    else:
        # 元/吨 of a price, 个/万人: a rate whose denominator is no unit of ours
        end_unit = m.end("unit2") if dash and m.group("unit2") else m.end("unit") if m.group("unit") else m.end("mag")
        if 0 <= end_unit < len(text) and text[end_unit] in "/／每":
            return None
    value = _parse_number(num + (mag or ""))
    if value is None:
        return None
    value *= factor
    rules = ["<number><implied unit>" if implied else "<number><unit>"]
    comparator = Comparator.EQ
    word = None
    value_max = None
    infix = m.group("infix") or m.group("lead")
    if dash:
        value2 = _parse_number(m.group("num2") + (m.group("mag2") or ""))
        if value2 is None or (not mag and m.group("mag2")):
            return None
        value2 *= factor
        if value2 <= value:
            return None
        value_max = value2
        comparator = Comparator.RANGE
        rules.append("<number>—<number><unit>")
    elif infix:
        comparator, word = INFIX[infix], infix
        rules.append("<number>多<unit>")
    suffix = m.group("suffix")
    if suffix and not dash:
        comparator, word = SUFFIX[suffix], suffix
        rules.append(f"<number><unit>{suffix}")
    elif not dash and not infix:
        prefix = _prefix_comparator(text, m.start())
        if prefix:
            comparator, word = prefix
            rules.append(f"{word}<number><unit>")
    if unit_name in DURATION_UNITS and (word is None or value >= 100 or dash):
        return None
    end = m.end()
    if suffix and dash:
        end = m.end("suffix") - len(suffix)
    if grown:
        # 算力总规模增长1倍: a rise of 100 %, as 翻一番 is (not 是…的1.5倍, a ratio)
        value, unit_name = value * 100, "%"
        value_max = value_max * 100 if value_max is not None else None
        rules.append("增长<number>倍")
    return Quantity(m.start(), end, value, unit_name, comparator, value_max, word, False, tuple(rules))
