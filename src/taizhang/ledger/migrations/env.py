"""Alembic environment: runs on the engine handed over in `config.attributes["engine"]`.

`render_as_batch=True` so that ALTERs work on SQLite (table copy-and-move).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, Engine

from taizhang.ledger.db import make_engine
from taizhang.ledger.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine: Engine | None = config.attributes.get("engine")
    owned = engine is None
    if engine is None:
        engine = make_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.connect() as connection:
            sqlite = engine.dialect.name == "sqlite"
            if sqlite:
                # A batch ALTER copies a table; with foreign keys enforced, dropping the old copy
                # of a table that other rows refer to fails. Off for the migration (outside any
                # transaction, where SQLite honours it), checked and back on afterwards.
                _pragma(connection, "PRAGMA foreign_keys=OFF")
            try:
                with connection.begin():
                    context.configure(
                        connection=connection,
                        target_metadata=target_metadata,
                        render_as_batch=True,
                        compare_type=True,
                    )
                    context.run_migrations()
                    if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                        raise RuntimeError("the migration left rows whose foreign keys dangle")
            finally:
                if sqlite:
                    _pragma(connection, "PRAGMA foreign_keys=ON")
    finally:
        if owned:
            engine.dispose()


def _pragma(connection: Connection, statement: str) -> None:
    """Run a PRAGMA on the driver connection, outside SQLAlchemy's transaction handling."""
    connection.connection.dbapi_connection.execute(statement)  # type: ignore[union-attr]


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run `taizhang db upgrade`")
run_migrations_online()
