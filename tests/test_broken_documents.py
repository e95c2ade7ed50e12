"""SPEC §2 "One broken document, one finding": a document with S001, S002 or S006 still belongs to the
team-quarter its text names, that team-quarter is left out of the alignment rules and references into it
are not reported; an S001 for an indentation error names the line to look at."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from okrsprint.cli import app
from okrsprint.engine import open_plan
from okrsprint.plan import BrokenDocument
from tests.builders import Q4_START, backlog, item, objective, okrs, sprint, sprints
from tests.helpers import EXAMPLES, check, codes, copy_plan, located

OKRS = """\
kind: okrs
team: web
quarter: 2026-Q4
objectives:
  - id: O1
    title: Fast pages
    owner: ana
    key_results:
      - id: KR1
        title: p95 latency in ms
        baseline: 1800
        target: 900
      - id: KR2
        title: p50 latency in ms
        baseline: 400
        target: 200
"""
# line 12 is KR1's target, line 13 KR2's id
KEY_TOO_FAR = OKRS.replace("        target: 900", "         target: 900")
ITEM_OUTDENTED = OKRS.replace("      - id: KR2", "     - id: KR2")
TAB = OKRS.replace("        target: 900", "\ttarget: 900")
BACKLOG = backlog(item("W-1", ["KR1"], 3), team="web")


def invoke(*args: object):
    return CliRunner().invoke(app, [str(arg) for arg in args])


def teams_and_quarters(result, code: str) -> list[tuple[str | None, str | None]]:
    return [(f.team, f.quarter) for f in result.findings if f.code == code]


# -- the team-quarter of a broken document ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (OKRS.replace("objectives:", "objectives: ["), "S001"),
        (OKRS.replace("kind: okrs", "kind: okr"), "S006"),
        (OKRS.replace("baseline: 1800", 'baseline: "1800"'), "S002"),
        (OKRS.replace("title: Fast pages", "title: !!python/name:os.system"), "S001"),
        (OKRS.replace("    owner: ana", "    owner: &who ana\n    x-lead: *who"), "S002"),
    ],
    ids=["syntax", "kind", "schema", "tag", "alias"],
)
def test_a_broken_document_yields_its_own_finding_and_nothing_else(repo, text, code):
    root = repo({"okrs.yaml": text, "backlog.yaml": BACKLOG})
    result = check(root)
    assert codes(result) == [code]
    assert teams_and_quarters(result, code) == [("web", "2026-Q4")]
    (broken,) = open_plan(root).broken
    assert broken == BrokenDocument("okrs.yaml", "web", "2026-Q4")


def test_without_the_typo_the_same_repo_has_findings(repo):
    """The counterpart of the test above: the backlog's reference and the alignment rules do run."""
    result = check(repo({"okrs.yaml": OKRS, "backlog.yaml": backlog(item("W-1", ["KR9"], 3), team="web")}))
    assert "S004" in codes(result) and "A401" in codes(result)


def test_the_team_and_quarter_lines_are_read_without_yaml(repo):
    text = "# web's plan\nkind: okrs\nteam: 'web'   # the team\nquarter: \"2026-Q4\"\nobjectives: [\n"
    result = check(repo({"okrs.yaml": text, "backlog.yaml": BACKLOG}))
    assert located(result) == [("S001", "okrs.yaml", 6, 1)]
    assert teams_and_quarters(result, "S001") == [("web", "2026-Q4")]


def test_indented_team_and_quarter_lines_do_not_count(repo):
    text = "kind: okrs\nobjectives: [\n  team: web\n  quarter: 2026-Q4\n"
    root = repo({"okrs.yaml": text})
    assert teams_and_quarters(check(root), "S001") == [(None, None)]


def test_a_missing_team_falls_back_on_the_config_and_a_missing_quarter_on_the_path(repo):
    text = "kind: okrs\nobjectives: [\n"
    root = repo({"okrsprint.yaml": "team: web\n", "plans/2026-Q4/okrs.yaml": text, "backlog.yaml": BACKLOG})
    result = check(root)
    assert codes(result) == ["S001"]
    assert teams_and_quarters(result, "S001") == [("web", "2026-Q4")]


