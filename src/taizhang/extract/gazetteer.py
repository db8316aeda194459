"""Administrative units and their short common names (GUIDELINES.md §4 "Short common name").

Data, plain tables that anyone can extend; this module only indexes them:
- data/admin_units.tsv: provinces, prefecture cities and counties of the Ministry of Civil
  Affairs list as of 2023 (made by scripts/build_admin_units.py; source and licence in its header).
- data/former_units.tsv: names the list no longer has (莱芜市, 梁平县, 港闸区), each pointing to
  the unit that took its place. They are aliases, not rows of their own: an older document about
  莱芜市 is about what is now 济南's 莱芜区, and the ledger tracks one unit per place, so
  `find("莱芜市")` answers the current unit (short name 莱芜). Former names are full names only
  (长治县's short name 长治 is the city).
- data/zones.tsv: development zones and new areas by their usual short names (东湖高新区, also
  printed 光谷).
- data/common_words.tsv: names that are ordinary words or common strings of policy text
  (振兴, 新建, 城区, 和平): left out of `pattern`, so that running text does not name units by
  accident, but still answered by `find`, which looks up an exact name (a heading line, the unit
  of a title). The units stay findable in running text by their full names (和平区).

`pattern` also refuses a name whose suffix starts a common word with the next character (西安区
in 西安区域, 东方市 in 东方市场, 高县 in 提高县城): the match falls back to the shorter name if
there is one (西安).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from taizhang.extract.lexicon import long_or_regex
from taizhang.extract.lexicon.structure import ETHNIC_GROUPS

# Suffixes dropped for the short name when at least two characters remain (广东省 → 广东,
# 宁夏回族自治区 → 宁夏, 易县 stays 易县). Longest first. Not 旗 and 盟, which GUIDELINES §4
# does not list: a banner and a league keep them (新巴尔虎左旗, 阿拉善盟), as the corpus does.
SUFFIXES: tuple[str, ...] = (
    "维吾尔自治区", "回族自治区", "壮族自治区", "特别行政区", "自治区", "自治州", "自治县",
    "地区", "林区", "新区", "省", "市", "县", "区",
)

# A suffix followed by this character makes a word, not a unit: 区域, 市场, 县城, 县域; and a
# name followed by 网 is a news site (华龙网讯, 荆楚网: 华龙 is also a district of 濮阳).
_SUFFIX_WORDS = r"(?!(?<=区)域|(?<=市)场|(?<=县)[城域]|网)"


@dataclass(frozen=True, slots=True)
class AdminUnit:
    code: str
    name: str  # full name as registered: 江阴市
    short: str  # short common name: 江阴
    level: str  # province | city | county | zone | nation
    parent: str | None


_ETHNIC_AUTONOMY = ("自治州", "自治县", "自治旗")
_ETHNIC_NAMES = re.compile(rf"(?:(?:{'|'.join(sorted(ETHNIC_GROUPS, key=len, reverse=True))})族)+$")


def short_name(name: str) -> str:
    """保定市 → 保定, 宁夏回族自治区 → 宁夏, 易县 → 易县, 无锡经济开发区 → as in zones.tsv.

    >>> short_name("宁夏回族自治区"), short_name("易县"), short_name("清苑区")
    ('宁夏', '易县', '清苑')
    """
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            if suffix in _ETHNIC_AUTONOMY:
                # 黔东南苗族侗族自治州 → 黔东南, as 宁夏回族自治区 → 宁夏
                bare = _ETHNIC_NAMES.sub("", stem)
                stem = bare if len(bare) >= 2 else stem
            return stem
    return name


def _rows(filename: str) -> list[list[str]]:
    text = resources.files("taizhang.extract").joinpath("data", filename).read_text("utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@dataclass(frozen=True, slots=True)
class Gazetteer:
    by_name: dict[str, AdminUnit]  # full, short, former and other names → unit
    by_code: dict[str, AdminUnit]
    pattern: re.Pattern[str]  # any name that is not a common word, longest first

    def find(self, name: str) -> AdminUnit | None:
        """The unit of an exact name, common words included (a heading, a title's unit).

        >>> g = gazetteer()
        >>> g.find("光明区").short, g.by_code[g.find("光明区").parent].short
        ('光明', '深圳')
        >>> g.find("莱芜市").name, g.find("光谷").short
        ('莱芜区', '东湖高新区')
        """
        return self.by_name.get(name)

    def within(self, unit: AdminUnit, outer: AdminUnit) -> bool:
        """Whether `unit` lies inside `outer` (its city, its province).

        >>> g = gazetteer()
        >>> g.within(g.find("大连"), g.find("辽宁")), g.within(g.find("辽宁"), g.find("大连"))
        (True, False)
        """
        code = unit.parent
        while code is not None and code in self.by_code:
            if code == outer.code:
                return True
            code = self.by_code[code].parent
        return False

    def mentions(self, text: str) -> list[tuple[int, int, AdminUnit]]:
        """Units named in running text; ordinary words are not units.

        >>> [u.short for _, _, u in gazetteer().mentions("深圳市光明区推进乡村振兴和平安建设")]
        ['深圳', '光明']
        """
        return [(m.start(), m.end(), self.by_name[m.group()]) for m in self.pattern.finditer(text)]


@cache
def gazetteer() -> Gazetteer:
    """Loaded once, on first use (never at import: the CLI's --help stays fast)."""
    by_code: dict[str, AdminUnit] = {"000000": AdminUnit("000000", "全国", "全国", "nation", None)}
    for code, name, level, parent in _rows("admin_units.tsv"):
        by_code[code] = AdminUnit(code, name, short_name(name), level, parent or None)
    other_names: list[tuple[str, AdminUnit]] = []
    for code, name, short, level, parent, *more in _rows("zones.tsv"):
        by_code[code] = zone = AdminUnit(code, name, short, level, parent or None)
        other_names += [(alias, zone) for alias in more[0].split("、") if alias] if more else []
    by_name = _index(by_code.values())
    for former, _, current, *_note in _rows("former_units.tsv"):
        other_names.append((former, by_code[current]))
    for alias, unit in other_names:
        by_name.setdefault(alias, unit)  # a current unit's own name wins over another's alias
    words = {row[0] for row in _rows("common_words.tsv")}
    names = [n for n in by_name if len(n) >= 2 and n not in words]
    pattern = re.compile(f"(?:{long_or_regex(names)}){_SUFFIX_WORDS}")
    return Gazetteer(by_name, by_code, pattern)


def _index(units: Iterable[AdminUnit]) -> dict[str, AdminUnit]:
    """Full and short names → unit. A name shared by units of different levels goes to the
    higher level (吉林: the province); a short name shared at one level names neither (鼓楼:
    four districts), while a shared full name keeps the first unit listed (朝阳区: Beijing's).

    >>> g = gazetteer()
    >>> g.find("西安").name, g.find("吉林").level, g.find("鼓楼"), g.find("朝阳区").parent
    ('西安市', 'province', None, '110000')
    """
    by_name: dict[str, AdminUnit] = {}
    tied: dict[str, int] = {}  # short name → the level at which two units share it
    for unit in units:
        for key in {unit.name, unit.short}:
            other = by_name.get(key)
            if other is None:
                by_name[key] = unit
            elif other.code != unit.code:
                if _rank(unit) < _rank(other):
                    by_name[key] = unit
                elif _rank(unit) == _rank(other) and key == unit.short:
                    tied[key] = _rank(unit)
    for key, rank in tied.items():
        # two 西安区 (辽源, 牡丹江) do not take 西安 from the city of 西安
        if _rank(by_name[key]) == rank and by_name[key].name != key:
            del by_name[key]
    return by_name


def _rank(unit: AdminUnit) -> int:
    return {"nation": 0, "province": 1, "city": 2, "county": 3, "zone": 4}.get(unit.level, 5)

