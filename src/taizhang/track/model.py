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
from typing import Any, NamedTuple


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
    """Which rule judges a target (see the README, section Tracking); `label` says it in Chinese.

    The three timed modes compare 完成率 with 序时进度 and differ only in where the way starts.
    """

    SCHEDULE = "schedule"  # increments (新增…): the amount reached against 序时进度
    PATH = "path"  # a baseline is known: the straight path from the baseline to the target
    STOCK = "stock"  # levels without a baseline: 完成率 (latest ÷ target) against 序时进度
    RATE = "rate"  # growth rates, shares: latest vs target directly; on track until the deadline
    BOUND = "bound"  # le/lt and caps: kept by staying within

    @property
    def label(self) -> str:
        return _MODE_LABELS[self]

    @property
    def timed(self) -> bool:
        """Judged against the elapsed share of the period (序时进度)."""
        return self in (Mode.SCHEDULE, Mode.PATH, Mode.STOCK)


_MODE_LABELS = {
    Mode.SCHEDULE: "增量指标：完成率对照序时进度",
    Mode.PATH: "有基数的指标：对照从基数到目标值的直线进度",
    Mode.STOCK: "总量指标（无基数）：完成率（最新值÷目标值）对照序时进度",
    Mode.RATE: "增速、比率指标：最新值直接对照目标值，到期前达到为序时推进",
    Mode.BOUND: "约束性上限：不超过上限为正常，到期时为已完成",
}


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


class TargetStatus(NamedTuple):
    """The status of one target on one date, on separate axes, with the rules version.

    A named tuple, not a frozen dataclass: a million of them are built for a whole ledger, and
    a frozen dataclass costs six times as much to construct.
    """

    target_id: int
    as_of: date
    status: Status
    mode: Mode
    progress: float | None  # 完成率: share of the way (timed modes), latest/target (rate, bound)
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
    unit_id: int | None = None
    deadline: date | None = None  # the target's own (period_end is the year's for a yearly one)

    @property
    def reported(self) -> bool:
        return self.latest_as_of is not None

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
