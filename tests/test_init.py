"""``okrsprint init``: a planning repo that passes ``okrsprint check --strict`` on the day it is made; never overwrites."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from okrsprint.cli import app
from okrsprint.commands.init import init_repo
from okrsprint.errors import UsageError
from okrsprint.quarters import Quarter
from tests.conftest import check

runner = CliRunner()
DAYS = [
    date(2026, 1, 1),  # the first day of a quarter: no check-in yet
    date(2026, 1, 15),  # the first check-in is due
    date(2026, 3, 31),  # the last day of a 90-day quarter
    date(2028, 2, 29),  # a leap day
    date(2026, 6, 30),
    date(2026, 8, 17),  # mid-quarter: sprints done, doing and to do
    date(2026, 11, 23),
    date(2026, 12, 31),  # the last day of the year
]


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_init_then_check_strict_passes_on_the_day(tmp_path, today):
    init_repo(tmp_path, today)
    result = check(tmp_path, today=today)
    assert result.findings == [], [finding.as_dict() for finding in result.findings]
    assert result.documents == 3
    quarter = Quarter.containing(today)  # year_start_month is left at its default, 1
    assert (tmp_path / "okrs" / f"{quarter}.yaml").is_file()


def test_example_reflects_the_day(tmp_path):
    """Past sprints are done, the running one is in progress, check-ins reach up to today."""
    init_repo(tmp_path, date(2026, 11, 23))
    sprints = yaml.safe_load((tmp_path / "sprints" / "2026-Q4.yaml").read_text(encoding="utf-8"))["sprints"]
    assert [sprint["start"] for sprint in sprints][:2] == [date(2026, 10, 1), date(2026, 10, 15)]
    items = yaml.safe_load((tmp_path / "backlog" / "2026-Q4.yaml").read_text(encoding="utf-8"))["items"]
    status = {item["id"]: item.get("status", "todo") for item in items}
    assert status["PB-101"] == "done" and status["PB-204"] == "doing" and status["PB-106"] == "todo"
    okrs = yaml.safe_load((tmp_path / "okrs" / "2026-Q4.yaml").read_text(encoding="utf-8"))
    checkins = okrs["objectives"][0]["key_results"][0]["checkins"]
    assert [checkin["date"] for checkin in checkins] == [date(2026, 10, 15), date(2026, 10, 29), date(2026, 11, 12)]


def test_init_writes_the_tooling_files(tmp_path):
    init_repo(tmp_path, date(2026, 11, 23), team="checkout")
    hooks = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook_repo = hooks["repos"][0]
    assert hook_repo["rev"] == "v0.1.0" and hook_repo["hooks"][0]["id"] == "okrsprint"
    assert "PLACEHOLDER" in (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    workflow = yaml.safe_load((tmp_path / ".github" / "workflows" / "okrsprint.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["check"]["steps"]
    runs = " ".join(step.get("run", "") for step in steps)
    assert "okrsprint check" in runs and "--format sarif --output-file okrsprint.sarif" in runs
    assert "$GITHUB_STEP_SUMMARY" in runs
    upload = next(step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"] == "okrsprint.sarif"
    assert workflow["permissions"]["security-events"] == "write"
    config = (tmp_path / "okrsprint.yaml").read_text(encoding="utf-8")
    assert "team: checkout" in config and "#   max_objectives: 3" in config
    assert "{{" not in config


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path):
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "okrsprint.yml").write_text("mine\n", encoding="utf-8")
    (tmp_path / "okrsprint.yaml").write_text("team: mine\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path), "--today", "2026-11-23"])
    assert result.exit_code == 2
    assert "okrsprint.yaml" in result.stderr and "okrsprint.yml" in result.stderr
    assert (tmp_path / "okrsprint.yaml").read_text(encoding="utf-8") == "team: mine\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == [".github", "okrsprint.yaml"]


def test_init_rejects_a_bad_team_and_a_file_as_directory(tmp_path):
    with pytest.raises(UsageError):
        init_repo(tmp_path, date(2026, 11, 23), team="Checkout Team")
    (tmp_path / "file").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path / "file")])
    assert result.exit_code == 2 and "not a directory" in result.stderr
    assert runner.invoke(app, ["init", str(tmp_path / "x"), "--today", "someday"]).exit_code == 2


def test_console_script_init_then_check(tmp_path):
    script = str(Path(sys.executable).with_name("okrsprint"))
    env = {**os.environ, "NO_COLOR": "1"}
    created = subprocess.run([script, "init", "plans", "--today", "2027-05-02"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert "created plans/okrs/2027-Q2.yaml" in created.stdout
    checked = subprocess.run([script, "check", "plans", "--strict", "--today", "2027-05-02"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.startswith("All checks passed")
