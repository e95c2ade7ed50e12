"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Rules come from the registry (every rule, so a viewer can explain any code);
locations are URIs relative to ``SRCROOT``, the folder CI runs the check from.
Each result's ``partialFingerprints`` lets code scanning follow an alert across
runs and line moves: it hashes the code, the file, the team-quarter and what the
finding is about (``Finding.entity``), never a line number.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from importlib.metadata import PackageNotFoundError, metadata
from urllib.parse import quote

from okrsprint import __version__
from okrsprint.engine import CheckResult
from okrsprint.findings import Finding, Severity
from okrsprint.render import checkout_base
from okrsprint.rules.registry import Rule, all_rules

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
BASE_ID = "SRCROOT"
FINGERPRINT = "okrsprint/v1"
LINE_NUMBERS = re.compile(r"\b(?:line|lines|column) \d+|:\d+(?::\d+)?\b")
URL_LABELS = ("documentation", "docs", "homepage", "home", "source", "repository")
"""``Project-URL`` labels a rule's ``helpUri`` may point to, the most helpful first."""


def check(result: CheckResult, *, quiet: bool = False) -> str:
    rules = all_rules()
    index = {rule.code: position for position, rule in enumerate(rules)}
    base, prefix = checkout_base(result.root)
    help_uri = project_url()
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
            "partialFingerprints": {FINGERPRINT: fingerprint},
        }
        for finding, fingerprint in zip(result.findings, fingerprints(result.findings), strict=True)
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
                        "rules": [rule_descriptor(rule, help_uri) for rule in rules],
                    }
                },  # fmt: skip
                "originalUriBaseIds": {BASE_ID: {"uri": base.as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def fingerprints(findings: list[Finding]) -> list[str]:
    """One fingerprint a finding: code, file, team-quarter and entity (else the message without line numbers).

    Two findings alike in all of these (rare: an entity with two findings of one rule) are told apart by their
    order, so that no alert swallows another.
    """
    seen: Counter[str] = Counter()
    prints = []
    for finding in findings:
        about = finding.entity if finding.entity is not None else LINE_NUMBERS.sub("", finding.message)
        key = "\0".join([finding.code, finding.location.file, finding.team or "", finding.quarter or "", about])
        seen[key] += 1
        if seen[key] > 1:
            key += f"\0{seen[key]}"
        prints.append(hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32])
    return prints


def project_url() -> str | None:
    """The project's documentation or home page from the package metadata; None when it names none."""
    try:
        meta = metadata("okrsprint")
    except PackageNotFoundError:
        return None
    urls: dict[str, str] = {}
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        urls.setdefault(label.strip().lower(), url.strip())
    for label in URL_LABELS:
        if urls.get(label):
            return urls[label]
    home = meta.get_all("Home-page")
    return home[0] if home else None


def rule_descriptor(rule: Rule, help_uri: str | None = None) -> dict:
    """A rule as SARIF ``reportingDescriptor``: what code scanning shows beside an alert."""
    descriptor = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _plain(f"{rule.summary[0].upper()}{rule.summary[1:]}.")},
        "fullDescription": {"text": _plain(rule.rationale)},
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["structure" if rule.structural else "alignment"]},
    }
    if help_uri:
        descriptor["helpUri"] = help_uri
    return descriptor


def _configure(rule: Rule) -> str:
    if rule.structural:
        return "A structure rule: always on, always an error."
    text = (
        f"Switch it off with rules: {{ignore: [{rule.code}]}} in okrsprint.yaml, "
        f"or on one line with '# okrsprint: ignore[{rule.code}]'."
    )
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
