"""Passwords, API tokens and CSRF tokens.

Passwords use argon2id (argon2-cffi defaults, RFC 9106 low-memory profile). API tokens are
random and only their SHA-256 is stored: a leaked database does not leak usable tokens, and a
fast hash is enough because the token itself has 256 bits of entropy.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()

TOKEN_PREFIX = "tz_"


def hash_password(password: str) -> str:
    if not password:
        raise ValueError("empty password")
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches; never raises on a malformed stored hash."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY_HASH = _HASHER.hash("no user has this password")


def verify_unknown(password: str) -> bool:
    """A verification against a hash no one has: an unknown user name takes as long to refuse
    as a wrong password (else the time tells which names exist). Always False."""
    verify_password(_DUMMY_HASH, password)
    return False


def new_api_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)


def same_token(a: str | None, b: str | None) -> bool:
    """Constant-time comparison that treats a missing token as a mismatch."""
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
