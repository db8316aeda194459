"""Word .docx built in the test with python-docx: paragraphs and tables in document order."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from taizhang.read import ReadError, read_document


def build(path: Path, sentences: list[str]) -> Path:
    document = docx.Document()
    document.add_heading("2024年主要预期目标", level=1)
    document.add_paragraph(sentences[0])
    table = document.add_table(rows=3, cols=3)
    rows = [
        ("指标", "目标", "责任单位"),
        ("地区生产总值增长", "5%左右", "市发改委"),
        ("城镇新增就业", "4.5万人以上", ""),
    ]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    merged = table.cell(2, 1).merge(table.cell(2, 2))  # one cell spanning two columns
    merged.text = "4.5万人以上"
    document.add_paragraph(sentences[1])
    section = document.sections[0]
    section.header.paragraphs[0].text = "无锡市人民政府文件（页眉）"
    document.save(str(path))
    return path


def test_paragraphs_and_table_rows_in_order(tmp_path: Path, sentences: list[str]) -> None:
    doc = read_document(build(tmp_path / "plan.docx", sentences))
    assert doc.format == "docx"
    assert doc.encoding is None
    assert doc.text.split("\n") == [
        "2024年主要预期目标",
        sentences[0],
        "指标\t目标\t责任单位",
        "地区生产总值增长\t5%左右\t市发改委",
        "城镇新增就业\t4.5万人以上",  # the merged cell counted once
        sentences[1],
    ]
    assert "页眉" not in doc.text


def test_docx_without_suffix_is_sniffed(tmp_path: Path, sentences: list[str]) -> None:
    path = build(tmp_path / "plan.docx", sentences)
    renamed = path.rename(tmp_path / "attachment")
    assert read_document(renamed).format == "docx"


def test_empty_docx(tmp_path: Path) -> None:
    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))
    with pytest.raises(ReadError, match="empty"):
        read_document(path)


def test_damaged_docx(tmp_path: Path, sentences: list[str]) -> None:
    data = build(tmp_path / "plan.docx", sentences).read_bytes()
    broken = tmp_path / "broken.docx"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReadError, match=r"broken\.docx: damaged \.docx"):
        read_document(broken)


def test_docx_with_invalid_document_xml(tmp_path: Path, sentences: list[str]) -> None:
    source = build(tmp_path / "plan.docx", sentences)
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(bad, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            new.writestr(
                item, b"<w:document>unclosed" if item.filename == "word/document.xml" else data
            )
    with pytest.raises(ReadError, match=r"bad\.docx: not a readable \.docx"):
        read_document(bad)


def test_docx_suffix_on_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    path.write_text("全年新增就业4.5万人", encoding="utf-8")
    with pytest.raises(ReadError, match="not a DOCX file"):
        read_document(path)
