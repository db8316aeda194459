"""The office's working pages: 我的任务, the filtered list of targets (bulk review), 审核 of reports
and unit proposals, and the 报送 actions."""

from __future__ import annotations

import heapq
from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select, true
from sqlalchemy.orm import selectinload

from taizhang.errors import LedgerError
from taizhang.ledger import workflow
from taizhang.ledger.cycles import due_state
from taizhang.ledger.models import ReviewState, Target, Unit
from taizhang.ledger.office_models import Submission
from taizhang.ledger.reminders import late_items
from taizhang.ledger.repository import review_target
from taizhang.ledger.tasks import list_tasks, status_of_task
from taizhang.ledger.units import decide_proposal, pending_proposals
from taizhang.track.status import facts_select, iter_judged
from taizhang.web import queries, services, tracking
from taizhang.web.asof import page_as_of
from taizhang.web.auth import descendant_units
from taizhang.web.deps import IsoDate, IdPath, ReviewerDep, SessionDep, SettingsDep, ViewerDep, WriterDep
from taizhang.web.queries import PUBLIC_STATES, target_public
from taizhang.web.templating import flash, render

router = APIRouter(include_in_schema=False)
write_router = APIRouter(include_in_schema=False)

KINDS = {"level": "水平值", "increment": "增量", "growth": "增速", "share": "比率"}
REVIEW_STATES = frozenset(s.value for s in ReviewState)
LIST_LIMIT = 500


@router.get("/targets", response_class=HTMLResponse)
def target_list(request: Request, session: SessionDep, settings: SettingsDep, viewer: ViewerDep,
                as_of: IsoDate | None = None, unit_id: Annotated[int | None, Query(ge=1)] = None,
                status: str | None = None, color: str | None = None, review: str | None = None,
                kind: str | None = None, due_before: date | None = None,
                q: Annotated[str | None, Query(max_length=100)] = None) -> HTMLResponse:
    """Targets filtered by unit (with the units below it), status or light, review state, kind,
    deadline and text; reviewers confirm or reject several at once here.

    As the overview: one streamed query judges every matching target (track's `Judge`), the
    status filters are applied as the statuses come, and only the page's rows (the
    `LIST_LIMIT` nearest deadlines) are then read in full.
    """
    day = page_as_of(request, as_of)
    t = Target.__table__
    where = []
    if settings.public:
        where.append(t.c.review_state.in_(PUBLIC_STATES))
    elif review == ReviewState.REJECTED.value:
        where.append(t.c.review_state == review)
    else:
        where.append(t.c.review_state != ReviewState.REJECTED.value)
        if review in REVIEW_STATES:
            where.append(t.c.review_state == review)
    if unit_id:
        where.append(t.c.unit_id.in_(sorted(descendant_units(session, unit_id))))
    if kind in KINDS:
        where.append(t.c.kind == kind)
    if due_before:
        where.append(t.c.deadline <= due_before)
    matching: set[int] | None = None
    if q and q.strip():  # a parameterised query: the streamed one is rendered with its values
        text = q.strip()
        matching = set(session.scalars(select(t.c.id).where(
            t.c.indicator.contains(text, autoescape=True) | t.c.quote.contains(text, autoescape=True))))
    rules = tracking.rules()
    query = facts_select(day, rules, dialect=session.get_bind().dialect.name, tracked_only=False,
                         where=where, extra=(t.c.review_state, t.c.strength))
    found: list[tuple[bool, date, int, tracking.Status | None]] = []
    for judged, (review_state, strength) in iter_judged(session, query, day, rules):
        if matching is not None and judged.target_id not in matching:
            continue
        tracked = review_state != ReviewState.REJECTED.value and (
            strength != "soft" or rules.include_soft)
        st = tracking.page_status(judged) if tracked else None
        if status and (st is None or st.status != status):
            continue
        if color and (st is None or st.color != color):
            continue
        found.append((judged.deadline is None, judged.deadline or day, judged.target_id, st))
    shown = heapq.nsmallest(LIST_LIMIT, found, key=lambda r: r[:3])
    full = queries.target_rows_by_id(session, [tid for _, _, tid, _ in shown])
    rows = [(full[tid], st) for _, _, tid, st in shown]
    units = list(session.scalars(select(Unit).order_by(Unit.name)))
    return render(request, "targets.html", {
        "rows": rows, "total": len(found), "units": units, "as_of": day, "kinds": KINDS,
        "f": {"unit_id": unit_id, "status": status or "", "color": color or "",
              "review": review or "", "kind": kind or "",
              "due_before": due_before or "", "q": q or ""}})


