"""What the rules see of one quantity: a `Reading`.

A reading is built once per quantity by the pipeline and holds everything a rule may look
at — the quantity, its clause and sentence, the frame of its paragraph, the cue words of its
sentence (found once per sentence), the time phrase that governs it — and what has been read
of it so far (its governing verb, growth word, kind, comparator). Rules (`rules.py`) are small
functions of a reading; none of them scans more than a bounded window around its number, so
extraction stays linear however long a line is.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from taizhang.extract.deadlines import SCHEDULED, DeadlinePhrase
from taizhang.extract.lexicon import or_regex, start_finder
from taizhang.extract.lexicon.cues import (
    AS_OF_MARKERS,
    BUDGET_WORDS,
    PLANNED_FIGURE_NEXT,
    PLANNED_FIGURE_VERBS,
    FORECAST_MARKERS,
    COMMITMENT_WORDS,
    FUTURE_MARKERS,
    STRIVE_WORD,
    PLAN_VERB,
    PLAN_VERB_COVERBS,
    TARGET_FRAME_AFTER,
    TARGET_FRAMES,
    TIME_CUES,
    GROWTH_DOWN,
    GROWTH_UP,
    PROJECTION_MARKERS,
    RESULT_VERBS,
    SCOPE_VERBS,
    VERB_NOUNS,
)
from taizhang.extract.structure import Frame
from taizhang.extract.quantities import Quantity
from taizhang.types import Comparator, Kind

WINDOW = 80  # characters of its clause a rule may read on each side of a number

_FUTURE_WORDS = or_regex(w for w in FUTURE_MARKERS if w != "将")
# …not after a measure word, where 计划 qualifies the noun: 142个计划实施项目
PLANS_TO = (
    # (the look-behind after the literal, so that the regex engine still scans for 计划 first)
    rf"{PLAN_VERB}(?<![个项批类的]{PLAN_VERB})(?={or_regex(set(RESULT_VERBS) | set(SCOPE_VERBS) | set(PLAN_VERB_COVERBS))})"
)
# (a word of will is no noun's head: 保证金 is a deposit, 承诺书 a letter)
_NOT_A_NOUN = "(?![金书函])"
FUTURE = re.compile(rf"(?:{_FUTURE_WORDS}){_NOT_A_NOUN}|将(?![近约0-9０-９一二两三四五六七八九十百千万])|{PLANS_TO}")
TARGET_FRAME = re.compile(or_regex(TARGET_FRAMES))
TARGET_AFTER = re.compile(rf"(?:以上|以下|左右|以内)?(?:{or_regex(TARGET_FRAME_AFTER)})")
# the cheap check a sentence of running text must pass before its numbers are parsed
# (a target frame after a number only right after one: 不低于35%的底线, 1.3万亿斤以上目标)
ANY_REASON = re.compile(
    rf"{FUTURE.pattern}|{TARGET_FRAME.pattern}|{or_regex(TIME_CUES)}|其中|同时|此外"
    rf"|[0-9%％万亿元斤个家项吨]{TARGET_AFTER.pattern}"
    rf"|月{SCHEDULED}"  # 计划4月开工建设，11月完工: a schedule
)
# where each can first match (lexicon.start_finder), from the words they are made of
FUTURE_START = re.compile(start_finder(FUTURE.pattern, [w[0] for w in FUTURE_MARKERS] + ["将", PLAN_VERB[0]]))
ANY_REASON_START = re.compile(
    start_finder(
        ANY_REASON.pattern,
        [w[0] for w in (*FUTURE_MARKERS, "将", PLAN_VERB, *TARGET_FRAMES, *TIME_CUES, "其中", "同时", "此外", "月")],
        "0-9%％万亿元斤个家项吨",
    )
)
COMMITMENT = re.compile(rf"(?:{or_regex(COMMITMENT_WORDS)}){_NOT_A_NOUN}")
STRIVE = STRIVE_WORD
PROJECTION = re.compile(or_regex(PROJECTION_MARKERS))
VERBS = re.compile(
    rf"{or_regex(set(RESULT_VERBS) | set(SCOPE_VERBS))}"
    # (the text before a number ends where the number begins: $)
    rf"|(?:{or_regex(PLANNED_FIGURE_VERBS)})(?=[0-9０-９]|{or_regex(PLANNED_FIGURE_NEXT)}|$)"
)
_VERB_NOUNS = re.compile(or_regex(VERB_NOUNS))
# verbs that hand over to the verb after them: 加快|建成, 完成|打造, 推动|落地
_CHAINING = frozenset(SCOPE_VERBS) | {"完成", "实现"}
_GROWTH = re.compile(or_regex(GROWTH_DOWN + GROWTH_UP))
# a rate named after it: 实现年均10%的增速, 保持6%左右的增长 (the rate of growth itself)
GROWTH_AFTER = re.compile(rf"(?:以上|左右)?的(?:年均|平均)?(?P<word>{_GROWTH.pattern})")
_BUDGET = re.compile(or_regex(BUDGET_WORDS))
AS_OF = re.compile(rf"(?:{or_regex(AS_OF_MARKERS)})(?<!项目前)")
_SENTENCE_CUES = (
    ("projection", PROJECTION), ("future", FUTURE), ("commitment", COMMITMENT), ("target frame", TARGET_FRAME),
    ("forecast", re.compile(or_regex(FORECAST_MARKERS))), ("as of", AS_OF),
)
# what may stand between a growth word and its rate: 增长率保持在10%以上, 分别增长8.5%和10%,
# 增长目标为6%左右
_GROWTH_GAP = re.compile(
    r"^(?:率|速|幅)?(?:的)?(?:预期)?(?:目标)?(?:保持在|控制在|稳定在|达到|均|分别|定为|确定为|设定为|便是|则是|为|是|在|Q|[、和及与]|左右|以上|以内|力争|确保|争取|\s)*$"
)


_OBJECT_GAP = re.compile(r"^[\u4e00-\u9fff“”]{1,12}$")


@dataclass(frozen=True, slots=True)
class SentenceCues:
    """Cue words of one sentence, found once (not once per quantity: sentences are long)."""

    found: dict[str, list[tuple[int, str]]]
    # the ends of each name's cues, for bisect without a key function (rules ask ~6 times a number)
    ends: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def scan(cls, text: str, start: int, end: int) -> SentenceCues:
        found: dict[str, list[tuple[int, str]]] = {}
        ends: dict[str, list[int]] = {}
        for name, rx in _SENTENCE_CUES:
            first = start
            if rx is FUTURE:  # the one cue pattern that does not open on a word or a class
                found_at = FUTURE_START.search(text, start, end)
                first = found_at.start() if found_at else end
            cues = found[name] = [(m.end(), m.group()) for m in rx.finditer(text, first, end)]
            ends[name] = [e for e, _ in cues]
        return cls(found, ends)

    def last_before(self, name: str, pos: int, since: int = 0) -> str | None:
        """The last cue of that name that ends at or before `pos` (and after `since`)."""
        cues = self.found[name]
        if not cues:
            return None  # most sentences have none of most cues
        i = bisect_right(self.ends[name], pos)
        if i and cues[i - 1][0] > since:
            return cues[i - 1][1]
        return None


@dataclass(slots=True)
class Reading:
    """One quantity in its context, and what has been read of it."""

    text: str  # the analysis text
    q: Quantity
    sentence: tuple[int, int]
    clause: tuple[int, int]  # between ，；：
    frame: Frame
    others: tuple[Quantity, ...]  # the neighbouring quantities of the clause (bounded)
    cues: SentenceCues
    time: DeadlinePhrase | None  # the time phrase that governs the quantity, if any
    doc_date: date
    continued: bool = False  # the sentence continues a previous one's plan (其中，…)
    recurring: bool = False  # 每年/年均 before the number
    plan_context: bool = False  # listed after a clause announcing targets (主要预期目标是：)
    # read so far
    value: Decimal = Decimal(0)
    value_max: Decimal | None = None
    comparator: Comparator = Comparator.EQ
    kind: Kind = Kind.LEVEL
    verb: str | None = None
    growth: str | None = None
    rules: list[str] = field(default_factory=list)
    # bounded windows (set in __post_init__)
    before: str = ""
    after: str = ""
    window: tuple[int, int] = (0, 0)
    # rules.strong, once its attributes are read (five rules ask it of the same reading)
    is_strong: bool | None = None

    def __post_init__(self) -> None:
        q, text = self.q, self.text
        cs, ce = max(self.clause[0], q.start - WINDOW), min(self.clause[1], q.end + WINDOW)
        self.window = (cs, ce)
        self.before = text[cs : q.start]
        self.after = text[q.end : ce]
        self.value, self.value_max, self.comparator = q.value, q.value_max, q.comparator
        self.rules = list(q.rules)
        self.verb = governing_verb(self.before)
        self.growth = growth_word(text, cs, q, self.others)

    @property
    def percent(self) -> bool:
        return self.q.unit in ("%", "个百分点")

    def budget_of_the_year(self) -> bool:
        """An amount of the budget of the document's year (今年…财政支出预算安排…30万亿元,
        2026年，全国一般公共预算支出规模…): the year's plan, told at any time of the year."""
        t = self.time
        return (
            t is not None and not t.past and t.due is not None and t.due.year == self.doc_date.year
            and self.q.unit in ("元", "%") and _BUDGET.search(self.text, self.clause[0], self.q.start) is not None
        )

    def reason_to_commit(self) -> str | None:
        """Why this number may be a commitment at all, or None: its frame, its time, its
        words. In open text (news, interviews) a number needs one of these; the absence of
        a past marker is not enough."""
        q = self.q
        if self.frame is Frame.PLAN:
            return "plan section"
        if self.continued:
            return "continues a planned sentence (其中…)"
        if self.plan_context:
            return "listed after a target lead-in (…目标是：)"
        t = self.time
        if t is not None and (t.explicit_future(self.doc_date) or t.this_year_ahead(self.doc_date)):
            return f"time {self.text[t.start : t.end]}"
        if t is not None and t.rule == "今年/全年/年内" and self.budget_of_the_year():
            return f"this year's budget ({self.text[t.start : t.end]})"
        cue = self.cues.last_before("future", q.start) or self.cues.last_before("commitment", q.start)
        if cue:
            return f"future {cue}"
        frame = self.cues.last_before("target frame", q.start)
        if frame:
            return f"target frame {frame}"
        m = TARGET_AFTER.match(self.text, q.end, self.window[1])
        if m:
            return f"target frame {m.group()}"
        if self.recurring and self.comparator in (Comparator.GE, Comparator.GT):
            return "a floor every year (每年…100个以上)"
        return None

    def next_start(self) -> int:
        """Where the next quantity of the clause starts (or the window's end). The neighbours
        are in text order (find_quantities sorts by start): the first that starts after this
        number is the nearest."""
        end = self.q.end
        for o in self.others:
            if o.start >= end:
                return o.start
        return self.window[1]


