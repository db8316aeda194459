"""Streamed output of the listing commands: JSON, CSV and (bounded) tables.

JSON and CSV are written row by row as the rows come from the ledger, so memory stays flat
whatever the size of the ledger (a million statuses as CSV: one row in memory at a time).
A table is different: rich lays out every cell of a table before printing it, about half a
millisecond per row here (measured: 100,000 rows took 57 s and 745 MB), so a table is shown up
to `TABLE_MAX_ROWS` rows and longer results are refused with a pointer to `--format csv`.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar

import click

from taizhang.formulas import csv_safe_row

T = TypeVar("T")

TABLE_MAX_ROWS = 5_000


def write_json(records: Iterable[dict[str, Any]]) -> None:
    """A JSON list of objects, exactly as `json.dumps(list, indent=2)` writes it, streamed."""
    out = sys.stdout
    with _pipe_closed_quietly():
        first = True
        for record in records:
            text = json.dumps(record, ensure_ascii=False, indent=2)
            out.write(("[\n" if first else ",\n") + "  " + text.replace("\n", "\n  "))
            first = False
        out.write("[]\n" if first else "\n]\n")
        out.flush()


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], *,
              safe: bool = False) -> None:
    """CSV with a header line, streamed (values as `csv` writes them; None is empty).

    Formula-like text is made inert (`formulas.csv_safe`) in every field, unless the caller
    says its rows are `safe` already (it guarded the fields that can hold such text). Lines
    go out `CSV_CHUNK` rows at a time: a write to stdout per row cost more than its line."""
    out = sys.stdout
    with _pipe_closed_quietly():
        lines: list[str] = []
        writer = csv.writer(_Lines(lines), lineterminator="\n")
        writer.writerow(header)
        it = iter(rows if safe else (csv_safe_row(row) for row in rows))
        while chunk := list(islice(it, CSV_CHUNK)):
            writer.writerows(chunk)
            out.write("".join(lines))
            lines.clear()
        out.write("".join(lines))
        out.flush()


CSV_CHUNK = 2_000


class _Lines:
    """A file for `csv.writer` that keeps the lines it is given in a list."""

    __slots__ = ("write",)

    def __init__(self, lines: list[str]) -> None:
        self.write = lines.append


def table_rows(
    items: Iterator[T], *, what: str, hint: str = "", formats: str = "csv (or json)"
) -> list[T]:
    """The items for a table, or a refusal if there are more than `TABLE_MAX_ROWS`.

    Stops reading at the first item over the limit, so a refusal costs little.
    """
    rows: list[T] = []
    for item in items:
        if len(rows) == TABLE_MAX_ROWS:
            close = getattr(items, "close", None)
            if close is not None:  # let the query's cursor go while the connection is open
                close()
            raise click.ClickException(
                f"more than {TABLE_MAX_ROWS:,} {what}: too many for a table; use --format "
                f"{formats}{hint}"
            )
        rows.append(item)
    return rows


class _pipe_closed_quietly:
    """`taizhang status --format csv | head` ends without a traceback when head exits."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: object, _tb: object) -> bool:
        if isinstance(error, BrokenPipeError):
            # Python would complain again when it flushes stdout at exit
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, sys.stdout.fileno())
            except (OSError, ValueError):  # not a real file (tests)
                pass
            raise SystemExit(1)
        return False
