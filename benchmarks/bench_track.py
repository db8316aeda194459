"""Benchmark tracking: the status of N targets (default 1,000,000) in one set-based query.

Synthetic targets and progress reports are bulk-inserted with SQLAlchemy Core executemany
(every comparator, kind, period shape and report pattern occurs), then each step is timed with
the peak RSS of the process that ran it (each step runs in a fresh interpreter):

- status, streamed: `iter_statuses` (one SELECT, rows turned into `TargetStatus` as they come)
- status, as a list: `compute_statuses` (what the CLI and the Excel export use)
- league table: `rank` (one GROUP BY over the same query)

    python benchmarks/bench_track.py                            # SQLite file in a temp dir
    python benchmarks/bench_track.py --targets 100000 --pg      # throwaway PostgreSQL database
    python benchmarks/bench_track.py --db postgresql+psycopg://postgres@127.0.0.1/mine
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from taizhang.ledger import make_engine, upgrade
from taizhang.ledger.models import Document, ProgressReport, Target, Unit
from taizhang.track.rank import rank
from taizhang.track.rules import load_rules
from taizhang.track.status import compute_statuses, iter_statuses

AS_OF = date(2024, 9, 30)
CHUNK = 20_000
COMPARATORS = ("ge", "ge", "ge", "gt", "le", "lt", "approx", "eq", "range")
KINDS = ("increment", "increment", "level", "growth", "share")
INDICATORS = ("城镇新增就业", "地区生产总值增长", "城镇调查失业率", "有效高企", "固定资产投资")


def run_step(url: str, name: str) -> None:
    """Child process: one step on an existing ledger; prints seconds, max RSS and the result."""
    rules = load_rules(None)
    engine = make_engine(url)
    started = time.perf_counter()
    with Session(engine) as session:
        if name == "stream":
            result: Any = dict(Counter(
                s.status.value for s in iter_statuses(session, AS_OF, rules=rules)))
        elif name == "list":
            result = f"{len(compute_statuses(session, AS_OF, rules=rules)):,} statuses"
        else:
            result = f"{len(rank(session, AS_OF, rules=rules))} units"
    seconds = time.perf_counter() - started
    engine.dispose()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    print(f"{seconds:.1f}\t{rss:.0f}\t{result}")


STEPS = {
    "stream": "status, streamed (iter_statuses)",
    "list": "status, as a list (compute_statuses)",
    "rank": "league table (rank)",
}


def measure(url: str, name: str) -> None:
    """Run a step in a fresh interpreter, so that its max RSS is its own peak."""
    out = subprocess.run(
        [sys.executable, __file__, "--step", name, "--db", url],
        check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]
    seconds, rss, result = out.split("\t", 2)
    print(f"{STEPS[name]:<38} {float(seconds):8.1f} s   peak RSS {float(rss):7.0f} MB   {result}",
          flush=True)


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
        upgrade(url)
        engine = make_engine(url)
        print(f"{engine.dialect.name}, status as of {AS_OF}", flush=True)
        started = time.perf_counter()
        done = fill(engine, args.targets)
        engine.dispose()
        print(f"{'insert (Core executemany)':<38} {time.perf_counter() - started:8.1f} s"
              f"   {done}", flush=True)
        for name in STEPS:
            measure(url, name)


if __name__ == "__main__":
    main()
