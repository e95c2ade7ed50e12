"""Merge an export into a team-quarter's backlog and sprints: a list of edits per document, and what they do.

The tracker owns an item's title, estimate, status and url (and its ``krs`` when the issue has a kr label
naming a key result that exists), and a sprint's dates, goal and items; the plan owns everything else.
Nothing is written here: ``commands/import_.py`` applies the edits with ``yamledit`` under the files' locks.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from okrsprint.importers.records import Export, ImportedItem, ImportedSprint
from okrsprint.model import KR_REF_PATTERN, Item, Sprint
from okrsprint.plan import Document, Placed, Plan, TeamQuarter, reference
from okrsprint.quarters import Quarter
from okrsprint.yamledit import Change

ITEM_KEYS = ("id", "title", "krs", "estimate", "status", "rank", "url", "assignee")
SPRINT_KEYS = ("id", "start", "end", "goal", "krs", "capacity", "items", "not_okr_reason")
EARLIEST_START_DAYS = 6  # S005: a sprint may start up to 6 days before its quarter
IS_KR_REF = re.compile(KR_REF_PATTERN)


@dataclass(frozen=True)
class Update:
    id: str
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class UnknownKr:
    item: str
    label: str
    did_you_mean: str | None


@dataclass
class NewDocument:
    """A backlog or sprints document to create: its kind, its list and where it goes."""

    kind: str
    path: Path
    entries: list[dict] = field(default_factory=list)


@dataclass
class Merge:
    """The edits (per file, per document index) and documents to create, and the report of what they do."""

    team: str
    quarter: str
    export_format: str
    issues: int
    edits: dict[Path, dict[int, list[Change]]] = field(default_factory=dict)
    created: dict[str, NewDocument] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    updated: list[Update] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    sprints_added: list[str] = field(default_factory=list)
    sprints_updated: list[str] = field(default_factory=list)
    no_dates: list[str] = field(default_factory=list)
    outside_quarter: list[str] = field(default_factory=list)
    unknown_krs: list[UnknownKr] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.edits or self.created)

    def edit(self, document: Document, change: Change) -> None:
        self.edits.setdefault(document.source.path, {}).setdefault(document.raw.index, []).append(change)


def merge(plan: Plan, team: str, quarter: Quarter, export: Export, prune: bool, kr_label_prefix: str) -> Merge:
    """What importing ``export`` into ``team``'s plan for ``quarter`` changes; nothing is written."""
    team_quarter = plan.team_quarter(team, str(quarter))
    result = Merge(team, str(quarter), export.format, len(export.items))
    known = _KeyResults(plan, team, team_quarter, kr_label_prefix)
    exported = {item.id for item in export.items}
    items = {placed.value.id: placed for placed in team_quarter.items} if team_quarter else {}
    new_items = []
    for item in export.items:
        krs = known.resolve(item, result.unknown_krs)
        if item.id in items:
            _update_item(result, items[item.id], item, krs)
        else:
            new_items.append(_new_item(item, krs))
            result.added.append(item.id)
    missing = [placed for placed in items.values() if placed.value.id not in exported]
    (result.pruned if prune else result.kept).extend(placed.value.id for placed in missing)
    _write_items(result, plan, team_quarter, new_items, missing if prune else [])
    _merge_sprints(result, plan, team_quarter, quarter, export, set(result.pruned))
    return result


class _KeyResults:
    """The key-result references a kr label may name: the team's own (``KR1``) and other teams' (``search:KR2``)."""

    def __init__(self, plan: Plan, team: str, home: TeamQuarter | None, prefix: str) -> None:
        self.plan, self.home, self.prefix = plan, home, prefix
        quarter_plans = [tq for tq in plan.sorted_team_quarters() if home and tq.quarter == home.quarter]
        self.choices = [
            key_result.value.id if tq.team == team else f"{tq.team}:{key_result.value.id}"
            for tq in quarter_plans
            for key_result in tq.key_results
        ]

    def resolve(self, item: ImportedItem, unknown: list[UnknownKr]) -> list[str] | None:
        """The item's key results as the plan writes them; None when no kr label names one (the plan's stay)."""
        found = []
        for ref in item.krs:
            placed = self.plan.resolve_key_result(ref, self.home) if self.home and IS_KR_REF.fullmatch(ref) else None
            if placed is None:
                close = difflib.get_close_matches(ref, self.choices, n=1, cutoff=0.6)
                suggestion = self.prefix + close[0] if close else None
                unknown.append(UnknownKr(item.id, self.prefix + ref, suggestion))
            else:
                assert self.home is not None
                found.append(reference(placed, self.home))
        return list(dict.fromkeys(found)) or None


