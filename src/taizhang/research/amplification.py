"""层层加码: for an indicator and a year, each parent's target against its children's.

Parents and children come from the unit hierarchy of the gazetteer (Ministry of Civil Affairs
codes: nation → provinces → prefecture cities → districts and counties). The targets are panel
rows (`panel.build_panel`), so a unit has at most one target per indicator and year.

For a **rate** (growth or share, in %), a child's *difference* is its target minus the parent's
in percentage points, each target read at its stated floor: `value` (the lower bound of a range,
the number of 5%左右 or 5%以上). `higher` says whether the child's floor is above the parent's, or
equal with a stronger comparator (5%以上 under 5%左右 is not higher; 5.5%左右 is). For an
**amount** the summary gives the ratio of the children's sum to the parent's target.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from taizhang.extract.gazetteer import AdminUnit, gazetteer
from taizhang.extract.indicators import by_key, convert

NATION = "全国"


@dataclass(slots=True)
class Comparison:
    parent: str
    parent_target: dict[str, Any] | None  # the parent's panel row (None: not in the data)
    children: list[dict[str, Any]] = field(default_factory=list)  # one per child with a target

    def summary(self) -> dict[str, Any]:
        diffs = [c["difference"] for c in self.children if c["difference"] is not None]
        out: dict[str, Any] = {
            "parent": self.parent,
            "parent_value": _get(self.parent_target, "target_value"),
            "children": len(self.children),
            "higher": sum(1 for c in self.children if c["higher"]),
            "equal": sum(1 for c in self.children if c["difference"] == 0 and not c["higher"]),
            "lower": sum(1 for c in self.children if c["difference"] is not None and c["difference"] < 0),
            "mean_difference": round(sum(diffs) / len(diffs), 4) if diffs else None,
            "max_difference": max(diffs) if diffs else None,
            "sum_ratio": None,
        }
        if self.parent_target and self.children and self.children[0]["measure"] == "amount":
            total = sum(c["target_value"] for c in self.children if c["target_value"] is not None)
            pv = self.parent_target["target_value"]
            out["sum_ratio"] = round(total / pv, 4) if pv else None
        return out


def parent_of(name: str) -> str | None:
    """The short name of a unit's parent: a province's is 全国.

    >>> parent_of("河北"), parent_of("保定"), parent_of("全国")
    ('全国', '河北', None)
    """
    book = gazetteer()
    unit = book.find(name)
    if unit is None or unit.level == "nation":
        return None
    if unit.level == "province" or not unit.parent:
        return NATION if unit.level == "province" else None
    parent: AdminUnit | None = book.by_code.get(unit.parent)
    # a county of a 直辖市 has the city-level code 110100 as parent in the code list
    while parent is not None and parent.short == unit.short:
        parent = book.by_code.get(parent.parent) if parent.parent else None
    if parent is not None and parent.name.endswith(("市辖区", "县")) and parent.parent:
        parent = book.by_code.get(parent.parent)
    return parent.short if parent is not None else None


def level_of(name: str) -> str | None:
    if name == NATION:
        return "nation"
    unit = gazetteer().find(name)
    return unit.level if unit else None


_COMPARATOR_STRENGTH = {"lt": 0, "le": 0, "approx": 1, "eq": 1, "range": 1, "ge": 2, "gt": 3}


def compare(
    panel: list[dict[str, Any]],
    *,
    indicator: str,
    year: int,
    parents: dict[str, dict[str, Any]] | None = None,
) -> list[Comparison]:
    """One Comparison per parent that has children with a target for (indicator, year).

    `parents` supplies parent targets that are not in the data (a national target known from
    elsewhere), by unit name, as panel-like dicts with `target_value` and `comparator`."""
    rows = {r["unit"]: r for r in panel if r["indicator"] == indicator and r["year"] == year}
    given = dict(parents or {})
    ind = by_key(indicator)
    measure = ind.measure if ind else None
    by_parent: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for unit, row in rows.items():
        parent = parent_of(unit)
        if parent is not None:
            by_parent[parent].append(row)
    out = []
    for parent in sorted(by_parent, key=lambda p: (_depth(p), p)):
        ptarget = rows.get(parent) or given.get(parent)
        comparison = Comparison(parent, ptarget)
        for row in sorted(by_parent[parent], key=lambda r: r["unit"]):
            comparison.children.append(_child(row, ptarget, measure))
        out.append(comparison)
    return out


def _child(row: dict[str, Any], parent: dict[str, Any] | None, measure: str | None) -> dict[str, Any]:
    value = row.get("target_value")
    kind_measure = measure or ("amount" if row.get("unit_of_measure") != "%" else "growth")
    difference = None
    higher = None
    if parent is not None and value is not None and parent.get("target_value") is not None:
        pv = convert(_dec(parent["target_value"]), parent.get("unit_of_measure") or row.get("unit_of_measure") or "", row.get("unit_of_measure") or "")
        if kind_measure != "amount" and pv is not None:
            difference = round(float(value) - float(pv), 4)
            stronger = _COMPARATOR_STRENGTH.get(row.get("comparator") or "eq", 1) > _COMPARATOR_STRENGTH.get(parent.get("comparator") or "eq", 1)
            higher = difference > 0 or (difference == 0 and stronger)
        elif pv is not None:
            higher = float(value) > float(pv)
    return {
        "unit": row["unit"],
        "level": level_of(row["unit"]),
        "measure": kind_measure,
        "target_value": value,
        "target_value_max": row.get("target_value_max"),
        "comparator": row.get("comparator"),
        "unit_of_measure": row.get("unit_of_measure"),
        "difference": difference,
        "higher": higher,
        "target_quote": row.get("target_quote"),
        "target_document": row.get("target_document"),
        "target_span": row.get("target_span"),
    }


def records(comparisons: list[Comparison], *, indicator: str, year: int) -> list[dict[str, Any]]:
    """Flat rows (one per child, with its parent's target): the `--format jsonl` shape."""
    out = []
    for comp in comparisons:
        p = comp.parent_target
        for child in comp.children:
            out.append(
                {
                    "indicator": indicator,
                    "year": year,
                    "parent": comp.parent,
                    "parent_value": _get(p, "target_value"),
                    "parent_value_max": _get(p, "target_value_max"),
                    "parent_comparator": _get(p, "comparator"),
                    "parent_quote": _get(p, "target_quote"),
                    "parent_document": _get(p, "target_document"),
                    "child": child["unit"],
                    "child_level": child["level"],
                    "value": child["target_value"],
                    "value_max": child["target_value_max"],
                    "comparator": child["comparator"],
                    "unit_of_measure": child["unit_of_measure"],
                    "difference": child["difference"],
                    "higher": child["higher"],
                    "quote": child["target_quote"],
                    "document": child["target_document"],
                    "span": child["target_span"],
                }
            )
    return out


def parse_parent_target(text: str) -> tuple[str, dict[str, Any]]:
    """`全国=5`, `全国=4.5-5`, `全国=5:approx` → (unit, panel-like dict).

    >>> parse_parent_target("全国=4.5-5")[1]["comparator"]
    'range'
    """
    unit, _, spec = text.partition("=")
    value_text, _, comparator = spec.partition(":")
    low, _, high = value_text.replace("—", "-").replace("–", "-").partition("-")
    try:
        value = float(low)
        value_max = float(high) if high else None
    except ValueError as err:
        raise ValueError(f"{text!r}: give a parent target as UNIT=VALUE, UNIT=LOW-HIGH or UNIT=VALUE:COMPARATOR") from err
    comp = comparator or ("range" if value_max is not None else "approx")
    return unit.strip(), {
        "unit": unit.strip(), "target_value": value, "target_value_max": value_max, "comparator": comp,
        "unit_of_measure": "%", "target_quote": "(given on the command line)", "target_document": None,
    }


def _depth(name: str) -> int:
    return {"nation": 0, "province": 1, "city": 2, "county": 3}.get(level_of(name) or "", 4)


def _get(row: dict[str, Any] | None, key: str) -> Any:
    return row.get(key) if row else None


def _dec(value: Any) -> Any:
    from decimal import Decimal

    return None if value is None else Decimal(str(value))
