"""The rules of tracking, in plain Python: how one target is judged on one date.

This module is the one implementation of the rules. `status_of` judges one target from its
progress reports (a target's page, tests); `status.iter_statuses` feeds every target of the
ledger, with its latest report found by SQL, through the same `Judge`. Dates are day numbers
(days since 1970-01-01) inside, so that a million targets cost about a second.

The rules (README, section Tracking), in the order they are applied:

1. **Period.** A recurring annual target (每年, 年均) is judged over the calendar year of the
   date (not past its final deadline, not before its document's year); only reports inside that
   year count. Otherwise the period ends at the deadline and starts at the baseline's date when
   there is a baseline with a date, else at the document's date, or on 1 January when the
   deadline is in the document's year (a 全年 target of a work report delivered in March counts
   from January). Before the period starts: `not_yet_due`.
2. **No report.** `overdue` after the deadline (red: nobody reported), else `no_data`.
3. **Mode** (`Mode`): caps (le/lt, approx/eq of a lower-is-better indicator) are kept by staying
   within; growth rates and shares are compared directly with their target; everything else is
   judged against 序时进度 (the elapsed share of the period): increments from zero, a target with
   a baseline from its baseline (the straight path), a level without a baseline by its 完成率
   (latest ÷ target), as offices do.
4. **Reached.** Achieved, except that a rate reached before its deadline is only `on_track`
   (a year-to-date rate can still fall back); after the deadline, not reached is `overdue`.
5. **Graded.** Timed modes by the gap 序时进度 − 完成率, rates by the relative shortfall, caps by
   the relative excess, each against the thresholds of the rules file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from taizhang.track.model import Evidence, Mode, Report, Status, TargetFacts, TargetStatus
from taizhang.track.rules import Rules

INFINITY = float("inf")
RATE_KINDS = ("growth", "share")  # compared directly, never scaled by time
EPOCH = date(1970, 1, 1)

_NEW = tuple.__new__
ACHIEVED, ON_TRACK, BEHIND = Status.ACHIEVED, Status.ON_TRACK, Status.BEHIND
SERIOUSLY_BEHIND, OVERDUE = Status.SERIOUSLY_BEHIND, Status.OVERDUE
NO_DATA, NOT_YET_DUE = Status.NO_DATA, Status.NOT_YET_DUE
WITH, WITHOUT, NOT_REPORTED = Evidence.WITH_EVIDENCE, Evidence.WITHOUT_EVIDENCE, Evidence.NOT_REPORTED
# the modes as plain names too: `Mode.BOUND` is a lookup through the enum's class (about 0.1 µs
# on Python 3.11), and the rules below ask for one up to four times per target
BOUND, RATE, PATH, SCHEDULE, STOCK = Mode.BOUND, Mode.RATE, Mode.PATH, Mode.SCHEDULE, Mode.STOCK


def day_of(day: date) -> int:
    """Days since 1970-01-01."""
    return (day - EPOCH).days


class _Dates(dict[int, date]):
    """Day number → date, remembered (a ledger has a few thousand distinct dates)."""

    def __missing__(self, number: int) -> date:
        value = self[number] = EPOCH + timedelta(days=number)
        return value


class _YearStarts(dict[int, int]):
    """Day number → day number of 1 January of its year, remembered."""

    def __missing__(self, number: int) -> int:
        value = self[number] = day_of(date((EPOCH + timedelta(days=number)).year, 1, 1))
        return value


DATES = _Dates()
YEAR_STARTS = _YearStarts()
_NO_NAMES: dict[int | None, str] = {}
SPANS_KEPT = 200_000  # periods a judge remembers (each a few hundred bytes)
_Span = tuple[int | None, int | None, float | None, date | None, date | None]


def as_date(number: int | None) -> date | None:
    return None if number is None else DATES[number]


class Judge:
    """The rules of one rules file on one date, applied to one target at a time.

    `judge(...)` takes a target's fields as plain values (dates as day numbers) and its latest
    report up to the date, and returns its `TargetStatus`. Built once per date and rules: the
    thresholds are read into attributes, and indicators seen are remembered as caps or not.
    """

    def __init__(self, as_of: date, rules: Rules) -> None:
        self.as_of = as_of
        self.rules = rules
        self.day = day_of(as_of)
        self.jan1 = day_of(date(as_of.year, 1, 1))
        self.dec31 = day_of(date(as_of.year, 12, 31))
        self._caps: dict[str, bool] = {}
        # what depends only on a target's dates (its period, as days and dates, and 序时进度)
        # and on its comparator, kind and baseline (its mode; for approx/eq the indicator too,
        # which decides whether it is a cap), remembered: a ledger's targets share a few
        # thousand of each, and a million are judged one after another
        self._spans: dict[tuple[Any, ...], _Span] = {}
        self._modes: dict[tuple[Any, ...], Mode] = {}

    def capped(self, indicator: str) -> bool:
        """Does the indicator name a lower-is-better quantity (失业率, CPI…)?"""
        found = self._caps.get(indicator)
        if found is None:
            found = self._caps[indicator] = any(w in indicator for w in self.rules.lower_is_better)
        return found

    def period(self, recurring: bool, deadline: int | None, doc: int | None,
               baseline_day: int | None) -> tuple[int | None, int | None]:
        """(start, end) of the period the target is judged over (rule 1), as day numbers.

        `baseline_day` is the baseline's date, given only when the target has a baseline.
        """
        if recurring:
            if deadline is not None and deadline < self.jan1:
                start, end = YEAR_STARTS[deadline], deadline
            else:
                start = self.jan1
                end = self.dec31 if deadline is None or deadline > self.dec31 else deadline
            if doc is not None and YEAR_STARTS[doc] > start:
                start = YEAR_STARTS[doc]
            return start, end
        if deadline is None:
            return doc, None
        if baseline_day is not None:
            return baseline_day, deadline  # the straight path starts at the baseline
        if doc is None or (self.rules.annual_from_year_start
                           and YEAR_STARTS[doc] == YEAR_STARTS[deadline]):
            return YEAR_STARTS[deadline], deadline
        return doc, deadline

    def mode(self, comparator: str, kind: str, indicator: str, has_baseline: bool) -> Mode:
        """Which rule judges the target (rule 3)."""
        if comparator == "le" or comparator == "lt":
            return BOUND
        if (comparator == "approx" or comparator == "eq") and self.capped(indicator):
            return BOUND
        if kind in RATE_KINDS:
            return RATE
        if has_baseline:
            return PATH
        if kind == "increment":
            return SCHEDULE
        return STOCK

    def _span(self, recurring: bool, deadline: int | None, doc: int | None,
              baseline_day: int | None) -> _Span:
        """(start, end, 序时进度, start as a date, end as a date) of a target's period on the
        judge's date (rules 1 and 3): `period`, and the elapsed share clamped to [0, 1]."""
        start, end = self.period(recurring, deadline, doc, baseline_day)
        a = self.day
        if start is None or end is None:
            expected = None
        elif end <= start:
            expected = 1.0 if a >= end else 0.0
        else:
            expected = float(a - start) / float(end - start)
            expected = 0.0 if expected < 0 else 1.0 if expected > 1 else expected
        return (start, end, expected, None if start is None else DATES[start],
                None if end is None else DATES[end])

    def __call__(
        self, target_id: int, comparator: str, kind: str, measure: str, indicator: str,
        value: float, value_max: float | None, baseline: float | None, recurring: bool,
        deadline: int | None, doc: int | None, baseline_day: int | None,
        latest: float | None, latest_day: int | None, evidence: bool,
        unit_id: int | None = None, unit_name: str | None = None,
    ) -> TargetStatus:
        """The status of one target; `latest` is its latest report up to the date."""
        return self.rows(((target_id, comparator, kind, measure, indicator, value, value_max,
                           baseline, recurring, deadline, doc, baseline_day, latest, latest_day,
                           evidence, unit_id, unit_name),), _NO_NAMES).__next__()

    def rows(self, rows: Iterable[Sequence[Any]],
             names: Mapping[int | None, str]) -> Iterator[TargetStatus]:
        """The status of each row of facts: the arguments of `__call__` in its order, the last
        one the subject as printed, used as the unit's name when `names` (unit id → name) has
        none. One loop for all of them: what the rules read of the judge, and the judge's
        memories, are local names in it, where a call per target would look each one up again.
        Each status is yielded as it is made: a list of a batch's statuses, all alive at once,
        made the garbage collector walk them again and again (a million statuses streamed took
        half as long again through lists of 20,000).
        """
        a = self.day
        as_of = self.as_of
        version = self.rules.version
        stale_after = self.rules.stale_after_days
        spans, span_of, modes, mode_of = self._spans, self._span, self._modes, self.mode
        judge = self._judge
        dates = DATES
        name_of = names.get
        for (target_id, comparator, kind, measure, indicator, value, value_max, baseline,
             recurring, deadline, doc, baseline_day, latest, latest_day, evidence, unit_id,
             subject) in rows:
            has_baseline = baseline is not None
            key = (recurring, deadline, doc, baseline_day if has_baseline else None)
            span = spans.get(key)
            if span is None:
                span = span_of(*key)
                if len(spans) < SPANS_KEPT:
                    spans[key] = span
            start, end, expected, start_date, end_date = span
            if comparator == "approx" or comparator == "eq":  # a cap or not by the indicator
                shape: tuple[Any, ...] = (comparator, kind, has_baseline, indicator)
            else:
                shape = (comparator, kind, has_baseline)
            mode = modes.get(shape)  # type: ignore[assignment]
            if mode is None:
                mode = modes[shape] = mode_of(comparator, kind, indicator, has_baseline)
            if latest_day is not None and recurring and start is not None and latest_day < start:
                latest = latest_day = None  # last year's report of a yearly target does not count

            status: Status
            progress: float | None = None
            if start is not None and a < start:
                status = NOT_YET_DUE
            elif latest is None:
                status = OVERDUE if end is not None and a > end else NO_DATA  # rule 2
            else:
                status, progress = judge(mode, comparator, kind, measure, value, value_max,
                                         baseline, latest, expected, end)
            if latest_day is None:
                yield _NEW(TargetStatus, (
                    target_id, as_of, status, mode, progress, expected, None, None,
                    NOT_REPORTED, None, False, start_date, end_date, version,
                    name_of(unit_id, subject), indicator, unit_id,
                    None if deadline is None else dates[deadline],
                ))
            else:
                days = a - latest_day
                yield _NEW(TargetStatus, (
                    target_id, as_of, status, mode, progress, expected, latest,
                    dates[latest_day], WITH if evidence else WITHOUT, days, days > stale_after,
                    start_date, end_date, version, name_of(unit_id, subject), indicator,
                    unit_id, None if deadline is None else dates[deadline],
                ))

    def _judge(self, mode: Mode, comparator: str, kind: str, measure: str, value: float,
               value_max: float | None, baseline: float | None, reported: float,
               expected: float | None, end: int | None) -> tuple[Status, float | None]:
        """Rules 3–5 for a target with a report in its period: (status, 完成率)."""
        rules = self.rules
        a = self.day
        # the committed number: for a range, its bound nearer zero
        if comparator == "range" and value_max is not None:
            threshold = min(value, value_max) if value >= 0 else max(value, value_max)
        else:
            threshold = value
        # a growth target with a baseline is reported as levels: turn them into its rate
        if kind == "growth" and baseline is not None:
            if measure == "个百分点":
                reported = reported - baseline
            elif baseline != 0:
                reported = (reported - baseline) / abs(baseline) * 100.0
        # a decrease (下降2.5%以上 = ge −2.5) is judged on the size of the decrease
        sign = -1.0 if kind == "growth" and threshold < 0 else 1.0
        target = sign * threshold
        val = sign * reported
        past_due = end is not None and a > end
        tol = rules.approx_tolerance

        if mode is BOUND:
            if comparator == "lt":
                within = val < target
            elif comparator == "approx":
                within = val <= target + tol * abs(target)
            else:
                within = val <= target
            progress = val / target if target != 0 else None
            if within:
                return (ACHIEVED if end is not None and a >= end else ON_TRACK), progress
            if past_due:
                return OVERDUE, progress
            excess = (val - target) / abs(target) if target != 0 else INFINITY
            return (BEHIND if excess <= rules.bound_serious_excess else SERIOUSLY_BEHIND), progress

        if comparator == "gt":
            reached = val > target
        elif comparator == "approx":
            reached = val >= target - tol * abs(target)
        else:  # ge, eq (完成 N), range (its bound nearer zero)
            reached = val >= target
        if mode is RATE:
            progress = val / target if target != 0 else (1.0 if reached else 0.0)
        else:  # the timed modes: share of the way from the baseline (0 without one)
            base = baseline if baseline is not None else 0.0
            progress = (val - base) / (target - base) if target != base else (
                1.0 if reached else 0.0)
        if reached:
            # a rate reached before the deadline can still fall back: on track until it is due
            if mode is RATE and not (end is not None and a >= end):
                return ON_TRACK, progress
            return ACHIEVED, progress
        if past_due:
            return OVERDUE, progress
        if mode is RATE:
            shortfall = (target - val) / abs(target) if target != 0 else INFINITY
            return _graded(shortfall, rules.rate.tolerance, rules.rate.serious_gap), progress
        if expected is None:  # no deadline: no schedule to be behind
            return NOT_YET_DUE, progress
        return _graded(expected - progress, rules.schedule.tolerance,
                       rules.schedule.serious_gap), progress


