"""`taizhang user …`, `taizhang token …` and `taizhang serve --help` (CliRunner); the commands
that end logins, lock or revoke run on SQLite and on PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, select, text

from taizhang.cli import cli
from taizhang.ledger import open_ledger, session_scope
from taizhang.ledger.models import ApiToken, Base, LoginSession, LoginThrottle, Unit, User, utcnow
from taizhang.web import throttle
from taizhang.web.security import token_digest, verify_password


def _ledger(tmp_path: Path) -> str:
    db = str(tmp_path / "ledger.db")
    engine = open_ledger(db, create=True)
    with session_scope(engine) as s:
        s.add(Unit(name="江阴", full_name="江阴市"))
    engine.dispose()
    return db


def test_user_add_and_token_create(tmp_path: Path) -> None:
    db = _ledger(tmp_path)
    runner = CliRunner()
    r = runner.invoke(cli, ["user", "add", "jy", "--role", "reporter", "--unit", "江阴市",
                            "--password-stdin", "--db", db], input="long-enough-pw\n")
    assert r.exit_code == 0, r.output
    assert r.output == "user jy (reporter, 江阴市) created\n"
    r = runner.invoke(cli, ["token", "create", "jy", "--name", "script", "--db", db])
    assert r.exit_code == 0, r.output
    token = r.output.strip()
    assert token.startswith("tz_") and len(token) > 40
    engine = open_ledger(db)
    with session_scope(engine) as s:
        user = s.scalar(select(User).where(User.username == "jy"))
        assert user is not None and user.role == "reporter"
        assert user.unit is not None and user.unit.name == "江阴"
        assert verify_password(user.password_hash, "long-enough-pw")
        assert s.scalar(select(ApiToken.token_hash)) == token_digest(token)
    engine.dispose()


def test_user_add_refuses_bad_input(tmp_path: Path) -> None:
    db = _ledger(tmp_path)
    runner = CliRunner()

    def add(*args: str, password: str = "long-enough-pw") -> tuple[int, str]:
        r = runner.invoke(cli, ["user", "add", *args, "--password-stdin", "--db", db],
                          input=password + "\n")
        return r.exit_code, r.output

    code, out = add("x", "--role", "reporter")
    assert code == 1 and "needs --unit" in out
    code, out = add("x", "--role", "reporter", "--unit", "宜兴")
    assert code == 1 and "no unit named '宜兴'" in out and "江阴" in out
    code, out = add("x", "--role", "admin", password="short")
    assert code == 1 and "at least 8" in out
    assert add("x", "--role", "admin")[0] == 0
    code, out = add("x", "--role", "admin")
    assert code == 1 and "already exists" in out
    code, out = add("y", "--role", "boss")
    assert code == 2 and "admin" in out
    r = runner.invoke(cli, ["token", "create", "nobody", "--db", db])
    assert r.exit_code == 1 and "no user named 'nobody'" in r.output


def test_serve_help_teaches() -> None:
    r = CliRunner().invoke(cli, ["serve", "--help"])
    assert r.exit_code == 0
    for option in ("--host", "--port", "--workers", "--public", "--db", "Example:"):
        assert option in r.output


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A ledger with 江阴 and the users wang (supervisor) and jy (reporter of 江阴)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'ledger.db'}"
        open_ledger(url, create=True).dispose()
    else:
        pg: Engine = request.getfixturevalue("pg_engine")
        url = pg.url.render_as_string(hide_password=False)
    runner = CliRunner()
    engine = open_ledger(url)
    with session_scope(engine) as s:
        s.add(Unit(name="江阴", full_name="江阴市"))
    for args in (["wang", "--role", "supervisor"], ["jy", "--role", "reporter", "--unit", "江阴"]):
        r = runner.invoke(cli, ["user", "add", *args, "--password-stdin", "--db", url],
                          input="first-password\n")
        assert r.exit_code == 0, r.output
    yield url
    if request.param != "sqlite":
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


def _cli(db: str, *args: str, stdin: str | None = None) -> tuple[int, str]:
    r = CliRunner().invoke(cli, [*args, "--db", db], input=stdin)
    return r.exit_code, r.output


def _user(db: str, name: str) -> User:
    engine = open_ledger(db)
    with session_scope(engine, write=False) as s:
        user = s.scalar(select(User).where(User.username == name))
        assert user is not None
        s.expunge(user)
    engine.dispose()
    return user


def _logins(db: str, name: str, add: int = 0) -> int:
    """The user's browser logins (after adding `add` of them)."""
    engine = open_ledger(db)
    with session_scope(engine) as s:
        uid = s.scalar(select(User.id).where(User.username == name))
        for k in range(add):
            s.add(LoginSession(id_hash=f"{name}-{k}".ljust(64, "0"), user_id=uid,
                               expires_at=utcnow() + timedelta(hours=1)))
        s.flush()
        n = s.scalar(select(func.count()).select_from(LoginSession)
                     .where(LoginSession.user_id == uid))
    engine.dispose()
    return int(n or 0)


