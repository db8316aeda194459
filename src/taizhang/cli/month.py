"""The office's month from the command line: tasks, 报送/审核 of reports, 销号, 催办, 通报."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import click

from taizhang.cli.ledger import FORMATS, db_option, emit, ledger_session, parse_date_option
from taizhang.cli.sheets import check_writable


def _as_of(value: date | None) -> date:
    return value or date.today()


AS_OF = click.option("--as-of", "as_of", callback=parse_date_option, metavar="YYYY-MM-DD",
                     help="The 截至 date (default today).")


@click.group()
def tasks() -> None:
    """Tasks without numbers (重点工作任务): 牵头/配合单位, 责任领导, 完成时限, 节点."""


@tasks.command("add")
@click.argument("title")
@click.option("--lead", required=True, help="牵头单位.")
@click.option("--support", multiple=True, help="配合单位 (repeatable).")
@click.option("--leader", help="责任领导.")
@click.option("--deadline", help="完成时限: 2024-12-31, 年底前, 6月底前, 2025年6月.")
@click.option("--milestone", "milestones", multiple=True, metavar="WHEN:WHAT",
              help="节点 (repeatable): '3月底前:完成立项'.")
@click.option("--cycle", help="报送周期: 月报, 季报, 半年报, 年报.")
@click.option("--from", "starts_on", callback=parse_date_option, metavar="YYYY-MM-DD",
              help="The day it counts from (default today); 年底前 means that year's end.")
@db_option
def tasks_add(title: str, lead: str, support: tuple[str, ...], leader: str | None,
              deadline: str | None, milestones: tuple[str, ...], cycle: str | None,
              starts_on: date | None, db: str | None) -> None:
    """Add a task.

    \b
    Example:
      taizhang tasks add "年底前建成城市大脑" --lead 保定 --support 清苑 --support 高阳 \\
        --leader 王副市长 --deadline 年底前 --milestone "6月底前:开工" --cycle 季报
    """
    from taizhang.ledger.tasks import create_task

    steps = []
    for item in milestones:
        when, sep, what = item.partition(":")
        if not sep:
            raise click.BadParameter(f"expected WHEN:WHAT, got {item!r}", param_hint="--milestone")
        steps.append((what.strip() or when, when.strip()))
    with ledger_session(db) as session:
        task = create_task(session, title=title, lead=lead, support=support, leader=leader,
                           deadline=deadline, milestones=steps, report_cycle=cycle,
                           starts_on=starts_on)
        click.echo(f"task {task.id}: {task.title} (牵头 {task.lead.name if task.lead else '—'}, "
                   f"时限 {task.deadline or task.deadline_text or '—'})")


@tasks.command("list")
@click.option("--unit", help="Tasks this unit (or one below it) leads or supports.")
@AS_OF
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@db_option
def tasks_list(unit: str | None, as_of: date | None, fmt: str, db: str | None) -> None:
    """List tasks with their status on a date (achieved, on_track, behind, overdue…).

    \b
    Example:
      taizhang tasks list --unit 清苑 --as-of 2024-09-30
    """
    from taizhang.ledger.tasks import CYCLE_LABELS, list_tasks, status_of_task
    from taizhang.ledger.units import ensure_unit, subtree_ids

    day = _as_of(as_of)
    with ledger_session(db) as session:
        ids = subtree_ids(session, ensure_unit(session, unit)) if unit else None
        records = [{"id": t.id, "lead": t.lead.name if t.lead else t.lead_text,
                    "support": "、".join(s.unit.name for s in t.support), "leader": t.leader,
                    "title": t.title, "deadline": (t.deadline.isoformat() if t.deadline
                                                   else t.deadline_text),
                    "milestones": len(t.milestones), "cycle": CYCLE_LABELS.get(t.report_cycle or ""),
                    "status": status_of_task(t, day), "closed": t.closed_at is not None}
                   for t in list_tasks(session, unit_ids=ids)]
    emit(records, fmt, ["id", "lead", "support", "leader", "title", "deadline", "status", "closed"],
         title="tasks")


@tasks.command("assign")
@click.argument("task")
@click.option("--lead", help="New 牵头单位.")
@click.option("--support", multiple=True, help="配合单位 (repeatable; replaces the current ones).")
@click.option("--leader", help="责任领导.")
@click.option("--deadline", help="完成时限.")
@click.option("--cycle", help="报送周期.")
@db_option
def tasks_assign(task: str, lead: str | None, support: tuple[str, ...], leader: str | None,
                 deadline: str | None, cycle: str | None, db: str | None) -> None:
    """Change who does a task, and by when.

    \b
    Example:
      taizhang tasks assign 3 --lead 清苑 --support 高阳 --deadline 2025年6月底
    """
    from taizhang.ledger.tasks import assign_task

    with ledger_session(db) as session:
        done = assign_task(session, task, lead=lead, support=list(support) or None,
                           leader=leader, deadline=deadline, report_cycle=cycle)
        click.echo(f"task {done.id}: 牵头 {done.lead.name if done.lead else '—'}, 配合 "
                   f"{'、'.join(s.unit.name for s in done.support) or '—'}")


@click.group()
def reports() -> None:
    """报送 → 审核: reports waiting for review, accept, return (with a reason)."""


@reports.command("submit")
@click.option("--target", "target_id", type=int, help="The target reported on.")
@click.option("--task", "task_id", type=int, help="The task reported on.")
@click.option("--value", help="完成值 as people write it (1500亿); for a target.")
@click.option("--milestone", "milestone_id", type=int, help="节点 reached (its id); for a task.")
@click.option("--done", is_flag=True, help="The task is finished.")
@click.option("--as-of", "as_of", callback=parse_date_option, required=True, metavar="YYYY-MM-DD")
@click.option("--note", help="备注: how far it got.")
@click.option("--evidence", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="佐证材料 (repeatable).")
@click.option("--evidence-dir", type=click.Path(file_okay=False, path_type=Path),
              default=lambda: os.environ.get("TAIZHANG_EVIDENCE_DIR", "evidence"),
              show_default="$TAIZHANG_EVIDENCE_DIR or ./evidence", help="Where files are kept.")
@db_option
def reports_submit(target_id: int | None, task_id: int | None, value: str | None,
                   milestone_id: int | None, done: bool, as_of: date, note: str | None,
                   evidence: tuple[Path, ...], evidence_dir: Path, db: str | None) -> None:
    """Submit a report for review (as the user in TAIZHANG_ACTOR).

    \b
    Example:
      taizhang reports submit --target 9 --value 1500亿 --as-of 2024-06-30 --evidence 统计表.pdf
      taizhang reports submit --task 3 --milestone 7 --as-of 2024-06-28 --note 已开工
    """
    from taizhang.ledger.workflow import Upload, submit

    with ledger_session(db) as session:
        handles = [path.open("rb") for path in evidence]
        try:
            sub = submit(session, target_id=target_id, task_id=task_id, as_of=as_of, value=value,
                         milestone_id=milestone_id, completed=done, note=note,
                         files=[Upload(p.name, h) for p, h in zip(evidence, handles, strict=True)],
                         evidence_dir=evidence_dir)
        finally:
            for handle in handles:
                handle.close()
        click.echo(f"report {sub.id} submitted, waiting for review")


@reports.command("list")
@click.option("--state", type=click.Choice(["submitted", "accepted", "returned", "withdrawn"]),
              default="submitted", show_default=True)
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@db_option
def reports_list(state: str, fmt: str, db: str | None) -> None:
    """Reports in one state (default: waiting for review).

    \b
    Example:
      taizhang reports list
      taizhang reports list --state returned --format csv
    """
    from taizhang.ledger.workflow import pending

    with ledger_session(db) as session:
        records = [{"id": s.id, "on": f"target {s.target_id}" if s.target_id else f"task {s.task_id}",
                    "as_of": s.as_of.isoformat(), "value": s.value_text,
                    "completed": s.completed, "note": s.note, "files": len(s.files),
                    "by": s.submitted_by, "reason": s.review_note}
                   for s in pending(session, states=[state])]
    emit(records, fmt, ["id", "on", "as_of", "value", "note", "files", "by", "reason"],
         title=f"{state} reports")


@reports.command("accept")
@click.argument("report_ids", nargs=-1, required=True)
@db_option
def reports_accept(report_ids: tuple[str, ...], db: str | None) -> None:
    """Accept reports: each becomes its target's progress (or its task's milestone).

    \b
    Example:
      taizhang reports accept 4 5 6
    """
    from taizhang.ledger.workflow import accept

    with ledger_session(db) as session:
        for rid in report_ids:
            accept(session, rid)
    click.echo(f"{len(report_ids)} report(s) accepted")


@reports.command("return")
@click.argument("report_id")
@click.option("--reason", required=True, help="退回原因: what to correct.")
@db_option
def reports_return(report_id: str, reason: str, db: str | None) -> None:
    """Return a report to its reporter with the reason.

    \b
    Example:
      taizhang reports return 5 --reason "佐证材料不全"
    """
    from taizhang.ledger.workflow import send_back

    with ledger_session(db) as session:
        send_back(session, report_id, reason=reason)
    click.echo(f"report {report_id} returned")


@click.command("close")
@click.option("--target", "target_id", type=int, help="A completed target.")
@click.option("--task", "task_id", type=int, help="A finished task.")
@click.option("--note", help="销号 note.")
@AS_OF
@db_option
def close_cmd(target_id: int | None, task_id: int | None, note: str | None,
              as_of: date | None, db: str | None) -> None:
    """Close (销号) a completed target or a finished task.

    \b
    Example:
      taizhang close --target 12 --note "经核实已完成"
    """
    from taizhang.ledger.workflow import close

    if (target_id is None) == (task_id is None):
        raise click.UsageError("give --target or --task")
    with ledger_session(db) as session:
        close(session, target_id=target_id, task_id=task_id, note=note, as_of=_as_of(as_of))
    click.echo(f"{'target' if target_id else 'task'} {target_id or task_id} closed (销号)")


@click.command()
@AS_OF
@click.option("--unit", "units", multiple=True, help="Only these units (repeatable).")
@click.option("--soon", "soon_days", default=7, show_default=True, help="临期: due within N days.")
@click.option("--out", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="Write each notice as a Word file into this folder.")
@click.option("--send", is_flag=True, help="Log the 催办 and mail it (TAIZHANG_SMTP_HOST…).")
@db_option
def remind(as_of: date | None, units: tuple[str, ...], soon_days: int, folder: Path | None,
           send: bool, db: str | None) -> None:
    """催办: list what each unit owes (逾期未报, 临期, 滞后, 逾期); with --send, write a Word
    notice per unit, mail it to the unit's users when SMTP is configured, and log it.

    \b
    Example:
      taizhang remind --as-of 2024-07-10
      TAIZHANG_SMTP_HOST=mail.example.gov taizhang remind --send --out 催办/
    """
    from taizhang.ledger.reminders import REASONS, SmtpSettings, late_items, send_reminders
    from taizhang.ledger.units import ensure_unit

    day = _as_of(as_of)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    with ledger_session(db) as session:
        ids = [ensure_unit(session, u).id for u in units] or None
        if not send:
            for due in late_items(session, day, soon_days=soon_days, unit_ids=ids):
                click.echo(f"{due.unit.name}:")
                for item in due.items:
                    click.echo(f"  {REASONS[item.reason]}  {item.kind} {item.id}  {item.title}  "
                               f"{item.detail}")
            return
        smtp = SmtpSettings.from_env()
        sent = send_reminders(session, as_of=day, unit_ids=ids, smtp=smtp, soon_days=soon_days)
        for reminder, data in sent:
            if folder is not None:
                (folder / f"催办通知-{reminder.unit.name}-{day.isoformat()}.docx").write_bytes(data)
            how = ("mailed to " + ", ".join(reminder.recipients)) if reminder.mailed else (
                reminder.error or "not mailed (TAIZHANG_SMTP_HOST is not set)")
            click.echo(f"{reminder.unit.name}: {len(reminder.items)} item(s), {how}")
    if not sent:
        click.echo("nothing to chase")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@AS_OF
@click.option("--office", default="督查室", show_default=True, help="Who issues it.")
@db_option
def bulletin(file: Path, as_of: date | None, office: str, db: str | None) -> None:
    """Write the 督查通报 (Word): overview, league table, red items, who has not reported.

    \b
    Example:
      taizhang bulletin 通报-2024-09.docx --as-of 2024-09-30 --office 保定市督查室
    """
    from taizhang.ledger.bulletin import bulletin_docx

    check_writable(file)
    with ledger_session(db) as session:
        file.write_bytes(bulletin_docx(session, _as_of(as_of), office=office))
    click.echo(f"通报 written to {file}")


COMMANDS: list[click.Command] = [tasks, reports, close_cmd, remind, bulletin]
