"""Adapter from the tracking stage (`taizhang.track`) to what the pages and the API show.

Statuses come from track's one set-based query (`status_select`), joined here with the
target's unit id and review state, so the overview can count lights per unit in SQL. For a
handful of targets (a target page, one page of a unit) the same rules run through track's
per-target implementation (`statuses_of_targets`, held equal to the query by track's tests), which
avoids computing the whole ledger to show one row. The league table is track's `rank`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from taizhang.ledger.models import ReviewState, Target, Unit
from taizhang.track.conflicts import find_conflicts
from taizhang.track.rank import rank as track_rank
from taizhang.track.rules import Rules, load_rules
from taizhang.track.single import statuses_of_targets
from taizhang.track.sqlfuncs import date_of
from taizhang.track.status import status_select
from taizhang.web.schemas import ConflictPublic, LeagueRow, StatusPublic

LIGHTS = {"achieved": "green", "on_track": "green", "behind": "yellow",
          "seriously_behind": "red", "overdue": "red", "no_data": "grey", "not_yet_due": "grey"}
TRACKED = (ReviewState.UNREVIEWED.value, ReviewState.CONFIRMED.value, ReviewState.EDITED.value)
PUBLIC = (ReviewState.CONFIRMED.value, ReviewState.EDITED.value)
SMALL = 500  # up to this many targets, compute them one by one instead of the whole ledger


@lru_cache(maxsize=1)
def rules() -> Rules:
    """Track's rules (TAIZHANG_RULES or the defaults), read once per process."""
    return load_rules()


@dataclass(frozen=True, slots=True)
class Status:
    """One target's status (the API's `StatusPublic` has the same fields).

    A plain dataclass: listing 100,000 statuses, pydantic models would cost more to build
    than the statuses cost to compute.
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


def status_query(as_of: date, *, public: bool) -> Select[Any]:
    """One row per tracked target: id, unit_id, status, expected, progress, latest value/day."""
    s = status_select(as_of, rules()).order_by(None).subquery("statuses")
    return (
        select(s.c.id, Target.unit_id, s.c.status, s.c.expected, s.c.progress,
               s.c.latest_value, s.c.latest_day)
        .join(Target, Target.id == s.c.id)
        .where(Target.review_state.in_(PUBLIC if public else TRACKED))
    )


def statuses(session: Session, as_of: date, *, public: bool = False,
             target_ids: Collection[int] | None = None) -> dict[int, Status]:
    """Status of the tracked targets on `as_of` (rejected targets are not tracked)."""
    if target_ids is not None and len(target_ids) <= SMALL:
        return _few(session, as_of, public, target_ids)
    version = rules().version
    q = status_query(as_of, public=public)
    if target_ids is not None:
        q = q.where(Target.id.in_(list(target_ids)))
    out: dict[int, Status] = {}
    for tid, unit_id, status, expected, progress, latest, day in session.execute(q):
        out[tid] = Status(tid, unit_id, status, LIGHTS[status], expected, progress, latest,
                          date_of(day), version)
    return out


def _few(session: Session, as_of: date, public: bool, ids: Collection[int]) -> dict[int, Status]:
    """The same statuses for a few targets, by track's per-target implementation."""
    q = (select(Target).options(selectinload(Target.progress), selectinload(Target.document),
                                selectinload(Target.responsible))
         .where(Target.id.in_(list(ids)), Target.review_state.in_(PUBLIC if public else TRACKED)))
    if not rules().include_soft:
        q = q.where(Target.strength != "soft")
    targets = list(session.scalars(q))
    units = {t.id: t.unit_id for t in targets}
    return {s.target_id: Status(s.target_id, units[s.target_id], s.status.value,
                                LIGHTS[s.status.value], s.expected, s.progress, s.latest_value,
                                s.latest_as_of, s.rules_version)
            for s in statuses_of_targets(targets, as_of, rules=rules())}


def league(session: Session, as_of: date, *, public: bool = False) -> list[LeagueRow]:
    """Track's league table. The public view ranks on confirmed targets only, with the same
    status scores (completion) and the share of targets reported (reporting)."""
    ids = dict(session.execute(select(Unit.name, Unit.id)).tuples().all())
    if not public:
        return [LeagueRow(rank=r.rank or 0, unit_id=ids.get(r.unit or ""), unit=r.unit or "（未指定单位）",
                          score=None if r.index is None else round(r.index, 1), targets=r.targets,
                          components={"completion": r.completion, "timeliness": r.timeliness,
                                      "reporting": r.reporting, "evidence": r.evidence})
                for r in track_rank(session, as_of, rules=rules())]
    return _public_league(session, as_of, ids)


def _public_league(session: Session, as_of: date, ids: dict[str, int]) -> list[LeagueRow]:
    scores = dict(rules().status_score)
    names = {v: k for k, v in ids.items()}
    by_unit: dict[int | None, list[Status]] = defaultdict(list)
    for s in statuses(session, as_of, public=True).values():
        by_unit[s.unit_id].append(s)
    rows = []
    for unit_id, items in by_unit.items():
        due = [s for s in items if s.status != "not_yet_due"]
        judged = [scores[s.status] for s in due if s.status in scores]
        completion = sum(judged) / len(judged) if judged else None
        reporting = sum(s.latest_value is not None for s in due) / len(due) if due else None
        parts = [x for x in (completion, reporting) if x is not None]
        score = round(100 * sum(parts) / len(parts), 1) if parts else None
        rows.append((unit_id, names.get(unit_id, "（未指定单位）") if unit_id else "（未指定单位）",
                     score, len(items), {"completion": completion, "reporting": reporting}))
    rows.sort(key=lambda r: (r[2] is None, -(r[2] or 0), r[1]))
    return [LeagueRow(rank=i + 1, unit_id=u, unit=n, score=s, targets=c, components=comp)
            for i, (u, n, s, c, comp) in enumerate(rows)]


def conflicts(session: Session, *, public: bool = False) -> list[ConflictPublic]:
    """Track's conflicts report; the public view keeps conflicts among public targets only."""
    found = find_conflicts(session)
    visible: set[int] | None = None
    if public:
        ids = {st.target_id for c in found for st in c.statements}
        visible = set(session.scalars(select(Target.id).where(
            Target.id.in_(list(ids)), Target.review_state.in_(PUBLIC))))
    return [ConflictPublic.model_validate(c.to_json()) for c in found
            if visible is None or all(st.target_id in visible for st in c.statements)]
