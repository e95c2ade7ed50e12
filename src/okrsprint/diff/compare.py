"""Compare two versions of a plan by ids: the semantic changes, the D-rule findings, and check findings gained or lost.

Objectives, key results, backlog items and sprints are matched by id within
their team-quarter; check-ins (which have no id) by date within their key
result. Check findings are matched by code, team, quarter and message, never by
line, so an edit that only moves lines changes nothing.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from okrsprint.config import UsageError, exact
from okrsprint.diff.git import Git, Revision
from okrsprint.engine import CheckOptions, CheckResult, FindingSink, enabled_rules, open_plan, run_check
from okrsprint.findings import Finding, Severity, shorten
from okrsprint.metrics import format_number, is_measurable
from okrsprint.model import Checkin, KeyResult, Objective
from okrsprint.plan import Placed, Plan, TeamQuarter

GroupKey = tuple[str | None, str | None]


@dataclass
class DiffOptions:
    path: Path = Path(".")
    base: str | None = None
    head: str | None = None
    today: date | None = None


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
        return CheckResult(Path(self.root), self.findings, 0, 0).exit_code(strict)

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


@dataclass
class Side:
    """One version of the plan: the plan itself (for the comparison) and what ``check`` says about it."""

    plan: Plan
    check: CheckResult


def run_diff(options: DiffOptions) -> DiffResult:
    """Compare the plan at BASE with the plan at HEAD (default: the working tree); UsageError for bad input."""
    git = Git(options.path)
    today = options.today or date.today()
    head = git.revision(options.head) if options.head else Revision("working tree", None)
    head_commit = head.commit or git.head()
    base = git.revision(options.base) if options.base else git.default_base(head_commit)
    with tempfile.TemporaryDirectory(prefix="okrsprint-diff-") as scratch:
        base_side = _load(git.checkout(base.commit, git.folder, Path(scratch, "base")), today, base)
        if head.commit is None:
            head_top = git.toplevel
            head_path = options.path if options.path.is_dir() else options.path.parent  # the whole root, as at BASE
        else:
            head_top = Path(scratch, "head")
            head_path = git.checkout(head.commit, git.folder, head_top)
        head_side = _load(head_path, today, head)
        try:
            root = head_side.plan.root.relative_to(head_top.resolve()).as_posix()
        except ValueError:
            root = str(head_side.plan.root)
        result = DiffResult(git.toplevel, root, base, head, today)
        messages = git.messages(base.commit, head_commit)
        Comparison(base_side.plan, head_side.plan, today, messages, result).run()
        result.introduced, result.fixed = _new_findings(base_side.check.findings, head_side.check.findings)
    return result


def split_arguments(first: str | None, second: Path | None) -> tuple[str | None, Path]:
    """``diff [BASE] [PATH]``: a lone argument is PATH when it is an existing path and no revision (as git decides)."""
    if second is not None or first is None:
        return first, second or Path(".")
    candidate = Path(first)
    if not candidate.exists():
        return first, Path(".")
    if Git(candidate).commit_of(first) is None:
        return None, candidate
    raise UsageError(
        f"{first!r} is both a git revision and a path: give both, e.g. 'okrsprint diff {first} .' "
        f"or 'okrsprint diff HEAD {first}'"
    )


def _load(path: Path, today: date, revision: Revision) -> Side:
    try:
        return Side(open_plan(path), run_check(CheckOptions(path=path, today=today)))
    except UsageError as error:
        raise UsageError(f"in the plan at {revision.label} ({revision.short}): {error}") from None


def _finding_key(finding: Finding) -> tuple:
    return finding.code, finding.team, finding.quarter, finding.message


def _new_findings(before: list[Finding], after: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """Findings only HEAD has (introduced) and only BASE has (fixed), compared as multisets of their keys."""

    def only_in(findings: list[Finding], other: list[Finding]) -> list[Finding]:
        remaining = Counter(_finding_key(finding) for finding in other)
        unmatched = []
        for finding in findings:
            key = _finding_key(finding)
            if remaining[key]:
                remaining[key] -= 1
            else:
                unmatched.append(finding)
        return unmatched

    return only_in(after, before), only_in(before, after)


class Comparison:
    """Walks both plans team-quarter by team-quarter, recording changes and emitting D-rule findings."""

    def __init__(self, base: Plan, head: Plan, today: date, messages: str, result: DiffResult) -> None:
        self.base, self.head, self.today, self.messages, self.result = base, head, today, messages, result
        self.sink = FindingSink(head.config, enabled_rules(head.config, CheckOptions()))
        self.sink.findings = result.findings

    def run(self) -> None:
        for key in sorted(set(self.base.team_quarters) | set(self.head.team_quarters)):
            before, after = self.base.team_quarters.get(key), self.head.team_quarters.get(key)
            self.team, self.quarter = key
            self.objectives(before, after)
            self.key_results(before, after)
            self.items(before, after)
            self.sprints(before, after)
        self.result.findings.sort(key=Finding.sort_key)

    # -- recording ------------------------------------------------------------

    def change(self, entity: str, id: str, action: str, text: str, **details) -> None:
        self.result.changes.append(Change(self.team, self.quarter, entity, id, action, text, **details))

    def flag(self, code: str, at: Placed | TeamQuarter, message: str, *path: str | int) -> None:
        if isinstance(at, TeamQuarter):
            document, position = at.anchor, at.anchor.loc.position
        else:
            document, position = at.document, at.position(*path)
        self.sink(document.source, code, message, position, self.team, self.quarter)

    def started(self, team_quarter: TeamQuarter) -> bool:
        return self.today >= team_quarter.quarter.start

    def fields(self, entity: str, label: str, before: BaseModel, after: BaseModel, handled: set[str]) -> None:
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
        )
        if not self.started(before) or _mentions(self.messages, objective.id):
            return
        revisions = f"{self.result.base.short}..{self.result.head.short}"
        self.flag(
            "D104",
            after if after is not None else placed,
            f"objective {objective.id} {shorten(objective.title)} was removed after {self.team} {self.quarter} started "
            f"({before.quarter.start}) and no commit message in {revisions} mentions {objective.id}: "
            f"say in the commit message why it was dropped",
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
                goal = f" ({format_number(kr.baseline)} → {format_number(kr.target)})" if is_measurable(kr) else ""
                text = f"key result {kr_id} added to {placed.parent.value.id}: {shorten(kr.title)}{goal}"
                self.change("key-result", kr_id, "added", text, after=kr)
        for kr_id, placed in old.items():
            if kr_id not in new:
                text = f"key result {kr_id} removed from {placed.parent.value.id}: {shorten(placed.value.title)}"
                self.change("key-result", kr_id, "removed", text, before=placed.value)
                continue
            current = new[kr_id]
            previous_parent, current_parent = placed.parent.value.id, current.parent.value.id
            if previous_parent != current_parent:
                text = f"key result {kr_id} moved from objective {previous_parent} to {current_parent}"
                self.change(
                    "key-result", kr_id, "moved", text, field="objective", before=previous_parent, after=current_parent
                )
            self.renamed("key-result", placed.value, current.value, f"key result {kr_id}")
            self.goal(after, placed.value, current)
            self.fields(
                "key-result",
                f"key result {kr_id}",
                placed.value,
                current.value,
                {"id", "title", "baseline", "target", "checkins"},
            )
            self.checkins(placed.value, current)

    def goal(self, team_quarter: TeamQuarter, before: KeyResult, placed: Placed[KeyResult]) -> None:
        """Baseline and target changes, each with its direction; D101 when the goal got easier mid-quarter."""
        after = placed.value
        for name, other in (("baseline", "target"), ("target", "baseline")):
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
            )
        easier = _easier(before, after)
        if easier and self.started(team_quarter):
            self.flag(
                "D101",
                placed,
                f"key result {after.id}: {easier}, after {self.team} {self.quarter} started ({team_quarter.quarter.start}) — "
                f"moving the goalposts; keep the target and explain the miss in the review",
                "target" if before.target != after.target else "baseline",
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
            past = day <= self.today
            if previous is None:
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
                )
                if past:
                    self.flag(
                        "D102",
                        placed,
                        f"{label} (value {format_number(previous.value)}) was deleted: check-ins are history; add a new one instead",
                        "checkins",
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
                )
                rewritten = (previous.value, previous.confidence) != (current.value, current.confidence)
                if past and rewritten:
                    self.flag(
                        "D102",
                        placed,
                        f"{label} was rewritten ({', '.join(edits)}): check-ins are history; correct a measurement with a new check-in and a note",
                        "checkins",
                        positions[id(current)],
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

    def scope(self, before: list[str], placed) -> None:
        """Items committed to or taken out of a sprint; D103 for items added once the sprint runs."""
        sprint = placed.value
        running = self.today >= sprint.start
        when = f"after the sprint's start on {sprint.start}" if running else None
        for index, item_id in enumerate(sprint.items):
            if item_id in before:
                continue
            text = f"sprint {sprint.id} scope: {item_id} added" + (f" ({when})" if when else "")
            self.change("sprint", sprint.id, "scope-added", text, field="items", after=item_id, note=when)
            if running:
                self.flag(
                    "D103",
                    placed,
                    f"item {item_id} was added to sprint {sprint.id} {when}: scope creep; plan it for the next sprint or agree it with the team",
                    "items",
                    index,
                )
        for item_id in before:
            if item_id not in sprint.items:
                text = f"sprint {sprint.id} scope: {item_id} taken out" + (f" ({when})" if when else "")
                self.change("sprint", sprint.id, "scope-removed", text, field="items", before=item_id, note=when)


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


def _mentions(messages: str, identifier: str) -> bool:
    """Whether a commit message names the id as a word (``O2``, ``checkout:O2``, ``Drop O2.``)."""
    return re.search(rf"(?<![A-Za-z0-9._-]){re.escape(identifier)}(?![A-Za-z0-9_-])", messages) is not None


def _sign(value: Fraction) -> int:
    return (value > 0) - (value < 0)


def _numbers(key_result: KeyResult) -> tuple[Fraction, Fraction] | None:
    if key_result.baseline is None or key_result.target is None:
        return None
    return exact(key_result.baseline), exact(key_result.target)


def _direction(before: KeyResult, after: KeyResult, name: str) -> str | None:
    """Which way a baseline or target moved, relative to the other end of the goal."""
    old, new = _numbers(before), _numbers(after)
    if not is_measurable(before) or new is None:
        return None
    (b0, t0), (b1, t1) = old, new
    direction = _sign(t0 - b0)
    if t1 == b1:
        return "now equal to the " + ("baseline" if name == "target" else "target") + ": no longer measurable"
    if _sign(t1 - b1) != direction:
        return (
            "past the " + ("baseline" if name == "target" else "target") + ": the metric now has to move the other way"
        )
    if name == "target":
        moved = _sign(t1 - t0) * direction
        return f"{'away from' if moved > 0 else 'toward'} the baseline {format_number(b1)}: {'more ambitious' if moved > 0 else 'easier'}"
    shrank = abs(t1 - b1) < abs(t0 - b0)
    return f"{'toward' if shrank else 'away from'} the target {format_number(t1)}: {'easier' if shrank else 'harder'}"


def _easier(before: KeyResult, after: KeyResult) -> str | None:
    """Why the goal got easier (D101), or None: target against the metric's direction, or |target − baseline| shrank."""
    old = _numbers(before)
    if not is_measurable(before) or (before.baseline, before.target) == (after.baseline, after.target):
        return None
    b0, t0 = old
    new = _numbers(after)
    if new is None:
        return "baseline or target removed, so it is no longer measurable"
    b1, t1 = new
    direction = _sign(t0 - b0)
    if _sign(t1 - b1) != direction:
        return f"baseline/target changed from {format_number(b0)}/{format_number(t0)} to {format_number(b1)}/{format_number(t1)}, so it no longer asks for the original direction"
    if _sign(t1 - t0) * direction < 0:
        return f"target moved from {format_number(t0)} to {format_number(t1)}, toward the baseline {format_number(b1)}"
    if abs(t1 - b1) < abs(t0 - b0):
        return f"the distance from baseline to target shrank from {format_number(abs(t0 - b0))} to {format_number(abs(t1 - b1))}"
    return None


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
