"""Reading CSV and XLSX tables whose columns are found by their headers."""

from __future__ import annotations

import csv
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from taizhang.errors import ImportFormatError

CSV_FIELD_LIMIT = 16 * 2**20


@dataclass(frozen=True, slots=True)
class TableRow:
    number: int  # 1-based row number as a spreadsheet shows it
    cells: dict[str, Any]  # field name → raw cell value (None when empty)


def normalise_header(text: Any) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split()).lower()


def read_rows(path: Path) -> list[list[Any]]:
    """All rows of a .csv (UTF-8, with or without BOM, or GB18030) or the first sheet of .xlsx."""
    return read_sheets(path, first_only=True)[0][1]


def read_sheets(path: Path, *, first_only: bool = False) -> list[tuple[str, list[list[Any]]]]:
    """(sheet name, rows) of every sheet of an .xlsx (of the first only with `first_only`), or
    ("", rows) of a .csv."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFormatError(f"{path}: not UTF-8 or GB18030 text")
        # a cell of a long note may exceed csv's default 131,072 characters: allow 16 MB
        csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
        try:
            return [("", [list(row) for row in csv.reader(text.splitlines())])]
        except csv.Error as err:
            raise ImportFormatError(f"{path}: not a readable CSV file ({err})") from None
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as err:  # 0 bytes, not a zip
            raise ImportFormatError(f"{path}: not a readable .xlsx file ({err})") from err
        try:
            sheets = book.worksheets[:1] if first_only else book.worksheets
            return [(sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)])
                    for sheet in sheets]
        finally:
            book.close()
    raise ImportFormatError(f"{path}: expected a .csv or .xlsx file, got {suffix or 'no suffix'}")


def find_columns(
    rows: Sequence[Sequence[Any]],
    headers: Mapping[str, Sequence[str]],
    *,
    required: Sequence[str],
    search_rows: int = 10,
) -> tuple[int, dict[str, int]]:
    """(header row index, field → column index); the header row may follow a title row."""
    wanted = {normalise_header(h): field for field, names in headers.items() for h in names}
    best: tuple[int, dict[str, int]] = (-1, {})
    for index, row in enumerate(rows[:search_rows]):
        found: dict[str, int] = {}
        for col, cell in enumerate(row):
            field = wanted.get(normalise_header(cell))
            if field is not None and field not in found:
                found[field] = col
        if len(found) > len(best[1]):
            best = (index, found)
    missing = [f for f in required if f not in best[1]]
    if missing:
        names = "; ".join(f"{f}: {' / '.join(headers[f])}" for f in missing)
        raise ImportFormatError(f"missing column(s) — expected headers {names}")
    return best


def table_rows(
    path: Path, headers: Mapping[str, Sequence[str]], *, required: Sequence[str]
) -> list[TableRow]:
    """The data rows of a table as field → cell, blank rows dropped."""
    rows = read_rows(path)
    header_index, columns = find_columns(rows, headers, required=required)
    result = []
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        cells = {
            field: _clean(row[col]) if col < len(row) else None for field, col in columns.items()
        }
        if any(v is not None for v in cells.values()):
            result.append(TableRow(offset, cells))
    return result


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value
