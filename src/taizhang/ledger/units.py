"""Responsible units: from the gazetteer and the document's issuer/region, never made up.

A unit comes from the extractor's gazetteer (the Ministry of Civil Affairs list plus
development zones, `taizhang/extract/data/*.tsv`): its short name, full name, level, code and
parents (江阴 → 无锡 → 江苏 → 全国). 全国 is the root of the hierarchy and nobody's child.

A document has a unit of its own (who issued it): the one the user names, else the deepest
gazetteer unit of its sidecar's `region` (河北省保定市高阳县 → 高阳), else the unit its
`issuer` starts with (保定市人民政府 → 保定). A target's unit is, in order: its subject when it is
a unit of the ledger (by name or alias) or of the gazetteer; the document's unit when it has no
subject. A subject that is a unit *above* the document's (全国 in a 保定 report) cannot be
committed by that document, so the target goes to the document's unit. A subject that is in
neither is **proposed for review** (`UnitProposal`), never created silently: the target goes to
the document's unit meanwhile, and accepting the proposal moves it.

Units outside the gazetteer (departments such as 市发改委, 牵头单位 of tasks) are created only
on purpose, by `add_unit` (`taizhang units add`, the web's unit administration) or by
accepting a proposal.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, literal, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, make_transient_to_detached

from taizhang.errors import LedgerError, NotFound
from taizhang.ledger import audit
from taizhang.ledger.models import Target, Unit, UnitAlias, UnitLevel, UnitProposal

if TYPE_CHECKING:
    from taizhang.extract.gazetteer import AdminUnit

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
NATION = "全国"
NATION_NAMES = ("全国", "国家", "中国", "国务院", "中华人民共和国")
MUNICIPALITIES = ("北京", "天津", "上海", "重庆")  # 直辖市: province level
# Placeholder rows of the division list (市辖区 of a municipality): skipped in a chain.
PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
NATION_CODE = "000000"
_REGION_PART = re.compile(r".+?(?:特别行政区|自治区|自治州|自治县|地区|新区|省|市|盟|县|旗|区)")
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")
# Flags a target gets when its unit is not its printed subject.
ABOVE_ISSUER = "subject_above_issuer"
PROPOSED = "unit_proposed"


def classify(name: str) -> tuple[str, UnitLevel | None]:
    """(short name, level) of a unit name as printed, by its suffix.

    >>> classify("无锡市")
    ('无锡', <UnitLevel.CITY: 'city'>)
    >>> classify("锡山经济开发区")
    ('锡山经济开发区', <UnitLevel.ZONE: 'zone'>)
    >>> classify("江阴")
    ('江阴', None)
    """
    name = name.strip()
    if name in NATION_NAMES:
        return NATION, UnitLevel.NATION
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
    """河北省雄安新区容城县 → ['河北省', '雄安新区', '容城县'] (top-down; brackets dropped)."""
    return _REGION_PART.findall(_BRACKETS.sub("", region).strip())


# --- the gazetteer, indexed by every name ----------------------------------------------------


@cache
def _by_name() -> dict[str, tuple[AdminUnit, ...]]:
    """Every gazetteer unit under its full and its short name (ambiguous names kept)."""
    from taizhang.extract.gazetteer import gazetteer

    index: dict[str, list[AdminUnit]] = defaultdict(list)
    for entry in gazetteer().by_code.values():
        if entry.name in PLACEHOLDERS:
            continue
        for key in {entry.name, entry.short}:
            index[key].append(entry)
    return {k: tuple(v) for k, v in index.items()}


def _entry(code: str | None) -> AdminUnit | None:
    from taizhang.extract.gazetteer import gazetteer

    return gazetteer().by_code.get(code) if code else None


def gazetteer_parent(entry: AdminUnit) -> AdminUnit | None:
    """The entry above, placeholders skipped; a province's parent is 全国, 全国 has none."""
    if entry.code == NATION_CODE:
        return None
    parent = _entry(entry.parent)
    while parent is not None and parent.name in PLACEHOLDERS:
        parent = _entry(parent.parent)
    return parent if parent is not None else _entry(NATION_CODE)


