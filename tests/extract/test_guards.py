"""Patterns written for speed find exactly what their plain forms find.

A guard (lexicon.first_char_guard) only lets the regex engine skip positions where no match
can start; a character missing from its set would silently lose matches. An indexed
alternation (lexicon.long_or_regex) must prefer the same word as the flat one it replaces. Each is
compared with its plain form on random strings made of its own pieces, and on the texts of
the test corpus.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taizhang.extract.deadlines import DEADLINE, DEADLINE_PHRASE
from taizhang.extract.gazetteer import _SUFFIX_WORDS, _rows, gazetteer
from taizhang.extract.layout import (
    _BREAK, _NUMBER_BLANK, _NUMBER_BLANK_GUARD, _PINYIN_GUARD, _TABLE_ROW, BREAK_PATTERN, NUMBER_BLANK_GUARD_PATTERN,
    NUMBER_BLANK_PATTERN, _has_pinyin_gloss, _is_table_row,
)
from taizhang.extract.lexicon import long_or_regex, or_regex
from taizhang.extract.quantities import (
    _TENTHS, FRACTION, FRACTION_PATTERN, SIZE_CLASS, SIZE_CLASS_PATTERN, TENTHS_PATTERN,
)
from taizhang.extract.rules import _COUNT_BEFORE, _OBJECT_BEFORE, OBJECT_BEFORE_PATTERN, count_before

ROOT = Path(__file__).resolve().parents[2]
GUARDED = [
    ("deadline", DEADLINE, re.compile(DEADLINE_PHRASE, re.VERBOSE)),
    ("fraction", FRACTION, re.compile(FRACTION_PATTERN)),
    ("line break", _BREAK, re.compile(BREAK_PATTERN)),
    ("blank in a number", _NUMBER_BLANK, re.compile(NUMBER_BLANK_PATTERN)),
    ("size class", SIZE_CLASS, re.compile(SIZE_CLASS_PATTERN)),
    ("tenths (look-behind after the numeral)", _TENTHS, re.compile(TENTHS_PATTERN)),
    ("object before (look-behind after 对/为)", _OBJECT_BEFORE, re.compile(OBJECT_BEFORE_PATTERN)),
]


def _pieces(pattern: str) -> list[str]:
    """The words a pattern names (its runs of CJK characters, and each of their characters),
    digits of every width, and a few other characters: random text made of them forms the
    pattern's phrases often."""
    words = set(re.findall(r"[^\x00-\x7f]+", pattern))
    chars = {ch for w in words for ch in w} | set("0123456789０１２５٣/.\"，。 的量\n\r\t\u3000")
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
    for path in _corpus():
        text = path.read_text(encoding="utf-8")
        assert _spans(guarded, text) == _spans(bare, text), path.name


def _corpus() -> list[Path]:
    paths = sorted((ROOT / "tests" / "extract" / "corpus").glob("*.txt")) + sorted((ROOT / "examples").glob("*.txt"))
    assert paths
    return paths


# words that are prefixes of each other, and a context that makes the longest one fail
_WORDS = st.lists(st.text(alphabet="abc", min_size=1, max_size=4), min_size=1, max_size=12)
_CONTEXTS = ["{}", "(?:{})(?!a)", "(?:{})c", "x?(?:{})(?:b|$)"]


@given(_WORDS, st.text(alphabet="abcx", max_size=20), st.sampled_from(_CONTEXTS), st.integers(1, 5))
def test_an_indexed_alternation_prefers_the_same_words_as_the_flat_list(
    words: list[str], text: str, context: str, groups: int
) -> None:
    flat = re.compile(context.format(or_regex(words)))
    indexed = re.compile(context.format(long_or_regex(words, groups)))
    assert _spans(indexed, text) == _spans(flat, text)
    for i in range(len(text) + 1):
        a, b = flat.match(text, i), indexed.match(text, i)
        assert (a and a.span()) == (b and b.span())


def test_the_gazetteer_pattern_is_its_flat_list_of_names() -> None:
    g = gazetteer()
    common = {row[0] for row in _rows("common_words.tsv")}
    names = [n for n in g.by_name if len(n) >= 2 and n not in common]
    flat = re.compile(f"(?:{or_regex(names)}){_SUFFIX_WORDS}")
    for path in _corpus():
        text = path.read_text(encoding="utf-8")
        assert _spans(g.pattern, text) == _spans(flat, text), path.name
        assert [m.span() for i in range(len(text)) if (m := g.pattern.match(text, i))] == [
            m.span() for i in range(len(text)) if (m := flat.match(text, i))
        ], path.name
    for name in names:  # every name is found, in a sentence and alone
        m = g.pattern.search(f"今年，{name}将")
        assert m is not None and m.span() == (3, 3 + len(name)), name


