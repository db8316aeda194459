"""`taizhang batch`, `panel` and `amplification`: corpus-scale commands for researchers.

Thin adapters over `taizhang.research`; they need the `research` extra (pyarrow, dask,
duckdb, pandas), which `pip install 'taizhang[research]'` brings.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from taizhang.errors import TaizhangError

_MISSING = "the research commands need the 'research' extra: pip install 'taizhang[research]'"


def _need_extra() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError as err:
        raise click.ClickException(_MISSING) from err


def _dataset(path: Path) -> Path:
    from taizhang.research.dataset import is_dataset

    if not path.is_dir() or not is_dataset(path):
        raise click.ClickException(f"{path}: not a batch dataset (make one with: taizhang batch DOCUMENTS -o {path})")
    return path


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Dataset directory (created; an existing one is resumed).")
@click.option("--scheduler", metavar="ADDRESS", help="Run on a Dask cluster (tcp://host:8786); its workers must see the same files.")
@click.option("--workers", type=click.IntRange(min=1), help="Local processes (default: all cores), or tasks in flight on a cluster.")
@click.option("--retry-failed", is_flag=True, help="Process again the documents whose extraction failed in an earlier run.")
def batch(paths: tuple[str, ...], out: Path, scheduler: str | None, workers: int | None, retry_failed: bool) -> None:
    """Extract a whole corpus into a Parquet dataset: documents, targets and reported results.

    PATHS are files, folders (walked) or globs ('reports/**/*.txt', quoted). Every document is
    read, its targets and its reported results (facts) extracted, and the rows written to
    OUT/documents, OUT/targets and OUT/results (Parquet, partitioned by year=). Runs on all
    local cores, or on a Dask cluster with --scheduler. Resumable: a document already in OUT
    (same sha256) is skipped. A document that fails is recorded in OUT/documents and listed on
    stderr; the run goes on. Exit status 0 when every readable document was processed.

    \b
    Example:
      taizhang batch ../shared/corpus/provinces-2026 -o out/p26
      taizhang batch 'reports/**/*.txt' -o out/all --scheduler tcp://10.0.0.5:8786
    """
    _need_extra()
    from taizhang.research.batch import run_batch

    console = Console(file=sys.stderr)
    with Progress(
        TextColumn("batch"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), TextColumn("{task.description}"),
        console=console, transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def started(total: int) -> None:
            bar.update(task, total=total)

        def done(doc: dict[str, Any]) -> None:
            bar.update(task, advance=1, description=Path(doc["path"]).name)

        try:
            summary = run_batch(paths, out, scheduler=scheduler, workers=workers, retry_failed=retry_failed, on_start=started, on_document=done)
        except TaizhangError as err:
            raise click.ClickException(str(err)) from err
    for line in summary.read_errors:
        click.echo(f"taizhang: {line}", err=True)
    for line in summary.failures:
        click.echo(f"taizhang: {line}", err=True)
    rate = summary.processed / summary.seconds if summary.seconds else 0
    click.echo(
        f"{summary.inputs} input(s): {summary.processed} processed, {summary.skipped} already in {out}, "
        f"{summary.duplicates} duplicate(s), {len(summary.read_errors)} unreadable, {len(summary.failures)} failed; "
        f"{summary.targets} targets, {summary.results} results in {summary.seconds:.1f} s ({rate:.1f} documents/s)"
    )
    if summary.failures:
        raise SystemExit(1)


PANEL_FORMATS = click.Choice(["table", "jsonl", "csv", "parquet", "dta"])


@click.command()
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=PANEL_FORMATS, default="table", show_default=True, help="table and jsonl print; csv prints or writes -o; parquet and dta need -o.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (csv, parquet, dta).")
@click.option("--indicator", "indicators", multiple=True, help="Only these indicators (standard key or wording). Repeatable.")
@click.option("--year", type=int, help="Only this year.")
def panel(dataset: Path, fmt: str, output: Path | None, indicators: tuple[str, ...], year: int | None) -> None:
    """One row per (unit, year, indicator): target, reported result, verdict, sources.

    Indicators are standard keys (gdp_growth, urban_jobs, cpi … see README) when the wording
    maps to one, else the wording. The result is the figure a later document reports for
    the same unit, indicator and year; the verdict (met, not_met, unclear) follows the
    target's comparator.

    \b
    Example:
      taizhang panel out/p26 --indicator gdp_growth --year 2026
      taizhang panel out/p26 --format jsonl > panel.jsonl
      taizhang panel out/p26 --format dta -o panel.dta
    """
    _need_extra()
    from taizhang.research.export import write_panel
    from taizhang.research.panel import load_panel

    rows = load_panel(_dataset(dataset))
    if indicators:
        rows = [r for r in rows if r["indicator"] in indicators]
    if year is not None:
        rows = [r for r in rows if r["year"] == year]
    if fmt == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")
    elif fmt == "table":
        Console().print(_panel_table(rows))
    elif fmt == "csv" and output is None:
        write_panel(rows, sys.stdout, "csv")
    else:
        if output is None:
            raise click.UsageError(f"--format {fmt} writes a file: give -o FILE")
        write_panel(rows, output, fmt)
        click.echo(f"{len(rows)} row(s) written to {output}", err=True)


def _ledger_panel(url: str) -> list[dict[str, Any]]:
    from taizhang.cli.ledger import ledger_session
    from taizhang.research.ledger_rows import ledger_panel

    with ledger_session(url) as session:
        return ledger_panel(session)


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {value!r}")


def _panel_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title=f"{len(rows)} panel row(s)")
    for col in ("unit", "year", "indicator", "target", "result", "verdict", "quote"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            r["unit"], str(r["year"]), r["indicator"], _value(r["target_value"], r["target_value_max"], r["comparator"], r["unit_of_measure"]),
            _value(r["result_value"], None, None, r["result_unit"]) if r["result_value"] is not None else "",
            r["verdict"] or "", (r["target_quote"] or "").replace("\n", ""),
        )
    return table


_SYMBOL = {"gt": ">", "ge": "≥", "le": "≤", "lt": "<", "approx": "≈", "eq": "", "range": ""}


def _value(value: Any, value_max: Any, comparator: str | None, unit: str | None) -> str:
    if value is None:
        return ""
    text = f"{value:g}" + (f"–{value_max:g}" if value_max is not None else "")
    return f"{_SYMBOL.get(comparator or '', '')}{text}{unit or ''}"


@click.command()
@click.argument("datasets", nargs=-1, required=True)
@click.option("--indicator", required=True, help="Standard key (gdp_growth, fai_growth …) or a wording.")
@click.option("--year", required=True, type=int)
@click.option("--parent-target", "given", multiple=True, metavar="UNIT=VALUE", help="A parent's target not in the data, e.g. 全国=5 or 全国=4.5-5 (marked as given). Repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def amplification(datasets: tuple[str, ...], indicator: str, year: int, given: tuple[str, ...], fmt: str) -> None:
    """层层加码: each parent's target against its children's (nation → provinces → cities → counties).

    DATASETS are batch dataset directories, or ledgers (sqlite:///taizhang.db,
    postgresql://…, or a .db file), whose targets are compared the same way.

    For a rate, the difference in percentage points between each child's target and its
    parent's (read at the stated floor: the lower bound of a range); for an amount, the ratio
    of the children's sum to the parent's target. Several datasets are read together (a batch
    of provincial reports and one of the national report).

    \b
    Example:
      taizhang amplification out/p26 --indicator gdp_growth --year 2026
      taizhang amplification out/p26 --indicator gdp_growth --year 2026 --parent-target 全国=5 --format jsonl
      taizhang amplification sqlite:///taizhang.db --indicator gdp_growth --year 2025
    """
    _need_extra()
    from taizhang.research.amplification import compare, parse_parent_target, records
    from taizhang.research.panel import load_panel

    rows: list[dict[str, Any]] = []
    for d in datasets:
        rows.extend(_ledger_panel(d) if "://" in d or d.endswith(".db") else load_panel(_dataset(Path(d))))
    try:
        parents = dict(parse_parent_target(g) for g in given)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--parent-target") from err
    comparisons = compare(rows, indicator=indicator, year=year, parents=parents)
    if not comparisons:
        raise click.ClickException(f"no unit has a {indicator} target for {year} in {', '.join(datasets)}")
    if fmt == "jsonl":
        for rec in records(comparisons, indicator=indicator, year=year):
            sys.stdout.write(json.dumps(rec, ensure_ascii=False, default=_json_default) + "\n")
        return
    console = Console()
    for comp in comparisons:
        p = comp.parent_target
        head = _value(p["target_value"], p["target_value_max"], p["comparator"], p["unit_of_measure"]) if p else "not in the data (add its document to the batch, or --parent-target)"
        table = Table(title=f"{comp.parent} {indicator} {year}: {head}")
        for col in ("unit", "target", "difference", "higher", "quote"):
            table.add_column(col, overflow="fold")
        for c in comp.children:
            diff = "" if c["difference"] is None else f"{c['difference']:+g}"
            table.add_row(
                c["unit"], _value(c["target_value"], c["target_value_max"], c["comparator"], c["unit_of_measure"]), diff,
                "" if c["higher"] is None else ("yes" if c["higher"] else "no"), (c["target_quote"] or "").replace("\n", ""),
            )
        console.print(table)
        s = comp.summary()
        line = f"{s['children']} children; {s['higher']} higher, {s['equal']} equal, {s['lower']} lower"
        if s["mean_difference"] is not None:
            line += f"; mean difference {s['mean_difference']:+g} points, largest {s['max_difference']:+g}"
        if s["sum_ratio"] is not None:
            line += f"; children's sum / parent = {s['sum_ratio']:g}"
        console.print(line)


COMMANDS: list[click.Command] = [batch, panel, amplification]
