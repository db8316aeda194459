"""The overview page: units × status lights, what falls due soon, league table, themes.

Computing it touches every target: one query streams every visible target with its latest
report through track's judge, and one pass counts lights and due dates per unit, keeps the 50
nearest deadlines and feeds the same statuses to the league table (`build`), with the tasks
without numbers in the office's view.

`OverviewCache` keeps both the computed overview per (date, public) and the rendered page per
(date, public, role, unit): a cached page costs one small query (the ledger's version, below)
and a string substitution of the viewer's name and CSRF token (`templating.personalise`).

The ledger's version is the newest audit-log id: every change of the ledger is audited
(ingest, review, progress, users), by this process, another worker or the CLI, so a page is
recomputed after any write anywhere. A page also expires after `overview_cache_seconds`;
while one request recomputes an expired page, the others get the previous one at once
(stale-while-revalidate) instead of queueing behind a computation that takes a second on a
large ledger.
"""

from __future__ import annotations

import heapq
import threading
import time
from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from taizhang.ledger.models import AuditLog, Target, Unit
from taizhang.track.model import Status as TrackStatus
from taizhang.web import tracking
from taizhang.web.schemas import LeagueRow
from taizhang.web.themes import themes_of

COLORS = ("red", "yellow", "green", "grey")
NEAREST = 50
MAX_ITEMS = 1_000  # entries a VersionedCache keeps
NO_UNIT = "（未指定单位）"


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
    """Everything the overview shows, from one streamed status query (see the docstring)."""
    in30, in90 = as_of + timedelta(days=30), as_of + timedelta(days=90)
    names = {uid: name for uid, name in session.execute(select(Unit.id, Unit.name))}
    rows: dict[int | None, UnitRow] = {}
    indicators: Counter[tuple[int | None, str]] = Counter()
    soon: list[tuple[date, int, str]] = []  # the open targets due within 30 days
    found = []
    for s in tracking.all_statuses(session, as_of, public=public):
        found.append(s)
        row = rows.get(s.unit_id)
        if row is None:
            row = rows[s.unit_id] = UnitRow(s.unit_id, names.get(s.unit_id, NO_UNIT)
                                            if s.unit_id else NO_UNIT)
        row.counts[s.status.light] += 1
        indicators[s.unit_id, s.indicator or ""] += 1
        deadline = s.deadline
        if deadline is not None and as_of <= deadline <= in90 and s.status is not _DONE:
            row.due90 += 1
            if deadline <= in30:
                row.due30 += 1
                soon.append((deadline, s.target_id, s.status.value))
    for (unit_id, indicator), n in indicators.items():
        for theme in themes_of(indicator):
            rows[unit_id].themes[theme] += n
    totals = dict.fromkeys(COLORS, 0)
    for row in rows.values():
        for c in COLORS:
            totals[c] += row.counts[c]
    units = sorted(rows.values(), key=lambda r: (-r.counts["red"], -r.total, r.name))
    ranked: list[Any] = found if public else found + tracking.task_statuses(session, as_of)
    league = tracking.league_rows(ranked, as_of, {n: i for i, n in names.items()}, public=public)
    nearest = heapq.nsmallest(NEAREST, soon)
    return Overview(as_of, units, totals, _due_items(session, nearest, names), league,
                    time.monotonic())


_DONE = TrackStatus.ACHIEVED


def _due_items(session: Session, nearest: list[tuple[date, int, str]],
               names: dict[int, str]) -> list[DueItem]:
    status = {tid: name for _, tid, name in nearest}
    query = (select(Target.id, Target.unit_id, Target.subject, Target.indicator,
                    Target.value_text, Target.deadline)
             .where(Target.id.in_(list(status))).order_by(Target.deadline, Target.id))
    return [DueItem(tid, names.get(unit_id) or subject or "—", indicator, value_text, deadline,
                    status[tid], tracking.LIGHTS[status[tid]])
            for tid, unit_id, subject, indicator, value_text, deadline in session.execute(query)]


LEDGER_VERSION = select(func.max(AuditLog.__table__.c.id))  # Core, built once


def ledger_version(session: Session) -> int:
    """The newest audit-log id: it changes with every write to the ledger (module docstring)."""
    return session.connection().scalar(LEDGER_VERSION) or 0


V = TypeVar("V")


@dataclass
class _Entry(Generic[V]):
    value: V
    version: int
    made: float


class VersionedCache(Generic[V]):
    """Values per key, valid while the ledger's version is unchanged and for `ttl` seconds;
    one computation per key at a time, others served the previous value meanwhile."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._items: dict[Hashable, _Entry[V]] = {}
        self._building: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, version: int, compute: Callable[[], V]) -> V:
        if self.ttl <= 0:
            return compute()
        with self._lock:
            hit = self._items.get(key)
            building = self._building.setdefault(key, threading.Lock())
        if hit is not None and hit.version == version and (
                time.monotonic() - hit.made < self.ttl):
            return hit.value
        if hit is not None and not building.acquire(blocking=False):
            return hit.value  # someone else is recomputing: the previous value will do
        if hit is None:
            building.acquire()
        try:
            with self._lock:
                again = self._items.get(key)
            if again is not None and again is not hit and again.version == version:
                return again.value  # computed while we waited for the lock
            value = compute()
            with self._lock:
                if len(self._items) >= MAX_ITEMS:  # many distinct keys (list filters): start over
                    self._items.clear()
                    self._building = {key: building}
                self._items[key] = _Entry(value, version, time.monotonic())
            return value
        finally:
            building.release()

    def peek(self, key: Hashable, version: int) -> V | None:
        """The value if `get` would return it without computing: current and fresh."""
        hit = self._items.get(key)
        if hit is None or hit.version != version or time.monotonic() - hit.made >= self.ttl:
            return None
        return hit.value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def counter(request: Any, session: Session) -> Callable[[Hashable, Callable[[], int]], int]:
    """Counts of a list query, kept per ledger version (a list's total is the same until the
    next write; datasette keeps its table counts too). `count(key, compute)`: `key` names the
    query and its parameters (the query's SQL with the values written in had been the key,
    and compiling it cost more than the cached count saved once the page was fast)."""
    cache: VersionedCache[int] = request.app.state.counts

    def count(key: Hashable, compute: Callable[[], int]) -> int:
        return cache.get(key, ledger_version(session), compute)

    return count


class OverviewCache:
    """The overview's data per (date, public) and its rendered page per viewer's role."""

    def __init__(self, ttl: float) -> None:
        self.data: VersionedCache[Overview] = VersionedCache(ttl)
        self.pages: VersionedCache[str] = VersionedCache(ttl)

    def overview(self, session: Session, as_of: date, *, public: bool, version: int) -> Overview:
        return self.data.get((as_of, public), version,
                             lambda: build(session, as_of, public=public))

    def clear(self) -> None:
        self.data.clear()
        self.pages.clear()
