"""okrsprint retro: scores, grades and verdicts on hand-computed cases, the rhythm, sprints, every observation, formats."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from okrsprint.cli import app
from okrsprint.engine import open_plan
from okrsprint.metrics import grade, key_result_score, longest_checkin_gap, mean_score
from okrsprint.model import KeyResult
from okrsprint.quarters import Quarter
from okrsprint.views.retro import OBSERVATION_KINDS, build_retro, verdict
from tests.builders import backlog, item, key_result, objective, okrs, sprint, sprints
from tests.helpers import EXAMPLES, copy_plan, needs_tool, write

Q4 = Quarter(2026, 4)
AFTER_Q4 = date(2027, 1, 10)
BANDS = (0.4, 0.7)


def run(*args: str):
    return CliRunner().invoke(app, [*args], env={"NO_COLOR": "1", "COLUMNS": "200"})


def as_json(*args: str) -> dict:
    result = run("retro", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def checkins(*pairs: tuple[str, float]) -> list[dict]:
    return [{"date": date.fromisoformat(day), "value": value} for day, value in pairs]


def score(as_of: date = date(2026, 12, 31), **fields) -> Fraction | None:
    return key_result_score(KeyResult(id="KR1", title="Metric", **fields), Q4, as_of)


# -- scores -----------------------------------------------------------------------------------------------------


def test_a_rising_metric_scores_its_progress():
    assert score(baseline=10, target=20, checkins=checkins(("2026-10-15", 13), ("2026-11-15", 15))) == Fraction(1, 2)


def test_a_falling_metric_scores_its_progress():
    assert score(baseline=200, target=100, checkins=checkins(("2026-11-01", 170))) == Fraction(3, 10)


def test_scores_are_clipped_to_0_and_1():
    assert score(baseline=0, target=10, checkins=checkins(("2026-11-01", 12))) == 1
    assert score(baseline=0, target=10, checkins=checkins(("2026-11-01", -5))) == 0
    assert score(baseline=100, target=50, checkins=checkins(("2026-11-01", 120))) == 0


def test_check_ins_after_the_as_of_day_do_not_count():
    after_quarter = checkins(("2026-11-01", 5), ("2027-01-05", 10))
    assert score(baseline=0, target=10, checkins=after_quarter) == Fraction(1, 2)
    assert score(date(2026, 10, 31), baseline=0, target=10, checkins=after_quarter) == 0


def test_without_check_ins_current_else_baseline():
    assert score(baseline=0, target=10, current=4) == Fraction(2, 5)
    assert score(baseline=0, target=10) == 0


def test_a_threshold_scores_the_share_of_check_ins_in_the_quarter_that_held():
    readings = checkins(
        ("2026-09-30", 90),  # before the quarter: not counted
        ("2026-10-10", 99.95),
        ("2026-10-24", 99.8),
        ("2026-11-07", 99.9),  # exactly the level: held
        ("2026-11-21", 100),
        ("2027-01-02", 50),  # after the quarter: not counted
    )
    assert score(keep_above=99.9, checkins=readings) == Fraction(3, 4)
    assert score(keep_below=300, checkins=checkins(("2026-10-10", 250), ("2026-11-10", 350))) == Fraction(1, 2)


def test_a_threshold_without_check_ins_scores_1_or_0_from_current():
    assert score(keep_above=99.9, current=99.95) == 1
    assert score(keep_above=99.9, current=99) == 0
    assert score(keep_below=300, current=300) == 1
    assert score(keep_above=99.9) is None


def test_an_objective_scores_the_mean_and_an_unmeasurable_key_result_counts_0():
    assert mean_score([Fraction(1, 2), Fraction(3, 10)]) == Fraction(2, 5)
    assert mean_score([Fraction(1), None]) == Fraction(1, 2)
    assert mean_score([]) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(0), "red"),
        (Fraction(399, 1000), "red"),
        (Fraction(2, 5), "yellow"),
        (Fraction(699, 1000), "yellow"),
        (Fraction(7, 10), "green"),
        (Fraction(1), "green"),
        (None, "red"),
    ],
)
def test_grades_by_band_boundaries(value, expected):
    assert grade(value, BANDS) == expected


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("committed", Fraction(1), "met"),
        ("committed", Fraction(999, 1000), "missed"),
        ("committed", None, "missed"),
        ("aspirational", Fraction(7, 10), "on target"),
        ("aspirational", Fraction(699, 1000), "below target"),
        ("aspirational", Fraction(1), "on target"),
        ("aspirational", None, "below target"),
    ],
)
def test_verdict_boundaries(kind, value, expected):
    assert verdict(kind, value, BANDS) == expected


# -- the longest check-in gap ------------------------------------------------------------------------------------


def test_longest_gap_counts_the_gap_from_the_quarters_first_day():
    kr = KeyResult(id="KR1", title="M", baseline=0, target=1, checkins=checkins(("2026-11-01", 0), ("2026-11-10", 1)))
    assert longest_checkin_gap(kr, Q4, date(2026, 11, 20)) == (31, date(2026, 10, 1), date(2026, 11, 1))


def test_longest_gap_between_check_ins_and_up_to_the_as_of_day():
    readings = checkins(("2026-10-10", 0), ("2026-10-20", 1), ("2026-12-15", 1), ("2027-01-20", 2))
    kr = KeyResult(id="KR1", title="M", baseline=0, target=1, checkins=readings)
    assert longest_checkin_gap(kr, Q4, date(2026, 12, 31)) == (56, date(2026, 10, 20), date(2026, 12, 15))
    last = KeyResult(id="KR1", title="M", baseline=0, target=1, checkins=checkins(("2026-10-05", 0)))
    assert longest_checkin_gap(last, Q4, date(2026, 12, 31)) == (87, date(2026, 10, 5), date(2026, 12, 31))


def test_longest_gap_without_check_ins_is_the_quarter_so_far():
    kr = KeyResult(id="KR1", title="M", baseline=0, target=1)
    assert longest_checkin_gap(kr, Q4, date(2026, 11, 25))[0] == 55


# -- built plans: every observation fires, and none in a clean quarter --------------------------------------------

FIRING = {
    "okrs.yaml": okrs(
        objective(
            "O1",
            key_result("KR1", baseline=0, target=10, checkins=checkins(("2026-10-02", 2), ("2026-10-16", 4))),
            type="committed",
        ),
        objective(
            "O2",
            key_result("KR2", baseline=100, target=50, checkins=checkins(("2026-10-10", 100), ("2026-10-20", 105))),
            key_result("KR3", baseline=1, target=2, current=2),
        ),
    ),
    "backlog.yaml": backlog(item("A", ["KR2"], 8, "done"), item("B", ["KR1"], 3, "done")),
    "sprints.yaml": sprints(
        sprint("S1", date(2026, 10, 5), 12, krs=["KR2"], capacity=5, items=["A"]),
        sprint("S2", date(2026, 10, 19), 12, krs=["KR1"], capacity=10, items=["B"]),
    ),
}


def test_every_observation_kind_but_goalposts_fires_in_a_built_case(tmp_path):
    retro = build_retro(open_plan(write(tmp_path, FIRING)), AFTER_Q4, None, None)
    assert retro.final and retro.as_of == date(2026, 12, 31)
    [team] = retro.teams
    found = {(o.kind, tuple(o.refs)) for o in team.observations}
    assert found == {
        ("committed-missed", ("O1", "KR1")),
        ("never-moved", ("KR2", "S1")),
        ("not-driven", ("KR3",)),
        ("checkin-gap", ("KR1",)),
        ("checkin-gap", ("KR2",)),
        ("checkin-gap", ("KR3",)),
        ("over-capacity", ("S1",)),
        ("output-without-outcome", ("S1", "KR2")),
        ("output-without-outcome", ("S2", "KR1")),  # KR1 moved before S2, not during it
    }
    texts = {o.kind: o.text for o in team.observations}
    assert texts["committed-missed"] == "committed objective O1 scored 0.40: missed (met only at 1.0)"
    assert texts["over-capacity"] == "sprint S1 committed 8 points of capacity 5"
    assert {o.kind for o in team.observations} == set(OBSERVATION_KINDS) - {"goalposts-moved"}
    o1, o2 = team.objectives
    assert (o1.score, o1.grade, o1.verdict) == (Fraction(2, 5), "yellow", "missed")
    assert (o2.score, o2.grade, o2.verdict) == (Fraction(1, 2), "yellow", "below target")
    assert [kr.score for kr in o2.key_results] == [0, 1]
    s1, s2 = team.sprints
    assert (s1.moved, s1.not_moved, s1.output_without_outcome) == ([], ["KR2"], True)
    assert (s2.moved, s2.not_moved, s2.output_without_outcome) == ([], ["KR1"], True)


def test_another_teams_sprint_drives_a_key_result_by_its_team_and_id(tmp_path):
    """A sprint of team search that drives checkout:KR1 counts for checkout's KR1 (named search:S1 there), and
    for no key result of search's own."""
    flat = checkins(("2026-10-01", 5), ("2026-10-30", 5))
    files = {
        "checkout-okrs.yaml": okrs(objective("O1", key_result("KR1", baseline=5, target=10, checkins=flat))),
        "search-okrs.yaml": okrs(
            objective("O1", key_result("KR1", baseline=5, target=10, checkins=flat)), team="search"
        ),
        "search-sprints.yaml": sprints(sprint("S1", date(2026, 10, 5), krs=["checkout:KR1"]), team="search"),
    }
    retro = build_retro(open_plan(write(tmp_path, files)), AFTER_Q4, None, None)
    found = {team.team: {(o.kind, tuple(o.refs)) for o in team.observations if o.kind != "checkin-gap"}
             for team in retro.teams}  # fmt: skip
    assert found == {"checkout": {("never-moved", ("KR1", "search:S1"))}, "search": {("not-driven", ("KR1",))}}


