"""Shared data of the research tests: the project's corpus beside the checkout (../shared)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "corpus"  # as CI lays it out: shared/ beside the checkout
DATA = Path(__file__).parent / "data"


def corpus(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs the shared corpus at {SHARED}")
    return path


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """Three provincial reports (with sidecars), one in a subfolder, and an unreadable file."""
    src = corpus("provinces-2026")
    folder = tmp_path / "docs"
    (folder / "north").mkdir(parents=True)
    for name, where in (("p26_hebei", folder), ("p26_beijing", folder / "north"), ("p26_xizang", folder)):
        for suffix in (".txt", ".json"):
            shutil.copy(src / f"{name}{suffix}", where / f"{name}{suffix}")
    (folder / "empty.txt").write_bytes(b"")
    return folder
