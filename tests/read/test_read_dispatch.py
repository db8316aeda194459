"""Choosing a reader by content and suffix, and reading many files where bad ones stop nothing."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from taizhang.read import Document, ReadError, iter_documents, read_document

MakePdf = Callable[..., Path]


@pytest.fixture
def mixed_dir(tmp_path: Path, make_pdf: MakePdf, sentences: list[str]) -> Path:
    """Good documents with bad files among them, in nested folders."""
    root = tmp_path / "inbox"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "a_good.txt").write_text(sentences[0], encoding="utf-8")
    (root / "b_empty.txt").write_bytes(b"")
    (root / "c_binary.txt").write_bytes(bytes(range(256)) * 8)
    (root / "d_truncated_gbk.txt").write_bytes(sentences[1].encode("gbk")[:-1])
    (root / "e_zero.pdf").write_bytes(b"")
    make_pdf([None], name="inbox/f_scan.pdf")
    (root / "g_dangling.txt").symlink_to(root / "nowhere.txt")
    os.mkfifo(root / "h_pipe.txt")  # reading it would block forever
    (root / "sub" / "i_good.html").write_text(
        f"<html><body><p>{sentences[2]}</p></body></html>", encoding="utf-8"
    )
    (root / "sub" / "deeper" / "j_good.txt").write_text(sentences[3], encoding="gb18030")
    (root / "sub" / "notes.json").write_text("{}", encoding="utf-8")  # not a document suffix
    (root / "sub" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 20)  # not taken
    (root / ".hidden.txt").write_text("隐藏文件", encoding="utf-8")
    (root / ".git" / "k.txt").write_text("版本库", encoding="utf-8")
    return root


def test_directory_with_bad_files_among_good_ones(mixed_dir: Path, sentences: list[str]) -> None:
    results = list(iter_documents([mixed_dir]))
    names = [path.name for path, _ in results]
    assert names == [
        "a_good.txt",
        "b_empty.txt",
        "c_binary.txt",
        "d_truncated_gbk.txt",
        "e_zero.pdf",
        "f_scan.pdf",
        "g_dangling.txt",
        "h_pipe.txt",
        "j_good.txt",
        "i_good.html",
    ]  # sub/deeper/… sorts before sub/i…
    outcome = {path.name: result for path, result in results}
    good = {name: r.text for name, r in outcome.items() if isinstance(r, Document)}
    assert good == {
        "a_good.txt": sentences[0],
        "i_good.html": sentences[2],
        "j_good.txt": sentences[3],
    }
    reasons = {name: r.reason for name, r in outcome.items() if isinstance(r, ReadError)}
    assert reasons["b_empty.txt"].startswith("empty document")
    assert reasons["c_binary.txt"].startswith("binary file")
    assert reasons["d_truncated_gbk.txt"].startswith("truncated multi-byte sequence")
    assert reasons["e_zero.pdf"].startswith("empty document")
    assert reasons["f_scan.pdf"].startswith("no text layer; OCR it first")
    assert reasons["g_dangling.txt"] == "broken symbolic link"
    assert reasons["h_pipe.txt"] == "a FIFO, not a regular file"
    for path, result in results:
        if isinstance(result, ReadError):
            assert result.path == str(path)
            assert str(result) == f"{path}: {result.reason}"


def test_permission_denied_is_an_error_for_that_file_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests run as root, where chmod 000 does not stop reading: simulate the refusal."""
    for name in ("a.txt", "locked.txt", "z.txt"):
        (tmp_path / name).write_text(f"{name} 全年增长5%", encoding="utf-8")
    real_open = Path.open

    def guarded(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", guarded)
    results = {p.name: r for p, r in iter_documents([tmp_path])}
    assert isinstance(results["a.txt"], Document) and isinstance(results["z.txt"], Document)
    assert isinstance(results["locked.txt"], ReadError)
    assert results["locked.txt"].reason == "cannot read: Permission denied"


def test_unlistable_subdirectory_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.txt").write_text("目标", encoding="utf-8")
    (tmp_path / "secret").mkdir()
    real_scandir = os.scandir

    def guarded(path: object = "."):  # type: ignore[no-untyped-def]
        if str(path).endswith("secret"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", guarded)
    results = {p.name: r for p, r in iter_documents([tmp_path])}
    assert isinstance(results["a.txt"], Document)
    assert isinstance(results["secret"], ReadError)
    assert "cannot list" in results["secret"].reason


def test_explicit_paths_missing_empty_dir_and_any_suffix(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "README").write_text("全年新增城镇就业4.5万人", encoding="utf-8")
    results = list(
        iter_documents([tmp_path / "missing.txt", tmp_path / "empty", tmp_path / "README"])
    )
    assert [(p.name, type(r).__name__) for p, r in results] == [
        ("missing.txt", "ReadError"),
        ("empty", "ReadError"),
        ("README", "Document"),
    ]
    assert results[0][1].reason == "no such file"  # type: ignore[union-attr]
    assert "no documents" in results[1][1].reason  # type: ignore[union-attr]


def test_symlinked_directories_are_not_followed(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to(tmp_path)
    (tmp_path / "a.txt").write_text("目标", encoding="utf-8")
    assert [p.name for p, _ in iter_documents([tmp_path])] == ["a.txt"]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("scan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "unsupported: a PNG image"),
        ("photo", b"\xff\xd8\xff\xe0\x00\x10JFIF", "OCR it first"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "save it as .docx"),
        ("report.pdf", "全年增长5%".encode(), "not a PDF file"),
    ],
)
def test_sniffing_refuses_what_it_cannot_read(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReadError, match=reason):
        read_document(path)


def test_zip_that_is_not_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "bundle.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "目标")
    with pytest.raises(ReadError, match=r"ZIP archive \(not a \.docx\)"):
        read_document(path)


def test_directory_and_missing_file_given_to_read_document(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="is a directory"):
        read_document(tmp_path)
    with pytest.raises(ReadError, match="no such file"):
        read_document(tmp_path / "nope.txt")
