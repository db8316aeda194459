"""The Excel 台账 as a supervision office hands it upward.

One workbook, three sheets, each with a title row naming the 截至 date, a header row with an
autofilter, borders, wrapped text and frozen panes:

- 台账: one row per target not rejected, grouped by unit: 序号, 目标编号, 责任单位, 指标, 比较,
  目标值 (a number, in the target's own scale, with a number format), 上限, 单位 (亿元), 完成时限,
  报送周期, 最新进展 (the latest report up to the 截至 date only), 完成率, 序时进度, 状态 (Chinese,
  red / yellow / green), 销号, 来源原文, 文件;
- 任务: one row per task without a number: 任务编号, 牵头单位, 配合单位, 责任领导, 任务内容,
  完成时限, 节点, 报送周期, 最新进展, 状态, 销号;
- 汇总: per unit, targets and tasks by status, 未报送, and the league table's 担当指数 and 名次.

`public=True` (the public web view) writes confirmed and edited targets only, without notes,
and no tasks. The sheets are streamed (openpyxl write-only): 100,000 rows in flat memory.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from copy import copy
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from taizhang.formulas import FORMULA_STARTS
from taizhang.ledger.amounts import display_unit, in_scale
from taizhang.ledger.models import Document, ProgressReport, ReviewState, Target
from taizhang.ledger.office_models import Submission
from taizhang.ledger.repository import latest_progress
from taizhang.ledger.schedule import schedule_cells
from taizhang.ledger.tasks import CYCLE_LABELS, list_tasks, status_of_task

STATUS_LABELS = {
    "achieved": "已完成",
    "on_track": "序时推进",
    "behind": "滞后",
    "seriously_behind": "严重滞后",
    "overdue": "逾期未完成",
    "no_data": "暂无数据",
    "not_yet_due": "未到期",
}
LIGHTS = {"achieved": "green", "on_track": "green", "behind": "yellow",
          "seriously_behind": "red", "overdue": "red"}
FILLS = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE"}
SIGNS = {"gt": ">", "ge": "≥", "le": "≤", "lt": "<", "approx": "≈", "eq": "=", "range": "区间"}
PUBLIC_STATES = (ReviewState.CONFIRMED.value, ReviewState.EDITED.value)

TARGET_COLUMNS = (
    ("序号", 6), ("目标编号", 9), ("责任单位", 12), ("指标", 28), ("比较", 6), ("目标值", 12),
    ("上限", 9), ("单位", 8), ("完成时限", 12), ("报送周期", 9), ("最新进展", 30), ("完成率", 9),
    ("序时进度", 9), ("状态", 11), ("销号", 12), ("来源原文", 50), ("文件", 28),
)
HEADERS = tuple(name for name, _ in TARGET_COLUMNS)
TASK_COLUMNS = (
    ("序号", 6), ("任务编号", 9), ("牵头单位", 12), ("配合单位", 16), ("责任领导", 10),
    ("任务内容", 40), ("完成时限", 12), ("节点", 36), ("报送周期", 9), ("最新进展", 30),
    ("状态", 11), ("销号", 12),
)
SUMMARY_COLUMNS = (
    ("责任单位", 14), ("目标", 7), ("任务", 7), ("已完成", 8), ("序时推进", 9), ("滞后", 7),
    ("严重滞后", 9), ("逾期未完成", 10), ("暂无数据", 9), ("未到期", 8), ("担当指数", 9),
    ("名次", 6),
)
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


class _Sheet:
    """A write-only sheet with the 台账's title row, header, borders and autofilter."""

    def __init__(self, book: Workbook, name: str, title: str, columns: tuple[tuple[str, int], ...]):
        self._styles: dict[tuple[Any, ...], tuple[Any, list[Any]]] = {}
        self.sheet = book.create_sheet(name)
        self.width = len(columns)
        for col, (_, width) in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(col)].width = width
        self.sheet.freeze_panes = "A3"
        last = get_column_letter(self.width)
        self.sheet.merged_cells.ranges.add(f"A1:{last}1")  # type: ignore[attr-defined]
        self.sheet.append([self.cell(title, font=Font(bold=True, size=14), border=None)])
        self.sheet.append([self.cell(name, font=Font(bold=True),
                                     fill=PatternFill("solid", start_color="DDEBF7"))
                           for name, _ in columns])
        self.rows = 0
        self.filter_range = f"A2:{last}2"

    def cell(self, value: Any, **style: Any) -> Cell:
        """A cell with the sheet's border and wrapping unless `style` says otherwise.

        Assigning style objects to a cell makes openpyxl hash them into its style tables (most
        of an export's time, measured); each combination is assigned once and later cells copy
        its style indices.

        Text is always text: openpyxl would write `=HYPERLINK(…)` from an imported indicator as
        a live formula; such a cell is typed as a string and quote-prefixed (Excel keeps it
        text even when the cell is edited), its text unchanged."""
        cell = WriteOnlyCell(self.sheet, value=value)
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            cell.data_type = "s"
            style["quotePrefix"] = True
        style.setdefault("border", _BORDER)
        style.setdefault("alignment", _WRAP)
        key = tuple((k, v if isinstance(v, str) or v is None else id(v)) for k, v in style.items())
        known = self._styles.get(key)
        if known is None:
            for name, setting in style.items():
                if setting is not None:
                    setattr(cell, name, setting)
            self._styles[key] = (copy(cell._style), list(style.values()))  # keeps ids valid
        else:
            cell._style = copy(known[0])
        return cell

    def append(self, values: list[Any]) -> None:
        self.sheet.append([v if isinstance(v, Cell) else self.cell(v) for v in values])
        self.rows += 1

    def finish(self) -> None:
        last = get_column_letter(self.width)
        self.sheet.auto_filter.ref = f"A2:{last}{self.rows + 2}"


