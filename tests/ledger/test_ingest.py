from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from taizhang.ledger import ingest as ingest_module
from taizhang.ledger import session_scope
from taizhang.ledger.ingest import ingest_paths, store_document
from taizhang.ledger.models import AuditLog, Document, Target, TargetRevision, Unit
from taizhang.ledger.repository import review_target
from taizhang.ledger.testing import make_target
from taizhang.types import Comparator

WUXI = {"title": "听板块一把手这么说", "region": "江苏省无锡市", "date": "2024-06-28"}


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_same_text_twice_adds_nothing(session: Session) -> None:
    first = store_document(
        session, text="全文", source="a.txt", targets=[make_target()], date=date(2024, 6, 28)
    )
    again = store_document(
        session, text="全文", source="copy.txt", targets=[make_target()], date=date(2024, 6, 28)
    )
    assert (first.status, again.status) == ("added", "duplicate")
    assert again.document_id == first.document_id
    assert (count(session, Document), count(session, Target)) == (1, 1)


def test_restatement_becomes_revision_and_latest_statement_is_current(session: Session) -> None:
    store_document(
        session, text="one", source="a", targets=[make_target(value="1200")], date=date(2024, 3, 1)
    )
    result = store_document(
        session,
        text="two",
        source="b",
        date=date(2024, 6, 28),
        targets=[make_target("有效高新技术企业 数量", value="1300", comparator=Comparator.GE)],
    )
    assert (result.new_targets, result.revisions) == (0, 1)
    target = session.scalars(select(Target)).one()
    assert (target.value, target.comparator) == (Decimal(1300), "ge")
    assert [(r.value, r.stated_on) for r in target.revisions] == [
        (Decimal(1200), date(2024, 3, 1)),
        (Decimal(1300), date(2024, 6, 28)),
    ]


def test_older_statement_ingested_later_does_not_become_current(session: Session) -> None:
    store_document(
        session, text="new", source="a", targets=[make_target(value="1300")], date=date(2024, 6, 28)
    )
    store_document(
        session, text="old", source="b", targets=[make_target(value="1200")], date=date(2024, 3, 1)
    )
    target = session.scalars(select(Target)).one()
    assert target.value == Decimal(1300)
    assert len(target.revisions) == 2


def test_next_period_target_is_new_not_a_revision(session: Session) -> None:
    store_document(
        session,
        text="2024",
        source="a",
        date=date(2024, 3, 1),
        targets=[make_target("GDP增长", "5", deadline=date(2024, 12, 31))],
    )
    result = store_document(
        session,
        text="2025",
        source="b",
        date=date(2025, 2, 1),
        targets=[make_target("GDP增长", "5", deadline=date(2025, 12, 31))],
    )
    assert (result.new_targets, result.revisions) == (1, 0)


def test_other_unit_same_indicator_is_a_new_target(session: Session) -> None:
    store_document(session, text="a", source="a", targets=[make_target(subject="江阴")])
    result = store_document(session, text="b", source="b", targets=[make_target(subject="宜兴")])
    assert result.new_targets == 1


def test_edited_target_keeps_the_reviewers_values(session: Session) -> None:
    store_document(
        session, text="a", source="a", targets=[make_target(value="1200")], date=date(2024, 3, 1)
    )
    review_target(session, target_id=1, changes={"value": "1250"})
    store_document(
        session, text="b", source="b", targets=[make_target(value="1300")], date=date(2024, 6, 1)
    )
    target = session.get(Target, 1)
    assert target is not None and target.value == Decimal(1250)
    assert len(target.revisions) == 2


