"""The shipped examples are the first thing a newcomer runs: they must pass --strict."""

from __future__ import annotations

import pytest

from tests.conftest import EXAMPLES, check


@pytest.mark.parametrize("name", ["checkout", "multi-team"])
def test_example_passes_strict(name):
    result = check(EXAMPLES / name)
    assert result.findings == []
    assert result.exit_code(strict=True) == 0
    assert result.documents > 0