def gazetteer_chain(entry: AdminUnit) -> list[AdminUnit]:
    """全国 … entry, top-down."""
    chain = [entry]
    while (parent := gazetteer_parent(chain[-1])) is not None and len(chain) < 8:
        chain.append(parent)
    return chain[::-1]


def gazetteer_entry(name: str, *, within: str | None = None) -> AdminUnit | None:
    """The gazetteer unit called `name` (full or short name); `within` (a code) decides between
    namesakes (朝阳区 of 北京 or of 长春) by preferring one below or nearest to it.

    >>> gazetteer_entry("江阴").name, gazetteer_entry("国务院").name
    ('江阴市', '全国')
    """
    name = _BRACKETS.sub("", name).strip()
    if not name:
        return None
    if name in NATION_NAMES:
        return _entry(NATION_CODE)
    found = _by_name().get(name) or _by_name().get(classify(name)[0]) or ()
    if not found:  # a former name (莱芜市 → 莱芜区) or a zone's other name (光谷)
        from taizhang.extract.gazetteer import gazetteer

        return gazetteer().find(name)
    if len(found) == 1:
        return found[0]
    if within is not None:
        context = _entry(within)
        scopes = [e.code for e in gazetteer_chain(context)][::-1] if context else []
        for scope in scopes:  # the namesake inside the nearest enclosing unit
            inside = [e for e in found if scope in {c.code for c in gazetteer_chain(e)}]
            if len(inside) == 1:
                return inside[0]
    from taizhang.extract.gazetteer import gazetteer

    return gazetteer().find(name)  # the gazetteer's own choice: the higher level, or none


def region_entry(region: str) -> AdminUnit | None:
    """The deepest unit of a region string that the gazetteer knows (河北省保定市 → 保定)."""
    region = _BRACKETS.sub("", region).strip()
    if region in NATION_NAMES:
        return _entry(NATION_CODE)
    deepest: AdminUnit | None = None
    for part in split_region(region):
        entry = gazetteer_entry(part, within=deepest.code if deepest else None)
        if entry is not None:
            deepest = entry
    return deepest


def issuer_entry(issuer: str) -> AdminUnit | None:
    """The unit an issuer's name starts with (保定市人民政府 → 保定; 国务院 → 全国)."""
    from taizhang.extract.gazetteer import gazetteer

    issuer = _BRACKETS.sub("", issuer).strip()
    if issuer.startswith(NATION_NAMES):
        return _entry(NATION_CODE)
    for start, _end, entry in gazetteer().mentions(issuer):
        return entry if start == 0 else None
    return None


def unit_short_name(name: str) -> str:
    """The short common name the extractor uses for a unit (保定市 → 保定; 市发改委 stays)."""
    entry = gazetteer_entry(name)
    return entry.short if entry is not None else name.strip()


def _level(entry: AdminUnit) -> str:
    if entry.level == "county" and entry.name.endswith("区"):
        return UnitLevel.DISTRICT.value
    return UnitLevel(entry.level).value


# --- units of the ledger -----------------------------------------------------------------------


def find_unit(session: Session, name: str) -> Unit | None:
    """The ledger's unit called `name` (short name, full name or alias), or None.

    The names tried, in order: `name`, then 全国 for another name of the nation, or the short
    form of a region's name (无锡市 → 无锡), each as a unit's name before an alias."""
    return find_units(session, [name])[name]


def find_units(session: Session, names: Iterable[str]) -> dict[str, Unit | None]:
    """`find_unit` of each name, all in one query (ingest asks this for every new unit)."""
    tries = {name: _names_to_try(name) for name in names}
    every = sorted({tried for chain in tries.values() for tried in chain})
    ids = {(found, kind): unit_id
           for unit_id, found, kind in session.execute(_NAMED, {"names": every})} if every else {}
    found: dict[str, Unit | None] = {}
    for name, chain in tries.items():
        found[name] = None
        hit = next(((tried, kind) for tried in chain for kind in (0, 1)  # name before alias
                    if (tried, kind) in ids), None)
        if hit is not None:
            found[name] = session.get(Unit, ids[hit])
    return found


