"""Plain text: the decoded file content, unchanged (newlines kept), BOM dropped.

The file is memory-mapped and decoded straight from the map, so reading a 100 MB file costs
about the size of the decoded text in private memory, not the bytes plus the text.
`iter_text_chunks` streams instead, for inputs that should never be held whole.
"""

from __future__ import annotations

import codecs
import mmap
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from taizhang.errors import ReadError
from taizhang.read import encoding as enc

__all__ = ["TextChunk", "chunk_text", "iter_txt_chunks", "read_txt"]

_BLOCK_BYTES = 1 << 20


class TextChunk(NamedTuple):
    """A piece of a document's text; `start` is its code-point offset in the whole text."""

    start: int
    text: str


def read_txt(path: Path) -> tuple[str, str]:
    """(text, encoding) of a text file; ReadError if empty, binary or undecodable."""
    with path.open("rb") as handle:
        if path.stat().st_size == 0:
            raise ReadError(path, "empty document (0 bytes)")
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            text, encoding = enc.decode(path, data)
    if not text or text.isspace():
        raise ReadError(path, "empty document (only whitespace)")
    return text, encoding


def _cut(buf: str, limit: int) -> int:
    """Where to end a chunk of `buf`: after the last line break within `limit` characters.

    A line longer than `limit` is cut at `limit`, but never between "\r" and "\n".
    """
    cut = buf.rfind("\n", 0, limit) + 1
    if cut:
        return cut
    cut = limit
    if buf[cut - 1] == "\r" and cut > 1:
        cut -= 1
    return cut


def chunk_text(text: str, chunk_chars: int) -> Iterator[TextChunk]:
    """An in-memory text as chunks, cut the same way `iter_txt_chunks` cuts a file."""
    start = 0
    while len(text) - start > chunk_chars:
        cut = _cut(text[start : start + chunk_chars + 1], chunk_chars)
        yield TextChunk(start, text[start : start + cut])
        start += cut
    if start < len(text):
        yield TextChunk(start, text[start:])


def iter_txt_chunks(path: Path, chunk_chars: int) -> Iterator[TextChunk]:
    """Stream a text file's decoded content in chunks ending at a line break.

    The encoding is chosen from the first MiB; a later byte that does not fit it raises
    ReadError naming its byte offset (chunks before it have already been yielded).
    """
    if chunk_chars < 1:
        raise ValueError("chunk_chars must be at least 1")
    with path.open("rb") as handle:
        head = handle.read(enc.SAMPLE_BYTES)
        if not head:
            raise ReadError(path, "empty document (0 bytes)")
        complete = len(head) < enc.SAMPLE_BYTES or not handle.peek(1)
        encoding = enc.detect(path, head, complete=complete)
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        buf, start, consumed, content = "", 0, 0, False
        block = head
        while True:
            final = not block
            try:
                buf += decoder.decode(block, final=final)
            except UnicodeDecodeError as err:
                reason = "truncated multi-byte sequence at the end" if final else (
                    f"invalid byte sequence near byte {consumed + err.start}")
                raise ReadError(path, f"not valid {encoding} (chosen from its first MiB): "
                                f"{reason}") from err
            consumed += len(block)
            while len(buf) > chunk_chars or (final and buf):
                cut = _cut(buf, chunk_chars) if len(buf) > chunk_chars else len(buf)
                piece, buf = buf[:cut], buf[cut:]
                content = content or not piece.isspace()
                yield TextChunk(start, piece)
                start += cut
            if final:
                break
            block = handle.read(_BLOCK_BYTES)
    if not content:
        raise ReadError(path, "empty document (only whitespace)")
