"""Engines, sessions and migrations. Nothing here runs at import time.

The ledger URL comes from, in order: the `url` argument (`--db`), the environment variable
`TAIZHANG_DB`, then `sqlite:///taizhang.db` (a file in the working directory). A bare path
(`ledger.db`) is taken as a SQLite file.

SQLite is tuned for several processes sharing one file: WAL journal and a 30 s busy timeout.
Writing transactions start with `BEGIN IMMEDIATE`, so that two writers queue on the lock
instead of failing with "database is locked" when a read transaction tries to become a write
transaction. Reading transactions (`read_only(engine)`, `session_scope(..., write=False)`)
start with a plain `BEGIN`: under WAL they read a snapshot beside the writer and never wait
for it, not even behind a long ingest.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from taizhang.errors import LedgerError

DEFAULT_URL = "sqlite:///taizhang.db"
ENV_VAR = "TAIZHANG_DB"
MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_S = 30
READ_ONLY = "taizhang_read_only"  # execution option of reading connections (see read_only)


def resolve_url(url: str | None = None) -> str:
    """The ledger URL from the argument, `TAIZHANG_DB` or the default; bare paths → SQLite."""
    url = url or os.environ.get(ENV_VAR) or DEFAULT_URL
    if "://" not in url:
        url = f"sqlite:///{url}"
    if url.startswith(("postgresql://", "postgres://")):
        # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for the ledger at `url` (see `resolve_url`), SQLite tuned for sharing."""
    url = resolve_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        ping = kwargs.pop("pool_pre_ping", None)
        if parsed.get_backend_name() == "postgresql":
            # the status query is one large expression: PostgreSQL's JIT spent minutes and
            # gigabytes compiling it (measured with 100,000 targets), the query needs a second
            connect_args = kwargs.setdefault("connect_args", {})
            given = connect_args.get("options") or parsed.query.get("options") or ""
            if "jit" not in str(given):  # keep options of the URL (search_path of a schema)
                connect_args["options"] = f"{given} -c jit=off".strip()
        engine = create_engine(url, pool_pre_ping=bool(ping), **kwargs)
        if ping is None:
            ping_when_idle(engine)
        return engine
    memory = parsed.database in (None, "", ":memory:")
    if memory:
        kwargs.setdefault("poolclass", StaticPool)
    connect_args = kwargs.pop("connect_args", {})
    busy_timeout = connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_S)
    connect_args.setdefault("check_same_thread", False)
    engine = create_engine(url, connect_args=connect_args, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY)
                             else "BEGIN IMMEDIATE")

    return engine


PING_AFTER_IDLE_S = 2.0
_IDLE_SINCE = "taizhang_idle_since"


def ping_when_idle(engine: Engine, after: float = PING_AFTER_IDLE_S) -> None:
    """Check a pooled connection before use when it has lain unused for `after` seconds.

    A database restart or an idle timeout kills connections that wait in the pool; checked
    before use, such a connection is replaced instead of failing a request. SQLAlchemy's
    `pool_pre_ping` checks on every checkout, a round trip per web request (its wait and
    wake-up were about a tenth of the list API's CPU); a connection back in the pool a moment
    ago has had no time to die quietly. Should it have died anyway (the server restarted under
    load), that statement fails, and SQLAlchemy then drops every connection of the pool.
    """

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_IDLE_SINCE)  # None: a new connection
        if since is None or time.monotonic() - since < after:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as err:  # noqa: BLE001 - any failure: the pool connects anew
            raise DisconnectionError(f"pooled connection failed its check: {err}") from err


def read_only(engine: Engine) -> Engine:
    """The same engine for reading: on SQLite its transactions take no write lock."""
    reading: Engine | None = getattr(engine, "_taizhang_reading", None)
    if reading is None:
        reading = engine.execution_options(**{READ_ONLY: True})
        engine._taizhang_reading = reading  # type: ignore[attr-defined]  # lives as long as engine
    return reading


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (the CLI prints them).

    One per engine: a sessionmaker makes a Session class, and setting up a class's events
    cost more than the rest of a short transaction (ingest opens two per document)."""
    made: sessionmaker[Session] | None = getattr(engine, "_taizhang_sessions", None)
    if made is None:
        made = sessionmaker(engine, expire_on_commit=False)
        engine._taizhang_sessions = made  # type: ignore[attr-defined]
    return made


@contextmanager
def session_scope(
    engine: Engine, *, actor: str = "system", write: bool = True
) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error. `actor` goes to the audit log.

    `write=False` for a transaction that only reads (see the module docstring).
    """
    session = make_sessionmaker(engine if write else read_only(engine))()
    session.info["actor"] = actor
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


