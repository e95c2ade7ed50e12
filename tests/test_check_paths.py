"""SPEC §3 ``check``: several PATHs; the whole repo is read, the findings shown are those of the team-quarters
with a document in the paths plus those located in them, and the summary counts the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from okrsprint.cli import app
from okrsprint.engine import CheckOptions, run_check
from tests.builders import backlog, item, key_result, objective, okrs
from tests.helpers import TODAY, located

# alpha has an error (A103: O2 has no key result); beta is clean.
ALPHA = okrs(objective("O1"), objective("O2", key_results=[]), team="alpha")
BETA = okrs(objective("O1", key_result("KR1")), team="beta")


def invoke(*args: object):
    return CliRunner().invoke(app, ["check", *(str(arg) for arg in args), "--today", TODAY.isoformat()])


def two_teams(repo, **more: str) -> Path:
    return repo({"okrsprint.yaml": "", "alpha/okrs.yaml": ALPHA, "beta/okrs.yaml": BETA, **more})


def shown(root: Path, *paths: str, **options):
    return run_check(CheckOptions(paths=[root / path for path in paths], today=TODAY, select=["A103"], **options))


# -- what is shown ---------------------------------------------------------------------------------


def test_a_commit_touching_one_team_is_judged_on_that_team_only(repo):
    root = two_teams(repo)
    outcome = invoke(root / "beta" / "okrs.yaml", "--select", "A103")
    assert outcome.exit_code == 0, outcome.output
    assert outcome.stdout == "All checks passed (2 files, 2 plan documents; 1 finding in other files not shown).\n"
    assert invoke(root / "alpha" / "okrs.yaml", "--select", "A103").exit_code == 1


def test_findings_of_the_team_quarter_are_shown_wherever_they_are_located(repo):
    root = two_teams(repo, **{"shared/beta-backlog.yaml": backlog(item("B-1", ["KR9"]), team="beta")})
    result = shown(root, "beta/okrs.yaml")
    assert located(result) == [("S004", "shared/beta-backlog.yaml", 8, 5)]
    assert result.hidden == 1
    assert result.exit_code() == 1


def test_findings_located_in_the_paths_are_shown_whatever_their_team(repo):
    root = two_teams(repo, **{"beta/notes.yaml": "a: [\n", "zeta.yaml": "b: [\n"})
    result = shown(root, "beta/notes.yaml")
    assert located(result) == [("S001", "beta/notes.yaml", 2, 1)]
    assert result.hidden == 2  # alpha's A103 and zeta.yaml's S001


def test_a_folder_shows_the_team_quarters_of_the_documents_under_it(repo):
    root = two_teams(repo)
    assert located(shown(root, "alpha")) == [("A103", "alpha/okrs.yaml", 16, 3)]
    assert shown(root, "beta").findings == []


def test_several_paths_show_the_union(repo):
    root = two_teams(repo, **{"gamma.yaml": ALPHA.replace("alpha", "gamma")})
    result = shown(root, "alpha/okrs.yaml", "beta")
    assert located(result) == [("A103", "alpha/okrs.yaml", 16, 3)]
    assert result.hidden == 1
    outcome = invoke(root / "alpha" / "okrs.yaml", root / "gamma.yaml", "--select", "A103", "--format", "json")
    assert [f["file"] for f in json.loads(outcome.stdout)["findings"]] == ["alpha/okrs.yaml", "gamma.yaml"]


@pytest.mark.parametrize("path", [".", "okrsprint.yaml"])
def test_the_root_or_its_config_shows_everything(repo, path):
    """A config change can change any team's findings: it is judged on all of them."""
    result = shown(two_teams(repo), path)
    assert [finding.location.file for finding in result.findings] == ["alpha/okrs.yaml"]
    assert result.hidden == 0


def test_the_summary_says_how_many_findings_were_not_shown(repo):
    root = two_teams(repo, **{"gamma.yaml": ALPHA.replace("alpha", "gamma")})
    path = root / "alpha" / "okrs.yaml"
    text = invoke(path, "--select", "A103")
    assert text.stdout.splitlines()[-1] == (
        "Found 1 problem: 1 error, 0 warnings, 0 infos (3 files, 3 plan documents; 1 finding in other files not shown)."
    )
    document = json.loads(invoke(path, "--select", "A103", "--format", "json").stdout)
    assert document["summary"] == {"files": 3, "documents": 3, "errors": 1, "warnings": 0, "infos": 0, "hidden": 1}
    markdown = invoke(path, "--select", "A103", "--format", "markdown").stdout
    assert "1 finding in other files not shown." in markdown.splitlines()
    assert invoke(path, "--select", "A103", "--quiet").stdout.count("\n") == 1


def test_nothing_hidden_says_nothing(repo):
    outcome = invoke(two_teams(repo), "--select", "A103")
    assert "not shown" not in outcome.stdout
    markdown = invoke(two_teams(repo), "--select", "A103", "--format", "markdown").stdout
    assert "not shown" not in markdown


# -- paths that are refused ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "path"),
    [
        ({"docs/README.md": "# plans\n"}, "docs"),
        ({"docs/README.md": "# plans\n"}, "docs/README.md"),
        ({"deploy/app.yaml": "kind: Deployment\nspec: {}\n"}, "deploy"),
        ({"deploy/app.yaml": "kind: Deployment\nspec: {}\n"}, "deploy/app.yaml"),
        ({"empty.yaml": ""}, "empty.yaml"),
        ({".github/ci.yml": "on: push\n"}, ".github/ci.yml"),
        ({"archive/old.yaml": ALPHA}, "archive/old.yaml"),
    ],
    ids=["folder-without-yaml", "markdown", "foreign-folder", "foreign-file", "empty", "dot-folder", "excluded"],
)
def test_a_path_without_a_plan_document_is_a_usage_error(repo, files, path):
    root = repo({"okrsprint.yaml": "exclude: [archive/**]\n", "beta/okrs.yaml": BETA, **files})
    outcome = invoke(root / "beta", root / path)
    assert outcome.exit_code == 2
    assert outcome.stderr.startswith(f"okrsprint: error: no plan document under {root / path}")


def test_an_unparsable_yaml_file_is_a_plan_file_with_its_finding(repo):
    root = two_teams(repo, **{"notes.yaml": "a: [\n"})
    outcome = invoke(root / "notes.yaml")
    assert outcome.exit_code == 1
    assert outcome.stdout.startswith("notes.yaml:2:1: S001 [error] invalid YAML")


def test_paths_in_two_roots_are_a_usage_error(repo):
    root = repo({"one/okrsprint.yaml": "", "one/okrs.yaml": BETA, "two/okrsprint.yaml": "", "two/okrs.yaml": BETA})
    outcome = invoke(root / "one" / "okrs.yaml", root / "two" / "okrs.yaml")
    assert outcome.exit_code == 2
    assert "paths in different planning repos" in outcome.stderr


def test_a_missing_path_among_several_is_a_usage_error(repo):
    root = two_teams(repo)
    outcome = invoke(root / "beta", root / "nope.yaml")
    assert outcome.exit_code == 2
    assert "path not found" in outcome.stderr
