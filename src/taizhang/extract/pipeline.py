"""The extraction pipeline: an explicit sequence of small stages over one context object.

    repair layout → paragraphs (frames, unit headings, speakers) → sentences and clauses
    (cue words, time phrases, topics) → quantities → readings → decide (rules.py) →
    deadline → subject → assemble (spans back to the original)

`analyse` keeps every candidate with its decision (what `taizhang explain` prints);
`extract_targets` keeps the accepted ones. The reference date is always given: 全年, 年底前
and 到2026年 resolve against the document's date, never against today.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from taizhang.extract.classify import Decision, decide
from taizhang.extract.deadlines import (
    DEADLINE, DEADLINE_REACH, FUTURE_AFTER, OPENED_PLAN, DeadlinePhrase, dated_after_year, deadline_at, find_deadlines,
    governing_phrase, in_reported_year, reported_year, time_clause,
)
from taizhang.extract.gazetteer import gazetteer
from taizhang.extract.layout import OffsetMap, repair
from taizhang.extract.script import is_traditional, to_simplified
from taizhang.extract.lexicon import or_regex, start_finder
from taizhang.extract.lexicon.cues import (
    ANNUAL_TARGET_LISTS, AS_OF_MARKERS, RESTATED_TARGET_LINKS, RESTATED_TARGET_WORDS, BUDGET_FRAME_LEADS, BUDGET_FRAMES, CONTINUATION_WORDS, GOALS_ANNOUNCED, NOW_OPENERS,
    PROGRAMME_LISTS, TARGET_FRAMES,
)
from taizhang.extract.lexicon.structure import (
    AGENDA_DOING, AGENDA_PARTS, AGENDA_VERBS, BULLET_MARKS, LEAD_AGENDA_VERBS, DEADLINE_LABELS, INDEX_COLUMNS, LEARNT_FROM, MEETING_WORDS,
    OTHER_COLUMNS, PROGRESS_COLUMNS, QUESTION_MARKS, REPORT_CITED,
    PLAN_HEADINGS, REPORTING_VERBS, REVIEW_OPENINGS, STATEMENT_OPENERS, TARGET_COLUMNS, TEASER_BREAKS,
)
from taizhang.extract.lexicon.time_words import (
    ANAPHORIC_YEAR_WORDS, ATTRIBUTIVE_YEAR_WORDS, HOLIDAY_WORDS, NEW_YEAR_FROM_MONTH, THIS_YEAR_WORDS,
)
from taizhang.extract.lexicon.time_words import RECURRING_WORDS
from taizhang.extract.quantities import QUANTITY, SIZE_CLASS, Quantity, find_quantities
from taizhang.extract.reading import ANY_REASON_START, STRIVE, PLANS_TO as FUTURE_PLANS_TO, TARGET_FRAME, VERBS, Reading, SentenceCues
from taizhang.extract.structure import (
    Frame, Genre, Section, document_genre, document_year_end, frame_of_heading, names_plan_part, report_year_end,
)
from taizhang.extract.subjects import document_subject, is_byline, sentence_topic, speaker_unit, unit_heading
from taizhang.types import Span, Strength, Target

_PARAGRAPH = re.compile(r"[^\n]+")
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?”]*")
# (not a comma or colon inside a number: 1,200家, 给予1:1配套)
# (an ellipsis ends the clause it cuts short: “…增长6%左右……”2025年…主要预期目标已确定)
_CLAUSE_BREAK = re.compile(r"[，；;：]|……|,(?!(?<=[0-9],)[0-9]{3}(?![0-9]))|:(?!(?<=[0-9]:)[0-9])")
_HAS_DIGIT = re.compile(r"[0-9０-９〇零一二两三四五六七八九十百千万亿]")
_RECURRING = re.compile(or_regex(RECURRING_WORDS))
_INDICATOR_LEAD = re.compile(
    r"^(?:[，、\s]|力争|确保|争取|努力|全力|加快|全年|今年|年内|年底前|年底|明年|每年|年均|其中|"
    r"到20\d\d年底?|20\d\d年底?|同时|并|要|将|我[省市县区]|推动|实现|完成|达到|突破|超过|超|达|[省市县区]|"
    r"控制在|保持在|稳定在|保持|"
    r"主要预期目标是|预期目标是|目标是|发展目标是|经济社会发展的)+"
)
_INDICATOR_TAIL_WORDS = (
    "跨越", "迈上", "冲刺", "增长率", "增长", "提高", "提升", "下降", "降低", "涨幅", "增速", "控制在", "保持在",
    "稳定在", "保持", "达到", "突破", "超过", "超", "达", "不少于", "不低于", "为", "在", "拟按", "按",
)
_INDICATOR_TAIL = re.compile(rf"(?:{'|'.join(_INDICATOR_TAIL_WORDS)})+$")
# (a paragraph opening with (1) or （1） is a list item, not a note: (2)落實…新增城鎮就業5500人以上)
_FOOTNOTE = re.compile(r"^[\[〔［【]\d{1,3}[\]〕］】]")
_FOOTNOTE_OPENERS = tuple("[〔［【")  # its first characters: a string test before the regex
# sentences that go on with the one before: 其中，…; and the items of a plan announced in it
# (广东将实施提振消费专项行动。一是…。二是…举办4000场…。)
_COLUMN_TAG = re.compile(r"\s*【[^】]{0,30}】")
# (an item numbered in its sentence too: 。 1、完成2所…。 2、…, （一）…)
_ITEM = re.compile(
    r"[一二三四五六七八九十]是|其[一二三四五六七八九十]是?[，,]|第[一二三四五六七八九十][，,、]"
    r"|[ \t\u3000\xa0]*[（(]?(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?:[、．]|[)）]|\.(?!\d))"
)
_CONTINUATIONS = re.compile(rf"{or_regex(CONTINUATION_WORDS)}|{_ITEM.pattern}")
# the first character of every match (_ITEM's: a numeral or a digit, a space or a bracket before
# one, 其, 第): tried only where one is
_CONTINUATION_FIRST = frozenset(w[0] for w in CONTINUATION_WORDS) | frozenset(
    "一二三四五六七八九十其第0123456789（( \t\u3000\xa0"
)


def _continuation_at(text: str, ss: int) -> re.Match[str] | None:
    """_CONTINUATIONS.match(text, ss), after a set test on its first character (every sentence
    of a paragraph read is asked)."""
    return _CONTINUATIONS.match(text, ss) if text[ss : ss + 1] in _CONTINUATION_FIRST else None

# what makes the next sentence's 其中，… a part of a plan (目标 alone does not: 与计划目标持平)
_PLANNED = re.compile(rf"将|力争|确保|争取|拟|到(?:20\d\d|二[〇零○][〇零○一二三四五六七八九]{{2}})年|{FUTURE_PLANS_TO}")
_REPORT_CITED = re.compile(rf"[“‘\s]*(?:{or_regex(REPORT_CITED)})")
# a short clause with no number before a sentence's time: 通过这些举措，2024年，…将
# 央视网消息（新闻联播）：记者从交通运输部了解到，今年，…将: after a news lead, too
# (after the story's date too: 1月22日,记者从全省交通运输工作会议获悉,今年,吉林省将…)
_NEWS_LEAD = re.compile(rf"(?:\d{{1,2}}月\d{{1,2}}日[，,]?)?[^。；\d]{{0,50}}(?:{or_regex(LEARNT_FROM)})[，,：:]")
_LEAD_CLAUSE = re.compile(r"[“\s]*[^，。；\d“”]{2,12}[，,]")
_GOALS_NAMED_AFTER = re.compile(rf"[^，。；,;]{{0,30}}?(?:{or_regex(GOALS_ANNOUNCED)})")
_BUDGET_FRAME_LEAD = re.compile(rf"(?:{or_regex(BUDGET_FRAME_LEADS)})?")
_BUDGET_FRAME = re.compile(rf"的?(?:{or_regex(BUDGET_FRAMES)})[，,]")
# …or a sentence ending on the goals it announces, if it names a time to come
_GOALS_ANNOUNCED = re.compile(rf"(?:{or_regex(GOALS_ANNOUNCED)})(?:如下|是)?[。：:]?$")
# every word of GOALS_ANNOUNCED holds 目标, and a match ends the sentence: the word is among
# its last characters (the longest word, 如下, a stop, a line break)
_GOALS_WORD = "目标"
_GOALS_REACH = max(map(len, GOALS_ANNOUNCED)) + 4
assert all(_GOALS_WORD in w for w in GOALS_ANNOUNCED)
_ORDINAL_TAIL = re.compile(r"(?:成为)?[\u4e00-\u9fff]{0,4}第[0-9一二三四五六七八九十]+个$")
_NOUN_AFTER = re.compile(r"(?:以上|以下|左右|以内)?([^，。；、,;：:（(\s]{0,20})")
# the lists of a year's targets (主要预期目标是：…): dated by the document's year when undated
_ANNUAL_LIST = re.compile(or_regex(ANNUAL_TARGET_LISTS))
_PROGRAMME = re.compile(or_regex(PROGRAMME_LISTS))
_FRONTED_SLACK = 4  # characters besides the time phrase in a fronted time clause (力争到2027年，)
_QUOTE_REACH = 120  # characters of a clause kept in a quote on each side of the value
_NEIGHBOURS = 6  # quantities on each side of a number that its rules may look at


@dataclass(slots=True)
class Candidate:
    """A quantity in context with the decision taken on it."""

    quantity: Quantity
    decision: Decision
    subject: str | None
    sentence: tuple[int, int]  # span in the analysis text
    target: Target | None = None


@dataclass(slots=True)
class Document:
    """What the stages share about the document being read (one per text or stream)."""

    date: date
    genre: Genre
    issuer: str | None  # the default subject
    section: Section  # the current section (a heading's frame lasts until the next heading)
    subject: str | None  # the current unit heading or speaker
    keep_rejected: bool = False
    # the time a text speaks for, where a number gives none: its headline's (“十五五”…专题新闻
    # 发布, 历城区描绘2025年发展蓝图), or the current question's (记者：今年有哪些目标？)
    topic_time: DeadlinePhrase | None = None
    asked: DeadlinePhrase | None = None
    opened: bool = False  # the first paragraph has been seen
    in_title: bool = True  # no paragraph of the body has been seen yet
    traditional: bool = False  # written in traditional characters (script.py), read as simplified
    # “面向‘十五五’，我们将…”王新伟表示。: a statement of what is to come; the paragraphs of
    # measures under it (实施…行动，每年挖潜岗位120万个左右) are its plan, until a heading, a
    # question or a paragraph that opens on the past
    ahead: DeadlinePhrase | None = None
    # 今年，重庆将…办好15件重点民生实事。具体包括：⏎新开工改造城镇老旧小区3011万平方米。⏎…: a
    # planned paragraph that ends with a colon opens a list whose items are the lines under it
    listing: ListLead | None = None
    agenda: bool = False  # `ahead` comes from news of a report's agenda (报告明确,今年将…)
    # inside a 台账 table: (the target column, the index columns before it) of its header row
    table: tuple[int, int] | None = None
    # a 台账 printed one cell a line: the column names of its header so far, then (the number
    # of columns, the target column) and the column of the next line
    header_run: list[str] = field(default_factory=list)
    line_table: tuple[int, int] | None = None
    line_cell: int = 0
    # a report is read as its review until a plan heading; its first paragraph of prose may show
    # that the text is an excerpt that opens inside the plan (（七）着力…。…力争…达到90%以上)
    unread_report: bool = False
    # a statistics text's year (初步核算，全年…): what its 全年 and 年末 speak of
    reported: int | None = None
    # the end of the period a plan's title names (…实施方案(2023-2027年)): when its parts are due
    titled_period: date | None = None
    # the last paragraph that is not a —— line: the one a run of —— goal lines goes on with
    before_bullets: tuple[int, int] | None = None


@dataclass(slots=True)
class Chunk:
    """One piece of text being read: the analysis text and the map back to the original."""

    text: str
    omap: OffsetMap
    original: str
    base: int  # global offset of `original`
    duplicates: set[str] = field(default_factory=set)


@dataclass(slots=True)
class Paragraph:
    start: int
    end: int
    section: Section  # the frame that applies to this paragraph
    subject: str | None
    flags: tuple[str, ...]  # the flags of its targets: duplicated_passage, headline
    spoken_for: DeadlinePhrase | None = None  # the time the text speaks for here (Document)
    ahead: DeadlinePhrase | None = None  # the plan period a statement before it opened (Document)
    listed: ListLead | None = None  # the planned list this paragraph is an item of (Document)
    # 完成时限:力争2026年8月底前 on the line after an item of a 台账-like list: its deadline
    due_line: DeadlinePhrase | None = None


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    clauses: list[tuple[int, int]]
    cues: SentenceCues
    times: list[DeadlinePhrase]
    topics: list[tuple[int, str]]
    continued: bool
    topic_before: str | None  # the unit an earlier sentence of the paragraph turned to
    time_before: DeadlinePhrase | None  # a plan period an earlier sentence opened with
    lead: TargetLead | None = None  # 2025年主要预期目标是：… : the list this sentence opens
    teaser: tuple[int, DeadlinePhrase] | None = None  # 新增…以上,…增长5%以上……2025年,该区将…
    # 到2022年,…增长13%以上;固定资产投资增长20%;…: a time to come that opens the sentence
    # scopes over all its ；-parts
    fronted: DeadlinePhrase | None = None
    # 上半年高技术产业投资同比增长4.6%，知识产权产品投资增长9.4%…: a past time that opens the
    # sentence dates all its clauses that name no time of their own
    opened_past: DeadlinePhrase | None = None


@dataclass(frozen=True, slots=True)
class ListLead:
    """A planned paragraph ending with a colon: the lines under it are its items, due at its time."""

    time: DeadlinePhrase | None


@dataclass(frozen=True, slots=True)
class TargetLead:
    """A clause that announces a list of targets (2025年主要预期目标是：, 今后五年的主要目标是：):
    every number after it in the sentence is one of the targets, due at the lead's time."""

    end: int
    time: DeadlinePhrase | None


