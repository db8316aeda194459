"""Document structure: paragraphs, sections (review versus plan), subjects and the date.

The same sentence shape ("GDP增长5.2%") is a fact under a review heading and a target under a
targets heading (DOMAIN.md): the section a paragraph belongs to is decided here, once, and
every quantity in it inherits that frame.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from taizhang.extract.gazetteer import gazetteer, short_name
from taizhang.extract.lexicon.cues import NOT_SUBJECT_MARKS, PLAN_HEADINGS, REVIEW_HEADINGS
from taizhang.extract.lexicon.time_words import PLAN_PERIODS


class Frame(StrEnum):
    REVIEW = "review"  # 过去一年工作回顾: every number is a fact
    PLAN = "plan"  # 主要预期目标 / 重点工作: numbers are targets unless marked as facts
    OPEN = "open"  # news, speeches, bulletins: a number needs future wording to be a target


_NUMBERED = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+部分)")
_YEAR = re.compile(r"(20\d\d|19\d\d)年")
_DOC_DATE = re.compile(r"(20\d\d|19\d\d)年(\d{1,2})月(\d{1,2})日")
_ISO_DATE = re.compile(r"(20\d\d)[-/](\d{1,2})[-/](\d{1,2})")
_PERIOD = re.compile("|".join(PLAN_PERIODS))
_SPEAKER = re.compile(
    r"(?P<unit>[\u4e00-\u9fff]{2,9}?)(?:市|县|区|省|州|旗)?(?:委|党委|党工委)(?:常委、)?(?:副)?书记"
    r"|(?P<unit2>[\u4e00-\u9fff]{2,9}?)(?:市长|县长|区长|省长|州长|主席)"
)
_TITLE_WORDS = ("书记", "市长", "县长", "区长", "省长", "州长", "主席")
_ISSUER = re.compile(
    r"我代表(?P<a>[\u4e00-\u9fff]{2,12}?)人民政府"
    r"|在(?P<b>[\u4e00-\u9fff]{2,12}?)第[一二三四五六七八九十]+届人民代表大会"
    r"|(?P<c>[\u4e00-\u9fff]{2,12}?)人民政府(?:县长|市长|区长|省长|主席)"
)


@dataclass(frozen=True, slots=True)
class Section:
    frame: Frame
    deadline: date | None  # default deadline of a target in this section
    heading: str = ""


def document_year_end(doc_date: date) -> date:
    return date(doc_date.year, 12, 31)


def frame_of_heading(paragraph: str, doc_date: date) -> Section | None:
    """The section a heading-like paragraph opens, or None if it opens none."""
    head = paragraph.strip()[:40]
    numbered = bool(_NUMBERED.match(head))
    short = len(paragraph.strip()) <= 40
    starts = head[:14]
    if not (numbered or short or _opens_paragraph(starts)):
        return None
    years = [int(y) for y in _YEAR.findall(head)]
    period = _PERIOD.search(head)
    if any(w in head for w in REVIEW_HEADINGS) or (years and max(years) < doc_date.year and numbered):
        if not any(w in head for w in ("目标", "任务", "安排")):
            return Section(Frame.REVIEW, None, head)
    plan_words = any(w in head for w in PLAN_HEADINGS)
    if years and years[0] == doc_date.year and (plan_words or numbered):
        # 二、2024年工作目标和主要任务（…“十四五”规划的关键一年…）: the year named first wins
        return Section(Frame.PLAN, document_year_end(doc_date), head)
    if period:
        first, last = PLAN_PERIODS[period.group()]
        if last < doc_date.year or (first < doc_date.year and "回顾" in paragraph[:60]):
            return Section(Frame.REVIEW, None, head)
        if first >= doc_date.year or any(w in head for w in ("目标", "任务", "时期", "期间", "规划")):
            if doc_date.year < first or "期" in head or "目标" in head:
                return Section(Frame.PLAN, date(last, 12, 31), head)
    if any(w in head for w in PLAN_HEADINGS) or (years and min(years) >= doc_date.year and (numbered or short)):
        deadline = date(max(years), 12, 31) if years and max(years) >= doc_date.year else document_year_end(doc_date)
        return Section(Frame.PLAN, deadline, head)
    if starts.startswith(("今年", "新的一年", "2")) and not starts.startswith(_SO_FAR) and (numbered or _opens_paragraph(starts)):
        if _PLAN_YEAR_OPENING.match(starts) or (years and years[0] >= doc_date.year and _opens_paragraph(starts)):
            return Section(Frame.PLAN, document_year_end(doc_date), head)
    return None


_SO_FAR = ("今年以来", "今年上半年", "今年前", "今年1", "今年一季度", "今年二季度", "今年三季度")


def _opens_paragraph(start: str) -> bool:
    if start.startswith(_SO_FAR):
        return False  # 今年以来…: what has happened so far this year (facts)
    return start.startswith(("回顾", "过去", "这一年", "这五年", "五年来", "一年来", "新的一年", "“十")) or bool(
        _PLAN_YEAR_OPENING.match(start)
    )


# 今年是…, 今年经济社会发展…, 今年政府工作… open the plan; 今年5月… tells a story
_PLAN_YEAR_OPENING = re.compile(r"今年(?:是|政府|经济|工作|发展|全[县市区省国]|我们|，|的主要|主要|要)")


def unit_heading(paragraph: str) -> str | None:
    """A paragraph that is only a unit's name (江阴, 经开, 宜兴市) heads that unit's section."""
    line = paragraph.strip()
    if not 2 <= len(line) <= 12:
        return None
    unit = gazetteer().find(line)
    return unit.short if unit else None


def speaker_unit(sentence: str) -> str | None:
    """江阴市委书记许峰表示 → 江阴; 无锡经济开发区党委书记 → 经开 (the unit of a title)."""
    if not any(t in sentence for t in _TITLE_WORDS):
        return None
    g = gazetteer()
    for m in _SPEAKER.finditer(sentence):
        raw = m.group("unit") or m.group("unit2") or ""
        # the title may follow a list of offices: 市委常委、江阴市委书记 → take the last name
        for cut in range(len(raw) - 1):
            unit = g.find(raw[cut:]) or g.find(raw[cut:] + "市") or g.find(raw[cut:] + "县")
            if unit:
                return unit.short
    return None


_TOPIC_LEAD = re.compile(r"[\s“”]*(?:其中|同时|此外|另外|与此同时|今年|明年|目前)?[，,、\s]*")
_TOPIC_NEXT = re.compile(r"(?:市|省|县|区)?(?:则|也|还|今年)?(?:将|要|计划|提出|明确|力争|确保|争取|今年|明年|到20|全年|目标|的目标|方面)")


def sentence_topic(text: str, start: int, end: int) -> str | None:
    """长沙将…, 武汉市力争… : in running text that reports several units, a sentence opening
    with a unit's name is about that unit (GUIDELINES §4)."""
    lead = _TOPIC_LEAD.match(text, start, end)
    pos = lead.end() if lead else start
    m = gazetteer().pattern.match(text, pos, end)
    if m is None or not _TOPIC_NEXT.match(text, m.end(), end):
        return None
    return gazetteer().by_name[m.group()].short


