"""Is a reported value of the right magnitude for its target? (Reports that are not are refused.)

A progress report is a number in the target's own unit. Two slips are common and would make
the status nonsense (完成率 20000 %, 已完成): a level typed into a rate (1,200 reported on a 6 %
growth target) and an amount typed in 万 or 亿 where the ledger keeps 元 (1500 on a 1500亿元
target: 1/100,000,000 of it). The ledger, the CLI, the web and the imports all refuse such a
report through `check_report`, with a message that says what was expected.

>>> implausible(1200, target=6, unit="%", kind="growth")
'a rate in %: a value like 6, at most ±100 here (1,200 is not)'
>>> implausible(5.8, target=6, unit="%", kind="growth") is None
True
>>> implausible(1500, target=150_000_000_000, unit="元", kind="level")
'1/100,000,000 of the target 150,000,000,000元: amounts are in 元 (1500亿 is 150,000,000,000)'
"""

from __future__ import annotations

from decimal import Decimal

from taizhang.errors import LedgerError

RATE_UNITS = ("%", "个百分点", "‰")
RATE_KINDS = ("growth", "share")
RATE_FLOOR = 100.0  # a rate may always go up to ±100 (%, points)
RATE_FACTOR = 10.0  # … or ten times its target
MAX_RATIO = 1_000.0  # an amount or count at most this many times its target
# … and (unless zero) at least this share of it. A number typed in 亿 where the ledger keeps 元
# is 1/100,000,000 of its target; one typed in 万 is 1/10,000 of it, which a slow January can be
# too (3 of 40,000 new jobs), so only slips of 亿 (and worse) are caught.
MIN_RATIO = 1e-5
LEVEL_RATIO = 100.0  # reports of a target with a baseline are levels within 100× of it


def _n(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"


def implausible(value: float | Decimal, *, target: float | Decimal, unit: str, kind: str,
                baseline: float | Decimal | None = None) -> str | None:
    """Why `value` cannot be a report of this target, or None if it can."""
    x, t = float(value), float(target)
    low, high = MIN_RATIO, MAX_RATIO
    if baseline is not None:
        # reports are levels (a growth target with a baseline too), on the way from it
        reference = max(abs(float(baseline)), 0.0 if kind == "growth" else abs(t))
        low, high = 1 / LEVEL_RATIO, LEVEL_RATIO
        if reference and x and not low <= abs(x) / reference <= high:
            return (f"reports of a target with the baseline {_n(float(baseline))}{unit} are "
                    f"levels near it ({_n(x)} is not)")
        return None
    if kind == "share" and unit == "%" and not 0 <= x <= 100:
        return f"a share in %: between 0 and 100 ({_n(x)} is not)"
    if kind in RATE_KINDS or unit in RATE_UNITS:
        limit = max(RATE_FLOOR, RATE_FACTOR * abs(t))
        if abs(x) > limit:
            return (f"a rate in {unit or '%'}: a value like {_n(t)}, at most ±{_n(limit)} here "
                    f"({_n(x)} is not)")
        return None
    reference = abs(t)
    if reference == 0 or x == 0:
        return None
    ratio = abs(x) / reference
    if ratio > high:
        return (f"{_n(ratio)} times the target {_n(reference)}{unit}: amounts are in {unit or 'the target’s unit'}, "
                "not in thousands or ten-thousands of it")
    if ratio < low:
        share = f"1/{_n(round(1 / ratio, -len(str(int(1 / ratio))) + 1))}"
        return (f"{share} of the target {_n(reference)}{unit}: amounts are in {unit or 'the target’s unit'} "
                f"({x:g}亿 is {_n(x * 1e8)})")
    return None


def check_report(value: float | Decimal, *, target: float | Decimal, unit: str, kind: str,
                 baseline: float | Decimal | None = None, name: str = "its target") -> None:
    """Raise `LedgerError` for a report `implausible` refuses; `name` names the target."""
    why = implausible(value, target=target, unit=unit, kind=kind, baseline=baseline)
    if why is not None:
        raise LedgerError(f"value {_n(float(value))} is not plausible for {name}: {why}; "
                          "check the number and its unit")
