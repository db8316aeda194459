"""One decision per quantity: the rules of `rules.py`, applied in their order.

Every rule that fires is recorded by its fixed name (duckling style) and every rejection
gives a reason, so that `taizhang explain` can show how a sentence was read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from taizhang.extract.lexicon import or_regex
from taizhang.extract.lexicon.time_words import RECURRING_WORDS
from taizhang.extract.reading import Reading
from taizhang.extract.rules import (
    DECISION_RULES,
    KIND_RULES,
    PREFIX_WORDS,
    Verdict,
    comparator_after_list,
    changed_from_baseline,
    comparator_of_rate,
    decreasing,
    shared_comparator,
)
from taizhang.extract.lexicon.comparators import PREFIX
from taizhang.types import Comparator, Kind

_RECURRING = re.compile(or_regex(RECURRING_WORDS))
_QUALIFIER_AFTER = re.compile(r"^(?:以上|左右)?(?:的)?[\u4e00-\u9fff]{0,6}?(?:项目|企业|工程|集群)")


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


def read_attributes(r: Reading) -> None:
    """Comparator shared along a list, then the kind (first kind rule that applies) and the
    sign of a decrease."""
    shared = shared_comparator(r)
    if shared is not None:
        r.comparator = shared.comparator
        r.rules.append("<comparator><number>、<number>")
    bound = comparator_of_rate(r)
    if bound is not None:
        r.comparator = PREFIX[bound]
        r.rules.append("<comparator><growth word><rate>")
    last = comparator_after_list(r)
    if last is not None:
        r.comparator = last.comparator
        r.rules.append("<number>、<number><comparator>")
    if changed_from_baseline(r):
        r.comparator = Comparator.EQ
        r.rules.append("从<number><change verb><number>")
    for rule in KIND_RULES:
        if rule.applies(r) is not None:
            r.kind = rule.kind
            r.rules.append(rule.name)
            break
    if decreasing(r) and (r.kind is Kind.GROWTH or r.kind is Kind.INCREMENT):
        r.value = -r.q.value
        if r.q.value_max is not None:
            r.value, r.value_max = -r.q.value_max, -r.q.value


def decide(r: Reading) -> Decision:
    """The first decisive rule that applies decides."""
    read_attributes(r)
    for rule in DECISION_RULES:
        found = rule.applies(r)
        if found is None:
            continue
        accepted = rule.verdict is Verdict.ACCEPT
        d = Decision(
            accepted,
            rule.reason.format(found) if not accepted else f"target ({r.reason_to_commit() or 'result verb'})",
            r.rules + [rule.name if accepted else f"reject:{rule.name}"],
            kind=r.kind,
            value=r.value,
            value_max=r.value_max,
            comparator=r.comparator,
        )
        if accepted:
            _describe(r, d)
        return d
    raise AssertionError("the last decision rule always applies")  # pragma: no cover


def _describe(r: Reading, d: Decision) -> None:
    text, q = r.text, r.q
    if _RECURRING.search(text, max(r.sentence[0], q.start - 20), q.start):
        d.recurring = "annual"
        d.rules.append("每年<target>")
    d.commitment = r.cues.last_before("commitment", q.start)
    d.qualifier = _qualifier(r)


def _qualifier(r: Reading) -> str | None:
    """新招引超50亿元重大项目3个 → 超50亿元重大项目: the size threshold of what the count counts."""
    text, q = r.text, r.q
    for o in reversed(r.others):
        if o.end > q.start or (o.unit not in ("元", "美元") and not o.size_class):
            continue
        m = _QUALIFIER_AFTER.match(text[o.end : q.start])
        if m:
            start = o.start - len(o.comparator_word or "") if o.comparator_word in PREFIX_WORDS else o.start
            return text[start : o.end + m.end()]
    return None
