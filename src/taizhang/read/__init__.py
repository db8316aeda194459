"""Files → text. Every reader returns the text it analysed; offsets are code points into it.

For `.txt` the text is the decoded file content, unchanged (newlines kept), because gold spans
and the ledger's provenance spans are located there. See the README, section Reading documents.
"""

from __future__ import annotations

from taizhang.errors import ReadError
from taizhang.read.dispatch import iter_documents, iter_paths, iter_text_chunks, read_document
from taizhang.read.document import Document, read_sidecar
from taizhang.read.txt import TextChunk

__all__ = [
    "Document",
    "ReadError",
    "TextChunk",
    "iter_documents",
    "iter_paths",
    "iter_text_chunks",
    "read_document",
    "read_sidecar",
]
