"""The status of every target in ONE set-based SQL statement (SQLite and PostgreSQL).

This mirrors `oracle.status_of` rule by rule (a property test holds them equal): periods and
modes per target, the latest report per target by a window function, then one CASE for the
status. There is no Python loop per target; Python only turns the rows into `TargetStatus`.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterator, Sequence
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

from taizhang.errors import NotFound
from taizhang.ledger.models import Document, ProgressReport, ReviewState, Target, Unit
from taizhang.ledger.units import find_unit, subtree_ids
from taizhang.track.model import Evidence, Mode, Status, TargetStatus
from taizhang.track.rules import Rules, load_rules
from taizhang.track.sqlfuncs import contains_text, date_of, day_number, day_of, year_start_day

Col = ColumnElement[Any]


def _f(value: float) -> Col:
    """A float literal typed as such, so that PostgreSQL never does integer division."""
    return literal(value, Float)


def status_select(
    as_of: date, rules: Rules, *, unit_ids: Sequence[int] | None = None
) -> Select[Any]:
    """The SELECT computing one row per tracked target (columns named as in `_row_status`)."""
    a = literal(day_of(as_of))
    jan1, dec31 = literal(day_of(date(as_of.year, 1, 1))), literal(day_of(date(as_of.year, 12, 31)))
    t, d = Target.__table__, Document.__table__

    # 1. the raw facts, dates as day numbers
    where = [t.c.review_state != ReviewState.REJECTED.value]
    if not rules.include_soft:
        where.append(t.c.strength != "soft")
    if unit_ids is not None:
        where.append(t.c.unit_id.in_(list(unit_ids)))
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
            day_number(t.c.baseline_date).label("bd"),
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
        (f.dl.is_(None), f.dd),
        (and_(f.baseline.is_not(None), f.bd.is_not(None)), f.bd),
        (f.dd.is_(None), f.ys_dl),
        (annual, f.ys_dl),
        else_=f.dd,
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
    sign = case((and_(f.kind == "growth", threshold < 0), _f(-1.0)), else_=_f(1.0))
    # MATERIALIZED: computed once per target; otherwise SQLite and PostgreSQL inline these
    # expressions into every CASE below that uses them, dozens of times over.
    periods = (
        select(
            f.id, f.unit_name, f.indicator, f.comparator, f.kind, f.measure, f.baseline,
            f.recurring,
            case((f.recurring, recurring_start), else_=plain_start).label("ps"),
            case((f.recurring, recurring_end), else_=f.dl).label("pe"),
            mode.label("mode"),
            sign.label("sign"),
            (sign * threshold).label("tgt"),
        )
        .cte("periods")
        .prefix_with("MATERIALIZED")
    )
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

    # 4. the latest value in the target's terms, and the elapsed share (序时进度)
    growth_base = and_(p.kind == "growth", p.baseline.is_not(None))
    effective = case(
        (and_(growth_base, p.measure == "个百分点"), lt.lv - p.baseline),
        (
            and_(growth_base, p.baseline != 0),
            (lt.lv - p.baseline) / func.abs(p.baseline) * _f(100.0),
        ),
        else_=lt.lv,
    )
    span = cast(p.pe - p.ps, Float)
    share = cast(a - p.ps, Float) / span
    elapsed = case(
        (or_(p.ps.is_(None), p.pe.is_(None)), null()),
        (p.pe <= p.ps, case((a >= p.pe, _f(1.0)), else_=_f(0.0))),
        (share < 0, _f(0.0)),
        (share > 1, _f(1.0)),
        else_=share,
    )
    calc = (
        select(
            p.id, p.unit_name, p.indicator, p.comparator, p.mode, p.ps, p.pe, p.tgt,
            func.coalesce(p.baseline, _f(0.0)).label("base"),
            (p.sign * effective).label("val"),
            elapsed.label("expected"),
            lt.lv, lt.lday, lt.has_evidence,
        )
        .select_from(periods.outerjoin(latest, lt.target_id == p.id))
        .cte("calc")
        .prefix_with("MATERIALIZED")
    )
    c = calc.c

    # 5. comparison and status, from the materialized columns
    tgt, val, base, expected = c.tgt, c.val, c.base, c.expected
    tol = _f(rules.approx_tolerance)
    reached = case(
        (c.comparator == "gt", val > tgt),
        (c.comparator == "approx", val >= tgt - tol * func.abs(tgt)),
        else_=val >= tgt,
    )
    within = case(
        (c.comparator == "lt", val < tgt),
        (c.comparator == "approx", val <= tgt + tol * func.abs(tgt)),
        else_=val <= tgt,
    )
    one_if_reached = case((reached, _f(1.0)), else_=_f(0.0))
    progress_value = case(
        (c.mode == Mode.BOUND.value, case((tgt != 0, val / tgt), else_=null())),
        (
            c.mode == Mode.SCHEDULE.value,
            case((tgt != base, (val - base) / (tgt - base)), else_=one_if_reached),
        ),
        else_=case((tgt != 0, val / tgt), else_=one_if_reached),
    )
    not_started = and_(c.ps.is_not(None), a < c.ps)
    past_due = and_(c.pe.is_not(None), a > c.pe)
    bound_status = case(
        (within, case((and_(c.pe.is_not(None), a >= c.pe), "achieved"), else_="on_track")),
        (past_due, "overdue"),
        (tgt == 0, "seriously_behind"),  # CASE, not AND: PostgreSQL may evaluate AND eagerly
        ((val - tgt) / func.abs(tgt) <= _f(rules.bound_serious_excess), "behind"),
        else_="seriously_behind",
    )
    gap = expected - progress_value
    schedule_status = case(
        (or_(c.ps.is_(None), c.pe.is_(None)), "not_yet_due"),
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
        (c.lv.is_(None), "no_data"),
        (c.mode == Mode.BOUND.value, bound_status),
        (reached, "achieved"),
        (past_due, "overdue"),
        (c.mode == Mode.SCHEDULE.value, schedule_status),
        else_=level_status,
    )
    progress = case((or_(not_started, c.lv.is_(None)), null()), else_=progress_value)
    evidence = case(
        (c.lv.is_(None), Evidence.NOT_REPORTED.value),
        (c.has_evidence, Evidence.WITH_EVIDENCE.value),
        else_=Evidence.WITHOUT_EVIDENCE.value,
    )
    return (
        select(
            c.id,
            c.unit_name,
            c.indicator,
            status.label("status"),
            c.mode,
            progress.label("progress"),
            expected.label("expected"),
            c.lv.label("latest_value"),
            c.lday.label("latest_day"),
            evidence.label("evidence"),
            (a - c.lday).label("days_since_report"),
            c.ps,
            c.pe,
        )
        .order_by(c.id)
    )


def compute_statuses(
    session: Session, as_of: date, *, rules: Rules | None = None, unit: str | None = None
) -> list[TargetStatus]:
    """The status of every tracked target on `as_of`, in one query.

    `unit` limits it to one unit and the units below it (无锡 → 江阴, 宜兴…); `rules` default to
    the shipped ones overridden by TAIZHANG_RULES.
    """
    return list(iter_statuses(session, as_of, rules=rules, unit=unit))


def iter_statuses(
    session: Session, as_of: date, *, rules: Rules | None = None, unit: str | None = None
) -> Iterator[TargetStatus]:
    """Like `compute_statuses`, streaming rows (for a million targets)."""
    rules = rules or load_rules()
    query = status_select(as_of, rules, unit_ids=unit_subtree(session, unit))
    # Core, not ORM, execution: the rows are plain tuples either way, Core adds less per row.
    result = session.connection().execute(query, execution_options={"yield_per": 10_000})
    for row in result:
        yield _row_status(row, as_of, rules)


def unit_subtree(session: Session, unit: str | None) -> list[int] | None:
    """Ids of the unit called `unit` (name, full name or alias) and every unit below it."""
    if unit is None:
        return None
    found = find_unit(session, unit)
    if found is None:
        raise NotFound(f"no unit called {unit!r} in the ledger")
    return subtree_ids(session, found)


_STATUS = {s.value: s for s in Status}
_MODE = {m.value: m for m in Mode}
_EVIDENCE = {e.value: e for e in Evidence}


def _row_status(row: Any, as_of: date, rules: Rules) -> TargetStatus:
    """One result row → `TargetStatus` (positional unpacking: a million rows go through here)."""
    (tid, unit_name, indicator, status, mode, progress, expected, latest_value, latest_day,
     evidence, days_since, ps, pe) = row
    days = None if days_since is None else round(days_since)
    return TargetStatus(
        target_id=tid,
        as_of=as_of,
        status=_STATUS[status],
        mode=_MODE[mode],
        progress=progress,
        expected=expected,
        latest_value=latest_value,
        latest_as_of=_day(latest_day),
        evidence=_EVIDENCE[evidence],
        days_since_report=days,
        stale=days is not None and days > rules.stale_after_days,
        period_start=_day(ps),
        period_end=_day(pe),
        rules_version=rules.version,
        # interned: a million rows share a few thousand unit and indicator names
        unit_name=None if unit_name is None else sys.intern(unit_name),
        indicator=None if indicator is None else sys.intern(indicator),
    )


@functools.lru_cache(maxsize=8192)
def _day(number: float | None) -> date | None:
    return date_of(number)
