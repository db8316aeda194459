"""`taizhang serve`, `taizhang user add|passwd|deactivate|activate|unlock` and
`taizhang token create|list|revoke`."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import click

from taizhang.errors import TaizhangError

DB_HELP = "Ledger URL or SQLite file (default: $TAIZHANG_DB or ./taizhang.db)."


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default: the number of CPU cores). Each serves requests "
              "on its own; writes by one are seen by all.")
@click.option("--public", is_flag=True, help="Read-only public view: confirmed targets, "
              "sources and statuses; no logins, notes, evidence or users.")
@click.option("--db", "db", default=None, help=DB_HELP)
def serve(host: str, port: int, workers: int | None, public: bool, db: str | None) -> None:
    """Start the web dashboard and JSON API over the ledger.

    Settings come from TAIZHANG_* environment variables (TAIZHANG_SECRET_KEY keeps logins
    across restarts; see the README, section The web). The API is documented at /docs.
    Several worker processes share the load (Python runs one request at a time per process);
    they share one session key, so a login is valid in every worker.

    \b
    Example:
      taizhang user add wang --role supervisor
      taizhang serve --port 8000            # then open http://127.0.0.1:8000/
      taizhang serve --public --host 0.0.0.0 --workers 4
    """
    import secrets

    import uvicorn

    from taizhang.ledger import resolve_url
    from taizhang.web.app import create_app
    from taizhang.web.settings import WebSettings

    overrides: dict[str, object] = {"public": public}
    if db:
        overrides["db"] = resolve_url(db)
    try:
        settings = WebSettings(**overrides)  # type: ignore[arg-type]
    except ValueError as err:
        raise click.ClickException(str(err)) from err
    if "TAIZHANG_SECRET_KEY" not in os.environ and not public:
        click.echo("note: TAIZHANG_SECRET_KEY is not set; logins end when the server restarts",
                   err=True)
    count = workers or os.cpu_count() or 1
    mode = "public read-only" if public else "private"
    click.echo(f"taizhang web ({mode}) on http://{host}:{port}/  ledger: {settings.db}  "
               f"workers: {count}", err=True)
    if count == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
        return
    # Each worker builds its app from the environment: hand the settings over there, with one
    # secret key for all (a random key per worker would log users out between requests).
    os.environ["TAIZHANG_DB"] = settings.db
    os.environ["TAIZHANG_PUBLIC"] = "true" if public else "false"
    os.environ.setdefault("TAIZHANG_SECRET_KEY", settings.secret_key or secrets.token_urlsafe(32))
    uvicorn.run("taizhang.web.app:create_app", factory=True, workers=count, host=host,
                port=port, log_level="info")


@click.group()
def user() -> None:
    """Manage the users of the web dashboard."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "supervisor", "reporter"]), required=True,
              help="admin and supervisor act on all units; a reporter only on his unit.")
@click.option("--unit", "unit_name", default=None, help="The reporter's unit (name or alias).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--db", "db", default=None, help=DB_HELP)
def user_add(name: str, role: str, unit_name: str | None, password_stdin: bool,
             db: str | None) -> None:
    """Create a user with an argon2-hashed password.

    \b
    Example:
      taizhang user add wang --role supervisor
      echo 's3cret-pass' | taizhang user add jy --role reporter --unit 江阴 --password-stdin
    """
    from taizhang.ledger import open_ledger, session_scope
    from taizhang.web.users import add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        engine = open_ledger(db)
        with session_scope(engine, actor="cli") as session:
            add_user(session, username=name, password=password, role=role, unit_name=unit_name)
    except TaizhangError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"user {name} ({role}{', ' + unit_name if unit_name else ''}) created")


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("New password", hide_input=True, confirmation_prompt=True))


def _in_ledger(db: str | None, action: Callable[[Any], object]) -> object:
    """Run `action(session)` in one transaction of the ledger; errors as messages."""
    from taizhang.ledger import open_ledger, session_scope

    try:
        engine = open_ledger(db)
        with session_scope(engine, actor="cli") as session:
            return action(session)
    except TaizhangError as err:
        raise click.ClickException(str(err)) from err


