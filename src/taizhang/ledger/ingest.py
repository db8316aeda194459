"""Documents and their targets into the ledger, one transaction per document.

A document is identified by the sha256 of its text: ingesting it again adds nothing. A target
whose unit and indicator (`keys.target_key`: the standard indicator, else the normalised
wording) match a target that is still open when the new document speaks (deadline not before
the document's date, or no deadline) is a restatement: it becomes a `TargetRevision` of that
target instead of a new target. A yearly average (年均, `recurring`) and a target for the period
are two targets even with the same indicator (the five-year plan's 地区生产总值年均增长5% and the
year's 地区生产总值增长5%以上 are both open in 2026, and both `gdp_growth`). The target's
current fields follow the most recent statement unless a person edited it (review state
`edited`). Every statement, the first included, is kept as a revision.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Engine, insert, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, joinedload

from taizhang.errors import TaizhangError
from taizhang.ledger import audit
from taizhang.ledger.db import lock_ids, session_scope
from taizhang.ledger.keys import target_key
from taizhang.ledger.models import Document, ReviewState, Target, TargetRevision, Unit
from taizhang.ledger.units import UnitResolver, document_unit, unit_short_name
from taizhang.read.dates import resolve_document_date
from taizhang.types import Target as ExtractedTarget

if TYPE_CHECKING:
    from taizhang.read import Document as ReadDocument

Extractor = Callable[..., list[ExtractedTarget]]


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What happened to one input: `added`, `duplicate` (already in the ledger) or `failed`."""

    source: str
    status: Literal["added", "duplicate", "failed"]
    document_id: int | None = None
    new_targets: int = 0
    revisions: int = 0
    error: str | None = None
    target_ids: tuple[int, ...] = ()  # the ledger target of each input target, in order
    proposed_units: tuple[str, ...] = ()  # subjects proposed as units for review


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def store_document(
    session: Session,
    *,
    text: str,
    source: str,
    targets: Sequence[ExtractedTarget],
    date: Date | None = None,
    title: str | None = None,
    format: str = "txt",
    meta: dict[str, Any] | None = None,
    unit: str | None = None,
) -> IngestResult:
    """Add one document and its targets in the caller's transaction (see module docstring).

    `unit` names the issuing unit (default: the sidecar's region or issuer); targets without
    a subject belong to it, and subjects that are no known unit are proposed for review.
    """
    meta = dict(meta or {})
    digest = content_hash(text)
    existing = session.scalars(select(Document.id).where(Document.content_hash == digest)).first()
    if existing is not None:
        return IngestResult(source, "duplicate", document_id=existing)
    issuer = document_unit(session, meta=meta, given=unit)
    document = Document(
        title=title or meta.get("title") or Path(source).stem,
        source=source,
        date=date,
        content_hash=digest,
        text=text,
        format=format,
        meta=audit.jsonable(meta),
        unit_id=issuer.id if issuer is not None else None,
    )
    session.add(document)
    session.flush()
    result = store_statements(session, document, targets, issuer)
    audit.record(
        session,
        action="ingest",
        entity="documents",
        entity_id=document.id,
        details={"source": source, "new_targets": result.new_ids,
                 "revised_targets": result.revised_ids,
                 **({"proposed_units": result.proposed} if result.proposed else {})},
    )
    return IngestResult(
        source, "added", document.id, len(result.new_ids), len(result.revised_ids),
        target_ids=tuple(result.target_ids), proposed_units=tuple(result.proposed),
    )


@dataclass(frozen=True, slots=True)
class Statements:
    new_ids: list[int]
    revised_ids: list[int]
    target_ids: list[int]  # the ledger target of each input target, in order
    proposed: list[str]  # subjects proposed as units for review


