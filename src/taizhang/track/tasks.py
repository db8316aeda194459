"""Statuses of tasks without numbers, in SQL, beside the targets' (`status.status_select`).

The rule is `taizhang.ledger.tasks.status_of_task` (done → achieved; before its start →
not_yet_due; past its 完成时限 → overdue; a milestone missed → behind; else on_track); a test
holds this query equal to it. The columns are those the league table reads from the targets'
status query (`unit_name, status, latest_value, days_since_report, evidence`), so `rank` can
count tasks and targets together: a task's "report" is its latest accepted submission.
Closed (销号) tasks keep their status (achieved); tasks are never `no_data`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Float, Select, and_, case, cast, exists, func, literal, or_, select

from taizhang.ledger.models import Unit
from taizhang.ledger.office_models import EvidenceFile, Milestone, Submission, Task
from taizhang.track.model import Evidence
from taizhang.track.sqlfuncs import day_number, day_of

ACCEPTED = "accepted"


def task_status_select(as_of: date, *, unit_ids: Sequence[int] | None = None) -> Select[Any]:
    """One row per task: id, unit_id, unit_name, status, latest_value, days_since_report,
    evidence."""
    t, m, s, e = Task.__table__, Milestone.__table__, Submission.__table__, EvidenceFile.__table__
    missed = exists().where(
        m.c.task_id == t.c.id, m.c.due < as_of, or_(m.c.done_on.is_(None), m.c.done_on > as_of)
    )
    status = case(
        (and_(t.c.done_on.is_not(None), t.c.done_on <= as_of), "achieved"),
        (and_(t.c.starts_on.is_not(None), t.c.starts_on > as_of), "not_yet_due"),
        (and_(t.c.deadline.is_not(None), t.c.deadline < as_of), "overdue"),
        (missed, "behind"),
        else_="on_track",
    )
    reports = (
        select(
            s.c.task_id,
            s.c.id.label("sid"),
            day_number(s.c.as_of).label("lday"),
            func.row_number()
            .over(partition_by=s.c.task_id, order_by=(s.c.as_of.desc(), s.c.id.desc()))
            .label("rn"),
        )
        .where(s.c.task_id.is_not(None), s.c.state == ACCEPTED, s.c.as_of <= as_of)
        .subquery("task_reports")
    )
    latest = select(reports).where(reports.c.rn == 1).subquery("latest_task_report")
    with_file = exists().where(e.c.submission_id == latest.c.sid)
    evidence = case(
        (latest.c.sid.is_(None), Evidence.NOT_REPORTED.value),
        (with_file, Evidence.WITH_EVIDENCE.value),
        else_=Evidence.WITHOUT_EVIDENCE.value,
    )
    query = (
        select(
            t.c.id,
            t.c.unit_id,
            func.coalesce(Unit.name, t.c.lead_text).label("unit_name"),
            status.label("status"),
            case((latest.c.sid.is_not(None), literal(1.0, Float))).label("latest_value"),
            (literal(day_of(as_of), Float) - cast(latest.c.lday, Float)).label("days_since_report"),
            evidence.label("evidence"),
        )
        .select_from(
            t.outerjoin(Unit, Unit.id == t.c.unit_id).outerjoin(latest, latest.c.task_id == t.c.id)
        )
        .order_by(t.c.id)
    )
    if unit_ids is not None:
        query = query.where(t.c.unit_id.in_(list(unit_ids)))
    return query
