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
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date as Date
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from sqlalchemy import Engine, bindparam, func, insert, or_, select, update
from sqlalchemy import text as sql_text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from taizhang.errors import TaizhangError
from taizhang.ledger import audit
from taizhang.ledger.db import lock_ids, read_only, session_scope
from taizhang.ledger.keys import target_key
from taizhang.ledger.models import Document, ReviewState, Target, TargetRevision, Unit, utcnow
from taizhang.ledger.units import UnitCache, UnitResolver, issuing_unit, unit_short_name
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
    """sha256 of the UTF-8 text, encoded a piece at a time (a 200 MB text is not copied)."""
    digest = hashlib.sha256()
    for start in range(0, len(text), HASH_PIECE):
        digest.update(text[start : start + HASH_PIECE].encode("utf-8"))
    return digest.hexdigest()


HASH_PIECE = 2**20
_DOCUMENT_OF_HASH = select(Document.id).where(Document.content_hash == bindparam("digest"))
BATCH = 5_000  # targets stored per round of statements: memory stays flat in their number


def store_document(
    session: Session,
    *,
    text: str,
    source: str,
    targets: Iterable[ExtractedTarget],
    date: Date | None = None,
    title: str | None = None,
    format: str = "txt",
    meta: dict[str, Any] | None = None,
    unit: str | None = None,
    units: UnitCache | None = None,
    digest: str | None = None,
) -> IngestResult:
    """Add one document and its targets in the caller's transaction (see module docstring).

    `unit` names the issuing unit (default: the sidecar's region or issuer); targets without
    a subject belong to it, and subjects that are no known unit are proposed for review.
    `targets` may be any iterable (stored `BATCH` at a time); `units` is a run's cache;
    `digest` the text's content hash, given by a caller that checked it is not stored yet.
    """
    meta = dict(meta or {})
    if digest is None:
        digest = content_hash(text)
        existing = session.scalars(_DOCUMENT_OF_HASH, {"digest": digest}).first()
        if existing is not None:
            return IngestResult(source, "duplicate", document_id=existing)
    # else the caller looked (`ingest_document`, before extracting); a copy stored since then
    # fails on the unique content hash, and the caller reports it as a duplicate
    issuer = issuing_unit(session, meta=meta, given=unit, cache=units)
    row = {
        "title": title or meta.get("title") or Path(source).stem,
        "source": source,
        "date": date,
        "content_hash": digest,
        "text": text,
        "format": format,
        "meta": audit.jsonable(meta),
        "unit_id": issuer.id if issuer is not None else None,
    }
    # a plain INSERT: the ORM's unit of work cost more than the rest of a small document
    row["id"] = session.execute(insert(Document.__table__).returning(Document.id), row).scalar_one()
    document = Document(**row)  # not added to the session: it is already stored
    del row
    result = store_statements(session, document, targets, issuer, units=units)
    audit.record(
        session,
        action="ingest",
        entity="documents",
        entity_id=document.id,
        details={"source": source, "new_targets": result.new_ids,
                 "revised_targets": result.revised_ids,
                 **({"restated": result.changes} if result.changes else {}),
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
    changes: dict[int, dict[str, list[Any]]]  # restated target → {field: [old, new]}


# The fields a restatement replaces (the newer statement becomes current).
RESTATED = ("document_id", "value", "value_max", "comparator", "deadline", "recurring",
            "value_text", "value_start", "value_end", "quote", "quote_start", "quote_end",
            "commitment", "qualifier")

Slot = tuple[int, str, "str | None"]  # (unit id, indicator key, recurring)


@dataclass(slots=True)
class _Open:
    """A target a statement may restate, as plain values: its current fields and the date of
    the statement they come from (no ORM object: loading and auditing those was most of it)."""

    id: int
    review_state: str
    date: Date | None
    fields: dict[str, Any]


def store_statements(
    session: Session,
    document: Document,
    targets: Iterable[ExtractedTarget],
    issuer: Unit | None,
    *,
    own: dict[tuple[int, str, str | None], Target] | None = None,
    units: UnitCache | None = None,
) -> Statements:
    """The targets one document states: new targets, or revisions of open ones (`own`: targets
    this document stated before, matched first, for a re-extraction).

    Targets are taken `BATCH` at a time, each batch as a few bulk statements, all in the
    caller's transaction (a document is stored whole or not at all). The open targets a
    batch may restate are looked up for its new (unit, key) pairs only, leaving out this
    document's own new targets, and kept for the later batches: the result is the same as
    one lookup before the whole document. Restatements are bulk UPDATEs, audited by the
    caller's document entry (`changes`), not row by row.
    """
    resolver = UnitResolver(session, issuer, document.id, cache=units)
    own_open = {slot: _open_of(t) for slot, t in (own or {}).items()}
    known: dict[Slot, _Open] = {}  # open targets found so far, as this document leaves them
    looked: set[tuple[int, str]] = set()  # (unit id, key) pairs already looked up
    locked: set[int] = set()
    new_ids: list[int] = []
    revised_ids: list[int] = []
    target_ids: list[int] = []
    before: dict[int, dict[str, Any]] = {}  # restated target → its fields before this document
    after: dict[int, dict[str, Any]] = {}
    for batch in _batches(_body_first(targets), BATCH):
        unit_ids = [resolver.unit_id_for(t.subject) for t in batch]
        keys = [target_key(t.indicator, t.unit, t.kind.value) for t in batch]
        fresh = {u for u in unit_ids if u is not None} - locked
        lock_ids(session, "units", fresh)  # concurrent restatements of a unit make revisions
        locked |= fresh
        wanted = {(u, k) for u, k in zip(unit_ids, keys, strict=True) if u is not None} - looked
        for slot, found in _open_targets(session, wanted, document).items():
            known.setdefault(slot, found)
        looked |= wanted
        new_rows: list[dict[str, Any]] = []
        statements: list[int] = []  # existing target id, or -1 - index of a new row
        updates: dict[int, dict[str, Any]] = {}
        for extracted, unit_id, key in zip(batch, unit_ids, keys, strict=True):
            current = None
            if unit_id is not None:
                slot = (unit_id, key, extracted.recurring)
                current = own_open.get(slot) or known.get(slot)
            if current is None:
                statements.append(-1 - len(new_rows))
                row = _new_target(extracted, document, unit_id, key)
                flag = resolver.flags.get((extracted.subject or "").strip())
                if flag:
                    row["flags"] = [*row["flags"], flag]
                new_rows.append(row)
            else:
                fields = _restate(current, extracted, document)
                if fields is not None:
                    before.setdefault(current.id, dict(current.fields))
                    current.fields.update(fields)
                    updates[current.id] = after[current.id] = fields
                revised_ids.append(current.id)
                statements.append(current.id)
        if updates:
            _update_targets(session, updates)
        # New targets and all statements go in as two bulk INSERTs: the ORM's row-by-row inserts
        # were most of the ingest time (README, ledger benchmark).
        inserted = _insert_targets(session, new_rows) if new_rows else []
        new_ids.extend(inserted)
        ids = [inserted[-1 - s] if s < 0 else s for s in statements]
        target_ids.extend(ids)
        session.execute(
            insert(TargetRevision.__table__),
            [_revision(tid, extracted, document) for tid, extracted in zip(ids, batch, strict=True)],
        )
    changes = {tid: _changed(before[tid], fields) for tid, fields in after.items()}
    return Statements(new_ids, revised_ids, target_ids, resolver.proposed,
                      {tid: c for tid, c in changes.items() if c})


def _insert_targets(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Insert new target rows; their ids, in order. The rows are one executemany with their
    ids given, taken as the column's default would take them:

    - PostgreSQL: from the table's sequence, n at once (one query). A multi-row INSERT …
      RETURNING cost more: psycopg parses each such statement's text anew (it has as many
      placeholders as the document has new targets), which was half of storing targets;
      an executemany of one statement is parsed once and sent in one pipeline.
    - SQLite: SQLAlchemy keeps RETURNING's order there only by inserting row by row (a
      statement per target: a quarter of storing), so the ids are max(id) + 1 onwards, which
      is what SQLite picks itself; the writing transaction holds the file's write lock (BEGIN
      IMMEDIATE), so nobody takes them meanwhile (if someone did, the INSERT fails on the key
      and the document is tried again).
    """
    table = Target.__table__
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        ids = sorted(session.scalars(_NEXT_TARGET_IDS, {"n": len(rows)}))
    elif dialect == "sqlite":
        first = (session.execute(_LAST_TARGET_ID).scalar() or 0) + 1
        ids = list(range(first, first + len(rows)))
    else:
        return list(session.scalars(
            insert(table).returning(table.c.id, sort_by_parameter_order=True), rows))
    for row, target_id in zip(rows, ids, strict=True):
        row["id"] = target_id
    session.execute(insert(table), rows)
    return ids


_NEXT_TARGET_IDS = sql_text(
    "SELECT nextval(pg_get_serial_sequence('targets', 'id')) FROM generate_series(1, :n)")
_LAST_TARGET_ID = select(func.max(Target.id))


def _body_first(targets: Iterable[ExtractedTarget]) -> Iterator[ExtractedTarget]:
    """The targets in order, a headline's last and only where the body does not state the
    same amount: the extractor reports each printed copy (海南今年计划启动1720部… above
    今年全年计划启动…1720部), the ledger keeps one target, with the body's wording."""
    held: list[ExtractedTarget] = []
    stated: set[tuple[Any, str]] = set()
    for t in targets:
        if "headline" in t.flags:
            held.append(t)
        else:
            stated.add((t.value, t.unit))
            yield t
    yield from (t for t in held if (t.value, t.unit) not in stated)