# Advisory lock keys of PostgreSQL (two int4: the namespace, then the object).
LOCK_NAMESPACE = 0x747A  # "tz"
SCHEMA_LOCK = 0  # creating or upgrading the schema
ROW_LOCKS = {"units": LOCK_NAMESPACE + 1, "targets": LOCK_NAMESPACE + 2}  # see `lock_ids`


def upgrade(url: str | Engine | None = None, revision: str = "head") -> None:
    """Create or upgrade the ledger schema in place by running the migrations.

    Processes that start at once on a new ledger all get here: the first one migrates, the
    others wait for it and then find the schema at head (Alembic reads the revision after the
    lock). On PostgreSQL the lock is an advisory lock; on SQLite the migration is one
    `BEGIN IMMEDIATE` transaction, which holds the file's write lock.
    """
    engine = url if isinstance(url, Engine) else make_engine(url)
    try:
        with _schema_lock(engine):
            command.upgrade(alembic_config(engine), revision)
    finally:
        if not isinstance(url, Engine):
            engine.dispose()


@contextmanager
def _schema_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("SELECT pg_advisory_lock(:ns, :key)"),
                     {"ns": LOCK_NAMESPACE, "key": SCHEMA_LOCK})
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:ns, :key)"),
                         {"ns": LOCK_NAMESPACE, "key": SCHEMA_LOCK})


def open_ledger(url: str | None = None, *, create: bool = False) -> Engine:
    """An engine for a ledger at the current schema version.

    Only `create=True` (what `taizhang ingest` and `taizhang db init` ask for) makes a new
    ledger; otherwise a missing SQLite file or an empty database is refused with a hint, so
    that a mistyped `--db` never silently starts an empty ledger. An older ledger is refused
    too: upgrading shared data should be a deliberate `taizhang db upgrade`. A database that
    cannot be reached is a `LedgerError` saying why, never a driver traceback.
    """
    url = resolve_url(url)
    parsed = make_url(url)
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite" and not create:
        path = parsed.database
        if path not in (None, "", ":memory:") and not Path(path).exists():
            raise LedgerError(
                f"no ledger at {shown}: the file {path} does not exist (a mistyped --db?); "
                "create a ledger with `taizhang db init` or `taizhang ingest`"
            )
    engine = make_engine(url)
    try:
        # tables first, the revision after: a creator in another process commits both at once,
        # so whoever sees its tables also sees its revision (never "revision none")
        has_tables = _has_tables(engine)
        current = current_revision(engine)
        head = head_revision()
        if current == head:
            return engine
        empty = current is None and not has_tables
    except OperationalError as err:
        engine.dispose()
        reason = str(err.orig or err).strip().splitlines()[0]
        raise LedgerError(f"cannot open the ledger at {shown}: {reason}") from None
    if empty and create:
        upgrade(engine)
        return engine
    engine.dispose()
    if empty:
        raise LedgerError(
            f"the database at {shown} holds no ledger; create one with `taizhang db init`"
        )
    raise LedgerError(
        f"the ledger at {shown} is at schema "
        f"revision {current or 'none'}, this taizhang needs {head}: run `taizhang db upgrade`"
    )


def _has_tables(engine: Engine) -> bool:
    return bool(inspect(engine).get_table_names())


def lock_ids(session: Session, kind: str, ids: Iterable[int]) -> None:
    """Serialise work on some units or targets (`kind`) between concurrent transactions.

    On PostgreSQL: transaction-level advisory locks on the ids, taken in ascending order so that
    two writers never wait for each other in a circle. Ingest locks the units whose open targets
    it matches restatements against; progress imports lock the targets they report on. SQLite
    needs none: its writing transactions already hold the file's write lock.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    keys = sorted(set(ids))
    if keys:  # one statement however many ids (an import may name 100,000 targets)
        session.execute(
            text("SELECT count(pg_advisory_xact_lock(:ns, k)) FROM "
                 "(SELECT unnest(CAST(:keys AS integer[])) AS k ORDER BY 1) AS ordered"),
            {"ns": ROW_LOCKS[kind], "keys": keys},
        )
