"""``okrsprint diff`` output: text for a terminal, JSON (everything), Markdown sized for a pull-request comment."""

from __future__ import annotations

import json

from rich.text import Text

from okrsprint.diff.compare import Change, DiffResult, GroupKey
from okrsprint.findings import Finding, Severity
from okrsprint.metrics import plural
from okrsprint.render.text_format import STYLES

FORMATS = ("text", "json", "markdown")
MARKDOWN_LIMIT = 60_000  # GitHub refuses comments over 65,536 characters
COLLAPSE_AFTER = 10  # longer lists go into <details>
SIGN_STYLES = {"+": "green", "-": "red", "~": "yellow"}


def render(result: DiffResult, output_format: str) -> str | Text:
    return {"text": render_text, "json": render_json, "markdown": render_markdown}[output_format](result)


def _group_label(key: GroupKey) -> str:
    team, quarter = key
    return f"{team} {quarter}" if team is not None else "not in a team-quarter"


def _in(key: GroupKey, items: list) -> list:
    return [item for item in items if (item.team, item.quarter) == key]


def _header(result: DiffResult) -> str:
    def side(revision) -> str:
        return revision.label if revision.commit is None else f"{revision.label} ({revision.commit[:7]})"

    return f"{side(result.base)} → {side(result.head)}"


def _summary(result: DiffResult) -> str:
    counts = result.summary()
    flagged = ", ".join(plural(counts[key + "s"], key) for key in ("error", "warning", "info"))
    return (
        f"{plural(counts['changes'], 'change')} in {plural(counts['team_quarters'], 'team-quarter')}; "
        f"flagged: {flagged}; check findings: {counts['introduced']} introduced, {counts['fixed']} fixed"
    )


def _where(finding: Finding) -> str:
    location = finding.location
    return f"{location.file}:{location.line}:{location.column}"


# -- text ------------------------------------------------------------------------


def render_text(result: DiffResult) -> Text:
    out = Text()
    out.append(f"okrsprint diff: {_header(result)}", style="bold")
    out.append(f"  (root: {result.root}, today: {result.today})\n")
    for key in result.groups():
        out.append(f"\n{_group_label(key)}\n", style="bold")
        for change in _in(key, result.changes):
            out.append(f"  {change.sign} ", style=SIGN_STYLES[change.sign])
            out.append(f"{change.text}\n")
        for title, findings in (
            ("flagged", _in(key, result.findings)),
            ("check findings introduced", _in(key, result.introduced)),
            ("check findings fixed", _in(key, result.fixed)),
        ):
            if findings:
                out.append(f"  {title}:\n", style="bold")
                for finding in findings:
                    out.append(f"    {_where(finding)}: ")
                    out.append(f"{finding.code} [{finding.severity.value}]", style=STYLES[finding.severity])
                    out.append(f" {finding.message}\n")
    if not result.groups():
        out.append("\nNo semantic change to the plan.\n", style="green")
    style = "bold red" if result.count(Severity.ERROR) else ("yellow" if result.findings else "green")
    out.append(f"\n{_summary(result)}.\n", style=style)
    return out


# -- json ------------------------------------------------------------------------


def render_json(result: DiffResult) -> str:
    def side(revision) -> dict:
        return {"label": revision.label, "commit": revision.commit}

    document = {
        "version": 1,
        "repository": str(result.repository),
        "root": result.root,
        "base": side(result.base),
        "head": side(result.head),
        "today": result.today.isoformat(),
        "changes": [change.as_dict() for change in result.changes],
        "findings": [finding.as_dict() for finding in result.findings],
        "check": {
            "introduced": [finding.as_dict() for finding in result.introduced],
            "fixed": [finding.as_dict() for finding in result.fixed],
        },
        "summary": result.summary(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# -- markdown --------------------------------------------------------------------

SEVERITY_ICONS = {"error": "🔴", "warning": "🟡", "info": "🔵"}


def _md(text: str) -> str:
    """User text made safe for a Markdown table cell or list item."""
    escaped = text.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(escaped.replace("|", "\\|").replace("`", "\\`").replace("*", "\\*").replace("_", "\\_").split())


def _finding_rows(findings: list[Finding]) -> list[str]:
    rows = ["| | rule | where | message |", "|---|---|---|---|"]
    for finding in findings:
        icon = SEVERITY_ICONS[finding.severity.value]
        rows.append(f"| {icon} | {finding.code} {finding.name} | `{_where(finding)}` | {_md(finding.message)} |")
    return rows


def _collapsible(summary: str, lines: list[str], count: int) -> list[str]:
    if count <= COLLAPSE_AFTER:
        return [f"**{summary}**", "", *lines, ""]
    return ["<details>", f"<summary>{summary} ({count})</summary>", "", *lines, "", "</details>", ""]


def _change_line(change: Change) -> str:
    return f"- `{change.sign}` {_md(change.text)}"


def render_markdown(result: DiffResult) -> str:
    lines = [f"### okrsprint diff: {_md(_header(result))}", "", f"{_summary(result)}.", ""]
    if result.findings:
        lines += ["#### Flagged", "", *_finding_rows(result.findings), ""]
    if not result.groups():
        lines += ["No semantic change to the plan.", ""]
    for key in result.groups():
        changes = _in(key, result.changes)
        lines += [f"#### {_md(_group_label(key))}", ""]
        if changes:
            lines += _collapsible("Changes", [_change_line(change) for change in changes], len(changes))
        for title, findings in (
            ("Check findings introduced", _in(key, result.introduced)),
            ("Check findings fixed", _in(key, result.fixed)),
        ):
            if findings:
                lines += _collapsible(title, _finding_rows(findings), len(findings))
    return _fit("\n".join(lines).rstrip() + "\n")


def _fit(markdown: str) -> str:
    """Cut at a line boundary (and close an open <details>) so the comment stays under GitHub's limit."""
    if len(markdown) <= MARKDOWN_LIMIT:
        return markdown
    cut = markdown.rfind("\n", 0, MARKDOWN_LIMIT - 200)
    kept = markdown[:cut]
    closing = "\n</details>" if kept.count("<details>") > kept.count("</details>") else ""
    return f"{kept}{closing}\n\n_… cut to fit a comment: run `okrsprint diff --format json` for everything._\n"
