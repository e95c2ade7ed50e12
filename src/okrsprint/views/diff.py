"""What ``okrsprint diff`` shows: the changes, the D-rule findings and the check findings gained or lost."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from okrsprint.diff.compare import Change
from okrsprint.diff.git import Revision
from okrsprint.findings import Finding, Severity, exit_code

GroupKey = tuple[str | None, str | None]


@dataclass
class DiffResult:
    repository: Path
    root: str
    base: Revision
    head: Revision
    today: date
    changes: list[Change] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    introduced: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)

    def exit_code(self, strict: bool = False) -> int:
        """Like check's: 1 when a D-rule finding is an error (with ``strict``, also a warning)."""
        return exit_code(self.findings, strict)

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity is severity)

    def groups(self) -> list[GroupKey]:
        """Team-quarters that changed, sorted; findings that belong to none come last as (None, None)."""
        keys: set[GroupKey] = {(change.team, change.quarter) for change in self.changes}
        keys |= {(finding.team, finding.quarter) for finding in (*self.findings, *self.introduced, *self.fixed)}
        return sorted(keys, key=lambda key: (key[0] is None, key[0] or "", key[1] or ""))

    def summary(self) -> dict[str, int]:
        return {
            "changes": len(self.changes),
            "team_quarters": len({(change.team, change.quarter) for change in self.changes}),
            "errors": self.count(Severity.ERROR),
            "warnings": self.count(Severity.WARNING),
            "infos": self.count(Severity.INFO),
            "introduced": len(self.introduced),
            "fixed": len(self.fixed),
        }
