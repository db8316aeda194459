"""`taizhang user add`, `taizhang token create` and `taizhang serve --help` (CliRunner)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from taizhang.cli import cli
from taizhang.ledger import open_ledger, session_scope
from taizhang.ledger.models import ApiToken, Unit, User
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
