"""One target, several sources: restatements across documents and levels (issue 9, item 5)."""

from __future__ import annotations

from datetime import date
from dataclasses import replace
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from taizhang.ledger.ingest import store_document
from taizhang.ledger.models import Target, TargetRevision
from taizhang.ledger.testing import make_target
from taizhang.types import Comparator, Kind

END_2026 = date(2026, 12, 31)


def gdp(wording: str, value: str, *, subject: str = "保定", deadline: date = END_2026, comparator: Comparator = Comparator.APPROX,
        recurring: str | None = None):
    target = make_target(wording, value, subject=subject, comparator=comparator, kind=Kind.GROWTH, unit="%", deadline=deadline,
                         quote=f"{wording}增长{value}%")
    return replace(target, recurring=recurring)


def test_a_digest_in_other_words_restates_the_report(session: Session) -> None:
    report = store_document(session, text="保定 report", source="report.txt", targets=[gdp("地区生产总值", "6")], date=date(2026, 2, 4))
    digest = store_document(session, text="保定 digest", source="digest.txt", targets=[gdp("全市生产总值", "6")], date=date(2026, 2, 12))
    news = store_document(session, text="news", source="news.txt", targets=[gdp("经济", "6")], date=date(2026, 3, 1))
    assert (report.new_targets, digest.revisions, news.revisions) == (1, 1, 1)
    [target] = session.scalars(select(Target)).all()
    assert target.indicator_key == "@gdp_growth"
    sources = session.scalars(select(TargetRevision.document_id).where(TargetRevision.target_id == target.id)).all()
    assert sources == [report.document_id, digest.document_id, news.document_id]


def test_a_changed_value_is_a_revision_across_levels(session: Session) -> None:
    # the province's report states 保定's target; 保定's own mid-year report raises it
    store_document(session, text="河北 report", source="hebei.txt", targets=[gdp("地区生产总值", "6", comparator=Comparator.GE)],
                   date=date(2026, 1, 26), meta={"region": "河北省"})
    later = store_document(session, text="保定 mid-year", source="mid.txt", targets=[gdp("地区生产总值", "6.5")],
                           date=date(2026, 7, 20), meta={"region": "河北省保定市"})
    assert later.revisions == 1
    [target] = session.scalars(select(Target)).all()
    assert (target.value, target.comparator) == (Decimal("6.5"), "approx")  # the latest statement is current
    values = session.scalars(select(TargetRevision.value).where(TargetRevision.target_id == target.id).order_by(TargetRevision.id)).all()
    assert values == [Decimal(6), Decimal("6.5")]


def test_a_plan_average_is_not_this_years_target(session: Session) -> None:
    # both gdp_growth and both open in 2026: the 十五五 yearly average is another target
    store_document(session, text="report", source="r.txt", date=date(2026, 2, 4), targets=[
        gdp("地区生产总值年均", "5", deadline=date(2030, 12, 31), recurring="annual"), gdp("地区生产总值", "6"),
    ])
    store_document(session, text="digest", source="d.txt", date=date(2026, 2, 12), targets=[gdp("全市生产总值", "6")])
    assert session.scalar(select(func.count()).select_from(Target)) == 2
    this_year = session.scalars(select(Target).where(Target.deadline == END_2026)).one()
    assert session.scalar(select(func.count()).select_from(TargetRevision).where(TargetRevision.target_id == this_year.id)) == 2


def test_wordings_without_a_standard_indicator_match_by_wording(session: Session) -> None:
    store_document(session, text="a", source="a", targets=[make_target("新建 5G基站", "1200", unit="个")], date=date(2024, 3, 1))
    again = store_document(session, text="b", source="b", targets=[make_target("新建5G基站", "1300", unit="个", deadline=date(2025, 6, 30))],
                           date=date(2024, 6, 1))
    assert again.revisions == 1  # a restated deadline is a revision of the same target
    assert session.scalars(select(Target.indicator_key)).all() == ["新建5g基站"]


def test_keys_docstring_examples() -> None:
    import doctest

    from taizhang.ledger import keys

    result = doctest.testmod(keys)
    assert result.attempted > 0 and result.failed == 0