# Built once: building a statement costs more than running it (ingest looks units up often).
_NAMED = union_all(
    select(Unit.id, Unit.name, literal(0)).where(Unit.name.in_(bindparam("names", expanding=True))),
    select(UnitAlias.unit_id, UnitAlias.alias, literal(1)).where(
        UnitAlias.alias.in_(bindparam("names", expanding=True))),
)
_UNITS_OF_CODES = select(Unit).where(Unit.code.in_(bindparam("codes", expanding=True)))


def _names_to_try(name: str) -> list[str]:
    names: list[str] = []
    name = name.strip()
    while name and name not in names:
        names.append(name)
        if name in NATION_NAMES and name != NATION:
            name = NATION
        else:
            name = classify(name)[0]
    return names


def find_alias(session: Session, alias: str) -> UnitAlias | None:
    return session.scalars(select(UnitAlias).where(UnitAlias.alias == alias)).first()


def unit_of_entry(session: Session, entry: AdminUnit, *, absent: Iterable[str] = ()) -> Unit:
    """The ledger's unit for a gazetteer entry, created with its parents when missing.

    A unit made before units had codes (same name, no code) is adopted: it gets its code, and
    the gazetteer's parent replaces a wrong one (全国 under 保定 in older ledgers). The units
    of the whole chain (全国 … entry) are looked up in one query; `absent` are names the
    caller just found no unit for in this transaction (they are not looked up again).
    """
    chain = gazetteer_chain(entry)
    unknown = set(absent)
    for _attempt in range(UNIT_ATTEMPTS):
        have = {unit.code: unit for unit in
                session.scalars(_UNITS_OF_CODES, {"codes": [link.code for link in chain]})}
        if entry.code in have:
            return have[entry.code]
        try:
            parent: Unit | None = None
            for link in chain:
                parent = have.get(link.code) or _make_unit_of_entry(session, link, parent, unknown)
            assert parent is not None
            return parent
        except (IntegrityError, _Taken):
            # another process created the same unit (or took its name) at the same moment:
            # we look again and find its unit
            unknown = set()
    raise LedgerError(f"could not create the unit {entry.name} (code {entry.code}): "
                      "its name is taken by another unit")


UNIT_ATTEMPTS = 3


class _Taken(Exception):
    """A unit's code or name was taken by another transaction since we looked."""


def _make_unit_of_entry(session: Session, entry: AdminUnit, parent: Unit | None,
                        absent: set[str]) -> Unit:
    names = [entry.short, entry.name]
    found = ({name: None for name in names} if absent.issuperset(names)
             else find_units(session, names))
    unit = _legacy_unit(entry, found)
    if unit is not None:
        name = unit.name
    else:
        taken = found[entry.short] is not None
        name = entry.name if taken and entry.code != NATION_CODE else entry.short
    # an alias for each of the entry's names that finds no unit yet (the new unit is found by
    # its own name, and a full name by its short form: 江阴市 → 江阴)
    aliases = [alias for alias in sorted({entry.name, entry.short} - {name})
               if found[alias] is None and name not in _names_to_try(alias)]
    absent.difference_update([name, *aliases])
    if unit is None:
        return _create_unit(session, {
            "name": name, "full_name": entry.name, "level": _level(entry),
            "parent_id": parent.id if parent is not None else None, "code": entry.code,
        }, aliases)
    # rare (ledgers older than unit codes): in a savepoint, so that a unique key another
    # process took meanwhile fails only this and we look again
    with session.begin_nested():
        unit.code, unit.full_name, unit.level = entry.code, entry.name, _level(entry)
        if not _is_above(unit, parent):
            unit.parent = parent
        session.add_all(UnitAlias(unit=unit, alias=alias) for alias in aliases)
    return unit


def _legacy_unit(entry: AdminUnit, found: dict[str, Unit | None]) -> Unit | None:
    """A unit made before units had codes, to adopt (`found`: `find_units` of its names)."""
    for name in (entry.short, entry.name):
        unit = found[name]
        if unit is not None and unit.code is None and unit.full_name in (None, entry.name, name):
            return unit
    return None