def export_ledger(session: Session, path: Path, *, as_of: date, public: bool = False,
                  title: str = "目标任务督查台账") -> int:
    """Write the 台账 (module docstring); returns the number of target rows."""
    query = (select(Target)
             .options(selectinload(Target.responsible),
                      selectinload(Target.document).load_only(Document.title, Document.source))
             .where(Target.review_state.in_(PUBLIC_STATES) if public
                    else Target.review_state != ReviewState.REJECTED.value)
             .order_by(Target.id))
    targets = list(session.scalars(query))
    first_seen: dict[int | None, int] = {}
    for target in targets:  # grouped by unit, units in the order they first appear
        first_seen.setdefault(target.unit_id, target.id)
    targets.sort(key=lambda t: (first_seen[t.unit_id], t.id))
    latest = latest_progress(session, [t.id for t in targets], as_of=as_of)
    cells = schedule_cells(session, as_of)
    heading = f"{title}（截至{as_of.year}年{as_of.month}月{as_of.day}日）"
    book = Workbook(write_only=True)
    sheet = _Sheet(book, "台账", heading, TARGET_COLUMNS)
    fills = {k: PatternFill("solid", start_color=v, end_color=v) for k, v in FILLS.items()}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for number, t in enumerate(targets, start=1):
        cell = cells.get(t.id)
        status = cell.status if cell else "no_data"
        unit_name = t.responsible.name if t.responsible else (t.subject or "")
        counts[unit_name]["targets"] += 1
        counts[unit_name][status] += 1
        shown_unit = display_unit(t.value_text, t.unit)
        number_format = _number_format(in_scale(t.value, t.value_text, t.unit))
        sheet.append([
            number, t.id, unit_name, t.indicator, SIGNS.get(t.comparator, ""),
            sheet.cell(_number(in_scale(t.value, t.value_text, t.unit)), number_format=number_format),
            sheet.cell(_number(in_scale(t.value_max, t.value_text, t.unit)), number_format=number_format),
            shown_unit,
            sheet.cell(t.deadline, number_format="yyyy-mm-dd"),
            CYCLE_LABELS.get(t.report_cycle or "", ""),
            _progress_text(latest.get(t.id), t, public=public),
            sheet.cell(cell.progress if cell else None, number_format="0.0%"),
            sheet.cell(cell.expected if cell else None, number_format="0.0%"),
            sheet.cell(STATUS_LABELS.get(status, status), fill=fills.get(LIGHTS.get(status, ""))),
            sheet.cell(t.closed_at.date() if t.closed_at else None, number_format="yyyy-mm-dd"),
            t.quote,
            t.document.title or t.document.source,
        ])
    sheet.finish()
    if not public:
        _tasks_sheet(book, session, as_of, heading, fills, counts)
    _summary_sheet(book, session, as_of, heading, counts, public=public)
    book.save(path)
    return len(targets)


