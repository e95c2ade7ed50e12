"""Defaults shared by report, backlog and review (SPEC §3): team, quarter and sprint when not given."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from okrsprint.cli import app
from tests.builders import backlog, objective, okrs, sprints
from tests.helpers import EXAMPLES

CHECKOUT = EXAMPLES / "checkout"
MULTI = EXAMPLES / "multi-team"


def run(*args: str):
    return CliRunner().invoke(app, [*args], env={"NO_COLOR": "1", "COLUMNS": "200"})


def as_json(*args: str) -> dict:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def two_quarters(repo, *, config: str | None = None):
    files = {
        "q2.yaml": okrs(objective(), quarter="2026-Q2"),
        "q4.yaml": okrs(objective()),
        "q4-backlog.yaml": backlog({"id": "A", "title": "a", "krs": ["KR1"], "estimate": 3}),
        "q4-sprints.yaml": sprints(
            {"id": "S1", "start": "2026-10-05", "end": "2026-10-16", "goal": "Ship", "krs": ["KR1"]},
            {"id": "S2", "start": "2026-10-19", "end": "2026-10-30", "goal": "Ship", "krs": ["KR1"]},
        ),
    }
    if config is not None:
        files["okrsprint.yaml"] = config
    return repo(files)


# -- team ----------------------------------------------------------------------------------------------------


def test_backlog_team_is_the_configs_team_else_the_only_team(repo):
    assert as_json("backlog", str(CHECKOUT), "--today", "2026-11-23")["team"] == "checkout"  # config: team
    root = two_quarters(repo)
    assert as_json("backlog", str(root), "--today", "2026-11-23")["team"] == "checkout"  # the only team


def test_backlog_without_a_team_among_several_exits_2_listing_them():
    result = run("backlog", str(MULTI), "--today", "2026-11-23")
    assert result.exit_code == 2
    assert "choose a team with --team: checkout, company, search" in result.stderr


@pytest.mark.parametrize("command", ["backlog", "review"])
def test_a_near_miss_team_gets_did_you_mean(command):
    result = run(command, str(MULTI), "--team", "serch", "--today", "2026-11-23")
    assert result.exit_code == 2
    assert "did you mean 'search'?" in result.stderr


def test_report_near_miss_team_gets_did_you_mean():
    result = run("report", str(MULTI), "--team", "Search", "--today", "2026-11-23")
    assert result.exit_code == 2 and "did you mean 'search'?" in result.stderr


def test_a_far_miss_team_gets_no_suggestion():
    result = run("backlog", str(MULTI), "--team", "payments", "--today", "2026-11-23")
    assert result.exit_code == 2 and "did you mean" not in result.stderr and "teams: checkout" in result.stderr


# -- quarter -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "quarter"),
    [("2026-11-23", "2026-Q4"), ("2027-08-15", "2026-Q4"), ("2026-08-15", "2026-Q2"), ("2026-06-30", "2026-Q2")],
)
def test_quarter_is_the_one_containing_today_else_the_latest_before_it(repo, today, quarter):
    root = two_quarters(repo)
    assert as_json("report", str(root), "--today", today)["quarter"] == quarter
    assert as_json("backlog", str(root), "--today", today)["quarter"] == quarter


def test_no_quarter_before_today_exits_2_listing_the_quarters(repo):
    root = two_quarters(repo)
    result = run("backlog", str(root), "--today", "2026-03-31")
    assert result.exit_code == 2
    assert "no plan for checkout in 2026-Q1 or before; choose one with --quarter: 2026-Q2, 2026-Q4" in result.stderr
    result = run("report", str(root), "--today", "2026-03-31")
    assert result.exit_code == 2
    assert "no plan in 2026-Q1 or before; choose one with --quarter: 2026-Q2, 2026-Q4" in result.stderr


@pytest.mark.parametrize(
    ("quarter", "message"),
    [
        ("2026-q4", "--quarter: not a quarter (YYYY-Qn): '2026-q4' (did you mean '2026-Q4'?)"),
        ("2026Q2", "--quarter: not a quarter (YYYY-Qn): '2026Q2' (did you mean '2026-Q2'?)"),
        ("2026-Q3", "no plan for quarter 2026-Q3; quarters with a plan: 2026-Q2, 2026-Q4"),
    ],
)
def test_a_given_quarter_is_matched_exactly_with_did_you_mean(repo, quarter, message):
    root = two_quarters(repo)
    result = run("backlog", str(root), "--quarter", quarter, "--today", "2026-11-23")
    assert result.exit_code == 2
    assert message in result.stderr


# -- sprint --------------------------------------------------------------------------------------------------


def test_review_defaults_to_the_current_sprint_on_both_of_its_ends(repo):
    root = two_quarters(repo)
    assert as_json("review", str(root), "--today", "2026-10-19")["sprint"] == "S2"
    assert as_json("review", str(root), "--today", "2026-10-16")["sprint"] == "S1"
    assert as_json("review", str(root), "--today", "2026-10-30")["sprint"] == "S2"


def test_review_without_a_current_sprint_exits_2_listing_the_sprints(repo):
    root = two_quarters(repo)
    result = run("review", str(root), "--today", "2026-10-31")
    assert result.exit_code == 2
    assert (
        "no sprint of checkout runs on 2026-10-31; choose one with --sprint: S1 (2026-Q4, done), S2 (2026-Q4, done)"
        in result.stderr
    )


def test_a_near_miss_sprint_gets_did_you_mean(repo):
    root = two_quarters(repo)
    result = run("review", str(root), "--sprint", "s1", "--today", "2026-11-23")
    assert result.exit_code == 2
    assert "no sprint 's1' for team checkout" in result.stderr and "did you mean 'S1'?" in result.stderr
