"""报送 → 审核 → 销号: a reporter submits, a supervisor accepts or returns, a finished item is closed.

- `submit`: a progress report on a target (a value as typed: 1500亿) or on a task (a milestone
  reached, or the task finished), with a note and any number of evidence files. Reports by
  reviewers (admin, supervisor) are accepted at once (`auto_accept`); a reporter's wait.
- `correct` / `withdraw`: the reporter changes or takes back his report until it is accepted
  (a returned report, corrected, is submitted again).
- `accept`: the report becomes the target's progress report of that date (`record_progress`:
  one per date) or the task's milestone/completion; `send_back` returns it with a reason.
- `close` (销号): a reviewer closes a target that has reached its value or a finished task.

Every step is audited: the session listener logs each change with the step as its reason.
"""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import Session, SessionTransaction

from taizhang.errors import LedgerError, NotFound
from taizhang.ledger.values import parse_id
from taizhang.ledger.amounts import parse_amount
from taizhang.ledger.models import ProgressReport, ReviewState, Target
from taizhang.ledger.office_models import EvidenceFile, Milestone, Submission, SubmissionState, Task
from taizhang.ledger.progress import record_progress
from taizhang.ledger.repository import get_target
from taizhang.ledger.tasks import get_task, status_of_task
from taizhang.ledger.values import parse_date

OPEN = (SubmissionState.SUBMITTED.value, SubmissionState.RETURNED.value)
STATE_LABELS = {"submitted": "待审核", "accepted": "已采纳", "returned": "已退回", "withdrawn": "已撤回"}
_SAFE_NAME = re.compile(r"[^\w.\-]+")


@dataclass(frozen=True, slots=True)
class Upload:
    """An evidence file on its way in: its original name and its bytes."""

    name: str
    stream: BinaryIO


def evidence_name(name: str) -> str:
    """The last part of an uploaded file's name, whichever separator the client used; a name
    of dots only (`.`, `..`) or nothing is no name."""
    base = re.split(r"[/\\]", name or "")[-1].strip()
    return "" if not base.strip(".") else base


def store_evidence(folder: Path, upload: Upload) -> tuple[Path, int]:
    """Copy an uploaded file under `folder` with a unique, safe name; (path, size). Nothing
    is left behind if the copy fails."""
    safe = _SAFE_NAME.sub("_", evidence_name(upload.name)).strip("._")[-120:] or "evidence"
    target = folder / uuid.uuid4().hex / safe
    target.parent.mkdir(parents=True)
    try:
        with target.open("wb") as out:
            shutil.copyfileobj(upload.stream, out)
    except BaseException:
        shutil.rmtree(target.parent, ignore_errors=True)
        raise
    return target, target.stat().st_size


_WRITTEN = "evidence_written"  # session.info key: folders stored in the open transaction


def _keep_written(session: Session) -> None:
    """The transaction committed (the outermost one: a savepoint's commit is not the end)."""
    if session.get_nested_transaction() is None:
        session.info.pop(_WRITTEN, None)


def _discard_written(session: Session, transaction: SessionTransaction) -> None:
    """The outermost transaction ended without committing the files' rows (rolled back, or the
    session closed): remove them, so a refused report leaves no file and no empty folder."""
    if transaction.parent is None:
        for folder in session.info.pop(_WRITTEN, []):
            shutil.rmtree(folder, ignore_errors=True)


def _track_written(session: Session, path: Path) -> None:
    if _WRITTEN not in session.info:
        session.info[_WRITTEN] = []
        if not event.contains(session, "after_transaction_end", _discard_written):
            event.listen(session, "after_commit", _keep_written)
            event.listen(session, "after_transaction_end", _discard_written)
    session.info[_WRITTEN].append(path.parent)


def _now() -> datetime:
    return datetime.now(UTC)


def _actor(session: Session) -> str:
    return str(session.info.get("actor") or "system")


def _reason(session: Session, step: str) -> None:
    session.info["audit_reason"] = f"报送: {step}"


def submit(
    session: Session,
    *,
    target_id: int | None = None,
    task_id: int | None = None,
    as_of: date | str,
    value: str | None = None,
    milestone_id: int | None = None,
    completed: bool = False,
    note: str | None = None,
    files: Iterable[Upload] = (),
    evidence_dir: Path | None = None,
    auto_accept: bool = False,
    today: date | None = None,
) -> Submission:
    """A new report (see the module docstring); checked before anything is stored."""
    if (target_id is None) == (task_id is None):
        raise LedgerError("a report is on one target or one task")
    when = parse_date(as_of, what="as_of")
    if when > (today or date.today()):
        raise LedgerError(f"as_of {when} is in the future")
    sub = Submission(as_of=when, note=(note or "").strip() or None, submitted_by=_actor(session),
                     state=SubmissionState.SUBMITTED.value)
    if target_id is not None:
        target = get_target(session, target_id)
        _check_open_target(target)
        if value is None or not str(value).strip():
            raise LedgerError("a report on a target needs its value (完成值)")
        sub.target_id, sub.value_text = target.id, str(value).strip()[:100]
        sub.value = parse_amount(value, unit=target.unit, value_text=target.value_text)
    else:
        task = get_task(session, task_id)  # type: ignore[arg-type]
        _check_open_task(task)
        sub.task_id, sub.completed = task.id, completed
        if milestone_id is not None:
            sub.milestone_id = _milestone(task, milestone_id).id
        if not (completed or milestone_id or sub.note):
            raise LedgerError("a report on a task names a milestone reached, says it is "
                              "finished, or says how far it got (备注)")
    _reason(session, "submit")
    session.add(sub)
    session.flush()
    attach(session, sub, files, evidence_dir)
    if auto_accept:
        accept(session, sub.id, today=today)
    session.info.pop("audit_reason", None)
    return sub