def _start(text: str, when: date, subject: str | None, meta: dict[str, Any] | None, keep: bool) -> Document:
    traditional = is_traditional(text)
    if traditional:
        text = to_simplified(text)  # 各位代表 / 廣州市人民政府 in a page of traditional characters
    genre = document_genre(text, meta)
    issuer = subject or document_subject(text, meta, traditional)
    if issuer is None and (town := _UNNAMED_TOWN.search(text, 0, _UNNAMED_TOWN_REACH)):
        issuer = town.group(1)  # a town's plan that never prints its name (我镇, 全镇): 镇
    # a report opens with the review of the past: before its first plan heading, facts
    frame = Frame.REVIEW if genre is Genre.REPORT else Frame.OPEN
    return Document(
        when, genre, issuer, Section(frame, None), issuer, keep, traditional=traditional,
        unread_report=genre is Genre.REPORT, reported=reported_year(text, when), titled_period=_titled_period(text, when),
    )


def _period_stated(text: str, start: int, end: int, doc_date: date) -> DeadlinePhrase | None:
    """The last plan period to come a paragraph states (…其中提到，到2025年，…): the goal lines
    under it are that period's."""
    return next(
        (replace(t, rule=OPENED_PLAN) for t in reversed(find_deadlines(text, start, end, doc_date))
         if t.explicit_future(doc_date) and t.due is not None and t.due.year > doc_date.year - 1 and "到" in t.text),
        None,
    )


def _titled_period(text: str, when: date) -> date | None:
    """洞头区…实施方案(2023-2027年): the last year of the span a plan's title names, if it is not
    over."""
    for m in _TITLED_PERIOD.finditer(text, 0, _TITLED_PERIOD_REACH):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start : len(text) if line_end < 0 else line_end]
        # on a title's line, not in a plan cited in the body (贯彻落实《…实施方案(2023—2027)》和…。)
        if len(line) <= _TITLE_LINE_MAX and "。" not in line and int(m.group(1)) <= int(m.group(2)) >= when.year:
            return date(int(m.group(2)), 12, 31)
    return None


def _plan_part_due(doc: Document, section: Section) -> date | None:
    """A plan part's deadline: its heading's, or — where the heading names no year of its own and
    the plan's title names its span — the span's end (—— lines under 一、总体要求 of a 2023-2027 plan)."""
    if doc.titled_period is not None and section.deadline == document_year_end(doc.date):
        return doc.titled_period
    return section.deadline


