"""Deadline phrases → dates, resolved against the document date (never against today)."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from bisect import bisect_right
from dataclasses import dataclass, replace
from datetime import date

from taizhang.extract.lexicon import first_char_guard, or_regex, start_finder
from taizhang.extract.lexicon.cues import DECISION_WORDS, FINISH_VERBS, WILL_WORDS
from taizhang.extract.lexicon.time_words import (
    ACCOUNTING_MARKS,
    ANAPHORIC_YEAR_WORDS,
    ATTRIBUTIVE_TIME_VERBS,
    ATTRIBUTIVE_YEAR_WORDS,
    LOOKING_BACK_WORDS,
    NEW_YEAR_FROM_MONTH,
    NARRATIVE_YEAR_WORDS,
    NEW_YEAR_WORDS,
    PARTS_OF_MONTH,
    PART_OF_YEAR,
    PLAN_PERIODS,
    REPORTED_YEAR_WORDS,
    SCHEDULE_LEADS,
    THIS_YEAR_WORDS,
    YEAR_END_WORDS,
)
from taizhang.extract.numerals import parse_chinese_integer

# every phrase below starts with a digit or one of these (a Chinese numeral, a word of a table)
_FIRST_CHARS = (
    "从自到至在于“\"未今用利一二三四五六七八九十两几数"
    + "".join(w[0] for w in (*PLAN_PERIODS, *PART_OF_YEAR, *YEAR_END_WORDS, *LOOKING_BACK_WORDS))
)
# 二〇三〇年: a year written in numerals, in a plan's kicker or a formal text (二00六年: its
# zeros typed as digits, as news wires did)
_CHINESE_YEAR = "二[〇零○0][〇零○0一二三四五六七八九]{2}"
_PART_RULES = frozenset({"<part of year>", "<year>年<part of year>"})
_PART_AHEAD_DAYS = 60
_YEAR_FIRST = frozenset("12二")  # the year itself (2025年, 二〇二五年), not 到2025年
_YEAR_DIGITS = str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")
# 今年1至4月, 2026年1—4月: the months of a year so far (a period, due at its last month's end)
_MONTH_DASH = "[—\\-–~～至到]"
_MONTHS_FROM = rf"(?:\d{{1,2}}\s*{_MONTH_DASH}\s*)?"
# a month alone is a time where work is scheduled in it: 11月完工, 4月开工建设
SCHEDULED = rf"(?:{or_regex(PARTS_OF_MONTH)})?前?(?:全部|基本|全面)?(?:{or_regex(FINISH_VERBS)})"
DEADLINE_PHRASE = rf"""
    (?P<from>从|自)?(?:到|至|在|于)?(?:20\d\d{_MONTH_DASH})?(?P<year>20\d\d|{_CHINESE_YEAR})年(?!\d{{1,2}}月\d{{1,2}}日)  # (2025年1月13日 dates an event)
        (?:{_MONTHS_FROM}(?P<ymonth>\d{{1,2}})月(?:底|末)?|(?P<ypart>{or_regex(PART_OF_YEAR)})|(?P<yend>年底|全年|年内|底|末|前))?
        (?P<since>起|开始|以来)?
    | \d{{1,2}}\s*{_MONTH_DASH}\s*(?P<mto>\d{{1,2}})月份?(?![底末])
    | (?P<month>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})月(?:(?:底|末)前?|(?={SCHEDULED}))
    | [“"]?(?P<period>{or_regex(PLAN_PERIODS)})[”"]?(?P<pend>末|期末|时期|期间|规划期|以来|首年|开局之年|首季)?
    | (?P<ahead>未来|今后|用|利用)?(?P<span>(?:\d|[一二三四五两])(?:[至到—-](?:\d|[一二三四五两]))?)年(?(ahead)|(?:时间|内|左右|安排))
    | (?P<part>{or_regex(PART_OF_YEAR)})
    | (?P<rel>{or_regex(YEAR_END_WORDS)})(?:(?P<so_far>以来)|\d{{1,2}}\s*{_MONTH_DASH}\s*(?P<rmonth>\d{{1,2}})月(?![底末]))?
    | (?P<back>{or_regex(LOOKING_BACK_WORDS)}|(?:\d{{1,2}}|[一二两三四五六七八九十几数]{{1,3}})年来)
    """
# guarded (lexicon.first_char_guard): the scan of a paragraph is 5× faster
DEADLINE = re.compile(first_char_guard(_FIRST_CHARS, classes=r"\d") + f"(?:{DEADLINE_PHRASE})", re.VERBOSE)
# where the next phrase starts (lexicon.start_finder): find_deadlines skips to it, 4× faster
# again. (A look-behind cannot hold a test of a group's presence, (?(ahead)…): the finder reads
# that alternative as the two it stands for, which match at the same places; test_guards checks.)
_SPAN_WITH_GROUPS = r"(?P<ahead>未来|今后|用|利用)?(?P<span>(?:\d|[一二三四五两])(?:[至到—-](?:\d|[一二三四五两]))?)年(?(ahead)|(?:时间|内|左右|安排))"
_SPAN_AS_TWO = (
    r"(?:未来|今后|用|利用)(?:\d|[一二三四五两])(?:[至到—-](?:\d|[一二三四五两]))?年"
    r"| (?:\d|[一二三四五两])(?:[至到—-](?:\d|[一二三四五两]))?年(?:时间|内|左右|安排)"
)
assert DEADLINE_PHRASE.count(_SPAN_WITH_GROUPS) == 1
# Every phrase holds one of these: 年 (a year, a span of years, 今年, 上半年, 近年来…), 月 (a month),
# 季 (首季, 一季度) or 五 (“十五五”). Most sentences hold none (four in five of the corpus's): one
# scan for them, in C, spares the phrase's scan. Checked against the tables here, at import.
_TIME_CHARS = "年月季五"
# It comes early: at most 12 characters into a phrase (从到2026年, 未来3至5年, 第一季度, 新的一年,
# “十五五”, 于2026—2030年); the time phrase's finder tries the whole pattern only where one is
# that near.
_TIME_CHAR_REACH = 12
assert all(
    0 <= min((i for i, ch in enumerate(word) if ch in _TIME_CHARS), default=-1) <= _TIME_CHAR_REACH - 2
    for word in (*PLAN_PERIODS, *PART_OF_YEAR, *YEAR_END_WORDS, *LOOKING_BACK_WORDS)
)
_TIME_CHAR = re.compile(f"[{_TIME_CHARS}]")
DEADLINE_START = re.compile(
    start_finder(
        rf"(?=[\s\S]{{0,{_TIME_CHAR_REACH}}}[{_TIME_CHARS}])(?:{DEADLINE_PHRASE.replace(_SPAN_WITH_GROUPS, _SPAN_AS_TWO)})",
        _FIRST_CHARS,
        classes=r"\d",
    ),
    re.VERBOSE,
)


SCHEDULED_MONTH = "<month> of a schedule"
SPAN_OF_YEARS = "<n>年时间"  # 用3至5年时间, 今后五年, 未来五年


@dataclass(frozen=True, slots=True)
class DeadlinePhrase:
    start: int
    end: int
    due: date | None  # None: a period that cannot be resolved
    past: bool  # the phrase names a time before the document's year
    rule: str
    text: str = ""

    def explicit_future(self, doc: date) -> bool:
        """A time to come said as such: a later year (到2027年, 明年, “十五五”), a deadline
        (年底前, 6月底前, 到2026年底). 今年/全年 alone name the year a text speaks in, which
        may be the year just reported on."""
        if self.past or self.due is None:
            return False
        if self.rule == "今年/全年/年内":
            return self.text not in THIS_YEAR_WORDS
        if self.rule == OPENED_PLAN:
            return self.due.year >= doc.year  # 2024年福州将…。新改扩建公办幼儿园25所…
        if self.rule == "“<plan>”末":
            return self.due.year > doc.year or self.text.endswith(("末", "期末"))
        if self.rule in _PART_RULES:
            # 一季度开工重点项目57个 in a January text: a part of the year still well ahead (one
            # nearly over is reported on: 上半年增长5% in May)
            return (self.due - doc).days >= _PART_AHEAD_DAYS
        return (
            self.due.year > doc.year or "前" in self.text or "到" in self.text or "底" in self.text
            or self.rule == SCHEDULED_MONTH
        )

    def this_year_ahead(self, doc: date) -> bool:
        """今年/全年 in a text of the year's first half — work reports, 两会, budgets, spring
        planting — speak of the year ahead; later in the year they mostly report on it."""
        if self.past or doc.month > _YEAR_AHEAD_UNTIL_MONTH:
            return False
        # 2025年，新型储能规模达到800万千瓦左右 in a March 2025 plan: the document's year named
        return self.rule == "今年/全年/年内" or (
            self.rule == "到<year>年" and self.due == date(doc.year, 12, 31) and self.text[:1] in _YEAR_FIRST
        )


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def find_deadlines(text: str, lo: int, hi: int, doc: date) -> list[DeadlinePhrase]:
    """The time phrases of text[lo:hi], as DEADLINE.finditer finds them, each resolved."""
    return [  # each built once, with its words (dataclasses.replace is slow)
        DeadlinePhrase(m.start(), m.end(), due, past, rule, m.group()) for m, (due, past, rule) in _resolved(text, lo, hi, doc)
    ]


def dated_after_year(text: str, lo: int, hi: int, doc: date) -> bool:
    """Whether a time phrase of text[lo:hi] is due after the document's year: `any` over
    find_deadlines, stopping at the first, no phrase built."""
    return any(not past and due is not None and due.year > doc.year for _, (due, past, _) in _resolved(text, lo, hi, doc))


def _resolved(text: str, lo: int, hi: int, doc: date) -> Iterator[tuple[re.Match[str], tuple[date | None, bool, str]]]:
    """Each time phrase of text[lo:hi] that dates something, with its (due, past, rule)."""
    pos = lo
    # DEADLINE.finditer, from one match to the next by the finder: the leftmost match is the one
    # at the first place the finder finds (no phrase is empty, so the next starts after its end).
    # The finder matches only where one of _TIME_CHARS is at most _TIME_CHAR_REACH characters
    # ahead: it starts that far before the next one (a stretch without one is skipped by a scan
    # for four characters, where the finder tried each of its many characters)
    while (time_char := _TIME_CHAR.search(text, pos, hi)) is not None:
        found = DEADLINE_START.search(text, max(pos, time_char.start() - _TIME_CHAR_REACH), hi)
        if found is None:
            return
        m = DEADLINE.match(text, found.start(), hi)
        pos = m.end()
        resolved = _resolve(m, doc)
        if resolved is not None:
            yield m, resolved


def deadline_at(text: str, pos: int, hi: int, doc: date) -> DeadlinePhrase | None:
    """The time phrase that starts right at `pos`, as the first of `find_deadlines(text, pos,
    hi, doc)` if that one starts at `pos`: the leftmost match is the one at `pos` if there is
    one, so one match attempt tells (not a scan of the rest of the window)."""
    m = DEADLINE.match(text, pos, hi)
    if m is None:
        return None
    resolved = _resolve(m, doc)
    if resolved is None:
        return None  # (the first phrase found would start later)
    due, past, rule = resolved
    return DeadlinePhrase(m.start(), m.end(), due, past, rule, m.group())


def _resolve(m: re.Match[str], doc: date) -> tuple[date | None, bool, str] | None:
    """(due, past, rule) of a time phrase found, or None where it dates nothing."""
    s, e = m.start(), m.end()
    if m.string[s - 1 : s] in _BASELINE_BEFORE and s:
        return None  # 比2020年下降13.5%, 较“十三五”末: the baseline of a change, not its time
    if m.string[s - 1 : s] == "以" and _BASE_YEAR_AFTER.match(m.string, e):
        return None  # 以2025年碳排放…为基数, …下降8.5%: the base year of a change
    if m.group("year"):
        year = int(m.group("year").translate(_YEAR_DIGITS))
        month = m.group("ymonth")
        if text_after_is_plan_name(m) or (not m.group("ypart") and m.string.startswith("第", e)):
            return None  # 2025年第一批622个重大项目: the year names a batch, it dates no clause
        if m.group("since"):
            # 从2025年起 starts a period; 2020年以来 looks back over one
            return (None, m.group("since") == "以来" or year < doc.year, "从<year>年起")
        if m.group("ypart"):
            mo, day = PART_OF_YEAR[m.group("ypart")]
            due = date(year, mo, day)
            return (due, due < doc, "<year>年<part of year>")
        if month and 1 <= int(month) <= 12:
            # 截至2026年6月底 in a July text: a month of this year that has ended (a date as of which)
            due = _month_end(year, int(month))
            return (due, due < doc, "到<year>年")
        return (date(year, 12, 31), year < doc.year, "到<year>年")
    if m.group("mto"):
        # 1-6月份，…累计完成投资12.88亿元: the months of this year so far
        month = int(m.group("mto"))
        if not 1 <= month <= 12:
            return None
        due = _month_end(doc.year, month)
        return (due, due < doc, "<months>")
    if m.group("month"):
        raw = m.group("month")
        month = int(raw) if raw.isdigit() else parse_chinese_integer(raw)
        if not month or not 1 <= month <= 12:
            return None
        due = _month_end(doc.year, month)
        # 11月完工: the month work is scheduled in (a time to come, as 11月底前 is)
        return (due, due < doc, "<month>月底前" if m.group().endswith(("底", "末", "前")) else SCHEDULED_MONTH)
    if m.group("period"):
        first, last = PLAN_PERIODS[m.group("period")]
        if m.group("pend") == "以来":
            return (None, True, "“<plan>”以来")  # looks back over the period
        if m.group("pend") in ("首年", "开局之年", "首季"):
            # “十五五”首季 (its first quarter), 首年/开局之年 (its first year)
            due = date(first, 3, 31) if m.group("pend") == "首季" else date(first, 12, 31)
            return (due, due < doc, "<year>年<part of year>")
        return (date(last, 12, 31), last < doc.year, "“<plan>”末")
    if m.group("span"):
        raw = m.group("span")[-1]  # 用3至5年时间: the longer span
        years = int(raw) if raw.isdigit() else parse_chinese_integer(raw) or 1
        # 未来五年 said in December (a report to the session that opens the next plan) starts next year
        first = doc.year + (m.group("ahead") in ("未来", "今后") and doc.month >= NEW_YEAR_FROM_MONTH)
        return (date(first + years - 1, 12, 31), False, SPAN_OF_YEARS)
    if m.group("part"):
        month, day = PART_OF_YEAR[m.group("part")]
        due = date(doc.year, month, day)
        # 上半年增长5.2% in a July article: a period that has ended reports a result
        return (due, due < doc, "<part of year>")
    if m.group("back"):
        return (None, True, "近年来")  # looks back over recent years
    if m.group("rel"):
        if m.string[s - 1 : s] == "如" and m.group("rel").startswith("今"):
            return None  # 如今年接待游客近10万人次: 如今 (nowadays), then 年接待
        if m.group("rmonth") and 1 <= int(m.group("rmonth")) <= 12:
            due = _month_end(doc.year + YEAR_END_WORDS[m.group("rel")], int(m.group("rmonth")))
            return (due, due < doc, "<year>年<part of year>")  # 今年1至4月
        if m.group("so_far"):
            return (None, True, "今年以来")  # so far this year: results
        if m.group("rel") in ANAPHORIC_YEAR_WORDS and m.string.endswith(_LAST_YEAR, 0, s):
            # 增速比上年全年加快2.3个百分点: the whole of last year
            return (date(doc.year - 1, 12, 31), True, "全年 of a year named before")
        named = _year_named_before(m.string, s, doc) if m.group("rel") in ANAPHORIC_YEAR_WORDS else None
        if named is not None:
            return (date(named, 12, 31), True, "全年 of a year named before")
        if m.group("rel") in NARRATIVE_YEAR_WORDS:
            # 2021年，…成立“联村党委”。⏎当年，…当年实现收益36万元: that year of the story, told
            # before (no plan dates its goals so)
            return (None, True, "当年 of a year told before")
        offset = YEAR_END_WORDS[m.group("rel")]
        if m.group("rel") in NEW_YEAR_WORDS and doc.month >= NEW_YEAR_FROM_MONTH:
            offset = 1
        return (date(doc.year + offset, 12, 31), offset < 0, "今年/全年/年内")
    return None


# a year a paragraph speaks of (2024年，… / 2025年前三季度), not a baseline (比2020年), a start
# (2020年以来) or a deadline (到2027年, 2026年底)
_NAMED_YEAR = re.compile(r"(?<![比较到至])(20\d\d)年(?!以来|起|开始|底|末|内)")
_NAMED_YEAR_REACH = 1000  # a paragraph of results opens on its year (2023年，我区…)


def _year_named_before(text: str, at: int, doc: date) -> int | None:
    """The past year that 全年 at `at` refers back to: the last year named before it in its
    paragraph, when that year is before the document's."""
    lo = max(text.rfind("\n", max(0, at - _NAMED_YEAR_REACH), at) + 1, at - _NAMED_YEAR_REACH)
    last = None
    for last in _NAMED_YEAR.finditer(text, lo, at):
        pass
    if last is None:
        return None
    year = int(last.group(1))
    return year if year < doc.year else None


