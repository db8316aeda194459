"""Who is responsible: unit headings, speakers, the unit a sentence is about, the issuer.

GUIDELINES §4: the subject is the unit whose section or speaker the sentence belongs to, or
the issuer of a report; in news about several units, the unit that sentence is about. The
pipeline asks, most specific first: the sentence (a unit that opens it or its ；-segment),
the speaker of the paragraph, the section's unit heading, the document's issuer.
"""

from __future__ import annotations

import re
from typing import Any

from taizhang.extract.gazetteer import gazetteer, short_name
from taizhang.extract.script import to_simplified
from taizhang.extract.lexicon import or_regex
from taizhang.extract.lexicon.cues import WILL_WORDS
from taizhang.extract.lexicon.structure import (
    CENTRAL_WORDS,
    ZONE_SHORT,
    MEDIA_WORDS,
    UNIT_LIST_ENDS,
    UNIT_LIST_JOINS,
    ZONE_SUFFIXES,
    NOT_SUBJECT_MARKS,
    NOT_TOPIC_NEXT,
    TITLE_WORDS,
    UNIT_EPITHETS,
    TOPIC_LEADS,
)

_SPEAKER = re.compile(
    r"(?P<unit>[\u4e00-\u9fff]{2,9}?)(?:市|县|区|省|州|旗)?(?:委|党委|党工委)(?:常委、)?(?:副)?书记"
    r"|(?P<unit2>[\u4e00-\u9fff]{2,9}?)(?:市长|县长|区长|省长|州长|主席)"
)
# the most characters a _SPEAKER match holds before its title word: a name of 9, 市, 党工委, 常委、, 副
_SPEAKER_REACH = 9 + 1 + 3 + 3 + 1
_ISSUER = re.compile(
    r"我代表(?P<a>[\u4e00-\u9fff]{2,12}?)人民政府"
    r"|在(?P<b>[\u4e00-\u9fff]{2,12}?)第[一二三四五六七八九十]+届人民代表大会"
    r"|(?P<c>[\u4e00-\u9fff]{2,12}?)人民政府(?:县长|市长|区长|省长|主席)"
)
# 工业大省辽宁，… / 农业大省河南…: an epithet before the unit's name
_TOPIC_LEAD = re.compile(
    rf"[\s“”]*(?:{or_regex(TOPIC_LEADS)})?[，,、\s]*(?:[\u4e00-\u9fff]{{0,4}}(?:{or_regex(UNIT_EPITHETS)}))?"
)
_TITLE_WORD = re.compile(or_regex(TITLE_WORDS))  # one scan, not one per word
_LEVELS = {"nation": 0, "province": 1, "city": 2, "county": 3, "zone": 4}
_ZONE_AFTER = re.compile(or_regex(ZONE_SUFFIXES))
_ZONE_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")
_ZONE_TAIL = re.compile(rf"(?P<name>[\u4e00-\u9fff]{{2,4}}?)(?P<zone>{or_regex(ZONE_SUFFIXES)})")


def _with_zone(text: str, end: int, short: str) -> str:
    """株洲 + 经开区 → 株洲经开区: a zone printed after the unit's name is the unit meant."""
    m = _ZONE_AFTER.match(text, end)
    return short + ZONE_SHORT.get(m.group(), m.group()) if m else short


def unit_heading(paragraph: str) -> str | None:
    """A paragraph that is only a unit's name (江阴, 经开, 宜兴市) heads that unit's section."""
    line = paragraph.strip()
    if not 2 <= len(line) <= 12:
        return None
    unit = gazetteer().find(line)
    return unit.short if unit else None


def speaker_unit(sentence: str) -> str | None:
    """江阴市委书记许峰表示 → 江阴; 无锡经济开发区党委书记 → 经开 (the unit of a title)."""
    title = _TITLE_WORD.search(sentence)
    if title is None:
        return None
    g = gazetteer()
    # every match ends with a title word, at most _SPEAKER_REACH characters after its start:
    # none starts before the first title word's reach (the lazy name tried at every position
    # of a long paragraph before it was most of the cost)
    for m in _SPEAKER.finditer(sentence, max(0, title.start() - _SPEAKER_REACH)):
        raw = m.group("unit") or m.group("unit2") or ""
        # the title may follow a list of offices: 市委常委、江阴市委书记 → take the last name
        for cut in range(len(raw) - 1):
            unit = g.find(raw[cut:]) or g.find(raw[cut:] + "市") or g.find(raw[cut:] + "县")
            if unit:
                return unit.short
    return None


_LIST_END = re.compile(rf"(?:{or_regex(UNIT_LIST_ENDS)})?")


def sentence_topic(text: str, start: int, end: int) -> str | None:
    """长沙将…, 武汉市力争… : in running text that reports several units, a sentence opening
    with a unit's name is about that unit (GUIDELINES §4)."""
    lead = _TOPIC_LEAD.match(text, start, end)
    pos = lead.end() if lead else start
    if text.startswith(CENTRAL_WORDS, pos):
        return "全国"  # 今年中央财政制造业领域专项资金安排118.78亿元 (said by a city's deputy)
    place = text.startswith("在", pos)  # 在金华，… : the place the clause is about
    g = gazetteer()
    m = g.pattern.match(text, pos + place, end)
    if m is None:
        # 今年，净月高新区将…: a zone named after a place the gazetteer does not hold
        # (as the doer of what will be done: 净月高新区将打造…, not 深化开发区改革)
        zone = _ZONE_TAIL.match(text, pos, end)
        if zone is not None and text.startswith(WILL_WORDS, zone.end()):
            return _with_zone(text, zone.start("zone"), zone.group("name"))
        return _modified_topic(text, pos, end)
    nxt = m.end()
    if place and not text.startswith(("，", ","), nxt):
        return None
    unit = g.by_name[m.group()]
    inner = g.pattern.match(text, nxt, end)
    if inner is not None and g.within(g.by_name[inner.group()], unit):
        unit, nxt = g.by_name[inner.group()], inner.end()  # 辽宁大连今年将…: the city, in its province
    names = [unit.short]
    # 濮阳、漯河、三门峡、信阳则是7%以上; 开封、洛阳…许昌等市也将…: the units listed share it
    while text.startswith(UNIT_LIST_JOINS, nxt) and not place:
        more = g.pattern.match(text, nxt + 1, end)
        if more is None:
            return None  # 北京和上海证券交易所…: not a list of units
        names.append(g.by_name[more.group()].short)
        nxt = more.end()
    if len(names) > 1:
        nxt += len(_LIST_END.match(text, nxt, end).group())
    if len(names) == 1 and _ZONE_AFTER.match(text, nxt):
        return _with_zone(text, nxt, names[0])
    if text.startswith(NOT_TOPIC_NEXT, nxt) or nxt >= end:
        return None
    return "、".join(dict.fromkeys(names))