def analyse(text: str, *, date: date, subject: str | None = None, meta: dict[str, Any] | None = None) -> list[Candidate]:
    """Every quantity of the text with its decision; spans point into `text`."""
    doc = _start(text, date, subject, meta, keep=True)
    return list(_read_chunk(doc, text, 0))


def extract_targets(
    text: str, *, date: date, subject: str | None = None, meta: dict[str, Any] | None = None
) -> list[Target]:
    """The committed quantities of `text`, each with its provenance.

    `date` is the document's date (deadlines such as 全年 or 年底前 resolve against it).
    `subject` is the unit responsible by default (the issuer of a report); headings,
    speakers and sentences about a unit override it. `meta` is document metadata such as a
    sidecar's issuer/region/level/genre.
    """
    doc = _start(text, date, subject, meta, keep=False)
    return [c.target for c in _read_chunk(doc, text, 0) if c.target]


def extract_stream(
    chunks: Iterable[str], *, date: date, subject: str | None = None, meta: dict[str, Any] | None = None
) -> Iterator[Target]:
    """Targets of a text given as consecutive chunks that end at line breaks (memory stays
    flat however long the text). Spans are global offsets. Passages duplicated across chunks
    are not flagged."""
    offset = 0
    doc: Document | None = None
    for chunk in chunks:
        if doc is None:
            doc = _start(chunk, date, subject, meta, keep=False)
        for c in _read_chunk(doc, chunk, offset):
            if c.target:
                yield c.target
        offset += len(chunk)


# --- stage: paragraphs ------------------------------------------------------------------


def _read_chunk(doc: Document, original: str, base: int) -> Iterator[Candidate]:
    """Unless `keep_rejected` (explain), paragraphs of a review section and sentences with
    nothing that could make a target are skipped unread: most of a long document is facts,
    and this is the hot loop."""
    # one character for one (script.py), so the repair's map back to the original still holds
    text, omap = repair(to_simplified(original) if doc.traditional else original)
    chunk = Chunk(text, omap, original, base, _duplicated_paragraphs(text))
    first_paragraph = base == 0
    keep = doc.keep_rejected
    # a report excerpt read before its text says where it opens (review or plan): its
    # paragraphs wait, each with whether a review would read it, until the evidence comes
    waiting: list[tuple[Paragraph, bool]] = []
    for pm in _PARAGRAPH.finditer(text):
        p_start, p_end = pm.span()
        paragraph = pm.group()
        stripped = paragraph.strip()
        if not stripped or is_byline(stripped) or (stripped.startswith(_FOOTNOTE_OPENERS) and _FOOTNOTE.match(stripped)):
            continue  # bylines, and a report's glossary notes ([2]“双盲”…: what a term means)
        cells = _table_cells(text, p_start, p_end)
        if cells is None:
            doc.table = None
            if stripped in _COLUMN_NAMES:
                # 序号⏎项目内容⏎当前进度⏎牵头单位: a header, a name a line (one name alone, 主要目标,
                # is a heading, and is read as one below)
                doc.header_run.append(stripped)
            elif doc.header_run:
                doc.line_table, doc.line_cell, doc.header_run = _line_table(doc.header_run), 0, []
            if doc.line_table is not None and not doc.header_run and len(stripped) <= _LINE_CELL_MAX:
                # a row of a 台账 printed one cell a line: its index cell starts it, its target
                # cell is a plan's item, its progress cells are facts
                columns, target = doc.line_table
                if _INDEX_CELL.fullmatch(stripped):
                    doc.line_cell = 0
                column, doc.line_cell = doc.line_cell % columns, doc.line_cell + 1
                if column == target:
                    plan = Section(Frame.PLAN, document_year_end(doc.date))
                    yield from _read_paragraph(doc, chunk, Paragraph(p_start, p_end, plan, doc.subject, (), None, None, None, None))
                continue
            if not doc.header_run:
                doc.line_table = None
        elif (header := _table_header(text, cells)) is not None:
            doc.table = header  # 序号 | 项目内容 | 进展情况 | 责任单位
            continue
        elif doc.table is not None:
            # a row of a 台账: its target cell is a plan's item, its progress cells are facts
            cell = _target_cell(text, cells, doc.table)
            if cell is not None:
                plan = Section(Frame.PLAN, document_year_end(doc.date))
                yield from _read_paragraph(doc, chunk, Paragraph(*cell, plan, doc.subject, (), None, None, None, None))
            continue
        # the title block: the headline and the subtitles and datelines under it
        heading_like = _is_headline(stripped)
        title = doc.in_title and heading_like and doc.genre is not Genre.REPORT
        if doc.in_title and not title and doc.topic_time is None and doc.genre is not Genre.REPORT:
            doc.topic_time = _lead_agenda_time(text, p_start, p_end, doc.date)  # …部署今年经济工作
        doc.in_title = title
        if not doc.opened:
            doc.opened = True
            if heading_like:
                # not a column tag (【“十五五”开好局起好步】锚定新目标…): it names a series
                tag = _COLUMN_TAG.match(text, p_start, p_end)
                doc.topic_time = _time_spoken_for(text, tag.end() if tag else p_start, p_end, doc.date)
        ahead_before = doc.ahead  # a statement dates what follows it, not what it follows
        if stripped.startswith(QUESTION_MARKS):
            doc.asked = _time_spoken_for(text, p_start, p_end, doc.date)
            doc.ahead = ahead_before = None
        elif heading_like:
            if not doc.agenda:  # a digest's subheadings (关键词：…, (一)) go on with its report
                doc.ahead = ahead_before = None
        elif doc.genre is not Genre.REPORT:
            agenda = _report_agenda(text, p_start, p_end, doc.date)
            if agenda is not None:
                doc.ahead, doc.agenda = agenda, True
            elif doc.agenda:
                # the report's (or the programme's) tasks go on until a sentence opens on the past
                if _opens_on_past(text, p_start, p_end, doc.date):
                    doc.ahead, doc.agenda = None, False
            else:
                doc.ahead = _statement_ahead(text, p_start, p_end, doc.date, doc.ahead)
                if ahead_before is not None and _as_of_frame(text, p_start, p_end):
                    ahead_before = None  # （…表示，）截至目前，…: this paragraph is the state so far
        unit = unit_heading(stripped)
        if unit:
            doc.subject = unit
            continue
        # a story's title (为实现全年发展目标任务夯实基础, 锚定重点任务 狠抓工作落实) says what it is
        # about, not that a plan part begins: it gives the time the story speaks for, never a
        # frame for all that follows, unless it is the name of such a part (今年主要预期目标);
        # a title about a past year (宜春市2022年国民经济和社会发展统计公报) does frame it all
        before = doc.section
        section = _paragraph_section(doc, paragraph)
        if doc.unread_report and len(stripped) >= _EXCERPT_OPENING_MIN:
            if section is not before:
                doc.unread_report = False  # a heading decided
            else:
                opening = _report_opening(stripped)
                if opening is not None:
                    doc.unread_report = False
                    if opening is Frame.PLAN:
                        section = doc.section = Section(Frame.PLAN, report_year_end(doc.date))
                        # (六)…。实施城镇老旧小区改造300个…。(七)…确保…: the plan began before
                        yield from _read_waiting(doc, chunk, waiting, section)
        if waiting and not doc.unread_report:
            yield from _read_waiting(doc, chunk, waiting, None)
        if title and section.frame is Frame.PLAN and not names_plan_part(stripped):
            section = doc.section = before
        open_frame = section.frame is Frame.OPEN
        if open_frame:
            speaker = speaker_unit(paragraph)
            if speaker:
                doc.subject = speaker
        # a line under a planned list is one of its items and keeps the list open for the next
        listed = doc.listing if len(stripped) <= _LIST_ITEM_MAX else None
        doc.listing = (_list_lead(text, p_start, p_end, stripped, doc.date) if open_frame else None) or listed
        # ——高端制造引领功能大幅提升。…达45%: a goal line under the paragraph that stated the period
        bulleted = None
        if not stripped.startswith(BULLET_MARKS):
            doc.before_bullets = (p_start, p_end)
        elif open_frame and doc.before_bullets is not None:
            bulleted = _period_stated(text, *doc.before_bullets, doc.date)
        if not _HAS_DIGIT.search(paragraph) and not SIZE_CLASS.search(paragraph):
            continue
        in_review = section.frame is Frame.REVIEW
        read_in_review = in_review and (
            keep or _REVIEW_MAY_PLAN.search(text, p_start, p_end) is not None
            or _dated_later(text, p_start, p_end, doc.date)
        )
        # a news headline that states a target is one printed copy of it, as a passage printed
        # twice is two (GUIDELINES: both copies are records, flagged)
        flags = ("duplicated_passage",) if stripped in chunk.duplicates else ()
        if in_review and doc.unread_report and len(waiting) < _WAITING_MAX:
            para = Paragraph(
                p_start, p_end, section, doc.subject, flags, doc.asked or doc.topic_time, None, listed,
                _deadline_line_after(text, p_end, doc.date),
            )
            waiting.append((para, read_in_review))
            continue
        if in_review and not read_in_review:
            # a review is facts, unless a number of it is dated after the document, listed as a
            # target or striven for (力争…)
            continue
        headline = first_paragraph and heading_like and p_end + 20 < len(text)
        first_paragraph = False
        if open_frame and headline:
            flags += ("headline",)
        para = Paragraph(
            p_start, p_end, section, doc.subject, flags, doc.asked or doc.topic_time,
            (ahead_before or bulleted) if open_frame else None, listed, _deadline_line_after(text, p_end, doc.date),
        )
        yield from _read_paragraph(doc, chunk, para)
    yield from _read_waiting(doc, chunk, waiting, None)


