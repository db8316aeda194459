"""The rules that decide whether a quantity is a committed target, and what kind it is.

Rules are data: each is a `Rule(name, applies, reason)` and they are listed in one place, in
the order they are tried (duckling's `Rule{name, pattern, prod}`; spaCy's ordered pipeline).
`applies` reads a `Reading` and returns what it found (a word, a phrase) or None. The first
decisive rule that applies decides; its fixed name goes into `Target.rules` and is what
`taizhang explain` prints. Every rule has examples from at least two documents in
tests/extract/corpus/ (`rule=NAME`), and a test checks it.

Three tables, read in this order:
- `COMPARATOR_RULES`: a list shares its comparator (分别增长8.5%、10%以上);
- `KIND_RULES`: level, increment, growth or share (first that applies);
- `DECISION_RULES`: what the number is not (labels, descriptors, facts…), whether its frame and
  its own words give a reason to read it as a commitment, whether it sizes work rather than
  committing to a result (soft) — and otherwise it is a target.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from taizhang.extract.lexicon import or_regex
from taizhang.extract.lexicon.comparators import CHANGE_TO, NOT_A_PREFIX_AFTER, PREFIX, SUFFIX
from taizhang.extract.lexicon.cues import (
    COMMITMENT_WORDS,
    COMPLETION_VERBS,
    FACILITY_WORK_NOUNS,
    FIRST_TIME_MARKERS,
    DESCRIPTOR_MARKERS,
    NOT_A_DESCRIPTOR_BEFORE,
    POLICY_AMOUNT_WORDS,
    FACILITY_NOUNS,
    FINISH_VERBS,
    GROWTH_DOWN,
    INCREMENT_VERBS,
    LABEL_NOUNS,
    LABEL_NOUNS_BEFORE,
    LIST_COUNT_WORDS,
    LISTED_TASK_NOUNS,
    MEANS_NOUNS,
    LIST_JOINERS,
    MEASURE_ENDINGS,
    MEASURE_NOUNS,
    BRACKET_PART,
    CAPACITY_VERBS,
    SHARE_VERBS,
    COMPARISON_BASES,
    PAST_MARKERS,
    PERCENT_MODIFIED_NOUNS,
    PLAN_NOUNS,
    PROGRESS_VERBS,
    RESTATED_TARGET_LINKS,
    RESTATED_TARGET_WORDS,
    BEYOND_PLAN_WORDS,
    PROGRAMME_NOUNS,
    PREPOSITIONS,
    PROGRAMME_OPENERS,
    QUALIFIED_NOUNS,
    RESPONSE_WORDS,
    RESULT_VERBS,
    SCOPE_VERBS,
    SERVICE_VERBS,
    SIZE_CLASS_VERBS,
    VAGUE_COUNTS,
)
from taizhang.extract.lexicon.units import CURRENCY_NAMES, EXTENT_UNITS, UNITS
from taizhang.extract.quantities import Quantity, label_reason
from taizhang.extract.reading import GROWTH_AFTER, STRIVE, TARGET_AFTER, VERBS, Reading
from taizhang.extract.structure import Frame
from taizhang.types import Comparator, Kind


class Verdict(StrEnum):
    REJECT = "reject"
    ACCEPT = "accept"


@dataclass(frozen=True, slots=True)
class Rule:
    """A named rule: `applies(reading)` returns what it found, or None when it does not apply."""

    name: str
    applies: Callable[[Reading], str | None]
    reason: str  # why, for people; `{}` is replaced by what `applies` found
    verdict: Verdict = Verdict.REJECT


@dataclass(frozen=True, slots=True)
class KindRule:
    name: str
    applies: Callable[[Reading], str | None]
    kind: Kind


COUNT_UNITS = frozenset(u.base for u in UNITS if u.count)
# a size class's things and then their count (五百亿级开发区2个)
_COUNTED_AFTER = re.compile(rf"[^，。；,;、\d]{{1,10}}?\d+(?:{or_regex(COUNT_UNITS)})")
PREFIX_WORDS = frozenset(PREFIX)
SUFFIX_WORDS = frozenset(SUFFIX)
_INCREMENT_VERBS = frozenset(INCREMENT_VERBS)
_GROWTH_DOWN = frozenset(GROWTH_DOWN)
_SCOPE = frozenset(SCOPE_VERBS)
_PAST = re.compile(or_regex(PAST_MARKERS))
_COMPARISON = frozenset(COMPARISON_BASES)
_ROUGHLY = "<number>多<unit>"  # the quantity rule of 240多项, 1.2万余个
_CLAUSE_BREAKS = "，,；;：:"
_CHANGE_TO = frozenset(CHANGE_TO)
_TASKS_COUNTED = re.compile(rf"({or_regex(LISTED_TASK_NOUNS)})[，,]?(?:{or_regex(LIST_COUNT_WORDS)})$")
_TASKS_REACH = 12  # characters before a count that its list's noun and 有/共计 may take
_SHARE_OF_TASKS = re.compile(rf"占({or_regex(LISTED_TASK_NOUNS)})总数的?$")
_SHARE_OF_STRUCTURE = re.compile(rf"({or_regex(LABEL_NOUNS)})中(?:的)?(?:占比|占|比重)[^，。；]{{0,4}}$")
_COUNT_ENDS = re.compile(rf"\d[万千百]?(?:{or_regex(sorted(COUNT_UNITS, key=len, reverse=True))})$")
OBJECT_BEFORE_PATTERN = r"(?<![作成因认称以行])[对为][^，。；,;]{0,12}$"
# the same, its look-behind after 对/为 (which it looks back over too): a pattern that opens on
# a character class lets the regex engine skip to the next 对/为 instead of testing every position
_OBJECT_BEFORE = re.compile(r"[对为](?<![作成因认称以行][对为])[^，。；,;]{0,12}$")
_OF_WHICH = "其中"
_ALLOCATED = "用于"
# the verbs of units doing something (新设, 开设, 达标…)
_DOING_VERBS = or_regex(set(RESULT_VERBS) | set(SCOPE_VERBS) | set(SHARE_VERBS))
# N家<units>(今年)将<verb>: a count of the units that will do something
_COUNTED_UNITS_WILL = re.compile(
    rf"[\u4e00-\u9fff“”]{{1,12}}?(?:今年|年内|明年)?(?:将|要)(?:{_DOING_VERBS})"
)
_TOTAL_REACH = 40  # characters before 其中 where the total it divides is looked for
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# N%的<units><verb>: 95%以上的幼儿园开设托班, 85%的技术需求源于企业
_UNITS_THAT_DO = re.compile(
    rf"(?:以上|左右)?的[\u4e00-\u9fff“”]{{1,12}}?(?:{_DOING_VERBS})"
)
# 从72%, 由现在的91%: the start of a change (从2020年的3.68万亿元 is a dated result: results.py)
_BASELINE_BEFORE = re.compile(r"(从|由)(?:现在|目前|当前|现有|原来)?的?$")
# what follows a baseline: 从72%提升至76%, 由15万元提高到30万元, 从7500亿元增至约1.5万亿元
_CHANGE_AFTER = re.compile(r"^[^，。；,;]{0,12}?(?:提高|提升|增加|增至|增长|扩大|调整|降|下降|减少|上升|跃升|到|至)")
_DESCRIPTOR = re.compile(or_regex(DESCRIPTOR_MARKERS, NOT_A_DESCRIPTOR_BEFORE))
_LABEL_NOUN = re.compile(rf"^(?:{or_regex(LABEL_NOUNS)})")
# 为10万名…, 为全州7万名…: a preposition, and the whole of a unit's people or places it names
_PREPOSITION_BEFORE = re.compile(rf"(?:{or_regex(PREPOSITIONS)})(?:全[省市州盟区县旗镇乡]|辖区)?$")
_MEANS_AFTER = re.compile(rf"^[\u4e00-\u9fff]{{0,6}}?为(?:{or_regex(MEANS_NOUNS)})")
_PROGRAMME = re.compile(rf"^[\u4e00-\u9fff“”]{{0,10}}?(?:{or_regex(PROGRAMME_NOUNS)})")
_QUALIFIER_AFTER = re.compile(rf"^(?:以上|左右)?(?:的)?[\u4e00-\u9fff]{{0,6}}?(?:{or_regex(QUALIFIED_NOUNS)})")
_RESULT_AFTER = re.compile(or_regex(COMPLETION_VERBS))
_FINISH = re.compile(
    rf"^(?:力争|确保|争取)?(?:年底前?|年内|今年|\d{{1,2}}月底前?|上半年|年末)(?:全部|基本)?(?:{or_regex(FINISH_VERBS)})"
)
_NOUN_FOLLOWS = re.compile(rf"^(?!{or_regex(CURRENCY_NAMES)})[\u4e00-\u9fff“]")
_MODIFIES_NOUN = re.compile(r"^(?![和及与或以])[“\u4e00-\u9fff]")
_RESPONSE = re.compile(or_regex(RESPONSE_WORDS))
_MONTH_RANGE = re.compile(r"\d\d?\s*[—\-–~～至]\s*\d{1,2}月")  # (\d\d? for \d{1,2}: opens on a class, the scan skips to digits)
_FACILITY = re.compile(rf"^[\u4e00-\u9fff“”]{{0,10}}?(?:{or_regex(FACILITY_NOUNS)})")
_MONEY = ("元", "美元")
_COUNT_BEFORE = re.compile(r"(?<![第\d一二两三四五六七八九十])(?:\d+|[一二两三四五六七八九十]+)(?:个|条|家|项|大)(?:左右|以上|多)?(?:超)?$")
# what any match of _COUNT_BEFORE ends with ($ also matches before a final line break): the
# cheap test before its search, which tries every digit of the window
_COUNT_BEFORE_ENDS = tuple(w + nl for w in ("个", "条", "家", "项", "大", "左右", "以上", "多", "超") for nl in ("", "\n"))


def count_before(before: str) -> re.Match[str] | None:
    """_COUNT_BEFORE.search(before), only where its match could end."""
    return _COUNT_BEFORE.search(before) if before.endswith(_COUNT_BEFORE_ENDS) else None
_CAP = re.compile(rf"({or_regex(POLICY_AMOUNT_WORDS)})[^，。；\d]{{0,6}}$")
_JOINERS = frozenset(LIST_JOINERS)
_SIZE_CLASS_AFTER = re.compile(r"^(?:左右|以上|多)?(?:超|超过)?(?:\d+|[一二三四五六七八九十])?(?:万亿|千亿|百亿|亿)元?级?")
_RESULT_VERB_LATER = re.compile(or_regex(RESULT_VERBS))
_ITEM_VERB_REACH = 16  # characters after the number: the noun it counts, then the work done
VERBS_ANY = re.compile(rf"{or_regex(set(RESULT_VERBS) | set(SCOPE_VERBS) | set(SERVICE_VERBS))}")
_PREFIX_BEFORE = re.compile(rf"(?P<word>{or_regex(PREFIX, not_after=NOT_A_PREFIX_AFTER)})$")


# --- what the number is not -------------------------------------------------------------


def _label(r: Reading) -> str | None:
    if r.q.unit in ("年", "个月") and r.after.startswith(("时间", "的时间")):
        return "时间"  # 将用3年左右时间，…再支持30个左右的城市: how long, not how much
    return label_reason(r.text, r.q.start, r.q.end)


def _programme_name(r: Reading) -> str | None:
    """新一轮千万吨粮食增产计划, 服务业企业倍增计划: a number in a programme's name."""
    if r.before.endswith(PROGRAMME_OPENERS) and _PROGRAMME.match(r.after):
        return r.after[:6]
    if "<doubling>" in r.q.rules and _PROGRAMME.match(r.after):
        return r.after[:4]
    return None


