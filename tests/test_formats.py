"""Each check format against the rules of its consumer: the annotation grammar, the SARIF schema, an XML parser, Markdown tables."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from okrsprint.engine import CheckResult
from okrsprint.findings import Finding, Location, Severity
from okrsprint.render import FORMATS, checkout_base, plain_text, render
from okrsprint.render.common import inert_terminal
from okrsprint.rules.registry import all_rules
from tests.helpers import EXAMPLES, ROOT, check, write

# A plan with errors, warnings and infos; a file name and values that need escaping everywhere.
BROKEN = {
    "okrsprint.yaml": "rules:\n  severity: {A501: info}\n",
    "a,b:c.yaml": """
        kind: okrs
        team: t
        quarter: 2026-Q4
        objectives:
          - id: O1
            title: x
            key_results:
              - {id: KR1, title: Build the thing, baseline: 1, target: 5}
          - {id: O2, title: y, owner: b}
        """,
    "bad.yaml": 'kind: okrs\nteam: t2\nquarter: "20|26 <b>\\n%x"\nobjectives: []\n',
}


@pytest.fixture
def broken(tmp_path, monkeypatch) -> CheckResult:
    monkeypatch.chdir(tmp_path)
    result = check(write(tmp_path, BROKEN))
    assert {finding.severity for finding in result.findings} == set(Severity)
    return result


@pytest.fixture
def clean(monkeypatch) -> CheckResult:
    monkeypatch.chdir(EXAMPLES / "checkout")
    result = check(EXAMPLES / "checkout")
    assert result.findings == []
    return result


# -- github: workflow commands ----------------------------------------------------------

ANNOTATION = re.compile(r"^::(?P<command>error|warning|notice) (?P<properties>[^:]*)::(?P<message>[^\r\n]*)$")


def unescape(text: str) -> str:
    """The runner's decoding of workflow-command values (actions/runner ActionCommand)."""
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def parse_annotations(output: str) -> list[dict]:
    parsed = []
    for line in output.splitlines():
        match = ANNOTATION.match(line)
        assert match, f"not a workflow command: {line!r}"
        properties = dict(part.split("=", 1) for part in match["properties"].split(","))
        parsed.append(
            {
                "command": match["command"],
                **{key: unescape(value) for key, value in properties.items()},
                "message": unescape(match["message"]),
            }  # fmt: skip
        )
    return parsed


def test_github_annotations_follow_the_workflow_command_grammar(broken):
    annotations = parse_annotations(plain_text(render("check", "github", broken)))
    assert len(annotations) == len(broken.findings)
    commands = {"error": "error", "warning": "warning", "info": "notice"}
    for annotation, finding in zip(annotations, broken.findings, strict=True):
        assert annotation == {
            "command": commands[finding.severity.value],
            "file": finding.location.file,
            "line": str(finding.location.line),
            "col": str(finding.location.column),
            "title": finding.code,
            "message": finding.message,
        }
    assert any(annotation["file"] == "a,b:c.yaml" for annotation in annotations)
    assert any("\n%x" in annotation["message"] for annotation in annotations)


def test_github_escapes_percent_and_line_breaks_in_the_message():
    finding = Finding("A403", "key-result-behind", Severity.INFO, "50% done\r\nnext", Location("o,k:r.yaml", 1, 2))
    output = plain_text(render("check", "github", CheckResult(Path.cwd(), [finding], 1, 1)))
    assert output == "::notice file=o%2Ck%3Ar.yaml,line=1,col=2,title=A403::50%25 done%0D%0Anext\n"


def test_github_paths_are_relative_to_the_checkout_when_the_plan_is_in_a_subfolder(tmp_path, monkeypatch):
    write(tmp_path / "plans", BROKEN)
    monkeypatch.chdir(tmp_path)
    result = check(tmp_path / "plans")
    files = {annotation["file"] for annotation in parse_annotations(plain_text(render("check", "github", result)))}
    assert files == {"plans/a,b:c.yaml", "plans/bad.yaml"}