# 以磷化工为支柱产业的宜昌，正全力推动…: a unit with a modifier before it, as the first clause
_MODIFIED_TOPIC = re.compile(r"[^，。；,;：:“”]{2,30}?的(?=[^，。；,;的]{2,12}[，,])")


def _modified_topic(text: str, pos: int, end: int) -> str | None:
    if text.find("的", pos + 2, min(end, pos + 31)) < 0:
        return None  # the cheap test first: most clauses have no 的 near their start
    m = _MODIFIED_TOPIC.match(text, pos, end)
    if m is None:
        return None
    g = gazetteer()
    unit = g.pattern.match(text, m.end(), end)
    if unit is None or not text.startswith(("，", ","), unit.end()):
        return None
    return g.by_name[unit.group()].short


def is_byline(paragraph: str) -> bool:
    """（唐芸芸）, （上接第1版）: parentheticals that are never headings or subjects."""
    line = paragraph.strip()
    if line.startswith(("（", "(")) and len(line) <= 14:
        return True
    # 本报记者 张三 / （上接第1版）…: a short line naming a reporter or a page, not 记者从…获悉，…
    return _BYLINE_MARK.search(line, 0, 8) is not None and (len(line) <= 24 or line.startswith(("（", "(")))


# a township below the gazetteer's units (towns are not in it): kept as printed, 皂户李镇
_TOWN_TAIL = re.compile(r"[\u4e00-\u9fff]{1,6}(?:镇|乡|街道|苏木)")
_BYLINE_MARK = re.compile(or_regex(NOT_SUBJECT_MARKS))
_PARENTHESIS = re.compile(r"[（(][^）)]*[）)]")


def document_subject(text: str, meta: dict[str, Any] | None, traditional: bool = False) -> str | None:
    """The issuer of a report: from metadata (issuer, region), else from the opening lines.
    The metadata of a page in 繁體 is read as its text is (to simplified); a simplified one is
    left as written (氾水镇 is a town's name, not the traditional form of 泛)."""
    g = gazetteer()
    meta = meta or {}
    if meta.get("level") == "national" or str(meta.get("region", "")) == "全国":
        return "全国"
    for key in ("issuer", "region"):
        value = str(meta.get(key) or "")
        if traditional:
            value = to_simplified(value)  # a sidecar copied from a page in 繁體
        if not value:
            continue
        if value.startswith(("国务院", "全国")):
            return "全国"
        plain = _PARENTHESIS.sub("", value)
        if key == "issuer" and any(w in plain for w in MEDIA_WORDS):
            # 新华网海南频道（报道海口市美兰区…）, 株洲日报，报道株洲经开区…: a medium reports on
            # the unit it names after 报道; else the region is the unit
            _, said, about = value.partition("报道")
            if not said:
                continue
            plain = about
        # the most specific unit named: 河北省保定市涞源县 → 涞源; not in a parenthesis, which
        # names a person or a session (青海省人民政府（省长 罗东川）: 东川 is a district elsewhere)
        mentions = g.mentions(plain)
        zone = next((_with_zone(plain, e, u.short) for _, e, u in mentions if _ZONE_AFTER.match(plain, e)), None)
        if zone:
            return zone
        # 重庆市万盛经开区: a zone named after a place the gazetteer does not hold (万盛, a former
        # district): that name and the zone's usual short form, not the bare zone (经开)
        ends = [0] + [e for _, e, _ in mentions]
        zone = next((
            _with_zone(plain, s, plain[ends[i]:s]) for i, (s, _, u) in enumerate(mentions)
            if u.level == "zone" and _ZONE_NAME.fullmatch(plain, ends[i], s) and _ZONE_AFTER.match(plain, s)
        ), None)
        if zone:
            return zone
        if mentions:
            # 吉林省长春市净月高新区: a zone under the most specific unit, named after a place the
            # gazetteer does not hold (净月): that name and the zone's usual short form
            tail = _ZONE_TAIL.fullmatch(plain, max(e for _, e, _ in mentions))
            if tail:
                return _with_zone(plain, tail.start("zone"), tail.group("name"))
        if key == "region" and mentions:
            # 山东省滨州市惠民县皂户李镇: a town under the most specific unit, as printed
            town = _TOWN_TAIL.fullmatch(plain, max(e for _, e, _ in mentions))
            if town:
                return town.group()
        found = [u for _, _, u in mentions]
        if found:
            return max(found, key=lambda u: _LEVELS.get(u.level, 0)).short
    head = text[:3000]
    # each form of _ISSUER names 人民政府 or 人民代表大会: a text without them is not scanned
    m = _ISSUER.search(head) if "人民政府" in head or "人民代表大会" in head else None
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
