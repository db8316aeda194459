"""The Excel 台账: export the ledger in the layout a supervision office keeps, and import one.

Export columns: 序号, 目标编号, 责任单位, 指标, 目标值, 单位, 完成时限, 最新进展, 完成率, 序时进度,
状态 (red / yellow / green fill), 来源原文, 文件. 目标编号 is the ledger id, so a returned sheet (or
a progress file) can name targets. Import finds columns by their headers (common synonyms
included), stores the sheet as a document (its rows as tab-separated text, so each target's
provenance span points at its row) and goes through the same restatement logic as ingest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from taizhang.errors import ImportFormatError, LedgerError
from taizhang.ledger.ingest import IngestResult, store_document
from taizhang.ledger.models import Document, ProgressReport, ReviewState, Target
from taizhang.ledger.repository import latest_progress
from taizhang.ledger.schedule import schedule_cells
from taizhang.ledger.tables import TableRow, find_columns, read_rows
from taizhang.ledger.values import parse_date, parse_decimal
from taizhang.types import Comparator, Kind, Span
from taizhang.types import Target as ExtractedTarget

HEADERS = (
    "序号",
    "目标编号",
    "责任单位",
    "指标",
    "目标值",
    "单位",
    "完成时限",
    "最新进展",
    "完成率",
    "序时进度",
    "状态",
    "来源原文",
    "文件",
)
WIDTHS = (6, 9, 12, 28, 12, 8, 12, 28, 9, 9, 12, 50, 30)
STATUS_LABELS = {
    "achieved": "已完成",
    "on_track": "序时推进",
    "behind": "滞后",
    "seriously_behind": "严重滞后",
    "overdue": "逾期未完成",
    "no_data": "暂无数据",
    "not_yet_due": "未到期",
}
FILLS = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE"}
SYMBOLS = {"gt": ">", "ge": "≥", "le": "≤", "lt": "<", "approx": "≈", "eq": ""}

# Import: field → accepted headers (first is ours).
LEDGER_HEADERS = {
    "number": ("目标编号", "编号"),
    "responsible": ("责任单位", "牵头单位", "单位名称", "责任部门"),
    "indicator": ("指标", "目标任务", "指标名称", "任务", "工作任务", "目标"),
    "value": ("目标值", "目标数值", "指标值", "目标任务值"),
    "unit": ("单位", "计量单位"),
    "deadline": ("完成时限", "时限", "完成时间", "时间节点"),
    "progress": ("最新进展", "当前进展", "进展情况", "完成情况"),
    "quote": ("来源原文", "原文", "依据"),
    "note": ("备注",),
}
_PREFIXES = (
    ("≥", "ge"),
    (">=", "ge"),
    ("≤", "le"),
    ("<=", "le"),
    (">", "gt"),
    ("<", "lt"),
    ("≈", "approx"),
    ("~", "approx"),
    ("约", "approx"),
    ("不低于", "ge"),
    ("不少于", "ge"),
    ("超过", "gt"),
    ("突破", "gt"),
    ("不超过", "le"),
    ("控制在", "le"),
)
_SUFFIXES = (("以上", "ge"), ("以下", "le"), ("以内", "le"), ("左右", "approx"))
_RANGE = re.compile(r"^\s*(-?[\d.,]+)\s*(?:–|—|-|~|～|至|到)\s*(-?[\d.,]+)\s*$")
_PROGRESS = re.compile(
    r"^\s*(-?[\d.,]+)\s*(?:[（(]截至\s*([^）)]+)[）)])?\s*(?:[:：]\s*(.*))?$", re.DOTALL
)
_YEAR_END = re.compile(r"^\s*(\d{4})\s*年\s*(?:(\d{1,2})\s*月)?\s*(?:底|末|底前|前)?\s*$")


def format_value(target: Target) -> str:
    """`≥1200`, `≈5`, `3–5`: the committed value with its comparator as a symbol."""
    value = _plain(target.value)
    if target.comparator == "range" and target.value_max is not None:
        return f"{value}–{_plain(target.value_max)}"
    return SYMBOLS.get(target.comparator, "") + value


def _plain(value: Decimal) -> str:
    return format(value, "f")


def export_ledger(session: Session, path: Path, *, as_of: date) -> int:
    """Write the 台账 of every target not rejected; returns the number of rows."""
    targets = list(
        session.scalars(
            select(Target)
            .options(
                selectinload(Target.responsible),
                selectinload(Target.document).load_only(Document.title, Document.source),
            )
            .where(Target.review_state != ReviewState.REJECTED.value)
            .order_by(Target.id)
        )
    )
    first_seen: dict[int | None, int] = {}
    for target in targets:  # group by unit, units in the order they first appear
        first_seen.setdefault(target.unit_id, target.id)
    targets.sort(key=lambda t: (first_seen[t.unit_id], t.id))
    latest = latest_progress(session, [t.id for t in targets])
    cells = schedule_cells(session, as_of)
    book = Workbook(write_only=True)  # streams rows: 100,000 targets in constant memory
    sheet = book.create_sheet("台账")
    for col, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_styled(sheet, h, font=Font(bold=True)) for h in HEADERS])
    wrap = Alignment(wrap_text=True, vertical="top")
    fills = {k: PatternFill("solid", start_color=v, end_color=v) for k, v in FILLS.items()}
    for number, target in enumerate(targets, start=1):
        report = latest.get(target.id)
        cell = cells.get(target.id)
        status = cell.status if cell else "no_data"
        sheet.append(
            [
                number,
                target.id,
                target.responsible.name if target.responsible else "",
                target.indicator,
                format_value(target),
                target.unit,
                _styled(sheet, target.deadline, number_format="yyyy-mm-dd"),
                _progress_text(report),
                _styled(sheet, cell.progress if cell else None, number_format="0.0%"),
                _styled(sheet, cell.expected if cell else None, number_format="0.0%"),
                _styled(
                    sheet,
                    STATUS_LABELS.get(status, status),
                    fill=fills.get(cell.light if cell else "grey"),
                ),
                _styled(sheet, target.quote, alignment=wrap),
                target.document.title or target.document.source,
            ]
        )
    book.save(path)
    return len(targets)


def _styled(sheet: Any, value: Any, **style: Any) -> Cell:
    cell = WriteOnlyCell(sheet, value=value)
    for name, setting in style.items():
        if setting is not None:
            setattr(cell, name, setting)
    return cell


def _progress_text(report: ProgressReport | None) -> str:
    if report is None:
        return ""
    text = f"{_plain(report.value)}（截至{report.as_of.isoformat()}）"
    return f"{text}：{report.note}" if report.note else text


@dataclass(frozen=True, slots=True)
class LedgerImport:
    result: IngestResult
    progress_added: int
    row_errors: tuple[tuple[int, str], ...]


def import_ledger(
    session: Session, path: Path, *, on: date, skip_invalid: bool = False
) -> LedgerImport:
    """Import an office's 台账 (first sheet) as one document stating `on` the given date."""
    raw_rows = read_rows(path)
    header_index, columns = find_columns(raw_rows, LEDGER_HEADERS, required=("indicator", "value"))
    lines = ["\t".join(_cell_text(c) for c in row) for row in raw_rows]
    text = "\n".join(lines)
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    targets: list[ExtractedTarget] = []
    progress: list[tuple[int, date, Decimal, str | None]] = []
    errors: list[tuple[int, str]] = []
    for index in range(header_index + 1, len(raw_rows)):
        row = TableRow(index + 1, {f: _at(raw_rows[index], c) for f, c in columns.items()})
        if all(v is None for v in row.cells.values()):
            continue
        try:
            target = _row_target(row, lines[index], starts[index])
            report = _row_progress(row)
            if report is not None:
                _check_plausible(report[1], target)
        except LedgerError as err:
            errors.append((row.number, str(err)))
            continue
        if report is not None:
            progress.append((len(targets), *report))
        targets.append(target)
    if errors and not skip_invalid:
        raise ImportFormatError(
            f"{path}: {len(errors)} invalid row(s), nothing imported "
            "(fix them, or pass --skip-invalid to import the valid rows)",
            row_errors=errors,
        )
    result = store_document(
        session,
        text=text,
        source=str(path),
        targets=targets,
        date=on,
        title=path.stem,
        format=path.suffix.lstrip(".").lower(),
    )
    added = 0
    if result.status == "added":
        for position, as_of, value, note in progress:
            session.add(
                ProgressReport(
                    target_id=result.target_ids[position],
                    as_of=as_of,
                    value=value,
                    note=note,
                    reporter=path.name,
                )
            )
            added += 1
        session.flush()
    return LedgerImport(result, added, tuple(errors))