_CELL_BREAK = re.compile(r"\t| \| ")
_INDEX_CELL = re.compile(r"[\s\d一二三四五六七八九十、.．()（）]*")
_COLUMN_NAMES = frozenset(TARGET_COLUMNS + PROGRESS_COLUMNS + INDEX_COLUMNS + OTHER_COLUMNS)
_LINE_HEADER_MIN = 3  # names: a target, its progress and one more (序号, 责任单位)
_LINE_CELL_MAX = 200  # characters: a longer line is prose, and the table has ended


def _table_cells(text: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """The cells of a table row printed on one line (tab or " | " between cells), or None."""
    if text.find("\t", start, end) < 0 and text.find(" | ", start, end) < 0:
        return None  # most lines: two fast string searches instead of a regex scan
    breaks = list(_CELL_BREAK.finditer(text, start, end))
    if not breaks:
        return None
    bounds = [start] + [b.end() for b in breaks]
    ends = [b.start() for b in breaks] + [end]
    return list(zip(bounds, ends, strict=True))


def _line_table(names: list[str]) -> tuple[int, int] | None:
    """A header printed one name a line: (its number of columns, the target column), if it
    names a target column and a progress column."""
    target = next((i for i, n in enumerate(names) if n in TARGET_COLUMNS), None)
    if target is None or len(names) < _LINE_HEADER_MIN or not any(n in PROGRESS_COLUMNS for n in names):
        return None
    return len(names), target


def _table_header(text: str, cells: list[tuple[int, int]]) -> tuple[int, int] | None:
    """序号 | 项目内容 | 进展情况 | 责任单位: (the target column, how many index columns before it),
    if the row names a target column and a progress column."""
    names = [text[a:b].strip() for a, b in cells]
    target = next((i for i, n in enumerate(names) if n in TARGET_COLUMNS), None)
    if target is None or not any(n in PROGRESS_COLUMNS for n in names):
        return None
    return target, sum(1 for n in names[:target] if n in INDEX_COLUMNS)


def _target_cell(text: str, cells: list[tuple[int, int]], table: tuple[int, int]) -> tuple[int, int] | None:
    """The target cell of a row: under the target column, or — on a row that continues the
    item above without its index cell (新增…托位500个。 | 新增…600个。 | |) — that many cells left."""
    column, indexes = table
    if indexes and not _INDEX_CELL.fullmatch(text, *cells[0]):
        column -= indexes
    return cells[column] if 0 <= column < len(cells) else None


def _read_waiting(
    doc: Document, chunk: Chunk, waiting: list[tuple[Paragraph, bool]], plan: Section | None
) -> Iterator[Candidate]:
    """The paragraphs of a report excerpt that waited for its opening: read in the plan part
    if that is where it opened, else as the review they were in."""
    for para, read_in_review in waiting:
        if plan is not None:
            yield from _read_paragraph(doc, chunk, replace(para, section=plan))
        elif read_in_review:
            yield from _read_paragraph(doc, chunk, para)
    waiting.clear()


def _paragraph_section(doc: Document, paragraph: str) -> Section:
    """The frame of a paragraph: a heading's section lasts; a paragraph that only opens with
    回顾/今年是… frames itself, except in a report, whose parts are runs of such paragraphs."""
    # 【“十五五”开好局起好步】: a column's name, not a section's (a string test before the regex)
    tag = _COLUMN_TAG.match(paragraph) if "【" in paragraph else None
    section = frame_of_heading(paragraph[tag.end() :] if tag else paragraph, doc.date, report=doc.genre is Genre.REPORT)
    if section is None:
        return doc.section
    if section.local and doc.genre is not Genre.REPORT:
        line = paragraph.strip()
        if doc.section.frame is not Frame.OPEN and (_is_headline(line) or line.endswith(_QUESTION_ENDS)):
            # “十五五”时期，如何进一步降低物流成本？: a question or a subheading opens a part of its
            # own; the frame of the part before it (“十四五”时期是…的5年) ends here
            doc.section = Section(Frame.OPEN, None)
        return section
    doc.section = section
    return section


_QUOTE_OPEN = re.compile(rf"[“‘\"'「]*(?:{or_regex(STATEMENT_OPENERS)})?[“‘\"'「]*")
_QUOTE_MARKS = "“‘\"'「"
_WE_WILL = re.compile(r"，?我们(?:将|要)")
# what any statement has: 我们将/要, or a quotation (“到2030年，全省将…”)
_STATEMENT_WILL = re.compile(start_finder(r"我们[将要]|[“‘\"「]", "我“‘\"「"))  # (only whether it is there)
_QUOTE_CLOSE = re.compile(r"[”’\"'」]*(?:时期|期间)?")


# the cheap test for a target lead-in (主要预期目标是：) in a paragraph (see _target_lead)
_LIST_OF_TARGETS = rf"(?:{TARGET_FRAME.pattern})[^。；：:]{{0,30}}[：:]"
# (…or a target restated as such before its value: 二季度…目标增速8.2%)
_RESTATED_TARGET_AT = rf"(?:{or_regex(RESTATED_TARGET_WORDS)})(?:{or_regex(RESTATED_TARGET_LINKS)})?[0-9]"
_REVIEW_MAY_PLAN_PATTERN = rf"{_LIST_OF_TARGETS}|{STRIVE}|{_RESTATED_TARGET_AT}"
_REVIEW_MAY_PLAN = re.compile(  # (only whether it is there)
    start_finder(_REVIEW_MAY_PLAN_PATTERN, [w[0] for w in (*TARGET_FRAMES, STRIVE, *RESTATED_TARGET_WORDS)])
)
_EXCERPT_OPENING_MIN = 60  # characters: prose, not a title or a heading
_WAITING_MAX = 40  # paragraphs of an excerpt that may wait for its opening (memory stays bounded)
_PLAN_EVIDENCE = re.compile(
    r"力争|确保|[将要](?:加快|推动|推进|实施|持续|深入|全面|坚持|着力|大力)"
    # the year's figure bounded as targets are (全年进出口总额增长3%左右), not as met (…左右的目标)
    r"|(?:全年|今年)[^。；\d]{0,20}\d+(?:\.\d+)?[%万亿]*[^。；\d]{0,3}?(?:左右|以上)(?!的)"
    # tasks bounded as targets are, one after another in a sentence (新建…高标准农田54万亩以上，
    # 改善灌溉面积90万亩以上，…): a plan's wording, with none of the review's
    r"|\d[^。；\d]{0,4}?以上[，,、][^。；]{0,40}?\d[^。；\d]{0,4}?以上"
)
# the review's own words: 过去一年, 去年, 比上年, 一年来, 取得了, 同比
_REVIEW_EVIDENCE = re.compile(rf"{or_regex(REVIEW_OPENINGS)}|去年|上年|同比|了")
_QUESTION_ENDS = ("？", "?")
_SEGMENT_BREAK = re.compile(r"[；;]")
_UNNAMED_TOWN = re.compile(r"[我全本]([镇乡])")
_UNNAMED_TOWN_REACH = 3000
# a sentence framed as the state so far before its first number: (王文君表示，)截至目前，…
_AS_OF_FRAME = re.compile(rf"[^\d。]{{0,30}}?(?:{or_regex(AS_OF_MARKERS)})")
_AS_OF_MARKER = re.compile(or_regex(AS_OF_MARKERS))
_AS_OF_REACH = 30 + max(map(len, AS_OF_MARKERS))  # the longest match of _AS_OF_FRAME


def _as_of_frame(text: str, start: int, end: int) -> bool:
    """_AS_OF_FRAME.match, tried only where one of its markers is within its reach (a scan that
    skips to the markers' first characters; the lazy match tries the markers 30 times)."""
    return (
        _AS_OF_MARKER.search(text, start, min(end, start + _AS_OF_REACH)) is not None
        and _AS_OF_FRAME.match(text, start, end) is not None
    )
_REPORTING_END = re.compile(rf"(?:{or_regex(REPORTING_VERBS)})$")
_DEADLINE_LABEL = re.compile(rf"\n+[ \t\u3000]*(?:{or_regex(DEADLINE_LABELS)})[：:]")
# (报告中关于2024年政府工作重点任务中提到:; 会上介绍了2025年重点工作: a meeting's, with its agenda named)
_AGENDA = re.compile(
    rf"报告[^，。,]{{0,6}}?(?:{or_regex(AGENDA_VERBS)})"
    rf"|(?:报告|{or_regex(MEETING_WORDS)})[^，。,]{{0,24}}?(?:{or_regex(PLAN_HEADINGS)})[^，。,]{{0,4}}?(?:{or_regex(AGENDA_VERBS)})"
    rf"|(?:{or_regex(MEETING_WORDS)})[^，。,]{{0,6}}?(?:{or_regex(AGENDA_VERBS)})了?[^，。,]{{0,12}}?(?:{or_regex(PLAN_HEADINGS)})"
    rf"|将[^，。,]{{0,4}}?(?:{or_regex(AGENDA_DOING)})[^，。,]{{0,4}}?[一二三四五六七八九十0-9]{{1,2}}(?:{or_regex(AGENDA_PARTS)})"
)
_TITLED_PERIOD = re.compile(r"[（(]\s*(20\d\d)\s*[-—–－~～至到]+\s*(20\d\d)\s*年?\s*[)）]")
_TITLED_PERIOD_REACH = 800  # characters: a title, with the notice that issues it
_TITLE_LINE_MAX = 60
_LEAD_AGENDA = re.compile(rf"(?:{or_regex(LEAD_AGENDA_VERBS)})(?P<time>今年|明年|新的一年|20\d\d年)[^，。,；]{{0,12}}?工作")
_LIST_ITEM_MAX = 100  # characters: an item of a list is a line, not a paragraph of prose
_LIST_COLON = ("：", ":")


def _list_lead(text: str, start: int, end: int, stripped: str, doc_date: date) -> ListLead | None:
    """A paragraph that ends with a colon after a plan (将, 力争, a time to come): it opens a
    list of the lines under it."""
    if not stripped.endswith(_LIST_COLON):
        return None
    times = [t for t in find_deadlines(text, start, end, doc_date) if not t.past and t.due is not None]
    if _PLANNED.search(text, start, end):
        return ListLead(times[0] if times else None)
    # 代表票决确定美兰区2025年10项民生实事项目如下: the year's programme, item by item
    programme = [t for t in times if t.due.year >= doc_date.year]
    if programme and _PROGRAMME.search(text, start, end):
        return ListLead(programme[0])
    return None


def _sentence_openings(text: str, start: int, end: int) -> Iterator[tuple[re.Match[str], int]]:
    """Each sentence of a paragraph with where its own words start (after a quote mark or a
    statement's opener: “面向‘十五五’，…)."""
    for sm in _SENTENCE.finditer(text, start, end):
        yield sm, _QUOTE_OPEN.match(text, sm.start(), sm.end()).end()


def _time_at(text: str, at: int, end: int, doc_date: date) -> DeadlinePhrase | None:
    """The time phrase that starts right at `at` (a sentence's opening), if any."""
    return deadline_at(text, at, min(end, at + 16), doc_date)


def _statement_ahead(
    text: str, start: int, end: int, doc_date: date, ahead: DeadlinePhrase | None
) -> DeadlinePhrase | None:
    """The plan period that holds after this paragraph: the last sentence in it that opens on
    a time decides — a time to come followed by 将/要 (“面向‘十五五’，我们将…) opens one, any
    other (“十四五”时期，…; 2025年，…) closes it; with no such sentence it goes on."""
    if ahead is None and _STATEMENT_WILL.search(text, start, end) is None:
        return None  # the common case, found by one scan: nothing opens, nothing to close
    for sm, at in _sentence_openings(text, start, end):
        if _as_of_frame(text, at, sm.end()):
            ahead = None  # （…表示，）截至目前，…: the state reached so far, not the plan any more
            continue
        t = _time_at(text, at, sm.end(), doc_date)
        if t is None:
            continue
        # a speaker's own words: quoted, or 我们将 (广西…到2025年，全区计划… in a roundup is
        # one region's plan, not a frame for the regions after it)
        said = at > sm.start() and text[sm.start()] in _QUOTE_MARKS
        will = (FUTURE_AFTER if said else _WE_WILL).match(text, _QUOTE_CLOSE.match(text, t.end).end())
        ahead = t if t.explicit_future(doc_date) and will else None
    return ahead


def _deadline_line_after(text: str, end: int, doc_date: date) -> DeadlinePhrase | None:
    """The deadline a 台账-like list gives an item on the line under it (完成时限:力争2026年8月底前)."""
    m = _DEADLINE_LABEL.match(text, end)
    if m is None:
        return None
    line_end = text.find("\n", m.end())
    times = find_deadlines(text, m.end(), len(text) if line_end < 0 else line_end, doc_date)
    return next((t for t in times if not t.past and t.due is not None), None)


def _report_agenda(text: str, start: int, end: int, doc_date: date) -> DeadlinePhrase | None:
    """News of a report's agenda (报告明确,今年将…办好“十件民生实事”; 报告回顾了2024年工作,提出了
    2025年重点工作): the paragraphs after it give the report's tasks of that year, said as the
    report says them (培育100个智慧商店, 要实施5个城中村改造项目), until a paragraph opens on
    another time."""
    # (or of a year's programme: 会议票决产生了2025年民生实事项目共7大类20项)
    m = _AGENDA.search(text, start, end) or _PROGRAMME.search(text, start, end)
    if m is None:
        return None
    # the year is said in the sentence that cites the report (not 党的二十大报告中指出…)
    s_start = max(text.rfind("。", start, m.start()) + 1, start)
    s_end = text.find("。", m.end(), end)
    for t in find_deadlines(text, s_start, end if s_end < 0 else s_end, doc_date):
        if (
            not t.past and t.due is not None and t.due.year >= doc_date.year and "年" in t.text
            and t.text not in ANAPHORIC_YEAR_WORDS
        ):
            return replace(t, rule=OPENED_PLAN)
    return None


def _opens_on_past(text: str, start: int, end: int, doc_date: date) -> bool:
    """Whether the paragraph's last sentence that opens on a time opens on a past one
    (过去的一年，…全部建成。今年，…: the year ahead has the last word)."""
    past = False
    for sm, at in _sentence_openings(text, start, end):
        if text.startswith(REVIEW_OPENINGS, at):
            past = True
            continue
        t = _time_at(text, at, sm.end(), doc_date)
        if t is not None:
            past = t.past
    return past


def _period_before(text: str, start: int, end: int, doc_date: date) -> DeadlinePhrase | None:
    """我们编制了“十五五”规划纲要（草案），…提出地区生产总值年均增长5%左右: a rate every year
    of a period to come named earlier in the paragraph is that period's."""
    periods = [  # bounded, like any time phrase that governs a number: linear on a long paragraph
        t for t in find_deadlines(text, max(start, end - DEADLINE_REACH), end, doc_date)
        if t.rule.startswith("“<plan>”") and t.explicit_future(doc_date)
    ]
    return periods[-1] if periods else None


def _lead_agenda_time(text: str, start: int, end: int, doc_date: date) -> DeadlinePhrase | None:
    """The year a news lead says a meeting set to work on (…召开经济工作会议，…部署今年经济
    工作): the time the story speaks for, when that year is not over."""
    m = _LEAD_AGENDA.search(text, start, end)
    if m is None:
        return None
    t = next(iter(find_deadlines(text, m.start("time"), m.end("time"), doc_date)), None)
    return t if t is not None and not t.past and t.due is not None and t.due >= doc_date else None


def _time_spoken_for(text: str, start: int, end: int, doc_date: date) -> DeadlinePhrase | None:
    """The first time of a headline or a question that is not past: the year (or plan period)
    the text under it speaks for."""
    return next((t for t in find_deadlines(text, start, end, doc_date) if not t.past and t.due is not None), None)


def _dated_later(text: str, start: int, end: int, doc_date: date) -> bool:
    """The test of the `review section` rule, on a whole paragraph: a time phrase after the
    document's year (so extract and explain agree on what a review may hold)."""
    return dated_after_year(text, start, end, doc_date)


def _is_headline(line: str) -> bool:
    return len(line) <= 40 and line[-1] not in "。！？!?；;”"


def _duplicated_paragraphs(text: str) -> set[str]:
    lines = [line for line in map(str.strip, text.split("\n")) if len(line) >= 30]  # stripped once
    counts = Counter(lines)
    return {p for p, n in counts.items() if n > 1}


# --- stage: sentences and clauses -------------------------------------------------------


def _read_paragraph(doc: Document, chunk: Chunk, para: Paragraph) -> Iterator[Candidate]:
    text = chunk.text
    open_frame = para.section.frame is Frame.OPEN
    lazy = open_frame and not doc.keep_rejected
    # one scan per paragraph where most sentences count; per sentence in running text,
    # after the cheap check for future wording
    found = None if lazy else find_quantities(text, para.start, para.end)
    if found is not None and not found:
        return
    next_q = 0  # quantities and sentences are both in text order: one pass over each
    # 今年将实施项目500个。其中，新开工项目200个以上。 (or a line of a planned list: para.listed)
    planned_before = para.listed is not None
    in_items = planned_before  # inside the numbered items (一是…二是…) of a planned sentence
    # the fronted time of the sentence those items continue
    opened_time: DeadlinePhrase | None = para.listed.time if para.listed else None
    topic = None  # in running text, the unit the paragraph has turned to (浙江将…。…)
    # the sentences passed over since `topic` was worked out, whose units were never asked for:
    # most sentences are not read, and what they are about matters only to a sentence that is
    unread: list[tuple[int, int]] = []
    plan_time = para.ahead  # 到2027年，…。…。: a plan period stated once
    past_before: tuple[int, DeadlinePhrase] | None = None  # (where it ended, the past it opened on)
    for sm in _SENTENCE.finditer(text, para.start, para.end):
        ss, se = sm.span()
        topics: list[tuple[int, str]] | None = None  # this sentence's, worked out when needed
        if plan_time is not None and plan_time.rule == OPENED_PLAN:
            opening = _QUOTE_OPEN.match(text, ss, se).end()
            if _another_time(text, opening, plan_time, doc.date) or text.startswith(NOW_OPENERS, opening):
                plan_time = None  # 今年前五个月，…; 如今，…: another time, the present
            else:
                topic = _topic_after(doc, text, unread, topic)
                topics = _sentence_topics(doc, text, ss, se)
                if topics and topics[0][1] != topic:
                    plan_time = None  # 江苏协调…: another unit
        time_before = plan_time
        opener = _continuation_at(text, ss)
        # 广东将…专项行动。一是…。二是培育壮大新型消费。促进…，举办4000场…。: the body of an
        # item of a plan goes on with it until the paragraph ends
        continued = planned_before and (opener is not None or in_items)
        in_items = continued and (in_items or (opener is not None and _ITEM.match(text, ss) is not None))
        opens_plan = not continued and (
            _PLANNED.search(text, ss, se) is not None or _announces_goals(text, ss, se, doc.date)
        )
        planned_before = opens_plan or continued
        if found is None:
            if not continued and time_before is None and not ANY_REASON_START.search(text, ss, se):
                topic = _passed_over(unread, topics, topic, ss, se)
                continue  # news and bulletins: nothing that could make a target
            in_sentence = find_quantities(text, ss, se)
        else:
            first = next_q
            while next_q < len(found) and found[next_q].start < se:
                next_q += 1
            in_sentence = found[first:next_q]
        if not in_sentence and not opens_plan:
            topic = _passed_over(unread, topics, topic, ss, se)
            continue
        clauses = _clauses(text, ss, se)
        times = find_deadlines(text, ss, se, doc.date)
        if doc.reported is not None:
            times = in_reported_year(times, doc.reported, doc.date)
        fronted = _fronted_time(text, times, clauses, doc.date)
        if fronted is not None and fronted.explicit_future(doc.date):
            plan_time = fronted
        elif (opening := _opens_year_plan(text, times, ss, doc.date)) is not None:
            plan_time = opening  # 2024年福州将著力…。新改扩建公办幼儿园25所…。: the year's plan goes on
        elif (budget := _budget_frame(text, times, ss, doc.date)) is not None:
            plan_time = fronted = budget  # 按照2007年的预算安排，全国财政收入为44064亿元
        if continued and time_before is None:
            time_before = opened_time  # 2025年，广东将…。一是…。二是…举办4000场…。
        elif not continued:
            # 黑龙江…，今年将实施1000个…。同时，力争培育…40个: the plan's time, fronted or not
            opened_time = (fronted or _plan_time_in(times)) if opens_plan else None
        if not in_sentence:
            topic = _passed_over(unread, topics, topic, ss, se)
            continue  # 2025年，广东将实施提振消费专项行动。: it dates the items that follow
        topic_before = topic = _topic_after(doc, text, unread, topic)
        if topics is None:
            topics = _sentence_topics(doc, text, ss, se)
        if topics:
            topic = topics[-1][1]
        cues = SentenceCues.scan(text, ss, se)
        lead = _target_lead(text, clauses, times, cues, doc.date)
        if lead is not None and lead.time is not None and lead.time.explicit_future(doc.date):
            plan_time = lead.time
        opening_past = _opening_past(text, times, ss)
        if opening_past is None and opener is not None and past_before is not None and past_before[0] == ss:
            # 2023年，我区…签约项目108个…。其中，…工业到位资金占比为91.93%: the parts of what the
            # sentence before reported, in its past
            opening_past = past_before[1]
        past_before = (se, opening_past) if opening_past is not None else None
        sentence = Sentence(
            ss, se, clauses, cues, times, topics, continued, topic_before, time_before, lead,
            _teaser(text, ss, se, times, doc.date),
            fronted if fronted is not None and fronted.explicit_future(doc.date) else None,
            opening_past,
        )
        yield from _read_sentence(doc, chunk, para, sentence, in_sentence)


def _sentence_topics(doc: Document, text: str, ss: int, se: int) -> list[tuple[int, str]]:
    """The units the sentence's clauses open with (news and interviews speak of several; a
    report's sentences are its issuer's)."""
    topics = _clause_topics(text, ss, se) if doc.genre is not Genre.REPORT else []
    if not topics and doc.issuer and _REPORT_CITED.match(text, ss, se):
        topics = [(ss, doc.issuer)]  # “政府工作报告提出‘…’，…”马洪海代表表示: the report's unit
    return topics


def _topic_after(doc: Document, text: str, unread: list[tuple[int, int]], topic: str | None) -> str | None:
    """The unit the paragraph has turned to after the sentences in `unread` (passed over before
    anything asked): the last unit the last of them that opens a clause with one names, else
    `topic`. Empties `unread`; the sentences before that last one are never looked at."""
    for ss, se in reversed(unread):
        topics = _sentence_topics(doc, text, ss, se)
        if topics:
            topic = topics[-1][1]
            break
    unread.clear()
    return topic


def _passed_over(
    unread: list[tuple[int, int]], topics: list[tuple[int, str]] | None, topic: str | None, ss: int, se: int
) -> str | None:
    """A sentence left unread: the topic after it (its units, if they were worked out, else it
    waits in `unread`)."""
    if topics is None:
        unread.append((ss, se))
        return topic
    return topics[-1][1] if topics else topic


def _report_opening(paragraph: str) -> Frame | None:
    """Whether a report's text opens in its review or inside its plan part (an excerpt): the
    first paragraph of prose with the review's words (过去一年, 去年, 同比, 了) says review; one
    that commits (力争, 确保, 要加快, 全年…) with none of them says plan; neither, read on."""
    if _REVIEW_EVIDENCE.search(paragraph):
        return Frame.REVIEW
    if _PLAN_EVIDENCE.search(paragraph):
        return Frame.PLAN
    return None


def _opening_past(text: str, times: list[DeadlinePhrase], ss: int) -> DeadlinePhrase | None:
    """A past time at the very start of a sentence (上半年…, 2025年…, 去年…)."""
    if not times or not times[0].past:
        return None
    return times[0] if times[0].start == _QUOTE_OPEN.match(text, ss).end() else None


def _announces_goals(text: str, ss: int, se: int, doc_date: date) -> bool:
    """规划提出“十五五”时期新型能源体系建设的主要目标。(其中，…达到58亿吨…): goals to come,
    listed next; not 圆满完成“十四五”规划确定的主要目标。(a past period's)."""
    if text.find(_GOALS_WORD, max(ss, se - _GOALS_REACH), se) < 0:
        return False  # the common case, by a string search
    return _GOALS_ANNOUNCED.search(text, ss, se) is not None and any(
        t.explicit_future(doc_date) for t in find_deadlines(text, ss, se, doc_date)
    )


def _plan_time_in(times: list[DeadlinePhrase]) -> DeadlinePhrase | None:
    """The first time to come a planned sentence names (今年将…, 到2027年…)."""
    return next((t for t in times if not t.past and t.due is not None and t.text not in ANAPHORIC_YEAR_WORDS), None)


def _another_time(text: str, pos: int, plan_time: DeadlinePhrase, doc_date: date) -> bool:
    """A sentence opening on a time leaves the year plan opened before it (今年前五个月，…),
    unless the time is that same year again (2025年，该区将…。全年新增…，…突破10家): 全年/今年
    restate the plan's year, and the sentence goes on with its plan."""
    m = DEADLINE.match(text, pos)
    if m is None:
        return False
    return not (
        m.group() in THIS_YEAR_WORDS
        and not _PART_OF_YEAR.match(text, m.end())  # 今年前五个月，…完工185个: what is done so far
        and plan_time.due is not None
        and plan_time.due.year == doc_date.year
    )


# after 今年/全年, a part of the year: 今年前五个月, 今年以来, 今年上半年, 今年一季度, 今年5月
_PART_OF_YEAR = re.compile(
    rf"前|以来|[上下]半|[一二三四1-4]季|第|[0-9０-９一二三四五六七八九十]{{1,2}}月|{or_regex(HOLIDAY_WORDS)}"
)


def _teaser(text: str, ss: int, se: int, times: list[DeadlinePhrase], doc_date: date) -> tuple[int, DeadlinePhrase] | None:
    """A news lead that lists the goals first and says whose and when after an ellipsis or a
    dash (新增工业产值110亿元以上,…地方收入增长5%以上……3月4日,…会议上传来消息,2025年,该区
    将…): the numbers before the break are the plan the year after it announces."""
    cut = min((i for i in (text.find(b, ss, se) for b in TEASER_BREAKS) if i >= 0), default=-1)
    if cut < 0 or any(t.start < cut for t in times):
        return None
    for t in times:
        if t.past or t.due is None or t.due.year < doc_date.year or t.text in ANAPHORIC_YEAR_WORDS:
            continue
        if FUTURE_AFTER.match(text, t.end) or _GOALS_NAMED_AFTER.match(text, t.end, se):
            # the year and what will be done in it, or the goals it names: “…增长6%左右……”
            # 2025年赣州经济社会发展的主要预期目标已确定
            return cut, replace(t, rule=OPENED_PLAN)
    return None


def _opens_year_plan(text: str, times: list[DeadlinePhrase], ss: int, doc_date: date) -> DeadlinePhrase | None:
    """A sentence that opens on this year or a later one and says what will be done in it
    (2024年福州将…, 今年，全市要…) opens that year's plan for the sentences after it."""
    if not times or times[0].past or times[0].due is None:
        return None
    t = times[0]
    if t.start > ss + 1 and not (_LEAD_CLAUSE.fullmatch(text, ss, t.start) or _NEWS_LEAD.fullmatch(text, ss, t.start)):
        return None  # (通过这些举措，)2024年，全国…将: after a short lead clause, still its opening
    if t.due.year < doc_date.year or t.text in ATTRIBUTIVE_YEAR_WORDS or t.text in ANAPHORIC_YEAR_WORDS:
        return None
    return replace(t, rule=OPENED_PLAN) if FUTURE_AFTER.match(text, t.end) else None


def _budget_frame(text: str, times: list[DeadlinePhrase], ss: int, doc_date: date) -> DeadlinePhrase | None:
    """按照2007年的预算安排，… / 根据2025年预算草案，…: a sentence that opens by naming the
    budget of this year or a later one as its frame states that budget: the year's plan, for
    its own clauses and the sentences after it."""
    if not times or times[0].past or times[0].due is None or times[0].due.year < doc_date.year:
        return None
    t = times[0]
    lead = _QUOTE_OPEN.match(text, ss, t.start).end()
    if not _BUDGET_FRAME_LEAD.fullmatch(text, lead, t.start) or not _BUDGET_FRAME.match(text, t.end):
        return None
    return replace(t, rule=OPENED_PLAN)


def _fronted_time(
    text: str, times: list[DeadlinePhrase], clauses: list[tuple[int, int]], doc_date: date
) -> DeadlinePhrase | None:
    """到2027年，… / “十五五”时期，… / 2025年，…: a time that opens a sentence as a clause of its
    own. A time to come states the plan period of what follows in the paragraph; this year's
    dates the items of the plan the sentence announces (2025年，广东将…。一是…)."""
    if not times or len(clauses) < 2:
        return None
    first = times[0]
    a, b = clauses[0]
    if first.start >= b and len(clauses) > 2 and (text[b] in "：:" or _REPORTING_END.search(text, a, b)):
        a, b = clauses[1]  # 实施意见明确：到2027年，… / 方案提出，到2030年，…: the time after a lead-in
    if first.start < a or first.end > b or first.past or first.due is None:
        return None
    return first if b - a - (first.end - first.start) <= _FRONTED_SLACK else None


def _target_lead(
    text: str, clauses: list[tuple[int, int]], times: list[DeadlinePhrase], cues: SentenceCues, doc_date: date
) -> TargetLead | None:
    """The clause that announces a list of targets, if the sentence has one: a target frame
    (主要预期目标是, 目标为) in its first clause that ends with a colon. Its time phrase dates the
    list; an annual list (预期目标, 年度目标) with none is the document's year."""
    frames = cues.found["target frame"]
    if not frames and not _PROGRAMME.search(text, clauses[0][0], clauses[-1][1]):
        return None
    for a, b in clauses:  # the first clause that ends with a colon (政府工作报告提出，2026年…：)
        if b < len(text) and text[b] in "：:":
            break
    else:
        return None
    if not any(a <= end <= b for end, _ in frames):
        # 2025年鲤城区为民办实事项目清单包括：…: a year's programme listed item by item
        m = _PROGRAMME.search(text, a, b)
        if m is None:
            return None
        for t in times:
            if a <= t.start and t.end <= b and not t.past and t.due is not None and t.due.year >= doc_date.year:
                return TargetLead(b, t)
        return None
    for t in reversed(times):
        # its own clause's time, or one fronted before it (会议指出，2025年，…主要预期目标任务是：)
        if t.end <= b and (a <= t.start or time_clause(text, t, clauses)):
            return None if t.past else TargetLead(b, t)
    if _ANNUAL_LIST.search(text, a, b):
        # a list of the year's targets adopted in November or December is the next year's
        year = doc_date.year + (doc_date.month >= NEW_YEAR_FROM_MONTH)
        return TargetLead(b, DeadlinePhrase(a, a, date(year, 12, 31), False, "annual list", "今年"))
    return TargetLead(b, None)


def _clauses(text: str, ss: int, se: int) -> list[tuple[int, int]]:
    out = []
    start = ss
    for m in _CLAUSE_BREAK.finditer(text, ss, se):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, se))
    return out


