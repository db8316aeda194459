"""Small builders of ledger rows for tracking tests (the ORM, no extractor needed)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from taizhang.ledger.models import Document, ProgressReport, Target, Unit
from taizhang.track.model import Report, TargetFacts


def document(session: Session, day: date | None, name: str = "doc") -> Document:
    doc = Document(source=name, date=day, content_hash=f"{name}-{day}-{id(session)}-{_n()}",
                   text="…", format="txt", meta={})
    session.add(doc)
    return doc


def unit(session: Session, name: str) -> Unit:
    u = Unit(name=name)
    session.add(u)
    return u


def target(session: Session, doc: Document, who: Unit | None, facts: TargetFacts, *,
           strength: str = "hard", review_state: str = "unreviewed",
           flags: list[str] | None = None, quote: str = "") -> Target:
    row = Target(
        document=doc, responsible=who, subject=who.name if who else None,
        indicator=facts.indicator, indicator_key=facts.indicator,
        value=Decimal(str(facts.value)),
        value_max=None if facts.value_max is None else Decimal(str(facts.value_max)),
        unit=facts.unit, comparator=facts.comparator, kind=facts.kind, deadline=facts.deadline,
        recurring=facts.recurring, strength=strength, review_state=review_state,
        baseline_value=None if facts.baseline is None else Decimal(str(facts.baseline)),
        baseline_date=facts.baseline_date,
        flags=flags or [], rules=[], quote=quote,
    )
    session.add(row)
    return row


def report(session: Session, row: Target, rep: Report) -> ProgressReport:
    pr = ProgressReport(target=row, as_of=rep.as_of, value=Decimal(str(rep.value)),
                        evidence_path=rep.evidence)
    session.add(pr)
    return pr


_counter = [0]


def _n() -> int:
    _counter[0] += 1
    return _counter[0]


def bulk(session: Session, items: list[tuple[TargetFacts, list[Report]]],
         who: Unit | None = None) -> list[tuple[TargetFacts, list[Report]]]:
    """Insert many targets (one document per `doc_date`) and their reports with plain
    executemany (ids chosen here: RETURNING per batch is slow); returns them with their ids."""
    docs = {day: document(session, day) for day in {f.doc_date for f, _ in items}}
    session.flush()
    next_target = (session.scalar(select(func.max(Target.id))) or 0) + 1
    next_report = (session.scalar(select(func.max(ProgressReport.id))) or 0) + 1
    report_id = next_report
    stored: list[tuple[TargetFacts, list[Report]]] = []
    for n, (f, reports) in enumerate(items):
        with_ids = []
        for r in reports:
            with_ids.append(replace(r, id=report_id))
            report_id += 1
        stored.append((replace(f, id=next_target + n), with_ids))
    target_rows = [
        {
            "id": f.id, "document_id": docs[f.doc_date].id, "unit_id": who.id if who else None,
            "indicator": f.indicator, "indicator_key": f.indicator,
            "value": Decimal(str(f.value)),
            "value_max": None if f.value_max is None else Decimal(str(f.value_max)),
            "unit": f.unit, "comparator": f.comparator, "kind": f.kind, "deadline": f.deadline,
            "recurring": f.recurring, "strength": "hard", "review_state": "unreviewed",
            "baseline_value": None if f.baseline is None else Decimal(str(f.baseline)),
            "baseline_date": f.baseline_date,
            "flags": [], "rules": [],
        }
        for f, _ in stored
    ]
    report_rows = [
        {"id": r.id, "target_id": f.id, "as_of": r.as_of, "value": Decimal(str(r.value)),
         "evidence_path": r.evidence}
        for f, reports in stored
        for r in reports
    ]
    conn = session.connection()  # Core executemany: the ORM would split rows into many batches
    conn.execute(insert(Target.__table__), target_rows)
    if report_rows:
        conn.execute(insert(ProgressReport.__table__), report_rows)
    return stored
