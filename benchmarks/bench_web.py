"""Load benchmark of the web app, side by side with datasette on the same data (issue 11).

Builds one synthetic ledger twice — a throwaway PostgreSQL database (tz_benchweb_<random> on
the server in TAIZHANG_TEST_PG) and a SQLite file — with 100 units, 500 documents, 100,000
targets (one revision each), about 60,000 progress reports and a supervisor. Then, for each
page, starts the server, drives it with `wrk` (a C load generator, so that the clients take
little of the machine's CPU) for a fixed time and prints requests/s, p50/p95 latency, errors,
and the CPU time the server processes and PostgreSQL used:

- taizhang (`taizhang serve --workers N`) on PostgreSQL: overview (cached; recomputed on every
  request, with one client alone too), a unit's page (200 targets), a target's page,
  `/api/targets?limit=100`;
- datasette on the SQLite file (its own venv, made on first use; datasette is not a
  dependency of taizhang): the table page filtered by unit (200 rows), the row page,
  `targets.json?_size=100` — the same rows;
- `--baseline-src DIR` runs the same pages from another checkout's `src` (e.g. main) in the
  same run, for a before/after under the same load (`--baseline-workers N`: with that
  checkout's own `taizhang serve --workers N`, for a checkout that has workers).

Each line also gives the server's CPU time per request (its cores over its requests/s): on a
machine shared with other jobs it moves less than requests/s.

    .venv/bin/python benchmarks/bench_web.py [--targets 100000] [--clients 50] [--seconds 30]

Needs `wrk` (Debian: apt-get install wrk) and PostgreSQL. Only loopback traffic.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
from sqlalchemy import Engine, create_engine, insert, text

from taizhang.ledger import make_engine, upgrade
from taizhang.ledger.models import Document, ProgressReport, Target, TargetRevision, Unit, User
from taizhang.web.security import hash_password

HERE = Path(__file__).resolve().parent
PG = os.environ.get("TAIZHANG_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
INDICATORS = ("有效高新技术企业", "新招引重大项目", "集成电路产业规模", "新能源汽车产量",
              "规上工业增加值增长", "城镇新增就业", "新建5G基站", "研发投入占比", "生物医药产值",
              "低空经济企业", "新增专精特新企业", "改造老旧小区")
UNITS = ("亿元", "家", "个", "%", "人", "万吨")
PASSWORD = "bench-password-123"
SECRET = "bench-secret-key-0123456789"
N_UNITS = 100


def seed(engine: Engine, n_targets: int, n_docs: int = 500) -> None:
    """Fill a migrated, empty ledger; the same rows for the same arguments."""
    rnd = random.Random(7)
    with engine.begin() as conn:
        conn.execute(insert(Unit), [{"id": 1, "name": "无锡", "level": "city", "parent_id": None}]
                     + [{"id": i, "name": f"区县{i:03d}", "level": "district", "parent_id": 1}
                        for i in range(2, N_UNITS + 1)])
        docs = []
        for d in range(1, n_docs + 1):
            body = "".join(f"第{k}条：到年底{rnd.choice(INDICATORS)}达到{rnd.randint(1, 999)}"
                           f"{rnd.choice(UNITS)}。\n" for k in range(60))
            docs.append({"id": d, "title": f"合成文件{d}", "source": f"synthetic-{d}.txt",
                         "date": date(2024, 1, 1) + timedelta(days=d % 300),
                         "content_hash": f"{d:064d}", "text": body, "format": "txt",
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
            rows.append({"id": tid, "document_id": doc, "unit_id": rnd.randint(1, N_UNITS),
                         "subject": None, "indicator": rnd.choice(INDICATORS),
                         "indicator_key": f"k{tid}", "unit": rnd.choice(UNITS),
                         "kind": "level", "value_text": f"{value}", "value_start": qs,
                         "value_end": qs + 4, "flags": [], "rules": [], "strength": "hard",
                         "review_state": rnd.choice(states), **common})
            revs.append({"target_id": tid, "document_id": doc, "stated_on": date(2025, 1, 1),
                         **common})
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer")


def tree_pids(root: int) -> list[int]:
    """`root` and its descendants (the uvicorn supervisor and its workers)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def postgres_pids() -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if Path(f"/proc/{entry}/comm").read_text().strip() == "postgres":
                    pids.append(int(entry))
            except OSError:
                continue
    return pids


