"""S001–S006: every structural problem, with the exact file, line and column it points at."""

from __future__ import annotations

from datetime import date

import pytest

from okrsprint.engine import open_plan
from tests.builders import ONE_KEY_RESULT, Q4_START, backlog, item, key_result, objective, okrs, sprint, sprints
from tests.helpers import check, codes, located

OKRS = ONE_KEY_RESULT

# Only structure rules: select a prefix no alignment rule has.
STRUCTURE_ONLY = {"select": ["S"]}


def structural(repo, files: dict[str, str], **options):
    return check(repo(files), **{**STRUCTURE_ONLY, **options})


def messages(result, code: str) -> list[str]:
    return [finding.message for finding in result.findings if finding.code == code]


# -- S001 yaml-syntax ----------------------------------------------------------


def test_s001_invalid_yaml_points_at_the_problem(repo):
    result = structural(repo, {"bad.yaml": "kind: okrs\nteam: [checkout\nquarter: 2026-Q4\n"})
    assert codes(result) == ["S001"]
    assert located(result)[0][:2] == ("S001", "bad.yaml")
    assert located(result)[0][2] >= 2


def test_s001_not_utf8_points_at_the_byte(repo):
    root = repo({})
    (root / "latin1.yaml").write_bytes(b"kind: okrs\nteam: caf\xe9\n")
    result = check(root, select=["S"])
    assert located(result) == [("S001", "latin1.yaml", 2, 10)]
    assert "0xe9" in result.findings[0].message


def test_s001_unknown_tag_is_refused_not_constructed(repo):
    text = OKRS.replace("baseline: 12", "baseline: !!python/object:os.system 12")
    result = structural(repo, {"o.yaml": text})
    assert located(result) == [("S001", "o.yaml", 10, 19)]
    assert "tag" in result.findings[0].message


def test_s001_in_one_file_does_not_stop_the_rest(repo):
    result = structural(repo, {"a.yaml": "kind: okrs\n  bad: [\n", "b.yaml": backlog(item("I1", ["KR9"]))})
    assert sorted(codes(result)) == ["S001", "S004"]


# -- S002 schema ---------------------------------------------------------------


def test_s002_missing_required_field_points_at_the_item(repo):
    text = OKRS.replace("        title: Onboarding conversion rate\n", "")
    result = structural(repo, {"o.yaml": text})
    assert located(result) == [("S002", "o.yaml", 8, 9)]
    assert messages(result, "S002") == ["missing required field 'title'"]


def test_s002_missing_top_level_field_points_at_the_document(repo):
    result = structural(repo, {"o.yaml": "kind: okrs\nteam: checkout\nobjectives: []\n"})
    assert located(result) == [("S002", "o.yaml", 1, 1)]
    assert "quarter" in result.findings[0].message


def test_s002_wrong_type_points_at_the_key(repo):
    result = structural(repo, {"o.yaml": OKRS.replace("baseline: 12", 'baseline: "12"')})
    assert located(result) == [("S002", "o.yaml", 10, 9)]
    assert "expected a number" in result.findings[0].message
    assert "without quotes" in result.findings[0].message


