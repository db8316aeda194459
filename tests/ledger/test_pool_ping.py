"""PostgreSQL: a pooled connection is checked before use only when it lay idle a while
(`db.ping_when_idle`): a connection the server dropped meanwhile is replaced, not handed to a
request, and a connection in steady use costs no extra round trip."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from taizhang.ledger import make_engine
from taizhang.ledger import db

pytestmark = pytest.mark.postgres


def _kill(url: str, pid: int) -> None:
    other = make_engine(url)
    with other.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    other.dispose()


def test_an_idle_connection_killed_by_the_server_is_replaced(
        pg_ledger_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(pg_ledger_url, pool_size=1, max_overflow=0)
    try:
        with engine.connect() as conn:
            first = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        _kill(pg_ledger_url, first)
        now = db.time.monotonic()
        monkeypatch.setattr(db.time, "monotonic", lambda: now + db.PING_AFTER_IDLE_S + 1)
        with engine.connect() as conn:  # checked, found dead, replaced: no error
            second = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        assert second != first
    finally:
        engine.dispose()


def test_a_connection_in_steady_use_is_not_pinged(
        pg_ledger_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(pg_ledger_url, pool_size=1, max_overflow=0)
    pings: list[object] = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda c: pings.append(c) or real_ping(c))
    try:
        for _ in range(5):
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        assert pings == []  # back in the pool a moment ago: used as it is
        now = db.time.monotonic()
        monkeypatch.setattr(db.time, "monotonic", lambda: now + db.PING_AFTER_IDLE_S + 1)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        assert len(pings) == 1  # idle long enough: checked once
    finally:
        engine.dispose()


def test_pre_ping_asked_for_is_kept(pg_ledger_url: str) -> None:
    engine = make_engine(pg_ledger_url, pool_pre_ping=True)
    try:
        assert engine.pool._pre_ping
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        engine.dispose()
