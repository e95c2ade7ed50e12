"""A501–A502: every objective owned, and aligned to the company's objectives."""

from __future__ import annotations

import pytest

from tests.builders import key_result, objective, okrs
from tests.helpers import check, located


def run(repo, code: str, files: dict[str, str], **options):
    return check(repo(files), select=[code], **options)


# -- A501 objective-without-owner ---------------------------------------------------------


@pytest.mark.parametrize(("owner", "where"), [(None, (5, 3)), ("", (7, 3)), ("  ", (7, 3))])
def test_a501_no_owner(repo, owner, where):
    result = run(repo, "A501", {"o.yaml": okrs(objective("O1", owner=owner))})
    assert located(result) == [("A501", "o.yaml", *where)]
    assert result.findings[0].message.startswith("objective O1 has no owner")


def test_a501_owner_present(repo):
    assert run(repo, "A501", {"o.yaml": okrs(objective("O1", owner="maria"))}).findings == []


# -- A502 unaligned-objective ---------------------------------------------------------------

CONFIG = {"okrsprint.yaml": "company_team: company\n"}


def company(quarter: str = "2026-Q4", objectives: bool = True) -> dict[str, str]:
    parents = [objective("O1", key_result("KR7")), objective("O2", key_result("KR8"))] if objectives else []
    return {"company.yaml": okrs(*parents, team="company", quarter=quarter)}


def test_a502_unaligned_team_objective(repo):
    team = {"o.yaml": okrs(objective("O1", aligns_to="company:O2"), objective("O2", key_result("KR2")))}
    result = run(repo, "A502", {**CONFIG, **company(), **team})
    assert located(result) == [("A502", "o.yaml", 14, 3)]
    assert result.findings[0].message == (
        "objective O2 does not align to any company objective of 2026-Q4: add aligns_to: company:O1 (or another)"
    )


def test_a502_aligned_objectives_and_the_company_itself_pass(repo):
    team = {"o.yaml": okrs(objective("O1", aligns_to="company:O1"))}
    assert run(repo, "A502", {**CONFIG, **company(), **team}).findings == []


@pytest.mark.parametrize(
    "parent",
    [company(quarter="2027-Q1"), company(objectives=False), {}],
    ids=["company-other-quarter", "company-without-objectives", "no-company-plan"],
)
def test_a502_only_when_the_company_has_objectives_that_quarter(repo, parent):
    team = {"o.yaml": okrs(objective("O1"))}
    assert run(repo, "A502", {**CONFIG, **parent, **team}).findings == []


def test_a502_needs_company_team_in_the_config(repo):
    team = {"o.yaml": okrs(objective("O1"))}
    assert run(repo, "A502", {**company(), **team}).findings == []
