"""Tasks without numbers and 报送 → 审核 → 销号 (issue 8, items 7 and 8), on both back ends."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from taizhang.errors import LedgerError, NotFound
from taizhang.ledger.ingest import store_document
from taizhang.ledger.models import AuditLog, ProgressReport, Target
from taizhang.ledger.office_models import EvidenceFile, Task
from taizhang.ledger.tasks import create_task, status_of_task
from taizhang.ledger.testing import make_target
from taizhang.ledger.workflow import Upload, accept, close, correct, send_back, submit, withdraw
from taizhang.track.rank import rank
from taizhang.track.tasks import iter_task_statuses
from taizhang.types import Comparator

TODAY = date(2024, 12, 1)


@pytest.fixture
def office(session: Session) -> Session:
    store_document(session, text="保定报告", source="a", date=date(2024, 1, 20),
                   meta={"region": "河北省保定市"},
                   targets=[make_target("地区生产总值", "600000000000", unit="元", subject="保定",
                                        comparator=Comparator.GE),
                            make_target("高企", "100", subject="清苑")])
    gdp = session.get(Target, 1)
    assert gdp is not None
    gdp.value_text = "6000亿元"
    session.flush()
    return session


def test_a_task_has_lead_support_leader_deadline_and_milestones(office: Session) -> None:
    task = create_task(office, title="年底前建成城市大脑", lead="保定", support=["清苑", "高阳县"],
                       leader="王副市长", deadline="年底前", report_cycle="季报",
                       milestones=[("3月底前完成立项", "3月底前"), ("6月底前开工", "6月底前")],
                       starts_on=date(2024, 1, 20))
    assert (task.lead.name, [s.unit.name for s in task.support]) == ("保定", ["清苑", "高阳"])  # type: ignore[union-attr]
    assert (task.deadline, task.report_cycle, task.leader) == (date(2024, 12, 31), "quarterly", "王副市长")
    assert [(m.title, m.due) for m in task.milestones] == [
        ("3月底前完成立项", date(2024, 3, 31)), ("6月底前开工", date(2024, 6, 30))]
    with pytest.raises(NotFound, match="taizhang units add"):
        create_task(office, title="x", lead="市发改委")


def test_task_status_from_milestones_and_deadline(office: Session) -> None:
    task = create_task(office, title="建成", lead="保定", deadline=date(2024, 12, 31),
                       milestones=[("立项", date(2024, 3, 31))], starts_on=date(2024, 1, 20))
    assert status_of_task(task, date(2024, 1, 1)) == "not_yet_due"
    assert status_of_task(task, date(2024, 3, 1)) == "on_track"
    assert status_of_task(task, date(2024, 4, 1)) == "behind"  # the milestone was missed
    assert status_of_task(task, date(2025, 1, 2)) == "overdue"  # red
    task.milestones[0].done_on = date(2024, 3, 20)
    assert status_of_task(task, date(2024, 4, 1)) == "on_track"
    task.done_on = date(2024, 11, 30)
    assert status_of_task(task, date(2025, 1, 2)) == "achieved"


def test_task_statuses_of_the_ledger_equal_the_rule(office: Session) -> None:
    base = date(2024, 1, 1)
    for i in range(24):
        create_task(office, title=f"任务{i}", lead="保定" if i % 2 else "清苑",
                    deadline=base + timedelta(days=30 * (i % 8)) if i % 5 else None,
                    milestones=[(f"节点{i}", base + timedelta(days=20 * (i % 6)))] if i % 3 else [],
                    starts_on=base + timedelta(days=15 * (i % 4)))
    tasks = list(office.scalars(select(Task)))
    for task in tasks[::3]:
        task.done_on = base + timedelta(days=40)
    for task in tasks[1::4]:
        for m in task.milestones:
            m.done_on = base + timedelta(days=10)
    office.flush()
    for day in (date(2024, 1, 10), date(2024, 3, 1), date(2024, 6, 30), date(2025, 1, 1)):
        found = {s.task_id: s.status.value for s in iter_task_statuses(office, day)}
        assert found == {t.id: status_of_task(t, day) for t in tasks}


def test_tasks_count_in_the_league_table(office: Session) -> None:
    create_task(office, title="逾期任务", lead="高阳县", deadline=date(2024, 6, 30),
                starts_on=date(2024, 1, 1))
    rows = {r.unit: r for r in rank(office, date(2024, 9, 30))}
    assert rows["高阳"].targets == 1 and rows["高阳"].counts["overdue"] == 1
    assert rows["高阳"].completion == 0.0


def test_submit_return_correct_accept_close(office: Session, tmp_path: Path) -> None:
    office.info["actor"] = "qy"
    files = [Upload("名单.pdf", io.BytesIO(b"%PDF-1")), Upload("照片.jpg", io.BytesIO(b"jpg"))]
    sub = submit(office, target_id=2, as_of="2024-06-30", value="60", note="上半年", files=files,
                 evidence_dir=tmp_path, today=TODAY)
    assert sub.state == "submitted" and len(sub.files) == 2
    assert office.scalars(select(ProgressReport)).all() == []  # nothing counts before review
    office.info["actor"] = "sup"
    with pytest.raises(LedgerError, match="say why"):
        send_back(office, sub.id, reason=" ")
    send_back(office, sub.id, reason="佐证材料不全")
    assert (sub.state, sub.review_note) == ("returned", "佐证材料不全")
    with pytest.raises(LedgerError, match="only he can correct"):
        correct(office, sub.id, value="61")
    office.info["actor"] = "qy"
    correct(office, sub.id, value="101", today=TODAY)
    assert (sub.state, sub.value) == ("submitted", Decimal(101))
    office.info["actor"] = "sup"
    accept(office, sub.id, today=TODAY)
    report = office.scalars(select(ProgressReport)).one()
    assert (report.value, report.reporter, report.evidence_name) == (Decimal(101), "qy", "名单.pdf")
    assert {f.report_id for f in office.scalars(select(EvidenceFile))} == {report.id}
    with pytest.raises(LedgerError, match="已采纳"):
        withdraw(office, sub.id)
    target = close(office, target_id=2, note="已完成", as_of=date(2024, 12, 31))
    assert target.closed_by == "sup"
    with pytest.raises(LedgerError, match="closed"):
        submit(office, target_id=2, as_of="2024-07-31", value="120", today=TODAY)
    steps = [a.details.get("reason") for a in office.scalars(
        select(AuditLog).where(AuditLog.entity.in_(("submissions", "targets"))).order_by(AuditLog.id))]
    assert [s for s in steps if s] == ["报送: return", "报送: correct", "报送: accept", "报送: close"]


def test_a_submission_in_1500yi_and_closing_needs_completion(office: Session) -> None:
    sub = submit(office, target_id=1, as_of="2024-06-30", value="1500亿", auto_accept=True, today=TODAY)
    assert sub.state == "accepted" and sub.report is not None
    assert sub.report.value == Decimal("150000000000")
    with pytest.raises(LedgerError, match="not completed"):
        close(office, target_id=1, as_of=date(2024, 7, 1))


def test_a_task_report_reaches_milestones_and_finishes_it(office: Session) -> None:
    task = create_task(office, title="建成", lead="清苑", deadline=date(2024, 12, 31),
                       milestones=[("开工", date(2024, 6, 30))], starts_on=date(2024, 1, 1))
    with pytest.raises(LedgerError, match="names a milestone"):
        submit(office, task_id=task.id, as_of="2024-06-30", today=TODAY)
    first = submit(office, task_id=task.id, milestone_id=task.milestones[0].id,
                   as_of="2024-06-20", today=TODAY)
    withdraw(office, first.id)
    assert first.state == "withdrawn" and task.milestones[0].done_on is None
    again = submit(office, task_id=task.id, milestone_id=task.milestones[0].id,
                   as_of="2024-06-20", today=TODAY)
    accept(office, again.id, today=TODAY)
    assert task.milestones[0].done_on == date(2024, 6, 20)
    with pytest.raises(LedgerError, match="not finished"):
        close(office, task_id=task.id, as_of=date(2024, 11, 1))
    done = submit(office, task_id=task.id, completed=True, as_of="2024-11-01", note="已建成",
                  auto_accept=True, today=TODAY)
    assert done.state == "accepted" and task.done_on == date(2024, 11, 1)
    close(office, task_id=task.id, as_of=date(2024, 11, 2))
    assert task.closed_at is not None


def test_evidence_files_live_and_die_with_their_transaction(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Files written for a report are removed with their folders when its transaction does
    not commit (a refused report); a savepoint rolled back or committed inside it changes
    nothing; committed files stay."""
    from taizhang.ledger import session_scope
    from taizhang.ledger.workflow import evidence_name

    folder = tmp_path / "evidence"

    def stored() -> list[Path]:
        return sorted(p for p in folder.rglob("*")) if folder.exists() else []

    with session_scope(engine, actor="sup") as s:
        store_document(s, text="报告", source="a", date=date(2024, 1, 20),
                       meta={"region": "河北省保定市"}, targets=[make_target("高企", "100", subject="保定")])
    with pytest.raises(LedgerError, match="not plausible"), session_scope(engine, actor="sup") as s:
        submit(s, target_id=1, as_of="2024-06-30", value="5亿", auto_accept=True, today=TODAY,
               files=[Upload("..", io.BytesIO(b"x"))], evidence_dir=folder)
    assert stored() == []
    with session_scope(engine, actor="sup") as s:
        sub = submit(s, target_id=1, as_of="2024-06-30", value="60", today=TODAY,
                     files=[Upload("..\\名单.pdf", io.BytesIO(b"%PDF-1"))], evidence_dir=folder)
        with pytest.raises(RuntimeError), s.begin_nested():
            raise RuntimeError("a savepoint rolled back after the files were written")
        with s.begin_nested():
            pass
        assert [f.name for f in sub.files] == ["名单.pdf"]
    kept = stored()
    assert len(kept) == 2 and kept[1].name == "名单.pdf" and kept[1].read_bytes() == b"%PDF-1"
    with session_scope(engine, actor="sup") as s:  # a later transaction rolled back
        s.rollback()
    assert stored() == kept
    assert [evidence_name(n) for n in ("..", ".", "a/b.pdf", "c:\\d\\e.pdf", " x ")] == [
        "", "", "b.pdf", "e.pdf", "x"]
