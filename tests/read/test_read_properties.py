"""Property tests: encoding then reading Chinese text gives the text back, or a clear error."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taizhang.read import ReadError, read_document


def _encodable(codec: str, chars: range) -> list[str]:
    out = []
    for code in chars:
        try:
            chr(code).encode(codec)
        except UnicodeEncodeError:
            continue
        out.append(chr(code))
    return out


GB2312_HANZI = _encodable("gb2312", range(0x4E00, 0xA000))  # the 6,763 characters of daily use
PUNCTUATION = list("，。、；：？！“”‘’（）《》【】—…·％　")
ASCII = list("0123456789%.+-abcXYZ ")
# Plain Chinese as documents are written: common hanzi, punctuation, digits, line breaks.
common_text = st.text(
    alphabet=st.sampled_from(GB2312_HANZI + PUNCTUATION + ASCII + ["\n", "\r"]), min_size=1
).filter(lambda s: not s.isspace())
# Any CJK Unified Ideograph of the BMP, rare ones included.
any_cjk = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1)

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def read_back(data: bytes) -> tuple[str, str | None]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "doc.txt")
        path.write_bytes(data)
        doc = read_document(path)
        return doc.text, doc.encoding


def valid_elsewhere(data: bytes, codec: str) -> bool:
    """Whether the bytes also decode in another encoding: the only excuse for "ambiguous"."""
    for other in {"utf-8", "gb18030", "big5hkscs"} - {codec}:
        try:
            data.decode(other)
        except UnicodeDecodeError:
            continue
        return True
    return False


def round_trips_or_is_ambiguous(text: str, codec: str) -> None:
    """Read back exactly, or refused as ambiguous when the bytes really are valid elsewhere."""
    data = text.encode(codec)
    try:
        decoded, _ = read_back(data)
    except ReadError as err:
        assert "ambiguous encoding" in err.reason, err.reason
        assert valid_elsewhere(data, codec)
        return
    assert decoded == text


@SETTINGS
@given(text=common_text, codec=st.sampled_from(["utf-8-sig", "utf-16", "utf-32"]))
def test_common_chinese_round_trips_with_a_bom(text: str, codec: str) -> None:
    assert read_back(text.encode(codec))[0] == text


@SETTINGS
@given(text=common_text, codec=st.sampled_from(["utf-8", "gb18030"]))
def test_common_chinese_without_bom_round_trips_or_is_called_ambiguous(
    text: str, codec: str
) -> None:
    round_trips_or_is_ambiguous(text, codec)


@SETTINGS
@given(text=any_cjk, codec=st.sampled_from(["utf-8-sig", "utf-16", "utf-32"]))
def test_any_cjk_round_trips_with_a_bom(text: str, codec: str) -> None:
    assert read_back(text.encode(codec))[0] == text


@SETTINGS
@given(text=any_cjk)
def test_any_cjk_in_utf8_round_trips_or_is_called_ambiguous(text: str) -> None:
    round_trips_or_is_ambiguous(text, "utf-8")


@SETTINGS
@given(
    text=st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=20)
)
def test_rare_characters_after_a_real_sentence_in_gb18030(text: str) -> None:
    """Rare hanzi (outside GB2312) within ordinary text: read back, or refused; never misread."""
    round_trips_or_is_ambiguous("锐意进取，攻坚克难；锚定目标，乘势而上！\n" + text, "gb18030")


@SETTINGS
@given(text=common_text)
def test_long_common_chinese_is_never_ambiguous(text: str) -> None:
    """A document-sized text is decided, whatever its encoding: ambiguity is a short-text affair."""
    text = "锐意进取，攻坚克难；锚定目标，乘势而上！全年有效高企突破1200家。\n" * 3 + text
    for codec in ("utf-8", "gb18030"):
        assert read_back(text.encode(codec)) == (text, codec)
