"""Who is asking: a `Principal` from the session cookie or an API token, and what he may touch.

Roles (the ledger's `Role`): admin and supervisor act on every unit; a reporter acts only on
targets of his own unit and its children (江阴's clerk may report for 江阴 and its zones, not
for 宜兴). Reads are open to every logged-in user; public mode has no users at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.types import Scope

from taizhang.ledger.models import ApiToken, Role, Unit, User
from taizhang.web.security import token_digest

SESSION_USER_KEY = "uid"


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
    bearer = _bearer(scope)
    if bearer is not None:
        row = session.execute(
            select(*_USER).join(ApiToken, ApiToken.user_id == User.id)
            .where(ApiToken.token_hash == token_digest(bearer))
        ).first()
        return _principal(session, row, "token")
    cookie_session: dict[str, Any] = scope.get("session") or {}
    uid = cookie_session.get(SESSION_USER_KEY)
    if isinstance(uid, int):
        return _principal(session, session.execute(select(*_USER).where(User.id == uid)).first(),
                          "session")
    return None


_USER = (User.id, User.username, User.role, User.unit_id, User.active)


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
    for uid, parent in session.execute(select(Unit.id, Unit.parent_id)):
        if parent is not None:
            children.setdefault(parent, []).append(uid)
    found, todo = {unit_id}, [unit_id]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found
