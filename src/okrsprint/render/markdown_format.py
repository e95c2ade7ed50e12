"""A Markdown summary for ``$GITHUB_STEP_SUMMARY`` or a pull-request comment: counts, then a table of findings."""

from __future__ import annotations

import re

from okrsprint.engine import CheckResult
from okrsprint.findings import Severity

ICONS = {Severity.ERROR: "❌ error", Severity.WARNING: "⚠️ warning", Severity.INFO: "ℹ️ info"}
MARKUP = re.compile(r"[\\`*_\[\]|~]")
MAX_ROWS = 500  # a PR comment holds 65,536 characters; the full list is in the text or SARIF output


def escape_cell(text: str) -> str:
    """Show a user's value literally inside its table cell: no pipes, emphasis, links, HTML or line breaks."""
    text = MARKUP.sub(r"\\\g<0>", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(text.splitlines())


def render(result: CheckResult, *, quiet: bool = False) -> str:
    counts = result.summary()
    scope = f"{counts['files']} files, {counts['documents']} plan documents"
    lines = ["## okrsprint check", ""]
    if not result.findings:
        lines += [f"✅ All checks passed ({scope}).", ""]
        return "\n".join(lines)
    lines += [
        f"**{counts['errors']} errors, {counts['warnings']} warnings, {counts['infos']} infos** ({scope}).",
        "",
        "| severity | rule | location | message |",
        "|---|---|---|---|",
    ]
    for finding in result.findings[:MAX_ROWS]:
        location = finding.location
        where = escape_cell(f"{location.file}:{location.line}:{location.column}")
        rule = f"{finding.code} {finding.name}"
        lines.append(f"| {ICONS[finding.severity]} | {rule} | {where} | {escape_cell(finding.message)} |")
    if len(result.findings) > MAX_ROWS:
        lines += ["", f"… and {len(result.findings) - MAX_ROWS} more findings: run `okrsprint check` to see them all."]
    lines.append("")
    return "\n".join(lines)
