"""Word .docx: body paragraphs and tables in document order.

A table row becomes one line with its cells separated by tabs (a merged cell counted once),
so "地区生产总值增长<TAB>5%左右" keeps an indicator and its value together. Page headers,
footers and comments are left out: they are boilerplate, not statements of targets.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from taizhang.errors import ReadError

__all__ = ["read_docx", "MAX_EXPANDED_BYTES"]

# A .docx is a zip: 0.46 MB can expand to 150 MB of XML (a decompression bomb), which took
# minutes and gigabytes to parse. Real documents expand to a few MB; refuse what would be more.
MAX_EXPANDED_BYTES = 50 * 1024 * 1024


def _check_expanded_size(path: Path) -> None:
    """Refuse a .docx whose members would expand beyond the limit, before parsing any XML.

    The declared sizes are what `zipfile` holds each member to while reading (it stops and
    fails at a member that inflates beyond its declared size), so their sum bounds the work."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as err:
        raise ReadError(path, f"not a readable .docx ({type(err).__name__}: {err})") from err
    if total > MAX_EXPANDED_BYTES:
        raise ReadError(path, f"the .docx expands to {total / 1e6:.0f} MB, over the limit of "
                        f"{MAX_EXPANDED_BYTES // (1024 * 1024)} MB (a compressed-file bomb?)")


def _table_lines(table: Any) -> Iterator[str]:
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell appears once per grid column it spans
                continue
            seen.add(id(cell._tc))
            nested = [line for inner in cell.tables for line in _table_lines(inner)]
            text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            cells.append(" ".join([text, *nested]).strip())
        line = "\t".join(cell for cell in cells if cell)
        if line:
            yield line


def _lines(document: Any) -> Iterator[str]:
    from docx.table import Table

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            yield from _table_lines(block)
        else:
            yield block.text


def read_docx(path: Path) -> str:
    """The text of a .docx, one line per paragraph or table row."""
    try:
        import docx
    except ImportError as err:
        raise ReadError(path, "reading .docx needs the 'read' extra (python-docx is missing): "
                        "pip install 'taizhang[read]'") from err
    _check_expanded_size(path)
    try:
        document = docx.Document(str(path))
        text = "\n".join(_lines(document))
    except Exception as err:  # python-docx raises KeyError, ValueError, BadZipFile…
        raise ReadError(path, f"not a readable .docx ({type(err).__name__}: {err})") from err
    if not text.strip():
        raise ReadError(path, "empty document (no text in the .docx)")
    return text
