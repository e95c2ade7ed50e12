"""``path:line:col: CODE [severity] message`` lines and a one-line summary, as ruff and yamllint print them."""

from __future__ import annotations

from rich.text import Text

from okrsprint.engine import CheckResult
from okrsprint.findings import Severity

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render(result: CheckResult, *, quiet: bool = False) -> Text:
    out = Text()
    for finding in result.findings:
        location = finding.location
        out.append(f"{location.file}:{location.line}:{location.column}:", style="bold")
        out.append(" ")
        out.append(finding.code, style=STYLES[finding.severity])
        out.append(f" [{finding.severity.value}] ", style=STYLES[finding.severity])
        out.append(finding.message)
        out.append("\n")
    if not quiet:
        out.append(summary_line(result))
        out.append("\n")
    return out


def summary_line(result: CheckResult) -> Text:
    counts = result.summary()
    scope = f"{_plural(counts['files'], 'file')}, {_plural(counts['documents'], 'plan document')}"
    if not result.findings:
        return Text(f"All checks passed ({scope}).", style="green")
    parts = [_plural(counts["errors"], "error"), _plural(counts["warnings"], "warning"), _plural(counts["infos"], "info")]
    style = "bold red" if counts["errors"] else "yellow"
    return Text(f"Found {_plural(len(result.findings), 'problem')}: {', '.join(parts)} ({scope}).", style=style)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
