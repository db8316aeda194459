"""Conflicts report: statements of one commitment that disagree, and passages printed twice.

Three kinds, each found by one set-based query (Python only groups the rows for printing):

- ``restated``: a target whose statements (TargetRevision, one per document) differ in value,
  bound, comparator or deadline — the same unit's same indicator restated otherwise.
- ``divergent``: separate targets of the same unit, indicator and deadline, from different
  documents, with different values (the ledger did not merge them, e.g. both were new).
- ``duplicated_passage``: a passage printed under two subjects — targets flagged
  ``duplicated_passage`` by the extractor, or the same quote in one document under two subjects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import String, and_, cast, func, literal, or_, select, tuple_
from sqlalchemy.orm import Session

from taizhang.ledger.models import Document, ReviewState, Target, TargetRevision, Unit
from taizhang.track.sqlfuncs import contains_text, day_number

DUPLICATED = "duplicated_passage"
_NO_DAY = -10**7  # stands for a missing deadline in MIN/MAX comparisons
_NO_VALUE = -10**15


@dataclass(frozen=True, slots=True)
class Statement:
    """One document's statement of a target."""

    target_id: int
    document_id: int
    document: str
    stated_on: date | None
    unit: str | None
    indicator: str
    value: Decimal
    value_max: Decimal | None
    comparator: str
    deadline: date | None
    quote: str

    def to_json(self) -> dict[str, Any]:
        return {
            "target_id": self.target_id,
            "document_id": self.document_id,
            "document": self.document,
            "stated_on": self.stated_on.isoformat() if self.stated_on else None,
            "unit": self.unit,
            "indicator": self.indicator,
            "value": _number(self.value),
            "value_max": _number(self.value_max),
            "comparator": self.comparator,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "quote": self.quote,
        }


@dataclass(frozen=True, slots=True)
class Conflict:
    """Statements that disagree; `id` is stable: the kind and the lowest target id involved."""

    id: str
    kind: str
    unit: str | None
    indicator: str
    statements: tuple[Statement, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "unit": self.unit,
            "indicator": self.indicator,
            "statements": [s.to_json() for s in self.statements],
        }


def find_conflicts(session: Session) -> list[Conflict]:
    """All conflicts in the ledger, restatements first, then divergences, then duplicates."""
    return [*_restated(session), *_divergent(session), *_duplicated(session)]


def _differs(*columns: Any) -> Any:
    return or_(*(func.min(c) != func.max(c) for c in columns))


def _restated(session: Session) -> list[Conflict]:
    r = TargetRevision.__table__
    changed = (
        select(r.c.target_id)
        .group_by(r.c.target_id)
        .having(
            func.count(r.c.document_id.distinct()) > 1,
            _differs(
                r.c.value,
                func.coalesce(r.c.value_max, _NO_VALUE),
                r.c.comparator,
                func.coalesce(day_number(r.c.deadline), _NO_DAY),
            ),
        )
    )
    t = Target.__table__
    query = (
        select(
            r.c.target_id, r.c.document_id, _doc_name(), r.c.stated_on,
            func.coalesce(Unit.name, t.c.subject).label("unit"), t.c.indicator,
            r.c.value, r.c.value_max, r.c.comparator, r.c.deadline, r.c.quote,
        )
        .select_from(_join(r.join(t, t.c.id == r.c.target_id), r.c.document_id))
        .where(r.c.target_id.in_(changed))
        .order_by(r.c.target_id, r.c.stated_on, r.c.id)
    )
    return _grouped(session.execute(query), "restated", lambda row: row.target_id)


def _divergent(session: Session) -> list[Conflict]:
    t = Target.__table__
    deadline_key = func.coalesce(day_number(t.c.deadline), _NO_DAY)
    live = t.c.review_state != ReviewState.REJECTED.value
    groups = (
        select(t.c.unit_id, t.c.indicator_key, deadline_key.label("dl"))
        .where(live, t.c.unit_id.is_not(None))
        .group_by(t.c.unit_id, t.c.indicator_key, deadline_key)
        .having(
            func.count(t.c.document_id.distinct()) > 1,
            _differs(t.c.value, func.coalesce(t.c.value_max, _NO_VALUE), t.c.comparator),
        )
        .subquery("groups")
    )
    query = (
        select(*_target_columns(), t.c.unit_id, t.c.indicator_key)
        .select_from(
            _join(t, t.c.document_id).join(
                groups,
                and_(
                    groups.c.unit_id == t.c.unit_id,
                    groups.c.indicator_key == t.c.indicator_key,
                    groups.c.dl == deadline_key,
                ),
            )
        )
        .where(live)
        .order_by(t.c.unit_id, t.c.indicator_key, t.c.deadline, t.c.id)
    )
    rows = session.execute(query)
    return _grouped(rows, "divergent", lambda row: (row.unit_id, row.indicator_key, row.deadline))


def _duplicated(session: Session) -> list[Conflict]:
    t = Target.__table__
    live = t.c.review_state != ReviewState.REJECTED.value
    flagged = contains_text(cast(t.c.flags, String), literal(f'"{DUPLICATED}"'))
    twice = (
        select(t.c.document_id, t.c.quote)
        .where(live, t.c.quote != "")
        .group_by(t.c.document_id, t.c.quote)
        .having(func.count(func.coalesce(t.c.subject, "").distinct()) > 1)
    )
    query = (
        select(*_target_columns())
        .select_from(_join(t, t.c.document_id))
        .where(live, or_(flagged, tuple_(t.c.document_id, t.c.quote).in_(twice)))
        .order_by(t.c.document_id, t.c.quote, t.c.id)
    )
    rows = session.execute(query)
    return _grouped(rows, DUPLICATED, lambda row: (row.document_id, row.quote))


def _doc_name() -> Any:
    d = Document.__table__
    return func.coalesce(d.c.title, d.c.source).label("document")


def _join(base: Any, document_id: Any) -> Any:
    d, t = Document.__table__, Target.__table__
    joined = base.join(d, d.c.id == document_id)
    return joined.outerjoin(Unit, Unit.id == t.c.unit_id)


def _target_columns() -> list[Any]:
    t, d = Target.__table__, Document.__table__
    return [
        t.c.id.label("target_id"), t.c.document_id, _doc_name(), d.c.date.label("stated_on"),
        func.coalesce(Unit.name, t.c.subject).label("unit"), t.c.indicator, t.c.value,
        t.c.value_max, t.c.comparator, t.c.deadline, t.c.quote,
    ]


def _grouped(rows: Iterable[Any], kind: str, key: Any) -> list[Conflict]:
    groups: dict[Any, list[Statement]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(
            Statement(
                target_id=row.target_id, document_id=row.document_id, document=row.document,
                stated_on=row.stated_on, unit=row.unit, indicator=row.indicator,
                value=row.value, value_max=row.value_max, comparator=row.comparator,
                deadline=row.deadline, quote=row.quote,
            )
        )
    return [
        Conflict(
            id=f"{kind}-{min(s.target_id for s in statements)}",
            kind=kind,
            unit=statements[0].unit if kind != DUPLICATED else None,
            indicator=statements[0].indicator,
            statements=tuple(statements),
        )
        for statements in groups.values()
    ]


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
