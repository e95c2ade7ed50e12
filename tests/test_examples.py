"""The shipped examples are the first thing a newcomer runs: they must pass --strict."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from okrsprint.cli import app
from tests.helpers import EXAMPLES, check

# Every test here runs once per way of reading a plan (--jobs 1/2, cache off/on): the findings never change.
pytestmark = pytest.mark.usefixtures("reading_mode")


@pytest.mark.parametrize("name", ["checkout", "multi-team"])
def test_example_passes_strict(name):
    result = check(EXAMPLES / name)
    assert result.findings == []
    assert result.exit_code(strict=True) == 0
    assert result.documents > 0


MID_QUARTER_DAY = date(2026, 11, 4)  # examples/mid-quarter/README.md: S3 runs, S4–S6 are open


def test_mid_quarter_example_passes_strict_on_its_day():
    result = check(EXAMPLES / "mid-quarter", MID_QUARTER_DAY)
    assert result.findings == []
    assert result.exit_code(strict=True) == 0


def test_mid_quarter_example_plans_sprint_4():
    result = CliRunner().invoke(
        app, ["plan", str(EXAMPLES / "mid-quarter"), "--today", MID_QUARTER_DAY.isoformat(), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert (document["sprint"], document["focus"], document["committed"]) == ("S4", ["KR3"], 29)
    assert [item["id"] for item in document["items"]] == ["CHK-7", "CHK-8", "CHK-10", "CHK-23", "CHK-25"]
    assert 0.6 <= document["quarter_okr_share"] <= 0.7
