"""Portable SQL for the date and text arithmetic of tracking (SQLite and PostgreSQL).

Dates become day numbers (days since 1970-01-01) so that periods, elapsed shares and freshness
are plain arithmetic on both back ends: SQLite via `julianday`, PostgreSQL via date subtraction.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

EPOCH = date(1970, 1, 1)
_JULIAN_EPOCH = 2440587.5  # julianday('1970-01-01')


def day_of(day: date) -> int:
    """The day number of a Python date (the same scale as `day_number`)."""
    return (day - EPOCH).days


def date_of(number: float | None) -> date | None:
    """Inverse of `day_of`, for day numbers read back from SQL."""
    return None if number is None else EPOCH + timedelta(days=round(number))


class day_number(FunctionElement[float]):
    """Days since 1970-01-01 of a DATE column; NULL stays NULL."""

    type = Float()
    inherit_cache = True


class year_start_day(FunctionElement[float]):
    """Day number of 1 January of the year of a DATE column."""

    type = Float()
    inherit_cache = True


class contains_text(FunctionElement[bool]):
    """Case-sensitive substring test (SQLite's LIKE ignores ASCII case, so LIKE will not do)."""

    inherit_cache = True


def _arg(compiler: SQLCompiler, element: FunctionElement[Any], index: int, **kw: Any) -> str:
    clause: ColumnElement[Any] = list(element.clauses)[index]
    return compiler.process(clause, **kw)


@compiles(day_number, "sqlite")
def _day_sqlite(element: day_number, compiler: SQLCompiler, **kw: Any) -> str:
    return f"(julianday({_arg(compiler, element, 0, **kw)}) - {_JULIAN_EPOCH})"


@compiles(day_number, "postgresql")
def _day_pg(element: day_number, compiler: SQLCompiler, **kw: Any) -> str:
    return f"(CAST({_arg(compiler, element, 0, **kw)} AS DATE) - DATE '1970-01-01')"


@compiles(year_start_day, "sqlite")
def _ys_sqlite(element: year_start_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"(julianday({_arg(compiler, element, 0, **kw)}, 'start of year') - {_JULIAN_EPOCH})"


@compiles(year_start_day, "postgresql")
def _ys_pg(element: year_start_day, compiler: SQLCompiler, **kw: Any) -> str:
    inner = _arg(compiler, element, 0, **kw)
    return f"(CAST(date_trunc('year', CAST({inner} AS DATE)) AS DATE) - DATE '1970-01-01')"


@compiles(contains_text, "sqlite")
def _contains_sqlite(element: contains_text, compiler: SQLCompiler, **kw: Any) -> str:
    hay, needle = _arg(compiler, element, 0, **kw), _arg(compiler, element, 1, **kw)
    return f"(instr({hay}, {needle}) > 0)"


@compiles(contains_text, "postgresql")
def _contains_pg(element: contains_text, compiler: SQLCompiler, **kw: Any) -> str:
    hay, needle = _arg(compiler, element, 0, **kw), _arg(compiler, element, 1, **kw)
    return f"(strpos({hay}, {needle}) > 0)"
