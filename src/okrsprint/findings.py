"""Findings: what every rule produces and every renderer consumes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Severity(StrEnum):
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
    """Quote a user value for a message without ever echoing megabytes of input: a string in quotes, else as_written."""
    text = f"'{value}'" if isinstance(value, str) else as_written(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def as_written(value: object) -> str:
    """A value as a plan's author writes it in YAML, never a Python repr: ``true``, ``null``, ``2026-10-01T00:00:00``,
    ``[done]``, ``{a: 1}``, ``.inf``; a string as it is."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ".inf" if value > 0 else "-.inf"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(as_written(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{as_written(key)}: {as_written(item)}" for key, item in value.items()) + "}"
    return str(value)
