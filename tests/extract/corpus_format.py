"""Parse the example corpora in tests/extract/corpus/*.txt (format: corpus/README.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

CORPUS_DIR = Path(__file__).parent / "corpus"
HEADINGS = {"open": "", "plan": "今年主要预期目标\n", "review": "过去一年工作回顾\n", "report": "各位代表：\n"}
NOTHING = "∅"
NO_UNIT = "-"  # the unit of an index printed bare (生态质量指数提升到86.5)


def rule_name(written: str) -> str:
    """`rule=fact_marker` names the rule "fact marker": a space is written as `_` (no rule
    name contains an underscore)."""
    return written.replace("_", " ")


@dataclass(frozen=True)
class Expected:
    """A target the input must yield."""

    value: Decimal
    unit: str
    comparator: str
    kind: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    rules: tuple[str, ...] = ()  # rules that must be among the target's `rules`


@dataclass(frozen=True)
class Rejected:
    """`∅ [value unit] rule=NAME…`: a quantity of the input that is no target, with each named
    rule among its rules; a decision rule's name means that rule rejected it (reject:NAME)."""

    rules: tuple[str, ...]
    value: Decimal | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Example:
    source: str  # file:line
    text: str  # the input as written
    document: str  # the input with its section heading
    when: date
    subject: str | None
    expected: tuple[Expected, ...]
    xfail: bool
    rejected: tuple[Rejected, ...] = ()
    origin: str | None = None  # the document the example comes from (@from)

    @property
    def rule_names(self) -> set[str]:
        """Every rule this example asserts (on its targets and its rejected quantities)."""
        return {r for e in self.expected for r in e.rules} | {r for q in self.rejected for r in q.rules}


def _fields(part: str) -> tuple[list[str], dict[str, str], tuple[str, ...]]:
    words = part.split()
    positional = [w for w in words if "=" not in w]
    pairs = [w.split("=", 1) for w in words if "=" in w]
    rules = tuple(rule_name(v) for k, v in pairs if k == "rule")
    return positional, {k: v for k, v in pairs if k != "rule"}, rules


def _expected(spec: str) -> tuple[tuple[Expected, ...], tuple[Rejected, ...]]:
    spec = spec.strip()
    if spec == NOTHING:
        return (), ()
    targets, rejected = [], []
    for part in spec.split(" ; "):
        positional, extra, rules = _fields(part)
        if positional[0] == NOTHING:
            if not rules or extra or len(positional) not in (1, 3):
                raise ValueError(f"a quantity that is no target is `∅ [value unit] rule=NAME…`: {part!r}")
            value, unit = (Decimal(positional[1]), positional[2]) if len(positional) == 3 else (None, None)
            unit = "" if unit == NO_UNIT else unit
            rejected.append(Rejected(rules, value, unit))
            continue
        value, unit, comparator, *rest = positional
        unit = "" if unit == NO_UNIT else unit
        targets.append(Expected(Decimal(value), unit, comparator, rest[0] if rest else None, extra, rules))
    return tuple(targets), tuple(rejected)


def load_examples() -> list[Example]:
    examples: list[Example] = []
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        when, section, subject, origin = date(2024, 6, 28), "open", None, None
        for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("@date "):
                when = date.fromisoformat(line.split()[1])
                continue
            if line.startswith("@section "):
                section = line.split()[1]
                continue
            if line.startswith("@subject "):
                subject = line.split()[1]
                subject = None if subject == "-" else subject  # @subject -: no unit assumed
                continue
            if line == "@from" or line.startswith("@from "):
                origin = line[len("@from") :].strip() or None  # a bare @from: origin unknown
                continue
            xfail = line.startswith("xfail:")
            if xfail:
                line = line[len("xfail:") :].strip()
            line_origin = origin
            if " @from " in line:  # … → expected @from DOC: this line only
                line, _, line_origin = line.rpartition(" @from ")
                line_origin = line_origin.strip()
            text, arrow, spec = line.partition(" → ")
            if not arrow:
                raise ValueError(f"{path.name}:{n}: no ' → ' in {line!r}")
            text = text.replace("\\n", "\n").replace("\\t", "\t")
            targets, rejected = _expected(spec)
            examples.append(
                Example(
                    f"{path.name}:{n}", text, HEADINGS[section] + text, when, subject, targets, xfail, rejected,
                    line_origin,
                )
            )
    return examples