_ACCOUNTS_REACH = 3000  # characters from the start where a bulletin's first figures are
_REPORTED_BY_MONTH = 7  # a bulletin of the months before July reports the year before


def reported_year(text: str, doc: date) -> int | None:
    """The year a statistics text reports, when it opens with a statistics office's accounts
    (初步核算): the year it names before them (2024年，是…关键的一年。…初步核算，全年…), else,
    published in the first half of a year, the year before."""
    at = min((i for w in ACCOUNTING_MARKS if (i := text.find(w, 0, _ACCOUNTS_REACH)) >= 0), default=-1)
    if at < 0:
        return None
    first = _NAMED_YEAR.search(text, 0, at)
    if first is not None and int(first.group(1)) < doc.year:
        return int(first.group(1))
    return doc.year - 1 if doc.month < _REPORTED_BY_MONTH else None


def in_reported_year(times: list[DeadlinePhrase], year: int, doc: date) -> list[DeadlinePhrase]:
    """全年, 年末 of a statistics text: the year it reports, a past time."""
    return [
        replace(t, due=date(year, 12, 31), past=True, rule="全年 of the year reported")
        if t.text in REPORTED_YEAR_WORDS and t.due is not None and t.due.year == doc.year else t
        for t in times
    ]


def text_after_is_plan_name(m: re.Match[str]) -> bool:
    """2035年远景目标 is a vision, not a deadline of this year's work."""
    after = m.string[m.end() : m.end() + 2]
    return after.startswith("远景")


