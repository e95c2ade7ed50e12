"""okrsprint diff on real temporary git repositories with several commits."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from okrsprint.cli import app
from okrsprint.commands.diff import DiffOptions, DiffResult, run_diff
from okrsprint.render.markdown import COLLAPSE_AFTER, MARKDOWN_LIMIT
from okrsprint.render.markdown import diff as render_markdown
from tests.helpers import TODAY, check, codes, needs_tool

pytestmark = needs_tool("git", "okrsprint diff needs the git command")
runner = CliRunner()


@pytest.fixture(autouse=True)
def git_identity(monkeypatch, tmp_path):
    """Commits need an author; the user's own git config must not leak into the tests."""
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "okrsprint test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@okrsprint.invalid")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def base_plan() -> dict[str, dict]:
    """A team-quarter in three files; today (2026-11-23) sprint S2 runs, S3 lies ahead."""
    header = {"team": "web", "quarter": "2026-Q4"}
    return {
        "okrs.yaml": {
            "kind": "okrs", **header,
            "objectives": [
                {"id": "O1", "title": "A fast site", "owner": "ann", "key_results": [
                    {"id": "KR1", "title": "p95 latency", "baseline": 1800, "target": 900, "checkins": [
                        {"date": date(2026, 10, 9), "value": 1700},
                        {"date": date(2026, 10, 23), "value": 1600, "note": "cache on"},
                        {"date": date(2026, 11, 6), "value": 1500},
                    ]},
                    {"id": "KR2", "title": "Conversion rate", "baseline": 10, "target": 20},
                ]},
                {"id": "O2", "title": "Happy customers", "owner": "bob", "key_results": [
                    {"id": "KR3", "title": "Net promoter score", "baseline": 30, "target": 40},
                ]},
            ],
        },
        "backlog.yaml": {
            "kind": "backlog", **header,
            "items": [
                {"id": "A-1", "title": "Cache pages", "krs": ["KR1"], "estimate": 3},
                {"id": "A-2", "title": "Shorter sign-up", "krs": ["KR2"], "estimate": 5},
                {"id": "A-3", "title": "Upgrade the framework", "krs": [], "estimate": 2},
                {"id": "A-4", "title": "Survey customers", "krs": ["KR3"], "estimate": 2},
                {"id": "A-5", "title": "Lazy images", "krs": ["KR1"], "estimate": 2},
            ],
        },
        "sprints.yaml": {
            "kind": "sprints", **header,
            "sprints": [
                {"id": "S1", "start": date(2026, 10, 5), "end": date(2026, 10, 16), "goal": "Pages come from the cache",
                 "krs": ["KR1"], "capacity": 10, "items": ["A-1"]},
                {"id": "S2", "start": date(2026, 11, 16), "end": date(2026, 11, 27), "goal": "Sign-up takes one step",
                 "krs": ["KR2"], "capacity": 10, "items": ["A-2", "A-3"]},
                {"id": "S3", "start": date(2026, 12, 7), "end": date(2026, 12, 18), "goal": "Customers tell us what hurts",
                 "krs": ["KR3"], "capacity": 10, "items": []},
            ],
        },
    }  # fmt: skip


class Repo:
    """A real git repository in a temporary folder; the plan lives in ``folder`` below its top."""

    def __init__(self, top: Path, folder: str = ".") -> None:
        self.top, self.folder = top, top / folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.git("-c", "init.defaultBranch=main", "init", "-q")

    def git(self, *args: str) -> str:
        return subprocess.run(["git", *args], cwd=self.top, check=True, capture_output=True, text=True).stdout.strip()

    def write(self, plan: dict[str, dict]) -> None:
        for name, document in plan.items():
            (self.folder / name).write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")

    def commit(self, plan: dict[str, dict], message: str) -> str:
        self.write(plan)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")

    def line_of(self, name: str, line: int) -> str:
        return (self.folder / name).read_text(encoding="utf-8").splitlines()[line - 1]


@pytest.fixture
def repo(tmp_path) -> Repo:
    repo = Repo(tmp_path / "planning")
    repo.commit(base_plan(), "Plan 2026-Q4")
    repo.git("checkout", "-q", "-b", "change")
    return repo


