"""What a rule's check sees: the plan, the settings, today, and ``emit`` to report a finding."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from datetime import date
from pathlib import Path

from okrsprint.config import Settings
from okrsprint.locations import Position
from okrsprint.plan import Document, Placed, Plan, TeamQuarter

Emit = Callable[[str, str, Document, Position, str | None], None]
"""``emit(code, message, document, position, entity)``: the engine decides whether and how it becomes a finding."""


def shown_path(path: Path) -> str:
    """A path as a shell argument to copy: relative to the current directory when below it, else absolute."""
    absolute = path.resolve()
    try:
        shown = absolute.relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        shown = str(absolute)
    return shlex.quote(shown)


class RuleContext:
    """One rule at a time runs against this; ``emit`` places its findings where the fix goes."""

    def __init__(self, plan: Plan, today: date, emit: Emit, shown_root: str | None = None) -> None:
        self.plan = plan
        self.settings: Settings = plan.config.settings
        self.today = today
        self._emit = emit
        self.code = ""
        self.shown_root = shown_root if shown_root is not None else shown_path(plan.root)
        """The plan root as a command a message suggests should name it."""

    def emit(
        self, at: Placed | Document | TeamQuarter, message: str, *path: str | int, prefer_value: bool = False
    ) -> None:
        """Report the running rule's finding at an entity (or one of its keys), a document or a team-quarter."""
        entity: str | None
        if isinstance(at, TeamQuarter):
            document, position, entity = at.anchor, at.anchor.position(), ""
        elif isinstance(at, Placed):
            document, position = at.document, at.position(*path, prefer_value=prefer_value)
            entity = "/".join([f"{type(at.value).__name__}:{at.value.id}", *map(str, path)])
        else:
            document, position, entity = at, at.position(path, prefer_value=prefer_value), None
        self._emit(self.code, message, document, position, entity)

    def emit_at_sprints(self, team_quarter: TeamQuarter, message: str) -> None:
        """A finding about the quarter's sprints as a whole: at the ``sprints`` key of its first sprints document."""
        document = team_quarter.first_document("sprints")
        if document is None:
            self.emit(team_quarter, message)
        else:
            self.emit(document, message, "sprints")
