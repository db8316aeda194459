"""Large inputs: streaming with global offsets, and memory that stays near the text size."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from taizhang.read import ReadError, TextChunk, iter_text_chunks, read_document


def chunks_of(path: Path, size: int) -> list[TextChunk]:
    return list(iter_text_chunks(path, chunk_chars=size))


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "gb18030", "utf-16", "big5"])
def test_chunks_rebuild_the_text_and_end_at_line_breaks(
    tmp_path: Path, wuxi_text: str, codec: str
) -> None:
    text = (
        wuxi_text.replace("\n", "\r\n") * 3
        if codec != "big5"
        else "國考斷面比例保持100%。\r\n" * 400
    )
    path = tmp_path / "doc.txt"
    path.write_bytes(text.encode(codec))
    chunks = chunks_of(path, 500)
    assert "".join(c.text for c in chunks) == text == read_document(path).text
    for chunk in chunks[:-1]:
        assert chunk.text.endswith("\n")
        assert len(chunk.text) <= 500
    for chunk in chunks:
        assert text[chunk.start : chunk.start + len(chunk.text)] == chunk.text


def test_a_phrase_found_in_a_chunk_has_its_global_offset(tmp_path: Path, wuxi_text: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(wuxi_text, encoding="gb18030", newline="")
    phrase = "断面Ⅲ类比例保持100%"
    found = [c.start + c.text.index(phrase) for c in chunks_of(path, 300) if phrase in c.text]
    assert found == [wuxi_text.index(phrase)]


def test_long_lines_are_cut_but_never_inside_crlf(tmp_path: Path) -> None:
    text = ("目" * 9 + "\r\n") * 30  # lines of 11 characters, chunks of 10
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8", newline="")
    chunks = chunks_of(path, 10)
    assert "".join(c.text for c in chunks) == text
    assert not any(c.text.endswith("\r") for c in chunks)


def test_multibyte_characters_across_read_blocks(tmp_path: Path) -> None:
    """3 MiB of GBK with odd-length lines: 1 MiB blocks end inside two-byte characters."""
    line = "锚定目标乘势而上，全年新招引超50亿元重大项目3个。\n"
    text = line * (3 * 2**20 // len(line.encode("gbk")) + 7)
    path = tmp_path / "big.txt"
    path.write_bytes(text.encode("gbk"))
    chunks = chunks_of(path, 100_000)
    assert "".join(c.text for c in chunks) == text


def test_non_text_formats_are_chunked_after_reading(make_pdf) -> None:  # type: ignore[no-untyped-def]
    path = make_pdf([["first page"], ["第二页的文字"]])
    chunks = chunks_of(path, 11)
    assert "".join(c.text for c in chunks) == read_document(path).text


def test_streaming_errors(tmp_path: Path, wuxi_text: str) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(ReadError, match="empty"):
        chunks_of(empty, 100)
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b"\n \n" * 100)
    with pytest.raises(ReadError, match="empty"):
        chunks_of(blank, 10)
    late = tmp_path / "late.txt"  # UTF-8 for the first MiB, then a GBK byte sequence
    late.write_bytes(b"a\n" * 2**20 + "目标".encode("gbk"))
    with pytest.raises(ReadError, match="not valid utf-8"):
        chunks_of(late, 1_000_000)
    with pytest.raises(ValueError):
        chunks_of(late, 0)


@pytest.mark.slow
def test_100_mb_file_memory(tmp_path: Path, wuxi_text: str) -> None:
    """read_document peaks near twice the decoded text; streaming near one chunk."""
    path = tmp_path / "big.txt"
    block = (wuxi_text * 50).encode("utf-8")
    with path.open("wb") as handle:
        for _ in range(100 * 2**20 // len(block) + 1):
            handle.write(block)
    tracemalloc.start()
    try:
        text = read_document(path).text
        text_bytes = len(text) * 2  # CJK text is stored two bytes per character
        _, peak = tracemalloc.get_traced_memory()
        assert peak < 2.2 * text_bytes, (peak, text_bytes)
        del text
        tracemalloc.reset_peak()
        total = 0
        for chunk in iter_text_chunks(path, chunk_chars=1_000_000):
            total += len(chunk.text)
        _, peak = tracemalloc.get_traced_memory()
        assert peak < 20 * 2**20, peak
        assert total * 2 == text_bytes
    finally:
        tracemalloc.stop()
