"""Hostile and broken input: each case gets a precise finding, the rest of the repo is still checked, nothing crashes.

Every case sits in a repo beside ``valid.yaml``, a plan whose one known warning
(A501 at 5:5) proves that the rest of the repo was still checked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from okrsprint import loader
from okrsprint.cli import app
from okrsprint.findings import MAX_MESSAGE, clip
from tests.builders import ONE_KEY_RESULT

# Every test here runs once per way of reading a plan (--jobs 1/2, cache off/on): the findings never change.
pytestmark = pytest.mark.usefixtures("reading_mode")

VALID = (
    ONE_KEY_RESULT
    + """\
        checkins:
          - {date: 2026-11-20, value: 17}
---
kind: backlog
team: checkout
quarter: 2026-Q4
items:
  - {id: CHK-1, title: Onboarding variants, krs: [KR1], estimate: 3}
"""
)
VALID_CHECKED = ("A501", "valid.yaml", 5, 5)  # objective O1 has no owner
TODAY = "2026-11-23"
BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)
BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + BOMB


def hostile_repo(root: Path, case: bytes | str, name: str = "case.yaml") -> Path:
    (root / "valid.yaml").write_text(VALID, encoding="utf-8")
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(case, str):
        path.write_text(case, encoding="utf-8")
    else:
        path.write_bytes(case)
    return root


def run_check_cli(root: Path, *args: str, budget: float = 10.0) -> tuple[int, dict]:
    """``okrsprint check --format json`` in-process: exit code and parsed output; fails on any exception.

    The budget is CPU seconds, not wall time: a blow-up (an alias bomb, a quadratic walk) costs CPU whatever the
    machine's load, while wall time on a busy two-core CI machine says nothing about okrsprint."""
    started = time.process_time()
    result = CliRunner().invoke(app, ["check", str(root), "--today", TODAY, "--format", "json", *args])
    elapsed = time.process_time() - started
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output
    assert elapsed < budget, f"took {elapsed:.1f}s"
    output = json.loads(result.stdout)
    for finding in output["findings"]:
        assert len(finding["message"]) < 500
    return result.exit_code, output


def located(output: dict, file: str = "case.yaml") -> list[tuple[str, int, int]]:
    return [(f["code"], f["line"], f["column"]) for f in output["findings"] if f["file"] == file]


def still_checked(output: dict) -> bool:
    return any((f["code"], f["file"], f["line"], f["column"]) == VALID_CHECKED for f in output["findings"])


def message(output: dict, code: str, file: str = "case.yaml") -> str:
    return next(f["message"] for f in output["findings"] if f["code"] == code and f["file"] == file)


def test_valid_plan_alone_passes_with_its_known_warning(tmp_path):
    (tmp_path / "valid.yaml").write_text(VALID, encoding="utf-8")
    code, output = run_check_cli(tmp_path)
    assert code == 0
    assert [(f["code"], f["file"], f["line"], f["column"]) for f in output["findings"]] == [VALID_CHECKED]


# -- YAML features that must never be expanded or constructed -------------------------------------


def test_alias_bomb_in_plan_document_is_refused_fast_without_expansion(tmp_path):
    repo = hostile_repo(tmp_path, "kind: okrs\nteam: t\nquarter: 2026-Q4\n" + BOMB)
    code, output = run_check_cli(repo, budget=3)
    assert code == 1
    assert located(output) == [("S002", 4, 4)]  # the anchored value that an alias repeats
    assert "aliases" in message(output, "S002")
    assert still_checked(output)


def test_alias_bomb_in_another_tools_document_is_skipped_fast(tmp_path):
    repo = hostile_repo(tmp_path, "kind: ConfigMap\n" + BOMB)
    code, output = run_check_cli(repo, budget=3)
    assert code == 0
    assert located(output) == []
    assert still_checked(output)


@pytest.mark.parametrize("foreign", [False, True], ids=["plan", "foreign"])
def test_python_object_tag_is_never_constructed(tmp_path, foreign):
    marker = tmp_path / "executed"
    kind = "Deployment" if foreign else "okrs"
    case = f"kind: {kind}\nteam: t\nquarter: 2026-Q4\nobjectives: !!python/object/apply:os.system ['touch {marker}']\n"
    code, output = run_check_cli(hostile_repo(tmp_path, case))
    assert not marker.exists()
    if foreign:
        assert (code, located(output)) == (0, [])
    else:
        assert (code, located(output)) == (1, [("S001", 4, 13)])
        assert "python/object/apply" in message(output, "S001")
    assert still_checked(output)


