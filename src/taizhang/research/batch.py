"""`taizhang batch`: a whole corpus into a Parquet dataset, on local processes or a Dask cluster.

The driver lists the inputs, hashes each file (sha256 of its bytes), skips the hashes already
in the dataset (resumable) and sends groups of paths to workers. A worker reads each file,
extracts its targets and results (`extract_findings`) and returns plain rows; it never raises:
a file that cannot be read is a `read_error` row, one whose extraction fails a `failed` row.
The driver writes the rows in flushes (`dataset.write_part`). The local executor is a process
pool; with a scheduler address, `distributed.Client(address).get_executor()` runs the same
function on the cluster's workers, which must see the same files (a shared filesystem) and
have taizhang installed. Output does not depend on where it ran (a test compares them).
"""

from __future__ import annotations

import glob
import hashlib
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from taizhang.errors import ReadError, TaizhangError
from taizhang.research import dataset
from taizhang.extract.indicators import standard_key

GROUP = 4  # documents per task: amortises the cost of a task without starving workers
FLUSH_DOCUMENTS = 500  # documents per flush (files per table and year)
FLUSH_SECONDS = 60.0


@dataclass(slots=True)
class BatchSummary:
    inputs: int = 0
    skipped: int = 0  # already in the dataset (same sha256)
    duplicates: int = 0  # same bytes as another input of this run
    processed: int = 0
    read_errors: list[str] = field(default_factory=list)  # "path: reason"
    failures: list[str] = field(default_factory=list)  # readable but extraction failed
    targets: int = 0
    results: int = 0
    chars: int = 0
    seconds: float = 0.0


def expand_inputs(paths: Iterable[str]) -> Iterator[tuple[str, ReadError | None]]:
    """Files to process, with the path as given: folders walked, globs (``reports/**/*.txt``)
    expanded when no file has that very name."""
    from taizhang.read import iter_paths

    for given in paths:
        if not os.path.exists(given) and glob.has_magic(given):
            matches = sorted(glob.glob(given, recursive=True))
            if not matches:
                yield given, ReadError(given, "no file matches this pattern")
            for match in matches:
                for path, error in iter_paths([match]):
                    yield str(path), error
            continue
        for path, error in iter_paths([given]):
            yield str(path), error


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def process_files(items: list[tuple[str, str]]) -> dict[str, Any]:
    """The worker's task: the documents rows of (path, sha256) pairs, and their targets and
    results as Arrow tables (built on the worker: turning rows into columns is most of the
    cost of writing, which would otherwise all fall on the driver). Never raises for one bad
    document."""
    outputs = [process_file(path, sha) for path, sha in items]
    return _group([o["document"] for o in outputs], [r for o in outputs for r in o["targets"]], [r for o in outputs for r in o["results"]])


def _group(documents: list[dict[str, Any]], targets: list[dict[str, Any]], results: list[dict[str, Any]]) -> dict[str, Any]:
    import pyarrow as pa

    return {
        "documents": documents,
        "targets": pa.Table.from_pylist(targets, schema=dataset.SCHEMAS["targets"]),
        "results": pa.Table.from_pylist(results, schema=dataset.SCHEMAS["results"]),
    }


def process_file(path: str, sha: str) -> dict[str, Any]:
    from taizhang.extract.results import extract_findings, meta_date
    from taizhang.read import read_document

    doc_row: dict[str, Any] = {"document_id": sha, "path": path, "sha256": sha, "targets": 0, "results": 0}
    try:
        document = read_document(path)
    except (TaizhangError, OSError, ValueError) as err:
        reason = err.reason if isinstance(err, ReadError) else str(err)
        return {"document": doc_row | {"status": "read_error", "error": reason}, "targets": [], "results": []}
    meta = document.meta
    when = meta_date(meta)
    doc_row |= {
        "title": meta.get("title"),
        "region": meta.get("region"),
        "level": meta.get("level"),
        "genre": meta.get("genre"),
        "format": document.format,
        "chars": len(document.text),
    }
    try:
        findings = extract_findings(document.text, date=when, meta=meta)
    except Exception as err:  # noqa: BLE001 -- one document's extractor bug must not stop a corpus
        return {"document": doc_row | {"status": "failed", "error": f"extraction failed: {err!r}"}, "targets": [], "results": []}
    when = when or findings.date
    year = when.year if when else None
    doc_row |= {"status": "ok", "date": when, "year": year}
    base = {"document_id": sha, "path": path, "year": year}
    targets = [base | {"seq": i} | _target_row(t) for i, t in enumerate(findings.targets)]
    results = [base | {"seq": i} | _result_row(r) for i, r in enumerate(findings.results)]
    doc_row |= {"targets": len(targets), "results": len(results)}
    return {"document": doc_row, "targets": targets, "results": results}


def _common(x: Any, kind: str) -> dict[str, Any]:
    return {
        "subject": x.subject,
        "indicator": x.indicator,
        "indicator_key": standard_key(x.indicator, unit=x.unit, kind=kind),
        "value": float(x.value),
        "value_max": float(x.value_max) if x.value_max is not None else None,
        "unit": x.unit,
        "comparator": x.comparator.value,
        "kind": kind,
        "value_text": x.value_text,
        "value_start": x.value_span.start,
        "value_end": x.value_span.end,
        "quote": x.quote,
        "quote_start": x.quote_span.start,
        "quote_end": x.quote_span.end,
        "rules": list(x.rules),
    }


