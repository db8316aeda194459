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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Engine, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from taizhang.errors import TaizhangError
from taizhang.ledger import audit
from taizhang.ledger.db import session_scope
from taizhang.ledger.keys import target_key
from taizhang.ledger.models import Document, ReviewState, Target, TargetRevision, Unit
from taizhang.ledger.units import ensure_region, ensure_unit
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


def text_date(text: str) -> Date | None:
    from taizhang.extract.structure import document_date as dateline

    return dateline(text)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_date(meta: dict[str, Any], override: Date | None = None) -> Date | None:
    """The reference date: `--date`, else the sidecar's `date` (YYYY-MM-DD…), else None."""
    if override is not None:
        return override
    raw = str(meta.get("date") or "")[:10]
    try:
        return Date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


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
) -> IngestResult:
    """Add one document and its targets in the caller's transaction (see module docstring)."""
    meta = dict(meta or {})
    digest = content_hash(text)
    existing = session.scalars(select(Document.id).where(Document.content_hash == digest)).first()
    if existing is not None:
        return IngestResult(source, "duplicate", document_id=existing)
    document = Document(
        title=title or meta.get("title") or Path(source).stem,
        source=source,
        date=date,
        content_hash=digest,
        text=text,
        format=format,
        meta=audit.jsonable(meta),
    )
    session.add(document)
    session.flush()
    region = ensure_region(session, str(meta["region"])) if meta.get("region") else None
    units = _resolve_units(session, targets, region)
    unit_ids = {u.id for u in units.values()} | ({region.id} if region is not None else set())
    open_targets = _open_targets(session, targets, unit_ids, date)
    new_rows: list[dict[str, Any]] = []
    statements: list[tuple[Target | int, ExtractedTarget]] = []  # existing target or new row
    revised_ids: list[int] = []
    for extracted in targets:
        unit = units.get(extracted.subject) if extracted.subject else region
        key = target_key(extracted.indicator, extracted.unit, extracted.kind.value)
        current = open_targets.get((unit.id, key, extracted.recurring)) if unit is not None else None
        if current is None:
            statements.append((len(new_rows), extracted))
            new_rows.append(_new_target(extracted, document, unit, key))
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
    audit.record(
        session,
        action="ingest",
        entity="documents",
        entity_id=document.id,
        details={"source": source, "new_targets": new_ids, "revised_targets": revised_ids},
    )
    return IngestResult(
        source, "added", document.id, len(new_ids), len(revised_ids), target_ids=tuple(target_ids)
    )


def _resolve_units(
    session: Session, targets: Sequence[ExtractedTarget], region: Unit | None
) -> dict[str | None, Unit]:
    units: dict[str | None, Unit] = {}
    for subject in {t.subject for t in targets if t.subject}:
        units[subject] = ensure_unit(session, subject, parent=region)
    return units


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


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files `ingest_paths` will read (for a progress bar's total): files as given, folders
    walked for the suffixes the reader knows, hidden names skipped (as `read.iter_documents`)."""
    from taizhang.read.sniff import SUFFIXES

    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            yield path
            continue
        for child in sorted(path.rglob("*")):
            hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
            if child.is_file() and not hidden and child.suffix.lower() in SUFFIXES:
                yield child


def ingest_document(
    engine: Engine,
    document: ReadDocument,
    *,
    date: Date | None = None,
    extract: Extractor | None = None,
    actor: str = "system",
) -> IngestResult:
    """Extract (outside the transaction) and store one read document in its own transaction."""
    if extract is None:
        import taizhang.extract  # looked up at call time, so a test can swap the extractor

        extract = taizhang.extract.extract_targets
    when = document_date(document.meta, date)
    try:
        # until a document's date is resolved in one place, undated text reads as of today
        targets = extract(document.text, date=when or text_date(document.text) or Date.today())
    except Exception as err:  # noqa: BLE001 -- an extractor bug is reported, not fatal to 10,000 files
        return IngestResult(document.path, "failed", error=f"extraction failed: {err!r}")
    try:
        with session_scope(engine, actor=actor) as session:
            return store_document(
                session,
                text=document.text,
                source=document.path,
                targets=targets,
                date=when,
                format=document.format,
                meta=document.meta,
            )
    except IntegrityError:
        # Another process stored the same text between our check and our commit.
        return IngestResult(document.path, "duplicate")


def ingest_file(
    engine: Engine,
    path: Path,
    *,
    date: Date | None = None,
    extract: Extractor | None = None,
    actor: str = "system",
) -> IngestResult:
    """Read one file and ingest it; a file that cannot be read is a `failed` result."""
    from taizhang.read import read_document

    try:
        document = read_document(path)
    except (TaizhangError, OSError, ValueError) as err:  # ValueError: undecodable bytes
        return IngestResult(str(path), "failed", error=f"{path}: {err}")
    return ingest_document(engine, document, date=date, extract=extract, actor=actor)


def ingest_paths(
    engine: Engine,
    paths: Iterable[str | Path],
    *,
    date: Date | None = None,
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
            result = ingest_document(engine, item, date=date, extract=extract, actor=actor)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results
