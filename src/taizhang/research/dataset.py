"""The batch dataset on disk: three Parquet tables, partitioned by the document's year.

    DIR/documents/year=2026/part-<run>-<n>-0.parquet    one row per input file
    DIR/targets/year=2026/part-<run>-<n>-0.parquet      one row per target
    DIR/results/year=2026/…                             one row per reported result

`year` is the document's year (hive partitioning: pyarrow, DuckDB and pandas read it as a
column). Every target and result row carries its provenance: `document_id` (the sha256 of the
file's bytes), `path` (as given to `taizhang batch`), the value's span and the quote with its span
(code-point offsets into the text the reader returned). A flush writes the target and result
files of a group of documents first and the documents file last, under one name: a run killed
in between leaves files without their documents file, which the next run deletes
(`remove_orphans`), so a document is either complete in the dataset or absent from it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds

TABLES = ("documents", "targets", "results")

_PROVENANCE = [
    ("document_id", pa.string()),
    ("path", pa.string()),
    ("seq", pa.int32()),  # order of the row within its document
    ("subject", pa.string()),
    ("indicator", pa.string()),
    ("indicator_key", pa.string()),  # the standard key, or null (indicators.tsv)
    ("value", pa.float64()),
    ("value_max", pa.float64()),
    ("unit", pa.string()),
    ("comparator", pa.string()),
    ("kind", pa.string()),
]
_SPANS = [
    ("value_text", pa.string()),
    ("value_start", pa.int64()),
    ("value_end", pa.int64()),
    ("quote", pa.string()),
    ("quote_start", pa.int64()),
    ("quote_end", pa.int64()),
    ("rules", pa.list_(pa.string())),
]

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema(
        [
            ("document_id", pa.string()),
            ("path", pa.string()),
            ("sha256", pa.string()),
            ("title", pa.string()),
            ("region", pa.string()),
            ("level", pa.string()),
            ("date", pa.date32()),
            ("genre", pa.string()),
            ("format", pa.string()),
            ("chars", pa.int64()),
            ("status", pa.string()),  # ok | read_error | failed
            ("error", pa.string()),
            ("targets", pa.int32()),
            ("results", pa.int32()),
            ("year", pa.int32()),
        ]
    ),
    "targets": pa.schema(
        [
            *_PROVENANCE,
            ("deadline", pa.date32()),
            ("recurring", pa.string()),
            ("commitment", pa.string()),
            ("qualifier", pa.string()),
            ("flags", pa.list_(pa.string())),
            *_SPANS,
            ("year", pa.int32()),
        ]
    ),
    "results": pa.schema(
        [
            *_PROVENANCE,
            ("period_start", pa.date32()),
            ("period_end", pa.date32()),
            *_SPANS,
            ("year", pa.int32()),
        ]
    ),
}
_PARTITIONING = ds.partitioning(pa.schema([("year", pa.int32())]), flavor="hive")


def write_part(out: Path, table: str, rows: list[dict[str, Any]], name: str) -> None:
    """Write rows of one table as the part files `name-<i>.parquet` (one per year)."""
    if rows:
        write_table(out, table, pa.Table.from_pylist(rows, schema=SCHEMAS[table]), name)


def write_table(out: Path, table: str, data: pa.Table, name: str) -> None:
    """Write an Arrow table of one of the three tables as `name-<i>.parquet` files."""
    if data.num_rows == 0:
        return
    ds.write_dataset(
        data,
        out / table,
        format="parquet",
        partitioning=_PARTITIONING,
        basename_template=f"{name}-{{i}}.parquet",
        existing_data_behavior="overwrite_or_ignore",
    )


def read_table(out: Path, table: str) -> pa.Table:
    """One table of a dataset (empty, with its schema, if nothing was written yet)."""
    folder = out / table
    if not folder.is_dir() or not any(folder.rglob("*.parquet")):
        return SCHEMAS[table].empty_table()
    dataset = ds.dataset(folder, format="parquet", schema=SCHEMAS[table], partitioning=_PARTITIONING)
    return dataset.to_table()


def is_dataset(out: Path) -> bool:
    return (out / "documents").is_dir()


def part_names(out: Path, table: str) -> set[str]:
    """The flush names (`part-<run>-<n>`) that have files in a table."""
    return {p.name.rsplit("-", 1)[0] for p in (out / table).rglob("part-*.parquet")}


def remove_orphans(out: Path) -> int:
    """Delete target/result files of flushes whose documents file was never written."""
    done = part_names(out, "documents")
    removed = 0
    for table in ("targets", "results"):
        for p in (out / table).rglob("part-*.parquet"):
            if p.name.rsplit("-", 1)[0] not in done:
                p.unlink()
                removed += 1
    return removed


def sorted_rows(table: pa.Table) -> list[dict[str, Any]]:
    """Rows in a canonical order (document, then position): two runs compare equal row by row."""
    keys = [("document_id", "ascending"), ("path", "ascending")]
    if "seq" in table.column_names:
        keys.append(("seq", "ascending"))
    return table.sort_by(keys).to_pylist()
