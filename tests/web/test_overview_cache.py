"""The overview is rendered once per (date, role) and personalised per viewer; a write, by this
app or any other process, shows at once; a unit with nothing due is listed without a rank."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, update

from taizhang.ledger import make_sessionmaker
from taizhang.ledger.models import Document, LoginSession, ProgressReport, Target, Unit, User
from taizhang.web.app import create_app
from taizhang.web.settings import WebSettings

from .conftest import login


@pytest.fixture
def cached(settings: WebSettings, engine: Engine, seeded: dict[str, int]) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={"overview_cache_seconds": 600}), engine=engine)
    with TestClient(app) as client:
        yield client


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def test_each_viewer_gets_his_own_name_and_token(cached: TestClient,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from taizhang.web import overview, templating
    from taizhang.web.routers import page_overview

    builds, renders = [], []
    real_build, real_render = overview.build, templating.render_shared
    monkeypatch.setattr(overview, "build", lambda *a, **k: builds.append(1) or real_build(*a, **k))
    monkeypatch.setattr(page_overview, "render_shared",
                        lambda *a: renders.append(1) or real_render(*a))
    sup_token = login(cached, "sup")
    first = cached.get("/").text
    assert "sup · 督查人员" in first and _csrf(first) == sup_token
    assert (len(builds), len(renders)) == (1, 1)
    assert _csrf(cached.get("/").text) == sup_token
    assert (len(builds), len(renders)) == (1, 1)  # the same page again: from the cache
    cached.cookies.clear()
    admin_token = login(cached, "admin")
    page = cached.get("/").text
    assert "admin · 管理员" in page and "sup ·" not in page
    assert _csrf(page) == admin_token != sup_token
    assert (len(builds), len(renders)) == (1, 2)  # another role: rendered, from the same data


def test_writes_anywhere_show_at_once(cached: TestClient, engine: Engine,
                                      seeded: dict[str, int]) -> None:
    login(cached, "sup")
    assert "绿灯 0" in cached.get("/").text
    with make_sessionmaker(engine)() as s:  # another process (here: another session) writes
        s.add(ProgressReport(target_id=seeded["t_jy"], as_of=date(2024, 6, 30),
                             value=Decimal(1300)))
        s.commit()
    assert "绿灯 1" in cached.get("/?as_of=2024-07-01").text
    assert "绿灯 1" in cached.get("/").text  # audited insert: the ledger version moved


def test_units_with_nothing_due_show_a_dash_not_rank_0(client: TestClient, engine: Engine) -> None:
    with make_sessionmaker(engine)() as s:
        later = Unit(name="梁溪")
        doc = Document(source="plan.txt", date=date(2099, 1, 1), content_hash="p" * 64,
                       text="2100年目标", format="txt", meta={})
        s.add_all([later, doc])
        s.flush()
        s.add(Target(document_id=doc.id, unit_id=later.id, indicator="远期目标",
                     indicator_key="远期目标", value=Decimal(1), unit="个", comparator="ge",
                     kind="increment", deadline=date(2100, 12, 31)))
        s.commit()
    login(client, "sup")
    league = client.get("/api/league").json()["data"]
    assert {r["unit"]: r["rank"] for r in league}["梁溪"] is None
    page = client.get("/").text
    row = re.search(r'<tr><td class="num">([^<]*)</td>\s*<td><a href="/units/\d+">梁溪</a>', page)
    assert row is not None and row.group(1) == "—"


def test_the_cached_page_is_answered_before_the_app_only_for_a_valid_login(
        cached: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from taizhang.web import overview

    through_app = []
    real_version = overview.ledger_version
    monkeypatch.setattr(overview, "ledger_version",
                        lambda s: through_app.append(1) or real_version(s))
    csrf = login(cached, "jy")
    copied = dict(cached.cookies)
    first = cached.get("/")
    assert len(through_app) == 1  # computed and cached by the route
    again = cached.get("/")
    assert len(through_app) == 1  # the cached page, in front of the app
    assert again.text == first.text and "jy · 填报人" in again.text and _csrf(again.text) == csrf
    assert again.headers["content-type"] == "text/html; charset=utf-8"
    assert "frame-ancestors 'none'" in again.headers["content-security-policy"]
    assert cached.get("/?as_of=2024-07-01").status_code == 200 and len(through_app) == 2

    assert cached.post("/logout", data={"csrf_token": csrf},
                       follow_redirects=False).status_code == 303
    cached.cookies.clear()
    cached.cookies.update(copied)  # the cookie from before the logout is worth nothing
    r = cached.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")

    # changes that write no audit row (the ledger's version stays) still count at once
    cached.cookies.clear()
    login(cached, "yx")
    assert "yx · 填报人" in cached.get("/").text
    with engine.begin() as conn:
        conn.execute(update(User).where(User.username == "yx").values(active=False))
    assert cached.get("/", follow_redirects=False).status_code == 303
    with engine.begin() as conn:
        conn.execute(update(User).where(User.username == "yx").values(active=True))
    assert "yx · 填报人" in cached.get("/").text
    with engine.begin() as conn:
        conn.execute(delete(LoginSession))  # every login ended (expired, revoked)
    assert cached.get("/", follow_redirects=False).status_code == 303


def test_public_mode_serves_the_cached_page_without_a_login(
        settings: WebSettings, engine: Engine, seeded: dict[str, int]) -> None:
    public = settings.model_copy(update={"overview_cache_seconds": 600, "public": True})
    with TestClient(create_app(public, engine=engine)) as client:
        first = client.get("/")
        assert first.status_code == 200 and client.get("/").text == first.text
        assert "退出" not in first.text