def _at(row: Any, col: int) -> Any:
    value = row[col] if col < len(row) else None
    if isinstance(value, str):
        value = value.strip() or None
    return value


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()[:10]
    return str(value).replace("\t", " ").replace("\n", " ")


def _row_target(row: TableRow, line: str, line_start: int) -> ExtractedTarget:
    cells = row.cells
    indicator = str(cells.get("indicator") or "").strip()
    if not indicator:
        raise LedgerError("指标 is empty")
    value, value_max, comparator = parse_target_value(cells.get("value"))
    deadline, qualifier = _deadline(cells.get("deadline"))
    quote = _cell_text(cells.get("quote") or indicator)  # as in the document text: one line
    at = line.find(quote)
    quote_span = (
        Span(line_start + at, line_start + at + len(quote))
        if at >= 0
        else Span(line_start, line_start + len(line))
    )
    value_text = _cell_text(cells.get("value"))
    vat = line.find(value_text)
    value_span = (
        Span(line_start + vat, line_start + vat + len(value_text)) if vat >= 0 else quote_span
    )
    unit = str(cells.get("unit") or "")
    responsible = cells.get("responsible")
    return ExtractedTarget(
        subject=str(responsible) if responsible else None,
        indicator=indicator,
        value=value,
        value_max=value_max,
        unit=unit,
        comparator=Comparator(comparator),
        kind=_guess_kind(indicator, unit),
        deadline=deadline,
        value_text=value_text,
        value_span=value_span,
        quote=quote,
        quote_span=quote_span,
        qualifier=qualifier,
        rules=("<import-ledger>",),
    )


