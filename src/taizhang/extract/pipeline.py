"""The extraction pipeline, as an explicit ordered list of small stages:

    repair layout → paragraphs → sections and subjects → sentences and clauses →
    quantities → classify → deadlines → assemble targets (spans back to the original)

`analyse` keeps every candidate with its decision (what `taizhang explain` prints);
`extract_targets` keeps the accepted ones.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from taizhang.extract.classify import FUTURE, Context, Decision, SentenceCues, classify
from taizhang.extract.deadlines import DeadlinePhrase, find_deadlines
from taizhang.extract.layout import OffsetMap, repair
from taizhang.extract.quantities import QUANTITY, SIZE_CLASS, Quantity, find_quantities
from taizhang.extract.structure import (
    Frame,
    Section,
    document_date,
    document_subject,
    frame_of_heading,
    is_byline,
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
    r"到20\d\d年底?|20\d\d年底?|同时|并|要|将|推动|实现|完成|新增|新建|达到|突破|超过|超|达|"
    r"控制在|保持在|稳定在|保持|"
    r"主要预期目标是|预期目标是|目标是|发展目标是|经济社会发展的)+"
)
_INDICATOR_TAIL = re.compile(r"(?:增长率|增长|提高|提升|下降|降低|涨幅|增速|控制在|保持在|稳定在|保持|达到|突破|超过|超|达|不少于|不低于|为|在|拟按|按)+$")

_REPORT_MARKS = ("各位代表", "政府工作报告")
_MAX_FRAGMENT = 200_000  # characters of one paragraph analysed at most (pathological input)


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
    return list(_analyse_chunk(text, 0, state, find_duplicates=True, keep_rejected=True))


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
    return [c.target for c in _analyse_chunk(text, 0, state, find_duplicates=True) if c.target]


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
        for c in _analyse_chunk(chunk, offset, state, find_duplicates=True):
            if c.target:
                yield c.target
        offset += len(chunk)


def _analyse_chunk(
    original: str, base: int, state: _State, *, find_duplicates: bool, keep_rejected: bool = False
) -> Iterator[Candidate]:
    """Candidates of one chunk. Unless `keep_rejected` (explain), paragraphs of a review
    section and sentences with nothing that could make a target are skipped unread: most of
    a long document is facts, and this is the hot loop."""
    text, omap = repair(original)
    if find_duplicates:
        state.duplicates = _duplicated_paragraphs(text)
    for pm in _PARAGRAPH.finditer(text):
        p_start, p_end = pm.span()
        paragraph = pm.group()
        stripped = paragraph.strip()
        if not stripped or is_byline(stripped):
            continue
        unit = unit_heading(stripped)
        if unit:
            state.subject = unit
            continue
        section = frame_of_heading(paragraph, state.doc_date, state.section)
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
        duplicated = stripped in state.duplicates
        yield from _paragraph_candidates(
            text, omap, original, base, p_start, min(p_end, p_start + _MAX_FRAGMENT), state, duplicated, keep_rejected
        )


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
    for sm in _SENTENCE.finditer(text, lo, hi):
        ss, se = sm.span()
        if paragraph is None:
            if not FUTURE.search(text, ss, se):
                continue  # news and bulletins: no future wording, no target
            in_sentence = find_quantities(text, ss, se)
        else:
            in_sentence = [q for q in paragraph if ss <= q.start < se]
        if not in_sentence:
            continue
        clauses = _clauses(text, ss, se)
        cues = SentenceCues.scan(text, ss, se)
        deadlines = find_deadlines(text, ss, se, state.doc_date)
        for q in in_sentence:
            cs, ce = next(((a, b) for a, b in clauses if a <= q.start < b), (ss, se))
            others = tuple(o for o in in_sentence if o is not q and cs <= o.start < ce)
            ctx = Context(text, (ss, se), (cs, ce), state.section.frame, others, cues)
            decision = classify(q, ctx)
            due, past = _deadline(q, deadlines, (cs, ce), clauses, state, text, decision.recurring is not None)
            if decision.accepted and past:
                decision.accepted = False
                decision.reason = "the sentence dates it before the document's year (a fact)"
                decision.rules.append("reject:past year")
            candidate = Candidate(q, decision, state.subject, (ss, se))
            if decision.accepted:
                candidate.target = _assemble(q, decision, due, (cs, ce), text, omap, original, base, state, duplicated)
            yield candidate


def _clauses(text: str, ss: int, se: int) -> list[tuple[int, int]]:
    out = []
    start = ss
    for m in _CLAUSE_BREAK.finditer(text, ss, se):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, se))
    return out


def _deadline(
    q: Quantity, phrases: list[DeadlinePhrase], clause: tuple[int, int], clauses: list[tuple[int, int]],
    state: _State, text: str, recurring: bool,
) -> tuple[date | None, bool]:
    """The nearest time phrase before the number within its ；-segment, else one opening the
    next clause (等3个项目建设，年底建成并网), else the section's default."""
    segment_start = max(text.rfind("；", 0, q.start), text.rfind(";", 0, q.start))
    # in the number's own clause (全年新招引…3个), or a fronted time clause of the segment
    # that scopes over what follows (力争到2026年，…突破6000亿元)
    before = [
        p for p in phrases
        if p.end <= q.start and p.start > segment_start
        and (p.start >= clause[0] or p.rule == "“<plan>”末" or _time_clause(text, p, clauses))
    ]
    if before:
        p = before[-1]
        return p.due, p.past
    idx = clauses.index(clause) if clause in clauses else -1
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
    for a, b in clauses:
        if a <= phrase.start < b:
            rest = text[a : phrase.start] + text[phrase.end : b]
            return bool(_TIME_CLAUSE_FILLER.match(rest))
    return False


def _assemble(
    q: Quantity,
    d: Decision,
    due: date | None,
    clause: tuple[int, int],
    text: str,
    omap: OffsetMap,
    original: str,
    base: int,
    state: _State,
    duplicated: bool,
) -> Target:
    vs, ve = omap.span_to_original(q.start, q.end)
    cs, ce = clause
    while cs < q.start and text[cs] in " \u3000\t“":
        cs += 1
    qs, qe = omap.span_to_original(cs, max(ce, q.end))
    flags = ("duplicated_passage",) if duplicated else ()
    strength = Strength.HARD
    return Target(
        subject=state.subject,
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
    before = text[clause_start : q.start].replace("\n", "")
    before = _INDICATOR_LEAD.sub("", before)
    before = _INDICATOR_TAIL.sub("", before)
    if len(before) >= 2:
        return before
    tail = text[q.end : q.end + 30].replace("\n", "")
    m = re.match(r"[^，。；、,;]*", tail)
    return (m.group() if m else "") or before


__all__ = ["Candidate", "analyse", "extract_stream", "extract_targets", "QUANTITY"]
