"""Tasks without numbers in the browser: list with filters, creation and assignment (牵头/配合),
a task's page with its milestones, 报送 and 销号."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from taizhang.ledger import workflow
from taizhang.ledger.models import AuditLog, Unit
from taizhang.ledger.tasks import assign_task, create_task, get_task, list_tasks, parse_milestones, status_of_task
from taizhang.web import services
from taizhang.web.asof import page_as_of
from taizhang.web.auth import descendant_units
from taizhang.web.deps import IsoDate, IdPath, ReviewerDep, SessionDep, SettingsDep, ViewerDep, WriterDep
from taizhang.web.templating import flash, render

router = APIRouter(include_in_schema=False)
write_router = APIRouter(include_in_schema=False)

LIGHT = {"achieved": "green", "on_track": "green", "behind": "yellow", "overdue": "red",
         "not_yet_due": "grey"}


def _viewer(viewer: object) -> None:
    if viewer is None:
        raise HTTPException(404, "公开版不显示重点工作任务 (tasks are not public)")


@router.get("/tasks", response_class=HTMLResponse)
def task_list(request: Request, session: SessionDep, viewer: ViewerDep, as_of: IsoDate | None = None,
              unit_id: Annotated[int | None, Query(ge=1)] = None, status: str | None = None,
              q: Annotated[str | None, Query(max_length=100)] = None) -> HTMLResponse:
    _viewer(viewer)
    day = page_as_of(request, as_of)
    ids = descendant_units(session, unit_id) if unit_id else None
    rows = [(t, status_of_task(t, day)) for t in list_tasks(session, unit_ids=ids, text=q)]
    if status:
        rows = [(t, s) for t, s in rows if s == status]
    units = list(session.scalars(select(Unit).order_by(Unit.name)))
    return render(request, "tasks.html", {"rows": rows, "units": units, "as_of": day, "light": LIGHT,
                                          "f": {"unit_id": unit_id, "status": status or "", "q": q or ""}})


@router.get("/tasks/new", response_class=HTMLResponse)
def task_form(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    if viewer is None or not viewer.is_reviewer:
        raise HTTPException(403, "只有管理员和督查人员可以新建任务 (admins and supervisors only)")
    units = list(session.scalars(select(Unit).order_by(Unit.name)))
    return render(request, "task_new.html", {"units": units})


@write_router.post("/tasks")
async def task_create(request: Request, session: SessionDep, user: ReviewerDep,
                      title: Annotated[str, Form(max_length=2000)],
                      lead: Annotated[str, Form(max_length=100)],
                      leader: Annotated[str | None, Form(max_length=100)] = None,
                      deadline: Annotated[str | None, Form(max_length=50)] = None,
                      milestones: Annotated[str | None, Form(max_length=4000)] = None,
                      report_cycle: Annotated[str | None, Form(max_length=20)] = None,
                      detail: Annotated[str | None, Form(max_length=4000)] = None) -> RedirectResponse:
    """Create a task; 配合单位 come as several `support` fields, 节点 one per line."""
    form = await request.form()
    support = [v for v in form.getlist("support") if isinstance(v, str) and v.strip()]
    services.act_as(session, user)
    start = page_as_of(request, None)
    task = create_task(session, title=title, lead=lead, support=support, leader=leader,
                       deadline=deadline, report_cycle=report_cycle, detail=detail,
                       milestones=parse_milestones(milestones, year=start.year),
                       starts_on=min(start, date.today()))
    session.commit()
    flash(request, f"已新建任务 #{task.id}，牵头单位 {task.lead.name if task.lead else '—'}。")
    return RedirectResponse(f"/tasks/{task.id}", status_code=303)


@router.get("/tasks/{task_id}", response_class=HTMLResponse)
def task_page(request: Request, task_id: IdPath, session: SessionDep, viewer: ViewerDep,
              as_of: IsoDate | None = None) -> HTMLResponse:
    _viewer(viewer)
    day = page_as_of(request, as_of)
    task = get_task(session, task_id)
    status = status_of_task(task, day)
    subs = workflow.reports_of(session, task_id=task.id)
    sub_ids = [s.id for s in subs]
    milestone_ids = [m.id for m in task.milestones]
    audit = list(session.scalars(select(AuditLog).where(
        ((AuditLog.entity == "tasks") & (AuditLog.entity_id == task.id))
        | ((AuditLog.entity == "submissions") & AuditLog.entity_id.in_(sub_ids or [-1]))
        | ((AuditLog.entity == "milestones") & AuditLog.entity_id.in_(milestone_ids or [-1]))
    ).order_by(AuditLog.id)))
    units = list(session.scalars(select(Unit).order_by(Unit.name)))
    return render(request, "task.html", {
        "task": task, "status": status, "light": LIGHT.get(status, "grey"), "as_of": day,
        "submissions": subs, "audit": audit, "units": units,
        "may_report": viewer is not None and services.may_report_on_task(viewer, task)
        and task.closed_at is None,
        "may_close": viewer is not None and viewer.is_reviewer and status == "achieved"
        and task.closed_at is None})


@write_router.post("/tasks/{task_id}/assign")
async def task_assign(request: Request, task_id: IdPath, session: SessionDep, user: ReviewerDep,
                      lead: Annotated[str | None, Form(max_length=100)] = None,
                      leader: Annotated[str | None, Form(max_length=100)] = None,
                      deadline: Annotated[str | None, Form(max_length=50)] = None,
                      report_cycle: Annotated[str | None, Form(max_length=20)] = None) -> RedirectResponse:
    form = await request.form()
    support = [v for v in form.getlist("support") if isinstance(v, str) and v.strip()]
    services.act_as(session, user)
    assign_task(session, task_id, lead=lead or None, support=support, leader=leader,
                deadline=deadline or None, report_cycle=report_cycle)
    session.commit()
    flash(request, f"任务 #{task_id} 已更新。")
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)


@write_router.post("/tasks/{task_id}/report")
def task_report(request: Request, task_id: IdPath, session: SessionDep, settings: SettingsDep,
                user: WriterDep, as_of: Annotated[date, Form()],
                milestone_id: Annotated[int | None, Form(ge=1)] = None,
                completed: Annotated[bool, Form()] = False,
                note: Annotated[str | None, Form(max_length=4000)] = None,
                evidence: Annotated[list[UploadFile] | None, File()] = None) -> RedirectResponse:
    """报送 on a task: a milestone reached, the task finished, or how far it got."""
    task = get_task(session, task_id)
    if not services.may_report_on_task(user, task):
        raise HTTPException(403, f"无权为该任务报送 (user {user.username} is not of its units)")
    files = [(f.filename, f.file) for f in evidence or [] if f.filename]
    sub = services.submit_report(session, user=user, evidence_dir=settings.evidence_dir,
                                 files=files, task_id=task_id, as_of=as_of,
                                 milestone_id=milestone_id, completed=completed, note=note)
    flash(request, "已报送，" + ("已采纳。" if sub.state == "accepted" else "等待督查人员审核。"))
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)


@write_router.post("/tasks/{task_id}/close")
def task_close(request: Request, task_id: IdPath, session: SessionDep, user: ReviewerDep,
               note: Annotated[str | None, Form(max_length=2000)] = None) -> RedirectResponse:
    services.act_as(session, user)
    workflow.close(session, task_id=task_id, note=note, as_of=page_as_of(request, None))
    session.commit()
    flash(request, f"任务 #{task_id} 已销号。")
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)

