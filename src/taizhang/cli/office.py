"""Units and documents: the unit tree and its proposals, re-extracting and withdrawing documents."""

from __future__ import annotations

from datetime import date

import click

from taizhang.cli.ledger import FORMATS, db_option, emit, ledger_session, parse_date_option


@click.group()
def units() -> None:
    """Responsible units: the tree, units added by hand, names proposed for review."""


@units.command("list")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@db_option
def units_list(fmt: str, db: str | None) -> None:
    """List the units of the ledger, each with its parent and its number of targets.

    \b
    Example:
      taizhang units list
      taizhang units list --format csv
    """
    from sqlalchemy import func, select

    from taizhang.ledger.models import Target, Unit

    with ledger_session(db) as session:
        counts = dict(session.execute(
            select(Target.unit_id, func.count()).group_by(Target.unit_id)).all())
        records = [{"id": u.id, "name": u.name, "full_name": u.full_name, "level": u.level,
                    "code": u.code, "parent": u.parent.name if u.parent else None,
                    "targets": counts.get(u.id, 0)}
                   for u in session.scalars(select(Unit).order_by(Unit.id))]
    emit(records, fmt, ["id", "name", "full_name", "level", "code", "parent", "targets"],
         title="units")


@units.command("add")
@click.argument("name")
@click.option("--parent", help="The unit it belongs to (保定, 江阴…).")
@click.option("--level", help="nation, province, city, district, county, zone or department "
              "(default: from the name's suffix, else department).")
@click.option("--full-name", help="Its full name, if NAME is a short one.")
@db_option
def units_add(name: str, parent: str | None, level: str | None, full_name: str | None,
              db: str | None) -> None:
    """Add a unit on purpose: a department (市发改委), a township, a zone the gazetteer lacks.

    Gazetteer names (江阴, 雄安新区) need no adding: documents that name them create them.

    \b
    Example:
      taizhang units add 市发改委 --parent 保定
      taizhang units add 高新区管委会 --parent 保定 --level zone
    """
    from taizhang.ledger.units import add_unit

    with ledger_session(db) as session:
        unit = add_unit(session, name, parent=parent, level=level, full_name=full_name)
        click.echo(f"unit {unit.name} ({unit.level}"
                   f"{', under ' + unit.parent.name if unit.parent else ''}) added")


@units.command("proposals")
@db_option
def units_proposals(db: str | None) -> None:
    """Names that documents gave as subjects but that are no known unit, for review.

    Their targets belong to the issuing document's unit until you decide.

    \b
    Example:
      taizhang units proposals
      taizhang units accept 市发改委 --parent 保定
      taizhang units map 锡城 --to 无锡
      taizhang units reject 自治
    """
    from taizhang.ledger.units import pending_proposals

    with ledger_session(db) as session:
        rows = pending_proposals(session)
        if not rows:
            click.echo("no unit proposals waiting")
        for proposal, n in rows:
            where = proposal.parent.name if proposal.parent else "—"
            click.echo(f"{proposal.name}\t{n} target(s)\tmeanwhile under {where}")


@units.command("accept")
@click.argument("name")
@click.option("--parent", help="Its parent unit (default: the proposing document's unit).")
@click.option("--level", help="Its level (default: from the suffix, else department).")
@db_option
def units_accept(name: str, parent: str | None, level: str | None, db: str | None) -> None:
    """Accept a proposed name as a new unit; its targets move there.

    \b
    Example:
      taizhang units accept 市发改委 --parent 保定
    """
    from taizhang.ledger.units import decide_proposal

    with ledger_session(db) as session:
        unit = decide_proposal(session, name, accept=True, parent=parent, level=level)
        assert unit is not None
        click.echo(f"unit {unit.name} added{' under ' + unit.parent.name if unit.parent else ''}")


