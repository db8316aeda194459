"""Ledger commands: ingest, targets, show, review, db upgrade (and the shared options).

Progress, export and import-ledger are in `cli/sheets.py`.

Thin adapters over `taizhang.ledger`; every command takes `--db URL` (or `TAIZHANG_DB`,
default `sqlite:///taizhang.db`).
"""

from __future__ import annotations

import csv
import functools
import getpass
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from taizhang.cli.output import table_rows, write_csv, write_json
from taizhang.errors import ImportFormatError, TaizhangError
from taizhang.formulas import csv_safe_record

FORMATS = click.Choice(["table", "json", "csv"])


def parse_date_option(_ctx: Any, _param: Any, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected YYYY-MM-DD, got {value!r}") from None


_date = parse_date_option  # the name cli/track.py imports


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db",
        metavar="URL",
        default=None,
        help="Ledger URL or SQLite path (env TAIZHANG_DB; default sqlite:///taizhang.db).",
    )(func)


def actor() -> str:
    return os.environ.get("TAIZHANG_ACTOR") or getpass.getuser()


@contextmanager
def ledger_session(db: str | None, *, write: bool = True) -> Iterator[Session]:
    """A session on the ledger, library errors turned into click errors.

    `write=False` for commands that only read (on SQLite they never wait for a writer).
    """
    from taizhang.ledger import open_ledger, session_scope

    try:
        engine = open_ledger(db)
        try:
            with session_scope(engine, actor=actor(), write=write) as session:
                yield session
        finally:
            engine.dispose()
    except ImportFormatError as err:
        lines = [str(err), *(f"  row {n}: {msg}" for n, msg in err.row_errors)]
        raise click.ClickException("\n".join(lines)) from err
    except TaizhangError as err:
        raise click.ClickException(str(err)) from err


def _errors_to_click(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TaizhangError as err:
            raise click.ClickException(str(err)) from err

    return wrapper


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--date",
    "when",
    callback=parse_date_option,
    metavar="YYYY-MM-DD",
    help="Date of the documents. Default: each file's sidecar date, else the date in its "
    "opening lines (a work report's dateline), else the sidecar's year; a file with none is "
    "reported and skipped.",
)
@click.option(
    "--unit",
    "issuer",
    metavar="NAME",
    help="Issuing unit (保定, 市发改委): targets without a subject are its own. Default: the "
    "sidecar's region or issuer.",
)
@click.option("--title", help="Title of the document (one file only; default: sidecar or name).")
@db_option
@_errors_to_click
def ingest(paths: tuple[Path, ...], when: date | None, issuer: str | None, title: str | None,
           db: str | None) -> None:
    """Read documents, extract their targets and store them in the ledger.

    Files or folders (walked for .txt .html .docx .pdf; a NAME.json beside NAME.txt is its
    metadata, not a document). Each document is stored in its own transaction; one already
    in the ledger (same text) is skipped; a later document that restates a unit's indicator
    becomes a revision of that target. Subjects that are no known unit are proposed for review
    (taizhang units proposals). A file that cannot be read or dated is reported and skipped;
    the exit status is 1 if any file failed. Creates the ledger if there is none.

    \b
    Example:
      taizhang ingest examples/ --date 2024-06-28
      taizhang ingest 2025报告.pdf --date 2025-01-21 --unit 保定 --title 保定市2025年政府工作报告
      taizhang ingest report.txt --db postgresql://postgres@localhost/taizhang
    """
    from taizhang.ledger import open_ledger
    from taizhang.ledger.ingest import IngestResult, ingest_file, ingest_paths
    from taizhang.read import iter_paths

    files = [path for path, _ in iter_paths(paths)]  # what ingest_paths will report on
    if title and len(files) != 1:
        raise click.BadParameter("--title names one document; give one file", param_hint="--title")
    total = len(files)
    engine = open_ledger(db, create=True)
    with Progress(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=Console(file=sys.stderr),
        disable=total < 2,
    ) as bar:
        task = bar.add_task("", total=total)

        def report(result: IngestResult) -> None:
            if result.status == "failed":
                bar.console.print(f"failed: {result.error}", markup=False, highlight=False,
                                  soft_wrap=True)
            bar.update(task, advance=1, description=Path(result.source).name)

        if title:
            results = [ingest_file(engine, files[0], date=when, unit=issuer, title=title,
                                   actor=actor())]
            report(results[0])
        else:
            results = ingest_paths(engine, paths, date=when, unit=issuer, actor=actor(),
                                   on_result=report)
    engine.dispose()
    added = [r for r in results if r.status == "added"]
    duplicate = sum(r.status == "duplicate" for r in results)
    failed = sum(r.status == "failed" for r in results)
    click.echo(
        f"{len(results)} file(s): {len(added)} added "
        f"({sum(r.new_targets for r in added)} new targets, "
        f"{sum(r.revisions for r in added)} revisions), {duplicate} already in the ledger, "
        f"{failed} failed"
    )
    proposed = sorted({name for r in added for name in r.proposed_units})
    if proposed:
        click.echo(
            f"{len(proposed)} name(s) are no known unit and wait for review: "
            f"{'、'.join(proposed[:10])}{'…' if len(proposed) > 10 else ''} "
            "(taizhang units proposals)"
        )
    if failed:
        raise SystemExit(1)


