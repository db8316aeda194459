"""/api/units: responsible units (责任单位) and their hierarchy."""

from __future__ import annotations

from fastapi import APIRouter

from taizhang.web import queries
from taizhang.web.responses import READ_ERRORS
from taizhang.web.deps import IdPath, SessionDep, ViewerDep
from taizhang.web.schemas import Page, UnitPublic

router = APIRouter(prefix="/api/units", tags=["units"], responses=READ_ERRORS)


@router.get("", response_model=Page[UnitPublic])
def list_units(session: SessionDep, _v: ViewerDep) -> Page[UnitPublic]:
    data = queries.list_units(session)
    return Page(data=data, count=len(data))


@router.get("/{unit_id}", response_model=UnitPublic)
def get_unit(unit_id: IdPath, session: SessionDep, _v: ViewerDep) -> UnitPublic:
    return queries.unit_public(queries.get_unit(session, unit_id))
