"""Documentation unit tests: every rules key and every tracking command is documented."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from taizhang.cli import cli
from taizhang.track.rules import default_rules_text

DOC = Path(__file__).resolve().parents[2] / "README.md"


def dotted_keys(table: dict[str, Any], prefix: str = "") -> list[str]:
    keys = []
    for key, value in table.items():
        if isinstance(value, dict) and prefix + key not in ("rank.weights", "rank.status_score"):
            keys += dotted_keys(value, f"{prefix}{key}.")
        else:
            keys.append(prefix + key)
    return keys


@pytest.mark.parametrize("key", dotted_keys(tomllib.loads(default_rules_text())))
def test_every_rules_key_is_in_the_readme(key: str) -> None:
    assert f"`{key}" in DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["status", "rank", "conflicts"])
def test_every_command_has_help_with_an_example_and_is_documented(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert f"taizhang {command}" in result.output.split("Example:")[1]
    assert f"taizhang {command}" in DOC.read_text(encoding="utf-8")