def test_each_fallback_applies_on_its_own(repo):
    """The text's own quarter wins over the path's; the team still comes from the config."""
    text = "kind: okrs\nquarter: 2027-Q1\nobjectives: [\n"
    root = repo({"okrsprint.yaml": "team: web\n", "2026-Q4/okrs.yaml": text})
    assert teams_and_quarters(check(root), "S001") == [("web", "2027-Q1")]


def test_documents_after_a_syntax_error_are_unread_and_their_team_quarter_is_left_out(repo):
    """libyaml stops at the error: the backlog after the broken okrs document is never read."""
    text = OKRS.replace("objectives:", "objectives: [") + "---\n" + backlog(item("S-1", ["KR1"], 3), team="search")
    sprint_file = sprints(sprint("S1", Q4_START, items=["S-1"], krs=["web:KR1"]), team="search")
    root = repo({"all.yaml": text, "sprints.yaml": sprint_file})
    result = check(root)
    assert codes(result) == ["S001"]
    assert open_plan(root).broken == [
        BrokenDocument("all.yaml", "web", "2026-Q4"),
        BrokenDocument("all.yaml", "search", "2026-Q4"),
    ]


def test_another_tools_broken_document_is_not_a_plan_document(repo):
    """An S001 is reported, but a document whose kind is another tool's leaves every team-quarter complete."""
    root = repo({"deploy.yaml": "kind: Deployment\nspec: [\n", "backlog.yaml": backlog(item("W-1", ["KR9"]))})
    result = check(root, select=["S"])
    assert codes(result) == ["S004", "S001"]
    assert "broken" not in result.findings[0].message
    assert open_plan(root).broken == []


# -- left out of every alignment rule -----------------------------------------------------------


def test_a_team_quarter_with_a_broken_document_is_left_out_of_the_alignment_rules(repo):
    no_goal = sprints(sprint("S1", Q4_START, goal=None), team="web")
    root = repo(
        {
            "web/okrs.yaml": OKRS.replace("objectives:", "objectives: ["),
            "web/sprints.yaml": no_goal,
            "search/sprints.yaml": no_goal.replace("team: web", "team: search"),
        }
    )
    result = check(root)
    assert [(f.code, f.team) for f in result.findings if f.code != "S004"] == [
        ("A202", "search"),
        ("S001", "web"),
    ]


def test_structure_rules_still_run_on_the_team_quarters_valid_documents(repo):
    reversed_dates = sprints(sprint("S1", Q4_START, days=-3), team="web")
    root = repo({"okrs.yaml": OKRS.replace("kind: okrs", "kind: okr"), "sprints.yaml": reversed_dates})
    assert codes(check(root)) == ["S006", "S005"]


def test_a_key_result_another_teams_broken_backlog_may_drive_is_not_an_orphan(repo):
    broken_backlog = backlog(item("S-1", ["web:KR1", "web:KR2"]), team="search").replace("items:", "items: [")
    root = repo({"okrs.yaml": OKRS, "search.yaml": broken_backlog})
    result = check(root, select=["A401"])
    assert codes(result) == ["S001"]
    elsewhere = check(repo({"search.yaml": broken_backlog.replace("2026-Q4", "2027-Q1")}), select=["A401"])
    assert codes(elsewhere) == ["A401", "A401", "S001"]  # another quarter's broken backlog cannot drive them


# -- a team or quarter that cannot be told ----------------------------------------------------


def test_references_are_reported_naming_a_broken_file_of_unknown_team_quarter(repo):
    root = repo({"okrs.yaml": "kind: okrs\nobjectives: [\n", "backlog.yaml": backlog(item("I1", ["KR9"]))})
    result = check(root)
    assert located(result) == [("S004", "backlog.yaml", 8, 5), ("S001", "okrs.yaml", 3, 1)]
    assert result.findings[0].message.endswith("(the broken file okrs.yaml may hold it)")


