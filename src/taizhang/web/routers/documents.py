"""/api/documents: ingested texts; upload (ingest) for admins and supervisors."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile

from taizhang.web import queries, services
from taizhang.web.responses import READ_ERRORS, WRITE_ERRORS
from taizhang.web.deps import IdPath, ReviewerDep, SessionDep, SettingsDep, ViewerDep
from taizhang.web.schemas import DocumentDetail, DocumentPublic, Page, TargetPublic, UploadResult
from taizhang.web.uploads import check_document_upload

router = APIRouter(prefix="/api/documents", tags=["documents"], responses=READ_ERRORS)
write_router = APIRouter(prefix="/api/documents", tags=["documents"], responses=WRITE_ERRORS)

Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


@router.get("", response_model=Page[DocumentPublic])
def list_documents(session: SessionDep, settings: SettingsDep, _v: ViewerDep,
                   limit: Limit = 100, offset: Offset = 0) -> Page[DocumentPublic]:
    data, count = queries.list_documents(session, public=settings.public, limit=limit, offset=offset)
    return Page(data=data, count=count)


@router.get("/{document_id}", response_model=DocumentDetail)
def get_document(document_id: IdPath, session: SessionDep, settings: SettingsDep,
                 _v: ViewerDep) -> DocumentDetail:
    return queries.get_document(session, document_id, public=settings.public)


@router.get("/{document_id}/targets", response_model=Page[TargetPublic])
def document_targets(document_id: IdPath, session: SessionDep, settings: SettingsDep,
                     _v: ViewerDep, limit: Limit = 1000, offset: Offset = 0) -> Page[TargetPublic]:
    queries.get_document(session, document_id, public=settings.public)
    data, count = queries.list_targets(session, public=settings.public, document_id=document_id,
                                       limit=limit, offset=offset)
    return Page(data=data, count=count)


@write_router.post("", response_model=UploadResult, status_code=201)
def upload_document(
    session: SessionDep,
    user: ReviewerDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="A .txt, .html, .docx or .pdf file")],
    date_: Annotated[date | None, Form(alias="date", description="Reference date of the text "
                                       "(全年 → 31 Dec of its year); default: none")] = None,
) -> UploadResult:
    """Ingest a document: read it, extract its targets and store them as unreviewed."""
    check_document_upload(file)
    result = services.ingest_upload(session, user=user, filename=file.filename or "upload",
                                    stream=file.file, doc_date=date_,
                                    read_seconds=settings.upload_read_seconds)
    return UploadResult(document=queries.document_public(result.document, len(result.targets)),
                        created=result.created,
                        targets=[queries.target_public(t) for t in result.targets])
