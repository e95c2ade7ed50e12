"""The JSON document of SPEC §3: version, root, findings (sorted), summary."""

from __future__ import annotations

import json

from okrsprint.engine import CheckResult


def render(result: CheckResult, *, quiet: bool = False) -> str:
    document = {
        "version": 1,
        "root": str(result.root),
        "findings": [finding.as_dict() for finding in result.findings],
        "summary": result.summary(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
