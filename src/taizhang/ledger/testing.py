"""Helpers for tests of any stage that needs a ledger: throwaway PostgreSQL databases.

Several test sessions share one PostgreSQL server, so nobody uses the `test` database itself:
each session creates `tz_<purpose>_<random>` through it and drops it at the end. The server
URL comes from `TAIZHANG_TEST_PG` (default postgresql+psycopg://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import os
import secrets
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from taizhang.ledger.models import Base
from taizhang.types import Comparator, Kind, Span, Target

PG_ENV = "TAIZHANG_TEST_PG"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pg_server_url() -> str:
    return os.environ.get(PG_ENV) or PG_DEFAULT


DROP_TIMEOUT = "120s"


@contextmanager
def throwaway_database(purpose: str) -> Iterator[str]:
    """Create a uniquely named PostgreSQL database, yield its URL, drop it afterwards.

    DROP DATABASE waits until every backend on the server has acknowledged it (a
    ProcSignalBarrier), so another session's long query can hold it up; after DROP_TIMEOUT the
    database is left behind with a warning instead of hanging the test run.
    """
    server = make_url(pg_server_url())
    name = f"tz_{purpose}_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f"SET statement_timeout = '{DROP_TIMEOUT}'"))
                try:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                except OperationalError as err:
                    warnings.warn(f"could not drop test database {name}: {err}", stacklevel=2)
    finally:
        admin.dispose()


@contextmanager
def throwaway_schema(url: str, purpose: str) -> Iterator[str]:
    """A fresh, empty schema in the database at `url`: yields a URL whose connections use it.

    Cheaper than a database per test, and dropping a schema needs no server-wide barrier.
    """
    name = f"tz_{purpose}_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        try:
            scoped = make_url(url).update_query_dict({"options": f"-csearch_path={name}"})
            yield scoped.render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    finally:
        admin.dispose()


def clear_ledger(engine: Engine) -> None:
    """Delete every row (keeping the schema) and restart ids, so tests see the same ids."""
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))


def make_target(
    indicator: str = "有效高新技术企业数量",
    value: str = "1200",
    *,
    subject: str | None = "江阴",
    comparator: Comparator = Comparator.GT,
    kind: Kind = Kind.LEVEL,
    unit: str = "家",
    deadline: date | None = date(2024, 12, 31),
    quote: str | None = None,
    value_max: str | None = None,
) -> Target:
    """A hand-made extractor result (the real extractor is not needed by ledger tests)."""
    quote = quote or f"{indicator}{value}{unit}"
    return Target(
        subject=subject,
        indicator=indicator,
        value=Decimal(value),
        value_max=Decimal(value_max) if value_max else None,
        unit=unit,
        comparator=comparator,
        kind=kind,
        deadline=deadline,
        value_text=f"{value}{unit}",
        value_span=Span(0, 1),
        quote=quote,
        quote_span=Span(0, len(quote)),
    )
