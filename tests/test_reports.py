"""okrsprint report, backlog and review on the shipped examples and on small repos: data, formats, errors."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from okrsprint.cli import app
from okrsprint.engine import open_plan
from okrsprint.metrics import (
    BEHIND,
    BREACHED,
    DONE,
    HELD,
    NOT_MEASURABLE,
    ON_TRACK,
    committed_items,
    current_value,
    elapsed,
    estimate_of,
    key_result_status,
    latest_checkin,
    progress,
    value_on,
)
from okrsprint.model import KeyResult
from okrsprint.views.report import build_report
from tests.builders import objective, okrs
from tests.helpers import EXAMPLES, TODAY

CHECKOUT = EXAMPLES / "checkout"
MULTI = EXAMPLES / "multi-team"
ANSI = re.compile(r"\x1b\[")


def run(*args: str):
    return CliRunner().invoke(app, [*args], env={"NO_COLOR": "1", "COLUMNS": "200"})


def as_json(*args: str) -> dict:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- report -------------------------------------------------------------------


def test_report_json_numbers_match_metrics():
    document = as_json("report", str(CHECKOUT), "--today", TODAY.isoformat())
    plan = open_plan(CHECKOUT)
    team_quarter = plan.team_quarter("checkout", "2026-Q4")
    [report] = document["team_quarters"]
    assert (document["view"], document["quarter"], report["team"]) == ("report", "2026-Q4", "checkout")
    assert report["elapsed"] == float(elapsed(team_quarter.quarter, TODAY)) and report["day"] == 54
    assert report["days"] == 92
    krs = {kr["ref"]: kr for objective in report["objectives"] for kr in objective["key_results"]}
    assert list(krs) == [kr.value.id for kr in team_quarter.key_results]
    for placed in team_quarter.key_results:
        kr, shown = placed.value, krs[placed.value.id]
        assert shown["current"] == current_value(kr, TODAY)
        assert shown["progress"] == float(progress(kr, current_value(kr, TODAY)))
        assert shown["confidence"] == latest_checkin(kr, TODAY).confidence
        assert (shown["baseline"], shown["target"]) == (kr.baseline, kr.target)
        assert [c["value"] for c in shown["checkins"]] == [c.value for c in sorted(kr.checkins, key=lambda c: c.date)]
        assert shown["status"] == ON_TRACK
    sprints = report["sprints"]
    assert [s["id"] for s in sprints] == ["S1", "S2", "S3", "S4", "S5", "S6"]
    for shown in sprints:
        items = committed_items(team_quarter, team_quarter.sprints_by_id[shown["id"]].value)
        okr = estimate_of([item for item in items if item.value.krs])
        assert shown["committed"] == float(estimate_of(items))
        assert (shown["okr"], shown["operational"]) == (float(okr), float(estimate_of(items) - okr))
        assert shown["load"] == float(estimate_of(items) / Fraction(shown["capacity"]))
    capacity = report["capacity"]
    assert (capacity["okr"], capacity["total"], capacity["operational"]) == (87, 137, 50)
    assert capacity["share"] == 87 / 137 and capacity["within"] is True
    assert (capacity["low"], capacity["high"]) == (0.6, 0.7)


def test_report_traceability_matrix():
    [report] = as_json("report", str(CHECKOUT), "--today", TODAY.isoformat())["team_quarters"]
    rows = {row["key_result"]: {cell["sprint"]: cell for cell in row["cells"]} for row in report["traceability"]}
    assert list(rows) == ["KR1", "KR2", "KR3", "KR4", "KR5"]
    assert rows["KR1"]["S2"] == {"sprint": "S2", "goal": True, "items": ["CHK-102", "CHK-104"]}
    assert rows["KR2"]["S2"]["items"] == ["CHK-102", "CHK-103"]
    assert all(not row["S4"]["goal"] and not row["S4"]["items"] for row in rows.values())


def test_report_lists_other_teams_key_results_its_sprints_drive():
    document = as_json("report", str(MULTI), "--team", "search", "--today", TODAY.isoformat())
    [report] = document["team_quarters"]
    assert "checkout:KR2" in [row["key_result"] for row in report["traceability"]]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, NOT_MEASURABLE),
        (Fraction(1), DONE),
        (Fraction(3, 2), DONE),
        (Fraction(1, 2), ON_TRACK),
        (Fraction(35, 100), ON_TRACK),
        (Fraction(34, 100), BEHIND),
    ],
)
def test_status_from_progress_against_elapsed(value, expected):
    moving = KeyResult(id="KR1", title="Conversion", baseline=12, target=20)
    assert key_result_status(moving, value, Fraction(60, 100), 0.25) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, NOT_MEASURABLE), (Fraction(1), HELD), (Fraction(0), BREACHED)],
)
def test_threshold_status_is_held_or_breached_whatever_the_calendar(value, expected):
    uptime = KeyResult(id="KR1", title="Uptime", keep_above=99.9)
    assert key_result_status(uptime, value, Fraction(1, 100), 0.25) == expected


OKRS = """
    kind: okrs
    team: web
    quarter: {quarter}
    objectives:
      - id: O1
        title: "Pages <b>load</b> | fast"
        key_results:
          - {{id: KR1, title: Done one, baseline: 0, target: 10, checkins: [{{date: {day}, value: 10}}]}}
          - {{id: KR2, title: Behind one, baseline: 100, target: 50, current: 95}}
          - {{id: KR3, title: "<script>alert(1)</script>", baseline: 1, target: 1}}
