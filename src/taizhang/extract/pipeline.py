"""The extraction pipeline, as an explicit ordered list of small stages:

    repair layout → paragraphs → sections and subjects → sentences and clauses →
    quantities → classify → deadlines → assemble targets (spans back to the original)

`analyse` keeps every candidate with its decision (what `taizhang explain` prints);
`extract_targets` keeps the accepted ones.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from taizhang.extract.classify import FUTURE, VERBS, Context, Decision, SentenceCues, classify
from taizhang.extract.deadlines import DeadlinePhrase, find_deadlines
from taizhang.extract.gazetteer import gazetteer
from taizhang.extract.layout import OffsetMap, repair
from taizhang.extract.quantities import QUANTITY, SIZE_CLASS, Quantity, find_quantities
from taizhang.extract.structure import (
    Frame,
    Section,
    document_date,
    document_subject,
    frame_of_heading,
    is_byline,
    sentence_topic,
    speaker_unit,
    unit_heading,
)
from taizhang.types import Span, Strength, Target

_PARAGRAPH = re.compile(r"[^\n]+")
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?”]*")
_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
_HAS_DIGIT = re.compile(r"[0-9０-９〇零一二两三四五六七八九十百千万亿]")
_INDICATOR_LEAD = re.compile(
    r"^(?:[，、\s]|力争|确保|争取|努力|全力|加快|全年|今年|年内|年底前|年底|明年|每年|年均|其中|"
    r"到20\d\d年底?|20\d\d年底?|同时|并|要|将|我[省市县区]|推动|实现|完成|达到|突破|超过|超|达|[省市县区]|"
    r"控制在|保持在|稳定在|保持|"
    r"主要预期目标是|预期目标是|目标是|发展目标是|经济社会发展的)+"
)
_INDICATOR_TAIL = re.compile(r"(?:跨越|迈上|冲刺|增长率|增长|提高|提升|下降|降低|涨幅|增速|控制在|保持在|稳定在|保持|达到|突破|超过|超|达|不少于|不低于|为|在|拟按|按)+$")

_FOOTNOTE = re.compile(r"^[\[〔［【(（]\d{1,3}[\]〕］】)）]")
_REPORT_MARKS = ("各位代表", "政府工作报告")
_DEADLINE_REACH = 300  # characters back from a number that a time phrase may govern
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
class _State:
    doc_date: date
    default_subject: str | None
    section: Section
    subject: str | None
    duplicates: set[str] = field(default_factory=set)


def _initial_state(text: str, when: date | None, subject: str | None, meta: dict[str, Any] | None) -> _State:
    doc_date = when or document_date(text) or date.today()
    default_subject = subject or document_subject(text, meta)
    # a work report opens with the review of the past: before its first plan heading, facts
    report = (meta or {}).get("genre") == "work_report" or any(w in text[:5000] for w in _REPORT_MARKS)
    frame = Frame.REVIEW if report else Frame.OPEN
    return _State(doc_date, default_subject, Section(frame, None), default_subject)


def analyse(
    text: str,
    *,
    date: date | None = None,
    subject: str | None = None,
    meta: dict[str, Any] | None = None,
) -> list[Candidate]:
    """Every quantity of the text with its decision; spans point into `text`."""
    state = _initial_state(text, date, subject, meta)
    return list(_analyse_chunk(text, 0, state, keep_rejected=True))


def extract_targets(
    text: str,
    *,
    date: date | None = None,
    subject: str | None = None,
    meta: dict[str, Any] | None = None,
) -> list[Target]:
    """The committed quantities of `text`, each with its provenance.

    `date` is the document's date (deadlines such as 全年 or 年底前 resolve against it); when
    absent, a date in the document's opening lines is used, else today. `subject` is the unit
    responsible by default (the issuer of a report); headings and speakers override it.
    `meta` is document metadata such as a sidecar's issuer/region/level.
    """
    state = _initial_state(text, date, subject, meta)
    return [c.target for c in _analyse_chunk(text, 0, state) if c.target]


def extract_stream(
    chunks: Iterable[str],
    *,
    date: date | None = None,
    subject: str | None = None,
    meta: dict[str, Any] | None = None,
) -> Iterator[Target]:
    """Targets of a text given as consecutive chunks that end at line breaks (memory stays
    flat however long the text). Spans are global offsets. Passages duplicated across chunks
    are not flagged."""
    offset = 0
    state: _State | None = None
    for chunk in chunks:
        if state is None:
            state = _initial_state(chunk, date, subject, meta)
        for c in _analyse_chunk(chunk, offset, state):
            if c.target:
                yield c.target
        offset += len(chunk)


def _analyse_chunk(
    original: str, base: int, state: _State, *, keep_rejected: bool = False
) -> Iterator[Candidate]:
    """Candidates of one chunk. Unless `keep_rejected` (explain), paragraphs of a review
    section and sentences with nothing that could make a target are skipped unread: most of
    a long document is facts, and this is the hot loop."""
    text, omap = repair(original)
    state.duplicates = _duplicated_paragraphs(text)
    first_paragraph = base == 0
    for pm in _PARAGRAPH.finditer(text):
        p_start, p_end = pm.span()
        paragraph = pm.group()
        stripped = paragraph.strip()
        if not stripped or is_byline(stripped) or _FOOTNOTE.match(stripped):
            continue  # bylines, and a report's glossary notes ([2]“双盲”…: what a term means)
        unit = unit_heading(stripped)
        if unit:
            state.subject = unit
            continue
        section = frame_of_heading(paragraph, state.doc_date)
        if section is not None:
            state.section = section
        if not _HAS_DIGIT.search(paragraph) and not SIZE_CLASS.search(paragraph):
            speaker = speaker_unit(paragraph) if state.section.frame is Frame.OPEN else None
            if speaker:
                state.subject = speaker
            continue
        if state.section.frame is Frame.OPEN:
            speaker = speaker_unit(paragraph)
            if speaker:
                state.subject = speaker
        if state.section.frame is Frame.REVIEW and not keep_rejected:
            continue
        headline = first_paragraph and _is_headline(stripped) and p_end + 20 < len(text)
        first_paragraph = False
        if state.section.frame is Frame.OPEN and headline and not keep_rejected:
            continue  # a news headline restates what its body says in full
        duplicated = stripped in state.duplicates
        yield from _paragraph_candidates(text, omap, original, base, p_start, p_end, state, duplicated, keep_rejected)


def _is_headline(line: str) -> bool:
    return len(line) <= 40 and line[-1] not in "。！？!?；;”"


def _duplicated_paragraphs(text: str) -> set[str]:
    counts = Counter(p.strip() for p in text.split("\n") if len(p.strip()) >= 30)
    return {p for p, n in counts.items() if n > 1}


def _paragraph_candidates(
    text: str, omap: OffsetMap, original: str, base: int, lo: int, hi: int, state: _State, duplicated: bool,
    keep_rejected: bool = True,
) -> Iterator[Candidate]:
    open_frame = state.section.frame is Frame.OPEN and not keep_rejected
    # one scan per paragraph where most sentences count; per sentence in running text,
    # after the cheap check for future wording
    paragraph = None if open_frame else find_quantities(text, lo, hi)
    if paragraph is not None and not paragraph:
        return
    next_q = 0  # quantities and sentences are both in text order: one pass over each
    future_before = False  # 今年将实施项目500个。其中，新开工项目200个以上。
    for sm in _SENTENCE.finditer(text, lo, hi):
        ss, se = sm.span()
        continued = future_before and text.startswith(_CONTINUATIONS, ss)
        future_before = bool(_PLANNED.search(text, ss, se)) or continued
        if paragraph is None:
            if not continued and not FUTURE.search(text, ss, se):
                continue  # news and bulletins: no future wording, no target
            in_sentence = find_quantities(text, ss, se)
        else:
            first = next_q
            while next_q < len(paragraph) and paragraph[next_q].start < se:
                next_q += 1
            in_sentence = paragraph[first:next_q]
        if not in_sentence:
            continue
        clauses = _clauses(text, ss, se)
        clause_starts = [a for a, _ in clauses]
        cues = SentenceCues.scan(text, ss, se)
        topics = _segment_topics(text, ss, se) if state.section.frame is Frame.OPEN else []
        deadlines = find_deadlines(text, ss, se, state.doc_date)
        by_clause: dict[int, list[Quantity]] = {}
        for q in in_sentence:
            by_clause.setdefault(bisect_right(clause_starts, q.start) - 1, []).append(q)
        for ci, members in by_clause.items():
            cs, ce = clauses[ci]
            subject = next((t for start, t in reversed(topics) if start <= cs), None) or state.subject
            for i, q in enumerate(members):
                # the neighbours a rule may look at (lists, qualifiers); bounded, so that a
                # pathological clause with thousands of numbers stays linear
                others = tuple(members[max(0, i - _NEIGHBOURS) : i] + members[i + 1 : i + 1 + _NEIGHBOURS])
                yield from _candidate(
                    text, omap, original, base, state, duplicated, q, (ss, se), clauses, ci, others, cues,
                    deadlines, subject, continued,
                )


def _candidate(
    text: str, omap: OffsetMap, original: str, base: int, state: _State, duplicated: bool, q: Quantity,
    sentence: tuple[int, int], clauses: list[tuple[int, int]], ci: int, others: tuple[Quantity, ...],
    cues: SentenceCues, deadlines: list[DeadlinePhrase], subject: str | None, continued: bool,
) -> Iterator[Candidate]:
    cs, ce = clauses[ci]
    decision = classify(q, Context(text, sentence, (cs, ce), state.section.frame, others, cues, continued))
    due, past = _deadline(q, deadlines, ci, clauses, state, text, decision.recurring is not None, sentence[0])
    if decision.accepted and past:
        decision.accepted = False
        decision.reason = "the sentence dates it before the document's year (a fact)"
        decision.rules.append("reject:past year")
    candidate = Candidate(q, decision, subject, sentence)
    if decision.accepted:
        candidate.target = _assemble(q, decision, due, (cs, ce), text, omap, original, base, subject, duplicated)
    yield candidate


def _segment_topics(text: str, ss: int, se: int) -> list[tuple[int, str]]:
    """The unit each ；-segment of a sentence opens with (长沙市提出…；武汉市则计划…)."""
    starts = [ss] + [m.end() for m in _SEGMENT_BREAK.finditer(text, ss, se)]
    found = []
    for start in starts:
        topic = sentence_topic(text, start, se)
        if topic:
            found.append((start, topic))
    return found


_SEGMENT_BREAK = re.compile(r"[；;]")
_CONTINUATIONS = ("其中", "同时", "此外", "另外", "包括")
# what makes the next sentence's 其中，… a part of a plan (目标 alone does not: 与计划目标持平)
_PLANNED = re.compile(r"将|力争|确保|争取|拟|到20\d\d年|计划(?:到|在|于|完成|新建|实施|投资)")


def _clauses(text: str, ss: int, se: int) -> list[tuple[int, int]]:
    out = []
    start = ss
    for m in _CLAUSE_BREAK.finditer(text, ss, se):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, se))
    return out


def _deadline(
    q: Quantity, phrases: list[DeadlinePhrase], idx: int, clauses: list[tuple[int, int]],
    state: _State, text: str, recurring: bool, sentence_start: int,
) -> tuple[date | None, bool]:
    """The nearest time phrase before the number within its ；-segment, else one opening the
    next clause (等3个项目建设，年底建成并网), else the section's default."""
    clause = clauses[idx]
    reach = max(sentence_start, q.start - _DEADLINE_REACH)
    segment_start = max(text.rfind("；", reach, q.start), text.rfind(";", reach, q.start), reach - 1)
    # in the number's own clause (全年新招引…3个), or a fronted time clause of the segment
    # that scopes over what follows (力争到2026年，…突破6000亿元); the nearest one wins
    before = bisect_right(phrases, q.start, key=lambda p: p.end)
    for p in reversed(phrases[:before]):
        if p.start <= segment_start:
            break
        if p.start >= clause[0] or p.rule == "“<plan>”末" or _time_clause(text, p, clauses):
            return p.due, p.past
    if not recurring and 0 <= idx < len(clauses) - 1:
        nxt = clauses[idx + 1][0]
        after = [p for p in phrases if p.start == nxt and not p.past and _FINISH.match(text, p.end)]
        if after:
            return after[0].due, False
    if state.section.frame is Frame.PLAN:
        return state.section.deadline, False
    return None, False


