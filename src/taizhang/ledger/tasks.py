"""Tasks without numbers (重点工作任务): create, assign, milestones, status.

Most of a 督查台账 is work with no quantity: 年底前建成…, 6月底前完成…, each with a 牵头单位
(lead), 配合单位 (support), a 责任领导, a 完成时限 and 节点 (milestones). A task's status on a
date, in the same vocabulary as a target's (so views, the league table and exports take both):

    achieved      finished (an accepted report said so) on or before the date
    not_yet_due   the date is before the task starts
    overdue       past its 完成时限 and not finished (red)
    behind        a milestone is past its date and not reached (yellow)
    on_track      otherwise (green)

`task_status` is that rule, the one implementation of it: `status_of_task` applies it to a
loaded task, `taizhang.track.tasks.iter_task_statuses` to every task of the ledger (for the
league table) from one query of the facts it reads.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from taizhang.errors import LedgerError, NotFound
from taizhang.ledger.values import parse_id
from taizhang.ledger.models import Unit
from taizhang.ledger.office_models import Cycle, Milestone, Task, TaskUnit
from taizhang.ledger.units import ensure_unit
from taizhang.ledger.values import parse_date

CYCLE_LABELS = {"monthly": "月报", "quarterly": "季报", "half_yearly": "半年报", "annual": "年报"}
TASK_STATUSES = ("achieved", "on_track", "behind", "overdue", "not_yet_due")

_FULL = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_MONTH_DAY = re.compile(r"^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:前|之前|以前)?(?:完成)?$")
_MONTH = re.compile(r"^(?:(\d{4})年)?(\d{1,2})月(?:份)?(?:底|末|中旬|下旬|上旬)?(?:前|之前|以前)?(?:完成)?$")
_YEAR = re.compile(r"^(?:(\d{4})年)?(?:年)?(?:底|末|内|年底|年末)(?:前|之前)?(?:完成)?$")
_HALF = re.compile(r"^(?:(\d{4})年)?(上半年|下半年)(?:前|内)?(?:完成)?$")
_QUARTER = re.compile(r"^(?:(\d{4})年)?(?:第?([一二三四1-4])季度)(?:末|底)?(?:前|内)?(?:完成)?$")
_SEPARATORS = re.compile(r"[；;\n]+")
_LEADING_DATE = re.compile(
    r"^\s*((?:\d{4}年)?(?:\d{1,2}月(?:\d{1,2}日)?|上半年|下半年|第?[一二三四1-4]季度|年底|年末)"
    r"(?:底|末|中旬|下旬|上旬)?(?:前|之前|以前)?)[，,：:\s]*(.+)$"
)


def parse_cycle(raw: str | None) -> str | None:
    """月报/monthly, 季报/quarterly, 半年报/half_yearly, 年报/annual; '' or 不定期 → None."""
    text = (raw or "").strip()
    if text in ("", "不定期", "none", "无"):
        return None
    for value, label in CYCLE_LABELS.items():
        if text in (value, label, label.removesuffix("报"), label.removesuffix("报") + "度"):
            return value
    if text in ("每月", "按月"):
        return Cycle.MONTHLY.value
    if text in ("每季度", "按季度", "季度"):
        return Cycle.QUARTERLY.value
    if text in ("每年", "按年", "年度"):
        return Cycle.ANNUAL.value
    raise LedgerError(f"报送周期 {raw!r}: use 月报, 季报, 半年报, 年报 (or monthly, quarterly…)")


def parse_deadline(raw: Any, *, year: int) -> tuple[date | None, str | None]:
    """A 完成时限 as offices write it → (date, None), or (None, the words) when it is no date.

    >>> parse_deadline("6月底前", year=2024)
    (datetime.date(2024, 6, 30), None)
    >>> parse_deadline("2025年底", year=2024), parse_deadline("长期坚持", year=2024)
    ((datetime.date(2025, 12, 31), None), (None, '长期坚持'))
    """
    if raw is None or raw == "":
        return None, None
    if isinstance(raw, date):
        return (raw.date() if hasattr(raw, "hour") else raw), None  # a datetime cell
    text = "".join(unicodedata.normalize("NFKC", str(raw)).split())
    if m := _FULL.match(text):
        try:
            return date(int(m[1]), int(m[2]), int(m[3])), None
        except ValueError:
            return None, text
    if m := _MONTH_DAY.match(text):
        try:
            return date(int(m[1] or year), int(m[2]), int(m[3])), None
        except ValueError:
            return None, text
    if m := _MONTH.match(text):
        if 1 <= int(m[2]) <= 12:
            return parse_date(f"{m[1] or year}-{int(m[2]):02d}"), None
    if m := _YEAR.match(text):
        return date(int(m[1] or year), 12, 31), None
    if m := _HALF.match(text):
        y = int(m[1] or year)
        return (date(y, 6, 30) if m[2] == "上半年" else date(y, 12, 31)), None
    if m := _QUARTER.match(text):
        q = "一二三四".find(m[2]) + 1 if m[2] in "一二三四" else int(m[2])
        return parse_date(f"{m[1] or year}-{q * 3:02d}"), None
    return None, text


def parse_milestones(raw: Any, *, year: int) -> list[tuple[str, date | None]]:
    """节点 as one cell: "3月底前完成立项；6月底前开工；年底前建成" → three milestones."""
    found = []
    for part in _SEPARATORS.split(str(raw or "")):
        part = part.strip(" 。，,")
        if not part:
            continue
        m = _LEADING_DATE.match(part)
        due = parse_deadline(m[1], year=year)[0] if m else None
        found.append((part, due))
    return found


def create_task(
    session: Session,
    *,
    title: str,
    lead: str | None,
    support: Iterable[str] = (),
    leader: str | None = None,
    deadline: date | str | None = None,
    milestones: Sequence[tuple[str, date | str | None]] = (),
    report_cycle: str | None = None,
    detail: str | None = None,
    starts_on: date | None = None,
    document_id: int | None = None,
    quote: str = "",
    quote_span: tuple[int, int] = (0, 0),
) -> Task:
    """A new task; units are named (牵头 `lead`, 配合 `support`) and must exist (ledger or
    gazetteer): an unknown name is refused with the command that adds it."""
    title = (title or "").strip()
    if not title:
        raise LedgerError("a task needs its content (任务内容)")
    today = date.today()
    due, words = (parse_deadline(deadline, year=(starts_on or today).year)
                  if not isinstance(deadline, date) else (deadline, None))
    task = Task(
        title=title, detail=(detail or "").strip() or None, leader=(leader or "").strip() or None,
        deadline=due, deadline_text=words, report_cycle=parse_cycle(report_cycle),
        starts_on=starts_on or today, document_id=document_id, quote=quote or title,
        quote_start=quote_span[0], quote_end=quote_span[1],
        created_by=str(session.info.get("actor") or "system"),
    )
    if lead:
        task.lead, task.lead_text = ensure_unit(session, lead), lead.strip()
    session.add(task)
    session.flush()
    set_support(session, task, support)
    for position, (name, when) in enumerate(milestones):
        add_milestone(session, task, title=name, due=when, position=position)
    session.flush()
    return task


def set_support(session: Session, task: Task, names: Iterable[str]) -> None:
    """Replace the 配合单位 of a task."""
    wanted: list[Unit] = []
    for name in names:
        if name and name.strip():
            unit = ensure_unit(session, name.strip())
            if unit not in wanted and unit.id != task.unit_id:
                wanted.append(unit)
    for link in list(task.support):
        if link.unit not in wanted:
            task.support.remove(link)
    have = {link.unit_id for link in task.support}
    for unit in wanted:
        if unit.id not in have:
            task.support.append(TaskUnit(unit=unit))
    session.flush()


def add_milestone(session: Session, task: Task, *, title: str, due: date | str | None,
                  position: int | None = None) -> Milestone:
    when = due if isinstance(due, date) or due is None else parse_deadline(
        due, year=(task.starts_on or date.today()).year)[0]
    milestone = Milestone(title=title.strip(), due=when,
                          position=len(task.milestones) if position is None else position)
    task.milestones.append(milestone)
    session.flush()
    return milestone


def get_task(session: Session, task_id: int | str) -> Task:
    text = str(task_id).strip().lstrip("#")
    task = session.get(Task, number) if (number := parse_id(text)) is not None else None
    if task is None:
        raise NotFound(f"no task {task_id} in the ledger (see taizhang tasks list)")
    return task


def assign_task(session: Session, task_id: int | str, *, lead: str | None = None,
                support: Iterable[str] | None = None, leader: str | None = None,
                deadline: date | str | None = None, report_cycle: str | None = None) -> Task:
    """Change who does a task and by when (each argument given replaces the current value)."""
    task = get_task(session, task_id)
    if lead:
        task.lead, task.lead_text = ensure_unit(session, lead), lead.strip()
    if support is not None:
        set_support(session, task, support)
    if leader is not None:
        task.leader = leader.strip() or None
    if deadline is not None:
        task.deadline, task.deadline_text = (
            (deadline, None) if isinstance(deadline, date)
            else parse_deadline(deadline, year=(task.starts_on or date.today()).year))
    if report_cycle is not None:
        task.report_cycle = parse_cycle(report_cycle)
    session.flush()
    return task


def task_status(as_of: date, *, done_on: date | None, starts_on: date | None,
                deadline: date | None, milestone_missed: bool) -> str:
    """The status of a task on `as_of` (module docstring); `milestone_missed`: a 节点 is past
    its date and was not reached by `as_of`.

    >>> task_status(date(2024, 7, 1), done_on=None, starts_on=date(2024, 1, 1),
    ...             deadline=date(2024, 6, 30), milestone_missed=False)
    'overdue'
    """
    if done_on is not None and done_on <= as_of:
        return "achieved"
    if starts_on is not None and as_of < starts_on:
        return "not_yet_due"
    if deadline is not None and deadline < as_of:
        return "overdue"
    if milestone_missed:
        return "behind"
    return "on_track"


def milestone_missed(due: date | None, done_on: date | None, as_of: date) -> bool:
    """A 节点 whose date has passed on `as_of` without it being reached by then."""
    return due is not None and due < as_of and (done_on is None or done_on > as_of)


def status_of_task(task: Task, as_of: date) -> str:
    """The status of one loaded task on `as_of` (`task_status`)."""
    return task_status(as_of, done_on=task.done_on, starts_on=task.starts_on,
                       deadline=task.deadline,
                       milestone_missed=any(milestone_missed(m.due, m.done_on, as_of)
                                            for m in task.milestones))


def list_tasks(session: Session, *, unit_ids: Iterable[int] | None = None,
               include_closed: bool = True, text: str | None = None) -> list[Task]:
    """Tasks (with lead, support and milestones loaded), by deadline; `unit_ids` keeps tasks
    led by or supported by one of those units."""
    query = (select(Task).options(selectinload(Task.lead), selectinload(Task.milestones),
                                  selectinload(Task.support).selectinload(TaskUnit.unit))
             .order_by(Task.deadline.is_(None), Task.deadline, Task.id))
    if unit_ids is not None:
        ids = list(unit_ids)
        supported = select(TaskUnit.task_id).where(TaskUnit.unit_id.in_(ids))
        query = query.where(Task.unit_id.in_(ids) | Task.id.in_(supported))
    if not include_closed:
        query = query.where(Task.closed_at.is_(None))
    if text:
        query = query.where(Task.title.contains(text.strip()))
    return list(session.scalars(query))