def _batches(items: Iterable[ExtractedTarget], size: int) -> Iterator[list[ExtractedTarget]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _open_of(target: Target) -> _Open:
    return _Open(target.id, target.review_state, target.document.date,
                 {name: getattr(target, name) for name in RESTATED})


def _open_targets(
    session: Session, wanted: set[tuple[int, str]], document: Document
) -> dict[Slot, _Open]:
    """Existing targets `document` may restate, by (unit id, key, recurring): one query.

    Targets that already name this document are left out: new ones are its own statements,
    and the ones it restated were found by an earlier batch (`store_statements`)."""
    if not wanted:
        return {}
    query = _OPEN_TARGETS if document.date is not None else _OPEN_TARGETS_UNDATED
    params = {"keys": sorted({k for _, k in wanted}), "units": sorted({u for u, _ in wanted}),
              "document_id": document.id, "date": document.date}
    found: dict[Slot, _Open] = {}
    for row in session.execute(query, params).mappings():
        if (row["unit_id"], row["indicator_key"]) not in wanted:
            continue
        # latest (highest id) wins
        found[(row["unit_id"], row["indicator_key"], row["recurring"])] = _Open(
            row["id"], row["review_state"], row["stated_on"], {n: row[n] for n in RESTATED})
    return found


_OPEN_TARGETS_UNDATED = (
    select(Target.id, Target.unit_id, Target.indicator_key, Target.review_state,
           Document.date.label("stated_on"), *(getattr(Target, name).label(name) for name in RESTATED))
    .join(Document, Target.document_id == Document.id)
    .where(Target.indicator_key.in_(bindparam("keys", expanding=True)),
           Target.unit_id.in_(bindparam("units", expanding=True)),
           Target.document_id != bindparam("document_id"))
    .order_by(Target.id)
)
# open when the document speaks: no deadline, or a deadline not before its date
_OPEN_TARGETS = _OPEN_TARGETS_UNDATED.where(
    or_(Target.deadline.is_(None), Target.deadline >= bindparam("date")))


def _statement(t: ExtractedTarget, document: Document) -> dict[str, Any]:
    """What a document states of a target: the fields a restatement makes current (RESTATED)."""
    return {
        "document_id": document.id,
        "value": t.value,
        "value_max": t.value_max,
        "comparator": t.comparator.value,
        "deadline": t.deadline,
        "recurring": t.recurring,
        "value_text": t.value_text,
        "value_start": t.value_span.start,
        "value_end": t.value_span.end,
        "quote": t.quote,
        "quote_start": t.quote_span.start,
        "quote_end": t.quote_span.end,
        "commitment": t.commitment,
        "qualifier": t.qualifier,
    }


def _new_target(
    t: ExtractedTarget, document: Document, unit_id: int | None, key: str
) -> dict[str, Any]:
    return {
        **_statement(t, document),
        "unit_id": unit_id,
        "subject": t.subject,
        "indicator": t.indicator,
        "indicator_key": key,
        "unit": t.unit,
        "kind": t.kind.value,
        "strength": t.strength.value,
        "flags": list(t.flags),
        "rules": list(t.rules),
        "review_state": ReviewState.UNREVIEWED.value,
    }


def _restate(target: _Open, t: ExtractedTarget, document: Document) -> dict[str, Any] | None:
    """The newer statement's fields to make current, or None: a person edited the target, or
    its current statement is more recent."""
    if target.review_state == ReviewState.EDITED.value:
        return None
    latest = target.date  # the current statement is the latest dated one
    if latest is not None and (document.date is None or document.date < latest):
        return None
    target.date = document.date
    return _statement(t, document)


def _update_targets(session: Session, updates: dict[int, dict[str, Any]]) -> None:
    """Restatements as one executemany UPDATE; loaded copies of those targets are expired."""
    table = Target.__table__
    now = utcnow()
    session.execute(
        update(table).where(table.c.id == bindparam("target_id")),
        [{"target_id": tid, **fields, "updated_at": now} for tid, fields in updates.items()],
    )
    for tid in updates:
        loaded = session.identity_map.get(identity_key(Target, tid))
        if loaded is not None:
            session.expire(loaded)


def _changed(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that differ, as the automatic audit wrote them."""
    return {name: [old.get(name), value] for name, value in new.items()
            if _comparable(old.get(name)) != _comparable(value)}


def _comparable(value: Any) -> Any:
    return Decimal(value) if isinstance(value, int | float | Decimal) and not isinstance(value, bool) else value


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
    units: UnitCache | None = None,
) -> IngestResult:
    """Extract (outside the transaction) and store one read document in its own transaction.

    The date is resolved by `taizhang.read.dates.resolve_document_date` (`date` first); a
    document that nothing dates is a `failed` result asking for --date. `unit` names the
    issuing unit (it is also the extractor's default subject), `title` the document's title.
    A text already in the ledger is not extracted again. A long text (over `STREAM_CHARS`) is
    extracted in chunks (`extract_stream`) into a temporary file, and stored from there a
    batch at a time: memory stays flat in its number of targets, and the transaction does
    not wait for the extractor. `units` is a run's cache (`ingest_paths` makes one).
    """
    streaming = extract is None and len(document.text) > STREAM_CHARS
    if extract is None:
        import taizhang.extract  # looked up at call time, so a test can swap the extractor

        extract = taizhang.extract.extract_targets
    try:
        when = resolve_document_date(
            given=date, meta=document.meta, text=document.text, source=document.path
        )
    except TaizhangError as err:
        return IngestResult(document.path, "failed", error=str(err))
    digest = content_hash(document.text)
    stored = stored_document(engine, digest)
    if stored is not None:
        return IngestResult(document.path, "duplicate", document_id=stored)
    meta = {**document.meta, "date_source": when.source}
    subject = unit_short_name(unit) if unit else None
    units = units if units is not None else UnitCache()
    with ExitStack() as cleanup:
        try:
            if streaming:
                from taizhang.extract.pipeline import extract_stream
                from taizhang.read.txt import chunk_text

                found = extract_stream((c.text for c in chunk_text(document.text, STREAM_CHUNK)),
                                       date=when.date, subject=subject, meta=document.meta)
                spill = cleanup.enter_context(tempfile.TemporaryFile(prefix="taizhang-"))
                targets: Callable[[], Iterable[ExtractedTarget]] = _spilled(found, spill)
            else:
                extracted = extract(document.text, date=when.date, subject=subject,
                                    meta=document.meta)
                targets = lambda: extracted  # noqa: E731
        except Exception as err:  # noqa: BLE001 -- an extractor bug is reported, not fatal to 10,000 files
            return IngestResult(document.path, "failed", error=f"extraction failed: {err!r}")
        problem: Exception | None = None
        for _attempt in range(STORE_ATTEMPTS):
            try:
                with session_scope(engine, actor=actor) as session:
                    result = store_document(
                        session,
                        text=document.text,
                        source=document.path,
                        targets=targets(),
                        date=when.date,
                        title=title,
                        format=document.format,
                        meta=meta,
                        unit=unit,
                        units=units,
                        digest=digest,
                    )
                units.keep()
                return result
            except TaizhangError as err:  # an issuing unit nobody knows
                units.drop()
                return IngestResult(document.path, "failed", error=f"{document.path}: {err}")
            except (IntegrityError, OperationalError) as err:
                units.clear()  # another process may have made or changed a unit meanwhile
                if isinstance(err, OperationalError) and not is_transient(err):
                    raise
                # Only our own text stored meanwhile makes this a duplicate; anything else (a
                # unit another process created at the same moment, a deadlock) is tried again.
                stored = stored_document(engine, digest)
                if stored is not None:
                    return IngestResult(document.path, "duplicate", document_id=stored)
                problem = err
            except BaseException:
                units.drop()
                raise
    reason = str(getattr(problem, "orig", None) or problem).strip().splitlines()[0]
    return IngestResult(document.path, "failed",
                        error=f"{document.path}: not stored after {STORE_ATTEMPTS} attempts: {reason}")


# A text longer than this (about 15 MB of Chinese) is extracted in chunks and stored in batches.
STREAM_CHARS = 5_000_000
STREAM_CHUNK = 1_000_000


def _spilled(
    targets: Iterable[ExtractedTarget], spill: IO[bytes]
) -> Callable[[], Iterator[ExtractedTarget]]:
    """Write the targets to `spill` a batch at a time; read them back as often as needed (a
    transaction tried again stores them again). A private temporary file of this process."""
    for batch in _batches(targets, BATCH):
        pickle.dump(batch, spill, protocol=pickle.HIGHEST_PROTOCOL)

    def replay() -> Iterator[ExtractedTarget]:
        spill.seek(0)
        while True:
            try:
                batch = pickle.load(spill)  # noqa: S301 -- our own file, written just above
            except EOFError:
                return
            yield from batch

    return replay


STORE_ATTEMPTS = 5
# PostgreSQL's deadlock_detected and serialization_failure: the transaction may simply be rerun
TRANSIENT_SQLSTATES = frozenset({"40P01", "40001"})


def is_transient(err: OperationalError) -> bool:
    return getattr(err.orig, "sqlstate", None) in TRANSIENT_SQLSTATES


def stored_document(engine: Engine, digest: str) -> int | None:
    """The id of the document with this content hash, if one is committed."""
    with _single_reads(engine).connect() as connection:
        return connection.execute(_DOCUMENT_OF_HASH, {"digest": digest}).scalar()


def _single_reads(engine: Engine) -> Engine:
    """The engine for one-statement reads: on PostgreSQL in autocommit (no BEGIN and ROLLBACK
    round trips around the statement, two of a small document's dozen), else `read_only`."""
    if engine.dialect.name != "postgresql":
        return read_only(engine)
    single: Engine | None = getattr(engine, "_taizhang_single_reads", None)
    if single is None:
        single = engine.execution_options(isolation_level="AUTOCOMMIT")
        engine._taizhang_single_reads = single  # type: ignore[attr-defined]  # as read_only
    return single


def ingest_file(
    engine: Engine,
    path: Path,
    *,
    date: Date | None = None,
    unit: str | None = None,
    title: str | None = None,
    extract: Extractor | None = None,
    actor: str = "system",
    units: UnitCache | None = None,
) -> IngestResult:
    """Read one file and ingest it; a file that cannot be read is a `failed` result."""
    from taizhang.read import read_document

    try:
        document = read_document(path)
    except (TaizhangError, OSError, ValueError) as err:  # ValueError: undecodable bytes
        return IngestResult(str(path), "failed", error=f"{path}: {err}")
    return ingest_document(engine, document, date=date, unit=unit, title=title, extract=extract,
                           actor=actor, units=units)


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
    units = UnitCache()  # units looked up once per run, not once per document
    for path, item in iter_documents(paths):
        if isinstance(item, TaizhangError):
            result = IngestResult(str(path), "failed", error=str(item))
        else:
            result = ingest_document(engine, item, date=date, unit=unit, extract=extract,
                                     actor=actor, units=units)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results
