"""Lexicons: the words the rules are made of, kept as readable tables (data, not code).

Each module's docstring says where its words come from. To teach the extractor a new word,
add a row here and an example line under tests/extract/corpus/.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def or_regex(words: Iterable[str]) -> str:
    """An alternation of escaped words, longest first, so that 万亿 wins over 万."""
    unique = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in unique)
