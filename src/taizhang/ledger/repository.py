"""Data access for targets: look up, list with filters, describe, review.

Functions take the session and keyword-only arguments; they never commit (the caller's
`session_scope` does). `target_record` is the stable public shape used by `--format json`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session, selectinload

from taizhang.errors import LedgerError, NotFound
from taizhang.ledger.values import parse_id
from taizhang.ledger.amounts import parse_amount
from taizhang.ledger.keys import target_key
from taizhang.ledger.models import ProgressReport, ReviewState, Target, Unit
from taizhang.ledger.units import ensure_unit, find_unit, subtree_ids
from taizhang.ledger.values import parse_date, parse_decimal
from taizhang.types import Comparator, Kind, Strength


def get_target(session: Session, target_id: int | str) -> Target:
    """The target with this id (as an int or a string of digits, `#12` allowed)."""
    number = parse_id(target_id)
    if number is None:
        raise NotFound(f"target {target_id!r}: a target is named by its number, e.g. 12")
    target = session.get(Target, number)
    if target is None:
        raise NotFound(f"no target {number} in the ledger")
    return target


def list_targets(
    session: Session,
    *,
    unit: str | None = None,
    review_states: Collection[str] | None = None,
    due_before: date | None = None,
    include_rejected: bool = True,
) -> list[Target]:
    """Targets ordered by id; `unit` includes the units below it (无锡 → 江阴, 宜兴…)."""
    query = select(Target).options(selectinload(Target.responsible)).order_by(Target.id)
    if unit is not None:
        found = find_unit(session, unit)
        if found is None:
            raise NotFound(f"no unit called {unit!r} in the ledger")
        query = query.where(Target.unit_id.in_(subtree_ids(session, found)))
    if review_states:
        bad = set(review_states) - {s.value for s in ReviewState}
        if bad:
            raise LedgerError(
                f"unknown review state {sorted(bad)}; use {', '.join(s.value for s in ReviewState)}"
            )
        query = query.where(Target.review_state.in_(list(review_states)))
    elif not include_rejected:
        query = query.where(Target.review_state != ReviewState.REJECTED.value)
    if due_before is not None:
        query = query.where(Target.deadline < due_before)
    return list(session.scalars(query))


IN_LIST_LIMIT = 1000  # above this many ids, scanning everything beats a huge IN (…) list


def latest_progress(
    session: Session, target_ids: Sequence[int] | None = None, *, as_of: date | None = None
) -> dict[int, ProgressReport]:
    """The latest report (by as_of, then id) of each target, in one set-based query.

    `target_ids=None` means every target; `as_of` leaves out reports dated after it.
    """
    if target_ids is not None and not target_ids:
        return {}
    wanted = None if target_ids is None or len(target_ids) > IN_LIST_LIMIT else list(target_ids)
    ranked = (
        select(
            ProgressReport.id,
            func.row_number()
            .over(
                partition_by=ProgressReport.target_id,
                order_by=(ProgressReport.as_of.desc(), ProgressReport.id.desc()),
            )
            .label("rank"),
        )
        .where(ProgressReport.target_id.in_(wanted) if wanted is not None else true())
        .where(ProgressReport.as_of <= as_of if as_of is not None else true())
        .subquery()
    )
    query = (
        select(ProgressReport)
        .join(ranked, ranked.c.id == ProgressReport.id)
        .where(ranked.c.rank == 1)
    )
    found = {p.target_id: p for p in session.scalars(query)}
    if target_ids is not None and wanted is None:
        keep = set(target_ids)
        found = {k: v for k, v in found.items() if k in keep}
    return found


def json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def target_record(target: Target, latest: ProgressReport | None = None) -> dict[str, Any]:
    """The public JSON shape of a target (vocabulary of the annotation guidelines)."""
    return {
        "id": target.id,
        "responsible": target.responsible.name if target.responsible else None,
        "subject": target.subject,
        "indicator": target.indicator,
        "value": json_number(target.value),
        "value_max": json_number(target.value_max),
        "unit": target.unit,
        "comparator": target.comparator,
        "kind": target.kind,
        "deadline": target.deadline.isoformat() if target.deadline else None,
        "recurring": target.recurring,
        "strength": target.strength,
        "commitment": target.commitment,
        "qualifier": target.qualifier,
        "review_state": target.review_state,
        "baseline_value": json_number(target.baseline_value),
        "baseline_date": target.baseline_date.isoformat() if target.baseline_date else None,
        "latest_value": json_number(latest.value) if latest else None,
        "latest_as_of": latest.as_of.isoformat() if latest else None,
        "quote": target.quote,
        "quote_span": [target.quote_start, target.quote_end],
        "document_id": target.document_id,
        "flags": list(target.flags or []),
    }


def _enum(enum: Any) -> Any:
    def parse(raw: str) -> str:
        try:
            return str(enum(raw.strip()).value)
        except ValueError:
            raise LedgerError(f"{raw!r} is not one of {', '.join(m.value for m in enum)}") from None

    return parse


def _text(raw: str) -> str | None:
    return raw.strip() or None


def _optional(parse: Any) -> Any:
    return lambda raw: None if raw.strip() in ("", "none", "null") else parse(raw)


EDITABLE_FIELDS: dict[str, Any] = {
    "indicator": lambda raw: raw.strip() or _fail("indicator cannot be empty"),
    "value": lambda raw: parse_decimal(raw, what="value"),
    "value_max": _optional(lambda raw: parse_decimal(raw, what="value_max")),
    "unit": lambda raw: raw.strip(),
    "comparator": _enum(Comparator),
    "kind": _enum(Kind),
    "strength": _enum(Strength),
    "deadline": _optional(lambda raw: parse_date(raw, what="deadline")),
    "recurring": _text,
    "commitment": _text,
    "qualifier": _text,
    "subject": _text,
    "baseline_value": _optional(lambda raw: parse_decimal(raw, what="baseline_value")),
    "baseline_date": _optional(lambda raw: parse_date(raw, what="baseline_date")),
    "report_cycle": lambda raw: _cycle(raw),  # 月报, 季报, 半年报, 年报 (or monthly…)
}


def _cycle(raw: str) -> str | None:
    from taizhang.ledger.tasks import parse_cycle

    return parse_cycle(raw)
AMOUNT_FIELDS = ("value", "value_max", "baseline_value")
OFFICE_FIELDS = frozenset({"report_cycle"})  # the office's settings, not corrections: no `edited`
RESPONSIBLE_FIELD = "responsible"  # `--set responsible=江阴` moves the target to another unit


def _fail(message: str) -> Any:
    raise LedgerError(message)


def review_target(
    session: Session,
    *,
    target_id: int | str,
    confirm: bool = False,
    reject: bool = False,
    changes: dict[str, str] | None = None,
) -> Target:
    """Confirm, reject or edit a target; the audit log records who changed what."""
    changes = changes or {}
    if confirm + reject + bool(changes) != 1:
        raise LedgerError("review needs exactly one of: confirm, reject, or field changes")
    target = get_target(session, target_id)
    if confirm:
        target.review_state = ReviewState.CONFIRMED.value
        session.info["audit_reason"] = "review: confirm"
    elif reject:
        target.review_state = ReviewState.REJECTED.value
        session.info["audit_reason"] = "review: reject"
    else:
        for name, raw in changes.items():
            if name == RESPONSIBLE_FIELD:
                target.responsible = ensure_unit(session, raw)
                continue
            if name not in EDITABLE_FIELDS:
                fields = ", ".join([*EDITABLE_FIELDS, RESPONSIBLE_FIELD])
                raise LedgerError(f"cannot set {name!r}; editable fields: {fields}")
            if name in AMOUNT_FIELDS and raw.strip().lower() not in ("", "none", "null"):
                # typed as people write it (1500亿), a bare number in the target's display unit
                setattr(target, name, parse_amount(raw, unit=target.unit,
                                                   value_text=target.value_text, what=name))
                continue
            setattr(target, name, EDITABLE_FIELDS[name](raw))
            if name == "indicator":
                target.indicator_key = target_key(target.indicator, target.unit, target.kind)
        if set(changes) - OFFICE_FIELDS:  # a correction of what was extracted
            target.review_state = ReviewState.EDITED.value
        session.info["audit_reason"] = "review: edit"
    session.flush()
    session.info.pop("audit_reason", None)
    return target


def find_units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).order_by(Unit.name)))
