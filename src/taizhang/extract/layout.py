"""Layout repair for analysis only, with a map back to the original text.

Newspaper and PDF columns break words and clauses across line breaks ("南理\\n\\n工",
"战\\n\\n略性"). The analysis text joins such lines; `OffsetMap` turns any analysis offset back
into an offset of the original, so that every span we report points into what the reader
returned (the scorer and the ledger locate provenance there).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from taizhang.extract.lexicon import first_char_guard, or_regex, start_finder
from taizhang.extract.lexicon.numerals import MAGNITUDES
from taizhang.extract.lexicon.structure import QUESTION_MARKS
from taizhang.extract.lexicon.units import UNITS

# A break is a run of newlines (and blanks) between two lines.
BREAK_PATTERN = r"[ \t\u3000]*(?:\r?\n[ \t\u3000]*)+"
# The same matches, written to open on a character class: the regex engine then skips in C to
# the next blank or line break (a pattern that opens on a guard, or on an optional part, is
# tried at every position of the text: twice as slow). By its first character: a blank goes on
# as the plain pattern; \r must be a line break's; \n is one. (test_guards compares them.)
_BLANK = r"[ \t\u3000]"
_BREAK = re.compile(
    rf"[ \t\u3000\r\n](?:(?<={_BLANK}){_BLANK}*(?:\r?\n{_BLANK}*)+"
    rf"|(?<=\r)\n{_BLANK}*(?:\r?\n{_BLANK}*)*"
    rf"|(?<=\n){_BLANK}*(?:\r?\n{_BLANK}*)*)"
)

# A line that ends with one of these finished its sentence, so the break is real.
_TERMINAL = set("。！？!?；;：:”」』）)】…—")

# A line shorter than this is a heading, a byline or a label: its break is real.
_MIN_FRAGMENT = 16
# A line up to this long standing alone without a sentence end is a heading.
_HEADING_MAX = 40
_CLAUSE_MARKS = frozenset("，,；;。")
_SENTENCE_MARKS = frozenset("；;。！？!?")
# a subheading of two parts joined by a comma is at most this long
_TWO_PART_HEADING_MAX = 32
# the rest of a word cut at a line's end: 工、 / 略性，
_WORD_CUT = re.compile(r"[\u4e00-\u9fff]{1,2}[、，,。；;]")


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Analysis offset → original offset, as sorted cut points with cumulative shifts."""

    points: tuple[int, ...]  # analysis offsets where a removed run used to be
    shifts: tuple[int, ...]  # characters removed up to and including that cut

    def to_original(self, pos: int) -> int:
        i = bisect_right(self.points, pos)
        return pos + (self.shifts[i - 1] if i else 0)

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """An end offset maps from the last character inside the span, so a span never grows
        over a removed break that follows it."""
        if end <= start:
            s = self.to_original(start)
            return s, s
        return self.to_original(start), self.to_original(end - 1) + 1


# a table row printed on one line (cells separated by a tab or " | "): its break is real
_TABLE_ROW = re.compile(r"\t| \| ")


def _is_table_row(text: str, start: int = 0, end: int | None = None) -> bool:
    """_TABLE_ROW.search(text, start, end), as two string searches (fast scans, where the regex
    engine tries its alternation at every position of every line)."""
    end = len(text) if end is None else end
    return text.find("\t", start, end) >= 0 or text.find(" | ", start, end) >= 0


def _is_fragment(line: str) -> bool:
    stripped = line.rstrip()
    return len(stripped) >= _MIN_FRAGMENT and stripped[-1] not in _TERMINAL and not _is_table_row(stripped)