def diff(repo: Repo, today: date = TODAY, **options) -> DiffResult:
    return run_diff(DiffOptions(path=options.pop("path", repo.folder), today=today, **options))


def texts(result: DiffResult) -> list[str]:
    return [change.text for change in result.changes]


def flagged(result: DiffResult) -> list[tuple[str, str, int]]:
    return [(f.code, f.location.file, f.location.line) for f in result.findings]


def objective(plan: dict, objective_id: str) -> dict:
    return next(o for o in plan["okrs.yaml"]["objectives"] if o["id"] == objective_id)


def key_result(plan: dict, kr_id: str) -> dict:
    return next(kr for o in plan["okrs.yaml"]["objectives"] for kr in o["key_results"] if kr["id"] == kr_id)


def sprint(plan: dict, sprint_id: str) -> dict:
    return next(s for s in plan["sprints.yaml"]["sprints"] if s["id"] == sprint_id)


# -- every kind of change ---------------------------------------------------------


def test_objectives_and_key_results_added_removed_renamed_moved(repo):
    plan = base_plan()
    objective(plan, "O1")["title"] = "A site that feels instant"
    objective(plan, "O1")["owner"] = "cem"
    kr2 = objective(plan, "O1")["key_results"].pop()
    objective(plan, "O2")["key_results"].append(kr2)
    kr2["title"] = "Sign-up conversion rate"
    objective(plan, "O2")["key_results"].pop(0)  # KR3
    plan["okrs.yaml"]["objectives"].append(
        {"id": "O3", "title": "Grow repeat purchases", "owner": "dan",
         "key_results": [{"id": "KR4", "title": "Repeat purchase rate", "baseline": 5, "target": 8}]}
    )  # fmt: skip
    plan["backlog.yaml"]["items"][3]["krs"] = ["KR4"]  # A-4 followed KR3's removal
    plan["sprints.yaml"]["sprints"][2]["krs"] = ["KR4"]
    repo.commit(plan, "Reshape O1, O2 and add O3")

    assert texts(diff(repo))[:8] == [
        "objective O3 added: 'Grow repeat purchases'",
        "objective O1 renamed: 'A fast site' → 'A site that feels instant'",
        "objective O1 owner: 'ann' → 'cem'",
        "key result KR4 added to O3: 'Repeat purchase rate' (5 → 8)",
        "key result KR2 moved from objective O1 to O2",
        "key result KR2 renamed: 'Conversion rate' → 'Sign-up conversion rate'",
        "key result KR3 removed from O2: 'Net promoter score'",
        "backlog item A-4 krs: [KR3] → [KR4]",
    ]


def test_items_sprints_capacity_and_checkins(repo):
    plan = base_plan()
    items = plan["backlog.yaml"]["items"]
    items.append({"id": "A-6", "title": "Dark mode", "krs": [], "estimate": 1})
    items[2]["status"] = "done"
    items[2]["title"] = "Upgrade the web framework"
    del items[3]
    sprint(plan, "S3")["items"] = ["A-5"]
    sprint(plan, "S3")["capacity"] = 12
    plan["sprints.yaml"]["sprints"].append(
        {"id": "S4", "start": date(2026, 12, 21), "end": date(2026, 12, 31), "goal": "Quiet holidays",
         "krs": [], "not_okr_reason": "holidays", "items": []}
    )  # fmt: skip
    key_result(plan, "KR1")["checkins"].append({"date": date(2026, 11, 20), "value": 1400})
    key_result(plan, "KR1")["checkins"][1]["note"] = "page cache on"
    repo.commit(plan, "Backlog grooming")

    result = diff(repo)
    assert texts(result) == [
        "check-in of KR1 on 2026-10-23 edited: note 'cache on' → 'page cache on'",
        "check-in of KR1 on 2026-11-20 added: 1400",
        "backlog item A-6 added: 'Dark mode'",
        "backlog item A-3 renamed: 'Upgrade the framework' → 'Upgrade the web framework'",
        "backlog item A-3 status: 'todo' → 'done'",
        "backlog item A-4 removed: 'Survey customers'",
        "sprint S4 added: 2026-12-21 – 2026-12-31, 0 items",
        "sprint S3 scope: A-5 added",
        "sprint S3 capacity: 10 → 12",
    ]
    assert {change.kind for change in result.changes} >= {
        "check-in-edited",
        "check-in-added",
        "item-added",
        "item-removed",
        "sprint-added",
        "sprint-scope-added",
    }
    assert result.findings == []  # a note-only edit, a future sprint's scope: nothing to flag
    assert result.exit_code() == 0