def _clause_topics(text: str, ss: int, se: int) -> list[tuple[int, str]]:
    """The unit each clause of a sentence opens with (长沙市提出…；武汉市则计划…; …开工建设，
    今年，浙江将…): what follows is about that unit."""
    starts = [ss] + [m.end() for m in _CLAUSE_BREAK.finditer(text, ss, se)]
    found = []
    for start in starts:
        topic = sentence_topic(text, start, se)
        if topic:
            found.append((start, topic))
    return found


# --- stages: readings, decision, deadline, subject, assembly -----------------------------


def _read_sentence(
    doc: Document, chunk: Chunk, para: Paragraph, s: Sentence, quantities: list[Quantity]
) -> Iterator[Candidate]:
    text = chunk.text
    clause_starts = [a for a, _ in s.clauses]
    by_clause: dict[int, list[Quantity]] = {}
    for q in quantities:
        by_clause.setdefault(bisect_right(clause_starts, q.start) - 1, []).append(q)
    # 今年统筹安排10亿元资金，支持实施…项目超100个; 上半年高技术产业投资同比增长4.6%，知识产权
    # 产品投资增长9.4%: the time that governed an earlier clause's number goes on over the
    # clauses after it about the same unit (not 全年, which sizes its own clause)
    carried: tuple[DeadlinePhrase, str | None] | None = None
    for ci, members in by_clause.items():
        clause = s.clauses[ci]
        subject = (
            next((t for start, t in reversed(s.topics) if start <= clause[0]), None) or s.topic_before or para.subject
        )
        for i, q in enumerate(members):
            # the neighbours a rule may look at (lists, qualifiers); bounded, so that a
            # pathological clause with thousands of numbers stays linear
            others = tuple(members[max(0, i - _NEIGHBOURS) : i] + members[i + 1 : i + 1 + _NEIGHBOURS])
            recurring = bool(_RECURRING.search(text, max(clause[0], q.start - 20), q.start))
            # after a list's lead (…目标是：) or on a line of a list it opened: an item of a plan
            listed = (s.lead is not None and q.start > s.lead.end) or para.listed is not None
            time = governing_phrase(text, q.start, s.times, s.clauses, ci, s.start, recurring)
            if time is not None and time.past and time.start >= s.start and time.due is not None:
                carried = (time, subject)  # a past time carries whether or not its number counted
            if listed and s.lead is not None and s.lead.time is not None and (time is None or time.start < s.lead.end):
                # 锚定“十五五”，…今年…主要预期目标是：…: the list's own time beats one before it
                time = s.lead.time
            plan_year = (para.listed.time if para.listed else None) or s.time_before
            if (
                time is not None and time.text in THIS_YEAR_WORDS and plan_year is not None
                and plan_year.due is not None and time.due is not None and plan_year.due.year == time.due.year + 1
                and doc.date.month >= NEW_YEAR_FROM_MONTH
            ):
                # 2026年民生实事 voted in December: its items' 全年 is the plan's year (GUIDELINES §4b)
                time = plan_year
            time = time or s.fronted or s.opened_past or s.time_before
            if (
                time is None and carried is not None and carried[1] == subject and carried[0].end <= clause[0]
                and not _SEGMENT_BREAK.search(text, carried[0].end, clause[0])
            ):
                time = carried[0]
            # the last time to come the sentence named before the number (a fallback twice below)
            said = _time_said_before(s.times, q.start) if time is None else None
            if time is None and carried is None and not recurring:
                # 广东…，今年全省…优化挂号服务，继续推动…，互认项目超300项: a time to come said
                # earlier in the sentence, with no number of its own, goes on over its clauses
                if (
                    said is not None and not _SEGMENT_BREAK.search(text, said.end, q.start)
                    and not _PART_OF_YEAR.match(text, said.end)  # 今年前五个月, 今年春节假期
                    and text.rfind("《", s.start, said.start) <= text.rfind("》", s.start, said.start)  # 《…2028年）》
                ):
                    time = said
            if time is None and s.teaser is not None and q.start < s.teaser[0]:
                time = s.teaser[1]
            if time is None and recurring:
                time = _period_before(text, para.start, q.start, doc.date)
            reading = Reading(
                text, q, (s.start, s.end), clause, para.section.frame, others, s.cues, time, doc.date,
                continued=s.continued, recurring=recurring, plan_context=listed,
            )
            decision = decide(reading)
            candidate = Candidate(q, decision, subject, (s.start, s.end))
            if (
                decision.accepted and time is not None and not time.past and time.start >= s.start
                and time.due is not None
                # 全年…突破600亿元、…,新签约…15个以上: a 全年 that opens the sentence scopes over it
                and (time.text not in ANAPHORIC_YEAR_WORDS or time.start == _QUOTE_OPEN.match(text, s.start, s.end).end())
            ):
                carried = (time, subject)
            if decision.accepted:
                if para.due_line is not None and (time is None or time.start < para.start):
                    time = para.due_line  # the item's own deadline, on the line under it
                due = (
                    time.due if time is not None
                    # 驻马店2023年GDP增速目标为7%左右，…濮阳、漯河则是7%以上: the time the
                    # sentence has named before, where nothing governs the number itself
                    else said.due if said is not None
                    else para.section.period_end if recurring and para.section.period_end
                    else _plan_part_due(doc, para.section) if para.section.frame is Frame.PLAN
                    else para.spoken_for.due if para.spoken_for is not None
                    # a report speaks for its year (力争… in an excerpt that opens inside its plan)
                    else report_year_end(doc.date) if doc.genre is Genre.REPORT
                    else None
                )
                candidate.target = _assemble(chunk, q, decision, due, clause, subject, para.flags)
            yield candidate


