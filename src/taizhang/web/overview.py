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

from sqlalchemy import and_, case, func, literal, null, select, union_all
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
    # One statement over one status computation (a CTE used twice, so PostgreSQL materialises
    # it): the per-unit GROUP BY, and the 50 nearest open targets due within 30 days.
    st = (tracking.status_query(as_of, public=public)
          .add_columns(Target.deadline.label("deadline")).cte("st"))
    open_ = st.c.status.not_in(DONE)
    soon_where = and_(open_, st.c.deadline >= as_of, st.c.deadline <= in30)

    def due_by(day: date) -> ColumnElement[int]:
        return func.sum(case((and_(open_, st.c.deadline >= as_of, st.c.deadline <= day), 1), else_=0))

    agg = select(literal("agg").label("part"), st.c.unit_id, st.c.status,
                 func.count().label("n"), due_by(in30).label("d30"), due_by(in90).label("d90"),
                 null().label("id")).group_by(st.c.unit_id, st.c.status)
    soon = (select(st.c.id, st.c.unit_id, st.c.status).where(soon_where)
            .order_by(st.c.deadline, st.c.id).limit(50).subquery("soon"))
    nearest = select(literal("due"), soon.c.unit_id, soon.c.status, literal(0), literal(0),
                     literal(0), soon.c.id)

    names = dict(session.execute(select(Unit.id, Unit.name)).tuples().all())
    rows: dict[int | None, UnitRow] = {}

    def row_of(unit_id: int | None) -> UnitRow:
        if unit_id not in rows:
            rows[unit_id] = UnitRow(unit_id, names.get(unit_id, "（未指定单位）") if unit_id else "（未指定单位）")
        return rows[unit_id]

    due_status: dict[int, str] = {}
    for part, unit_id, status, n, d30, d90, tid in session.execute(union_all(agg, nearest)):
        if part == "due":
            due_status[tid] = status
            continue
        row = row_of(unit_id)
        row.counts[tracking.LIGHTS[status]] += n
        row.due30 += int(d30 or 0)
        row.due90 += int(d90 or 0)
    due = [DueItem(t.id, names.get(t.unit_id) or t.subject or "—", t.indicator, t.value_text,
                   t.deadline, due_status[t.id], tracking.LIGHTS[due_status[t.id]])
           for t in session.execute(select(Target.id, Target.unit_id, Target.subject,
                                           Target.indicator, Target.value_text, Target.deadline)
                                    .where(Target.id.in_(list(due_status)))
                                    .order_by(Target.deadline, Target.id))]
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
    """A small TTL cache with one computation per key at a time.

    When an entry has expired, the one request that takes the key's lock recomputes it while
    concurrent requests get the previous (stale) entry at once instead of queueing behind a
    computation that takes seconds on a large ledger. `clear()` (after every write) expires
    the entries, so the next request recomputes.
    """

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._items: dict[tuple[date, bool], Overview] = {}
        self._expired: set[tuple[date, bool]] = set()
        self._building: dict[tuple[date, bool], threading.Lock] = {}

    def get(self, session: Session, as_of: date, *, public: bool) -> Overview:
        key = (as_of, public)
        if self.ttl <= 0:
            return build(session, as_of, public=public)
        with self._lock:
            hit = self._items.get(key)
            fresh = hit is not None and key not in self._expired and (
                time.monotonic() - hit.computed_at < self.ttl)
            building = self._building.setdefault(key, threading.Lock())
        if fresh:
            return hit  # type: ignore[return-value]
        if hit is not None and not building.acquire(blocking=False):
            return hit  # someone else is recomputing: the previous entry will do
        if hit is None:
            building.acquire()
        try:
            with self._lock:
                again = self._items.get(key)
                if again is not None and again is not hit and key not in self._expired:
                    return again  # computed while we waited for the lock
                self._expired.discard(key)
            value = build(session, as_of, public=public)
            with self._lock:
                self._items[key] = value
            return value
        finally:
            building.release()

    def clear(self) -> None:
        with self._lock:
            self._expired.update(self._items)
