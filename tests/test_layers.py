"""One-way imports: extract is pure (STYLE.md A.2)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "taizhang"


def _imports(package: str) -> set[str]:
    names: set[str] = set()
    for path in (SRC / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
    return names


def test_extract_imports_no_later_stage() -> None:
    forbidden = ("taizhang.ledger", "taizhang.track", "taizhang.web", "taizhang.cli", "taizhang.read")
    assert not [m for m in _imports("extract") if m.startswith(forbidden)]


def test_lexicon_data_ships_in_the_package() -> None:
    from importlib import resources

    data = resources.files("taizhang.extract").joinpath("data")
    assert data.joinpath("admin_units.tsv").is_file()
    assert data.joinpath("zones.tsv").is_file()
    assert data.joinpath("indicators.tsv").is_file()
