"""Which rule judged a status, in one Chinese sentence for a page (判定依据).

>>> from datetime import date
>>> from taizhang.track.model import Evidence, Mode, Status, TargetStatus
>>> s = TargetStatus(1, date(2024, 10, 1), Status.ON_TRACK, Mode.STOCK, 1100 / 1200, 0.75, 1100.0,
...                  date(2024, 9, 30), Evidence.WITHOUT_EVIDENCE, 1, False, date(2024, 1, 1),
...                  date(2024, 12, 31), "default")
>>> judgement(s)
'总量指标（无基数）：完成率（最新值÷目标值）对照序时进度。完成率 91.7%，序时进度 75.0%。'
"""

from __future__ import annotations

from taizhang.track.model import Mode, Status, TargetStatus


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


def judgement(s: TargetStatus) -> str:
    """The rule (the mode's label) and what it found for this target on its date."""
    rule = s.mode.label
    start, end = s.period_start, s.period_end
    if s.status is Status.NOT_YET_DUE:
        if start is not None and s.as_of < start:
            return f"{rule}。考核期自 {start} 开始，尚未到期。"
        return f"{rule}。没有完成时限，无法计算序时进度。"
    if s.latest_as_of is None:
        if s.status is Status.OVERDUE:
            return f"{rule}。已过完成时限 {end}，仍未报送进展（逾期未报）。"
        return f"{rule}。尚未报送进展。"
    if s.status is Status.OVERDUE:
        return f"{rule}。已过完成时限 {end}，截至 {s.latest_as_of} 未达到目标。"
    if s.mode.timed:
        return f"{rule}。完成率 {_pct(s.progress)}，序时进度 {_pct(s.expected)}。"
    if s.mode is Mode.RATE and s.status is Status.ON_TRACK:
        due = f"到期（{end}）时" if end else "到期时"
        return f"{rule}。最新值为目标的 {_pct(s.progress)}，已在目标范围内，{due}确认为已完成。"
    return f"{rule}。最新值为目标的 {_pct(s.progress)}。"
