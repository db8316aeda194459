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


def first_char_guard(chars: Iterable[str], classes: str = "") -> str:
    """A lookahead on the first character of a match, `(?=[…])`, to put before a pattern.

    Python's regex engine tries a pattern at every position of the text. A pattern that opens
    with optional parts or an alternation of words costs a dozen tests to fail there; guarded
    by the characters every match starts with, it fails at the cost of one. The guard only
    skips positions where no match can start, so the matches are the same — as long as the
    set is complete: build it from the same tables as the pattern (tests compare each guarded
    pattern with its bare form). `classes` adds classes such as `\\d` (any Unicode digit).
    """
    return "(?=[" + classes + "".join(re.escape(ch) for ch in sorted(set(chars))) + "])"