@units.command("map")
@click.argument("name")
@click.option("--to", "same_as", required=True, help="The unit the name means.")
@db_option
def units_map(name: str, same_as: str, db: str | None) -> None:
    """Map a proposed name to an existing unit (it becomes an alias); its targets move there.

    \b
    Example:
      taizhang units map 锡城 --to 无锡
    """
    from taizhang.ledger.units import decide_proposal

    with ledger_session(db) as session:
        unit = decide_proposal(session, name, same_as=same_as)
        assert unit is not None
        click.echo(f"{name} is now an alias of {unit.name}")


@units.command("reject")
@click.argument("name")
@db_option
def units_reject(name: str, db: str | None) -> None:
    """Reject a proposed name: not a unit; its targets stay with their documents' units.

    \b
    Example:
      taizhang units reject 自治
    """
    from taizhang.ledger.units import decide_proposal

    with ledger_session(db) as session:
        decide_proposal(session, name)
        click.echo(f"{name} rejected: not a unit")


@click.group()
def documents() -> None:
    """Documents in the ledger: list them, extract one again, withdraw one."""


@documents.command("list")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@db_option
def documents_list(fmt: str, db: str | None) -> None:
    """List documents with their date (and where it came from), issuing unit and targets.

    \b
    Example:
      taizhang documents list
    """
    from sqlalchemy import func, select

    from taizhang.ledger.models import Document, Target

    with ledger_session(db) as session:
        counts = dict(session.execute(
            select(Target.document_id, func.count()).group_by(Target.document_id)).all())
        records = [{"id": d.id, "title": d.title, "date": d.date.isoformat() if d.date else None,
                    "date_source": (d.meta or {}).get("date_source"),
                    "unit": d.issuer.name if d.issuer else None,
                    "targets": counts.get(d.id, 0), "source": d.source}
                   for d in session.scalars(select(Document).order_by(Document.id))]
    emit(records, fmt, ["id", "title", "date", "date_source", "unit", "targets", "source"],
         title="documents")


@documents.command("reextract")
@click.argument("document")
@click.option("--date", "when", callback=parse_date_option, metavar="YYYY-MM-DD",
              help="The document's right date.")
@click.option("--unit", "issuer", metavar="NAME", help="The issuing unit.")
@click.option("--title", help="A new title.")
@db_option
def documents_reextract(document: str, when: date | None, issuer: str | None,
                        title: str | None, db: str | None) -> None:
    """Extract a document again (after a wrong date, unit or title); audited.

    Each target it states again gets a new revision (the old statement stays in its history);
    targets it no longer states are removed if nobody reviewed or reported on them.

    \b
    Example:
      taizhang documents reextract 3 --date 2020-01-08
      taizhang documents reextract 3 --unit 容城
    """
    from taizhang.ledger.documents import reextract_document

    with ledger_session(db) as session:
        done = reextract_document(session, document, date=when, unit=issuer, title=title)
    click.echo(
        f"document {done.document_id}: {len(done.new_targets)} new target(s), "
        f"{len(done.revised_targets)} restated, {len(done.removed_targets)} removed, "
        f"{len(done.kept_targets)} kept (reviewed or reported on, no longer found)"
    )


@documents.command("withdraw")
@click.argument("document")
@click.option("--reason", default="", help="Why (kept in the audit log).")
@click.option("--force", is_flag=True,
              help="Also delete targets that were reviewed or reported on (with their reports).")
@db_option
def documents_withdraw(document: str, reason: str, force: bool, db: str | None) -> None:
    """Remove a document and the targets only it states; audited. It can be ingested again.

    \b
    Example:
      taizhang documents withdraw 3 --reason "uploaded without its date"
    """
    from taizhang.ledger.documents import withdraw_document

    with ledger_session(db) as session:
        done = withdraw_document(session, document, reason=reason, force=force)
    click.echo(
        f"document {done.document_id} withdrawn: {len(done.deleted_targets)} target(s) "
        f"deleted, {len(done.reverted_targets)} keep their other documents' statements"
    )


COMMANDS: list[click.Command] = [units, documents]
