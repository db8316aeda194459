"""Read side shared by the JSON API and the pages: ledger rows → API shapes.

The pages render the same objects the API returns (datasette's rule), so a page never shows
something the API would hide. `public=True` applies the public view: confirmed (or edited)
targets only, and no notes, evidence or reporters.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from taizhang.errors import NotFound
from taizhang.ledger.models import (
    Document,
    ProgressReport,
    ReviewState,
    Target,
    TargetRevision,
    Unit,
)
from taizhang.ledger.amounts import display_unit
from taizhang.ledger.office_models import Submission
from taizhang.web.schemas import (
    DocumentDetail,
    EvidencePublic,
    SubmissionPublic,
    DocumentPublic,
    ProgressPublic,
    RevisionPublic,
    TargetPublic,
    UnitPublic,
)

PUBLIC_STATES = (ReviewState.CONFIRMED.value, ReviewState.EDITED.value)


def _num(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def unit_public(unit: Unit) -> UnitPublic:
    return UnitPublic(id=unit.id, name=unit.name, full_name=unit.full_name, level=unit.level,
                      parent_id=unit.parent_id, aliases=sorted(a.alias for a in unit.aliases))


def target_public(t: Target, unit_name: str | None = None) -> TargetPublic:
    return TargetPublic(
        id=t.id, document_id=t.document_id, unit_id=t.unit_id,
        unit_name=unit_name if unit_name is not None else (t.responsible.name if t.responsible else None),
        subject=t.subject, indicator=t.indicator, value=float(t.value), value_max=_num(t.value_max),
        unit=t.unit, comparator=t.comparator, kind=t.kind, deadline=t.deadline,
        recurring=t.recurring, strength=t.strength, commitment=t.commitment,
        qualifier=t.qualifier, value_text=t.value_text, value_span=(t.value_start, t.value_end),
        quote=t.quote, quote_span=(t.quote_start, t.quote_end), flags=list(t.flags or []),
        review_state=t.review_state, baseline_value=_num(t.baseline_value),
        baseline_date=t.baseline_date, display_unit=display_unit(t.value_text, t.unit),
        report_cycle=t.report_cycle, closed_at=t.closed_at,
    )


def submission_public(s: Submission) -> SubmissionPublic:
    return SubmissionPublic(
        id=s.id, target_id=s.target_id, task_id=s.task_id, milestone_id=s.milestone_id,
        as_of=s.as_of, value=_num(s.value), value_text=s.value_text, completed=s.completed,
        note=s.note, state=s.state, submitted_by=s.submitted_by, reviewed_by=s.reviewed_by,
        review_note=s.review_note, report_id=s.report_id,
        evidence=[EvidencePublic(name=f.name, url=f"/evidence/{f.id}") for f in s.files])


def revision_public(r: TargetRevision) -> RevisionPublic:
    return RevisionPublic(id=r.id, target_id=r.target_id, document_id=r.document_id,
                          value=float(r.value), value_max=_num(r.value_max),
                          comparator=r.comparator, deadline=r.deadline, quote=r.quote,
                          quote_span=(r.quote_start, r.quote_end), stated_on=r.stated_on)


def progress_public(p: ProgressReport, *, public: bool) -> ProgressPublic:
    out = ProgressPublic(id=p.id, target_id=p.target_id, as_of=p.as_of, value=float(p.value))
    if not public:
        out.note = p.note
        out.reporter = p.reporter
        out.evidence_name = p.evidence_name
        if p.evidence_path:
            out.evidence_url = f"/progress/{p.id}/evidence"
    return out


def list_units(session: Session) -> list[UnitPublic]:
    units = session.scalars(select(Unit).options(selectinload(Unit.aliases)).order_by(Unit.id))
    return [unit_public(u) for u in units]


def get_unit(session: Session, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound(f"单位 {unit_id} 不存在 (no unit with id {unit_id})")
    return unit


def _document_counts(session: Session, ids: list[int], public: bool) -> dict[int, int]:
    q = select(Target.document_id, func.count()).where(Target.document_id.in_(ids))
    if public:
        q = q.where(Target.review_state.in_(PUBLIC_STATES))
    return dict(session.execute(q.group_by(Target.document_id)).tuples().all())


def document_public(d: Document, count: int) -> DocumentPublic:
    return DocumentPublic(id=d.id, title=d.title, source=_source_name(d.source), date=d.date,
                          format=d.format, content_hash=d.content_hash,
                          ingested_at=d.ingested_at, target_count=count)


def _source_name(source: str) -> str:
    """Upload paths are temporary files; show the original name only, never a server path."""
    return source.rsplit("/", 1)[-1]


def list_documents(session: Session, *, public: bool, limit: int = 100,
                   offset: int = 0) -> tuple[list[DocumentPublic], int]:
    total = session.scalar(select(func.count()).select_from(Document)) or 0
    docs = list(session.scalars(select(Document).order_by(Document.id.desc())
                                .limit(limit).offset(offset)))
    counts = _document_counts(session, [d.id for d in docs], public)
    return [document_public(d, counts.get(d.id, 0)) for d in docs], total


def get_document(session: Session, document_id: int, *, public: bool) -> DocumentDetail:
    d = session.get(Document, document_id)
    if d is None:
        raise NotFound(f"文件 {document_id} 不存在 (no document with id {document_id})")
    count = _document_counts(session, [d.id], public).get(d.id, 0)
    return DocumentDetail(**document_public(d, count).model_dump(), text=d.text)


def target_query(*, public: bool, unit_ids: set[int] | None = None,
                 review_state: str | None = None, document_id: int | None = None,
                 due_before: date | None = None) -> Select[Target]:
    q = select(Target)
    if public:
        q = q.where(Target.review_state.in_(PUBLIC_STATES))
    if unit_ids is not None:
        q = q.where(Target.unit_id.in_(unit_ids))
    if review_state:
        q = q.where(Target.review_state == review_state)
    if document_id is not None:
        q = q.where(Target.document_id == document_id)
    if due_before is not None:
        q = q.where(Target.deadline <= due_before)
    return q


def list_targets(session: Session, *, public: bool, limit: int = 100, offset: int = 0,
                 **filters: object) -> tuple[list[TargetPublic], int]:
    q = target_query(public=public, **filters)  # type: ignore[arg-type]
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = session.scalars(q.options(selectinload(Target.responsible))
                           .order_by(Target.id).limit(limit).offset(offset))
    return [target_public(t) for t in rows], total


def get_target(session: Session, target_id: int, *, public: bool) -> Target:
    t = session.get(Target, target_id)
    if t is None or (public and t.review_state not in PUBLIC_STATES):
        raise NotFound(f"目标 {target_id} 不存在 (no target with id {target_id})")
    return t
