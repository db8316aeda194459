"""Text that a spreadsheet would run as a formula, made inert (CSV/formula injection, OWASP).

An indicator or quote from an imported sheet or a supervisor's edit may begin with `=`, `+`,
`-` or `@` (or a tab or carriage return, which some spreadsheets skip before such a sign);
Excel and LibreOffice would evaluate `=HYPERLINK(…)` or `=cmd|' /C calc'!A0` when the 台账 or a
CSV export is opened. CSV has no cell types, so such a field gets a leading apostrophe, as
OWASP advises; a plain signed number (-5, +3.2%) is left alone, it runs nothing. The Excel
writer keeps the text unchanged and marks the cell as text instead (`ledger.export`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"[+-]?\d[\d,]*(\.\d+)?%?")


def looks_like_formula(value: Any) -> bool:
    """True for text a spreadsheet might evaluate when it opens the file."""
    return (isinstance(value, str) and value.startswith(FORMULA_STARTS)
            and not _SIGNED_NUMBER.fullmatch(value))


def csv_safe(value: Any) -> Any:
    """`value` for a CSV field: formula-like text gets a leading apostrophe."""
    return "'" + value if looks_like_formula(value) else value


def csv_safe_row(row: Iterable[Any]) -> list[Any]:
    return [csv_safe(v) for v in row]


def csv_safe_record(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: csv_safe(v) for k, v in record.items()}
