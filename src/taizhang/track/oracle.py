"""The status of ONE target, in plain Python: the readable specification of tracking.

`compute_statuses` (track/status.py) does the same for every target in one SQL statement; a
property test holds the two equal. Change the rules here first, then mirror them in SQL. The
arithmetic is in floats, in the same order as the SQL, so that both round alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from taizhang.track.model import Evidence, Mode, Report, Status, TargetFacts, TargetStatus
from taizhang.track.rules import Rules

INFINITY = float("inf")


def period_of(facts: TargetFacts, as_of: date, rules: Rules) -> tuple[date | None, date | None]:
    """(start, end) of the period the target is judged over on `as_of`.

    A recurring annual target is judged over the calendar year of `as_of` (not past its final
    deadline, not before its document's year). Otherwise the period ends at the deadline and
    starts at the baseline's date when there is one, else at the document's date, or on
    1 January when the deadline is in the document's year (a 全年 target of a work report
    delivered in March counts from January).
    """
    deadline, doc = facts.deadline, facts.doc_date
    if facts.recurring:
        jan1, dec31 = date(as_of.year, 1, 1), date(as_of.year, 12, 31)
        if deadline is not None and deadline < jan1:
            start, end = _year_start(deadline), deadline
        else:
            start = jan1
            end = dec31 if deadline is None or deadline > dec31 else deadline
        if doc is not None and _year_start(doc) > start:
            start = _year_start(doc)
        return start, end
    if deadline is None:
        return doc, None
    if facts.baseline is not None and facts.baseline_date is not None:
        return facts.baseline_date, deadline  # the straight path starts at the baseline
    if doc is None or (rules.annual_from_year_start and doc.year == deadline.year):
        return _year_start(deadline), deadline
    return doc, deadline


def elapsed_share(start: date | None, end: date | None, as_of: date) -> float | None:
    """Elapsed share of [start, end] on `as_of`, clamped to [0, 1] (序时进度)."""
    if start is None or end is None:
        return None
    if end <= start:
        return 1.0 if as_of >= end else 0.0
    share = float((as_of - start).days) / float((end - start).days)
    return min(max(share, 0.0), 1.0)


def mode_of(facts: TargetFacts, rules: Rules) -> Mode:
    if facts.comparator in ("le", "lt"):
        return Mode.BOUND
    if facts.comparator in ("approx", "eq") and any(
        word in facts.indicator for word in rules.lower_is_better
    ):
        return Mode.BOUND
    if facts.kind == "increment" or (facts.kind == "level" and facts.baseline is not None):
        return Mode.SCHEDULE
    return Mode.LEVEL


def threshold_of(facts: TargetFacts) -> float:
    """The committed number a value is compared with; for a range, its bound nearer zero."""
    if facts.comparator == "range" and facts.value_max is not None:
        if facts.value >= 0:
            return min(facts.value, facts.value_max)
        return max(facts.value, facts.value_max)
    return facts.value


def effective_value(facts: TargetFacts, reported: float) -> float:
    """A reported value in the target's terms: a growth target with a baseline gets levels."""
    if facts.kind == "growth" and facts.baseline is not None:
        if facts.unit == "个百分点":
            return reported - facts.baseline
        if facts.baseline != 0:
            return (reported - facts.baseline) / abs(facts.baseline) * 100.0
    return reported


def status_of(
    facts: TargetFacts, reports: Iterable[Report], as_of: date, rules: Rules
) -> TargetStatus:
    """Compute the status of one target on `as_of` from all its progress reports."""
    start, end = period_of(facts, as_of, rules)
    mode = mode_of(facts, rules)
    expected = elapsed_share(start, end, as_of)
    window = [
        r
        for r in reports
        if r.as_of <= as_of and (not facts.recurring or start is None or r.as_of >= start)
    ]
    latest = max(window, key=lambda r: (r.as_of, r.id), default=None)

    def result(status: Status, progress: float | None = None) -> TargetStatus:
        days = (as_of - latest.as_of).days if latest else None
        evidence = Evidence.NOT_REPORTED
        if latest is not None:
            has = bool(latest.evidence and latest.evidence.strip())
            evidence = Evidence.WITH_EVIDENCE if has else Evidence.WITHOUT_EVIDENCE
        return TargetStatus(
            target_id=facts.id,
            as_of=as_of,
            status=status,
            mode=mode,
            progress=progress,
            expected=expected,
            latest_value=latest.value if latest else None,
            latest_as_of=latest.as_of if latest else None,
            evidence=evidence,
            days_since_report=days,
            stale=days is not None and days > rules.stale_after_days,
            period_start=start,
            period_end=end,
            rules_version=rules.version,
            indicator=facts.indicator,
        )

    if start is not None and as_of < start:
        return result(Status.NOT_YET_DUE)
    if latest is None:
        return result(Status.NO_DATA)

    threshold = threshold_of(facts)
    sign = -1.0 if facts.kind == "growth" and threshold < 0 else 1.0
    target = sign * threshold
    value = sign * effective_value(facts, latest.value)
    past_due = end is not None and as_of > end

    if mode is Mode.BOUND:
        progress = value / target if target != 0 else None
        return result(_bound_status(facts.comparator, value, target, past_due, end, as_of, rules),
                      progress)

    reached = _reached(facts.comparator, value, target, rules.approx_tolerance)
    if mode is Mode.SCHEDULE:
        base = facts.baseline if facts.baseline is not None else 0.0
        progress = (value - base) / (target - base) if target != base else (
            1.0 if reached else 0.0
        )
    else:
        progress = value / target if target != 0 else (1.0 if reached else 0.0)
    if reached:
        return result(Status.ACHIEVED, progress)
    if past_due:
        return result(Status.OVERDUE, progress)
    if mode is Mode.SCHEDULE:
        if expected is None:
            return result(Status.NOT_YET_DUE, progress)
        return result(_graded(expected - progress, rules.schedule.tolerance,
                              rules.schedule.serious_gap), progress)
    shortfall = (target - value) / abs(target) if target != 0 else INFINITY
    return result(_graded(shortfall, rules.level.tolerance, rules.level.serious_gap), progress)


def _reached(comparator: str, value: float, target: float, approx_tolerance: float) -> bool:
    if comparator == "gt":
        return value > target
    if comparator == "approx":
        return value >= target - approx_tolerance * abs(target)
    return value >= target  # ge, eq (完成 N), range (its bound nearer zero)


def _bound_status(
    comparator: str,
    value: float,
    target: float,
    past_due: bool,
    end: date | None,
    as_of: date,
    rules: Rules,
) -> Status:
    if comparator == "lt":
        within = value < target
    elif comparator == "approx":
        within = value <= target + rules.approx_tolerance * abs(target)
    else:
        within = value <= target
    if within:
        return Status.ACHIEVED if end is not None and as_of >= end else Status.ON_TRACK
    if past_due:
        return Status.OVERDUE
    excess = (value - target) / abs(target) if target != 0 else INFINITY
    return Status.BEHIND if excess <= rules.bound_serious_excess else Status.SERIOUSLY_BEHIND


def _graded(gap: float, tolerance: float, serious_gap: float) -> Status:
    if gap <= tolerance:
        return Status.ON_TRACK
    if gap <= serious_gap:
        return Status.BEHIND
    return Status.SERIOUSLY_BEHIND


def _year_start(day: date) -> date:
    return date(day.year, 1, 1)