CLEAN = {
    "okrs.yaml": okrs(
        objective(
            "O1",
            key_result(
                "KR1",
                baseline=0,
                target=10,
                checkins=checkins(("2026-10-01", 0), ("2026-10-14", 3), ("2026-10-28", 7)),
            ),
            type="aspirational",  # 0.7: on target
        )
    ),
    "backlog.yaml": backlog(item("A", ["KR1"], 5, "done"), item("P", [], 3, "done")),
    "sprints.yaml": sprints(sprint("S1", date(2026, 10, 1), 14, capacity=10, items=["A", "P"])),
}


def test_a_clean_quarter_has_no_observation_so_far(tmp_path):
    retro = build_retro(open_plan(write(tmp_path, CLEAN)), date(2026, 11, 1), None, None)
    assert not retro.final and retro.as_of == date(2026, 11, 1)
    [team] = retro.teams
    assert team.observations == []
    [kr] = team.objectives[0].key_results
    assert (kr.score, kr.checkins, kr.longest_gap_days) == (Fraction(7, 10), 3, 14)


def test_a_committed_objective_is_met_at_exactly_1(tmp_path):
    files = dict(CLEAN)
    files["okrs.yaml"] = okrs(
        objective(
            "O1", key_result("KR1", baseline=0, target=10, checkins=checkins(("2026-10-14", 10))), type="committed"
        )
    )
    [team] = build_retro(open_plan(write(tmp_path, files)), AFTER_Q4, None, None).teams
    assert (team.objectives[0].verdict, team.objectives[0].grade) == ("met", "green")
    assert "committed-missed" not in {o.kind for o in team.observations}