def _label_noun(r: Reading) -> str | None:
    if r.q.unit == "%" and (m := _SHARE_OF_STRUCTURE.search(r.before)):
        return m.group(1)  # 在20项主要指标中占比超1/3: a share of a plan's own parts
    if r.q.unit == "%" and (m := _SHARE_OF_TASKS.search(r.before)):
        return m.group(1)  # 占任务总数的1.6%: a share of a list's tasks
    if r.q.comparator is not Comparator.EQ:
        return None
    # (以培育10个千亿级企业等为牵引 counts work to be done: a verb right before the number)
    means = "以" in r.before and (r.verb is None or not r.before.endswith(r.verb))
    m = _LABEL_NOUN.match(r.after) or (_MEANS_AFTER.match(r.after) if means else None)
    if m:
        return m.group()
    if r.q.unit in ("项", "条", "个") and r.before.endswith(LABEL_NOUNS_BEFORE):
        return r.before[-2:]
    # (the noun may end the clause before: …的指标任务,共计98项)
    if r.q.unit in ("项", "条", "个") and (
        m := _TASKS_COUNTED.search(r.text, max(r.sentence[0], r.q.start - _TASKS_REACH), r.q.start)
    ):
        return m.group(1)  # 不能全部完成的任务有3项: a list's tasks counted by how they stand
    return None


