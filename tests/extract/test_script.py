"""A page in traditional characters is read like one in simplified ones, and every span
still points into the text as the reader returned it."""

from __future__ import annotations

from datetime import date

from taizhang.extract import extract_targets
from taizhang.extract.script import is_traditional, simplified

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
