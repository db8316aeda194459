"""Importing an office's Excel 台账: targets with numbers and tasks without (the export is in
`ledger.export`).

Columns are found by their headers (common synonyms included; a title row above the header is
fine). A row with a 目标值 is a target; a row without one is a task (重点工作任务), not an error:
its 牵头单位, 配合单位, 责任领导, 完成时限 and 节点 are kept. The sheet is stored as a document (its
rows as tab-separated text, so every target's and task's quote points at its row) and its
targets go through the same restatement logic as ingest; importing the same sheet twice adds
nothing. A workbook exported by taizhang is read back whole: the 台账 and 任务 sheets (汇总 is
skipped). Units must be known (ledger or gazetteer); unknown names are row errors that say how to
add them, or, with `create_units`, are added as departments under the office's unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from taizhang.errors import ImportFormatError, LedgerError
from taizhang.ledger.amounts import SCALES, scale_of
from taizhang.ledger.export import HEADERS, STATUS_LABELS, export_ledger, format_value
from taizhang.ledger.ingest import IngestResult, store_document
from taizhang.ledger.models import ProgressReport
from taizhang.ledger.tables import TableRow, find_columns, read_sheets
from taizhang.ledger.tasks import create_task, parse_milestones
from taizhang.ledger.units import add_unit, find_unit, gazetteer_entry
from taizhang.ledger.values import parse_date, parse_decimal
from taizhang.types import Comparator, Kind, Span
from taizhang.types import Target as ExtractedTarget

__all__ = ["HEADERS", "STATUS_LABELS", "LedgerImport", "export_ledger", "format_value",
           "import_ledger", "parse_target_value"]

# Import: field → accepted headers (first is ours).
LEDGER_HEADERS = {
    "number": ("目标编号", "编号", "任务编号"),
    "responsible": ("责任单位", "牵头单位", "单位名称", "责任部门", "牵头部门"),
    "support": ("配合单位", "协办单位", "配合部门", "责任单位（配合）"),
    "leader": ("责任领导", "分管领导", "牵头领导", "责任人"),
    "indicator": ("指标", "目标任务", "指标名称", "任务", "工作任务", "目标", "任务内容",
                  "重点任务", "重点工作任务", "工作内容"),
    "comparator": ("比较",),
    "value": ("目标值", "目标数值", "指标值", "目标任务值"),
    "value_max": ("上限", "目标上限"),
    "unit": ("单位", "计量单位"),
    "deadline": ("完成时限", "时限", "完成时间", "时间节点"),
    "milestones": ("节点", "推进节点", "阶段目标", "进度安排"),
    "cycle": ("报送周期", "报送频次"),
    "progress": ("最新进展", "当前进展", "进展情况", "完成情况"),
    "quote": ("来源原文", "原文", "依据"),
    "note": ("备注",),
}
SKIPPED_SHEETS = ("汇总",)
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
    r"^\s*(-?[\d.,]+)\s*(?:[^\d\s（(：:]*)\s*(?:[（(]截至\s*([^）)]+)[）)])?\s*(?:[:：]\s*(.*))?$", re.DOTALL
)
_YEAR_END = re.compile(r"^\s*(\d{4})\s*年\s*(?:(\d{1,2})\s*月)?\s*(?:底|末|底前|前)?\s*$")


@dataclass(frozen=True, slots=True)
class LedgerImport:
    result: IngestResult
    progress_added: int
    row_errors: tuple[tuple[int, str], ...]
    tasks_added: int = 0
    units_added: tuple[str, ...] = ()


@dataclass(slots=True)
class _TaskRow:
    number: int
    cells: dict[str, Any]
    span: Span
    line: str


def import_ledger(
    session: Session, path: Path, *, on: date, skip_invalid: bool = False,
    unit: str | None = None, create_units: bool = False,
) -> LedgerImport:
    """Import an office's 台账 as one document stating `on` the given date (module docstring).

    `unit` is the office's own unit (the issuing unit; the parent of units `create_units` adds).
    Row numbers in errors are the sheet's; in a workbook with several sheets, "任务!5".
    """
    sheets = [(name, rows) for name, rows in read_sheets(path) if name not in SKIPPED_SHEETS]
    multi = len(sheets) > 1
    lines: list[str] = []
    targets: list[ExtractedTarget] = []
    tasks: list[_TaskRow] = []
    progress: list[tuple[int, date, Decimal, str | None]] = []
    errors: list[tuple[int | str, str]] = []
    found_any = False
    for name, raw_rows in sheets:
        try:
            header_index, columns = find_columns(raw_rows, LEDGER_HEADERS, required=("indicator",))
        except ImportFormatError:
            if multi:
                continue  # a sheet that is no 台账 (notes, a cover page)
            raise
        found_any = True
        offset = sum(len(line) + 1 for line in lines)
        sheet_lines = ["\t".join(_cell_text(c) for c in row) for row in raw_rows]
        starts = [offset]
        for line in sheet_lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        lines.extend(sheet_lines)
        for index in range(header_index + 1, len(raw_rows)):
            row = TableRow(index + 1, {f: _at(raw_rows[index], c) for f, c in columns.items()})
            label: int | str = f"{name}!{row.number}" if multi else row.number
            if all(v is None for v in row.cells.values()):
                continue
            try:
                _check_units(session, row.cells, create_units)
                if row.cells.get("value") is None and "value" in columns and \
                        not str(row.cells.get("comparator") or "").strip():
                    tasks.append(_task_row(row, sheet_lines[index], starts[index], label))
                    continue
                if "value" not in columns:
                    tasks.append(_task_row(row, sheet_lines[index], starts[index], label))
                    continue
                target = _row_target(row, sheet_lines[index], starts[index])
                report = _row_progress(row, target)
                if report is not None:
                    _check_plausible(report[1], target)
            except LedgerError as err:
                errors.append((label, str(err)))
                continue
            if report is not None:
                progress.append((len(targets), *report))
            targets.append(target)
    if not found_any:
        find_columns(sheets[0][1] if sheets else [], LEDGER_HEADERS, required=("indicator",))
    if errors and not skip_invalid:
        raise ImportFormatError(
            f"{path}: {len(errors)} invalid row(s), nothing imported "
            "(fix them, or pass --skip-invalid to import the valid rows)",
            row_errors=errors,  # type: ignore[arg-type]
        )
    added_units = _add_units(session, targets, tasks, parent=unit) if create_units else []
    result = store_document(session, text="\n".join(lines), source=str(path), targets=targets,
                            date=on, title=path.stem, format=path.suffix.lstrip(".").lower(),
                            unit=unit)
    added = made = 0
    if result.status == "added":
        for position, as_of, value, note in progress:
            session.add(ProgressReport(target_id=result.target_ids[position], as_of=as_of,
                                       value=value, note=note, reporter=path.name))
            added += 1
        for task in tasks:
            _create_task(session, task, on=on, document_id=result.document_id)  # type: ignore[arg-type]
            made += 1
        session.flush()
    return LedgerImport(result, added, tuple(errors), made, tuple(added_units))  # type: ignore[arg-type]


def _names(raw: Any) -> list[str]:
    return [n.strip() for n in re.split(r"[、，,;；/\s]+", str(raw or "")) if n.strip()]


def _check_units(session: Session, cells: dict[str, Any], create_units: bool) -> None:
    """Every unit a row names must be known, unless the import may add it."""
    if create_units:
        return
    for field in ("responsible", "support"):
        for name in _names(cells.get(field)) if field == "support" else [str(cells.get(field) or "").strip()]:
            if name and find_unit(session, name) is None and gazetteer_entry(name) is None:
                raise LedgerError(
                    f"{'牵头' if field == 'responsible' else '配合'}单位 {name!r} is no unit of the "
                    f"ledger; add it (taizhang units add {name} --parent …) or import with "
                    "--create-units")


def _add_units(session: Session, targets: list[ExtractedTarget], tasks: list[_TaskRow],
               *, parent: str | None) -> list[str]:
    wanted = [t.subject for t in targets if t.subject]
    for task in tasks:
        wanted += [str(task.cells.get("responsible") or "").strip(), *_names(task.cells.get("support"))]
    added = []
    for name in dict.fromkeys(n for n in wanted if n):
        if find_unit(session, name) is None and gazetteer_entry(name) is None:
            add_unit(session, name, parent=parent)
            added.append(name)
    return added


def _task_row(row: TableRow, line: str, line_start: int, label: int | str) -> _TaskRow:
    if not str(row.cells.get("indicator") or "").strip():
        raise LedgerError("任务内容 is empty")
    return _TaskRow(row.number, row.cells, Span(line_start, line_start + len(line)), line)


def _create_task(session: Session, row: _TaskRow, *, on: date, document_id: int) -> None:
    cells = row.cells
    year = on.year
    lead = str(cells.get("responsible") or "").strip() or None
    create_task(
        session, title=str(cells["indicator"]).strip(), lead=lead, support=_names(cells.get("support")),
        leader=str(cells.get("leader") or "").strip() or None,
        deadline=cells.get("deadline") if isinstance(cells.get("deadline"), date)
        else str(cells.get("deadline") or ""),
        milestones=parse_milestones(cells.get("milestones"), year=year),
        report_cycle=str(cells.get("cycle") or ""), starts_on=on, document_id=document_id,
        quote=row.line, quote_span=(row.span.start, row.span.end),
    )


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
    if cells.get("comparator"):
        comparator = _COMPARATORS.get(str(cells["comparator"]).strip(), comparator)
    if cells.get("value_max") is not None:
        value_max = parse_decimal(cells["value_max"], what="上限")
    shown_unit = str(cells.get("unit") or "").strip()
    unit, factor = _base_unit(shown_unit)
    if factor != 1:  # a sheet in 亿元: the ledger keeps 元
        value = value * factor
        value_max = value_max * factor if value_max is not None else None
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
    if factor != 1 and value_text:
        value_text = f"{value_text}{shown_unit}"  # keeps the sheet's scale (亿) for display
    value_span = (
        Span(line_start + vat, line_start + vat + len(value_text)) if vat >= 0 else quote_span
    )
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


def _row_progress(row: TableRow, target: ExtractedTarget) -> tuple[date, Decimal, str | None] | None:
    raw = row.cells.get("progress")
    if raw is None:
        return None
    m = _PROGRESS.match(str(raw))
    if m is None or m[2] is None:
        return None  # free text without a number and a date stays in the document text
    value = parse_decimal(m[1], what="最新进展") * SCALES.get(scale_of(target.value_text, target.unit), 1)
    return parse_date(m[2], what="最新进展"), value, m[3] or None


_COMPARATORS = {">": "gt", "≥": "ge", "<": "lt", "≤": "le", "≈": "approx", "=": "eq", "区间": "range",
                "": "eq"}


def _base_unit(shown: str) -> tuple[str, Decimal]:
    """亿元 → (元, 1e8); 万千瓦 → (千瓦, 1e4); 家 → (家, 1)."""
    for word in ("万亿", "亿", "万"):
        if shown.startswith(word) and len(shown) > len(word):
            return shown[len(word):], SCALES[word]
    return shown, Decimal(1)


def _guess_kind(indicator: str, unit: str) -> Kind:
    if unit in ("%", "个百分点") and any(w in indicator for w in ("增长", "增速", "下降")):
        return Kind.GROWTH
    if unit == "%":
        return Kind.SHARE
    if indicator.startswith(("新增", "新建", "新招引", "引进", "完成")):
        return Kind.INCREMENT
    return Kind.LEVEL