def _tasks_sheet(book: Workbook, session: Session, as_of: date, heading: str,
                 fills: dict[str, PatternFill], counts: dict[str, Counter[str]]) -> None:
    sheet = _Sheet(book, "任务", heading, TASK_COLUMNS)
    reports = _task_reports(session, as_of)
    for number, task in enumerate(list_tasks(session), start=1):
        status = status_of_task(task, as_of)
        lead = task.lead.name if task.lead else (task.lead_text or "")
        counts[lead]["tasks"] += 1
        counts[lead][status] += 1
        milestones = "；".join(
            f"{m.title}{'（已完成' + m.done_on.isoformat() + '）' if m.done_on and m.done_on <= as_of else ''}"
            for m in task.milestones)
        sheet.append([
            number, task.id, lead, "、".join(s.unit.name for s in task.support), task.leader,
            task.title, sheet.cell(task.deadline or task.deadline_text, number_format="yyyy-mm-dd"),
            milestones, CYCLE_LABELS.get(task.report_cycle or "", ""), reports.get(task.id, ""),
            sheet.cell(STATUS_LABELS[status], fill=fills.get(LIGHTS.get(status, ""))),
            sheet.cell(task.closed_at.date() if task.closed_at else None, number_format="yyyy-mm-dd"),
        ])
    sheet.finish()


def _summary_sheet(book: Workbook, session: Session, as_of: date, heading: str,
                   counts: dict[str, Counter[str]], *, public: bool) -> None:
    from taizhang.track.rank import rank

    sheet = _Sheet(book, "汇总", heading.replace("台账", "汇总"), SUMMARY_COLUMNS)
    league = {} if public else {r.unit: r for r in rank(session, as_of)}
    order = sorted(counts, key=lambda u: (league[u].rank if u in league and league[u].rank else 10**6, u))
    for unit in order:
        c, r = counts[unit], league.get(unit)
        sheet.append([unit, c["targets"], c["tasks"], c["achieved"], c["on_track"], c["behind"],
                      c["seriously_behind"], c["overdue"], c["no_data"], c["not_yet_due"],
                      sheet.cell(round(r.index, 1) if r and r.index is not None else None,
                                 number_format="0.0"),
                      r.rank if r and r.rank else "—"])
    sheet.finish()


def _task_reports(session: Session, as_of: date) -> dict[int, str]:
    found: dict[int, str] = {}
    for sub in session.scalars(select(Submission).where(
            Submission.task_id.is_not(None), Submission.state == "accepted",
            Submission.as_of <= as_of).order_by(Submission.as_of, Submission.id)):
        what = "已完成" if sub.completed else (sub.milestone.title if sub.milestone else "")
        text = "，".join(x for x in (what, sub.note or "") if x)
        found[sub.task_id] = f"{text}（截至{sub.as_of.isoformat()}）"  # type: ignore[index]
    return found


def _number(value: Any) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _number_format(value: Any) -> str:
    if value is None or value == value.to_integral_value():
        return "#,##0"
    return "#,##0.0###"


def format_value(target: Target) -> str:
    """`≥1200`, `≈5`, `3–5`: the committed value with its comparator as a symbol."""
    value = format(target.value, "f")
    if target.comparator == "range" and target.value_max is not None:
        return f"{value}–{format(target.value_max, 'f')}"
    return {"gt": ">", "ge": "≥", "le": "≤", "lt": "<", "approx": "≈"}.get(target.comparator, "") + value


def _progress_text(report: ProgressReport | None, target: Target, *, public: bool) -> str:
    if report is None:
        return ""
    shown = in_scale(report.value, target.value_text, target.unit)
    text = f"{format(shown, 'f')}{display_unit(target.value_text, target.unit)}（截至{report.as_of.isoformat()}）"
    return f"{text}：{report.note}" if report.note and not public else text