def _create_unit(session: Session, values: dict[str, Any], aliases: Iterable[str] = ()) -> Unit:
    """The one place a unit row is inserted: the unit, its aliases and their `create` audit
    rows as plain statements (flushing them as ORM objects, each in a savepoint, was a third
    of ingest's storing on a fresh ledger). `ON CONFLICT DO NOTHING` instead of a savepoint:
    when another transaction made the unit or took its name since we looked, nothing is
    inserted and the caller looks again (`_Taken`); an alias taken meanwhile is left to the
    unit that has it. Returns the unit as a persistent object, without loading it again."""
    inserts = _inserts(session)
    unit_id = session.execute(inserts["units"], values).scalar()
    if unit_id is None:
        raise _Taken(values["name"])
    created = [("units", unit_id, {"id": unit_id, **values})]
    for alias in aliases:
        row = {"unit_id": unit_id, "alias": alias}
        alias_id = session.execute(inserts["unit_aliases"], row).scalar()
        if alias_id is not None:
            created.append(("unit_aliases", alias_id, {"id": alias_id, **row}))
    audit.record_created(session, created)
    unit = Unit(id=unit_id, **values)
    make_transient_to_detached(unit)  # as if loaded: the session knows it, nothing is pending
    session.add(unit)
    return unit


def _inserts(session: Session) -> dict[str, Any]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id of units and aliases, built once per dialect."""
    dialect = session.get_bind().dialect.name
    made = _INSERTS.get(dialect)
    if made is None:
        from sqlalchemy.dialects import postgresql, sqlite

        make = postgresql.insert if dialect == "postgresql" else sqlite.insert
        made = _INSERTS[dialect] = {
            table.name: make(table).on_conflict_do_nothing().returning(table.c.id)
            for table in (Unit.__table__, UnitAlias.__table__)}
    return made


_INSERTS: dict[str, dict[str, Any]] = {}


def ensure_unit(session: Session, name: str) -> Unit:
    """The unit `name` names: one of the ledger (name or alias), else one of the gazetteer
    (created with its parents). Anything else is refused: add it with `add_unit` first."""
    unit = find_unit(session, name)
    if unit is not None:
        return unit
    entry = gazetteer_entry(name)
    if entry is not None:
        return unit_of_entry(session, entry)
    raise NotFound(
        f"no unit called {name!r} in the ledger or the gazetteer; add it first "
        f"(taizhang units add {name} --parent …)"
    )


def add_unit(session: Session, name: str, *, parent: str | None = None,
             level: str | None = None, full_name: str | None = None) -> Unit:
    """Create a unit on purpose (a department, a township); gazetteer names are taken from
    there. Refuses a name the ledger already has."""
    name = name.strip()
    if not name:
        raise LedgerError("a unit needs a name")
    if find_unit(session, name) is not None:
        raise LedgerError(f"unit {name!r} already exists")
    entry = gazetteer_entry(name)
    if entry is not None and parent is None:
        return unit_of_entry(session, entry)
    above = ensure_unit(session, parent) if parent else None
    if level is not None and level not in {lv.value for lv in UnitLevel}:
        raise LedgerError(f"unknown level {level!r}; use {', '.join(lv.value for lv in UnitLevel)}")
    guessed = classify(name)[1]
    unit = _create_unit(session, {
        "name": name, "full_name": full_name, "parent_id": above.id if above else None,
        "level": level or (guessed.value if guessed else UnitLevel.DEPARTMENT.value),
        "code": None})
    _resolve_pending(session, name, unit)
    return unit


def document_unit(session: Session, *, meta: dict[str, object] | None = None,
                  given: str | None = None) -> Unit | None:
    """Who issued a document: the unit the user gives, else the sidecar's region, else the
    unit its issuer starts with; None when nothing names one."""
    if given:
        return ensure_unit(session, given)
    meta = meta or {}
    entry = None
    if meta.get("region"):
        entry = region_entry(str(meta["region"]))
    if entry is None and meta.get("issuer"):
        entry = issuer_entry(str(meta["issuer"]))
    return unit_of_entry(session, entry) if entry is not None else None


def ensure_region(session: Session, region: str) -> Unit | None:
    """The unit of a region string (its deepest gazetteer unit), created with its parents."""
    entry = region_entry(region)
    return unit_of_entry(session, entry) if entry is not None else None


@dataclass
class UnitCache:
    """Units found by one run of ingest, by id, so that the next documents look nothing up:
    the issuer of (given unit, region, issuer) and the unit (and flag) of a subject under an
    issuer. What a transaction finds is `pending` until it commits (`keep`): a unit created
    in a transaction that rolls back does not exist. Subjects proposed for review are never
    cached (each document records its proposal)."""

    issuers: dict[tuple[str | None, str | None, str | None], int] = field(default_factory=dict)
    subjects: dict[tuple[int | None, str], tuple[int, str | None]] = field(default_factory=dict)
    pending_issuers: dict[tuple[str | None, str | None, str | None], int] = field(
        default_factory=dict)
    pending_subjects: dict[tuple[int | None, str], tuple[int, str | None]] = field(
        default_factory=dict)

    def keep(self) -> None:
        self.issuers.update(self.pending_issuers)
        self.subjects.update(self.pending_subjects)
        self.drop()

    def drop(self) -> None:
        self.pending_issuers.clear()
        self.pending_subjects.clear()

    def clear(self) -> None:
        """Forget everything (after a failed transaction: another process may have changed
        the units)."""
        self.issuers.clear()
        self.subjects.clear()
        self.drop()


def issuing_unit(session: Session, *, meta: dict[str, object] | None = None,
                 given: str | None = None, cache: UnitCache | None = None) -> Unit | None:
    """`document_unit`, remembered in a run's `cache`."""
    if cache is None:
        return document_unit(session, meta=meta, given=given)
    meta = meta or {}
    key = (given, str(meta.get("region") or "") or None, str(meta.get("issuer") or "") or None)
    known = cache.issuers.get(key, cache.pending_issuers.get(key))
    if known is not None:
        unit = session.get(Unit, known)
        if unit is not None:
            return unit
    unit = document_unit(session, meta=meta, given=given)
    if unit is not None:
        cache.pending_issuers[key] = unit.id
    return unit