@click.command()
@click.option("--unit", help="Responsible unit (units below it included).")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    help="Review state (unreviewed/confirmed/edited/rejected) or schedule status "
    "(achieved/on_track/behind/seriously_behind/overdue/no_data). Repeatable.",
)
@click.option(
    "--due-before",
    callback=parse_date_option,
    metavar="YYYY-MM-DD",
    help="Only targets with a deadline before this date.",
)
@click.option(
    "--as-of",
    "as_of",
    callback=parse_date_option,
    metavar="YYYY-MM-DD",
    help="Date of the schedule statuses used by --status (default today).",
)
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@db_option
def targets(
    unit: str | None,
    statuses: tuple[str, ...],
    due_before: date | None,
    as_of: date | None,
    fmt: str,
    db: str | None,
) -> None:
    """List targets in the ledger.

    \b
    Example:
      taizhang targets --unit 无锡 --due-before 2025-01-01
      taizhang targets --status unreviewed --format json
      taizhang targets --status behind --status seriously_behind --as-of 2024-09-30
    """
    from taizhang.ledger.models import ReviewState
    from taizhang.ledger.schedule import LIGHTS

    review = [s for s in statuses if s in {r.value for r in ReviewState}]
    schedule = [s for s in statuses if s not in review]
    unknown = [s for s in schedule if s not in LIGHTS]
    if unknown:
        known = ", ".join([*(r.value for r in ReviewState), *LIGHTS])
        raise click.BadParameter(
            f"unknown status {unknown[0]!r}; use one of {known}", param_hint="--status"
        )
    with ledger_session(db, write=False) as session:
        found = _target_records(session, unit=unit, review=review, schedule=schedule,
                                due_before=due_before, as_of=as_of or date.today())
        if fmt == "json":
            write_json(found)
        elif fmt == "csv":
            write_csv(TARGET_COLUMNS, ([r[c] for c in TARGET_COLUMNS] for r in found))
        else:
            emit(table_rows(found, what="targets", hint=", or narrow it with --unit"), "table",
                 list(TARGET_COLUMNS), title="targets")


TARGET_COLUMNS = ("id", "responsible", "indicator", "comparator", "value", "value_max", "unit",
                  "deadline", "latest_value", "latest_as_of", "review_state")


