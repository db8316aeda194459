"""Alembic environment: runs on the engine handed over in `config.attributes["engine"]`.

`render_as_batch=True` so that ALTERs work on SQLite (table copy-and-move).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

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
        with engine.begin() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=True,
                compare_type=True,
            )
            context.run_migrations()
    finally:
        if owned:
            engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run `taizhang db upgrade`")
run_migrations_online()