def _time_said_before(times: list[DeadlinePhrase], at: int) -> DeadlinePhrase | None:
    """The last time to come the sentence named before `at`; not 全年, which sizes its own
    clause (全年新招引…3个，推动新能源成为…千亿级产业集群: the second has no year)."""
    return next(
        (t for t in reversed(times) if t.end <= at and not t.past and t.due is not None and t.text not in ANAPHORIC_YEAR_WORDS),
        None,
    )


def _assemble(
    chunk: Chunk, q: Quantity, d: Decision, due: date | None, clause: tuple[int, int], subject: str | None,
    flags: tuple[str, ...],
) -> Target:
    text, omap, original, base = chunk.text, chunk.omap, chunk.original, chunk.base
    vs, ve = omap.span_to_original(q.start, q.end)
    # the quote is the clause, bounded (a "clause" of a table dump can be a whole page)
    cs, ce = max(clause[0], q.start - _QUOTE_REACH), min(clause[1], q.end + _QUOTE_REACH)
    while cs < q.start and text[cs] in " \u3000\t“":
        cs += 1
    qs, qe = omap.span_to_original(cs, max(ce, q.end))
    return Target(
        subject=subject,
        indicator=_indicator(text, cs, q),
        value=d.value,
        value_max=d.value_max,
        unit=q.unit,
        comparator=d.comparator,
        kind=d.kind,
        deadline=due,
        recurring=d.recurring,
        strength=Strength.HARD,
        commitment=d.commitment,
        qualifier=d.qualifier,
        value_text=original[vs:ve],
        value_span=Span(base + vs, base + ve),
        quote=original[qs:qe],
        quote_span=Span(base + qs, base + qe),
        flags=flags,
        rules=tuple(d.rules),
    )