@dataclass
class UnitResolver:
    """Units of one document's targets (see the module docstring); `flags` per subject say why a
    target's unit is not its printed subject, `proposed` lists new proposals. `cache` is a
    run's `UnitCache`."""

    session: Session
    document_unit: Unit | None
    document_id: int | None = None
    flags: dict[str, str] = field(default_factory=dict)
    proposed: list[str] = field(default_factory=list)
    cache: UnitCache | None = None
    _cache: dict[str, Unit | None] = field(default_factory=dict)

    def unit_id_for(self, subject: str | None) -> int | None:
        """The id of `unit_for(subject)`, from the run's cache when it knows the subject."""
        issuer = self.document_unit.id if self.document_unit is not None else None
        if not subject or not subject.strip():
            return issuer
        subject = subject.strip()
        if self.cache is None:
            unit = self.unit_for(subject)
            return unit.id if unit is not None else None
        key = (issuer, subject)
        known = self.cache.subjects.get(key) or self.cache.pending_subjects.get(key)
        if known is not None:
            unit_id, flag = known
            if flag:
                self.flags[subject] = flag
            return unit_id
        unit = self.unit_for(subject)
        flag = self.flags.get(subject)
        if unit is None or flag == PROPOSED:
            return unit.id if unit is not None else None
        self.cache.pending_subjects[key] = (unit.id, flag)
        return unit.id

    def unit_for(self, subject: str | None) -> Unit | None:
        if not subject or not subject.strip():
            return self.document_unit
        subject = subject.strip()
        if subject not in self._cache:
            self._cache[subject] = self._resolve(subject)
        return self._cache[subject]

    def _resolve(self, subject: str) -> Unit | None:
        unit = find_unit(self.session, subject)
        if unit is None:
            within = self.document_unit.code if self.document_unit is not None else None
            entry = gazetteer_entry(subject, within=within)
            if entry is not None:  # no name find_unit tried is a unit's (name or alias)
                unit = unit_of_entry(self.session, entry, absent=_names_to_try(subject))
        if unit is None:
            if self._propose(subject):
                self.flags[subject] = PROPOSED
            return self.document_unit
        if self.document_unit is not None and unit.id != self.document_unit.id and _is_above(
            unit, self.document_unit
        ):
            self.flags[subject] = ABOVE_ISSUER
            return self.document_unit
        return unit

    def _propose(self, name: str) -> bool:
        """Record `name` for review; False when it was rejected before (not a unit)."""
        known = self.session.scalars(
            select(UnitProposal).where(UnitProposal.name == name).order_by(UnitProposal.id.desc())
        ).first()
        if known is not None and known.state == "rejected":
            return False
        if known is None or known.state != "pending":
            try:
                # in a savepoint, against the unique key on pending names: an ingest that
                # proposed the same name at the same moment wins, and ours is that proposal
                with self.session.begin_nested():
                    self.session.add(UnitProposal(
                        name=name, document_id=self.document_id,
                        parent_id=self.document_unit.id if self.document_unit else None,
                    ))
            except IntegrityError:
                return True
            self.proposed.append(name)
        return True