# --- which time phrase governs a number -------------------------------------------------

_YEAR_AHEAD_UNTIL_MONTH = 6
_BASELINE_BEFORE = frozenset("比较")
_BASE_YEAR_AFTER = re.compile(r"[^，。；]{0,20}?为(?:基数|基期|基准)")
_TIME_CLAUSE_WORDS = 4
DEADLINE_REACH = 300  # characters back from a number that a time phrase may govern
# 年底建成并网, 6月底前全部投用: a completion promised for the thing just counted
_FINISH = re.compile(SCHEDULED)
# words of a schedule before its time, opening a clause: 计划4月开工建设，11月完工
_SCHEDULE_LEAD = re.compile(rf"(?:{or_regex(SCHEDULE_LEADS)})*")
_SCHEDULE_LEAD_REACH = 4  # characters of those words
_SCHEDULE_CLAUSES = 3  # steps of a schedule read after the clause of the number
_TIME_CLAUSE_FILLER = re.compile(r"^(?:力争|确保|争取|努力|计划|预计|要|将|在|到|至|于|前|底|末|内|今年|明年|时间|左右|，|\s)*$")
# what follows a time that opens a plan: 今年将…, 2025年，全市要…, 2024年福州将… (a short
# subject before 将)
FUTURE_AFTER = re.compile(rf"[，,]?(?:(?:我们|[全我本][省市区县镇乡])?(?:{or_regex(WILL_WORDS)})|[\u4e00-\u9fff]{{2,10}}?将(?![近约]))")
OPENED_PLAN = "<year>年…将"  # the rule of a year that opened a plan for the sentences after it


