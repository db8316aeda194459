"""HTML: the article's main text, without navigation, sidebars and footers.

readability-lxml picks the main content block (it chose the article over a 20-link "相关文件"
sidebar where trafilatura kept the menu and sidebar, and it installs in ~3 MB against
trafilatura's ~55 MB with dateparser and babel). The chosen block is turned into text here with
one line per paragraph, list item, heading or `<br>`, and one line per table row with cells
separated by tabs, so an indicator and its value stay on one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from taizhang.errors import ReadError
from taizhang.read import encoding as enc

__all__ = ["decode_html", "html_to_text", "read_html"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs",
            "utf8": "utf-8", "unicode": "utf-16"}
_BLOCKS = frozenset((
    "address", "article", "aside", "blockquote", "caption", "center", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "tfoot", "thead",
    "tr", "ul",
))
_SKIP = frozenset(("script", "style", "noscript", "template", "head", "title", "iframe",
                   "object", "svg", "button", "select"))
_BOILERPLATE = frozenset(["nav", "header", "footer", "aside", "form"])
_SPACES = re.compile(r"[ \t\r\n\f\v\xa0]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def decode_html(path: Path, raw: bytes) -> tuple[str, str]:
    """(markup, encoding): a BOM, else the declared charset if it decodes, else detection."""
    if not raw:
        raise ReadError(path, "empty document (0 bytes)")
    if raw.startswith(b"\xef\xbb\xbf") or raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text, encoding = enc.decode(path, raw)
        return text, encoding
    match = _META_CHARSET.search(raw[:8192])
    if match:
        declared = match.group(1).decode("ascii").lower()
        declared = _ALIASES.get(declared, declared)
        try:
            return raw.decode(declared), declared
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown label is common on the web; fall back to detection
    return enc.decode(path, raw)


def _lines(node: Any) -> Iterator[str]:
    """Text of an lxml element tree with "\n" marking block and <br> boundaries."""
    tag = node.tag if isinstance(node.tag, str) else ""
    tag = tag.lower().rsplit("}", 1)[-1]
    if tag in _SKIP:
        yield from ([_SPACES.sub(" ", node.tail)] if node.tail else [])
        return
    block = tag in _BLOCKS
    if block or tag == "br":
        yield "\n"
    if tag in ("td", "th"):
        yield "\t"
    if node.text and isinstance(node.tag, str):
        yield _SPACES.sub(" ", node.text)
    for child in node:
        yield from _lines(child)
    if block:
        yield "\n"
    if node.tail:
        yield _SPACES.sub(" ", node.tail)


def html_to_text(root: Any) -> str:
    """Block-aware text of an element: whitespace runs collapse as a browser shows them."""
    out = []
    for line in "".join(_lines(root)).split("\n"):
        cells = [_SPACES.sub(" ", cell).strip(" \u3000") for cell in line.split("\t")]
        line = "\t".join(cell for cell in cells if cell)
        if line:
            out.append(line)
    return "\n".join(out)


def _fallback(doc: Any) -> Any:
    """The <body> without script, navigation, header, footer, aside and forms."""
    import lxml.html

    for bad in doc.xpath("//*[self::" + " or self::".join(sorted(_BOILERPLATE)) + "]"):
        bad.drop_tree()
    body = doc.find("body")
    return body if body is not None else lxml.html.Element("div")


def read_html(path: Path) -> tuple[str, str]:
    """(main text, encoding) of an HTML file; the page's <h1> heads the text if outside it."""
    try:
        import lxml.html
        from readability import Document as Readable
    except ImportError as err:
        raise ReadError(path, f"reading HTML needs the 'read' extra ({err.name} is missing): "
                        "pip install 'taizhang[read]'") from err
    raw = path.read_bytes()
    markup, encoding = decode_html(path, raw)
    markup = _XML_DECL.sub("", markup, count=1)
    if not markup.strip():
        raise ReadError(path, "empty document (only whitespace)")
    try:
        page = lxml.html.document_fromstring(markup)
    except Exception as err:  # lxml raises ParserError, ValueError…: all mean "not HTML"
        raise ReadError(path, f"not parseable as HTML: {err}") from err
    heading = page.find(".//h1")
    title = html_to_text(heading) if heading is not None else None
    try:
        summary = Readable(markup).summary(html_partial=True)
        text = html_to_text(lxml.html.fragment_fromstring(summary, create_parent="div"))
    except Exception:  # readability gives up on odd pages; the plain body is then the answer
        text = ""
    if len(text) < 20:
        text = html_to_text(_fallback(page))
    if not text:
        raise ReadError(path, "empty document (no text in the HTML)")
    if title and title not in text[: len(title) + 200]:
        text = f"{title}\n{text}"  # the headline often names the subject of every target
    return text, encoding
