"""Typed inputs and outputs of tracking: what one target's status is computed from and what it says.

The axes are kept apart on purpose: `status` (the schedule, 红黄绿灯), `progress` and `expected`
(完成率 and 序时进度), `evidence` (佐证材料) and freshness (`days_since_report`, `stale`). A target
without data is `no_data` and one whose period has not started is `not_yet_due`; neither is ever
a failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    SERIOUSLY_BEHIND = "seriously_behind"
    OVERDUE = "overdue"
    NO_DATA = "no_data"
    NOT_YET_DUE = "not_yet_due"

    @property
    def light(self) -> str:
        """红黄绿灯 colour; grey for the two statuses that are not a judgement."""
        return _LIGHTS[self]


_LIGHTS = {
    Status.ACHIEVED: "green",
    Status.ON_TRACK: "green",
    Status.BEHIND: "yellow",
    Status.SERIOUSLY_BEHIND: "red",
    Status.OVERDUE: "red",
    Status.NO_DATA: "grey",
    Status.NOT_YET_DUE: "grey",
}


class Mode(StrEnum):
    """How a target is compared (see the README, section Tracking)."""

    SCHEDULE = "schedule"  # increments, levels with a baseline: scaled by elapsed time (序时进度)
    LEVEL = "level"  # growth rates, shares, levels without baseline: latest vs target directly
    BOUND = "bound"  # le/lt and caps: kept by staying within


class Evidence(StrEnum):
    WITH_EVIDENCE = "with_evidence"
    WITHOUT_EVIDENCE = "without_evidence"
    NOT_REPORTED = "not_reported"


@dataclass(frozen=True, slots=True)
class TargetFacts:
    """The fields of one ledger target that its status depends on."""

    id: int
    value: float
    comparator: str  # gt ge le lt approx eq range
    kind: str  # level increment growth share
    value_max: float | None = None
    deadline: date | None = None
    recurring: str | None = None  # "annual" or None
    baseline: float | None = None
    baseline_date: date | None = None  # when the baseline was measured: start of its path
    doc_date: date | None = None
    indicator: str = ""
    unit: str = ""  # measurement unit (%, 个百分点, 家…)


@dataclass(frozen=True, slots=True)
class Report:
    """One progress report; `id` breaks ties between reports of the same date (later wins)."""

    id: int
    as_of: date
    value: float
    evidence: str | None = None


@dataclass(frozen=True, slots=True)
class TargetStatus:
    """The status of one target on one date, on separate axes, with the rules version."""

    target_id: int
    as_of: date
    status: Status
    mode: Mode
    progress: float | None  # actual share (schedule), latest/target (level, bound)
    expected: float | None  # elapsed share of the period (序时进度)
    latest_value: float | None
    latest_as_of: date | None
    evidence: Evidence
    days_since_report: int | None
    stale: bool
    period_start: date | None
    period_end: date | None
    rules_version: str
    unit_name: str | None = None
    indicator: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Stable machine form: `id` first, dates ISO, enums as their values."""
        return {
            "id": self.target_id,
            "unit": self.unit_name,
            "indicator": self.indicator,
            "as_of": self.as_of.isoformat(),
            "status": self.status.value,
            "light": self.status.light,
            "mode": self.mode.value,
            "progress": self.progress,
            "expected": self.expected,
            "latest_value": self.latest_value,
            "latest_as_of": _iso(self.latest_as_of),
            "evidence": self.evidence.value,
            "days_since_report": self.days_since_report,
            "stale": self.stale,
            "period_start": _iso(self.period_start),
            "period_end": _iso(self.period_end),
            "rules_version": self.rules_version,
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