def governing_phrase(
    text: str, q_start: int, phrases: list[DeadlinePhrase], clauses: list[tuple[int, int]], idx: int,
    sentence_start: int, recurring: bool,
) -> DeadlinePhrase | None:
    """The time phrase that governs a number at `q_start` in clause `idx`: the nearest one
    before it within its ；-segment — in its own clause (全年新招引…3个) or a fronted time
    clause that scopes over what follows (力争到2026年，…突破6000亿元) — else one opening the
    next clause (等3个项目建设，年底建成并网)."""
    clause = clauses[idx]
    reach = max(sentence_start, q_start - DEADLINE_REACH)
    segment_start = max(text.rfind("；", reach, q_start), text.rfind(";", reach, q_start), reach - 1)
    before = bisect_right(phrases, q_start, key=lambda p: p.end)
    for p in reversed(phrases[:before]):
        if p.start <= segment_start:
            break
        if _ATTRIBUTIVE_TIME.match(text, p.end):
            continue  # “十四五”批复的6个基地: the time of a noun's modifier governs nothing else
        if p.start >= clause[0] or p.rule == "“<plan>”末" or time_clause(text, p, clauses) or _opens_plan(text, p, clauses):
            return p
    if recurring:
        return None
    # a schedule in the clauses after it (年底建成并网; 计划4月开工建设，11月完工): its last step
    scheduled = None
    for nxt, _ in clauses[idx + 1 : idx + 1 + _SCHEDULE_CLAUSES]:
        p = next((p for p in phrases if nxt <= p.start <= nxt + _SCHEDULE_LEAD_REACH), None)
        if p is None or p.past or _SCHEDULE_LEAD.fullmatch(text, nxt, p.start) is None or not _FINISH.match(text, p.end):
            break
        scheduled = p
    return scheduled


