"""okrsprint next: the files, carried key results and items, the calendar, refusals, and check on every draft."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from okrsprint.cli import app
from okrsprint.commands.next import cadence, median_capacity, most_common, target_path
from okrsprint.quarters import Quarter
from okrsprint.yamledit import emit
from tests.builders import backlog, item, key_result, objective, okrs, sprint, sprints
from tests.helpers import EXAMPLES, check, copy_plan, write

NEW_YEAR_EVE = "2026-12-31"
Q1 = Quarter(2027, 1)


def run(*args: str):
    return CliRunner().invoke(app, ["next", *args], env={"NO_COLOR": "1", "COLUMNS": "200"})


def copy_of(example: str, tmp_path: Path) -> Path:
    return copy_plan(EXAMPLES / example, tmp_path / example)


def documents(path: Path) -> list[dict]:
    return list(yaml.safe_load_all(path.read_text(encoding="utf-8")))


def snapshot(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def no_errors_in_the_new_quarter(root: Path, *days: date) -> None:
    """``check`` on each day before the new quarter starts: no error anywhere in 2027-Q1."""
    for day in days:
        errors = [f for f in check(root, day).findings if f.quarter == "2027-Q1" and f.severity.value == "error"]
        assert errors == [], (day, [(f.code, f.message) for f in errors])


DAYS_BEFORE_Q1 = (date(2026, 12, 1), date(2026, 12, 24), date(2026, 12, 28), date(2026, 12, 31))


# -- the examples -------------------------------------------------------------------------------------------------


def test_checkout_files_carried_values_and_calendar(tmp_path):
    root = copy_of("checkout", tmp_path)
    result = run(str(root), "--today", NEW_YEAR_EVE)
    assert result.exit_code == 0, result.output
    new = {"okrs/2027-Q1.yaml", "backlog/2027-Q1.yaml", "sprints/2027-Q1.yaml"}
    assert {p.relative_to(root).as_posix() for p in root.rglob("*2027-Q1*")} == new
    text = (root / "okrs/2027-Q1.yaml").read_text(encoding="utf-8")
    assert "      # from 2026-Q4: 12 → 20, reached 15.6, score 0.45\n      - id: KR1\n" in text
    assert "      # from 2026-Q4: 240 → 90, reached 165, score 0.5\n      - id: KR2\n" in text
    [okrs_document] = documents(root / "okrs/2027-Q1.yaml")
    assert okrs_document["quarter"] == "2027-Q1" and okrs_document["team"] == "checkout"
    key_results = {kr["id"]: kr for o in okrs_document["objectives"] for kr in o["key_results"]}
    assert key_results["KR1"] == {"id": "KR1", "title": "Onboarding conversion rate", "unit": "%", "baseline": 15.6,
                                  "target": 20}  # fmt: skip
    assert (key_results["KR3"]["baseline"], key_results["KR3"]["target"]) == (1420, 900)
    assert [o["id"] for o in okrs_document["objectives"]] == ["O1", "O2"]
    assert okrs_document["objectives"][1]["type"] == "committed"
    [backlog_document] = documents(root / "backlog/2027-Q1.yaml")
    items = {i["id"]: i for i in backlog_document["items"]}
    assert list(items) == ["CHK-113", "CHK-108", "CHK-109", "CHK-110", "CHK-111", "CHK-112", "CHK-205", "CHK-206",
                           "CHK-207", "CHK-208", "CHK-209"]  # fmt: skip
    assert items["CHK-205"] == {"id": "CHK-205", "title": "Fix the 3-D Secure pop-up that Firefox blocks", "krs": [],
                                "estimate": 5, "status": "doing", "rank": 5}  # fmt: skip
    assert items["CHK-110"]["krs"] == ["KR4", "KR5"]
    [sprints_document] = documents(root / "sprints/2027-Q1.yaml")
    calendar = [
        (s["id"], s["start"].isoformat(), s["end"].isoformat(), s["capacity"]) for s in sprints_document["sprints"]
    ]
    assert calendar == [
        ("S1", "2026-12-28", "2027-01-08", 30),  # the first start after S6's end, at most 6 days before Jan 1
        ("S2", "2027-01-11", "2027-01-22", 30),
        ("S3", "2027-01-25", "2027-02-05", 30),
        ("S4", "2027-02-08", "2027-02-19", 30),
        ("S5", "2027-02-22", "2027-03-05", 30),
        ("S6", "2027-03-08", "2027-03-19", 30),
        ("S7", "2027-03-22", "2027-04-02", 30),  # starts in the quarter, ends after it
    ]
    assert set(sprints_document["sprints"][0]) == {"id", "start", "end", "capacity"}  # open: planned with `plan`
    assert "wrote 3 files for checkout 2027-Q1 (from 2026-Q4)" in result.stdout
    no_errors_in_the_new_quarter(root, *DAYS_BEFORE_Q1)


def test_a_three_week_cadence_continues_and_the_other_teams_files_stay_apart(tmp_path):
    root = copy_of("multi-team", tmp_path)
    assert run(str(root), "--team", "search", "--today", NEW_YEAR_EVE).exit_code == 0
    assert sorted(p.name for p in (root / "search").glob("*2027-Q1*")) == [
        "backlog-2027-Q1.yaml", "okrs-2027-Q1.yaml", "sprints-2027-Q1.yaml",
    ]  # fmt: skip
    assert not (root / "checkout/2027-Q1.yaml").exists()
    [document] = documents(root / "search/sprints-2027-Q1.yaml")
    assert [(s["start"].isoformat(), s["end"].isoformat()) for s in document["sprints"]] == [
        ("2026-12-28", "2027-01-15"),  # S4 started Dec 7: + 21 days
        ("2027-01-18", "2027-02-05"),
        ("2027-02-08", "2027-02-26"),
        ("2027-03-01", "2027-03-19"),
        ("2027-03-22", "2027-04-09"),
    ]
    assert {s["capacity"] for s in document["sprints"]} == {45}  # median of 45, 45, 45, 36
    okrs_text = (root / "search/okrs-2027-Q1.yaml").read_text(encoding="utf-8")
    assert "# was aligns_to: company:O2 in 2026-Q4; not in 2027-Q1 yet: align it again" in okrs_text
    assert all("aligns_to" not in o for o in documents(root / "search/okrs-2027-Q1.yaml")[0]["objectives"])
    no_errors_in_the_new_quarter(root, *DAYS_BEFORE_Q1)


def test_documents_sharing_a_file_go_to_one_new_file(tmp_path):
    root = copy_of("multi-team", tmp_path)
    assert run(str(root), "--team", "checkout", "--today", NEW_YEAR_EVE).exit_code == 0
    kinds = [d["kind"] for d in documents(root / "checkout/2027-Q1.yaml")]
    assert kinds == ["okrs", "backlog", "sprints"]
    no_errors_in_the_new_quarter(root, *DAYS_BEFORE_Q1)


def test_mid_quarter_paths_without_a_quarter_get_one(tmp_path):
    root = copy_of("mid-quarter", tmp_path)
    result = run(str(root), "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in root.glob("*2027-Q1*")) == [
        "backlog-2027-Q1.yaml", "okrs-2027-Q1.yaml", "sprints-2027-Q1.yaml",
    ]  # fmt: skip
    text = (root / "okrs-2027-Q1.yaml").read_text(encoding="utf-8")
    assert "# from 2026-Q4: 60 → 70, reached 64, score 0.4" in text  # as of today: the quarter still runs
    assert "# from 2026-Q4: 80 → 95, reached 83, score 0.2" in text
    items = {i["id"]: i for i in documents(root / "backlog-2027-Q1.yaml")[0]["items"]}
    assert "CHK-1" not in items and items["CHK-5"]["status"] == "doing" and items["CHK-12"]["krs"] == ["KR3"]
    no_errors_in_the_new_quarter(root, date(2026, 11, 23), *DAYS_BEFORE_Q1)


# -- refusals ---------------------------------------------------------------------------------------------------


def test_a_second_run_is_refused_and_changes_nothing(tmp_path):
    root = copy_of("checkout", tmp_path)
    assert run(str(root), "--today", NEW_YEAR_EVE).exit_code == 0
    before = snapshot(root)
    again = run(str(root), "--today", NEW_YEAR_EVE)
    assert again.exit_code == 2
    assert "checkout already has a plan for 2027-Q1" in again.output and "nothing was written" in again.output
    assert snapshot(root) == before


def test_an_existing_target_file_refuses_everything(tmp_path):
    root = copy_of("checkout", tmp_path)
    (root / "sprints/2027-Q1.yaml").write_text("# the calendar goes here\n", encoding="utf-8")
    before = snapshot(root)
    result = run(str(root), "--today", NEW_YEAR_EVE)
    assert result.exit_code == 2 and "refusing to overwrite existing files" in result.output
    assert snapshot(root) == before


def test_dry_run_prints_the_files_and_writes_nothing(tmp_path):
    root = copy_of("checkout", tmp_path)
    before = snapshot(root)
    result = run(str(root), "--today", NEW_YEAR_EVE, "--dry-run")
    assert result.exit_code == 0
    assert "# --- okrs/2027-Q1.yaml (not written: --dry-run) ---" in result.stdout
    assert "baseline: 15.6" in result.stdout and "would write 3 files" in result.stdout
    assert snapshot(root) == before


# -- --carry, cross-team references, the calendar options ----------------------------------------------------------

TEAM_A = {
    "okrs.yaml": okrs(
        objective(
            "O1",
            key_result("KR1", baseline=0, target=10, checkins=[{"date": date(2026, 12, 1), "value": 12}]),
            key_result("KR2", baseline=100, target=50, checkins=[{"date": date(2026, 12, 1), "value": 40}]),
        ),
        objective(
            "O2",
            key_result("KR3", baseline=None, target=None, keep_above=99.0, current=99.5),
            key_result("KR4", baseline=0, target=10, current=5),
            aligns_to="b:O1",
        ),
        team="a",
    ),
    "backlog.yaml": backlog(
        item("X", ["b:KR1"], 3),
        item("Y", ["KR1", "KR4"], 2, url="https://tracker.example/Y", assignee="kim"),
        item("Z", [], 1, "done"),
        team="a",
    ),
    "sprints.yaml": sprints(sprint("S1", date(2026, 12, 14), 10, krs=["KR4"], capacity=9), team="a"),
    "b.yaml": okrs(objective("O1", key_result("KR1")), team="b")
    + "---\n"
    + sprints(sprint("S1", date(2026, 12, 14), 10, krs=["KR1"], capacity=12), team="b"),
}


def test_unfinished_carries_what_scored_below_1_and_drops_references_that_do_not_exist_next_quarter(tmp_path):
    root = write(tmp_path, TEAM_A)
    result = run(str(root), "--team", "a", "--today", NEW_YEAR_EVE)
    assert result.exit_code == 0, result.output
    [document] = documents(root / "okrs-2027-Q1.yaml")
    assert [o["id"] for o in document["objectives"]] == ["O2"]  # O1 reached both targets
    assert [kr["id"] for kr in document["objectives"][0]["key_results"]] == ["KR4"]
    backlog_text = (root / "backlog-2027-Q1.yaml").read_text(encoding="utf-8")
    assert "    # was krs: [b:KR1] in 2026-Q4\n    krs: []\n" in backlog_text
    assert "    # was krs: [KR1] in 2026-Q4\n    krs: [KR4]\n" in backlog_text
    items = {i["id"]: i for i in documents(root / "backlog-2027-Q1.yaml")[0]["items"]}
    assert items["Y"]["url"] == "https://tracker.example/Y" and items["Y"]["assignee"] == "kim"
    assert "Z" not in items
    assert "re-tag these: X (their key results do not exist in 2027-Q1)" in result.stdout
    assert "# was aligns_to: b:O1 in 2026-Q4; not in 2027-Q1 yet" in (root / "okrs-2027-Q1.yaml").read_text()
    no_errors_in_the_new_quarter(root, *DAYS_BEFORE_Q1)


def test_references_to_a_team_already_drafted_are_kept(tmp_path):
    root = write(tmp_path, TEAM_A)
    assert run(str(root), "--team", "b", "--today", NEW_YEAR_EVE).exit_code == 0
    result = run(str(root), "--team", "a", "--today", NEW_YEAR_EVE)
    assert result.exit_code == 0, result.output
    items = {i["id"]: i for i in documents(root / "backlog-2027-Q1.yaml")[0]["items"]}
    assert items["X"]["krs"] == ["b:KR1"] and "re-tag" not in result.stdout
    [o2] = documents(root / "okrs-2027-Q1.yaml")[0]["objectives"]
    assert o2["aligns_to"] == "b:O1"
    no_errors_in_the_new_quarter(root, *DAYS_BEFORE_Q1)


def test_carry_all_turns_reached_targets_into_levels_to_hold(tmp_path):
    root = write(tmp_path, TEAM_A)
    assert run(str(root), "--team", "a", "--today", NEW_YEAR_EVE, "--carry", "all").exit_code == 0
    key_results = {kr["id"]: kr for o in documents(root / "okrs-2027-Q1.yaml")[0]["objectives"]
                   for kr in o["key_results"]}  # fmt: skip
    assert key_results["KR1"] == {"id": "KR1", "title": "Onboarding conversion rate", "keep_above": 12}
    assert key_results["KR2"] == {"id": "KR2", "title": "Onboarding conversion rate", "keep_below": 40}
    assert key_results["KR3"] == {"id": "KR3", "title": "Onboarding conversion rate", "keep_above": 99}
    text = (root / "okrs-2027-Q1.yaml").read_text(encoding="utf-8")
    assert "# from 2026-Q4: 0 → 10, reached 12, score 1; now a level to hold: keep above 12" in text
    assert "# from 2026-Q4: keep above 99, reached 99.5, score 1" in text
    no_errors_in_the_new_quarter(root, *DAYS_BEFORE_Q1)


def test_carry_none_lists_every_item_that_lost_its_key_results(tmp_path):
    root = write(tmp_path, TEAM_A)
    result = run(str(root), "--team", "a", "--today", NEW_YEAR_EVE, "--carry", "none")
    assert result.exit_code == 0, result.output
    assert documents(root / "okrs-2027-Q1.yaml")[0]["objectives"] == []
    assert "re-tag these: X, Y" in result.stdout
    no_errors_in_the_new_quarter(root, *DAYS_BEFORE_Q1)


def test_sprints_and_sprint_days_set_the_calendar(tmp_path):
    root = copy_of("checkout", tmp_path)
    assert run(str(root), "--today", NEW_YEAR_EVE, "--sprints", "2", "--sprint-days", "7").exit_code == 0
    [document] = documents(root / "sprints/2027-Q1.yaml")
    assert [(s["start"], s["end"]) for s in document["sprints"]] == [
        (date(2026, 12, 28), date(2027, 1, 3)),  # Dec 21 is before S6's end (Dec 23)
        (date(2027, 1, 4), date(2027, 1, 10)),
    ]


def test_bad_options_are_usage_errors(tmp_path):
    root = str(copy_of("checkout", tmp_path))
    assert run(root, "--carry", "some").exit_code == 2
    assert run(root, "--sprints", "0").exit_code == 2
    assert run(root, "--sprint-days", "1000000000").exit_code == 2
    result = run(root, "--from", "2026-Q9")
    assert result.exit_code == 2 and "--from must be a quarter YYYY-Qn, not '2026-Q9'" in result.output
    result = run(root, "--from", "2026-Q3", "--today", NEW_YEAR_EVE)
    assert result.exit_code == 2 and "no plan for quarter 2026-Q3" in result.output


# -- the pieces -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relpath", "expected"),
    [
        ("okrs/2026-Q4.yaml", "okrs/2027-Q1.yaml"),
        ("search/okrs-2026-Q4.yaml", "search/okrs-2027-Q1.yaml"),
        ("okrs.yaml", "okrs-2027-Q1.yaml"),
        ("plans/team.yml", "plans/team-2027-Q1.yml"),
    ],
)
def test_target_paths(relpath, expected):
    assert target_path(relpath, Quarter(2026, 4), Q1) == expected


def test_cadence_takes_the_most_common_distance_and_length_ties_to_the_shorter():
    start = date(2026, 10, 1)
    starts = [start, start + timedelta(days=14), start + timedelta(days=35), start + timedelta(days=49)]
    ends = [day + timedelta(days=n) for day, n in zip(starts, [9, 13, 13, 9], strict=True)]
    assert cadence(starts, ends, None) == (14, 10)  # distances 14, 21, 14; lengths 10, 14, 14, 10
    assert most_common([21, 14]) == 14
    assert cadence([start], [start + timedelta(days=11)], None) == (12, 12)
    assert cadence(starts, ends, 7) == (7, 7)
    assert cadence([start, start + timedelta(days=7)], [start + timedelta(days=13)] * 2, None) == (7, 7)
    assert cadence([start], [start - timedelta(days=3)], None) == (1, 1)  # ends before it starts: S005's business


def test_median_capacity_is_written_as_a_person_writes_it():
    assert median_capacity([30.0, 24.0, None, 20.0]) == 24
    assert median_capacity([30.0, 25.0]) == 27.5
    assert median_capacity([None]) is None


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "null",
        "1e3",
        "a: b",
        "#x",
        " padded",
        "[x]",
        "{y}",
        "– ünïcode ✓",
        "tab\there",
        "esc\x1b",
        "@at",
        "'q'",
        "line\nbreak",
        "\u2028sep",
        "::error::x",
        "",
    ],
)
def test_emit_writes_any_string_so_that_it_reads_back(text):
    document = {"#": "a comment", "kind": "okrs", "items": [{"#": "item", "id": "A", "title": text, "krs": [text]}]}
    written = emit(document)
    assert written.startswith("# a comment\nkind: okrs\nitems:\n  # item\n  - id: A\n")
    assert yaml.safe_load(written) == {"kind": "okrs", "items": [{"id": "A", "title": text, "krs": [text]}]}


def test_a_quarter_with_a_broken_document_is_not_carried(tmp_path):
    root = write(tmp_path, TEAM_A)
    (root / "extra.yaml").write_text("kind: backlog\nteam: a\nquarter: 2026-Q4\nitems: {}\n", encoding="utf-8")
    before = snapshot(root)
    result = run(str(root), "--team", "a", "--today", NEW_YEAR_EVE)
    assert result.exit_code == 2 and "a 2026-Q4 has documents with errors (extra.yaml)" in result.output
    assert snapshot(root) == before


def test_plan_after_next_points_to_the_drafted_quarter_when_its_first_sprint_starts_early(tmp_path):
    """The drafted S1 starts on 2026-12-28, inside 2026-Q4, whose sprints are all planned: plan says where to look."""
    root = copy_of("checkout", tmp_path)
    assert run(str(root), "--today", NEW_YEAR_EVE).exit_code == 0
    plan = ["plan", str(root), "--today", "2026-12-28"]
    refused = CliRunner().invoke(app, plan)
    assert refused.exit_code == 2
    assert "every sprint of checkout 2026-Q4 is planned; 2027-Q1 has open sprints: pass --quarter 2027-Q1" in (
        refused.output
    )
    proposed = CliRunner().invoke(app, [*plan, "--quarter", "2027-Q1", "--format", "json"])
    assert proposed.exit_code == 0, proposed.output
    assert '"sprint": "S1"' in proposed.stdout
