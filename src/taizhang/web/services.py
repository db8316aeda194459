"""Write side used by the web: ingest an upload, review a target, record progress.

Each function delegates to the ledger's data-access function and commits once, with the
user's name as the session's actor, so the ledger's audit log records who did it and a
refused request leaves nothing behind.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from taizhang.errors import LedgerError
from taizhang.extract import extract_targets
from taizhang.ledger.ingest import (STORE_ATTEMPTS, IngestResult, content_hash, is_transient,
                                    store_document)
from taizhang.ledger import workflow
from taizhang.ledger.models import Document, Target
from taizhang.ledger.office_models import Submission, Task
from taizhang.ledger.repository import review_target as ledger_review
from taizhang.ledger.units import ensure_unit, unit_short_name
from taizhang.read.dates import resolve_document_date
from taizhang.read.isolated import read_isolated
from taizhang.web.auth import Principal

# Fields the review form offers; `unit_name` is the responsible unit (ledger: "responsible").
EDITABLE = ("indicator", "value", "value_max", "unit", "comparator", "deadline", "unit_name",
            "report_cycle")


@dataclass(frozen=True, slots=True)
class Ingested:
    document: Document
    created: bool
    targets: list[Target]


def act_as(session: Session, user: Principal) -> None:
    session.info["actor"] = user.username


def ingest_upload(session: Session, *, user: Principal, filename: str, stream: BinaryIO,
                  doc_date: date | None, unit: str | None = None,
                  title: str | None = None, read_seconds: float = 60.0) -> Ingested:
    """Read the uploaded file with the project's readers, extract, and store it in one commit.

    The file is read in a child process stopped after `read_seconds` (`taizhang.read.isolated`).
    The date follows `taizhang.read.dates` (the form's date, else one in the text's opening
    lines); with none, `DateNeeded` asks the user for it before anything is stored.
    """
    name = Path(filename).name
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="taizhang-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        with path.open("wb") as out:
            shutil.copyfileobj(stream, out)
        doc = read_isolated(path, name=name, seconds=read_seconds)
    when = resolve_document_date(given=doc_date, meta=doc.meta, text=doc.text, source=name)
    unit = (unit or "").strip() or None
    act_as(session, user)
    issuer = ensure_unit(session, unit) if unit else None  # an unknown unit is refused first
    found = extract_targets(doc.text, date=when.date,
                            subject=unit_short_name(unit) if unit and issuer else None,
                            meta=doc.meta)
    for attempt in range(1, STORE_ATTEMPTS + 1):
        try:
            result = store_document(
                session, text=doc.text, source=name, targets=found, date=when.date,
                title=(title or "").strip() or str(doc.meta.get("title") or Path(name).stem),
                format=doc.format, meta={**doc.meta, "date_source": when.source}, unit=unit)
            session.commit()
            break
        except (IntegrityError, OperationalError) as err:
            # As in `ingest_document`: only our own text stored meanwhile (the same file
            # uploaded at the same moment) makes this a duplicate; a unit created by another
            # ingest at once, or a deadlock, is tried again.
            session.rollback()
            if isinstance(err, OperationalError) and not is_transient(err):
                raise
            stored = session.scalars(select(Document.id)
                                     .where(Document.content_hash == content_hash(doc.text))).first()
            if stored is not None:
                result = IngestResult(name, "duplicate", document_id=stored)
                break
            if attempt == STORE_ATTEMPTS:
                raise
    document = session.get(Document, result.document_id)
    if document is None:  # pragma: no cover - store_document always returns an id here
        raise LedgerError("the document was not stored")
    targets = list(session.scalars(select(Target).where(Target.document_id == document.id)
                                   .order_by(Target.quote_start, Target.id)))
    if result.status == "added" and result.revisions:
        ids = set(result.target_ids)
        targets = list(session.scalars(select(Target).where(Target.id.in_(ids))))
    return Ingested(document, result.status == "added", targets)


def review_target(session: Session, *, user: Principal, target: Target, action: str,
                  changes: dict[str, object] | None = None) -> Target:
    act_as(session, user)
    fields = {("responsible" if k == "unit_name" else k): str(v)
              for k, v in (changes or {}).items() if v is not None and str(v).strip() != ""}
    if action == "edit" and not fields:
        raise LedgerError("nothing to change: give at least one field to edit")
    ledger_review(session, target_id=target.id, confirm=action == "confirm",
                  reject=action == "reject", changes=fields if action == "edit" else None)
    session.commit()
    return target


# --- 报送 → 审核 → 销号 from the web -------------------------------------------------------------


def may_report_on_task(user: Principal, task: Task) -> bool:
    """Reviewers; a reporter of the task's 牵头单位 (or a unit below it) or of a 配合单位."""
    if user.is_reviewer:
        return True
    units = {task.unit_id, *(s.unit_id for s in task.support)}
    return any(u is not None and u in user.unit_ids for u in units)


def submit_report(session: Session, *, user: Principal, evidence_dir: Path,
                  files: list[tuple[str, BinaryIO]], **fields: object) -> Submission:
    """A report from the web: a reporter's waits for review, a reviewer's counts at once."""
    act_as(session, user)
    try:
        sub = workflow.submit(session, files=[workflow.Upload(n, s) for n, s in files],
                              evidence_dir=evidence_dir, auto_accept=user.is_reviewer,
                              **fields)  # type: ignore[arg-type]
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return sub


def act_on_submission(session: Session, *, user: Principal, submission_id: int, step: str,
                      reason: str = "", value: str | None = None, as_of: date | None = None,
                      note: str | None = None, files: list[tuple[str, BinaryIO]] = (),  # type: ignore[assignment]
                      evidence_dir: Path | None = None) -> Submission:
    """accept / return (reviewers), correct / withdraw (its reporter, or a reviewer)."""
    act_as(session, user)
    session.info["reviewer"] = user.is_reviewer
    sub = workflow.get_submission(session, submission_id)
    if step in ("accept", "return") and not user.is_reviewer:
        raise LedgerError("只有督查人员可以审核 (only supervisors review reports)")
    if step == "accept":
        workflow.accept(session, sub.id)
    elif step == "return":
        workflow.send_back(session, sub.id, reason=reason)
    elif step == "withdraw":
        workflow.withdraw(session, sub.id)
    else:
        workflow.correct(session, sub.id, value=value, as_of=as_of, note=note,
                         files=[workflow.Upload(n, s) for n, s in files], evidence_dir=evidence_dir)
    session.commit()
    return sub
