"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Rules come from the registry (every rule, so a viewer can explain any code);
locations are URIs relative to ``SRCROOT``, the folder CI runs the check from.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from okrsprint import __version__
from okrsprint.engine import CheckResult
from okrsprint.findings import Severity
from okrsprint.render import checkout_base
from okrsprint.rules.registry import Rule, all_rules

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
BASE_ID = "SRCROOT"


def check(result: CheckResult, *, quiet: bool = False) -> str:
    rules = all_rules()
    index = {rule.code: position for position, rule in enumerate(rules)}
    base, prefix = checkout_base(result.root)
    results = [
        {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(prefix + finding.location.file), "uriBaseId": BASE_ID},
                        "region": {"startLine": finding.location.line, "startColumn": finding.location.column},
                    }
                }
            ],
        }
        for finding in result.findings
    ]
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "okrsprint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [rule_descriptor(rule) for rule in rules],
                    }
                },  # fmt: skip
                "originalUriBaseIds": {BASE_ID: {"uri": base.as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def rule_descriptor(rule: Rule) -> dict:
    """A rule as SARIF ``reportingDescriptor``: what code scanning shows beside an alert."""
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _plain(f"{rule.summary[0].upper()}{rule.summary[1:]}.")},
        "fullDescription": {"text": _plain(rule.rationale)},
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["structure" if rule.structural else "alignment"]},
    }


def _configure(rule: Rule) -> str:
    if rule.structural:
        return "A structure rule: always on, always an error."
    text = f"Switch it off with rules: {{ignore: [{rule.code}]}} in okrsprint.yaml, or on one line with '# okrsprint: ignore[{rule.code}]'."
    if rule.settings:
        text += " Settings: " + ", ".join(f"settings.{name}" for name in rule.settings) + "."
    return text


def _help_text(rule: Rule) -> str:
    return _plain(f"{rule.code} {rule.name}: fires when {rule.summary}.\n\n{rule.rationale}\n\n{_configure(rule)}")


def _help_markdown(rule: Rule) -> str:
    return f"**{rule.code} `{rule.name}`** fires when {rule.summary}.\n\n{rule.rationale}\n\n{_configure(rule)}"


def _plain(text: str) -> str:
    """Text fields are not markdown: drop the code backticks of the registry's wording."""
    return text.replace("`", "")
