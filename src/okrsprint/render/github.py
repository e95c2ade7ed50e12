"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` annotation a finding.

Escaping follows the runner's workflow-command parser: in the message, ``%``,
CR and LF; in properties additionally ``:`` and ``,``, which would otherwise end
a property. Other control characters are shown escaped (``\\x1b``), as on a
terminal: each annotation is one line and carries nothing but itself.
"""

from __future__ import annotations

from okrsprint.engine import CheckResult
from okrsprint.findings import Severity
from okrsprint.render import checkout_base
from okrsprint.render.common import escape_controls

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return escape_controls(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def check(result: CheckResult, *, quiet: bool = False) -> str:
    _, prefix = checkout_base(result.root)
    lines = []
    for finding in result.findings:
        location = finding.location
        properties = {
            "file": prefix + location.file,
            "line": str(location.line),
            "col": str(location.column),
            "title": finding.code,
        }
        joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
        lines.append(f"::{COMMANDS[finding.severity]} {joined}::{escape_data(finding.message)}\n")
    return "".join(lines)
