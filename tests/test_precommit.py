"""The real pre-commit framework runs this project's hook (``.pre-commit-hooks.yaml``) in a planning repo.

``pre-commit try-repo`` installs the project from its git checkout (with any
uncommitted changes) into a fresh environment: slow, so both cases share one
pre-commit home, and it needs git and PyPI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLES, ROOT, needs, needs_tool

PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")

pytestmark = [
    needs_tool("git"),
    needs(PRE_COMMIT is not None, "pre-commit is not installed (pip install -e '.[test]')"),
    pytest.mark.skipif(not (ROOT / ".git").exists(), reason="try-repo needs the project as a git checkout"),
]


def test_hook_definition():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "okrsprint" and hook["entry"] == "okrsprint check" and hook["language"] == "python"
    assert hook["pass_filenames"] is False and hook["require_serial"] is True
    assert [name for name in ("plan.yaml", "plan.yml", "notes.md") if re.search(hook["files"], name)] == [
        "plan.yaml",
        "plan.yml",
    ]


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, timeout=60)


def try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1", "PRE_COMMIT_COLOR": "never"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [PRE_COMMIT, "try-repo", str(ROOT), "okrsprint", "--all-files", "--verbose"],
        cwd=repo, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip


def test_pre_commit_runs_the_hook(tmp_path, pre_commit_home):
    """A clean plan passes; a broken one is blocked and the finding is in pre-commit's output."""
    repo = tmp_path / "planning"
    shutil.copytree(EXAMPLES / "checkout", repo)  # errors only block: the date-dependent rules warn at most
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
