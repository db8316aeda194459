"""Tracking commands: status, rank, conflicts (thin adapters over `taizhang.track`).

They share `--db` and the session handling with the ledger commands (cli/ledger.py), and take
`--rules FILE` (or TAIZHANG_RULES) for the office's own thresholds.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from taizhang.cli.ledger import FORMATS, db_option, ledger_session, parse_date_option
from taizhang.errors import TaizhangError
from taizhang.formulas import FORMULA_STARTS, csv_safe, csv_safe_record
from taizhang.track.model import Status

STYLES = {"green": "green", "yellow": "yellow", "red": "bold red", "grey": "dim"}


def rules_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--rules", "rules_file", metavar="FILE",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="TOML thresholds overriding the defaults (env TAIZHANG_RULES); see the README, section Tracking.",
    )(func)


def as_of_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--as-of", "as_of", callback=parse_date_option, metavar="YYYY-MM-DD",
        help="Date the status is computed for (default today).",
    )(func)


def _load_rules(rules_file: Path | None) -> Any:
    from taizhang.track.rules import load_rules

    try:
        return load_rules(rules_file)
    except TaizhangError as err:
        raise click.ClickException(str(err)) from err


def _machine(records: list[dict[str, Any]], fmt: str) -> None:
    """JSON (a list of objects, each with `id`) or CSV with the same keys as columns."""
    if fmt == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    out = io.StringIO()
    columns = list(records[0]) if records else ["id"]
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for record in records:
        writer.writerow(csv_safe_record({k: json.dumps(v, ensure_ascii=False)
                                         if isinstance(v, list | dict) else v
                                         for k, v in record.items()}))
    click.echo(out.getvalue(), nl=False)


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


STATUS_COLUMNS = ("id", "unit", "indicator", "as_of", "status", "light", "mode", "progress",
                  "expected", "latest_value", "latest_as_of", "evidence", "days_since_report",
                  "stale", "period_start", "period_end", "rules_version")


class _Iso(dict[Any, Any]):
    """date → ISO text, remembered: a million rows share a few thousand dates."""

    def __missing__(self, day: Any) -> str:
        text = self[day] = day.isoformat()
        return text


def _status_rows(found: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
    """Statuses as CSV rows: the values of `TargetStatus.to_json` in `STATUS_COLUMNS` order.

    Written for a million rows (`status --format csv`): positional unpacking, enums written as
    the strings they are, dates converted once per distinct date.
    """
    iso = _Iso({None: None})
    lights = {status: status.light for status in Status}
    # Of a status row only the unit, the indicator and the rules version are text from outside
    # (the rest are numbers, dates and the ledger's own words), so only they are guarded
    # against formulas (`formulas.csv_safe`): guarding all 17 fields of a million rows cost 3 s
    starts = FORMULA_STARTS
    for (tid, as_of, status, mode, progress, expected, latest, latest_as_of, evidence, days,
         stale, start, end, version, unit, indicator, _unit_id, _deadline) in found:
        yield (tid, csv_safe(unit) if unit and unit.startswith(starts) else unit,
               csv_safe(indicator) if indicator and indicator.startswith(starts) else indicator,
               iso[as_of], status, lights[status], mode, progress, expected, latest,
               iso[latest_as_of], evidence, days, stale, iso[start], iso[end],
               csv_safe(version) if version and version.startswith(starts) else version)


@click.command()
@as_of_option
@click.option("--unit", help="Only this unit (name or alias) and the units below it.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True,
              help="table (up to 5,000 targets), or json / csv, written as they are computed.")
@rules_option
@db_option
def status(as_of: date | None, unit: str | None, fmt: str, rules_file: Path | None,
           db: str | None) -> None:
    """Status of every target by the schedule (序时进度), with red/yellow/green lights.

    Statuses: achieved, on_track (green); behind (yellow); seriously_behind, overdue (red);
    no_data, not_yet_due (grey: never a failure). Progress (完成率), expected share (序时进度),
    evidence (佐证) and freshness are separate columns; `mode` names the rule that judged
    (schedule, path, stock, rate, bound); every row names the rules version. JSON and CSV are
    streamed (a million targets in constant memory); a table holds at most 5,000 rows.

    \b
    Example:
      taizhang status --as-of 2024-06-30
      taizhang status --unit 江阴 --format json
      taizhang status --rules office.toml --format csv > status.csv
    """
    from taizhang.cli.output import table_rows, write_csv, write_json
    from taizhang.track.status import iter_statuses

    rules = _load_rules(rules_file)
    day = as_of or date.today()
    with ledger_session(db, write=False) as session:
        found = iter_statuses(session, day, rules=rules, unit=unit)
        if fmt == "json":
            write_json(s.to_json() for s in found)
            return
        if fmt == "csv":
            write_csv(STATUS_COLUMNS, _status_rows(found), safe=True)
            return
        shown = table_rows(found, what="targets", hint=", or narrow it with --unit")
    table = Table(title=f"{len(shown)} targets on {day.isoformat()} (rules {rules.version})")
    for column in ("id", "unit", "indicator", "status", "完成率", "序时进度", "latest",
                   "as of", "evidence", "days"):
        table.add_column(column, justify="right" if column in ("id", "days") else "left")
    for s in shown:
        table.add_row(
            str(s.target_id), s.unit_name or "", s.indicator or "",
            Text(s.status.value, style=STYLES[s.status.light]), _pct(s.progress),
            _pct(s.expected), _num(s.latest_value),
            s.latest_as_of.isoformat() if s.latest_as_of else "", s.evidence.value,
            "" if s.days_since_report is None else str(s.days_since_report),
        )
    console = Console(width=200)
    console.print(table)
    counts = Counter(s.status.value for s in shown)
    console.print(", ".join(f"{name}: {n}" for name, n in sorted(counts.items())))
    silent = Counter(s.unit_name or "—" for s in shown  # due and never reported
                     if s.latest_as_of is None and s.status.value in ("no_data", "overdue"))
    if silent:
        console.print("not reported: " + ", ".join(f"{u} ({n})" for u, n in silent.most_common()))


@click.command()
@as_of_option
@click.option("--unit", help="Only this unit and the units below it.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@rules_option
@db_option
def rank(as_of: date | None, unit: str | None, fmt: str, rules_file: Path | None,
         db: str | None) -> None:
    """League table of responsible units by the accountability index (排名).

    index = 100 × weighted mean of completion (status scores), timeliness (fresh reports),
    reporting (share of due targets reported) and evidence (share with 佐证材料); weights and
    scores come from the rules file. Units with nothing due yet are listed last, unranked (—).

    \b
    Example:
      taizhang rank --as-of 2024-06-30
      taizhang rank --format json
    """
    from taizhang.track.rank import rank as league_table

    rules = _load_rules(rules_file)
    day = as_of or date.today()
    with ledger_session(db, write=False) as session:
        rows = league_table(session, day, rules=rules, unit=unit)
    if fmt != "table":
        _machine([r.to_json() for r in rows], fmt)
        return
    table = Table(title=f"league table on {day.isoformat()} (rules {rules.version})")
    for column in ("rank", "unit", "index", "completion", "timeliness", "reporting",
                   "evidence", "targets", "due", "unreported", "red", "yellow", "green"):
        table.add_column(column, justify="left" if column == "unit" else "right")
    for r in rows:
        c = r.counts
        table.add_row(
            "—" if r.rank is None else str(r.rank), r.unit or "—",
            "" if r.index is None else f"{r.index:.1f}", _pct(r.completion),
            _pct(r.timeliness), _pct(r.reporting), _pct(r.evidence), str(r.targets),
            str(r.due), str(r.unreported),
            Text(str(c["seriously_behind"] + c["overdue"]), style="red"),
            Text(str(c["behind"]), style="yellow"),
            Text(str(c["achieved"] + c["on_track"]), style="green"),
        )
    Console(width=200).print(table)


@click.command()
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@db_option
def conflicts(fmt: str, db: str | None) -> None:
    """Statements that disagree: restated values or deadlines, divergent targets of one unit's
    indicator, and passages printed under two subjects.

    \b
    Example:
      taizhang conflicts
      taizhang conflicts --format json
    """
    from taizhang.track.conflicts import find_conflicts

    with ledger_session(db, write=False) as session:
        found = find_conflicts(session)
    if fmt != "table":
        _machine([c.to_json() for c in found], fmt)
        return
    table = Table(title=f"{len(found)} conflicts")
    for column in ("id", "kind", "unit", "indicator", "target", "document", "stated on",
                   "value", "deadline", "quote"):
        table.add_column(column)
    for conflict in found:
        _conflict_rows(table, conflict.id, conflict.kind, conflict.statements)
    Console(width=200).print(table)


def _conflict_rows(table: Table, cid: str, kind: str, statements: Sequence[Any]) -> None:
    for n, s in enumerate(statements):
        value = f"{s.comparator} {s.value:f}" + (f"–{s.value_max:f}" if s.value_max else "")
        table.add_row(
            cid if n == 0 else "", kind if n == 0 else "", s.unit or "", s.indicator,
            str(s.target_id), s.document, s.stated_on.isoformat() if s.stated_on else "",
            value, s.deadline.isoformat() if s.deadline else "", s.quote,
            end_section=n == len(statements) - 1,
        )


COMMANDS: list[click.Command] = [status, rank, conflicts]