ITEM = "kind: backlog\nteam: checkout\nquarter: 2026-Q4\nitems:\n  - id: I1\n    title: x\n"
SPRINT = "kind: sprints\nteam: checkout\nquarter: 2026-Q4\nsprints:\n  - id: S1\n"
CHECKIN = OKRS + "        checkins:\n          - {date: 2026-10-09, value: 13, "


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (ITEM + "    status: [done]\n", "'status' must be todo, doing or done, not [done]"),
        (ITEM + "    status: yes\n", "'status' must be todo, doing or done, not true"),
        (ITEM + "    status: ~\n", "'status' must be todo, doing or done, not null"),
        (ITEM + "    rank: 2026-01-01\n", "'rank': expected a number, got a date 2026-01-01"),
        (ITEM + "    rank: 2026-01-01 10:30:00\n", "'rank': expected a number, got a date and time "
                                                  "2026-01-01T10:30:00"),
        (ITEM + "    rank: {a: [1, x]}\n", "'rank': expected a number, got a mapping {a: [1, x]}"),
        (ITEM + "    estimate: '12'\n", "'estimate': expected a number, got a string '12' "
                                         "(write numbers without quotes)"),
        (ITEM + "    estimate: ' 1.5e3'\n", "'estimate': expected a number, got a string ' 1.5e3' "
                                             "(YAML reads it as text: write 1500.0)"),
        (ITEM + "    estimate: twelve\n", "'estimate': expected a number, got a string 'twelve'"),
        (ITEM + "    estimate: nan\n", "'estimate': expected a number, got a string 'nan'"),
        (ITEM + "    krs: KR3\n", "'krs': expected a list, got a string: did you mean [KR3]?"),
        (ITEM + "    krs: KR3, KR4\n", "'krs': expected a list, got a string: did you mean [KR3, KR4]?"),
        (ITEM + "    krs: 3\n", "'krs': expected a list, got an integer"),
        (SPRINT + "    start: 2026-10-01 00:00:00\n    end: 2026-10-14\n",
         "'start': expected a date YYYY-MM-DD, got 2026-10-01T00:00:00"),
        (CHECKIN + "confidence: 60}\n", "'confidence': input should be less than or equal to 1, got 60; "
                                      "confidence is 0..1: did you mean 0.6?"),
        (CHECKIN + "confidence: 100}\n", "'confidence': input should be less than or equal to 1, got 100; "
                                       "confidence is 0..1: did you mean 1?"),
        (CHECKIN + "confidence: 101}\n", "'confidence': input should be less than or equal to 1, got 101"),
        (CHECKIN + "confidence: 1.5}\n", "'confidence': input should be less than or equal to 1, got 1.5"),
    ],
)  # fmt: skip
def test_s002_messages_show_values_as_written_with_a_hint_only_where_it_helps(repo, text, message):
    assert messages(structural(repo, {"f.yaml": text}), "S002") == [message]


def test_s002_unknown_field_suggests_the_close_one(repo):
    result = structural(repo, {"o.yaml": OKRS.replace("target: 20", "targt: 20")})
    assert ("S002", "o.yaml", 11, 9) in located(result)
    assert "unknown field 'targt': did you mean 'target'?" in messages(result, "S002")


@pytest.mark.parametrize("bad", ["2026-02-30", "2026-13-01", "tomorrow", "20261001"])
def test_s002_bad_date(repo, bad):
    text = (
        "kind: sprints\nteam: checkout\nquarter: 2026-Q4\nsprints:\n  - id: S1\n    start: "
        + bad
        + "\n    end: 2026-10-14\n"
    )
    result = structural(repo, {"s.yaml": text})
    assert located(result) == [("S002", "s.yaml", 6, 5)]
    assert "'start'" in result.findings[0].message


def test_s002_quoted_iso_date_is_a_date(repo):
    text = 'kind: sprints\nteam: checkout\nquarter: 2026-Q4\nsprints:\n  - id: S1\n    start: "2026-10-01"\n    end: 2026-10-14\n'
    assert codes(structural(repo, {"s.yaml": text})) == []


@pytest.mark.parametrize("bad_id", ["-O1", "O 1", "Ö1", "_x"])
def test_s002_bad_id(repo, bad_id):
    result = structural(repo, {"o.yaml": OKRS.replace("id: O1", f'id: "{bad_id}"')})
    assert located(result) == [("S002", "o.yaml", 5, 5)]
    assert "'id': bad value" in result.findings[0].message


@pytest.mark.parametrize("bad_quarter", ["2026-Q5", "2026Q4", "Q4-2026", "26-Q1"])
def test_s002_bad_quarter(repo, bad_quarter):
    result = structural(repo, {"o.yaml": OKRS.replace("quarter: 2026-Q4", f"quarter: {bad_quarter}")})
    assert located(result) == [("S002", "o.yaml", 3, 1)]
    assert "YYYY-Qn" in result.findings[0].message


