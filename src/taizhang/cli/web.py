"""`taizhang serve`, `taizhang user add` and `taizhang token create`."""

from __future__ import annotations

import os
import sys

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


@click.group()
def token() -> None:
    """API tokens for scripts (sent as 'Authorization: Bearer TOKEN')."""


@token.command("create")
@click.argument("username")
@click.option("--name", default="", help="A label to recognise the token by.")
@click.option("--db", "db", default=None, help=DB_HELP)
def token_create(username: str, name: str, db: str | None) -> None:
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
            value = create_token(session, username=username, name=name)
    except TaizhangError as err:
        raise click.ClickException(str(err)) from err
    click.echo(value)


COMMANDS: list[click.Command] = [serve, user, token]
