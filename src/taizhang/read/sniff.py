"""What a file is, from its first bytes: the suffix can be missing or wrong.

Formats with a signature (PDF, ZIP/DOCX, images, archives) are recognised by it whatever the
suffix says; HTML only when the suffix gives no answer, because a `.txt` full of markup is still
read as the text the user gave us.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

__all__ = ["SUFFIXES", "sniff_format"]

SUFFIXES: dict[str, str] = {
    ".txt": "txt", ".text": "txt",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}

# Signature → what to call the file in an error; None means a format we read.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # empty archive
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office file (.doc, .wps); save it as .docx"),
    (b"{\\rtf", "an RTF file; save it as .docx or .txt"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable"),
)
_HTML = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta)\b",
    re.IGNORECASE | re.DOTALL,
)


def _signature(head: bytes) -> str | None:
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "a WebP image"
    return None


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        if path.suffix.lower() == ".docx":
            return "damaged .docx (its ZIP container cannot be opened)"
        return "damaged ZIP archive"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "an Excel workbook (.xlsx), not a document"
    if "ppt/presentation.xml" in names:
        return "a PowerPoint file (.pptx), not a document"
    return "a ZIP archive (not a .docx)"


def sniff_format(path: Path, head: bytes) -> str:
    """'txt', 'html', 'docx', 'pdf', or a phrase naming an unsupported kind ('a PNG image')."""
    kind = _signature(head)
    if kind == "zip":
        kind = _zip_kind(path)
    if kind is not None:
        return kind
    by_suffix = SUFFIXES.get(path.suffix.lower())
    if by_suffix in ("txt", "html"):
        return by_suffix
    # No suffix, an unknown one, or .docx/.pdf without their signature.
    if by_suffix == "pdf" and b"%PDF-" in head[:1024]:
        return "pdf"  # junk before the header is allowed by readers
    if by_suffix in ("docx", "pdf"):
        return f"not a {by_suffix.upper()} file (its content has no {by_suffix.upper()} signature)"
    start = head.lstrip(b"\xef\xbb\xbf")
    return "html" if _HTML.match(start[:4096]) else "txt"
