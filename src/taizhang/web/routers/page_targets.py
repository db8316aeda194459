"""A target's page (source quote, chart, revisions, progress, audit) and progress entry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from sqlalchemy import bindparam, select

from taizhang.errors import NotFound
from taizhang.ledger.models import ProgressReport
from taizhang.track.model import Report, TargetFacts
from taizhang.track.oracle import status_of
from taizhang.research.ledger_results import confirm_result, list_proposals, reject_result
from taizhang.web import queries, services, tracking
from taizhang.ledger import workflow
from taizhang.ledger.amounts import format_amount
from taizhang.ledger.office_models import EvidenceFile
from taizhang.web.asof import page_as_of
from taizhang.web.deps import IsoDate, IdPath, ReviewerDep, SessionDep, SettingsDep, ViewerDep, WriterDep
from taizhang.web.highlight import segments
from taizhang.web.routers.targets import audit_rows, ensure_may_report
from taizhang.web.templating import flash, render

router = APIRouter(include_in_schema=False)
write_router = APIRouter(include_in_schema=False)


@router.get("/targets/{target_id}", response_class=HTMLResponse)
def target_page(request: Request, target_id: IdPath, session: SessionDep, settings: SettingsDep,
                viewer: ViewerDep, as_of: IsoDate | None = None) -> HTMLResponse:
    """Plain row queries (target with its document, reports, revisions, audit); the status is
    judged from the reports already loaded for the list and the chart."""
    public = settings.public
    t, (doc, created_at) = queries.target_detail(session, target_id, public=public)
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
    delivered = [p for p in list_proposals(session, target_id=t.id) if not public or p.state == "confirmed"]
    may_report = (viewer is not None and viewer.may_report_for(t.unit_id)
                  and t.review_state != "rejected" and t.closed_at is None)
    return render(request, "target.html", {
        "delivered": delivered,
        "t": t, "doc": doc, "segments": segs, "status": status,
        "reports": reports, "revisions": queries.revision_rows(session, t.id), "chart": chart,
        "as_of": day, "audit": [] if public else audit_rows(session, t.id),
        "may_report": may_report,
        "submissions": [] if public else workflow.reports_of(session, target_id=t.id),
        "files": {} if public else _report_files(session, [r.id for r in reports]),
        "may_close": viewer is not None and viewer.is_reviewer and t.closed_at is None
        and status is not None and status.status == "achieved",
        "closed": t.closed_at, "closed_by": t.closed_by, "close_note": t.close_note,
    })


# built once (every target page runs it), the report ids a parameter
FILES_OF_REPORTS = (select(EvidenceFile)
                    .where(EvidenceFile.report_id.in_(bindparam("ids", expanding=True)))
                    .order_by(EvidenceFile.id))


def _report_files(session: SessionDep, report_ids: list[int]) -> dict[int, list[EvidenceFile]]:
    files: dict[int, list[EvidenceFile]] = {}
    if not report_ids:  # no reports, no files: no query
        return files
    for f in session.scalars(FILES_OF_REPORTS, {"ids": report_ids}):
        files.setdefault(f.report_id, []).append(f)  # type: ignore[arg-type]
    return files


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
