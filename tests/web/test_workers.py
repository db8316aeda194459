"""`taizhang serve --workers 2` as a user runs it: a login holds in every worker, and a write
through one worker shows on the cached overview of all (the ledger version, not a TTL)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from taizhang.ledger import open_ledger, session_scope
from taizhang.ledger.models import Document, Target, Unit
from taizhang.web.users import add_user, create_token

PASSWORD = "workers-password-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str, int]]:
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    engine = open_ledger(db, create=True)  # as `taizhang db init`: serve opens, never creates
    with session_scope(engine, actor="test") as s:
        unit = Unit(name="江阴")
        doc = Document(source="a.txt", date=date(2024, 2, 1), content_hash="a" * 64,
                       text="全年有效高企突破1200家", format="txt", meta={})
        s.add_all([unit, doc])
        s.flush()
        target = Target(document_id=doc.id, unit_id=unit.id, indicator="有效高企",
                        indicator_key="有效高企", value=Decimal(1200), unit="家",
                        comparator="gt", kind="level", deadline=date(2099, 12, 31),
                        value_text="1200家", quote="全年有效高企突破1200家", quote_end=12)
        s.add(target)
        add_user(s, username="sup", password=PASSWORD, role="supervisor", unit_name=None)
        s.flush()
        target_id = target.id
        token = create_token(s, username="sup", name="test")
    engine.dispose()
    port = _free_port()
    env = {**os.environ, "TAIZHANG_EVIDENCE_DIR": str(tmp_path / "evidence")}
    env.pop("TAIZHANG_SECRET_KEY", None)  # serve must hand one key to both workers
    proc = subprocess.Popen(
        [sys.executable, "-m", "taizhang", "serve", "--workers", "2", "--port", str(port),
         "--db", db], env=env, stderr=subprocess.PIPE, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail(f"serve --workers 2 did not start: {proc.stderr.read()!r}")  # type: ignore[union-attr]
        time.sleep(0.2)
    try:
        yield base, token, target_id
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)


def _fresh(base: str, cookies: httpx.Cookies | None = None) -> httpx.Client:
    """A client without keep-alive: every request is a new connection, to either worker."""
    return httpx.Client(base_url=base, cookies=cookies, timeout=30,
                        limits=httpx.Limits(max_keepalive_connections=0))


def test_workers_share_logins_and_see_each_others_writes(served: tuple[str, str, int]) -> None:
    base, token, target_id = served
    with _fresh(base) as client:
        form = client.get("/login").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        r = client.post("/login", data={"username": "sup", "password": PASSWORD,
                                        "csrf_token": csrf, "next": "/"})
        assert r.status_code == 303
        pages = [client.get("/") for _ in range(12)]
        assert {p.status_code for p in pages} == {200}  # never sent back to the login form
        assert all("sup" in p.text and "绿灯 0" in p.text for p in pages)
        r = client.post(f"/api/targets/{target_id}/progress",
                        headers={"Authorization": f"Bearer {token}"},
                        data={"as_of": date.today().isoformat(), "value": "1300"})
        assert r.status_code == 201, r.text
        after = [client.get("/") for _ in range(12)]
        assert all("绿灯 1" in p.text for p in after)  # each worker's cache saw the write