@write_router.post("/targets/bulk")
async def bulk_review(request: Request, session: SessionDep, user: ReviewerDep,
                      action: Annotated[str, Form(pattern="^(confirm|reject|cycle)$")],
                      cycle: Annotated[str | None, Form(max_length=20)] = None) -> RedirectResponse:
    """Confirm, reject or set the 报送周期 of every target ticked in the list."""
    form = await request.form()
    ids = [int(v) for v in form.getlist("ids") if isinstance(v, str) and v.isdigit()]
    if not ids:
        raise HTTPException(422, "没有选择目标 (tick at least one target)")
    services.act_as(session, user)
    for tid in ids:
        if action == "cycle":
            review_target(session, target_id=tid, changes={"report_cycle": cycle or "不定期"})
        else:
            review_target(session, target_id=tid, confirm=action == "confirm",
                          reject=action == "reject")
    session.commit()
    flash(request, f"已{ {'confirm': '确认', 'reject': '驳回', 'cycle': '设置报送周期'}[action] }"
                   f" {len(ids)} 条目标。")
    return RedirectResponse(request.headers.get("referer") or "/targets", status_code=303)


@router.get("/my", response_class=HTMLResponse)
def my_work(request: Request, session: SessionDep, settings: SettingsDep, viewer: ViewerDep,
            as_of: IsoDate | None = None) -> HTMLResponse:
    """我的任务: a reporter's open items (his unit and below), what is due, returned reports."""
    if viewer is None:
        raise HTTPException(404, "公开版没有个人页面")
    day = page_as_of(request, as_of)
    unit_ids = sorted(viewer.unit_ids) if not viewer.is_reviewer else None
    targets = list(session.scalars(
        select(Target).options(selectinload(Target.responsible), selectinload(Target.document))
        .where(Target.review_state != ReviewState.REJECTED.value, Target.closed_at.is_(None))
        .where(Target.unit_id.in_(unit_ids) if unit_ids is not None else true())
        .order_by(Target.deadline.is_(None), Target.deadline, Target.id).limit(LIST_LIMIT)))
    statuses = tracking.statuses(session, day, target_ids=[t.id for t in targets])
    reported = _reported_days(session, [t.id for t in targets])
    rows = []
    for t in targets:
        state = due_state(t.report_cycle, t.document.date or t.created_at.date(), t.deadline,
                          reported.get(t.id, []), day)
        rows.append((target_public(t), statuses.get(t.id), state))
    tasks = [(task, status_of_task(task, day)) for task in
             list_tasks(session, unit_ids=unit_ids, include_closed=False)]
    mine = select(Submission).where(Submission.submitted_by == viewer.username)
    returned = list(session.scalars(mine.where(Submission.state == "returned")))
    waiting = list(session.scalars(mine.where(Submission.state == "submitted")))
    late = late_items(session, day, unit_ids=unit_ids)
    return render(request, "my.html", {"rows": rows, "tasks": tasks, "returned": returned,
                                       "waiting": waiting, "late": late, "as_of": day})