def _target_records(session: Session, *, unit: str | None, review: list[str],
                    schedule: list[str], due_before: date | None,
                    as_of: date) -> Iterator[dict[str, Any]]:
    """Targets as `repository.target_record` shapes them, streamed in id order from one query
    (latest report up to `as_of`; `schedule` keeps targets whose status is one of those)."""
    from taizhang.ledger.models import Target
    from taizhang.ledger.repository import json_number
    from taizhang.track.rules import load_rules
    from taizhang.track.status import facts_select, iter_judged, unit_subtree

    t = Target.__table__
    rules = load_rules()
    extra = (t.c.subject, t.c.value, t.c.value_max, t.c.recurring, t.c.strength,
             t.c.commitment, t.c.qualifier, t.c.review_state, t.c.baseline_value,
             t.c.baseline_date, t.c.quote, t.c.quote_start, t.c.quote_end, t.c.document_id,
             t.c.flags, t.c.unit, t.c.comparator, t.c.kind)
    query = facts_select(
        as_of, rules, dialect=session.get_bind().dialect.name, tracked_only=False,
        unit_ids=unit_subtree(session, unit), review_states=review or None, extra=extra,
        where=[t.c.deadline < due_before] if due_before is not None else (),
    )
    for status, row in iter_judged(session, query, as_of, rules):
        (subject, value, value_max, recurring, strength, commitment, qualifier, review_state,
         baseline, baseline_day, quote, quote_start, quote_end, document_id, flags, measure,
         comparator, kind) = row
        if schedule:
            tracked = review_state != "rejected" and (strength != "soft" or rules.include_soft)
            if not tracked or status.status.value not in schedule:
                continue
        yield {
            "id": status.target_id,
            "responsible": None if status.unit_id is None else status.unit_name,
            "subject": subject,
            "indicator": status.indicator,
            "value": json_number(_exact(value)),
            "value_max": json_number(_exact(value_max)),
            "unit": measure,
            "comparator": comparator,
            "kind": kind,
            "deadline": _iso(status.deadline),
            "recurring": recurring,
            "strength": strength,
            "commitment": commitment,
            "qualifier": qualifier,
            "review_state": review_state,
            "baseline_value": json_number(_exact(baseline)),
            "baseline_date": _iso(baseline_day),
            "latest_value": json_number(_exact(status.latest_value)),
            "latest_as_of": _iso(status.latest_as_of),
            "quote": quote,
            "quote_span": [quote_start, quote_end],
            "document_id": document_id,
            "flags": json.loads(flags) if isinstance(flags, str) else list(flags or []),
        }


def _exact(value: Any) -> Any:
    """An amount as the driver returns it (SQLite: float, PostgreSQL: Decimal) → Decimal."""
    from decimal import Decimal

    from taizhang.ledger.models import tidy_decimal

    if value is None:
        return None
    return tidy_decimal(Decimal(repr(value)) if isinstance(value, float) else Decimal(value))


def _iso(day: Any) -> str | None:
    return None if day is None else str(day)[:10]


def emit(records: list[dict[str, Any]], fmt: str, columns: list[str], *, title: str) -> None:
    """Print records as a rich table, a JSON list of objects, or CSV."""
    if fmt == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(csv_safe_record(r) for r in records)
        click.echo(out.getvalue(), nl=False)
        return
    table = Table(title=f"{len(records)} {title}")
    for column in columns:
        table.add_column(column)
    for record in records:
        table.add_row(*("" if record.get(c) is None else str(record.get(c)) for c in columns))
    Console(width=None if sys.stdout.isatty() else 200).print(table)