def _plain_number(value: float | None) -> float | int | None:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _update_item(result: Merge, placed: Placed[Item], item: ImportedItem, krs: list[str] | None) -> None:
    """Set the fields the tracker owns where they differ, each in place; a missing key goes after its neighbours."""
    plan_item = placed.value
    owned: dict[str, Any] = {"title": item.title, "status": item.status}
    if item.estimate is not None:
        owned["estimate"] = item.estimate
    if item.url is not None:
        owned["url"] = item.url
    if krs is not None:
        owned["krs"] = krs
    present = set(_raw_at(placed))
    for key in ITEM_KEYS:
        if key not in owned:
            continue
        before = getattr(plan_item, key)
        before = list(before) if isinstance(before, list) else _plain_number(before)
        after = owned[key]
        if before == after:
            continue
        previous = [name for name in ITEM_KEYS[: ITEM_KEYS.index(key)] if name in present]
        op: Literal["list", "set"] = "list" if key == "krs" else "set"
        result.edit(placed.document, Change(op, (*placed.path, key), after, previous[-1] if previous else None))
        present.add(key)
        result.updated.append(Update(plan_item.id, key, before, after))


def _raw_at(placed: Placed) -> dict:
    value: Any = placed.document.raw.data
    for step in placed.path:
        value = value[step]
    return value if isinstance(value, dict) else {}


def _new_item(item: ImportedItem, krs: list[str] | None) -> dict:
    entry: dict[str, Any] = {"id": item.id, "title": item.title}
    if krs:
        entry["krs"] = krs
    if item.estimate is not None:
        entry["estimate"] = item.estimate
    entry["status"] = item.status
    if item.url is not None:
        entry["url"] = item.url
    return entry


def _write_items(
    result: Merge, plan: Plan, team_quarter: TeamQuarter | None, new: list[dict], pruned: list[Placed[Item]]
) -> None:
    """New items appended to the first backlog document (created when there is none); pruned ones removed."""
    by_document: dict[Document, list[int]] = {}
    for placed in pruned:
        by_document.setdefault(placed.document, []).append(placed.path[-1])
    home = team_quarter.first_document("backlog") if team_quarter else None
    for document, indexes in by_document.items():
        remaining = len(document.model.items) - len(indexes)  # type: ignore[union-attr]
        if remaining == 0:
            keep = new if document is home else []
            result.edit(document, Change("list", ("items",), keep))
            if document is home:
                new = []
        else:
            result.edit(document, Change("remove", ("items",), indexes))
    if not new:
        return
    if home is None:
        result.created["backlog"] = NewDocument(
            "backlog", new_document_path(plan, result.team, result.quarter, "backlog"), new
        )
    else:
        result.edit(home, Change("extend", ("items",), new))