def test_user_passwd_sets_the_password_and_ends_logins(db: str) -> None:
    _logins(db, "wang", add=2)
    _logins(db, "jy", add=1)
    assert _cli(db, "user", "passwd", "wang", "--password-stdin", stdin="second-password\n") == (
        0, "password of wang changed; his logins have ended\n")
    user = _user(db, "wang")
    assert verify_password(user.password_hash, "second-password")
    assert not verify_password(user.password_hash, "first-password")
    assert _logins(db, "wang") == 0 and _logins(db, "jy") == 1  # only his
    code, out = _cli(db, "user", "passwd", "wang", "--password-stdin", stdin="short\n")
    assert code == 1 and "too short" in out
    assert verify_password(_user(db, "wang").password_hash, "second-password")
    code, out = _cli(db, "user", "passwd", "nobody", "--password-stdin", stdin="long-enough-1\n")
    assert code == 1 and "no user named 'nobody'" in out


def test_user_deactivate_and_activate(db: str) -> None:
    _logins(db, "jy", add=2)
    assert _cli(db, "user", "deactivate", "jy") == (0, "user jy deactivated\n")
    assert _user(db, "jy").active is False and _logins(db, "jy") == 0
    assert _user(db, "wang").active is True
    assert _cli(db, "user", "activate", "jy") == (0, "user jy activated\n")
    assert _user(db, "jy").active is True
    code, out = _cli(db, "user", "deactivate", "nobody")
    assert code == 1 and "no user named 'nobody'" in out


def test_user_unlock_clears_the_account_and_address_locks(db: str) -> None:
    engine = open_ledger(db)
    with session_scope(engine) as s:
        for _ in range(throttle.ACCOUNT_LIMIT):
            throttle.record_failure(s, throttle.account_key("wang"), throttle.ACCOUNT_LIMIT)
        for _ in range(throttle.ADDRESS_LIMIT):
            throttle.record_failure(s, throttle.address_key("10.0.0.7"), throttle.ADDRESS_LIMIT)
    with session_scope(engine, write=False) as s:
        keys = [throttle.account_key("wang"), throttle.address_key("10.0.0.7")]
        assert throttle.locked(s, keys[:1]) is not None and throttle.locked(s, keys[1:]) is not None
    assert _cli(db, "user", "unlock", "wang") == (0, "cleared 1 lock(s) of wang\n")
    with session_scope(engine, write=False) as s:
        assert throttle.locked(s, keys[:1]) is None and throttle.locked(s, keys[1:]) is not None
    assert _cli(db, "user", "unlock", "wang", "--address", "10.0.0.7") == (
        0, "cleared 1 lock(s) of wang\n")
    with session_scope(engine, write=False) as s:
        assert s.scalar(select(func.count()).select_from(LoginThrottle)) == 0
    engine.dispose()
    assert _cli(db, "user", "unlock", "wang") == (0, "wang was not locked\n")


def test_token_list_and_revoke(db: str) -> None:
    assert _cli(db, "token", "create", "wang", "--name", "nightly")[0] == 0
    code, token = _cli(db, "token", "create", "jy", "--expires-days", "30")
    assert code == 0
    code, out = _cli(db, "token", "list")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert re.fullmatch(r"1\twang\tnightly\tcreated \S+ \S+\tused -\texpires -\tactive", lines[0])
    assert re.fullmatch(r"2\tjy\t-\tcreated .*\texpires \d{4}-\d\d-\d\d \S+\tactive", lines[1])
    assert token_digest(token.strip()) not in out and token.strip() not in out
    assert _cli(db, "token", "list", "jy")[1].splitlines() == lines[1:]
    assert _cli(db, "token", "revoke", "2") == (0, "token 2 of jy revoked\n")
    code, out = _cli(db, "token", "list")
    assert out.splitlines()[0] == lines[0] and re.search(r"\trevoked \d{4}-", out.splitlines()[1])
    engine = open_ledger(db)
    with session_scope(engine, write=False) as s:
        assert s.get(ApiToken, 2).revoked_at is not None  # type: ignore[union-attr]
        assert s.get(ApiToken, 1).revoked_at is None  # type: ignore[union-attr]
    engine.dispose()
    code, out = _cli(db, "token", "revoke", "99")
    assert code == 1 and "no API token with id 99" in out
    assert _cli(db, "token", "revoke", "0")[0] == 2  # not an id: a usage error
    code, out = _cli(db, "token", "list", "nobody")
    assert code == 1 and "no user named 'nobody'" in out
