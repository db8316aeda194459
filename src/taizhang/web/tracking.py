"""Adapter from the tracking stage (`taizhang.track`) to what the pages and the API show.

Statuses come from track's ledger-wide query and its `Judge` (`iter_statuses`); for a few
targets (a page of a unit) the same query is limited to their ids, and a target's page judges
the reports it has already loaded (`status_of`). The league table is track's `rank_statuses`
over statuses computed once; the office's league counts tasks without numbers beside the
targets (`track.tasks`), the public one targets only.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from taizhang.ledger.models import ReviewState, Target, Unit
from taizhang.track.conflicts import find_conflicts
from taizhang.track.explain import judgement
from taizhang.track.model import TargetStatus
from taizhang.track.rank import rank_statuses
from taizhang.track.rules import Rules, load_rules
from taizhang.track.status import iter_statuses
from taizhang.track.tasks import TaskStatus, iter_task_statuses
from taizhang.web.schemas import ConflictPublic, LeagueRow, StatusPublic

LIGHTS = {"achieved": "green", "on_track": "green", "behind": "yellow",
          "seriously_behind": "red", "overdue": "red", "no_data": "grey", "not_yet_due": "grey"}
TRACKED = (ReviewState.UNREVIEWED.value, ReviewState.CONFIRMED.value, ReviewState.EDITED.value)
PUBLIC = (ReviewState.CONFIRMED.value, ReviewState.EDITED.value)


@lru_cache(maxsize=1)
def rules() -> Rules:
    """Track's rules (TAIZHANG_RULES or the defaults), read once per process."""
    return load_rules()


@dataclass(frozen=True, slots=True)
class Status:
    """One target's status as pages show it (the API's `StatusPublic` has the first fields).

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
    mode: str | None = None
    rule: str = ""  # which rule judged, in a sentence (判定依据)

    def public(self) -> StatusPublic:
        return StatusPublic.model_validate(self, from_attributes=True)

    def to_json(self) -> dict[str, object]:
        return {"target_id": self.target_id, "unit_id": self.unit_id, "status": self.status,
                "color": self.color, "expected_share": self.expected_share,
                "actual_share": self.actual_share, "latest_value": self.latest_value,
                "latest_as_of": None if self.latest_as_of is None else self.latest_as_of.isoformat(),
                "rules_version": self.rules_version}


def page_status(s: TargetStatus) -> Status:
    return Status(s.target_id, s.unit_id, s.status.value, s.status.light, s.expected, s.progress,
                  s.latest_value, s.latest_as_of, s.rules_version, s.mode.value, judgement(s))


def states(public: bool) -> tuple[str, ...]:
    return PUBLIC if public else TRACKED


def all_statuses(session: Session, as_of: date, *, public: bool = False,
                 target_ids: Collection[int] | None = None,
                 unit_ids: Collection[int] | None = None) -> Iterable[TargetStatus]:
    """Track's statuses of the targets a viewer may see (rejected targets are not tracked)."""
    return iter_statuses(session, as_of, rules=rules(), review_states=states(public),
                         target_ids=None if target_ids is None else list(target_ids),
                         unit_ids=None if unit_ids is None else list(unit_ids))


def statuses(session: Session, as_of: date, *, public: bool = False,
             target_ids: Collection[int] | None = None) -> dict[int, Status]:
    """Status of the tracked targets on `as_of`, by target id."""
    if target_ids is not None and not target_ids:
        return {}
    return {s.target_id: page_status(s)
            for s in all_statuses(session, as_of, public=public, target_ids=target_ids)}


def league_rows(found: Iterable[TargetStatus | TaskStatus], as_of: date, names: dict[str, int],
                *, public: bool) -> list[LeagueRow]:
    """Track's league table over statuses already computed. The public view ranks on the
    same status scores (completion) and the share of targets reported (reporting) only."""
    table = rank_statuses(found, as_of, _public_rules() if public else rules())
    shown = ("completion", "reporting") if public else (
        "completion", "timeliness", "reporting", "evidence")
    return [LeagueRow(rank=r.rank, unit_id=names.get(r.unit or ""), unit=r.unit or "（未指定单位）",
                      score=None if r.index is None else round(r.index, 1), targets=r.targets,
                      components={c: getattr(r, c) for c in shown})
            for r in table]


def league(session: Session, as_of: date, *, public: bool = False) -> list[LeagueRow]:
    names = {name: uid for uid, name in session.execute(select(Unit.id, Unit.name))}
    found: Iterable[TargetStatus | TaskStatus] = all_statuses(session, as_of, public=public)
    if not public:
        found = itertools.chain(found, task_statuses(session, as_of))
    return league_rows(found, as_of, names, public=public)


def task_statuses(session: Session, as_of: date) -> list[TaskStatus]:
    """The statuses of the tasks without numbers (office views only)."""
    return list(iter_task_statuses(session, as_of))


@lru_cache(maxsize=1)
def _public_rules() -> Rules:
    """The office's rules with the public index's weights: completion and reporting, equal."""
    from dataclasses import replace

    base = rules()
    weights = (("completion", 1.0), ("timeliness", 0.0), ("reporting", 1.0), ("evidence", 0.0))
    return replace(base, rank_weights=weights)


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


__all__ = ["LIGHTS", "PUBLIC", "TRACKED", "Status", "all_statuses", "conflicts", "league",
           "league_rows", "page_status", "rules", "statuses", "task_statuses"]
