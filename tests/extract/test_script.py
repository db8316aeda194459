"""A page in traditional characters is read like one in simplified ones, and every span
still points into the text as the reader returned it."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from taizhang.extract import extract_targets
from taizhang.extract.script import _ASTRAL, _traditional_bmp_char, _traditional_chars, is_traditional, simplified

TRADITIONAL = "2024年福州將著力擴優提質。新改擴建公辦幼兒園25所、中小學15所，全年地區生產總值增長6%以上。"


def test_a_traditional_page_gives_the_targets_of_its_simplified_twin() -> None:
    twin = simplified(TRADITIONAL)
    assert len(twin) == len(TRADITIONAL)
    got = extract_targets(TRADITIONAL, date=date(2024, 3, 4))
    want = extract_targets(twin, date=date(2024, 3, 4))
    assert [(t.value, t.unit, t.comparator, t.deadline) for t in got] == [
        (t.value, t.unit, t.comparator, t.deadline) for t in want
    ]
    assert len(got) == 3
    for t in got:  # provenance: the spans and texts are those of the page as printed
        assert TRADITIONAL[t.value_span.start : t.value_span.end] == t.value_text
        assert t.quote in TRADITIONAL


def test_simplified_text_is_left_alone() -> None:
    text = "显著提升，着力推进，乾坤未定，余额100万元"
    assert not is_traditional(text)
    assert simplified(text) == text


@given(st.lists(st.sampled_from(sorted(_traditional_chars())[::7] + list("新改扩建公办幼儿园的，𠀀𡃁 2")), max_size=40).map("".join))
def test_the_regex_count_of_traditional_characters_is_the_plain_count(text: str) -> None:
    """is_traditional counts with a character class (and the astral characters one by one):
    the same count as a membership test of every character."""
    plain = sum(ch in _traditional_chars() for ch in text)
    counted = len(_traditional_bmp_char().findall(text)) + sum(ch in _traditional_chars() for ch in _ASTRAL.findall(text))
    assert counted == plain


def test_a_simplified_page_keeps_the_place_names_of_its_metadata() -> None:
    """氾 is both a town's own character and, in the character table, a traditional form of 泛:
    the sidecar of a simplified page is read as written, that of a traditional page as its text."""
    from datetime import date

    from taizhang.extract import extract_targets
    from taizhang.extract.subjects import document_subject

    meta = {"region": "江苏省扬州市宝应县氾水镇"}
    assert document_subject("", meta) == "氾水镇"
    assert document_subject("", meta, traditional=True) == "泛水镇"
    found = extract_targets("今年，确保全年实现地区生产总值增长6.5%。", date=date(2025, 4, 2), meta=meta)
    assert [t.subject for t in found] == ["氾水镇"]
