"""A target's page (source quote, chart, revisions, progress, audit) and progress entry."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from sqlalchemy import Select, and_, bindparam, exists, or_, select
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from taizhang.errors import NotFound
from taizhang.ledger.models import AuditLog, Document, ProgressReport, ProposedResult
from taizhang.track.model import Report, TargetFacts
from taizhang.track.oracle import status_of
from taizhang.research.ledger_results import confirm_result, list_proposals, reject_result
from taizhang.web import queries, services, tracking
from taizhang.ledger import workflow
from taizhang.ledger.amounts import format_amount
from taizhang.ledger.office_models import EvidenceFile, Submission
from taizhang.web import deps
from taizhang.web.asof import page_as_of
from taizhang.web.auth import Principal
from taizhang.web.deps import close_request_session, request_session
from taizhang.web.queries import N_FIELDS
from taizhang.web.deps import IsoDate, IdPath, ReviewerDep, SessionDep, SettingsDep, ViewerDep, WriterDep
from taizhang.web.highlight import segments
from taizhang.web.routers.targets import ensure_may_report
from taizhang.web.templating import flash, render

router = APIRouter(include_in_schema=False)
write_router = APIRouter(include_in_schema=False)


@router.get("/targets/{target_id}", response_class=HTMLResponse)
async def target_page(request: Request, target_id: str, as_of: str | None = None) -> HTMLResponse:
    """One thread hop for the whole page (login, statements, Jinja): `_target_page`. The id
    and date are checked there, after the login, as FastAPI checked them after its login
    dependency (an anonymous visitor is sent to the login form whatever the URL)."""
    return await run_in_threadpool(_target_page, request, target_id, as_of)


def _target_page(request: Request, target_id: str, as_of: str | None) -> HTMLResponse:
    """Plain rows from statements built once: the login, then the target with its document and
    whether it has proposals, submissions and audit entries (no query for a section that is
    empty, as most are), its reports and revisions, and only then what it has. The status is
    judged from the reports already loaded for the list and the chart. The request's session
    is opened and closed here, in the one thread the page takes."""
    scope = request.scope
    settings = scope["app"].state.settings
    session = request_session(scope)
    try:
        viewer = deps.viewer(request, settings, session)
        tid, day = _checked(target_id, as_of)
        return _render_target(request, session, settings.public, viewer, tid, day)
    finally:
        close_request_session(scope)


_ID, _DAY = TypeAdapter(IdPath), TypeAdapter(IsoDate)


def _checked(target_id: str, as_of: str | None) -> tuple[int, date | None]:
    """The path's id and the `as_of` query as FastAPI checks `IdPath` and `IsoDate` (the same
    422 with the same locations)."""
    errors: list[Any] = []
    tid = day = None
    try:
        tid = _ID.validate_python(target_id)
    except ValidationError as err:
        errors += [{**e, "loc": ("path", "target_id", *e["loc"])} for e in err.errors()]
    if as_of is not None:
        try:
            day = _DAY.validate_python(as_of)
        except ValidationError as err:
            errors += [{**e, "loc": ("query", "as_of", *e["loc"])} for e in err.errors()]
    if errors:
        raise RequestValidationError(errors)
    return tid, day  # type: ignore[return-value]


def _render_target(request: Request, session: Session, public: bool, viewer: Principal | None,
                   target_id: int, as_of: date | None) -> HTMLResponse:
    conn = session.connection()
    row = conn.execute(_head_statement(public), {"target_id": target_id}).first()
    if row is None:
        raise NotFound(f"目标 {target_id} 不存在 (no target with id {target_id})")
    t = queries.target_row(row, row[N_FIELDS])
    doc = queries.DocumentRef(*row[N_FIELDS + 1 : N_FIELDS + 6])
    created_at, has_proposals, has_submissions, has_audit = row[N_FIELDS + 6 :]
    day = page_as_of(request, as_of)
    loaded = queries.progress_rows(session, t.id, public=public)
    reports = [report for report, _ in loaded]
    status = None
    rules = tracking.rules()
    if t.review_state != "rejected" and (t.strength != "soft" or rules.include_soft):
        facts = TargetFacts(
            id=t.id, value=t.value, comparator=t.comparator, kind=t.kind,
            value_max=t.value_max, deadline=t.deadline, recurring=t.recurring or None,
            baseline=t.baseline_value, baseline_date=t.baseline_date, doc_date=doc.date,
            indicator=t.indicator, unit=t.unit)
        judged = status_of(facts, [Report(r.id, r.as_of, r.value, path or r.evidence_name)
                                   for r, path in loaded], day, rules)
        status = tracking.page_status(judged._replace(unit_id=t.unit_id))
    segs = segments(doc.text, [(*t.quote_span, t.id, "current", "")])
    chart = _chart(Decimal(str(t.value)), None if t.baseline_value is None
                   else Decimal(str(t.baseline_value)), t.deadline,
                   doc.date or created_at.date(), reports)
    delivered = []
    if has_proposals:
        delivered = [p for p in conn.execute(PROPOSALS_OF, {"target_id": t.id})
                     if not public or p.state == "confirmed"]
    submissions: list[SubmissionRow] = []
    files: dict[int, list[Any]] = {}
    if not public:
        if has_submissions:
            submissions = [SubmissionRow(*s, target=t) for s in
                           conn.execute(SUBMISSIONS_OF, {"target_id": t.id})]
        report_ids = [r.id for r in reports]
        if report_ids or submissions:  # nothing to hold files: no query
            by_submission = {s.id: s.files for s in submissions}
            for f in conn.execute(FILES_OF, {"reports": report_ids,
                                             "submissions": list(by_submission)}):
                if f.report_id is not None:
                    files.setdefault(f.report_id, []).append(f)
                if f.submission_id in by_submission:
                    by_submission[f.submission_id].append(f)
    may_report = (viewer is not None and viewer.may_report_for(t.unit_id)
                  and t.review_state != "rejected" and t.closed_at is None)
    return render(request, "target.html", {
        "delivered": delivered,
        "t": t, "doc": doc, "segments": segs, "status": status,
        "reports": reports, "revisions": queries.revision_rows(session, t.id), "chart": chart,
        "as_of": day,
        "audit": list(conn.execute(AUDIT_OF, {"target_id": t.id})) if has_audit and not public else [],
        "may_report": may_report,
        "submissions": submissions,
        "files": files,
        "may_close": viewer is not None and viewer.is_reviewer and t.closed_at is None
        and status is not None and status.status == "achieved",
        "closed": t.closed_at, "closed_by": t.closed_by, "close_note": t.close_note,
    })


_D, _PR, _S, _F, _A = (Document.__table__, ProposedResult.__table__, Submission.__table__,
                       EvidenceFile.__table__, AuditLog.__table__)
_P = ProgressReport.__table__
T = queries.T


@functools.cache
def _head_statement(public: bool) -> Select[Any]:
    """The target with its unit's name and document (`queries.target_detail`), and whether it
    has proposed results, submissions and audit entries: one round trip, built once."""
    has_audit = or_(
        exists().where(_A.c.entity == "targets", _A.c.entity_id == T.c.id),
        exists().where(_A.c.entity == "progress_reports", _A.c.entity_id == _P.c.id,
                       _P.c.target_id == T.c.id),
        exists().where(_A.c.entity == "submissions", _A.c.entity_id == _S.c.id,
                       _S.c.target_id == T.c.id))
    return (select(*queries.TARGET_FIELDS, queries.U.c.name, _D.c.id, _D.c.title, _D.c.source,
                   _D.c.date, _D.c.text, T.c.created_at,
                   exists().where(_PR.c.target_id == T.c.id).label("has_proposals"),
                   exists().where(_S.c.target_id == T.c.id).label("has_submissions"),
                   has_audit.label("has_audit"))
            .join(_D, _D.c.id == T.c.document_id)
            .outerjoin(queries.U, queries.U.c.id == T.c.unit_id)
            .where(T.c.id == bindparam("target_id"), *queries.target_conditions(public=public)))


# a target page's further statements, built once with their ids as parameters
PROPOSALS_OF = (select(_PR.c.id, _PR.c.document_id, _PR.c.value, _PR.c.unit, _PR.c.period_start,
                       _PR.c.period_end, _PR.c.quote, _PR.c.verdict, _PR.c.state,
                       _D.c.title.label("document_title"), _D.c.source.label("document_source"),
                       _D.c.date.label("document_date"))
                .join(_D, _D.c.id == _PR.c.document_id)
                .where(_PR.c.target_id == bindparam("target_id")).order_by(_PR.c.id))
SUBMISSIONS_OF = (select(_S.c.id, _S.c.as_of, _S.c.value, _S.c.value_text, _S.c.completed,
                         _S.c.note, _S.c.state, _S.c.submitted_by, _S.c.review_note)
                  .where(_S.c.target_id == bindparam("target_id"))
                  .order_by(_S.c.as_of, _S.c.id))
FILES_OF = (select(_F.c.id, _F.c.name, _F.c.report_id, _F.c.submission_id)
            .where(or_(_F.c.report_id.in_(bindparam("reports", expanding=True)),
                       _F.c.submission_id.in_(bindparam("submissions", expanding=True))))
            .order_by(_F.c.id))
AUDIT_OF = (select(_A.c.at, _A.c.actor, _A.c.action, _A.c.entity, _A.c.details)
            .where(or_(and_(_A.c.entity == "targets", _A.c.entity_id == bindparam("target_id")),
                       and_(_A.c.entity == "progress_reports", _A.c.entity_id.in_(
                           select(_P.c.id).where(_P.c.target_id == bindparam("target_id")))),
                       and_(_A.c.entity == "submissions", _A.c.entity_id.in_(
                           select(_S.c.id).where(_S.c.target_id == bindparam("target_id"))))))
            .order_by(_A.c.id))


@dataclass(slots=True)
class SubmissionRow:
    """A target's submission as `_submissions.html` reads it (the page's target, no milestone,
    its files filled in afterwards)."""
    id: int
    as_of: date
    value: Decimal | None
    value_text: str | None
    completed: bool
    note: str | None
    state: str
    submitted_by: str | None
    review_note: str | None
    target: Any = None
    milestone: None = None
    files: list[Any] = field(default_factory=list)


def _chart(value: Decimal, baseline: Decimal | None, deadline: date | None, start: date,
           reports: list) -> dict[str, object]:  # type: ignore[type-arg]
    """Series for ECharts: reported values, and the schedule line from baseline to target."""
    begin = date(deadline.year, 1, 1) if deadline and deadline.year == start.year else start
    expected = []
    if deadline is not None:
        expected = [[begin.isoformat(), float(baseline or 0)], [deadline.isoformat(), float(value)]]
    return {"reported": [[r.as_of.isoformat(), r.value] for r in reports],
            "expected": expected, "target": float(value)}


@write_router.post("/targets/{target_id}/progress")
def report(request: Request, target_id: IdPath, session: SessionDep, settings: SettingsDep,
           user: WriterDep,
           as_of: Annotated[date, Form()],
           value: Annotated[str, Form(max_length=60)],
           note: Annotated[str | None, Form(max_length=4000)] = None,
           evidence: Annotated[list[UploadFile] | None, File()] = None) -> RedirectResponse:
    """报送 from the target's page: waits for review, unless a supervisor reports it."""
    ensure_may_report(user, session, target_id)
    files = [(f.filename, f.file) for f in evidence or [] if f.filename]
    sub = services.submit_report(session, user=user, evidence_dir=settings.evidence_dir,
                                 files=files, target_id=target_id, as_of=as_of, value=value,
                                 note=note)
    shown = format_amount(sub.value, sub.target.value_text, sub.target.unit)  # type: ignore[union-attr]
    flash(request, f"已报送：截至 {as_of.isoformat()} 完成 {shown}"
          + ("，已采纳。" if sub.state == "accepted" else "，等待督查人员审核。"))
    return RedirectResponse(f"/targets/{target_id}", status_code=303)


