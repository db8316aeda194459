"""Adapter from the tracking stage (`taizhang.track`) to the web's API shapes.

The web never computes a status itself when `taizhang.track` provides one; the fallback below
is a plain 序时进度 rule used only while that stage is absent, and it says so in
`rules_version` ("web-fallback").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from taizhang.ledger.models import Document, ProgressReport, ReviewState, Target, Unit
from taizhang.web.schemas import ConflictPublic, LeagueRow, StatusPublic


@dataclass(frozen=True, slots=True)
class Status:
    """One target's status (the API's `StatusPublic` has the same fields).

    A plain dataclass: the overview builds 100,000 of them per computation, and pydantic
    models cost more to construct than the status costs to compute.
    """

    target_id: int
    unit_id: int | None
    status: str
    color: str
    expected_share: float | None = None
    actual_share: float | None = None
    latest_value: float | None = None
    latest_as_of: date | None = None
    rules_version: str | None = None

    def public(self) -> StatusPublic:
        return StatusPublic.model_validate(self, from_attributes=True)


LIGHTS = {"achieved": "green", "on_track": "green", "behind": "yellow",
          "seriously_behind": "red", "overdue": "red", "no_data": "grey", "not_yet_due": "grey"}
TRACKED = (ReviewState.UNREVIEWED.value, ReviewState.CONFIRMED.value, ReviewState.EDITED.value)


def statuses(session: Session, as_of: date, *, public: bool = False,
             target_ids: Collection[int] | None = None) -> dict[int, Status]:
    """Status of every tracked target on `as_of` (rejected targets are not tracked)."""
    states = ("confirmed", "edited") if public else TRACKED
    latest_q = select(ProgressReport.target_id, func.max(ProgressReport.as_of).label("d")).where(
        ProgressReport.as_of <= as_of)
    if target_ids is not None:
        latest_q = latest_q.where(ProgressReport.target_id.in_(list(target_ids)))
    latest = latest_q.group_by(ProgressReport.target_id).subquery()
    q = (
        select(Target.id, Target.unit_id, Target.value, Target.comparator, Target.deadline,
               func.coalesce(Document.date, func.date(Target.created_at)), ProgressReport.value, ProgressReport.as_of)
        .join(Document, Document.id == Target.document_id)
        .where(Target.review_state.in_(states))
        .outerjoin(latest, latest.c.target_id == Target.id)
        .outerjoin(ProgressReport, (ProgressReport.target_id == Target.id)
                   & (ProgressReport.as_of == latest.c.d))
    )
    if target_ids is not None:
        q = q.where(Target.id.in_(list(target_ids)))
    rows = session.execute(q)
    out: dict[int, Status] = {}
    for tid, unit_id, value, comparator, deadline, stated, reported, reported_on in rows:
        start = stated if isinstance(stated, date) else date.fromisoformat(str(stated)[:10])
        out[tid] = _fallback(tid, unit_id, float(value), comparator, deadline,
                             start, reported, reported_on, as_of)
    return out


def _fallback(tid: int, unit_id: int | None, value: float, comparator: str,
              deadline: date | None, start: date, reported: object, reported_on: date | None,
              as_of: date) -> Status:
    expected = None
    if deadline is not None:
        begin = date(deadline.year, 1, 1) if deadline.year == start.year else start
        span = (deadline - begin).days or 1
        expected = min(1.0, max(0.0, (as_of - begin).days / span))
    if reported is None:
        status = "no_data"
        return Status(
            target_id=tid, unit_id=unit_id, status=status, color="grey", expected_share=expected,
            actual_share=None, latest_value=None, latest_as_of=None, rules_version="web-fallback")
    latest = float(reported)  # type: ignore[arg-type]
    lower_better = comparator in ("le", "lt")
    share = (value / latest if latest else 1.0) if lower_better else (latest / value if value else 1.0)
    if share >= 1:
        status = "achieved"
    elif deadline is not None and as_of > deadline:
        status = "overdue"
    elif expected is None or share >= expected:
        status = "on_track"
    elif expected - share <= 0.2:
        status = "behind"
    else:
        status = "seriously_behind"
    return Status(
        target_id=tid, unit_id=unit_id, status=status, color=LIGHTS[status],
        expected_share=expected, actual_share=share, latest_value=latest,
        latest_as_of=reported_on, rules_version="web-fallback")


def league(session: Session, as_of: date, *, public: bool = False,
           status: dict[int, Status] | None = None) -> list[LeagueRow]:
    """Units ranked by the accountability index; pass `status` to reuse computed statuses."""
    scores = {"achieved": 1.0, "on_track": 1.0, "behind": 0.5, "seriously_behind": 0.2, "overdue": 0.0}
    by_unit: dict[int | None, list[Status]] = defaultdict(list)
    if status is None:
        status = statuses(session, as_of, public=public)
    for s in status.values():
        by_unit[s.unit_id].append(s)
    names = dict(session.execute(select(Unit.id, Unit.name)).tuples().all())
    rows = []
    for unit_id, items in by_unit.items():
        judged = [scores[s.status] for s in items if s.status in scores]
        reported = sum(1 for s in items if s.status != "no_data")
        completion = sum(judged) / len(judged) if judged else None
        reporting = reported / len(items)
        parts = [x for x in (completion, reporting) if x is not None]
        score = round(100 * sum(parts) / len(parts), 1) if parts else None
        rows.append((unit_id, names.get(unit_id, "（未指定）") if unit_id else "（未指定）", score,
                     len(items), {"completion": completion, "reporting": reporting}))
    rows.sort(key=lambda r: (r[2] is None, -(r[2] or 0), r[1]))
    return [LeagueRow(rank=i + 1, unit_id=u, unit=n, score=s, targets=c, components=comp)
            for i, (u, n, s, c, comp) in enumerate(rows)]


def conflicts(session: Session, *, public: bool = False) -> list[ConflictPublic]:
    states = ("confirmed", "edited") if public else TRACKED
    groups: dict[tuple[int | None, str], list[Target]] = defaultdict(list)
    for t in session.scalars(select(Target).where(Target.review_state.in_(states))):
        groups[(t.unit_id, t.indicator_key)].append(t)
    out = []
    for items in groups.values():
        values = {(float(t.value), t.deadline) for t in items}
        if len(items) > 1 and len(values) > 1:
            out.append(ConflictPublic(kind="value", unit=items[0].subject,
                                      indicator=items[0].indicator,
                                      target_ids=[t.id for t in items],
                                      detail="; ".join(f"{t.value}{t.unit}" for t in items)))
    return out
