"""The overview page and a unit's page."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import selectinload

from taizhang.ledger.models import Target
from taizhang.ledger.tasks import list_tasks, status_of_task
from taizhang.web.asof import page_as_of
from taizhang.web import queries, tracking
from taizhang.web.auth import descendant_units
from taizhang.web.deps import IdPath, SessionDep, SettingsDep, ViewerDep
from taizhang.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE = 200


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, session: SessionDep, settings: SettingsDep, _v: ViewerDep,
             as_of: date | None = None) -> HTMLResponse:
    day = page_as_of(request, as_of)
    data = request.app.state.overview_cache.get(session, day, public=settings.public)
    top = data.units[:15]
    lights = {"units": [u.name for u in top],
              **{c: [u.counts[c] for u in top] for c in ("red", "yellow", "green", "grey")}}
    tasks = None if settings.public else Counter(
        status_of_task(t, day) for t in list_tasks(session, include_closed=False))
    return render(request, "overview.html", {"o": data, "lights": lights, "tasks": tasks})


@router.get("/units/{unit_id}", response_class=HTMLResponse)
def unit_page(request: Request, unit_id: IdPath, session: SessionDep, settings: SettingsDep,
              _v: ViewerDep, as_of: date | None = None,
              page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> HTMLResponse:
    unit = queries.get_unit(session, unit_id)
    day = page_as_of(request, as_of)
    ids = descendant_units(session, unit_id)
    q = queries.target_query(public=settings.public, unit_ids=ids)
    q = q.where(Target.review_state != "rejected")
    targets = list(session.scalars(q.options(selectinload(Target.responsible))
                                   .order_by(Target.deadline.is_(None), Target.deadline, Target.id)
                                   .limit(PAGE + 1).offset((page - 1) * PAGE)))
    more = len(targets) > PAGE
    targets = targets[:PAGE]
    status = tracking.statuses(session, day, public=settings.public,
                               target_ids=[t.id for t in targets])
    rows = [(queries.target_public(t), status.get(t.id)) for t in targets]
    tasks = [] if settings.public else [
        (t, status_of_task(t, day)) for t in list_tasks(session, unit_ids=ids)]
    return render(request, "unit.html", {"unit": unit, "rows": rows, "as_of": day, "tasks": tasks,
                                         "page": page, "more": more,
                                         "children": sorted(unit.children, key=lambda u: u.name)})
