"""Administrative units and their short common names (GUIDELINES.md §4 "Short common name").

Data: data/admin_units.tsv (provinces, prefecture cities, counties) and data/zones.tsv
(development zones and new areas by their usual short names). Both are plain tables that
anyone can extend; this module only indexes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Suffixes dropped for the short name when at least two characters remain (广东省 → 广东,
# 宁夏回族自治区 → 宁夏, 易县 stays 易县). Longest first.
SUFFIXES: tuple[str, ...] = (
    "维吾尔自治区", "回族自治区", "壮族自治区", "特别行政区", "自治区", "自治州", "自治县",
    "地区", "林区", "新区", "省", "市", "县", "区", "盟", "旗",
)


@dataclass(frozen=True, slots=True)
class AdminUnit:
    code: str
    name: str  # full name as registered: 江阴市
    short: str  # short common name: 江阴
    level: str  # province | city | county | zone | nation
    parent: str | None


def short_name(name: str) -> str:
    """保定市 → 保定, 宁夏回族自治区 → 宁夏, 易县 → 易县, 无锡经济开发区 → as in zones.tsv.

    >>> short_name("宁夏回族自治区"), short_name("易县"), short_name("清苑区")
    ('宁夏', '易县', '清苑')
    """
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _rows(filename: str) -> list[list[str]]:
    text = resources.files("taizhang.extract").joinpath("data", filename).read_text("utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@dataclass(frozen=True, slots=True)
class Gazetteer:
    by_name: dict[str, AdminUnit]  # full and short names → unit
    by_code: dict[str, AdminUnit]
    pattern: re.Pattern[str]  # any known name, longest first

    def find(self, name: str) -> AdminUnit | None:
        return self.by_name.get(name)

    def mentions(self, text: str) -> list[tuple[int, int, AdminUnit]]:
        return [(m.start(), m.end(), self.by_name[m.group()]) for m in self.pattern.finditer(text)]


@cache
def gazetteer() -> Gazetteer:
    """Loaded once, on first use (never at import: the CLI's --help stays fast)."""
    by_name: dict[str, AdminUnit] = {}
    by_code: dict[str, AdminUnit] = {}
    ambiguous: set[str] = set()
    nation = AdminUnit("000000", "全国", "全国", "nation", None)
    by_code[nation.code] = nation
    for code, name, level, parent in _rows("admin_units.tsv"):
        unit = AdminUnit(code, name, short_name(name), level, parent or None)
        by_code[code] = unit
    for code, name, short, level, parent in _rows("zones.tsv"):
        by_code[code] = AdminUnit(code, name, short, level, parent or None)
    for unit in by_code.values():
        for key in {unit.name, unit.short}:
            if key in by_name and by_name[key].code != unit.code:
                # 朝阳区 exists in Beijing and Changchun: prefer the higher level, else drop
                other = by_name[key]
                if _rank(unit) < _rank(other):
                    by_name[key] = unit
                elif _rank(unit) == _rank(other) and key == unit.short:
                    ambiguous.add(key)
                continue
            by_name[key] = unit
    for key in ambiguous:
        if by_name[key].name != key:
            del by_name[key]
    names = sorted((n for n in by_name if len(n) >= 2), key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, names)))
    return Gazetteer(by_name, by_code, pattern)


def _rank(unit: AdminUnit) -> int:
    return {"nation": 0, "province": 1, "city": 2, "county": 3, "zone": 4}.get(unit.level, 5)
