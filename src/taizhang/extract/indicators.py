"""Standard indicators: the table `data/indicators.tsv` and the matching of a document's wording.

A target's indicator is printed as the document says it (地区生产总值, 全省生产总值年均, 经济);
researchers join on standard keys (`gdp_growth`). A wording maps to a key when, after the
scope words before it (全省, 我市, 全社会…) and the verbs and adverbs after it (年均, 增长,
控制在…) are removed, it equals one of the key's wordings, and the figure is of the key's
measure: a rate of change (`growth`, in %), a level in % (`share`) or an amount in the key's
unit (converted: 斤 → 吨). The same words are GDP growth as a rate and GDP as an amount.

>>> standard_key("全省地区生产总值", unit="%", kind="growth")
'gdp_growth'
>>> standard_key("地区生产总值年均", unit="%", kind="growth")
'gdp_growth'
>>> standard_key("地区生产总值", unit="元", kind="level")
'gdp'
>>> standard_key("单位地区生产总值能耗", unit="%", kind="growth")
'energy_intensity'
>>> standard_key("新建5G基站", unit="个", kind="increment") is None
True
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

MEASURES = ("growth", "share", "amount")

# Units converted into a key's unit (value × factor). Only exact, physical conversions.
CONVERSIONS: dict[tuple[str, str], Decimal] = {
    ("斤", "吨"): Decimal("0.0005"),
    ("公斤", "吨"): Decimal("0.001"),
    ("公顷", "亩"): Decimal(15),
    ("平方公里", "亩"): Decimal(1500),
}

_SCOPE = re.compile(r"^(?:全[省市区县州盟国]|我[省市区县州]|本[省市区县]|[省市区县]|其中|全年|今年|年内|力争|确保|实现|推动|当年|[，、\s])+")
_TRAIL = re.compile(
    r"(?:年均|年平均|分别|累计|增速|增长率|增幅|增长|提高到|提高至|提升到|提升至|提高|提升|达到|控制在|保持在|稳定在|保持|上涨|"
    r"下降|降低|降至|减少|回落|稳定|预期|目标|为|在|到|至|的|要|总体|水平|[，、\s])+$"
)
_NOISE = re.compile(r"[\s\u3000“”‘’\"'《》「」『』()（）\[\]【】]+")


@dataclass(frozen=True, slots=True)
class Indicator:
    key: str
    measure: str  # growth | share | amount
    unit: str  # % for growth and share; the base unit of an amount
    direction: str  # up: more is better; down: less is better (a cap, a reduction)
    label: str
    wordings: tuple[str, ...]


def normalise_wording(wording: str) -> str:
    """The wording without width, spaces, quotes, scope words and trailing verbs.

    >>> normalise_wording("全省地区生产总值年均")
    '地区生产总值'
    >>> normalise_wording("城镇调查失业率控制在")
    '城镇调查失业率'
    """
    text = _NOISE.sub("", unicodedata.normalize("NFKC", wording))
    for _ in range(3):
        new = _TRAIL.sub("", _SCOPE.sub("", text))
        if new == text:
            break
        text = new
    return text.upper() if text.isascii() else text


@cache
def indicators() -> tuple[Indicator, ...]:
    """The table, loaded once (a data file shipped in the package)."""
    text = resources.files("taizhang.extract").joinpath("data", "indicators.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    header, body = rows[0], rows[1:]
    if header != ["key", "measure", "unit", "direction", "label", "wordings"]:
        raise ValueError(f"indicators.tsv: unexpected header {header}")
    out = []
    for row in body:
        key, measure, unit, direction, label, wordings = row
        if measure not in MEASURES or direction not in ("up", "down"):
            raise ValueError(f"indicators.tsv: bad measure or direction in row {key}")
        out.append(Indicator(key, measure, unit, direction, label, tuple(w for w in wordings.split("|") if w)))
    return tuple(out)


@cache
def _index() -> dict[tuple[str, str], list[Indicator]]:
    index: dict[tuple[str, str], list[Indicator]] = {}
    for ind in indicators():
        for wording in ind.wordings:
            found = index.setdefault((normalise_wording(wording), ind.measure), [])
            if ind not in found:
                found.append(ind)
    return index


def by_key(key: str) -> Indicator | None:
    return next((i for i in indicators() if i.key == key), None)


def measure_of(unit: str, kind: str) -> str | None:
    """growth, share or amount, from a figure's unit and kind; None for 个百分点 (a difference)."""
    if unit == "%":
        return "growth" if kind == "growth" else "share"
    if unit in ("个百分点", "倍", "‰"):
        return None
    return "amount"


def standardise(wording: str, *, unit: str, kind: str) -> Indicator | None:
    """The standard indicator a figure's wording, unit and kind map to, or None."""
    measure = measure_of(unit, kind)
    if measure is None:
        return None
    key = normalise_wording(wording)
    found = _index().get((key, measure), [])
    if not found and unit == "%":
        # 居民消费价格涨幅控制在3%: a rate read as a level (or the reverse); the wording decides
        other = "share" if measure == "growth" else "growth"
        found = _index().get((key, other), [])
    if measure == "amount":
        found = [i for i in found if i.unit == unit or (unit, i.unit) in CONVERSIONS]
    return found[0] if len(found) == 1 else None


def standard_key(wording: str, *, unit: str, kind: str) -> str | None:
    ind = standardise(wording, unit=unit, kind=kind)
    return ind.key if ind else None


def convert(value: Decimal | None, unit: str, to: str) -> Decimal | None:
    """A value in `unit` expressed in `to` (None when there is no exact conversion)."""
    if value is None:
        return None
    if unit == to:
        return value
    factor = CONVERSIONS.get((unit, to))
    return value * factor if factor is not None else None
