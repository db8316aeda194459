"""Files → text. Every reader returns the text it analysed; offsets are code points into it.

For `.txt` the text is the decoded file content, unchanged (newlines kept), because gold spans
and the ledger's provenance spans are located there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from taizhang.errors import ReadError

__all__ = ["Document", "ReadError", "read_document", "read_sidecar"]


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


def read_document(path: str | Path) -> Document:
    path = Path(path)
    if not path.exists():
        raise ReadError(path, "no such file")
    if path.is_dir():
        raise ReadError(path, "is a directory")
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ReadError(path, f"cannot read: {err.strerror or err}") from err
    text = raw.decode("utf-8-sig")
    return Document(str(path), text, "txt", "utf-8", read_sidecar(path))
