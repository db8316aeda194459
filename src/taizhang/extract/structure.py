"""Document structure: the genre of a document, the frame of each paragraph, the date.

The same sentence shape ("GDP增长5.2%") is a fact under a review heading and a target under a
targets heading (DOMAIN.md). A frame is evidence about the paragraphs it covers, never a
switch over the rest of a document: a real heading (a short or numbered line) opens a section
that lasts until the next heading; a paragraph that merely opens with 回顾/今年是… frames that
paragraph only, unless the document is a report or a plan, whose parts are long runs of such
paragraphs. The sentence's own words are weighed against the frame by the rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from taizhang.extract.deadlines import SPAN_OF_YEARS, find_deadlines
from taizhang.extract.lexicon import or_regex
from taizhang.extract.lexicon.structure import (
    PLAN_HEADINGS,
    PLAN_OPENINGS,
    PLAN_YEAR_NEXT,
    REPORT_MARKS,
    RESULT_HEADINGS,
    REVIEW_HEADINGS,
    ACHIEVEMENT_WORDS,
    REVIEW_OPENINGS,
    SO_FAR_OPENINGS,
    TITLE_MARKS,
)
from taizhang.extract.lexicon.time_words import NEW_YEAR_FROM_MONTH, PLAN_PERIODS


class Frame(StrEnum):
    REVIEW = "review"  # 过去一年工作回顾: every number is a fact
    PLAN = "plan"  # 主要预期目标 / 重点工作: numbers are targets unless marked as facts
    OPEN = "open"  # news, speeches, bulletins: a number needs a reason to be a target


class Genre(StrEnum):
    REPORT = "report"  # addressed to a congress: opens with a review, then the plan
    OTHER = "other"  # news, interviews, plans, bulletins: no part is a review by default


_NUMBERED = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+部分)")
# 2023年, or in numerals in a formal title (子洲县二〇二三年…统计公报)
_YEAR = re.compile(r"(20\d\d|19\d\d|二[〇零○0][〇零○0一二三四五六七八九]{2})年")
_YEAR_DIGITS = str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")
_DOC_DATE = re.compile(r"(20\d\d|19\d\d)年(\d{1,2})月(\d{1,2})日")
_ISO_DATE = re.compile(r"(20\d\d)[-/](\d{1,2})[-/](\d{1,2})")
_PERIOD = re.compile(or_regex(PLAN_PERIODS))
_PERIOD_CHAR = "五"  # in every plan period's name (十四五, 十五五)
_RESULT_WORD = "情况"  # in every results heading (完成情况)
assert all(_PERIOD_CHAR in p for p in PLAN_PERIODS) and all(_RESULT_WORD in w for w in RESULT_HEADINGS)
_PLAN_YEAR_OPENING = re.compile(rf"今年(?:{or_regex(PLAN_YEAR_NEXT)})")


def _opens_on_plan_year(line: str) -> bool:
    """Whether _PLAN_YEAR_OPENING matches at the start of `line`, asked only of a line that
    opens with 今年 (every paragraph is tried as a heading: a string test spares most the call)."""
    return line.startswith("今年") and _PLAN_YEAR_OPENING.match(line) is not None
_HEADING_MAX = 40
_SENTENCE_END = frozenset("。！？!?；;")
# `any(w in head for w in WORDS)` as one scan each (every paragraph is tried as a heading)
_TITLE_MARK = re.compile(or_regex(TITLE_MARKS))
_ACHIEVEMENT = re.compile(or_regex(ACHIEVEMENT_WORDS))
_REVIEW_HEADING = re.compile(or_regex(REVIEW_HEADINGS))
_PLAN_HEADING = re.compile(or_regex(PLAN_HEADINGS))
_OPENINGS = REVIEW_OPENINGS + PLAN_OPENINGS


@dataclass(frozen=True, slots=True)
class Section:
    frame: Frame
    deadline: date | None  # default deadline of a target in this section
    heading: str = ""
    local: bool = False  # frames only the paragraph that opens it
    # a heading naming a year and a plan period to come (“十五五”时期目标任务和2026年工作安排):
    # the end of the period, the deadline of what recurs every year of it (年均增长5%左右)
    period_end: date | None = None


def document_year_end(doc_date: date) -> date:
    return date(doc_date.year, 12, 31)


def report_year_end(doc_date: date) -> date:
    """The year a report's plan is for: a session held from November on sets the next year's
    work (GUIDELINES §4b)."""
    return date(doc_date.year + (doc_date.month >= NEW_YEAR_FROM_MONTH), 12, 31)


def document_genre(text: str, meta: dict[str, Any] | None) -> Genre:
    """A report when the metadata says so or the text addresses the congress."""
    if (meta or {}).get("genre") == "work_report":
        return Genre.REPORT
    head = text[:5000]
    return Genre.REPORT if any(w in head for w in REPORT_MARKS) else Genre.OTHER


def frame_of_heading(paragraph: str, doc_date: date, *, report: bool = True) -> Section | None:
    """The section a heading-like paragraph opens, or None if it opens none. Outside a report
    a heading opens a plan only when it says so (目标, 任务, 重点工作…): the subheadings of a
    news story or a press conference (“十四五”期间，累计新设外资企业22.9万家) name a topic."""
    section = _frame_of_heading(paragraph, doc_date)
    if section is None or report or section.frame is not Frame.PLAN:
        return section
    if any(w in section.heading for w in _PLAN_SAYS):
        return section
    # an opening about a period to come (“十五五”时期，我们将…) frames its own paragraph
    periods = _PERIOD.findall(section.heading)
    ahead = periods and max(PLAN_PERIODS[p][0] for p in periods) >= doc_date.year
    return section if section.local and (ahead or _opens_on_plan_year(section.heading)) else None


# (实事: 金凤区2025年民生“十心”实事, a year's programme of practical projects)
_PLAN_SAYS = PLAN_HEADINGS + ("目标", "任务", "计划", "规划", "安排", "实事")


def names_plan_part(heading: str) -> bool:
    """A heading that is the name of a plan part ends with what the part holds (今年主要预期目标,
    2025年重点工作); a story's title uses such words inside a phrase (为实现全年目标任务夯实基础)."""
    return heading.rstrip("：: ").endswith(_PLAN_SAYS)


