"""FastAPI dependencies shared by the routers: database session, settings, user, CSRF.

One database session per request, login included: `request_session` opens it on first use
and keeps it in the request's state, where authentication, the route and the write guard all
find it; `get_session` closes it at the end. Reads (GET, HEAD) get a reading session, which on
SQLite takes no write lock (`ledger.read_only`) and on PostgreSQL runs in autocommit
(`app.reading_engine`).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated, Any

import anyio.to_thread
from fastapi import Depends, HTTPException, Path, Query, Request
from pydantic import BeforeValidator
from sqlalchemy.orm import Session
from starlette.types import Scope

from taizhang.web.auth import Principal, authenticate
from taizhang.web.guard import SAFE_METHODS
from taizhang.web.security import new_csrf_token, same_token
from taizhang.web.settings import WebSettings

CSRF_SESSION_KEY = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_STATE_KEY = "db"


class LoginRequired(Exception):
    """Raised by page dependencies; the app turns it into a redirect (pages) or 401 (API)."""


async def get_settings(request: Request) -> WebSettings:
    return request.app.state.settings  # type: ignore[no-any-return]


def request_session(scope: Scope) -> Session:
    """The request's database session, opened on first use (also by the write guard)."""
    state = scope.setdefault("state", {})
    session: Session | None = state.get(SESSION_STATE_KEY)
    if session is None:
        app_state = scope["app"].state
        reading = scope.get("method") in SAFE_METHODS
        factory = app_state.read_sessionmaker if reading else app_state.sessionmaker
        session = state[SESSION_STATE_KEY] = factory()
    return session


def close_request_session(scope: Scope) -> None:
    session: Session | None = scope.get("state", {}).pop(SESSION_STATE_KEY, None)
    if session is not None:
        session.close()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's session, without a thread hop to open it (a session connects on first
    use, in the route's thread). A reading session is closed on the event loop: its close
    does no database I/O (on PostgreSQL it is in autocommit, `app.reading_engine`; on SQLite
    ending a read transaction is a call into the library). A writing session may have to
    roll back over the network, which is done in a thread."""
    scope = request.scope
    try:
        yield request_session(scope)
    finally:
        if scope.get("method") in SAFE_METHODS:
            close_request_session(scope)
        else:
            await anyio.to_thread.run_sync(close_request_session, scope)


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[WebSettings, Depends(get_settings)]


def optional_user(request: Request) -> Principal | None:
    state = request.scope.setdefault("state", {})
    if "user" not in state:
        state["user"] = authenticate(request.scope, request_session(request.scope))
    return state["user"]  # type: ignore[no-any-return]


def viewer(request: Request, settings: SettingsDep, _session: SessionDep) -> Principal | None:
    """Anyone in public mode; otherwise a logged-in user (pages redirect to the login form)."""
    if settings.public:
        return None
    user = optional_user(request)
    if user is None:
        raise LoginRequired
    return user


def require_user(request: Request, _session: SessionDep) -> Principal:
    user = optional_user(request)
    if user is None:
        raise HTTPException(401, "请先登录 (login required)", headers={"WWW-Authenticate": "Bearer"})
    return user


async def check_csrf(request: Request, user: Annotated[Principal, Depends(require_user)]) -> Principal:
    """Cookie-authenticated writes must echo the session's CSRF token (form field or header).

    Requests with an API token are exempt: a browser never attaches a Bearer header on its own,
    so a cross-site form cannot forge one.
    """
    if user.via == "token":
        return user
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not same_token(request.session.get(CSRF_SESSION_KEY), sent):
        raise HTTPException(403, "CSRF 校验失败 (CSRF token missing or wrong): reload the page and try again")
    return user


def require_reviewer(user: Annotated[Principal, Depends(check_csrf)]) -> Principal:
    if not user.is_reviewer:
        raise HTTPException(403, "只有管理员和督查人员可以执行此操作 (admins and supervisors only)")
    return user


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use (templates put it in every form)."""
    token = request.session.get(CSRF_SESSION_KEY)
    if not isinstance(token, str):
        token = new_csrf_token()
        request.session[CSRF_SESSION_KEY] = token
    return token


ViewerDep = Annotated[Principal | None, Depends(viewer)]
WriterDep = Annotated[Principal, Depends(check_csrf)]
ReviewerDep = Annotated[Principal, Depends(require_reviewer)]

# Row ids are 32-bit integers on PostgreSQL; a larger number cannot name a row (and would
# overflow the driver), so it is a 422 at the edge instead of an error deep down.
MAX_ID = 2_147_483_647
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]


def _iso_date(value: Any) -> Any:
    """Only `YYYY-MM-DD` (or a date): pydantic would take `0` or `1700000000` for a Unix
    timestamp, and `as_of=0` quietly became 1970-01-01."""
    if isinstance(value, date) or (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
        return value
    raise ValueError("expected a date as YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
