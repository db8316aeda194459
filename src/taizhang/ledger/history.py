"""One target with everything said and done about it: statements, progress, audit trail."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from taizhang.ledger.models import AuditLog
from taizhang.ledger.repository import get_target, json_number, latest_progress, target_record


def describe_target(session: Session, target_ref: int | str) -> dict[str, Any]:
    """`{"target": …, "revisions": […], "progress": […], "audit": […]}`, oldest first."""
    target = get_target(session, target_ref)
    latest = latest_progress(session, [target.id]).get(target.id)
    progress_ids = [p.id for p in target.progress]
    document_ids = [r.document_id for r in target.revisions]
    audit = [
        a
        for a in session.scalars(
            select(AuditLog)
            .where(
                or_(
                    and_(AuditLog.entity == "targets", AuditLog.entity_id == target.id),
                    and_(
                        AuditLog.entity == "progress_reports",
                        AuditLog.entity_id.in_(progress_ids or [-1]),
                    ),
                    and_(
                        AuditLog.entity == "documents",
                        AuditLog.action.in_(("ingest", "re-extract")),
                        AuditLog.entity_id.in_(document_ids or [-1]),
                    ),
                )
            )
            .order_by(AuditLog.id)
        )
        if a.entity != "documents" or _mentions(a.details, target.id)
    ]
    return {
        "target": target_record(target, latest),
        "revisions": [
            {
                "id": r.id,
                "document_id": r.document_id,
                "document": r.document.title or r.document.source,
                "stated_on": r.stated_on.isoformat() if r.stated_on else None,
                "comparator": r.comparator,
                "value": json_number(r.value),
                "value_max": json_number(r.value_max),
                "deadline": r.deadline.isoformat() if r.deadline else None,
                "quote": r.quote,
                "quote_span": [r.quote_start, r.quote_end],
            }
            for r in target.revisions
        ],
        "progress": [
            {
                "id": p.id,
                "as_of": p.as_of.isoformat(),
                "value": json_number(p.value),
                "note": p.note,
                "evidence": p.evidence_name,
                "reporter": p.reporter,
            }
            for p in target.progress
        ],
        "audit": [
            {
                "at": a.at.isoformat(),
                "actor": a.actor,
                "action": a.action,
                "entity": a.entity,
                "entity_id": a.entity_id,
                "details": a.details,
            }
            for a in audit
        ],
    }


def _mentions(details: dict[str, Any], target_id: int) -> bool:
    """Whether an ingest entry created or revised this target."""
    return target_id in (details.get("new_targets") or []) or target_id in (
        details.get("revised_targets") or []
    )
