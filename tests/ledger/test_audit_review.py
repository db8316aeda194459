from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from taizhang.errors import LedgerError, NotFound
from taizhang.ledger.ingest import store_document
from taizhang.ledger.models import AuditLog, Target
from taizhang.ledger.repository import list_targets, review_target
from taizhang.ledger.testing import make_target


@pytest.fixture
def stored(session: Session) -> Session:
    store_document(
        session,
        text="doc",
        source="a.txt",
        targets=[make_target(), make_target("新招引重大项目数", "3", subject="宜兴")],
    )
    session.commit()
    return session


def updates(session: Session) -> list[AuditLog]:
    return list(session.scalars(select(AuditLog).where(AuditLog.action == "update")))


def test_confirm_and_reject(stored: Session) -> None:
    review_target(stored, target_id="1", confirm=True)
    review_target(stored, target_id="#2", reject=True)
    assert [t.review_state for t in list_targets(stored)] == ["confirmed", "rejected"]
    assert [t.id for t in list_targets(stored, include_rejected=False)] == [1]
    log = updates(stored)
    assert [(a.entity_id, a.details["changes"]["review_state"], a.actor) for a in log] == [
        (1, ["unreviewed", "confirmed"], "tester"),
        (2, ["unreviewed", "rejected"], "tester"),
    ]
    assert log[0].details["reason"] == "review: confirm"


def test_set_fields_parses_and_marks_edited(stored: Session) -> None:
    target = review_target(
        stored,
        target_id=1,
        changes={
            "value": "1,300",
            "deadline": "2025年6月30日",
            "comparator": "ge",
            "responsible": "江阴市",
            "indicator": "有效高企 数量",
        },
    )
    assert (target.value, str(target.deadline), target.comparator) == (
        Decimal(1300),
        "2025-06-30",
        "ge",
    )
    assert target.review_state == "edited" and target.responsible is not None
    assert target.responsible.name == "江阴" and target.indicator_key == "有效高企数量"
    changes = updates(stored)[0].details["changes"]
    assert changes["value"] == ["1200", "1300"]
    assert changes["deadline"] == ["2024-12-31", "2025-06-30"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"colour": "red"}, "cannot set 'colour'; editable fields: indicator"),
        ({"value": "lots"}, "value: 'lots' is not an amount"),
        ({"comparator": "about"}, "'about' is not one of gt, ge, le, lt, approx, eq, range"),
        ({"deadline": "2024-02-30"}, "deadline: expected a date"),
    ],
)
def test_bad_edits_name_the_problem(stored: Session, changes: dict, message: str) -> None:
    with pytest.raises(LedgerError, match=message.replace("(", r"\(")):
        review_target(stored, target_id=1, changes=changes)


def test_review_needs_one_action_and_a_real_target(stored: Session) -> None:
    with pytest.raises(LedgerError, match="exactly one"):
        review_target(stored, target_id=1, confirm=True, reject=True)
    with pytest.raises(NotFound, match="no target 99"):
        review_target(stored, target_id=99, confirm=True)


def test_audit_log_is_append_only(stored: Session) -> None:
    review_target(stored, target_id=1, confirm=True)
    stored.commit()
    entry = updates(stored)[0]
    entry.actor = "mallory"
    with pytest.raises(LedgerError, match="append-only"):
        stored.flush()
    stored.rollback()
    entry = stored.scalars(select(AuditLog)).first()
    stored.delete(entry)
    with pytest.raises(LedgerError, match="append-only"):
        stored.flush()
    stored.rollback()


def test_list_targets_filters(stored: Session) -> None:
    from datetime import date

    assert [t.id for t in list_targets(stored, unit="江阴")] == [1]
    assert [t.id for t in list_targets(stored, review_states=["unreviewed"])] == [1, 2]
    assert list_targets(stored, due_before=date(2024, 12, 31)) == []
    assert len(list_targets(stored, due_before=date(2025, 1, 1))) == 2
    with pytest.raises(NotFound, match="no unit called '上海'"):
        list_targets(stored, unit="上海")
    assert stored.get(Target, 1) is not None
