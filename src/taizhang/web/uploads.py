"""Checks on uploaded files: allowed type by name and by content, not empty."""

from __future__ import annotations

from pathlib import Path

from fastapi import HTTPException, UploadFile

from taizhang.web.settings import ALLOWED_UPLOAD_SUFFIXES

_MAGIC = {".pdf": (b"%PDF",), ".docx": (b"PK\x03\x04",)}
_TEXT_BOMS = (b"\xff\xfe", b"\xfe\xff")


def check_document_upload(file: UploadFile) -> str:
    """The file's lower-case suffix, or a 415/400 that says what is accepted."""
    name = file.filename or ""
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_UPLOAD_SUFFIXES:
        raise HTTPException(
            415,
            f"不支持的文件类型 (unsupported file type) {suffix or name or '(no name)'!r}: "
            f"upload one of {', '.join(ALLOWED_UPLOAD_SUFFIXES)}",
        )
    head = file.file.read(4096)
    file.file.seek(0)
    if not head:
        raise HTTPException(400, f"文件为空 (empty file): {name}")
    magic = _MAGIC.get(suffix)
    if magic and not head.startswith(magic):
        raise HTTPException(415, f"文件内容与扩展名不符 (content is not a {suffix[1:]} file): {name}")
    if suffix in (".txt", ".html", ".htm") and b"\x00" in head and not head.startswith(_TEXT_BOMS):
        raise HTTPException(415, f"文件不是文本 (binary content in a text file): {name}")
    return suffix