def test_no_change_reports_nothing(repo):
    repo.commit(base_plan() | {"notes.yaml": {"kind": "Deployment"}}, "Unrelated file")
    result = diff(repo)
    assert result.changes == [] and result.findings == [] and result.introduced == []
    assert (
        "No semantic change to the plan."
        in runner.invoke(app, ["diff", str(repo.folder), "--today", "2026-11-23"]).stdout
    )


# -- the four flagged patterns ------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "target", "note", "flag"),
    [
        (1800, 1000, "toward the baseline 1800: easier", True),  # a decreasing metric's target raised
        (1800, 800, "away from the baseline 1800: more ambitious", False),
        (1700, 900, "toward the target 900: easier", True),  # baseline moved toward the target
        (1900, 900, "away from the target 900: harder", False),
        (1800, 1800, "now equal to the baseline: no longer measurable", True),
        (1800, 2000, "past the baseline: the metric now has to move the other way", True),
    ],
)
def test_goalposts_direction_and_d101(repo, baseline, target, note, flag):
    plan = base_plan()
    key_result(plan, "KR1").update(baseline=baseline, target=target)
    repo.commit(plan, "Adjust KR1")
    result = diff(repo)
    assert any(change.note == note for change in result.changes), texts(result)
    assert [code for code, *_ in flagged(result)] == (["D101"] if flag else [])
    before_quarter = diff(repo, today=date(2026, 9, 30))
    assert before_quarter.changes and before_quarter.findings == []  # planning may still change targets


def test_lowered_target_of_an_increasing_metric_points_at_the_target(repo):
    plan = base_plan()
    key_result(plan, "KR2")["target"] = 15
    repo.commit(plan, "KR2 is out of reach")
    result = diff(repo)
    (finding,) = result.findings
    assert (finding.code, finding.name, finding.severity.value) == ("D101", "moving-the-goalposts", "warning")
    assert "target moved from 20 to 15, toward the baseline 10" in finding.message
    assert repo.line_of(finding.location.file, finding.location.line).strip() == "target: 15"


def test_past_checkins_edited_or_deleted_are_d102(repo):
    plan = base_plan()
    checkins = key_result(plan, "KR1")["checkins"]
    checkins[0]["value"] = 1650  # rewritten
    del checkins[2]  # 2026-11-06 deleted
    checkins.append({"date": date(2026, 12, 1), "value": 1300})  # a future one, added then ...
    repo.commit(plan, "Fix KR1 history")
    later = copy.deepcopy(plan)
    key_result(later, "KR1")["checkins"].pop()  # ... deleted again: not history yet
    repo.write(later)

    result = diff(repo)
    assert "check-in of KR1 on 2026-10-09 edited: value 1700 → 1650" in texts(result)
    assert "check-in of KR1 on 2026-11-06 deleted (was 1500)" in texts(result)
    assert [code for code, *_ in flagged(result)] == ["D102", "D102"]
    assert result.exit_code() == 1  # D102 is an error by default
    edited = next(f for f in result.findings if "rewritten" in f.message)
    assert repo.line_of("okrs.yaml", edited.location.line).strip() == "- date: 2026-10-09"
    head = diff(repo, head="HEAD", base="HEAD~1")
    assert "check-in of KR1 on 2026-12-01 added: 1300" in texts(head)


