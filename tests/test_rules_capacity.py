"""A301–A304: the capacity split between OKR work and the rest, and room to plan."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.builders import Q4_START, item, sprint, team_plan
from tests.helpers import check, codes, located


def run(repo, code: str, files: dict[str, str], **options):
    return check(repo(files), select=[code], **options)


def split(okr: float, other: float, okr_sprints: int = 1) -> dict[str, str]:
    """One OKR item and one operational item, committed to one sprint (the OKR item to ``okr_sprints`` sprints)."""
    sprint_list = [sprint("S1", Q4_START, items=["OKR", "OPS"])]
    for n in range(2, okr_sprints + 1):
        sprint_list.append(sprint(f"S{n}", Q4_START + timedelta(days=14 * (n - 1)), items=["OKR"]))
    items = [item("OKR", ["KR1"], okr), item("OPS", [], other), item("SPARE", ["KR1"], 100)]
    return team_plan(items=items, sprint_list=sprint_list)


# -- A301 okr-capacity-share ----------------------------------------------------------


@pytest.mark.parametrize(("okr", "other"), [(60, 40), (70, 30), (0.6, 0.4), (6.5, 3.5), (2, 1.2)])
def test_a301_share_inside_band_passes(repo, okr, other):
    assert run(repo, "A301", split(okr, other)).findings == []


@pytest.mark.parametrize(("okr", "other", "percent"), [(59, 41, "59%"), (71, 29, "71%"), (0, 5, "0%"), (5, 0, "100%")])
def test_a301_share_outside_band_fires(repo, okr, other, percent):
    result = run(repo, "A301", split(okr, other))
    assert located(result) == [("A301", "sprints.yaml", 4, 1)]  # the `sprints` key: where the fix goes
    assert result.findings[0].message.startswith(
        f"{percent} of committed estimate is OKR work ({okr:g} of {okr + other:g})"
    )
    assert result.findings[0].message.endswith("expected 60%..70% (okr_capacity)")


def test_a301_item_committed_to_two_sprints_counts_once(repo):
    # Once: 6 of 10 = 0.60 passes (counted twice it would be 12 of 16 = 0.75 and fail).
    assert run(repo, "A301", split(6, 4, okr_sprints=1)).findings == []
    assert run(repo, "A301", split(6, 4, okr_sprints=2)).findings == []


def test_a301_uncommitted_items_do_not_count(repo):
    # SPARE (100 points of OKR work) sits in the backlog only.
    assert run(repo, "A301", split(65, 35)).findings == []


def test_a301_total_zero_is_not_checked(repo):
    files = team_plan(
        items=[item("A", ["KR1"]), item("B", [], 0)], sprint_list=[sprint("S1", Q4_START, items=["A", "B"])]
    )
    assert run(repo, "A301", files).findings == []


def test_a301_band_setting(repo):
    config = {"okrsprint.yaml": "settings:\n  okr_capacity: [0.5, 0.5]\n"}
    assert run(repo, "A301", {**config, **split(5, 5)}).findings == []
    assert codes(run(repo, "A301", {**config, **split(51, 49)})) == ["A301"]


# -- A302 sprint-overcommitted --------------------------------------------------------------


def overcommit(capacity: float | None, estimates: list[float]) -> dict[str, str]:
    ids = [f"I{n}" for n in range(len(estimates))]
    items = [item(i, ["KR1"], e) for i, e in zip(ids, estimates, strict=True)]
    return team_plan(items=items, sprint_list=[sprint("S1", Q4_START, capacity=capacity, items=ids)])


def test_a302_over_capacity_fires_at_items(repo):
    result = run(repo, "A302", overcommit(10, [5, 5.5]))
    assert located(result) == [("A302", "sprints.yaml", 12, 3)]
    assert result.findings[0].message == "sprint S1 commits 10.5, more than its capacity 10"


@pytest.mark.parametrize(("capacity", "estimates"), [(10, [5, 5]), (10, [0.1] * 100), (None, [50]), (0, [])])
def test_a302_within_capacity_or_no_capacity(repo, capacity, estimates):
    assert run(repo, "A302", overcommit(capacity, estimates)).findings == []


# -- A303 no-planning-reserve ------------------------------------------------------------------


def last_sprint(committed: float, capacity: float | None = 10, reserve: str | None = None) -> dict[str, str]:
    first = sprint("S1", Q4_START, capacity=10, items=["BIG"])
    last = sprint("S2", date(2026, 12, 14), capacity=capacity, items=["LAST"])  # in the quarter's last 4 weeks
    items = [item("BIG", ["KR1"], 10), item("LAST", ["KR1"], committed)]
    files = team_plan(items=items, sprint_list=[last, first])  # file order is not what makes a sprint last
    if reserve is not None:
        files["okrsprint.yaml"] = f"settings:\n  planning_reserve: {reserve}\n"
    return files


def test_a303_exactly_nine_tenths_passes(repo):
    assert run(repo, "A303", last_sprint(9)).findings == []


def test_a303_above_nine_tenths_fires_on_the_latest_sprint(repo):
    result = run(repo, "A303", last_sprint(9.5))
    assert located(result) == [("A303", "sprints.yaml", 12, 3)]
    assert result.findings[0].message == (
        "last sprint S2 of 2026-Q4 commits 9.5 of capacity 10; keep 10% free (at most 9) to plan next quarter's OKRs"
    )


def test_a303_last_sprint_without_capacity_is_not_checked(repo):
    assert run(repo, "A303", last_sprint(50, capacity=None)).findings == []


@pytest.mark.parametrize(("reserve", "committed", "fires"), [("0.3", 7, False), ("0.3", 7.5, True), ("0", 10, False)])
def test_a303_reserve_setting(repo, reserve, committed, fires):
    assert codes(run(repo, "A303", last_sprint(committed, reserve=reserve))) == (["A303"] if fires else [])


# -- A304 first-sprint-not-lighter ---------------------------------------------------------------


def loads(*pairs: tuple[float, float | None]) -> dict[str, str]:
    """Sprints in date order with (committed, capacity)."""
    sprint_list, items = [], []
    for n, (committed, capacity) in enumerate(pairs):
        items.append(item(f"I{n}", ["KR1"], committed))
        sprint_list.append(sprint(f"S{n + 1}", Q4_START + timedelta(days=14 * n), capacity=capacity, items=[f"I{n}"]))
    return team_plan(items=items, sprint_list=sprint_list)


def test_a304_first_lighter_passes(repo):
    assert run(repo, "A304", loads((5, 10), (8, 10), (9, 10))).findings == []


def test_a304_first_as_loaded_as_the_mean_fires(repo):
    result = run(repo, "A304", loads((17, 20), (8, 10), (9, 10)))
    assert located(result) == [("A304", "sprints.yaml", 5, 3)]
    assert result.findings[0].severity.value == "info"
    assert result.findings[0].message.startswith(
        "first sprint S1 is loaded 85% of capacity, not below the other sprints' mean of 85%"
    )


def test_a304_needs_two_sprints_with_capacity(repo):
    assert run(repo, "A304", loads((10, 10), (1, None), (1, None))).findings == []
    assert codes(run(repo, "A304", loads((10, 10), (1, None), (1, 10)))) == ["A304"]


def test_a304_first_sprint_without_capacity_is_skipped(repo):
    # S1 has no capacity: S2 is the first counted sprint, and it is lighter than S3.
    assert run(repo, "A304", loads((50, None), (5, 10), (9, 10))).findings == []


def test_a303_waits_while_the_latest_sprint_cannot_be_the_quarters_last(repo):
    # 2026-12-31 - 2026-12-03 = 28 days: a 28-day sprint from there would not reach past the quarter's end, so
    # another sprint may still follow; a day later it is the last one and judged.
    for start, fires in ((date(2026, 12, 3), False), (date(2026, 12, 4), True)):
        files = team_plan(
            items=[item("LAST", ["KR1"], 10)], sprint_list=[sprint("S9", start, capacity=10, items=["LAST"])]
        )
        assert codes(run(repo, "A303", files)) == (["A303"] if fires else [])


def test_a303_skips_an_open_last_sprint(repo):
    files = team_plan(
        sprint_list=[sprint("S9", date(2026, 12, 14), krs=[], goal=None, not_okr_reason=None, capacity=10)]
    )
    assert run(repo, "A303", files).findings == []
