"""The set-based status query equals the one-target reference on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from taizhang.errors import NotFound
from taizhang.ledger.models import Base
from taizhang.track.model import Evidence, Report, Status, TargetFacts
from taizhang.track.oracle import status_of
from taizhang.track.rules import load_rules
from taizhang.track.status import compute_statuses

from . import ledgerdata as ld

RULES = load_rules(None)
JUN30 = date(2024, 6, 30)


def jobs(**kw: object) -> TargetFacts:
    base: dict[str, object] = {
        "id": 0, "value": 40000.0, "comparator": "ge", "kind": "increment",
        "deadline": date(2024, 12, 31), "indicator": "城镇新增就业", "unit": "人",
    }
    base.update(kw)
    return TargetFacts(**base)  # type: ignore[arg-type]


def test_statuses_of_a_small_ledger(session: Session) -> None:
    doc = ld.document(session, date(2024, 2, 20))
    jy, yx = ld.unit(session, "江阴"), ld.unit(session, "宜兴")
    on_track = ld.target(session, doc, jy, jobs())
    behind = ld.target(session, doc, yx, jobs())
    silent = ld.target(session, doc, yx, jobs(indicator="有效高企", kind="level", value=1200.0))
    ld.target(session, doc, yx, jobs(), review_state="rejected")
    ld.target(session, doc, yx, jobs(), strength="soft")
    ld.report(session, on_track, Report(0, date(2024, 5, 31), 20000.0, "证明.pdf"))
    ld.report(session, behind, Report(0, JUN30, 15000.0))
    session.commit()

    got = {s.target_id: s for s in compute_statuses(session, JUN30, rules=RULES)}
    assert set(got) == {on_track.id, behind.id, silent.id}  # rejected and soft left out
    assert got[on_track.id].status is Status.ON_TRACK
    assert got[on_track.id].evidence is Evidence.WITH_EVIDENCE
    assert got[on_track.id].days_since_report == 30
    assert got[on_track.id].unit_name == "江阴"
    assert got[behind.id].status is Status.BEHIND
    assert got[behind.id].evidence is Evidence.WITHOUT_EVIDENCE
    assert got[silent.id].status is Status.NO_DATA
    assert got[silent.id].evidence is Evidence.NOT_REPORTED
    assert {s.rules_version for s in got.values()} == {RULES.version}

    only_jy = compute_statuses(session, JUN30, rules=RULES, unit="江阴")
    assert [s.target_id for s in only_jy] == [on_track.id]


def test_unit_filter_includes_units_below_and_refuses_unknown_units(session: Session) -> None:
    doc = ld.document(session, date(2024, 2, 20))
    city = ld.unit(session, "无锡")
    county, other = ld.unit(session, "江阴"), ld.unit(session, "苏州")
    county.parent = city
    rows = [ld.target(session, doc, u, jobs()) for u in (city, county, other)]
    session.commit()
    below = compute_statuses(session, JUN30, rules=RULES, unit="无锡")
    assert [s.target_id for s in below] == [rows[0].id, rows[1].id]
    with pytest.raises(NotFound, match="no unit called '上海'"):
        compute_statuses(session, JUN30, rules=RULES, unit="上海")


# ---- property: SQL == oracle on random ledgers -------------------------------------------

DAY0 = date(2022, 1, 1)
days = st.integers(min_value=0, max_value=4 * 365).map(lambda n: DAY0 + timedelta(days=n))
amounts = st.one_of(
    st.sampled_from([0.0, 1.0, -2.5, 5.0, 5.5, 100.0, 1200.0]),
    st.decimals(min_value=-500, max_value=5000, places=2).map(float),
)
facts_strategy = st.builds(
    TargetFacts,
    id=st.just(0),
    value=amounts,
    comparator=st.sampled_from(["gt", "ge", "le", "lt", "approx", "eq", "range"]),
    kind=st.sampled_from(["level", "increment", "growth", "share"]),
    value_max=st.none() | amounts,
    deadline=st.none() | days,
    recurring=st.sampled_from([None, None, "annual"]),
    baseline=st.none() | amounts,
    baseline_date=st.none() | days,
    doc_date=st.none() | days,
    indicator=st.sampled_from(["城镇新增就业", "城镇调查失业率", "地区生产总值", "CPI涨幅", "cpi"]),
    unit=st.sampled_from(["%", "个百分点", "家"]),
)


@st.composite
def target_with_reports(draw: st.DrawFn, as_of: date) -> tuple[TargetFacts, list[Report]]:
    """A target and reports whose values often sit exactly on its edges (>, ≥, range, 左右)
    and whose dates often fall shortly before `as_of`, where the interesting cases are."""
    near = st.integers(min_value=-400, max_value=700).map(lambda n: as_of + timedelta(days=n))
    before = st.integers(min_value=0, max_value=700).map(lambda n: as_of - timedelta(days=n))
    facts = draw(facts_strategy)
    facts = dataclasses.replace(
        facts,
        deadline=draw(st.one_of(st.none(), days, near, near)),
        doc_date=draw(st.one_of(st.none(), days, before, before)),
    )
    edges = [facts.value, facts.value * 0.95, facts.value * 1.05, -facts.value]
    if facts.value_max is not None:
        edges.append(facts.value_max)
    if facts.baseline is not None:
        edges += [facts.baseline, facts.baseline * (1 + facts.value / 100)]
    # two decimals: PostgreSQL stores NUMERIC(30, 6), so the oracle must see what is stored
    edge_values = st.sampled_from([round(e, 2) for e in edges])
    values = st.one_of(amounts, edge_values, edge_values)
    recent = st.integers(min_value=0, max_value=400).map(lambda n: as_of - timedelta(days=n))
    reports = draw(st.lists(
        st.builds(Report, id=st.just(0), as_of=st.one_of(days, recent, recent), value=values,
                  evidence=st.sampled_from([None, "", " ", "a.pdf"])),
        max_size=4,
    ))
    return facts, reports


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[date, list[tuple[TargetFacts, list[Report]]]]:
    as_of = draw(days)
    return as_of, draw(st.lists(target_with_reports(as_of), min_size=1, max_size=6))


def _clear(engine: Engine) -> None:
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(delete(table))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=ledgers())
def test_sql_equals_oracle(
    engine: Engine, drawn: tuple[date, list[tuple[TargetFacts, list[Report]]]]
) -> None:
    as_of, ledger = drawn
    _clear(engine)
    with Session(engine) as session:
        stored = ld.bulk(session, ledger, ld.unit(session, "梁溪"))
        session.commit()
        got = compute_statuses(session, as_of, rules=RULES)
    expected = {f.id: status_of(f, reps, as_of, RULES) for f, reps in stored}
    assert {s.target_id for s in got} == set(expected)
    for status in got:
        assert status._replace(unit_name=None, unit_id=None) == expected[status.target_id]


def test_values_survive_storage_exactly(session: Session) -> None:
    """The property test relies on stored amounts reading back as the same floats."""
    doc = ld.document(session, date(2024, 1, 1))
    row = ld.target(session, doc, None, jobs(value=float(Decimal("1234.57"))))
    ld.report(session, row, Report(0, JUN30, 0.1))
    session.commit()
    [got] = compute_statuses(session, JUN30, rules=RULES)
    assert got.latest_value == 0.1
    assert got.progress == 0.1 / 1234.57


def test_sql_equals_oracle_on_a_grid_of_edges(engine: Engine) -> None:
    """Every comparator × kind × direction with reports exactly on and around its edges."""
    as_of = date(2024, 6, 30)
    grid = []
    for comparator in ("gt", "ge", "le", "lt", "approx", "eq", "range"):
        for kind in ("level", "increment", "growth", "share"):
            for value, value_max in ((5.0, 6.0), (-2.5, -4.0), (0.0, None), (1200.0, None)):
                for baseline in (None, 100.0, 0.0):
                    # the indicator decides the mode only for approx/eq (caps)
                    capped = comparator in ("approx", "eq")
                    for indicator in ("地区生产总值", "城镇调查失业率")[: 2 if capped else 1]:
                        for deadline in (date(2024, 3, 31), date(2024, 12, 31), None):
                            edges = {value, value * 0.95, value * 1.05, -value, value - 0.01,
                                     value + 0.01, value_max or 0.0, 100.0 * (1 + value / 100),
                                     100.0 + value}
                            for edge in sorted(round(e, 2) for e in edges):
                                facts = TargetFacts(
                                    id=0, value=value, comparator=comparator, kind=kind,
                                    value_max=value_max, deadline=deadline, baseline=baseline,
                                    doc_date=date(2024, 2, 1), indicator=indicator, unit="%",
                                )
                                grid.append((facts, [Report(0, date(2024, 6, 1), edge)]))
    with Session(engine) as session:
        stored = ld.bulk(session, grid)
        session.commit()
        got = compute_statuses(session, as_of, rules=RULES)
    expected = {f.id: status_of(f, reps, as_of, RULES) for f, reps in stored}
    assert len(got) == len(grid)
    mismatched = [(s, expected[s.target_id]) for s in got if s != expected[s.target_id]]
    assert mismatched == []
    assert {s.status for s in got} >= set(Status) - {Status.NO_DATA, Status.NOT_YET_DUE}


def test_streaming_stops_cleanly_and_reports_errors(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows are read ahead in a thread on PostgreSQL: a caller that stops early can use its
    session at once, several batches arrive whole and in order, and a fetch that fails
    raises in the caller."""
    from taizhang.track import status as status_module

    doc = ld.document(session, date(2024, 2, 20))
    jy = ld.unit(session, "江阴")
    made = [ld.target(session, doc, jy, jobs()) for _ in range(7)]
    session.commit()
    ids = [t.id for t in made]
    monkeypatch.setattr(status_module, "PG_BATCH", 2)
    stream = status_module.iter_statuses(session, JUN30, rules=RULES, unit_ids=None)
    assert next(stream).target_id == ids[0]
    stream.close()  # stops the reading thread and closes the cursor
    assert [s.target_id for s in compute_statuses(session, JUN30, rules=RULES)] == ids

    def fail() -> list[object]:
        raise RuntimeError("the server went away")

    with pytest.raises(RuntimeError, match="went away"):
        list(status_module._read_ahead(fail))
    batches = iter([[1, 2], [3], []])
    assert list(status_module._read_ahead(lambda: next(batches))) == [[1, 2], [3]]


