"""Responsible units: short names, levels, the province → city → district/county hierarchy.

Units are created on demand from the subjects the extractor finds and from a document's region
(`meta["region"]`, e.g. 江苏省无锡市). A name the extractor's gazetteer knows (the Ministry of
Civil Affairs list plus development zones, `taizhang/extract/data/*.tsv`) gets its registered
short name, level and parents from there (江阴 → 无锡 → 江苏); other names get a level from their
suffix and the document's region as parent. Every spelling seen becomes an alias, so 无锡市 and
无锡 resolve to one unit.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from taizhang.ledger.models import Unit, UnitAlias, UnitLevel

# Suffix → level, longest first. Functional zones keep their full name as the short name,
# because "高新" or "经开" alone is not how anyone refers to them.
ZONE_SUFFIXES = (
    "经济技术开发区",
    "经济开发区",
    "高新技术产业开发区",
    "开发区",
    "高新区",
    "经开区",
    "新区",
    "园区",
    "保税区",
    "示范区",
)
LEVEL_SUFFIXES: tuple[tuple[str, UnitLevel], ...] = (
    ("特别行政区", UnitLevel.PROVINCE),
    ("自治区", UnitLevel.PROVINCE),
    ("省", UnitLevel.PROVINCE),
    ("自治州", UnitLevel.CITY),
    ("地区", UnitLevel.CITY),
    ("盟", UnitLevel.CITY),
    ("市", UnitLevel.CITY),
    ("自治县", UnitLevel.COUNTY),
    ("旗", UnitLevel.COUNTY),
    ("县", UnitLevel.COUNTY),
    ("区", UnitLevel.DISTRICT),
)
NATION_NAMES = ("全国", "国家", "中国", "国务院", "中华人民共和国")
MUNICIPALITIES = ("北京", "天津", "上海", "重庆")  # 直辖市: province level
_REGION_PART = re.compile(r".+?(?:特别行政区|自治区|自治州|自治县|地区|省|市|盟|县|旗|区)")


def classify(name: str) -> tuple[str, UnitLevel | None]:
    """(short name, level) of a unit name as printed.

    >>> classify("无锡市")
    ('无锡', <UnitLevel.CITY: 'city'>)
    >>> classify("锡山经济开发区")
    ('锡山经济开发区', <UnitLevel.ZONE: 'zone'>)
    >>> classify("江阴")
    ('江阴', None)
    """
    name = name.strip()
    if name in NATION_NAMES:
        return "全国", UnitLevel.NATION
    if name.endswith(ZONE_SUFFIXES):
        return name, UnitLevel.ZONE
    for suffix, level in LEVEL_SUFFIXES:
        short = name.removesuffix(suffix)
        if short != name and len(short) >= 2:
            if short in MUNICIPALITIES:
                level = UnitLevel.PROVINCE
            return short, level
    if name in MUNICIPALITIES:
        return name, UnitLevel.PROVINCE
    return name, None


def split_region(region: str) -> list[str]:
    """江苏省无锡市江阴市 → ['江苏省', '无锡市', '江阴市'] (top-down)."""
    return _REGION_PART.findall(region.strip())


def find_unit(session: Session, name: str) -> Unit | None:
    """The unit called `name` (short name, full name or alias), or None."""
    name = name.strip()
    unit = session.scalars(select(Unit).where(Unit.name == name)).first()
    if unit is not None:
        return unit
    alias = session.scalars(select(UnitAlias).where(UnitAlias.alias == name)).first()
    if alias is not None:
        return alias.unit
    short, _ = classify(name)
    if short != name:
        return find_unit(session, short)
    return None


def registered(name: str) -> tuple[str, str, UnitLevel, str | None] | None:
    """(short name, full name, level, parent's full name) from the gazetteer, or None.

    >>> registered("江阴")
    ('江阴', '江阴市', <UnitLevel.COUNTY: 'county'>, '无锡市')
    """
    from taizhang.extract.gazetteer import gazetteer

    book = gazetteer()
    entry = book.find(name.strip()) or book.find(classify(name)[0])
    if entry is None:
        return None
    if entry.level == "county" and entry.name.endswith("区"):
        level = UnitLevel.DISTRICT
    else:
        level = UnitLevel(entry.level)
    parent = book.by_code.get(entry.parent) if entry.parent else None
    return entry.short, entry.name, level, parent.name if parent else None


def ensure_unit(session: Session, name: str, *, parent: Unit | None = None) -> Unit:
    """Find or create the unit `name`; the printed form is kept as an alias.

    A new unit takes short name, level and parent from the gazetteer when it knows the name
    (creating the parents too), else its level from the suffix and `parent` as its parent. An
    existing unit without a parent or level gets them filled in (never overwritten).
    """
    short, level = classify(name)
    unit = find_unit(session, name)
    if unit is None:
        known = registered(name)
        full = name if name != short else None
        if known is not None:
            short, full, level, parent_name = known
            if parent_name is not None:
                parent = ensure_unit(session, parent_name)
            unit = find_unit(session, short)
        elif level is UnitLevel.CITY and parent is not None and parent.level == UnitLevel.CITY:
            level = UnitLevel.COUNTY  # 县级市 such as 江阴市 under 无锡
    if unit is None:
        unit = Unit(name=short, full_name=full, level=level.value if level else None, parent=parent)
        session.add(unit)
        session.flush()
        if full and full != short and find_alias(session, full) is None:
            session.add(UnitAlias(unit=unit, alias=full))
            session.flush()
    else:
        if unit.parent_id is None and parent is not None and not _is_above(unit, parent):
            unit.parent = parent
        if unit.level is None and level is not None:
            unit.level = level.value
        if unit.full_name is None and name != unit.name:
            unit.full_name = name
    if name.strip() != unit.name and find_alias(session, name.strip()) is None:
        session.add(UnitAlias(unit=unit, alias=name.strip()))
        session.flush()
    return unit


def _is_above(unit: Unit, other: Unit) -> bool:
    """True if `unit` is `other` or one of its ancestors (so it cannot become its child)."""
    node: Unit | None = other
    for _ in range(16):  # hierarchies are 4-5 deep; the bound guards against a cycle
        if node is None:
            return False
        if node.id == unit.id:
            return True
        node = node.parent
    return True


def find_alias(session: Session, alias: str) -> UnitAlias | None:
    return session.scalars(select(UnitAlias).where(UnitAlias.alias == alias)).first()


def ensure_region(session: Session, region: str) -> Unit | None:
    """Create the chain of units of a region string and return the deepest one."""
    parent: Unit | None = None
    for part in split_region(region):
        parent = ensure_unit(session, part, parent=parent)
    return parent


def subtree_ids(session: Session, unit: Unit) -> list[int]:
    """The ids of `unit` and every unit below it (units are few: one query, walked in Python)."""
    children: dict[int | None, list[int]] = {}
    for uid, pid in session.execute(select(Unit.id, Unit.parent_id)).all():
        children.setdefault(pid, []).append(uid)
    found, todo = [], [unit.id]
    while todo:
        uid = todo.pop()
        found.append(uid)
        todo.extend(children.get(uid, []))
    return found
