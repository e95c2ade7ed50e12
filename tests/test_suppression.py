"""``# okrsprint: ignore[...]`` silences the alignment findings located on its line, and only those;
structure findings stay, and a code that names no rule is itself reported (S007)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from okrsprint.cli import app
from okrsprint.errors import UsageError
from tests.helpers import TODAY, check, located

PLAN = """\
kind: okrs
team: checkout
quarter: 2026-Q4
objectives:
  - id: O1
    title: Make onboarding effortless
    key_results:
      - id: KR1
        title: Implement the new funnel{comment}
        baseline: 12
        target: 20
"""
# Line 5 (O1) has A501; line 9 (the title) has A105.


def findings(repo, comment: str):
    return located(check(repo({"o.yaml": PLAN.format(comment=comment)}), select=["A105", "A501"]))


def test_unsuppressed(repo):
    assert findings(repo, "") == [("A501", "o.yaml", 5, 5), ("A105", "o.yaml", 9, 9)]


@pytest.mark.parametrize(
    "comment",
    [
        "  # okrsprint: ignore[A105]",
        "  # okrsprint: ignore[a105]",
        "  # okrsprint: ignore[A204, A105]",
        "  #okrsprint:ignore[key-result-is-a-task]",
        "  # okrsprint: ignore",
        "  # why: a launch is the outcome here  # okrsprint: ignore[A105]",
    ],
)
def test_suppressed_on_its_line(repo, comment):
    assert findings(repo, comment) == [("A501", "o.yaml", 5, 5)]


@pytest.mark.parametrize(
    "comment", ["  # okrsprint: ignore[A501]", "  # okrsprint: ignore[A10]", "  # okrsprint: ignore[]"]
)
def test_other_codes_do_not_suppress(repo, comment):
    assert ("A105", "o.yaml", 9, 9) in findings(repo, comment)


def test_suppression_applies_to_its_line_only(repo):
    text = PLAN.format(comment="").replace("  - id: O1", "  - id: O1  # okrsprint: ignore[A501]")
    assert located(check(repo({"o.yaml": text}), select=["A105", "A501"])) == [("A105", "o.yaml", 9, 9)]


@pytest.mark.parametrize(
    "comment", ["  # okrsprint: ignore[S002]", "  # okrsprint: ignore", "  # okrsprint: ignore[schema]"]
)
def test_a_structure_finding_is_never_suppressed(repo, comment):
    text = PLAN.format(comment="").replace("target: 20", f"target: '20'{comment}")
    assert located(check(repo({"o.yaml": text}), select=["S"])) == [("S002", "o.yaml", 11, 9)]


BACKLOG = "kind: backlog\nteam: checkout\nquarter: 2026-Q4\nitems:\n  - {id: I1, title: x, krs: [KR9]}"


def test_a_bare_ignore_leaves_a_reference_error(repo):
    text = BACKLOG + "  # okrsprint: ignore\n"
    assert located(check(repo({"b.yaml": text}))) == [("S004", "b.yaml", 5, 30)]


# -- S007 bad-suppression ----------------------------------------------------------------------------


def test_an_unknown_code_in_an_ignore_comment_is_reported_at_the_code(repo):
    result = check(repo({"o.yaml": PLAN.format(comment="  # okrsprint: ignore[A105, A2O4]")}), select=["A105"])
    assert located(result) == [("S007", "o.yaml", 9, 68)]
    assert result.findings[0].message == "unknown rule 'A2O4' in ignore comment: did you mean 'A204'?"
    assert (result.findings[0].team, result.findings[0].quarter) == ("checkout", "2026-Q4")


def test_an_unknown_name_gets_a_suggestion_and_a_far_one_none(repo):
    comment = "  # okrsprint: ignore[key-result-is-a-tsk,nothing-like-it]"
    result = check(repo({"o.yaml": PLAN.format(comment=comment)}), select=["S"])
    assert [finding.message for finding in result.findings] == [
        "unknown rule 'key-result-is-a-tsk' in ignore comment: did you mean 'key-result-is-a-task'?",
        "unknown rule 'nothing-like-it' in ignore comment",
    ]
    assert located(result) == [("S007", "o.yaml", 9, 62), ("S007", "o.yaml", 9, 82)]


@pytest.mark.parametrize("comment", ["  # okrsprint: ignore[A10]", "  # okrsprint: ignore[ALL]"])
def test_a_prefix_is_no_rule(repo, comment):
    result = check(repo({"o.yaml": PLAN.format(comment=comment)}), select=["A105"])
    assert [finding.code for finding in result.findings] == ["A105", "S007"]


@pytest.mark.parametrize(
    "comment", ["  # okrsprint: ignore[A105]", "  # okrsprint: ignore[D101, S004]", "  # okrsprint: ignore"]
)
def test_known_rules_and_a_bare_ignore_are_no_s007(repo, comment):
    assert "S007" not in [f.code for f in check(repo({"o.yaml": PLAN.format(comment=comment)})).findings]


def test_s007_does_not_break_the_document(repo):
    """The document is still checked: A105 on its line stays (A2O4 suppresses nothing), A501 is reported."""
    result = check(repo({"o.yaml": PLAN.format(comment="  # okrsprint: ignore[A2O4]")}), select=["A105", "A501"])
    assert [finding.code for finding in result.findings] == ["A501", "A105", "S007"]


def test_s007_in_a_file_of_another_tool_is_reported(repo):
    result = check(repo({"ci.yml": "on: push  # okrsprint: ignore[A2O4]\n"}), select=["S"])
    assert located(result) == [("S007", "ci.yml", 1, 31)]
    assert (result.findings[0].team, result.findings[0].quarter) == (None, None)


# -- structure rules cannot be switched off -------------------------------------------------------


@pytest.mark.parametrize("reference", ["S004", "unknown-reference", "S", "S00", "s004"])
def test_ignoring_a_structure_rule_is_a_usage_error(repo, reference):
    root = repo({"o.yaml": PLAN.format(comment="")})
    with pytest.raises(UsageError, match=r"S00\d is a structure rule: always on"):
        check(root, ignore=[reference])


def test_ignore_all_switches_off_the_alignment_rules_only(repo):
    text = PLAN.format(comment="") + "---\n" + BACKLOG + "\n"
    assert [f.code for f in check(repo({"o.yaml": text}), ignore=["ALL"]).findings] == ["S004"]


def test_ignoring_a_structure_rule_on_the_command_line_exits_2(repo):
    root = repo({"o.yaml": PLAN.format(comment="")})
    outcome = CliRunner().invoke(app, ["check", str(root), "--ignore", "A105,S004", "--today", TODAY.isoformat()])
    assert outcome.exit_code == 2
    assert outcome.stderr == (
        "okrsprint: error: --ignore S004: S004 is a structure rule: always on (its findings cannot be switched off)\n"
    )


def test_ignoring_a_structure_rule_in_the_config_exits_2_at_its_line(repo):
    root = repo({"okrsprint.yaml": "rules:\n  ignore: [A105, S004]\n", "o.yaml": PLAN.format(comment="")})
    outcome = CliRunner().invoke(app, ["check", str(root), "--today", TODAY.isoformat()])
    assert outcome.exit_code == 2
    assert "okrsprint.yaml:2:18:" in outcome.stderr and "S004" in outcome.stderr
    assert "is a structure rule: always on" in outcome.stderr


def test_selecting_alignment_rules_keeps_the_structure_rules(repo):
    text = PLAN.format(comment="").replace("target: 20", "target: '20'")
    assert [f.code for f in check(repo({"o.yaml": text}), select=["A105"]).findings] == ["S002"]
