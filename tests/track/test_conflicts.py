"""Conflicts report on ledgers built through the ledger's own ingest (revisions included)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from taizhang.ledger.ingest import store_document
from taizhang.ledger.models import Target
from taizhang.ledger.testing import make_target
from taizhang.track.conflicts import find_conflicts
from taizhang.track.model import TargetFacts
from taizhang.types import Comparator, Kind

from . import ledgerdata as ld


def gdp(value: str, subject: str = "江阴", **kw: object) -> object:
    return make_target("地区生产总值增长", value, subject=subject, comparator=Comparator.APPROX,
                       kind=Kind.GROWTH, unit="%", **kw)  # type: ignore[arg-type]


def test_restated_value_is_a_conflict_and_an_unchanged_one_is_not(session: Session) -> None:
    store_document(session, text="一月", source="a.txt", date=date(2024, 1, 20),
                   targets=[gdp("5"), gdp("6", subject="宜兴")])  # type: ignore[list-item]
    store_document(session, text="三月", source="b.txt", date=date(2024, 3, 1),
                   targets=[gdp("5.5"), gdp("6", subject="宜兴")])  # type: ignore[list-item]
    session.flush()
    [conflict] = find_conflicts(session)
    assert conflict.kind == "restated"
    assert conflict.unit == "江阴"
    assert [float(s.value) for s in conflict.statements] == [5.0, 5.5]
    assert [s.document for s in conflict.statements] == ["a", "b"]
    assert conflict.id == f"restated-{conflict.statements[0].target_id}"
    assert conflict.to_json()["statements"][1]["value"] == 5.5


def test_restated_deadline_is_a_conflict(session: Session) -> None:
    store_document(session, text="一", source="a.txt", date=date(2024, 1, 20),
                   targets=[gdp("5", deadline=date(2025, 12, 31))])  # type: ignore[list-item]
    store_document(session, text="二", source="b.txt", date=date(2024, 3, 1),
                   targets=[gdp("5", deadline=date(2026, 12, 31))])  # type: ignore[list-item]
    session.flush()
    [conflict] = find_conflicts(session)
    assert [s.deadline for s in conflict.statements] == [date(2025, 12, 31), date(2026, 12, 31)]


def test_separate_targets_of_one_unit_and_indicator_diverge(session: Session) -> None:
    first, second = ld.document(session, date(2024, 1, 1)), ld.document(session, date(2024, 2, 1))
    jy = ld.unit(session, "江阴")
    facts = TargetFacts(id=0, value=1200.0, comparator="gt", kind="level",
                        deadline=date(2024, 12, 31), indicator="有效高企", unit="家")
    a = ld.target(session, first, jy, facts)
    b = ld.target(session, second, jy, replace(facts, value=1300.0))
    ld.target(session, second, jy, replace(facts, deadline=date(2025, 12, 31)))
    ld.target(session, second, jy, replace(facts, value=9.0),
              review_state="rejected")
    session.flush()
    [conflict] = find_conflicts(session)
    assert conflict.kind == "divergent"
    assert [s.target_id for s in conflict.statements] == [a.id, b.id]


def test_passages_printed_under_two_subjects(session: Session) -> None:
    quote = "全年新增就业4万人"
    store_document(session, text="两处", source="a.txt", date=date(2024, 6, 28), targets=[
        make_target("新增就业", "40000", subject="梁溪", quote=quote),
        make_target("新增就业", "40000", subject="锡山", quote=quote),
        make_target("有效高企", "1200", subject="惠山"),
    ])
    session.flush()
    [conflict] = find_conflicts(session)
    assert conflict.kind == "duplicated_passage"
    assert sorted(s.unit or "" for s in conflict.statements) == ["梁溪", "锡山"]

    flagged = session.scalars(select(Target).where(Target.subject == "惠山")).one()
    flagged.flags = ["duplicated_passage"]
    session.flush()
    kinds = sorted(c.kind for c in find_conflicts(session))
    assert kinds == ["duplicated_passage", "duplicated_passage"]


def test_empty_ledger_has_no_conflicts(session: Session) -> None:
    assert find_conflicts(session) == []

