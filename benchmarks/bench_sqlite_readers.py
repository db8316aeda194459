"""SQLite: API readers while an ingest writes (issue 11: "a read never waits behind a long
ingest").

One SQLite ledger (the web benchmark's synthetic 100,000 targets), `taizhang serve` on it,
and `taizhang ingest` writing generated documents (the bundled sample with a numbered line,
one transaction each) into the same file the whole time, while `wrk` keeps 50 clients
reading `/api/targets?limit=100`. Prints requests/s, p50/p95 latency, failed requests
(connection errors and non-2xx answers such as "database is locked") and how many documents
the ingest stored meanwhile. `--baseline-src DIR` runs the same against another checkout.

    .venv/bin/python benchmarks/bench_sqlite_readers.py [--targets 100000] [--seconds 30]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from bench_web import Result, drive, login_cookie, seed, stamped, taizhang  # type: ignore[import-not-found]
from taizhang.ledger import make_engine, upgrade
from taizhang.ledger.models import Document

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "wuxi-district-leaders-2024.txt"


def documents(folder: Path, n: int) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    for i in range(n):
        (folder / f"doc{i:05d}.txt").write_text(f"第{i}号通报\n{text}", encoding="utf-8")


def count_documents(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        n = conn.scalar(select(func.count()).select_from(Document)) or 0
    engine.dispose()
    return n


def run(url: str, folder: Path, args: argparse.Namespace, src: str | None, label: str) -> Result:
    before = count_documents(url)
    env = {**os.environ, "TAIZHANG_ACTOR": "bench", **({"PYTHONPATH": src} if src else {})}
    with taizhang(url, args.workers, 600, src=src) as (base, server):
        cookie = login_cookie(base)
        ingest = subprocess.Popen(
            [sys.executable, "-m", "taizhang", "ingest", str(folder), "--date", "2024-06-28",
             "--db", url], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)  # the ingest is under way
        try:
            result = drive(label, base, ["/api/targets?limit=100"], cookie, args.clients,
                           args.seconds, server)
        finally:
            ingest.terminate()
            ingest.wait(30)
    result.label = f"{label}: {count_documents(url) - before} documents ingested meanwhile"
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--targets", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--baseline-src", help="also run another checkout's src (e.g. ../main/src)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="tz-readers-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'ledger.db'}"
        engine = make_engine(url)
        upgrade(engine)
        seed(engine, args.targets)
        engine.dispose()
        results = []
        for who, src in (("this branch", None), ("before", args.baseline_src)):
            if who == "before" and not src:
                continue
            folder = Path(tmp) / f"docs-{who.replace(' ', '-')}"
            folder.mkdir()
            documents(folder, 3000)
            if src:
                with stamped(url, src):
                    results.append(run(url, folder, args, src, who))
            else:
                results.append(run(url, folder, args, None, who))
    print(f"\nSQLite, {args.targets:,} targets, {args.clients} clients (wrk) reading "
          f"/api/targets?limit=100 for {args.seconds:.0f} s while `taizhang ingest` writes\n")
    print("| run | requests | failed | requests/s | p50 / p95 ms |\n|---|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r.label} | {r.requests} | {r.errors} | {r.rps:.1f} | "
              f"{r.p50:,.0f} / {r.p95:,.0f} |")


if __name__ == "__main__":
    main()