# -- goalposts: D101 over the git history ---------------------------------------------------------------------------


def git(root: Path, *args: str, day: str = "2026-09-20T12:00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": day, "GIT_COMMITTER_DATE": day, "GIT_CONFIG_GLOBAL": "/dev/null"}
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *identity, *args], cwd=root, env=env, check=True, capture_output=True)


@needs_tool("git")
def test_goalposts_moved_since_the_quarter_began_from_git_history(tmp_path):
    write(tmp_path, CLEAN)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "plan 2026-Q4")
    text = (tmp_path / "okrs.yaml").read_text(encoding="utf-8")
    (tmp_path / "okrs.yaml").write_text(text.replace("target: 10", "target: 8"), encoding="utf-8")
    [team] = build_retro(open_plan(tmp_path), date(2026, 11, 1), None, None).teams
    [moved] = [o for o in team.observations if o.kind == "goalposts-moved"]
    assert moved.refs == ["KR1"] and "target moved from 10 to 8" in moved.text


def test_goalposts_are_silently_absent_outside_a_git_repository(tmp_path):
    write(tmp_path, CLEAN)
    [team] = build_retro(open_plan(tmp_path), date(2026, 11, 1), None, None).teams
    assert team.observations == []


# -- the examples: JSON keys, rhythm, every team, the company first -------------------------------------------------


def copy_of(example: str, tmp_path: Path) -> Path:
    """Outside git, so the examples' own history cannot add goalposts."""
    return copy_plan(EXAMPLES / example, tmp_path / example)