def _vague_size_class(r: Reading) -> str | None:
    if not r.q.size_class or r.text.startswith("规模", r.q.end - 2):
        return None
    if any(w in r.before for w in VAGUE_COUNTS) or not any(v in r.before for v in SIZE_CLASS_VERBS):
        return r.text[r.q.start : r.q.end]
    return None


def _counted_size_class(r: Reading) -> str | None:
    """3个万亿元级产业集群, 4个超5000亿元产业: the count is the target; the size class (or an
    amount right after the count) says what it counts. After
    the things named one by one and counted in words (先进装备制造、石化…以及冶金新材料三个万亿级
    产业基地, 信息技术、…这四大万亿级产业群) the size class is said of named things: the target."""
    m = count_before(r.before)
    if not r.q.size_class and not (m is not None and r.q.unit in _MONEY):
        return None
    if m is None:
        # 建成五百亿级开发区2个: the things, then their count
        counted = _COUNTED_AFTER.match(r.text, r.q.end, r.window[1]) if r.q.size_class else None
        return r.text[r.q.start : r.q.end] if counted else None
    if not m.group()[0].isdigit() and "、" in r.before[: -len(m.group())]:
        return None
    return r.text[r.q.start : r.q.end]


def _policy_cap(r: Reading) -> str | None:
    """最高不超过2000万元, 单个项目最高补助500万元, 每孩每年可以申领3600元: the amount of a rule for
    handing out money, not a target."""
    m = _CAP.search(r.before)
    return m.group(1) if m else None


def _threshold(r: Reading) -> str | None:
    """超50亿元重大项目3个: 50亿元 sizes the projects that the later number counts."""
    q = r.q
    if q.comparator_word in SUFFIX_WORDS and _COUNT_ENDS.search(r.before) and _NOUN_FOLLOWS.match(r.after):
        return r.after[:8]  # 完成超230个50户以上木质房屋连片村寨…: the size of the things counted
    if (
        q.comparator_word in SUFFIX_WORDS and q.unit not in COUNT_UNITS and not r.percent and _NOUN_FOLLOWS.match(r.after)
        and any(o.start > q.end for o in r.others)
    ):
        return r.after[:8]  # 全区100米以上医疗卫生机构…接入率达到100%: the height of the things measured
    if q.size_class or q.unit in COUNT_UNITS or not _QUALIFIER_AFTER.match(r.after) or _share_of_units(r):
        return None
    if q.unit in _MONEY or any(o.start > q.end for o in r.others):
        return r.after[:8]
    return None


def _baseline(r: Reading) -> str | None:
    """从72%提升至76%, 由702个增加到1000个: the value a change starts from."""
    m = _BASELINE_BEFORE.search(r.before)
    if m is None:
        return None
    # 由 also names an agent or a source (由3家企业组成): a baseline only before a change
    return m.group(1) if m.group(1) == "从" or _CHANGE_AFTER.match(r.after) else None