def test_a_guard_missing_a_character_is_caught() -> None:
    """The comparison can fail: drop 上 (上半年) from the deadline guard."""
    weak = re.compile(r"(?=[\d一二三四五六七八九十两全今年明后新去前本当第下从自到至在于“\"未用利])" + f"(?:{DEADLINE_PHRASE})", re.VERBOSE)
    bare = re.compile(DEADLINE_PHRASE, re.VERBOSE)
    assert _spans(weak, "上半年增长5%") != _spans(bare, "上半年增长5%")


def test_the_deadline_at_a_position_is_the_first_found_there() -> None:
    """deadline_at (one match attempt) answers as the scan of the window it replaces."""
    from datetime import date

    from taizhang.extract.deadlines import deadline_at, find_deadlines

    doc = date(2025, 3, 5)
    for path in _corpus():
        text = path.read_text(encoding="utf-8")
        openings = [0] + [m.end() for m in re.finditer(r"[。；，：\n“]", text)]
        for at in openings:
            times = find_deadlines(text, at, min(len(text), at + 16), doc)
            first = times[0] if times and times[0].start == at else None
            assert deadline_at(text, at, min(len(text), at + 16), doc) == first, (path.name, at)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_pieces(_COUNT_BEFORE.pattern) + ["\n", "123", "十二"]), max_size=10).map("".join))
def test_the_count_before_a_number_is_looked_for_only_where_it_can_end(text: str) -> None:
    got, want = count_before(text), _COUNT_BEFORE.search(text)
    assert (got and got.span()) == (want and want.span())


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["1", "٣", "２", ".", "．", " ", "\u00a0", "\u2009", "万", "\n", "a"]), max_size=10).map("".join))
def test_the_test_for_a_blank_in_a_number_answers_as_its_plain_form(text: str) -> None:
    assert bool(_NUMBER_BLANK_GUARD.search(text)) == bool(re.search(NUMBER_BLANK_GUARD_PATTERN, text))


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["增", "长", "a", "z", "ǎ", "ü", "A", "1", "(", "（", ")", " ", "|", "\t", "。"]), max_size=10).map("".join))
def test_the_string_searches_of_layout_answer_as_their_patterns(text: str) -> None:
    assert _has_pinyin_gloss(text) == bool(_PINYIN_GUARD.search(text))
    assert _is_table_row(text) == bool(_TABLE_ROW.search(text))
    assert _is_table_row(text, 1, len(text) - 1) == bool(_TABLE_ROW.search(text, 1, len(text) - 1))


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["其中", "其", "一", "是", "，", "第", "、", "同时", "主要", "目标", "任务", "如下", "是", "。", "：", "\n", "的"]), min_size=1, max_size=10).map("".join))
def test_the_string_tests_of_a_sentence_answer_as_their_patterns(text: str) -> None:
    from taizhang.extract.pipeline import _CONTINUATIONS, _GOALS_ANNOUNCED, _GOALS_REACH, _GOALS_WORD, _continuation_at

    for ss in range(len(text)):
        got, want = _continuation_at(text, ss), _CONTINUATIONS.match(text, ss)
        assert (got and got.span()) == (want and want.span())
        for se in range(ss, len(text) + 1):
            found = _GOALS_ANNOUNCED.search(text, ss, se) is not None
            assert not found or text.find(_GOALS_WORD, max(ss, se - _GOALS_REACH), se) >= 0


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["江阴", "市", "委", "党工委", "常委、", "副", "书记", "市长", "主席", "县", "表示", "，", "的人", "a"]), max_size=14).map("".join))
def test_speakers_are_looked_for_from_the_reach_of_the_first_title_word(text: str) -> None:
    from taizhang.extract.subjects import _SPEAKER, _SPEAKER_REACH, _TITLE_WORD

    title = _TITLE_WORD.search(text)
    everywhere = [m.span() for m in _SPEAKER.finditer(text)]
    if title is None:
        assert everywhere == []
    else:
        assert [m.span() for m in _SPEAKER.finditer(text, max(0, title.start() - _SPEAKER_REACH))] == everywhere


def _quantity_plain() -> re.Pattern[str]:
    from taizhang.extract.quantities import _NUM, _NUM_SLOT, QUANTITY_PATTERN

    return re.compile(QUANTITY_PATTERN.replace(_NUM_SLOT, _NUM), re.VERBOSE)


def _quantity_matches(rx: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in rx.finditer(text)]


