"""Who is asking: a `Principal` from the session cookie or an API token, and what he may touch.

Roles (the ledger's `Role`): admin and supervisor act on every unit; a reporter acts only on
targets of his own unit and its children (江阴's clerk may report for 江阴 and its zones, not
for 宜兴). Reads are open to every logged-in user; public mode has no users at all.

A browser login is a row of `login_sessions`; the signed cookie carries only its random id
(`sid`), so logout, a password change or disabling the user ends it on the server, and a
copied cookie stops working. An API token counts while it is neither revoked nor expired; its
`last_used_at` is brought up to date (at most once a minute) after the request.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, delete, insert, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import Scope

from taizhang.ledger.models import ApiToken, LoginSession, Role, Unit, User, utcnow
from taizhang.web.security import token_digest

SESSION_ID_KEY = "sid"
TOUCH_KEY = "touch_token"  # scope state: the id of a token whose last_used_at is stale
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Principal:
    id: int
    username: str
    role: str
    unit_id: int | None
    unit_ids: frozenset[int]  # the reporter's unit and all units below it
    via: str  # "session" or "token"

    @property
    def is_reviewer(self) -> bool:
        return self.role in (Role.ADMIN.value, Role.SUPERVISOR.value)

    def may_report_for(self, unit_id: int | None) -> bool:
        if self.is_reviewer:
            return True
        return unit_id is not None and unit_id in self.unit_ids


def authenticate(scope: Scope, session: Session) -> Principal | None:
    """The principal of a request from its headers alone (never reads the body), looked up
    in the request's own database session."""
    now = utcnow()
    bearer = _bearer(scope)
    if bearer is not None:
        row = session.connection().execute(
            BY_TOKEN, {"digest": token_digest(bearer), "now": now}).first()
        principal = _principal(session, row, "token")
        if principal is not None and (row.last_used_at is None
                                      or now - row.last_used_at >= TOUCH_EVERY):
            scope.setdefault("state", {})[TOUCH_KEY] = row.token_id
        return principal
    cookie_session: dict[str, Any] = scope.get("session") or {}
    sid = cookie_session.get(SESSION_ID_KEY)
    if isinstance(sid, str) and sid:
        row = session.connection().execute(
            BY_LOGIN, {"digest": token_digest(sid), "now": now}).first()
        return _principal(session, row, "session")
    return None


def start_session(session: Session, user_id: int, max_age: int) -> str:
    """A new login of `user_id` valid for `max_age` seconds; returns the id for the cookie.
    Expired rows of the user are swept here (a user's logins are few)."""
    sid = secrets.token_urlsafe(32)
    now = utcnow()
    session.execute(delete(LoginSession).where(LoginSession.user_id == user_id,
                                               LoginSession.expires_at <= now))
    session.execute(insert(LoginSession).values(
        id_hash=token_digest(sid), user_id=user_id, created_at=now,
        expires_at=now + timedelta(seconds=max_age)))
    return sid


def end_session(session: Session, sid: object) -> None:
    """Logout: the login's row goes, so the same cookie is worth nothing afterwards."""
    if isinstance(sid, str) and sid:
        session.execute(delete(LoginSession).where(LoginSession.id_hash == token_digest(sid)))


def touch_token(scope: Scope) -> None:
    """Set `last_used_at` of the request's token, in a transaction of its own after the
    request (a reading request's session never writes). A busy ledger only delays it."""
    token_id = scope.get("state", {}).pop(TOUCH_KEY, None)
    if token_id is None:
        return
    factory: sessionmaker[Session] = scope["app"].state.sessionmaker
    try:
        with factory() as session:
            session.execute(update(ApiToken).where(ApiToken.id == token_id)
                            .values(last_used_at=utcnow()))
            session.commit()
    except SQLAlchemyError:
        pass


# Core statements built once (every request runs one; building it and its cache key cost
# more than the query), the hash and the time passed as parameters
_u, _t, _l = User.__table__, ApiToken.__table__, LoginSession.__table__
_USER = (_u.c.id, _u.c.username, _u.c.role, _u.c.unit_id, _u.c.active)
BY_TOKEN = (
    select(*_USER, _t.c.id.label("token_id"), _t.c.last_used_at)
    .join(_t, _t.c.user_id == _u.c.id)
    .where(_t.c.token_hash == bindparam("digest"), _t.c.revoked_at.is_(None),
           or_(_t.c.expires_at.is_(None), _t.c.expires_at > bindparam("now")))
)
BY_LOGIN = (
    select(*_USER).join(_l, _l.c.user_id == _u.c.id)
    .where(_l.c.id_hash == bindparam("digest"), _l.c.expires_at > bindparam("now"))
)
UNIT_PARENTS = select(Unit.__table__.c.id, Unit.__table__.c.parent_id)


def _bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            header: str = bytes(value).decode("latin-1")
            scheme, _, token = header.partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
    return None


def _principal(session: Session, user: Any, via: str) -> Principal | None:
    """From a row of `_USER` (a plain row query: no ORM object per request)."""
    if user is None or not user.active:
        return None
    units: frozenset[int] = frozenset()
    if user.unit_id is not None:
        units = frozenset(descendant_units(session, user.unit_id))
    return Principal(user.id, user.username, user.role, user.unit_id, units, via)


def descendant_units(session: Session, unit_id: int) -> set[int]:
    """`unit_id` and every unit below it (units are few: one query, walked in memory)."""
    children: dict[int, list[int]] = {}
    for uid, parent in session.connection().execute(UNIT_PARENTS):
        if parent is not None:
            children.setdefault(parent, []).append(uid)
    found, todo = {unit_id}, [unit_id]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found