def attach(session: Session, sub: Submission, files: Iterable[Upload], folder: Path | None) -> None:
    """Store evidence files of a submission (a folder is needed once there are files)."""
    for upload in files:
        if folder is None:
            raise LedgerError("evidence files need a folder to be kept in (TAIZHANG_EVIDENCE_DIR)")
        path, size = store_evidence(folder, upload)
        _track_written(session, path)
        session.add(EvidenceFile(submission_id=sub.id, path=str(path), size=size,
                                 name=evidence_name(upload.name)[:300] or path.name,
                                 uploaded_by=_actor(session), report_id=sub.report_id))
    session.flush()


def get_submission(session: Session, submission_id: int | str) -> Submission:
    text = str(submission_id).strip().lstrip("#")
    sub = session.get(Submission, number) if (number := parse_id(text)) is not None else None
    if sub is None:
        raise NotFound(f"no report {submission_id} (see taizhang reports list)")
    return sub


def correct(session: Session, submission_id: int | str, *, value: str | None = None,
            as_of: date | str | None = None, note: str | None = None,
            files: Iterable[Upload] = (), evidence_dir: Path | None = None,
            today: date | None = None) -> Submission:
    """The reporter corrects his report before it is accepted; it is submitted again."""
    sub = get_submission(session, submission_id)
    _own_open(session, sub, "correct")
    _reason(session, "correct")
    if as_of is not None and as_of != "":
        when = parse_date(as_of, what="as_of")
        if when > (today or date.today()):
            raise LedgerError(f"as_of {when} is in the future")
        sub.as_of = when
    if value is not None and str(value).strip() and sub.target is not None:
        sub.value = parse_amount(value, unit=sub.target.unit, value_text=sub.target.value_text)
        sub.value_text = str(value).strip()[:100]
    if note is not None:
        sub.note = note.strip() or None
    sub.state, sub.review_note = SubmissionState.SUBMITTED.value, sub.review_note
    session.flush()
    attach(session, sub, files, evidence_dir)
    session.info.pop("audit_reason", None)
    return sub


def withdraw(session: Session, submission_id: int | str) -> Submission:
    """The reporter takes his report back before it is accepted."""
    sub = get_submission(session, submission_id)
    _own_open(session, sub, "withdraw")
    _reason(session, "withdraw")
    sub.state = SubmissionState.WITHDRAWN.value
    session.flush()
    session.info.pop("audit_reason", None)
    return sub


def accept(session: Session, submission_id: int | str, *, today: date | None = None) -> Submission:
    """A reviewer accepts a report: it becomes the target's progress or the task's milestone."""
    sub = get_submission(session, submission_id)
    if sub.state != SubmissionState.SUBMITTED.value:
        raise LedgerError(f"report {sub.id} is {STATE_LABELS[sub.state]}; only reports waiting "
                          "for review can be accepted")
    _reason(session, "accept")
    if sub.target is not None:
        _check_open_target(sub.target)
        first = sub.files[0] if sub.files else None
        done = record_progress(session, target_id=sub.target.id, value=sub.value,  # type: ignore[arg-type]
                               as_of=sub.as_of, note=sub.note, reporter=sub.submitted_by,
                               evidence=Path(first.path) if first else None, today=today)
        if first is not None:
            done.report.evidence_name = first.name
        sub.report_id = done.report.id
        for f in sub.files:
            f.report_id = done.report.id
    elif sub.task is not None:
        if sub.milestone is not None and sub.milestone.done_on is None:
            sub.milestone.done_on = sub.as_of
        if sub.completed:
            sub.task.done_on = sub.as_of
            for milestone in sub.task.milestones:
                milestone.done_on = milestone.done_on or sub.as_of
    sub.state, sub.reviewed_by, sub.reviewed_at = SubmissionState.ACCEPTED.value, _actor(session), _now()
    session.flush()
    session.info.pop("audit_reason", None)
    return sub


