"""Reporting cycles (报送周期): when a report on a target or task is due, and whether it came.

A cycle cuts time into periods (months, quarters, half years, years). The report on a period
is due `grace_days` after the period ends (a 季报 on the first quarter by 5 April with the
default of 5 days); a report *covers* a period when its as-of date is on or after the period's
first day (a later report makes up for an earlier one that was missed). Periods count from the item's start (its document's date, or the
day a task was created) up to the period of its deadline.

    >>> from datetime import date
    >>> d = due_state("quarterly", date(2024, 1, 20), date(2024, 12, 31), [], date(2024, 4, 10))
    >>> d.missing, d.next_due
    (datetime.date(2024, 4, 5), datetime.date(2024, 7, 5))
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

GRACE_DAYS = 5
MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "annual": 12}


def _month_end(year: int, month: int) -> date:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def period_ends(cycle: str, start: date, until: date) -> list[date]:
    """Ends of the cycle's periods from the one containing `start` to the one containing
    `until` (quarters end on 31 March, 30 June…)."""
    step = MONTHS[cycle]
    month = ((start.month - 1) // step + 1) * step
    year, ends = start.year, []
    while True:
        end = _month_end(year, month)
        ends.append(end)
        if end >= until or len(ends) > 1200:
            return ends
        month += step
        if month > 12:
            year, month = year + 1, month - 12


@dataclass(frozen=True, slots=True)
class DueState:
    missing: date | None  # due date of the latest period already due and not reported (逾期未报)
    next_due: date | None  # due date of the next period not yet due (its report may be 临期)
    next_covered: bool  # that next period is already reported


def due_state(cycle: str | None, start: date, deadline: date | None,
              reported: Iterable[date], as_of: date, *, grace_days: int = GRACE_DAYS) -> DueState:
    """Where an item stands with its reports on `as_of` (see the module docstring)."""
    if not cycle or cycle not in MONTHS:
        return DueState(None, None, False)
    days = sorted(reported)
    last = max(deadline or as_of, start)
    ends = period_ends(cycle, start, max(last, as_of) if deadline is None else last)
    grace = timedelta(days=grace_days)
    begin = start
    missing = next_due = None
    covered_next = False
    for end in ends:
        due = end + grace
        covered = any(day >= begin for day in days)
        if due < as_of:
            missing = None if covered else due
        elif next_due is None:
            next_due, covered_next = due, covered
            break
        begin = end + timedelta(days=1)
    return DueState(missing, next_due, covered_next)
