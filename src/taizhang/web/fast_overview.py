"""The cached overview answered in front of FastAPI: one query, one thread hop, no Jinja.

A cached overview is a string with two markers (`templating.render_shared`); what a request
adds is who is asking and whether the ledger moved. Through FastAPI that cost a pool
checkout with its ping, a transaction, two queries (login, then the ledger's version), route
matching, dependency solving and four thread hops — many times the substitution itself.
`CachedOverview` is plain ASGI middleware inside the session middleware: for `GET /` with a
browser login it asks the database once for the login's user and the ledger's version
together, and when the page for that (date, role) and version is in the cache it sends it
with the viewer's name and CSRF token filled in. Everything else — a miss, an expired or
revoked login, a flash message waiting, `?as_of=`, an API token, no CSRF token yet, a
database error — goes on to the app unchanged, which answers as before (and fills the cache).

The query runs on every request, so a logout, a password change or a deactivated user ends
the login at once here too, and a write anywhere (another worker, the CLI) moves the version
the page is checked against. On PostgreSQL it uses a small pool of its own in autocommit: no
ping on checkout (a connection that died fails the query, which sends the request on to the
app and drops the connection) and no BEGIN/ROLLBACK round trips around a single SELECT.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NamedTuple

import anyio.to_thread
from markupsafe import escape
from sqlalchemy import Engine, bindparam, create_engine, func, select
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Receive, Scope, Send

from taizhang.ledger import read_only
from taizhang.ledger.models import AuditLog, LoginSession, User, utcnow
from taizhang.web.asof import session_as_of
from taizhang.web.auth import SESSION_ID_KEY
from taizhang.web.deps import CSRF_SESSION_KEY
from taizhang.web.security import token_digest
from taizhang.web.templating import fill_marks

_VERSION = select(func.max(AuditLog.id)).scalar_subquery()
# the login's user and the ledger's version in one statement (one round trip, one snapshot)
LOGIN_AND_VERSION = (
    select(User.username, User.role, User.unit_id, User.active, _VERSION.label("version"))
    .join(LoginSession, LoginSession.user_id == User.id)
    .where(LoginSession.id_hash == bindparam("sid"), LoginSession.expires_at > bindparam("now"))
)
VERSION_ONLY = select(_VERSION.label("version"))
HEADERS = [(b"content-type", b"text/html; charset=utf-8")]


POOL = 4  # connections (and threads) per worker for the fast path's query


def limiter() -> anyio.CapacityLimiter:
    """Threads for the fast path's query at once (made in the app's lifespan, in its event
    loop); the other requests wait in the loop, not for a connection in a thread."""
    return anyio.CapacityLimiter(POOL)


def reader(engine: Engine) -> Engine:
    """The engine the fast path reads with: on PostgreSQL a small autocommit pool without
    pre-ping (module docstring); on SQLite the app's reading engine (no network, no ping)."""
    if engine.dialect.name != "postgresql":
        return read_only(engine)
    return create_engine(engine.url, isolation_level="AUTOCOMMIT", pool_pre_ping=False,
                         pool_reset_on_return=None, pool_size=POOL, max_overflow=0)


class CachedOverview:
    """Serves `GET /` from the overview cache when it can (module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["path"] != "/" or scope["method"] != "GET"
                or scope["query_string"] or not await self._answer(scope, send)):
            await self.app(scope, receive, send)

    async def _answer(self, scope: Scope, send: Send) -> bool:
        """Send the cached page and say True, or say False and send nothing."""
        state = scope["app"].state
        settings = state.settings
        cache = state.overview_cache.pages
        session: dict[str, Any] = scope.get("session") or {}
        if cache.ttl <= 0 or session.get("flash") or getattr(state, "fast_limiter", None) is None:
            return False
        if any(name == b"authorization" for name, _ in scope["headers"]):
            return False  # API tokens: the app notes their use
        if settings.public:
            sid = csrf = None
        else:
            sid, csrf = session.get(SESSION_ID_KEY), session.get(CSRF_SESSION_KEY)
            if not (isinstance(sid, str) and sid and isinstance(csrf, str)):
                return False
        row = await anyio.to_thread.run_sync(_look_up, state.fast_reader, sid, utcnow(),
                                             limiter=state.fast_limiter)
        if row is None:
            return False
        day = session_as_of(session)
        if settings.public:
            role, name = None, ""
        else:
            if not row.active:
                return False
            role, name = (row.role, row.unit_id), row.username
        page = cache.peek((day, settings.public, role), row.version or 0)
        if page is None:
            return False
        body = fill_marks(page, escape(name), escape(csrf or "")).encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [*HEADERS, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
        return True


def _look_up(engine: Engine, sid: str | None, now: datetime) -> Any:
    """The login's user with the ledger's version (the version alone without a login);
    None when the login is not valid or the database failed (the app then answers).

    On PostgreSQL straight through the driver: SQLAlchemy's statement handling around the
    cursor cost as much as the query's round trip. The timestamp is passed as the ledger
    stores it, naive UTC (`models.UTCDateTime`)."""
    if engine.dialect.name != "postgresql":
        try:
            with engine.connect() as conn:
                if sid is None:
                    return conn.execute(VERSION_ONLY).first()
                return conn.execute(LOGIN_AND_VERSION,
                                    {"sid": token_digest(sid), "now": now}).first()
        except SQLAlchemyError:
            return None
    sql = _sql(engine, sid is None)
    try:
        connection = engine.raw_connection()
    except SQLAlchemyError:
        return None
    try:
        cursor = connection.cursor()
        if sid is None:
            cursor.execute(sql)
        else:
            cursor.execute(sql, {"sid": token_digest(sid),
                                 "now": now.astimezone(UTC).replace(tzinfo=None)})
        found = cursor.fetchone()
        cursor.close()
    except Exception:  # noqa: BLE001 - any driver error: drop the connection, let the app answer
        connection.invalidate()
        return None
    finally:
        connection.close()
    if found is None:
        return None
    if sid is None:
        return Found("", None, None, True, found[0])
    return Found(*found)


class Found(NamedTuple):
    username: str
    role: str | None
    unit_id: int | None
    active: bool
    version: int | None


_SQL: dict[tuple[int, bool], str] = {}


def _sql(engine: Engine, version_only: bool) -> str:
    """The statement's text in the driver's parameter style, compiled once per engine."""
    key = (id(engine), version_only)
    if key not in _SQL:
        _SQL[key] = str((VERSION_ONLY if version_only else LOGIN_AND_VERSION)
                        .compile(dialect=engine.dialect))
    return _SQL[key]