def test_units_come_from_region_and_subjects(session: Session) -> None:
    store_document(
        session,
        text="a",
        source="a",
        meta=WUXI,
        date=date(2024, 6, 28),
        targets=[make_target(subject="江阴市"), make_target("GDP", "5", subject=None)],
    )
    units = {u.name: u for u in session.scalars(select(Unit))}
    assert set(units) == {"全国", "江苏", "无锡", "江阴"}
    assert units["江阴"].parent is units["无锡"] and units["无锡"].parent is units["江苏"]
    assert units["江苏"].parent is units["全国"] and units["全国"].parent is None
    assert units["江阴"].level == "county"  # 县级市 under a city
    by_indicator = {
        t.indicator: t.responsible.name for t in session.scalars(select(Target)) if t.responsible
    }
    assert by_indicator == {"有效高新技术企业数量": "江阴", "GDP": "无锡"}


def test_ingest_is_audited_once_per_document(session: Session) -> None:
    store_document(session, text="a", source="a.txt", targets=[make_target(), make_target("X")])
    entries = session.scalars(select(AuditLog).where(AuditLog.action == "ingest")).all()
    assert len(entries) == 1 and entries[0].details["new_targets"] == [1, 2]
    assert entries[0].actor == "tester"


def test_failure_inside_a_document_leaves_nothing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")  # after the targets and revisions were written

    monkeypatch.setattr(ingest_module.audit, "record", failing)
    targets = [make_target(f"指标{i}") for i in range(5)]
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        store_document(session, text="a", source="a", targets=targets)
    with session_scope(engine) as session:
        assert [count(session, m) for m in (Document, Target, TargetRevision, Unit)] == [0] * 4