def _is_above(unit: Unit, other: Unit | None) -> bool:
    """True if `unit` is `other` or one of its ancestors (so it cannot become its child)."""
    node: Unit | None = other
    for _ in range(16):  # hierarchies are 4-6 deep; the bound guards against a cycle
        if node is None:
            return False
        if node.id == unit.id:
            return True
        node = node.parent
    return True


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


# --- proposals ---------------------------------------------------------------------------------


def pending_proposals(session: Session) -> list[tuple[UnitProposal, int]]:
    """Pending proposals with the number of targets printed under each name."""
    rows = []
    for proposal in session.scalars(
        select(UnitProposal).where(UnitProposal.state == "pending").order_by(UnitProposal.id)
    ):
        n = len(session.scalars(select(Target.id).where(Target.subject == proposal.name)).all())
        rows.append((proposal, n))
    return rows


def decide_proposal(session: Session, name: str, *, accept: bool = False,
                    same_as: str | None = None, parent: str | None = None,
                    level: str | None = None) -> Unit | None:
    """Accept a proposed name as a new unit (under `parent`, default the proposing document's
    unit), map it to an existing unit (`same_as`: it becomes an alias), or reject it (not a
    unit: its targets stay with their documents' units). Targets printed under the name move
    to the unit in the first two cases. Returns the unit, None when rejected."""
    proposal = session.scalars(
        select(UnitProposal).where(UnitProposal.name == name, UnitProposal.state == "pending")
    ).first()
    if proposal is None:
        raise NotFound(f"no pending unit proposal {name!r} (see taizhang units proposals)")
    if accept and same_as:
        raise LedgerError("accept a new unit or map to an existing one, not both")
    unit: Unit | None = None
    if same_as:
        unit = ensure_unit(session, same_as)
        if find_alias(session, name) is None:
            session.add(UnitAlias(unit=unit, alias=name))
        proposal.state = "mapped"
    elif accept:
        above = parent or (proposal.parent.name if proposal.parent else None)
        unit = add_unit(session, name, parent=above, level=level)
        proposal.state = "accepted"
    else:
        proposal.state = "rejected"
    proposal.unit = unit
    proposal.decided_by = str(session.info.get("actor") or "system")
    proposal.decided_at = datetime.now(UTC)
    if unit is not None:
        _move_targets(session, name, unit)
    session.flush()
    return unit


def _resolve_pending(session: Session, name: str, unit: Unit) -> None:
    """A unit added by hand under a proposed name settles that proposal."""
    for proposal in session.scalars(
        select(UnitProposal).where(UnitProposal.name == name, UnitProposal.state == "pending")
    ):
        proposal.state, proposal.unit = "accepted", unit
        proposal.decided_by = str(session.info.get("actor") or "system")
        proposal.decided_at = datetime.now(UTC)
        _move_targets(session, name, unit)


def _move_targets(session: Session, name: str, unit: Unit) -> None:
    for target in session.scalars(select(Target).where(Target.subject == name)):
        if PROPOSED in (target.flags or []):
            target.unit_id = unit.id
            target.flags = [f for f in target.flags if f != PROPOSED]
