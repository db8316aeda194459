"""/api/targets: targets, their revisions, progress and audit trail; review and reporting."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from sqlalchemy import bindparam, select

from taizhang.ledger.models import AuditLog, ProgressReport, ReviewState, TargetRevision
from taizhang.ledger.office_models import Submission
from taizhang.web import queries, services
from taizhang.web.auth import Principal
from taizhang.web.deps import (
    IsoDate,
    IdPath,
    IdQuery,
    ReviewerDep,
    SessionDep,
    SettingsDep,
    ViewerDep,
    WriterDep,
)
from taizhang.web.overview import counter
from taizhang.web.responses import READ_ERRORS, WRITE_ERRORS, json_response
from taizhang.web.schemas import (
    AuditPublic,
    Page,
    ProgressPublic,
    ReviewRequest,
    RevisionPublic,
    SubmissionPublic,
    TargetPublic,
)

router = APIRouter(prefix="/api/targets", tags=["targets"], responses=READ_ERRORS)
write_router = APIRouter(prefix="/api/targets", tags=["targets"], responses=WRITE_ERRORS)

ReviewStateQ = Annotated[ReviewState | None, Query(description="unreviewed, confirmed, edited or rejected")]


@router.get("", response_model=Page[TargetPublic])
def list_targets(
    request: Request, session: SessionDep, settings: SettingsDep, _v: ViewerDep,
    unit_id: IdQuery = None,
    review_state: ReviewStateQ = None,
    due_before: date | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    """Targets in id order (a unit includes the units below it), `{data, count}`.

    Rows are read as plain rows and written as JSON directly (the shape of `TargetPublic`):
    validating a hundred models per request cost more than the query.
    """
    units = None
    if unit_id is not None:
        from taizhang.web.auth import descendant_units

        units = descendant_units(session, unit_id)
    data, count = queries.target_json_rows(
        session, public=settings.public, limit=limit, offset=offset, unit_ids=units,
        review_state=review_state.value if review_state else None, due_before=due_before,
        count=counter(request, session))
    return json_response({"data": data, "count": count})


@router.get("/{target_id}", response_model=TargetPublic)
def get_target(target_id: IdPath, session: SessionDep, settings: SettingsDep,
               _v: ViewerDep) -> TargetPublic:
    return queries.target_public(queries.get_target(session, target_id, public=settings.public))


@router.get("/{target_id}/revisions", response_model=Page[RevisionPublic])
def target_revisions(target_id: IdPath, session: SessionDep, settings: SettingsDep,
                     _v: ViewerDep) -> Page[RevisionPublic]:
    queries.get_target(session, target_id, public=settings.public)
    rows = session.scalars(select(TargetRevision).where(TargetRevision.target_id == target_id)
                           .order_by(TargetRevision.id))
    data = [queries.revision_public(r) for r in rows]
    return Page(data=data, count=len(data))


@router.get("/{target_id}/progress", response_model=Page[ProgressPublic])
def target_progress(target_id: IdPath, session: SessionDep, settings: SettingsDep,
                    _v: ViewerDep) -> Page[ProgressPublic]:
    queries.get_target(session, target_id, public=settings.public)
    rows = session.scalars(select(ProgressReport).where(ProgressReport.target_id == target_id)
                           .order_by(ProgressReport.as_of, ProgressReport.id))
    data = [queries.progress_public(p, public=settings.public) for p in rows]
    return Page(data=data, count=len(data))


@write_router.get("/{target_id}/audit", response_model=Page[AuditPublic])
def target_audit(target_id: IdPath, session: SessionDep, _v: ViewerDep) -> Page[AuditPublic]:
    """The audit trail of one target (not in public mode: it names users)."""
    queries.get_target(session, target_id, public=False)
    data = [AuditPublic.model_validate(a, from_attributes=True) for a in audit_rows(session, target_id)]
    return Page(data=data, count=len(data))


def audit_rows(session: SessionDep, target_id: IdPath) -> list[AuditLog]:
    """Changes of the target itself and of its progress reports."""
    return list(session.scalars(AUDIT_OF, {"target_id": target_id}))


_reports = select(ProgressReport.id).where(ProgressReport.target_id == bindparam("target_id"))
_submissions = select(Submission.id).where(Submission.target_id == bindparam("target_id"))
AUDIT_OF = select(AuditLog).where(  # built once (a target page runs it), the id a parameter
    ((AuditLog.entity == "targets") & (AuditLog.entity_id == bindparam("target_id")))
    | ((AuditLog.entity == "progress_reports") & AuditLog.entity_id.in_(_reports))
    | ((AuditLog.entity == "submissions") & AuditLog.entity_id.in_(_submissions))
).order_by(AuditLog.id)


@write_router.post("/{target_id}/review", response_model=TargetPublic)
def review_target(target_id: IdPath, body: ReviewRequest, session: SessionDep,
                  user: ReviewerDep) -> TargetPublic:
    """Confirm, edit or reject an extracted target (admins and supervisors)."""
    target = queries.get_target(session, target_id, public=False)
    services.review_target(session, user=user, target=target, action=body.action,
                           changes=dict(body.changes))
    return queries.target_public(target)


def ensure_may_report(user: Principal, session: SessionDep, target_id: IdPath) -> None:
    target = queries.get_target(session, target_id, public=False)
    if not user.may_report_for(target.unit_id):
        raise HTTPException(
            403, f"无权为该单位填报 (user {user.username} may not report for "
                 f"{target.responsible.name if target.responsible else 'a target without unit'})")
    if target.review_state == ReviewState.REJECTED.value:
        raise HTTPException(409, "该目标已被驳回，不能填报进展 (target was rejected)")
    if target.closed_at is not None:
        raise HTTPException(409, "该目标已销号，不再填报 (target is closed)")


@write_router.post("/{target_id}/progress", response_model=SubmissionPublic, status_code=201,
                   responses={202: {"model": SubmissionPublic,
                                    "description": "Submitted; waits for a supervisor's review"}})
def report_progress(
    target_id: IdPath, session: SessionDep, settings: SettingsDep, user: WriterDep,
    as_of: Annotated[IsoDate, Form(description="Date the value is reported for (截至日期)")],
    value: Annotated[str, Form(max_length=60, description="完成值 as people write it: 1500亿, "
                               "3,000万元, 百分之五; a bare number is in the target's "
                               "`display_unit`")],
    note: Annotated[str | None, Form(max_length=4000)] = None,
    evidence: Annotated[list[UploadFile] | None, File(description="Evidence files (佐证材料)")] = None,
) -> JSONResponse:
    """报送: a reporter's report waits for review (202); an admin's or supervisor's counts at
    once (201). Reporters only for their own unit and its children."""
    ensure_may_report(user, session, target_id)
    files = [(f.filename, f.file) for f in evidence or [] if f.filename]
    sub = services.submit_report(session, user=user, evidence_dir=settings.evidence_dir,
                                 files=files, target_id=target_id, as_of=as_of, value=value,
                                 note=note)
    body = queries.submission_public(sub).model_dump(mode="json")
    return JSONResponse(body, status_code=201 if sub.state == "accepted" else 202)