def store_statements(
    session: Session,
    document: Document,
    targets: Sequence[ExtractedTarget],
    issuer: Unit | None,
    *,
    own: dict[tuple[int, str, str | None], Target] | None = None,
) -> Statements:
    """The targets one document states: new targets, or revisions of open ones (`own`: targets
    this document stated before, matched first, for a re-extraction)."""
    resolver = UnitResolver(session, issuer, document.id)
    units = {t.subject: resolver.unit_for(t.subject) for t in targets}
    unit_ids = {u.id for u in units.values() if u is not None}
    lock_ids(session, "units", unit_ids)  # concurrent restatements of a unit make revisions
    open_targets = _open_targets(session, targets, unit_ids, document.date)
    new_rows: list[dict[str, Any]] = []
    statements: list[tuple[Target | int, ExtractedTarget]] = []  # existing target or new row
    revised_ids: list[int] = []
    for extracted in targets:
        unit = units[extracted.subject]
        key = target_key(extracted.indicator, extracted.unit, extracted.kind.value)
        current = None
        if unit is not None:
            slot = (unit.id, key, extracted.recurring)
            current = (own or {}).get(slot) or open_targets.get(slot)
        if current is None:
            statements.append((len(new_rows), extracted))
            row = _new_target(extracted, document, unit, key)
            flag = resolver.flags.get((extracted.subject or "").strip())
            if flag:
                row["flags"] = [*row["flags"], flag]
            new_rows.append(row)
        else:
            _restate(current, extracted, document)
            revised_ids.append(current.id)
            statements.append((current, extracted))
    session.flush()  # restatements (audited as updates)
    # New targets and all statements go in as two bulk INSERTs: the ORM's row-by-row inserts
    # were most of the ingest time (README, ledger benchmark).
    new_ids = (
        list(
            session.scalars(
                insert(Target).returning(Target.id, sort_by_parameter_order=True), new_rows
            )
        )
        if new_rows
        else []
    )
    target_ids = [new_ids[s] if isinstance(s, int) else s.id for s, _ in statements]
    if statements:
        session.execute(
            insert(TargetRevision),
            [
                _revision(tid, extracted, document)
                for tid, (_, extracted) in zip(target_ids, statements, strict=True)
            ],
        )
    return Statements(new_ids, revised_ids, target_ids, resolver.proposed)


def _open_targets(
    session: Session,
    targets: Sequence[ExtractedTarget],
    unit_ids: set[int],
    date: Date | None,
) -> dict[tuple[int, str, str | None], Target]:
    """Existing targets this document may restate, by (unit id, key, recurring): one query."""
    keys = {target_key(t.indicator, t.unit, t.kind.value) for t in targets}
    if not keys or not unit_ids:
        return {}
    query = (
        select(Target)
        .options(joinedload(Target.document).load_only(Document.date))
        .where(Target.indicator_key.in_(keys), Target.unit_id.in_(unit_ids))
    )
    if date is not None:
        query = query.where(or_(Target.deadline.is_(None), Target.deadline >= date))
    found: dict[tuple[int, str, str | None], Target] = {}
    for target in session.scalars(query.order_by(Target.id)):
        assert target.unit_id is not None
        found[(target.unit_id, target.indicator_key, target.recurring)] = target  # latest (highest id) wins
    return found


def _new_target(
    t: ExtractedTarget, document: Document, unit: Unit | None, key: str
) -> dict[str, Any]:
    return {
        "document_id": document.id,
        "unit_id": unit.id if unit else None,
        "subject": t.subject,
        "indicator": t.indicator,
        "indicator_key": key,
        "value": t.value,
        "value_max": t.value_max,
        "unit": t.unit,
        "comparator": t.comparator.value,
        "kind": t.kind.value,
        "deadline": t.deadline,
        "recurring": t.recurring,
        "strength": t.strength.value,
        "commitment": t.commitment,
        "qualifier": t.qualifier,
        "value_text": t.value_text,
        "value_start": t.value_span.start,
        "value_end": t.value_span.end,
        "quote": t.quote,
        "quote_start": t.quote_span.start,
        "quote_end": t.quote_span.end,
        "flags": list(t.flags),
        "rules": list(t.rules),
        "review_state": ReviewState.UNREVIEWED.value,
    }


def _restate(target: Target, t: ExtractedTarget, document: Document) -> None:
    """Make the newer statement current, unless a person has edited the target."""
    if target.review_state == ReviewState.EDITED.value:
        return
    latest = target.document.date  # the current statement is the latest dated one
    if latest is not None and (document.date is None or document.date < latest):
        return
    target.document = document
    for name in (
        "value",
        "value_max",
        "deadline",
        "value_text",
        "quote",
        "commitment",
        "qualifier",
        "recurring",
    ):
        setattr(target, name, getattr(t, name))
    target.comparator = t.comparator.value
    target.value_start, target.value_end = t.value_span.start, t.value_span.end
    target.quote_start, target.quote_end = t.quote_span.start, t.quote_span.end


def _revision(target_id: int, t: ExtractedTarget, document: Document) -> dict[str, Any]:
    return {
        "target_id": target_id,
        "document_id": document.id,
        "value": t.value,
        "value_max": t.value_max,
        "comparator": t.comparator.value,
        "deadline": t.deadline,
        "quote": t.quote,
        "quote_start": t.quote_span.start,
        "quote_end": t.quote_span.end,
        "stated_on": document.date,
    }


