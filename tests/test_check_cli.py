"""``okrsprint check`` as users and CI call it: exit codes, options, text and JSON output, real processes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from okrsprint import cli
from okrsprint.cli import app
from tests.builders import key_result, objective, okrs
from tests.helpers import EXAMPLES

TODAY = "2026-11-23"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
LINE = re.compile(r"^[^\s:][^:]*:\d+:\d+: [AS]\d{3} \[(error|warning|info)\] \S.*$")

# One warning (A105 on the KR title, line 10) and, with --select A1 only, nothing else.
WARNING_ONLY = okrs(objective("O1", key_result("KR1", title="Implement tracking")))
# One error (A103 at line 16) and one warning (A105).
ERROR_AND_WARNING = okrs(
    objective("O1", key_result("KR1", title="Implement tracking")), objective("O2", key_results=[])
)


def invoke(*args: object, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, [str(arg) for arg in args], env=env)


def check_a1(root: Path, *args: object):
    return invoke("check", root, "--today", TODAY, "--select", "A1", *args)


# -- exit codes -----------------------------------------------------------------------------


@pytest.mark.parametrize("example", ["checkout", "multi-team"])
def test_examples_exit_0_under_strict(example):
    outcome = invoke("check", EXAMPLES / example, "--strict", "--today", TODAY)
    assert outcome.exit_code == 0, outcome.output
    assert outcome.stdout.startswith("All checks passed (")


def test_warning_only_exits_0_and_1_under_strict(repo):
    root = repo({"o.yaml": WARNING_ONLY})
    assert check_a1(root).exit_code == 0
    assert check_a1(root, "--strict").exit_code == 1


def test_info_only_passes_strict(repo):
    root = repo({"okrsprint.yaml": "rules: {severity: {A105: info}}\n", "o.yaml": WARNING_ONLY})
    outcome = check_a1(root, "--strict")
    assert outcome.exit_code == 0
    assert " A105 [info] " in outcome.stdout


def test_error_exits_1(repo):
    assert check_a1(repo({"o.yaml": ERROR_AND_WARNING})).exit_code == 1


def test_structure_error_exits_1(repo):
    assert invoke("check", repo({"o.yaml": "kind: okrs\n"}), "--today", TODAY).exit_code == 1


def test_exit_zero_reports_and_exits_0(repo):
    outcome = check_a1(repo({"o.yaml": ERROR_AND_WARNING}), "--exit-zero", "--strict")
    assert outcome.exit_code == 0
    assert " A103 [error] " in outcome.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--today", "2026-13-01"], "--today must be a date YYYY-MM-DD, not '2026-13-01'"),
        (["--today", "yesterday"], "--today must be a date"),
        (["{root}/missing"], "path not found"),
        (["--select", "A1,nothing"], "unknown rule 'nothing'"),
        (["--select", "okr-capcity-share"], "unknown rule 'okr-capcity-share': did you mean 'okr-capacity-share'?"),
        (["--ignore", "a2o4"], "unknown rule 'a2o4': did you mean 'A204'?"),
        (["--config", "{root}/none.yaml"], "config file not found"),
    ],
)
def test_usage_errors_exit_2_even_with_exit_zero(repo, args, words):
    root = repo({"o.yaml": WARNING_ONLY})
    outcome = invoke("check", *[arg.format(root=root) for arg in args], "--exit-zero")
    assert outcome.exit_code == 2
    assert outcome.stdout == ""
    assert outcome.stderr.startswith("okrsprint: error: ")
    assert words in outcome.stderr


def test_bad_format_is_exit_2(repo):
    outcome = invoke("check", repo({}), "--format", "xml")
    assert outcome.exit_code == 2


def test_missing_path_is_exit_2(tmp_path):
    outcome = invoke("check", tmp_path / "nope")
    assert outcome.exit_code == 2
    assert "path not found" in outcome.stderr


# -- text output -----------------------------------------------------------------------------------


def test_text_lines_and_summary(repo):
    outcome = check_a1(repo({"o.yaml": ERROR_AND_WARNING}))
    lines = outcome.stdout.splitlines()
    assert lines[0].startswith("o.yaml:10:5: A105 [warning] key result KR1 starts with 'implement'")
    assert lines[1].startswith("o.yaml:16:3: A103 [error] objective O2 has no key results")
    assert all(LINE.match(line) for line in lines[:-1])
    assert lines[-1] == "Found 2 problems: 1 error, 1 warning, 0 infos (1 file, 1 plan document)."
    assert len(lines) == 3


def test_quiet_prints_findings_only(repo):
    outcome = check_a1(repo({"o.yaml": ERROR_AND_WARNING}), "--quiet")
    assert [line.split(":")[0:3] for line in outcome.stdout.splitlines()] == [
        ["o.yaml", "10", "5"],
        ["o.yaml", "16", "3"],
    ]
    assert "Found" not in outcome.stdout
    assert check_a1(repo({"o.yaml": okrs(objective())}), "-q").stdout == ""


def test_clean_summary_counts_files_and_documents(repo):
    root = repo({"o.yaml": okrs(objective()) + "---\nkind: Deployment\n", "ci.yml": "on: push\n"})
    assert check_a1(root).stdout == "All checks passed (2 files, 1 plan document).\n"


def test_single_file_path_reports_only_that_file(repo):
    other_team = WARNING_ONLY.replace("checkout", "search")
    root = repo({"okrsprint.yaml": "", "a/o.yaml": WARNING_ONLY, "b/o.yaml": other_team})
    outcome = check_a1(root / "b" / "o.yaml", "--quiet")
    assert outcome.stdout.splitlines() == [
        "b/o.yaml:10:5: A105 [warning] key result KR1 starts with 'implement': it names a task (output); "
        "name the metric it should move (outcome) and put the task in the backlog"
    ]


def test_no_colour_when_not_a_terminal(repo):
    outcome = check_a1(repo({"o.yaml": ERROR_AND_WARNING}))
    assert not ANSI.search(outcome.stdout)


# -- JSON output --------------------------------------------------------------------------------


def json_of(root: Path, *args: object) -> dict:
    outcome = invoke("check", root, "--format", "json", "--today", TODAY, *args)
    assert outcome.exit_code in (0, 1), outcome.output
    return json.loads(outcome.stdout)


def test_json_document_exactly_as_specified(repo):
    root = repo({"teams/checkout/o.yaml": ERROR_AND_WARNING, "z.yaml": "a: [\n"})
    document = json_of(root, "--select", "A1")
    assert list(document) == ["version", "root", "findings", "summary"]
    assert document["version"] == 1
    assert document["root"] == str(root.resolve())
    assert Path(document["root"]).is_absolute()
    assert document["findings"][0] == {
        "code": "A105",
        "name": "key-result-is-a-task",
        "severity": "warning",
        "message": document["findings"][0]["message"],
        "file": "teams/checkout/o.yaml",
        "line": 10,
        "column": 5,
        "team": "checkout",
        "quarter": "2026-Q4",
    }
    assert [list(f) for f in document["findings"]] == [
        ["code", "name", "severity", "message", "file", "line", "column", "team", "quarter"]
    ] * 3
    syntax = document["findings"][2]
    assert (syntax["code"], syntax["file"], syntax["team"], syntax["quarter"]) == ("S001", "z.yaml", None, None)
    assert document["summary"] == {
        "files": 2,
        "documents": 1,
        "errors": 2,
        "warnings": 1,
        "infos": 0,
        "hidden": 0,
    }
    assert all(isinstance(value, int) for value in document["summary"].values())


def test_json_findings_sorted_by_file_line_column_code(repo):
    text = okrs(
        objective("O1", key_result("KR1", title="Ship it")), objective("O2", key_result("KR2", title="Ship it"))
    )
    root = repo({"b.yaml": text, "a.yaml": text.replace("checkout", "search")})
    findings = json_of(root)["findings"]
    keys = [(f["file"], f["line"], f["column"], f["code"]) for f in findings]
    assert keys == sorted(keys)
    assert {f["file"] for f in findings} == {"a.yaml", "b.yaml"}
    assert any(a[:3] == b[:3] and a[3] < b[3] for a, b in zip(keys, keys[1:], strict=False))


def test_json_empty(repo):
    document = json_of(repo({"o.yaml": okrs(objective())}), "--select", "A1")
    assert document["findings"] == []
    assert document["summary"] == {
        "files": 1,
        "documents": 1,
        "errors": 0,
        "warnings": 0,
        "infos": 0,
        "hidden": 0,
    }


def test_json_quiet_is_still_the_whole_document(repo):
    assert "summary" in json_of(repo({"o.yaml": WARNING_ONLY}), "--quiet")


# -- real processes -----------------------------------------------------------------------------------

SCRIPT = Path(sys.executable).with_name("okrsprint")


def run(command: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update(env or {})
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=60)


@pytest.mark.parametrize("launcher", [[str(SCRIPT)], [sys.executable, "-m", "okrsprint"]], ids=["script", "module"])
def test_real_process_exit_codes_and_output(repo, launcher):
    assert SCRIPT.exists(), "the console script is installed with the package"
    root = repo({"o.yaml": ERROR_AND_WARNING})
    failed = run([*launcher, "check", str(root), "--today", TODAY, "--select", "A1"])
    assert failed.returncode == 1
    assert not ANSI.search(failed.stdout)
    assert failed.stdout.splitlines()[-1] == "Found 2 problems: 1 error, 1 warning, 0 infos (1 file, 1 plan document)."
    clean = run([*launcher, "check", str(EXAMPLES / "checkout"), "--strict", "--today", TODAY, "--format", "json"])
    assert clean.returncode == 0
    assert json.loads(clean.stdout)["findings"] == []
    usage = run([*launcher, "check", str(root / "missing")])
    assert usage.returncode == 2
    assert usage.stderr.startswith("okrsprint: error: path not found")
    assert "Traceback" not in usage.stderr


def test_version(repo):
    outcome = run([str(SCRIPT), "--version"])
    assert outcome.returncode == 0
    assert re.fullmatch(r"okrsprint \d+\.\d+\.\d+\S*\n", outcome.stdout)


def on_terminal(command: list[str], env: dict[str, str]) -> str:
    """Run with stdout on a pseudo-terminal, as a person at a shell sees it."""
    pty = pytest.importorskip("pty")
    primary, secondary = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    environment.update({"TERM": "xterm-256color", "COLUMNS": "200", **env})
    try:
        process = subprocess.Popen(command, stdout=secondary, stderr=subprocess.DEVNULL, env=environment)
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    finally:
        os.close(primary)
    return b"".join(chunks).decode()


def test_colour_on_a_terminal_unless_no_color(repo):
    root = repo({"o.yaml": ERROR_AND_WARNING})
    command = [str(SCRIPT), "check", str(root), "--today", TODAY, "--select", "A1"]
    coloured = on_terminal(command, {})
    assert ANSI.search(coloured)
    assert "A103" in coloured
    plain = on_terminal(command, {"NO_COLOR": "1"})
    assert not ANSI.search(plain)
    assert "o.yaml:16:3: A103 [error] objective O2 has no key results" in plain


def test_terminal_output_does_not_wrap_finding_lines(repo):
    root = repo({"o.yaml": ERROR_AND_WARNING})
    output = on_terminal(
        [str(SCRIPT), "check", str(root), "--today", TODAY, "--select", "A1"], {"NO_COLOR": "1", "COLUMNS": "40"}
    )
    assert any(
        line.startswith("o.yaml:10:5: A105 [warning] ") and line.endswith("backlog") for line in output.splitlines()
    )


def test_internal_error_is_exit_2_without_traceback(monkeypatch, capsys):
    def explode(options):
        raise RuntimeError("boom")

    monkeypatch.setattr("okrsprint.commands.check.run_check", explode)
    monkeypatch.setattr(sys, "argv", ["okrsprint", "check", "."])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "okrsprint: internal error: RuntimeError: boom" in err
    assert "Traceback" not in err
