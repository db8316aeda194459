"""taizhang batch / panel / amplification through the CLI: the machine-readable shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from taizhang.cli import cli
from tests.research.conftest import small_corpus  # noqa: F401  (fixture)

PANEL_KEYS = {
    "unit", "year", "indicator", "target_value", "target_value_max", "comparator", "unit_of_measure",
    "target_document", "target_span", "target_quote", "result_value", "result_document", "result_span",
    "result_quote", "verdict",
}
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def dataset(small_corpus: Path, tmp_path: Path) -> Path:  # noqa: F811
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(small_corpus), "-o", str(out), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "4 input(s): 3 processed" in result.stdout
    assert "empty.txt: empty document (0 bytes)" in result.stderr
    return out


def test_panel_jsonl_shape(dataset: Path, small_corpus: Path) -> None:  # noqa: F811
    result = CliRunner().invoke(cli, ["panel", str(dataset), "--format", "jsonl"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and all(PANEL_KEYS <= set(r) for r in rows)
    gdp = [r for r in rows if (r["unit"], r["year"], r["indicator"]) == ("西藏", 2026, "gdp_growth")]
    assert len(gdp) == 1 and (gdp[0]["target_value"], gdp[0]["comparator"]) == (7, "ge")
    text = Path(gdp[0]["target_document"]).read_text(encoding="utf-8")
    start, end = gdp[0]["target_span"]
    assert text[start:end].startswith("7%") and "7%以上" in gdp[0]["target_quote"]
    assert gdp[0]["target_document"] == str(small_corpus / "p26_xizang.txt")


@pytest.mark.parametrize("fmt", ["csv", "parquet", "dta"])
def test_panel_files(dataset: Path, tmp_path: Path, fmt: str) -> None:
    import pandas as pd

    path = tmp_path / f"panel.{fmt}"
    result = CliRunner().invoke(cli, ["panel", str(dataset), "--format", fmt, "-o", str(path), "--indicator", "gdp_growth"])
    assert result.exit_code == 0, result.output
    frame = {"csv": pd.read_csv, "parquet": pd.read_parquet, "dta": pd.read_stata}[fmt](path)
    assert set(frame["unit"]) >= {"河北", "北京", "西藏"} and set(frame["indicator"]) == {"gdp_growth"}
    assert float(frame.loc[(frame["unit"] == "西藏") & (frame["year"] == 2026), "target_value"].iloc[0]) == 7.0


def test_panel_queried_with_duckdb_as_in_the_readme(dataset: Path) -> None:
    import duckdb

    sql = f"""
        SELECT subject, value, comparator, quote
        FROM read_parquet('{dataset}/targets/**/*.parquet', hive_partitioning = true)
        WHERE indicator_key = 'gdp_growth' AND year = 2026 AND deadline = DATE '2026-12-31'
        ORDER BY subject"""
    rows = duckdb.sql(sql).fetchall()
    assert ("西藏", 7.0, "ge") in [r[:3] for r in rows]
    assert "read_parquet('out/p26/targets/**/*.parquet', hive_partitioning = true)" in README.read_text(encoding="utf-8")


def test_amplification_table_and_jsonl(dataset: Path) -> None:
    result = CliRunner().invoke(cli, ["amplification", str(dataset), "--indicator", "gdp_growth", "--year", "2026", "--parent-target", "全国=5"])
    assert result.exit_code == 0, result.output
    assert "全国 gdp_growth 2026: ≈5%" in result.stdout and "西藏" in result.stdout
    result = CliRunner().invoke(cli, ["amplification", str(dataset), "--indicator", "gdp_growth", "--year", "2026", "--format", "jsonl"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["child"] for r in rows} == {"河北", "北京", "西藏"} and {r["parent"] for r in rows} == {"全国"}


def test_user_errors_are_messages_not_tracebacks(tmp_path: Path, dataset: Path) -> None:
    result = CliRunner().invoke(cli, ["panel", str(tmp_path)])
    assert result.exit_code == 1 and "not a batch dataset" in result.output
    result = CliRunner().invoke(cli, ["panel", str(dataset), "--format", "dta"])
    assert result.exit_code == 2 and "give -o FILE" in result.output
    result = CliRunner().invoke(cli, ["amplification", str(dataset), "--indicator", "gdp_growth", "--year", "2026", "--parent-target", "全国=five"])
    assert result.exit_code == 2 and "UNIT=VALUE" in result.output
    result = CliRunner().invoke(cli, ["amplification", str(dataset), "--indicator", "gdp_growth", "--year", "1999"])
    assert result.exit_code == 1 and "no unit has a gdp_growth target for 1999" in result.output


@pytest.mark.parametrize("command", ["batch", "panel", "amplification", "results"])
def test_every_command_has_help_with_an_example_and_is_documented(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert f"taizhang {command}" in result.output.split("Example:")[1]
    assert f"taizhang {command}" in README.read_text(encoding="utf-8")


def test_results_and_amplification_on_a_ledger(tmp_path: Path) -> None:
    from tests.research.conftest import corpus

    db = f"sqlite:///{tmp_path / 'l.db'}"
    files = [corpus("raw", "010_hebei-gwr-2025.txt"), corpus("raw", "012_baoding-gwr-2025.txt"), corpus("provinces-2026", "p26_hebei.txt")]
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", *map(str, files), "--db", db]).exit_code == 0
    result = runner.invoke(cli, ["results", "propose", "--db", db])
    assert result.exit_code == 0 and "5 new proposal(s)" in result.output
    rows = [json.loads(line) for line in runner.invoke(cli, ["results", "list", "--format", "jsonl", "--db", db]).stdout.splitlines()]
    assert {(r["value"], r["verdict"], r["state"]) for r in rows} >= {(5.6, "met", "proposed")}
    gdp = next(r for r in rows if r["value"] == 5.6 and "生产总值" in r["quote"])
    result = runner.invoke(cli, ["results", "confirm", str(gdp["id"]), "--db", db])
    assert result.exit_code == 0 and "= 5.6 as of 2025-12-31" in result.output
    result = runner.invoke(cli, ["results", "confirm", str(gdp["id"]), "--db", db])
    assert result.exit_code == 1 and "already confirmed" in result.output
    # 层层加码 on the ledger: 保定 set 6%左右 under 河北's 5%以上
    result = runner.invoke(cli, ["amplification", db, "--indicator", "gdp_growth", "--year", "2025", "--format", "jsonl"])
    rec = next(json.loads(line) for line in result.stdout.splitlines() if json.loads(line)["child"] == "保定")
    assert (rec["parent"], rec["parent_value"], rec["value"], rec["difference"], rec["higher"]) == ("河北", 5, 6, 1.0, True)