def cpu_times(pids: list[int]) -> dict[int, float]:
    """CPU seconds (user + system) used so far by each process."""
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            found[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError):
            continue
    return found


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two snapshots (processes started meanwhile count from zero)."""
    return sum(t - before.get(pid, 0.0) for pid, t in after.items())


@dataclass
class Result:
    label: str
    requests: int
    errors: int
    rps: float
    p50: float
    p95: float
    server_cpu: float
    pg_cpu: float
    seconds: float
    load: tuple[float, float]  # the machine's 1-minute load average at the start and the end


WRK_SCRIPT = """
local paths = {%s}
local header = "%s"
request = function()
  local p = paths[math.random(#paths)]
  return wrk.format("GET", p, header ~= "" and {["Cookie"] = header} or nil)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%.1f %%.1f\\n", summary.requests,
    e.connect + e.read + e.write + e.timeout, e.status, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def drive(label: str, base: str, paths: list[str], cookie: str, clients: int, seconds: float,
          server: subprocess.Popen[bytes], warmup: float = 0.0) -> Result:
    lua = WRK_SCRIPT % (", ".join(f'"{p}"' for p in paths), cookie)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(lua)
    command = ["wrk", "-t", str(min(2, clients)), "-c", str(clients), "--timeout", "120s",
               "-s", f.name, base]
    if warmup > 0:  # not measured: every worker's first pages (templates, caches) made
        subprocess.run([*command, "-d", f"{warmup:.0f}s"], capture_output=True, check=True)
    load0 = os.getloadavg()[0]
    cpu0, pg0, t0 = cpu_times(tree_pids(server.pid)), cpu_times(postgres_pids()), time.monotonic()
    out = subprocess.run([*command, "-d", f"{seconds:.0f}s"],
                         capture_output=True, text=True, check=True).stdout
    wall = time.monotonic() - t0
    cpu1, pg1 = cpu_times(tree_pids(server.pid)), cpu_times(postgres_pids())
    os.unlink(f.name)
    m = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+)", out)
    if m is None:
        raise SystemExit(f"wrk said: {out}")
    n, errors, status_errors, micros, p50, p95 = m.groups()
    result = Result(label, int(n), int(errors) + int(status_errors),
                    int(n) / (int(micros) / 1e6), float(p50), float(p95),
                    cpu_used(cpu0, cpu1) / wall, cpu_used(pg0, pg1) / wall, wall,
                    (load0, os.getloadavg()[0]))
    print(f"{label}: {result}", file=sys.stderr, flush=True)
    return result


def login_cookie(base: str) -> str:
    with httpx.Client(base_url=base, timeout=60) as client:
        page = client.get("/login").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        r = client.post("/login", data={"username": "sup", "password": PASSWORD,
                                        "csrf_token": csrf})
        if r.status_code != 303:
            raise SystemExit(f"login failed: {r.status_code}")
        return f"taizhang_session={client.cookies['taizhang_session']}"


@contextmanager
def taizhang(url: str, workers: int, cache: float, src: str | None = None,
             serve: bool = False) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    env = {**os.environ, "TAIZHANG_DB": url, "TAIZHANG_SECRET_KEY": SECRET,
           "TAIZHANG_OVERVIEW_CACHE_SECONDS": str(cache)}
    if src:
        env["PYTHONPATH"] = src
    if src and not serve:  # an older checkout: its uvicorn entry point, one process as it had
        cmd = [sys.executable, "-m", "uvicorn", "taizhang.web.app:create_app", "--factory",
               "--port", str(port), "--log-level", "warning", "--no-access-log"]
    else:
        cmd = [sys.executable, "-m", "taizhang", "serve", "--port", str(port),
               "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/login", proc)
        yield base, proc
    finally:
        stop(proc)


@contextmanager
def stamped(url: str, src: str) -> Iterator[None]:
    """The ledger labelled with the older checkout's schema revision while it runs (the newer
    revisions only add indexes here, which older code does not name), then labelled back."""
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


def stop(proc: subprocess.Popen[bytes]) -> None:
    """End a server and its workers (killed if they are still busy with a queue after 30 s)."""
    if proc.poll() is None:
        os.killpg(proc.pid, 15)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait(30)


def datasette_bin() -> Path:
    """datasette in a venv of its own (benchmarks/.datasette), made on first use."""
    venv = HERE / ".datasette"
    exe = venv / "bin" / "datasette"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "datasette"], check=True)
    return exe


