"""A101–A105: focused, measurable objectives and key results."""

from __future__ import annotations

import pytest

from tests.builders import key_result, objective, team_plan
from tests.helpers import check, located


def run(repo, code: str, files: dict[str, str], **options):
    """Check with only ``code`` (and the structure rules) enabled."""
    return check(repo(files), select=[code], **options)


def objectives(count: int, krs_each: int = 1) -> list[dict]:
    return [objective(f"O{o}", *(key_result(f"KR{o}{k}") for k in range(1, krs_each + 1))) for o in range(1, count + 1)]


# -- A101 too-many-objectives ----------------------------------------------------


def test_a101_three_objectives_pass(repo):
    assert run(repo, "A101", team_plan(objectives(3))).findings == []


def test_a101_four_objectives_fire_at_the_fourth(repo):
    result = run(repo, "A101", team_plan(objectives(4)))
    assert located(result) == [("A101", "okrs.yaml", 29, 3)]  # O4: the first objective beyond max_objectives
    assert result.findings[0].message.startswith("checkout has 4 objectives in 2026-Q4; at most 3 (max_objectives)")
    assert (result.findings[0].team, result.findings[0].quarter) == ("checkout", "2026-Q4")


def test_a101_counts_objectives_across_files(repo):
    files = team_plan(objectives(2))
    files["more.yaml"] = team_plan([objective("O8", key_result("KR8")), objective("O9", key_result("KR9"))])[
        "okrs.yaml"
    ]
    # Files are read in path order: more.yaml's O8, O9, then okrs.yaml's O1 and O2 (line 13), the fourth.
    assert located(run(repo, "A101", files)) == [("A101", "okrs.yaml", 13, 3)]


def test_a101_setting(repo):
    config = {"okrsprint.yaml": "settings: {max_objectives: 1}\n"}
    assert [f.code for f in run(repo, "A101", {**config, **team_plan(objectives(2))}).findings] == ["A101"]
    assert run(repo, "A101", {**config, **team_plan(objectives(1))}).findings == []


# -- A102 too-many-key-results ---------------------------------------------------


def test_a102_eight_key_results_pass(repo):
    assert run(repo, "A102", team_plan(objectives(2, krs_each=4))).findings == []


def test_a102_nine_key_results_fire(repo):
    files = team_plan([*objectives(2, krs_each=4), objective("O3", key_result("KR9"))])
    result = run(repo, "A102", files)
    assert located(result) == [("A102", "okrs.yaml", 49, 5)]  # KR9: the first key result beyond max_key_results
    assert "checkout has 9 key results in 2026-Q4; at most 8 (max_key_results)" == result.findings[0].message
    assert result.findings[0].severity.value == "warning"


# -- A103 objective-without-key-results --------------------------------------------


def test_a103_objective_without_key_results(repo):
    files = team_plan([objective("O1"), objective("O2", key_results=[])])
    result = run(repo, "A103", files)
    assert located(result) == [("A103", "okrs.yaml", 16, 3)]
    assert result.findings[0].message.startswith("objective O2 has no key results")


def test_a103_objective_with_key_results_passes(repo):
    assert run(repo, "A103", team_plan(objectives(2))).findings == []


# -- A104 key-result-not-measurable ------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "where", "words"),
    [
        ({"baseline": None}, (9, 5), "has no numeric baseline"),
        ({"target": None}, (9, 5), "has no numeric target"),
        ({"baseline": None, "target": None}, (9, 5), "has no numeric baseline or target"),
        ({"baseline": 20, "target": 20}, (12, 5), "target equal to baseline (20)"),
    ],
)
def test_a104_fires(repo, fields, where, words):
    result = run(repo, "A104", team_plan([objective("O1", key_result("KR1", **fields))]))
    assert located(result) == [("A104", "okrs.yaml", *where)]
    assert words in result.findings[0].message


@pytest.mark.parametrize(("baseline", "target"), [(12, 20), (20, 12), (0, 1), (0.5, 0.25)])
def test_a104_measurable(repo, baseline, target):
    files = team_plan([objective("O1", key_result("KR1", baseline=baseline, target=target))])
    assert run(repo, "A104", files).findings == []


# -- A105 key-result-is-a-task -----------------------------------------------------


@pytest.mark.parametrize(
    ("title", "verb"),
    [
        ("Implement the new onboarding", "implement"),
        ("LAUNCH dark mode", "launch"),
        ("Set up conversion tracking", "set up"),
        ("Work on checkout latency", "work on"),
        ("Ship the mobile app", "ship"),
        ("Migrate payments to v5", "migrate"),
    ],
)
def test_a105_activity_verb_fires(repo, title, verb):
    result = run(repo, "A105", team_plan([objective("O1", key_result("KR1", title=title))]))
    assert located(result) == [("A105", "okrs.yaml", 10, 5)]
    assert f"key result KR1 starts with '{verb}'" in result.findings[0].message


@pytest.mark.parametrize(
    "title",
    [
        "Onboarding conversion from 12% to 20%",
        "Builder adoption",
        "Set conversion to 20%",
        "Shipping time under 2 days",
        "",
    ],
)
def test_a105_outcome_titles_pass(repo, title):
    assert run(repo, "A105", team_plan([objective("O1", key_result("KR1", title=title))])).findings == []


def test_a105_custom_verbs_replace_the_defaults(repo):
    config = {"okrsprint.yaml": "settings:\n  activity_verbs: [Measure, roll out]\n"}
    kept = [key_result("KR1", title="Implement tracking"), key_result("KR2", title="measure churn"),
            key_result("KR3", title="Roll  out the app")]  # fmt: skip
    result = run(repo, "A105", {**config, **team_plan([objective("O1", *kept)])})
    assert [f.message.split("'")[1] for f in result.findings] == ["measure", "roll out"]