def _bracket(r: Reading) -> str | None:
    # an age range before a noun names a group of people whatever the verb (为0~6岁儿童筛查…)
    ages = r.q.unit == "岁"
    if (
        (r.verb is None or ages) and r.q.comparator is Comparator.RANGE and _NOUN_FOLLOWS.match(r.after)
        and not _RESULT_AFTER.search(r.after)
    ):
        return r.after[:4]
    if r.after.startswith(BRACKET_PART):
        return BRACKET_PART  # 年应纳税所得额不超过100万元部分: the part of an income below a bracket
    return None


def _percent_modifier(r: Reading) -> str | None:
    q, after = r.q, r.after
    if q.unit in ("%", "倍") and after.startswith(PERCENT_MODIFIED_NOUNS):
        return after[:4]  # 给予1:1配套扶持, 50%配套: the rate of a policy
    if _share_of_units(r):
        return None
    if q.unit in ("%", "岁") and not TARGET_AFTER.match(after) and (
        after.startswith("“")
        # 5%以上的幼儿园 qualifies a noun; 赤字率拟按4%左右安排 goes on with a verb
        or (q.comparator_word in SUFFIX_WORDS and _MODIFIES_NOUN.match(after) and not VERBS.match(after))
    ):
        return after[:4]
    return None


def _describes_noun(r: Reading) -> str | None:
    if not r.after.startswith(("的", "以上的", "左右的")) or TARGET_AFTER.match(r.after):
        return None  # 达到60%以上的目标: the number is the goal
    if r.growth is not None and GROWTH_AFTER.match(r.text, r.q.end):
        return None  # 实现年均10%的增速: the rate of growth, named after it
    if r.verb is not None and r.verb not in _SCOPE and r.q.comparator_word in PREFIX_WORDS:
        return None  # 形成年产值达500亿元的集群: a size the result must reach
    if (
        r.verb is not None and r.verb not in _SCOPE and (r.q.unit in COUNT_UNITS or r.q.unit in EXTENT_UNITS)
        and r.q.comparator_word in SUFFIX_WORDS and r.after.startswith("的")
        and not any(r.q.end <= o.start < r.clause[1] for o in r.others)
    ):
        return None  # 将打造1000个左右的多式联运节点: how many things the work makes (no later count)
    if _share_of_units(r):
        return None
    if _PLAN_SIZE_BEFORE.search(r.before) and _SHARE_AFTER.match(r.after):
        return None  # 完成今年目标任务395亿元的57%: the plan's size, the share done of it
    return "的"


def _share_of_units(r: Reading) -> bool:
    """推动60%以上的县级特困供养机构三级达标, 85%的技术需求源于企业: a share of units that will do
    something, not a size that qualifies them (研发投入强度5%以上的企业: a measure before it)."""
    return (
        r.q.unit == "%"
        and not r.before.rstrip().endswith(MEASURE_ENDINGS)
        and _UNITS_THAT_DO.match(r.text, r.q.end, r.clause[1]) is not None
    )


def _descriptor_word(r: Reading) -> str | None:
    if r.q.comparator in (Comparator.GT, Comparator.GE, Comparator.RANGE):
        return None
    if r.percent and r.growth is not None and r.before.endswith(r.growth):
        return None  # 单位建筑面积能耗下降5%: a change of an indicator, which names a measure
    m = _DESCRIPTOR.search(r.text, max(r.window[0], r.q.start - 8), r.q.start)
    if m is None:
        return None
    if m.group() == _OF_WHICH and _part_of_a_planned_total(r, m.start()):
        return None  # 新增…证书4000万人次，其中高级工以上1400万人次: a part of the target
    if r.text.endswith(CAPACITY_VERBS, 0, m.start()):
        return None  # 力争具备年产100发运载火箭…的能力: a capacity to reach
    return m.group()


def _of_which_at(r: Reading) -> int | None:
    """Where 其中 opens the number's clause, or is a clause of its own before it (其中，8000亿元…)."""
    if r.text.startswith(_OF_WHICH, r.clause[0]):
        return r.clause[0]
    at = r.clause[0] - 1 - len(_OF_WHICH)
    if at >= r.sentence[0] and r.text.startswith(_OF_WHICH, at) and r.text[r.clause[0] - 1] in "，,":
        return at
    return None


def _part_of_a_planned_total(r: Reading, at: int) -> bool:
    """其中 after a total the sentence plans (a count done, not a project's size): the part is
    planned too."""
    if r.reason_to_commit() is None:
        return False
    lo = max(r.sentence[0], at - _TOTAL_REACH)
    total = None
    for total in _NUMBER.finditer(r.text, lo, at):
        pass
    return total is not None and _DESCRIPTOR.search(r.text, max(lo, total.start() - 8), total.start()) is None


def _projection(r: Reading) -> str | None:
    return r.cues.last_before("projection", r.q.start)


def _forecast(r: Reading) -> str | None:
    """预计完成投资6万亿元左右 / 交通运输部预测，…流动量将达15.2亿人次: an expectation."""
    cs = r.clause[0]
    word = r.cues.last_before("forecast", r.q.start, since=cs)
    if word:
        return word
    # the clause before ends with a forecaster and its verb (a bare 预计， opens a report's own
    # list of expected values, which GUIDELINES reads as targets)
    word = r.cues.last_before("forecast", cs - 1, since=cs - 2)
    if word is None:
        return None
    start = cs - 1 - len(word)
    return word if start > r.sentence[0] and r.text[start - 1] not in _CLAUSE_BREAKS else None