@contextmanager
def datasette(path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    # -i: immutable, as datasette recommends for data it only reads (no locking per request);
    # no facet suggestions: they cost 300 ms per table page of 20,000 rows, and taizhang's
    # pages do no such analysis either
    proc = subprocess.Popen(
        [str(datasette_bin()), "serve", "-i", str(path), "--port", str(port),
         "--setting", "max_returned_rows", "1000", "--setting", "suggest_facets", "off"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/", proc)
        yield base, proc
    finally:
        stop(proc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--targets", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--warmup", type=float, default=5.0,
                    help="seconds of unmeasured load before each measured run (every server)")
    ap.add_argument("--baseline-src", help="also run another checkout's src (e.g. ../main/src)")
    ap.add_argument("--baseline-workers", type=int,
                    help="run the baseline with its own `taizhang serve --workers N` (a checkout "
                         "that has it); without: one uvicorn process, as before workers existed")
    ap.add_argument("--only", help="comma-separated page names (overview,uncached,unit,target,api)")
    args = ap.parse_args()
    name = f"tz_benchweb_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        conn.execute(text(f'ALTER DATABASE "{name}" SET jit = off'))
    url = re.sub(r"/[^/]*$", f"/{name}", PG)
    tmp = Path(tempfile.mkdtemp(prefix="tz-benchweb-"))
    lite = tmp / "ledger.db"
    try:
        t0 = time.perf_counter()
        for target in (url, f"sqlite:///{lite}"):
            engine = make_engine(target)
            upgrade(engine)
            seed(engine, args.targets)
            engine.dispose()
        print(f"seeded {args.targets:,} targets twice in {time.perf_counter() - t0:.0f} s",
              file=sys.stderr)
        rnd = random.Random(11)
        ids = [rnd.randint(1, args.targets) for _ in range(2000)]
        units = list(range(2, N_UNITS + 1))
        pages = {
            "overview": ("overview (cached)", ["/"], 600),
            "uncached": ("overview (recomputed per request)", ["/"], 0),
            "unit": ("unit page (200 rows)", [f"/units/{u}" for u in units], 600),
            "target": ("target page", [f"/targets/{i}" for i in ids], 600),
            "api": ("`/api/targets?limit=100`", ["/api/targets?limit=100"], 600),
        }
        chosen = args.only.split(",") if args.only else list(pages)
        results: list[tuple[str, Result | None, Result | None, Result | None]] = []
        for key in chosen:
            label, paths, cache = pages[key]
            warmup = args.warmup if cache else 0.0  # recomputed per request: nothing to warm
            ours = base_line = None
            with taizhang(url, args.workers, cache) as (base, proc):
                cookie = login_cookie(base)
                if key == "uncached":  # first: afterwards the server still works off a queue
                    alone = drive("taizhang overview uncached, 1 client", base, paths, cookie,
                                  1, max(10.0, args.seconds / 2), proc)
                    results.append(("overview uncached, one client alone", alone, None, None))
                ours = drive(f"taizhang {label}", base, paths, cookie, args.clients,
                             args.seconds, proc, warmup)
            if args.baseline_src:
                with stamped(url, args.baseline_src), \
                        taizhang(url, args.baseline_workers or 1, cache, src=args.baseline_src,
                                 serve=args.baseline_workers is not None) as (base, proc):
                    base_line = drive(f"baseline {label}", base, paths,
                                      login_cookie(base), args.clients, args.seconds, proc,
                                      warmup)
            theirs = None
            ds_paths = {"unit": [f"/ledger/targets?unit_id={u}&_size=200" for u in units],
                        "target": [f"/ledger/targets/{i}" for i in ids],
                        "api": ["/ledger/targets.json?_size=100"]}.get(key)
            if ds_paths:
                with datasette(lite) as (base, proc):
                    theirs = drive(f"datasette {label}", base, ds_paths, "", args.clients,
                                   args.seconds, proc, warmup)
            results.append((label, ours, base_line, theirs))
        report(args, results)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        for f in tmp.iterdir():
            f.unlink()
        tmp.rmdir()


def report(args: argparse.Namespace,
           results: list[tuple[str, Result | None, Result | None, Result | None]]) -> None:
    def cell(r: Result | None, cpu: bool = True) -> str:
        """rps, latency, errors and the server's CPU per request (its cores / rps; steadier
        than rps on a shared machine); with `cpu` also cores and the load average."""
        if r is None:
            return "— | — | — | — | — | —" if cpu else "— | — | — | —"
        text_ = (f"{r.rps:.1f} | {r.p50:,.0f} / {r.p95:,.0f} | {r.errors} | "
                 f"{1000 * r.server_cpu / r.rps:.2f}" if r.rps else "0 | — | — | —")
        return text_ + (f" | {r.server_cpu:.2f} / {r.pg_cpu:.2f} | {r.load[0]:.1f}–{r.load[1]:.1f}"
                        if cpu else "")

    print(f"\n{args.targets:,} targets; taizhang on PostgreSQL with {args.workers} worker(s), "
          f"datasette on a SQLite copy; {args.clients} clients (wrk) × {args.seconds:.0f} s; "
          f"{os.cpu_count()} cores shared by servers, PostgreSQL and wrk\n")
    head = ("| page | taizhang rps | p50 / p95 ms | errors | CPU ms / request "
            "| CPU server / PostgreSQL (cores) | load average |")
    sep = "|---|---:|---:|---:|---:|---:|---:|"
    if args.baseline_src:
        head += " before: rps | p50 / p95 ms | errors | CPU ms / request |"
        sep += "---:|---:|---:|---:|"
    head += " datasette rps | p50 / p95 ms | errors | CPU ms / request |"
    sep += "---:|---:|---:|---:|"
    print(head)
    print(sep)
    for label, ours, before, theirs in results:
        row = f"| {label} | {cell(ours)} |"
        if args.baseline_src:
            row += f" {cell(before, cpu=False)} |"
        row += f" {cell(theirs, cpu=False)} |"
        print(row)


if __name__ == "__main__":
    main()
