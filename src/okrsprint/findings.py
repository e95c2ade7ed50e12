"""Findings: what every rule produces and every renderer consumes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more severe; used for ``--strict`` and sorting summaries."""
        return {"error": 2, "warning": 1, "info": 0}[self.value]


@dataclass(frozen=True)
class Location:
    """Where a finding points: a file relative to the root (``/`` separators), 1-based line and column."""

    file: str
    line: int
    column: int


@dataclass
class Finding:
    code: str
    name: str
    severity: Severity
    message: str
    location: Location
    team: str | None = None
    quarter: str | None = None
    entity: str | None = None
    """What the finding is about inside its team-quarter, stable when lines move (``KeyResult:KR1/checkins/2``);
    ``""`` for the team-quarter as a whole, None when unknown (loader and schema findings). SARIF fingerprints it."""

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.location.file, self.location.line, self.location.column, self.code)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "team": self.team,
            "quarter": self.quarter,
        }


def exit_code(findings: list[Finding], strict: bool = False) -> int:
    """1 when a finding is an error (with ``strict``, also a warning), else 0: check's and diff's exit code."""
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return 1 if any(finding.severity in failing for finding in findings) else 0


MAX_ECHO = 80
MAX_MESSAGE = 400


def clip(message: str, limit: int = MAX_MESSAGE) -> str:
    """Cut an over-long message in its middle, keeping its start (what) and its end (the hint)."""
    if len(message) <= limit:
        return message
    head = limit * 2 // 3
    return f"{message[:head]} … {message[-(limit - head - 3) :]}"


def shorten(value: object, limit: int = MAX_ECHO) -> str:
    """Quote a user value for a message without ever echoing megabytes of input."""
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text
