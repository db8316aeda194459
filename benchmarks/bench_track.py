"""Benchmark tracking: the status of N targets (default 1,000,000), the league table, and
`taizhang status` as a user runs it (issue 11).

Synthetic targets and progress reports are bulk-inserted with SQLAlchemy Core executemany
(every comparator, kind, period shape and report pattern occurs), then each step runs in a
fresh process and is reported with its wall time and peak RSS:

- facts query alone: the one SELECT (targets and each one's latest report), fetched, not judged
- status, streamed: `iter_statuses` (the query, judged row by row)
- league table: `rank` (the same statuses, counted per unit)
- `taizhang status --format csv` / `json` (streamed to /dev/null) and `--format table`
  (refused above 5,000 rows: rich needs half a millisecond per row)

`--baseline-src DIR` runs the same CLI commands and library calls from another checkout's
`src` (e.g. main) in the same run, for a before/after under the same load.

    python benchmarks/bench_track.py                            # SQLite file in a temp dir
    python benchmarks/bench_track.py --targets 100000 --pg      # throwaway PostgreSQL database
    python benchmarks/bench_track.py --db postgresql+psycopg://postgres@127.0.0.1/mine
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session

from taizhang.ledger import make_engine, upgrade
from taizhang.ledger.models import Document, ProgressReport, Target, Unit

AS_OF = date(2024, 9, 30)
CHUNK = 20_000
COMPARATORS = ("ge", "ge", "ge", "gt", "le", "lt", "approx", "eq", "range")
KINDS = ("increment", "increment", "level", "growth", "share")
INDICATORS = ("城镇新增就业", "地区生产总值增长", "城镇调查失业率", "有效高企", "固定资产投资")


def run_step(url: str, name: str) -> None:
    """Child process: one library step on an existing ledger; prints seconds and the result
    (this file may run under an older checkout's `src`: it imports what that one has)."""
    from taizhang.track.rules import load_rules
    from taizhang.track.status import iter_statuses

    rules = load_rules(None)
    engine = make_engine(url)
    started, cpu_started = time.perf_counter(), time.process_time()
    with Session(engine) as session:
        if name == "stream":
            result: Any = dict(sorted(Counter(
                s.status.value for s in iter_statuses(session, AS_OF, rules=rules)).items()))
        elif name == "facts":
            from taizhang.track.status import facts_select, stream_rows

            query = facts_select(AS_OF, rules, dialect=engine.dialect.name)
            result = f"{sum(len(b) for b in stream_rows(session, query)):,} rows"
        else:
            from taizhang.track.rank import rank

            result = f"{len(rank(session, AS_OF, rules=rules))} units"
    print(f"{time.perf_counter() - started:.1f}\t{time.process_time() - cpu_started:.1f}\t{result}")
    engine.dispose()


STEPS = {
    "facts": "facts query alone (fetched, not judged)",
    "stream": "status, streamed (`iter_statuses`)",
    "rank": "league table (`rank`)",
}
CLI = {
    "csv": ("`taizhang status --format csv`", ["--format", "csv"]),
    "json": ("`taizhang status --format json`", ["--format", "json"]),
    "table": ("`taizhang status` (table)", []),
}


def child(cmd: list[str], src: str | None) -> tuple[float, float, float, str, int]:
    """Run `cmd` with its output in a temporary file; (seconds, CPU seconds of the process,
    peak RSS MB, the output's last line, exit status)."""
    env = {**os.environ, **({"PYTHONPATH": src} if src else {})}
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+b") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.PIPE, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read() if proc.stderr else ""
        out.seek(0, os.SEEK_END)
        size = out.tell()
        out.seek(max(0, size - 2000))
        tail = out.read().decode("utf-8", "replace").strip().splitlines()
    last = tail[-1] if tail else err.strip().splitlines()[-1:][0] if err.strip() else ""
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, last, proc.returncode


def measure(url: str, step: str, src: str | None, who: str) -> None:
    if step in STEPS:
        if src and step == "facts":
            return  # older checkouts have no separate facts query
        seconds, cpu, rss, last, code = child(
            [sys.executable, __file__, "--step", step, "--db", url], src)
        reported, step_cpu, result = (last.split("\t", 2) if code == 0 and last.count("\t") == 2
                                      else ("", "", last))
        seconds = float(reported) if reported else seconds  # the step itself, no start-up
        label = STEPS[step]
        if step_cpu:  # the step's own CPU time, beside the whole process's
            result = f"{result}; step alone {step_cpu} s CPU"
    else:
        label, extra = CLI[step]
        seconds, cpu, rss, last, code = child(
            [sys.executable, "-m", "taizhang", "status", "--as-of", AS_OF.isoformat(),
             "--db", url, *extra], src)
        result = f"exit {code}" + (f": {last[:90]}" if code else "")
    print(f"| {who} | {label} | {seconds:.1f} | {cpu:.1f} | {rss:,.0f} | {result} |", flush=True)


@contextmanager
def stamped(url: str, src: str) -> Iterator[None]:
    """The ledger labelled with the older checkout's schema revision while it runs (the newer
    revisions add indexes only, which older code does not name), then labelled back."""
    head = subprocess.run(
        [sys.executable, "-c", "from taizhang.ledger.db import head_revision as h; print(h())"],
        env={**os.environ, "PYTHONPATH": src}, capture_output=True, text=True, check=True,
    ).stdout.strip()
    engine = make_engine(url)
    with engine.begin() as conn:
        ours = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
    try:
        yield
    finally:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": ours})
        engine.dispose()


def synthetic(n: int, seed: int = 7) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """Chunks of (target rows, report rows) with explicit ids; deterministic for a seed."""
    rng = random.Random(seed)
    report_id = 0
    for first in range(1, n + 1, CHUNK):
        targets, reports = [], []
        for tid in range(first, min(first + CHUNK, n + 1)):
            kind, comparator = rng.choice(KINDS), rng.choice(COMPARATORS)
            value = Decimal(rng.choice((5, 5.5, 100, 1200, 40000, -2.5)))
            deadline = rng.choice((date(2024, 12, 31),) * 6 + (date(2024, 6, 30),
                                  date(2025, 12, 31), date(2026, 12, 31), None))
            targets.append({
                "id": tid, "document_id": tid % 1000 + 1, "unit_id": tid % 200 + 1,
                "subject": None, "indicator": rng.choice(INDICATORS), "indicator_key": "",
                "value": value, "value_max": value + 1 if comparator == "range" else None,
                "unit": "%", "comparator": comparator, "kind": kind, "deadline": deadline,
                "recurring": "annual" if rng.random() < 0.1 else None, "strength": "hard",
                "review_state": "unreviewed", "flags": [], "rules": [],
                "baseline_value": Decimal(1000) if rng.random() < 0.2 else None,
            })
            for _ in range(rng.choice((0, 1, 1, 2, 3))):
                report_id += 1
                day = date(2024, 1, 1) + timedelta(days=rng.randrange(300))
                reports.append({
                    "id": report_id, "target_id": tid, "as_of": day,
                    "value": (value * Decimal(rng.randrange(0, 130)) / 100).quantize(Decimal("0.01")),
                    "evidence_path": "佐证.pdf" if rng.random() < 0.5 else None,
                })
        yield targets, reports


def fill(engine: Engine, n: int) -> str:
    with engine.begin() as conn:
        conn.execute(insert(Unit.__table__), [{"id": i, "name": f"单位{i}"} for i in range(1, 201)])
        conn.execute(insert(Document.__table__), [
            {"id": i, "source": f"doc{i}.txt", "date": date(2024, 1, 1) + timedelta(days=i % 90),
             "content_hash": f"{i:064d}", "text": "", "format": "txt", "meta": {}}
            for i in range(1, 1001)
        ])
    reports = 0
    for targets, rows in synthetic(n):
        with engine.begin() as conn:
            conn.execute(insert(Target.__table__), targets)
            if rows:
                conn.execute(insert(ProgressReport.__table__), rows)
        reports += len(rows)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    return f"{n:,} targets, {reports:,} reports"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=1_000_000)
    parser.add_argument("--db", help="ledger URL (default: a SQLite file in a temp dir)")
    parser.add_argument("--pg", action="store_true", help="use a throwaway PostgreSQL database")
    parser.add_argument("--keep", action="store_true",
                        help="with --db: the ledger is already filled, do not insert")
    parser.add_argument("--baseline-src", help="also run another checkout's src (e.g. ../main/src)")
    parser.add_argument("--steps", default="facts,stream,rank,csv,json,table")
    parser.add_argument("--rounds", type=int, default=1,
                        help="run the steps this many times (A/B alternating with --baseline-src)")
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        run_step(args.db, args.step)
        return
    with ExitStack() as stack:
        if args.pg:
            from taizhang.ledger.testing import throwaway_database

            url = stack.enter_context(throwaway_database("benchtrack"))
        elif args.db:
            url = args.db
        else:
            url = f"sqlite:///{Path(stack.enter_context(tempfile.TemporaryDirectory())) / 'b.db'}"
        engine = make_engine(url)
        if not args.keep:
            upgrade(url)
            started = time.perf_counter()
            done = fill(engine, args.targets)
            print(f"insert (Core executemany): {time.perf_counter() - started:.0f} s, {done}",
                  flush=True)
        print(f"\n{engine.dialect.name}, {args.targets:,} targets, status as of {AS_OF}; "
              f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start\n")
        engine.dispose()
        print("| code | step | wall s | CPU s (this process) | peak RSS MB | result |\n"
              "|---|---|---:|---:|---:|---|")
        for _ in range(args.rounds):
            for step in args.steps.split(","):
                if args.baseline_src:
                    with stamped(url, args.baseline_src):
                        measure(url, step, args.baseline_src, "before")
                measure(url, step, None, "this branch")


if __name__ == "__main__":
    main()
