"""A few targets through the oracle equal the same targets in the set-based query."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from taizhang.ledger.models import ProgressReport, Target
from taizhang.track.model import Report, TargetFacts
from taizhang.track.rules import load_rules
from taizhang.track.single import statuses_of_targets
from taizhang.track.status import compute_statuses

from . import ledgerdata as ld

RULES = load_rules(None)


def test_single_targets_match_the_ledger_query(session: Session) -> None:
    doc = ld.document(session, date(2024, 2, 1))
    who = ld.unit(session, "江阴")
    kinds = [
        TargetFacts(0, 100.0, "ge", "increment", deadline=date(2024, 12, 31)),
        TargetFacts(0, 1200.0, "ge", "level", baseline=1000.0, baseline_date=date(2023, 12, 31),
                    deadline=date(2025, 12, 31)),
        TargetFacts(0, 5.5, "le", "share", deadline=date(2024, 12, 31), indicator="失业率"),
        TargetFacts(0, 5.0, "approx", "growth", recurring="annual", deadline=date(2025, 12, 31)),
    ]
    for n, facts in enumerate(kinds):
        row = ld.target(session, doc, who, facts)
        ld.report(session, row, Report(0, date(2024, 5, 31), 40.0 + n))
    named = session.scalars(select(ProgressReport)).first()
    assert named is not None
    named.evidence_path, named.evidence_name = None, "佐证.pdf"  # evidence by its name only
    session.commit()
    targets = session.scalars(
        select(Target).options(selectinload(Target.progress)).order_by(Target.id)
    ).all()
    as_of = date(2024, 6, 30)
    assert statuses_of_targets(targets, as_of, rules=RULES) == compute_statuses(
        session, as_of, rules=RULES
    )