@click.command()
@click.argument("target")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@db_option
def show(target: str, fmt: str, db: str | None) -> None:
    """Show one target: its fields, every statement of it, its progress and its history.

    \b
    Example:
      taizhang show 12
    """
    from taizhang.ledger.history import describe_target

    with ledger_session(db) as session:
        detail = describe_target(session, target)
    if fmt == "json":
        click.echo(json.dumps(detail, ensure_ascii=False, indent=2))
        return
    t = detail["target"]
    click.echo(f"#{t['id']} {t['responsible'] or '—'}  {t['indicator']}")
    for key in (
        "comparator",
        "value",
        "value_max",
        "unit",
        "kind",
        "deadline",
        "strength",
        "commitment",
        "qualifier",
        "review_state",
        "baseline_value",
        "baseline_date",
    ):
        if t.get(key) is not None:
            click.echo(f"  {key}: {t[key]}")
    click.echo(f"  quote: {t['quote']}")
    click.echo("statements:")
    for r in detail["revisions"]:
        click.echo(
            f"  {r['stated_on'] or '?'}  {r['comparator']} {r['value']}"
            f"{'' if r['value_max'] is None else '–' + str(r['value_max'])}"
            f"  deadline {r['deadline'] or '—'}  [{r['document']}]"
        )
    click.echo("progress:")
    for p in detail["progress"] or [{"as_of": "—", "value": "no reports", "note": None}]:
        click.echo(f"  {p['as_of']}  {p['value']}{'  ' + p['note'] if p.get('note') else ''}")
    click.echo("history:")
    for a in detail["audit"]:
        click.echo(
            f"  {a['at'][:19]}  {a['actor']}  {a['action']}  "
            f"{json.dumps(a['details'], ensure_ascii=False)}"
        )


@click.command()
@click.argument("target")
@click.option("--confirm", is_flag=True, help="The target is right as extracted.")
@click.option("--reject", is_flag=True, help="Not a target: keep it but leave it out of tracking.")
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="FIELD=VALUE",
    help="Correct a field (repeatable): value, deadline, comparator, unit, "
    "responsible, baseline_value…",
)
@db_option
def review(target: str, confirm: bool, reject: bool, sets: tuple[str, ...], db: str | None) -> None:
    """Confirm, reject or correct a target (recorded in the audit log with your name).

    \b
    Example:
      taizhang review 12 --confirm
      taizhang review 13 --set value=1300 --set deadline=2025-12-31
      taizhang review 14 --reject
    """
    from taizhang.ledger.repository import review_target

    changes: dict[str, str] = {}
    for item in sets:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected FIELD=VALUE, got {item!r}", param_hint="--set")
        changes[name.strip()] = value
    with ledger_session(db) as session:
        done = review_target(
            session, target_id=target, confirm=confirm, reject=reject, changes=changes
        )
        click.echo(f"target {done.id}: {done.review_state}")


@click.group()
def db() -> None:
    """Ledger database maintenance."""


@db.command("init")
@db_option
@_errors_to_click
def db_init(db: str | None) -> None:
    """Create an empty ledger (the only command besides ingest that creates one).

    \b
    Example:
      taizhang db init --db sqlite:///office.db
      taizhang db init --db postgresql://postgres@127.0.0.1/taizhang
    """
    from taizhang.ledger.db import current_revision, head_revision, make_engine, upgrade

    engine = make_engine(db)
    try:
        before = current_revision(engine)
        if before is not None:
            click.echo(f"already a ledger (schema {before}) at "
                       f"{engine.url.render_as_string(hide_password=True)}")
            return
        upgrade(engine)
        click.echo(f"ledger created (schema {head_revision()}) at "
                   f"{engine.url.render_as_string(hide_password=True)}")
    except OperationalError as err:
        raise click.ClickException(
            f"cannot open {engine.url.render_as_string(hide_password=True)}: "
            f"{str(err.orig or err).strip().splitlines()[0]}") from None
    finally:
        engine.dispose()


@db.command("upgrade")
@db_option
@_errors_to_click
def db_upgrade(db: str | None) -> None:
    """Create the ledger schema, or upgrade an older ledger in place (data kept).

    \b
    Example:
      taizhang db upgrade --db sqlite:///taizhang.db
    """
    from taizhang.ledger.db import current_revision, head_revision, make_engine, upgrade

    engine = make_engine(db)
    try:
        before = current_revision(engine)
        upgrade(engine)
        click.echo(f"ledger schema: {before or 'empty'} → {head_revision()}")
    except OperationalError as err:
        raise click.ClickException(
            f"cannot open {engine.url.render_as_string(hide_password=True)}: "
            f"{str(err.orig or err).strip().splitlines()[0]}") from None
    finally:
        engine.dispose()


COMMANDS: list[click.Command] = [ingest, targets, show, review, db]