def is_byline(paragraph: str) -> bool:
    """（唐芸芸）, （上接第1版）: parentheticals that are never headings or subjects."""
    line = paragraph.strip()
    if line.startswith(("（", "(")) and len(line) <= 14:
        return True
    # 本报记者 张三 / （上接第1版）…: a short line naming a reporter or a page, not 记者从…获悉，…
    return any(mark in line[:8] for mark in NOT_SUBJECT_MARKS) and (len(line) <= 24 or line.startswith(("（", "(")))


def document_subject(text: str, meta: dict[str, Any] | None) -> str | None:
    """The issuer of a report: from metadata (issuer, region), else from the opening lines."""
    g = gazetteer()
    meta = meta or {}
    if meta.get("level") == "national" or str(meta.get("region", "")) == "全国":
        return "全国"
    for key in ("issuer", "region"):
        value = str(meta.get(key) or "")
        if not value:
            continue
        if value.startswith(("国务院", "全国")):
            return "全国"
        # the most specific unit named: 河北省保定市涞源县 → 涞源
        found = [u for _, _, u in g.mentions(value)]
        if found:
            levels = {"nation": 0, "province": 1, "city": 2, "county": 3, "zone": 4}
            return max(found, key=lambda u: levels.get(u.level, 0)).short
    head = text[:3000]
    m = _ISSUER.search(head)
    if m:
        name = m.group("a") or m.group("b") or m.group("c") or ""
        if name in ("国务院", "全国"):
            return "全国"
        unit = g.find(name) or next((u for _, _, u in g.mentions(name)), None)
        if unit:
            return unit.short
        return short_name(name)
    if "国务院" in head[:600] or "全国人民代表大会" in head[:600]:
        return "全国"
    return None


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
