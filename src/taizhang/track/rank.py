"""League table of responsible units (排名): a documented, configurable accountability index.

Per unit, over its tracked targets on `as_of` (targets whose period has not started are left
out of every share; "no data" is never scored as failure, it lowers reporting instead):

    completion  = mean status score of targets with a judged status   (rank.status_score)
    reporting   = targets with a report / targets due to report
    timeliness  = targets with a report at most freshness.stale_after_days old / targets due
    evidence    = reported targets whose latest report has evidence / reported targets
    index       = 100 × Σ wᵢ·componentᵢ / Σ wᵢ   over the components defined for the unit

One GROUP BY over the status query (track/status.py) and one RANK() window: no Python loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Float, case, cast, func, literal, null, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from taizhang.track.model import Evidence, Status
from taizhang.track.rules import RANK_COMPONENTS, Rules, load_rules
from taizhang.track.status import status_select, unit_subtree
from taizhang.track.tasks import task_status_select

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


def _ratio(numerator: ColumnElement[Any], denominator: ColumnElement[Any]) -> ColumnElement[Any]:
    return case(
        (denominator > 0, cast(numerator, Float) / cast(denominator, Float)), else_=null()
    )


def rank(
    session: Session, as_of: date, *, rules: Rules | None = None, unit: str | None = None,
    include_tasks: bool = True,
) -> list[UnitRank]:
    """The league table on `as_of`, best unit first (units with nothing due last); `unit`
    limits it to that unit and the units below it. Tasks without numbers count beside the
    targets (their statuses: `track.tasks`), each under its 牵头单位."""
    rules = rules or load_rules()
    unit_ids = unit_subtree(session, unit)
    targets = status_select(as_of, rules, unit_ids=unit_ids).order_by(None).subquery("targets")
    columns = ("unit_name", "status", "latest_value", "days_since_report", "evidence")
    parts = [select(*(targets.c[name] for name in columns))]
    if include_tasks:
        tasks = task_status_select(as_of, unit_ids=unit_ids).order_by(None).subquery("tasks")
        parts.append(select(*(tasks.c[name] for name in columns)))
    s = union_all(*parts).subquery("statuses")

    def count_if(condition: ColumnElement[bool]) -> ColumnElement[Any]:
        return func.sum(case((condition, 1), else_=0))

    due_now = s.c.status != Status.NOT_YET_DUE.value
    reported_now = s.c.latest_value.is_not(None) & due_now
    score = case(
        *((s.c.status == name, literal(value, Float)) for name, value in rules.status_score),
        else_=null(),
    )
    per_unit = (
        select(
            s.c.unit_name.label("unit"),
            func.count().label("targets"),
            count_if(due_now).label("due"),
            count_if(reported_now).label("reported"),
            func.avg(score).label("completion"),
            _ratio(count_if(reported_now), count_if(due_now)).label("reporting"),
            _ratio(
                count_if(reported_now & (s.c.days_since_report <= rules.stale_after_days)),
                count_if(due_now),
            ).label("timeliness"),
            _ratio(
                count_if(reported_now & (s.c.evidence == Evidence.WITH_EVIDENCE.value)),
                count_if(reported_now),
            ).label("evidence"),
            *(count_if(s.c.status == name).label(f"n_{name}") for name in COUNTED),
        )
        .group_by(s.c.unit_name)
        .subquery("per_unit")
    )
    u = per_unit.c
    weighted = sum(
        (func.coalesce(u[c] * rules.weight(c), 0.0) for c in RANK_COMPONENTS), literal(0.0, Float)
    )
    weights = sum(
        (case((u[c].is_not(None), rules.weight(c)), else_=0.0) for c in RANK_COMPONENTS),
        literal(0.0, Float),
    )
    index = case((weights > 0, 100.0 * weighted / weights), else_=null())
    scored = select(*u, index.label("idx")).subquery("scored")  # Row.index is a method
    ordering = (scored.c.idx.desc().nulls_last(), scored.c.unit)
    query = select(
        scored,
        case(
            (scored.c.idx.is_not(None), func.rank().over(order_by=ordering[0])),
            else_=null(),
        ).label("rank"),
    ).order_by(*ordering)
    return [
        UnitRank(
            rank=row.rank,
            unit=row.unit,
            index=row.idx,
            completion=row.completion,
            timeliness=row.timeliness,
            reporting=row.reporting,
            evidence=row.evidence,
            targets=row.targets,
            due=row.due,
            reported=row.reported,
            unreported=row.due - row.reported,
            counts={name: getattr(row, f"n_{name}") for name in COUNTED},
            as_of=as_of,
            rules_version=rules.version,
        )
        for row in session.execute(query)
    ]