def test_json_has_the_specs_keys_and_the_checkout_example_numbers(tmp_path):
    document = as_json(str(copy_of("checkout", tmp_path)), "--today", "2026-12-31")
    assert {"quarter", "as_of", "final", "teams"} <= set(document)
    assert (document["quarter"], document["as_of"], document["final"]) == ("2026-Q4", "2026-12-31", True)
    [team] = document["teams"]
    assert {"team", "objectives", "rhythm", "sprints", "observations"} <= set(team)
    o1 = team["objectives"][0]
    assert {"id", "type", "score", "grade", "verdict", "key_results"} <= set(o1)
    assert (o1["id"], o1["type"], o1["grade"], o1["verdict"]) == ("O1", "aspirational", "yellow", "below target")
    kr1 = o1["key_results"][0]
    assert {"id", "score", "baseline", "target", "value", "checkins", "longest_gap_days"} <= set(kr1)
    assert (kr1["id"], kr1["score"], kr1["baseline"], kr1["target"], kr1["value"], kr1["checkins"]) == (
        "KR1", 0.45, 12, 20, 15.6, 4,
    )  # fmt: skip
    assert kr1["longest_gap_days"] == 41  # Nov 20 → Dec 31
    rhythm = team["rhythm"]
    assert {"linked_sprints", "sprints", "okr_share_committed", "okr_share_delivered"} <= set(rhythm)
    assert (rhythm["linked_sprints"], rhythm["sprints"]) == (5, 6)
    assert rhythm["okr_share_committed"] == 87 / 137
    assert (rhythm["first_sprint_lighter"], rhythm["reserve_kept"]) == (True, True)
    s2 = team["sprints"][1]
    assert {"id", "committed_points", "done_points", "moved", "output_without_outcome"} <= set(s2)
    assert (s2["id"], s2["committed_points"], s2["done_points"], s2["moved"]) == ("S2", 27, 27, ["KR1", "KR2"])
    for observation in team["observations"]:
        assert set(observation) == {"kind", "text", "refs"} and observation["kind"] in OBSERVATION_KINDS


def test_before_the_quarters_last_day_everything_is_so_far(tmp_path):
    root = str(copy_of("checkout", tmp_path))
    assert as_json(root, "--today", "2026-12-30")["final"] is False
    assert as_json(root, "--today", "2026-12-31")["final"] is True
    for output_format in ("text", "markdown", "html"):
        shown = run("retro", root, "--today", "2026-11-23", "--format", output_format).stdout
        assert "so far" in shown
        assert "so far" not in run("retro", root, "--today", "2027-01-02", "--quarter", "2026-Q4", "--format",
                                   output_format).stdout  # fmt: skip


def test_without_team_every_team_with_the_company_first(tmp_path):
    root = str(copy_of("multi-team", tmp_path))
    document = as_json(root, "--today", "2026-12-31")
    assert [team["team"] for team in document["teams"]] == ["company", "checkout", "search"]
    assert [row["team"] for row in document["summary"]] == ["company", "checkout", "search"]
    assert document["summary"][0]["company"] is True
    text = run("retro", root, "--today", "2026-12-31").stdout
    assert "Scores by team" in text and text.index("company (company)") < text.index("checkout  ")
    only = as_json(root, "--today", "2026-12-31", "--team", "search")
    assert [team["team"] for team in only["teams"]] == ["search"]


def test_a_sprint_driving_another_teams_key_result_counts_for_it(tmp_path):
    document = as_json(str(copy_of("multi-team", tmp_path)), "--today", "2026-12-31", "--team", "search")
    s3 = document["teams"][0]["sprints"][2]
    assert s3["moved"] == ["checkout:KR2"] and s3["not_moved"] == ["KR3"]


def test_rhythm_says_no_when_the_first_sprint_is_heavier_and_the_reserve_is_used(tmp_path):
    files = {
        "okrs.yaml": okrs(objective("O1", key_result("KR1"))),
        "backlog.yaml": backlog(item("A", ["KR1"], 10), item("B", ["KR1"], 5), item("C", [], 10)),
        "sprints.yaml": sprints(
            sprint("S1", date(2026, 10, 1), 14, capacity=10, items=["A"]),
            sprint("S2", date(2026, 10, 15), 14, capacity=10, items=["B"]),
            sprint("S3", date(2026, 12, 17), 14, capacity=10, items=["C"], krs=[]),
        ),
    }
    [team] = build_retro(open_plan(write(tmp_path, files)), AFTER_Q4, None, None).teams
    rhythm = team.rhythm
    assert (rhythm.linked_sprints, rhythm.sprints) == (2, 3)
    assert (rhythm.first_sprint_lighter, rhythm.reserve_kept) == (False, False)
    assert rhythm.okr_share_committed == Fraction(15, 25) and rhythm.okr_share_delivered is None


