"""Quarters as date ranges, with year_start_month moving the planning year."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrsprint.engine import open_plan
from okrsprint.quarters import Quarter
from tests.builders import objective, okrs, sprint, sprints
from tests.helpers import check, codes


@pytest.mark.parametrize(
    ("text", "month", "start", "end", "days"),
    [
        ("2026-Q1", 1, date(2026, 1, 1), date(2026, 3, 31), 90),
        ("2024-Q1", 1, date(2024, 1, 1), date(2024, 3, 31), 91),
        ("2026-Q4", 1, date(2026, 10, 1), date(2026, 12, 31), 92),
        ("2026-Q1", 4, date(2026, 4, 1), date(2026, 6, 30), 91),
        ("2026-Q4", 4, date(2027, 1, 1), date(2027, 3, 31), 90),
        ("2026-Q2", 12, date(2027, 3, 1), date(2027, 5, 31), 92),
    ],
)
def test_quarter_ranges(text, month, start, end, days):
    quarter = Quarter.parse(text, month)
    assert (quarter.start, quarter.end, quarter.days) == (start, end, days)
    assert str(quarter) == text


@pytest.mark.parametrize("text", ["2026-Q0", "2026-Q5", "2026Q1", "x"])
def test_parse_refuses(text):
    with pytest.raises(ValueError):
        Quarter.parse(text)


@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2500, 12, 31)), month=st.integers(1, 12))
def test_containing_contains(day, month):
    quarter = Quarter.containing(day, month)
    assert quarter.start <= day <= quarter.end
    following = Quarter.containing(quarter.end + timedelta(days=1), month)
    assert following.start == quarter.end + timedelta(days=1)


def test_year_start_month_applies_to_plans(repo):
    root = repo(
        {
            "okrsprint.yaml": "year_start_month: 4\n",
            "s.yaml": sprints(sprint("S1", date(2026, 4, 6), krs=[]), quarter="2026-Q1"),
            "t.yaml": sprints(sprint("S1", date(2027, 1, 4), krs=[]), quarter="2026-Q4", team="search"),
        }
    )
    assert codes(check(root, select=["S"])) == []
    plan = open_plan(root)
    assert plan.team_quarter("checkout", "2026-Q1").quarter.start == date(2026, 4, 1)
    assert plan.team_quarter("search", "2026-Q4").quarter.end == date(2027, 3, 31)


def test_time_rules_use_the_shifted_quarter(repo):
    # 2026-05-01 lies inside 2026-Q1 when the year starts in April, not inside calendar Q1.
    files = {"okrsprint.yaml": "year_start_month: 4\n", "o.yaml": okrs(objective(), quarter="2026-Q1")}
    assert codes(check(repo(files), select=["A402"], today=date(2026, 5, 1))) == ["A402"]
    assert codes(check(repo(files), select=["A402"], today=date(2026, 3, 20))) == []
