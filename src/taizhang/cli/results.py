"""`taizhang results`: promise versus delivery in the ledger (propose, list, confirm, reject)."""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console
from rich.table import Table

from taizhang.cli.ledger import actor, db_option, ledger_session


@click.group()
def results() -> None:
    """Results that later documents report for the ledger's targets (promise versus delivery).

    `propose` reads the results every ledger document reports and links each to the targets
    of the same unit, indicator and year stated in an earlier document, with a verdict (met,
    not_met, unclear) and the quote. A supervisor confirms a proposal (it becomes a progress
    report as of the period's end, its note quoting the document) or rejects it.

    \b
    Example:
      taizhang ingest hebei-2025.txt hebei-2026.txt
      taizhang results propose
      taizhang results list --state proposed
      taizhang results confirm 1
    """


@results.command("propose")
@db_option
def propose(db: str | None) -> None:
    """Find results in the ledger's documents and propose them for earlier targets.

    \b
    Example:
      taizhang results propose --db sqlite:///taizhang.db
    """
    from taizhang.research.ledger_results import propose_results

    with ledger_session(db) as session:
        summary = propose_results(session)
    click.echo(f"{summary.documents} document(s), {summary.results} reported result(s): {len(summary.proposed)} new proposal(s)")


@results.command("list")
@click.option("--state", type=click.Choice(["proposed", "confirmed", "rejected"]), help="Only proposals in this state.")
@click.option("--target", "target_id", type=int, help="Only proposals for this target id.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@db_option
def list_command(state: str | None, target_id: int | None, fmt: str, db: str | None) -> None:
    """List proposed results with their target, verdict and quote.

    \b
    Example:
      taizhang results list --state proposed --format jsonl
    """
    from taizhang.research.ledger_results import list_proposals, proposal_record

    with ledger_session(db) as session:
        rows = []
        for p in list_proposals(session, state=state, target_id=target_id):
            rec = proposal_record(p)
            t = p.target
            rec |= {"target": f"{t.subject or ''} {t.indicator} {t.comparator} {t.value:g}{t.unit}", "document": p.document.title or p.document.source}
            rows.append(rec)
    if fmt == "jsonl":
        for rec in rows:
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"{len(rows)} proposed result(s)")
    for col in ("id", "target", "result", "period", "verdict", "state", "quote"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            str(r["id"]), f"{r['target_id']}: {r['target']}", f"{r['value']:g}{r['unit']}", f"{r['period_start']}…{r['period_end']}",
            r["verdict"], r["state"], r["quote"],
        )
    Console().print(table)


@results.command("confirm")
@click.argument("proposal_id", type=int)
@db_option
def confirm(proposal_id: int, db: str | None) -> None:
    """Confirm a proposal: it becomes a progress report of its target.

    \b
    Example:
      taizhang results confirm 3
    """
    from taizhang.research.ledger_results import confirm_result

    with ledger_session(db) as session:
        report = confirm_result(session, proposal_id, reporter=actor())
        click.echo(f"proposal {proposal_id} confirmed: report {report.id}: target {report.target_id} = {report.value:g} as of {report.as_of}")


@results.command("reject")
@click.argument("proposal_id", type=int)
@db_option
def reject(proposal_id: int, db: str | None) -> None:
    """Reject a proposal (a wrong link); it stays listed as rejected.

    \b
    Example:
      taizhang results reject 4
    """
    from taizhang.research.ledger_results import reject_result

    with ledger_session(db) as session:
        reject_result(session, proposal_id)
    click.echo(f"proposal {proposal_id} rejected")


COMMANDS: list[click.Command] = [results]
