"""Every ledger test runs twice: on a SQLite file and on a throwaway PostgreSQL database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from taizhang.ledger import make_engine, session_scope, upgrade
from taizhang.ledger.testing import clear_ledger, throwaway_database


@pytest.fixture(scope="session")
def pg_ledger_url() -> Iterator[str]:
    """One migrated PostgreSQL database per test session (rows cleared before each test)."""
    with throwaway_database("ledger") as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "ledger.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """URL of an empty, migrated ledger on each back end."""
    if request.param == "sqlite":
        path = tmp_path / "ledger.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("pg_ledger_url")
    engine = make_engine(url)
    clear_ledger(engine)
    engine.dispose()
    return url


@pytest.fixture
def engine(ledger_url: str) -> Iterator[Engine]:
    engine = make_engine(ledger_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed at the end of the test (if it did not fail)."""
    with session_scope(engine, actor="tester") as session:
        yield session