"""


def test_report_status_and_default_quarter_follow_year_start_month(repo):
    root = repo(
        {
            "okrsprint.yaml": "year_start_month: 4\n",
            "okrs.yaml": OKRS.format(quarter="2026-Q3", day="2026-11-01"),  # Q3 = Oct–Dec 2026 with April years
        }
    )
    [report] = as_json("report", str(root), "--today", "2026-11-23")["team_quarters"]
    assert report["quarter"] == "2026-Q3" and report["start"] == "2026-10-01"
    statuses = {kr["ref"]: kr["status"] for kr in report["objectives"][0]["key_results"]}
    assert statuses == {"KR1": DONE, "KR2": BEHIND, "KR3": NOT_MEASURABLE}
    assert report["capacity"]["share"] is None


def test_report_markdown_escapes_table_cells(repo):
    root = repo({"okrs.yaml": OKRS.format(quarter="2026-Q4", day="2026-11-01")})
    result = run("report", str(root), "--today", "2026-11-23", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "### O1 Pages \\<b\\>load\\</b\\> \\| fast" in result.stdout
    assert "| KR3 | \\<script\\>alert\\(1\\)\\</script\\> |" in result.stdout
    assert "| KR2 | Behind one | 100 → 95 → 50 |" in result.stdout
    assert "behind" in result.stdout


def test_report_html_escapes_user_text_and_needs_no_network(repo):
    root = repo({"okrs.yaml": OKRS.format(quarter="2026-Q4", day="2026-11-01")})
    result = run("report", str(root), "--today", "2026-11-23", "--format", "html")
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script" not in page
    assert "Pages &lt;b&gt;load&lt;/b&gt; | fast" in page
    assert not re.search(r"(src|href)=|https?://|@import|url\(", page)


def test_report_text_fits_80_columns_without_colour():
    result = run("report", str(MULTI), "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert not ANSI.search(result.stdout)
    assert any(line.startswith("KR1") and "on track" in line for line in lines)
    assert "OKR capacity share: 63%" in result.stdout


def test_report_through_the_installed_script_in_a_pipe():
    script = shutil.which("okrsprint", path=str(Path(sys.executable).parent)) or shutil.which("okrsprint")
    env = {**os.environ, "COLUMNS": "200", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    completed = subprocess.run(
        [script, "report", str(CHECKOUT), "--today", TODAY.isoformat()],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert not ANSI.search(completed.stdout)
    assert max(len(line) for line in completed.stdout.splitlines()) <= 80
    assert "checkout · 2026-Q4" in completed.stdout and "12 → 15.6 → 20 %" in completed.stdout
    assert "OKR capacity share: 64% within the 60%–70% band" in completed.stdout


def test_report_output_is_written_atomically(tmp_path):
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    result = run("report", str(CHECKOUT), "--today", TODAY.isoformat(), "--format", "markdown", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("# OKR report 2026-Q4")
    assert target.stat().st_mode & 0o777 == 0o640
    assert [path.name for path in tmp_path.iterdir()] == ["report.md"]


def test_report_text_output_file_is_plain(tmp_path):
    target = tmp_path / "report.txt"
    result = CliRunner().invoke(app, ["report", str(CHECKOUT), "--today", TODAY.isoformat(), "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert not ANSI.search(text) and "Traceability" in text


def test_report_output_creates_missing_folders_like_output_file(tmp_path):
    page = tmp_path / "site" / "reports" / "r.html"
    result = run("report", str(CHECKOUT), "--today", TODAY.isoformat(), "--format", "html", "--output", str(page))
    assert result.exit_code == 0, result.output
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_output_that_cannot_be_written_is_a_usage_error(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = run("report", str(CHECKOUT), "--today", TODAY.isoformat(), "--output", str(tmp_path / "file" / "r.txt"))
    assert result.exit_code == 2
    assert "cannot write" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["report", str(MULTI), "--team", "payments"],
            "no plan for team 'payments'; teams: checkout, company, search",
        ),
        (["report", str(MULTI), "--quarter", "2027-Q1"], "no plan for quarter 2027-Q1; quarters with a plan: 2026-Q4"),
        (["report", str(MULTI), "--quarter", "Q1"], "--quarter: not a quarter"),
        (["backlog", str(MULTI), "--team", "shop", "--quarter", "2026-Q4"], "teams: checkout, company, search"),
        (
            ["review", str(MULTI), "--team", "search", "--sprint", "S9"],
            "no sprint 'S9' for team search; sprints: S1 (2026-Q4)",
        ),
        (
            ["review", str(MULTI), "--team", "shop", "--sprint", "S1"],
            "no plan for team 'shop'; teams: checkout, company, search",
        ),
        (["review", str(MULTI), "--team", "search", "--sprint", "S1", "--quarter", "2026-Q1"], "its quarters: 2026-Q4"),
    ],
)
def test_unknown_team_quarter_or_sprint_lists_the_candidates(args, message):
    result = run(*args, "--today", TODAY.isoformat())
    assert result.exit_code == 2
    assert message in result.stderr


def test_report_default_quarter_is_the_one_containing_today_else_the_latest_before_it():
    assert as_json("report", str(CHECKOUT), "--today", "2027-02-01")["quarter"] == "2026-Q4"


@pytest.mark.parametrize(
    ("quarter", "message"),
    [
        ("2027-Q3", "no plan for quarter 2027-Q3; quarters with a plan: 2026-Q2, 2026-Q4 — pass --quarter 2026-Q4"),
        ("2026-Q1", "no plan for quarter 2026-Q1; quarters with a plan: 2026-Q2, 2026-Q4 — pass --quarter 2026-Q2"),
    ],
)
def test_report_for_a_quarter_without_a_plan_suggests_one(repo, quarter, message):
    root = repo({"q2.yaml": okrs(objective(), quarter="2026-Q2"), "q4.yaml": okrs(objective())})
    result = run("report", str(root), "--quarter", quarter, "--today", "2026-11-23")
    assert result.exit_code == 2
    assert message in result.stderr


def test_backlog_markdown_lists_the_groups_with_done_items_last():
    result = run("backlog", str(CHECKOUT), "--team", "checkout", "--quarter", "2026-Q4", "--format", "markdown")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("# checkout · 2026-Q4 backlog")
    assert text.index("## Driving key results") < text.index("## Operational work") < text.index("## Done")
    assert text.index("| CHK-111 |") < text.index("## Operational work") < text.index("| CHK-205 |")
    assert text.index("## Done") < text.index("| CHK-105 |")


# -- backlog ------------------------------------------------------------------


def test_backlog_orders_by_lag_then_rank_and_defers_operational_work():
    document = as_json(
        "backlog", str(CHECKOUT), "--team", "checkout", "--quarter", "2026-Q4", "--today", TODAY.isoformat()
    )
    plan = open_plan(CHECKOUT)
    team_quarter = plan.team_quarter("checkout", "2026-Q4")
    gone = elapsed(team_quarter.quarter, TODAY)
    lag = {kr.value.id: gone - progress(kr.value, current_value(kr.value, TODAY)) for kr in team_quarter.key_results}
    okr, operational, done = document["okr"]["items"], document["operational"]["items"], document["done"]["items"]
    for entry in okr:
        assert entry["behind"] == float(max(lag[ref] for ref in entry["krs"]))
        assert entry["deferred"] is False
    order = [(-entry["behind"], entry["rank"]) for entry in okr]
    assert order == sorted(order)
    assert okr[0]["krs"] == ["KR3"]  # 42% progress with 59% gone: furthest behind
    open_items = [item for item in team_quarter.items if item.value.status != "done"]
    done_items = [item for item in team_quarter.items if item.value.status == "done"]
    assert [entry["id"] for entry in operational] == [i.value.id for i in open_items if not i.value.krs]
    assert all(entry["deferred"] and entry["behind"] is None for entry in operational)
    assert {entry["status"] for entry in okr + operational} <= {"todo", "doing"}
    assert sorted(entry["id"] for entry in done) == sorted(i.value.id for i in done_items) and done
    assert [entry["rank"] for entry in done] == sorted(entry["rank"] for entry in done)
    items = team_quarter.items
    assert len(okr) + len(operational) + len(done) == len(items)
    total = float(estimate_of(items))
    assert document["total_estimate"] == total == 150
    for name, group in (("okr", okr), ("operational", operational), ("done", done)):
        estimate = sum(entry["estimate"] or 0 for entry in group)
        assert document[name]["estimate"] == estimate and document[name]["share"] == estimate / 150


def test_backlog_text_shows_groups_and_deferred_items():
    result = run("backlog", str(CHECKOUT), "--team", "checkout", "--quarter", "2026-Q4", "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Driving key results (furthest behind first)  " in text
    assert "Operational work (deferred, never dropped)  " in text
    assert text.index("Driving key results") < text.index("Operational work") < text.index("Done  ")
    assert text.index("CHK-111") < text.index("CHK-205") < text.index("Done  ") < text.index("CHK-105")


# -- review -------------------------------------------------------------------


def test_review_json_output_and_outcome():
    document = as_json("review", str(CHECKOUT), "--team", "checkout", "--sprint", "S2", "--today", TODAY.isoformat())
    plan = open_plan(CHECKOUT)
    team_quarter = plan.team_quarter("checkout", "2026-Q4")
    sprint = team_quarter.sprints_by_id["S2"].value
    assert (document["view"], document["sprint"], document["quarter"]) == ("review", "S2", "2026-Q4")
    assert (document["committed_items"], document["done_items"]) == (4, 4)
    assert document["committed_points"] == float(estimate_of(committed_items(team_quarter, sprint))) == 27
    assert document["done_points"] == 27
    assert [item["id"] for item in document["items"]] == sprint.items
    for outcome in document["outcomes"]:
        kr = team_quarter.key_results_by_id[outcome["key_result"]].value
        before_day, after_day = sprint.start - timedelta(days=1), sprint.end + timedelta(days=14)  # outcome_lag_days
        assert outcome["before_date"] == before_day.isoformat() and outcome["after_date"] == after_day.isoformat()
        assert outcome["before"] == value_on(kr, before_day) and outcome["after"] == value_on(kr, after_day)
        assert outcome["progress_after"] == float(progress(kr, value_on(kr, after_day)))
        assert outcome["so_far"] is False
        assert outcome["moved_toward_target"] is True
    assert [o["key_result"] for o in document["outcomes"]] == ["KR1", "KR2"]
    assert document["outcomes"][1]["change"] == -68  # by 2026-11-13, two weeks after S2
    assert document["findings"] == []


STALLED = {
    "okrs.yaml": """
        kind: okrs
        team: web
        quarter: 2026-Q4
        objectives:
          - id: O1
            title: Fast pages
            key_results:
              - id: KR1
                title: Largest contentful paint
                baseline: 3000
                target: 2000
                checkins: [{date: 2026-10-02, value: 2900}, {date: 2026-10-20, value: 2950}]
    """,
    "backlog.yaml": """
        kind: backlog
        team: web
        quarter: 2026-Q4
        items:
          - {id: W-1, title: Lazy-load images, krs: [KR1], estimate: 5, status: done}
          - {id: W-2, title: Fix the footer, estimate: 2, status: done}
          - {id: W-3, title: Inline critical CSS, krs: [KR1], estimate: 3}
    """,
    "sprints.yaml": """
        kind: sprints
        team: web
        quarter: 2026-Q4
        sprints:
          - {id: S1, start: 2026-10-05, end: 2026-10-16, goal: Images no longer block the first paint, krs: [KR1], capacity: 10, items: [W-1, W-2]}
          - {id: S2, start: 2026-10-19, end: 2026-10-30, goal: The first paint needs no external CSS, krs: [KR1], capacity: 10, items: [W-3]}
    """,
}


def test_review_shows_output_without_outcome(repo):
    root = repo(STALLED)
    document = as_json("review", str(root), "--team", "web", "--sprint", "S1", "--today", "2026-11-23")
    assert (document["done_items"], document["done_points"]) == (2, 7)
    [outcome] = document["outcomes"]
    assert (outcome["before"], outcome["after"], outcome["moved_toward_target"]) == (2900, 2950, False)
    assert (outcome["after_date"], outcome["so_far"]) == ("2026-10-30", False)  # S1's end + outcome_lag_days
    [finding] = document["findings"]
    assert (finding["code"], finding["file"], finding["line"]) == ("A404", "sprints.yaml", 5)
    text = run("review", str(root), "--team", "web", "--sprint", "S1", "--today", "2026-11-23").stdout
    assert "2 of 2 items done, 7 of 7 points" in text and "A404 [warning]" in text
    markdown = run(
        "review", str(root), "--team", "web", "--sprint", "S1", "--today", "2026-11-23", "--format", "markdown"
    )
    assert "> **A404** (warning)" in markdown.stdout and "❌ not toward target" in markdown.stdout


@pytest.mark.parametrize(
    ("today", "after_date", "after", "so_far"),
    [
        ("2026-10-19", "2026-10-19", 2900, True),
        ("2026-10-29", "2026-10-29", 2950, True),
        ("2026-10-30", "2026-10-30", 2950, False),
    ],
)
def test_review_outcome_is_so_far_until_end_plus_lag(repo, today, after_date, after, so_far):
    root = repo(STALLED)
    [outcome] = as_json("review", str(root), "--team", "web", "--sprint", "S1", "--today", today)["outcomes"]
    assert (outcome["after_date"], outcome["after"], outcome["so_far"]) == (after_date, after, so_far)
    text = run("review", str(root), "--team", "web", "--sprint", "S1", "--today", today).stdout
    markdown = run(
        "review", str(root), "--team", "web", "--sprint", "S1", "--today", today, "--format", "markdown"
    ).stdout
    assert ("so far" in text, "so far" in markdown) == (so_far, so_far)


def test_review_of_a_sprint_that_has_not_started_exits_2(repo):
    root = repo(STALLED)
    result = run("review", str(root), "--team", "web", "--sprint", "S2", "--today", "2026-10-18")
    assert result.exit_code == 2
    assert "S2 has not started (starts 2026-10-19): nothing to review yet" in result.stderr
    assert as_json("review", str(root), "--team", "web", "--sprint", "S2", "--today", "2026-10-19")["sprint"] == "S2"


def test_review_a404_respects_config_and_lag(repo):
    root = repo(STALLED)
    early = as_json("review", str(root), "--team", "web", "--sprint", "S1", "--today", "2026-10-29")
    assert early["findings"] == []  # before end + outcome_lag_days
    not_done = as_json("review", str(root), "--team", "web", "--sprint", "S2", "--today", "2026-12-20")
    assert (not_done["done_items"], not_done["findings"]) == (0, [])
    (root / "okrsprint.yaml").write_text("rules:\n  ignore: [A404]\n", encoding="utf-8")
    assert as_json("review", str(root), "--team", "web", "--sprint", "S1", "--today", "2026-11-23")["findings"] == []


def test_review_picks_the_quarter_holding_the_sprint(repo):
    files = dict(STALLED)
    files["next.yaml"] = """
        kind: sprints
        team: web
        quarter: 2027-Q1
        sprints:
          - {id: S1, start: 2027-01-04, end: 2027-01-15, goal: Pages stay fast, krs: [], not_okr_reason: freeze}
    """
    root = repo(files)
    assert (
        as_json("review", str(root), "--team", "web", "--sprint", "S2", "--today", "2027-01-20")["quarter"] == "2026-Q4"
    )
    assert (
        as_json("review", str(root), "--team", "web", "--sprint", "S1", "--today", "2027-01-20")["quarter"] == "2027-Q1"
    )
    result = run("review", str(root), "--team", "web", "--sprint", "S1", "--today", "2027-06-01")
    assert result.exit_code == 2 and "choose one with --quarter" in result.stderr
    chosen = as_json(
        "review", str(root), "--team", "web", "--sprint", "S1", "--quarter", "2026-Q4", "--today", "2027-06-01"
    )
    assert chosen["quarter"] == "2026-Q4"


def test_review_library_call_without_cli():
    from okrsprint.views.review import build_review

    review = build_review(open_plan(CHECKOUT), "checkout", "S4", TODAY)
    assert review.outcomes == [] and review.committed_points == 21 and review.done_items == 1


def test_report_library_call_filters_team():
    report = build_report(open_plan(MULTI), TODAY, team="company")
    assert [tq.team for tq in report.team_quarters] == ["company"]
    assert report.team_quarters[0].sprints == []


# -- the quarter as it unfolds: sprint states and "so far" -------------------------------------------------------


def unfolding(items: str) -> dict[str, str]:
    """Planned S1 (done), S2 (current, carries A over), S3 (upcoming); open S4, S5 (capacity 20 + 30)."""
    return {
        "okrs.yaml": okrs(objective()),
        "backlog.yaml": "kind: backlog\nteam: checkout\nquarter: 2026-Q4\nitems:\n" + items,
        "sprints.yaml": """
            kind: sprints
            team: checkout
            quarter: 2026-Q4
            sprints:
              - {id: S1, start: 2026-10-05, end: 2026-10-16, goal: Ship it, krs: [KR1], items: [A, B, C]}
              - {id: S2, start: 2026-11-16, end: 2026-11-27, goal: Ship it, krs: [KR1], items: [A]}
              - {id: S3, start: 2026-11-30, end: 2026-12-04, goal: Ship it, krs: [KR1]}
              - {id: S4, start: 2026-12-07, end: 2026-12-16, capacity: 20}
              - {id: S5, start: 2026-12-17, end: 2026-12-23, capacity: 30}
        """,
    }


OKR_HEAVY = "  - {id: A, title: a, krs: [KR1], estimate: 7}\n  - {id: B, title: b, krs: [KR1], estimate: 2}\n  - {id: C, title: c, estimate: 1}\n"  # noqa: E501
OKR_LIGHT = "  - {id: A, title: a, krs: [KR1], estimate: 3}\n  - {id: B, title: b, krs: [KR1], estimate: 2}\n  - {id: C, title: c, estimate: 5}\n"  # noqa: E501
WITHIN = "  - {id: A, title: a, krs: [KR1], estimate: 7}\n  - {id: B, title: b, krs: [KR1], estimate: 6}\n  - {id: C, title: c, estimate: 7}\n"  # noqa: E501


def test_report_json_gives_each_sprint_its_state(repo):
    root = repo(unfolding(OKR_HEAVY))
    [tq] = as_json("report", str(root), "--today", "2026-11-23")["team_quarters"]
    assert [(s["id"], s["state"]) for s in tq["sprints"]] == [
        ("S1", "done"), ("S2", "current"), ("S3", "upcoming"), ("S4", "open"), ("S5", "open"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("items", "share", "needs", "line"),
    [
        # O/T = 9/10 > 0.7: 9/(10+3) ≤ 0.7 but 9/(10+2) > 0.7
        (OKR_HEAVY, 0.9, {"operational": 3}, "need at least 3 points of operational work"),
        # O/T = 5/10 < 0.6: (5+3)/(10+3) ≥ 0.6 but (5+2)/(10+2) < 0.6
        (OKR_LIGHT, 0.5, {"okr": 3}, "need at least 3 points of OKR work"),
        (WITHIN, 0.65, None, "within the band"),
    ],
)
def test_so_far_share_counts_planned_sprints_items_once_and_says_what_open_sprints_need(
    repo, items, share, needs, line
):
    root = repo(unfolding(items))
    [tq] = as_json("report", str(root), "--today", "2026-11-23")["team_quarters"]
    so_far = tq["so_far"]
    assert so_far["okr_share"] == share and so_far["band"] == [0.6, 0.7]
    assert (so_far["open_sprints"], so_far["open_capacity"], so_far["needs"]) == (["S4", "S5"], 50, needs)
    text = " ".join(run("report", str(root), "--today", "2026-11-23").stdout.split())  # unwrapped
    head = f"OKR share so far {round(share * 100)}% (band 60–70%)"
    detail = line if needs is None else f"the open sprints S4–S5 (capacity 50) {line}"
    assert f"{head}: {detail}" in text
    markdown = run("report", str(root), "--today", "2026-11-23", "--format", "markdown").stdout
    assert f"**{head}**: {detail}" in markdown
    page = run("report", str(root), "--today", "2026-11-23", "--format", "html").stdout
    assert line in page and 'class="state state-open"' in page and 'class="state state-current"' in page


def test_so_far_without_open_sprints_names_no_need(repo):
    root = repo(unfolding(OKR_HEAVY))
    [tq] = as_json("report", str(root), "--today", "2026-12-17")["team_quarters"]  # S5 starts today, still open
    assert tq["so_far"]["open_sprints"] == ["S5"] and tq["so_far"]["needs"] == {"operational": 3}
    [tq] = as_json("report", str(root), "--today", "2026-12-18")["team_quarters"]  # S5 started empty: planned
    assert (tq["so_far"]["open_sprints"], tq["so_far"]["open_capacity"], tq["so_far"]["needs"]) == ([], 0, None)
    text = " ".join(run("report", str(root), "--today", "2026-12-18").stdout.split())
    assert "OKR share so far 90% (band 60–70%): outside the band; no open sprints left" in text


def test_so_far_wording_for_one_open_sprint_no_capacity_and_a_need_beyond_capacity(repo):
    files = unfolding(OKR_HEAVY)
    root = repo(files)
    text = " ".join(run("report", str(root), "--today", "2026-12-17").stdout.split())
    assert "the open sprint S5 (capacity 30) needs at least 3 points of operational work" in text
    files["sprints.yaml"] = files["sprints.yaml"].replace("capacity: 30", "capacity: 2")
    root = repo(files)
    text = " ".join(run("report", str(root), "--today", "2026-12-17").stdout.split())
    assert "needs at least 3 points of operational work: more than its capacity, the band is out of reach" in text
    files["sprints.yaml"] = files["sprints.yaml"].replace(", capacity: 2}", "}")
    root = repo(files)
    [tq] = as_json("report", str(root), "--today", "2026-12-17")["team_quarters"]
    assert tq["so_far"]["open_capacity"] is None
    text = " ".join(run("report", str(root), "--today", "2026-12-17").stdout.split())
    assert "the open sprint S5 (no capacity set) needs at least 3 points" in text


def test_quarter_capacity_share_counts_a_carried_over_item_once(repo):
    root = repo(unfolding(OKR_HEAVY))  # A (7 points) is committed to S1 and S2
    [tq] = as_json("report", str(root), "--today", "2026-11-23")["team_quarters"]
    assert (tq["capacity"]["okr"], tq["capacity"]["total"]) == (9, 10)
    assert (tq["so_far"]["okr"], tq["so_far"]["total"]) == (9, 10)
    assert [(s["id"], s["committed"]) for s in tq["sprints"][:2]] == [("S1", 10), ("S2", 7)]  # each sprint's own load
