"""The append-only audit log: every change to the ledger leaves a row.

Updates and deletes of any model, and inserts of the small entities (progress reports, units,
users, tokens), are recorded automatically after each flush, so code in `web` or `cli` cannot
forget. Bulk inserts of documents, targets and revisions are recorded once per document by the
code that makes them (`record`), so that ingesting 10,000 documents does not write 300,000
audit rows. The actor comes from `session.info["actor"]` (see `db.session_scope`).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction

from taizhang.errors import LedgerError
from taizhang.ledger.models import AuditLog, Base, Document, Target, TargetRevision, utcnow

BULK_CLASSES = (Document, Target, TargetRevision)  # their inserts are recorded by the caller
SECRET_FIELDS = frozenset({"password_hash", "token_hash"})
SKIP_FIELDS = frozenset({"updated_at", "text"})


def actor_of(session: Session) -> str:
    return str(session.info.get("actor") or "system")


def record(
    session: Session,
    *,
    action: str,
    entity: str,
    entity_id: int | None,
    details: dict[str, Any] | None = None,
) -> None:
    """Add an explicit audit row (for actions the automatic log does not see or name well).

    A plain INSERT, not an ORM object: flushing one object at commit cost ingest more than
    the statement (pending changes are flushed first, so their rows come before this one)."""
    session.execute(_INSERT, {
        "at": utcnow(),
        "actor": actor_of(session),
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "details": jsonable(details or {}),
    })


_INSERT = insert(AuditLog.__table__)  # built once (statements on ingest's path are)


def record_created(session: Session, rows: list[tuple[str, int, dict[str, Any]]]) -> None:
    """`create` rows (entity, id, column values) for objects inserted as plain statements, as
    the automatic log writes them for objects added through the ORM; one statement."""
    if rows:
        at, actor = utcnow(), actor_of(session)
        session.execute(_INSERT, [
            {"at": at, "actor": actor, "action": "create", "entity": entity, "entity_id": oid,
             "details": jsonable(_redacted(values))} for entity, oid, values in rows])


def jsonable(value: Any) -> Any:
    """Decimals, dates and nested containers as JSON values (Decimals as exact strings)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def _column_values(obj: Base) -> dict[str, Any]:
    state = inspect(obj)
    return {
        attr.key: attr.value
        for attr in state.attrs
        if attr.key in state.mapper.columns and attr.key not in SKIP_FIELDS
    }


def _changes(obj: Base) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr in state.attrs:
        if attr.key not in state.mapper.columns or attr.key in SKIP_FIELDS:
            continue
        hist = attr.load_history()
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if attr.key in SECRET_FIELDS:
            old, new = "***", "***"
        changes[attr.key] = [old, new]
    return changes


def _redacted(values: dict[str, Any]) -> dict[str, Any]:
    return {k: ("***" if k in SECRET_FIELDS else v) for k, v in values.items()}


@event.listens_for(Session, "before_flush")
def _refuse_audit_edits(session: Session, _ctx: UOWTransaction, _instances: Any) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditLog) and (obj in session.deleted or session.is_modified(obj)):
            raise LedgerError("the audit log is append-only: its rows cannot be changed")


@event.listens_for(Session, "after_flush")
def _log_changes(session: Session, _ctx: UOWTransaction) -> None:
    rows: list[dict[str, Any]] = []
    at, actor = utcnow(), actor_of(session)

    def add(action: str, obj: Base, details: dict[str, Any]) -> None:
        rows.append(
            {
                "at": at,
                "actor": actor,
                "action": action,
                "entity": obj.__tablename__,
                "entity_id": getattr(obj, "id", None),
                "details": jsonable(details),
            }
        )

    for obj in session.new:
        if isinstance(obj, Base) and not isinstance(obj, (AuditLog, *BULK_CLASSES)):
            add("create", obj, _redacted(_column_values(obj)))
    for obj in session.dirty:
        if isinstance(obj, Base) and not isinstance(obj, AuditLog) and session.is_modified(obj):
            changes = _changes(obj)
            if changes:
                reason = session.info.get("audit_reason")
                add("update", obj, {"changes": changes, **({"reason": reason} if reason else {})})
    for obj in session.deleted:
        if isinstance(obj, Base) and not isinstance(obj, AuditLog):
            add("delete", obj, _redacted(_column_values(obj)))
    if rows:
        session.connection().execute(insert(AuditLog), rows)
