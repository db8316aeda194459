"""Load benchmark of the web app: overview and target pages under concurrent clients.

Builds a throwaway PostgreSQL ledger (database tz_benchweb_<random> on the server in
TAIZHANG_TEST_PG) with synthetic units, documents, 100,000 targets, revisions and progress
reports; starts `uvicorn` on 127.0.0.1 in a subprocess; drives it with async httpx clients
(bounded concurrency and duration); prints p50/p95 latency and throughput as a Markdown
table. Only loopback traffic. The database is dropped at the end.

    .venv/bin/python benchmarks/bench_web.py [--targets 100000] [--concurrency 16] [--seconds 15]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal

import httpx
from sqlalchemy import create_engine, insert, text

from taizhang.ledger import make_engine, upgrade
from taizhang.ledger.models import (
    Document,
    ProgressReport,
    Target,
    TargetRevision,
    Unit,
    User,
)
from taizhang.web.security import hash_password

PG = os.environ.get("TAIZHANG_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
INDICATORS = ("有效高新技术企业", "新招引重大项目", "集成电路产业规模", "新能源汽车产量",
              "规上工业增加值增长", "城镇新增就业", "新建5G基站", "研发投入占比", "生物医药产值",
              "低空经济企业", "新增专精特新企业", "改造老旧小区")
UNITS = ("亿元", "家", "个", "%", "人", "万吨")
PASSWORD = "bench-password-123"


def seed(url: str, n_targets: int, n_units: int = 100, n_docs: int = 500) -> int:
    """Fill the ledger; returns the highest target id."""
    rnd = random.Random(7)
    engine = make_engine(url)
    upgrade(engine)
    t0 = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(insert(Unit), [{"id": 1, "name": "无锡", "level": "city", "parent_id": None}]
                     + [{"id": i, "name": f"区县{i:03d}", "level": "district", "parent_id": 1}
                        for i in range(2, n_units + 1)])
        docs = []
        for d in range(1, n_docs + 1):
            body = "".join(f"第{k}条：到年底{rnd.choice(INDICATORS)}达到{rnd.randint(1, 999)}"
                           f"{rnd.choice(UNITS)}。\n" for k in range(60))
            docs.append({"id": d, "title": f"合成文件{d}", "source": f"synthetic-{d}.txt",
                         "date": date(2024, 1, 1) + timedelta(days=d % 300),
                         "content_hash": uuid.uuid4().hex * 2, "text": body, "format": "txt",
                         "meta": {}})
        conn.execute(insert(Document), docs)
        conn.execute(insert(User), [{"username": "sup", "password_hash": hash_password(PASSWORD),
                                     "role": "supervisor", "unit_id": None, "active": True}])
    states = ("unreviewed", "confirmed", "confirmed", "edited", "rejected")
    batch = 5000
    for start in range(1, n_targets + 1, batch):
        rows, revs, reports = [], [], []
        for tid in range(start, min(start + batch, n_targets + 1)):
            doc = rnd.randint(1, n_docs)
            value = Decimal(rnd.randint(1, 5000))
            deadline = date(2026, 1, 1) + timedelta(days=rnd.randint(0, 729))
            qs = rnd.randint(0, 2000)
            common = {"value": value, "comparator": rnd.choice(("ge", "gt", "eq", "le")),
                      "deadline": deadline, "quote": "合成目标原文", "quote_start": qs,
                      "quote_end": qs + 20}
            rows.append({"id": tid, "document_id": doc, "unit_id": rnd.randint(1, n_units),
                         "subject": None, "indicator": rnd.choice(INDICATORS),
                         "indicator_key": f"k{tid}", "unit": rnd.choice(UNITS),
                         "kind": "level", "value_text": f"{value}", "value_start": qs,
                         "value_end": qs + 4, "flags": [], "rules": [], "strength": "hard",
                         "review_state": rnd.choice(states), **common})
            revs.append({"target_id": tid, "document_id": doc, "stated_on": date(2025, 1, 1), **common})
            for k in range(rnd.choice((0, 0, 1, 2))):
                reports.append({"target_id": tid, "as_of": date(2025, 3 + 3 * k, 28),
                                "value": value * Decimal(rnd.randint(10, 120)) / 100,
                                "reporter": "sup", "note": "合成进展"})
        with engine.begin() as conn:
            conn.execute(insert(Target), rows)
            conn.execute(insert(TargetRevision), revs)
            if reports:
                conn.execute(insert(ProgressReport), reports)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()
    print(f"seeded {n_targets:,} targets in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return n_targets


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, port: int, cache_seconds: float) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TAIZHANG_DB": url, "TAIZHANG_SECRET_KEY": "bench-secret-key-0123456789",
           "TAIZHANG_OVERVIEW_CACHE_SECONDS": str(cache_seconds)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "taizhang.web.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"],
        env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("uvicorn did not start")


async def login(client: httpx.AsyncClient) -> None:
    page = await client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    r = await client.post("/login", data={"username": "sup", "password": PASSWORD,
                                          "csrf_token": csrf})
    if r.status_code not in (200, 303):
        raise SystemExit(f"login failed: {r.status_code}")


async def drive(base: str, paths, concurrency: int, seconds: float) -> dict[str, float]:  # type: ignore[no-untyped-def]
    latencies: list[float] = []
    errors = 0
    async with httpx.AsyncClient(base_url=base, timeout=60) as first:
        await login(first)  # one session shared by all clients: argon2 is not what we measure
        cookies = dict(first.cookies)
    stop = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=base, timeout=180, cookies=cookies) as client:
            while time.perf_counter() < stop:
                t = time.perf_counter()
                r = await client.get(next(paths))
                latencies.append(time.perf_counter() - t)
                if r.status_code != 200:
                    errors += 1

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - t0
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    return {"requests": len(latencies), "errors": errors, "p50": q[49] * 1000,
            "p95": q[94] * 1000, "rps": len(latencies) / wall}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--targets", type=int, default=100_000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=15.0)
    args = ap.parse_args()
    name = f"tz_benchweb_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        # Safety on a shared server: no JIT (the app sets this too) and no runaway statement.
        conn.execute(text(f'ALTER DATABASE "{name}" SET jit = off'))
        conn.execute(text(f"ALTER DATABASE \"{name}\" SET statement_timeout = '120s'"))
    url = re.sub(r"/[^/]*$", f"/{name}", PG)
    try:
        n = seed(url, args.targets)
        rnd = random.Random(11)

        def overview():  # type: ignore[no-untyped-def]
            while True:
                yield "/"

        def targets():  # type: ignore[no-untyped-def]
            while True:
                yield f"/targets/{rnd.randint(1, n)}"

        results = []
        cold = max(1, min(4, args.concurrency))
        for label, cache, gen, clients in (
                (f"overview, recomputed per request ({cold} clients)", 0, overview, cold),
                ("overview, cached 60 s (default)", 60, overview, args.concurrency),
                ("target page (random of 100k)", 60, targets, args.concurrency)):
            port = free_port()
            proc = start_server(url, port, cache)
            try:
                res = asyncio.run(drive(f"http://127.0.0.1:{port}", gen(), clients, args.seconds))
            finally:
                proc.terminate()
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)
            results.append((label, res))
            print(f"{label}: {res}", file=sys.stderr)
        print(f"\n{n:,} targets, PostgreSQL, 1 uvicorn worker, up to {args.concurrency} concurrent "
              f"clients, {args.seconds:.0f} s per row\n")
        print("| page | requests | errors | p50 ms | p95 ms | requests/s |")
        print("|---|---:|---:|---:|---:|---:|")
        for label, r in results:
            print(f"| {label} | {r['requests']} | {r['errors']} | {r['p50']:.0f} | "
                  f"{r['p95']:.0f} | {r['rps']:.1f} |")
    finally:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :d"), {"d": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
