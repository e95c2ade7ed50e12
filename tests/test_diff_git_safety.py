"""``okrsprint diff`` on hostile and broken git repositories: crafted trees never write outside the temporary
folder, huge blobs are never fetched, missing objects, dubious ownership and bare repositories get clear
usage errors (exit 2), never a traceback.

Crafted trees are built the way an attacker would, with ``git hash-object -w --literally -t tree``: git's
own porcelain refuses such names, but a commit fetched from elsewhere can hold them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from okrsprint import loader
from okrsprint.cli import app
from tests.helpers import needs_tool

pytestmark = needs_tool("git", "okrsprint diff needs the git command")
TODAY = "2026-11-23"
PLAN = """\
kind: okrs
team: web
quarter: 2026-Q4
objectives:
  - id: O1
    title: A fast site
    owner: ann
    key_results:
      - {id: KR1, title: p95 latency, baseline: 1800, target: 900}
"""


@pytest.fixture(autouse=True)
def git_identity(monkeypatch):
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "okrsprint test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@okrsprint.invalid")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


@pytest.fixture
def scratch(tmp_path, monkeypatch) -> Path:
    """diff's temporary folders go to ``tmp_path/tmp``, so escapes up to ``tmp_path`` can be seen."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def git(repo: Path, *args: str, data: bytes | None = None) -> str:
    completed = subprocess.run(["git", *args], cwd=repo, input=data, capture_output=True, check=True)
    return completed.stdout.decode().strip()


def make_repo(top: Path) -> Path:
    top.mkdir(parents=True)
    git(top, "-c", "init.defaultBranch=main", "init", "-q")
    (top / "okrs.yaml").write_text(PLAN, encoding="utf-8")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "Plan 2026-Q4")
    return top


def blob(repo: Path, content: str) -> str:
    return git(repo, "hash-object", "-w", "--stdin", data=content.encode())


def tree(repo: Path, entries: list[tuple[str, str, bytes]]) -> str:
    """A tree object exactly as given (mode, object id, name), unchecked and unsorted, like a crafted one."""
    data = b"".join(mode.encode() + b" " + name + b"\0" + bytes.fromhex(sha) for mode, sha, name in entries)
    return git(repo, "hash-object", "-w", "--literally", "-t", "tree", "--stdin", data=data)


def commit(repo: Path, tree_id: str, message: str = "crafted") -> str:
    return git(repo, "commit-tree", tree_id, "-p", "HEAD", "-m", message)


def nested(repo: Path, names: list[bytes], leaf: tuple[str, str, bytes]) -> tuple[str, str, bytes]:
    """``names[0]/names[1]/.../leaf`` as a chain of tree entries."""
    entry = leaf
    for name in reversed(names):
        entry = ("40000", tree(repo, [entry]), name)
    return entry


def run_diff_cli(repo: Path, base: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["diff", base, str(repo), "--today", TODAY])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stderr


def written_outside(tmp_path: Path, scratch: Path, repo: Path, *absolute: Path) -> list[str]:
    """Every x.yaml anywhere around (the repo's own tree excepted), and what is left in the scratch folder."""
    found = [str(path) for path in tmp_path.rglob("x.yaml")]
    found += [str(path) for path in absolute if path.exists()]
    found += [str(path) for path in scratch.iterdir()]
    return found


CRAFTED = {
    "dot-dot": ([b".."], b"x.yaml"),
    "dot-dot-twice": ([b"..", b".."], b"x.yaml"),
    "dot-dot-to-tmp_path": ([b"..", b"..", b".."], b"x.yaml"),
    "slashes-in-one-name": ([], b"a/../../../../x.yaml"),
    "dot": ([b"."], b"x.yaml"),
    "empty-component": ([], b"a//x.yaml"),
    "backslash": ([], b"..\\..\\..\\x.yaml"),
}


@pytest.mark.parametrize("case", list(CRAFTED))
def test_crafted_paths_in_a_tree_are_refused_and_nothing_is_written(tmp_path, scratch, case):
    repo = make_repo(tmp_path / "repo")
    folders, name = CRAFTED[case]
    plan = blob(repo, PLAN)
    evil = nested(repo, folders, ("100644", blob(repo, PLAN.replace("web", "evil")), name))
    base = commit(repo, tree(repo, [("100644", plan, b"okrs.yaml"), evil]))
    code, stderr = run_diff_cli(repo, base)
    assert written_outside(tmp_path, scratch, repo) == []
    assert code == 2, stderr
    assert f"revision {base[:12]} holds a file named" in stderr
    assert "refusing to read that revision (nothing was written)" in stderr
    shown = "/".join([*(folder.decode() for folder in folders), name.decode()])
    assert repr(shown).replace("\\\\", "\\") in stderr.replace("\\\\", "\\")