# (the plan's size may stand between: 完成今年目标任务395亿元的57%; 的 may be left out: 完成年度
# 目标任务78%)
_SHARE_OF_PLAN = (
    rf"(?:{or_regex(PROGRESS_VERBS)})(?P<of>[^，。；,;：:]{{0,12}}?(?:{or_regex(PLAN_NOUNS)}))"
    # the plan's size may be named: 目标任务395亿元的57%, 目标任务7家的114.29%
    r"(?:[0-9.]+(?:万亿|亿|万)?[\u4e00-\u9fff]{0,3}?)?(?:的|比例|比重)?"
)
_PROGRESS_SHARE = re.compile(
    rf"{_SHARE_OF_PLAN}$"
    # 超序时进度2.99个百分点, 快于序时进度: progress measured against the calendar
    r"|(?P<schedule>序时进度)$"
    # 超出计划29.3个百分点, 高于预期目标0.4个百分点: a result's margin over the plan
    rf"|(?:{or_regex(BEYOND_PLAN_WORDS)})(?P<beyond>(?:年度|全年|今年)?[^，。；,;：:\d]{{0,4}}?(?:{or_regex(PLAN_NOUNS)}))$"
)
# the size of the plan a share is told of: 完成今年目标任务395亿元的57% (the target itself)
_PLAN_SIZE_BEFORE = re.compile(rf"(?:{or_regex(PLAN_NOUNS)})$")
_SHARE_AFTER = re.compile(r"的[0-9.]+[%％]")


# …and the amount done that the next clause gives as such a share: 1-4月完成投资96.4亿元，完成年度
# 计划投资的31.7% (a 督查 note's progress, told as a share of the plan)
_PROGRESS_SHARE_NEXT = re.compile(rf"(?:以上|左右)?[，,]{_SHARE_OF_PLAN}[0-9.]+[%％]")


def _progress_amount(r: Reading) -> str | None:
    """完成投资47.7亿元，完成年度计划投资的24.3%: the amount done so far, unless planned or
    committed to in its own clause (确保完成投资100亿元，完成年度计划的…)."""
    if r.percent or r.frame is Frame.PLAN or r.cues.last_before("commitment", r.q.start, since=r.clause[0]):
        return None
    m = _PROGRESS_SHARE_NEXT.match(r.text, r.q.end)
    return m.group("of") if m else None


def _progress_share(r: Reading) -> str | None:
    """完成年度投资计划的21.3%: how much of a plan is done, unless planned (a report's plan part:
    完成基础教育优化布局总任务的70%) or committed to (确保完成全年计划的100%)."""
    if not r.percent or r.frame is Frame.PLAN or r.cues.last_before("commitment", r.q.start) is not None:
        return None
    m = _PROGRESS_SHARE.search(r.before[-24:])
    return (m.group("of") or m.group("schedule") or m.group("beyond")) if m else None


def _fact_marker(r: Reading) -> str | None:
    """A fact marker between the previous quantity (or the clause start) and this one, or
    right after it before the next one: 去年完成…, 已建成4个, 比上年增加1000亿元."""
    text, q = r.text, r.q
    cs = r.window[0]
    after_end = min(r.next_start(), _list_break(text, q.end, r.window[1]))
    if r.before.endswith("了"):
        return "了"  # 投资了1亿多元
    # 截至4月12日，今年…销售额达5029.4亿元: the state at a date, unless that date is to come
    # (a time to come said in its own sentence; one carried from before, as a plan period a
    # statement opened — 预计在“十五五”时期…。⏎全国目前共布局建设83家… — does not outweigh 目前)
    as_of = r.cues.last_before("as of", q.start)
    if as_of and not (
        r.time is not None and r.time.explicit_future(r.doc_date) and r.time.start >= r.sentence[0]
    ):
        return as_of
    # a target says 同比增长6.5%以上 where the plan is (预期目标是，…同比增长7% is one however
    # it is bounded); a statistic 同比增加26天, also inside a plan part
    planned = _framed_as_target(r) or (r.comparator is not Comparator.EQ and r.frame is Frame.PLAN)
    t = r.time
    if t is not None and not t.past and t.due is not None and cs <= t.start < q.start:
        cs = t.end  # 在去年14万亿元的高基数上确定今年目标“5%左右”: the past before this year's time
    m = (
        _past_marker(text, cs, q.start, planned)
        or _MONTH_RANGE.search(text, cs, q.start)
        or _past_marker(text, q.end, after_end, planned)
    )
    if m is not None and m.group() in FIRST_TIME_MARKERS and r.budget_of_the_year():
        return None
    return m.group() if m else None


def _past_marker(text: str, start: int, end: int, planned: bool) -> re.Match[str] | None:
    for m in _PAST.finditer(text, start, end):
        if planned and m.group() in _COMPARISON:
            continue
        if text.endswith(COMMITMENT_WORDS, 0, m.start()):
            continue  # 力争获批…资金同比增长15%以上, 争取入选: what is striven for has not happened
        return m
    return None


def _framed_as_target(r: Reading) -> bool:
    """The sentence frames the number as a target: a list of targets, a commitment or target
    word before it."""
    return (
        r.plan_context
        or r.cues.last_before("commitment", r.q.start) is not None
        or r.cues.last_before("target frame", r.q.start) is not None
    )


