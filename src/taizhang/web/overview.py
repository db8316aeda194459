"""Data of the overview page: units × status lights, what falls due soon, league, themes.

Computing this touches every target, so the result is kept for a few seconds per (date, mode)
(`overview_cache_seconds`); every write through this app clears it, so a user sees his own
change at once and other processes' changes within the TTL.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from taizhang.ledger.models import Target, Unit
from taizhang.web import tracking
from taizhang.web.queries import PUBLIC_STATES
from taizhang.web.schemas import LeagueRow
from taizhang.web.themes import themes_of

COLORS = ("red", "yellow", "green", "grey")
DONE = ("achieved",)


@dataclass
class UnitRow:
    id: int | None
    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLORS, 0))
    due30: int = 0
    due90: int = 0
    themes: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class DueItem:
    target_id: int
    unit: str
    indicator: str
    value_text: str
    deadline: date
    status: str
    color: str


@dataclass(frozen=True)
class Overview:
    as_of: date
    units: list[UnitRow]
    totals: dict[str, int]
    due_soon: list[DueItem]
    league: list[LeagueRow]
    computed_at: float


def build(session: Session, as_of: date, *, public: bool) -> Overview:
    status = tracking.statuses(session, as_of, public=public)
    names = dict(session.execute(select(Unit.id, Unit.name)).tuples().all())
    rows: dict[int | None, UnitRow] = {}
    due: list[DueItem] = []
    in30, in90 = as_of + timedelta(days=30), as_of + timedelta(days=90)
    states = PUBLIC_STATES if public else tracking.TRACKED
    q = select(Target.id, Target.unit_id, Target.subject, Target.indicator, Target.value_text,
               Target.deadline).where(Target.review_state.in_(states))
    for tid, unit_id, subject, indicator, value_text, deadline in session.execute(q):
        name = names.get(unit_id) if unit_id is not None else None
        row = rows.get(unit_id)
        if row is None:
            row = rows[unit_id] = UnitRow(unit_id, name or "（未指定单位）")
        s = status.get(tid)
        color = s.color if s else "grey"
        row.counts[color] += 1
        row.themes.update(themes_of(indicator))
        if deadline is not None and as_of <= deadline <= in90 and (not s or s.status not in DONE):
            row.due90 += 1
            if deadline <= in30:
                row.due30 += 1
                due.append(DueItem(tid, name or subject or "—", indicator, value_text, deadline,
                                   s.status if s else "no_data", color))
    totals = dict.fromkeys(COLORS, 0)
    for row in rows.values():
        for c in COLORS:
            totals[c] += row.counts[c]
    units = sorted(rows.values(), key=lambda r: (-r.counts["red"], -r.total, r.name))
    due.sort(key=lambda d: (d.deadline, d.target_id))
    league = tracking.league(session, as_of, public=public, status=status)
    return Overview(as_of, units, totals, due[:50], league, time.monotonic())


class OverviewCache:
    """A tiny TTL cache; `clear()` after every write."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._items: dict[tuple[date, bool], Overview] = {}
        self._building: dict[tuple[date, bool], threading.Lock] = {}

    def get(self, session: Session, as_of: date, *, public: bool) -> Overview:
        key = (as_of, public)
        if self.ttl <= 0:
            return build(session, as_of, public=public)
        hit = self._fresh(key)
        if hit is not None:
            return hit
        # One computation per key at a time: concurrent requests wait for it and reuse it
        # instead of all recomputing the same aggregates (a cache stampede).
        with self._key_lock(key):
            hit = self._fresh(key)
            if hit is not None:
                return hit
            fresh = build(session, as_of, public=public)
            with self._lock:
                self._items[key] = fresh
            return fresh

    def _fresh(self, key: tuple[date, bool]) -> Overview | None:
        with self._lock:
            hit = self._items.get(key)
        if hit is not None and time.monotonic() - hit.computed_at < self.ttl:
            return hit
        return None

    def _key_lock(self, key: tuple[date, bool]) -> threading.Lock:
        with self._lock:
            return self._building.setdefault(key, threading.Lock())

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
