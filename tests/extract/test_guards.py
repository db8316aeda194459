"""Guarded patterns (lexicon.first_char_guard) find exactly what their bare forms find.

A guard only lets the regex engine skip positions where no match can start; a character
missing from its set would silently lose matches. Each guarded pattern is compared with its
bare form on random strings over the characters the pattern is made of, and on the texts of
the test corpus.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taizhang.extract.deadlines import DEADLINE, DEADLINE_PHRASE
from taizhang.extract.quantities import FRACTION, FRACTION_PATTERN

ROOT = Path(__file__).resolve().parents[2]
GUARDED = [
    ("deadline", DEADLINE, re.compile(DEADLINE_PHRASE, re.VERBOSE)),
    ("fraction", FRACTION, re.compile(FRACTION_PATTERN)),
]


def _pieces(pattern: str) -> list[str]:
    """The words a pattern names (its runs of CJK characters, and each of their characters),
    digits of every width, and a few other characters: random text made of them forms the
    pattern's phrases often."""
    words = set(re.findall(r"[^\x00-\x7f]+", pattern))
    chars = {ch for w in words for ch in w} | set("0123456789０１２５٣/.\"，。 的量")
    return sorted(words | chars | {"20", "2025"})


def _spans(rx: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in rx.finditer(text)]


@pytest.mark.parametrize(("name", "guarded", "bare"), GUARDED, ids=[g[0] for g in GUARDED])
def test_same_matches_on_random_text(name: str, guarded: re.Pattern[str], bare: re.Pattern[str]) -> None:
    @settings(max_examples=1500, deadline=None)
    @given(st.lists(st.sampled_from(_pieces(bare.pattern)), max_size=12).map("".join))
    def same(text: str) -> None:
        assert _spans(guarded, text) == _spans(bare, text)

    same()


@pytest.mark.parametrize(("name", "guarded", "bare"), GUARDED, ids=[g[0] for g in GUARDED])
def test_same_matches_on_the_corpus(name: str, guarded: re.Pattern[str], bare: re.Pattern[str]) -> None:
    paths = sorted((ROOT / "tests" / "extract" / "corpus").glob("*.txt")) + sorted((ROOT / "examples").glob("*.txt"))
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert _spans(guarded, text) == _spans(bare, text), path.name


def test_a_guard_missing_a_character_is_caught() -> None:
    """The comparison can fail: drop 上 (上半年) from the deadline guard."""
    weak = re.compile(r"(?=[\d一二三四五六七八九十两全今年明后新去前本当第下从自到至在于“\"未用利])" + f"(?:{DEADLINE_PHRASE})", re.VERBOSE)
    bare = re.compile(DEADLINE_PHRASE, re.VERBOSE)
    assert _spans(weak, "上半年增长5%") != _spans(bare, "上半年增长5%")
