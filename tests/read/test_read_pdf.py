"""PDF: the text layer, page by page; scans, empty and damaged files are clear errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from taizhang.read import ReadError, read_document

MakePdf = Callable[..., Path]


def test_text_layer_with_chinese(make_pdf: MakePdf, sentences: list[str]) -> None:
    lines = [sentences[0][:40], "GDP growth target 5%", sentences[1][:40]]
    doc = read_document(make_pdf([lines[:2], [lines[2]]]))
    assert doc.format == "pdf"
    assert doc.text == f"{lines[0]}\n{lines[1]}\n{lines[2]}"  # page text joined with "\n"
    assert "\r" not in doc.text


def test_image_only_pdf_asks_for_ocr(make_pdf: MakePdf) -> None:
    with pytest.raises(ReadError, match="no text layer; OCR it first") as caught:
        read_document(make_pdf([None, None], name="scan.pdf"))
    assert caught.value.path.endswith("scan.pdf")


def test_a_scanned_page_among_text_pages_reads_as_empty(make_pdf: MakePdf) -> None:
    doc = read_document(make_pdf([["page one"], None, ["page three"]]))
    assert doc.text.split("\n") == ["page one", "", "page three"]


def test_text_without_unicode_mapping_asks_for_ocr(make_pdf: MakePdf) -> None:
    path = make_pdf([["全年新增就业4.5万人以上"]], unicode_map=False)
    with pytest.raises(
        ReadError, match=r"text layer unusable \(13 of 13 characters .*OCR it first"
    ):
        read_document(path)


def test_zero_byte_pdf(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(ReadError, match="empty"):
        read_document(path)


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_damaged_pdf(make_pdf: MakePdf, damage: str) -> None:
    path = make_pdf([["some text"]], name="bad.pdf")
    data = path.read_bytes()
    path.write_bytes(data[:60] if damage == "truncated" else b"%PDF-1.7\n" + bytes(range(256)) * 8)
    with pytest.raises(ReadError, match=r"bad\.pdf: (not a readable PDF|the PDF has no pages)"):
        read_document(path)


def test_pdf_named_txt_is_read_as_pdf(make_pdf: MakePdf) -> None:
    doc = read_document(make_pdf([["全年新增就业4.5万人"]], name="misnamed.txt"))
    assert (doc.format, doc.text) == ("pdf", "全年新增就业4.5万人")