# 年底建成并网, 6月底前全部投用: a completion promised for the thing just counted
_FINISH = re.compile(r"前?(?:全部|基本|全面)?(?:建成|完成|投用|投产|并网|竣工|交付|运营|开园|达产|开工)")
_TIME_CLAUSE_FILLER = re.compile(r"^(?:力争|确保|争取|努力|计划|预计|要|将|在|到|至|于|前|底|末|内|，|\s)*$")


def _time_clause(text: str, phrase: DeadlinePhrase, clauses: list[tuple[int, int]]) -> bool:
    """力争到2026年， : a clause that is only a time phrase (and commitment words)."""
    i = bisect_right(clauses, phrase.start, key=lambda c: c[0]) - 1
    if i < 0:
        return False
    a, b = clauses[i]
    if b - a > 40:
        return False
    return bool(_TIME_CLAUSE_FILLER.match(text[a : phrase.start] + text[phrase.end : b]))


def _assemble(
    q: Quantity,
    d: Decision,
    due: date | None,
    clause: tuple[int, int],
    text: str,
    omap: OffsetMap,
    original: str,
    base: int,
    subject: str | None,
    duplicated: bool,
) -> Target:
    vs, ve = omap.span_to_original(q.start, q.end)
    # the quote is the clause, bounded (a "clause" of a table dump can be a whole page)
    cs, ce = max(clause[0], q.start - _QUOTE_REACH), min(clause[1], q.end + _QUOTE_REACH)
    while cs < q.start and text[cs] in " \u3000\t“":
        cs += 1
    qs, qe = omap.span_to_original(cs, max(ce, q.end))
    flags = ("duplicated_passage",) if duplicated else ()
    strength = Strength.HARD
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
        strength=strength,
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
    before = _INDICATOR_LEAD.sub("", before)
    before = _INDICATOR_TAIL.sub("", before)
    tail = text[q.end : q.end + 30].replace("\n", "")
    m = _NOUN_AFTER.match(tail)
    noun = m.group(1) if m else ""
    if q.size_class and "成为" in before:  # 新能源成为江阴第5个千亿级产业集群
        return before.split("成为")[0] + noun
    before = _ORDINAL_TAIL.sub("", before)
    if len(before) >= 2 and not VERBS.fullmatch(before):
        return before
    return (before + noun) or before


_ORDINAL_TAIL = re.compile(r"(?:成为)?[\u4e00-\u9fff]{0,4}第[0-9一二三四五六七八九十]+个$")
_NOUN_AFTER = re.compile(r"(?:以上|以下|左右|以内)?([^，。；、,;：:（(\s]{0,20})")


__all__ = ["Candidate", "analyse", "extract_stream", "extract_targets", "QUANTITY"]