def test_output_writes_the_file_through_the_shared_writer(tmp_path):
    page = tmp_path / "out" / "retro.md"
    result = run("retro", str(copy_of("checkout", tmp_path)), "--today", "2026-12-31", "--format", "markdown",
                 "--output", str(page))  # fmt: skip
    assert result.exit_code == 0 and result.stdout == ""
    assert page.read_text(encoding="utf-8").startswith("# 2026-Q4 retrospective, final")


def test_a_quarter_that_has_not_started_has_nothing_to_look_back_on(tmp_path):
    result = run("retro", str(copy_of("checkout", tmp_path)), "--today", "2026-09-01", "--quarter", "2026-Q4")
    assert result.exit_code == 2 and "nothing to look back on" in result.output


# -- plan text is data ---------------------------------------------------------------------------------------------

HOSTILE = "[click](https://evil.example) *bold* <script>alert(1)</script> \x1b[31m::error::x"


def test_user_text_is_inert_in_every_format(tmp_path):
    files = {
        "okrs.yaml": okrs(objective("O1", key_result("KR1", title=HOSTILE, unit="<b>"), title=HOSTILE)),
        "sprints.yaml": sprints(sprint("S1", date(2026, 10, 1), 14, goal=HOSTILE)),
    }
    root = str(write(tmp_path, files))
    markdown = run("retro", root, "--today", "2026-12-31", "--format", "markdown").stdout
    assert "](https" not in markdown and "\\[click\\]\\(https://evil.example\\)" in markdown
    assert "<script>" not in markdown and "\\*bold\\*" in markdown
    html = run("retro", root, "--today", "2026-12-31", "--format", "html").stdout
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="http' not in html and 'src="http' not in html and "url(" not in html
    text = run("retro", root, "--today", "2026-12-31").stdout
    assert "\x1b" not in text and "::error::" not in text


def test_thresholds_show_their_level(tmp_path):
    files = {"okrs.yaml": okrs(objective("O1", key_result("KR1", baseline=None, target=None, keep_above=99.9,
                                                          unit="%", current=99.95)))}  # fmt: skip
    root = str(write(tmp_path, files))
    assert "keep above 99.9 % · now 99.95" in run("retro", root, "--today", "2026-12-31").stdout
    [kr] = as_json(root, "--today", "2026-12-31")["teams"][0]["objectives"][0]["key_results"]
    assert (kr["keep_above"], kr["score"], kr["baseline"]) == (99.9, 1, None)


def test_grade_bands_come_from_the_config_and_are_validated(tmp_path):
    files = {**FIRING, "okrsprint.yaml": "settings:\n  grade_bands: [0.3, 0.4]\n"}
    root = write(tmp_path, files)
    [team] = build_retro(open_plan(root), AFTER_Q4, None, None).teams
    assert [(o.grade, o.verdict) for o in team.objectives] == [("green", "missed"), ("green", "on target")]
    (root / "okrsprint.yaml").write_text("settings:\n  grade_bands: [0.7, 0.4]\n", encoding="utf-8")
    result = run("retro", str(root), "--today", "2027-01-10")
    assert result.exit_code == 2 and "okrsprint.yaml:2:3" in result.output and "lower bound" in result.output


def test_a_sprint_yet_to_start_has_not_driven_a_key_result_that_never_moved(tmp_path):
    files = {
        "okrs.yaml": okrs(objective("O1", key_result("KR1", checkins=checkins(("2026-10-10", 12))))),
        "sprints.yaml": sprints(sprint("S1", date(2026, 11, 2), 14)),
    }
    root = write(tmp_path, files)
    [before] = build_retro(open_plan(root), date(2026, 10, 20), None, None).teams
    assert before.observations == []  # S1, planned to drive KR1, has not started: not "never moved" yet
    [after] = build_retro(open_plan(root), date(2026, 11, 5), None, None).teams
    assert [(o.kind, o.refs) for o in after.observations if o.kind != "checkin-gap"] == [("never-moved", ["KR1", "S1"])]


def test_not_driven_says_so_far_while_the_quarter_runs(tmp_path):
    root = write(
        tmp_path, {"okrs.yaml": okrs(objective("O1", key_result("KR1", checkins=checkins(("2026-10-10", 13)))))}
    )
    [team] = build_retro(open_plan(root), date(2026, 10, 20), None, None).teams
    assert [o.text for o in team.observations] == ["no sprint drove KR1 so far"]