def test_a_broken_file_of_another_quarter_is_not_named(repo):
    other = "kind: okrs\nquarter: 2027-Q1\nobjectives: [\n"
    root = repo({"okrs.yaml": other, "backlog.yaml": backlog(item("I1", ["KR9"]))})
    message = check(root).findings[0].message
    assert message.startswith("unknown key result 'KR9'") and "broken" not in message


def test_sprint_items_and_aligns_to_name_the_broken_file_too(repo):
    root = repo(
        {
            "a.yaml": "kind: backlog\nquarter: 2026-Q4\nitems: [\n",
            "s.yaml": sprints(sprint("S1", Q4_START, krs=[], items=["X-1"])),
            "o.yaml": okrs(objective(aligns_to="company:O1"), team="web"),
        }
    )
    s004 = [f.message for f in check(root).findings if f.code == "S004"]
    assert len(s004) == 2 and all(message.endswith("(the broken file a.yaml may hold it)") for message in s004)


# -- the multi-team example with one indentation typo ------------------------------------------


def test_one_typo_in_the_multi_team_example_is_one_finding(tmp_path):
    root = tmp_path / "multi-team"
    copy_plan(EXAMPLES / "multi-team", root)
    path = root / "checkout" / "2026-Q4.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('unit: "%"\n        baseline: 20', 'unit: "%"\n         baseline: 20'), "utf-8")
    result = check(root)
    assert located(result) == [("S001", "checkout/2026-Q4.yaml", 42, 10)]
    assert result.findings[0].message.endswith("check the indentation of line 42")
    assert teams_and_quarters(result, "S001") == [("checkout", "2026-Q4")]


# -- S001 names the line whose indentation to check -------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (KEY_TOO_FAR, 12),
        (OKRS.replace("        target: 900", "       target: 900"), 12),
        (ITEM_OUTDENTED, 13),
        (OKRS.replace("      - id: KR2", "       - id: KR2"), 13),
        (OKRS.replace("  - id: O1", "   - id: O1"), 5),  # the error shows on line 6: the line before is wrong
        (OKRS.replace("quarter: 2026-Q4", " quarter: 2026-Q4"), 3),
    ],
    ids=["key-too-far", "key-too-little", "item-outdented", "item-indented", "previous-line", "top-level"],
)
def test_s001_for_an_indentation_error_names_the_line(repo, text, line):
    (finding,) = check(repo({"okrs.yaml": text}), select=["S"]).findings
    assert finding.code == "S001"
    assert finding.message.endswith(f"; check the indentation of line {line}")


def test_a_long_file_with_many_flow_lists_gets_the_hint_too(repo):
    """Past 1000 brackets the nesting guard parses first; its syntax error names the line as well."""
    items = "".join(f"  - {{id: W-{n}, title: x, krs: [KR1]}}\n" for n in range(600))
    text = "kind: backlog\nteam: web\nquarter: 2026-Q4\nitems:\n" + items + "  - id: W-x\n     title: y\n"
    (finding,) = check(repo({"backlog.yaml": text}), select=["S"]).findings
    assert finding.message.endswith("; check the indentation of line 606")


def test_s001_for_a_tab_names_the_line_and_the_tab(repo):
    (finding,) = check(repo({"okrs.yaml": TAB}), select=["S"]).findings
    assert (finding.code, finding.location.line, finding.location.column) == ("S001", 12, 1)
    assert finding.message.endswith("; check the indentation of line 12: YAML indents with spaces, not tabs")


def test_s001_for_a_colon_in_a_plain_value_says_to_quote_it(repo):
    text = OKRS.replace("title: Fast pages", "title: Speed: fast pages")
    (finding,) = check(repo({"okrs.yaml": text}), select=["S"]).findings
    assert (finding.location.line, finding.location.column) == (6, 17)
    assert "indentation" not in finding.message
    assert finding.message.endswith("; a value holding ': ' must be quoted")


def test_s001_other_syntax_errors_get_no_hint(repo):
    (finding,) = check(repo({"okrs.yaml": OKRS.replace("objectives:", "objectives: [")}), select=["S"]).findings
    assert "indentation" not in finding.message and "quoted" not in finding.message