@pytest.mark.parametrize("bad_team", ["Checkout", "check out", "-checkout", "chéckout"])
def test_s002_bad_team_slug(repo, bad_team):
    result = structural(repo, {"o.yaml": OKRS.replace("team: checkout", f'team: "{bad_team}"')})
    assert located(result) == [("S002", "o.yaml", 2, 1)]
    assert "slug" in result.findings[0].message


def test_s002_missing_team_without_config_default(repo):
    result = structural(repo, {"o.yaml": OKRS.replace("team: checkout\n", "")})
    assert located(result) == [("S002", "o.yaml", 1, 1)]
    assert "team" in result.findings[0].message
    assert result.findings[0].team is None


def test_config_default_team_is_used(repo):
    root = repo(
        {
            "okrsprint.yaml": "team: checkout\n",
            "o.yaml": okrs(objective(), team=None),
            "b.yaml": backlog(item("I1", ["KR1"]), team=None),
            "s.yaml": sprints(sprint("S1", Q4_START), team="search"),
        }
    )
    result = check(root, select=["S"])
    # The backlog without a team joined checkout's plan (KR1 resolves); the sprint of
    # team search, which names its own team, does not see checkout's KR1.
    assert located(result) == [("S004", "s.yaml", 10, 5)]
    assert result.findings[0].message.startswith("unknown key result 'KR1' in search 2026-Q4")


def test_document_team_wins_over_config_default(repo):
    root = repo({"okrsprint.yaml": "team: checkout\n", "o.yaml": okrs(objective(), team="search")})
    result = check(root, select=["A501"])
    assert result.findings == []
    assert set(open_plan(root).team_quarters) == {("search", "2026-Q4")}


def test_s002_every_error_of_a_document_is_reported(repo):
    text = OKRS.replace("baseline: 12", "baseline: twelve").replace("target: 20", "targit: 20")
    result = structural(repo, {"o.yaml": text})
    assert located(result) == [("S002", "o.yaml", 10, 9), ("S002", "o.yaml", 11, 9)]


def test_s002_document_is_left_out_of_the_alignment_rules(repo):
    text = OKRS.replace("baseline: 12", 'baseline: "12"').replace(
        "      - id: KR1", "      - id: KR1\n        owner: x"
    )
    result = check(repo({"o.yaml": text}), select=["A"])
    assert set(codes(result)) == {"S002"}


# -- S003 duplicate-id ---------------------------------------------------------


def test_s003_duplicate_objective(repo):
    result = structural(repo, {"o.yaml": okrs(objective("O1"), objective("O1", key_result("KR2")))})
    assert located(result) == [("S003", "o.yaml", 13, 3)]
    assert "duplicate objective id 'O1' in checkout 2026-Q4 (first at o.yaml:5)" in messages(result, "S003")


def test_s003_duplicate_key_result_across_objectives(repo):
    result = structural(repo, {"o.yaml": okrs(objective("O1"), objective("O2"))})
    assert located(result) == [("S003", "o.yaml", 17, 5)]
    assert messages(result, "S003")[0].startswith("duplicate key result id 'KR1'")


def test_s003_duplicate_item(repo):
    result = structural(repo, {"b.yaml": backlog(item("I1"), item("I1"))})
    assert located(result) == [("S003", "b.yaml", 9, 3)]


def test_s003_duplicate_sprint(repo):
    late = Q4_START.replace(month=11)
    result = structural(repo, {"s.yaml": sprints(sprint("S1", Q4_START), sprint("S1", late))})
    assert ("S003", "s.yaml", 11, 3) in located(result)


def test_s003_duplicate_across_two_files_of_one_team_quarter(repo):
    result = structural(
        repo,
        {"a.yaml": backlog(item("I1")), "b.yaml": backlog(item("I2"), item("I1"))},
    )
    assert located(result) == [("S003", "b.yaml", 9, 3)]
    assert "first at a.yaml:5" in result.findings[0].message


def test_same_id_in_other_team_or_quarter_is_fine(repo):
    result = structural(
        repo,
        {
            "a.yaml": backlog(item("I1")),
            "b.yaml": backlog(item("I1"), team="search"),
            "c.yaml": backlog(item("I1"), quarter="2027-Q1"),
        },
    )
    assert result.findings == []


