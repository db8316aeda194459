"""The 督查通报 (Word): what an office hands upward each month.

Title and 截至 date, an overview (targets and tasks by status), the league table of units
(track's 担当指数, tasks included), the red items (严重滞后, 逾期未完成) listed by unit, and the
units that have not reported (逾期未报).
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from taizhang.ledger.amounts import format_amount
from taizhang.ledger.export import STATUS_LABELS
from taizhang.ledger.models import ReviewState, Target
from taizhang.ledger.reminders import late_items
from taizhang.ledger.tasks import list_tasks, status_of_task

RED = ("seriously_behind", "overdue")


def bulletin_docx(session: Session, as_of: date, *, office: str = "督查室",
                  title: str = "目标任务督查通报") -> bytes:
    """The 通报 as a Word file (module docstring)."""
    from docx import Document as WordDocument

    from taizhang.track.rank import rank
    from taizhang.track.status import compute_statuses

    statuses = {s.target_id: s.status.value for s in compute_statuses(session, as_of)}
    targets = list(session.scalars(
        select(Target).options(selectinload(Target.responsible))
        .where(Target.review_state != ReviewState.REJECTED.value).order_by(Target.id)))
    tasks = list_tasks(session)
    task_status = {t.id: status_of_task(t, as_of) for t in tasks}
    counts = Counter(statuses.get(t.id, "no_data") for t in targets)
    task_counts = Counter(task_status.values())

    doc = WordDocument()
    doc.add_heading(title, level=0)
    doc.add_paragraph(f"{office}　截至{as_of.year}年{as_of.month}月{as_of.day}日")
    doc.add_heading("一、总体情况", level=1)
    doc.add_paragraph(
        f"纳入督查的目标{len(targets)}项：" + _counts(counts) + f"；重点工作任务{len(tasks)}项："
        + _counts(task_counts) + "。")
    doc.add_heading("二、单位排名（担当指数）", level=1)
    league = rank(session, as_of)
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("名次", "单位", "担当指数", "目标任务数", "未报送", "红灯"),
                          strict=True):
        cell.text = text
    for row in league:
        cells = table.add_row().cells
        cells[0].text = str(row.rank) if row.rank else "—"
        cells[1].text = row.unit or "（未指定单位）"
        cells[2].text = "—" if row.index is None else f"{row.index:.1f}"
        cells[3].text, cells[4].text = str(row.targets), str(row.unreported)
        cells[5].text = str(sum(row.counts.get(s, 0) for s in RED))
    doc.add_heading("三、红灯事项", level=1)
    red = [(t.responsible.name if t.responsible else (t.subject or "—"),
            f"{t.indicator}（目标{format_amount(t.value, t.value_text, t.unit)}，"
            f"时限{t.deadline.isoformat() if t.deadline else '—'}）", statuses[t.id])
           for t in targets if statuses.get(t.id) in RED and t.closed_at is None]
    red += [(t.lead.name if t.lead else (t.lead_text or "—"),
             f"{t.title}（时限{t.deadline.isoformat() if t.deadline else '—'}）", task_status[t.id])
            for t in tasks if task_status[t.id] in RED and t.closed_at is None]
    if not red:
        doc.add_paragraph("无。")
    for unit, text, status in sorted(red):
        doc.add_paragraph(f"{unit}：{text}，{STATUS_LABELS[status]}。", style="List Number")
    doc.add_heading("四、逾期未报", level=1)
    missing = [(u.unit.name, u.count("missing")) for u in late_items(session, as_of)
               if u.count("missing")]
    doc.add_paragraph("、".join(f"{name}（{n}项）" for name, n in missing) + "。" if missing else "无。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _counts(counts: Counter[str]) -> str:
    parts = [f"{STATUS_LABELS[s]}{counts[s]}项" for s in STATUS_LABELS if counts.get(s)]
    return "，".join(parts) or "无"
