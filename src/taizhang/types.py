"""The typed value objects every stage shares.

`extract` produces `Target`s; `ledger`, `track`, `web` and `cli` consume them. The JSON form
(`Target.to_json`) uses the vocabulary of the annotation guidelines, so that extractor output,
the ledger's API and the reference scorer speak one language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Half-open `[start, end)` code-point offsets into the text the reader returned."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def slice(self, text: str) -> str:
        return text[self.start : self.end]


class Comparator(StrEnum):
    """How the committed value bounds the outcome (Civil Code art. 1259 for 以上/超过)."""

    GT = "gt"  # 超, 超过, 突破, 跨越, 高于, N多
    GE = "ge"  # 以上, 不少于, 不低于, 达到, 至少
    LE = "le"  # 以内, 以下, 不超过, 控制在…以内
    LT = "lt"  # 低于, 少于
    APPROX = "approx"  # 左右, 约, 近, 上下
    EQ = "eq"  # a bare number, 保持 N, 完成 N
    RANGE = "range"  # two bounds: value .. value_max


class Kind(StrEnum):
    LEVEL = "level"  # a stock or total to reach
    INCREMENT = "increment"  # 新增/新建/引进/落地 N within the period
    GROWTH = "growth"  # a rate of change, signed (下降 → negative)
    SHARE = "share"  # a ratio that is itself the indicator (占比, 覆盖率, 失业率)


class Strength(StrEnum):
    HARD = "hard"  # checkable commitment
    SOFT = "soft"  # sizes ongoing work, describes scope, or an estimate


@dataclass(frozen=True, slots=True)
class Target:
    """One committed quantity with its provenance."""

    subject: str | None
    indicator: str
    value: Decimal
    unit: str
    comparator: Comparator
    kind: Kind
    deadline: date | None
    value_text: str
    value_span: Span
    quote: str
    quote_span: Span
    strength: Strength = Strength.HARD
    value_max: Decimal | None = None
    recurring: str | None = None
    qualifier: str | None = None
    commitment: str | None = None  # the commitment word as printed: 确保, 力争, 约束性…
    flags: tuple[str, ...] = ()
    rules: tuple[str, ...] = field(default=(), compare=False)

    def to_json(self) -> dict[str, Any]:
        """The record as in GUIDELINES.md, plus spans and the rules that fired."""
        return {
            "subject": self.subject,
            "indicator": self.indicator,
            "value": _number(self.value),
            "value_max": _number(self.value_max) if self.value_max is not None else None,
            "unit": self.unit,
            "comparator": self.comparator.value,
            "kind": self.kind.value,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "recurring": self.recurring,
            "strength": self.strength.value,
            "commitment": self.commitment,
            "qualifier": self.qualifier,
            "value_text": self.value_text,
            "value_span": [self.value_span.start, self.value_span.end],
            "quote": self.quote,
            "quote_span": [self.quote_span.start, self.quote_span.end],
            "flags": list(self.flags),
            "rules": list(self.rules),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Target:
        """Inverse of `to_json` (fields the guidelines mark optional may be missing)."""
        vmax = data.get("value_max")
        deadline = data.get("deadline")
        vs = data.get("value_span") or [0, 0]
        qs = data.get("quote_span") or vs
        return cls(
            subject=data.get("subject"),
            indicator=data.get("indicator") or "",
            value=Decimal(str(data["value"])),
            value_max=Decimal(str(vmax)) if vmax is not None else None,
            unit=data.get("unit") or "",
            comparator=Comparator(data.get("comparator") or "eq"),
            kind=Kind(data.get("kind") or "level"),
            deadline=date.fromisoformat(str(deadline)[:10]) if deadline else None,
            recurring=data.get("recurring"),
            strength=Strength(data.get("strength") or "hard"),
            commitment=data.get("commitment"),
            qualifier=data.get("qualifier"),
            value_text=data.get("value_text") or "",
            value_span=Span(int(vs[0]), int(vs[1])),
            quote=data.get("quote") or "",
            quote_span=Span(int(qs[0]), int(qs[1])),
            flags=tuple(data.get("flags") or ()),
            rules=tuple(data.get("rules") or ()),
        )


def _number(value: Decimal) -> int | float:
    """JSON number for a Decimal: an int when integral, else a float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)
