"""`taizhang extract`, `explain` and `eval`: the extractor's command-line face."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from taizhang.cli.output import table_rows
from taizhang.errors import ReadError
from taizhang.extract import extract_targets
from taizhang.extract.evaluate import evaluate
from taizhang.extract.pipeline import analyse, extract_stream
from taizhang.formulas import csv_safe_record
from taizhang.read import Document, iter_documents, iter_text_chunks, read_document, read_sidecar
from taizhang.read.dates import DateNeeded, resolve_document_date
from taizhang.types import Target

CSV_FIELDS = (
    "document", "subject", "indicator", "value", "value_max", "unit", "comparator", "kind",
    "deadline", "recurring", "strength", "commitment", "qualifier", "value_text", "value_span",
    "quote", "quote_span", "flags",
)


class IsoDate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date like 2024-06-28", param, ctx)


ISO_DATE = IsoDate()


# Plain-text files larger than this are streamed in chunks: memory stays flat.
STREAM_BYTES = 16 * 2**20


def targets_of(doc: Document, when: date | None, subject: str | None) -> list[Target]:
    day = resolve_document_date(given=when, meta=doc.meta, text=doc.text, source=doc.path).date
    return extract_targets(doc.text, date=day, subject=subject, meta=doc.meta)


def extract_file(path: Path, when: date | None, subject: str | None) -> Iterator[Target]:
    """Targets of one file; a large .txt is read and extracted chunk by chunk."""
    if _is_large_text(path):
        meta = read_sidecar(path)
        chunks = (c.text for c in iter_text_chunks(path))
        head = [next(chunks, "")]
        day = resolve_document_date(given=when, meta=meta, text=head[0], source=str(path)).date
        yield from extract_stream(_prepended(head, chunks), date=day, subject=subject, meta=meta)
        return
    yield from targets_of(read_document(path), when, subject)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--date", "when", type=ISO_DATE, help="Document date; 全年/今年/年底前 resolve against it. Default: the sidecar's date, else the date in the document's opening lines, else the sidecar's year; a document with none is reported and skipped.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True, help="table for people, jsonl or csv for machines.")
@click.option("--subject", help="Responsible unit by default (e.g. 无锡); headings and speakers in the text override it.")
def extract(files: tuple[str, ...], when: date | None, fmt: str, subject: str | None) -> None:
    """Find the committed targets in documents (txt in any Chinese encoding, html, docx, pdf).

    FILES may be files or folders. A file that cannot be read is reported on stderr and
    skipped; the others are still processed, and the exit status is 1.

    \b
    Examples:
      taizhang extract examples/wuxi-district-leaders-2024.txt
      taizhang extract report.pdf --date 2025-01-21 --format jsonl > targets.jsonl
      taizhang extract reports/ --format csv > targets.csv
    """
    failed = 0
    writer = csv.DictWriter(sys.stdout, fieldnames=CSV_FIELDS) if fmt == "csv" else None
    if writer:
        writer.writeheader()
    console = Console()
    for path, found in _documents(files):
        # Targets are written as they come (a large text is extracted chunk by chunk), so
        # memory stays flat; a table is bounded (taizhang.cli.output.table_rows).
        try:
            if isinstance(found, ReadError):
                raise found
            targets = extract_file(path, when, subject) if found is None else iter(targets_of(found, when, subject))
            if fmt == "jsonl":
                for target in targets:
                    sys.stdout.write(json.dumps(_record(target, path), ensure_ascii=False) + "\n")
            elif writer:
                for target in targets:
                    row = _record(target, path)
                    writer.writerow(csv_safe_record({k: json.dumps(row[k], ensure_ascii=False) if isinstance(row[k], list) else row[k] for k in CSV_FIELDS}))
            else:
                rows = table_rows(targets, what=f"targets in {path.name}", formats="csv (or jsonl)")
                console.print(_table(path, rows))
        except (ReadError, DateNeeded) as err:
            failed += 1
            click.echo(f"taizhang: {err}", err=True)
            continue
    if failed:
        raise SystemExit(1)


def _record(target: Target, path: Path) -> dict[str, Any]:
    return target.to_json() | {"document": str(path)}


def _prepended(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    """The chunk read ahead (for the date), then the rest; nothing keeps the first one alive."""
    yield head.pop()
    yield from rest


def _is_large_text(path: Path) -> bool:
    """A plain-text file worth streaming rather than reading whole."""
    try:
        return path.suffix.lower() in (".txt", ".text") and path.is_file() and path.stat().st_size > STREAM_BYTES
    except OSError:
        return False


def _documents(paths: tuple[str, ...]) -> Iterator[tuple[Path, Document | ReadError | None]]:
    """Each file with its document or its error; None for a large text file to be streamed."""
    for given in paths:
        path = Path(given)
        if _is_large_text(path):
            yield path, None
        else:
            yield from iter_documents([path])


def _table(path: Path, targets: list[Target]) -> Table:
    table = Table(title=f"{path.name}: {len(targets)} targets", show_lines=False)
    for col in ("责任单位", "指标", "目标值", "单位", "比较", "类型", "完成时限", "原文"):
        table.add_column(col, overflow="fold")
    for t in targets:
        value = f"{t.to_json()['value']}" + (f"–{t.to_json()['value_max']}" if t.value_max is not None else "")
        table.add_row(
            t.subject or "", t.indicator, value, t.unit, t.comparator.value, t.kind.value,
            t.deadline.isoformat() if t.deadline else "", t.quote.replace("\n", ""),
        )
    return table


@click.command()
@click.argument("sentence")
@click.option("--date", "when", type=ISO_DATE, required=True, help="Reference date: 全年, 年底前, 到2026年 resolve against it.")
@click.option("--subject", help="Responsible unit to assume.")
@click.option("--section", type=click.Choice(["open", "plan", "review"]), default="open", show_default=True, help="Read the sentence as news (open), inside a report's targets part (plan) or its review (review).")
def explain(sentence: str, when: date, subject: str | None, section: str) -> None:
    """Show how a sentence is read: each quantity, the rules that fired, and the decision.

    \b
    Examples:
      taizhang explain "力争到2026年，全区未来产业产值超1000亿元" --date 2024-06-28
      taizhang explain "国内生产总值增长5%左右" --section plan --date 2024-03-05
    """
    heading = {"open": "", "plan": "今年主要预期目标\n", "review": "过去一年工作回顾\n"}[section]
    text = heading + sentence
    console = Console()
    candidates = analyse(text, date=when, subject=subject)
    console.print(f"[bold]text[/bold]  {sentence}")
    if not candidates:
        console.print("no quantity with a unit found (unitless numbers, dates and labels are not amounts)")
    for c in candidates:
        q, d = c.quantity, c.decision
        verdict = "[green]TARGET[/green]" if c.target else "[red]not a target[/red]"
        console.print(f"\n[bold]{text[q.start:q.end]}[/bold]  value={q.value} unit={q.unit} comparator={d.comparator.value}  {verdict}: {d.reason}")
        console.print("  rules: " + ", ".join(d.rules))
        if c.target:
            t = c.target.to_json()
            console.print(f"  subject={t['subject']} indicator={t['indicator']} kind={t['kind']} deadline={t['deadline']} recurring={t['recurring']} commitment={t['commitment']}")


@click.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-v", "--verbose", is_flag=True, help="List misses, false positives and field errors.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary as the last line.")
def eval_command(gold_dir: Path, verbose: bool, as_json: bool) -> None:
    """Score the extractor on annotated documents (NNN.txt + NNN.targets.jsonl + NNN.json).

    Prints the same numbers as the reference scorer ../shared/eval/score.py.

    \b
    Example:
      taizhang eval ../shared/corpus/dev -v
    """

    def predict(txt: Path, day: str) -> list[dict[str, Any]]:
        return [t.to_json() for t in extract_file(txt, date.fromisoformat(day), None)]

    report = evaluate(gold_dir, predict, verbose=verbose)
    for doc in report.documents:
        for line in doc.details:
            click.echo(line)
    for line in report.lines():
        click.echo(line)
    if as_json:
        click.echo(json.dumps(report.summary, ensure_ascii=False))


COMMANDS: list[click.Command] = [extract, explain, eval_command]
