"""Progress reports: one at a time, or a whole CSV/XLSX file validated row by row.

A file is all or nothing by default: if any row is invalid, nothing is written and every row
error is reported, so an office can fix the file and import it again without duplicates.

A target has at most one report per as-of date: reporting the same (target, as-of) again
updates that report when the value or note differ and changes nothing when they do not, and
says which (`added`, `updated`, `unchanged`). Amounts are typed as people write them
(`ledger.amounts`: 1500亿, 3,000万元; a bare number in the target's display unit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from taizhang.errors import ImportFormatError, LedgerError
from taizhang.ledger.amounts import parse_amount, scale_of
from taizhang.ledger.db import lock_ids
from taizhang.ledger.models import ProgressReport, ReviewState, Target
from taizhang.ledger.repository import IN_LIST_LIMIT, get_target
from taizhang.ledger.tables import table_rows
from taizhang.ledger.values import parse_date, parse_decimal, parse_id

PROGRESS_HEADERS = {
    "target": ("target", "target_id", "目标编号", "编号"),
    "value": ("value", "完成值", "当前值"),
    "as_of": ("as_of", "截至日期", "截止日期", "日期"),
    "note": ("note", "备注"),
    "unit": ("unit", "单位", "计量单位"),  # optional: 亿元 says how a bare number is meant
}
REQUIRED = ("target", "value", "as_of")


@dataclass(frozen=True, slots=True)
class ProgressImport:
    added: tuple[int, ...]  # ids of the new reports
    row_errors: tuple[tuple[int, str], ...]  # rows skipped with --skip-invalid
    updated: tuple[int, ...] = ()  # existing reports of the same (target, as-of), changed
    unchanged: tuple[int, ...] = ()  # existing reports that already said the same


@dataclass(frozen=True, slots=True)
class Recorded:
    report: ProgressReport
    outcome: str  # added, updated, unchanged


def add_progress(
    session: Session,
    *,
    target_id: int | str,
    value: Decimal | str | float,
    as_of: date | str,
    note: str | None = None,
    evidence: Path | None = None,
    reporter: str | None = None,
    today: date | None = None,
) -> ProgressReport:
    """Record a value of a target as of a date (see `record_progress`)."""
    return record_progress(session, target_id=target_id, value=value, as_of=as_of, note=note,
                           evidence=evidence, reporter=reporter, today=today).report


def record_progress(
    session: Session,
    *,
    target_id: int | str,
    value: Decimal | str | float,
    as_of: date | str,
    note: str | None = None,
    evidence: Path | None = None,
    reporter: str | None = None,
    today: date | None = None,
) -> Recorded:
    """Record a value of a target as of a date; a second report of the same date updates the
    first. A string is an amount as typed (1500亿; a bare number in the target's display unit),
    a number is in base units. Refuses rejected targets and future dates."""
    target = get_target(session, target_id)
    if isinstance(value, str):
        value = parse_amount(value, unit=target.unit, value_text=target.value_text)
    report = _validated(target.id, target.review_state, value, as_of, today or date.today())
    _check_plausible(report, target.value, target.unit, target.kind, target.baseline_value)
    report.note = note or None
    report.reporter = reporter or str(session.info.get("actor") or "") or None
    if evidence is not None:
        if not evidence.is_file():
            raise LedgerError(f"evidence file {evidence} does not exist")
        report.evidence_path = str(evidence.resolve())
        report.evidence_name = evidence.name
    lock_ids(session, "targets", [target.id])  # one report per (target, as-of), even at once
    existing = session.scalars(
        select(ProgressReport)
        .where(ProgressReport.target_id == target.id, ProgressReport.as_of == report.as_of)
        .order_by(ProgressReport.id.desc())
    ).first()
    if existing is None:
        session.add(report)
        session.flush()
        return Recorded(report, "added")
    outcome = _merge(existing, report)
    session.flush()
    return Recorded(existing, outcome)


def _merge(existing: ProgressReport, new: ProgressReport) -> str:
    """Update `existing` from `new` (same target and date); 'updated' or 'unchanged'."""
    changed = False
    fields = ["value", "note", "reporter"]
    if new.evidence_path:
        fields += ["evidence_path", "evidence_name"]
    if existing.value == new.value and existing.note == new.note and not new.evidence_path:
        return "unchanged"
    for name in fields:
        if getattr(existing, name) != getattr(new, name):
            setattr(existing, name, getattr(new, name))
            changed = True
    return "updated" if changed else "unchanged"


def _check_plausible(report: ProgressReport, target: Decimal, unit: str, kind: str,
                     baseline: Decimal | None) -> None:
    """Refuse a value of the wrong magnitude for its target (track's rule, imported here
    lazily because track is built on the ledger's models)."""
    from taizhang.track.plausible import check_report

    check_report(report.value, target=target, unit=unit, kind=kind, baseline=baseline,
                 name=f"target {report.target_id}")


def _validated(
    target_id: int, review_state: str, value: Decimal | str | float, as_of: date | str, today: date
) -> ProgressReport:
    if review_state == ReviewState.REJECTED.value:
        raise LedgerError(f"target {target_id} was rejected in review; it takes no progress")
    when = parse_date(as_of, what="as_of")
    if when > today:
        raise LedgerError(f"as_of {when} is in the future")
    return ProgressReport(target_id=target_id, as_of=when, value=parse_decimal(value, what="value"))


def import_progress(
    session: Session,
    path: Path,
    *,
    skip_invalid: bool = False,
    reporter: str | None = None,
    today: date | None = None,
) -> ProgressImport:
    """Import `target, value, as_of, note` rows (or 目标编号, 完成值, 截至日期, 备注)."""
    rows = table_rows(path, PROGRESS_HEADERS, required=REQUIRED)
    today = today or date.today()
    ids = {n for r in rows if (n := _target_number(r.cells["target"])) is not None}
    # a few columns, not ORM objects: files may name 100,000 targets
    query = select(Target.id, Target.review_state, Target.value, Target.unit, Target.kind,
                   Target.baseline_value, Target.value_text)
    if len(ids) <= IN_LIST_LIMIT:
        query = query.where(Target.id.in_(ids))
    facts = {row.id: row for row in session.execute(query).all()}
    reports: dict[tuple[int, date], ProgressReport] = {}  # the last row of a (target, date) wins
    errors: list[tuple[int, str]] = []
    for row in rows:
        number = _target_number(row.cells["target"])
        fact = facts.get(number) if number is not None else None
        if number is None or fact is None:
            errors.append((row.number, f"no target {row.cells['target']!r} in the ledger"))
            continue
        try:
            value = _row_value(row.cells, fact.unit, fact.value_text)
            report = _validated(number, fact.review_state, value, row.cells["as_of"], today)
            _check_plausible(report, fact.value, fact.unit, fact.kind, fact.baseline_value)
        except LedgerError as err:
            errors.append((row.number, str(err)))
            continue
        note = row.cells.get("note")
        report.note = str(note) if note is not None else None
        report.reporter = reporter or str(session.info.get("actor") or "") or None
        reports[(number, report.as_of)] = report
    if errors and not skip_invalid:
        raise ImportFormatError(
            f"{path}: {len(errors)} invalid row(s), nothing imported "
            "(fix them, or pass --skip-invalid to import the valid rows)",
            row_errors=errors,
        )
    lock_ids(session, "targets", (tid for tid, _ in reports))  # two imports of one row: one report
    existing = _existing_reports(session, reports)
    added, updated, unchanged = [], [], []
    for key, report in reports.items():
        old = existing.get(key)
        if old is None:
            session.add(report)
            added.append(report)
        elif _merge(old, report) == "updated":
            updated.append(old.id)
        else:
            unchanged.append(old.id)
    session.flush()
    return ProgressImport(tuple(r.id for r in added), tuple(errors), tuple(updated),
                          tuple(unchanged))


def _row_value(cells: dict[str, object], unit: str, value_text: str) -> Decimal:
    """A 完成值 cell: an amount as typed; a bare number in the row's 单位 if it has one (亿元),
    else in the target's display unit."""
    given = str(cells.get("unit") or "").strip()
    if given:
        if not given.endswith(unit) or scale_of("1" + given, unit) + unit != given:
            raise LedgerError(f"单位 {given!r} does not fit the target, which is counted in {unit}")
        value_text = "1" + given
    return parse_amount(cells.get("value"), unit=unit, value_text=value_text)


def _existing_reports(
    session: Session, wanted: dict[tuple[int, date], ProgressReport]
) -> dict[tuple[int, date], ProgressReport]:
    """The ledger's reports of the (target, date) pairs of an import, in one or few queries."""
    found: dict[tuple[int, date], ProgressReport] = {}
    ids = sorted({tid for tid, _ in wanted})
    for start in range(0, len(ids), IN_LIST_LIMIT):
        chunk = ids[start : start + IN_LIST_LIMIT]
        for report in session.scalars(select(ProgressReport).where(
                ProgressReport.target_id.in_(chunk)).order_by(ProgressReport.id)):
            key = (report.target_id, report.as_of)
            if key in wanted:
                found[key] = report
    return found


def _target_number(raw: object) -> int | None:
    return parse_id(raw)