def _reported_days(session: SessionDep, target_ids: list[int]) -> dict[int, list[date]]:
    from taizhang.ledger.models import ProgressReport

    days: dict[int, list[date]] = {}
    for tid, day in session.execute(select(ProgressReport.target_id, ProgressReport.as_of)
                                    .where(ProgressReport.target_id.in_(target_ids))):
        days.setdefault(tid, []).append(day)
    for tid, day in session.execute(select(Submission.target_id, Submission.as_of).where(
            Submission.target_id.in_(target_ids), Submission.state == "submitted")):
        days.setdefault(tid, []).append(day)
    return days


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """审核: reports waiting for review (accept several at once, return one with a reason),
    extracted targets not reviewed yet, and unit names proposed by documents."""
    if viewer is None or not viewer.is_reviewer:
        raise HTTPException(403, "只有管理员和督查人员可以审核 (admins and supervisors only)")
    pending = list(session.scalars(
        select(Submission).options(selectinload(Submission.target), selectinload(Submission.task),
                                   selectinload(Submission.files))
        .where(Submission.state == "submitted").order_by(Submission.id)))
    unreviewed = session.scalars(select(Target).where(Target.review_state == "unreviewed")
                                 .order_by(Target.id).limit(1)).first()
    return render(request, "review.html", {"pending": pending, "proposals": pending_proposals(session),
                                           "has_unreviewed": unreviewed is not None})


@write_router.post("/submissions/bulk")
async def bulk_accept(request: Request, session: SessionDep, user: ReviewerDep) -> RedirectResponse:
    form = await request.form()
    ids = [int(v) for v in form.getlist("ids") if isinstance(v, str) and v.isdigit()]
    if not ids:
        raise HTTPException(422, "没有选择报送 (tick at least one report)")
    for sid in ids:
        services.act_on_submission(session, user=user, submission_id=sid, step="accept")
    flash(request, f"已采纳 {len(ids)} 条报送。")
    return RedirectResponse("/review", status_code=303)


@write_router.post("/submissions/{submission_id}/{step}")
def submission_step(request: Request, submission_id: IdPath, step: str, session: SessionDep,
                    settings: SettingsDep, user: WriterDep,
                    reason: Annotated[str, Form(max_length=2000)] = "",
                    value: Annotated[str | None, Form(max_length=60)] = None,
                    as_of: Annotated[date | None, Form()] = None,
                    note: Annotated[str | None, Form(max_length=4000)] = None,
                    evidence: Annotated[list[UploadFile] | None, File()] = None) -> RedirectResponse:
    """accept, return (with a reason), correct, withdraw."""
    if step not in ("accept", "return", "correct", "withdraw"):
        raise HTTPException(404, f"no such step {step!r}")
    files = [(f.filename, f.file) for f in evidence or [] if f.filename]
    sub = services.act_on_submission(session, user=user, submission_id=submission_id, step=step,
                                     reason=reason, value=value, as_of=as_of, note=note,
                                     files=files, evidence_dir=settings.evidence_dir)
    flash(request, f"报送 #{sub.id}：{workflow.STATE_LABELS[sub.state]}。")
    back = request.headers.get("referer") or ""
    own = f"/targets/{sub.target_id}" if sub.target_id else f"/tasks/{sub.task_id}"
    return RedirectResponse(back if back.endswith(("/review", "/my")) else own, status_code=303)


@write_router.post("/proposals/decide")
def proposal(request: Request, session: SessionDep, user: ReviewerDep,
             name: Annotated[str, Form(max_length=200)],
             decision: Annotated[str, Form(pattern="^(accept|map|reject)$")],
             parent: Annotated[str | None, Form(max_length=100)] = None,
             same_as: Annotated[str | None, Form(max_length=100)] = None) -> RedirectResponse:
    """Accept a proposed unit name (under a parent), map it to a unit, or reject it."""
    services.act_as(session, user)
    if decision == "map" and not (same_as or "").strip():
        raise LedgerError("映射时请填写对应的单位 (name the unit it means)")
    decide_proposal(session, name, accept=decision == "accept",
                    same_as=(same_as or "").strip() or None if decision == "map" else None,
                    parent=(parent or "").strip() or None)
    session.commit()
    flash(request, f"单位“{name}”：{ {'accept': '已新增', 'map': '已映射', 'reject': '已驳回'}[decision] }。")
    return RedirectResponse("/review", status_code=303)

