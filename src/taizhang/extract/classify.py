"""Is this quantity a committed target, and of what kind? One decision per quantity.

Every rule that fires is named (duckling style) and every rejection gives a reason, so that
`taizhang explain` can show how a sentence was read.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal

from taizhang.extract.lexicon import or_regex
from taizhang.extract.lexicon.cues import (
    DESCRIPTOR_MARKERS,
    LABEL_NOUNS,
    VERB_NOUNS,
    PROJECTION_MARKERS,
    FUTURE_MARKERS,
    GROWTH_DOWN,
    GROWTH_UP,
    HARD_COMMITMENT,
    INCREMENT_VERBS,
    PAST_MARKERS,
    RESULT_VERBS,
    SCOPE_VERBS,
    SHARE_WORDS,
    SOFT_COMMITMENT,
)
from taizhang.extract.lexicon.comparators import PREFIX, SUFFIX
from taizhang.extract.lexicon.time_words import RECURRING_WORDS
from taizhang.extract.lexicon.units import UNITS

COUNT_UNITS = frozenset(u.base for u in UNITS if u.count)
from taizhang.extract.quantities import Quantity, label_reason
from taizhang.extract.structure import Frame
from taizhang.types import Comparator, Kind

_WINDOW = 80
# nouns made of a verb and a noun: never the verb of a clause
_VERB_NOUNS = re.compile(or_regex(VERB_NOUNS))
PREFIX_WORDS = frozenset(PREFIX)
SUFFIX_WORDS = frozenset(SUFFIX)
VERBS = _VERBS = re.compile(or_regex(set(RESULT_VERBS) | set(SCOPE_VERBS)))
_SCOPE = frozenset(SCOPE_VERBS)
_INCREMENT = re.compile(or_regex(INCREMENT_VERBS))
_GROWTH = re.compile(or_regex(GROWTH_DOWN + GROWTH_UP))
_GROWTH_DOWN = frozenset(GROWTH_DOWN)
_PAST = re.compile(or_regex(PAST_MARKERS))
FUTURE = _FUTURE = re.compile(or_regex(FUTURE_MARKERS))
_DESCRIPTOR = re.compile(or_regex(DESCRIPTOR_MARKERS))
_PROJECTION = re.compile(or_regex(PROJECTION_MARKERS))
_LABEL_NOUN = re.compile(rf"^(?:{or_regex(LABEL_NOUNS)})")
_COMMITMENT = re.compile(or_regex(HARD_COMMITMENT + SOFT_COMMITMENT))
_RECURRING = re.compile(or_regex(RECURRING_WORDS))
_SENTENCE_CUES = (("projection", _PROJECTION), ("future", _FUTURE), ("commitment", _COMMITMENT))
# what may stand between a growth word and its rate: 增长率保持在10%以上, 分别增长8.5%和10%
_GROWTH_GAP = re.compile(r"^(?:率|速|幅)?(?:保持在|控制在|稳定在|达到|均|分别|为|在|Q|[、和及与]|左右|以上|以内)*$")
# a number that sizes a project rather than counts results: 超50亿元重大项目, 总投资…的
_QUALIFIER_AFTER = re.compile(r"^(?:以上|左右)?(?:的)?[\u4e00-\u9fff]{0,6}?(?:项目|企业|工程|集群)")
_COMPLETION = re.compile(
    r"^(?:力争|确保|争取)?(?:年底前?|年内|今年|\d{1,2}月底前?|上半年|年末)"
    r"(?:全部|基本)?(?:建成|投用|投产|并网|竣工|运营|交付|达产)"
)
_MODIFIES_NOUN = re.compile(r"^(?![和及与或以])[“\u4e00-\u9fff]")
# …874万人，要促进… / 近3亿人领取养老金，必须…: the number is the situation, not the goal
_RESPONSE = re.compile(r"(?:要|必须|需要|亟需|迫切需要)")
_PERCENT_NOUNS = ("政策", "部分", "幅度", "区间", "标准的")
_MONTH_RANGE = re.compile(r"\d{1,2}\s*[—\-–~～至]\s*\d{1,2}月")
_FACILITY = re.compile(
    r"^[\u4e00-\u9fff“”]{0,10}?(?:项目|工程|电站|机组|电厂|基地|园区|光伏|风电|储能|生产线|厂|线路|管网|站)"
)
_PROGRAMME = re.compile(r"^[\u4e00-\u9fff“”]{0,10}?(?:计划|行动|工程|战略|方案)")
_RESULT_AFTER = re.compile(r"(?:实现|完成|建成|投用|投入使用|投产|落地|并网|竣工|交付)")
_NOUN_FOLLOWS = re.compile(r"^[\u4e00-\u9fff“]")
_SIZE_CLASS_VERBS = ("成为", "打造", "冲刺", "迈向", "迈上", "建成", "培育", "形成", "突破", "达到", "跻身", "壮大", "发展成")


@dataclass(slots=True)
class Decision:
    accepted: bool
    reason: str
    rules: list[str] = field(default_factory=list)
    kind: Kind = Kind.LEVEL
    value: Decimal = Decimal(0)
    value_max: Decimal | None = None
    comparator: Comparator = Comparator.EQ
    recurring: str | None = None
    commitment: str | None = None
    qualifier: str | None = None


@dataclass(frozen=True, slots=True)
class SentenceCues:
    """Cue words of one sentence, found once (not once per quantity: sentences are long)."""

    found: dict[str, list[tuple[int, str]]]

    @classmethod
    def scan(cls, text: str, start: int, end: int) -> SentenceCues:
        found: dict[str, list[tuple[int, str]]] = {}
        for name, rx in _SENTENCE_CUES:
            found[name] = [(m.end(), m.group()) for m in rx.finditer(text, start, end)]
        return cls(found)

    def last_before(self, name: str, pos: int) -> str | None:
        """The last cue of that name that ends at or before `pos`."""
        cues = self.found[name]
        i = bisect_right(cues, pos, key=lambda c: c[0])
        return cues[i - 1][1] if i else None


@dataclass(frozen=True, slots=True)
class Context:
    """What the classifier sees of a quantity: its sentence, clause and section frame."""

    text: str  # the analysis text
    sentence: tuple[int, int]
    clause: tuple[int, int]  # between ，；：
    frame: Frame
    others: tuple[Quantity, ...]  # the other quantities of the clause
    cues: SentenceCues
    continued: bool = False  # the sentence continues a previous one's future wording (其中，…)


def _governing_verb(before: str) -> str | None:
    """The verb that governs the clause: the last verb of its first chain of verbs.

    A clause opens with its verb (续建安置房7550套, 加快建成4个集聚区, 完成打造…19个); verbs
    inside the nouns that follow (安置房, 建设用地) do not govern. Adverbial verbs chain with
    the main one: 加快|建成 → 建成."""
    before = _VERB_NOUNS.sub(lambda m: "□" * len(m.group()), before)
    chain_end = -1
    verb = None
    for m in _VERBS.finditer(before):
        if verb is not None and m.start() != chain_end:
            break
        verb, chain_end = m.group(), m.end()
    return verb


def _growth_word(text: str, clause_start: int, q: Quantity, others: tuple[Quantity, ...]) -> str | None:
    """The growth word that governs q (增长5%, 分别增长8.5%和10%), if any."""
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
    return last.group() if _GROWTH_GAP.match(gap) else None


def classify(q: Quantity, ctx: Context) -> Decision:
    text = ctx.text
    # the context a rule reads is bounded: linear time even on a line of numbers with no
    # punctuation; what governs a number in Chinese stands close to it
    cs, ce = max(ctx.clause[0], q.start - _WINDOW), min(ctx.clause[1], q.end + _WINDOW)
    ss, se = max(ctx.sentence[0], q.start - 4 * _WINDOW), min(ctx.sentence[1], q.end + 4 * _WINDOW)
    before = text[cs : q.start]
    after = text[q.end : ce]
    cues = ctx.cues
    d = Decision(False, "", list(q.rules), value=q.value, value_max=q.value_max, comparator=q.comparator)

    why = label_reason(text, q.start, q.end)
    if why:
        return _reject(d, why, "label")
    if before.endswith(("新一轮", "一轮", "新一批")) and _PROGRAMME.match(after):
        return _reject(d, "part of a programme's name (新一轮千万吨粮食增产计划)", "programme name")
    if _LABEL_NOUN.match(after) and q.comparator is Comparator.EQ:
        return _reject(d, f"counts the parts of a programme or a list ({after[:4]}), not an amount", "label noun")
    if q.size_class:
        if any(w in before for w in ("更多", "一批", "多个", "若干", "一些")) or not any(v in before for v in _SIZE_CLASS_VERBS):
            if not text.startswith("规模", q.end - 2):
                return _reject(d, "size class without a commitment to reach it", "size-class")
    if not q.size_class and _QUALIFIER_AFTER.match(after) and (q.unit in ("元", "美元") or any(o.start > q.end for o in ctx.others)):
        return _reject(d, "sizes the projects that a later number counts (qualifier)", "qualifier")
    if before.endswith("从"):
        return _reject(d, "a starting value (从N提高到M): the baseline, not the target", "baseline 从N")
    if q.comparator is Comparator.RANGE and _NOUN_FOLLOWS.match(after) and not _RESULT_AFTER.search(after):
        return _reject(d, "a range that qualifies a noun (2—3岁幼儿, 100万元至300万元部分)", "bracket")
    if q.unit == "%" and after.startswith(_PERCENT_NOUNS):
        return _reject(d, "a percentage naming a policy or a bracket (降低电价5%政策)", "modifier")
    if q.unit in ("%", "岁") and (after.startswith("“") or (q.comparator_word in SUFFIX_WORDS and _MODIFIES_NOUN.match(after))):
        return _reject(d, "a percentage that qualifies a noun (空置率30%以下“空心村”)", "modifier")
    if after.startswith("的") or after.startswith(("以上的", "左右的")):
        return _reject(d, "describes a noun (N的…): a descriptor, not a result", "descriptor N的")
    descriptor = _DESCRIPTOR.search(text, max(cs, q.start - 8), q.start)
    if descriptor and q.comparator not in (Comparator.GT, Comparator.GE, Comparator.RANGE):
        return _reject(d, f"descriptor word {descriptor.group()} before the number", "descriptor")
    # a fact marker between the previous quantity (or the clause start) and this one, or
    # right after it before the next one: 去年完成…, 已建成4个, 比上年增加1000亿元
    projection = cues.last_before("projection", q.start)
    if projection:
        return _reject(d, f"projection {projection}: what it could bring, not a commitment", "projection")
    prev_end = cs
    next_start = min((o.start for o in ctx.others if o.start >= q.end), default=ce)
    past = _PAST.search(text, prev_end, q.start) or _MONTH_RANGE.search(text, prev_end, q.start) or _PAST.search(text, q.end, min(next_start, _list_break(text, q.end, ce)))
    if past:
        return _reject(d, f"fact marker {past.group()}", "fact")
    if ctx.frame is Frame.REVIEW:
        return _reject(d, "in the review of past work (facts)", "review section")
    if ctx.frame is Frame.OPEN and not ctx.continued and not cues.last_before("future", q.start) and not _FUTURE.search(text, q.end, ce):
        return _reject(d, "no future or commitment wording in the sentence", "no commitment")

    if q.comparator is Comparator.EQ:
        shared = _inherited_comparator(text, q, ctx.others)
        if shared is not None:
            d.comparator = shared.comparator
            d.rules.append(f"{shared.comparator_word}<number>、<number>")
    growth = _growth_word(text, cs, q, ctx.others)
    percent = q.unit in ("%", "个百分点")
    verb = _governing_verb(before)
    if (
        verb is None
        and not cues.last_before("commitment", q.start)
        and _RESPONSE.match(text, ctx.clause[1] + 1, ctx.sentence[1])
    ):
        # 今年高校毕业生达874万人，要… / 全国近3亿人领取养老金，必须…: no verb of the
        # government's own and no commitment, and the next clause answers it
        return _reject(d, "states the situation that the next clause responds to (…，要/必须…)", "situation")
    if growth and (percent or q.unit == "倍"):
        d.kind = Kind.GROWTH
        d.rules.append(f"{growth}<rate>")
        if growth in _GROWTH_DOWN:
            d.value = -q.value
            d.value_max = -q.value_max if q.value_max is not None else None
            if d.value_max is not None:
                d.value, d.value_max = d.value_max, d.value
    elif percent and q.unit == "个百分点":
        d.kind = Kind.GROWTH
    elif percent:
        d.kind = Kind.SHARE
    elif verb and _INCREMENT.fullmatch(verb):
        d.kind = Kind.INCREMENT
    elif growth and not percent:
        d.kind = Kind.INCREMENT
        if growth in _GROWTH_DOWN:
            d.value = -q.value

    strong = d.comparator is not Comparator.EQ or d.kind in (Kind.GROWTH, Kind.SHARE) or q.size_class
    if not strong and verb in _SCOPE and _is_count(q) and _completion_follows(text, ctx.clause[1], ctx.sentence[1]):
        strong = True
        d.rules.append("<number>个…，年底建成")
    if not _is_count(q) and q.unit not in ("元", "美元", "%", "个百分点") and _FACILITY.match(after):
        return _reject(d, "the capacity or size of a facility (720兆瓦储能电站)", "facility size")
    if not strong and _is_count(q) and _enumeration_count(before, after):
        if not _completion_follows(text, ctx.clause[1], ctx.sentence[1]):
            return _reject(d, "counts the items just listed (A、B等N个…): a descriptor", "enumeration")
    if not strong:
        if verb in _SCOPE:
            return _reject(d, f"scope verb {verb}: sizes ongoing work (soft)", "scope")
        if verb is None and ctx.frame is Frame.OPEN:
            return _reject(d, "a bare number in running text, with no result verb", "bare number")
        if verb is None and not before.strip():
            return _reject(d, "no indicator before the number", "no indicator")
        if verb is None and _NOUN_FOLLOWS.match(after) and not _RESULT_AFTER.search(after):
            return _reject(d, "a number before a noun with no result verb: describes, does not commit", "attributive")
        d.rules.append(f"{verb}<number><unit>" if verb else "<indicator><number><unit>")
    rec = _RECURRING.search(text, max(ss, q.start - 20), q.start)
    if rec:
        d.recurring = "annual"
        d.rules.append("每年<target>")
    d.commitment = cues.last_before("commitment", q.start)
    d.qualifier = _qualifier(text, q, ctx.others)
    d.accepted = True
    d.reason = "target"
    return d


def _qualifier(text: str, q: Quantity, others: tuple[Quantity, ...]) -> str | None:
    """新招引超50亿元重大项目3个 → 超50亿元重大项目: the size threshold of what the count counts."""
    for o in reversed(others):
        if o.end > q.start or (o.unit not in ("元", "美元") and not o.size_class):
            continue
        m = _QUALIFIER_AFTER.match(text[o.end : q.start])
        if m:
            start = o.start - len(o.comparator_word or "") if o.comparator_word in PREFIX_WORDS else o.start
            return text[start : o.end + m.end()]
    return None


def _enumeration_count(before: str, after: str) -> bool:
    """生物医药、电子信息2个新兴产业 / 空中草原等4个A级景区: the number restates a list."""
    if before.endswith("等"):
        return True
    if "、" not in before or not _NOUN_FOLLOWS.match(after):
        return False
    last = before[before.rfind("、") + 1 :]
    return 0 < len(last) <= 8 and _VERBS.search(last) is None


def _is_count(q: Quantity) -> bool:
    return q.unit in COUNT_UNITS


def _list_break(text: str, start: int, end: int) -> int:
    """End of a list item: the next 、 or 和 after a number starts another item."""
    for i in range(start, end):
        if text[i] in "、":
            return i
    return end


def _inherited_comparator(text: str, q: Quantity, others: tuple[Quantity, ...]) -> Quantity | None:
    """分别突破30亿元、40亿元 / 15个以上、亿元级项目10个以上: a list shares its comparator."""
    earlier = [o for o in others if o.end <= q.start and o.comparator_word in PREFIX_WORDS]
    if not earlier:
        return None
    o = earlier[-1]
    return o if text[o.end : q.start] in ("、", "和", "，", "及") else None


def _completion_follows(text: str, clause_end: int, sentence_end: int) -> bool:
    """…等3个新能源项目建设，年底建成并网: the next clause commits to finishing by a date."""
    nxt = text[clause_end + 1 : min(sentence_end, clause_end + 16)]
    return bool(_COMPLETION.match(nxt))


def _reject(d: Decision, reason: str, rule: str) -> Decision:
    d.accepted = False
    d.reason = reason
    d.rules.append(f"reject:{rule}")
    return d