def test_items_added_to_a_running_sprint_are_d103(repo):
    plan = base_plan()
    sprint(plan, "S2")["items"] = ["A-2", "A-5"]  # A-3 out, A-5 in, after S2 started on 2026-11-16
    sprint(plan, "S3")["items"] = ["A-4"]  # S3 has not started: planning, not creep
    repo.commit(plan, "Swap work in S2")
    result = diff(repo)
    assert "sprint S2 scope: A-5 added (after the sprint's start on 2026-11-16)" in texts(result)
    assert "sprint S2 scope: A-3 taken out (after the sprint's start on 2026-11-16)" in texts(result)
    assert "sprint S3 scope: A-4 added" in texts(result)
    (finding,) = result.findings
    assert finding.code == "D103" and "A-5" in finding.message and "S2" in finding.message
    assert repo.line_of("sprints.yaml", finding.location.line).strip() == "- A-5"
    assert diff(repo, today=date(2026, 11, 15)).findings == []


def test_objective_removed_without_a_note_is_d104(repo):
    plan = base_plan()
    del plan["okrs.yaml"]["objectives"][1]  # O2 and its KR3
    plan["backlog.yaml"]["items"][3]["krs"] = []
    plan["sprints.yaml"]["sprints"][2].update(krs=[], not_okr_reason="O2 is gone")
    repo.write(plan)  # the working tree: no commit message can explain it
    result = diff(repo)
    assert "objective O2 removed: 'Happy customers'" in texts(result)
    (finding,) = result.findings
    assert finding.code == "D104" and "objective O2 'Happy customers' was removed" in finding.message
    assert finding.location.file == "okrs.yaml"
    assert diff(repo, today=date(2026, 9, 1)).findings == []  # before the quarter: planning

    repo.commit(plan, "Drop objective web:O2: the survey budget was cut")
    assert diff(repo).findings == []
    repo.git("commit", "-q", "--amend", "-m", "Tidy the plan (O20 is another objective)")
    assert [f.code for f in diff(repo).findings] == ["D104"]


@pytest.mark.parametrize(
    ("messages", "fires"),
    [
        (["Drop web:O2: the survey budget was cut"], False),
        (["web: drop O2, the survey budget was cut"], False),
        (["Drop O2: the survey budget was cut"], True),  # which team's O2?
        (["Drop O2 from the website plan"], True),  # "website" is not the team web
        (["Drop O2", "Notes for web"], True),  # the id and the team in two different commits
        (["Notes for web", "Drop O2 of web"], False),
    ],
)
def test_d104_needs_a_message_that_names_the_objective_with_its_team(repo, messages, fires):
    plan = base_plan()
    del plan["okrs.yaml"]["objectives"][1]  # O2 and its KR3
    plan["backlog.yaml"]["items"][3]["krs"] = []
    plan["sprints.yaml"]["sprints"][2].update(krs=[], not_okr_reason="O2 is gone")
    repo.commit(plan, messages[0])
    for message in messages[1:]:
        repo.git("commit", "-q", "--allow-empty", "-m", message)
    found = diff(repo).findings
    assert [f.code for f in found] == (["D104"] if fires else [])
    if fires:
        assert "names web:O2 (or O2 and web): say in the commit message why it was dropped" in found[0].message


# -- findings introduced or fixed ------------------------------------------------------


def test_check_findings_introduced_and_fixed_are_matched_by_message_not_line(repo):
    plan = base_plan()
    objective(plan, "O2")["owner"] = None  # A501 introduced
    plan["okrs.yaml"]["objectives"].reverse()  # every line moves: nothing else is new
    repo.commit(plan, "O2 without owner")
    result = diff(repo)
    assert [f.code for f in result.introduced] == ["A501"]
    assert result.fixed == []
    repo.write(base_plan())  # the working tree fixes it again
    assert [f.code for f in diff(repo, base="HEAD").fixed] == ["A501"]
    assert "A501" not in codes(check(repo.folder))


# -- which revisions -----------------------------------------------------------------


