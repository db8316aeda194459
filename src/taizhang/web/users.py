"""Users and API tokens (created from the CLI; the web has no sign-up)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from taizhang.errors import LedgerError, NotFound
from taizhang.ledger.models import ApiToken, LoginSession, Role, Unit, User, utcnow
from taizhang.web import throttle
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
             unit_name: str | None, email: str | None = None) -> User:
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
                unit_id=unit.id if unit else None, email=_email(email))
    session.add(user)
    session.flush()  # the ledger's audit log records the new user (hash redacted)
    return user


def create_token(session: Session, *, username: str, name: str = "",
                 expires_days: int | None = None) -> str:
    """A new API token for `username`; the plain token is returned once and never stored.
    With `expires_days` it stops working that many days from now."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user named {username!r}; create one with `taizhang user add`")
    if expires_days is not None and expires_days <= 0:
        raise LedgerError("--expires-days must be a positive number of days")
    token = new_api_token()
    expires = utcnow() + timedelta(days=expires_days) if expires_days else None
    row = ApiToken(user_id=user.id, token_hash=token_digest(token), name=name, expires_at=expires)
    session.add(row)
    session.flush()
    return token


def list_tokens(session: Session, username: str | None = None) -> list[ApiToken]:
    """The tokens of `username` (of everyone without), oldest first; hashes only, of course."""
    query = select(ApiToken).join(User).order_by(ApiToken.id)
    if username is not None:
        query = query.where(User.id == get_user(session, username).id)
    return list(session.scalars(query))


def revoke_token(session: Session, token_id: int) -> ApiToken:
    """Revoke a token at once (kept, marked, for the record and the audit log)."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"no API token with id {token_id}; `taizhang token list` shows them")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
    return token


def end_sessions(session: Session, user_id: int) -> int:
    """Log the user out everywhere (password changed, user disabled); the logins ended."""
    return session.execute(delete(LoginSession).where(LoginSession.user_id == user_id)).rowcount or 0


def unlock(session: Session, username: str, address: str | None = None) -> int:
    """Clear the login lockout of `username` (and of a client `address`); the locks cleared."""
    keys = [throttle.account_key(username)]
    if address:
        keys.append(throttle.address_key(address))
    return throttle.clear(session, keys)


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user named {username!r}")
    return user


def update_user(session: Session, *, username: str, role: str | None = None,
                unit_name: str | None = None, email: str | None = None,
                active: bool | None = None) -> User:
    """Change a user's role, unit, e-mail or whether he may log in (a disabled user's sessions
    and tokens stop working at once: every request checks `active`)."""
    user = get_user(session, username)
    if role is not None:
        if role not in {r.value for r in Role}:
            raise LedgerError(f"unknown role {role!r}; use admin, supervisor or reporter")
        user.role = role
    if unit_name is not None:
        user.unit_id = find_unit(session, unit_name).id if unit_name.strip() else None
    if user.role == Role.REPORTER.value and user.unit_id is None:
        raise LedgerError("a reporter needs a unit (the unit he reports for)")
    if email is not None:
        user.email = _email(email)
    if active is not None:
        user.active = active
        if not active:
            end_sessions(session, user.id)
    session.flush()
    return user


def reset_password(session: Session, *, username: str, password: str) -> User:
    """Set a new password (an admin's reset, or the user's own change); every login of the
    user ends (whoever knew the old password is out), his API tokens stay."""
    if len(password) < MIN_PASSWORD:
        raise LedgerError(f"password too short: use at least {MIN_PASSWORD} characters")
    user = get_user(session, username)
    user.password_hash = hash_password(password)
    session.flush()
    end_sessions(session, user.id)
    return user


def _email(raw: str | None) -> str | None:
    text = (raw or "").strip()
    if text and ("@" not in text or " " in text or len(text) > 200):
        raise LedgerError(f"{text!r} is not an e-mail address")
    return text or None
