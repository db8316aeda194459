"""League table of responsible units (排名): a documented, configurable accountability index.

Per unit, over its tracked targets on `as_of` (targets whose period has not started are left
out of every share; "no data" is never scored as failure, it lowers reporting instead):

    completion  = mean status score of targets with a judged status   (rank.status_score)
    reporting   = targets with a report / targets due to report
    timeliness  = targets with a report at most freshness.stale_after_days old / targets due
    evidence    = reported targets whose latest report has evidence / reported targets
    index       = 100 × Σ wᵢ·componentᵢ / Σ wᵢ   over the components defined for the unit

Tasks without numbers (`track.tasks`) count beside the targets, each under its 牵头单位; a
task's report is its latest accepted submission. The statuses are computed once
(track/status.py, streamed) and counted per unit in one pass; ranks are shared by ties (SQL's
RANK()).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from taizhang.track.model import Evidence, Status, TargetStatus
from taizhang.track.rules import RANK_COMPONENTS, Rules, load_rules
from taizhang.track.status import iter_statuses, unit_subtree
from taizhang.track.tasks import TaskStatus, iter_task_statuses

COUNTED = tuple(s.value for s in Status)


@dataclass(frozen=True, slots=True)
class UnitRank:
    """One row of the league table."""

    rank: int | None  # None when nothing of the unit is due yet
    unit: str | None
    index: float | None
    completion: float | None
    timeliness: float | None
    reporting: float | None
    evidence: float | None
    targets: int
    due: int
    reported: int
    unreported: int  # due targets without any report: who has not reported
    counts: dict[str, int]  # targets per status
    as_of: date
    rules_version: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.unit,
            "rank": self.rank,
            "unit": self.unit,
            "index": self.index,
            "completion": self.completion,
            "timeliness": self.timeliness,
            "reporting": self.reporting,
            "evidence": self.evidence,
            "targets": self.targets,
            "due": self.due,
            "reported": self.reported,
            "unreported": self.unreported,
            **self.counts,
            "as_of": self.as_of.isoformat(),
            "rules_version": self.rules_version,
        }


def rank(
    session: Session, as_of: date, *, rules: Rules | None = None, unit: str | None = None,
    include_tasks: bool = True,
) -> list[UnitRank]:
    """The league table on `as_of`, best unit first (units with nothing due last); `unit`
    limits it to that unit and the units below it. Tasks without numbers count beside the
    targets unless `include_tasks` is false."""
    rules = rules or load_rules()
    unit_ids = unit_subtree(session, unit)
    statuses: Iterable[TargetStatus | TaskStatus] = iter_statuses(
        session, as_of, rules=rules, unit_ids=unit_ids)
    if include_tasks:
        statuses = itertools.chain(statuses, iter_task_statuses(session, as_of, unit_ids=unit_ids))
    return rank_statuses(statuses, as_of, rules)


@dataclass(slots=True)
class _Tally:
    targets: int = 0
    due: int = 0
    reported: int = 0
    fresh: int = 0
    with_evidence: int = 0
    score: float = 0.0
    scored: int = 0
    counts: dict[Status, int] = field(default_factory=lambda: dict.fromkeys(Status, 0))


def rank_statuses(statuses: Iterable[TargetStatus | TaskStatus], as_of: date,
                  rules: Rules) -> list[UnitRank]:
    """The league table of already computed statuses (one pass; see the module docstring)."""
    scores = {Status(name): value for name, value in rules.status_score}
    stale_after = rules.stale_after_days
    tallies: dict[str | None, _Tally] = {}
    # the members as locals: `Status.NOT_YET_DUE` is a lookup through the enum's class (about
    # 0.1 µs on Python 3.11), twice per target of a million
    not_yet_due, with_evidence = Status.NOT_YET_DUE, Evidence.WITH_EVIDENCE
    for s in statuses:
        tally = tallies.get(s.unit_name)
        if tally is None:
            tally = tallies[s.unit_name] = _Tally()
        tally.targets += 1
        status = s.status
        tally.counts[status] += 1
        if status is not_yet_due:
            continue
        tally.due += 1
        score = scores.get(status)
        if score is not None:
            tally.score += score
            tally.scored += 1
        if s.latest_as_of is not None:
            tally.reported += 1
            if s.days_since_report is not None and s.days_since_report <= stale_after:
                tally.fresh += 1
            if s.evidence is with_evidence:
                tally.with_evidence += 1
    rows = [_row(name, tally, as_of, rules) for name, tally in tallies.items()]
    rows.sort(key=lambda r: (r.index is None, -(r.index or 0.0), r.unit is None, r.unit or ""))
    ranked: list[UnitRank] = []
    for position, row in enumerate(rows):
        if row.index is not None:
            tied = ranked and ranked[-1].index == row.index
            place = ranked[-1].rank if tied else position + 1
            row = replace(row, rank=place)
        ranked.append(row)
    return ranked


def _ratio(numerator: float, denominator: int) -> float | None:
    return numerator / denominator if denominator > 0 else None


def _row(name: str | None, t: _Tally, as_of: date, rules: Rules) -> UnitRank:
    parts = {
        "completion": _ratio(t.score, t.scored),
        "timeliness": _ratio(t.fresh, t.due),
        "reporting": _ratio(t.reported, t.due),
        "evidence": _ratio(t.with_evidence, t.reported),
    }
    weights = sum(rules.weight(c) for c in RANK_COMPONENTS if parts[c] is not None)
    weighted = sum(rules.weight(c) * v for c in RANK_COMPONENTS if (v := parts[c]) is not None)
    index = 100.0 * weighted / weights if weights > 0 else None
    return UnitRank(
        rank=None, unit=name, index=index, completion=parts["completion"],
        timeliness=parts["timeliness"], reporting=parts["reporting"], evidence=parts["evidence"],
        targets=t.targets, due=t.due, reported=t.reported, unreported=t.due - t.reported,
        counts={s.value: n for s, n in t.counts.items()}, as_of=as_of,
        rules_version=rules.version,
    )