def test_default_base_is_the_merge_base_with_main(repo):
    plan = base_plan()
    key_result(plan, "KR3")["title"] = "NPS"
    repo.commit(plan, "Shorter title")
    repo.git("checkout", "-q", "main")
    advanced = base_plan()
    advanced["backlog.yaml"]["items"].append({"id": "A-9", "title": "Merged meanwhile", "krs": [], "estimate": 1})
    repo.commit(advanced, "Main moves on")
    repo.git("checkout", "-q", "change")

    result = diff(repo)
    assert result.base.label == "merge base with main"
    assert result.base.commit == repo.git("rev-parse", "main~1")
    assert texts(result) == ["key result KR3 renamed: 'Net promoter score' → 'NPS'"]  # nothing about A-9
    assert texts(diff(repo, base="main")) == [
        "key result KR3 renamed: 'Net promoter score' → 'NPS'",
        "backlog item A-9 removed: 'Merged meanwhile'",
    ]


def test_without_a_default_branch_the_base_is_head(repo):
    repo.git("branch", "-m", "main", "trunk")
    plan = base_plan()
    key_result(plan, "KR2")["title"] = "Conversion"
    repo.write(plan)
    result = diff(repo)
    assert result.base.label == "HEAD" and texts(result) == ["key result KR2 renamed: 'Conversion rate' → 'Conversion'"]


def test_head_option_ignores_the_working_tree(repo):
    first = base_plan()
    objective(first, "O1")["title"] = "Instant pages"
    commit = repo.commit(first, "Rename O1")
    dirty = copy.deepcopy(first)
    objective(dirty, "O2")["title"] = "Uncommitted"
    repo.write(dirty)

    by_ref = diff(repo, base="main", head=commit[:10])
    assert by_ref.head.commit == commit
    assert texts(by_ref) == ["objective O1 renamed: 'A fast site' → 'Instant pages'"]
    working = diff(repo, base="main")
    assert working.head.commit is None
    assert "objective O2 renamed: 'Happy customers' → 'Uncommitted'" in texts(working)


def test_a_sub_folder_of_the_repo_with_its_own_root(tmp_path):
    repo = Repo(tmp_path / "company", "plans/web")
    (repo.top / "plans" / "okrsprint.yaml").write_text("team: web\n", encoding="utf-8")
    (repo.top / "README.md").write_text("not a plan\n", encoding="utf-8")
    repo.commit(base_plan(), "Plan")
    plan = base_plan()
    del plan["okrs.yaml"]["team"]  # the config's team applies
    key_result(plan, "KR2")["target"] = 25
    repo.write(plan)

    result = diff(repo, path=repo.folder)
    assert result.root == "plans"
    assert texts(result) == ["key result KR2 target: 20 → 25 (away from the baseline 10: more ambitious)"]
    assert result.changes[0].team == "web"
    assert diff(repo, path=repo.top / "plans").changes == result.changes


def test_a_plan_folder_new_in_head_compares_with_an_empty_plan(tmp_path):
    repo = Repo(tmp_path / "r", "new")
    (repo.top / "README.md").write_text("hello\n", encoding="utf-8")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "Start")
    repo.write(base_plan())
    result = diff(repo)
    assert {change.kind for change in result.changes} == {
        "objective-added",
        "key-result-added",
        "item-added",
        "sprint-added",
    }
    assert result.findings == []


# -- config and rules ------------------------------------------------------------------


def test_config_ignores_regrades_and_suppresses_d_rules(repo):
    plan = base_plan()
    key_result(plan, "KR2")["target"] = 15
    sprint(plan, "S2")["items"].append("A-5")
    repo.commit(plan, "Easier")
    (repo.folder / "okrsprint.yaml").write_text("rules:\n  ignore: [D103]\n  severity: {moving-the-goalposts: error}\n")
    result = diff(repo)
    assert [(f.code, f.severity.value) for f in result.findings] == [("D101", "error")]
    assert result.exit_code() == 1
    okrs = repo.folder / "okrs.yaml"
    okrs.write_text(okrs.read_text().replace("target: 15", "target: 15  # okrsprint: ignore[D101]"))
    assert diff(repo).findings == []
    assert check(repo.folder, select=["D101"]).findings == []  # accepted by check, which never reports D-rules
    assert not [code for code in codes(check(repo.folder)) if code.startswith("D")]