def _continues(next_line_start: str) -> bool:
    """The next line starts mid-sentence: a CJK character or digit, not a list marker, nor
    a speaker's turn (记者：…, 梁言顺：… after a subheading of an interview)."""
    ch = next_line_start[:1]
    if not ch:
        return False
    if ch in "（(一二三四五六七八九十—-•·●":
        return False
    if _SPEAKER_TURN.match(next_line_start):
        return False
    return ch.isdigit() or "\u4e00" <= ch <= "\u9fff" or ch in "“‘《%％"


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _is_heading_line(text: str, start: int) -> bool:
    """The next line is a whole short line without a sentence end (“十四五”时期经济社会发展
    回顾): a heading standing alone, not the rest of a broken sentence."""
    end = text.find("\n", start)
    if end < 0:
        return False
    return _looks_like_heading(text[start:end])


def _looks_like_heading(line: str) -> bool:
    """Short, no sentence end, no clause break inside: 二、“十四五”时期发展成就和…目标任务."""
    line = line.strip()
    return 0 < len(line) <= _HEADING_MAX and line[-1] not in _TERMINAL and not _CLAUSE_MARKS.intersection(line)


def _two_part_heading(line: str, after: str) -> bool:
    """三、加大宏观政策实施力度，着力稳企业保就业; 锚定“十五五”，生产总值预期目标增长5.5%以上: a
    short line of two parts joined by a comma, standing alone, is a subheading, unless what
    follows the break ends a word cut by the column (…特别是南理⏎⏎工、江大…)."""
    line = line.strip()
    if not 0 < len(line) <= _TWO_PART_HEADING_MAX or line[-1] in _TERMINAL or _WORD_CUT.match(after):
        return False
    parts = re.split("[，,]", line)
    return len(parts) == 2 and not _SENTENCE_MARKS.intersection(line) and min(map(len, parts)) >= 4


# 记者： / 问： / a name of two or three characters and a colon (not 目标是：, which goes on)
_SPEAKER_TURN = re.compile(rf"(?:{or_regex(QUESTION_MARKS)}|[^\W\d是为的了在和与等要将及或个年月日]{{2,3}}[：:])")


def repair(text: str) -> tuple[str, OffsetMap]:
    """Join lines broken inside a sentence and close up blanks inside written numbers; return
    (analysis text, map to the original)."""
    cuts: list[tuple[int, int]] = []
    line_start = 0
    joined = False  # the line before this one was joined to it: we are inside a paragraph
    for m in _BREAK.finditer(text):
        line = text[line_start : m.start()]
        after = text[m.end() : m.end() + 8]
        # a whole short line standing alone is a heading: not joined to what follows it either
        heading = not joined and (_looks_like_heading(line) or _two_part_heading(line, after))
        joined = False
        if (
            _is_fragment(line) and _continues(after) and not heading and not _is_heading_line(text, m.end())
            and not _is_table_row(text, m.end(), _line_end(text, m.end()))
        ):
            joined = True
            cuts.append(m.span())
        line_start = m.end()
    if _has_pinyin_gloss(text):
        # 增長(zhǎng)5.5%左右: a page's pinyin glosses after characters are not the text
        cuts = sorted(cuts + [m.span() for m in _PINYIN_GLOSS.finditer(text)])
    if _NUMBER_BLANK_GUARD.search(text):
        # 建成 1.2 万套, 增长6 . 5%左右, 200,000 个: a page's blanks inside a number
        cuts = sorted(cuts + [m.span() for m in _number_blanks(text) if _in_number(text, m)])
    if not cuts:
        return text, OffsetMap((), ())
    pieces: list[str] = []
    points: list[int] = []
    shifts: list[int] = []
    removed = last = out_len = 0
    for start, end in cuts:
        if start < last:
            continue  # inside a cut already made
        pieces.append(text[last:start])
        out_len += start - last
        removed += end - start
        points.append(out_len)
        shifts.append(removed)
        last = end
    pieces.append(text[last:])
    return "".join(pieces), OffsetMap(tuple(points), tuple(shifts))


