"""Lexicons: the words the rules are made of, kept as readable tables (data, not code).

Each module's docstring says where its words come from. To teach the extractor a new word,
add a row here and an example line under tests/extract/corpus/.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping


def or_regex(
    words: Iterable[str], not_before: Mapping[str, str] | None = None, not_after: Mapping[str, str] | None = None
) -> str:
    """An alternation of escaped words, longest first, so that 万亿 wins over 万; a word listed in
    `not_before` is no match before one of its characters (方 not before 面: 7方面), one listed in
    `not_after` none after one of its characters (过 not after 通: 通过)."""
    unique = sorted(set(words), key=lambda w: (-len(w), w))
    if not not_before and not not_after:
        return "|".join(re.escape(w) for w in unique)
    not_before, not_after = not_before or {}, not_after or {}
    return "|".join(
        (f"(?<![{re.escape(not_after[w])}])" if w in not_after else "")
        + re.escape(w)
        + (f"(?![{re.escape(not_before[w])}])" if w in not_before else "")
        for w in unique
    )


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



def start_finder(pattern: str, chars: Iterable[str], classes: str = "") -> str:
    """A pattern whose `search` finds where `pattern` first matches: it matches the one
    character at that place (so: for a search that asks only whether, or where, a pattern
    matches — and to start a `finditer` there).

    A guard (`first_char_guard`) still has the regex engine try the pattern at every position;
    a pattern that opens on a character class lets it skip, in C, to the next character of
    the class (4-5× faster on Chinese text, where few characters can start a match). The
    look-behind steps back over that character and the look-ahead tries the whole pattern from
    it. As with a guard, `chars` (and `classes`) must hold every character a match can start
    with, and no match may be empty: tests compare each finder with its pattern.
    """
    return "[" + classes + "".join(re.escape(ch) for ch in sorted(set(chars))) + f"](?<=(?=(?:{pattern})).)"


def long_or_regex(words: Iterable[str], groups: int = 8) -> str:
    """The same alternation as `or_regex(words)`, for long lists (thousands of place names).

    Python's regex engine tries the words of an alternation one by one, so a flat list of
    6,000 names costs 6,000 tests at each position tried (the gazetteer's match was 27× slower
    than this). Here the words are indexed by their first character (江(?:阴|宁)), and the
    first characters are split into `groups`, each behind a guard (`first_char_guard`): a
    position costs a few dozen tests. The matches are the same in any context: all the words
    that can match at a position share its first character, and their rests are an
    `or_regex`, longest first, as in the flat list (backtracking tries the shorter ones).
    """
    rests: dict[str, list[str]] = {}
    for word in set(words):
        rests.setdefault(word[0], []).append(word[1:])
    firsts = sorted(rests)
    size = max(1, -(-len(firsts) // groups))
    return "|".join(
        first_char_guard(chunk) + "(?:" + "|".join(_word_rests(ch, rests[ch]) for ch in chunk) + ")"
        for chunk in (firsts[i : i + size] for i in range(0, len(firsts), size))
    )


def _word_rests(first: str, rests: list[str]) -> str:
    longer = [r for r in rests if r]
    if not longer:
        return re.escape(first)
    return re.escape(first) + f"(?:{or_regex(longer)})" + ("?" if "" in rests else "")
