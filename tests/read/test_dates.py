"""One rule for a document's date (issue 8, item 2), for extract, ingest and the web."""

from __future__ import annotations

from datetime import date

import pytest

from taizhang.errors import TaizhangError
from taizhang.read.dates import DateNeeded, date_in_text, resolve_document_date

DATELINE = "政府工作报告\n——2025年1月21日在保定市第十六届人民代表大会第六次会议上\n各位代表："


@pytest.mark.parametrize(
    ("given", "meta", "text", "expected", "source"),
    [
        ("2024-06-28", {"date": "2020"}, DATELINE, date(2024, 6, 28), "given"),
        (date(2024, 6, 28), {}, "", date(2024, 6, 28), "given"),
        ("2024年6月28日", {}, "", date(2024, 6, 28), "given"),
        (None, {"date": "2025-01-13"}, DATELINE, date(2025, 1, 13), "sidecar"),
        (None, {"date": "2025-01-21T09:00:00"}, "", date(2025, 1, 21), "sidecar"),
        (None, {}, DATELINE, date(2025, 1, 21), "text"),
        (None, {"date": "2025"}, DATELINE, date(2025, 1, 21), "text"),
        # the sidecar's year disagrees with the text's first date: the text is not taken
        (None, {"date": "2020"}, DATELINE, date(2020, 12, 31), "sidecar_year"),
        (None, {"date": "2020"}, "容城县2020年政府工作报告", date(2020, 12, 31), "sidecar_year"),
        (None, {"date": "2024-06"}, "", date(2024, 6, 28), "sidecar_month"),
        (None, {}, "（二〇二四年一月二十三日）", date(2024, 1, 23), "text"),
        (None, {}, "添加时间 2026/2/12 15:20:47", date(2026, 2, 12), "text"),
    ],
)
def test_resolve(given: object, meta: dict, text: str, expected: date, source: str) -> None:
    resolved = resolve_document_date(given=given, meta=meta, text=text)  # type: ignore[arg-type]
    assert (resolved.date, resolved.source) == (expected, source)


def test_a_year_alone_is_that_year_not_today() -> None:
    """Defect: a sidecar date "2020" gave no date and deadlines of the current year."""
    resolved = resolve_document_date(meta={"date": "2020"}, text="全年地区生产总值增长6%")
    assert resolved.date.year == 2020 and "仅年份" in resolved.label


def test_nothing_gives_a_date_asks_for_one() -> None:
    with pytest.raises(DateNeeded, match=r"scan\.txt: no date .*--date YYYY-MM-DD"):
        resolve_document_date(meta={"title": "无日期"}, text="2014年，全市上下", source="scan.txt")


def test_a_bad_given_date_is_refused() -> None:
    with pytest.raises(TaizhangError, match="not a date"):
        resolve_document_date(given="28/06/2024")


def test_dates_deep_in_the_text_are_not_the_document_date() -> None:
    assert date_in_text("一" * 2000 + "2024年6月30日前完成") is None
    assert date_in_text("2024年2月30日") is None  # not a real day
