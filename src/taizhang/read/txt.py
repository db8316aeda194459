"""Plain text: the decoded file content, unchanged (newlines kept), BOM dropped.

Files over 1 MiB are decoded block by block with the encoding chosen from their first MiB;
`iter_txt_chunks` streams the same blocks for inputs that should never be held whole.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from io import BufferedReader
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


def _head(path: Path, handle: BufferedReader) -> tuple[bytes, bool]:
    """The first MiB of a file and whether that is all of it."""
    head = handle.read(enc.SAMPLE_BYTES)
    if not head:
        raise ReadError(path, "empty document (0 bytes)")
    return head, len(head) < enc.SAMPLE_BYTES or not handle.peek(1)


def _decoded_blocks(
    path: Path, handle: BufferedReader, head: bytes, encoding: str
) -> Iterator[str]:
    """The rest of the file decoded block by block, starting with `head` (already read)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    consumed, block = 0, head
    while True:
        final = not block
        try:
            yield decoder.decode(block, final=final)
        except UnicodeDecodeError as err:
            reason = "truncated multi-byte sequence at the end" if final else (
                f"invalid byte sequence near byte {consumed + max(err.start, 0)}")
            raise ReadError(path, f"not valid {encoding} (chosen from its first MiB): "
                            f"{reason}") from err
        if final:
            return
        consumed += len(block)
        block = handle.read(_BLOCK_BYTES)


def read_txt(path: Path) -> tuple[str, str]:
    """(text, encoding) of a text file; ReadError if empty, binary or undecodable.

    A file over 1 MiB is decoded block by block with the encoding its first MiB shows (as
    `iter_txt_chunks` does) and joined once: peak memory is about twice the decoded text,
    where one `bytes.decode` of the whole file was measured at over four times.
    """
    with path.open("rb") as handle:
        head, complete = _head(path, handle)
        if complete:
            text, encoding = enc.decode(path, head)
        else:
            encoding = enc.detect(path, head, complete=False)
            text = "".join(_decoded_blocks(path, handle, head, encoding))
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
        head, complete = _head(path, handle)
        encoding = enc.detect(path, head, complete=complete)
        buf, start, content = "", 0, False
        for decoded in _decoded_blocks(path, handle, head, encoding):
            buf += decoded
            while len(buf) > chunk_chars:
                cut = _cut(buf, chunk_chars)
                piece, buf = buf[:cut], buf[cut:]
                content = content or not piece.isspace()
                yield TextChunk(start, piece)
                start += cut
        if buf:
            content = content or not buf.isspace()
            yield TextChunk(start, buf)
    if not content:
        raise ReadError(path, "empty document (only whitespace)")
