"""Property tests for the arithmetic rules: they compare exactly, as the spec's fractions say."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import Q4_START, item, sprint, sprint_series, team_plan
from tests.helpers import check, codes, write

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def fresh(tmp_path_factory, files: dict[str, str]) -> Path:
    return write(tmp_path_factory.mktemp("plan"), files)


@PROPERTY
@given(
    total=st.integers(min_value=1, max_value=6),
    data=st.data(),
    ratio=st.tuples(st.integers(min_value=0, max_value=7), st.integers(min_value=1, max_value=7)),
)
def test_a201_fires_iff_linked_share_below_ratio(tmp_path_factory, total, data, ratio):
    linked = data.draw(st.integers(min_value=0, max_value=total))
    numerator, denominator = ratio
    files = team_plan(sprint_list=sprint_series(total, linked))
    files["okrsprint.yaml"] = f'settings:\n  min_linked_sprint_ratio: "{numerator}/{denominator}"\n'
    result = check(fresh(tmp_path_factory, files), select=["A201"])
    assert (codes(result) == ["A201"]) == (linked * denominator < numerator * total)
    assert set(codes(result)) <= {"A201"}


CENTS = st.integers(min_value=0, max_value=300)


def open_sprint(id: str, start: date, capacity: float | None = None, days: int = 14) -> dict:
    """A slot on the calendar whose planning has not happened: no goal, krs, items or reason."""
    return sprint(id, start, days, krs=[], goal=None, not_okr_reason=None, capacity=capacity)


LATE = date(2026, 12, 10)  # after TODAY (2026-11-23) and after five two-week sprints from the quarter's start


@PROPERTY
@given(planned=st.integers(min_value=0, max_value=5), still_open=st.integers(min_value=0, max_value=3), data=st.data())
def test_a201_fires_only_when_no_completion_of_the_open_sprints_passes(tmp_path_factory, planned, still_open, data):
    linked = data.draw(st.integers(min_value=0, max_value=planned))
    sprint_list = sprint_series(planned, linked)
    sprint_list += [open_sprint(f"O{n}", LATE + timedelta(days=7 * n), days=7) for n in range(still_open)]
    total = planned + still_open
    if total == 0:
        return
    files = team_plan(sprint_list=sprint_list)
    result = check(fresh(tmp_path_factory, files), select=["A201"])
    # Brute force: some choice of open sprints to link reaches 4/6.
    can_pass = any((linked + chosen) * 6 >= 4 * total for chosen in range(still_open + 1))
    assert (codes(result) == ["A201"]) == (not can_pass)


@PROPERTY
@given(okr_estimates=st.lists(CENTS, max_size=4), other_estimates=st.lists(CENTS, max_size=4), twice=st.booleans(),
       band=st.tuples(st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=100)))  # fmt: skip
def test_a301_fires_iff_share_outside_band(tmp_path_factory, okr_estimates, other_estimates, twice, band):
    """Estimates in hundredths, band in percent: all written as decimals, compared as exact fractions."""
    low, high = sorted(band)
    okr_items = [item(f"K{n}", ["KR1"], e / 100) for n, e in enumerate(okr_estimates)]
    other_items = [item(f"P{n}", [], e / 100) for n, e in enumerate(other_estimates)]
    ids = [i["id"] for i in okr_items + other_items]
    sprint_list = [sprint("S1", Q4_START, items=ids)]
    if twice and okr_items:  # the first OKR item committed again, to a second sprint: it still counts once
        sprint_list.append(sprint("S2", Q4_START + timedelta(days=14), items=[okr_items[0]["id"]]))
    files = team_plan(items=okr_items + other_items, sprint_list=sprint_list)
    files["okrsprint.yaml"] = f"settings:\n  okr_capacity: [{low / 100}, {high / 100}]\n"
    result = check(fresh(tmp_path_factory, files), select=["A301"])

    okr = sum(okr_estimates)
    total = okr + sum(other_estimates)
    expected = total > 0 and not Fraction(low, 100) <= Fraction(okr, total) <= Fraction(high, 100)
    assert codes(result) == (["A301"] if expected else [])


@PROPERTY
@given(okr=st.integers(min_value=0, max_value=20), other=st.integers(min_value=0, max_value=20),
       room=st.one_of(st.none(), st.integers(min_value=0, max_value=12)))  # fmt: skip
def test_a301_fires_only_when_no_completion_of_the_open_sprints_passes(tmp_path_factory, okr, other, room):
    """With an open sprint of capacity ``room``, A301 fires only if no way of filling it brings 60–70% back."""
    items = [item("K", ["KR1"], okr), item("P", [], other)]
    sprint_list = [sprint("S1", Q4_START, items=["K", "P"]), open_sprint("S2", LATE, capacity=room)]
    result = check(fresh(tmp_path_factory, team_plan(items=items, sprint_list=sprint_list)), select=["A301"])
    total = okr + other
    # Filling the open sprint (x OKR points, y others, x + y <= room) reaches every share between all-operational
    # and all-OKR: the band can still be reached iff that interval meets it.
    low, high = Fraction(60, 100), Fraction(70, 100)
    can_pass = room is None or (
        total > 0 and Fraction(okr, total + room) <= high and Fraction(okr + room, total + room) >= low
    )
    expected = total > 0 and not can_pass
    assert codes(result) == (["A301"] if expected else [])


@PROPERTY
@given(capacity=st.integers(min_value=1, max_value=500), committed=st.integers(min_value=0, max_value=500),
       reserve=st.integers(min_value=0, max_value=100))  # fmt: skip
def test_a303_fires_iff_last_sprint_commits_beyond_the_reserve(tmp_path_factory, capacity, committed, reserve):
    files = team_plan(
        items=[item("I1", ["KR1"], committed / 10)],
        sprint_list=[sprint("S1", LATE, capacity=capacity / 10, items=["I1"])],  # late enough to be the last
    )
    files["okrsprint.yaml"] = f"settings:\n  planning_reserve: {reserve / 100}\n"
    result = check(fresh(tmp_path_factory, files), select=["A303"])
    expected = Fraction(committed, 10) > (1 - Fraction(reserve, 100)) * Fraction(capacity, 10)
    assert codes(result) == (["A303"] if expected else [])
