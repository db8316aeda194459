"""Write side used by the web: ingest an upload, review a target, record progress.

Every write goes through here, records its user in the audit log and commits once, so a
refused request leaves nothing behind. Where the ledger stage provides the operation, these
functions delegate to it.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from taizhang.errors import LedgerError
from taizhang.extract import extract_targets
from taizhang.ledger.keys import indicator_key
from taizhang.ledger.models import (
    AuditLog,
    Document,
    ProgressReport,
    ReviewState,
    Target,
    TargetRevision,
    Unit,
    UnitAlias,
)
from taizhang.read import read_document
from taizhang.types import Comparator
from taizhang.web.auth import Principal

EDITABLE = ("indicator", "value", "value_max", "unit", "comparator", "deadline", "unit_name")


@dataclass(frozen=True, slots=True)
class Ingested:
    document: Document
    created: bool
    targets: list[Target]


def audit(session: Session, user: Principal, action: str, entity: str, entity_id: int | None,
          **details: object) -> None:
    session.add(AuditLog(actor=user.username, action=action, entity=entity,
                         entity_id=entity_id, details={k: _jsonable(v) for k, v in details.items()}))


def _jsonable(value: object) -> object:
    if isinstance(value, (Decimal, date)):
        return str(value)
    return value


def ingest_upload(session: Session, *, user: Principal, filename: str, stream: BinaryIO,
                  doc_date: date | None) -> Ingested:
    """Read the uploaded file with the project's readers, extract, and store it in one commit."""
    suffix = Path(filename).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="taizhang-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        with path.open("wb") as out:
            shutil.copyfileobj(stream, out)
        doc = read_document(path)
    text = doc.text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    existing = session.scalar(select(Document).where(Document.content_hash == digest))
    if existing is not None:
        return Ingested(existing, False, list(existing.targets))
    title = str(doc.meta.get("title") or Path(filename).stem)
    document = Document(title=title, source=Path(filename).name, date=doc_date,
                        content_hash=digest, text=text, format=doc.format, meta=doc.meta)
    session.add(document)
    session.flush()
    targets = []
    for found in extract_targets(text, date=doc_date):
        unit = resolve_unit(session, found.subject)
        t = Target(document_id=document.id, unit_id=unit.id if unit else None,
                   subject=found.subject, indicator=found.indicator,
                   indicator_key=indicator_key(found.indicator), value=found.value,
                   value_max=found.value_max, unit=found.unit, comparator=found.comparator.value,
                   kind=found.kind.value, deadline=found.deadline, recurring=found.recurring,
                   strength=found.strength.value, commitment=found.commitment,
                   qualifier=found.qualifier, value_text=found.value_text,
                   value_start=found.value_span.start, value_end=found.value_span.end,
                   quote=found.quote, quote_start=found.quote_span.start,
                   quote_end=found.quote_span.end, flags=list(found.flags),
                   rules=list(found.rules), review_state=ReviewState.UNREVIEWED.value)
        session.add(t)
        session.flush()
        session.add(TargetRevision(target_id=t.id, document_id=document.id, value=t.value,
                                   value_max=t.value_max, comparator=t.comparator,
                                   deadline=t.deadline, quote=t.quote, quote_start=t.quote_start,
                                   quote_end=t.quote_end, stated_on=doc_date))
        targets.append(t)
    audit(session, user, "ingest", "document", document.id, source=document.source,
          targets=len(targets))
    session.commit()
    return Ingested(document, True, targets)


def resolve_unit(session: Session, name: str | None, *, create: bool = True) -> Unit | None:
    if not name:
        return None
    unit = session.scalar(select(Unit).where(Unit.name == name))
    if unit is None:
        unit = session.scalar(select(Unit).join(UnitAlias).where(UnitAlias.alias == name))
    if unit is None and create:
        unit = Unit(name=name)
        session.add(unit)
        session.flush()
    return unit


def review_target(session: Session, *, user: Principal, target: Target, action: str,
                  changes: dict[str, object] | None = None) -> Target:
    before = target.review_state
    if action == "confirm":
        target.review_state = ReviewState.CONFIRMED.value
    elif action == "reject":
        target.review_state = ReviewState.REJECTED.value
    elif action == "edit":
        applied = _apply_changes(session, target, changes or {})
        target.review_state = ReviewState.EDITED.value
        audit(session, user, "edit", "target", target.id, changes=applied)
    else:
        raise LedgerError(f"unknown review action {action!r}; use confirm, edit or reject")
    audit(session, user, "review", "target", target.id, before=before, after=target.review_state)
    session.commit()
    return target


def _apply_changes(session: Session, target: Target, changes: dict[str, object]) -> dict[str, object]:
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise LedgerError(f"cannot edit {', '.join(unknown)}; editable fields: {', '.join(EDITABLE)}")
    applied: dict[str, object] = {}
    for name, raw in changes.items():
        if raw is None or raw == "":
            continue
        text = str(raw).strip()
        if name in ("value", "value_max"):
            value: object = _decimal(text, name)
        elif name == "deadline":
            try:
                value = date.fromisoformat(text)
            except ValueError:
                raise LedgerError(f"deadline {text!r} is not a date (YYYY-MM-DD)") from None
        elif name == "comparator":
            if text not in {c.value for c in Comparator}:
                raise LedgerError(f"comparator {text!r}: use one of gt ge le lt approx eq range")
            value = text
        elif name == "unit_name":
            unit = resolve_unit(session, text)
            target.unit_id = unit.id if unit else None
            applied[name] = text
            continue
        else:
            value = text
            if name == "indicator":
                target.indicator_key = indicator_key(text)
        applied[name] = {"from": _jsonable(getattr(target, name)), "to": _jsonable(value)}
        setattr(target, name, value)
    return applied


def _decimal(text: str, name: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise LedgerError(f"{name} {text!r} is not a number") from None
    if not value.is_finite():
        raise LedgerError(f"{name} must be a finite number")
    return value


_SAFE_NAME = re.compile(r"[^\w.\-]+")


def add_progress(session: Session, *, user: Principal, target: Target, as_of: date,
                 value: Decimal, note: str | None, evidence_dir: Path,
                 evidence_name: str | None = None, evidence: BinaryIO | None = None) -> ProgressReport:
    stored = None
    if evidence is not None and evidence_name:
        evidence_dir.mkdir(parents=True, exist_ok=True)
        stored = evidence_dir / f"{uuid.uuid4().hex}-{_SAFE_NAME.sub('_', Path(evidence_name).name)[-120:]}"
        with stored.open("wb") as out:
            shutil.copyfileobj(evidence, out)
    try:
        report = ProgressReport(target_id=target.id, as_of=as_of, value=value, note=note or None,
                                evidence_path=str(stored) if stored else None,
                                evidence_name=Path(evidence_name).name if stored and evidence_name else None,
                                reporter=user.username)
        session.add(report)
        session.flush()
        audit(session, user, "progress", "target", target.id, report=report.id, value=value,
              as_of=as_of, evidence=report.evidence_name)
        session.commit()
    except BaseException:
        if stored is not None:
            stored.unlink(missing_ok=True)
        raise
    return report
