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

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

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
    """All aggregates in SQL over track's status query: one GROUP BY for lights and due counts,
    one query for the 50 nearest due targets, one for indicators per unit, and track's rank."""
    in30, in90 = as_of + timedelta(days=30), as_of + timedelta(days=90)
    st = (tracking.status_query(as_of, public=public)
          .add_columns(Target.deadline.label("deadline"), Target.subject.label("subject"),
                       Target.indicator.label("indicator"), Target.value_text.label("value_text"))
          .subquery("st"))
    open_ = st.c.status.not_in(DONE)

    def due_by(day: date) -> ColumnElement[int]:
        return func.sum(case((and_(open_, st.c.deadline >= as_of, st.c.deadline <= day), 1), else_=0))

    names = dict(session.execute(select(Unit.id, Unit.name)).tuples().all())
    rows: dict[int | None, UnitRow] = {}

    def row_of(unit_id: int | None) -> UnitRow:
        if unit_id not in rows:
            rows[unit_id] = UnitRow(unit_id, names.get(unit_id, "（未指定单位）") if unit_id else "（未指定单位）")
        return rows[unit_id]

    agg = select(st.c.unit_id, st.c.status, func.count(), due_by(in30), due_by(in90)).group_by(
        st.c.unit_id, st.c.status)
    for unit_id, status, n, d30, d90 in session.execute(agg):
        row = row_of(unit_id)
        row.counts[tracking.LIGHTS[status]] += n
        row.due30 += int(d30 or 0)
        row.due90 += int(d90 or 0)
    soon = (select(st.c.id, st.c.unit_id, st.c.subject, st.c.indicator, st.c.value_text,
                   st.c.deadline, st.c.status)
            .where(open_, st.c.deadline >= as_of, st.c.deadline <= in30)
            .order_by(st.c.deadline, st.c.id).limit(50))
    due = [DueItem(tid, names.get(unit_id) or subject or "—", indicator, value_text, deadline,
                   status, tracking.LIGHTS[status])
           for tid, unit_id, subject, indicator, value_text, deadline, status in session.execute(soon)]
    states = PUBLIC_STATES if public else tracking.TRACKED
    indicators = (select(Target.unit_id, Target.indicator, func.count())
                  .where(Target.review_state.in_(states))
                  .group_by(Target.unit_id, Target.indicator))
    for unit_id, indicator, n in session.execute(indicators):
        if unit_id in rows:
            for theme in themes_of(indicator):
                rows[unit_id].themes[theme] += n
    totals = dict.fromkeys(COLORS, 0)
    for row in rows.values():
        for c in COLORS:
            totals[c] += row.counts[c]
    units = sorted(rows.values(), key=lambda r: (-r.counts["red"], -r.total, r.name))
    league = tracking.league(session, as_of, public=public)
    return Overview(as_of, units, totals, due, league, time.monotonic())


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