def _blanked(m: re.Match[str]) -> str:
    return "□" * len(m.group())


def governing_verb(before: str) -> str | None:
    """The verb that governs the clause: the last verb of its first chain of verbs.

    A clause opens with its verb (续建安置房7550套, 加快建成4个集聚区, 完成打造…19个); verbs
    inside the nouns that follow (安置房, 建设用地) do not govern. Adverbial verbs chain with
    the main one: 加快|建成 → 建成. A verb right before the number governs it whatever opened
    the clause (推进“三北”工程建设10万亩)."""
    before = _VERB_NOUNS.sub(_blanked, before)
    chain_end = -1
    verb = None
    verbs = list(VERBS.finditer(before))  # one scan for both readings below
    last = verbs[-1] if verbs else None
    if last is not None and last.end() >= len(before) - 1 and last.start() > 0:
        return last.group()  # 推进“三北”工程建设10万亩: the verb right before the number governs
    for m in verbs:
        if verb is not None and (m.start() != chain_end or verb not in _CHAINING):
            break  # 新增上市企业1家: after a verb of result, the next "verb" is in its object
        verb, chain_end = m.group(), m.end()
    return verb


def growth_word(text: str, clause_start: int, q: Quantity, others: tuple[Quantity, ...]) -> str | None:
    """The growth word that governs q (增长5%, 分别增长8.5%和10%, 增长目标6%左右), if any."""
    if q.unit == "%" and (named := GROWTH_AFTER.match(text, q.end)):
        return named.group("word")
    before = text[clause_start : q.start]
    last = None
    for m in _GROWTH.finditer(before):
        last = m
    if last is None:
        return None
    gap = before[last.end() :]
    for o in others:
        if o.end <= q.start and o.start >= clause_start + last.end():
            s, e = o.start - clause_start, o.end - clause_start
            gap = gap.replace(before[s:e], "Q")
    if gap.startswith(("到", "至")):
        return None  # 提高到60%: a level to reach, not a rate of change
    if _GROWTH_GAP.match(gap):
        return last.group()
    # 下调存款准备金率0.5个百分点, 提高城镇化率1个百分点: points are always a change, and the
    # verb's object may stand between them
    return last.group() if q.unit == "个百分点" and _OBJECT_GAP.match(gap) else None
