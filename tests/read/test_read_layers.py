"""`read` is the first stage: it may use the error types, never a later stage."""

from __future__ import annotations

import ast
from pathlib import Path

import taizhang.read

READ = Path(taizhang.read.__file__).parent


def test_read_imports_no_other_stage() -> None:
    modules: set[str] = set()
    for path in READ.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                modules.add(node.module)
            elif isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
    ours = {m for m in modules if m.startswith("taizhang")}
    assert ours, "the scan found no imports at all"
    assert {m for m in ours if not m.startswith(("taizhang.read", "taizhang.errors"))} == set()
