"""``path:line:col: CODE [severity] message`` lines and a one-line summary, as ruff and yamllint print them.

Printed with plain ANSI codes rather than rich: this is the output of every
pre-commit run, and importing rich would cost it ~30 ms of start-up.
"""

from __future__ import annotations

import os
from typing import TextIO

from okrsprint.engine import CheckResult
from okrsprint.findings import Severity
from okrsprint.metrics import plural

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_ANSI = {"bold": "1", "bold red": "1;31", "yellow": "33", "cyan": "36", "green": "32"}


class Styled:
    """Text made of (text, style) runs: ``plain`` for files, ``ansi`` for a terminal."""

    def __init__(self) -> None:
        self.runs: list[tuple[str, str | None]] = []

    def append(self, text: str, style: str | None = None) -> None:
        self.runs.append((text, style))

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.runs)

    @property
    def ansi(self) -> str:
        return "".join(f"\x1b[{_ANSI[style]}m{text}\x1b[0m" if style else text for text, style in self.runs)

    def write(self, stream: TextIO) -> None:
        """Coloured only on a terminal, never under NO_COLOR or TERM=dumb (FORCE_COLOR forces it)."""
        if os.environ.get("FORCE_COLOR"):
            color = True
        else:
            color = stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
        stream.write(self.ansi if color else self.plain)


def render(result: CheckResult, *, quiet: bool = False) -> Styled:
    out = Styled()
    for finding in result.findings:
        location = finding.location
        out.append(f"{location.file}:{location.line}:{location.column}:", "bold")
        out.append(" ")
        out.append(f"{finding.code} [{finding.severity.value}]", STYLES[finding.severity])
        out.append(f" {finding.message}\n")
    if not quiet:
        text, style = summary_line(result)
        out.append(text, style)
        out.append("\n")
    return out


def summary_line(result: CheckResult) -> tuple[str, str]:
    """The closing line and its style."""
    counts = result.summary()
    scope = f"{plural(counts['files'], 'file')}, {plural(counts['documents'], 'plan document')}"
    if not result.findings:
        return f"All checks passed ({scope}).", "green"
    parts = [plural(counts["errors"], "error"), plural(counts["warnings"], "warning"), plural(counts["infos"], "info")]
    style = "bold red" if counts["errors"] else "yellow"
    return f"Found {plural(len(result.findings), 'problem')}: {', '.join(parts)} ({scope}).", style
