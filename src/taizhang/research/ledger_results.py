"""Promise versus delivery in the ledger: results of later documents proposed as progress.

`propose_results` reads the results every ledger document reports (`extract_results`) and
links each to the ledger targets of the same unit, indicator and year stated in an earlier
document: the indicator is the same standard key (`indicators.tsv`), or the same normalised
wording when it has none; the year is the target's deadline year and the result covers that
whole year. A link is stored as a `ProposedResult` with its verdict (`panel.verdict`) and the
quote; nothing changes in the target's progress until a supervisor confirms it
(`confirm_result`: a progress report as of the period's end, its note quoting the document)
or rejects it. Proposing again adds only what is new.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from taizhang.errors import LedgerError, NotFound
from taizhang.ledger.models import Document, ProgressReport, ProposedResult, ReviewState, Target
from taizhang.ledger.progress import add_progress
from taizhang.ledger.units import find_unit
from taizhang.extract.indicators import normalise_wording, standard_key
from taizhang.research.panel import verdict

STATES = ("proposed", "confirmed", "rejected")


@dataclass(frozen=True, slots=True)
class ProposeSummary:
    documents: int
    results: int
    proposed: list[int]  # ids of the new proposals


def _key(indicator: str, unit: str, kind: str) -> str:
    return standard_key(indicator, unit=unit, kind=kind) or normalise_wording(indicator)


def propose_results(session: Session, *, document_ids: list[int] | None = None) -> ProposeSummary:
    """Link the results of the ledger's documents (or of `document_ids`) to earlier targets."""
    from taizhang.extract.results import extract_results

    query = select(Document).order_by(Document.id)
    if document_ids:
        query = query.where(Document.id.in_(document_ids))
    targets = _targets_by_key(session)
    existing = {tuple(row) for row in session.execute(select(ProposedResult.target_id, ProposedResult.document_id, ProposedResult.value_start))}
    new: list[ProposedResult] = []
    documents = results = 0
    for doc in session.scalars(query):
        documents += 1
        found = extract_results(doc.text, date=doc.date, meta=doc.meta or {})
        results += len(found)
        for r in found:
            if not r.full_year or r.year is None or not r.subject:
                continue
            unit = find_unit(session, r.subject)
            if unit is None:
                continue
            for t in targets.get((unit.id, r.year, _key(r.indicator, r.unit, r.kind)), []):
                stated = t.document.date
                if stated is None or doc.date is None or stated >= doc.date or t.document_id == doc.id:
                    continue
                if (t.id, doc.id, r.value_span.start) in existing:
                    continue
                existing.add((t.id, doc.id, r.value_span.start))
                judged = verdict(_target_dict(t), {"value": r.value, "unit": r.unit}, standard_key(t.indicator, unit=t.unit, kind=t.kind))
                proposal = ProposedResult(
                    target_id=t.id, document_id=doc.id, value=r.value, unit=r.unit, period_start=r.period_start,
                    period_end=r.period_end, indicator=r.indicator[:300], value_start=r.value_span.start,
                    value_end=r.value_span.end, quote=r.quote, quote_start=r.quote_span.start,
                    quote_end=r.quote_span.end, verdict=judged, state="proposed",
                )
                session.add(proposal)
                new.append(proposal)
    session.flush()
    return ProposeSummary(documents, results, [p.id for p in new])


def _targets_by_key(session: Session) -> dict[tuple[int, int, str], list[Target]]:
    out: dict[tuple[int, int, str], list[Target]] = {}
    query = select(Target).where(Target.review_state != ReviewState.REJECTED.value, Target.unit_id.is_not(None), Target.deadline.is_not(None))
    for t in session.scalars(query):
        assert t.unit_id is not None and t.deadline is not None
        out.setdefault((t.unit_id, t.deadline.year, _key(t.indicator, t.unit, t.kind)), []).append(t)
    return out


def _target_dict(t: Target) -> dict[str, Any]:
    return {"value": t.value, "value_max": t.value_max, "comparator": t.comparator, "unit": t.unit}


# a target's proposals, built once (every target page asks), the id a parameter
_OF_TARGET = (select(ProposedResult).where(ProposedResult.target_id == bindparam("target_id"))
              .order_by(ProposedResult.id))


def list_proposals(session: Session, *, state: str | None = None, target_id: int | None = None) -> list[ProposedResult]:
    if state is None and target_id is not None:
        return list(session.scalars(_OF_TARGET, {"target_id": target_id}))
    query = select(ProposedResult).order_by(ProposedResult.id)
    if state is not None:
        if state not in STATES:
            raise LedgerError(f"unknown state {state!r}; known: {', '.join(STATES)}")
        query = query.where(ProposedResult.state == state)
    if target_id is not None:
        query = query.where(ProposedResult.target_id == target_id)
    return list(session.scalars(query))


def _get(session: Session, proposal_id: int) -> ProposedResult:
    proposal = session.get(ProposedResult, proposal_id)
    if proposal is None:
        raise NotFound(f"no proposed result {proposal_id}")
    if proposal.state != "proposed":
        raise LedgerError(f"proposed result {proposal_id} is already {proposal.state}")
    return proposal


def confirm_result(session: Session, proposal_id: int, *, reporter: str | None = None, today: date | None = None) -> ProgressReport:
    """The proposal becomes a progress report (as of its period's end), quoting its document."""
    proposal = _get(session, proposal_id)
    doc = proposal.document
    source = doc.title or doc.source
    note = f"实绩（{source}，{doc.date.isoformat() if doc.date else '日期未知'}）：{proposal.quote}"
    as_of = proposal.period_end or doc.date or date.today()
    report = add_progress(
        session, target_id=proposal.target_id, value=Decimal(proposal.value), as_of=as_of, note=note,
        reporter=reporter, today=today,
    )
    proposal.state = "confirmed"
    proposal.progress_report_id = report.id
    session.flush()
    return report


def reject_result(session: Session, proposal_id: int) -> ProposedResult:
    proposal = _get(session, proposal_id)
    proposal.state = "rejected"
    session.flush()
    return proposal


def proposal_record(p: ProposedResult) -> dict[str, Any]:
    return {
        "id": p.id,
        "target_id": p.target_id,
        "document_id": p.document_id,
        "indicator": p.indicator,
        "value": float(p.value),
        "unit": p.unit,
        "period_start": p.period_start.isoformat() if p.period_start else None,
        "period_end": p.period_end.isoformat() if p.period_end else None,
        "verdict": p.verdict,
        "state": p.state,
        "quote": p.quote,
        "quote_span": [p.quote_start, p.quote_end],
        "value_span": [p.value_start, p.value_end],
        "progress_report_id": p.progress_report_id,
    }
