"""JUnit XML for CI test reporters: one test case per rule, failing when the rule has error or warning findings.

JUnit knows only pass and fail, so info findings do not fail their case; they
are listed in its ``system-out``. A failure lists every finding of the rule as
``file:line:col: [severity] message``. A rule the check did not run (deselected,
or a change rule, which only ``diff`` runs) is ``<skipped>`` with the reason.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from okrsprint.engine import CheckResult
from okrsprint.findings import Finding, Severity
from okrsprint.render.common import inert_terminal
from okrsprint.rules.registry import all_rules

CLASSNAME = "okrsprint"


def check(result: CheckResult, *, quiet: bool = False) -> str:
    rules = all_rules()
    by_rule: dict[str, list[Finding]] = {rule.code: [] for rule in rules}
    for finding in result.findings:
        by_rule[finding.code].append(finding)
    suites = ET.Element("testsuites", name="okrsprint")
    skipped = sum(rule.code in result.not_run for rule in rules)
    suite = ET.SubElement(
        suites, "testsuite", name="okrsprint check", tests=str(len(rules)), errors="0", skipped=str(skipped)
    )
    failures = 0
    for rule in rules:
        case = ET.SubElement(suite, "testcase", classname=CLASSNAME, name=f"{rule.code} {rule.name}", time="0")
        if rule.code in result.not_run:
            ET.SubElement(case, "skipped", message=result.not_run[rule.code])
            continue
        findings = by_rule[rule.code]
        failing = [finding for finding in findings if finding.severity is not Severity.INFO]
        if failing:
            failures += 1
            worst = max(failing, key=lambda finding: finding.severity.rank).severity.value
            failure = ET.SubElement(case, "failure", message=_count(len(failing), worst), type=worst)
            failure.text = "\n".join(_line(finding) for finding in failing)
        notes = [finding for finding in findings if finding.severity is Severity.INFO]
        if notes:
            ET.SubElement(case, "system-out").text = "\n".join(_line(finding) for finding in notes)
    suite.set("failures", str(failures))
    for element in (suites, suite):
        element.set("time", "0")
    suites.set("tests", str(len(rules)))
    suites.set("failures", str(failures))
    suites.set("skipped", str(skipped))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _count(number: int, severity: str) -> str:
    return f"{number} finding{'' if number == 1 else 's'} (worst: {severity})"


def _line(finding: Finding) -> str:
    """A finding as the text report shows it: CI reporters print it to a log, and XML 1.0 cannot hold controls."""
    location = finding.location
    where = f"{inert_terminal(location.file)}:{location.line}:{location.column}"
    return f"{where}: [{finding.severity.value}] {inert_terminal(finding.message)}"
