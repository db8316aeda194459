"""Authentication, roles, CSRF and the audit log."""

from __future__ import annotations

import anyio
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from taizhang.ledger import make_sessionmaker
from taizhang.ledger.models import AuditLog, ProgressReport, Target
from taizhang.web.routers import api, pages
from tests.web.conftest import login, token_for


def _count(engine: Engine, model: type) -> int:
    with make_sessionmaker(engine)() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def _write_routes(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Every non-GET route of the routers mounted only in private mode (and the read ones)."""
    out = []
    routers = api.read_routers() + api.write_routers() + pages.read_routers() + pages.write_routers()
    for route in (r for router in routers for r in router.routes):
        if isinstance(route, APIRoute):
            for method in route.methods - {"GET", "HEAD"}:
                out.append((method, route.path.replace("{target_id}", "1").replace("{document_id}", "1")))
    return out


def test_every_anonymous_write_is_refused(client: TestClient, engine: Engine) -> None:
    routes = [r for r in _write_routes(client.app) if r[1] != "/login"]
    assert len(routes) >= 5
    before = _count(engine, AuditLog)
    for method, path in routes:
        r = client.request(method, path, data={"value": "1", "as_of": "2024-06-30"})
        assert r.status_code in (401, 403), (method, path, r.status_code)
    assert _count(engine, AuditLog) == before
    assert _count(engine, ProgressReport) == 0


def test_anonymous_write_is_refused_before_the_body_is_read(client: TestClient) -> None:
    app = client.app
    received: list[dict] = []
    sent: list[dict] = []

    async def receive() -> dict:
        received.append({})
        return {"type": "http.request", "body": b"x" * 100, "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/documents", "raw_path": b"/api/documents",
             "query_string": b"", "root_path": "", "scheme": "http", "http_version": "1.1",
             "server": ("testserver", 80), "client": ("127.0.0.1", 1234),
             "headers": [(b"content-type", b"multipart/form-data; boundary=x"),
                         (b"content-length", b"100")]}
    anyio.run(app, scope, receive, send)
    assert sent[0]["status"] == 401
    assert received == []


def test_reporter_of_jiangyin_cannot_report_for_yixing(client: TestClient, engine: Engine,
                                                       seeded: dict[str, int]) -> None:
    csrf = login(client, "jy")
    before_audit = _count(engine, AuditLog)
    r = client.post(f"/api/targets/{seeded['t_yx']}/progress",
                    data={"as_of": "2024-06-30", "value": "50", "csrf_token": csrf},
                    files={"evidence": ("proof.txt", b"evidence", "text/plain")})
    assert r.status_code == 403
    assert "宜兴" in r.json()["detail"]
    assert _count(engine, ProgressReport) == 0
    assert _count(engine, AuditLog) == before_audit
    assert not any(client.app.state.settings.evidence_dir.glob("*")) if client.app.state.settings.evidence_dir.exists() else True


def test_reporter_may_report_for_his_unit_and_its_children(client: TestClient, engine: Engine,
                                                           seeded: dict[str, int]) -> None:
    csrf = login(client, "jy")
    for key in ("t_jy", "t_zone"):
        r = client.post(f"/api/targets/{seeded[key]}/progress",
                        data={"as_of": "2024-06-30", "value": "5", "note": "半年", "csrf_token": csrf})
        assert r.status_code == 202, r.text  # submitted, waiting for review
        assert r.json()["submitted_by"] == "jy"
    with make_sessionmaker(engine)() as s:
        actions = s.execute(select(AuditLog.actor, AuditLog.action)
                            .where(AuditLog.entity == "submissions")).all()
    assert actions == [("jy", "create"), ("jy", "create")]


def test_reporter_cannot_review(client: TestClient, seeded: dict[str, int]) -> None:
    csrf = login(client, "jy")
    r = client.post(f"/api/targets/{seeded['t_jy']}/review", json={"action": "confirm"},
                    headers={"X-CSRF-Token": csrf})
    assert r.status_code == 403


def test_csrf_missing_or_wrong_is_refused(client: TestClient, engine: Engine,
                                         seeded: dict[str, int]) -> None:
    login(client, "sup")
    url = f"/api/targets/{seeded['t_jy']}/progress"
    assert client.post(url, data={"as_of": "2024-06-30", "value": "5"}).status_code == 403
    assert client.post(url, data={"as_of": "2024-06-30", "value": "5",
                                  "csrf_token": "forged"}).status_code == 403
    r = client.post(f"/api/targets/{seeded['t_jy']}/review", json={"action": "confirm"})
    assert r.status_code == 403
    assert _count(engine, ProgressReport) == 0
    with make_sessionmaker(engine)() as s:
        assert s.get(Target, seeded["t_jy"]).review_state == "unreviewed"  # type: ignore[union-attr]


def test_api_token_writes_without_csrf_and_bad_token_is_401(client: TestClient, engine: Engine,
                                                          seeded: dict[str, int]) -> None:
    token = token_for(engine, "sup")
    r = client.post(f"/api/targets/{seeded['t_jy']}/review", json={"action": "confirm"},
                    headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    assert r.json()["review_state"] == "confirmed"
    bad = client.post(f"/api/targets/{seeded['t_jy']}/review", json={"action": "reject"},
                      headers={"Authorization": "Bearer tz_not-a-token"})
    assert bad.status_code == 401
    with make_sessionmaker(engine)() as s:
        log = s.execute(select(AuditLog.actor, AuditLog.details)
                        .where(AuditLog.entity == "targets", AuditLog.action == "update")).all()
    assert log == [("sup", {"changes": {"review_state": ["unreviewed", "confirmed"]},
                            "reason": "review: confirm"})]


def test_login_rejects_wrong_password_and_sets_safe_cookie(client: TestClient) -> None:
    page = client.get("/login")
    import re

    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    bad = client.post("/login", data={"username": "sup", "password": "nope-nope",
                                      "csrf_token": csrf})
    assert bad.status_code == 401
    assert "密码错误" in bad.text
    good = client.post("/login", data={"username": "sup", "password": "correct-horse-battery",
                                       "csrf_token": csrf}, follow_redirects=False)
    assert good.status_code == 303
    cookie = good.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_login_without_csrf_is_refused(client: TestClient) -> None:
    r = client.post("/login", data={"username": "sup", "password": "correct-horse-battery"})
    assert r.status_code == 403


def test_open_redirect_is_not_followed(client: TestClient) -> None:
    import re

    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)  # type: ignore[union-attr]
    r = client.post("/login", data={"username": "sup", "password": "correct-horse-battery",
                                    "csrf_token": csrf, "next": "//evil.example/x"},
                    follow_redirects=False)
    assert r.headers["location"] == "/"


def test_pages_need_login(client: TestClient) -> None:
    r = client.get("/targets/1", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert client.get("/api/targets").status_code == 401