def test_an_absolute_path_in_a_tree_is_refused_and_nothing_is_written_there(tmp_path, scratch):
    repo = make_repo(tmp_path / "repo")
    target = tmp_path / "outside" / "x.yaml"
    target.parent.mkdir()
    entry = ("100644", blob(repo, PLAN), str(target).encode())
    base = commit(repo, tree(repo, [("100644", blob(repo, PLAN), b"okrs.yaml"), entry]))
    code, stderr = run_diff_cli(repo, base)
    assert written_outside(tmp_path, scratch, repo, target) == []
    assert code == 2
    assert "an absolute path" in stderr


def test_a_path_twice_in_a_tree_is_refused(tmp_path, scratch):
    repo = make_repo(tmp_path / "repo")
    first, second = blob(repo, PLAN), blob(repo, PLAN.replace("A fast site", "Overwritten"))
    base = commit(repo, tree(repo, [("100644", first, b"okrs.yaml"), ("100644", second, b"okrs.yaml")]))
    code, stderr = run_diff_cli(repo, base)
    assert code == 2
    assert "holds the file 'okrs.yaml' twice" in stderr
    assert list(scratch.iterdir()) == []


def test_a_file_and_a_folder_of_the_same_name_are_a_usage_error(tmp_path, scratch):
    repo = make_repo(tmp_path / "repo")
    plan = blob(repo, PLAN)
    folder = ("40000", tree(repo, [("100644", plan, b"inner.yaml")]), b"team.yaml")
    base = commit(repo, tree(repo, [("100644", plan, b"team.yaml"), folder]))
    code, stderr = run_diff_cli(repo, base)
    assert code == 2, stderr
    assert "team.yaml" in stderr and "internal error" not in stderr


def test_blobs_over_the_size_limit_are_never_fetched_and_are_named(tmp_path, scratch, monkeypatch):
    from okrsprint.diff import git as diff_git

    repo = make_repo(tmp_path / "repo")
    (repo / "big.yaml").write_text(PLAN.replace("web", "big") + "# padding\n" * 400, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "A big plan")
    size = (repo / "big.yaml").stat().st_size
    git(repo, "checkout", "-q", "-b", "change")
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 2000)
    copied: list[str] = []
    real_copy = diff_git._copy

    def spy(stream, destination, size, name, revision):
        copied.append(str(name))
        return real_copy(stream, destination, size, name, revision)

    monkeypatch.setattr(diff_git, "_copy", spy, raising=False)
    code, stderr = run_diff_cli(repo, "main")
    assert code in (0, 1), stderr
    assert f"'big.yaml' at main ({git(repo, 'rev-parse', 'main')[:12]}) is {size} bytes" in stderr
    assert "more than the limit of 2000: not read" in stderr
    assert "okrs.yaml" in copied and "big.yaml" not in copied


def test_a_missing_object_is_a_usage_error_naming_it(tmp_path, scratch):
    repo = make_repo(tmp_path / "repo")
    base = git(repo, "rev-parse", "HEAD")
    plan = git(repo, "rev-parse", "HEAD:okrs.yaml")
    (repo / "okrs.yaml").write_text(PLAN.replace("A fast site", "A faster site"), encoding="utf-8")
    loose = repo / ".git" / "objects" / plan[:2] / plan[2:]
    loose.chmod(0o644)
    loose.unlink()  # as a shallow or damaged clone would lack it
    code, stderr = run_diff_cli(repo, base)
    assert code == 2
    assert f"the git object {plan} of 'okrs.yaml' is missing" in stderr
    assert "shallow or damaged" in stderr and "internal error" not in stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the repository to another user")
def test_dubious_ownership_gets_its_own_message_and_the_fix(tmp_path):
    repo = make_repo(tmp_path / "repo")
    for path in [repo, *repo.rglob("*")]:
        os.lchown(path, 65534, 65534)
    code, stderr = run_diff_cli(repo, "HEAD")
    assert code == 2
    assert "dubious ownership" in stderr
    assert f"git config --global --add safe.directory {repo}" in stderr
    assert "not a git repository" not in stderr


def test_a_bare_repository_is_told_it_needs_a_work_tree(tmp_path):
    source = make_repo(tmp_path / "repo")
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(source), str(bare))
    code, stderr = run_diff_cli(bare, "HEAD")
    assert code == 2
    assert "is a bare git repository" in stderr and "okrsprint diff needs a work tree" in stderr
    code, stderr = run_diff_cli(source / ".git", "HEAD")
    assert code == 2
    assert "inside a .git folder" in stderr and "okrsprint diff needs a work tree" in stderr


def test_the_git_helpers_refuse_every_unsafe_path():
    from okrsprint.diff.git import unsafe_path

    assert [unsafe_path(name) for name in ("okrs.yaml", "team/okrs.yaml", "..x.yaml", "a..b/c.yaml")] == [None] * 4
    for name in ("", "/x.yaml", "../x.yaml", "a/../x.yaml", "./x.yaml", "a//x.yaml", "a/", "..\\x.yaml", "a/.."):
        assert unsafe_path(name), name


@pytest.fixture(autouse=True)
def _no_leftovers(tmp_path):
    yield
    shutil.rmtree(tmp_path / "tmp", ignore_errors=True)