def test_dates_read_as_day_numbers_by_the_database_are_exact(engine: Engine) -> None:
    """The database turns each date into a day number (SQLite: julianday; PostgreSQL: date −
    date); every date a status shows comes back exactly, before 1970 and on leap days too."""
    days = [date(1969, 12, 31), date(1900, 3, 1), date(1970, 1, 1), date(2000, 2, 29),
            date(2024, 2, 29), date(2024, 12, 31), date(2099, 12, 31)]
    as_of = date(2024, 6, 30)
    grid = [(jobs(deadline=deadline, doc_date=doc, baseline=100.0, baseline_date=base),
             [Report(0, reported, 50.0)])
            for deadline, doc, base, reported in zip(days, reversed(days), days[1:] + days[:1],
                                                     days[3:] + days[:3], strict=True)]
    with Session(engine) as session:
        stored = ld.bulk(session, grid)
        session.commit()
        got = compute_statuses(session, as_of, rules=RULES)
    expected = {f.id: status_of(f, reps, as_of, RULES) for f, reps in stored}
    assert [s._replace(unit_name=None, unit_id=None) for s in got] == [
        expected[s.target_id] for s in got]
    facts = {f.id: f for f, _ in stored}
    assert [s.deadline for s in got] == [facts[s.target_id].deadline for s in got]
    assert {s.latest_as_of for s in got} - {None} == {r.as_of for _, reps in stored for r in reps
                                             if r.as_of <= as_of}
