"""Parse the example corpora in tests/extract/corpus/*.txt (format: corpus/README.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

CORPUS_DIR = Path(__file__).parent / "corpus"
HEADINGS = {"open": "", "plan": "今年主要预期目标\n", "review": "过去一年工作回顾\n"}


@dataclass(frozen=True)
class Expected:
    value: Decimal
    unit: str
    comparator: str
    kind: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Example:
    source: str  # file:line
    text: str  # the input as written
    document: str  # the input with its section heading
    when: date
    subject: str | None
    expected: tuple[Expected, ...]
    xfail: bool


def _expected(spec: str) -> tuple[Expected, ...]:
    spec = spec.strip()
    if spec == "∅":
        return ()
    out = []
    for part in spec.split(" ; "):
        words = part.split()
        positional = [w for w in words if "=" not in w]
        extra = dict(w.split("=", 1) for w in words if "=" in w)
        value, unit, comparator, *rest = positional
        out.append(Expected(Decimal(value), unit, comparator, rest[0] if rest else None, extra))
    return tuple(out)


def load_examples() -> list[Example]:
    examples: list[Example] = []
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        when, section, subject = date(2024, 6, 28), "open", None
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
                continue
            xfail = line.startswith("xfail:")
            if xfail:
                line = line[len("xfail:") :].strip()
            text, arrow, spec = line.partition(" → ")
            if not arrow:
                raise ValueError(f"{path.name}:{n}: no ' → ' in {line!r}")
            text = text.replace("\\n", "\n")
            examples.append(
                Example(f"{path.name}:{n}", text, HEADINGS[section] + text, when, subject, _expected(spec), xfail)
            )
    return examples