@write_router.post("/targets/{target_id}/close")
def close_target(request: Request, target_id: IdPath, session: SessionDep, user: ReviewerDep,
                 note: Annotated[str | None, Form(max_length=2000)] = None) -> RedirectResponse:
    """销号 of a completed target (supervisors)."""
    services.act_as(session, user)
    workflow.close(session, target_id=target_id, note=note, as_of=page_as_of(request, None))
    session.commit()
    flash(request, f"目标 #{target_id} 已销号。")
    return RedirectResponse(f"/targets/{target_id}", status_code=303)


@write_router.get("/evidence/{file_id}")
def evidence_download(file_id: IdPath, session: SessionDep, _v: ViewerDep) -> FileResponse:
    found = session.get(EvidenceFile, file_id)
    if found is None or not Path(found.path).is_file():
        raise NotFound(f"没有佐证材料 (no evidence file {file_id})")
    return FileResponse(found.path, filename=found.name, content_disposition_type="attachment")


@write_router.post("/targets/{target_id}/results/{proposal_id}")
def decide_result(request: Request, target_id: IdPath, proposal_id: IdPath, session: SessionDep,
                  user: ReviewerDep, action: Annotated[str, Form(pattern="^(confirm|reject)$")]) -> RedirectResponse:
    """承诺 vs 实绩: a supervisor confirms a proposed result (a progress report) or rejects it."""
    if not any(p.id == proposal_id for p in list_proposals(session, target_id=target_id)):
        raise NotFound(f"no proposed result {proposal_id} for target {target_id}")
    services.act_as(session, user)
    if action == "confirm":
        report = confirm_result(session, proposal_id, reporter=user.username)
        shown = format_amount(report.value, report.target.value_text, report.target.unit)
        flash(request, f"实绩已确认：截至 {report.as_of.isoformat()} 完成 {shown}。")
    else:
        reject_result(session, proposal_id)
        flash(request, "已驳回该实绩。")
    session.commit()
    return RedirectResponse(f"/targets/{target_id}", status_code=303)


@write_router.get("/progress/{report_id}/evidence")
def evidence_file(report_id: IdPath, session: SessionDep, _v: ViewerDep) -> FileResponse:
    report = session.get(ProgressReport, report_id)
    if report is None or not report.evidence_path or not Path(report.evidence_path).is_file():
        raise NotFound(f"没有佐证材料 (no evidence file for report {report_id})")
    return FileResponse(report.evidence_path, filename=report.evidence_name or "evidence",
                        content_disposition_type="attachment")