def _indicator(text: str, clause_start: int, q: Quantity) -> str:
    """What is measured, in the document's words: the clause before the value without its
    time, commitment and comparator words; when that is only a verb (加快建成4个印染集聚区,
    新增135家以上“高企”), the verb with the noun after the value."""
    before = text[max(clause_start, q.start - _QUOTE_REACH) : q.start].replace("\n", "")
    topic = gazetteer().pattern.match(before)
    if topic:
        before = before[topic.end() :]
    lead = _INDICATOR_LEAD.match(before)  # anchored (^): a match at the start or none
    if lead:
        before = before[lead.end() :]
    if before.endswith(_INDICATOR_TAIL_WORDS):  # any tail ends with one of its words
        before = _INDICATOR_TAIL.sub("", before)
    tail = text[q.end : q.end + 30].replace("\n", "")
    m = _NOUN_AFTER.match(tail)
    noun = m.group(1) if m else ""
    if q.size_class and "成为" in before:  # 新能源成为江阴第5个千亿级产业集群
        return before.split("成为")[0] + noun
    if before.endswith("个"):  # the ordinal tail's last character: no scan of the rest
        before = _ORDINAL_TAIL.sub("", before)
    if len(before) >= 2 and not VERBS.fullmatch(before):
        return before
    return (before + noun) or before


__all__ = ["Candidate", "analyse", "extract_stream", "extract_targets", "QUANTITY"]