@user.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--db", "db", default=None, help=DB_HELP)
def user_passwd(name: str, password_stdin: bool, db: str | None) -> None:
    """Set NAME's password; every browser login of NAME ends (API tokens stay).

    \b
    Example:
      taizhang user passwd wang
    """
    from taizhang.web.users import reset_password

    password = _read_password(password_stdin)
    _in_ledger(db, lambda s: reset_password(s, username=name, password=password))
    click.echo(f"password of {name} changed; his logins have ended")


@user.command("deactivate")
@click.argument("name")
@click.option("--db", "db", default=None, help=DB_HELP)
def user_deactivate(name: str, db: str | None) -> None:
    """Disable NAME: no login, his sessions end and his API tokens stop working at once."""
    from taizhang.web.users import update_user

    _in_ledger(db, lambda s: update_user(s, username=name, active=False))
    click.echo(f"user {name} deactivated")


@user.command("activate")
@click.argument("name")
@click.option("--db", "db", default=None, help=DB_HELP)
def user_activate(name: str, db: str | None) -> None:
    """Enable NAME again (a user disabled with `deactivate` or on /admin/users)."""
    from taizhang.web.users import update_user

    _in_ledger(db, lambda s: update_user(s, username=name, active=True))
    click.echo(f"user {name} activated")


@user.command("unlock")
@click.argument("name")
@click.option("--address", default=None, help="Also clear the lock of this client address.")
@click.option("--db", "db", default=None, help=DB_HELP)
def user_unlock(name: str, address: str | None, db: str | None) -> None:
    """Clear the login lockout of NAME after too many wrong passwords.

    \b
    Example:
      taizhang user unlock wang --address 10.0.0.7
    """
    from taizhang.web.users import unlock

    cleared = _in_ledger(db, lambda s: unlock(s, name, address))
    click.echo(f"cleared {cleared} lock(s) of {name}" if cleared else f"{name} was not locked")


@click.group()
def token() -> None:
    """API tokens for scripts (sent as 'Authorization: Bearer TOKEN')."""


@token.command("create")
@click.argument("username")
@click.option("--name", default="", help="A label to recognise the token by.")
@click.option("--expires-days", type=click.IntRange(1, 36500), default=None,
              help="Days until the token stops working (default: until revoked).")
@click.option("--db", "db", default=None, help=DB_HELP)
def token_create(username: str, name: str, expires_days: int | None, db: str | None) -> None:
    """Create an API token for USERNAME and print it (it is shown only once).

    \b
    Example:
      taizhang token create wang --name nightly-import
      curl -H "Authorization: Bearer tz_…" http://127.0.0.1:8000/api/targets
    """
    from taizhang.ledger import open_ledger, session_scope
    from taizhang.web.users import create_token

    try:
        engine = open_ledger(db)
        with session_scope(engine, actor="cli") as session:
            value = create_token(session, username=username, name=name,
                                 expires_days=expires_days)
    except TaizhangError as err:
        raise click.ClickException(str(err)) from err
    click.echo(value)


@token.command("list")
@click.argument("username", required=False)
@click.option("--db", "db", default=None, help=DB_HELP)
def token_list(username: str | None, db: str | None) -> None:
    """The API tokens (of USERNAME, or of everyone): id, user, name, created, last used,
    expiry and whether revoked. The tokens themselves are not stored and cannot be shown."""
    from taizhang.web.users import list_tokens

    def rows(session: Any) -> list[str]:
        def day(stamp: Any) -> str:
            return stamp.strftime("%Y-%m-%d %H:%M") if stamp else "-"
        return [f"{t.id}\t{t.user.username}\t{t.name or '-'}\tcreated {day(t.created_at)}\t"
                f"used {day(t.last_used_at)}\texpires {day(t.expires_at)}\t"
                f"{'revoked ' + day(t.revoked_at) if t.revoked_at else 'active'}"
                for t in list_tokens(session, username)]

    for line in _in_ledger(db, rows) or []:  # type: ignore[union-attr]
        click.echo(line)


@token.command("revoke")
@click.argument("token_id", type=click.IntRange(1, 2_147_483_647))
@click.option("--db", "db", default=None, help=DB_HELP)
def token_revoke(token_id: int, db: str | None) -> None:
    """Revoke the API token with id TOKEN_ID (see `taizhang token list`) at once."""
    from taizhang.web.users import revoke_token

    name = _in_ledger(db, lambda s: revoke_token(s, token_id).user.username)
    click.echo(f"token {token_id} of {name} revoked")


COMMANDS: list[click.Command] = [serve, user, token]
