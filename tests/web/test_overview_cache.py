"""The overview is rendered once per (date, role) and personalised per viewer; a write, by this
app or any other process, shows at once; a unit with nothing due is listed without a rank."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from taizhang.ledger import make_sessionmaker
from taizhang.ledger.models import Document, ProgressReport, Target, Unit
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
