"""Login throttling: failed logins are counted per account and per client address, in the ledger.

After `ACCOUNT_LIMIT` failures for one user name (known or not: the answer must not tell which)
or `ADDRESS_LIMIT` from one client address within `WINDOW`, further attempts are refused for
`LOCKOUT` without checking the password. The counts live in `login_throttle`, so every worker
and every restart sees them; an admin clears a lock with `taizhang user unlock NAME` or on
/admin/users. A successful login clears its account's count (not the address's: one's own
account must not reset the budget for guessing others).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from taizhang.ledger.models import LoginThrottle, utcnow

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)


def account_key(username: str) -> str:
    return f"user:{username.strip().lower()}"[:200]


def address_key(address: str | None) -> str:
    return f"addr:{address or 'unknown'}"[:200]


@dataclass(frozen=True, slots=True)
class Lock:
    key: str
    until: datetime

    @property
    def minutes(self) -> int:
        return max(1, -(-int((self.until - utcnow()).total_seconds()) // 60))


def locked(session: Session, keys: list[str], now: datetime | None = None) -> Lock | None:
    """The lock in force on any of `keys`, if one is."""
    now = now or utcnow()
    row = session.execute(
        select(LoginThrottle.key, LoginThrottle.locked_until)
        .where(LoginThrottle.key.in_(keys), LoginThrottle.locked_until > now)
        .order_by(LoginThrottle.locked_until.desc())
    ).first()
    return Lock(row.key, row.locked_until) if row else None


def record_failure(session: Session, key: str, limit: int, now: datetime | None = None) -> None:
    """Count a failed login of `key`; the `limit`-th within the window locks it."""
    now = now or utcnow()
    row = session.execute(select(LoginThrottle.failures, LoginThrottle.window_start)
                          .where(LoginThrottle.key == key)).first()
    if row is None:
        try:
            with session.begin_nested():
                session.execute(insert(LoginThrottle).values(
                    key=key, failures=1, window_start=now,
                    locked_until=now + LOCKOUT if limit <= 1 else None))
            return
        except IntegrityError:  # another worker counted the first failure at the same time
            pass
    elif now - row.window_start > WINDOW:
        session.execute(update(LoginThrottle).where(LoginThrottle.key == key)
                        .values(failures=1, window_start=now, locked_until=None))
        return
    session.execute(update(LoginThrottle).where(LoginThrottle.key == key)
                    .values(failures=LoginThrottle.failures + 1))
    session.execute(update(LoginThrottle)
                    .where(LoginThrottle.key == key, LoginThrottle.failures >= limit)
                    .values(locked_until=now + LOCKOUT))


def clear(session: Session, keys: list[str]) -> int:
    """Forget the failures of `keys` (a success, or an admin's unlock); the rows removed."""
    return session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(keys))).rowcount or 0
