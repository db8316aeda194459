"""Fixtures for taizhang.read: real Chinese sentences, and documents built in the test.

PDFs are written byte by byte (no PDF-writing dependency): Chinese is set in a non-embedded
Type0 font with Identity-H encoding and a /ToUnicode map, which is exactly what a reader needs
to recover the text; an "image-only" page draws a 2×2 grey image and no text, like a scan.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "wuxi-district-leaders-2024.txt"
SHARED = Path("/work/shared/corpus/dev/000_wuxi-district-leaders-2024.txt")


@pytest.fixture(scope="session")
def wuxi_text() -> str:
    """The dev sample article, decoded exactly as the scorer reads it (newline="")."""
    source = SAMPLE if SAMPLE.is_file() else SHARED
    with source.open(encoding="utf-8", newline="") as handle:
        return handle.read()


@pytest.fixture(scope="session")
def sentences(wuxi_text: str) -> list[str]:
    """Non-empty lines of the sample that contain Chinese text and a number."""
    lines = [line.strip() for line in wuxi_text.split("\n")]
    return [line for line in lines if len(line) > 30 and any(c.isdigit() for c in line)]


def _hex_cids(text: str, unicode_map: bool) -> str:
    codes = [ord(ch) if unicode_map else 0xE000 + i for i, ch in enumerate(text)]
    return "<" + "".join(f"{code:04X}" for code in codes) + ">"


def build_pdf(pages: list[list[str] | None], unicode_map: bool = True) -> bytes:
    """A PDF with one page per item: lines of text, or None for an image-only page.

    `unicode_map=False` draws Chinese with private glyph codes and no /ToUnicode map, as
    PDFs made by some converters do: the text layer exists but says nothing.
    """
    chars = sorted({ch for page in pages if page for line in page for ch in line if ord(ch) > 127})
    tounicode = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        + "".join(
            f"{min(100, len(chars) - i)} beginbfchar\n"
            + "".join(f"<{ord(c):04X}> <{ord(c):04X}>\n" for c in chars[i : i + 100])
            + "endbfchar\n"
            for i in range(0, len(chars), 100)
        )
        + "endcmap CMapName currentdict /CMap defineresource pop end end\n"
    ).encode("ascii")
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes, extra: str = "") -> bytes:
        return f"<< /Length {len(data)} {extra}>>\nstream\n".encode() + data + b"\nendstream"

    catalog = add(b"")  # filled in below, once the page tree exists
    tree = add(b"")
    helv = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    cmap = add(stream(tounicode))
    descriptor = add(
        b"<< /Type /FontDescriptor /FontName /SimSun /Flags 6 "
        b"/FontBBox [0 -141 996 855] /ItalicAngle 0 /Ascent 859 /Descent -141 "
        b"/CapHeight 683 /StemV 80 >>"
    )
    cidfont = add(
        f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun "
        f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        f"/FontDescriptor {descriptor} 0 R /DW 1000 /CIDToGIDMap /Identity >>".encode()
    )
    mapping = f" /ToUnicode {cmap} 0 R" if unicode_map else ""
    cjk = add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
        f"/DescendantFonts [{cidfont} 0 R]{mapping} >>".encode()
    )
    image = add(
        stream(
            b"\x00\x80\x80\xff",
            "/Type /XObject /Subtype /Image /Width 2 /Height 2 "
            "/ColorSpace /DeviceGray /BitsPerComponent 8 ",
        )
    )
    kids = []
    for page in pages:
        if page is None:
            content = b"q 200 0 0 200 100 400 cm /Im1 Do Q"
        else:
            ops = []
            for n, line in enumerate(page):
                y = 780 - 20 * n
                if line.isascii():
                    escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                    ops.append(f"BT /F1 11 Tf 40 {y} Td ({escaped}) Tj ET")
                else:
                    ops.append(f"BT /F2 11 Tf 40 {y} Td {_hex_cids(line, unicode_map)} Tj ET")
            content = "\n".join(ops).encode("ascii")
        body = add(stream(content))
        kids.append(
            add(
                f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 595 842] /Contents {body} 0 R "
                f"/Resources << /Font << /F1 {helv} 0 R /F2 {cjk} 0 R >> "
                f"/XObject << /Im1 {image} 0 R >> >> >>".encode()
            )
        )
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {tree} 0 R >>".encode()
    objects[tree - 1] = (
        f"<< /Type /Pages /Count {len(kids)} /Kids [" + " ".join(f"{k} 0 R" for k in kids) + "] >>"
    ).encode()
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


@pytest.fixture
def make_pdf(tmp_path: Path) -> Callable[..., Path]:
    def make(
        pages: list[list[str] | None], name: str = "doc.pdf", unicode_map: bool = True
    ) -> Path:
        path = tmp_path / name
        path.write_bytes(build_pdf(pages, unicode_map))
        return path

    return make
