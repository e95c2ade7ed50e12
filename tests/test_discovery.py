"""Discovery of plan files among odd files and names, exclude globs in linear time, and the config's root rule.

Every case is run through ``okrsprint check`` where the user sees it (a finding, exit 2, or nothing at
all), and through ``discover`` where only the list of what was skipped can tell.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from okrsprint.cli import app
from tests.builders import ONE_KEY_RESULT

TODAY = "2026-11-23"
VALID = ONE_KEY_RESULT
VALID_FINDING = ("A501", "valid.yaml", 5, 5)  # objective O1 has no owner: proves the repo was still checked
PLAN = VALID.replace("checkout", "search")


def check_json(root: Path, *args: str) -> tuple[int, dict]:
    """``okrsprint check --format json`` in-process; any exception fails the test."""
    result = CliRunner().invoke(app, ["check", str(root), "--today", TODAY, "--format", "json", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def findings(output: dict) -> list[tuple[str, str, int, int]]:
    return [(f["code"], f["file"], f["line"], f["column"]) for f in output["findings"]]


def messages(output: dict, code: str) -> dict[str, str]:
    return {f["file"]: f["message"] for f in output["findings"] if f["code"] == code}


def planning_repo(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "valid.yaml").write_text(VALID, encoding="utf-8")
    return root


# -- symbolic links -------------------------------------------------------------------------------


def test_symlink_loops_and_self_links_are_s001_at_the_link(tmp_path):
    repo = planning_repo(tmp_path / "repo")
    (repo / "self.yaml").symlink_to("self.yaml")
    (repo / "ping.yaml").symlink_to("pong.yaml")
    (repo / "pong.yaml").symlink_to("ping.yaml")
    (repo / "team").mkdir()
    (repo / "team" / "plans").symlink_to("plans")  # a folder-like name linking to itself
    code, output = check_json(repo)
    assert code == 1
    loops = messages(output, "S001")
    assert sorted(loops) == ["ping.yaml", "pong.yaml", "self.yaml", "team/plans"]
    assert all("symbolic link loop" in message for message in loops.values())
    assert VALID_FINDING in findings(output)
    assert output["summary"]["files"] == 1


def test_a_file_reached_through_links_is_read_once_at_its_own_path(tmp_path):
    """The links sort before the real folder, so a walk in name order meets them first."""
    repo = tmp_path / "repo"
    (repo / "z-real").mkdir(parents=True)
    (repo / "z-real" / "plan.yaml").write_text(VALID.replace("KR1", "KR1\n        owner: x"), encoding="utf-8")
    (repo / "a-alias.yaml").symlink_to("z-real/plan.yaml")
    (repo / "a-dir").symlink_to("z-real", target_is_directory=True)
    code, output = check_json(repo)
    assert output["summary"]["files"] == 1
    assert {f["file"] for f in output["findings"]} == {"z-real/plan.yaml"}
    assert "S003" not in {f["code"] for f in output["findings"]}


def test_a_folder_reached_only_through_a_link_is_read_there_once(tmp_path):
    repo = planning_repo(tmp_path / "repo")
    (repo / ".store" / "team").mkdir(parents=True)  # a dot-folder is not walked, but a link into it is
    (repo / ".store" / "team" / "plan.yaml").write_text(PLAN, encoding="utf-8")
    (repo / "b-team").symlink_to(".store/team", target_is_directory=True)
    (repo / "c-team").symlink_to(".store/team", target_is_directory=True)
    from okrsprint.discovery import discover

    found = discover(repo, [])
    assert [path.relative_to(repo).as_posix() for path in found] == ["valid.yaml", "b-team/plan.yaml"]
    assert found.skipped == [("c-team", "a symbolic link to the folder b-team, read there")]
    assert found.problems == []


def test_discovery_names_what_it_skips_and_still_reads_as_a_list_of_paths(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("kind: okrs\n", encoding="utf-8")
    repo = planning_repo(tmp_path / "repo")
    (repo / "linked-file.yaml").symlink_to(outside / "secret.yaml")
    (repo / "linked-dir").symlink_to(outside, target_is_directory=True)
    (repo / "dangling.yaml").symlink_to(tmp_path / "missing.yaml")
    (repo / "x-alias.yaml").symlink_to("valid.yaml")
    (repo / "notes.txt").symlink_to(outside / "secret.yaml")  # not a plan file: not worth a word
    from okrsprint.discovery import discover

    found = discover(repo, [])
    assert [path.relative_to(repo).as_posix() for path in found] == ["valid.yaml"]
    assert list(found) == found.paths and len(found) == 1
    assert dict(found.skipped) == {
        "dangling.yaml": "a symbolic link to a missing file: not read",
        "linked-dir": "a symbolic link to a folder outside the planning repo: not followed",
        "linked-file.yaml": "a symbolic link to a file outside the planning repo: not read",
        "x-alias.yaml": "the same file as valid.yaml, read there",
    }
    assert found.problems == []


# -- folders that cannot be read ------------------------------------------------------------------


def test_unreadable_folder_is_s001_on_the_folder_unless_excluded(tmp_path, monkeypatch):
    repo = planning_repo(tmp_path / "repo")
    for folder in ("locked", "archive/locked"):
        (repo / folder).mkdir(parents=True)
        (repo / folder / "plan.yaml").write_text(PLAN, encoding="utf-8")
    scandir = os.scandir

    def refuse(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    (repo / "okrsprint.yaml").write_text('exclude: ["archive/**"]\n', encoding="utf-8")
    code, output = check_json(repo)
    assert code == 1
    assert [f for f in findings(output) if f[0] == "S001"] == [("S001", "locked", 1, 1)]
    assert messages(output, "S001")["locked"].startswith("cannot read folder: Permission denied")
    assert VALID_FINDING in findings(output)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads folders whatever their mode")
def test_chmod_000_folder_is_s001(tmp_path):
    repo = planning_repo(tmp_path / "repo")
    (repo / "locked").mkdir()
    (repo / "locked" / "plan.yaml").write_text(PLAN, encoding="utf-8")
    (repo / "locked").chmod(0)
    try:
        code, output = check_json(repo)
    finally:
        (repo / "locked").chmod(0o755)
    assert ("S001", "locked", 1, 1) in findings(output)


@pytest.fixture
def deep_repo(tmp_path):
    """A repo with a plan 1200 folders down (deeper than Python's recursion limit), removed again without
    recursion: pytest's own clean-up (shutil.rmtree) would hit that limit."""
    repo = planning_repo(tmp_path / "repo")
    deep = repo
    for _ in range(1200):  # Path.mkdir(parents=True) would recurse too
        deep = deep / "d"
        deep.mkdir()
    (deep / "plan.yaml").write_text(PLAN, encoding="utf-8")
    yield repo
    (deep / "plan.yaml").unlink()
    while deep != repo:
        deep.rmdir()
        deep = deep.parent


def test_a_very_deep_folder_tree_is_walked_without_recursion(deep_repo):
    code, output = check_json(deep_repo)
    assert output["summary"]["files"] == 2
    assert "d/" * 1200 + "plan.yaml" in {f["file"] for f in output["findings"]}


# -- names that are not UTF-8 ---------------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["text", "json", "github", "sarif", "junit", "markdown"])
def test_non_utf8_file_names_never_crash_and_are_shown_escaped(tmp_path, output_format):
    repo = planning_repo(tmp_path / "repo")
    try:
        (repo / os.fsdecode(b"caf\xe9")).mkdir()
        (repo / os.fsdecode(b"caf\xe9") / os.fsdecode(b"pl\xffan.yaml")).write_text("kind: okrs\nteam: [x\n")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    completed = subprocess.run(
        [sys.executable, "-m", "okrsprint", "check", str(repo), "--today", TODAY, "--format", output_format],
        capture_output=True,
        env={**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )
    assert completed.returncode == 1, completed.stderr.decode(errors="replace")
    shown = unquote(completed.stdout.decode("utf-8"))  # valid UTF-8; SARIF has URIs, with %-escapes
    assert "caf\\xe9/pl\\xffan.yaml" in shown.replace("\\\\", "\\")


# -- exclude globs --------------------------------------------------------------------------------


def old_glob_regex(pattern: str) -> re.Pattern[str]:
    """The translation okrsprint used before (backtracking): the semantics the new matcher must keep."""
    pattern = pattern.strip().lstrip("/") if "/" in pattern.strip().rstrip("/") else pattern.strip()
    parts: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            parts.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            parts.append(".*")
            i += 2
        elif pattern[i] == "*":
            parts.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            parts.append("[^/]")
            i += 1
        else:
            parts.append(re.escape(pattern[i]))
            i += 1
    body = "".join(parts).rstrip("/")
    prefix = "" if "/" in pattern.rstrip("/") else "(?:.*/)?"
    return re.compile(f"^{prefix}{body}(?:/.*)?$", re.DOTALL)


PATTERN_PIECES = st.lists(st.sampled_from(["a", "b", ".", "/", "*", "**", "**/", "?", " ", "x.yaml"]), max_size=8)
PATH_PIECES = st.lists(st.sampled_from(["a", "b", ".", "/", "x.yaml", "ab"]), max_size=10)


@settings(max_examples=1000, deadline=None)
@given(PATTERN_PIECES, PATH_PIECES)
def test_exclude_globs_match_exactly_as_before(pattern_pieces, path_pieces):
    from okrsprint.discovery import Glob

    pattern, path = "".join(pattern_pieces), "".join(path_pieces)
    assert Glob(pattern).match(path) == bool(old_glob_regex(pattern).match(path)), (pattern, path)


@settings(max_examples=500, deadline=None)
@given(PATTERN_PIECES, PATH_PIECES, PATH_PIECES)
def test_a_folder_the_glob_covers_has_every_path_inside_excluded(pattern_pieces, folder_pieces, rest_pieces):
    from okrsprint.discovery import Glob

    pattern, folder, rest = "".join(pattern_pieces), "".join(folder_pieces), "".join(rest_pieces)
    if Glob(pattern).covers_folder(folder):
        assert old_glob_regex(pattern).match(f"{folder}/{rest}"), (pattern, folder, rest)


@pytest.mark.parametrize(
    "pattern",
    ["**a" * 12 + "b", "*a" * 12 + "b", "a/**/" * 10 + "b", "?*" * 20 + "b", "**/" * 30 + "*a*a*a*a*b"],
)
def test_exclude_glob_time_is_linear_in_the_path(pattern):
    from okrsprint.discovery import Glob

    glob = Glob(pattern)
    started = time.process_time()  # CPU seconds: backtracking would take years, a busy machine does not matter
    for path in ("a" * 4000, "a/" * 2000 + "a", ("a" * 250 + "/") * 16):
        assert glob.match(path) is False
    assert time.process_time() - started < 1.0


def test_a_hostile_exclude_glob_in_the_config_cannot_stall_check(tmp_path):
    repo = planning_repo(tmp_path / "repo")
    (repo / "okrsprint.yaml").write_text('exclude: ["' + "*a" * 12 + 'c"]\n', encoding="utf-8")
    (repo / ("a" * 200 + ".yaml")).write_text(PLAN, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "okrsprint", "check", str(repo), "--today", TODAY, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,  # a stall fails here
    )
    assert completed.returncode in (0, 1), completed.stderr
    assert json.loads(completed.stdout)["summary"]["files"] == 2


# -- the config obeys the inside-the-root rule ----------------------------------------------------

SECRET = "SECRET_TOKEN_4711: hunter2-do-not-print\nroot:x:0:0:root:/root:/bin/bash\n"


def invoke(*args: str):
    return CliRunner().invoke(app, [*args])


def test_config_linking_out_of_the_root_is_refused_without_quoting_it(tmp_path):
    outside = tmp_path / "etc"
    outside.mkdir()
    (outside / "shadow").write_text(SECRET, encoding="utf-8")
    repo = planning_repo(tmp_path / "repo")
    (repo / "okrsprint.yaml").symlink_to(outside / "shadow")
    for args in (["check", str(repo)], ["report", str(repo)], ["check", str(repo / "valid.yaml")]):
        outcome = invoke(*args, "--today", TODAY)
        assert outcome.exit_code == 2, outcome.output
        assert "symbolic link to a file outside the planning repo" in outcome.stderr
        assert "SECRET" not in outcome.output + outcome.stderr
        assert "hunter2" not in outcome.output + outcome.stderr
        assert "root:x" not in outcome.output + outcome.stderr


def test_config_named_with_config_inside_the_repo_is_held_to_the_rule_too(tmp_path):
    outside = tmp_path / "etc"
    outside.mkdir()
    (outside / "shadow").write_text(SECRET, encoding="utf-8")
    repo = planning_repo(tmp_path / "repo")
    (repo / "ci").mkdir()
    (repo / "ci" / "strict.yaml").symlink_to(outside / "shadow")
    outcome = invoke("check", str(repo), "--config", str(repo / "ci" / "strict.yaml"), "--today", TODAY)
    assert outcome.exit_code == 2
    assert "symbolic link to a file outside the planning repo" in outcome.stderr
    assert "SECRET" not in outcome.output + outcome.stderr


def test_configs_that_stay_inside_or_are_named_outside_are_read(tmp_path):
    repo = planning_repo(tmp_path / "repo")
    (repo / "shared").mkdir()
    (repo / "shared" / "settings.yaml").write_text("rules: {ignore: [A501]}\n", encoding="utf-8")
    (repo / "okrsprint.yaml").symlink_to("shared/settings.yaml")
    assert invoke("check", str(repo), "--today", TODAY).exit_code == 0  # A501 ignored by the linked config
    (repo / "okrsprint.yaml").unlink()
    elsewhere = tmp_path / "org" / "okrsprint.yaml"
    elsewhere.parent.mkdir()
    elsewhere.write_text("rules: {severity: {A501: error}}\n", encoding="utf-8")
    assert invoke("check", str(repo), "--config", str(elsewhere), "--today", TODAY).exit_code == 1
