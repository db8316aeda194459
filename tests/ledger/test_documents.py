"""Re-extract and withdraw a document (issue 8, item 2): audited, nothing else lost."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from taizhang.errors import LedgerError
from taizhang.ledger.documents import reextract_document, withdraw_document
from taizhang.ledger.ingest import store_document
from taizhang.ledger.models import AuditLog, Document, ProgressReport, Target, TargetRevision
from taizhang.ledger.repository import review_target
from taizhang.ledger.testing import make_target

TEXT = "全年地区生产总值增长6%左右，新增就业1万人。"


def extractor(year_targets: dict[int, list]) -> object:
    """A stand-in extractor whose targets depend on the date it is given."""

    def extract(text: str, *, date: date, **_: object) -> list:
        return year_targets[date.year]

    return extract


def test_reextract_with_the_right_date_adds_a_revision_and_is_audited(session: Session) -> None:
    gdp = lambda year: make_target("地区生产总值", "6", subject="保定", deadline=date(year, 12, 31))  # noqa: E731
    first = store_document(session, text=TEXT, source="upload.txt", date=date(2026, 12, 1),
                           meta={"region": "河北省保定市"}, targets=[gdp(2026)])
    done = reextract_document(session, first.document_id, date="2020-01-08",  # type: ignore[arg-type]
                              extract=extractor({2020: [gdp(2020), make_target("就业", "1", subject="保定")]}))
    assert (len(done.new_targets), len(done.revised_targets)) == (1, 1)
    target = session.get(Target, done.revised_targets[0])
    assert target is not None and target.deadline == date(2020, 12, 31)
    assert [r.stated_on for r in target.revisions] == [date(2026, 12, 1), date(2020, 1, 8)]
    entry = session.scalars(select(AuditLog).where(AuditLog.action == "re-extract")).one()
    assert entry.details["date"] == ["2026-12-01", "2020-01-08"]
    assert entry.actor == "tester"


def test_reextract_removes_untouched_targets_and_keeps_worked_ones(session: Session) -> None:
    a, b, c = (make_target(n, "1", subject="江阴") for n in ("甲", "乙", "丙"))
    first = store_document(session, text=TEXT, source="a", date=date(2024, 6, 28), targets=[a, b, c])
    ids = list(first.target_ids)
    review_target(session, target_id=ids[1], confirm=True)
    done = reextract_document(session, first.document_id, extract=extractor({2024: [a]}))  # type: ignore[arg-type]
    assert (done.revised_targets, done.removed_targets, done.kept_targets) == ([ids[0]], [ids[2]], [ids[1]])
    assert session.get(Target, ids[2]) is None


def test_withdraw_removes_the_document_and_what_only_it_stated(session: Session) -> None:
    older = store_document(session, text="one", source="a", date=date(2024, 3, 1),
                           targets=[make_target(value="1200")])
    newer = store_document(session, text="two", source="b", date=date(2024, 6, 28),
                           targets=[make_target(value="1300"), make_target("新指标", "5")])
    assert older.target_ids[0] == newer.target_ids[0]
    restated = session.get(Target, older.target_ids[0])
    assert restated is not None and restated.value == Decimal(1300)
    done = withdraw_document(session, newer.document_id, reason="草稿")  # type: ignore[arg-type]
    assert (done.deleted_targets, done.reverted_targets) == ([newer.target_ids[1]], [restated.id])
    session.refresh(restated)
    assert (restated.value, restated.document_id) == (Decimal(1200), older.document_id)
    assert session.scalar(select(func.count()).select_from(TargetRevision)) == 1
    entry = session.scalars(select(AuditLog).where(AuditLog.action == "withdraw")).one()
    assert entry.details["reason"] == "草稿" and entry.details["source"] == "b"
    # the same text can be ingested again (e.g. with its right date)
    again = store_document(session, text="two", source="b", date=date(2024, 7, 1),
                           targets=[make_target("新指标", "5")])
    assert again.status == "added"


def test_withdraw_refuses_when_people_worked_on_its_targets(session: Session) -> None:
    result = store_document(session, text=TEXT, source="a", date=date(2024, 6, 28),
                            targets=[make_target()])
    session.add(ProgressReport(target_id=result.target_ids[0], as_of=date(2024, 6, 30), value=5))
    session.flush()
    with pytest.raises(LedgerError, match=r"reported on \(#1\).*--force"):
        withdraw_document(session, result.document_id)  # type: ignore[arg-type]
    withdraw_document(session, result.document_id, force=True)  # type: ignore[arg-type]
    assert session.scalar(select(func.count()).select_from(Document)) == 0
    assert session.scalar(select(func.count()).select_from(ProgressReport)) == 0