def test_s003_duplicate_mapping_key(repo):
    text = OKRS.replace("        target: 20\n", "        target: 20\n        target: 30\n")
    result = structural(repo, {"o.yaml": text})
    assert located(result) == [("S003", "o.yaml", 12, 9)]
    assert result.findings[0].message == "duplicate key 'target' (first at line 11)"


# -- S004 unknown-reference ----------------------------------------------------


def test_s004_unknown_local_key_result_with_suggestion(repo):
    result = structural(repo, {"o.yaml": OKRS, "b.yaml": backlog(item("I1", ["KR1", "KR2"]))})
    assert located(result) == [("S004", "b.yaml", 9, 5)]
    assert result.findings[0].message == "unknown key result 'KR2' in checkout 2026-Q4: did you mean 'KR1'?"


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("kr1", "unknown key result 'kr1' in checkout 2026-Q4: did you mean 'KR1'?"),
        ("KR7", "unknown key result 'KR7' in checkout 2026-Q4: did you mean 'search:KR7'?"),
        ("chekout:KR1", "unknown key result 'chekout:KR1': team chekout has no plan for 2026-Q4: "
                        "did you mean 'checkout:KR1'?"),
        ("search:kr7", "unknown key result 'search:kr7' in search 2026-Q4: did you mean 'search:KR7'?"),
        ("KR2", "unknown key result 'KR2' in checkout 2026-Q4: did you mean 'KR1'?"),
    ],
)  # fmt: skip
def test_s004_did_you_mean_a_case_a_team_or_another_teams_key_result(repo, reference, message):
    files = {
        "o.yaml": OKRS,
        "search.yaml": okrs(objective("O1", key_result("KR7"), key_result("KR8")), team="search"),
        "b.yaml": backlog(item("I1", [reference])),
    }
    assert messages(structural(repo, files), "S004") == [message]


def test_s004_cross_team_key_result(repo):
    files = {
        "o.yaml": OKRS,
        "company.yaml": okrs(objective("O1", key_result("KR7")), team="company"),
        "b.yaml": backlog(item("I1", ["company:KR7", "company:KR1"])),
    }
    result = structural(repo, files)
    assert located(result) == [("S004", "b.yaml", 9, 5)]
    assert "company:KR1" in result.findings[0].message


def test_s004_cross_team_reference_to_other_quarter_does_not_resolve(repo):
    files = {
        "company.yaml": okrs(objective("O1", key_result("KR7")), team="company", quarter="2027-Q1"),
        "b.yaml": backlog(item("I1", ["company:KR7"])),
    }
    result = structural(repo, files)
    assert located(result) == [("S004", "b.yaml", 8, 5)]
    assert result.findings[0].message == "unknown key result 'company:KR7': team company has no plan for 2026-Q4"


def test_s004_unknown_team(repo):
    result = structural(repo, {"o.yaml": OKRS, "b.yaml": backlog(item("I1", ["nobody:KR1"]))})
    assert located(result) == [("S004", "b.yaml", 8, 5)]
    assert "team nobody has no plan" in result.findings[0].message


def test_s004_sprint_key_result_and_items(repo):
    files = {
        "o.yaml": OKRS,
        "b.yaml": backlog(item("I1")),
        "s.yaml": sprints(sprint("S1", Q4_START, krs=["KR3"], items=["I1", "I2"])),
    }
    result = structural(repo, files)
    assert located(result) == [("S004", "s.yaml", 10, 5), ("S004", "s.yaml", 13, 5)]
    assert "sprint S1 commits unknown backlog item 'I2': did you mean 'I1'?" in messages(result, "S004")


def test_s004_aligns_to(repo):
    files = {
        "company.yaml": okrs(objective("O1", key_result("KR7")), team="company"),
        "o.yaml": okrs(
            objective("O1", aligns_to="company:O2"), objective("O2", key_result("KR2"), aligns_to="company:O1")
        ),
    }
    result = structural(repo, files)
    assert located(result) == [("S004", "o.yaml", 8, 14)]
    assert (
        result.findings[0].message
        == "aligns_to company:O2 does not resolve: company has no objective or key result O2 in 2026-Q4: "
        "did you mean 'company:O1'?"
    )