def _graded(gap: float, tolerance: float, serious_gap: float) -> Status:
    if gap <= tolerance:
        return ON_TRACK
    if gap <= serious_gap:
        return BEHIND
    return SERIOUSLY_BEHIND


def _days(day: date | None) -> int | None:
    return None if day is None else day_of(day)


def period_of(facts: TargetFacts, as_of: date, rules: Rules) -> tuple[date | None, date | None]:
    """(start, end) of the period the target is judged over on `as_of` (rule 1)."""
    start, end = Judge(as_of, rules).period(
        bool(facts.recurring), _days(facts.deadline), _days(facts.doc_date),
        _days(facts.baseline_date) if facts.baseline is not None else None)
    return as_date(start), as_date(end)


def elapsed_share(start: date | None, end: date | None, as_of: date) -> float | None:
    """Elapsed share of [start, end] on `as_of`, clamped to [0, 1] (序时进度)."""
    if start is None or end is None:
        return None
    if end <= start:
        return 1.0 if as_of >= end else 0.0
    share = float((as_of - start).days) / float((end - start).days)
    return min(max(share, 0.0), 1.0)


def status_of(
    facts: TargetFacts, reports: Iterable[Report], as_of: date, rules: Rules,
    *, judge: Judge | None = None,
) -> TargetStatus:
    """Compute the status of one target on `as_of` from all its progress reports.

    The latest report up to `as_of` (ties: the one recorded last) is the one that counts.
    """
    latest = max((r for r in reports if r.as_of <= as_of), key=lambda r: (r.as_of, r.id),
                 default=None)
    judge = judge or Judge(as_of, rules)
    return judge(
        facts.id, facts.comparator, facts.kind, facts.unit, facts.indicator, facts.value,
        facts.value_max, facts.baseline, bool(facts.recurring), _days(facts.deadline),
        _days(facts.doc_date), _days(facts.baseline_date),
        None if latest is None else latest.value, None if latest is None else day_of(latest.as_of),
        latest is not None and bool(latest.evidence and latest.evidence.strip()),
    )