def _target_row(t: Any) -> dict[str, Any]:
    return _common(t, t.kind.value) | {
        "deadline": t.deadline,
        "recurring": t.recurring,
        "commitment": t.commitment,
        "qualifier": t.qualifier,
        "flags": list(t.flags),
    }


def _result_row(r: Any) -> dict[str, Any]:
    return _common(r, r.kind) | {"period_start": r.period_start, "period_end": r.period_end}


@contextmanager
def _executor(scheduler: str | None, workers: int | None) -> Iterator[tuple[Executor, int]]:
    if scheduler is None:
        n = workers or os.cpu_count() or 1
        with ProcessPoolExecutor(max_workers=n) as pool:
            yield pool, n
        return
    from distributed import Client

    try:
        client = Client(scheduler, timeout="10s")
    except OSError as err:
        raise TaizhangError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from err
    try:
        n = workers or max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()))
        with client.get_executor(pure=False) as executor:
            yield executor, n
    finally:
        client.close()


def run_batch(
    paths: Iterable[str],
    out: Path,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    retry_failed: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_document: Callable[[dict[str, Any]], None] | None = None,
) -> BatchSummary:
    """Process every input not yet in the dataset at `out` (see the module docstring)."""
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    dataset.remove_orphans(out)
    docs = dataset.read_table(out, "documents")
    done = {
        sha
        for sha, status in zip(docs.column("sha256").to_pylist(), docs.column("status").to_pylist(), strict=True)
        if sha and not (retry_failed and status == "failed")
    }
    summary = BatchSummary()
    todo: list[tuple[str, str]] = []
    unreadable: list[dict[str, Any]] = []
    seen: set[str] = set()
    for path, error in expand_inputs(paths):
        summary.inputs += 1
        if error is None:
            try:
                sha = file_sha256(path)
            except OSError as err:
                error = ReadError(path, f"cannot read: {err.strerror or err}")
        if error is not None:
            unreadable.append(process_error_row(path, error))
            continue
        if sha in done:
            summary.skipped += 1
        elif sha in seen:
            summary.duplicates += 1
        else:
            seen.add(sha)
            todo.append((path, sha))
    if on_start:
        on_start(len(todo))
    writer = _Writer(out)
    if unreadable:
        writer.add(_group(unreadable, [], []), summary)
    groups = [todo[i : i + GROUP] for i in range(0, len(todo), GROUP)]
    if groups:
        with _executor(scheduler, workers) as (executor, n):
            for output in _bounded_map(executor, groups, window=2 * n):
                writer.add(output, summary)
                if on_document:
                    for doc in output["documents"]:
                        on_document(doc)
    writer.flush()
    summary.seconds = time.perf_counter() - started
    return summary


def process_error_row(path: str, error: ReadError) -> dict[str, Any]:
    """A documents row for an input that could not even be hashed (missing, unlistable)."""
    ident = "path:" + hashlib.sha256(path.encode("utf-8")).hexdigest()
    return {"document_id": ident, "path": path, "status": "read_error", "error": error.reason, "targets": 0, "results": 0}


def _bounded_map(executor: Executor, groups: list[Any], window: int) -> Iterator[dict[str, Any]]:
    """Results of `process_files` over the groups as they complete, with at most `window`
    tasks in flight (a million documents are never a million pending futures)."""
    pending: set[Future[dict[str, Any]]] = set()
    queue = iter(groups)
    for group in queue:
        pending.add(executor.submit(process_files, group))
        if len(pending) >= window:
            break
    while pending:
        finished, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in finished:
            yield future.result()
            nxt = next(queue, None)
            if nxt is not None:
                pending.add(executor.submit(process_files, nxt))


class _Writer:
    """Buffers rows and writes them in flushes: targets and results first, documents last."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.run = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
        self.n = 0
        self.documents: list[dict[str, Any]] = []
        self.tables: dict[str, list[Any]] = {"targets": [], "results": []}
        self.last = time.monotonic()

    def add(self, output: dict[str, Any], summary: BatchSummary) -> None:
        for doc in output["documents"]:
            if doc["status"] == "ok":
                summary.processed += 1
                summary.chars += doc.get("chars") or 0
            elif doc["status"] == "read_error":
                summary.read_errors.append(f"{doc['path']}: {doc['error']}")
            else:
                summary.failures.append(f"{doc['path']}: {doc['error']}")
        summary.targets += output["targets"].num_rows
        summary.results += output["results"].num_rows
        self.documents.extend(output["documents"])
        for table in self.tables:
            self.tables[table].append(output[table])
        if len(self.documents) >= FLUSH_DOCUMENTS or time.monotonic() - self.last > FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa

        if not self.documents:
            return
        name = f"part-{self.run}-{self.n:06d}"
        order = [("document_id", "ascending"), ("path", "ascending"), ("seq", "ascending")]
        for table, parts in self.tables.items():
            dataset.write_table(self.out, table, pa.concat_tables(parts).sort_by(order), name)
            parts.clear()
        docs = sorted(self.documents, key=lambda r: (r["document_id"], r["path"]))
        dataset.write_part(self.out, "documents", docs, name)  # last: it marks the flush complete
        self.documents = []
        self.n += 1
        self.last = time.monotonic()

