"""Every example of tests/extract/corpus/*.txt, one test each (duckling-style corpora)."""

from __future__ import annotations

import pytest

from taizhang.extract import extract_targets
from tests.extract.corpus_format import Example, load_examples

EXAMPLES = load_examples()


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
        for key, value in expected.extra.items():
            actual = target.to_json()[key]
            want_value = None if value == "null" else value
            if key == "value_max":
                assert actual is not None and float(actual) == float(value), example.source
            else:
                assert (str(actual) if actual is not None else None) == want_value, f"{example.source}: {key}"


def test_corpus_is_not_empty() -> None:
    assert len(EXAMPLES) > 80
