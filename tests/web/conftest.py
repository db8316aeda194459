"""Fixtures: a real app over a fresh ledger (in-memory SQLite, or PostgreSQL with -m postgres).

The PostgreSQL ledger lives in a throwaway database `tz_web_<random>` created through the
server in TAIZHANG_TEST_PG and dropped at the end of the session; tables are emptied between
tests.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text

from taizhang.ledger import make_engine, make_sessionmaker, upgrade
from taizhang.ledger.keys import indicator_key
from taizhang.ledger.models import Base, Document, Target, TargetRevision, Unit, UnitAlias, User
from taizhang.web.app import create_app
from taizhang.web.security import hash_password
from taizhang.web.settings import WebSettings
from taizhang.web.users import create_token

PG_SERVER = os.environ.get("TAIZHANG_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
EXAMPLE = Path(__file__).parents[2] / "examples" / "wuxi-district-leaders-2024.txt"
PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session")
def pg_engine() -> Iterator[Engine]:
    name = f"tz_web_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as err:  # noqa: BLE001 - report why PostgreSQL tests cannot run
        admin.dispose()
        pytest.fail(f"PostgreSQL at {PG_SERVER} is not usable: {err}")
    url = re.sub(r"/[^/]*$", f"/{name}", PG_SERVER)
    engine = make_engine(url)
    upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def password_hash() -> str:
    """Hashed once: argon2 is slow on purpose, and every test seeds four users."""
    return hash_password(PASSWORD)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    if request.param == "sqlite":
        eng = make_engine("sqlite://")
        upgrade(eng)
        yield eng
        eng.dispose()
        return
    eng = request.getfixturevalue("pg_engine")
    yield eng
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with eng.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def settings(tmp_path: Path) -> WebSettings:
    return WebSettings(db="sqlite://", secret_key="test-secret-key-0123456789",
                       evidence_dir=tmp_path / "evidence", max_upload_bytes=256 * 1024,
                       overview_cache_seconds=0)


@pytest.fixture
def seeded(engine: Engine, password_hash: str) -> dict[str, int]:
    """无锡 ⊃ {江阴 ⊃ 江阴高新区, 宜兴}; one document with one target for 江阴 and one for 宜兴;
    users admin / sup / jy (reporter of 江阴) / yx (reporter of 宜兴)."""
    text_ = EXAMPLE.read_text(encoding="utf-8")
    with make_sessionmaker(engine)() as s:
        wuxi = Unit(name="无锡", full_name="无锡市", level="city")
        s.add(wuxi)
        s.flush()
        jy = Unit(name="江阴", full_name="江阴市", level="county", parent_id=wuxi.id)
        yx = Unit(name="宜兴", full_name="宜兴市", level="county", parent_id=wuxi.id)
        s.add_all([jy, yx])
        s.flush()
        zone = Unit(name="江阴高新区", level="zone", parent_id=jy.id)
        s.add_all([zone, UnitAlias(unit_id=jy.id, alias="江阴市")])
        doc = Document(title="锚定目标 乘势而上", source="wuxi-district-leaders-2024.txt",
                       date=date(2024, 6, 28), content_hash="0" * 64, text=text_, format="txt", meta={})
        s.add(doc)
        s.flush()
        ids = {"wuxi": wuxi.id, "jy": jy.id, "yx": yx.id, "zone": zone.id, "doc": doc.id}
        for key, unit, needle, indicator, value, unit_ in (
            ("t_jy", jy, "全年有效“高企”突破1200家", "有效高企数量", "1200", "家"),
            ("t_yx", yx, None, "宜兴目标", "100", "个"),
            ("t_zone", zone, None, "江阴高新区目标", "10", "个"),
        ):
            start = text_.index(needle) if needle else 0
            end = start + (len(needle) if needle else 10)
            t = Target(document_id=doc.id, unit_id=unit.id, subject=unit.name, indicator=indicator,
                       indicator_key=indicator_key(indicator), value=Decimal(value), unit=unit_,
                       comparator="gt", kind="level", deadline=date(2024, 12, 31),
                       value_text=f"{value}{unit_}", value_start=start, value_end=end,
                       quote=text_[start:end], quote_start=start, quote_end=end)
            s.add(t)
            s.flush()
            s.add(TargetRevision(target_id=t.id, document_id=doc.id, value=t.value,
                                 comparator="gt", deadline=t.deadline, quote=t.quote,
                                 quote_start=start, quote_end=end, stated_on=doc.date))
            ids[key] = t.id
        for name, role, unit_id in (("admin", "admin", None), ("sup", "supervisor", None),
                                    ("jy", "reporter", jy.id), ("yx", "reporter", yx.id)):
            s.add(User(username=name, password_hash=password_hash, role=role, unit_id=unit_id))
        s.commit()
    return ids


@pytest.fixture
def app(settings: WebSettings, engine: Engine, seeded: dict[str, int]):  # type: ignore[no-untyped-def]
    return create_app(settings, engine=engine)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as c:
        yield c


def login(client: TestClient, username: str) -> str:
    """Log in through the form; returns the session's CSRF token for later writes."""
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    r = client.post("/login", data={"username": username, "password": PASSWORD,
                                    "csrf_token": csrf, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    home = client.get("/documents")
    return re.search(r'name="csrf_token" value="([^"]+)"', home.text).group(1)  # type: ignore[union-attr]


def token_for(engine: Engine, username: str) -> str:
    with make_sessionmaker(engine)() as s:
        value = create_token(s, username=username, name="test")
        s.commit()
    return value
