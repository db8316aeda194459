"""Read side shared by the JSON API and the pages: ledger rows → API shapes.

The pages render the same objects the API returns (datasette's rule), so a page never shows
something the API would hide. `public=True` applies the public view: confirmed (or edited)
targets only, and no notes, evidence or reporters.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Float, Select, Text, bindparam, cast, func, select
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


# ---- plain row queries (SQLAlchemy Core) for the busy read paths ---------------------------
# The pages and the list API read rows, not ORM objects: building an ORM object (identity map,
# attribute instrumentation) per target cost more than the query itself.

T = Target.__table__
U = Unit.__table__
TARGET_FIELDS = (
    T.c.id, T.c.document_id, T.c.unit_id, T.c.subject, T.c.indicator, T.c.value, T.c.value_max,
    T.c.unit, T.c.comparator, T.c.kind, T.c.deadline, T.c.recurring, T.c.strength,
    T.c.commitment, T.c.qualifier, T.c.value_text, T.c.value_start, T.c.value_end, T.c.quote,
    T.c.quote_start, T.c.quote_end, T.c.flags, T.c.review_state, T.c.baseline_value,
    T.c.baseline_date, T.c.report_cycle, T.c.closed_at, T.c.closed_by, T.c.close_note,
)
N_FIELDS = len(TARGET_FIELDS)  # the unit's name and any further columns follow


@dataclass(slots=True)
class TargetRow:
    """A target as the API shows it (`TargetPublic`'s fields), from one row."""

    id: int
    document_id: int
    unit_id: int | None
    subject: str | None
    indicator: str
    value: float
    value_max: float | None
    unit: str
    comparator: str
    kind: str
    deadline: date | None
    recurring: str | None
    strength: str
    commitment: str | None
    qualifier: str | None
    value_text: str
    value_span: tuple[int, int]
    quote: str
    quote_span: tuple[int, int]
    flags: list[str]
    review_state: str
    baseline_value: float | None
    baseline_date: date | None
    report_cycle: str | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None  # 销号 by whom, and why (pages only, as `TargetPublic` has not)
    close_note: str | None = None
    unit_name: str | None = None

    @property
    def display_unit(self) -> str:
        """The unit the target is shown and typed in (亿元 for 6000亿元)."""
        return display_unit(self.value_text, self.unit)


def target_row(row: Any, unit_name: str | None) -> TargetRow:
    (tid, document_id, unit_id, subject, indicator, value, value_max, unit, comparator, kind,
     deadline, recurring, strength, commitment, qualifier, value_text, value_start, value_end,
     quote, quote_start, quote_end, flags, review_state, baseline, baseline_date, report_cycle,
     closed_at, closed_by, close_note) = row[:N_FIELDS]
    return TargetRow(tid, document_id, unit_id, subject, indicator, float(value),
                     _num(value_max), unit, comparator, kind, deadline, recurring, strength,
                     commitment, qualifier, value_text, (value_start, value_end), quote,
                     (quote_start, quote_end), list(flags or []), review_state, _num(baseline),
                     baseline_date, report_cycle, closed_at, closed_by, close_note, unit_name)


def target_json(row: Any) -> dict[str, Any]:
    """The JSON of `TargetPublic` (same keys and order) straight from a row of `TARGET_FIELDS`
    (or `JSON_FIELDS`) and the unit's name: the list API writes a hundred of these per request, and a
    `TargetRow` in between cost as much as the query."""
    (tid, document_id, unit_id, subject, indicator, value, value_max, unit, comparator, kind,
     deadline, recurring, strength, commitment, qualifier, value_text, value_start, value_end,
     quote, quote_start, quote_end, flags, review_state, baseline, baseline_date, report_cycle,
     closed_at, _closed_by, _close_note, unit_name) = row
    if flags is not None and not isinstance(flags, list):  # the JSON text (JSON_FIELDS)
        flags = None if flags == "[]" else json.loads(flags)
    return {
        "id": tid, "document_id": document_id, "unit_id": unit_id, "unit_name": unit_name,
        "subject": subject, "indicator": indicator, "value": float(value),
        "value_max": None if value_max is None else float(value_max), "unit": unit,
        "comparator": comparator, "kind": kind,
        "deadline": None if deadline is None else deadline.isoformat(),
        "recurring": recurring, "strength": strength, "commitment": commitment,
        "qualifier": qualifier, "value_text": value_text, "value_span": [value_start, value_end],
        "quote": quote, "quote_span": [quote_start, quote_end], "flags": list(flags or []),
        "review_state": review_state,
        "baseline_value": None if baseline is None else float(baseline),
        "baseline_date": None if baseline_date is None else baseline_date.isoformat(),
        "display_unit": display_unit(value_text, unit), "report_cycle": report_cycle,
        "closed_at": None if closed_at is None else closed_at.isoformat(),
    }


def target_conditions(*, public: bool, unit_ids: Collection[int] | None = None,
                      review_state: str | None = None, document_id: int | None = None,
                      due_before: date | None = None) -> list[Any]:
    """The WHERE conditions of `target_query`, for Core queries."""
    where: list[Any] = []
    if public:
        where.append(T.c.review_state.in_(PUBLIC_STATES))
    if unit_ids is not None:
        where.append(T.c.unit_id.in_(list(unit_ids)))
    if review_state:
        where.append(T.c.review_state == review_state)
    if document_id is not None:
        where.append(T.c.document_id == document_id)
    if due_before is not None:
        where.append(T.c.deadline <= due_before)
    return where


def target_json_rows(session: Session, *, public: bool, limit: int = 100, offset: int = 0,
                     count: Callable[[Hashable, Callable[[], int]], int] | None = None,
                     **filters: Any) -> tuple[list[dict[str, Any]], int]:
    """A page of targets in id order as the list API writes them (`target_json`), and the
    number of all matching ones.

    `count(key, compute)` may answer the count from a cache (the API keeps it per ledger
    version: counting 100,000 targets took longer than reading the page); `key` names the
    filters. The statements are built once per combination of filters, the values passed as
    parameters (`_page_statements`).
    """
    given = {name: value for name, value in filters.items()
             if value is not None and (value or name != "review_state")}
    counting, page = _page_statements(public, tuple(sorted(given)))
    params = {name: list(value) if name == "unit_ids" else value for name, value in given.items()}
    conn = session.connection()
    if count is None:
        total = conn.scalar(counting, params) or 0
    else:
        key = ("targets", public, *sorted(
            (name, frozenset(value) if name == "unit_ids" else value)
            for name, value in given.items()))
        total = count(key, lambda: conn.scalar(counting, params) or 0)
    rows = conn.execute(page, {**params, "limit": limit, "offset": offset}).all()
    return [target_json(r) for r in rows], total


_FILTERS = {  # the conditions of `target_conditions`, with the values as parameters
    "unit_ids": T.c.unit_id.in_(bindparam("unit_ids", expanding=True)),
    "review_state": T.c.review_state == bindparam("review_state"),
    "document_id": T.c.document_id == bindparam("document_id"),
    "due_before": T.c.deadline <= bindparam("due_before"),
}
# The list API's columns. The amounts as floats from the database: the JSON has floats, and
# a Decimal per amount, tidied (`models.Amount`) and then turned into a float, was a tenth of
# the page (PostgreSQL's cast and Python's float() both round the exact decimal to the
# nearest double). The flags as their JSON text, read with a shortcut for the usual empty
# list (the driver's JSON loader per row had been another tenth).
_AS_FLOAT = (T.c.value, T.c.value_max, T.c.baseline_value)
JSON_FIELDS = tuple(cast(c, Text) if c is T.c.flags
                    else cast(c, Float) if any(c is a for a in _AS_FLOAT) else c
                    for c in TARGET_FIELDS)


@functools.cache
def _page_statements(public: bool, names: tuple[str, ...]) -> tuple[Select[Any], Select[Any]]:
    """The count and the page for these filters, built once: building a select of thirty
    columns and computing its cache key cost about as much as running it."""
    where = [T.c.review_state.in_(PUBLIC_STATES)] if public else []
    where += [_FILTERS[name] for name in names]
    counting = select(func.count()).select_from(T).where(*where)
    page = (select(*JSON_FIELDS, U.c.name).outerjoin(U, U.c.id == T.c.unit_id).where(*where)
            .order_by(T.c.id).limit(bindparam("limit")).offset(bindparam("offset")))
    return counting, page


def target_rows_by_id(session: Session, ids: Collection[int]) -> dict[int, TargetRow]:
    """The targets with these ids (a page of them), by id."""
    if not ids:
        return {}
    rows = session.connection().execute(
        select(*TARGET_FIELDS, U.c.name).outerjoin(U, U.c.id == T.c.unit_id)
        .where(T.c.id.in_(list(ids))))
    return {r[0]: target_row(r, r[N_FIELDS]) for r in rows}


def unit_names(session: Session) -> dict[int, str]:
    return {uid: name for uid, name in session.execute(select(Unit.id, Unit.name))}


_D = Document.__table__


@functools.cache
def _detail_statement(public: bool) -> Select[Any]:
    """A target with its unit's name and its document, built once (the id a parameter)."""
    return (select(*TARGET_FIELDS, U.c.name, _D.c.id, _D.c.title, _D.c.source, _D.c.date,
                   _D.c.text, T.c.created_at)
            .join(_D, _D.c.id == T.c.document_id).outerjoin(U, U.c.id == T.c.unit_id)
            .where(T.c.id == bindparam("target_id"), *target_conditions(public=public)))


def target_detail(session: Session, target_id: int, *, public: bool) -> tuple[TargetRow, Any]:
    """One target and its document (id, title, source, date, text), in one query."""
    row = session.connection().execute(_detail_statement(public),
                                       {"target_id": target_id}).first()
    if row is None:
        raise NotFound(f"目标 {target_id} 不存在 (no target with id {target_id})")
    doc = DocumentRef(*row[N_FIELDS + 1 : N_FIELDS + 6])
    return target_row(row, row[N_FIELDS]), (doc, row[N_FIELDS + 6])


@dataclass(frozen=True, slots=True)
class DocumentRef:
    id: int
    title: str | None
    source: str
    date: date | None
    text: str


_P = ProgressReport.__table__
# a target page's statements, built once with the target's id as a parameter
PROGRESS_OF = (select(_P.c.id, _P.c.as_of, _P.c.value, _P.c.note, _P.c.reporter,
                      _P.c.evidence_name, _P.c.evidence_path)
               .where(_P.c.target_id == bindparam("target_id")).order_by(_P.c.as_of, _P.c.id))
_R = TargetRevision.__table__
REVISIONS_OF = (select(_R.c.id, _R.c.document_id, _R.c.value, _R.c.value_max, _R.c.comparator,
                       _R.c.deadline, _R.c.quote, _R.c.quote_start, _R.c.quote_end,
                       _R.c.stated_on)
                .where(_R.c.target_id == bindparam("target_id")).order_by(_R.c.id))


def progress_rows(session: Session, target_id: int, *, public: bool) -> list[Any]:
    """A target's reports, oldest first, as `ProgressPublic` shows them (plus the evidence)."""
    rows = session.connection().execute(PROGRESS_OF, {"target_id": target_id})
    out = []
    for rid, as_of, value, note, reporter, name, path in rows:
        report = ProgressPublic(id=rid, target_id=target_id, as_of=as_of, value=float(value))
        if not public:
            report.note, report.reporter, report.evidence_name = note, reporter, name
            if path:
                report.evidence_url = f"/progress/{rid}/evidence"
        out.append((report, path))
    return out


def revision_rows(session: Session, target_id: int) -> list[RevisionPublic]:
    rows = session.connection().execute(REVISIONS_OF, {"target_id": target_id})
    return [RevisionPublic(id=rid, target_id=target_id, document_id=doc, value=float(value),
                           value_max=_num(value_max), comparator=comparator, deadline=deadline,
                           quote=quote, quote_span=(qs, qe), stated_on=stated_on)
            for rid, doc, value, value_max, comparator, deadline, quote, qs, qe, stated_on
            in rows]
