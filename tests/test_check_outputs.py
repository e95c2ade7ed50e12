"""``check --output-file``, ``OKRSPRINT_OUTPUT_FORMAT`` and the GitHub Actions annotations of the text report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from okrsprint.cli import app
from tests.helpers import EXAMPLES, write

BROKEN = {
    "okrs.yaml": """
        kind: okrs
        team: t
        quarter: 2026-Q4
        objectives:
          - {id: O1, title: Happy customers, owner: a}
        """
}
runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, ["check", *args, "--today", "2026-11-23"], env=env)


def test_output_file_gets_the_format_and_stdout_the_text_report(tmp_path):
    root = write(tmp_path / "plan", BROKEN)
    target = tmp_path / "out" / "okrsprint.sarif"
    result = run(str(root), "--format", "sarif", "--output-file", str(target))
    assert result.exit_code == 1
    assert "okrs.yaml:5:5: A103 [error]" in result.stdout
    assert "Found 1 problem" in result.stdout
    log = json.loads(target.read_text(encoding="utf-8"))
    assert [finding["ruleId"] for finding in log["runs"][0]["results"]] == ["A103"]


def test_output_file_replaces_an_existing_file_and_leaves_no_temporary_file(tmp_path):
    root = write(tmp_path / "plan", BROKEN)
    target = tmp_path / "report.json"
    target.write_text("old and much longer content " * 100, encoding="utf-8")
    assert run(str(root), "--format", "json", "--output-file", str(target), "--exit-zero").exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["errors"] == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == ["plan", "report.json"]


def test_output_file_that_cannot_be_written_is_a_usage_error(tmp_path):
    root = write(tmp_path / "plan", BROKEN)
    (tmp_path / "blocker").write_text("a file, not a folder", encoding="utf-8")
    result = run(str(root), "--format", "sarif", "--output-file", str(tmp_path / "blocker" / "out.sarif"))
    assert result.exit_code == 2
    assert "cannot write" in result.stderr and "Traceback" not in result.output


def test_format_from_the_environment_and_the_option_wins(tmp_path):
    root = write(tmp_path, BROKEN)
    from_env = run(str(root), env={"OKRSPRINT_OUTPUT_FORMAT": "json"})
    assert json.loads(from_env.stdout)["summary"]["errors"] == 1
    overridden = run(str(root), "--format", "github", env={"OKRSPRINT_OUTPUT_FORMAT": "json"})
    assert overridden.stdout.startswith("::error file=okrs.yaml,line=5,col=5,title=A103::")


def test_bad_format_in_the_environment_is_a_usage_error(tmp_path):
    result = run(str(write(tmp_path, BROKEN)), env={"OKRSPRINT_OUTPUT_FORMAT": "yaml"})
    assert result.exit_code == 2
    assert "--format" in result.output


def test_github_actions_adds_annotations_to_the_text_report_only(tmp_path):
    root = write(tmp_path, BROKEN)
    text = run(str(root), env={"GITHUB_ACTIONS": "true"})
    assert text.exit_code == 1
    lines = text.stdout.splitlines()
    assert lines[0].startswith("okrs.yaml:5:5: A103 [error]")
    assert lines[-1].startswith("::error file=okrs.yaml,line=5,col=5,title=A103::objective O1")
    machine = run(str(root), "--format", "json", env={"GITHUB_ACTIONS": "true"})
    assert "::error" not in machine.stdout
    outside = run(str(root), env={"GITHUB_ACTIONS": "false"})
    assert "::error" not in outside.stdout


def test_exit_codes_are_the_same_in_every_format(tmp_path):
    root = write(tmp_path, BROKEN)
    for name in ("text", "json", "github", "sarif", "junit", "markdown"):
        assert run(str(root), "--format", name).exit_code == 1, name
        assert run(str(root), "--format", name, "--exit-zero").exit_code == 0, name
        assert run(str(EXAMPLES / "checkout"), "--format", name, "--strict").exit_code == 0, name


def test_console_script_in_a_ci_step(tmp_path):
    """The CI recipe of the README through the installed console script, run from the checkout, the plan in a sub-folder."""
    write(tmp_path / "plan", BROKEN)
    script = Path(sys.executable).with_name("okrsprint")
    completed = subprocess.run(
        [str(script), "check", "plan", "--strict", "--format", "sarif", "--output-file", "okrsprint.sarif", "--today", "2026-11-23"],
        cwd=tmp_path, env={**os.environ, "GITHUB_ACTIONS": "true"}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert completed.returncode == 1, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0].startswith("okrs.yaml:5:5: A103 [error]")  # the human report: paths from the planning repo's root
    assert lines[-1].startswith("::error file=plan/okrs.yaml,line=5,col=5,title=A103::")  # GitHub: from the checkout
    log = json.loads((tmp_path / "okrsprint.sarif").read_text(encoding="utf-8"))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "plan/okrs.yaml"
    assert location["region"] == {"startLine": 5, "startColumn": 5}