def test_rules_lists_and_explains_the_change_rules():
    listing = runner.invoke(app, ["rules"], env={"COLUMNS": "200"})
    for code, name in [("D101", "moving-the-goalposts"), ("D102", "rewritten-checkin"),
                       ("D103", "sprint-scope-creep"), ("D104", "objective-dropped-silently")]:  # fmt: skip
        assert code in listing.stdout and name in listing.stdout
    explained = runner.invoke(app, ["rules", "D104"], env={"COLUMNS": "200"})
    assert explained.exit_code == 0 and "Reported by 'okrsprint diff'" in explained.stdout


# -- command line and output ------------------------------------------------------------


def _flag_everything(repo: Repo) -> None:
    plan = base_plan()
    key_result(plan, "KR2")["target"] = 15
    sprint(plan, "S2")["items"].append("A-5")
    repo.commit(plan, "Flag it")


def test_cli_exit_codes_strict_and_exit_zero(repo):
    _flag_everything(repo)  # two warnings
    arguments = ["diff", str(repo.folder), "--today", "2026-11-23"]
    assert runner.invoke(app, arguments).exit_code == 0
    assert runner.invoke(app, [*arguments, "--strict"]).exit_code == 1
    assert runner.invoke(app, [*arguments, "--strict", "--exit-zero"]).exit_code == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["no-such-ref", "."], "unknown git revision 'no-such-ref'"),
        (["--head", "nope"], "unknown git revision 'nope'"),
        (["main", "missing-folder"], "path not found"),
        (["--today", "soon"], "--today must be a date"),
        (["--format", "yaml"], "Invalid value"),
    ],
)
def test_cli_usage_errors_exit_2(repo, monkeypatch, arguments, message):
    monkeypatch.chdir(repo.folder)
    result = runner.invoke(app, ["diff", *arguments])
    assert result.exit_code == 2
    assert message in result.stderr


def test_cli_not_a_git_repository(tmp_path):
    result = runner.invoke(app, ["diff", str(tmp_path)])
    assert result.exit_code == 2 and "not a git repository" in result.stderr


def test_cli_a_broken_base_config_is_a_usage_error_naming_the_side(repo):
    (repo.folder / "okrsprint.yaml").write_text("settings: {max_objectives: many}\n")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "Bad config")
    repo.write(base_plan())
    (repo.folder / "okrsprint.yaml").write_text("{}\n")
    result = runner.invoke(app, ["diff", "HEAD", str(repo.folder)])
    assert result.exit_code == 2 and "in the plan at HEAD" in result.stderr and "okrsprint.yaml:1" in result.stderr


def test_cli_lone_argument_is_a_revision_or_a_path(repo, monkeypatch):
    _flag_everything(repo)
    monkeypatch.chdir(repo.top)
    as_path = runner.invoke(app, ["diff", ".", "--format", "json", "--today", "2026-11-23"])
    as_ref = runner.invoke(app, ["diff", "main", "--format", "json", "--today", "2026-11-23"])
    assert json.loads(as_path.stdout)["changes"] == json.loads(as_ref.stdout)["changes"] != []
    (repo.top / "main").mkdir()
    ambiguous = runner.invoke(app, ["diff", "main"])
    assert ambiguous.exit_code == 2 and "both a git revision and a path" in ambiguous.stderr


def test_cli_second_revision_instead_of_a_path_suggests_head(repo, monkeypatch):
    repo.git("commit", "-q", "--allow-empty", "-m", "Second")
    monkeypatch.chdir(repo.folder)
    mistaken = runner.invoke(app, ["diff", "HEAD~1", "HEAD"])
    assert mistaken.exit_code == 2 and mistaken.stdout == ""
    assert "HEAD is a revision, not a path: did you mean 'okrsprint diff HEAD~1 --head HEAD'?" in mistaken.stderr
    assert runner.invoke(app, ["diff", "HEAD~1", "--head", "HEAD"]).exit_code == 0
    missing = runner.invoke(app, ["diff", "HEAD~1", "nowhere"])
    assert missing.exit_code == 2 and "path not found: nowhere" in missing.stderr


