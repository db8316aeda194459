"""完成率 / 序时进度 / 状态 for the Excel 台账, from `taizhang.track` when it is installed.

`taizhang.track.status.compute_statuses(session, as_of)` is the real computation (the track
stage). Until that module exists in the tree, `fallback_statuses` -- a deliberately small,
documented stand-in -- fills the three columns so the export works on its own; the lead
removes it once track lands. Both give objects with `target_id`, `status`, `progress`,
`expected`, and a light (green / yellow / red / grey).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from taizhang.ledger.models import Document, ReviewState, Target
from taizhang.ledger.repository import latest_progress

LIGHTS = {
    "achieved": "green",
    "on_track": "green",
    "behind": "yellow",
    "seriously_behind": "red",
    "overdue": "red",
    "no_data": "grey",
    "not_yet_due": "grey",
}


@dataclass(frozen=True, slots=True)
class ScheduleCells:
    target_id: int
    status: str  # one of LIGHTS
    progress: float | None  # 完成率: actual share of the target reached
    expected: float | None  # 序时进度: elapsed share of the period

    @property
    def light(self) -> str:
        return LIGHTS.get(self.status, "grey")


def schedule_cells(session: Session, as_of: date) -> dict[int, ScheduleCells]:
    """Status cells per target id, from track if available, else from `fallback_statuses`."""
    try:
        track = importlib.import_module("taizhang.track.status")
    except ModuleNotFoundError as err:
        if err.name not in ("taizhang.track.status", "taizhang.track"):
            raise
        return {c.target_id: c for c in fallback_statuses(session, as_of)}
    statuses = track.compute_statuses(session, as_of)
    items = statuses.values() if isinstance(statuses, dict) else statuses
    return {s.target_id: _cells(s) for s in items}


def _cells(status: Any) -> ScheduleCells:
    raw = getattr(status, "status", "no_data")
    return ScheduleCells(
        target_id=int(status.target_id),
        status=str(getattr(raw, "value", raw)),
        progress=_float(getattr(status, "progress", None)),
        expected=_float(getattr(status, "expected", None)),
    )


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def fallback_statuses(session: Session, as_of: date) -> list[ScheduleCells]:
    """A minimal 序时进度 rule: expected = elapsed share of [document date, deadline];
    progress = latest / target (for ≤ bounds: 1 while within); behind below expected − 0.1,
    seriously behind below half of expected; overdue when the deadline passed unachieved."""
    rows = session.execute(
        select(Target, Document.date)
        .join(Document, Document.id == Target.document_id)
        .where(Target.review_state != ReviewState.REJECTED.value)
    ).all()
    latest = latest_progress(session)
    cells = []
    for target, start in rows:
        report = latest.get(target.id)
        expected = _elapsed(start, target.deadline, as_of)
        if report is None:
            cells.append(ScheduleCells(target.id, "no_data", None, expected))
            continue
        progress = _progress(target, report.value)
        cells.append(
            ScheduleCells(target.id, _status(progress, expected, target, as_of), progress, expected)
        )
    return cells


def _elapsed(start: date | None, end: date | None, as_of: date) -> float | None:
    if start is None or end is None or end <= start:
        return None
    share = (as_of - start).days / (end - start).days
    return min(1.0, max(0.0, share))


def _progress(target: Target, value: Decimal) -> float | None:
    if target.comparator in ("le", "lt"):
        return 1.0 if value <= target.value else float(target.value / value) if value else None
    if target.value == 0:
        return None
    return float(value / target.value)


def _status(progress: float | None, expected: float | None, target: Target, as_of: date) -> str:
    if progress is None:
        return "no_data"
    if progress >= 1:
        return "achieved"
    if target.deadline is not None and target.deadline < as_of:
        return "overdue"
    if expected is None or progress >= expected - 0.1:
        return "on_track"
    return "seriously_behind" if progress < expected / 2 else "behind"
