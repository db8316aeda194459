"""Which encoding a Chinese text file is in, decided so that a wrong guess is an error.

Order of evidence: a byte-order mark; NUL bytes (BOM-less UTF-16/32, else binary); strict
UTF-8, certain once 64 non-ASCII characters decode; then the readings that decode strictly
(short UTF-8, GB18030, Big5) compete on their share of *common* characters, each judged by its
own standard (GB2312's symbols and 6,763 hanzi; Big5's symbols and 5,401 常用字). GB18030
decodes almost any bytes, but real text scores near 1 and the other standard's mojibake far
lower (a 20-character GBK sentence: 1.0 against 0.75 as Big5; a Big5 one: 1.0 against 0.4 as
GB18030). Too close to call (short texts) is an error, not a coin toss.

charset-normalizer alone was measured to misread short Chinese texts ("目标" in GBK → Big5,
"全年增长5%左右" in GBK → UTF-16-BE), so it is used only where it is reliable: BOM-less
UTF-16/32 and naming a likely encoding in errors about non-Chinese files.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import charset_normalizer

from taizhang.errors import ReadError

__all__ = ["SAMPLE_BYTES", "decode", "describe_error", "detect"]

SAMPLE_BYTES = 1 << 20  # what streaming looks at before choosing an encoding
_SCORE_CHARS = 65_536  # how much decoded text the common-character score inspects
_MIN_COMMON = 0.5  # below this share of common characters a CJK reading is refused
_MIN_MARGIN = 0.2  # how much more common one reading must be than the other to be chosen
_SURE_UTF8 = 64  # this many non-ASCII characters valid as UTF-8 are UTF-8 beyond doubt

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_GB = "gb18030"  # superset of GB2312 and GBK: files labelled either decode with it
_BIG5 = "big5hkscs"  # superset of Big5
_WIDE = {"utf_16_le": "utf-16-le", "utf_16_be": "utf-16-be", "utf_32_le": "utf-32-le",
         "utf_32_be": "utf-32-be", "utf_16": "utf-16", "utf_32": "utf-32"}
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1a")  # \x1a: DOS end-of-file mark


@dataclass(frozen=True, slots=True)
class _Failure:
    encoding: str
    error: UnicodeDecodeError


def describe_error(err: UnicodeDecodeError, total: int | None = None) -> str:
    """'truncated multi-byte sequence at byte 5000 of 5001' rather than codec jargon."""
    bad = bytes(err.object[err.start : min(err.end, err.start + 4)])
    where = f"byte {err.start}" + (f" of {total}" if total is not None else "")
    if "incomplete" in err.reason or "unexpected end" in err.reason:
        return f"truncated multi-byte sequence at {where}"
    return f"invalid byte sequence {bad.hex(' ')} at {where}"


def _strict(data: bytes | memoryview, encoding: str, final: bool) -> str | _Failure:
    try:
        if final:
            return str(data, encoding)
        return codecs.getincrementaldecoder(encoding)("strict").decode(data, final=False)
    except UnicodeDecodeError as err:
        return _Failure(encoding, err)


def _bom(data: bytes | memoryview) -> str | None:
    head = bytes(data[:4])
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def _is_common(code: bytes, standard: str) -> bool:
    """Whether a character's code in `standard` lies in that standard's everyday zone."""
    if len(code) != 2:
        return False
    if standard == _GB:  # GB2312: symbols A1A1–A9FE, hanzi B0A1–F7FE
        return 0xA1 <= code[0] <= 0xF7 and code[1] >= 0xA1
    return b"\xa1\x40" <= code <= b"\xa3\xbf" or b"\xa4\x40" <= code <= b"\xc6\x7e"


def _common(ch: str, standard: str) -> bool:
    if standard == "utf-8":  # a UTF-8 reading is judged by both standards' everyday zones
        return _common(ch, _GB) or _common(ch, _BIG5)
    try:
        return _is_common(ch.encode(standard), standard)
    except UnicodeEncodeError:
        return False


def _common_share(text: str, standard: str) -> float:
    """Share of non-ASCII characters in `text` that are common characters of `standard`."""
    sample = [ch for ch in text[:_SCORE_CHARS] if ch >= "\x80"]
    if not sample:
        return 1.0
    return sum(_common(ch, standard) for ch in sample) / len(sample)


def _looks_binary(text: str) -> bool:
    sample = text[:_SCORE_CHARS]
    controls = sum(1 for ch in sample if ch < " " and ch not in _ALLOWED_CONTROLS)
    return controls > max(2, len(sample) // 100)


def _wide_without_bom(path: object, data: bytes | memoryview) -> str | None:
    """BOM-less UTF-16/32 (NUL bytes between ASCII characters), if that is what it is."""
    sample = bytes(data[:SAMPLE_BYTES])
    best = charset_normalizer.from_bytes(sample, cp_isolation=list(_WIDE)).best()
    if best is None or best.encoding not in _WIDE:
        return None
    encoding = _WIDE[best.encoding]
    text = _strict(sample, encoding, final=len(sample) == len(data))
    if isinstance(text, _Failure) or _looks_binary(text):
        return None
    return encoding


def _suggestion(data: bytes | memoryview) -> str:
    best = charset_normalizer.from_bytes(bytes(data[:SAMPLE_BYTES])).best()
    if best is None or best.encoding in ("utf_8", "gb18030", "big5", "big5hkscs", "ascii"):
        return ""
    return f"; charset-normalizer guesses {best.encoding}"


def _undecodable(data: bytes | memoryview, failures: list[_Failure], final: bool) -> str:
    """The reason to report: the encoding that got furthest is what the file most likely is."""
    total = len(data) if final else None
    furthest = max(failures, key=lambda f: f.error.start)
    detail = describe_error(furthest.error, total)
    if detail.startswith("truncated") and total is not None and furthest.error.end >= total - 4:
        return f"{detail}: valid {furthest.encoding} up to a character cut off at the end"
    return (f"cannot decode as UTF-8, GB18030 or Big5 (as {furthest.encoding}: {detail}"
            f"{_suggestion(data)}); if this is a text file, convert it to UTF-8")


def _ambiguous(path: object, readings: dict[str, str], encodings: list[str]) -> ReadError:
    shown = ", ".join(f"as {enc} it reads {readings[enc][:12]!r}" for enc in encodings)
    return ReadError(path, f"ambiguous encoding: {shown}; save it as UTF-8 (with a BOM to be "
                     "certain)")


def _pick(path: object, data: bytes | memoryview, readings: dict[str, str]) -> str:
    """The reading made of clearly more common characters than any other, or ReadError.

    Short texts can be everyday characters in two encodings ("到2025年" in GBK reads
    "善2025爛" in Big5; "为" in GBK is UTF-8 for "Ϊ"): then the answer is an error, not a
    guess. A valid UTF-8 reading is never overridden silently, since GB18030 decodes almost
    any bytes while short GBK is only sometimes valid UTF-8.
    """
    scores = {enc: _common_share(text, enc) for enc, text in readings.items()}
    if "utf-8" in scores:
        rivals = [enc for enc in scores if enc != "utf-8" and scores[enc] >= _MIN_COMMON
                  and scores[enc] > scores["utf-8"] - _MIN_MARGIN]
        if rivals:
            raise _ambiguous(path, readings, ["utf-8", *rivals])
        return "utf-8"
    best = max(scores, key=lambda enc: scores[enc])
    close = [enc for enc in scores if scores[enc] > scores[best] - _MIN_MARGIN]
    if len(close) > 1 and scores[best] >= _MIN_COMMON:
        raise _ambiguous(path, readings, close)
    if _looks_binary(readings[best]):
        raise ReadError(path, "binary file (control characters), not text")
    if scores[best] < _MIN_COMMON:
        # Mostly rare characters: fine if no other reading exists and charset-normalizer sees
        # nothing else (Shift_JIS, EUC-KR…) in the bytes; otherwise refuse rather than guess.
        other = _suggestion(data) if len(readings) == 1 else "; also valid as " + " and ".join(
            sorted(set(readings) - {best}))
        if other:
            raise ReadError(path, f"cannot tell the encoding (as {best} only "
                            f"{scores[best]:.0%} of the characters are common ones{other}); "
                            "convert it to UTF-8")
    return best


def _choose(path: object, data: bytes | memoryview, final: bool) -> tuple[str, str | None]:
    """(encoding, decoded text if `final`, else None). Raises ReadError when unsure."""
    if not data:
        raise ReadError(path, "empty document")
    encoding = _bom(data)
    if encoding is not None:
        text = _strict(data, encoding, final)
        if isinstance(text, _Failure):
            total = len(data) if final else None
            raise ReadError(path, f"starts with a {encoding} byte-order mark but is not valid "
                            f"{encoding}: {describe_error(text.error, total)}")
        return encoding, text if final else None
    if b"\x00" in data[:SAMPLE_BYTES]:
        encoding = _wide_without_bom(path, data)
        if encoding is None:
            raise ReadError(path, "binary file (contains NUL bytes), not text")
        text = _strict(data, encoding, final)
        if isinstance(text, _Failure):
            raise ReadError(path, f"not valid {encoding}: {describe_error(text.error)}")
        return encoding, text if final else None

    readings: dict[str, str] = {}
    failures: list[_Failure] = []
    text = _strict(data, "utf-8", final)
    if isinstance(text, _Failure):
        failures.append(text)
    else:
        if _looks_binary(text):
            raise ReadError(path, "binary file (control characters), not text")
        non_ascii = sum(1 for ch in text[:_SCORE_CHARS] if ch >= "\x80")
        if non_ascii == 0 or non_ascii >= _SURE_UTF8:
            return "utf-8", text if final else None
        readings["utf-8"] = text
    # Short UTF-8, GB18030 and Big5 readings compete on the first MiB; the winner is decoded
    # in full afterwards.
    whole = len(data) <= SAMPLE_BYTES
    head = data if whole else data[:SAMPLE_BYTES]
    for candidate in (_GB, _BIG5):
        text = _strict(head, candidate, final and whole)
        if isinstance(text, _Failure):
            failures.append(text)
        else:
            readings[candidate] = text
    if not readings:
        raise ReadError(path, _undecodable(data, failures, final))
    encoding = _pick(path, data, readings)
    if encoding == "utf-8":
        return encoding, readings[encoding] if final else None
    if not final:
        return encoding, None
    if whole:
        return encoding, readings[encoding]
    text = _strict(data, encoding, True)
    if isinstance(text, _Failure):
        raise ReadError(path, f"not valid {encoding} (as its first MiB suggested): "
                        f"{describe_error(text.error, len(data))}")
    return encoding, text


def decode(path: object, data: bytes | memoryview) -> tuple[str, str]:
    """The whole content decoded: (text, encoding). Any BOM is dropped from the text."""
    encoding, text = _choose(path, data, final=True)
    assert text is not None
    return text, encoding


def detect(path: object, head: bytes, *, complete: bool) -> str:
    """The encoding of a file from its first bytes (`complete`: head is the whole file)."""
    return _choose(path, head, final=complete)[0]
