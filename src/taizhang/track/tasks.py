"""Statuses of tasks without numbers, for the league table beside the targets' statuses.

The rule is `taizhang.ledger.tasks.task_status` (done → achieved; before its start →
not_yet_due; past its 完成时限 → overdue; a milestone missed → behind; else on_track). One query
reads, per task, the facts it needs (dates, whether a 节点 was missed by the date, the latest
accepted submission and whether it has files); the rule is applied in Python, as
`status.iter_statuses` applies `oracle.Judge` to the targets. A `TaskStatus` has the fields the
league table (`rank.rank_statuses`) reads from a `TargetStatus`: a task's "report" is its
latest accepted submission. Closed (销号) tasks keep their status (achieved); tasks are never
`no_data`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import NamedTuple

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from taizhang.ledger.models import Unit
from taizhang.ledger.office_models import EvidenceFile, Milestone, Submission, SubmissionState, Task
from taizhang.ledger.tasks import task_status
from taizhang.track.model import Evidence, Status


class TaskStatus(NamedTuple):
    """The status of one task on one date, with what the league table counts."""

    task_id: int
    as_of: date
    status: Status
    unit_id: int | None
    unit_name: str | None
    latest_as_of: date | None  # its latest accepted submission up to the date
    days_since_report: int | None
    evidence: Evidence


def iter_task_statuses(session: Session, as_of: date, *,
                       unit_ids: Sequence[int] | None = None) -> Iterator[TaskStatus]:
    """The status of every task (led by one of `unit_ids`, if given) on `as_of`, in id order."""
    t, m, s, e = Task.__table__, Milestone.__table__, Submission.__table__, EvidenceFile.__table__
    missed = exists().where(
        m.c.task_id == t.c.id, m.c.due < as_of, or_(m.c.done_on.is_(None), m.c.done_on > as_of)
    )
    ranked = (
        select(
            s.c.task_id,
            s.c.id.label("sid"),
            s.c.as_of,
            func.row_number()
            .over(partition_by=s.c.task_id, order_by=(s.c.as_of.desc(), s.c.id.desc()))
            .label("rn"),
        )
        .where(s.c.task_id.is_not(None), s.c.state == SubmissionState.ACCEPTED.value,
               s.c.as_of <= as_of)
        .subquery("task_reports")
    )
    latest = select(ranked).where(ranked.c.rn == 1).subquery("latest_task_report")
    query = (
        select(
            t.c.id, t.c.unit_id, func.coalesce(Unit.name, t.c.lead_text), t.c.done_on,
            t.c.starts_on, t.c.deadline, missed, latest.c.as_of,
            exists().where(e.c.submission_id == latest.c.sid),
        )
        .select_from(
            t.outerjoin(Unit, Unit.id == t.c.unit_id).outerjoin(latest, latest.c.task_id == t.c.id)
        )
        .order_by(t.c.id)
    )
    if unit_ids is not None:
        query = query.where(t.c.unit_id.in_(list(unit_ids)))
    for tid, unit_id, name, done_on, starts_on, deadline, was_missed, reported, with_file \
            in session.execute(query):
        status = task_status(as_of, done_on=done_on, starts_on=starts_on, deadline=deadline,
                             milestone_missed=bool(was_missed))
        if reported is None:
            evidence, age = Evidence.NOT_REPORTED, None
        else:
            evidence = Evidence.WITH_EVIDENCE if with_file else Evidence.WITHOUT_EVIDENCE
            age = (as_of - reported).days
        yield TaskStatus(tid, as_of, Status(status), unit_id, name, reported, age, evidence)
