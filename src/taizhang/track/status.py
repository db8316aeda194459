"""The status of every target in ONE set-based SQL statement (SQLite and PostgreSQL).

This mirrors `oracle.status_of` rule by rule (a property test holds them equal): periods and
modes per target, the latest report per target by a window function, then one CASE for the
status. There is no Python loop per target; Python only turns the rows into `TargetStatus`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import (
    Float,
    Select,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    not_,
    null,
    or_,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from taizhang.ledger.models import Document, ProgressReport, ReviewState, Target, Unit, UnitAlias
from taizhang.track.model import Evidence, Mode, Status, TargetStatus
from taizhang.track.rules import Rules, load_rules
from taizhang.track.sqlfuncs import contains_text, date_of, day_number, day_of, year_start_day

Col = ColumnElement[Any]


def _f(value: float) -> Col:
    """A float literal typed as such, so that PostgreSQL never does integer division."""
    return literal(value, Float)


def status_select(as_of: date, rules: Rules, *, unit: str | None = None) -> Select[Any]:
    """The SELECT computing one row per tracked target (columns named as in `_row_status`)."""
    a = literal(day_of(as_of))
    jan1, dec31 = literal(day_of(date(as_of.year, 1, 1))), literal(day_of(date(as_of.year, 12, 31)))
    t, d = Target.__table__, Document.__table__

    # 1. the raw facts, dates as day numbers
    where = [t.c.review_state != ReviewState.REJECTED.value]
    if not rules.include_soft:
        where.append(t.c.strength != "soft")
    if unit is not None:
        aliased_ids = select(UnitAlias.unit_id).where(UnitAlias.alias == unit)
        where.append(or_(Unit.name == unit, Unit.id.in_(aliased_ids)))
    facts = (
        select(
            t.c.id,
            func.coalesce(Unit.name, t.c.subject).label("unit_name"),
            t.c.indicator,
            t.c.comparator,
            t.c.kind,
            t.c.unit.label("measure"),
            cast(t.c.value, Float).label("value"),
            cast(t.c.value_max, Float).label("value_max"),
            cast(t.c.baseline_value, Float).label("baseline"),
            and_(t.c.recurring.is_not(None), t.c.recurring != "").label("recurring"),
            day_number(t.c.deadline).label("dl"),
            day_number(d.c.date).label("dd"),
            year_start_day(t.c.deadline).label("ys_dl"),
            year_start_day(d.c.date).label("ys_dd"),
        )
        .select_from(t.join(d, d.c.id == t.c.document_id).outerjoin(Unit, Unit.id == t.c.unit_id))
        .where(*where)
        .subquery("facts")
    )

    # 2. period, mode, threshold and direction
    f = facts.c
    start0 = case((and_(f.dl.is_not(None), f.dl < jan1), f.ys_dl), else_=jan1)
    recurring_start = case((and_(f.ys_dd.is_not(None), f.ys_dd > start0), f.ys_dd), else_=start0)
    recurring_end = case(
        (and_(f.dl.is_not(None), f.dl < jan1), f.dl),
        (or_(f.dl.is_(None), f.dl > dec31), dec31),
        else_=f.dl,
    )
    annual = f.ys_dl == f.ys_dd if rules.annual_from_year_start else false()
    plain_start = case(
        (f.dl.is_(None), f.dd), (f.dd.is_(None), f.ys_dl), (annual, f.ys_dl), else_=f.dd
    )
    lower_better = or_(false(), *(contains_text(f.indicator, w) for w in rules.lower_is_better))
    mode = case(
        (f.comparator.in_(("le", "lt")), Mode.BOUND.value),
        (and_(f.comparator.in_(("approx", "eq")), lower_better), Mode.BOUND.value),
        (
            or_(f.kind == "increment", and_(f.kind == "level", f.baseline.is_not(None))),
            Mode.SCHEDULE.value,
        ),
        else_=Mode.LEVEL.value,
    )
    threshold = case(
        (
            and_(f.comparator == "range", f.value_max.is_not(None)),
            case(
                (f.value >= 0, case((f.value <= f.value_max, f.value), else_=f.value_max)),
                else_=case((f.value >= f.value_max, f.value), else_=f.value_max),
            ),
        ),
        else_=f.value,
    )
    periods = select(
        f,
        case((f.recurring, recurring_start), else_=plain_start).label("ps"),
        case((f.recurring, recurring_end), else_=f.dl).label("pe"),
        mode.label("mode"),
        threshold.label("thr"),
    ).subquery("periods")
    p = periods.c

    # 3. the latest report per target inside its window
    r = ProgressReport.__table__
    r_day = day_number(r.c.as_of)
    ranked = (
        select(
            r.c.target_id,
            cast(r.c.value, Float).label("lv"),
            r_day.label("lday"),
            or_(
                func.trim(func.coalesce(r.c.evidence_path, "")) != "",
                func.trim(func.coalesce(r.c.evidence_name, "")) != "",
            ).label("has_evidence"),
            func.row_number()
            .over(partition_by=r.c.target_id, order_by=(r.c.as_of.desc(), r.c.id.desc()))
            .label("rn"),
        )
        .select_from(r.join(periods, p.id == r.c.target_id))
        .where(r.c.as_of <= as_of, or_(not_(p.recurring), p.ps.is_(None), r_day >= p.ps))
        .subquery("ranked")
    )
    latest = select(ranked).where(ranked.c.rn == 1).subquery("latest")
    lt = latest.c

    # 4. comparison values and the status
    sign = case((and_(p.kind == "growth", p.thr < 0), _f(-1.0)), else_=_f(1.0))
    growth_base = and_(p.kind == "growth", p.baseline.is_not(None))
    effective = case(
        (and_(growth_base, p.measure == "个百分点"), lt.lv - p.baseline),
        (and_(growth_base, p.baseline != 0), (lt.lv - p.baseline) / func.abs(p.baseline) * _f(100.0)),
        else_=lt.lv,
    )
    tgt, val = sign * p.thr, sign * effective
    tol = _f(rules.approx_tolerance)
    reached = case(
        (p.comparator == "gt", val > tgt),
        (p.comparator == "approx", val >= tgt - tol * func.abs(tgt)),
        else_=val >= tgt,
    )
    within = case(
        (p.comparator == "lt", val < tgt),
        (p.comparator == "approx", val <= tgt + tol * func.abs(tgt)),
        else_=val <= tgt,
    )
    span = cast(p.pe - p.ps, Float)
    share = cast(a - p.ps, Float) / span
    expected = case(
        (or_(p.ps.is_(None), p.pe.is_(None)), null()),
        (p.pe <= p.ps, case((a >= p.pe, _f(1.0)), else_=_f(0.0))),
        (share < 0, _f(0.0)),
        (share > 1, _f(1.0)),
        else_=share,
    )
    base = func.coalesce(p.baseline, _f(0.0))
    one_if_reached = case((reached, _f(1.0)), else_=_f(0.0))
    progress_value = case(
        (p.mode == Mode.BOUND.value, case((tgt != 0, val / tgt), else_=null())),
        (
            p.mode == Mode.SCHEDULE.value,
            case((tgt != base, (val - base) / (tgt - base)), else_=one_if_reached),
        ),
        else_=case((tgt != 0, val / tgt), else_=one_if_reached),
    )
    not_started = and_(p.ps.is_not(None), a < p.ps)
    past_due = and_(p.pe.is_not(None), a > p.pe)
    bound_status = case(
        (within, case((and_(p.pe.is_not(None), a >= p.pe), "achieved"), else_="on_track")),
        (past_due, "overdue"),
        (tgt == 0, "seriously_behind"),  # CASE, not AND: PostgreSQL may evaluate AND eagerly
        ((val - tgt) / func.abs(tgt) <= _f(rules.bound_serious_excess), "behind"),
        else_="seriously_behind",
    )
    gap = expected - progress_value
    schedule_status = case(
        (or_(p.ps.is_(None), p.pe.is_(None)), "not_yet_due"),
        (gap <= _f(rules.schedule.tolerance), "on_track"),
        (gap <= _f(rules.schedule.serious_gap), "behind"),
        else_="seriously_behind",
    )
    shortfall = (tgt - val) / func.abs(tgt)
    level_status = case(
        (tgt == 0, "seriously_behind"),
        (shortfall <= _f(rules.level.tolerance), "on_track"),
        (shortfall <= _f(rules.level.serious_gap), "behind"),
        else_="seriously_behind",
    )
    status = case(
        (not_started, "not_yet_due"),
        (lt.lv.is_(None), "no_data"),
        (p.mode == Mode.BOUND.value, bound_status),
        (reached, "achieved"),
        (past_due, "overdue"),
        (p.mode == Mode.SCHEDULE.value, schedule_status),
        else_=level_status,
    )
    progress = case((or_(not_started, lt.lv.is_(None)), null()), else_=progress_value)
    evidence = case(
        (lt.lv.is_(None), Evidence.NOT_REPORTED.value),
        (lt.has_evidence, Evidence.WITH_EVIDENCE.value),
        else_=Evidence.WITHOUT_EVIDENCE.value,
    )
    return (
        select(
            p.id,
            p.unit_name,
            p.indicator,
            status.label("status"),
            p.mode,
            progress.label("progress"),
            expected.label("expected"),
            lt.lv.label("latest_value"),
            lt.lday.label("latest_day"),
            evidence.label("evidence"),
            (a - lt.lday).label("days_since_report"),
            p.ps,
            p.pe,
        )
        .select_from(periods.outerjoin(latest, lt.target_id == p.id))
        .order_by(p.id)
    )


def compute_statuses(
    session: Session, as_of: date, *, rules: Rules | None = None, unit: str | None = None
) -> list[TargetStatus]:
    """The status of every tracked target on `as_of` (optionally one unit's), one query."""
    return list(iter_statuses(session, as_of, rules=rules, unit=unit))


def iter_statuses(
    session: Session, as_of: date, *, rules: Rules | None = None, unit: str | None = None
) -> Iterator[TargetStatus]:
    """Like `compute_statuses`, streaming rows (for a million targets)."""
    rules = rules or load_rules()
    result = session.execute(
        status_select(as_of, rules, unit=unit), execution_options={"yield_per": 10_000}
    )
    for row in result:
        yield _row_status(row, as_of, rules)


def _row_status(row: Any, as_of: date, rules: Rules) -> TargetStatus:
    days = None if row.days_since_report is None else int(round(row.days_since_report))
    return TargetStatus(
        target_id=row.id,
        as_of=as_of,
        status=Status(row.status),
        mode=Mode(row.mode),
        progress=row.progress,
        expected=row.expected,
        latest_value=row.latest_value,
        latest_as_of=date_of(row.latest_day),
        evidence=Evidence(row.evidence),
        days_since_report=days,
        stale=days is not None and days > rules.stale_after_days,
        period_start=date_of(row.ps),
        period_end=date_of(row.pe),
        rules_version=rules.version,
        unit_name=row.unit_name,
        indicator=row.indicator,
    )