def test_s004_aligns_to_list_names_each_unresolved_reference(repo):
    files = {
        "company.yaml": okrs(objective("O1", key_result("KR7")), team="company"),
        "search.yaml": okrs(objective("O3", key_result("KR3")), team="search"),
        "o.yaml": okrs(objective("O1", key_result("KR1"), aligns_to=["company:KR7", "company:O3", "compny:O1"])),
    }
    assert messages(structural(repo, files), "S004") == [
        "aligns_to company:O3 does not resolve: company has no objective or key result O3 in 2026-Q4: "
        "did you mean 'search:O3'?",
        "aligns_to compny:O1 does not resolve: team compny has no objectives in 2026-Q4: did you mean 'company:O1'?",
    ]


def test_s004_alignment_cycle_between_two_teams_is_reported_once(repo):
    files = {
        "search.yaml": okrs(objective("O1", key_result("KR3"), aligns_to="web:KR1"), team="search"),
        "web.yaml": okrs(objective("O1", key_result("KR1"), aligns_to=["search:O1"]), team="web"),
    }
    result = structural(repo, files)
    assert messages(result, "S004") == [
        "aligns_to search:O1 closes a cycle of alignments (search:O1 → web:O1 → search:O1): an objective cannot "
        "roll up into itself; remove one of these links"
    ]


def test_s004_aligns_to_team_without_plan(repo):
    result = structural(repo, {"o.yaml": okrs(objective("O1", aligns_to="company:O1"))})
    assert located(result) == [("S004", "o.yaml", 8, 14)]
    assert "team company has no objectives in 2026-Q4" in result.findings[0].message


def test_s004_silent_when_target_document_is_broken(repo):
    broken = OKRS.replace("baseline: 12", 'baseline: "12"')
    result = structural(repo, {"o.yaml": broken, "b.yaml": backlog(item("I1", ["KR1"]))})
    assert codes(result) == ["S002"]


# -- S005 bad-dates ------------------------------------------------------------

SPRINT = """\
kind: sprints
team: checkout
quarter: {quarter}
sprints:
  - id: S1
    start: {start}
    end: {end}
    krs: []
"""


def sprint_file(start: str, end: str, quarter: str = "2026-Q4") -> str:
    return SPRINT.format(start=start, end=end, quarter=quarter)


def test_s005_end_before_start_points_at_end(repo):
    result = structural(repo, {"s.yaml": sprint_file("2026-10-14", "2026-10-13")})
    assert located(result) == [("S005", "s.yaml", 7, 5)]
    assert result.findings[0].message == "sprint S1 ends (2026-10-13) before it starts (2026-10-14)"


def test_s005_start_after_quarter_end(repo):
    result = structural(repo, {"s.yaml": sprint_file("2027-01-01", "2027-01-14")})
    assert located(result) == [("S005", "s.yaml", 6, 5)]
    assert "after 2026-Q4 ends (2026-12-31)" in result.findings[0].message


def test_s005_start_on_quarter_end_is_fine(repo):
    assert structural(repo, {"s.yaml": sprint_file("2026-12-31", "2027-01-13")}).findings == []


def test_s005_seven_days_before_quarter_start_fires(repo):
    result = structural(repo, {"s.yaml": sprint_file("2026-09-24", "2026-10-07")})
    assert located(result) == [("S005", "s.yaml", 6, 5)]
    assert "more than 6 days before 2026-Q4 begins (2026-10-01)" in result.findings[0].message


def test_s005_six_days_before_quarter_start_passes(repo):
    assert structural(repo, {"s.yaml": sprint_file("2026-09-25", "2026-10-08")}).findings == []


def overlapping(team_b: str = "checkout", quarter_b: str = "2026-Q4", start_b: str = "2026-10-14") -> dict[str, str]:
    second = SPRINT.replace("team: checkout", f"team: {team_b}").replace("S1", "S2")
    return {
        "a.yaml": sprint_file("2026-10-01", "2026-10-14"),
        "b.yaml": second.format(start=start_b, end="2026-10-27", quarter=quarter_b),
    }


