"""A target's page (source quote, chart, revisions, progress, audit) and progress entry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from taizhang.errors import NotFound
from taizhang.ledger.models import ProgressReport
from taizhang.track.model import Report, TargetFacts
from taizhang.track.oracle import status_of
from taizhang.research.ledger_results import confirm_result, list_proposals, reject_result
from taizhang.web import queries, services, tracking
from taizhang.web.deps import IdPath, ReviewerDep, SessionDep, SettingsDep, ViewerDep, WriterDep
from taizhang.web.highlight import segments
from taizhang.web.routers.targets import audit_rows, ensure_may_report
from taizhang.web.templating import flash, render

router = APIRouter(include_in_schema=False)
write_router = APIRouter(include_in_schema=False)


@router.get("/targets/{target_id}", response_class=HTMLResponse)
def target_page(request: Request, target_id: IdPath, session: SessionDep, settings: SettingsDep,
                viewer: ViewerDep, as_of: date | None = None) -> HTMLResponse:
    """Plain row queries (target with its document, reports, revisions, audit); the status is
    judged from the reports already loaded for the list and the chart."""
    public = settings.public
    t, (doc, created_at) = queries.target_detail(session, target_id, public=public)
    day = as_of or date.today()
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
    return render(request, "target.html", {
        "delivered": delivered,
        "t": t, "doc": doc, "segments": segs, "status": status,
        "reports": reports, "revisions": queries.revision_rows(session, t.id), "chart": chart,
        "as_of": day, "audit": [] if public else audit_rows(session, t.id),
        "may_report": viewer is not None and viewer.may_report_for(t.unit_id)
        and t.review_state != "rejected",
    })


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
           value: Annotated[Decimal, Form(allow_inf_nan=False, max_digits=24, decimal_places=6)],
           note: Annotated[str | None, Form(max_length=4000)] = None,
           evidence: Annotated[UploadFile | None, File()] = None) -> RedirectResponse:
    ensure_may_report(user, session, target_id)
    target = queries.get_target(session, target_id, public=False)
    has_file = evidence is not None and bool(evidence.filename)
    services.add_progress(session, user=user, target=target, as_of=as_of, value=value, note=note,
                          evidence_dir=settings.evidence_dir,
                          evidence_name=evidence.filename if has_file and evidence else None,
                          evidence=evidence.file if has_file and evidence else None)
    flash(request, f"已填报进展：截至 {as_of.isoformat()} 完成 {value}。")
    return RedirectResponse(f"/targets/{target_id}", status_code=303)


@write_router.post("/targets/{target_id}/results/{proposal_id}")
def decide_result(request: Request, target_id: IdPath, proposal_id: IdPath, session: SessionDep,
                  user: ReviewerDep, action: Annotated[str, Form(pattern="^(confirm|reject)$")]) -> RedirectResponse:
    """承诺 vs 实绩: a supervisor confirms a proposed result (a progress report) or rejects it."""
    if not any(p.id == proposal_id for p in list_proposals(session, target_id=target_id)):
        raise NotFound(f"no proposed result {proposal_id} for target {target_id}")
    services.act_as(session, user)
    if action == "confirm":
        report = confirm_result(session, proposal_id, reporter=user.username)
        flash(request, f"实绩已确认：截至 {report.as_of.isoformat()} 完成 {report.value}。")
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