def send_back(session: Session, submission_id: int | str, *, reason: str) -> Submission:
    """A reviewer returns a report with the reason; the reporter corrects it or withdraws it."""
    sub = get_submission(session, submission_id)
    if sub.state != SubmissionState.SUBMITTED.value:
        raise LedgerError(f"report {sub.id} is {STATE_LABELS[sub.state]}; only reports waiting "
                          "for review can be returned")
    if not reason or not reason.strip():
        raise LedgerError("say why the report is returned (退回原因)")
    _reason(session, "return")
    sub.state, sub.review_note = SubmissionState.RETURNED.value, reason.strip()
    sub.reviewed_by, sub.reviewed_at = _actor(session), _now()
    session.flush()
    session.info.pop("audit_reason", None)
    return sub


def close(session: Session, *, target_id: int | None = None, task_id: int | None = None,
          note: str | None = None, as_of: date | None = None) -> Target | Task:
    """销号: close a target that has reached its value on `as_of`, or a finished task."""
    day = as_of or date.today()
    _reason(session, "close")
    item: Target | Task
    if target_id is not None:
        item = get_target(session, target_id)
        status = target_status(item, day)
        if status != "achieved":
            raise LedgerError(f"target {item.id} is not completed ({status} on {day}); only a "
                              "completed target is closed (销号)")
    else:
        item = get_task(session, task_id)  # type: ignore[arg-type]
        if status_of_task(item, day) != "achieved":
            raise LedgerError(f"task {item.id} is not finished; accept a report that says it is "
                              "finished first, then close it (销号)")
    if item.closed_at is not None:
        raise LedgerError(f"{'target' if target_id else 'task'} {item.id} is already closed")
    item.closed_at, item.closed_by, item.close_note = _now(), _actor(session), (note or "").strip() or None
    session.flush()
    session.info.pop("audit_reason", None)
    return item


def target_status(target: Target, as_of: date) -> str:
    """Track's status of one target (its per-target rules, held equal to the SQL by track)."""
    from taizhang.track.single import statuses_of_targets

    found = statuses_of_targets([target], as_of)
    return found[0].status.value if found else "not_tracked"


def pending(session: Session, *, unit_ids: Iterable[int] | None = None,
            states: Iterable[str] = (SubmissionState.SUBMITTED.value,)) -> list[Submission]:
    """Reports in the given states (default: waiting for review), oldest first."""
    query = select(Submission).where(Submission.state.in_(list(states))).order_by(Submission.id)
    if unit_ids is not None:
        ids = list(unit_ids)
        query = query.where(
            Submission.target_id.in_(select(Target.id).where(Target.unit_id.in_(ids)))
            | Submission.task_id.in_(select(Task.id).where(Task.unit_id.in_(ids))))
    return list(session.scalars(query))


# built once (every target and task page asks), the id a parameter
_REPORTS_OF_TARGET = (select(Submission).where(Submission.target_id == bindparam("id"))
                      .order_by(Submission.as_of, Submission.id))
_REPORTS_OF_TASK = (select(Submission).where(Submission.task_id == bindparam("id"))
                    .order_by(Submission.as_of, Submission.id))


def reports_of(session: Session, *, target_id: int | None = None,
               task_id: int | None = None) -> list[Submission]:
    if target_id is not None:
        return list(session.scalars(_REPORTS_OF_TARGET, {"id": target_id}))
    if task_id is not None:
        return list(session.scalars(_REPORTS_OF_TASK, {"id": task_id}))
    return list(session.scalars(select(Submission).where(Submission.task_id.is_(None))
                                .order_by(Submission.as_of, Submission.id)))


def evidence_of_report(session: Session, report: ProgressReport) -> list[EvidenceFile]:
    return list(session.scalars(select(EvidenceFile).where(EvidenceFile.report_id == report.id)
                                .order_by(EvidenceFile.id)))


def _check_open_target(target: Target) -> None:
    if target.review_state == ReviewState.REJECTED.value:
        raise LedgerError(f"target {target.id} was rejected in review; it takes no progress")
    if target.closed_at is not None:
        raise LedgerError(f"target {target.id} is closed (销号); it takes no more reports")


def _check_open_task(task: Task) -> None:
    if task.closed_at is not None:
        raise LedgerError(f"task {task.id} is closed (销号); it takes no more reports")


def _milestone(task: Task, milestone_id: int) -> Milestone:
    for milestone in task.milestones:
        if milestone.id == int(milestone_id):
            return milestone
    raise NotFound(f"task {task.id} has no milestone {milestone_id}")


def _own_open(session: Session, sub: Submission, step: str) -> None:
    if sub.state not in OPEN:
        raise LedgerError(f"report {sub.id} is {STATE_LABELS[sub.state]}; it can be changed only "
                          "until it is accepted")
    actor = _actor(session)
    if sub.submitted_by and actor != sub.submitted_by and not session.info.get("reviewer"):
        raise LedgerError(f"report {sub.id} was submitted by {sub.submitted_by}; only he can {step} it")