def _past_time(r: Reading) -> str | None:
    t = r.time
    return r.text[t.start : t.end] if t is not None and t.past else None


# --- does anything give a reason to read it as a commitment? ----------------------------


_RESTATED_TARGET = re.compile(rf"(?:{or_regex(RESTATED_TARGET_WORDS)})(?:{or_regex(RESTATED_TARGET_LINKS)})?$")


def _restated_list(r: Reading) -> bool:
    """增速目标分别为15%、15%、13%: the later values of a list whose first is a restated target."""
    first = r.others[0]
    if first.start >= r.q.start or r.text.find("、", first.end, r.q.start) < 0:
        return False
    return _RESTATED_TARGET.search(r.text, r.clause[0], first.start) is not None


def _review_section(r: Reading) -> str | None:
    """A review reports what has happened, up to the document's year: a number whose own
    time is a later year (力争到2025年… in a report of 2021) is planned, whatever frame it
    is printed in."""
    if r.frame is not Frame.REVIEW or r.plan_context:
        return None  # 今年…主要预期目标是：… is a plan whatever part it is printed in
    if _RESTATED_TARGET.search(r.before) or (r.others and _restated_list(r)):
        return None  # 二季度社会消费品零售总额目标增速8.2%: the target, restated in the results
    if r.cues.last_before("commitment", r.q.start) == STRIVE:
        # 力争PM2.5浓度下降到33微克/立方米左右: a review narrates, it does not strive (争取,
        # 争创 also tell what was won: 争取增发国债项目383个)
        return None
    t = r.time
    if t is not None and not t.past and t.due is not None and t.due.year > r.doc_date.year:
        return None
    return "review"


def _no_commitment(r: Reading) -> str | None:
    if r.frame is not Frame.OPEN:
        return None
    return None if r.reason_to_commit() else "open"


# --- does it commit to a result, or size ongoing work (soft)? ---------------------------


def _situation(r: Reading) -> str | None:
    """今年高校毕业生达874万人，要… : no verb of the government's own and no commitment, and
    the next clause answers it."""
    if r.verb is not None or r.cues.last_before("commitment", r.q.start):
        return None
    m = _RESPONSE.match(r.text, r.clause[1] + 1, r.sentence[1])
    return m.group() if m else None


def strong(r: Reading) -> bool:
    """A bound, a rate, a size class or a finish date makes a number a checkable result even
    after a verb that otherwise sizes ongoing work. (Asked by the decision rules only, after
    read_attributes has set the comparator and the kind: kept on the reading once known.)"""
    if r.is_strong is None:
        r.is_strong = _strong(r)
    return r.is_strong


def _strong(r: Reading) -> bool:
    return (
        # 推进N个以上 is a count to reach; 谋划1.2万余个 only says how many, roughly
        (r.comparator is not Comparator.EQ and _ROUGHLY not in r.q.rules)
        or r.kind in (Kind.GROWTH, Kind.SHARE)
        or r.q.size_class
        or (r.q.unit in COUNT_UNITS and _finish_follows(r))
    )


def _finish_follows(r: Reading) -> bool:
    """…等3个新能源项目建设，年底建成并网: the next clause commits to finishing by a date."""
    ce = r.clause[1]
    return bool(_FINISH.match(r.text[ce + 1 : min(r.sentence[1], ce + 16)]))


def _facility_size(r: Reading) -> str | None:
    q = r.q
    if q.unit in COUNT_UNITS or q.unit in ("元", "美元", "%", "个百分点"):
        return None
    m = _FACILITY.match(r.after)
    if m is None or _RESULT_AFTER.search(r.after, m.end()):
        return None  # 402万千瓦机组建成投运: the capacity to be put into service
    if TARGET_AFTER.match(r.after, m.end()):
        return None  # 确定建设改造约77万公里城市地下管网的目标: the length is the goal
    if q.unit in EXTENT_UNITS and r.after.startswith(FACILITY_WORK_NOUNS, m.end()):
        return None  # 完成108公里市政管网改造: the extent of the work done on it
    return m.group()


def _enumeration(r: Reading) -> str | None:
    """生物医药、电子信息2个新兴产业 / 空中草原等4个A级景区: the number restates a list."""
    if strong(r) or r.q.unit not in COUNT_UNITS or (r.verb is not None and r.verb not in _SCOPE):
        return None  # 新开工晏城至表白寺等2个项目: a count of work with a result verb
    before, after = r.before, r.after
    if before.endswith("等"):
        return "等"
    if "、" not in before or not _NOUN_FOLLOWS.match(after):
        return None
    last = before[before.rfind("、") + 1 :]
    return "、" if 0 < len(last) <= 8 and VERBS.search(last) is None else None


def _scope_verb(r: Reading) -> str | None:
    if _after_preposition(r):
        return None  # 优化养老服务，为全区23000名老年人提供…: the service governs the count
    return r.verb if not strong(r) and r.verb in _SCOPE else None


def _after_preposition(r: Reading) -> bool:
    """在3000个小区设置…, 为(全州)7万名…妇女免费做宫颈癌筛查: the count of places or people
    acted on."""
    return _PREPOSITION_BEFORE.search(r.before) is not None and VERBS_ANY.search(r.after) is not None