def _merge_sprints(
    result: Merge, plan: Plan, team_quarter: TeamQuarter | None, quarter: Quarter, export: Export, pruned: set[str]
) -> None:
    """Each sprint the export names gets its dates, goal and items; sprints it does not name lose pruned items."""
    exported = {item.id for item in export.items}
    members: dict[str, list[str]] = {sprint: [] for sprint in export.sprints}
    for item in export.items:
        for named in item.sprints:
            members[named].append(item.id)
    existing = team_quarter.sprints_by_id if team_quarter else {}
    new_sprints = []
    for sprint_id, sprint in export.sprints.items():
        if sprint_id in existing:
            _update_sprint(result, existing[sprint_id], sprint, members[sprint_id], exported, pruned)
        elif sprint.start is None or sprint.end is None:
            result.no_dates.append(sprint_id)
        elif not quarter.start - timedelta(days=EARLIEST_START_DAYS) <= sprint.start <= quarter.end:
            result.outside_quarter.append(sprint_id)
        else:
            entry: dict[str, Any] = {"id": sprint_id, "start": sprint.start, "end": sprint.end}
            if sprint.goal:
                entry["goal"] = sprint.goal
            entry["items"] = members[sprint_id]
            new_sprints.append(entry)
            result.sprints_added.append(sprint_id)
    for sprint_id, placed in existing.items():
        if sprint_id not in export.sprints and pruned & set(placed.value.items):
            kept = [item for item in placed.value.items if item not in pruned]
            result.edit(placed.document, Change("list", (*placed.path, "items"), kept))
            result.sprints_updated.append(sprint_id)
    if not new_sprints:
        return
    home = team_quarter.first_document("sprints") if team_quarter else None
    if home is None:
        path = new_document_path(plan, result.team, result.quarter, "sprints")
        result.created["sprints"] = NewDocument("sprints", path, new_sprints)
    else:
        result.edit(home, Change("extend", ("sprints",), new_sprints))


def _update_sprint(
    result: Merge,
    placed: Placed[Sprint],
    sprint: ImportedSprint,
    members: list[str],
    exported: set[str],
    pruned: set[str],
) -> None:
    """Dates and goal when the export has them; items: the exported issues in it plus those not in the export."""
    plan_sprint = placed.value
    present = set(_raw_at(placed))
    owned: dict[str, Any] = {}
    if sprint.start is not None and sprint.end is not None:
        owned.update(start=sprint.start, end=sprint.end)
    if sprint.goal:
        owned["goal"] = sprint.goal
    staying = [item for item in plan_sprint.items if item in members or (item not in exported and item not in pruned)]
    owned["items"] = staying + [item for item in members if item not in staying]
    changed = False
    for key in SPRINT_KEYS:
        if key not in owned or getattr(plan_sprint, key) == owned[key]:
            continue
        previous = [name for name in SPRINT_KEYS[: SPRINT_KEYS.index(key)] if name in present]
        op: Literal["list", "set"] = "list" if key == "items" else "set"
        result.edit(placed.document, Change(op, (*placed.path, key), owned[key], previous[-1] if previous else None))
        present.add(key)
        changed = True
    if changed:
        result.sprints_updated.append(plan_sprint.id)


def new_document_path(plan: Plan, team: str, quarter: str, kind: str) -> Path:
    """Where a missing document goes: beside the team's documents of the quarter (else of its latest quarter).

    ``okrs/2026-Q4.yaml`` → ``backlog/2026-Q4.yaml``; ``search/okrs-2026-Q4.yaml`` → ``search/backlog-2026-Q4.yaml``;
    a file holding several kinds (``checkout/2026-Q4.yaml``) → ``checkout/backlog-2026-Q4.yaml``. A team with
    no document: ``<team>/<kind>-<quarter>.yaml``, or ``<kind>/<quarter>.yaml`` in a repo with no plan at all.
    """
    mine = [tq for tq in plan.sorted_team_quarters() if tq.team == team]
    if not mine:
        return plan.root / (f"{kind}/{quarter}.yaml" if not plan.team_quarters else f"{team}/{kind}-{quarter}.yaml")
    same = [tq for tq in mine if str(tq.quarter) == quarter]
    source = (same or sorted(mine, key=lambda tq: tq.quarter.start))[-1].documents[0]
    relative = Path(source.source.relpath.replace(str(source.quarter), quarter))
    other = source.raw.kind
    parts = list(relative.parts)
    folder_named = [index for index, part in enumerate(parts[:-1]) if part == other]
    stem_named = other in re.split(r"[^A-Za-z0-9]+", relative.stem)
    if folder_named:
        parts[folder_named[-1]] = kind
        candidate = Path(*parts)
    elif stem_named:
        candidate = relative.with_name(re.sub(rf"(?<![A-Za-z0-9]){other}(?![A-Za-z0-9])", kind, relative.name))
    else:
        candidate = relative.with_name(f"{kind}-{quarter}.yaml")
    if (plan.root / candidate).exists():
        candidate = relative.with_name(f"{kind}-{quarter}.yaml")
    return plan.root / candidate
