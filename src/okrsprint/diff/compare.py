"""Compare two versions of a plan by ids: the semantic changes, the D-rule findings, and check findings gained or lost.

Objectives, key results, backlog items and sprints are matched by id within
their team-quarter; check-ins (which have no id) by date within their key
result. Check findings are matched by code, team, quarter and message, never by
line, so an edit that only moves lines changes nothing.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic_core import to_jsonable_python

from okrsprint.findings import shorten
from okrsprint.metrics import goal_numbers, is_measurable, sign, threshold_text
from okrsprint.model import Checkin, KeyResult, Objective, Sprint
from okrsprint.numbers import format_number
from okrsprint.plan import Placed, Plan, TeamQuarter

GOAL_FIELDS = ("baseline", "target", "keep_above", "keep_below")
"""The fields that say what a key result asks for; D101 judges their changes."""


@dataclass
class Change:
    """One semantic change, e.g. ``key result KR1 target: 20 → 18 (toward the baseline 12: easier)``."""

    team: str
    quarter: str
    entity: str  # objective, key-result, check-in, item, sprint
    id: str
    action: str  # added, removed, renamed, moved, changed, edited, deleted, scope-added, scope-removed
    text: str
    field: str | None = None
    before: object = None
    after: object = None
    note: str | None = None
    at: Placed | TeamQuarter | None = dataclasses.field(default=None, repr=False, compare=False)
    """Where a finding about this change points in HEAD (the entity, or its team-quarter when it is gone)."""
    path: tuple[str | int, ...] = dataclasses.field(default=(), repr=False, compare=False)
    was: object = dataclasses.field(default=None, repr=False, compare=False)
    """The whole entity at BASE (a key result, an objective, a sprint), for the D-rules."""
    now: object = dataclasses.field(default=None, repr=False, compare=False)
    """The whole entity at HEAD."""
    starts: date | None = dataclasses.field(default=None, repr=False, compare=False)
    """The first day of the change's quarter (a sprint's change: of the sprint)."""

    @property
    def kind(self) -> str:
        return f"{self.entity}-{self.action}"

    @property
    def sign(self) -> str:
        if self.action in ("added", "scope-added"):
            return "+"
        if self.action in ("removed", "deleted", "scope-removed"):
            return "-"
        return "~"

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "team": self.team,
            "quarter": self.quarter,
            "entity": self.entity,
            "id": self.id,
            "action": self.action,
            "field": self.field,
            "before": to_jsonable_python(self.before),
            "after": to_jsonable_python(self.after),
            "note": self.note,
            "text": self.text,
        }


def compare(base: Plan, head: Plan, today: date) -> list[Change]:
    """Every semantic change from BASE to HEAD, team-quarter by team-quarter (``today`` words sprint scope changes)."""
    return _Comparison(base, head, today).run()


class _Comparison:
    """Walks both plans team-quarter by team-quarter, recording changes (the D-rules judge them later)."""

    def __init__(self, base: Plan, head: Plan, today: date) -> None:
        self.base, self.head, self.today = base, head, today
        self.changes: list[Change] = []

    def run(self) -> list[Change]:
        for key in sorted(set(self.base.team_quarters) | set(self.head.team_quarters)):
            before, after = self.base.team_quarters.get(key), self.head.team_quarters.get(key)
            self.team, self.quarter = key
            either = after or before
            assert either is not None  # the key comes from one of them
            self.starts = either.quarter.start
            self.objectives(before, after)
            self.key_results(before, after)
            self.items(before, after)
            self.sprints(before, after)
        return self.changes

    def change(self, entity: str, id: str, action: str, text: str, **details) -> None:
        details.setdefault("starts", self.starts)
        self.changes.append(Change(self.team, self.quarter, entity, id, action, text, **details))

    def fields(self, entity: str, label: str, before: Any, after: Any, handled: set[str]) -> None:
        """Every other field that changed: ``backlog item CHK-101 status: todo → done``."""
        for name in type(before).model_fields:
            old, new = getattr(before, name), getattr(after, name)
            if name in handled or old == new:
                continue
            self.change(
                entity,
                before.id,
                "changed",
                f"{label} {name}: {_show(old)} → {_show(new)}",
                field=name,
                before=old,
                after=new,
            )

    # -- objectives -----------------------------------------------------------

    def objectives(self, before: TeamQuarter | None, after: TeamQuarter | None) -> None:
        old, new = _index(before, "objectives_by_id"), _index(after, "objectives_by_id")
        for objective_id, placed in new.items():
            if objective_id not in old:
                self.change(
                    "objective",
                    objective_id,
                    "added",
                    f"objective {objective_id} added: {shorten(placed.value.title)}",
                    after=placed.value,
                )
        for objective_id, placed in old.items():
            if objective_id not in new:
                assert before is not None  # it had the objective
                self.objective_removed(before, after, placed)
                continue
            previous, current = placed.value, new[objective_id].value
            self.renamed("objective", previous, current, f"objective {objective_id}")
            self.fields("objective", f"objective {objective_id}", previous, current, {"id", "title", "key_results"})

    def objective_removed(self, before: TeamQuarter, after: TeamQuarter | None, placed: Placed[Objective]) -> None:
        objective = placed.value
        self.change(
            "objective",
            objective.id,
            "removed",
            f"objective {objective.id} removed: {shorten(objective.title)}",
            before=objective,
            was=objective,
            at=after if after is not None else placed,
            starts=before.quarter.start,
        )

    def renamed(self, entity: str, before, after, label: str) -> None:
        if before.title != after.title:
            text = f"{label} renamed: {shorten(before.title)} → {shorten(after.title)}"
            self.change(entity, before.id, "renamed", text, field="title", before=before.title, after=after.title)

    # -- key results and check-ins ---------------------------------------------

    def key_results(self, before: TeamQuarter | None, after: TeamQuarter | None) -> None:
        old, new = _index(before, "key_results_by_id"), _index(after, "key_results_by_id")
        for kr_id, placed in new.items():
            if kr_id not in old:
                kr = placed.value
                goal = f" ({threshold_text(kr) or f'{format_number(kr.baseline)} → {format_number(kr.target)}'})"
                goal = goal if is_measurable(kr) else ""
                text = f"key result {kr_id} added to {_objective_of(placed)}: {shorten(kr.title)}{goal}"
                self.change("key-result", kr_id, "added", text, after=kr)
        for kr_id, placed in old.items():
            if kr_id not in new:
                text = f"key result {kr_id} removed from {_objective_of(placed)}: {shorten(placed.value.title)}"
                self.change("key-result", kr_id, "removed", text, before=placed.value)
                continue
            current = new[kr_id]
            previous_parent, current_parent = _objective_of(placed), _objective_of(current)
            if previous_parent != current_parent:
                text = f"key result {kr_id} moved from objective {previous_parent} to {current_parent}"
                self.change(
                    "key-result", kr_id, "moved", text, field="objective", before=previous_parent, after=current_parent
                )
            self.renamed("key-result", placed.value, current.value, f"key result {kr_id}")
            self.goal(placed.value, current)
            self.fields(
                "key-result",
                f"key result {kr_id}",
                placed.value,
                current.value,
                {"id", "title", *GOAL_FIELDS, "checkins"},
            )
            self.checkins(placed.value, current)

    def goal(self, before: KeyResult, placed: Placed[KeyResult]) -> None:
        """Baseline, target and threshold changes, each with its direction (D101 judges whether it got easier)."""
        after = placed.value
        for name in GOAL_FIELDS:
            old, new = getattr(before, name), getattr(after, name)
            if old == new:
                continue
            note = _direction(before, after, name)
            text = f"key result {after.id} {name}: {format_number(old)} → {format_number(new)}"
            self.change(
                "key-result",
                after.id,
                "changed",
                text + (f" ({note})" if note else ""),
                field=name,
                before=old,
                after=new,
                note=note,
                at=placed,
                path=(name if name.startswith("keep_") or before.target == after.target else "target",),
                was=before,
                now=after,
            )

    def checkins(self, before: KeyResult, placed: Placed[KeyResult]) -> None:
        """Check-ins matched by date (the n-th of a day with the n-th); D102 for past ones rewritten or deleted."""
        after = placed.value
        old, new = _by_date(before.checkins), _by_date(after.checkins)
        positions = {id(checkin): index for index, checkin in enumerate(after.checkins)}
        for key in sorted(set(old) | set(new)):
            previous, current = old.get(key), new.get(key)
            day = key[0]
            label = f"check-in of {after.id} on {day}"
            if previous is None:
                assert current is not None  # the key came from one side
                self.change(
                    "check-in", after.id, "added", f"{label} added: {format_number(current.value)}", after=current
                )
            elif current is None:
                self.change(
                    "check-in",
                    after.id,
                    "deleted",
                    f"{label} deleted (was {format_number(previous.value)})",
                    before=previous,
                    at=placed,
                    path=("checkins",),
                )
            elif previous != current:
                edits = [
                    f"{name} {_show(getattr(previous, name))} → {_show(getattr(current, name))}"
                    for name in Checkin.model_fields
                    if getattr(previous, name) != getattr(current, name)
                ]
                self.change(
                    "check-in",
                    after.id,
                    "edited",
                    f"{label} edited: {', '.join(edits)}",
                    before=previous,
                    after=current,
                    at=placed,
                    path=("checkins", positions[id(current)]),
                )

    # -- backlog items ----------------------------------------------------------

    def items(self, before: TeamQuarter | None, after: TeamQuarter | None) -> None:
        old, new = _index(before, "items_by_id"), _index(after, "items_by_id")
        for item_id, placed in new.items():
            if item_id not in old:
                self.change(
                    "item",
                    item_id,
                    "added",
                    f"backlog item {item_id} added: {shorten(placed.value.title)}",
                    after=placed.value,
                )
        for item_id, placed in old.items():
            if item_id not in new:
                self.change(
                    "item",
                    item_id,
                    "removed",
                    f"backlog item {item_id} removed: {shorten(placed.value.title)}",
                    before=placed.value,
                )
                continue
            self.renamed("item", placed.value, new[item_id].value, f"backlog item {item_id}")
            self.fields("item", f"backlog item {item_id}", placed.value, new[item_id].value, {"id", "title"})

    # -- sprints -----------------------------------------------------------------

    def sprints(self, before: TeamQuarter | None, after: TeamQuarter | None) -> None:
        old, new = _index(before, "sprints_by_id"), _index(after, "sprints_by_id")
        for sprint_id, placed in new.items():
            if sprint_id not in old:
                sprint = placed.value
                text = f"sprint {sprint_id} added: {sprint.start} – {sprint.end}, {len(sprint.items)} items"
                self.change("sprint", sprint_id, "added", text, after=sprint)
        for sprint_id, placed in old.items():
            if sprint_id not in new:
                text = f"sprint {sprint_id} removed ({placed.value.start} – {placed.value.end})"
                self.change("sprint", sprint_id, "removed", text, before=placed.value)
                continue
            self.scope(placed.value.items, new[sprint_id])
            self.fields("sprint", f"sprint {sprint_id}", placed.value, new[sprint_id].value, {"id", "items"})

    def scope(self, before: list[str], placed: Placed[Sprint]) -> None:
        """Items committed to or taken out of a sprint (D103 judges those added once the sprint runs)."""
        sprint = placed.value
        when = f"after the sprint's start on {sprint.start}" if self.today >= sprint.start else None
        for index, item_id in enumerate(sprint.items):
            if item_id in before:
                continue
            text = f"sprint {sprint.id} scope: {item_id} added" + (f" ({when})" if when else "")
            self.change(
                "sprint",
                sprint.id,
                "scope-added",
                text,
                field="items",
                after=item_id,
                note=when,
                at=placed,
                path=("items", index),
                now=sprint,
                starts=sprint.start,
            )
        for item_id in before:
            if item_id not in sprint.items:
                text = f"sprint {sprint.id} scope: {item_id} taken out" + (f" ({when})" if when else "")
                self.change("sprint", sprint.id, "scope-removed", text, field="items", before=item_id, note=when)


def _objective_of(key_result: Placed[KeyResult]) -> str:
    return key_result.parent.value.id if key_result.parent is not None else "?"


def _index(team_quarter: TeamQuarter | None, name: str) -> dict[str, Placed]:
    return getattr(team_quarter, name) if team_quarter is not None else {}


def _by_date(checkins: list[Checkin]) -> dict[tuple[date, int], Checkin]:
    """Check-ins keyed by (date, n-th of that date in file order)."""
    seen: Counter = Counter()
    keyed = {}
    for checkin in checkins:
        keyed[(checkin.date, seen[checkin.date])] = checkin
        seen[checkin.date] += 1
    return keyed


def _direction(before: KeyResult, after: KeyResult, name: str) -> str | None:
    """Which way a baseline or target moved, relative to the other end of the goal; a threshold: looser or stricter."""
    if name.startswith("keep_"):
        return _threshold_direction(before, after, name)
    old, new = goal_numbers(before), goal_numbers(after)
    if old is None or old[0] == old[1] or new is None:
        return None
    (b0, t0), (b1, t1) = old, new
    direction = sign(t0 - b0)
    if t1 == b1:
        return "now equal to the " + ("baseline" if name == "target" else "target") + ": no longer measurable"
    if sign(t1 - b1) != direction:
        return (
            "past the " + ("baseline" if name == "target" else "target") + ": the metric now has to move the other way"
        )
    if name == "target":
        moved = sign(t1 - t0) * direction
        way, verdict = ("away from", "more ambitious") if moved > 0 else ("toward", "easier")
        return f"{way} the baseline {format_number(b1)}: {verdict}"
    shrank = abs(t1 - b1) < abs(t0 - b0)
    return f"{'toward' if shrank else 'away from'} the target {format_number(t1)}: {'easier' if shrank else 'harder'}"


def _threshold_direction(before: KeyResult, after: KeyResult, name: str) -> str | None:
    old, new = getattr(before, name), getattr(after, name)
    if old is None or new is None:
        return None if new is not None or is_measurable(after) else "no longer measurable"
    looser = new < old if name == "keep_above" else new > old
    return "looser: easier" if looser else "stricter: harder"


def _show(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float | int):
        return format_number(value)
    if isinstance(value, list):
        return "[" + ", ".join(str(part) for part in value) + "]"
    return shorten(value, 60) if isinstance(value, str) else str(value)