def _frame_of_heading(paragraph: str, doc_date: date) -> Section | None:
    line = paragraph.strip()
    head = line[:_HEADING_MAX]
    numbered = bool(_NUMBERED.match(head))
    # a heading is short and is not a sentence (“十四五”时期，我们实现了…。 is one)
    short = len(line) <= _HEADING_MAX and line[-1:] not in _SENTENCE_END
    starts = head[:14]
    opening = _opens_paragraph(starts)
    if not (numbered or short or opening):
        return None
    local = not (numbered or short)
    # (a year, a date, a plan period, a results heading: each holds a character asked for first,
    # a test in C that spares most headings the scans)
    dated = "年" in head
    if (short or numbered) and (_TITLE_MARK.search(head) or (dated and _DOC_DATE.search(head)) or head.startswith("—")):
        return None  # the document's title, subtitle (——…) or dateline
    years = [int(y.translate(_YEAR_DIGITS)) for y in _YEAR.findall(head)] if dated else []
    # the latest plan period named: “十四五”时期发展成就和“十五五”时期目标任务 → 十五五
    period = max(_PERIOD.findall(head), key=lambda p: PLAN_PERIODS[p][0], default=None) if _PERIOD_CHAR in head else None
    ahead = (years and max(years) >= doc_date.year) or (period and PLAN_PERIODS[period][0] >= doc_date.year)
    if _ACHIEVEMENT.search(head) and not ahead:
        return Section(Frame.REVIEW, None, head, local)
    results = (
        max((head.rfind(w) + len(w) for w in RESULT_HEADINGS if w in head), default=-1) if _RESULT_WORD in head else -1
    )
    if results >= 0 and not any(w in head[results:] for w in (*PLAN_HEADINGS, "草案", "计划")):
        return Section(Frame.REVIEW, None, head, local)  # (一)主要目标完成情况: how the plan went
    # 回顾…, 2025年主要发展目标任务顺利实现 (in 2026): the past; a heading naming only past
    # years is about them
    if _REVIEW_HEADING.search(head) or (years and max(years) < doc_date.year and (numbered or short)):
        if not any(w in head for w in ("目标", "任务", "安排")):
            return Section(Frame.REVIEW, None, head, local)
    plan_words = _PLAN_HEADING.search(head) is not None
    if _opens_on_plan_year(starts):
        # 今年是“十五五”开局之年…: the year the text speaks for, whatever period it names after
        return Section(Frame.PLAN, document_year_end(doc_date), head, local)
    if years and years[0] == doc_date.year and (plan_words or numbered):
        # 二、2024年工作目标和主要任务（…“十四五”规划的关键一年…）: the year named first wins
        period_end = None
        if period and PLAN_PERIODS[period][0] >= doc_date.year and head.find(period) < head.find(str(years[0])):
            period_end = date(PLAN_PERIODS[period][1], 12, 31)  # “十五五”时期目标任务和2026年工作安排
        return Section(Frame.PLAN, document_year_end(doc_date), head, local, period_end)
    if period:
        first, last = PLAN_PERIODS[period]
        if last < doc_date.year or (first < doc_date.year and "回顾" in paragraph[:60]):
            return Section(Frame.REVIEW, None, head, local)
        if first >= doc_date.year or any(w in head for w in ("目标", "任务", "时期", "期间", "规划")):
            if doc_date.year < first or "期" in head or "目标" in head:
                return Section(Frame.PLAN, date(last, 12, 31), head, local)
    if plan_words or (years and min(years) >= doc_date.year and (numbered or short)):
        deadline = date(max(years), 12, 31) if years and max(years) >= doc_date.year else document_year_end(doc_date)
        if not years and "年" in head:
            # 今后五年的主要任务: the span it names (deadlines' reading of 今后五年, 未来五年)
            span = next((t for t in find_deadlines(head, 0, len(head), doc_date) if t.rule == SPAN_OF_YEARS), None)
            deadline = span.due if span is not None and span.due is not None else deadline
        return Section(Frame.PLAN, deadline, head, local)
    if starts.startswith(("今年", "新的一年", "2")) and not starts.startswith(SO_FAR_OPENINGS) and (numbered or opening):
        if _opens_on_plan_year(starts) or (years and years[0] >= doc_date.year and opening):
            return Section(Frame.PLAN, document_year_end(doc_date), head, local)
    return None


def _opens_paragraph(start: str) -> bool:
    if start.startswith(SO_FAR_OPENINGS):
        return False  # 今年以来…: what has happened so far this year (facts)
    return start.startswith(_OPENINGS) or _opens_on_plan_year(start)


def document_date(text: str) -> date | None:
    """The first full date in the opening of a document (a report's dateline)."""
    head = text[:1500]
    for rx in (_DOC_DATE, _ISO_DATE):
        m = rx.search(head)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None
