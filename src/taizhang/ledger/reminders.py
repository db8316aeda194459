"""催办: what each unit owes on a date, a Word notice per unit, and the e-mail that carries it.

Per unit (a target's unit, a task's 牵头单位), its open items (not closed, not rejected) that are:

- 逾期未报 `missing`: a report was due by its cycle (`ledger.cycles`) and none came;
- 临期 `due_soon`: the next report is due within `soon_days` and has not come yet;
- 滞后 / 严重滞后 `behind` / `seriously_behind`: behind the schedule (track's status);
- 逾期 `overdue`: past the deadline and not reached (track's status, or a task's).

`send_reminders` writes one notice per unit (python-docx), mails it to the unit's users with
an e-mail address when SMTP is configured (`SmtpSettings.from_env`), and logs every 催办 as a
`Reminder` (and in the audit log).
"""

from __future__ import annotations

import io
import os
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from taizhang.ledger import audit
from taizhang.ledger.amounts import format_amount
from taizhang.ledger.cycles import GRACE_DAYS, due_state
from taizhang.ledger.models import ProgressReport, ReviewState, Target, Unit, User
from taizhang.ledger.office_models import Reminder, Submission
from taizhang.ledger.tasks import list_tasks, status_of_task

REASONS = {
    "missing": "逾期未报",
    "due_soon": "临期",
    "behind": "滞后",
    "seriously_behind": "严重滞后",
    "overdue": "逾期未完成",
}
SENT = ("submitted", "accepted")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True, slots=True)
class LateItem:
    kind: str  # target or task
    id: int
    title: str
    reason: str  # a REASONS key
    due: date | None  # the report's due date, or the deadline
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "title": self.title, "reason": self.reason,
                "due": self.due.isoformat() if self.due else None, "detail": self.detail}


@dataclass
class UnitDue:
    unit: Unit
    items: list[LateItem] = field(default_factory=list)

    def count(self, reason: str) -> int:
        return sum(i.reason == reason for i in self.items)


def late_items(session: Session, as_of: date, *, soon_days: int = 7,
               grace_days: int = GRACE_DAYS, unit_ids: list[int] | None = None) -> list[UnitDue]:
    """Units with something to chase on `as_of`, those with most 逾期未报 first."""
    from taizhang.track.status import compute_statuses

    by_unit: dict[int, UnitDue] = {}
    units = {u.id: u for u in session.scalars(select(Unit))}

    def add(unit_id: int | None, item: LateItem) -> None:
        if unit_id is None or (unit_ids is not None and unit_id not in unit_ids):
            return
        by_unit.setdefault(unit_id, UnitDue(units[unit_id])).items.append(item)

    statuses = {s.target_id: s.status.value for s in compute_statuses(session, as_of)}
    reported = _report_days(session)
    targets = session.scalars(
        select(Target).options(selectinload(Target.document))
        .where(Target.review_state != ReviewState.REJECTED.value, Target.closed_at.is_(None)))
    for t in targets:
        title = f"{t.indicator} {format_amount(t.value, t.value_text, t.unit)}"
        start = t.document.date or t.created_at.date()
        state = due_state(t.report_cycle, start, t.deadline, reported[("target", t.id)], as_of,
                          grace_days=grace_days)
        _chase(add, "target", t.id, t.unit_id, title, state, as_of, soon_days,
               statuses.get(t.id), t.deadline)
    for task in list_tasks(session, include_closed=False):
        start = task.starts_on or task.created_at.date()
        state = due_state(task.report_cycle, start, task.deadline, reported[("task", task.id)],
                          as_of, grace_days=grace_days)
        _chase(add, "task", task.id, task.unit_id, task.title, state, as_of, soon_days,
               status_of_task(task, as_of), task.deadline)
    found = [u for u in by_unit.values() if u.items]
    return sorted(found, key=lambda u: (-u.count("missing"), -len(u.items), u.unit.name))


def _chase(add: Any, kind: str, item_id: int, unit_id: int | None, title: str, state: Any,
           as_of: date, soon_days: int, status: str | None, deadline: date | None) -> None:
    if state.missing is not None:
        add(unit_id, LateItem(kind, item_id, title, "missing", state.missing,
                              f"应于{state.missing.isoformat()}前报送"))
    elif state.next_due is not None and not state.next_covered and (
            state.next_due - as_of).days <= soon_days:
        add(unit_id, LateItem(kind, item_id, title, "due_soon", state.next_due,
                              f"请于{state.next_due.isoformat()}前报送"))
    if status in ("behind", "seriously_behind", "overdue"):
        add(unit_id, LateItem(kind, item_id, title, status, deadline,
                              f"完成时限{deadline.isoformat()}" if deadline else ""))