_QUANTITY_PIECES = [
    *"0123456789０５.．,，〇零一二两三四五六七八九十百千万亿多余瓦米克元个%人/—-至（）(左右以上", "万亿", "千米", "亿元", "个百分点",
    "以上", "左右", "1,200", "三万五千", "的", "，", " ",
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_QUANTITY_PIECES), max_size=12).map("".join))
def test_the_quantity_pattern_finds_what_its_plain_form_finds(text: str) -> None:
    """QUANTITY opens its number on one character class (quantities._NUM_FAST): the same
    matches, groups and all, as the plain alternation (_NUM)."""
    from taizhang.extract.quantities import QUANTITY

    assert _quantity_matches(QUANTITY, text) == _quantity_matches(_quantity_plain(), text)


def test_the_quantity_pattern_finds_what_its_plain_form_finds_in_the_corpus() -> None:
    from taizhang.extract.quantities import QUANTITY

    plain = _quantity_plain()
    for path in _corpus():
        text = path.read_text(encoding="utf-8")
        assert _quantity_matches(QUANTITY, text) == _quantity_matches(plain, text), path.name


def _finders() -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    """(name, finder, pattern): each lexicon.start_finder with the pattern whose starts it finds."""
    from taizhang.extract import pipeline, reading
    from taizhang.extract.deadlines import DEADLINE, DEADLINE_START

    return [
        ("deadline", DEADLINE_START, DEADLINE),
        ("any reason", reading.ANY_REASON_START, reading.ANY_REASON),
        ("future", reading.FUTURE_START, reading.FUTURE),
        ("statement", pipeline._STATEMENT_WILL, re.compile(r"我们[将要]|[“‘\"「]")),
        ("review may plan", pipeline._REVIEW_MAY_PLAN, re.compile(pipeline._REVIEW_MAY_PLAN_PATTERN)),
    ]


def _starts(rx: re.Pattern[str], text: str, positions: list[int]) -> list[int | None]:
    return [(m.start() if (m := rx.search(text, p)) else None) for p in positions]


@pytest.mark.parametrize("index", range(5))
def test_a_finder_finds_where_its_pattern_starts(index: int) -> None:
    name, finder, plain = _finders()[index]

    @settings(max_examples=500, deadline=None)
    @given(st.lists(st.sampled_from(_pieces(plain.pattern) + ["未来", "3年", "5至10年", "十五五"]), max_size=12).map("".join))
    def same(text: str) -> None:
        positions = list(range(len(text) + 1))
        assert _starts(finder, text, positions) == _starts(plain, text, positions), name

    same()


@pytest.mark.parametrize("index", range(5))
def test_a_finder_finds_where_its_pattern_starts_in_the_corpus(index: int) -> None:
    name, finder, plain = _finders()[index]
    for path in _corpus():
        text = path.read_text(encoding="utf-8")
        positions = [0] + [m.end() for m in re.finditer(r"[。；，\n]", text)]
        assert _starts(finder, text, positions) == _starts(plain, text, positions), (name, path.name)


def test_deadlines_are_found_as_the_plain_scan_finds_them() -> None:
    from datetime import date

    from taizhang.extract.deadlines import DEADLINE, _resolve, find_deadlines

    doc = date(2025, 3, 5)
    for path in _corpus():
        text = path.read_text(encoding="utf-8")
        bounds = [0] + [m.end() for m in re.finditer(r"[。\n]", text)] + [len(text)]
        for lo, hi in zip(bounds, bounds[1:]):
            plain = [(m.span(), _resolve(m, doc)) for m in DEADLINE.finditer(text, lo, hi)]
            want = [span for span, resolved in plain if resolved is not None]
            assert [(t.start, t.end) for t in find_deadlines(text, lo, hi, doc)] == want


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(["目前", "截至", "截止", "据统计", "初步核算", "表示", "，", "。", "5", "王文君", "全市"]), max_size=14).map("".join))
def test_the_as_of_frame_is_tried_only_where_a_marker_is_in_reach(text: str) -> None:
    from taizhang.extract.pipeline import _AS_OF_FRAME, _as_of_frame

    for start in range(len(text) + 1):
        assert _as_of_frame(text, start, len(text)) == (_AS_OF_FRAME.match(text, start, len(text)) is not None)



@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_pieces(NUMBER_BLANK_PATTERN)), max_size=12).map("".join))
def test_blanks_in_numbers_are_found_as_the_plain_scan_finds_them(text: str) -> None:
    from taizhang.extract.layout import _number_blanks

    assert [m.span() for m in _number_blanks(text)] == [m.span() for m in re.finditer(NUMBER_BLANK_PATTERN, text)]
