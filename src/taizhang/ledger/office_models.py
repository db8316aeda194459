"""Tables of a supervision office's month: tasks without numbers, the 报送 → 审核 → 销号
workflow with its evidence files, and 催办 notices.

Kept apart from `models.py` (the extractor's targets and their history) and imported at its end,
so that `Base.metadata` always holds them.

- `Task` (重点工作任务): a commitment without a number (年底前建成…), with 牵头单位 (`unit_id`),
  配合单位 (`TaskUnit`), 责任领导, 完成时限 and 节点 (`Milestone`).
- `Submission` (报送): a reporter's progress report on a target (a value) or a task (a
  milestone reached, or the task finished), with several `EvidenceFile`s; `submitted` until
  a reviewer accepts it (then it becomes the target's `ProgressReport`) or returns it with a
  reason; the reporter may correct or withdraw it until then.
- `Reminder` (催办): one notice to one unit, with what it listed and how it went out.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from taizhang.ledger.models import Amount, Base, Document, ProgressReport, Target, Unit, UTCDateTime, utcnow


class Cycle(StrEnum):
    """Reporting cycles (报送周期): when a report on a target or task is due."""

    MONTHLY = "monthly"  # 月报
    QUARTERLY = "quarterly"  # 季报
    HALF_YEARLY = "half_yearly"  # 半年报
    ANNUAL = "annual"  # 年报


class SubmissionState(StrEnum):
    SUBMITTED = "submitted"  # 待审核
    ACCEPTED = "accepted"  # 已采纳
    RETURNED = "returned"  # 已退回 (with a reason; the reporter corrects and resubmits)
    WITHDRAWN = "withdrawn"  # 已撤回 by the reporter before review


class Task(Base):
    """A 重点工作任务: done or not by a date, no quantity."""

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)  # 任务内容, as the office writes it
    detail: Mapped[str | None] = mapped_column(Text)  # 具体要求 / 工作措施
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)  # 牵头单位
    lead_text: Mapped[str | None] = mapped_column(String(200))  # 牵头单位 as written
    leader: Mapped[str | None] = mapped_column(String(100))  # 责任领导
    deadline: Mapped[date | None] = mapped_column(Date, index=True)  # 完成时限
    deadline_text: Mapped[str | None] = mapped_column(String(100))  # 长期坚持, 持续推进…
    report_cycle: Mapped[str | None] = mapped_column(String(16))  # a Cycle value
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    quote: Mapped[str] = mapped_column(Text, default="")  # the row or sentence it came from
    quote_start: Mapped[int] = mapped_column(Integer, default=0)
    quote_end: Mapped[int] = mapped_column(Integer, default=0)
    starts_on: Mapped[date | None] = mapped_column(Date)  # when it counts from (default: created)
    done_on: Mapped[date | None] = mapped_column(Date)  # finished (an accepted report said so)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # 销号
    closed_by: Mapped[str | None] = mapped_column(String(100))
    close_note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    lead: Mapped[Unit | None] = relationship()
    document: Mapped[Document | None] = relationship()
    support: Mapped[list[TaskUnit]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskUnit.id"
    )
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="task", cascade="all, delete-orphan",
        order_by="(Milestone.due, Milestone.position, Milestone.id)",
    )


class TaskUnit(Base):
    """A 配合单位 of a task."""

    __tablename__ = "task_units"
    __table_args__ = (UniqueConstraint("task_id", "unit_id", name="uq_task_units_task_unit"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)

    task: Mapped[Task] = relationship(back_populates="support")
    unit: Mapped[Unit] = relationship()


class Milestone(Base):
    """A 节点 of a task: what is to be reached by when, and when it was."""

    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(Text)
    due: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer, default=0)

    task: Mapped[Task] = relationship(back_populates="milestones")


class Submission(Base):
    """A progress report on its way through 报送 → 审核 (see the module docstring)."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int | None] = mapped_column(
        ForeignKey("targets.id", ondelete="CASCADE"), index=True
    )
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestones.id", ondelete="SET NULL")
    )
    as_of: Mapped[date] = mapped_column(Date)
    value: Mapped[Decimal | None] = mapped_column(Amount)  # base units, as the target stores
    value_text: Mapped[str | None] = mapped_column(String(100))  # as typed: 1500亿
    completed: Mapped[bool] = mapped_column(Boolean, default=False)  # a task reported finished
    note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default=SubmissionState.SUBMITTED.value, index=True)
    submitted_by: Mapped[str | None] = mapped_column(String(100))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_note: Mapped[str | None] = mapped_column(Text)  # the reason of a return
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_reports.id", ondelete="SET NULL")
    )

    target: Mapped[Target | None] = relationship()
    task: Mapped[Task | None] = relationship()
    milestone: Mapped[Milestone | None] = relationship()
    report: Mapped[ProgressReport | None] = relationship()
    files: Mapped[list[EvidenceFile]] = relationship(
        back_populates="submission", order_by="EvidenceFile.id"
    )


class EvidenceFile(Base):
    """A 佐证材料 file: of a submission, and of the report it became once accepted."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_reports.id", ondelete="SET NULL"), index=True
    )
    path: Mapped[str] = mapped_column(String(1000))  # where it is stored
    name: Mapped[str] = mapped_column(String(300))  # its original name
    size: Mapped[int] = mapped_column(Integer, default=0)
    uploaded_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submission: Mapped[Submission | None] = relationship(back_populates="files")


class Reminder(Base):
    """One 催办 notice to one unit: the items it listed and how it went out."""

    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    as_of: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_by: Mapped[str | None] = mapped_column(String(100))
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)  # e-mail addresses
    mailed: Mapped[bool] = mapped_column(Boolean, default=False)
    error: Mapped[str | None] = mapped_column(Text)  # why the mail did not go out

    unit: Mapped[Unit] = relationship()
