"""/api/status, /api/league, /api/conflicts: what the tracking stage says about the ledger."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from taizhang.web import tracking
from taizhang.web.deps import IsoDate, IdQuery, SessionDep, SettingsDep, ViewerDep
from taizhang.web.responses import READ_ERRORS, json_response
from taizhang.web.schemas import ConflictPublic, LeagueRow, Page, StatusPublic

router = APIRouter(prefix="/api", tags=["tracking"], responses=READ_ERRORS)

AsOf = Annotated[IsoDate | None, Query(description="Status date (default: today)")]


@router.get("/status", response_model=Page[StatusPublic])
def status(session: SessionDep, settings: SettingsDep, _v: ViewerDep, as_of: AsOf = None,
           unit_id: IdQuery = None, color: str | None = None,
           limit: Annotated[int, Query(ge=1, le=100_000)] = 1000,
           offset: Annotated[int, Query(ge=0)] = 0) -> Response:
    """Schedule status (序时进度, 红黄绿灯) of every tracked target, in id order."""
    found = tracking.all_statuses(session, as_of or date.today(), public=settings.public,
                                  unit_ids=None if unit_id is None else [unit_id])
    rows = [tracking.page_status(s) for s in found if color is None or s.status.light == color]
    return json_response({"data": [r.to_json() for r in rows[offset:offset + limit]],
                          "count": len(rows)})


@router.get("/league", response_model=Page[LeagueRow])
def league(session: SessionDep, settings: SettingsDep, _v: ViewerDep,
           as_of: AsOf = None) -> Page[LeagueRow]:
    """League table of units by the accountability index."""
    rows = tracking.league(session, as_of or date.today(), public=settings.public)
    return Page(data=rows, count=len(rows))


@router.get("/conflicts", response_model=Page[ConflictPublic])
def conflicts(session: SessionDep, settings: SettingsDep, _v: ViewerDep) -> Page[ConflictPublic]:
    """Same unit's same indicator stated with different values; passages under two subjects."""
    rows = tracking.conflicts(session, public=settings.public)
    return Page(data=rows, count=len(rows))
