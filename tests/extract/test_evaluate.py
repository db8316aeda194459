"""`taizhang eval` prints the same numbers as the reference scorer ../shared/eval/score.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from taizhang.cli import cli

SHARED = Path(__file__).resolve().parents[3] / "shared"
DEV = SHARED / "corpus" / "dev"
SCORER = SHARED / "eval" / "score.py"
needs_shared = pytest.mark.skipif(not SCORER.exists(), reason="../shared is not beside the checkout")


def _summary(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


@needs_shared
def test_eval_matches_reference_scorer() -> None:
    ours = CliRunner().invoke(cli, ["eval", str(DEV), "--json"])
    assert ours.exit_code == 0, ours.output
    taizhang = Path(sys.executable).with_name("taizhang")
    ref = subprocess.run(
        [sys.executable, str(SCORER), str(DEV), "--json", "--cmd", f"{taizhang} extract --format jsonl --date {{date}} {{file}}"],
        capture_output=True, text=True, check=True,
    )
    theirs = _summary(ref.stdout)
    mine = _summary(ours.output)
    for key in ("hard", "predictions", "false_positives", "detect_precision", "detect_recall", "ledger_f1", "field_accuracy"):
        assert mine[key] == theirs[key], key


@needs_shared
def test_dev_corpus_bar() -> None:
    """Issue 2's bar: ledger F1 ≥ 0.95 on the dev corpus."""
    result = CliRunner().invoke(cli, ["eval", str(DEV), "--json"])
    assert _summary(result.output)["ledger_f1"] >= 0.95
