"""Every example of tests/extract/corpus/*.txt, one test each (duckling-style corpora), and
every decision and kind rule tied to examples from at least two documents."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from taizhang.extract import analyse, extract_targets
from taizhang.extract.rules import DECISION_RULES, KIND_RULES
from tests.extract.corpus_format import Example, Rejected, load_examples

EXAMPLES = load_examples()
REPO = Path(__file__).resolve().parents[2]
DECISION_NAMES = frozenset(r.name for r in DECISION_RULES)
RULES = [r.name for r in DECISION_RULES] + [r.name for r in KIND_RULES]


def _param(example: Example) -> object:
    marks = [pytest.mark.xfail(strict=True, reason="known gap")] if example.xfail else []
    return pytest.param(example, id=f"{example.source} {example.text[:30]}", marks=marks)


@pytest.mark.parametrize("example", [_param(e) for e in EXAMPLES])
def test_example(example: Example) -> None:
    targets = extract_targets(example.document, date=example.when, subject=example.subject)
    got = [(t.value, t.unit, t.comparator.value) for t in targets]
    want = [(e.value, e.unit, e.comparator) for e in example.expected]
    assert got == want, f"{example.source}: {example.text}"
    offset = len(example.document) - len(example.text)
    for target, expected in zip(targets, example.expected):
        # provenance: the value span points at the value text inside the input
        assert example.document[target.value_span.start : target.value_span.end] == target.value_text
        assert target.value_span.start >= offset
        if expected.kind:
            assert target.kind.value == expected.kind, example.source
        for rule in expected.rules:
            assert rule in target.rules, f"{example.source}: {rule!r} not among {target.rules}"
        for key, value in expected.extra.items():
            actual = target.to_json()[key]
            want_value = None if value == "null" else value
            if key == "value_max":
                assert actual is not None and float(actual) == float(value), example.source
            else:
                assert (str(actual) if actual is not None else None) == want_value, f"{example.source}: {key}"
    if example.rejected:
        _assert_rejected(example)


def _assert_rejected(example: Example) -> None:
    """Each `∅ rule=NAME` is a quantity that is no target and that NAME rejected (what
    `taizhang explain` shows as reject:NAME), in the order of the input."""
    rejected = [c for c in analyse(example.document, date=example.when, subject=example.subject) if not c.decision.accepted]
    seen = [(c.quantity.value, c.quantity.unit, c.decision.rules) for c in rejected]
    i = 0
    for want in example.rejected:
        while i < len(seen) and not _is(want, *seen[i]):
            i += 1
        assert i < len(seen), f"{example.source}: no quantity rejected with {want.rules} in order; rejected: {seen}"
        i += 1


def _is(want: Rejected, value: object, unit: str, rules: list[str]) -> bool:
    named = [f"reject:{r}" if r in DECISION_NAMES else r for r in want.rules]
    return all(r in rules for r in named) and (want.value is None or (value == want.value and unit == want.unit))


def test_corpus_is_not_empty() -> None:
    assert len(EXAMPLES) > 80


def test_every_rule_has_examples_from_two_documents() -> None:
    """rules.py's promise: each decision rule (every reject rule and "target") and each kind
    rule is shown at work by `rule=` examples taken from at least two different documents."""
    documents: dict[str, set[str]] = defaultdict(set)
    for example in EXAMPLES:
        if example.origin and not example.xfail:
            for rule in example.rule_names:
                documents[rule].add(example.origin)
    lacking = {name: sorted(documents[name]) for name in RULES if len(documents[name]) < 2}
    assert not lacking, f"rules with examples from fewer than two documents: {lacking}"


def test_example_rules_are_named_rules() -> None:
    """A `rule=` names a rule that exists (a misspelt name would assert nothing useful)."""
    others = {r for e in EXAMPLES for r in e.rule_names} - set(RULES)
    # besides decision and kind rules, names of comparator, recurrence and quantity rules
    # (classify.py, quantities.py), all written with <placeholders>
    assert all("<" in r for r in others), others
    # a rejected quantity names the rule that rejected it
    assert all(DECISION_NAMES & set(r.rules) for e in EXAMPLES for r in e.rejected)


def test_examples_name_existing_documents() -> None:
    """@from names a document of the project's corpus/ or of ../shared/corpus (checked where
    that directory is present), or a People's Daily page (leeperfect/PeopleDailyMaterial)."""
    shared = (REPO / "../shared/corpus").is_dir()
    for example in EXAMPLES:
        origin = example.origin
        if origin is None or origin.startswith("leeperfect/PeopleDailyMaterial/"):
            continue
        assert origin.startswith(("corpus/", "../shared/corpus/")), f"{example.source}: {origin}"
        if origin.startswith("corpus/") or shared:
            assert (REPO / f"{origin}.txt").is_file(), f"{example.source}: no document {origin}"