def test_paths_stay_root_relative_when_the_root_is_outside_the_working_directory(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    assert checkout_base(tmp_path / "plans", tmp_path / "elsewhere") == ((tmp_path / "plans").resolve(), "")
    assert checkout_base(tmp_path / "plans", tmp_path) == (tmp_path.resolve(), "plans/")


def test_github_prints_nothing_for_a_clean_plan(clean):
    assert plain_text(render("check", "github", clean)) == ""


# -- sarif ------------------------------------------------------------------------------


def sarif_schema() -> dict:
    """The official schema from ``shared/schemas`` beside the clone (``../shared``) or further up."""
    for folder in ROOT.parents:
        candidate = folder / "shared" / "schemas" / "sarif-schema-2.1.0.json"
        if candidate.is_file():
            return json.loads(candidate.read_text(encoding="utf-8"))
    pytest.skip("the SARIF schema shared/schemas/sarif-schema-2.1.0.json is not beside this clone (../shared)")


@pytest.mark.parametrize("plan", ["broken", "clean"])
def test_sarif_is_valid_against_the_official_schema(plan, request):
    result = request.getfixturevalue(plan)
    log = json.loads(plain_text(render("check", "sarif", result)))
    validator = jsonschema.Draft7Validator(sarif_schema(), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(log)]
    assert errors == []
    assert log["version"] == "2.1.0"


def test_sarif_invalid_document_is_caught_by_the_schema_check():
    """The schema check above is not vacuous: a wrong level is rejected."""
    log = {
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "info"}]}],
    }
    assert list(jsonschema.Draft7Validator(sarif_schema()).iter_errors(log))


def test_sarif_results_locations_and_levels(broken):
    run = json.loads(plain_text(render("check", "sarif", broken)))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == broken.root.as_uri() + "/"
    levels = {"error": "error", "warning": "warning", "info": "note"}
    assert len(run["results"]) == len(broken.findings)
    for result, finding in zip(run["results"], broken.findings, strict=True):
        assert result["ruleId"] == finding.code == rules[result["ruleIndex"]]["id"]
        assert result["level"] == levels[finding.severity.value]
        assert result["message"]["text"] == finding.message
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "SRCROOT"
        uri = physical["artifactLocation"]["uri"]
        assert "://" not in uri and not uri.startswith("/")
        assert physical["region"] == {"startLine": finding.location.line, "startColumn": finding.location.column}
    assert {result["level"] for result in run["results"]} == {"error", "warning", "note"}


