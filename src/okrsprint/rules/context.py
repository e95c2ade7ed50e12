"""What a rule's check sees: the plan, the settings, today, and ``emit`` to report a finding."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from okrsprint.config import Settings
from okrsprint.locations import Position
from okrsprint.plan import Document, Placed, Plan, TeamQuarter

Emit = Callable[[str, str, Document, Position, str | None], None]
"""``emit(code, message, document, position, entity)``: the engine decides whether and how it becomes a finding."""


class RuleContext:
    """One rule at a time runs against this; ``emit`` places its findings where the fix goes."""

    def __init__(self, plan: Plan, today: date, emit: Emit) -> None:
        self.plan = plan
        self.settings: Settings = plan.config.settings
        self.today = today
        self._emit = emit
        self.code = ""

    def emit(
        self, at: Placed | Document | TeamQuarter, message: str, *path: str | int, prefer_value: bool = False
    ) -> None:
        """Report the running rule's finding at an entity (or one of its keys), a document or a team-quarter."""
        entity: str | None
        if isinstance(at, TeamQuarter):
            document, position, entity = at.anchor, at.anchor.loc.position, ""
        elif isinstance(at, Placed):
            document, position = at.document, at.position(*path, prefer_value=prefer_value)
            entity = "/".join([f"{type(at.value).__name__}:{at.value.id}", *map(str, path)])
        else:
            document, position, entity = at, at.position(path, prefer_value=prefer_value), None
        self._emit(self.code, message, document, position, entity)
