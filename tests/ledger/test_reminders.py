"""催办 (issue 8, item 9): what is late per unit, the Word notice, the mail (to a real local SMTP
server, aiosmtpd on 127.0.0.1), and the log."""

from __future__ import annotations

import email
import io
import socket
from collections.abc import Iterator
from datetime import date
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from docx import Document as WordDocument
from sqlalchemy import select
from sqlalchemy.orm import Session

from taizhang.ledger.cycles import due_state
from taizhang.ledger.ingest import store_document
from taizhang.ledger.models import AuditLog, Target, User
from taizhang.ledger.office_models import Reminder
from taizhang.ledger.tasks import create_task
from taizhang.ledger.testing import make_target
from taizhang.ledger.reminders import SmtpSettings, late_items, send_reminders
from taizhang.ledger.workflow import submit

AS_OF = date(2024, 7, 10)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos),  # type: ignore[attr-defined]
                              email.message_from_bytes(envelope.content)))  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[SmtpSettings, Inbox]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpSettings(host="127.0.0.1", port=port, sender="dcs@example.org"), inbox
    finally:
        controller.stop()


@pytest.fixture
def ledger(session: Session) -> Session:
    store_document(session, text="保定报告", source="a", date=date(2024, 1, 20),
                   meta={"region": "河北省保定市"},
                   targets=[make_target("高企", "100", subject="清苑"),
                            make_target("项目", "10", subject="高阳县"),
                            make_target("投资", "5", subject="易县")])
    for target in session.scalars(select(Target)):
        target.report_cycle = "quarterly"
    create_task(session, title="建成城市大脑", lead="清苑", deadline=date(2024, 6, 30),
                starts_on=date(2024, 1, 20))
    submit(session, target_id=2, as_of="2024-06-30", value="6", today=AS_OF)  # 高阳 reported
    session.add_all([User(username="qy", password_hash="x", role="reporter", email="qy@example.org",
                          unit_id=session.scalars(select(Target.unit_id).where(Target.id == 1)).one()),
                     User(username="qy2", password_hash="x", role="reporter", email=None,
                          unit_id=session.scalars(select(Target.unit_id).where(Target.id == 1)).one())])
    session.flush()
    return session


def test_late_items_per_unit(ledger: Session) -> None:
    found = {u.unit.name: sorted((i.kind, i.id, i.reason) for i in u.items)
             for u in late_items(ledger, AS_OF)}
    assert found == {
        "清苑": [("target", 1, "missing"), ("task", 1, "overdue")],
        "易县": [("target", 3, "missing")],
    }
    submit(ledger, target_id=3, as_of="2024-03-31", value="1", today=AS_OF)  # 易县's Q1
    soon = {u.unit.name: [i.reason for i in u.items]
            for u in late_items(ledger, date(2024, 6, 30), soon_days=7)}
    # 高阳 has sent its Q2 report; 易县's is due on 5 July (临期); 清苑 missed Q1
    assert soon == {"清苑": ["missing"], "易县": ["due_soon"]}


def test_due_state_of_cycles() -> None:
    state = due_state("monthly", date(2024, 1, 20), date(2024, 12, 31), [date(2024, 5, 31)],
                      date(2024, 7, 8))
    assert (state.missing, state.next_due) == (date(2024, 7, 5), date(2024, 8, 5))
    assert due_state(None, date(2024, 1, 1), None, [], AS_OF).missing is None


def test_send_reminders_writes_word_mails_and_logs(ledger: Session, smtp: tuple[SmtpSettings, Inbox]) -> None:
    settings, inbox = smtp
    ledger.info["actor"] = "sup"
    sent = send_reminders(ledger, as_of=AS_OF, smtp=settings)
    by_unit = {r.unit.name: (r, data) for r, data in sent}
    assert set(by_unit) == {"清苑", "易县"}
    reminder, data = by_unit["清苑"]
    assert (reminder.mailed, reminder.recipients, reminder.sent_by) == (True, ["qy@example.org"], "sup")
    word = WordDocument(io.BytesIO(data))
    text = "\n".join(p.text for p in word.paragraphs)
    cells = [c.text for row in word.tables[0].rows for c in row.cells]
    assert "督查催办通知" in text and "清苑区" in text and "逾期未报" in cells and "逾期未完成" in cells
    assert by_unit["易县"][0].mailed is False and by_unit["易县"][0].recipients == []
    assert len(inbox.messages) == 1
    to, message = inbox.messages[0]
    assert to == ["qy@example.org"] and "督查催办" in str(email.header.make_header(
        email.header.decode_header(message["Subject"])))
    attachments = [p.get_filename() for p in message.walk() if p.get_filename()]
    assert attachments == ["催办通知-清苑-2024-07-10.docx"]
    assert len(ledger.scalars(select(Reminder)).all()) == 2
    assert {a.entity for a in ledger.scalars(select(AuditLog).where(AuditLog.actor == "sup"))} >= {"reminders"}


def test_a_failing_mail_server_is_logged_not_raised(ledger: Session) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    sent = send_reminders(ledger, as_of=AS_OF, smtp=SmtpSettings(host="127.0.0.1", port=dead),
                          unit_ids=None)
    qingyuan = next(r for r, _ in sent if r.unit.name == "清苑")
    assert qingyuan.mailed is False and "ConnectionRefusedError" in (qingyuan.error or "")


def test_the_bulletin_lists_the_league_and_the_red_items(ledger: Session) -> None:
    from taizhang.ledger.bulletin import bulletin_docx

    word = WordDocument(io.BytesIO(bulletin_docx(ledger, AS_OF, office="保定市督查室")))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "目标任务督查通报" in text and "截至2024年7月10日" in text and "保定市督查室" in text
    assert "清苑：建成城市大脑（时限2024-06-30），逾期未完成。" in text
    assert "清苑（1项）" in text and "易县（1项）" in text  # 逾期未报
    league = [[c.text for c in row.cells] for row in word.tables[0].rows]
    assert league[0] == ["名次", "单位", "担当指数", "目标任务数", "未报送", "红灯"]
    assert {r[1] for r in league[1:]} == {"清苑", "高阳", "易县"}
    assert next(r for r in league[1:] if r[1] == "清苑")[3] == "2"  # a target and a task
