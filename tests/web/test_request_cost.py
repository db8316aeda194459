"""What a reading request costs the database: the list API sends three statements (the login,
the ledger's version, the page; the count comes from its cache), and on PostgreSQL none of
them opens a transaction (no BEGIN and ROLLBACK round trips around them)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from psycopg.pq import TransactionStatus
from sqlalchemy import Engine, event

from tests.web.conftest import login


def _statements(engine: Engine, client: TestClient, path: str) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        dbapi = conn.connection.driver_connection
        state = (dbapi.info.transaction_status if engine.dialect.name == "postgresql"
                 else dbapi.in_transaction)
        seen.append((statement.split(None, 1)[0], state))

    event.listen(engine, "after_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "after_cursor_execute", record)
    return seen


def test_the_list_api_sends_three_statements(client: TestClient, engine: Engine,
                                             seeded: dict[str, int]) -> None:
    login(client, "sup")
    client.get("/api/targets")  # the count is cached from here on
    seen = _statements(engine, client, "/api/targets?limit=2")
    assert [s for s, _ in seen if s != "BEGIN"] == ["SELECT", "SELECT", "SELECT"]
    if engine.dialect.name == "postgresql":  # autocommit: every statement on its own
        assert {state for _, state in seen} == {TransactionStatus.IDLE}


def test_a_target_page_reads_outside_a_transaction(client: TestClient, engine: Engine,
                                                  seeded: dict[str, int]) -> None:
    login(client, "sup")
    seen = _statements(engine, client, f"/targets/{seeded['t_jy']}")
    assert seen and all(s in ("SELECT", "BEGIN") for s, _ in seen)
    if engine.dialect.name == "postgresql":
        assert {state for _, state in seen} == {TransactionStatus.IDLE}


def test_a_target_page_asks_only_for_what_it_has(client: TestClient, engine: Engine,
                                                 seeded: dict[str, int]) -> None:
    """The login, the target (with its document and whether it has proposals, submissions and
    an audit trail), its reports and its revisions: four statements for a target that has
    nothing else; no query for files without reports or submissions."""
    login(client, "sup")
    seen = _statements(engine, client, f"/targets/{seeded['t_yx']}")
    assert [s for s, _ in seen if s != "BEGIN"] == ["SELECT"] * 4


def test_an_anonymous_visitor_is_sent_to_the_login_form_before_the_id_is_checked(
        client: TestClient) -> None:
    for path in ("/targets/1", "/targets/0", "/targets/abc?as_of=x"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
