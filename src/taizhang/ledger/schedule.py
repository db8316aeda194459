"""完成率 / 序时进度 / 状态 for the Excel 台账 and `targets --status`, from the track stage.

The computation is `taizhang.track.status.compute_statuses(session, as_of)` (one set-based
query); this module only turns its results into the three cells the 台账 shows. It imports
track lazily, inside the function, because track itself is built on the ledger's models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

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
    """Status cells per target id on `as_of` (targets track does not follow are absent)."""
    from taizhang.track.status import compute_statuses

    return {s.target_id: _cells(s) for s in compute_statuses(session, as_of)}


def _cells(status: Any) -> ScheduleCells:
    raw = status.status
    return ScheduleCells(
        target_id=int(status.target_id),
        status=str(getattr(raw, "value", raw)),
        progress=None if status.progress is None else float(status.progress),
        expected=None if status.expected is None else float(status.expected),
    )