def test_s005_overlap_within_a_quarter(repo):
    result = structural(repo, {**overlapping()})
    assert located(result) == [("S005", "b.yaml", 6, 5)]
    assert (
        result.findings[0].message
        == "sprint S2 (2026-10-14..2026-10-27) overlaps sprint S1 (2026-10-01..2026-10-14, a.yaml:5)"
    )


def test_s005_back_to_back_sprints_do_not_overlap(repo):
    assert structural(repo, overlapping(start_b="2026-10-15")).findings == []


def test_s005_overlap_across_quarters_of_one_team(repo):
    files = {
        "a.yaml": sprint_file("2026-12-21", "2027-01-03"),
        "b.yaml": sprint_file("2027-01-01", "2027-01-14", quarter="2027-Q1").replace("S1", "S2"),
    }
    result = structural(repo, files)
    assert located(result) == [("S005", "b.yaml", 6, 5)]


def test_s005_no_overlap_across_teams(repo):
    assert structural(repo, overlapping(team_b="search")).findings == []


def test_s005_overlap_by_a_sprint_contained_in_a_long_one(repo):
    files = {
        "a.yaml": sprint_file("2026-10-01", "2026-10-28"),
        "b.yaml": sprints(
            sprint("S2", date(2026, 10, 5), 5, krs=[]),
            sprint("S3", date(2026, 10, 12), 5, krs=[]),
        ),
    }
    result = structural(repo, files)
    assert [finding.message.split(" overlaps ")[1][:9] for finding in result.findings] == ["sprint S1", "sprint S1"]


# -- S006 unknown-kind ---------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "meant"), [("okr", "okrs"), ("sprint", "sprints"), ("Backlog", "backlog"), ("okrz", "okrs")]
)
def test_s006_near_miss_kind(repo, kind, meant):
    result = structural(repo, {"x.yaml": f"team: checkout\nkind: {kind}\nquarter: 2026-Q4\n"})
    assert located(result) == [("S006", "x.yaml", 2, 7)]
    assert result.findings[0].message == f"unknown kind '{kind}': did you mean '{meant}'?"


@pytest.mark.parametrize(
    "text", ["kind: Deployment\nmetadata: {name: x}\n", "name: ci\non: push\n", "- a\n- b\n", "just text\n", ""]
)
def test_foreign_documents_are_skipped_silently(repo, text):
    result = structural(repo, {"x.yaml": text})
    assert result.findings == []
    assert result.documents == 0
    assert result.files == 1


# -- multi-document files --------------------------------------------------------


def test_multi_document_file_locates_each_document(repo):
    text = OKRS + "---\nkind: Deployment\n---\n" + backlog(item("I1", ["KR9"])) + "---\nkind: sprint\n"
    result = structural(repo, {"all.yaml": text})
    assert located(result) == [("S004", "all.yaml", 22, 5), ("S006", "all.yaml", 25, 7)]
    assert result.documents == 2


def test_multi_document_file_with_a_broken_document_keeps_the_others(repo):
    text = OKRS.replace("target: 20", "target: twenty") + "---\n" + backlog(item("I1", ["KR1"]), team="search")
    result = structural(repo, {"all.yaml": text})
    assert located(result) == [("S002", "all.yaml", 11, 9), ("S004", "all.yaml", 20, 5)]


# -- quarters shifted by year_start_month -----------------------------------------


@pytest.mark.parametrize(
    ("quarter", "inside", "too_late"),
    [("2026-Q1", "2026-06-30", "2026-07-01"), ("2026-Q4", "2027-03-31", "2027-04-01")],
)
def test_s005_uses_year_start_month(repo, quarter, inside, too_late):
    config = {"okrsprint.yaml": "year_start_month: 4\n"}
    fine = structural(repo, {**config, "s.yaml": sprint_file(inside, inside, quarter)})
    assert fine.findings == []
    late = structural(repo, {**config, "s.yaml": sprint_file(too_late, too_late, quarter)})
    assert codes(late) == ["S005"]