# a time inside a noun's modifier: “十四五”批复的…基地, 2024年建成的…学校
_ATTRIBUTIVE_TIME = re.compile(rf"(?:{or_regex(ATTRIBUTIVE_TIME_VERBS)})的")


_LAST_YEAR = ("上年", "去年", "上一年")
# 全省计划, 我市将, 力争: a unit (or none) and a word of will before a clause's time
_WILL_BEFORE_TIME = re.compile(
    rf"(?:我们|[全我本][省市区县镇乡]|[\u4e00-\u9fff]{{2,4}}?)?(?:{or_regex(WILL_WORDS + DECISION_WORDS)})(?:在|于|到)?"
)


def _opens_plan(text: str, phrase: DeadlinePhrase, clauses: list[tuple[int, int]]) -> bool:
    """工业大省辽宁，今年将深入实施…，…，计划新增…80家: a time opening a clause whose verb is to
    come scopes over the clauses that go on with it."""
    if phrase.text in ATTRIBUTIVE_YEAR_WORDS:
        return False  # 年度计划投资163.4亿元，目前已开工85个，开工率60%: a noun phrase
    i = bisect_right(clauses, phrase.start, key=lambda c: c[0]) - 1
    if i < 0:
        return False
    before = text[clauses[i][0] : phrase.start].strip()
    if before in ("", "在"):
        return FUTURE_AFTER.match(text, phrase.end) is not None
    # 全省计划今年培育10个…，建成100个…: the will said just before the time
    return _WILL_BEFORE_TIME.fullmatch(before) is not None


def time_clause(text: str, phrase: DeadlinePhrase, clauses: list[tuple[int, int]]) -> bool:
    """力争到2026年， : a clause that is only a time phrase (and commitment words)."""
    i = bisect_right(clauses, phrase.start, key=lambda c: c[0]) - 1
    if i < 0:
        return False
    a, b = clauses[i]
    if b - a > 40:
        return False
    rest = text[a : phrase.start] + text[phrase.end : b]
    # 力争到2026年， / 明确到2027年底， / 具体到2022年, : a short clause around a time phrase
    return bool(_TIME_CLAUSE_FILLER.match(rest)) or (len(rest) <= _TIME_CLAUSE_WORDS and "到" in text[phrase.start : phrase.end])