@pytest.mark.parametrize(
    ("line", "where"),
    [
        ("team: !!binary dGVhbQ==", (2, 7)),
        ("team: !local t", (2, 7)),
        ("team: !!python/name:os.system t", (2, 7)),
        ("objectives: !!set {a, b}", (4, 13)),
    ],
)
def test_non_standard_tags_are_s001(tmp_path, line, where):
    header = {"team": "team: t", "objectives": "objectives: []"}
    lines = ["kind: okrs", header["team"], "quarter: 2026-Q4", header["objectives"]]
    lines[1 if line.startswith("team") else 3] = line
    code, output = run_check_cli(hostile_repo(tmp_path, "\n".join(lines) + "\n"))
    assert (code, located(output)) == (1, [("S001", *where)])
    assert still_checked(output)


def test_tag_on_the_document_itself_is_s001(tmp_path):
    case = "--- !!python/object:os.system\nkind: okrs\nteam: t\nquarter: 2026-Q4\nobjectives: []\n"
    code, output = run_check_cli(hostile_repo(tmp_path, case))
    assert (code, located(output)) == (1, [("S001", 1, 5)])


def test_plain_equals_and_merge_signs_are_text_but_merge_keys_are_refused(tmp_path):
    case = (
        "kind: okrs\nteam: t\nquarter: 2026-Q4\nobjectives:\n"
        "  - {id: O1, title: '=', owner: =, key_results: [{id: KR1, title: <<, baseline: 1, target: 2}]}\n"
        "---\nkind: okrs\nteam: u\nquarter: 2026-Q4\n<<: {objectives: []}\n"
    )
    code, output = run_check_cli(hostile_repo(tmp_path, case))
    assert code == 1
    assert [f for f in located(output) if f[0].startswith("S")] == [("S002", 10, 1)]
    assert "merge keys" in message(output, "S002")


# -- nesting: libyaml's C composer recurses and would crash the whole process ---------------------

DEEP = 200_000


@pytest.mark.parametrize(
    ("case", "where"),
    [
        ("kind: okrs\nx: " + "[" * DEEP + "]" * DEEP + "\n", (2, 1003)),
        ("kind: okrs\nx: " + "{a: " * DEEP + "}" * DEEP + "\n", (2, 4 + 4 * 999)),
        ("kind: okrs\nx:\n  " + "- " * DEEP + "x\n", (3, 2001)),
        ("[" * DEEP + "\n", (1, 1001)),
    ],
    ids=["flow-sequences", "flow-mappings", "block-sequences", "unclosed"],
)
def test_deep_nesting_is_s001_in_a_real_process_without_crashing(tmp_path, case, where):
    """A subprocess: without the nesting guard libyaml segfaults, which no in-process test could report."""
    repo = hostile_repo(tmp_path, case)
    command = [sys.executable, "-m", "okrsprint", "check", str(repo), "--today", TODAY, "--format", "json"]
    process = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)  # a hang fails
    assert process.returncode == 1, process.stderr  # a crash is -11 (SIGSEGV)
    assert process.stderr == ""
    output = json.loads(process.stdout)
    assert located(output) == [("S001", *where)]
    assert "nested deeper than 1000 levels" in message(output, "S001")
    assert still_checked(output)


def test_nesting_a_little_deeper_than_plans_need_is_s002_not_a_recursion_error(tmp_path):
    case = "kind: okrs\nteam: t\nquarter: 2026-Q4\nx: " + "[" * 500 + "]" * 500 + "\n"
    code, output = run_check_cli(hostile_repo(tmp_path, case))
    assert code == 1
    assert [f[0] for f in located(output)] == ["S002"]
    assert "nested deeper than 32 levels" in message(output, "S002")


# -- bytes and encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "where", "words"),
    [
        (b"kind: okrs\nteam: t\x00\n", (2, 8), "NUL byte"),
        (b"kind: okrs\nteam: t\ntitle: caf\xe9\n", (3, 11), "not UTF-8: invalid byte 0xe9"),
        (b"kind: okrs\nteam: t\n\tquarter: 2026-Q4\n", (3, 1), "tab character"),
        ("kind: okrs\nteam: t\n".encode("utf-16"), (1, 1), "UTF-16"),
        ("kind: okrs\nteam: t\n".encode("utf-32"), (1, 1), "UTF-16 or UTF-32"),
    ],
    ids=["nul", "invalid-utf8", "tab", "utf16", "utf32"],
)
def test_broken_bytes_are_located_s001(tmp_path, case, where, words):
    code, output = run_check_cli(hostile_repo(tmp_path, case))
    assert (code, located(output)) == (1, [("S001", *where)])
    assert words in message(output, "S001")
    assert still_checked(output)


