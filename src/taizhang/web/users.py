"""Users and API tokens (created from the CLI; the web has no sign-up)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from taizhang.errors import LedgerError, NotFound
from taizhang.ledger.models import ApiToken, Role, Unit, User
from taizhang.ledger.units import find_unit as ledger_find_unit
from taizhang.web.security import hash_password, new_api_token, token_digest

MIN_PASSWORD = 8


def find_unit(session: Session, name: str) -> Unit:
    unit = ledger_find_unit(session, name)
    if unit is None:
        known = ", ".join(session.scalars(select(Unit.name).order_by(Unit.name).limit(30)))
        raise NotFound(f"no unit named {name!r}; known units: {known or '(none yet: ingest a document first)'}")
    return unit


def add_user(session: Session, *, username: str, password: str, role: str,
             unit_name: str | None) -> User:
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
    session.flush()  # the ledger's audit log records the new user (hash redacted)
    return user


def create_token(session: Session, *, username: str, name: str = "") -> str:
    """A new API token for `username`; the plain token is returned once and never stored."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user named {username!r}; create one with `taizhang user add`")
    token = new_api_token()
    row = ApiToken(user_id=user.id, token_hash=token_digest(token), name=name)
    session.add(row)
    session.flush()
    return token