def test_the_line_named_is_counted_in_the_whole_file(repo):
    """A typo in a later document of a multi-document file names the line in the file, not in the document."""
    text = backlog(item("W-1"), team="web") + "---\n" + KEY_TOO_FAR
    (finding,) = check(repo({"all.yaml": text}), select=["S"]).findings
    offset = backlog(item("W-1"), team="web").count("\n") + 1
    assert finding.message.endswith(f"check the indentation of line {12 + offset}")


# -- report, backlog, review name the documents they leave out ----------------------------------


def two_teams(repo):
    """Team search with two broken documents beside its valid plan, and team web with one."""
    return repo(
        {
            "search/okrs.yaml": okrs(objective(), team="search"),
            "search/backlog.yaml": backlog(item("S-1", ["KR1"], 3, status="done"), team="search"),
            "search/sprints.yaml": sprints(sprint("S1", Q4_START, items=["S-1"]), team="search"),
            "search/typo.yaml": KEY_TOO_FAR.replace("team: web", "team: search"),
            "search/wrong-kind.yaml": OKRS.replace("kind: okrs", "kind: okr").replace("team: web", "team: search"),
            "web/okrs.yaml": KEY_TOO_FAR,
        }
    )


SEARCH_LEFT_OUT = [
    "okrsprint: 2 documents have errors and are not shown: run okrsprint check",
    "  search/typo.yaml",
    "  search/wrong-kind.yaml",
]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["report"],
            [
                "okrsprint: 3 documents have errors and are not shown: run okrsprint check",
                *SEARCH_LEFT_OUT[1:],
                "  web/okrs.yaml",
            ],
        ),
        (["report", "--format", "json", "--team", "search"], SEARCH_LEFT_OUT),
        (["backlog", "--team", "search", "--quarter", "2026-Q4"], SEARCH_LEFT_OUT),
        (["review", "--team", "search", "--sprint", "S1"], SEARCH_LEFT_OUT),
    ],
    ids=["report", "report-json-team", "backlog", "review"],
)
def test_report_commands_name_the_documents_they_leave_out(repo, args, expected):
    outcome = invoke(*args, two_teams(repo), "--today", "2026-11-23")
    assert outcome.exit_code == 0, outcome.output
    assert outcome.stderr.splitlines() == expected
    assert "okrsprint:" not in outcome.stdout


def test_report_commands_say_nothing_when_no_document_is_broken(repo):
    root = repo({"okrs.yaml": okrs(objective(), team="search")})
    outcome = invoke("report", root, "--today", "2026-11-23")
    assert outcome.exit_code == 0 and outcome.stderr == ""


def test_one_broken_document_is_named_in_the_singular(repo):
    root = repo({"okrs.yaml": okrs(objective(), team="search"), "web.yaml": KEY_TOO_FAR})
    outcome = invoke("report", root, "--today", "2026-11-23")
    assert outcome.stderr.splitlines()[0] == "okrsprint: 1 document has errors and is not shown: run okrsprint check"


def test_a_broken_document_of_another_quarter_is_not_named(repo):
    root = repo({"okrs.yaml": okrs(objective(), team="search"), "web.yaml": KEY_TOO_FAR.replace("2026-Q4", "2027-Q1")})
    outcome = invoke("backlog", "--team", "search", "--quarter", "2026-Q4", root, "--today", "2026-11-23")
    assert outcome.exit_code == 0 and outcome.stderr == ""


def test_broken_documents_are_named_before_a_usage_error_they_may_explain(repo):
    root = repo({"okrs.yaml": okrs(objective(), team="search"), "web.yaml": KEY_TOO_FAR})
    outcome = invoke("backlog", "--team", "web", "--quarter", "2026-Q4", root, "--today", "2026-11-23")
    assert outcome.exit_code == 2
    lines = outcome.stderr.splitlines()
    assert lines[:2] == ["okrsprint: 1 document has errors and is not shown: run okrsprint check", "  web.yaml"]
    assert lines[2].startswith("okrsprint: error: no plan for team 'web'; teams: search")
