"""Issue 8 through the CLI: dates, units, documents, and the small things of item 6."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import taizhang.extract
from taizhang.cli import cli
from taizhang.ledger.testing import make_target, pg_server_url


def run(*args: str, code: int = 0, stdin: str | None = None) -> tuple[str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    assert result.exit_code == code, (result.output, result.exception)
    assert "Traceback" not in result.output
    return result.stdout, result.stderr


def fake(text: str, *, date: object = None, subject: str | None = None, **_: object) -> list:
    return [make_target(f"{text[:2]}指标", "3", subject="自治" if "自治" in text else subject)]


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(taizhang.extract, "extract_targets", fake)
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("甲报告", encoding="utf-8")
    (folder / "a.json").write_text('{"date": "2024-01-20", "region": "河北省保定市"}', encoding="utf-8")
    (folder / "b.txt").write_text("乙自治报告", encoding="utf-8")
    (folder / "b.json").write_text('{"date": "2026", "region": "西藏自治区"}', encoding="utf-8")
    (folder / "c.txt").write_text("丙没有日期的报告", encoding="utf-8")
    return folder


def test_a_mistyped_db_creates_nothing(tmp_path: Path) -> None:
    for command in (["targets"], ["status"], ["export", str(tmp_path / "x.xlsx")],
                    ["user", "add", "u", "--role", "admin", "--password-stdin"]):
        _, err = run(*command, "--db", str(tmp_path / "typo.db"), code=1, stdin="long-enough-pw\n")
        assert "does not exist (a mistyped --db?)" in err and "taizhang db init" in err
    assert not (tmp_path / "typo.db").exists()
    out, _ = run("db", "init", "--db", str(tmp_path / "new.db"))
    assert out.startswith("ledger created")
    run("targets", "--db", str(tmp_path / "new.db"))


@pytest.mark.postgres
def test_a_missing_postgresql_database_is_a_message() -> None:
    url = pg_server_url().rsplit("/", 1)[0] + "/tz_no_such_database"
    _, err = run("targets", "--db", url, code=1)
    assert 'database "tz_no_such_database" does not exist' in err


def test_export_to_a_missing_folder_is_a_message(tmp_path: Path) -> None:
    run("db", "init", "--db", str(tmp_path / "l.db"))
    _, err = run("export", "/nonexistent/x.xlsx", "--db", str(tmp_path / "l.db"), code=1)
    assert err == "Error: cannot write /nonexistent/x.xlsx: the folder /nonexistent does not exist\n"


def test_ingest_star_skips_sidecars_asks_for_dates_and_proposes_units(docs: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "l.db")
    out, err = run("ingest", *sorted(str(p) for p in docs.iterdir()), "--db", db, code=1)
    assert "3 file(s): 2 added" in out and "1 failed" in out  # the .json sidecars are no documents
    assert "c.txt: no date for this document" in err and "--date" in err
    assert "ingesting" in err and "3/3" in err  # the progress bar
    assert "1 name(s) are no known unit and wait for review: 自治" in out
    out, _ = run("documents", "list", "--format", "csv", "--db", db)
    assert out.splitlines()[1:] == [
        f"1,a,2024-01-20,sidecar,保定,1,{docs / 'a.txt'}",
        f"2,b,2026-12-31,sidecar_year,西藏,1,{docs / 'b.txt'}",
    ]
    out, _ = run("units", "proposals", "--db", db)
    assert out == "自治\t1 target(s)\tmeanwhile under 西藏\n"
    run("units", "reject", "自治", "--db", db)
    out, _ = run("ingest", str(docs / "c.txt"), "--date", "2025-01-14", "--unit", "易县",
                 "--title", "易县报告", "--db", db)
    assert "1 added" in out
    out, _ = run("documents", "list", "--format", "csv", "--db", db)
    assert out.splitlines()[3] == f"3,易县报告,2025-01-14,given,易县,1,{docs / 'c.txt'}"
    _, err = run("ingest", str(docs / "c.txt"), "--unit", "某某办", "--date", "2025-01-14",
                 "--db", str(tmp_path / "o.db"), code=1)
    assert "no unit called '某某办'" in err


def test_reextract_and_withdraw(docs: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "l.db")
    run("ingest", str(docs / "a.txt"), "--db", db)
    out, _ = run("documents", "reextract", "1", "--date", "2024-03-01", "--db", db)
    assert out == "document 1: 0 new target(s), 1 restated, 0 removed, 0 kept (reviewed or reported on, no longer found)\n"
    out, _ = run("show", "1", "--db", db)
    assert "re-extract" in out
    out, _ = run("documents", "withdraw", "1", "--reason", "重复", "--db", db)
    assert out == "document 1 withdrawn: 1 target(s) deleted, 0 keep their other documents' statements\n"
    out, _ = run("ingest", str(docs / "a.txt"), "--db", db)
    assert "1 added" in out
    _, err = run("documents", "withdraw", "9", "--db", db, code=1)
    assert "no document 9" in err


def test_the_month_from_the_command_line(docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "l.db")
    run("ingest", str(docs / "a.txt"), "--db", db)
    run("review", "1", "--set", "report_cycle=季报", "--db", db)
    out, _ = run("tasks", "add", "年底前建成城市大脑", "--lead", "保定", "--support", "清苑",
                 "--leader", "王副市长", "--deadline", "2024年6月底", "--milestone", "3月底前:立项",
                 "--from", "2024-01-20", "--db", db)
    assert out == "task 1: 年底前建成城市大脑 (牵头 保定, 时限 2024-06-30)\n"
    out, _ = run("tasks", "list", "--as-of", "2024-07-10", "--format", "csv", "--db", db)
    assert out.splitlines()[1] == "1,保定,清苑,王副市长,年底前建成城市大脑,2024-06-30,overdue,False"
    monkeypatch.setenv("TAIZHANG_ACTOR", "bd")
    evidence = tmp_path / "表.pdf"
    evidence.write_bytes(b"%PDF-1")
    out, _ = run("reports", "submit", "--target", "1", "--value", "2", "--as-of", "2024-03-31",
                 "--evidence", str(evidence), "--evidence-dir", str(tmp_path / "ev"), "--db", db)
    assert out == "report 1 submitted, waiting for review\n"
    monkeypatch.setenv("TAIZHANG_ACTOR", "sup")
    run("reports", "return", "1", "--reason", "数据口径不对", "--db", db)
    out, _ = run("reports", "list", "--state", "returned", "--format", "csv", "--db", db)
    assert out.splitlines()[1].endswith("bd,数据口径不对")
    _, err = run("close", "--target", "1", "--db", db, code=1)
    assert "not completed" in err
    out, _ = run("remind", "--as-of", "2024-07-10", "--db", db)
    assert out.startswith("保定:\n") and "逾期未报  target 1" in out and "逾期未完成  task 1" in out
    out, _ = run("remind", "--as-of", "2024-07-10", "--send", "--out", str(tmp_path / "催办"), "--db", db)
    assert out == "保定: 2 item(s), not mailed (TAIZHANG_SMTP_HOST is not set)\n"
    assert (tmp_path / "催办" / "催办通知-保定-2024-07-10.docx").is_file()
    out, _ = run("bulletin", str(tmp_path / "通报.docx"), "--as-of", "2024-07-10", "--db", db)
    assert (tmp_path / "通报.docx").stat().st_size > 5000


COMMANDS = ["db init", "units list", "units add", "units proposals", "units accept", "units map",
            "units reject", "documents list", "documents reextract", "documents withdraw",
            "tasks add", "tasks list", "tasks assign", "reports submit", "reports list",
            "reports accept", "reports return", "close", "remind", "bulletin"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_office_command_teaches_and_is_documented(command: str) -> None:
    from taizhang.cli import cli as root

    result = CliRunner().invoke(root, [*command.split(), "--help"])
    assert result.exit_code == 0
    assert f"taizhang {command}" in result.output.split("Example:")[1]
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"taizhang {command}" in readme
