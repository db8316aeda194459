"""Time refused logins: a wrong password of an existing user against an unknown user name.

Issue 10 found 160–280 ms against 4–13 ms, which told an attacker which names exist. Both must
now take about as long (an unknown name is verified against a dummy argon2 hash). The login
throttle is cleared before every try (else the sixth try is a fast 429 for both).

    .venv/bin/python scripts/login_timing.py            # a temporary SQLite ledger
    .venv/bin/python scripts/login_timing.py --db postgresql+psycopg://postgres@127.0.0.1/tz_x
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import delete

from taizhang.ledger import open_ledger, session_scope
from taizhang.ledger.models import LoginThrottle
from taizhang.web.app import create_app
from taizhang.web.settings import WebSettings
from taizhang.web.users import add_user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an empty ledger URL (default: a temporary SQLite file)")
    parser.add_argument("--tries", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'timing.db'}"
        engine = open_ledger(url, create=True)
        with session_scope(engine, actor="timing") as s:
            add_user(s, username="wang", password="the-right-password", role="supervisor",
                     unit_name=None)
        settings = WebSettings(db=url, secret_key="timing-secret-key-0123456789",
                               evidence_dir=Path(tmp) / "evidence")
        times: dict[str, list[float]] = {"existing user, wrong password": [],
                                         "unknown user": []}
        with TestClient(create_app(settings, engine=engine)) as client:
            for _ in range(args.tries):
                for label, name in (("existing user, wrong password", "wang"),
                                    ("unknown user", "nobody-here")):
                    with session_scope(engine, actor="timing") as s:
                        s.execute(delete(LoginThrottle))
                    page = client.get("/login").text
                    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
                    start = time.perf_counter()
                    r = client.post("/login", data={"username": name, "password": "wrong-guess",
                                                    "csrf_token": csrf}, follow_redirects=False)
                    times[label].append((time.perf_counter() - start) * 1000)
                    assert r.status_code == 401, r.status_code
        engine.dispose()
    for label, ms in times.items():
        print(f"{label}: median {statistics.median(ms):.0f} ms "
              f"(min {min(ms):.0f}, max {max(ms):.0f}, {len(ms)} tries)")
    a, b = (statistics.median(ms) for ms in times.values())
    print(f"ratio {max(a, b) / min(a, b):.2f}")


if __name__ == "__main__":
    main()