# blanks between a digit and what goes on writing its number (a decimal point, a magnitude, a
# unit or percent sign), or between a decimal point and its digits; never a line break
# what may go on writing a number: the first character of a magnitude or a unit (万套, 个), or
# of a date's 年月日, a percent sign; not a Latin letter (2024 G5 is a code after a year)
_NUMBER_GOES_ON = re.escape(
    "".join(sorted({w[0] for w in (*MAGNITUDES, *(u.surface for u in UNITS)) if not w[0].isascii()} | set("年月日%％")))
)
NUMBER_BLANK_PATTERN = (
    rf"(?<=\d)([ \u00a0\u2009]+)(?=[.．][ \u00a0\u2009]*\d|[{_NUMBER_GOES_ON}])"
    r"|(?<=[.．])([ \u00a0\u2009]+)(?=\d)"
    # …and one blank between a word and a number that goes on into its unit (规模超过 15 亿元,
    # 比重达到 50%以上: a page that spaces Latin and digits from Chinese)
    rf"|(?<=[\u4e00-\u9fff])([ \u00a0\u2009])(?=\d[\d.,]*[ \u00a0\u2009]?[{_NUMBER_GOES_ON}])"
)
_PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
_PINYIN_GUARD = re.compile(rf"[\u4e00-\u9fff][(（][{_PINYIN_LETTERS}]")  # the plain form of _has_pinyin_gloss
_PINYIN_FIRST = frozenset("abcdefghijklmnopqrstuvwxyz" + _PINYIN_LETTERS[3:])


def _has_pinyin_gloss(text: str) -> bool:
    """_PINYIN_GUARD.search(text) is not None, from bracket to bracket by str.find: the regex
    opens on a class that nearly every character of a Chinese text is in (3× slower)."""
    for bracket in "(（":
        i = text.find(bracket, 1)
        while i >= 0:
            if "\u4e00" <= text[i - 1] <= "\u9fff" and text[i + 1 : i + 2] in _PINYIN_FIRST:
                return True
            i = text.find(bracket, i + 1)
    return False
_PINYIN_GLOSS = re.compile(rf"(?<=[\u4e00-\u9fff])[(（][{_PINYIN_LETTERS}]{{1,6}}[)）]")
# guarded (first_char_guard): every match starts on a blank, and the scan of a whole text
# otherwise tries both look-behinds at every position
_NUMBER_BLANK = re.compile(first_char_guard(" \u00a0\u2009") + f"(?:{NUMBER_BLANK_PATTERN})")
# where the next one starts (lexicon.start_finder): _number_blanks skips to it
_NUMBER_BLANK_START = re.compile(start_finder(NUMBER_BLANK_PATTERN, " \u00a0\u2009"))


def _number_blanks(text: str) -> Iterator[re.Match[str]]:
    """_NUMBER_BLANK.finditer(text), from one match to the next by the finder (no match is empty)."""
    pos = 0
    while (found := _NUMBER_BLANK_START.search(text, pos)) is not None:
        m = _NUMBER_BLANK.match(text, found.start())
        yield m
        pos = m.end()


NUMBER_BLANK_GUARD_PATTERN = r"\d[ \u00a0\u2009]|[.．][ \u00a0\u2009]+\d|[\u4e00-\u9fff][ \u00a0\u2009]\d"
# whether the text has any (only asked yes or no): the same answer from a pattern that opens on
# the blank, so that the scan of a whole text skips to the next blank (4× faster)
_NUMBER_BLANK_GUARD = re.compile(r"[ \u00a0\u2009](?:(?<=\d.)|(?<=[.．].)[ \u00a0\u2009]*\d|(?<=[\u4e00-\u9fff].)\d)")


def _in_number(text: str, m: re.Match[str]) -> bool:
    """A blank after a decimal point closes up only if a digit stands before the point."""
    if m.group(1) or m.group(3):
        return True
    before = text[max(0, m.start() - 4) : m.start() - 1].rstrip(" \u00a0\u2009")
    return before[-1:].isdigit()
