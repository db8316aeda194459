"""The examples in the docstrings of the extractor's pure helpers are run as tests."""

from __future__ import annotations

import doctest

import pytest

from taizhang.extract import gazetteer, numerals, script


@pytest.mark.parametrize("module", [numerals, gazetteer, script], ids=lambda m: m.__name__)
def test_docstring_examples(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0