def test_json_output_is_complete(repo):
    _flag_everything(repo)
    document = json.loads(
        runner.invoke(app, ["diff", str(repo.folder), "--format", "json", "--today", "2026-11-23"]).stdout
    )
    assert document["version"] == 1 and document["root"] == "." and document["today"] == "2026-11-23"
    assert document["base"] == {"label": "merge base with main", "commit": document["base"]["commit"]}
    assert document["head"] == {"label": "working tree", "commit": None}
    target = next(c for c in document["changes"] if c["field"] == "target")
    assert target == {
        "kind": "key-result-changed", "team": "web", "quarter": "2026-Q4", "entity": "key-result", "id": "KR2",
        "action": "changed", "field": "target", "before": 20, "after": 15,
        "note": "toward the baseline 10: easier", "text": "key result KR2 target: 20 → 15 (toward the baseline 10: easier)",
    }  # fmt: skip
    assert [f["code"] for f in document["findings"]] == ["D101", "D103"]
    introduced, fixed = document["check"]["introduced"], document["check"]["fixed"]
    assert [f["code"] for f in introduced] == ["A301"]  # the OKR share changed: a new message
    assert [f["code"] for f in fixed] == ["A301"] and fixed[0]["message"].startswith("80% of committed estimate")
    assert document["summary"] == {
        "changes": 2,
        "team_quarters": 1,
        "errors": 0,
        "warnings": 2,
        "infos": 0,
        "introduced": 1,
        "fixed": 1,
    }
    added = json.loads(
        runner.invoke(app, ["diff", "HEAD~1", "--head", "HEAD", str(repo.folder), "--format", "json"]).stdout
    )
    assert added["head"]["commit"] == repo.git("rev-parse", "HEAD")


def test_text_output_groups_by_team_quarter_without_colour_in_a_pipe(repo):
    _flag_everything(repo)
    out = runner.invoke(app, ["diff", str(repo.folder), "--today", "2026-11-23"]).stdout
    assert "\x1b[" not in out
    assert "\nweb 2026-Q4\n  ~ key result KR2 target: 20 → 15 (toward the baseline 10: easier)\n" in out
    assert "  flagged:\n    okrs.yaml:" in out and "D101 [warning]" in out
    assert "  check findings introduced:\n    sprints.yaml:4:1: A301 [error] 83% of committed estimate" in out
    assert "  check findings fixed:\n" in out
    assert out.rstrip().endswith("flagged: 0 errors, 2 warnings, 0 infos; check findings: 1 introduced, 1 fixed.")


def test_markdown_collapses_long_lists_and_fits_a_comment(repo):
    _flag_everything(repo)
    short = runner.invoke(app, ["diff", str(repo.folder), "--format", "markdown", "--today", "2026-11-23"]).stdout
    assert short.startswith("### okrsprint diff: merge base with main \\(")
    assert "#### Flagged" in short and "| 🟡 | D101 moving-the-goalposts | okrs.yaml:" in short
    assert "<details>" not in short and "- `~` key result KR2 target: 20 → 15" in short

    plan = base_plan()
    plan["backlog.yaml"]["items"] += [
        {"id": f"B-{n}", "title": f"Item <{n}> | with *markup*", "krs": [], "estimate": 1}
        for n in range(COLLAPSE_AFTER + 1)
    ]
    repo.write(plan)
    long = render_markdown(diff(repo))
    assert f"<summary>Changes ({COLLAPSE_AFTER + 1})</summary>" in long
    assert "Item \\<0\\> \\| with \\*markup\\*" in long

    plan["backlog.yaml"]["items"] += [{"id": f"C-{n}", "title": "x" * 70, "krs": [], "estimate": 1} for n in range(800)]
    repo.write(plan)
    cut = render_markdown(diff(repo))
    assert len(cut) <= MARKDOWN_LIMIT and cut.count("<details>") == cut.count("</details>")
    assert "cut to fit a comment" in cut


def test_installed_console_script(repo):
    _flag_everything(repo)
    script = Path(sys.executable).parent / "okrsprint"  # the venv's console script, as pip installed it
    completed = subprocess.run(
        [str(script), "diff", "--today", "2026-11-23", "--strict", "--format", "markdown"],
        check=False, cwd=repo.folder, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    assert completed.returncode == 1, completed.stderr
    assert "D103 sprint-scope-creep" in completed.stdout and completed.stderr == ""
