"""The league table: the documented index, computed by hand for a small ledger."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from taizhang.track.model import Report, TargetFacts
from taizhang.track.rank import rank
from taizhang.track.rules import load_rules

from . import ledgerdata as ld

RULES = load_rules(None)
AS_OF = date(2024, 6, 30)


def jobs(value: float = 100.0, deadline: date = date(2024, 12, 31)) -> TargetFacts:
    return TargetFacts(id=0, value=value, comparator="ge", kind="increment", deadline=deadline,
                       indicator="新增就业", unit="人")


def test_index_follows_the_documented_formula(session: Session) -> None:
    doc = ld.document(session, date(2024, 2, 1))
    later = ld.document(session, date(2025, 2, 1), name="plan")
    good, mixed, idle = ld.unit(session, "江阴"), ld.unit(session, "宜兴"), ld.unit(session, "梁溪")
    for _ in range(2):  # two achieved targets, fresh reports with evidence
        row = ld.target(session, doc, good, jobs())
        ld.report(session, row, Report(0, date(2024, 6, 1), 100.0, "佐证.pdf"))
    behind = ld.target(session, doc, mixed, jobs())  # 30 % done at 49.6 % of the year: behind
    ld.report(session, behind, Report(0, date(2024, 1, 15), 30.0))  # stale (167 days)
    ld.target(session, doc, mixed, jobs())  # never reported: no_data
    ld.target(session, later, idle, jobs(deadline=date(2025, 12, 31)))  # starts 2025
    session.commit()

    table = rank(session, AS_OF, rules=RULES)
    assert [r.unit for r in table] == ["江阴", "宜兴", "梁溪"]
    first, second, last = table

    assert (first.rank, first.index) == (1, pytest.approx(100.0))
    assert (first.completion, first.reporting, first.timeliness, first.evidence) == (1, 1, 1, 1)

    assert second.rank == 2
    assert second.completion == RULES.score("behind")
    assert second.reporting == 0.5 and second.timeliness == 0.0 and second.evidence == 0.0
    assert (second.due, second.reported, second.unreported) == (2, 1, 1)
    assert second.counts["behind"] == 1 and second.counts["no_data"] == 1
    w = dict(RULES.rank_weights)
    expected = 100 * (w["completion"] * RULES.score("behind") + w["reporting"] * 0.5) / sum(
        w.values()
    )
    assert second.index == pytest.approx(expected)

    assert (last.rank, last.index, last.due) == (None, None, 0)  # nothing due: not ranked
    assert last.counts["not_yet_due"] == 1
    assert {r.rules_version for r in table} == {RULES.version}


def test_components_without_data_are_left_out_of_the_weights(session: Session) -> None:
    doc = ld.document(session, date(2024, 2, 1))
    silent = ld.unit(session, "锡山")
    ld.target(session, doc, silent, jobs())
    session.commit()
    [row] = rank(session, AS_OF, rules=RULES)
    assert row.completion is None and row.evidence is None  # no judged status, no report
    assert row.reporting == 0.0 and row.timeliness == 0.0
    assert row.index == 0.0 and row.rank == 1


def test_ties_share_a_rank(session: Session) -> None:
    doc = ld.document(session, date(2024, 2, 1))
    for name in ("新吴", "惠山"):
        row = ld.target(session, doc, ld.unit(session, name), jobs())
        ld.report(session, row, Report(0, AS_OF, 100.0, "a.pdf"))
    session.commit()
    assert [(r.rank, r.unit) for r in rank(session, AS_OF, rules=RULES)] == [(1, "惠山"), (1, "新吴")]
