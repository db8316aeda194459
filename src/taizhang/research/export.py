"""The panel as a file: Parquet (pyarrow), CSV, or Stata .dta (pandas).

Spans become two integer columns each (`target_start`, `target_end` …) in CSV and .dta, where a
cell cannot hold a list; Parquet keeps them as lists. Stata names are at most 32 characters of
ASCII and strings at most 2045 bytes in format 117: quotes are cut there (the full quote is in
the Parquet and CSV files).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import IO, Any

from taizhang.formulas import csv_safe_record
from taizhang.research.panel import FIELDS

_SPANS = ("target_span", "target_quote_span", "result_span", "result_quote_span")
_DATES = ("deadline", "result_period_start", "result_period_end")
_STATA_STR_BYTES = 2045


def flat(row: dict[str, Any]) -> dict[str, Any]:
    """A row with spans as start/end columns and dates as ISO strings (CSV, Stata)."""
    out: dict[str, Any] = {}
    for name in FIELDS:
        value = row.get(name)
        if name in _SPANS:
            stem = name.removesuffix("_span")
            start, end = value if value else (None, None)
            out[f"{stem}_start"], out[f"{stem}_end"] = start, end
        elif name in _DATES:
            out[name] = value.isoformat() if isinstance(value, date) else value
        else:
            out[name] = value
    return out


def write_panel(rows: list[dict[str, Any]], target: Path | IO[str], fmt: str) -> None:
    if fmt == "csv":
        _write_csv(rows, target)
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        assert isinstance(target, Path)
        table = pa.Table.from_pylist([{k: r.get(k) for k in FIELDS} for r in rows], schema=_schema())
        pq.write_table(table, target)
    elif fmt == "dta":
        assert isinstance(target, Path)
        _write_dta(rows, target)
    else:
        raise ValueError(f"unknown panel format {fmt!r}; known: csv, parquet, dta")


def _write_csv(rows: list[dict[str, Any]], target: Path | IO[str]) -> None:
    flat_rows = [flat(r) for r in rows]
    fields = list(flat({}).keys())
    if isinstance(target, Path):
        with target.open("w", encoding="utf-8", newline="") as handle:
            _csv(handle, fields, flat_rows)
    else:
        _csv(target, fields, flat_rows)


def _csv(handle: IO[str], fields: list[str], rows: list[dict[str, Any]]) -> None:
    writer = csv.DictWriter(handle, fieldnames=fields)
    writer.writeheader()
    writer.writerows(csv_safe_record(r) for r in rows)


def _write_dta(rows: list[dict[str, Any]], path: Path) -> None:
    import pandas as pd

    frame = pd.DataFrame([flat(r) for r in rows], columns=list(flat({}).keys()))
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].map(_stata_str)
    for column in ("year", "statements", "period_start_year"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    for column in [c for c in frame.columns if c.endswith(("_start", "_end")) and "period" not in c]:
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    for column in ("target_value", "target_value_max", "result_value"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame.to_stata(path, write_index=False, version=118, variable_labels=_LABELS)


def _stata_str(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value)
    while len(text.encode("utf-8")) > _STATA_STR_BYTES:
        text = text[:-50]
    return text


_LABELS = {
    "indicator": "standard key (indicators.tsv) or the wording",
    "target_value": "target value (lower bound of a range)",
    "target_value_max": "upper bound of a range",
    "comparator": "gt ge le lt approx eq range",
    "verdict": "met, not_met, unclear",
}


def _schema() -> Any:
    import pyarrow as pa

    span = pa.list_(pa.int64())
    types = {
        "year": pa.int32(), "target_value": pa.float64(), "target_value_max": pa.float64(), "deadline": pa.date32(),
        "period_start_year": pa.int32(), "statements": pa.int32(), "result_value": pa.float64(),
        "result_period_start": pa.date32(), "result_period_end": pa.date32(),
        **{s: span for s in _SPANS},
    }
    return pa.schema([(name, types.get(name, pa.string())) for name in FIELDS])
