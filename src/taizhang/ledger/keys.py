"""Normalised keys used to recognise the same indicator or unit written differently."""

from __future__ import annotations

import re
import unicodedata

_NOISE = re.compile(r"[\s\u3000“”‘’\"'《》「」『』()（）\[\]【】、，,。.·・:：;；-]+")


def indicator_key(indicator: str) -> str:
    """The indicator with width, case, spaces and punctuation folded.

    >>> indicator_key("有效 高新技术企业（数量）") == indicator_key("有效高新技术企业数量")
    True
    """
    return _NOISE.sub("", unicodedata.normalize("NFKC", indicator)).lower()[:300]


STANDARD_PREFIX = "@"


def target_key(indicator: str, unit: str, kind: str) -> str:
    """The key a restatement is matched on: the standard indicator when the wording maps to one
    (`taizhang.extract.indicators`: a digest's 全市生产总值增长5% and the report's 地区生产总值增长5%
    are both `@gdp_growth`), else the folded wording (`indicator_key`).

    >>> target_key("全省生产总值", "%", "growth"), target_key("地区生产总值", "%", "growth")
    ('@gdp_growth', '@gdp_growth')
    >>> target_key("新建 5G基站", "个", "increment")
    '新建5g基站'
    """
    from taizhang.extract.indicators import standard_key

    std = standard_key(indicator, unit=unit, kind=kind)
    return STANDARD_PREFIX + std if std else indicator_key(indicator)
