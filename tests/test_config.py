"""okrsprint.yaml: root discovery, rule switches and severities, settings, and every config error as exit 2."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from okrsprint.cli import app
from okrsprint.errors import ConfigError, UsageError
from tests.builders import item, key_result, objective, sprint, team_plan
from tests.helpers import check, codes, located

TASK_KR = team_plan([objective("O1", key_result("KR1", title="Implement tracking"))])  # A105 warning


def invoke(*args: str):
    return CliRunner().invoke(app, [str(arg) for arg in args])


def with_config(config: str, files: dict[str, str] = TASK_KR) -> dict[str, str]:
    return {"okrsprint.yaml": config, **files}


# -- rules.ignore and rules.severity ------------------------------------------------------


@pytest.mark.parametrize("reference", ["A105", "a105", "key-result-is-a-task"])
def test_rules_ignore_by_code_or_name(repo, reference):
    result = check(repo(with_config(f"rules:\n  ignore: [{reference}]\n")))
    assert "A105" not in codes(result)
    assert "A402" in codes(result)  # the other rules still run


def test_without_ignore_the_rule_fires(repo):
    assert "A105" in codes(check(repo(with_config("{}\n"))))


@pytest.mark.parametrize("reference", ["A105", "key-result-is-a-task"])
def test_rules_severity_by_code_or_name(repo, reference):
    result = check(repo(with_config(f"rules:\n  severity: {{{reference}: error}}\n")), select=["A1"])
    assert [(f.code, f.severity.value) for f in result.findings] == [("A105", "error")]
    assert result.exit_code() == 1


def test_severity_down_to_info_passes_strict(repo):
    result = check(repo(with_config("rules:\n  severity: {A105: info}\n")), select=["A1"])
    assert [f.severity.value for f in result.findings] == ["info"]
    assert result.exit_code(strict=True) == 0


# -- config errors: usage errors located in the config -----------------------------------


@pytest.mark.parametrize(
    ("config", "where", "words"),
    [
        ("rules:\n  ignore: [A105, A999]\n", "okrsprint.yaml:2:18", "unknown rule 'A999': see 'okrsprint rules'"),
        ("rules: {ignore: [A2O4]}\n", "okrsprint.yaml:1:18", "unknown rule 'A2O4': did you mean 'A204'?"),
        ("rules:\n  severity:\n    A301: warning\n    nope: info\n", "okrsprint.yaml:4:5", "unknown rule 'nope'"),
        ("rules:\n  severity: {A301: fatal}\n", "okrsprint.yaml:2:14", "must be error, warning or info"),
        ("rules:\n  ignore: [S002]\n", "okrsprint.yaml:2:12", "S002 (schema) is a structure rule"),
        ("rules:\n  severity: {S004: warning}\n", "okrsprint.yaml:2:14", "structure rule"),
        ("team: checkout\nsettigns: {}\n", "okrsprint.yaml:2:1", "unknown field 'settigns': did you mean 'settings'?"),
        ("settings:\n  max_objectivs: 2\n", "okrsprint.yaml:2:3", "did you mean 'max_objectives'?"),
        ("year_start_month: '4'\n", "okrsprint.yaml:1:1", "expected an integer"),
        ("year_start_month: 13\n", "okrsprint.yaml:1:1", "less than or equal to 12"),
        ("team: Checkout\n", "okrsprint.yaml:1:1", "slug"),
        ("exclude: archive\n", "okrsprint.yaml:1:1", "expected a list"),
        ("settings:\n  okr_capacity: [0.7, 0.6]\n", "okrsprint.yaml:2:3", "lower bound"),
        ("settings:\n  okr_capacity: [0.6, 1.5]\n", "okrsprint.yaml:2:", "okr_capacity"),
        ("settings:\n  okr_capacity: 0.6\n", "okrsprint.yaml:2:3", "'okr_capacity': expected a list, got a number"),
        ("settings:\n  okr_capacity: [0.6]\n", "okrsprint.yaml:2:17", "'okr_capacity': too few values"),
        ("settings:\n  sprint_days: ['5', 10]\n", "okrsprint.yaml:2:17", "expected an integer"),
        ("settings:\n  min_linked_sprint_ratio: 4/0\n", "okrsprint.yaml:2:3", 'ratio "a/b"'),
        ("settings:\n  min_linked_sprint_ratio: true\n", "okrsprint.yaml:2:3", 'ratio "a/b"'),
        ("settings:\n  checkin_interval_days: 0\n", "okrsprint.yaml:2:3", "greater than or equal to 1"),
        ("team: [a\n", "okrsprint.yaml:2:1", "invalid YAML"),
        ("team: a\nteam: b\n", "okrsprint.yaml:2:1", "duplicate key 'team'"),
        ("team: a\n---\nteam: b\n", "okrsprint.yaml:3:1", "single YAML document"),
        ("- team\n", "okrsprint.yaml:1:1", "mapping"),
        ("settings: !!python/name:os.system\n", "okrsprint.yaml:1:11", "tag"),
    ],
)
def test_config_error_is_exit_2_with_location(repo, config, where, words):
    root = repo(with_config(config))
    with pytest.raises(ConfigError) as error:
        check(root)
    assert str(error.value).startswith(where)
    assert words in str(error.value)
    outcome = invoke("check", root)
    assert outcome.exit_code == 2
    assert outcome.stderr.startswith(f"okrsprint: error: {where}")
    assert "Traceback" not in outcome.output


def test_empty_config_means_defaults(repo):
    assert codes(check(repo(with_config("")), select=["A1"])) == ["A105"]


# -- --select / --ignore override the config -------------------------------------------


def test_select_brings_back_a_rule_the_config_ignores(repo):
    root = repo(with_config("rules:\n  ignore: [A105]\n"))
    assert codes(check(root, select=["A105"])) == ["A105"]


def test_ignore_switches_off_a_rule_the_config_regrades(repo):
    root = repo(with_config("rules:\n  severity: {A105: error}\n"))
    assert codes(check(root, select=["A1"], ignore=["key-result-is-a-task"])) == []


def test_select_by_prefix(repo):
    late = date(2026, 12, 14)  # the quarter's last sprint (A303)
    files = team_plan(items=[item("I1", ["KR1"], 1)], sprint_list=[sprint("S1", late, capacity=0.5, items=["I1"])])
    result = check(repo(files), select=["A3"])
    assert sorted(set(codes(result))) == ["A301", "A302", "A303"]
    assert codes(check(repo(files), select=["A3"], ignore=["A30"])) == []


def test_select_and_ignore_on_the_command_line(repo):
    root = repo(TASK_KR)
    selected = invoke("check", root, "--select", "A105,A501", "--today", "2026-11-23")
    assert selected.exit_code == 0
    assert " A105 [warning] " in selected.stdout
    ignored = invoke("check", root, "--select", "A1", "--ignore", "A105", "--today", "2026-11-23")
    assert ignored.stdout.startswith("All checks passed")


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_rule_on_the_command_line_is_exit_2(repo, option):
    outcome = invoke("check", repo(TASK_KR), option, "A105,bogus")
    assert outcome.exit_code == 2
    assert "unknown rule 'bogus'" in outcome.stderr


@pytest.mark.parametrize("ignored", [["S002"], ["A1", "S"]])
def test_structure_rules_cannot_be_ignored_from_the_command_line(repo, ignored):
    """SPEC §2: S-rules are never suppressed; asking to is a usage error naming why (it was silently ignored)."""
    with pytest.raises(UsageError, match="is a structure rule: always on"):
        check(repo({"b.yaml": "kind: backlog\nteam: x\nquarter: 2026-Q4\nitems: 3\n"}), ignore=ignored)


# -- --config FILE and root discovery ------------------------------------------------------


def test_config_option_replaces_the_roots_config(repo, tmp_path):
    root = repo(with_config("rules:\n  ignore: [A105]\n"))
    other = tmp_path.parent / f"{tmp_path.name}-other.yaml"
    other.write_text("rules:\n  severity: {A105: error}\n")
    result = check(root, config_file=other, select=["A1"])
    assert [(f.code, f.severity.value) for f in result.findings] == [("A105", "error")]


def test_config_option_errors_name_that_file(repo, tmp_path):
    root = repo(TASK_KR)
    other = tmp_path / "conf" / "strict.yaml"
    other.parent.mkdir()
    other.write_text("rules:\n  ignore: [A999]\n")
    outcome = invoke("check", root, "--config", other)
    assert outcome.exit_code == 2
    assert "conf/strict.yaml:2:12: unknown rule 'A999'" in outcome.stderr


def test_config_option_file_is_not_a_plan_file(repo):
    root = repo({**TASK_KR, "conf/extra.yaml": "rules: {severity: {A105: info}}\n"})
    result = check(root, config_file=root / "conf" / "extra.yaml", select=["A1"])
    assert [f.severity.value for f in result.findings] == ["info"]
    assert result.files == 1


def test_missing_config_file_is_exit_2(repo):
    outcome = invoke("check", repo(TASK_KR), "--config", "nope.yaml")
    assert outcome.exit_code == 2
    assert "config file not found" in outcome.stderr


def test_root_is_the_nearest_directory_with_a_config(repo):
    root = repo({**with_config("rules:\n  ignore: [A105]\n", {}), **{f"team/{k}": v for k, v in TASK_KR.items()}})
    result = check(root / "team")
    assert result.root == root.resolve()
    assert "A105" not in codes(result)
    assert located(result, "A402") == [("A402", "team/okrs.yaml", 9, 5)]


def test_without_config_the_given_path_is_the_root(repo):
    root = repo({f"plans/{k}": v for k, v in TASK_KR.items()})
    result = check(root / "plans", select=["A1"])
    assert result.root == (root / "plans").resolve()
    assert located(result) == [("A105", "okrs.yaml", 10, 5)]


def test_exclude_globs_and_dot_directories(repo):
    broken = "kind: okrs\n  : [\n"
    root = repo(
        {
            **with_config('exclude: ["archive/**", "*.draft.yaml"]\n'),
            "archive/2025/old.yaml": broken,
            "team/next.draft.yaml": broken,
            ".github/workflow.yaml": broken,
            "kept/broken.yml": broken,
        }
    )
    result = check(root, select=["S"])
    assert [f.location.file for f in result.findings] == ["kept/broken.yml"]
    assert result.files == 2  # okrs.yaml and kept/broken.yml


def test_usage_error_is_a_usage_error(repo):
    with pytest.raises(UsageError):
        check(repo(TASK_KR) / "missing")