def _report_days(session: Session) -> defaultdict[tuple[str, int], list[date]]:
    """As-of dates of the reports each target and task has (accepted, or sent for review)."""
    days: defaultdict[tuple[str, int], list[date]] = defaultdict(list)
    for tid, day in session.execute(select(ProgressReport.target_id, ProgressReport.as_of)):
        days[("target", tid)].append(day)
    for tid, task_id, day in session.execute(
            select(Submission.target_id, Submission.task_id, Submission.as_of)
            .where(Submission.state.in_(SENT))):
        days[("target", tid) if tid is not None else ("task", task_id)].append(day)
    return days


def notice_docx(due: UnitDue, as_of: date, *, office: str = "督查室") -> bytes:
    """The 催办 notice of one unit as a Word file."""
    from docx import Document as WordDocument

    doc = WordDocument()
    doc.add_heading("督查催办通知", level=1)
    doc.add_paragraph(f"{due.unit.full_name or due.unit.name}：")
    doc.add_paragraph(
        f"截至{as_of.year}年{as_of.month}月{as_of.day}日，你单位牵头的下列事项需要抓紧办理，"
        "请按要求报送进展并附佐证材料。")
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("序号", "事项", "情况", "时限"), strict=True):
        cell.text = text
    for n, item in enumerate(due.items, start=1):
        row = table.add_row().cells
        row[0].text, row[1].text = str(n), f"{'任务' if item.kind == 'task' else '目标'}#{item.id} {item.title}"
        row[2].text, row[3].text = REASONS[item.reason], item.detail or "—"
    doc.add_paragraph(f"{office}　{as_of.isoformat()}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """Where 催办 mails go out: TAIZHANG_SMTP_HOST (required to send), _PORT (25), _USER,
    _PASSWORD, _FROM (taizhang@localhost), _STARTTLS (false)."""

    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    sender: str = "taizhang@localhost"
    starttls: bool = False

    @classmethod
    def from_env(cls) -> SmtpSettings | None:
        host = os.environ.get("TAIZHANG_SMTP_HOST")
        if not host:
            return None
        return cls(host=host, port=int(os.environ.get("TAIZHANG_SMTP_PORT") or 25),
                   user=os.environ.get("TAIZHANG_SMTP_USER") or None,
                   password=os.environ.get("TAIZHANG_SMTP_PASSWORD") or None,
                   sender=os.environ.get("TAIZHANG_SMTP_FROM") or "taizhang@localhost",
                   starttls=(os.environ.get("TAIZHANG_SMTP_STARTTLS") or "").lower() in ("1", "true", "yes"))


def send_reminders(session: Session, *, as_of: date, unit_ids: list[int] | None = None,
                   smtp: SmtpSettings | None = None, office: str = "督查室",
                   soon_days: int = 7) -> list[tuple[Reminder, bytes]]:
    """One notice per unit with late items (all such units, or those of `unit_ids`); mailed when
    `smtp` is given and the unit has users with an e-mail address. Every notice is logged."""
    sent = []
    for due in late_items(session, as_of, soon_days=soon_days, unit_ids=unit_ids):
        data = notice_docx(due, as_of, office=office)
        recipients = sorted({u.email for u in session.scalars(select(User).where(
            User.unit_id == due.unit.id, User.active.is_(True), User.email.is_not(None))) if u.email})
        reminder = Reminder(unit_id=due.unit.id, as_of=as_of, sent_by=audit.actor_of(session),
                            items=[i.to_json() for i in due.items], recipients=recipients)
        if smtp is not None and recipients:
            try:
                _mail(smtp, recipients, due, as_of, data, office)
                reminder.mailed = True
            except (OSError, smtplib.SMTPException) as err:
                reminder.error = f"{type(err).__name__}: {err}"
        elif smtp is not None:
            reminder.error = "no user of this unit has an e-mail address"
        session.add(reminder)
        session.flush()
        sent.append((reminder, data))
    return sent


def _mail(smtp: SmtpSettings, recipients: list[str], due: UnitDue, as_of: date, data: bytes,
          office: str) -> None:
    message = EmailMessage()
    message["Subject"] = f"督查催办：{due.unit.name}（截至{as_of.isoformat()}）"
    message["From"], message["To"] = smtp.sender, ", ".join(recipients)
    lines = [f"{i + 1}. {REASONS[item.reason]}：{item.title}（{item.detail or '—'}）"
             for i, item in enumerate(due.items)]
    message.set_content(f"{due.unit.name}：\n\n" + "\n".join(lines) + f"\n\n{office}")
    message.add_attachment(data, maintype="application", subtype=DOCX.split("/", 1)[1],
                           filename=f"催办通知-{due.unit.name}-{as_of.isoformat()}.docx")
    with smtplib.SMTP(smtp.host, smtp.port, timeout=30) as client:
        if smtp.starttls:
            client.starttls()
        if smtp.user:
            client.login(smtp.user, smtp.password or "")
        client.send_message(message)


def reminder_log(session: Session, *, limit: int = 200) -> list[Reminder]:
    return list(session.scalars(select(Reminder).options(selectinload(Reminder.unit))
                                .order_by(Reminder.id.desc()).limit(limit)))