def parse_target_value(raw: Any) -> tuple[Decimal, Decimal | None, str]:
    """(value, value_max, comparator) from a 目标值 cell: `≥1200`, `5左右`, `3–5`, `1200`.

    >>> parse_target_value("1200以上")
    (Decimal('1200'), None, 'ge')
    >>> parse_target_value("3–5")
    (Decimal('3'), Decimal('5'), 'range')
    """
    if raw is None or isinstance(raw, int | float | Decimal):
        return parse_decimal(raw, what="目标值"), None, "eq"
    text = str(raw).strip()
    if m := _RANGE.match(text):
        return parse_decimal(m[1], what="目标值"), parse_decimal(m[2], what="目标值"), "range"
    comparator = "eq"
    for prefix, comp in _PREFIXES:
        if text.startswith(prefix):
            text, comparator = text[len(prefix) :], comp
            break
    for suffix, comp in _SUFFIXES:
        if text.endswith(suffix):
            text, comparator = text[: -len(suffix)], comp
            break
    return parse_decimal(text, what="目标值"), None, comparator


def _deadline(raw: Any) -> tuple[date | None, str | None]:
    """A 完成时限 cell: a date, 2024年底, 2024年6月底; other wording is kept as a qualifier."""
    if raw is None:
        return None, None
    try:
        return parse_date(raw, what="完成时限"), None
    except LedgerError:
        text = str(raw).strip()  # not a plain date: try 2024年底, else keep the words
    if m := _YEAR_END.match(text):
        return parse_date(f"{m[1]}-{m[2] or 12}", what="完成时限"), None
    return None, f"完成时限：{text}"


def _check_plausible(value: Decimal, target: ExtractedTarget) -> None:
    from taizhang.track.plausible import check_report  # track is built on the ledger

    check_report(value, target=target.value, unit=target.unit, kind=target.kind.value,
                 name=f"the row's target ({target.value_text or target.value}{target.unit})")


def _row_progress(row: TableRow) -> tuple[date, Decimal, str | None] | None:
    raw = row.cells.get("progress")
    if raw is None:
        return None
    m = _PROGRESS.match(str(raw))
    if m is None or m[2] is None:
        return None  # free text without a number and a date stays in the document text
    return parse_date(m[2], what="最新进展"), parse_decimal(m[1], what="最新进展"), m[3] or None


def _guess_kind(indicator: str, unit: str) -> Kind:
    if unit in ("%", "个百分点") and any(w in indicator for w in ("增长", "增速", "下降")):
        return Kind.GROWTH
    if unit == "%":
        return Kind.SHARE
    if indicator.startswith(("新增", "新建", "新招引", "引进", "完成")):
        return Kind.INCREMENT
    return Kind.LEVEL
