"""A ledger's targets as the rows of a batch dataset, so that the panel and the amplification
table work on a ledger too (`taizhang amplification sqlite:///taizhang.db …`, the web page).

Rejected targets are left out; in public mode only confirmed and edited ones are kept, as the
public web shows them. The unit is the ledger's responsible unit (its short name).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from taizhang.ledger.models import Document, ReviewState, Target
from taizhang.extract.indicators import standard_key


def target_rows(session: Session, *, public: bool = False) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(target rows, document rows) in the shapes of `dataset.SCHEMAS`."""
    states = [ReviewState.CONFIRMED.value, ReviewState.EDITED.value] if public else [
        s.value for s in ReviewState if s is not ReviewState.REJECTED
    ]
    query = (
        select(Target)
        .options(joinedload(Target.responsible), joinedload(Target.document).load_only(Document.date, Document.source))
        .where(Target.review_state.in_(states))
        .order_by(Target.id)
    )
    targets, documents = [], {}
    for t in session.scalars(query):
        doc = t.document
        year = doc.date.year if doc.date else (t.deadline.year if t.deadline else None)
        ident = f"ledger:{doc.id}"
        documents[ident] = {"document_id": ident, "path": doc.source, "date": doc.date}
        targets.append(
            {
                "document_id": ident,
                "path": doc.source,
                "seq": t.id,
                "subject": t.responsible.name if t.responsible else t.subject,
                "indicator": t.indicator,
                "indicator_key": standard_key(t.indicator, unit=t.unit, kind=t.kind),
                "value": float(t.value),
                "value_max": float(t.value_max) if t.value_max is not None else None,
                "unit": t.unit,
                "comparator": t.comparator,
                "kind": t.kind,
                "deadline": t.deadline,
                "recurring": t.recurring,
                "commitment": t.commitment,
                "value_start": t.value_start,
                "value_end": t.value_end,
                "quote": t.quote,
                "quote_start": t.quote_start,
                "quote_end": t.quote_end,
                "year": year,
                "target_id": t.id,
            }
        )
    return targets, list(documents.values())


def ledger_panel(session: Session, *, public: bool = False) -> list[dict[str, Any]]:
    """The panel of a ledger's targets (results are linked by `taizhang results`, not here)."""
    from taizhang.research.panel import build_panel

    targets, documents = target_rows(session, public=public)
    return build_panel(targets, [], documents)
