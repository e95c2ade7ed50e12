"""``okrsprint init``: a planning repo that passes ``okrsprint check --strict`` for two weeks; all files or none."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from pydantic import Field
from typer.testing import CliRunner

import okrsprint.commands.init as init_module
import okrsprint.files as files_module
from okrsprint.cli import app
from okrsprint.commands.init import init_repo
from okrsprint.config import Config, RulesConfig, Settings
from okrsprint.errors import UsageError
from okrsprint.quarters import Quarter
from tests.helpers import ROOT, check, codes, needs_tool, write

runner = CliRunner()
SCRIPT = Path(sys.executable).with_name("okrsprint")
DAY = date(2026, 11, 23)
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


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def hook_of(top: Path) -> dict:
    return load(top / ".pre-commit-config.yaml")["repos"][0]["hooks"][0]


def runs_of(top: Path) -> list[str]:
    return [step["run"] for step in load(top / ".github" / "workflows" / "okrsprint.yml")["jobs"]["check"]["steps"]
            if "okrsprint check" in step.get("run", "")]  # fmt: skip


def git_init(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(folder)], check=True, capture_output=True, timeout=60)


def run_script(*arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([str(SCRIPT), *arguments], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_init_then_check_strict_passes_on_the_day(tmp_path, today):
    init_repo(tmp_path, today)
    result = check(tmp_path, today=today)
    assert result.findings == [], [finding.as_dict() for finding in result.findings]
    assert result.documents == 3
    quarter = Quarter.containing(today)  # year_start_month is left at its default, 1
    assert (tmp_path / "okrs" / f"{quarter}.yaml").is_file()


INIT_DAYS = [
    date(2026, 10, 1),  # the quarter's first day: no check-in yet
    date(2026, 10, 2),  # a day in, before the first two-week check-in
    date(2026, 10, 14),  # the day before the first two-week check-in
    date(2026, 11, 15),  # mid-quarter, between two check-ins
    date(2026, 12, 28),  # three days before the quarter ends: then the next quarter has no plan
    date(2026, 12, 31),  # the quarter's last day
    date(2027, 3, 29),  # three days before the end of a 90-day quarter
]


@pytest.mark.parametrize("init_day", INIT_DAYS, ids=str)
def test_check_strict_passes_on_each_of_the_two_weeks_after_init(tmp_path, init_day):
    init_repo(tmp_path, init_day)
    for later in range(14):
        day = init_day + timedelta(days=later)
        result = check(tmp_path, today=day)
        assert codes(result) == [], (str(day), [finding.as_dict() for finding in result.findings])


def test_the_example_goes_stale_after_two_weeks(tmp_path):
    """The freshness is the check-in on the day init ran, not a rule switched off: day 15 after it is stale."""
    init_repo(tmp_path, date(2026, 11, 15))
    assert codes(check(tmp_path, today=date(2026, 11, 29))) == []
    assert set(codes(check(tmp_path, today=date(2026, 11, 30)))) == {"A402"}


def test_example_reflects_the_day(tmp_path):
    """Past sprints are done, the running one is in progress, check-ins every 14 days and on the day itself."""
    init_repo(tmp_path, date(2026, 11, 23))
    sprints = load(tmp_path / "sprints" / "2026-Q4.yaml")["sprints"]
    assert [(sprint["start"], sprint["end"]) for sprint in sprints] == [
        (date(2026, 10, 1) + timedelta(days=14 * number), date(2026, 10, 14) + timedelta(days=14 * number))
        for number in range(6)
    ]
    items = load(tmp_path / "backlog" / "2026-Q4.yaml")["items"]
    status = {item["id"]: item.get("status", "todo") for item in items}
    assert status["PB-101"] == "done" and status["PB-204"] == "doing" and status["PB-106"] == "todo"
    okrs = load(tmp_path / "okrs" / "2026-Q4.yaml")
    checkins = okrs["objectives"][0]["key_results"][0]["checkins"]
    assert [checkin["date"] for checkin in checkins] == [
        date(2026, 10, 15), date(2026, 10, 29), date(2026, 11, 12), date(2026, 11, 23)
    ]  # fmt: skip


def test_a_check_in_on_a_two_week_mark_is_not_doubled(tmp_path):
    init_repo(tmp_path, date(2026, 10, 29))
    checkins = load(tmp_path / "okrs" / "2026-Q4.yaml")["objectives"][0]["key_results"][0]["checkins"]
    assert [checkin["date"] for checkin in checkins] == [date(2026, 10, 15), date(2026, 10, 29)]


def test_on_the_quarters_first_day_there_is_no_check_in_yet(tmp_path):
    init_repo(tmp_path, date(2026, 10, 1))
    assert load(tmp_path / "okrs" / "2026-Q4.yaml")["objectives"][0]["key_results"][0]["checkins"] == []


def test_init_writes_the_tooling_files(tmp_path):
    init_repo(tmp_path, DAY, team="checkout")
    text = (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    hook_repo = load(tmp_path / ".pre-commit-config.yaml")["repos"][0]
    assert hook_repo["rev"] == "<commit sha>" and hook_repo["hooks"][0]["id"] == "okrsprint"
    assert "PLACEHOLDER" in text and "git ls-remote https://github.com/YOUR-ORG/okrsprint HEAD" in text
    workflow_text = (tmp_path / ".github" / "workflows" / "okrsprint.yml").read_text(encoding="utf-8")
    workflow = load(tmp_path / ".github" / "workflows" / "okrsprint.yml")
    steps = workflow["jobs"]["check"]["steps"]
    install = next(step["run"] for step in steps if step.get("name") == "Install okrsprint")
    assert install == 'pip install "okrsprint @ git+https://github.com/YOUR-ORG/okrsprint@<commit sha>"'
    assert "git ls-remote" in workflow_text and "PLACEHOLDER" in workflow_text
    assert runs_of(tmp_path) == [
        "okrsprint check . --strict --format sarif --output-file okrsprint.sarif",
        'okrsprint check . --format markdown --exit-zero >> "$GITHUB_STEP_SUMMARY"',
    ]
    upload = next(step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"] == "okrsprint.sarif"
    assert workflow["permissions"]["security-events"] == "write"
    config = (tmp_path / "okrsprint.yaml").read_text(encoding="utf-8")
    assert "team: checkout" in config and "#   max_objectives: 3" in config
    assert "{{" not in config + text + workflow_text


def test_no_template_and_no_readme_names_a_tag_that_does_not_exist(tmp_path):
    init_repo(tmp_path, DAY)
    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert len(written) == 6
    shipped = [ROOT / "README.md", ROOT / ".pre-commit-hooks.yaml", *written]
    assert [path.name for path in shipped if re.search(r"\bv\d+\.\d+\.\d+\b", path.read_text(encoding="utf-8"))] == []


def test_the_pre_commit_config_is_valid_for_pre_commit(tmp_path):
    pre_commit = Path(sys.executable).with_name("pre-commit")
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    init_repo(tmp_path, DAY)
    result = subprocess.run([str(pre_commit), "validate-config", str(tmp_path / ".pre-commit-config.yaml")],
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


COMMENTED_SETTING = re.compile(r"^# (?=\s*[a-z_]+:(\s|$))|^# (?=\s{4,}\S)")


def test_every_commented_config_value_is_the_models_default(tmp_path):
    """Uncommented, okrsprint.yaml is exactly the default config: a changed default changes the template."""
    init_repo(tmp_path, DAY, team="checkout")
    lines = (tmp_path / "okrsprint.yaml").read_text(encoding="utf-8").splitlines()
    uncommented = "\n".join(COMMENTED_SETTING.sub("", line) for line in lines)
    data = yaml.safe_load(uncommented)
    assert set(data) == {field.alias or name for name, field in Config.model_fields.items()}  # import_ is "import"
    assert set(data["settings"]) == set(Settings.model_fields)
    assert set(data["rules"]) == set(RulesConfig.model_fields)
    assert Config.model_validate(data) == Config(team="checkout")
    assert data["settings"]["min_linked_sprint_ratio"] == "4/6"  # as the spec writes it, not 0.666…


@needs_tool("git")
def test_init_below_the_git_top_puts_the_tooling_at_the_top_checking_dir(tmp_path):
    git_init(tmp_path)
    written = init_repo(tmp_path / "plans", DAY)
    assert sorted(path.name for path in tmp_path.iterdir()) == [".git", ".github", ".pre-commit-config.yaml", "plans"]
    assert sorted(path.name for path in (tmp_path / "plans").iterdir()) == ["backlog", "okrs", "okrsprint.yaml",
                                                                           "sprints"]  # fmt: skip
    assert len(written) == 6
    hook = hook_of(tmp_path)
    assert hook["args"] == ["--strict"]
    names = ["plans/okrs/2026-Q4.yaml", "plans/x.yml", "plans/notes.md", "okrs/2026-Q4.yaml", "other/plans/a.yaml"]
    assert [name for name in names if re.search(hook["files"], name)] == ["plans/okrs/2026-Q4.yaml", "plans/x.yml"]
    assert runs_of(tmp_path)[0] == "okrsprint check plans --strict --format sarif --output-file okrsprint.sarif"
    assert "working-directory" not in (tmp_path / ".github" / "workflows" / "okrsprint.yml").read_text("utf-8")

    (hook_definition,) = load(ROOT / ".pre-commit-hooks.yaml")
    changed = [
        str(path.relative_to(tmp_path)) for path in written if re.search(hook["files"], str(path.relative_to(tmp_path)))
    ]
    command = [*hook_definition["entry"].split()[1:], *hook["args"], "--today", str(DAY), *changed]  # pass_filenames
    checked = run_script(*command, cwd=tmp_path)  # what pre-commit runs, from the top
    assert checked.returncode == 0, checked.stdout + checked.stderr


@needs_tool("git")
def test_init_from_a_subfolder_of_the_repo_names_the_path_from_the_top(tmp_path):
    git_init(tmp_path)
    (tmp_path / "docs").mkdir()
    created = run_script("init", "plans", "--today", str(DAY), cwd=tmp_path / "docs")
    assert created.returncode == 0, created.stderr
    assert created.stdout.splitlines() == [
        "created plans/okrsprint.yaml",
        "created plans/okrs/2026-Q4.yaml",
        "created plans/backlog/2026-Q4.yaml",
        "created plans/sprints/2026-Q4.yaml",
        "created ../.pre-commit-config.yaml",
        "created ../.github/workflows/okrsprint.yml",
        "The pre-commit hook and the CI workflow check docs/plans from the top of the git repository.",
        "Fill in their PLACEHOLDERs: the git URL of okrsprint and a commit of it.",
        "Next: okrsprint check plans --strict",
    ]
    assert hook_of(tmp_path)["args"] == ["--strict"]
    checked = run_script("check", "docs/plans", "--strict", "--today", str(DAY), cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout


@needs_tool("git")
def test_init_at_the_git_top_keeps_everything_in_dir(tmp_path):
    git_init(tmp_path / "repo")
    init_repo(tmp_path / "repo", DAY)
    assert (tmp_path / "repo" / ".pre-commit-config.yaml").is_file()
    assert hook_of(tmp_path / "repo")["args"] == ["--strict"]


def test_outside_git_the_tooling_goes_in_dir(tmp_path):
    init_repo(tmp_path / "plans", DAY)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["plans"]
    hook = hook_of(tmp_path / "plans")
    assert hook["args"] == ["--strict"]
    assert [name for name in ("okrs/2026-Q4.yaml", "a.yml", "notes.md") if re.search(hook["files"], name)] == [
        "okrs/2026-Q4.yaml", "a.yml"
    ]  # fmt: skip


@pytest.mark.parametrize("dot_git", ["folder", "file"])
def test_without_git_the_top_is_the_nearest_folder_holding_dot_git(tmp_path, monkeypatch, dot_git):
    """A worktree or submodule has a ``.git`` file, a clone a ``.git`` folder."""
    if dot_git == "folder":
        (tmp_path / ".git").mkdir()
    else:
        (tmp_path / ".git").write_text("gitdir: /elsewhere\n", encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    init_repo(tmp_path / "team" / "plans", DAY)
    assert hook_of(tmp_path)["args"] == ["--strict"]
    assert (tmp_path / ".github" / "workflows" / "okrsprint.yml").is_file()


@needs_tool("git")
def test_a_folder_name_that_needs_quoting_survives_yaml_and_the_shell(tmp_path):
    git_init(tmp_path)
    folder = "Q4 plans #1: web"
    init_repo(tmp_path / folder, DAY)
    assert hook_of(tmp_path)["args"] == ["--strict"]
    assert re.search(hook_of(tmp_path)["files"], f"{folder}/okrs/2026-Q4.yaml")
    assert runs_of(tmp_path)[0] == f"okrsprint check '{folder}' --strict --format sarif --output-file okrsprint.sarif"


@needs_tool("git")
@needs_tool("bash")
def test_the_workflow_steps_run_as_written_from_the_top(tmp_path):
    """CI runs from the checkout: SARIF and annotations name files from the top, where GitHub looks for them."""
    git_init(tmp_path)
    init_repo(tmp_path / "plans", date.today())  # the workflow judges the plan against the runner's clock
    env = {**os.environ, "PATH": f"{SCRIPT.parent}{os.pathsep}{os.environ['PATH']}",
           "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"), "NO_COLOR": "1"}  # fmt: skip
    env.pop("GITHUB_ACTIONS", None)
    check_step, summary_step = runs_of(tmp_path)
    for run in (check_step, summary_step):
        result = subprocess.run(["bash", "-c", run], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, run + result.stdout + result.stderr
    assert (tmp_path / "summary.md").read_text(encoding="utf-8").strip()

    okrs = next((tmp_path / "plans" / "okrs").iterdir())
    okrs.write_text(okrs.read_text(encoding="utf-8").replace("owner: sam", "owner: sam\n    x: 1"), "utf-8")
    failed = subprocess.run(["bash", "-c", check_step], cwd=tmp_path, env=env, capture_output=True, timeout=60)
    assert failed.returncode == 1
    results = json.loads((tmp_path / "okrsprint.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    uris = {location["physicalLocation"]["artifactLocation"]["uri"] for r in results for location in r["locations"]}
    assert uris == {f"plans/okrs/{okrs.name}"}


@needs_tool("git")
def test_init_refuses_when_a_tooling_file_exists_at_the_git_top(tmp_path):
    git_init(tmp_path)
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path / "plans"), "--today", str(DAY)])
    assert result.exit_code == 2
    assert "refusing to overwrite existing files" in result.stderr and ".pre-commit-config.yaml" in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == [".git", ".pre-commit-config.yaml"]


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path):
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "okrsprint.yml").write_text("mine\n", encoding="utf-8")
    (tmp_path / "okrs").mkdir()
    (tmp_path / "okrs" / "2026-Q4.yaml").write_text("mine: true\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path), "--today", "2026-11-23"])
    assert result.exit_code == 2
    assert "2026-Q4.yaml" in result.stderr and "okrsprint.yml" in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == [".github", "okrs"]
    assert sorted(path.name for path in (tmp_path / "okrs").iterdir()) == ["2026-Q4.yaml"]


@pytest.mark.parametrize("where", [".", "teams"])
def test_init_without_team_in_an_existing_planning_repo_says_how_to_add_one(tmp_path, where):
    (tmp_path / "okrsprint.yaml").write_text("team: mine\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path / where), "--today", "2026-11-23"])
    assert result.exit_code == 2
    assert "is in the planning repo" in result.stderr and "--team" in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["okrsprint.yaml"]


def test_a_failure_midway_removes_every_file_and_folder_it_created(tmp_path, monkeypatch):
    written = []
    place = files_module._place

    def fail_on_the_fourth(temporary, target):
        if len(written) == 3:
            raise OSError(28, "No space left on device", str(target))
        written.append(target)
        place(temporary, target)

    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "notes.txt").write_text("mine\n", encoding="utf-8")
    monkeypatch.setattr(files_module, "_place", fail_on_the_fourth)
    result = runner.invoke(app, ["init", str(tmp_path / "plans"), "--today", "2026-11-23"])
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr and "sprints" in result.stderr
    assert len(written) == 3
    assert [path.relative_to(tmp_path).as_posix() for path in sorted(tmp_path.rglob("*"))] == [
        "plans", "plans/notes.txt"
    ]  # fmt: skip


def test_add_a_team_writes_only_its_plan_and_check_still_passes(tmp_path):
    init_repo(tmp_path, DAY)
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    written = init_repo(tmp_path, DAY, team="search")
    assert [path.relative_to(tmp_path).as_posix() for path in written] == [
        "okrs/search-2026-Q4.yaml", "backlog/search-2026-Q4.yaml", "sprints/search-2026-Q4.yaml"
    ]  # fmt: skip
    assert {path: path.read_bytes() for path in before} == before
    assert len([path for path in tmp_path.rglob("*") if path.is_file()]) == len(before) + 3
    assert load(tmp_path / "okrs" / "search-2026-Q4.yaml")["team"] == "search"
    for later in range(14):
        result = check(tmp_path, today=DAY + timedelta(days=later))
        assert codes(result) == [], [finding.as_dict() for finding in result.findings]
    assert check(tmp_path, today=DAY).documents == 6


def test_add_a_team_in_a_folder_of_the_repo_with_the_cli(tmp_path):
    init_repo(tmp_path, DAY, team="checkout")
    result = runner.invoke(app, ["init", str(tmp_path / "teams"), "--team", "search", "--today", str(DAY)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"Next: okrsprint check {tmp_path / 'teams'} --strict"
    assert sorted(path.relative_to(tmp_path).as_posix() for path in (tmp_path / "teams").rglob("*.yaml")) == [
        "teams/backlog/search-2026-Q4.yaml", "teams/okrs/search-2026-Q4.yaml", "teams/sprints/search-2026-Q4.yaml"
    ]  # fmt: skip
    assert codes(check(tmp_path, today=DAY)) == []


def test_add_a_team_twice_or_a_team_that_has_the_quarter_is_refused(tmp_path):
    init_repo(tmp_path, DAY, team="checkout")
    init_repo(tmp_path, DAY, team="search")
    with pytest.raises(
        UsageError, match=r"^team search has a plan for 2026-Q4 already \(backlog/search-2026-Q4\.yaml, "
    ):
        init_repo(tmp_path / "teams", DAY, team="search")
    with pytest.raises(UsageError, match=r"^team checkout has a plan for 2026-Q4 already \(backlog/2026-Q4\.yaml, "):
        init_repo(tmp_path / "teams", DAY, team="checkout")
    assert not (tmp_path / "teams").exists()
    (tmp_path / "teams" / "sprints").mkdir(parents=True)
    (tmp_path / "teams" / "sprints" / "web-2026-Q4.yaml").write_text("kind: Deployment\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"^refusing to overwrite existing files: .*teams/sprints/web-2026-Q4\.yaml$"):
        init_repo(tmp_path / "teams", DAY, team="web")
    assert sorted(path.name for path in (tmp_path / "teams").rglob("*")) == ["sprints", "web-2026-Q4.yaml"]


def test_an_added_team_aligns_to_the_company_objectives_and_follows_the_repos_year(tmp_path):
    write(tmp_path, {
        "okrsprint.yaml": "company_team: company\nyear_start_month: 4\n",
        "company.yaml": """\
            kind: okrs
            team: company
            quarter: 2026-Q3
            objectives:
              - id: C1
                title: Customers grow with us
                owner: kim
                key_results:
                  - {id: KR1, title: Net revenue retention, baseline: 100, target: 110,
                     checkins: [{date: 2026-11-20, value: 106}]}
              - id: C2
                title: Customers trust the service
                owner: kim
                key_results:
                  - {id: KR2, title: Share of minutes up, baseline: 99, target: 99.9,
                     checkins: [{date: 2026-11-20, value: 99.6}]}
        """,
    })  # fmt: skip
    written = init_repo(tmp_path, DAY, team="search")  # 2026-11-23 lies in 2026-Q3 when the year starts in April
    assert [path.name for path in written] == ["search-2026-Q3.yaml"] * 3
    okrs = load(tmp_path / "okrs" / "search-2026-Q3.yaml")
    assert [objective["aligns_to"] for objective in okrs["objectives"]] == ["company:C1", "company:C1"]
    sprints = load(tmp_path / "sprints" / "search-2026-Q3.yaml")["sprints"]
    assert sprints[0]["start"] == date(2026, 10, 1)
    assert codes(check(tmp_path, today=DAY)) == []


def test_an_added_team_without_company_objectives_aligns_to_nothing(tmp_path):
    write(tmp_path, {"okrsprint.yaml": "company_team: company\n"})
    init_repo(tmp_path, DAY, team="search")
    assert "aligns_to" not in (tmp_path / "okrs" / "search-2026-Q4.yaml").read_text(encoding="utf-8")
    assert codes(check(tmp_path, today=DAY)) == []


@pytest.mark.parametrize(("today", "accepted"), [("1899-12-31", False), ("1900-01-01", True),
                                                 ("2999-12-31", True), ("3000-01-01", False)])  # fmt: skip
def test_today_must_lie_in_the_years_1900_to_2999(tmp_path, today, accepted):
    result = runner.invoke(app, ["init", str(tmp_path / "plans"), "--today", today])
    if accepted:
        assert result.exit_code == 0, result.stderr
        assert codes(check(tmp_path / "plans", today=date.fromisoformat(today))) == []
    else:
        assert result.exit_code == 2
        assert result.stderr == f"okrsprint: error: --today must lie in the years 1900 to 2999, not {today}\n"
        assert not (tmp_path / "plans").exists()


def test_init_rejects_a_bad_team_and_a_file_as_directory(tmp_path):
    with pytest.raises(UsageError):
        init_repo(tmp_path, date(2026, 11, 23), team="Checkout Team")
    (tmp_path / "file").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path / "file")])
    assert result.exit_code == 2 and "not a directory" in result.stderr
    assert runner.invoke(app, ["init", str(tmp_path / "x"), "--today", "someday"]).exit_code == 2


def test_console_script_init_then_check(tmp_path):
    created = run_script("init", "plans", "--today", "2027-05-02", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    assert "created plans/okrs/2027-Q2.yaml" in created.stdout
    assert created.stdout.splitlines()[-1] == "Next: okrsprint check plans --strict"
    checked = run_script("check", "plans", "--strict", "--today", "2027-05-02", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.startswith("All checks passed")


def test_the_config_template_follows_a_changed_default(tmp_path, monkeypatch):
    class OtherSettings(Settings):
        max_objectives: int = Field(5, ge=0, description="A101: most objectives a team-quarter may have.")

    class OtherConfig(Config):
        year_start_month: int = Field(4, ge=1, le=12)
        settings: OtherSettings = Field(default_factory=OtherSettings)

    monkeypatch.setattr(init_module, "Config", OtherConfig)
    init_repo(tmp_path, DAY)
    config = (tmp_path / "okrsprint.yaml").read_text(encoding="utf-8")
    assert "\n# year_start_month: 4\n" in config
    assert "\n#   max_objectives: 5 " in config and "max_objectives: 3" not in config
