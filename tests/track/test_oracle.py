"""The one-target reference: each rule of the README (Tracking) on a hand-worked example."""

from __future__ import annotations

from datetime import date

from taizhang.track.model import Evidence, Mode, Report, Status, TargetFacts
from taizhang.track.oracle import elapsed_share, period_of, status_of
from taizhang.track.rules import Rules, load_rules

RULES = load_rules(None)
JUN30 = date(2024, 6, 30)
DOC = date(2024, 2, 20)  # a work report delivered in February


def facts(**kw: object) -> TargetFacts:
    base: dict[str, object] = {
        "id": 1, "value": 40000.0, "comparator": "ge", "kind": "increment",
        "deadline": date(2024, 12, 31), "doc_date": DOC, "indicator": "城镇新增就业",
    }
    base.update(kw)
    return TargetFacts(**base)  # type: ignore[arg-type]


def report(value: float, day: date = JUN30, evidence: str | None = None, rid: int = 1) -> Report:
    return Report(id=rid, as_of=day, value=value, evidence=evidence)


def status(f: TargetFacts, reports: list[Report], as_of: date = JUN30,
           rules: Rules = RULES) -> Status:
    return status_of(f, reports, as_of, rules).status


def test_annual_target_counts_from_january() -> None:
    assert period_of(facts(), JUN30, RULES) == (date(2024, 1, 1), date(2024, 12, 31))
    multi_year = facts(deadline=date(2025, 12, 31))
    assert period_of(multi_year, JUN30, RULES) == (DOC, date(2025, 12, 31))


def test_elapsed_share_is_clamped() -> None:
    start, end = date(2024, 1, 1), date(2024, 1, 11)
    assert elapsed_share(start, end, date(2024, 1, 6)) == 0.5
    assert elapsed_share(start, end, date(2025, 1, 1)) == 1.0
    assert elapsed_share(start, end, date(2023, 1, 1)) == 0.0
    assert elapsed_share(start, None, date(2024, 1, 6)) is None


def test_increment_is_scaled_by_time() -> None:
    # 181 of 365 days elapsed on 30 June (2024-01-01 → 2024-12-31): expected ≈ 0.4959.
    got = status_of(facts(), [report(20000)], JUN30, RULES)
    assert got.mode is Mode.SCHEDULE
    assert got.expected == 181 / 365
    assert got.progress == 0.5
    assert got.status is Status.ON_TRACK
    assert status(facts(), [report(15000)]) is Status.BEHIND  # gap ≈ 0.12
    assert status(facts(), [report(5000)]) is Status.SERIOUSLY_BEHIND  # gap ≈ 0.37
    assert status(facts(), [report(40000)]) is Status.ACHIEVED


def test_latest_report_wins_and_same_day_ties_go_to_the_later_report() -> None:
    reports = [report(5000, date(2024, 3, 31), rid=1), report(20000, rid=2), report(4000, rid=3)]
    got = status_of(facts(), reports, JUN30, RULES)
    assert got.latest_value == 4000
    reports_after = [report(30000, date(2024, 7, 31), rid=9)]
    assert status(facts(), reports_after) is Status.NO_DATA  # a report after as_of is unseen


def test_growth_rate_is_compared_directly_not_scaled() -> None:
    gdp = facts(kind="growth", value=5.0, comparator="approx", unit="%", indicator="地区生产总值")
    assert status(gdp, [report(4.9)]) is Status.ON_TRACK  # within 左右 (5%), not yet due
    assert status(gdp, [report(4.5)]) is Status.BEHIND  # shortfall 0.1
    assert status(gdp, [report(3.0)]) is Status.SERIOUSLY_BEHIND
    assert status_of(gdp, [report(4.5)], JUN30, RULES).mode is Mode.RATE


def test_rate_reached_before_the_deadline_is_on_track_not_achieved() -> None:
    """Issue 8 (3): 6%左右 reported at 5.8 in Q3 showed 已完成 before year-end."""
    gdp = facts(kind="growth", value=6.0, comparator="approx", unit="%", indicator="地区生产总值")
    q3 = report(5.8, date(2024, 9, 30))
    assert status(gdp, [q3], date(2024, 10, 20)) is Status.ON_TRACK
    assert status(gdp, [q3], date(2024, 12, 31)) is Status.ACHIEVED  # due: now it counts
    assert status(gdp, [q3], date(2025, 2, 1)) is Status.ACHIEVED
    share = facts(kind="share", value=2.5, comparator="ge", unit="%", indicator="研发投入占比")
    assert status(share, [report(2.6)]) is Status.ON_TRACK
    assert status(share, [report(2.6)], date(2025, 1, 1)) is Status.ACHIEVED