def _bare_number(r: Reading) -> str | None:
    if strong(r) or r.verb is not None or r.frame is not Frame.OPEN or r.plan_context or _after_preposition(r):
        return None
    if r.before.endswith(MEASURE_NOUNS):
        return None  # 城镇失业人员再就业人数2500万人: an indicator and its value, as in a list of targets
    of_which = _of_which_at(r)
    if of_which is not None and _part_of_a_planned_total(r, of_which):
        return None  # …证书4000万人次，其中高级工以上1400万人次: the verb of the total goes on
    if _allocated(r):
        return None  # 其中，8000亿元用于…“两重”项目: money allocated to a use
    if _COUNTED_UNITS_WILL.match(r.text, r.q.end, r.clause[1]):
        return None  # 北京45家社区卫生服务中心今年将新设中医症状门诊: the units that will do it
    if _object_of_work(r):
        return None  # 将对各乡镇老化破损闸门467处进行维修: the things the work is done to
    t = r.time
    if t is not None and t.start >= r.sentence[0] and t.explicit_future(r.doc_date):
        return None  # 到2025年，年接待游客10亿人次，旅游综合收入1万亿元: goals listed under their year
    return ""


def _no_indicator(r: Reading) -> str | None:
    if strong(r) or r.verb is not None or r.before.strip():
        return None
    if _counts_objects_of_work(r):
        return None  # an item of a programme: 27所中小学(幼儿园)校门口安装升降防撞柱
    if _allocated(r):
        return None  # 其中，8000亿元用于…: what it is for says what it is
    return ""


def _object_of_work(r: Reading) -> bool:
    """对…闸门467处进行维修: a count marked as the object (对/为) and the work done to it after."""
    return _OBJECT_BEFORE.search(r.before) is not None and _RESULT_VERB_LATER.search(r.after, 0, _ITEM_VERB_REACH) is not None


def _counts_objects_of_work(r: Reading) -> bool:
    """27所中小学(幼儿园)校门口安装升降防撞柱: in a plan or a programme's list, a count of things
    and, after them, the work done to them."""
    # (a measure too where the clause opens on its object: 对…等3公里河道实施生态综合治理)
    return (
        (r.plan_context or r.frame is Frame.PLAN)
        and (r.q.unit in COUNT_UNITS or _OBJECT_BEFORE.search(r.before) is not None)
        # the verb after a noun (…校门口安装; not 28个改造提升村…: a verb right after the count
        # names what kind of villages they are)
        and _RESULT_VERB_LATER.match(r.after) is None
        and _RESULT_VERB_LATER.search(r.after, 0, _ITEM_VERB_REACH) is not None
    )


def _allocated(r: Reading) -> bool:
    """8000亿元用于…: an amount of money and what it is allocated to (a budget's arrangement)."""
    return r.q.unit == "元" and r.text.startswith(_ALLOCATED, r.q.end)


def _attributive(r: Reading) -> str | None:
    if strong(r) or r.verb is not None or _after_preposition(r) or _COUNTED_UNITS_WILL.match(r.text, r.q.end, r.clause[1]):
        return None
    if _allocated(r):
        return None
    if _NOUN_FOLLOWS.match(r.after) and not _RESULT_AFTER.search(r.after):
        if _counts_objects_of_work(r) or _object_of_work(r):
            return None  # an item of a programme counts what its work is done to (27所…安装…)
        return r.after[:4]
    return None


def _target(r: Reading) -> str | None:
    return r.verb or ""


DECISION_RULES: tuple[Rule, ...] = (
    # what the number is not
    Rule("label", _label, "a label, ordinal, code or version, not an amount: {}"),
    Rule("programme name", _programme_name, "part of a programme's name (新一轮…{})"),
    Rule("label noun", _label_noun, "counts the parts of a programme or a list ({}), not an amount"),
    Rule("counted size class", _counted_size_class, "the size class of things a count counts ({}): the count is the target"),
    Rule("policy cap", _policy_cap, "the amount of a rule for handing out money ({}…), not a target"),
    Rule("size class without commitment", _vague_size_class, "size class {} that nothing commits to reach"),
    Rule("threshold", _threshold, "sizes the things that a later number counts ({}…): a qualifier"),
    Rule("baseline 从N", _baseline, "a starting value (从N提高到M): the baseline, not the target"),
    Rule("bracket", _bracket, "a range or a bound that qualifies a noun ({}…: 2—3岁幼儿, 不超过100万元部分)"),
    Rule("percent modifier", _percent_modifier, "a percentage naming a policy or qualifying a noun ({}…)"),
    Rule("descriptor N的", _describes_noun, "describes a noun (N的…): a descriptor, not a result"),
    Rule("descriptor word", _descriptor_word, "descriptor word {} before the number"),
    Rule("projection", _projection, "projection {}: what it could bring, not a commitment"),
    Rule("forecast", _forecast, "forecast {}: an expectation (soft), not a commitment"),
    Rule("progress share", _progress_share, "a share of {} already done: progress against a target, not a target"),
    Rule("fact marker", _fact_marker, "fact marker {}"),
    Rule("past time", _past_time, "the time it states ({}) is before the document's year: a fact"),
    Rule("progress amount", _progress_amount, "an amount done, told as a share of {}: progress, not a target"),
    # does anything give a reason to read it as a commitment?
    Rule("review section", _review_section, "in the review of past work (facts)"),
    Rule("no commitment", _no_commitment, "nothing makes it a commitment: no plan section, time to come, commitment word or target frame"),
    # does it commit to a result, or size ongoing work (soft)?
    Rule("situation", _situation, "states the situation that the next clause responds to (…，{}…)"),
    Rule("facility size", _facility_size, "the capacity or size of a facility (…{})"),
    Rule("enumeration", _enumeration, "counts the items just listed ({}): a descriptor"),
    Rule("scope verb", _scope_verb, "scope verb {}: sizes ongoing work (soft)"),
    Rule("bare number", _bare_number, "a bare number in running text, with no result verb"),
    Rule("no indicator", _no_indicator, "no indicator before the number"),
    Rule("attributive", _attributive, "a number before a noun ({}…) with no result verb: describes, does not commit"),
    Rule("target", _target, "target", Verdict.ACCEPT),
)


