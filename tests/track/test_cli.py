"""`taizhang status`, `rank` and `conflicts` through click's CliRunner, on both back ends."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from taizhang.cli import cli
from taizhang.track.model import Report, TargetFacts

from . import ledgerdata as ld

AS_OF = "2024-06-30"


@pytest.fixture
def db(engine: Engine) -> str:
    """A small ledger: 江阴 on track with evidence, 宜兴 behind and one never reported."""
    with Session(engine) as session:
        doc = ld.document(session, date(2024, 2, 1))
        jy, yx = ld.unit(session, "江阴"), ld.unit(session, "宜兴")
        facts = TargetFacts(id=0, value=100.0, comparator="ge", kind="increment",
                            deadline=date(2024, 12, 31), indicator="新增就业", unit="人")
        ld.report(session, ld.target(session, doc, jy, facts),
                  Report(0, date(2024, 6, 1), 60.0, "佐证.pdf"))
        ld.report(session, ld.target(session, doc, yx, facts), Report(0, date(2024, 6, 1), 40.0))
        ld.target(session, doc, yx, facts)
        session.commit()
    return engine.url.render_as_string(hide_password=False)


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_status_json_is_a_list_of_objects_with_id(db: str) -> None:
    rows = json.loads(run("status", "--as-of", AS_OF, "--format", "json", "--db", db))
    assert [(r["id"], r["unit"], r["status"], r["evidence"]) for r in rows] == [
        (1, "江阴", "on_track", "with_evidence"),
        (2, "宜兴", "behind", "without_evidence"),
        (3, "宜兴", "no_data", "not_reported"),
    ]
    assert {r["rules_version"] for r in rows} == {"default-2026.2"}


def test_status_csv_and_unit_filter(db: str) -> None:
    out = run("status", "--as-of", AS_OF, "--unit", "宜兴", "--format", "csv", "--db", db)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["id"], r["status"], r["light"]) for r in rows] == [
        ("2", "behind", "yellow"), ("3", "no_data", "grey")
    ]


def test_status_table_names_lights_counts_and_silent_units(db: str) -> None:
    out = run("status", "--as-of", AS_OF, "--db", db)
    assert "3 targets on 2024-06-30 (rules default-2026.2)" in out
    assert "behind: 1, no_data: 1, on_track: 1" in out
    assert "not reported: 宜兴 (1)" in out


def test_unknown_unit_is_an_error(db: str) -> None:
    result = CliRunner().invoke(cli, ["status", "--unit", "上海", "--db", db])
    assert result.exit_code == 1
    assert "no unit called '上海' in the ledger" in result.output


def test_rules_file_changes_the_status_and_bad_keys_are_named(db: str, tmp_path: Path) -> None:
    lenient = tmp_path / "office.toml"
    lenient.write_text('version = "office-1"\n[schedule]\ntolerance = 0.2\n', encoding="utf-8")
    rows = json.loads(run("status", "--as-of", AS_OF, "--format", "json", "--db", db,
                          "--rules", str(lenient)))
    assert rows[1]["status"] == "on_track" and rows[1]["rules_version"] == "office-1"
    bad = tmp_path / "bad.toml"
    bad.write_text("[schedule]\ntolerence = 0.2\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["status", "--db", db, "--rules", str(bad)])
    assert result.exit_code == 1
    assert "unknown key 'schedule.tolerence'" in result.output


def test_rank_json_and_table(db: str) -> None:
    rows = json.loads(run("rank", "--as-of", AS_OF, "--format", "json", "--db", db))
    assert [(r["id"], r["rank"], r["unreported"]) for r in rows] == [("江阴", 1, 0), ("宜兴", 2, 1)]
    assert rows[0]["index"] == pytest.approx(100.0)
    out = run("rank", "--as-of", AS_OF, "--db", db)
    assert "league table on 2024-06-30 (rules default-2026.2)" in out


def test_conflicts_formats(db: str) -> None:
    assert json.loads(run("conflicts", "--format", "json", "--db", db)) == []
    assert run("conflicts", "--format", "csv", "--db", db) == "id\n"
    assert "0 conflicts" in run("conflicts", "--db", db)


def test_streamed_json_is_what_json_dumps_writes(db: str) -> None:
    out = run("status", "--as-of", AS_OF, "--format", "json", "--db", db)
    assert out == json.dumps(json.loads(out), ensure_ascii=False, indent=2) + "\n"
    targets = run("targets", "--format", "json", "--db", db)
    assert targets == json.dumps(json.loads(targets), ensure_ascii=False, indent=2) + "\n"


def test_a_table_too_long_is_refused_with_a_pointer_to_csv(
        db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from taizhang.cli import output

    monkeypatch.setattr(output, "TABLE_MAX_ROWS", 2)
    for command in ("status", "targets"):
        result = CliRunner().invoke(cli, [command, "--as-of", AS_OF, "--db", db])
        assert result.exit_code == 1
        assert "more than 2 targets: too many for a table; use --format csv" in result.output
        rows = run(command, "--as-of", AS_OF, "--format", "csv", "--db", db).splitlines()
        assert len(rows) == 4  # the header and all three
