"""`okrsprint check` read without typer (`okrsprint.fast_path`): the same exit code, output and files as the
typer command for every command line it takes, and typer for every one it does not."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrsprint.cli import app
from okrsprint.fast_path import check_command_line
from tests.helpers import EXAMPLES


@pytest.fixture(scope="module")
def repos(tmp_path_factory) -> Path:
    """Copies of the examples (the runs write their caches there), one with a warning, and a place for outputs."""
    root = tmp_path_factory.mktemp("fast")
    for name in ("checkout", "mid-quarter", "multi-team"):
        shutil.copytree(EXAMPLES / name, root / name, ignore=shutil.ignore_patterns(".okrsprint_cache"))
    sprints = root / "checkout" / "sprints" / "2026-Q4.yaml"
    sprints.write_text(sprints.read_text(encoding="utf-8").replace("goal:", "goal: Implement", 1), encoding="utf-8")
    return root


def through_typer(arguments: list[str], capsys) -> tuple[object, str, str]:
    with pytest.raises(SystemExit) as done:
        app(["check", *arguments], prog_name="okrsprint")
    captured = capsys.readouterr()
    return done.value.code or 0, captured.out, captured.err


def through_fast_path(arguments: list[str], capsys) -> tuple[object, str, str] | None:
    code = check_command_line(arguments)
    captured = capsys.readouterr()
    return None if code is None else (code, captured.out, captured.err)


TOKENS = [
    ["checkout"],
    ["mid-quarter"],
    ["multi-team"],
    ["checkout/okrs/2026-Q4.yaml"],
    ["missing"],
    ["--strict"],
    ["--exit-zero"],
    ["--quiet"],
    ["-q"],
    ["--no-cache"],
    ["--today", "2026-11-23"],
    ["--today", "2026-10-02"],
    ["--today", "2026-13-01"],
    ["--today", ""],
    *(["--format", name] for name in ("text", "json", "github", "sarif", "junit", "markdown")),
    ["--select", "A1,C"],
    ["--select", "S"],
    ["--ignore", "A3"],
    ["--ignore", "capacity-share,Z9"],
    ["--jobs", "1"],
    ["-j", "0"],
    ["--config", "checkout/okrsprint.yaml"],
    ["--config", "missing.yaml"],
    ["--output-file", "out/findings.json"],
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(TOKENS), max_size=5))
def test_the_fast_path_does_what_typer_does(repos, capsys, monkeypatch, chosen):
    monkeypatch.chdir(repos)
    for name in ("OKRSPRINT_OUTPUT_FORMAT", "OKRSPRINT_JOBS"):
        monkeypatch.delenv(name, raising=False)
    arguments = [token for tokens in chosen for token in tokens]
    output = repos / "out" / "findings.json"
    shutil.rmtree(output.parent, ignore_errors=True)
    fast = through_fast_path(arguments, capsys)
    assert fast is not None, arguments
    written = output.read_bytes() if output.exists() else None
    shutil.rmtree(output.parent, ignore_errors=True)
    assert fast == through_typer(arguments, capsys)
    assert written == (output.read_bytes() if output.exists() else None)


def test_the_fast_path_sees_findings_and_fails_strictly(repos, capsys, monkeypatch):
    """Not vacuous: the repos above give both exit codes and a warning the fast path prints."""
    monkeypatch.chdir(repos)
    code, out, _ = through_fast_path(["checkout", "--today", "2026-11-23", "--strict"], capsys)
    assert code == 1 and " A204 [warning]" in out
    assert through_fast_path(["mid-quarter", "--today", "2026-11-23"], capsys)[0] == 0


@pytest.mark.parametrize(
    "arguments",
    [
        ["--help"],
        ["-h"],
        ["--format=json"],
        ["--", "checkout"],
        ["-"],
        [""],
        ["--today"],
        ["--select", "--strict"],
        ["--format", "xml"],
        ["--format", "JSON"],
        ["--jobs", "-1"],
        ["--jobs", "two"],
        ["--unknown"],
        ["-qj", "1"],
    ],
)
def test_command_lines_it_does_not_read_exactly_are_left_to_typer(arguments):
    assert check_command_line(arguments) is None


@pytest.mark.parametrize("variable", ["OKRSPRINT_OUTPUT_FORMAT", "OKRSPRINT_JOBS"])
def test_an_option_set_in_the_environment_is_left_to_typer(monkeypatch, variable):
    monkeypatch.setenv(variable, "json" if variable.endswith("FORMAT") else "1")
    assert check_command_line(["checkout"]) is None


def test_the_console_script_checks_without_importing_typer(repos):
    """What the fast path is for: the pre-commit hook's `okrsprint check` never pays for typer and click."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "okrsprint", "check", "checkout", "--today", "2026-11-23"],
        cwd=repos,
        capture_output=True,
        text=True,
        timeout=60,
    )
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time")}
    assert result.returncode == 0, result.stderr
    assert "okrsprint.engine" in imported
    assert not {"typer", "click", "okrsprint.cli"} & imported


@pytest.mark.parametrize("reader", [through_fast_path, through_typer])
def test_ctrl_c_during_a_check_is_one_line_and_exit_130(repos, capsys, monkeypatch, reader):
    """Both readers end an interrupted check through the one error handler: no traceback, a shell's 130."""
    import okrsprint.commands.check

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.chdir(repos)
    monkeypatch.setattr(okrsprint.commands.check, "run_check", interrupted)
    assert reader(["checkout"], capsys) == (130, "", "okrsprint: interrupted\n")
