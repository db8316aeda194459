"""Public read-only mode, and bad uploads (type, size, malformed forms)."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from taizhang.ledger import make_sessionmaker
from taizhang.ledger.models import AuditLog, Document
from taizhang.web.app import create_app
from taizhang.web.settings import WebSettings
from tests.web.conftest import EXAMPLE, login, token_for


@pytest.fixture
def public_client(settings: WebSettings, engine: Engine, seeded: dict[str, int], client: TestClient):  # type: ignore[no-untyped-def]
    auth = {"Authorization": f"Bearer {token_for(engine, 'sup')}"}
    client.post(f"/api/targets/{seeded['t_jy']}/review", headers=auth, json={"action": "confirm"})
    client.post(f"/api/targets/{seeded['t_jy']}/progress", headers=auth,
                data={"as_of": date.today().isoformat(), "value": "900", "note": "内部备注"},
                files={"evidence": ("secret.txt", b"internal", "text/plain")})
    public = settings.model_copy(update={"public": True})
    with TestClient(create_app(public, engine=engine)) as c:
        yield c


def test_public_mode_shows_confirmed_targets_only(public_client: TestClient, seeded: dict[str, int]) -> None:
    targets = public_client.get("/api/targets").json()
    assert [t["id"] for t in targets["data"]] == [seeded["t_jy"]]
    assert public_client.get(f"/api/targets/{seeded['t_yx']}").status_code == 404
    progress = public_client.get(f"/api/targets/{seeded['t_jy']}/progress").json()["data"]
    assert progress[0]["value"] == 900
    assert progress[0]["note"] is None and progress[0]["reporter"] is None
    assert progress[0]["evidence_url"] is None
    page = public_client.get(f"/targets/{seeded['t_jy']}").text
    assert "内部备注" not in page and "secret.txt" not in page and "操作记录" not in page
    assert "公开版" in public_client.get("/").text
    status = public_client.get("/api/status").json()["data"]
    assert [s["target_id"] for s in status] == [seeded["t_jy"]]


def test_public_mode_has_no_write_routes_or_users(public_client: TestClient, seeded: dict[str, int]) -> None:
    paths = public_client.get("/openapi.json").json()["paths"]
    assert all(set(ops) == {"get"} for ops in paths.values())
    assert "/api/targets/{target_id}/audit" not in paths
    for path in ("/api/documents", f"/api/targets/{seeded['t_jy']}/progress",
                 f"/api/targets/{seeded['t_jy']}/review", "/login", "/upload"):
        assert public_client.post(path, data={"x": "1"}).status_code in (401, 404, 405)
    assert public_client.get("/login").status_code == 404
    assert public_client.get("/progress/1/evidence").status_code == 404


def _upload(client: TestClient, auth: dict[str, str], name: str, data: bytes) -> tuple[int, str]:
    r = client.post("/api/documents", headers=auth, files={"file": (name, data)},
                    data={"date": "2024-06-28"})
    return r.status_code, r.json()["detail"] if r.status_code >= 400 else ""


def test_bad_uploads_get_clear_4xx(client: TestClient, engine: Engine) -> None:
    auth = {"Authorization": f"Bearer {token_for(engine, 'admin')}"}
    assert _upload(client, auth, "virus.exe", b"MZ\x90\x00")[0] == 415
    status, detail = _upload(client, auth, "fake.pdf", b"hello, not a pdf")
    assert status == 415 and "pdf" in detail
    assert _upload(client, auth, "fake.docx", b"plain text")[0] == 415
    assert _upload(client, auth, "bin.txt", b"\x00\x01\x02binary")[0] == 415
    assert _upload(client, auth, "empty.txt", b"")[0] == 400
    status, detail = _upload(client, auth, "huge.txt", "字".encode() * 200_000)
    assert status == 413 and "limit" in detail
    # malformed forms: no file part, a non-multipart body, a bad date
    assert client.post("/api/documents", headers=auth, data={"date": "2024-06-28"}).status_code == 422
    r = client.post("/api/documents", headers={**auth, "content-type": "multipart/form-data; boundary=zz"},
                    content=b"--zz\r\nbroken")
    assert 400 <= r.status_code < 500
    r = client.post("/api/documents", headers=auth, files={"file": ("a.txt", "全年新增1家".encode())},
                    data={"date": "not-a-date"})
    assert r.status_code == 422
    with make_sessionmaker(engine)() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 1  # only the seeded one


def test_upload_of_the_sample_is_idempotent(client: TestClient, engine: Engine) -> None:
    auth = {"Authorization": f"Bearer {token_for(engine, 'admin')}"}
    data = EXAMPLE.read_bytes().replace(b"\n", b"\r\n")  # a different text than the seeded copy
    first = client.post("/api/documents", headers=auth, files={"file": ("sample.txt", data)},
                        data={"date": "2024-06-28"})
    assert first.status_code == 201, first.text
    again = client.post("/api/documents", headers=auth, files={"file": ("sample.txt", data)},
                        data={"date": "2024-06-28"})
    assert again.status_code == 201 and again.json()["created"] is False
    assert again.json()["document"]["id"] == first.json()["document"]["id"]
    with make_sessionmaker(engine)() as s:
        ingests = s.execute(select(AuditLog.actor, AuditLog.entity_id)
                            .where(AuditLog.action == "ingest")).all()
    assert ingests == [("admin", first.json()["document"]["id"])]
    assert first.json()["targets"], "the real extractor finds the sample's targets"


def test_browser_gets_a_page_for_too_large_and_anonymous_posts(client: TestClient) -> None:
    html = {"accept": "text/html"}
    r = client.post("/upload", headers=html, files={"file": ("a.txt", b"x" * 300_000)})
    assert r.status_code == 413 and "上传内容过大" in r.text and r.headers["content-type"].startswith("text/html")
    r = client.post("/targets/1/progress", headers=html, data={"value": "1"})
    assert r.status_code == 401 and "请先登录" in r.text and "<html" in r.text


def test_upload_page_needs_a_reviewer(client: TestClient) -> None:
    csrf = login(client, "jy")
    assert client.get("/upload").status_code == 403
    r = client.post("/upload", data={"csrf_token": csrf},
                    files={"file": ("a.txt", "全年新增1家".encode())})
    assert r.status_code == 403
