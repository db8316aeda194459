"""The value every reader returns, and the metadata a crawler may leave next to a file."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Document", "is_sidecar", "read_sidecar"]


@dataclass(frozen=True, slots=True)
class Document:
    path: str
    text: str
    format: str  # txt, html, docx, pdf
    encoding: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # from a sibling NAME.json, if any


def read_sidecar(path: Path) -> dict[str, Any]:
    """Metadata in a sibling `NAME.json` (title, issuer, region, date, genre…), or {}.

    This is the corpus format of ../shared and what crawlers commonly write next to a file;
    a broken sidecar is ignored rather than failing the document.
    """
    side = path.with_suffix(".json")
    if not side.is_file():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def is_sidecar(path: Path) -> bool:
    """A `NAME.json` next to a document `NAME.txt` (or .html, .docx, .pdf…): metadata, not a
    document, even when a shell glob (`ingest reports/*`) names it explicitly."""
    from taizhang.read.sniff import SUFFIXES

    if path.suffix.lower() != ".json":
        return False
    return any(path.with_suffix(suffix).is_file() for suffix in SUFFIXES)
