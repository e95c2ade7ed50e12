"""Threshold key results (keep_above / keep_below, SPEC §1 "Thresholds") outside the rules that have cases:
the model, checkin, diff, report formats, review and backlog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from okrsprint.cli import app
from okrsprint.diff.compare import compare
from okrsprint.engine import open_plan
from okrsprint.metrics import better_direction, threshold_text
from okrsprint.model import KeyResult
from okrsprint.render.html import compact_number
from okrsprint.rules.changes import easier_goal
from tests.builders import Q4_START, backlog, item, key_result, objective, okrs, sprint, sprints
from tests.helpers import TODAY, write

UPTIME = key_result("KR1", title="Uptime", unit="%", baseline=None, target=None, keep_above=99.9,
                    checkins=[{"date": "2026-10-10", "value": 99.95}, {"date": "2026-11-10", "value": 99.5}])  # fmt: skip
BUDGET = key_result("KR2", title="Error budget burn", baseline=None, target=None, keep_below=300, current=120)


def run(*args: object):
    return CliRunner().invoke(app, [str(arg) for arg in args])


@pytest.fixture
def plan(tmp_path) -> Path:
    return write(
        tmp_path,
        {
            "okrs.yaml": okrs(objective("O1", UPTIME, BUDGET)),
            "backlog.yaml": backlog(item("W-1", ["KR1"], 3, "done"), item("W-2", ["KR2"], 5)),
            "sprints.yaml": sprints(sprint("S1", Q4_START, krs=["KR1"], items=["W-1"], capacity=10)),
        },
    )


def kr(**fields) -> KeyResult:
    return KeyResult.model_validate({"id": "KR1", "title": "Uptime", **fields}, strict=True)


def test_threshold_text_and_direction():
    assert threshold_text(kr(keep_above=99.9, unit="%")) == "keep above 99.9 %"
    assert threshold_text(kr(keep_below=300)) == "keep below 300"
    assert threshold_text(kr(baseline=1, target=2)) is None
    assert [better_direction(k) for k in (kr(keep_above=1), kr(keep_below=1), kr(baseline=9, target=4))] == [
        "higher", "lower", "lower"
    ]  # fmt: skip
    assert better_direction(kr(baseline=4, target=9)) == "higher" and better_direction(kr(baseline=4)) is None


@pytest.mark.parametrize(
    ("before", "after", "reason"),
    [
        ({"keep_above": 99.9}, {"keep_above": 99.5}, "threshold loosened from 'keep above 99.9' to 'keep above 99.5'"),
        ({"keep_above": 99.9}, {"keep_above": 99.95}, None),
        ({"keep_below": 300}, {"keep_below": 301}, "threshold loosened from 'keep below 300' to 'keep below 301'"),
        ({"keep_below": 300}, {"keep_below": 300}, None),
        ({"keep_below": 300}, {}, "the threshold 'keep below 300' was removed or broken, so it is no longer measurable"),
        ({"keep_below": 300}, {"keep_below": 300, "target": 5}, "the threshold 'keep below 300' was removed or broken, "
                                                                 "so it is no longer measurable"),
        ({"keep_above": 99.9}, {"baseline": 99, "target": 99.9}, None),  # a change of kind is not judged
        ({"baseline": 10, "target": 20}, {"keep_above": 15}, None),
        ({"baseline": 10, "target": 20}, {"baseline": 10}, "baseline or target removed, so it is no longer measurable"),
    ],
)  # fmt: skip
def test_easier_goal_for_thresholds(before, after, reason):
    assert easier_goal(kr(**before), kr(**after)) == reason


def test_diff_words_a_threshold_change(tmp_path):
    base = open_plan(write(tmp_path / "base", {"okrs.yaml": okrs(objective("O1", UPTIME))}))
    head_kr = {**UPTIME, "keep_above": 99.5}
    head = open_plan(write(tmp_path / "head", {"okrs.yaml": okrs(objective("O1", head_kr))}))
    [change] = compare(base, head, TODAY)
    assert change.text == "key result KR1 keep_above: 99.9 → 99.5 (looser: easier)"
    assert (change.field, change.before, change.after) == ("keep_above", 99.9, 99.5)


def test_checkin_on_a_threshold_key_result(plan):
    result = run("checkin", "KR1", "--value", "99.99", "--date", "2026-11-20", "--today", "2026-11-23", plan)
    assert result.exit_code == 0, result.output
    assert "checkout:KR1 2026-Q4: 99.5 → 99.99 on 2026-11-20" in result.stdout
    document = json.loads(run("report", plan, "--today", "2026-11-23", "--format", "json").stdout)
    [uptime, budget] = document["team_quarters"][0]["objectives"][0]["key_results"]
    assert (uptime["status"], uptime["progress"], uptime["current"]) == ("held", 1.0, 99.99)
    assert run("checkin", "KR2", "--value", "450", "--today", "2026-11-23", plan).exit_code == 0
    document = json.loads(run("report", plan, "--today", "2026-11-23", "--format", "json").stdout)
    budget = document["team_quarters"][0]["objectives"][0]["key_results"][1]
    assert (budget["status"], budget["progress"], budget["keep_below"], budget["threshold"]) == (
        "breached", 0.0, 300, "keep below 300"
    )  # fmt: skip


def test_report_text_and_markdown_show_the_threshold_not_a_baseline(plan):
    text = run("report", plan, "--today", "2026-11-23").stdout
    assert "keep above 99.9 % · now 99.5" in text and "keep below 300 · now 120 · lower" in text
    assert "breached" in text and "held" in text and "– → 99.5 → –" not in text
    markdown = run("report", plan, "--today", "2026-11-23", "--format", "markdown").stdout
    assert "| KR1 | Uptime | keep above 99.9 % · now 99.5 | `░░░░░░░░░░` 0% | breached |" in markdown
    assert (
        "| KR2 | Error budget burn | keep below 300 · now 120 · lower is better | `██████████` 100% | held |"
        in markdown
    )


def test_report_html_draws_a_band_for_a_threshold(plan):
    result = run("report", plan, "--today", "2026-11-23", "--format", "html")
    html = result.stdout
    assert html.count('<svg class="burnup band"') == 2 and '<svg class="burnup"' not in html
    assert html.count('<rect class="good"') == 2 and html.count('<line class="level"') == 2
    assert html.count('<circle class="dot breach"') == 1  # 99.5 under 99.9
    assert html.count('<circle class="dot"') == 2  # 99.95, and KR2's current value (no check-in yet) as of today
    assert "<title>current value 120</title>" in html
    assert '<div class="kr" data-kr="KR1" data-status="breached">' in html
    assert "keep above 99.9 % · now 99.5" in html


def test_review_judges_a_threshold_held_or_breached(plan):
    text = run("review", plan, "--sprint", "S1", "--today", "2026-11-23").stdout
    assert "held" in text and "toward target" not in text and "\\n" not in text
    markdown = run("review", plan, "--sprint", "S1", "--today", "2026-11-23", "--format", "markdown").stdout
    assert "| KR1 | Uptime | – (2026-09-30) | 99.95 (2026-10-28) | – | ✅ held |" in markdown


def test_backlog_orders_a_breached_threshold_first(tmp_path):
    items = backlog(item("W-1", ["KR2"], 3), item("W-2", ["KR1"], 5), item("W-3", ["KR2"], 5, rank=1))
    root = write(tmp_path, {"okrs.yaml": okrs(objective("O1", UPTIME, BUDGET)), "backlog.yaml": items})
    result = run("backlog", root, "--today", "2026-11-23", "--format", "json")
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)["okr"]["items"]
    assert [entry["id"] for entry in entries] == ["W-2", "W-3", "W-1"]  # breached KR1 trails most; held KR2 by rank
    assert entries[0]["behind"] == pytest.approx(54 / 92)


@pytest.mark.parametrize(
    ("value", "label"),
    [(12000, "12k"), (9000, "9000"), (12500, "12.5k"), (999999, "1M"), (3.4e6, "3.4M"), (-15000, "-15k"),
     (99.95, "99.95"), (0.25, "0.25"), (0.00123, "0.0012"), (None, "–")],
)  # fmt: skip
def test_axis_labels_fit_any_magnitude(value, label):
    assert compact_number(value) == label
    assert len(label) <= 6
