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
