"""``# okrsprint: ignore[...]`` silences the findings located on its line, and only those."""

from __future__ import annotations

import pytest

from tests.conftest import check, located

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
        "  # okrsprint: ignore[A999, A105]",
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


def test_suppression_of_a_structure_finding(repo):
    text = PLAN.format(comment="").replace("target: 20", "target: '20'  # okrsprint: ignore[S002]")
    assert located(check(repo({"o.yaml": text}), select=["S"])) == []
