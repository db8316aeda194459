"""Progress reports: one at a time, or a whole CSV/XLSX file validated row by row.

A file is all or nothing by default: if any row is invalid, nothing is written and every row
error is reported, so an office can fix the file and import it again without duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from taizhang.errors import ImportFormatError, LedgerError
from taizhang.ledger.models import ProgressReport, ReviewState, Target
from taizhang.ledger.repository import IN_LIST_LIMIT, get_target
from taizhang.ledger.tables import table_rows
from taizhang.ledger.values import parse_date, parse_decimal

PROGRESS_HEADERS = {
    "target": ("target", "target_id", "目标编号", "编号"),
    "value": ("value", "完成值", "当前值"),
    "as_of": ("as_of", "截至日期", "截止日期", "日期"),
    "note": ("note", "备注"),
}
REQUIRED = ("target", "value", "as_of")


@dataclass(frozen=True, slots=True)
class ProgressImport:
    added: tuple[int, ...]  # ids of the new reports
    row_errors: tuple[tuple[int, str], ...]  # rows skipped with --skip-invalid


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
    """Record a value of a target as of a date. Refuses rejected targets and future dates."""
    target = get_target(session, target_id)
    report = _validated(target.id, target.review_state, value, as_of, today or date.today())
    _check_plausible(report, target.value, target.unit, target.kind, target.baseline_value)
    report.note = note or None
    report.reporter = reporter or str(session.info.get("actor") or "") or None
    if evidence is not None:
        if not evidence.is_file():
            raise LedgerError(f"evidence file {evidence} does not exist")
        report.evidence_path = str(evidence.resolve())
        report.evidence_name = evidence.name
    session.add(report)
    session.flush()
    return report


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
                   Target.baseline_value)
    if len(ids) <= IN_LIST_LIMIT:
        query = query.where(Target.id.in_(ids))
    found = {row.id: row for row in session.execute(query)}
    states: dict[int, str] = {tid: row.review_state for tid, row in found.items()}
    reports: list[ProgressReport] = []
    errors: list[tuple[int, str]] = []
    for row in rows:
        number = _target_number(row.cells["target"])
        state = states.get(number) if number is not None else None
        if number is None or state is None:
            errors.append((row.number, f"no target {row.cells['target']!r} in the ledger"))
            continue
        try:
            report = _validated(number, state, row.cells["value"], row.cells["as_of"], today)
            t = found[number]
            _check_plausible(report, t.value, t.unit, t.kind, t.baseline_value)
        except LedgerError as err:
            errors.append((row.number, str(err)))
            continue
        note = row.cells.get("note")
        report.note = str(note) if note is not None else None
        report.reporter = reporter or str(session.info.get("actor") or "") or None
        reports.append(report)
    if errors and not skip_invalid:
        raise ImportFormatError(
            f"{path}: {len(errors)} invalid row(s), nothing imported "
            "(fix them, or pass --skip-invalid to import the valid rows)",
            row_errors=errors,
        )
    session.add_all(reports)
    session.flush()
    return ProgressImport(tuple(r.id for r in reports), tuple(errors))


def _target_number(raw: object) -> int | None:
    text = str(raw if raw is not None else "").strip().lstrip("#")
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    return int(text) if text.isdigit() else None