def test_sarif_rule_metadata_comes_from_the_registry(clean):
    rules = json.loads(plain_text(render("check", "sarif", clean)))["runs"][0]["tool"]["driver"]["rules"]
    registry = all_rules()
    assert [rule["id"] for rule in rules] == [rule.code for rule in registry]
    for descriptor, rule in zip(rules, registry, strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"].lower().startswith(rule.summary[:10].lower().replace("`", ""))
        assert descriptor["fullDescription"]["text"] == rule.rationale.replace("`", "")
        assert rule.code in descriptor["help"]["text"] and rule.code in descriptor["help"]["markdown"]
        assert (
            descriptor["defaultConfiguration"]["level"]
            == {"error": "error", "warning": "warning", "info": "note"}[rule.severity.value]
        )


def test_sarif_uris_are_percent_encoded_and_prefixed_by_the_subfolder(tmp_path, monkeypatch):
    write(
        tmp_path / "my plans",
        {"okrs.yaml": "kind: okrs\nteam: t\nquarter: 2026-Q4\nobjectives: [{id: O1, title: x}]\n"},
    )
    monkeypatch.chdir(tmp_path)
    run = json.loads(plain_text(render("check", "sarif", check(tmp_path / "my plans"))))["runs"][0]
    assert {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in run["results"]} == {
        "my%20plans/okrs.yaml"
    }
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == tmp_path.resolve().as_uri() + "/"


MOVING = {
    "okrs.yaml": """
        kind: okrs
        team: t
        quarter: 2026-Q4
        objectives:
          - id: O1
            title: Grow
            key_results: [{id: KR1, title: Conversion, baseline: 1, target: 5}]
          - id: O2
            title: Keep
            key_results: [{id: KR2, title: Churn, baseline: 9, target: 5}]
        """,
    "other.yaml": "kind: okrs\nteam: u\nquarter: 2026-Q4\nobjectives: []\nobjectives: []\n",
}


def fingerprints(result: CheckResult) -> list[tuple[str, str]]:
    run = json.loads(plain_text(render("check", "sarif", result)))["runs"][0]
    return [(result["ruleId"], result["partialFingerprints"]["okrsprint/v1"]) for result in run["results"]]


def test_sarif_fingerprints_are_stable_across_runs_and_line_moves(tmp_path):
    first = check(write(tmp_path / "first", MOVING))
    moved = {name: "# a comment\n\n# another\n" + text for name, text in MOVING.items()}
    moved["okrs.yaml"] = moved["okrs.yaml"].replace("          - id: O2", "\n          # second\n          - id: O2")
    second = check(write(tmp_path / "second", moved))
    assert [f.code for f in second.findings] == [f.code for f in first.findings]
    assert all(a.location.line > b.location.line for a, b in zip(second.findings, first.findings, strict=True))
    assert "(first at line 4)" in first.findings[-1].message  # S003 names a line: its stand-in entity drops it
    before = fingerprints(first)
    assert fingerprints(second) == before == fingerprints(check(tmp_path / "first"))
    assert [code for code, _ in before].count("A501") == 2 and before[-1][0] == "S003"
    assert len({fingerprint for _, fingerprint in before}) == len(before)


def test_sarif_fingerprints_tell_entities_files_and_team_quarters_apart():
    def finding(file: str = "a.yaml", team: str = "t", entity: str | None = "Objective:O1") -> Finding:
        return Finding(
            "A501", "objective-without-owner", Severity.WARNING, "m", Location(file, 1, 1), team, "2026-Q4", entity
        )

    variants = [finding(), finding(file="b.yaml"), finding(team="u"), finding(entity="Objective:O2"), finding()]
    run = json.loads(plain_text(render("check", "sarif", CheckResult(Path.cwd(), variants, 2, 2))))["runs"][0]
    prints = [result["partialFingerprints"]["okrsprint/v1"] for result in run["results"]]
    assert len(set(prints)) == 5  # the repeated finding gets its own, so no alert swallows another


def test_sarif_rules_carry_help_uri_only_when_the_project_url_is_known(clean, monkeypatch):
    from email.message import Message

    from okrsprint.render import sarif

    def rules() -> list[dict]:
        return json.loads(plain_text(render("check", "sarif", clean)))["runs"][0]["tool"]["driver"]["rules"]

    monkeypatch.setattr(sarif, "metadata", lambda name: Message())
    assert all("helpUri" not in rule for rule in rules())
    known = Message()
    known["Project-URL"] = "Source, https://example.org/okrsprint.git"
    known["Project-URL"] = "Documentation, https://example.org/okrsprint/docs"
    monkeypatch.setattr(sarif, "metadata", lambda name: known)
    assert {rule["helpUri"] for rule in rules()} == {"https://example.org/okrsprint/docs"}


# -- junit ------------------------------------------------------------------------------


def test_junit_has_one_test_case_per_rule_and_failures_with_locations(broken):
    suites = ET.fromstring(plain_text(render("check", "junit", broken)))
    suite = suites.find("testsuite")
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == [f"{rule.code} {rule.name}" for rule in all_rules()]
    assert {case.get("classname") for case in cases} == {"okrsprint"}
    failing = {finding.code for finding in broken.findings if finding.severity is not Severity.INFO}
    failed = {case.get("name").split()[0] for case in cases if case.find("failure") is not None}
    assert failed == failing
    assert suite.get("tests") == str(len(cases)) and suite.get("failures") == str(len(failed))
    assert suites.get("tests") == str(len(cases)) and suites.get("failures") == str(len(failed))
    for finding in broken.findings:
        case = next(case for case in cases if case.get("name").startswith(finding.code + " "))
        element = case.find("failure" if finding.severity is not Severity.INFO else "system-out")
        location = finding.location
        where = f"{inert_terminal(location.file)}:{location.line}:{location.column}"
        assert f"{where}: [{finding.severity.value}] {inert_terminal(finding.message)}" in element.text
    # the quarter's line break shown as the text report shows it
    assert any("'20|26 <b>\\n%x'" in case.findtext("failure", "") for case in cases)


def junit_cases(result: CheckResult) -> dict[str, ET.Element]:
    suites = ET.fromstring(plain_text(render("check", "junit", result)))
    return {case.get("name").split()[0]: case for case in suites.iter("testcase")}


def skipped(result: CheckResult) -> dict[str, str]:
    return {
        code: case.find("skipped").get("message")
        for code, case in junit_cases(result).items()
        if case.find("skipped") is not None
    }


CHANGE_RULES = {rule.code for rule in all_rules() if rule.compares_versions}
DIFF_ONLY = "a change rule: only okrsprint diff runs it, on two versions of the plan"


def test_junit_skips_the_change_rules_under_check(broken):
    assert skipped(broken) == dict.fromkeys(CHANGE_RULES, DIFF_ONLY)
    suite = ET.fromstring(plain_text(render("check", "junit", broken))).find("testsuite")
    assert suite.get("skipped") == str(len(CHANGE_RULES))


def test_junit_says_why_a_rule_was_deselected(tmp_path):
    write(tmp_path, {**BROKEN, "okrsprint.yaml": "rules:\n  ignore: [A402]\n"})
    adjustable = {rule.code for rule in all_rules() if not rule.structural and not rule.compares_versions}
    by_select = skipped(check(tmp_path, select=["A5"], ignore=["A502"]))
    assert by_select == {
        **dict.fromkeys(adjustable - {"A501", "A502"}, "not chosen by --select"),
        "A502": "switched off by --ignore",
        **dict.fromkeys(CHANGE_RULES, DIFF_ONLY),
    }
    by_config = skipped(check(tmp_path, ignore=["A501"]))
    assert by_config == {
        "A402": "switched off by rules.ignore in the config",
        "A501": "switched off by --ignore",
        **dict.fromkeys(CHANGE_RULES, DIFF_ONLY),
    }
    case = junit_cases(check(tmp_path, ignore=["A501"]))["A501"]
    assert case.find("failure") is None and case.find("system-out") is None


def test_junit_of_a_clean_plan_has_no_failures(clean):
    suites = ET.fromstring(plain_text(render("check", "junit", clean)))
    assert suites.get("failures") == "0"
    assert suites.find("testsuite").findall("testcase/failure") == []


# -- markdown ---------------------------------------------------------------------------

CELL_BORDER = re.compile(r"(?<!\\)\|")


def test_markdown_table_has_one_row_per_finding_and_pipes_stay_inside_cells(broken):
    output = plain_text(render("check", "markdown", broken))
    rows = [line for line in output.splitlines() if line.startswith("| ")]
    header, findings = rows[0], rows[1:]
    assert header == "| severity | rule | location | message |"
    assert len(findings) == len(broken.findings)
    for row in findings:
        assert len(CELL_BORDER.split(row)) == 6, row  # 4 cells between 5 borders
    assert any("20\\|26 \\<b\\> %x" in row for row in findings)
    counts = broken.summary()
    assert f"**{counts['errors']} errors, {counts['warnings']} warnings, {counts['infos']} info" in output


def test_markdown_summary_pluralises_like_text():
    def finding(severity: Severity) -> Finding:
        return Finding("A105", "key-result-is-a-task", severity, "m", Location("o.yaml", 1, 1))

    result = CheckResult(
        Path("."), [finding(Severity.ERROR), finding(Severity.WARNING), finding(Severity.WARNING)], 1, 1
    )
    assert "**1 error, 2 warnings, 0 infos** (1 file, 1 plan document)." in render("check", "markdown", result)
    clean = CheckResult(Path("."), [], 2, 1)
    assert "✅ All checks passed (2 files, 1 plan document)." in render("check", "markdown", clean)


def test_markdown_of_a_clean_plan_says_so(clean):
    output = plain_text(render("check", "markdown", clean))
    assert output.startswith("## okrsprint check")
    assert "All checks passed" in output and "|" not in output


def test_every_format_is_registered():
    assert set(FORMATS["check"]) == {"text", "json", "github", "sarif", "junit", "markdown"}