# The rules that reject a number for being a fact of the past or present, not for being no
# amount: the results extractor (results.py) reads what they reject.
FACT_RULES: frozenset[str] = frozenset({"fact marker", "past time", "progress amount", "review section", "no commitment"})


# --- kinds ------------------------------------------------------------------------------


def _growth_rate(r: Reading) -> str | None:
    return r.growth if r.growth and (r.percent or r.q.unit == "倍") else None


def _points(r: Reading) -> str | None:
    return "个百分点" if r.q.unit == "个百分点" else None


def _share(r: Reading) -> str | None:
    return "%" if r.q.unit == "%" else None


def _increment_verb(r: Reading) -> str | None:
    return r.verb if r.verb in _INCREMENT_VERBS else None


def _change_of_amount(r: Reading) -> str | None:
    return r.growth if r.growth and not r.percent else None


def _counted_size_classes(r: Reading) -> str | None:
    """3个万亿元级产业集群, 4个超5000亿: how many such things there are to be (a stock)."""
    m = _SIZE_CLASS_AFTER.match(r.after)
    return m.group() if m and r.q.unit in COUNT_UNITS else None


def _cumulative(r: Reading) -> str | None:
    """累计培育专精特新中小企业达3500家, 累计建成13.5亿亩: a running total is a stock (level),
    not what the period adds."""
    return "累计" if "累计" in r.before and not r.percent else None


def _doubling(r: Reading) -> str | None:
    """翻番, 翻倍, 倍增: a growth of 100 % by definition, whatever words stand around it."""
    return "翻番" if "<doubling>" in r.q.rules else None


KIND_RULES: tuple[KindRule, ...] = (
    KindRule("<number>个<size class>", _counted_size_classes, Kind.LEVEL),
    KindRule("累计<number>", _cumulative, Kind.LEVEL),
    KindRule("<doubling>", _doubling, Kind.GROWTH),
    KindRule("<growth word><rate>", _growth_rate, Kind.GROWTH),
    KindRule("<number>个百分点", _points, Kind.GROWTH),
    KindRule("<indicator><percent>", _share, Kind.SHARE),
    KindRule("<increment verb><number>", _increment_verb, Kind.INCREMENT),
    KindRule("<growth word><amount>", _change_of_amount, Kind.INCREMENT),
)


# --- comparators shared along a list ----------------------------------------------------


def shared_comparator(r: Reading) -> Quantity | None:
    """分别突破30亿元、40亿元 / 15个以上、亿元级项目10个以上: a list shares its comparator."""
    if r.comparator is not Comparator.EQ:
        return None
    # back along the list (分别达25%、40%、20%: the third shares the first's 达 through the second)
    at = r.q.start
    for o in reversed([o for o in r.others if o.end <= r.q.start]):
        if r.text[o.end : at] not in LIST_JOINERS:
            return None
        if o.comparator_word in PREFIX_WORDS:
            return o
        at = o.start
    return None


def comparator_of_rate(r: Reading) -> str | None:
    """至少增长10%, 不低于…增长: a bound written before the growth word binds the rate."""
    if r.comparator is not Comparator.EQ or not r.growth:
        return None
    at = r.before.rfind(r.growth)
    m = _PREFIX_BEFORE.search(r.before, 0, at) if at > 0 else None
    return m.group("word") if m else None


def comparator_after_list(r: Reading) -> Quantity | None:
    """分别增长5%、6.5%左右 / 1280万吨、10亿立方米以上: a bound after the last item of a list
    binds every item."""
    if r.comparator is not Comparator.EQ:
        return None
    prev_end = r.q.end
    for o in r.others:
        if o.start < r.q.end:
            continue
        if r.text[prev_end : o.start] not in _JOINERS:
            return None
        if o.comparator_word in SUFFIX_WORDS:
            return o
        prev_end = o.end
    return None


def changed_from_baseline(r: Reading) -> bool:
    """从75%提高到100% / 由66.8%提升至75%: a value set from a stated baseline is exact."""
    if r.q.comparator_word not in _CHANGE_TO:
        return False
    earlier = [o for o in r.others if o.end <= r.q.start]
    if not earlier:
        return False
    start = earlier[-1].start
    return _BASELINE_BEFORE.search(r.text, max(0, start - 10), start) is not None


def decreasing(r: Reading) -> bool:
    return r.growth in _GROWTH_DOWN


def _list_break(text: str, start: int, end: int) -> int:
    """End of a list item: the next 、 after a number starts another item."""
    i = text.find("、", start, end)
    return end if i < 0 else i
