"""Plain text: encodings, BOMs, offsets and newlines kept, and files that must be refused."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from taizhang.read import ReadError, read_document

TRADITIONAL = (
    "銳意進取，攻堅克難；錨定目標，乘勢而上！昨日召開的市委全會動員全市上下堅定信心、"
    "鼓足幹勁。全年有效高企突破1200家，新招引超50億元重大項目3個。\r\n"
)


def write(tmp_path: Path, data: bytes, name: str = "doc.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("codec", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
        ("utf-16", "utf-16"),  # Python writes a BOM in the machine's byte order
        ("utf-32", "utf-32"),
    ],
)
def test_whole_article_round_trips(
    tmp_path: Path, wuxi_text: str, codec: str, reported: str
) -> None:
    doc = read_document(write(tmp_path, wuxi_text.encode(codec)))
    assert doc.text == wuxi_text
    assert doc.encoding == reported
    assert doc.format == "txt"


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])
def test_utf16_with_either_byte_order(tmp_path: Path, sentences: list[str], bom: bytes) -> None:
    text = "\r\n".join(sentences[:5])
    codec = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
    doc = read_document(write(tmp_path, bom + text.encode(codec)))
    assert doc.text == text
    assert not doc.text.startswith("\ufeff")


def test_big5_traditional_text(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, (TRADITIONAL * 3).encode("big5")))
    assert doc.text == TRADITIONAL * 3
    assert doc.encoding == "big5hkscs"


@pytest.mark.parametrize(
    ("text", "codec"), [("全年增长5%左右", "gbk"), ("你好", "big5"), ("國考斷面", "big5")]
)
def test_short_texts_that_fool_charset_detectors(tmp_path: Path, text: str, codec: str) -> None:
    """charset-normalizer reads "全年增长5%左右" (GBK) as UTF-16-BE."""
    assert read_document(write(tmp_path, text.encode(codec))).text == text


@pytest.mark.parametrize(
    ("text", "codec", "readings"),
    [
        ("到2025年", "gbk", "as gb18030 it reads '到2025年', as big5hkscs it reads '善2025爛'"),
        ("目标", "gbk", "as gb18030 it reads '目标', as big5hkscs it reads '醴梓'"),
        ("为", "gbk", "as utf-8 it reads 'Ϊ', as gb18030 it reads '为'"),
    ],
)
def test_genuinely_ambiguous_short_texts_are_refused(
    tmp_path: Path, text: str, codec: str, readings: str
) -> None:
    with pytest.raises(ReadError, match="ambiguous encoding") as caught:
        read_document(write(tmp_path, text.encode(codec)))
    assert readings in caught.value.reason


def test_utf8_bom_is_dropped_and_offsets_point_into_the_text(
    tmp_path: Path, wuxi_text: str
) -> None:
    phrase = "全年有效“高企”突破1200家"
    doc = read_document(write(tmp_path, codecs.BOM_UTF8 + wuxi_text.encode("utf-8")))
    start = wuxi_text.index(phrase)
    assert doc.text[start : start + len(phrase)] == phrase
    assert doc.text[0] != "\ufeff"


@pytest.mark.parametrize("codec", ["utf-8", "gb18030", "utf-16"])
def test_crlf_and_lf_are_kept_exactly(tmp_path: Path, sentences: list[str], codec: str) -> None:
    text = sentences[0] + "\r\n" + sentences[1] + "\n\n" + sentences[2] + "\r\n"
    doc = read_document(write(tmp_path, text.encode(codec)))
    assert doc.text == text
    assert doc.text.count("\r\n") == 2


def test_sidecar_metadata_is_attached(tmp_path: Path) -> None:
    path = write(tmp_path, "到2025年完成投资100亿元。".encode())
    path.with_suffix(".json").write_text('{"date": "2024-06-28", "issuer": "无锡日报"}', "utf-8")
    assert read_document(path).meta == {"date": "2024-06-28", "issuer": "无锡日报"}


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty document"),
        (b" \r\n\t\n", "empty document"),
        ("\u3000\u3000\n".encode(), "empty document"),
        (codecs.BOM_UTF8, "empty document"),
    ],
)
def test_empty_files(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(ReadError, match=reason) as caught:
        read_document(write(tmp_path, data))
    assert caught.value.path.endswith("doc.txt")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (bytes(range(256)) * 4, "binary"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x01" * 40, "PNG image"),
        (b"PK\x03\x04" + b"\x00" * 60, "ZIP archive"),
        (b"\x1b[0m\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 50, "binary"),
    ],
)
def test_binary_files_are_refused(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(ReadError, match=reason):
        read_document(write(tmp_path, data))


def test_truncated_gbk_names_the_file_and_the_byte(tmp_path: Path, wuxi_text: str) -> None:
    data = wuxi_text.encode("gbk").rstrip(b"\r\n")[:-1]  # last character cut in half
    path = write(tmp_path, data, "cut.txt")
    with pytest.raises(ReadError) as caught:
        read_document(path)
    message = str(caught.value)
    assert str(path) in message
    assert "truncated multi-byte sequence" in message
    assert f"byte {len(data) - 1}" in message


def test_gbk_with_a_corrupt_byte_in_the_middle_is_refused(tmp_path: Path, wuxi_text: str) -> None:
    data = bytearray(wuxi_text.encode("gbk"))
    data[1001] = 0xFF  # no GBK, GB18030 or Big5 sequence contains 0xFF
    with pytest.raises(ReadError, match="cannot decode"):
        read_document(write(tmp_path, bytes(data)))


def test_cp1252_is_refused_not_misread_as_chinese(tmp_path: Path) -> None:
    text = "Déjà vu: le café coûte 3 €, très cher à Noël. " * 5
    with pytest.raises(ReadError, match="convert it to UTF-8"):
        read_document(write(tmp_path, text.encode("cp1252")))


def test_utf16_without_bom_is_detected(tmp_path: Path, sentences: list[str]) -> None:
    text = "\n".join(sentences[:3])
    doc = read_document(write(tmp_path, text.encode("utf-16-le")))
    assert doc.text == text
    assert doc.encoding == "utf-16-le"


def test_bom_followed_by_invalid_utf16_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="byte-order mark"):
        read_document(write(tmp_path, codecs.BOM_UTF16_LE + "目标".encode("utf-16-le") + b"\x00"))
