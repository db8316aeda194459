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

__all__ = ["read_docx"]


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
    try:
        document = docx.Document(str(path))
        text = "\n".join(_lines(document))
    except Exception as err:  # python-docx raises KeyError, ValueError, BadZipFile…
        raise ReadError(path, f"not a readable .docx ({type(err).__name__}: {err})") from err
    if not text.strip():
        raise ReadError(path, "empty document (no text in the .docx)")
    return text
