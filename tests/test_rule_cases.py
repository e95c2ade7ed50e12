"""The rule cases of ``okrsprint/rules/cases/*.yaml``, each run through the CLI as a user runs it.

A case is a tiny planning repo and the exact findings (code, file, line, column) it
must get: ``check ROOT --select CODE`` for most rules, ``diff BASE ROOT --head HEAD``
between two commits for the D-rules. Cases marked ``xfail`` state what the SPEC asks
and the tool does not do yet; they are strict, so a fix shows up as a failure that
asks for the mark to be removed.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from okrsprint.cli import app
from okrsprint.rules.case_files import Case, case_codes, load_cases
from okrsprint.rules.registry import all_rules
from tests.helpers import needs_tool

Found = tuple[str, str, int, int]
runner = CliRunner()
CASES = [case for code in case_codes() for case in load_cases(code)]
NO_CONFIG = "# okrsprint.yaml of a rule case: every setting at its default\n"


def _param(case: Case):
    marks = [pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else []
    if case.compares_versions:
        marks.append(needs_tool("git", "okrsprint diff needs the git command"))
    return pytest.param(case, id=case.slug, marks=marks)


def _write(root: Path, config: str | None, files: dict[str, str]) -> None:
    """The case's files under root, with an okrsprint.yaml so that root discovery stops there."""
    for name, text in {"okrsprint.yaml": config or NO_CONFIG, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _findings(output: str) -> list[Found]:
    findings = json.loads(output)["findings"]
    return sorted((f["code"], f["file"], f["line"], f["column"]) for f in findings)


def _check(case: Case, root: Path) -> list[Found]:
    _write(root, case.config, case.files)
    args = ["check", str(root), "--select", case.rule, "--today", case.today.isoformat(), "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    return _findings(result.stdout)


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def _commit(root: Path, config: str | None, files: dict[str, str], message: str) -> str:
    """Replace the work tree's plan with ``files`` and commit it (files left out are deleted)."""
    for path in root.rglob("*.y*ml"):
        if ".git" not in path.relative_to(root).parts:
            path.unlink()
    _write(root, config, files)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "--allow-empty", "-m", message)
    return _git(root, "rev-parse", "HEAD")


def _diff(case: Case, root: Path, monkeypatch: pytest.MonkeyPatch) -> list[Found]:
    for role in ("AUTHOR", "COMMITTER"):  # commits need an author; the user's git config must not leak in
        monkeypatch.setenv(f"GIT_{role}_NAME", "okrsprint test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@okrsprint.invalid")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root.mkdir()
    _git(root, "-c", "init.defaultBranch=main", "init", "-q")
    assert case.base is not None and case.head is not None
    base = _commit(root, case.config, case.base, "Plan 2026-Q4")
    head = _commit(root, case.config, case.head, case.message or "Update the plan")
    args = ["diff", base, str(root), "--head", head, "--today", case.today.isoformat(), "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    return _findings(result.stdout)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_rule_case(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "plan"
    found = _diff(case, root, monkeypatch) if case.compares_versions else _check(case, root)
    assert found == sorted(case.expected)
    assert any(code == case.rule for code, *_ in found) == case.fires


def test_every_rule_has_a_case_that_fires_and_one_that_does_not() -> None:
    registered = {rule.code for rule in all_rules()}
    missing = sorted(registered - set(case_codes()))
    assert missing == [], f"rules without a case file: {missing}"
    for code in sorted(registered):
        fires = {case.fires for case in load_cases(code)}
        assert fires == {True, False}, f"{code} needs a case that fires and one that does not"


def test_no_case_file_names_an_unknown_rule() -> None:
    registered = {rule.code for rule in all_rules()}
    assert sorted(set(case_codes()) - registered) == []
    for case in CASES:
        assert {code for code, *_ in case.expected} <= registered, case.slug


def test_cases_say_what_they_expect() -> None:
    """``fires`` agrees with ``expected``, the D-rules are judged by diff and the others by check, ids are unique."""
    for case in CASES:
        assert any(code == case.rule for code, *_ in case.expected) == case.fires, case.slug
        assert case.compares_versions == case.rule.startswith("D"), case.slug
    slugs = [case.slug for case in CASES]
    assert len(slugs) == len(set(slugs)), "two cases have the same name"
