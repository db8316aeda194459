"""Which reader a file goes to, and reading many files where one bad file stops nothing."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from taizhang.errors import ReadError
from taizhang.read.document import Document, is_sidecar, read_sidecar
from taizhang.read.sniff import SUFFIXES, sniff_format
from taizhang.read.txt import TextChunk, chunk_text, iter_txt_chunks, read_txt

__all__ = ["iter_documents", "iter_text_chunks", "read_document"]

_HEAD_BYTES = 4096
_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device"}


def _check(path: Path) -> str:
    """The format of a regular, readable, non-empty file; ReadError otherwise.

    Special files are refused before opening: reading a FIFO would block forever.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        reason = "broken symbolic link" if path.is_symlink() else "no such file"
        raise ReadError(path, reason) from None
    except OSError as err:
        raise ReadError(path, f"cannot read: {err.strerror or err}") from err
    if stat.S_ISDIR(info.st_mode):
        raise ReadError(path, "is a directory")
    if not stat.S_ISREG(info.st_mode):
        kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
        raise ReadError(path, f"{kind}, not a regular file")
    if info.st_size == 0:
        raise ReadError(path, "empty document (0 bytes)")
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError as err:
        raise ReadError(path, f"cannot read: {err.strerror or err}") from err
    fmt = sniff_format(path, head)
    if fmt not in ("txt", "html", "docx", "pdf"):
        if fmt.startswith(("damaged", "not a")):
            raise ReadError(path, fmt)
        hint = "; OCR it first" if "image" in fmt else ""
        raise ReadError(path, f"unsupported: {fmt} (taizhang reads .txt, .html, .docx, .pdf{hint})")
    return fmt


def read_document(path: str | Path) -> Document:
    """Read one file as text; the format comes from its content, then its suffix.

    Raises ReadError (naming the file and why) for anything that is not a readable document.
    """
    path = Path(path)
    fmt = _check(path)
    encoding: str | None = None
    try:
        if fmt == "txt":
            text, encoding = read_txt(path)
        elif fmt == "html":
            from taizhang.read.html import read_html

            text, encoding = read_html(path)
        elif fmt == "docx":
            from taizhang.read.docx import read_docx

            text = read_docx(path)
        else:
            from taizhang.read.pdf import read_pdf

            text, _pages = read_pdf(path)
    except OSError as err:
        raise ReadError(path, f"cannot read: {err.strerror or err}") from err
    return Document(str(path), text, fmt, encoding, read_sidecar(path))


def iter_text_chunks(path: str | Path, chunk_chars: int = 1_000_000) -> Iterator[TextChunk]:
    """A document's text as `TextChunk(start, text)` pieces that end at a line break.

    `start` is the global code-point offset, so spans found in a chunk shift by it. A text
    file is streamed (memory stays near `chunk_chars`, whatever the file size); other formats
    are read whole and then cut the same way. Concatenated, the chunks equal
    `read_document(path).text`.
    """
    path = Path(path)
    if chunk_chars < 1:
        raise ValueError("chunk_chars must be at least 1")
    if _check(path) == "txt":
        try:
            yield from iter_txt_chunks(path, chunk_chars)
        except OSError as err:
            raise ReadError(path, f"cannot read: {err.strerror or err}") from err
        return
    yield from chunk_text(read_document(path).text, chunk_chars)


def _expand(directory: Path) -> list[tuple[Path, ReadError | None]]:
    """Files under `directory` with a known suffix, sorted; hidden names are skipped.

    Symbolic links to directories are not followed (no cycles); a subdirectory that cannot
    be listed becomes an error entry instead of being skipped silently.
    """
    found: list[tuple[Path, ReadError | None]] = []

    def unlistable(err: OSError) -> None:
        found.append((Path(err.filename), ReadError(err.filename, f"cannot list: {err.strerror}")))

    for root, dirs, files in os.walk(directory, onerror=unlistable):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            if name.startswith(".") or Path(name).suffix.lower() not in SUFFIXES:
                continue
            found.append((Path(root, name), None))
    return sorted(found, key=lambda item: item[0].parts)


def _attempt(path: Path) -> Document | ReadError:
    try:
        return read_document(path)
    except ReadError as err:
        return err


def iter_paths(paths: Iterable[str | Path]) -> Iterator[tuple[Path, ReadError | None]]:
    """The files `iter_documents` would read, without reading them: (path, None), or (path,
    ReadError) for a directory with no document or a subdirectory that cannot be listed.
    The sidecar `NAME.json` of a document named beside it (`reports/*` names both) is no file
    of its own."""
    for given in paths:
        path = Path(given)
        if is_sidecar(path):
            continue
        if not path.is_dir():
            yield path, None
            continue
        entries = _expand(path)
        if not entries:
            known = " ".join(sorted(SUFFIXES))
            yield path, ReadError(path, f"no documents ({known}) in this directory")
        yield from entries


def iter_documents(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Document | ReadError]]:
    """(path, Document or ReadError) for each file, directories expanded recursively.

    Files named explicitly are read whatever their suffix, except the sidecar `NAME.json` of a
    document named beside it (`reports/*` names both); inside a directory only known
    suffixes (.txt .text .html .htm .xhtml .shtml .docx .pdf) are taken. A bad file yields
    its error and the run goes on, so a CLI can report it and exit non-zero at the end.
    """
    for file, error in iter_paths(paths):
        yield file, error if error is not None else _attempt(file)