SECOND_PLAN = VALID.replace("checkout", "search").replace("    title: Make", "    type: sometimes\n    title: Make")


@pytest.mark.parametrize(
    "encode",
    [lambda text: b"\xef\xbb\xbf" + text.encode(), lambda text: text.replace("\n", "\r\n").encode()],
    ids=["utf8-bom", "crlf"],
)
def test_bom_and_crlf_are_fine_and_positions_stay_right(tmp_path, encode):
    code, output = run_check_cli(hostile_repo(tmp_path, encode(SECOND_PLAN)))
    assert code == 1
    assert located(output) == [("S002", 6, 5)]  # type: sometimes, line 6 column 5 as an editor shows it
    assert still_checked(output)


# -- sizes ------------------------------------------------------------------------------------------

HUGE = 5_000_000


@pytest.mark.parametrize(
    "case",
    [
        "kind: okrs\nteam: t\nquarter: " + "Q" * HUGE + "\nobjectives: []\n",
        "kind: okrs\nteam: t\nquarter: 2026-Q4\n? " + "K" * HUGE + "\n: 1\nobjectives: []\n",
        "kind: okrs\nteam: t\nquarter: 2026-Q4\nobjectives:\n  - {id: " + "I" * HUGE + ", title: x, owner: y}\n",
        "kind: okrs\nteam: checkout\nquarter: 2026-Q4\nobjectives:\n  - {id: O2, title: x, owner: y, aligns_to: "
        + "c:"
        + "O" * HUGE
        + ", key_results: [{id: K, title: "
        + "T" * HUGE
        + ", baseline: 1, target: 1}]}\n",
        "kind: backlog\nteam: checkout\nquarter: 2026-Q4\nitems:\n  - {id: X, title: x, krs: [" + "R" * HUGE + "]}\n",
        "kind: okrs\nteam: t\nquarter: '" + "s" * HUGE + "\n",
        "kind: okrs\nteam: !" + "t" * HUGE + " t\nquarter: 2026-Q4\nobjectives: []\n",
        "? " + "K" * HUGE + "\n: 1\n? " + "K" * HUGE + "\n: 1\nkind: okrs\n",
    ],
    ids=["value", "unknown-key", "id", "reference-and-title", "kr-reference", "syntax", "tag", "duplicate-key"],
)
def test_huge_scalars_never_make_huge_messages(tmp_path, case):
    code, output = run_check_cli(hostile_repo(tmp_path, case))  # run_check_cli asserts every message < 500
    assert code == 1
    assert located(output)
    assert all(len(f["message"]) <= MAX_MESSAGE for f in output["findings"])
    assert still_checked(output)


def test_huge_scalar_in_text_output_is_cut_too(tmp_path):
    case = "kind: okrs\nteam: t\nquarter: 2026-Q4\nobjectives:\n  - {id: " + "I" * HUGE + ", title: x, owner: y}\n"
    result = CliRunner().invoke(app, ["check", str(hostile_repo(tmp_path, case)), "--today", TODAY])
    assert result.exit_code == 1
    assert max(map(len, result.stdout.splitlines())) < 600


def test_very_long_line_of_a_valid_plan_is_fine(tmp_path):
    case = SECOND_PLAN.replace("type: sometimes", "owner: " + "maria " * 400_000)
    code, output = run_check_cli(hostile_repo(tmp_path, case))
    assert (code, located(output)) == (0, [])
    assert still_checked(output)


def test_a_generated_monster_reports_20_schema_errors_and_how_many_more(tmp_path):
    case = "kind: okrs\nteam: t\nquarter: 2026-Q4\nobjectives: [" + "x, " * 100_000 + "]\n"
    code, output = run_check_cli(hostile_repo(tmp_path, case))
    findings = located(output)
    assert code == 1
    assert len(findings) == 21
    assert findings[20] == ("S002", 4, 14 + 3 * 20)  # where the first unreported error stands
    assert message(output, "S002").startswith("'objectives'")
    assert "99980 more schema errors" in output["findings"][20]["message"]