def test_ingest_paths_reports_bad_files_and_goes_on(engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("甲文件", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02binary\x00\x00")
    (tmp_path / "c.txt").write_text("丙文件", encoding="utf-8")
    (tmp_path / "c.json").write_text('{"date": "2024-05-01", "title": "丙"}', encoding="utf-8")
    seen: list[tuple[str, date | None]] = []

    def extract(text: str, *, date: date | None = None, **_: object) -> list:
        seen.append((text, date))
        return [make_target(f"{text}指标")]

    results = ingest_paths(engine, [tmp_path], extract=extract)
    # a.txt has no date anywhere: refused with a request for one, never dated today
    assert [r.status for r in results] == ["failed", "failed", "added"]
    assert "no date for this document" in (results[0].error or "")
    assert "--date" in (results[0].error or "")
    assert "b.txt" in (results[1].error or "")
    assert seen == [("丙文件", date(2024, 5, 1))]
    with session_scope(engine) as session:
        titles = sorted(d.title or "" for d in session.scalars(select(Document)))
        assert titles == ["丙"]


def test_an_empty_folder_is_reported(engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    results = ingest_paths(engine, [tmp_path / "empty"], extract=lambda text, **_: [])
    assert [(r.status, "no documents" in (r.error or "")) for r in results] == [("failed", True)]


def test_a_restatement_is_audited_in_the_documents_entry(session: Session) -> None:
    """One audit row per document: a restatement's changes as [old, new], no row per target."""
    store_document(session, text="one", source="a", targets=[make_target(value="1200")],
                   date=date(2024, 3, 1))
    store_document(session, text="two", source="b", date=date(2024, 6, 28),
                   targets=[make_target(value="1300", comparator=Comparator.GE)])
    target = session.scalars(select(Target)).one()
    entries = session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
    assert [e.action for e in entries if e.entity in ("documents", "targets")] == ["ingest"] * 2
    changes = entries[-1].details["restated"][str(target.id)]
    assert changes["value"] == ["1200", "1300"] and changes["comparator"] == ["gt", "ge"]
    assert changes["document_id"] == [1, 2] and "deadline" not in changes  # unchanged
    assert entries[-1].details["revised_targets"] == [target.id]


def _ledger_rows(session: Session) -> tuple[list, list]:
    targets = session.execute(select(Target.id, Target.unit_id, Target.indicator, Target.value,
                                     Target.document_id).order_by(Target.id)).all()
    revisions = session.execute(select(TargetRevision.target_id, TargetRevision.document_id,
                                       TargetRevision.value).order_by(TargetRevision.id)).all()
    return targets, revisions


@pytest.mark.parametrize("batch", [1, 2, 3, 1000])
def test_batches_store_what_one_round_stores(
    session: Session, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """A long document is stored a batch at a time: same targets and revisions whatever the
    batch size (a slot stated twice in one document makes two targets; a restated one is
    restated again by a later batch)."""
    monkeypatch.setattr(ingest_module, "BATCH", batch)
    store_document(session, text="one", source="a", date=date(2024, 3, 1),
                   targets=[make_target(value="1200"), make_target("GDP", "5", unit="%")])
    store_document(session, text="two", source="b", date=date(2024, 6, 28), targets=[
        make_target(value="1300"), make_target("新指标", "7"), make_target("GDP", "6", unit="%"),
        make_target("新指标", "8"), make_target(value="1400"), make_target("GDP", "7", unit="%",
                                                                           subject="无锡"),
    ])
    targets, revisions = _ledger_rows(session)
    assert [(t.indicator, t.value, t.document_id) for t in targets] == [
        ("有效高新技术企业数量", Decimal(1400), 2), ("GDP", Decimal(6), 2),
        ("新指标", Decimal(7), 2), ("新指标", Decimal(8), 2), ("GDP", Decimal(7), 2),
    ]
    assert [(r.target_id, r.value) for r in revisions] == [
        (1, Decimal(1200)), (2, Decimal(5)), (1, Decimal(1300)), (3, Decimal(7)),
        (2, Decimal(6)), (4, Decimal(8)), (1, Decimal(1400)), (5, Decimal(7)),
    ]


def test_a_long_text_is_extracted_in_chunks_and_stored_in_batches(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `taizhang extract` finds in a long text (streamed) is what ingest stores."""
    from taizhang.extract.pipeline import extract_stream
    from taizhang.ledger.ingest import ingest_file
    from taizhang.read.txt import chunk_text

    sample = (Path(__file__).resolve().parents[2] / "examples" / "wuxi-district-leaders-2024.txt")
    text = (sample.read_text(encoding="utf-8") + "\n") * 6
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(ingest_module, "STREAM_CHARS", 10_000)
    monkeypatch.setattr(ingest_module, "STREAM_CHUNK", 15_000)
    monkeypatch.setattr(ingest_module, "BATCH", 10)
    batches: list[int] = []
    real = ingest_module._batches

    def counted(items, size):  # type: ignore[no-untyped-def]
        for b in real(items, size):
            batches.append(len(b))
            yield b

    monkeypatch.setattr(ingest_module, "_batches", counted)
    result = ingest_file(engine, path, date=date(2024, 6, 28))
    expected = list(extract_stream((c.text for c in chunk_text(text, 15_000)),
                                   date=date(2024, 6, 28)))
    assert result.status == "added" and len(expected) > 50
    assert max(batches) == 10 and len(batches) >= 2 * len(expected) // 10  # spilled, then stored
    with session_scope(engine) as session:
        stored = session.scalars(select(TargetRevision.quote).order_by(TargetRevision.id)).all()
        assert stored == [t.quote for t in expected]
        assert count(session, Document) == 1


def test_headline_copy_of_a_body_target_is_not_a_second_target(session: Session) -> None:
    headline = replace(make_target("计划启动老旧电梯更新改造", "1720", unit="部", subject="海南"), flags=("headline",))
    body = make_target("今年全年计划启动老旧电梯更新改造", "1720", unit="部", subject="海南")
    only_headline = replace(make_target("招募高校毕业生", "1345", unit="名", subject="海南"), flags=("headline",))
    store_document(session, text="海南今年计划启动1720部…", source="a.txt",
                   targets=[headline, only_headline, body], date=date(2026, 6, 9))
    stored = {(t.indicator, t.value) for t in session.scalars(select(Target))}
    assert stored == {("今年全年计划启动老旧电梯更新改造", Decimal("1720")), ("招募高校毕业生", Decimal("1345"))}