def test_decrease_target_flips_direction() -> None:
    energy = facts(kind="growth", value=-2.5, comparator="ge", unit="%", indicator="单位GDP能源消耗")
    assert status(energy, [report(-3.0)]) is Status.ON_TRACK  # 下降2.5%以上: fell 3% so far
    assert status(energy, [report(-3.0)], date(2024, 12, 31)) is Status.ACHIEVED
    assert status(energy, [report(-2.2)]) is Status.BEHIND
    assert status(energy, [report(1.0)]) is Status.SERIOUSLY_BEHIND


def test_growth_from_a_baseline_turns_levels_into_rates() -> None:
    gdp = facts(kind="growth", value=5.0, comparator="ge", unit="%", baseline=1000.0)
    assert status(gdp, [report(1060.0)]) is Status.ON_TRACK  # +6%
    assert status(gdp, [report(1045.0)]) is Status.BEHIND  # +4.5%
    points = facts(kind="growth", value=1.0, comparator="ge", unit="个百分点", baseline=60.0)
    assert status(points, [report(61.0)], date(2025, 1, 31)) is Status.ACHIEVED


def test_le_targets_are_kept_by_staying_within() -> None:
    jobless = facts(kind="share", value=5.5, comparator="le", unit="%", indicator="城镇调查失业率")
    assert status(jobless, [report(5.2)]) is Status.ON_TRACK
    assert status(jobless, [report(5.2)], date(2024, 12, 31)) is Status.ACHIEVED
    assert status(jobless, [report(5.8)]) is Status.BEHIND  # excess ≈ 0.055
    assert status(jobless, [report(6.5)]) is Status.SERIOUSLY_BEHIND
    assert status(jobless, [report(5.8)], date(2025, 1, 15)) is Status.OVERDUE
    strict = facts(kind="share", value=5.5, comparator="lt", unit="%")
    assert status(strict, [report(5.5)]) is Status.BEHIND


def test_approx_cap_on_lower_is_better_indicator() -> None:
    jobless = facts(kind="share", value=5.5, comparator="approx", unit="%",
                    indicator="城镇调查失业率")
    assert status_of(jobless, [report(5.7)], JUN30, RULES).mode is Mode.BOUND
    assert status(jobless, [report(5.7)]) is Status.ON_TRACK  # within 5.5 × 1.05
    assert status(jobless, [report(6.0)]) is Status.BEHIND
    assert status(jobless, [report(4.0)]) is Status.ON_TRACK


def test_shares_are_compared_directly() -> None:
    forest = facts(kind="share", value=30.0, comparator="ge", unit="%", indicator="森林覆盖率")
    assert status(forest, [report(29.0)]) is Status.BEHIND
    assert status_of(forest, [report(29.0)], JUN30, RULES).mode is Mode.RATE


def test_level_without_baseline_compares_its_completion_with_the_schedule() -> None:
    """Issue 8 (3): 1,100 of 1,200 at a schedule of 75 % showed 滞后; offices call it on track."""
    firms = facts(kind="level", value=1200.0, comparator="gt", unit="家", indicator="有效高企")
    oct1 = date(2024, 10, 1)  # 274 of 365 days: 序时进度 75 %
    got = status_of(firms, [report(1100.0, date(2024, 9, 30))], oct1, RULES)
    assert got.mode is Mode.STOCK
    assert got.progress == 1100 / 1200 and got.expected == 274 / 365
    assert got.status is Status.ON_TRACK
    assert status(firms, [report(800.0)], oct1) is Status.BEHIND  # 66.7 % at 75 %
    assert status(firms, [report(500.0)], oct1) is Status.SERIOUSLY_BEHIND
    assert status(firms, [report(1200.0)], oct1) is Status.ON_TRACK  # 突破 is strict
    assert status(firms, [report(1201.0)], oct1) is Status.ACHIEVED
    assert status(firms, [report(1100.0)], date(2025, 1, 1)) is Status.OVERDUE


