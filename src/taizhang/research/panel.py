"""The panel: one row per (unit, year, indicator), with the target, the result and their sources.

From a batch dataset (`dataset.py`):

- **indicator**: the standard key (`indicators.tsv`), else the wording as printed without scope
  words and trailing verbs (`normalise_wording`);
- **year**: the year of the target's deadline (全年 → the document's year; 到2030年 → 2030). When
  several targets fall on one (unit, year, indicator), the panel keeps one: a one-year target
  before a multi-year one (a 2026 target before the 十五五 average that ends in 2030), then the
  most recent document (a restatement), then the first printed; `statements` counts them all;
- **result**: a reported result of the same unit, indicator and year from a later document (the
  next year's report reviews the last; the period decides, not the words), a full-year figure
  before a part-year one, then the latest document;
- **verdict** by the target's comparator (DOMAIN.md): see `verdict`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from taizhang.extract.indicators import by_key, convert, normalise_wording

APPROX_TOLERANCE = 0.05  # 左右: reached within 5 % of the value (track's comparators.approx_tolerance)

FIELDS = (
    "unit", "year", "indicator", "indicator_wording", "kind", "target_value", "target_value_max",
    "comparator", "unit_of_measure", "deadline", "period_start_year", "recurring", "commitment",
    "target_document", "target_document_id", "target_span", "target_quote", "target_quote_span", "statements",
    "result_value", "result_unit", "result_period_start", "result_period_end", "result_document",
    "result_document_id", "result_span", "result_quote", "result_quote_span", "verdict",
)


def panel_key(row: dict[str, Any]) -> str:
    return row.get("indicator_key") or normalise_wording(row.get("indicator") or "") or (row.get("indicator") or "")


def build_panel(targets: Iterable[dict[str, Any]], results: Iterable[dict[str, Any]], documents: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Panel rows from the rows of the three tables (as `read_table(...).to_pylist()`)."""
    dates = {d["document_id"]: d.get("date") for d in documents}
    groups: dict[tuple[str, int, str], list[dict[str, Any]]] = defaultdict(list)
    for t in targets:
        if not t.get("subject"):
            continue
        year = t["deadline"].year if t.get("deadline") else t.get("year")
        if year is None:
            continue
        groups[(t["subject"], year, panel_key(t))].append(t)
    found: dict[tuple[str, int, str], list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        start, end = r.get("period_start"), r.get("period_end")
        if not r.get("subject") or start is None or end is None or start.year != end.year:
            continue
        found[(r["subject"], end.year, panel_key(r))].append(r)
    rows = []
    for (unit, year, key), statements in groups.items():
        target = min(statements, key=lambda t: _target_rank(t, year, dates))
        result = _best_result(found.get((unit, year, key), []), dates.get(target["document_id"]), dates)
        rows.append(_row(unit, year, key, target, result, len(statements), dates))
    rows.sort(key=lambda r: (r["unit"], r["year"], r["indicator"]))
    return rows


def _target_rank(t: dict[str, Any], year: int, dates: dict[str, date | None]) -> tuple[int, int, int, int, int]:
    one_year = t.get("year") == year  # stated in the year it is for (not a plan's average)
    stated = dates.get(t["document_id"]) or date.min
    average = t.get("recurring") is not None  # 年均: a plan's yearly average, not this year's
    return (0 if one_year else 1, int(average), -stated.toordinal(), t.get("value_start") or 0, t.get("seq") or 0)


def _best_result(candidates: list[dict[str, Any]], target_date: date | None, dates: dict[str, date | None]) -> dict[str, Any] | None:
    later = [r for r in candidates if target_date is None or (dates.get(r["document_id"]) or date.min) > target_date]
    if not later:
        return None

    def rank(r: dict[str, Any]) -> tuple[int, int, int]:
        full = r["period_start"].month == 1 and r["period_end"].month == 12 and r["period_end"].day == 31
        stated = dates.get(r["document_id"]) or date.min
        return (0 if full else 1, -stated.toordinal(), r.get("value_start") or 0)

    return min(later, key=rank)


def _row(unit: str, year: int, key: str, t: dict[str, Any], r: dict[str, Any] | None, statements: int, dates: dict[str, date | None]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "unit": unit,
        "year": year,
        "indicator": key,
        "indicator_wording": t.get("indicator"),
        "kind": t.get("kind"),
        "target_value": t.get("value"),
        "target_value_max": t.get("value_max"),
        "comparator": t.get("comparator"),
        "unit_of_measure": t.get("unit"),
        "deadline": t.get("deadline"),
        "period_start_year": t.get("year"),
        "recurring": t.get("recurring"),
        "commitment": t.get("commitment"),
        "target_document": t.get("path"),
        "target_document_id": t.get("document_id"),
        "target_span": [t.get("value_start"), t.get("value_end")],
        "target_quote": t.get("quote"),
        "target_quote_span": [t.get("quote_start"), t.get("quote_end")],
        "statements": statements,
    }
    for name in FIELDS:
        row.setdefault(name, None)
    if r is not None:
        row |= {
            "result_value": r.get("value"),
            "result_unit": r.get("unit"),
            "result_period_start": r.get("period_start"),
            "result_period_end": r.get("period_end"),
            "result_document": r.get("path"),
            "result_document_id": r.get("document_id"),
            "result_span": [r.get("value_start"), r.get("value_end")],
            "result_quote": r.get("quote"),
            "result_quote_span": [r.get("quote_start"), r.get("quote_end")],
        }
        full_year = r["period_start"] == date(year, 1, 1) and r["period_end"] == date(year, 12, 31)
        row["verdict"] = verdict(t, r, key) if full_year else "unclear"
    return row


def verdict(target: dict[str, Any], result: dict[str, Any], key: str | None = None) -> str:
    """met, not_met or unclear: the result against the target's comparator.

    A negative target (下降3.8%) bounds the size of a decrease: both values are negated. An
    indicator where less is better (失业率, CPI: `direction = down` in the table, or a `le`/`lt`
    target) reads 左右 and a bare number as a cap; otherwise as a floor. A range is met from its
    lower bound (a floor) or up to its upper bound (a cap). `unclear` when the units differ.

    >>> verdict({"value": 5.0, "comparator": "ge", "unit": "%"}, {"value": 5.4, "unit": "%"})
    'met'
    >>> verdict({"value": 5.0, "comparator": "approx", "unit": "%"}, {"value": 4.8, "unit": "%"})
    'met'
    >>> verdict({"value": 5.5, "comparator": "approx", "unit": "%"}, {"value": 5.1, "unit": "%"})
    'not_met'
    >>> verdict({"value": -3.8, "comparator": "eq", "unit": "%"}, {"value": -2.0, "unit": "%"})
    'not_met'
    >>> verdict({"value": 5.5, "comparator": "approx", "unit": "%"}, {"value": 5.2, "unit": "%"}, "unemployment_rate")
    'met'
    """
    value = target.get("value")
    result_value = convert(_dec(result.get("value")), result.get("unit") or "", target.get("unit") or "")
    if value is None or result_value is None:
        return "unclear"
    v, x = float(value), float(result_value)
    vmax = target.get("value_max")
    comparator = target.get("comparator") or "eq"
    ind = by_key(key) if key else None
    down = (ind is not None and ind.direction == "down") or comparator in ("le", "lt")
    if v < 0 or (vmax is not None and float(vmax) < 0):
        v, x = -v, -x
        vmax = -float(vmax) if vmax is not None else None
        if vmax is not None:
            v, vmax = min(v, vmax), max(v, vmax)
        down = False  # a decrease: the bigger, the better
    if comparator == "range" and vmax is not None:
        ok = x <= max(v, float(vmax)) if down else x >= min(v, float(vmax))
    elif comparator == "gt":
        ok = x > v
    elif comparator == "lt":
        ok = x < v
    elif comparator == "le":
        ok = x <= v
    elif comparator == "approx":
        tol = APPROX_TOLERANCE * abs(v)
        ok = x <= v + tol if down else x >= v - tol
    elif comparator == "ge":
        ok = x >= v
    else:  # eq: 完成 N is reached by level; a cap is kept up to N
        ok = x <= v if down else x >= v
    return "met" if ok else "not_met"


def _dec(value: Any) -> Any:
    from decimal import Decimal

    return None if value is None else Decimal(str(value))


def load_panel(out: Path) -> list[dict[str, Any]]:
    """The panel of a batch dataset directory."""
    from taizhang.research.dataset import read_table

    return build_panel(
        read_table(out, "targets").to_pylist(),
        read_table(out, "results").to_pylist(),
        read_table(out, "documents").to_pylist(),
    )