def test_file_over_the_size_limit_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 200)
    repo = hostile_repo(tmp_path, "kind: okrs\n" + "# padding\n" * 30)
    code, output = run_check_cli(repo)
    assert (code, located(output)) == (1, [("S001", 1, 1)])
    assert "more than the limit of 200" in message(output, "S001")


# -- the file system --------------------------------------------------------------------------------


def test_symlink_loops_end_and_each_file_is_read_once(tmp_path):
    repo = hostile_repo(tmp_path, SECOND_PLAN, "team/search.yaml")
    (repo / "team" / "loop").symlink_to("..", target_is_directory=True)
    (repo / "team" / "self").symlink_to(".", target_is_directory=True)
    code, output = run_check_cli(repo, budget=5)
    assert code == 1
    assert output["summary"]["files"] == 2
    assert located(output, "team/search.yaml") == [("S002", 6, 5)]
    assert still_checked(output)


def test_symlinks_leading_outside_the_root_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("kind: okrs\nteam: [broken\n", encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    hostile_repo(repo, SECOND_PLAN)
    (repo / "linked-file.yaml").symlink_to(outside / "secret.yaml")
    (repo / "linked-dir").symlink_to(outside, target_is_directory=True)
    (repo / "dangling.yaml").symlink_to(tmp_path / "missing.yaml")
    code, output = run_check_cli(repo)
    assert code == 1
    assert output["summary"]["files"] == 2
    assert {f["file"] for f in output["findings"]} == {"case.yaml", "valid.yaml"}


def test_unreadable_file_is_s001_and_the_rest_is_checked(tmp_path, monkeypatch):
    repo = hostile_repo(tmp_path, SECOND_PLAN)
    locked = repo / "case.yaml"
    read_bytes = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    code, output = run_check_cli(repo)
    assert (code, located(output)) == (1, [("S001", 1, 1)])
    assert message(output, "S001") == "cannot read file: Permission denied"
    assert still_checked(output)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_chmod_000_file_is_s001(tmp_path):
    repo = hostile_repo(tmp_path, SECOND_PLAN)
    (repo / "case.yaml").chmod(0)
    try:
        code, output = run_check_cli(repo)
    finally:
        (repo / "case.yaml").chmod(0o644)
    assert (code, located(output)) == (1, [("S001", 1, 1)])


def test_directory_named_like_a_plan_file_is_walked_not_read(tmp_path):
    repo = hostile_repo(tmp_path, SECOND_PLAN, "plans.yaml/search.yaml")
    code, output = run_check_cli(repo)
    assert code == 1
    assert output["summary"]["files"] == 2
    assert located(output, "plans.yaml/search.yaml") == [("S002", 6, 5)]


# -- documents that are not what a plan looks like --------------------------------------------------


@pytest.mark.parametrize(
    "case",
    ["", "# only a comment\n", "---\n---\n", "- a list\n- of things\n", "just a scalar\n"]
    + ["kind: 5\n", "kind: [okrs]\n"],
    ids=["empty", "comment-only", "empty-documents", "list", "scalar", "kind-number", "kind-list"],
)
def test_documents_that_are_not_plans_are_skipped_silently(tmp_path, case):
    code, output = run_check_cli(hostile_repo(tmp_path, case))
    assert (code, located(output)) == (0, [])
    assert output["summary"]["files"] == 2
    assert still_checked(output)


@pytest.mark.parametrize(
    ("case", "expected", "words"),
    [
        ("kind: okrs\nteam: t\nquarter: 2026-Q4\nobjectives: 5\n", ("S002", 4, 1), "'objectives': expected a list"),
        ("kind: okrs\nteam: t\nteam: u\nquarter: 2026-Q4\nobjectives: []\n", ("S003", 3, 1), "duplicate key 'team'"),
        ("kind: okrs\nteam: t\nquarter: 2026-Q4\n1: x\nobjectives: []\n", ("S002", 4, 1), "keys must be plain strings"),
        ("kind: okrs\nteam: t\nquarter: 2026-Q4\n? [a, b]\n: x\n", ("S002", 4, 3), "keys must be plain strings"),
        ("kind: okrs\nteam: t\nquarter: 2026-Q4\nnull: x\n", ("S002", 4, 1), "keys must be plain strings"),
    ],
    ids=["objectives-number", "duplicate-key", "number-key", "list-key", "null-key"],
)
def test_malformed_plan_documents(tmp_path, case, expected, words):
    code, output = run_check_cli(hostile_repo(tmp_path, case))
    assert (code, located(output)) == (1, [expected])
    assert words in message(output, expected[0])
    assert still_checked(output)


@pytest.mark.parametrize(
    ("quarter", "day"),
    [("0001-Q1", "0001-01-01"), ("9999-Q4", "9999-12-31"), ("2026-Q4", "9999-12-31")],
)
def test_extreme_dates_are_schema_errors_not_overflows(tmp_path, quarter, day):
    case = (
        f"kind: sprints\nteam: search\nquarter: {quarter}\nsprints:\n"
        f"  - {{id: S1, start: {day}, end: {day}, goal: Search is fast, krs: [KR1]}}\n"
    )
    code, output = run_check_cli(hostile_repo(tmp_path, case))
    assert code == 1
    assert {f[0] for f in located(output)} == {"S002"}
    assert any("between 1900-01-01 and 2999-12-31" in f["message"] for f in output["findings"])


# -- the config: every problem is a usage error (exit 2) located in okrsprint.yaml ------------------


@pytest.mark.parametrize(
    ("config", "where", "words"),
    [
        (b"team: t\x00\n", "1:8", "NUL byte"),
        (b"team: caf\xe9\n", "1:10", "not UTF-8"),
        (b"settings: &s {max_objectives: 3}\nrules: *s\n", "1:11", "aliases"),
        (b"team: !!python/object/apply:os.system [true]\n", "1:7", "unsupported YAML tag"),
        (b"exclude: " + b"[" * DEEP + b"\n", "1:1009", "nested deeper than 1000 levels"),
        (b"- team: t\n", "1:1", "must be a mapping"),
        (b"team: t\n---\nteam: u\n", "3:1", "single YAML document"),
        (b"team: t\nteam: u\n", "2:1", "duplicate key 'team'"),
        (b"settings:\n  outcome_lag_days: 100000000000000000000\n", "2:3", "less than or equal to 366"),
        (b"rules:\n  ignore: [" + b"X" * HUGE + b"]\n", "2:12", "unknown rule 'XXX"),
    ],
    ids=["nul", "utf8", "alias", "tag", "deep", "list", "two-documents", "duplicate", "huge-lag", "huge-rule"],
)
def test_broken_config_is_a_located_usage_error(tmp_path, config, where, words):
    """In a real process: the deep case would crash libyaml without the guard."""
    hostile_repo(tmp_path, SECOND_PLAN)
    (tmp_path / "okrsprint.yaml").write_bytes(config)
    process = subprocess.run(
        [sys.executable, "-m", "okrsprint", "check", str(tmp_path), "--today", TODAY],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert process.returncode == 2
    assert process.stdout == ""
    assert process.stderr.startswith(f"okrsprint: error: okrsprint.yaml:{where}: ")
    assert words in process.stderr
    assert len(process.stderr) < 500


def test_config_over_the_size_limit_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 100)
    hostile_repo(tmp_path, SECOND_PLAN)
    (tmp_path / "okrsprint.yaml").write_text("# padding\n" * 20, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.startswith("okrsprint: error: okrsprint.yaml:1:1: file is 200 bytes, more than the limit")


def test_undecodable_bytes_in_arguments_of_the_installed_command(tmp_path):
    """argv arrives as surrogate escapes; the messages that echo it must still print (stderr backslash-escapes)."""
    script = Path(sys.executable).with_name("okrsprint")
    hostile_repo(tmp_path, SECOND_PLAN)
    today = [b"check", str(tmp_path).encode(), b"--today", b"\xff"]
    for args in ([b"check", b"missing-\xff"], today, [b"rules", b"\xff"]):
        process = subprocess.run([str(script).encode(), *args], capture_output=True, timeout=60, check=False)
        assert process.returncode == 2
        assert process.stderr.startswith(b"okrsprint: error: ")
        assert b"Traceback" not in process.stderr


def test_clip_keeps_what_a_message_is_about_and_its_hint():
    message = "objective " + "I" * 10_000 + " has no owner: name who is accountable for it"
    cut = clip(message)
    assert len(cut) <= MAX_MESSAGE
    assert cut.startswith("objective III")
    assert cut.endswith("III has no owner: name who is accountable for it")
    assert clip("short") == "short"
