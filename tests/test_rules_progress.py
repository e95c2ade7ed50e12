"""A401–A404: key results that are worked on, checked in, on track and actually moved."""

from __future__ import annotations

import shlex
from datetime import date

import pytest
from typer.testing import CliRunner

from okrsprint.cli import app
from tests.builders import Q4_START, backlog, item, key_result, objective, okrs, sprint, sprints, team_plan
from tests.helpers import check, codes, located


def run(repo, code: str, files: dict[str, str], **options):
    return check(repo(files), select=[code], **options)


# -- A401 orphan-key-result ------------------------------------------------------------


def two_krs(items=(), sprint_list=None) -> dict[str, str]:
    return team_plan([objective("O1", key_result("KR1"), key_result("KR2"))], list(items), sprint_list)


def test_a401_key_result_nothing_references(repo):
    result = run(repo, "A401", two_krs([item("I1", ["KR1"])]))
    assert located(result) == [("A401", "okrs.yaml", 13, 5)]
    assert result.findings[0].message.startswith("no backlog item or sprint drives key result KR2")


def test_a401_referenced_by_item_or_sprint(repo):
    files = two_krs([item("I1", ["KR1"])], [sprint("S1", Q4_START, krs=["KR2"])])
    assert run(repo, "A401", files).findings == []


def test_a401_referenced_by_another_team(repo):
    files = two_krs([item("I1", ["KR1"])])
    files["search.yaml"] = backlog(item("S-1", ["checkout:KR2"]), team="search")
    assert run(repo, "A401", files).findings == []


def test_a401_reference_from_another_quarter_does_not_count(repo):
    files = two_krs([item("I1", ["KR1"])])
    files["next.yaml"] = backlog(item("I1", ["checkout:KR2"]), quarter="2027-Q1")
    # The reference itself does not resolve (S004), and KR2 of 2026-Q4 stays an orphan.
    assert codes(run(repo, "A401", files)) == ["S004", "A401"]


def company(config: str = "company_team: company\n") -> dict[str, str]:
    files = {
        "company.yaml": okrs(objective("O1", key_result("KR7")), team="company"),
        **team_plan([objective("O1", aligns_to="company:O1")], [item("I1", ["KR1"])]),
    }
    if config:
        files["okrsprint.yaml"] = config
    return files


def test_a401_company_key_results_are_exempt(repo):
    assert run(repo, "A401", company()).findings == []


def test_a401_company_key_results_without_company_team_are_not_exempt(repo):
    assert located(run(repo, "A401", company(config=""))) == [("A401", "company.yaml", 9, 5)]


# -- A402 stale-checkin -------------------------------------------------------------------


def checked_in(*days: str) -> dict[str, str]:
    checkins = [{"date": date.fromisoformat(day), "value": 13} for day in days]
    return team_plan([objective("O1", key_result("KR1", checkins=checkins or None))])


def test_a402_exactly_fourteen_days_passes(repo):
    assert run(repo, "A402", checked_in("2026-10-20", "2026-11-09"), today=date(2026, 11, 23)).findings == []


def test_a402_fifteen_days_fires_at_the_checkins(repo):
    result = run(repo, "A402", checked_in("2026-11-08", "2026-10-20"), today=date(2026, 11, 23))
    assert located(result) == [("A402", "okrs.yaml", 13, 5)]
    assert result.findings[0].message.startswith("key result KR1: last check-in 2026-11-08, 15 days ago")


def test_a402_latest_is_by_date_not_file_order(repo):
    assert run(repo, "A402", checked_in("2026-11-20", "2026-10-02"), today=date(2026, 11, 23)).findings == []


@pytest.mark.parametrize(("today", "fires"), [(date(2026, 10, 15), False), (date(2026, 10, 16), True)])
def test_a402_without_checkins_counts_from_quarter_start(repo, today, fires):
    result = run(repo, "A402", checked_in(), today=today)
    if fires:
        assert located(result) == [("A402", "okrs.yaml", 9, 5)]
        assert "no check-in since the quarter began (2026-10-01), 15 days ago" in result.findings[0].message
    else:
        assert result.findings == []


@pytest.mark.parametrize("today", [date(2026, 9, 30), date(2027, 1, 1), date(2030, 6, 1)])
def test_a402_today_outside_the_quarter_is_quiet(repo, today):
    assert run(repo, "A402", checked_in(), today=today).findings == []


def test_a402_interval_setting(repo):
    files = {**checked_in("2026-11-16"), "okrsprint.yaml": "settings: {checkin_interval_days: 6}\n"}
    assert codes(run(repo, "A402", files, today=date(2026, 11, 23))) == ["A402"]


