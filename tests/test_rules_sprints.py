"""A201–A205: sprints that drive key results, with outcome-shaped goals and a sane length."""

from __future__ import annotations

import pytest

from tests.builders import Q4_START, sprint, sprint_series, team_plan
from tests.helpers import check, codes, located


def run(repo, code: str, files: dict[str, str], **options):
    return check(repo(files), select=[code], **options)


# -- A201 too-few-linked-sprints ---------------------------------------------------


@pytest.mark.parametrize(("total", "linked"), [(6, 4), (3, 2), (6, 6), (5, 4), (1, 1)])
def test_a201_enough_linked_sprints_pass(repo, total, linked):
    assert run(repo, "A201", team_plan(sprint_list=sprint_series(total, linked))).findings == []


@pytest.mark.parametrize(("total", "linked", "needed"), [(5, 3, 4), (6, 3, 4), (3, 1, 2), (1, 0, 1), (7, 4, 5)])
def test_a201_too_few_linked_sprints_fire(repo, total, linked, needed):
    result = run(repo, "A201", team_plan(sprint_list=sprint_series(total, linked)))
    assert located(result) == [("A201", "sprints.yaml", 4, 1)]  # the `sprints` key: where the fix goes
    assert result.findings[0].message.startswith(
        f"{linked} of {total} sprints drive a key result; at least {needed} of {total} needed "
        "(min_linked_sprint_ratio 4/6)"
    )


def test_a201_no_sprints_is_not_checked(repo):
    assert run(repo, "A201", team_plan(sprint_list=[])).findings == []


def test_a201_points_at_the_sprints_key_without_okrs(repo):
    files = team_plan(sprint_list=sprint_series(3, 0))
    files["okrs.yaml"] = "kind: Deployment\n"
    result = run(repo, "A201", files)
    assert located(result) == [("A201", "sprints.yaml", 4, 1)]


@pytest.mark.parametrize(
    ("written", "shown", "passing", "failing"),
    [("0.75", "0.75", (4, 3), (7, 5)), ('"3/4"', "3/4", (4, 3), (5, 3)), ("1", "1", (2, 2), (2, 1))],
)
def test_a201_ratio_as_number_or_fraction(repo, written, shown, passing, failing):
    config = {"okrsprint.yaml": f"settings:\n  min_linked_sprint_ratio: {written}\n"}
    quiet = run(repo, "A201", {**config, **team_plan(sprint_list=sprint_series(*passing))})
    assert quiet.findings == []
    loud = run(repo, "A201", {**config, **team_plan(sprint_list=sprint_series(*failing))})
    assert codes(loud) == ["A201"]
    assert f"(min_linked_sprint_ratio {shown})" in loud.findings[0].message


# -- A202 sprint-without-goal --------------------------------------------------------


@pytest.mark.parametrize(("goal", "where"), [(None, (5, 3)), ("", (8, 3)), ("   ", (8, 3))])
def test_a202_absent_or_blank_goal(repo, goal, where):
    result = run(repo, "A202", team_plan(sprint_list=[sprint("S1", Q4_START, goal=goal)]))
    assert located(result) == [("A202", "sprints.yaml", *where)]
    assert result.findings[0].message.startswith("sprint S1 has no goal")


def test_a202_goal_present(repo):
    assert run(repo, "A202", team_plan(sprint_list=[sprint("S1", Q4_START, goal="x")])).findings == []


# -- A203 unlinked-sprint-undocumented --------------------------------------------------


def test_a203_unlinked_sprint_without_reason(repo):
    result = run(repo, "A203", team_plan(sprint_list=[sprint("S1", Q4_START, krs=[], not_okr_reason=None)]))
    assert located(result) == [("A203", "sprints.yaml", 9, 3)]
    assert "sprint S1 drives no key result and has no not_okr_reason" in result.findings[0].message


def test_a203_blank_reason_fires(repo):
    result = run(repo, "A203", team_plan(sprint_list=[sprint("S1", Q4_START, krs=[], not_okr_reason=" ")]))
    assert codes(result) == ["A203"]


@pytest.mark.parametrize("fields", [{"krs": [], "not_okr_reason": "bug-fix sprint"}, {"krs": ["KR1"]}])
def test_a203_documented_or_linked(repo, fields):
    assert run(repo, "A203", team_plan(sprint_list=[sprint("S1", Q4_START, **fields)])).findings == []


# -- A204 goal-is-an-activity ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("goal", "verb"),
    [
        ("Build social login", "build"),
        ("We will build social login", "build"),
        ("We'll ship the new page", "ship"),
        ("we implement retries", "implement"),
        ("Set up tracking of the funnel", "set up"),
        ("WORK ON the checkout latency", "work on"),
        ("We will work on the checkout latency", "work on"),
    ],
)
def test_a204_activity_goal_fires(repo, goal, verb):
    result = run(repo, "A204", team_plan(sprint_list=[sprint("S1", Q4_START, goal=goal)]))
    assert located(result) == [("A204", "sprints.yaml", 8, 3)]
    assert f"goal of sprint S1 starts with '{verb}'" in result.findings[0].message


@pytest.mark.parametrize(
    "goal",
    [
        "New users can sign up with Google",
        "We are live with three variants",
        "Shipping costs show before payment",
        "Setup time is under a minute",
        "Weekly builds are green",
        "Three variants we will build on are live",
    ],
)
def test_a204_outcome_goal_passes(repo, goal):
    assert run(repo, "A204", team_plan(sprint_list=[sprint("S1", Q4_START, goal=goal)])).findings == []


def test_a204_custom_verbs_replace_the_defaults(repo):
    config = {"okrsprint.yaml": "settings:\n  activity_verbs: [tidy up]\n"}
    built = run(repo, "A204", {**config, **team_plan(sprint_list=[sprint("S1", Q4_START, goal="Build the thing")])})
    assert built.findings == []
    tidied = run(repo, "A204", {**config, **team_plan(sprint_list=[sprint("S1", Q4_START, goal="We'll tidy up logs")])})
    assert codes(tidied) == ["A204"]


# -- A205 sprint-length ----------------------------------------------------------------------


@pytest.mark.parametrize("days", [5, 14, 28])
def test_a205_length_within_bounds(repo, days):
    assert run(repo, "A205", team_plan(sprint_list=[sprint("S1", Q4_START, days)])).findings == []


@pytest.mark.parametrize("days", [1, 4, 29, 35])
def test_a205_length_out_of_bounds(repo, days):
    result = run(repo, "A205", team_plan(sprint_list=[sprint("S1", Q4_START, days)]))
    assert located(result) == [("A205", "sprints.yaml", 5, 3)]
    assert result.findings[0].message.startswith(f"sprint S1 lasts {days} days (2026-10-01..")
    assert "sprints last 5 to 28 days (sprint_days)" in result.findings[0].message


def test_a205_setting(repo):
    config = {"okrsprint.yaml": "settings:\n  sprint_days: [10, 10]\n"}
    ok = run(repo, "A205", {**config, **team_plan(sprint_list=[sprint("S1", Q4_START, 10)])})
    assert ok.findings == []
    bad = run(repo, "A205", {**config, **team_plan(sprint_list=[sprint("S1", Q4_START, 11)])})
    assert codes(bad) == ["A205"]


def test_a205_leaves_reversed_dates_to_s005(repo):
    result = run(repo, "A205", team_plan(sprint_list=[sprint("S1", Q4_START, -3)]))
    assert codes(result) == ["S005"]
