"""A document after ingest: extract it again (a new revision of each statement, audited), or
withdraw it (remove it and what only it stated, audited).

Re-extraction is how a wrong date, issuing unit or title is put right (the web upload that had
no date, a sidecar that said only "2020"): the stored text is extracted again with the new
settings; each target it states again gets a new revision (the old statement stays in the
history), new targets are added, and targets it no longer states are removed when nobody has
touched them (unreviewed, no progress, no other document states them) and kept otherwise.

Withdrawal removes a document that should not be in the ledger (a wrong file, a draft). Targets
that only it states go with it, unless people have worked on them (reviewed, reported on): then
it refuses and says which, unless `force`. Targets other documents state too lose this
document's statement and fall back to the latest remaining one. The same file can then be
ingested again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date as Date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from taizhang.errors import LedgerError, NotFound
from taizhang.ledger import audit
from taizhang.ledger.ingest import store_statements
from taizhang.ledger.models import Document, ProgressReport, ReviewState, Target, TargetRevision
from taizhang.ledger.office_models import Submission, Task
from taizhang.ledger.units import document_unit, ensure_unit, unit_short_name
from taizhang.ledger.values import parse_id
from taizhang.read.dates import resolve_document_date

Extractor = Callable[..., list[Any]]


@dataclass(frozen=True, slots=True)
class Reextracted:
    document_id: int
    new_targets: list[int]
    revised_targets: list[int]
    removed_targets: list[int]  # no longer stated and untouched: deleted
    kept_targets: list[int]  # no longer stated but reviewed or reported on: kept
    proposed_units: list[str]


@dataclass(frozen=True, slots=True)
class Withdrawn:
    document_id: int
    deleted_targets: list[int]
    reverted_targets: list[int]  # still stated by other documents


def get_document(session: Session, document_id: int | str) -> Document:
    text = str(document_id).strip().lstrip("#")
    document = session.get(Document, number) if (number := parse_id(text)) is not None else None
    if document is None:
        raise NotFound(f"no document {document_id} in the ledger (see taizhang documents)")
    return document


def reextract_document(
    session: Session,
    document_id: int | str,
    *,
    date: Date | str | None = None,
    unit: str | None = None,
    title: str | None = None,
    extract: Extractor | None = None,
) -> Reextracted:
    """Extract a stored document again, with a new date, issuing unit or title if given."""
    if extract is None:
        import taizhang.extract

        extract = taizhang.extract.extract_targets
    document = get_document(session, document_id)
    before = {"date": document.date, "unit_id": document.unit_id, "title": document.title}
    if date is not None and date != "":
        resolved = resolve_document_date(given=date, source=document.source)
        document.date, source = resolved.date, resolved.source
    elif document.date is None:
        resolved = resolve_document_date(meta=document.meta, text=document.text,
                                         source=document.source)
        document.date, source = resolved.date, resolved.source
    else:
        source = str((document.meta or {}).get("date_source") or "given")
    document.meta = {**(document.meta or {}), "date_source": source}
    issuer = ensure_unit(session, unit) if unit else (
        document.issuer or document_unit(session, meta=document.meta))
    document.unit_id = issuer.id if issuer is not None else None
    if title:
        document.title = title.strip()
    found = extract(document.text, date=document.date,
                    subject=unit_short_name(issuer.full_name or issuer.name) if unit and issuer else None,
                    meta=document.meta)
    stated = _stated_by(session, document.id)
    own = {(t.unit_id, t.indicator_key, t.recurring): t for t in stated if t.unit_id is not None}
    session.flush()
    result = store_statements(session, document, found, issuer, own=own)
    touched = set(result.target_ids)
    removed, kept = [], []
    for target in stated:
        if target.id in touched:
            continue
        if _untouched(session, target, document.id):
            removed.append(target.id)
            session.delete(target)
        else:
            kept.append(target.id)
    session.flush()
    audit.record(session, action="re-extract", entity="documents", entity_id=document.id,
                 details={**{k: [v, getattr(document, k)] for k, v in before.items()
                             if v != getattr(document, k)},
                          "new_targets": result.new_ids, "revised_targets": result.revised_ids,
                          **({"restated": result.changes} if result.changes else {}),
                          "removed_targets": removed, "kept_targets": kept})
    return Reextracted(document.id, result.new_ids, result.revised_ids, removed, kept,
                       result.proposed)


def withdraw_document(session: Session, document_id: int | str, *, reason: str = "",
                      force: bool = False) -> Withdrawn:
    """Remove a document (see the module docstring); refuses when people worked on targets
    that only it states, unless `force`."""
    document = get_document(session, document_id)
    stated = _stated_by(session, document.id)
    alone = [t for t in stated if not _other_statements(session, t, document.id)]
    worked = [t for t in alone if not _untouched(session, t, document.id, alone_ok=True)]
    if worked and not force:
        ids = ", ".join(f"#{t.id}" for t in worked[:20])
        raise LedgerError(
            f"document {document.id} states targets that were reviewed or reported on ({ids}); "
            "reject them in review instead, or withdraw with --force to delete them and "
            "their reports"
        )
    reverted = []
    for target in stated:
        if target in alone:
            continue
        for revision in list(target.revisions):
            if revision.document_id == document.id:
                target.revisions.remove(revision)
        if target.document_id == document.id:
            _fall_back(target)
        reverted.append(target.id)
    for target in alone:
        session.delete(target)
    for task in session.scalars(select(Task).where(Task.document_id == document.id)):
        task.document_id = None
    session.flush()
    audit.record(session, action="withdraw", entity="documents", entity_id=document.id,
                 details={"title": document.title, "source": document.source,
                          "date": document.date, "content_hash": document.content_hash,
                          "reason": reason, "deleted_targets": [t.id for t in alone],
                          "reverted_targets": reverted})
    session.delete(document)
    session.flush()
    return Withdrawn(document.id, [t.id for t in alone], reverted)


def _stated_by(session: Session, document_id: int) -> list[Target]:
    ids = select(TargetRevision.target_id).where(TargetRevision.document_id == document_id)
    return list(session.scalars(
        select(Target).where((Target.id.in_(ids)) | (Target.document_id == document_id))
        .order_by(Target.id)))


def _other_statements(session: Session, target: Target, document_id: int) -> bool:
    return any(r.document_id != document_id for r in target.revisions)


def _untouched(session: Session, target: Target, document_id: int, *, alone_ok: bool = False) -> bool:
    """Unreviewed, never reported on, and (unless `alone_ok`) stated by no other document."""
    if target.review_state != ReviewState.UNREVIEWED.value:
        return False
    if not alone_ok and _other_statements(session, target, document_id):
        return False
    reported = session.scalars(select(ProgressReport.id).where(ProgressReport.target_id == target.id)).first()
    submitted = session.scalars(select(Submission.id).where(Submission.target_id == target.id)).first()
    return reported is None and submitted is None


def _fall_back(target: Target) -> None:
    """Make the latest remaining statement current (unless a person edited the target)."""
    if not target.revisions:
        return
    latest = max(target.revisions, key=lambda r: (r.stated_on or Date.min, r.id))
    target.document_id = latest.document_id
    if target.review_state == ReviewState.EDITED.value:
        return
    target.value, target.value_max = latest.value, latest.value_max
    target.comparator, target.deadline = latest.comparator, latest.deadline
    target.quote, target.quote_start, target.quote_end = (latest.quote, latest.quote_start,
                                                            latest.quote_end)
