"""D101–D104: habits that only show in a change of the plan; reported by ``okrsprint diff``, never by ``check``.

``diff.compare`` lists what changed between two versions; these rules judge the
list. The config's ``rules.ignore``/``rules.severity`` and
``# okrsprint: ignore[D101]`` comments apply to them as to every other rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from okrsprint.diff.compare import GOAL_FIELDS, Change
from okrsprint.findings import shorten
from okrsprint.locations import Position
from okrsprint.metrics import goal_numbers, is_measurable, sign, threshold, threshold_text
from okrsprint.model import Checkin, KeyResult, Objective
from okrsprint.numbers import format_number
from okrsprint.plan import Document, Placed, TeamQuarter
from okrsprint.rules.registry import declare


@dataclass
class ChangeContext:
    """What a D-rule sees: the changes between two versions, today, the commit messages between them, ``emit``."""

    changes: list[Change]
    today: date
    messages: str
    """The commit messages between the two versions, NUL-separated (``Git.messages``)."""
    revisions: str
    """``base..head`` as shown in messages."""
    report: Callable[[str, str, Document, Position], None]
    code: str = ""

    def emit(self, change: Change, message: str) -> None:
        at = change.at
        if isinstance(at, TeamQuarter):
            document, position = at.anchor, at.anchor.position()
        elif isinstance(at, Placed):
            document, position = at.document, at.position(*change.path)
        else:
            return
        self.report(self.code, message, document, position)

    def started(self, change: Change) -> bool:
        return change.starts is not None and self.today >= change.starts


@declare(
    "D101",
    "moving-the-goalposts",
    "warning",
    "once the quarter started, a key result got easier: its target moved against the metric's direction, "
    "|target − baseline| shrank, a threshold was loosened, or it stopped being measurable",
    """A key result is a promise made at the start of the quarter. Lowering the bar in week 10 turns a miss into
    a success on paper and teaches the team that targets are negotiable after the fact. If the world changed,
    say so in the review, keep the original target, and set a better one next quarter.""",
    time_dependent=True,
)
def moving_the_goalposts(context: ChangeContext) -> None:
    judged: set[tuple[str, str, str]] = set()
    for change in context.changes:
        if change.entity != "key-result" or change.field not in GOAL_FIELDS or not context.started(change):
            continue
        key = (change.team, change.quarter, change.id)
        if not isinstance(change.was, KeyResult) or not isinstance(change.now, KeyResult):
            continue
        easier = easier_goal(change.was, change.now) if key not in judged else None
        judged.add(key)
        if easier:
            context.emit(
                change,
                f"key result {change.id}: {easier}, after {change.team} {change.quarter} started ({change.starts}) — "
                f"moving the goalposts; keep the target and explain the miss in the review",
            )


@declare(
    "D102",
    "rewritten-checkin",
    "error",
    "a check-in dated on or before today changed its value or confidence, or was deleted",
    """Check-ins are the history of a key result: the measurement taken that day. Rewriting or deleting them
    makes the trend a fiction and hides when a key result stalled. Correct a wrong measurement with a new
    check-in and a note.""",
    time_dependent=True,
)
def rewritten_checkin(context: ChangeContext) -> None:
    for change in context.changes:
        if change.entity != "check-in" or change.action not in ("deleted", "edited"):
            continue
        before, after = change.before, change.after
        if not isinstance(before, Checkin) or before.date > context.today:
            continue
        label = f"check-in of {change.id} on {before.date}"
        if change.action == "deleted":
            context.emit(
                change,
                f"{label} (value {format_number(before.value)}) was deleted: check-ins are history; "
                f"add a new one instead",
            )
        elif isinstance(after, Checkin) and (before.value, before.confidence) != (after.value, after.confidence):
            edits = change.text.split(" edited: ", 1)[-1]
            context.emit(
                change,
                f"{label} was rewritten ({edits}): check-ins are history; correct a measurement with a new check-in "
                f"and a note",
            )


@declare(
    "D103",
    "sprint-scope-creep",
    "warning",
    "a backlog item was added to a sprint on or after the sprint's start",
    """The sprint backlog is a forecast the team made at sprint planning to reach the sprint goal. Items pushed
    in once the sprint runs crowd out that goal; negotiate them with the team and the Product Owner, or plan
    them for the next sprint.""",
    time_dependent=True,
)
def sprint_scope_creep(context: ChangeContext) -> None:
    for change in context.changes:
        if change.entity == "sprint" and change.action == "scope-added" and context.started(change):
            context.emit(
                change,
                f"item {change.after} was added to sprint {change.id} after the sprint's start on {change.starts}: "
                f"scope creep; plan it for the next sprint or agree it with the team",
            )


@declare(
    "D104",
    "objective-dropped-silently",
    "warning",
    "an objective was removed once its quarter had started and no commit message between BASE and HEAD names it "
    "(`team:O2`, or `O2` in a message that also names its team)",
    """Dropping an objective mid-quarter can be the right call, but it is a decision stakeholders must be able
    to find: write why in the commit message, naming the objective with its team (e.g. "Drop web:O2: ..."),
    not just a deleted block of YAML.""",
    time_dependent=True,
)
def objective_dropped_silently(context: ChangeContext) -> None:
    for change in context.changes:
        if change.entity != "objective" or change.action != "removed" or not context.started(change):
            continue
        if mentions(context.messages, change.team, change.id) or not isinstance(change.was, Objective):
            continue
        context.emit(
            change,
            f"objective {change.id} {shorten(change.was.title)} was removed after {change.team} {change.quarter} "
            f"started ({change.starts}) and no commit message in {context.revisions} names {change.team}:{change.id} "
            f"(or {change.id} and {change.team}): say in the commit message why it was dropped",
        )


def mentions(messages: str, team: str, identifier: str) -> bool:
    """Whether one commit message (``messages`` holds them NUL-separated) names the objective:
    ``checkout:O2``, or ``O2`` and ``checkout`` as words of the same message (``Drop O2.``, not ``O20``)."""
    return any(
        _names(message, f"{team}:{identifier}") or (_names(message, identifier) and _names(message, team))
        for message in messages.split("\0")
    )


def _names(message: str, word: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9._-]){re.escape(word)}(?![A-Za-z0-9_-])", message) is not None


def easier_goal(before: KeyResult, after: KeyResult) -> str | None:
    """Why the goal got easier (D101), or None: target against the metric's direction, |target − baseline| shrank,
    a threshold loosened, or no longer measurable. A change from one kind of goal to the other is not judged."""
    if threshold(before) is not None:
        return looser_threshold(before, after)
    if threshold(after) is not None and is_measurable(after):
        return None
    old = goal_numbers(before)
    if old is None or old[0] == old[1] or (before.baseline, before.target) == (after.baseline, after.target):
        return None
    b0, t0 = old
    new = goal_numbers(after)
    if new is None:
        return "baseline or target removed, so it is no longer measurable"
    b1, t1 = new
    direction = sign(t0 - b0)
    if sign(t1 - b1) != direction:
        was, now = f"{format_number(b0)}/{format_number(t0)}", f"{format_number(b1)}/{format_number(t1)}"
        return f"baseline/target changed from {was} to {now}, so it no longer asks for the original direction"
    if sign(t1 - t0) * direction < 0:
        return f"target moved from {format_number(t0)} to {format_number(t1)}, toward the baseline {format_number(b1)}"
    if abs(t1 - b1) < abs(t0 - b0):
        was, now = format_number(abs(t0 - b0)), format_number(abs(t1 - b1))
        return f"the distance from baseline to target shrank from {was} to {now}"
    return None


def looser_threshold(before: KeyResult, after: KeyResult) -> str | None:
    """A threshold that asks for less (keep_above lowered, keep_below raised) or was dropped without a goal."""
    was, now = threshold_text(before), threshold_text(after)
    if not is_measurable(before):
        return None
    if not is_measurable(after):
        return f"the threshold '{was}' was removed or broken, so it is no longer measurable"
    if was == now:
        return None
    old, new = threshold(before), threshold(after)
    if old is None or new is None or old[0] != new[0]:
        return None
    looser = new[1] < old[1] if old[0] == "above" else new[1] > old[1]
    return f"threshold loosened from '{was}' to '{now}'" if looser else None
