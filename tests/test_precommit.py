"""The real pre-commit framework runs this project's hook (``.pre-commit-hooks.yaml``) in a planning repo.

``pre-commit try-repo`` installs the project from its git checkout (with any
uncommitted changes) into a fresh environment: slow, so every case shares one
pre-commit home, and it needs git and PyPI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from okrsprint.quarters import Quarter
from tests.builders import key_result, objective, okrs
from tests.helpers import EXAMPLES, ROOT, copy_plan, needs, needs_tool

PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")

pytestmark = [
    needs_tool("git"),
    needs(PRE_COMMIT is not None, "pre-commit is not installed (pip install -e '.[test]')"),
    pytest.mark.skipif(not (ROOT / ".git").exists(), reason="try-repo needs the project as a git checkout"),
]


def test_hook_definition():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "okrsprint" and hook["entry"] == "okrsprint check" and hook["language"] == "python"
    assert hook["pass_filenames"] is True and hook["require_serial"] is True
    candidates = (
        "plan.yaml",
        "plan.yml",
        "notes.md",
        ".pre-commit-config.yaml",
        ".github/workflows/ci.yml",
        "a/.b.yml",
    )
    passed = [name for name in candidates if re.search(hook["files"], name) and not re.search(hook["exclude"], name)]
    assert passed == ["plan.yaml", "plan.yml"]


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, timeout=60)


def try_repo(repo: Path, home: Path, *files: str) -> subprocess.CompletedProcess:
    """The hook on ``files`` (``--all-files`` when none are named), as a commit of just them runs it."""
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1", "PRE_COMMIT_COLOR": "never"}
    env.pop("GITHUB_ACTIONS", None)
    which = ["--files", *files] if files else ["--all-files"]
    return subprocess.run(
        [PRE_COMMIT, "try-repo", str(ROOT), "okrsprint", *which, "--verbose"],
        cwd=repo, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip


def test_pre_commit_runs_the_hook(tmp_path, pre_commit_home):
    """A clean plan passes; a broken one is blocked and the finding is in pre-commit's output."""
    repo = tmp_path / "planning"
    copy_plan(EXAMPLES / "checkout", repo)  # errors only block: the date-dependent rules warn at most
    git(repo, "init", "-q")
    git(repo, "add", ".")
    passed = try_repo(repo, pre_commit_home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "okrsprint" in passed.stdout and "Passed" in passed.stdout

    sprints = repo / "sprints" / "2026-Q4.yaml"
    sprints.write_text(sprints.read_text(encoding="utf-8").replace("krs: [KR3]", "krs: [KR9]"), encoding="utf-8")
    git(repo, "add", ".")
    blocked = try_repo(repo, pre_commit_home)
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "Failed" in blocked.stdout
    assert "S004 [error] unknown key result 'KR9'" in blocked.stdout


def test_a_commit_is_judged_on_its_own_team(tmp_path, pre_commit_home):
    """Team alpha's stale check-in (A402, made an error here) blocks the whole repo's check, but a commit
    touching only team beta's file passes: the hook passes the changed files and check judges those."""
    today = date.today()
    year_start_month = (today.month - 2) % 12 + 1  # today lies in the quarter's second or third month
    quarter = str(Quarter.containing(today, year_start_month))
    fresh = {"checkins": [{"date": today, "value": 13}]}
    repo = tmp_path / "planning"
    repo.mkdir()
    (repo / "okrsprint.yaml").write_text(f"year_start_month: {year_start_month}\nrules:\n  severity: {{A402: error}}\n")
    (repo / "alpha.yaml").write_text(okrs(objective("O1", key_result("KR1")), team="alpha", quarter=quarter))
    (repo / "beta.yaml").write_text(okrs(objective("O1", key_result("KR1", **fresh)), team="beta", quarter=quarter))
    git(repo, "init", "-q")
    git(repo, "add", ".")
    whole = subprocess.run(
        [sys.executable, "-m", "okrsprint", "check", str(repo)], capture_output=True, text=True, timeout=60
    )
    assert whole.returncode == 1 and "alpha.yaml:" in whole.stdout and "A402 [error]" in whole.stdout

    judged = try_repo(repo, pre_commit_home, "beta.yaml")
    assert judged.returncode == 0, judged.stdout + judged.stderr
    assert "Passed" in judged.stdout
    assert "alpha.yaml:" not in judged.stdout and "findings in other files not shown" in judged.stdout
