"""The overview page and a unit's page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from taizhang.ledger.models import Target
from taizhang.ledger.tasks import list_tasks, status_of_task
from taizhang.track.status import facts_select, iter_judged
from taizhang.web import overview as overview_data
from taizhang.web.asof import page_as_of
from taizhang.web import queries, tracking
from taizhang.web.auth import descendant_units
from taizhang.web.deps import IsoDate, IdPath, SessionDep, SettingsDep, ViewerDep
from taizhang.web.templating import personalise, render, render_shared

router = APIRouter(include_in_schema=False)

PAGE = 200


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, session: SessionDep, settings: SettingsDep, viewer: ViewerDep,
             as_of: IsoDate | None = None) -> HTMLResponse:
    """Rendered once per (date, role, unit) and ledger version; see `web/overview.py`. The
    date is the 截至 date the user chose (kept in the session)."""
    day = page_as_of(request, as_of)
    cache = request.app.state.overview_cache
    version = overview_data.ledger_version(session)

    def context() -> dict[str, Any]:
        data = cache.overview(session, day, public=settings.public, version=version)
        top = data.units[:15]
        lights = {"units": [u.name for u in top],
                  **{c: [u.counts[c] for u in top] for c in ("red", "yellow", "green", "grey")}}
        tasks = None if settings.public else Counter(
            status_of_task(t, day) for t in list_tasks(session, include_closed=False))
        return {"o": data, "lights": lights, "tasks": tasks}

    def page() -> str:
        shared = render_shared(request, "overview.html", context())
        assert shared is not None  # checked below: no flash waiting
        return shared

    if "session" in request.scope and request.session.get("flash"):
        return render(request, "overview.html", context())
    role = None if viewer is None else (viewer.role, viewer.unit_id)
    html = cache.pages.get((day, settings.public, role), version, page)
    return personalise(request, html)


@dataclass(frozen=True, slots=True)
class UnitPageRow:
    """What a unit's page shows of a target (the template's `t`)."""

    id: int
    unit_id: int | None
    unit_name: str | None
    indicator: str
    comparator: str
    value: Decimal
    value_text: str
    unit: str
    deadline: date | None
    review_state: str


@router.get("/units/{unit_id}", response_class=HTMLResponse)
def unit_page(request: Request, unit_id: IdPath, session: SessionDep, settings: SettingsDep,
              _v: ViewerDep, as_of: IsoDate | None = None,
              page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> HTMLResponse:
    """A page of the unit's targets (its children's included), soonest deadline first; each
    target and its status from one query."""
    unit = queries.get_unit(session, unit_id)
    day = page_as_of(request, as_of)
    ids = descendant_units(session, unit_id)
    t = Target.__table__
    where = [*queries.target_conditions(public=settings.public, unit_ids=ids),
             t.c.review_state != "rejected"]
    on_page = (select(t.c.id).where(*where)
               .order_by(t.c.deadline.asc().nulls_last(), t.c.id)
               .limit(PAGE + 1).offset((page - 1) * PAGE))
    rules = tracking.rules()
    query = facts_select(day, rules, dialect=session.get_bind().dialect.name,
                         tracked_only=False, target_ids=on_page.scalar_subquery(),
                         extra=(t.c.comparator, t.c.unit, t.c.value, t.c.value_text,
                                t.c.review_state, t.c.strength))
    rows = []
    for s, (comparator, measure, value, value_text, review_state, strength) in iter_judged(
            session, query, day, rules):
        tracked = strength != "soft" or rules.include_soft
        row = UnitPageRow(s.target_id, s.unit_id, s.unit_name, s.indicator or "", comparator,
                          Decimal(str(value)), value_text, measure, s.deadline, review_state)
        rows.append((row, tracking.page_status(s) if tracked else None))
    rows.sort(key=lambda r: (r[0].deadline is None, r[0].deadline or day, r[0].id))
    more = len(rows) > PAGE
    tasks = [] if settings.public else [
        (task, status_of_task(task, day)) for task in list_tasks(session, unit_ids=ids)]
    return render(request, "unit.html", {"unit": unit, "rows": rows[:PAGE], "as_of": day,
                                         "tasks": tasks,
                                         "page": page, "more": more,
                                         "children": sorted(unit.children, key=lambda u: u.name)})