@pytest.mark.parametrize("where", ["above the root", "elsewhere"])
def test_a402_hint_is_a_checkin_command_that_works_as_printed(tmp_path, monkeypatch, where):
    root = tmp_path / "plans dir"
    files = {**checked_in("2026-11-08"), "search.yaml": okrs(objective("O1", key_result("KR1")), team="search")}
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(tmp_path if where == "above the root" else elsewhere)
    finding = next(f for f in check(root, select=["A402"], today=date(2026, 11, 23)).findings if f.location.line == 13)
    shown = "'plans dir'" if where == "above the root" else shlex.quote(str(root.resolve()))
    command = f"okrsprint checkin checkout:KR1 --value … --quarter 2026-Q4 {shown}"
    assert finding.message.endswith(f"check in at least every 14 days ({command})")
    typed = shlex.split(command.replace("…", "14.5"))
    result = CliRunner().invoke(app, [*typed[1:], "--date", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("checkout:KR1 2026-Q4: 13 → 14.5 on 2026-11-23 (okrs.yaml:")


# -- A403 key-result-behind ------------------------------------------------------------------

# 2026-11-15 is day 46 of the 92 days of 2026-Q4: elapsed = 1/2, and with tolerance 0.25
# a key result is behind below progress 1/4.
HALFWAY = date(2026, 11, 15)


def progress_at(current: float, baseline: float = 0, target: float = 100) -> dict[str, str]:
    return team_plan([objective("O1", key_result("KR1", baseline=baseline, target=target, current=current))])


@pytest.mark.parametrize(("current", "fires"), [(25, False), (24.9, True), (0, True), (100, False)])
def test_a403_boundary(repo, current, fires):
    result = run(repo, "A403", progress_at(current), today=HALFWAY)
    assert codes(result) == (["A403"] if fires else [])


def test_a403_decreasing_metric(repo):
    # 800 ms → 400 ms: at 700 ms a quarter of the way, on the edge; at 720 ms behind.
    assert run(repo, "A403", progress_at(700, 800, 400), today=HALFWAY).findings == []
    result = run(repo, "A403", progress_at(720, 800, 400), today=HALFWAY)
    assert located(result) == [("A403", "okrs.yaml", 9, 5)]
    assert (
        result.findings[0].message
        == "key result KR1 is at 20% progress with 50% of 2026-Q4 gone (behind_tolerance 0.25)"
    )


def test_a403_uses_the_latest_checkin_over_current(repo):
    files = team_plan([objective("O1", key_result("KR1", baseline=0, target=100, current=90,
                                                       checkins=[{"date": date(2026, 11, 1), "value": 10}]))])  # fmt: skip
    assert codes(run(repo, "A403", files, today=HALFWAY)) == ["A403"]


@pytest.mark.parametrize("today", [date(2026, 9, 30), date(2027, 1, 1)])
def test_a403_today_outside_the_quarter_is_quiet(repo, today):
    assert run(repo, "A403", progress_at(0), today=today).findings == []


def test_a403_tolerance_setting(repo):
    files = {**progress_at(24), "okrsprint.yaml": "settings: {behind_tolerance: 0.5}\n"}
    assert run(repo, "A403", files, today=HALFWAY).findings == []


# -- A404 output-without-outcome -----------------------------------------------------------------

# Sprint S1 runs 2026-10-01..2026-10-14; with the default lag of 14 days its outcome
# shows by 2026-10-28: compared are the values on 2026-09-30 and on 2026-10-28.
AFTER_LAG = date(2026, 10, 28)


def delivered(
    checkins: list[tuple[str, float]], baseline=12, target=20, statuses=("done", "done"), **kr
) -> dict[str, str]:
    key = key_result("KR1", baseline=baseline, target=target,
                     checkins=[{"date": date.fromisoformat(d), "value": v} for d, v in checkins] or None, **kr)  # fmt: skip
    items = [item(f"I{n}", ["KR1"], 3, status) for n, status in enumerate(statuses)]
    sprint_list = [sprint("S1", Q4_START, items=[f"I{n}" for n in range(len(statuses))])]
    return team_plan([objective("O1", key)], items, sprint_list)


def test_a404_nothing_moved_fires(repo):
    result = run(repo, "A404", delivered([("2026-10-20", 12)]), today=AFTER_LAG)
    assert located(result) == [("A404", "sprints.yaml", 5, 3)]
    assert result.findings[0].message.startswith(
        "sprint S1 delivered all 2 items but none of KR1 moved toward its target by 2026-10-28"
    )


def test_a404_moved_toward_target_is_quiet(repo):
    assert run(repo, "A404", delivered([("2026-10-20", 13)]), today=AFTER_LAG).findings == []


def test_a404_decreasing_metric(repo):
    assert run(repo, "A404", delivered([("2026-10-20", 19)], baseline=20, target=12), today=AFTER_LAG).findings == []
    assert codes(run(repo, "A404", delivered([("2026-10-20", 21)], baseline=20, target=12), today=AFTER_LAG)) == [
        "A404"
    ]


def test_a404_compares_with_the_value_the_day_before_start(repo):
    # 15 on 2026-09-30 (before the sprint), still 15 after: no move, although above baseline.
    assert codes(run(repo, "A404", delivered([("2026-09-30", 15), ("2026-10-27", 15)]), today=AFTER_LAG)) == ["A404"]


def test_a404_a_move_after_the_lag_does_not_count(repo):
    assert codes(run(repo, "A404", delivered([("2026-10-29", 19)]), today=date(2026, 11, 5))) == ["A404"]


def test_a404_a_move_on_the_last_day_of_the_lag_counts(repo):
    assert run(repo, "A404", delivered([("2026-10-28", 13)]), today=date(2026, 11, 5)).findings == []


def test_a404_not_all_items_done_is_quiet(repo):
    assert run(repo, "A404", delivered([], statuses=("done", "doing")), today=AFTER_LAG).findings == []


def test_a404_before_end_plus_lag_is_quiet(repo):
    assert run(repo, "A404", delivered([]), today=date(2026, 10, 27)).findings == []
    assert codes(run(repo, "A404", delivered([]), today=AFTER_LAG)) == ["A404"]


def test_a404_unlinked_sprint_is_quiet(repo):
    files = delivered([])
    files["sprints.yaml"] = sprints(sprint("S1", Q4_START, krs=[], items=["I0", "I1"]))
    assert run(repo, "A404", files, today=AFTER_LAG).findings == []


def test_a404_lag_setting(repo):
    files = {**delivered([]), "okrsprint.yaml": "settings: {outcome_lag_days: 0}\n"}
    assert codes(run(repo, "A404", files, today=date(2026, 10, 14))) == ["A404"]
    assert run(repo, "A404", files, today=date(2026, 10, 13)).findings == []
