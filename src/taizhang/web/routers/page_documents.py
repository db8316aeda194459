"""Document pages: list, text with every target highlighted (review there), upload."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from sqlalchemy import select

from taizhang.ledger.documents import reextract_document, withdraw_document
from taizhang.ledger.models import Document, Target, Unit
from taizhang.read.dates import SOURCE_LABELS, DateNeeded, DocumentDate
from taizhang.web import queries, services
from taizhang.web.deps import IdPath, ReviewerDep, SessionDep, SettingsDep, ViewerDep
from taizhang.web.highlight import segments
from taizhang.web.templating import flash, render
from taizhang.web.uploads import check_document_upload

router = APIRouter(include_in_schema=False)
write_router = APIRouter(include_in_schema=False)


@router.get("/documents", response_class=HTMLResponse)
def document_list(request: Request, session: SessionDep, settings: SettingsDep,
                  _v: ViewerDep) -> HTMLResponse:
    docs, count = queries.list_documents(session, public=settings.public, limit=500)
    return render(request, "documents.html", {"docs": docs, "count": count})


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, document_id: IdPath, session: SessionDep,
                  settings: SettingsDep, _v: ViewerDep) -> HTMLResponse:
    doc = queries.get_document(session, document_id, public=settings.public)
    q = queries.target_query(public=settings.public, document_id=document_id)
    targets = list(session.scalars(q.order_by(Target.quote_start, Target.id)))
    numbered = {t.id: n for n, t in enumerate(targets, start=1)}
    segs = segments(doc.text, [(t.quote_start, t.quote_end, t.id, t.review_state,
                                str(numbered[t.id])) for t in targets])
    stored = session.get(Document, document_id)
    return render(request, "document.html", {
        "doc": doc, "segments": segs, "stored": stored, "units": _units(session),
        "date_label": DocumentDate(stored.date, (stored.meta or {}).get("date_source") or "given").label
        if stored is not None and stored.date and (stored.meta or {}).get("date_source") in SOURCE_LABELS
        else None,
        "targets": [(numbered[t.id], queries.target_public(t)) for t in targets]})


@write_router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    if viewer is None or not viewer.is_reviewer:
        raise HTTPException(403, "只有管理员和督查人员可以上传文件 (admins and supervisors only)")
    return render(request, "upload.html", {"units": _units(session), "error": None})


def _units(session: SessionDep) -> list[Unit]:
    return list(session.scalars(select(Unit).order_by(Unit.name)))


@write_router.post("/upload", response_model=None)
def upload(request: Request, session: SessionDep, user: ReviewerDep, settings: SettingsDep,
           file: Annotated[UploadFile, File()],
           date_: Annotated[date | None, Form(alias="date")] = None,
           unit: Annotated[str | None, Form(max_length=100)] = None,
           title: Annotated[str | None, Form(max_length=500)] = None) -> RedirectResponse | HTMLResponse:
    """Ingest a file with its date, issuing unit and title; without a date that nothing else
    gives, the form comes back asking for one (nothing is stored)."""
    check_document_upload(file)
    try:
        result = services.ingest_upload(session, user=user, filename=file.filename or "upload",
                                        stream=file.file, doc_date=date_, unit=unit, title=title,
                                        read_seconds=settings.upload_read_seconds)
    except DateNeeded:
        return render(request, "upload.html", {
            "units": _units(session), "unit": unit, "title": title,
            "error": f"《{file.filename}》里没有日期：请填写文件日期再上传（全年、年底前等时限都从它算起）。"},
            status_code=422)
    if result.created:
        flash(request, f"已导入《{result.document.title}》（{result.document.date}），"
                       f"提取目标 {len(result.targets)} 条，请逐条审核。")
    else:
        flash(request, "该文件已导入过，未重复添加；如日期或单位有误，可在文件页面重新提取或撤回。")
    return RedirectResponse(f"/documents/{result.document.id}", status_code=303)


@write_router.post("/documents/{document_id}/reextract")
def reextract(request: Request, document_id: IdPath, session: SessionDep, user: ReviewerDep,
              date_: Annotated[date | None, Form(alias="date")] = None,
              unit: Annotated[str | None, Form(max_length=100)] = None,
              title: Annotated[str | None, Form(max_length=500)] = None) -> RedirectResponse:
    """Extract a document again with a corrected date, issuing unit or title (audited)."""
    services.act_as(session, user)
    done = reextract_document(session, document_id, date=date_, unit=(unit or "").strip() or None,
                              title=(title or "").strip() or None)
    session.commit()
    flash(request, f"已重新提取：新增 {len(done.new_targets)} 条，修订 {len(done.revised_targets)} 条，"
                   f"删除 {len(done.removed_targets)} 条，保留 {len(done.kept_targets)} 条。")
    return RedirectResponse(f"/documents/{document_id}", status_code=303)


@write_router.post("/documents/{document_id}/withdraw")
def withdraw(request: Request, document_id: IdPath, session: SessionDep, user: ReviewerDep,
             reason: Annotated[str, Form(max_length=2000)] = "",
             force: Annotated[bool, Form()] = False) -> RedirectResponse:
    """Withdraw a document and the targets only it states (audited)."""
    services.act_as(session, user)
    done = withdraw_document(session, document_id, reason=reason, force=force)
    session.commit()
    flash(request, f"文件 #{document_id} 已撤回，删除目标 {len(done.deleted_targets)} 条。")
    return RedirectResponse("/documents", status_code=303)


@write_router.post("/targets/{target_id}/review")
async def review(request: Request, target_id: IdPath, session: SessionDep, user: ReviewerDep,
                 action: Annotated[str, Form(pattern="^(confirm|reject|edit)$")]) -> RedirectResponse:
    target = queries.get_target(session, target_id, public=False)
    changes: dict[str, object] = {}
    if action == "edit":
        form = await request.form()
        changes = {k: v for k in services.EDITABLE if isinstance(v := form.get(k), str) and v.strip()}
        if not changes:
            raise HTTPException(422, "没有要修改的字段 (nothing to change): fill in at least one field")
    services.review_target(session, user=user, target=target, action=action, changes=changes)
    flash(request, f"目标 #{target_id} 已{ {'confirm': '确认', 'reject': '驳回', 'edit': '修改'}[action] }。")
    back = request.headers.get("referer") or ""
    dest = f"/targets/{target_id}" if f"/targets/{target_id}" in back else f"/documents/{target.document_id}#t{target_id}"
    return RedirectResponse(dest, status_code=303)


