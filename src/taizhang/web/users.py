"""Users and API tokens (created from the CLI; the web has no sign-up)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from taizhang.errors import LedgerError, NotFound
from taizhang.ledger.models import ApiToken, AuditLog, Role, Unit, UnitAlias, User
from taizhang.web.security import hash_password, new_api_token, token_digest

MIN_PASSWORD = 8


def find_unit(session: Session, name: str) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.name == name)) or session.scalar(
        select(Unit).join(UnitAlias).where(UnitAlias.alias == name))
    if unit is None:
        known = ", ".join(session.scalars(select(Unit.name).order_by(Unit.name).limit(30)))
        raise NotFound(f"no unit named {name!r}; known units: {known or '(none yet: ingest a document first)'}")
    return unit


def add_user(session: Session, *, username: str, password: str, role: str,
             unit_name: str | None, actor: str = "cli") -> User:
    if role not in {r.value for r in Role}:
        raise LedgerError(f"unknown role {role!r}; use admin, supervisor or reporter")
    if len(password) < MIN_PASSWORD:
        raise LedgerError(f"password too short: use at least {MIN_PASSWORD} characters")
    if role == Role.REPORTER.value and not unit_name:
        raise LedgerError("a reporter needs --unit (the unit he reports for)")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise LedgerError(f"user {username!r} already exists")
    unit = find_unit(session, unit_name) if unit_name else None
    user = User(username=username, password_hash=hash_password(password), role=role,
                unit_id=unit.id if unit else None)
    session.add(user)
    session.flush()
    session.add(AuditLog(actor=actor, action="create", entity="user", entity_id=user.id,
                         details={"username": username, "role": role, "unit": unit_name}))
    return user


def create_token(session: Session, *, username: str, name: str = "", actor: str = "cli") -> str:
    """A new API token for `username`; the plain token is returned once and never stored."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user named {username!r}; create one with `taizhang user add`")
    token = new_api_token()
    row = ApiToken(user_id=user.id, token_hash=token_digest(token), name=name)
    session.add(row)
    session.flush()
    session.add(AuditLog(actor=actor, action="create", entity="api_token", entity_id=row.id,
                         details={"user": username, "name": name}))
    return token