def test_stock_with_baseline_follows_a_straight_path() -> None:
    firms = facts(kind="level", value=1200.0, baseline=1000.0, comparator="ge", unit="家")
    got = status_of(firms, [report(1100.0)], JUN30, RULES)
    assert got.mode is Mode.PATH and got.progress == 0.5
    assert got.status is Status.ON_TRACK


def test_baseline_date_starts_the_straight_path() -> None:
    firms = facts(kind="level", value=1200.0, baseline=1000.0, baseline_date=date(2023, 12, 31),
                  deadline=date(2025, 12, 31))
    assert period_of(firms, JUN30, RULES) == (date(2023, 12, 31), date(2025, 12, 31))
    got = status_of(firms, [report(1050.0)], JUN30, RULES)  # 182 of 731 days: expected ≈ 0.249
    assert got.expected == 182 / 731 and got.progress == 0.25
    assert got.status is Status.ON_TRACK


def test_range_uses_the_bound_nearer_zero() -> None:
    rng = facts(kind="growth", value=4.5, value_max=5.0, comparator="range", unit="%")
    assert status(rng, [report(4.6)]) is Status.ON_TRACK
    assert status(rng, [report(4.6)], date(2024, 12, 31)) is Status.ACHIEVED
    assert status(rng, [report(4.4)]) is Status.BEHIND


def test_overdue_only_after_the_deadline() -> None:
    assert status(facts(), [report(35000)], date(2024, 12, 31)) is Status.BEHIND
    assert status(facts(), [report(30000)], date(2025, 1, 1)) is Status.OVERDUE


def test_overdue_without_a_report_is_red() -> None:
    """Issue 8 (3): an overdue target with no report stayed grey (no_data)."""
    got = status_of(facts(), [], date(2025, 3, 1), RULES)
    assert got.status is Status.OVERDUE and got.status.light == "red"
    assert got.evidence is Evidence.NOT_REPORTED and got.progress is None
    assert status(facts(), [], date(2024, 12, 31)) is Status.NO_DATA  # due today: not yet late
    yearly = facts(recurring="annual", deadline=date(2026, 12, 31), value=100.0)
    last_year = report(100.0, date(2024, 12, 31))  # a yearly target's 2024 report, read in 2025
    assert status(yearly, [last_year], date(2025, 6, 30)) is Status.NO_DATA


def test_no_data_and_not_yet_due_are_not_failures() -> None:
    assert status(facts(), []) is Status.NO_DATA
    later = facts(doc_date=date(2025, 2, 1), deadline=date(2026, 12, 31))
    assert status(later, [report(1.0, date(2024, 1, 1))]) is Status.NOT_YET_DUE
    open_ended = facts(deadline=None)
    assert status(open_ended, [report(100)]) is Status.NOT_YET_DUE
    assert status(open_ended, [report(40000)]) is Status.ACHIEVED


def test_recurring_annual_targets_use_the_current_year() -> None:
    yearly = facts(recurring="annual", deadline=date(2025, 12, 31), value=100.0)
    as_of = date(2025, 6, 30)
    assert period_of(yearly, as_of, RULES) == (date(2025, 1, 1), date(2025, 12, 31))
    last_year = report(100.0, date(2024, 12, 31), rid=1)
    assert status(yearly, [last_year], as_of) is Status.NO_DATA  # 2024's report is not 2025's
    assert status(yearly, [last_year, report(50.0, as_of, rid=2)], as_of) is Status.ON_TRACK
    after = date(2026, 3, 1)  # past the final deadline: judged on the last year
    assert period_of(yearly, after, RULES) == (date(2025, 1, 1), date(2025, 12, 31))
    assert status(yearly, [report(50.0, as_of)], after) is Status.OVERDUE
    before = date(2023, 6, 30)
    assert status(yearly, [report(50.0, before)], before) is Status.NOT_YET_DUE


def test_evidence_and_freshness_axes() -> None:
    got = status_of(facts(), [report(20000, date(2024, 3, 1), evidence="a.pdf")], JUN30, RULES)
    assert got.evidence is Evidence.WITH_EVIDENCE
    assert got.days_since_report == 121
    assert got.stale is True
    assert got.rules_version == RULES.version
    bare = status_of(facts(), [report(20000, evidence=" ")], JUN30, RULES)
    assert bare.evidence is Evidence.WITHOUT_EVIDENCE and bare.stale is False
    assert status_of(facts(), [], JUN30, RULES).evidence is Evidence.NOT_REPORTED