def ingest_document(
    engine: Engine,
    document: ReadDocument,
    *,
    date: Date | None = None,
    unit: str | None = None,
    title: str | None = None,
    extract: Extractor | None = None,
    actor: str = "system",
) -> IngestResult:
    """Extract (outside the transaction) and store one read document in its own transaction.

    The date is resolved by `taizhang.read.dates.resolve_document_date` (`date` first); a
    document that nothing dates is a `failed` result asking for --date. `unit` names the
    issuing unit (it is also the extractor's default subject), `title` the document's title.
    """
    if extract is None:
        import taizhang.extract  # looked up at call time, so a test can swap the extractor

        extract = taizhang.extract.extract_targets
    try:
        when = resolve_document_date(
            given=date, meta=document.meta, text=document.text, source=document.path
        )
    except TaizhangError as err:
        return IngestResult(document.path, "failed", error=str(err))
    meta = {**document.meta, "date_source": when.source}
    subject = unit_short_name(unit) if unit else None
    try:
        targets = extract(document.text, date=when.date, subject=subject, meta=document.meta)
    except Exception as err:  # noqa: BLE001 -- an extractor bug is reported, not fatal to 10,000 files
        return IngestResult(document.path, "failed", error=f"extraction failed: {err!r}")
    digest = content_hash(document.text)
    problem: Exception | None = None
    for _attempt in range(STORE_ATTEMPTS):
        try:
            with session_scope(engine, actor=actor) as session:
                return store_document(
                    session,
                    text=document.text,
                    source=document.path,
                    targets=targets,
                    date=when.date,
                    title=title,
                    format=document.format,
                    meta=meta,
                    unit=unit,
                )
        except TaizhangError as err:  # an issuing unit nobody knows
            return IngestResult(document.path, "failed", error=f"{document.path}: {err}")
        except (IntegrityError, OperationalError) as err:
            if isinstance(err, OperationalError) and not is_transient(err):
                raise
            # Only our own text stored meanwhile makes this a duplicate; anything else (a unit
            # another process created at the same moment, a deadlock) is tried again.
            stored = stored_document(engine, digest)
            if stored is not None:
                return IngestResult(document.path, "duplicate", document_id=stored)
            problem = err
    reason = str(getattr(problem, "orig", None) or problem).strip().splitlines()[0]
    return IngestResult(document.path, "failed",
                        error=f"{document.path}: not stored after {STORE_ATTEMPTS} attempts: {reason}")


STORE_ATTEMPTS = 5
# PostgreSQL's deadlock_detected and serialization_failure: the transaction may simply be rerun
TRANSIENT_SQLSTATES = frozenset({"40P01", "40001"})


def is_transient(err: OperationalError) -> bool:
    return getattr(err.orig, "sqlstate", None) in TRANSIENT_SQLSTATES


def stored_document(engine: Engine, digest: str) -> int | None:
    """The id of the document with this content hash, if one is committed."""
    with session_scope(engine, write=False) as session:
        return session.scalars(select(Document.id).where(Document.content_hash == digest)).first()


def ingest_file(
    engine: Engine,
    path: Path,
    *,
    date: Date | None = None,
    unit: str | None = None,
    title: str | None = None,
    extract: Extractor | None = None,
    actor: str = "system",
) -> IngestResult:
    """Read one file and ingest it; a file that cannot be read is a `failed` result."""
    from taizhang.read import read_document

    try:
        document = read_document(path)
    except (TaizhangError, OSError, ValueError) as err:  # ValueError: undecodable bytes
        return IngestResult(str(path), "failed", error=f"{path}: {err}")
    return ingest_document(engine, document, date=date, unit=unit, title=title, extract=extract,
                           actor=actor)


def ingest_paths(
    engine: Engine,
    paths: Iterable[str | Path],
    *,
    date: Date | None = None,
    unit: str | None = None,
    extract: Extractor | None = None,
    actor: str = "system",
    on_result: Callable[[IngestResult], None] | None = None,
) -> list[IngestResult]:
    """Ingest every document under `paths` (read by `taizhang.read.iter_documents`, which walks
    folders); a file that cannot be read or extracted is a `failed` result, never raised."""
    from taizhang.read import iter_documents

    results = []
    for path, item in iter_documents(paths):
        if isinstance(item, TaizhangError):
            result = IngestResult(str(path), "failed", error=str(item))
        else:
            result = ingest_document(engine, item, date=date, unit=unit, extract=extract,
                                     actor=actor)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results
