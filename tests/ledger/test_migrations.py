"""The schema comes only from migrations, and upgrades keep the data of an older ledger."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from taizhang.errors import LedgerError
from taizhang.ledger import make_engine, open_ledger, upgrade
from taizhang.ledger.db import current_revision, head_revision
from taizhang.ledger.models import Base
from taizhang.ledger.testing import throwaway_schema


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a new SQLite file, or a new schema in the session's PostgreSQL db."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        with throwaway_schema(request.getfixturevalue("pg_ledger_url"), "migrations") as url:
            yield url


def test_migrations_build_exactly_the_models(empty_url: str) -> None:
    upgrade(empty_url)
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_upgrade_from_revision_1_keeps_data(empty_url: str) -> None:
    upgrade(empty_url, "0001")
    engine = make_engine(empty_url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO documents (id, source, content_hash, text, format, meta, ingested_at)"
                " VALUES (1, 'a.txt', 'h1', '全文', 'txt', '{}', '2024-06-28 00:00:00')"
            )
        )
        conn.execute(sa.text("INSERT INTO units (id, name) VALUES (1, '江阴')"))
        for tid, indicator in ((1, "有效 高新技术企业（数量）"), (2, "GDP增长")):
            conn.execute(
                sa.text(
                    "INSERT INTO targets (id, document_id, unit_id, indicator, value, unit,"
                    " comparator, kind, strength, value_text, value_start, value_end, quote,"
                    " quote_start, quote_end, flags, rules, review_state, created_at, updated_at)"
                    " VALUES (:id, 1, 1, :ind, 1200.5, '家', 'gt', 'level', 'hard', '1200家', 0, 0,"
                    " '原文', 0, 2, '[]', '[]', 'confirmed', '2024-06-28', '2024-06-28')"
                ),
                {"id": tid, "ind": indicator},
            )
        conn.execute(
            sa.text(
                "INSERT INTO progress_reports (target_id, as_of, value, created_at)"
                " VALUES (1, '2024-06-30', 650, '2024-07-01')"
            )
        )
    with pytest.raises(LedgerError, match="revision 0001.*taizhang db upgrade"):
        open_ledger(empty_url)
    upgrade(empty_url)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT id, indicator, indicator_key, value, review_state FROM targets ORDER BY id"
            )
        ).all()
        assert [(r[0], r[1], r[2], float(r[3]), r[4]) for r in rows] == [
            (1, "有效 高新技术企业（数量）", "有效高新技术企业数量", 1200.5, "confirmed"),
            (2, "GDP增长", "gdp增长", 1200.5, "confirmed"),
        ]
        assert conn.execute(sa.text("SELECT count(*) FROM progress_reports")).scalar() == 1
        indexes = {i["name"] for i in sa.inspect(conn).get_indexes("targets")}
        assert "ix_targets_unit_indicator_key" in indexes
    engine.dispose()


def test_open_ledger_creates_an_empty_database(tmp_path: Path) -> None:
    engine = open_ledger(f"sqlite:///{tmp_path / 'new.db'}", create=True)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


def test_migrations_ship_in_the_package() -> None:
    from taizhang.ledger import db

    versions = sorted(p.name for p in (db.MIGRATIONS / "versions").glob("*.py"))
    assert versions[:2] == ["0001_initial_ledger_schema.py", "0002_target_indicator_key.py"]
    assert (db.MIGRATIONS / "env.py").is_file() and (db.MIGRATIONS / "script.py.mako").is_file()


def test_upgrade_of_a_ledger_made_by_the_previous_main(empty_url: str) -> None:
    """A 0004 ledger (what main made before issue 8: perf's index, research's proposed
    results) with its defects in the data: 全国 under 保定, a unit 自治, a target without a unit,
    a report twice. The upgrade keeps every row; the office's features work on it, and the next
    document naming 全国 puts it back at the root."""
    from datetime import date

    from taizhang.ledger import session_scope
    from taizhang.ledger.ingest import store_document
    from taizhang.ledger.models import ProgressReport, ProposedResult, Target, Unit
    from taizhang.ledger.tasks import create_task
    from taizhang.ledger.testing import make_target
    from taizhang.ledger.workflow import submit

    upgrade(empty_url, "0004")
    engine = make_engine(empty_url)
    with engine.begin() as conn:  # no explicit ids: PostgreSQL's sequences must stay right

        def insert(sql: str, **values: object) -> int:
            return int(conn.execute(sa.text(sql + " RETURNING id"), values).scalar_one())

        doc = insert("INSERT INTO documents (source, content_hash, text, format, meta, ingested_at,"
                     " date) VALUES ('b.txt', 'h1', '保定摘登', 'txt', '{}', '2026-02-12 00:00:00',"
                     " '2026-02-12')")
        baoding = insert("INSERT INTO units (name) VALUES ('保定')")
        nation = insert("INSERT INTO units (name, parent_id) VALUES ('全国', :p)", p=baoding)
        insert("INSERT INTO units (name) VALUES ('自治')")
        ids = [insert(
            "INSERT INTO targets (document_id, unit_id, indicator, indicator_key, value, unit,"
            " comparator, kind, strength, value_text, value_start, value_end, quote,"
            " quote_start, quote_end, flags, rules, review_state, created_at, updated_at)"
            " VALUES (:d, :u, '地区生产总值', '地区生产总值', 6, '%', 'approx', 'growth', 'hard',"
            " '6%', 0, 0, '原文', 0, 2, '[]', '[]', 'unreviewed', '2026-02-12', '2026-02-12')",
            d=doc, u=unit) for unit in (nation, None)]
        for _ in range(2):
            insert("INSERT INTO progress_reports (target_id, as_of, value, created_at)"
                   " VALUES (:t, '2026-06-30', 5.8, '2026-07-01')", t=ids[0])
        insert("INSERT INTO proposed_results (target_id, document_id, value, unit, indicator,"
               " value_start, value_end, quote, quote_start, quote_end, verdict, state,"
               " created_at) VALUES (:t, :d, 5.6, '%', '地区生产总值', 0, 0, '增长5.6%', 0, 4,"
               " 'met', 'proposed', '2026-07-01')", t=ids[0], d=doc)
    upgrade(empty_url)
    assert current_revision(engine) == head_revision()
    with session_scope(engine, actor="test") as session:
        assert len(session.scalars(sa.select(Target)).all()) == 2
        assert len(session.scalars(sa.select(ProgressReport)).all()) == 2  # nothing deleted
        assert len(session.scalars(sa.select(ProposedResult)).all()) == 1
        target = session.get(Target, ids[0])
        assert target is not None and target.report_cycle is None and target.closed_at is None
        store_document(session, text="保定报告", source="c.txt", date=date(2026, 2, 20),
                       meta={"region": "河北省保定市"}, targets=[make_target("投资", "5", subject="全国")])
        nation = session.scalars(sa.select(Unit).where(Unit.name == "全国")).one()
        baoding = session.scalars(sa.select(Unit).where(Unit.name == "保定")).one()
        assert nation.parent_id is None and nation.code == "000000"
        assert baoding.code == "130600" and baoding.parent is not None
        task = create_task(session, title="年底前建成", lead="保定", deadline=date(2026, 12, 31))
        sub = submit(session, task_id=task.id, as_of="2026-06-30", note="已开工",
                     today=date(2026, 12, 31))
        assert sub.state == "submitted"
    engine.dispose()


def test_upgrade_keeps_one_pending_proposal_per_name(empty_url: str) -> None:
    """0008: copies of a pending proposal made by concurrent ingests before are merged into the
    oldest; decided proposals are history and stay, any number per name."""
    upgrade(empty_url, "0007_sessions")
    engine = make_engine(empty_url)
    with engine.begin() as conn:
        for name, state in (("城东片区", "pending"), ("城东片区", "rejected"), ("城东片区", "pending"),
                            ("自治", "rejected"), ("自治", "rejected"), ("市发改委", "pending"),
                            ("城东片区", "pending")):
            conn.execute(sa.text("INSERT INTO unit_proposals (name, state, created_at)"
                                 " VALUES (:n, :s, '2026-12-01 00:00:00')"), {"n": name, "s": state})
    upgrade(empty_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, name, state FROM unit_proposals ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [(1, "城东片区", "pending"), (2, "城东片区", "rejected"),
                                        (4, "自治", "rejected"), (5, "自治", "rejected"),
                                        (6, "市发改委", "pending")]
    with engine.begin() as conn, pytest.raises(sa.exc.IntegrityError):
        conn.execute(sa.text("INSERT INTO unit_proposals (name, state, created_at)"
                             " VALUES ('市发改委', 'pending', '2026-12-01 00:00:00')"))
    engine.dispose()
