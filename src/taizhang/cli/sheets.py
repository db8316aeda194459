"""Spreadsheet-shaped commands: progress add/import, export (the Excel 台账), import-ledger."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from taizhang.cli.ledger import actor, db_option, ledger_session, parse_date_option


@click.group()
def progress() -> None:
    """Record progress of targets (one value, or a CSV/XLSX file)."""


@progress.command("add")
@click.argument("target")
@click.argument("value")
@click.option("--as-of", "as_of", required=True, callback=parse_date_option, metavar="YYYY-MM-DD")
@click.option("--note")
@click.option(
    "--evidence",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file supporting the value (佐证材料); its path is recorded.",
)
@db_option
def progress_add(
    target: str, value: str, as_of: date, note: str | None, evidence: Path | None, db: str | None
) -> None:
    """Record the value of a target as of a date.

    VALUE as people write it: 1500亿, 3,000万元, 1.2万, 百分之五; a bare number is in the
    unit the target is shown in (亿元 for a target of 6000亿元). A second report of the same
    date updates the first.

    \b
    Example:
      taizhang progress add 12 650 --as-of 2024-06-30 --note "上半年" --evidence q2.pdf
      taizhang progress add 9 1500亿 --as-of 2024-06-30
    """
    from taizhang.ledger.amounts import format_amount
    from taizhang.ledger.progress import record_progress

    with ledger_session(db) as session:
        done = record_progress(
            session,
            target_id=target,
            value=value,
            as_of=as_of,
            note=note,
            evidence=evidence,
            reporter=actor(),
        )
        report = done.report
        shown = format_amount(report.value, report.target.value_text, report.target.unit)
        verb = {"added": "", "updated": " (updated: a report of this date existed)",
                "unchanged": " (unchanged: the same report exists)"}[done.outcome]
        click.echo(
            f"report {report.id}: target {report.target_id} = {shown} as of {report.as_of}{verb}"
        )


@progress.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows, report the others.")
@db_option
def progress_import(file: Path, skip_invalid: bool, db: str | None) -> None:
    """Import progress rows from CSV or XLSX: all rows valid, or nothing is written.

    Columns (by header): target, value, as_of, note — or 目标编号, 完成值, 截至日期, 备注,
    and optionally 单位 (亿元: how a bare number is meant). Values as people write them
    (1500亿, 3,000万元). A row for a (target, date) that has a report updates it, or is
    skipped when it says the same; importing the same file twice adds nothing.

    \b
    Example:
      taizhang progress import 2024Q2.xlsx
      taizhang progress import 2024Q2.csv --skip-invalid
    """
    from taizhang.ledger.progress import import_progress

    with ledger_session(db) as session:
        done = import_progress(session, file, skip_invalid=skip_invalid, reporter=actor())
    for number, message in done.row_errors:
        click.echo(f"skipped row {number}: {message}", err=True)
    click.echo(
        f"{len(done.added)} report(s) imported, {len(done.updated)} updated, "
        f"{len(done.unchanged)} already in the ledger, {len(done.row_errors)} row(s) skipped"
    )


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--as-of",
    "as_of",
    callback=parse_date_option,
    metavar="YYYY-MM-DD",
    help="Date of the status columns (default today).",
)
@db_option
def export(file: Path, as_of: date | None, db: str | None) -> None:
    """Write the ledger as an Excel 台账 (序号, 责任单位, 指标, 目标值 … 状态 with colour fill).

    \b
    Example:
      taizhang export 台账.xlsx --as-of 2024-06-30
    """
    from taizhang.ledger.excel import export_ledger

    check_writable(file)
    with ledger_session(db) as session:
        try:
            rows = export_ledger(session, file, as_of=as_of or date.today())
        except OSError as err:
            raise click.ClickException(f"cannot write {file}: {err.strerror or err}") from None
    click.echo(f"{rows} target(s) written to {file}")


def check_writable(file: Path) -> None:
    """Refuse, before any work, an output path whose folder does not exist."""
    folder = file.parent if str(file.parent) else Path(".")
    if not folder.is_dir():
        raise click.ClickException(f"cannot write {file}: the folder {folder} does not exist")


@click.command("import-ledger")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--date",
    "when",
    callback=parse_date_option,
    metavar="YYYY-MM-DD",
    help="Date the sheet speaks for (default today).",
)
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows, report the others.")
@click.option("--unit", "office", metavar="NAME", help="The office's own unit (issuing unit).")
@click.option("--create-units", is_flag=True,
              help="Add unit names the ledger does not know (as departments under --unit).")
@db_option
def import_ledger_cmd(file: Path, when: date | None, skip_invalid: bool, office: str | None,
                      create_units: bool, db: str | None) -> None:
    """Import a 台账 an office already keeps (.xlsx or .csv; columns found by their headers).

    Recognised headers include 责任单位/牵头单位, 配合单位, 责任领导, 指标/目标任务/重点任务,
    目标值 (≥1200, 5左右, 3–5), 单位 (亿元), 完成时限 (2024年底, 6月底前), 节点
    ("3月底前完成立项；6月底前开工"), 报送周期, 最新进展 ("650（截至2024-06-30）" becomes a
    progress report), 来源原文. A row without a 目标值 is a task (重点工作任务), not an error.
    Unit names must be known (ledger or gazetteer) unless --create-units.

    \b
    Example:
      taizhang import-ledger 督查台账2024.xlsx --date 2024-03-01
      taizhang import-ledger 重点任务.xlsx --date 2024-01-20 --unit 保定 --create-units
    """
    from taizhang.ledger.excel import import_ledger

    with ledger_session(db) as session:
        done = import_ledger(session, file, on=when or date.today(), skip_invalid=skip_invalid,
                             unit=office, create_units=create_units)
    for number, message in done.row_errors:
        click.echo(f"skipped row {number}: {message}", err=True)
    r = done.result
    if r.status == "duplicate":
        click.echo(f"{file} is already in the ledger (document {r.document_id})")
        return
    if done.units_added:
        click.echo(f"unit(s) added: {'、'.join(done.units_added)}")
    click.echo(
        f"{r.new_targets} new target(s), {r.revisions} revision(s), "
        f"{done.progress_added} progress report(s)"
        + (f", {done.tasks_added} task(s)" if done.tasks_added else "") + f" from {file}"
    )


COMMANDS: list[click.Command] = [progress, export, import_ledger_cmd]
