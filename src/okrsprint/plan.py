"""The resolved plan: validated documents merged into team-quarters, indexed by id.

Validation (S002) and id uniqueness (S003) happen here, because both need the
documents as a whole; documents with schema errors are left out of the plan so
that the alignment rules only ever see well-formed data.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Generic, TypeVar, cast

from pydantic import ValidationError

from okrsprint.config import Config
from okrsprint.errors import UsageError
from okrsprint.loader import Declared, RawDocument, SourceFile
from okrsprint.locations import MapLoc, Position
from okrsprint.model import (
    DOCUMENT_MODELS,
    UNION_TAGS,
    BacklogDocument,
    Item,
    KeyResult,
    Objective,
    OkrsDocument,
    PlanDocumentModel,
    Sprint,
    SprintsDocument,
)
from okrsprint.quarters import Quarter
from okrsprint.validation import describe_error

T = TypeVar("T")
Report = Callable[[SourceFile, str, str, Position, "str | None", "str | None"], None]

MAX_SCHEMA_FINDINGS = 20  # per document: a generated monster must not bury the rest of the repo
QUARTER_IN_PATH = re.compile(r"\d{4}-Q[1-4]")


@dataclass(frozen=True)
class BrokenDocument:
    """A plan document left out of the plan (S001, S002, S006, or unread after a syntax error in its file).

    ``team`` and ``quarter`` are the team-quarter it belongs to, as far as they can be told.
    """

    file: str
    team: str | None
    quarter: str | None

    def may_belong_to(self, team: str | None, quarter: str | None) -> bool:
        """Whether it is, or may be, part of ``team`` in ``quarter`` (None: any team, any quarter)."""
        return (self.team is None or team is None or self.team == team) and (
            self.quarter is None or quarter is None or self.quarter == quarter
        )


@dataclass(eq=False)
class Document:
    """A valid plan document with the team and quarter it belongs to."""

    raw: RawDocument
    model: PlanDocumentModel
    team: str
    quarter: Quarter
    source: SourceFile

    @property
    def loc(self) -> MapLoc:
        return self.raw.loc

    def position(self, path: tuple = (), *, prefer_value: bool = False) -> Position:
        return self.raw.locate(path, prefer_value=prefer_value)


@dataclass(eq=False)
class Placed(Generic[T]):
    """An entity with where it was written: its document and its path inside it."""

    value: T
    document: Document
    path: tuple
    parent: Placed | None = None

    def position(self, *subpath: str | int, prefer_value: bool = False) -> Position:
        return self.document.position(self.path + subpath, prefer_value=prefer_value)

    @property
    def where(self) -> str:
        line, _ = self.position()
        return f"{self.document.source.relpath}:{line}"


DONE, CURRENT, UPCOMING, OPEN = "done", "current", "upcoming", "open"


def is_open(sprint: Sprint, today: date) -> bool:
    """A slot on the calendar whose sprint planning has not happened yet (SPEC "The quarter as it unfolds").

    A sprint still empty after its first day is planned: it started without a goal, and the rules judge that.
    """
    return (
        today <= sprint.start
        and not (sprint.goal or "").strip()
        and not sprint.krs
        and not sprint.items
        and not (sprint.not_okr_reason or "").strip()
    )


def sprint_state(sprint: Sprint, today: date) -> str:
    """open, else done (ended before today), current (runs today) or upcoming (planned, not started)."""
    if is_open(sprint, today):
        return OPEN
    if sprint.end < today:
        return DONE
    return CURRENT if sprint.start <= today else UPCOMING


@dataclass(eq=False)
class TeamQuarter:
    """Everything one team planned for one quarter, possibly spread over several files."""

    team: str
    quarter: Quarter
    documents: list[Document] = field(default_factory=list)
    objectives: list[Placed[Objective]] = field(default_factory=list)
    key_results: list[Placed[KeyResult]] = field(default_factory=list)
    items: list[Placed[Item]] = field(default_factory=list)
    sprints: list[Placed[Sprint]] = field(default_factory=list)
    objectives_by_id: dict[str, Placed[Objective]] = field(default_factory=dict)
    key_results_by_id: dict[str, Placed[KeyResult]] = field(default_factory=dict)
    items_by_id: dict[str, Placed[Item]] = field(default_factory=dict)
    sprints_by_id: dict[str, Placed[Sprint]] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        return self.team, str(self.quarter)

    def planned_sprints(self, today: date) -> list[Placed[Sprint]]:
        return [sprint for sprint in self.sprints if not is_open(sprint.value, today)]

    def open_sprints(self, today: date) -> list[Placed[Sprint]]:
        return [sprint for sprint in self.sprints if is_open(sprint.value, today)]

    def first_document(self, kind: str) -> Document | None:
        return next((document for document in self.documents if document.raw.kind == kind), None)

    @property
    def anchor(self) -> Document:
        """Where a finding about the whole team-quarter points: its first okrs, else sprints, else backlog document."""
        for kind in ("okrs", "sprints", "backlog"):
            for document in self.documents:
                if document.raw.kind == kind:
                    return document
        raise LookupError("a team-quarter always has a document")


@dataclass
class Plan:
    root: Path
    config: Config
    files: list[SourceFile]
    team_quarters: dict[tuple[str, str], TeamQuarter]
    broken: list[BrokenDocument] = field(default_factory=list)

    @property
    def documents(self) -> int:
        """Plan documents read (those of another tool are not counted)."""
        return sum(len(source.documents) for source in self.files)

    def team_quarter(self, team: str, quarter: str) -> TeamQuarter | None:
        return self.team_quarters.get((team, quarter))

    def is_complete(self, team: str, quarter: str) -> bool:
        """False when a document of this team-quarter was left out (S001, S002, S006): its ids cannot be known."""
        return not any(broken.team == team and broken.quarter == quarter for broken in self.broken)

    def may_hold(self, team: str, quarter: str) -> list[str]:
        """Files of broken documents whose team or quarter cannot be told and that may belong to this team-quarter."""
        return sorted(
            {
                broken.file
                for broken in self.broken
                if (broken.team is None or broken.quarter is None) and broken.may_belong_to(team, quarter)
            }
        )

    def broken_in(self, team: str | None, quarter: str | None) -> list[BrokenDocument]:
        """The broken documents that are, or may be, part of ``team`` in ``quarter`` (None: any)."""
        return [broken for broken in self.broken if broken.may_belong_to(team, quarter)]

    def resolve_key_result(self, reference: str, home: TeamQuarter) -> Placed[KeyResult] | None:
        """``KR1`` in the home team-quarter, or ``team:KR1`` of the same quarter."""
        team, _, kr_id = reference.rpartition(":")
        target = self.team_quarter(team, str(home.quarter)) if team else home
        return target.key_results_by_id.get(kr_id) if target else None

    def resolve_alignment(
        self, reference: str, home: TeamQuarter
    ) -> tuple[Placed[Objective], Placed[KeyResult] | None] | None:
        """``team:ID`` of ``aligns_to`` (SPEC References): that team's objective ID, else the objective of its key
        result ID (returned too: the child drives it); None when neither exists in the home quarter, or when the
        reference names the home team itself (a parent is another team's)."""
        team, _, target_id = reference.partition(":")
        target = self.team_quarter(team, str(home.quarter))
        if target is None or target is home:
            return None
        if target_id in target.objectives_by_id:
            return target.objectives_by_id[target_id], None
        key_result = target.key_results_by_id.get(target_id)
        if key_result is None or key_result.parent is None:
            return None
        return key_result.parent, key_result

    def sorted_team_quarters(self) -> Iterator[TeamQuarter]:
        for key in sorted(self.team_quarters):
            yield self.team_quarters[key]


def build_plan(root: Path, config: Config, files: Iterable[SourceFile], report: Report) -> Plan:
    """Validate every plan document and merge the valid ones into team-quarters; record the broken ones.

    ``files`` may be an iterator: each file is validated as soon as it is loaded.
    """
    plan = Plan(root, config, [], {})
    for source in files:
        plan.files.append(source)
        for problem in source.problems:
            team, quarter = _belonging(problem.declared or (None, None), source, config)
            report(source, problem.code, problem.message, problem.position, team, quarter)
            if problem.declared is not None:
                plan.broken.append(BrokenDocument(source.relpath, team, quarter))
        for declared in source.unread:
            plan.broken.append(BrokenDocument(source.relpath, *_belonging(declared, source, config)))
        for raw in source.documents:
            document = _validate(raw, source, config, report)
            if document is None:
                plan.broken.append(BrokenDocument(source.relpath, *_belonging(_declared(raw), source, config)))
            else:
                key = (document.team, str(document.quarter))
                team_quarter = plan.team_quarters.setdefault(key, TeamQuarter(document.team, document.quarter))
                _add_document(team_quarter, document, report)
    return plan


def _declared(raw: RawDocument) -> Declared:
    """Team and quarter as written, for findings about a document that failed validation."""
    if not raw.data:
        return raw.declared
    team, quarter = raw.data.get("team"), raw.data.get("quarter")
    return (team if isinstance(team, str) else None), (quarter if isinstance(quarter, str) else None)


def _belonging(declared: Declared, source: SourceFile, config: Config) -> Declared:
    """The team-quarter of a broken document: as declared; else the config's team and a quarter named in its path."""
    team, quarter = declared
    if quarter is None:
        in_path = QUARTER_IN_PATH.findall(source.relpath)
        quarter = in_path[-1] if in_path else None
    return team or config.team, quarter


def _validate(raw: RawDocument, source: SourceFile, config: Config, report: Report) -> Document | None:
    declared_team, declared_quarter = _belonging(_declared(raw), source, config)
    for problem in raw.problems:
        report(source, problem.code, problem.message, problem.position, declared_team, declared_quarter)
    if any(problem.code in ("S001", "S002") for problem in raw.problems):
        return None
    try:
        model = cast(PlanDocumentModel, DOCUMENT_MODELS[raw.kind].model_validate(raw.data))
    except ValidationError as error:
        details = error.errors()
        for detail in details[:MAX_SCHEMA_FINDINGS]:
            detail["loc"] = tuple(step for step in detail["loc"] if step not in UNION_TAGS)
            position = raw.locate(tuple(detail["loc"]))
            message = describe_error(detail, DOCUMENT_MODELS[raw.kind])
            report(source, "S002", message, position, declared_team, declared_quarter)
        if len(details) > MAX_SCHEMA_FINDINGS:
            position = raw.locate(tuple(details[MAX_SCHEMA_FINDINGS]["loc"]))
            more = len(details) - MAX_SCHEMA_FINDINGS
            message = f"{more} more schema errors in this document from here on, not shown"
            report(source, "S002", message, position, declared_team, declared_quarter)
        return None
    team = model.team or config.team
    if team is None:
        message = "missing required field 'team' (or set a default team: in okrsprint.yaml)"
        report(source, "S002", message, raw.locate(()), None, model.quarter)
        return None
    return Document(raw, model, team, Quarter.parse(model.quarter, config.year_start_month), source)


def _add_document(team_quarter: TeamQuarter, document: Document, report: Report) -> None:
    team_quarter.documents.append(document)
    model = document.model
    if isinstance(model, OkrsDocument):
        for o_index, objective in enumerate(model.objectives):
            placed_objective = Placed(objective, document, ("objectives", o_index))
            if _register(team_quarter.objectives_by_id, placed_objective, "objective", team_quarter, report):
                team_quarter.objectives.append(placed_objective)
            for k_index, key_result in enumerate(objective.key_results):
                path = ("objectives", o_index, "key_results", k_index)
                placed_kr = Placed(key_result, document, path, parent=placed_objective)
                if _register(team_quarter.key_results_by_id, placed_kr, "key result", team_quarter, report):
                    team_quarter.key_results.append(placed_kr)
    elif isinstance(model, BacklogDocument):
        for index, item in enumerate(model.items):
            placed_item = Placed(item, document, ("items", index))
            if _register(team_quarter.items_by_id, placed_item, "backlog item", team_quarter, report):
                team_quarter.items.append(placed_item)
    elif isinstance(model, SprintsDocument):
        for index, sprint in enumerate(model.sprints):
            placed_sprint = Placed(sprint, document, ("sprints", index))
            if _register(team_quarter.sprints_by_id, placed_sprint, "sprint", team_quarter, report):
                team_quarter.sprints.append(placed_sprint)


def _register(index: dict, placed: Placed, what: str, team_quarter: TeamQuarter, report: Report) -> bool:
    """Index an entity by id; a second one with the same id is S003 and stays out of the plan."""
    first = index.get(placed.value.id)
    if first is None:
        index[placed.value.id] = placed
        return True
    where = f"{team_quarter.team} {team_quarter.quarter}"
    message = f"duplicate {what} id '{placed.value.id}' in {where} (first at {first.where})"
    report(placed.document.source, "S003", message, placed.position("id"), team_quarter.team, str(team_quarter.quarter))
    return False


def default_quarter(plan: Plan, today: date) -> str:
    return str(Quarter.containing(today, plan.config.year_start_month))


def did_you_mean(name: str, choices: list[str]) -> str:
    """`` (did you mean 'search'?)`` for a near miss among ``choices``, else nothing: names are matched exactly."""
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    if not close and name.casefold() in (folded := {choice.casefold(): choice for choice in choices}):
        close = [folded[name.casefold()]]
    return f" (did you mean {close[0]!r}?)" if close else ""


def plan_teams(plan: Plan) -> list[str]:
    return sorted({tq.team for tq in plan.team_quarters.values()})


def choose_team(plan: Plan, team: str | None) -> str:
    """``--team`` as given (it must have a plan), else the config's ``team``, else the only team with a plan."""
    teams = plan_teams(plan)
    if team is not None:
        if team not in teams:
            raise UsageError(f"no plan for team {team!r}; teams: {_listing(teams)}{did_you_mean(team, teams)}")
        return team
    if plan.config.team is not None:
        return plan.config.team
    if len(teams) == 1:
        return teams[0]
    raise UsageError(f"choose a team with --team: {_listing(teams)}")


def choose_quarter(plan: Plan, team: str | None, quarter: str | None, today: date) -> str:
    """``--quarter`` as given, else the quarter containing today when ``team`` (None: any team) has a plan in it,
    else the latest such quarter before it; a usage error listing the quarters when there is none."""
    if quarter is not None:
        return quarter
    quarters = sorted({str(tq.quarter) for tq in plan.team_quarters.values() if team is None or tq.team == team})
    containing = default_quarter(plan, today)
    chosen = max((q for q in quarters if q <= containing), default=None)
    if chosen is None:
        whose = f" for {team}" if team is not None else ""
        raise UsageError(f"no plan{whose} in {containing} or before; choose one with --quarter: {_listing(quarters)}")
    return chosen


def select_team_quarters(plan: Plan, team: str | None, quarter: str) -> list[TeamQuarter]:
    """The team-quarters asked for; a usage error naming the candidates when there is none."""
    try:
        Quarter.parse(quarter)
    except ValueError as error:
        quarters = sorted({str(tq.quarter) for tq in plan.team_quarters.values()})
        raise UsageError(f"--quarter: {error}{did_you_mean(quarter, quarters)}") from None
    in_quarter = [tq for tq in plan.sorted_team_quarters() if str(tq.quarter) == quarter]
    if not in_quarter:
        quarters = sorted({str(tq.quarter) for tq in plan.team_quarters.values()})
        message = f"no plan for quarter {quarter}; quarters with a plan: {_listing(quarters)}"
        if quarters:  # the latest before the one asked for, else the first after it
            nearest = max((q for q in quarters if q < quarter), default=quarters[0])
            message += f" — pass --quarter {nearest}"
        raise UsageError(message)
    if team is None:
        return in_quarter
    chosen = [tq for tq in in_quarter if tq.team == team]
    if not chosen:
        teams = [tq.team for tq in in_quarter]
        raise UsageError(f"no plan for team {team!r} in {quarter}; teams: {_listing(teams)}{did_you_mean(team, teams)}")
    return chosen


def _listing(names: list[str]) -> str:
    return ", ".join(names) if names else "none"


def by_start(sprints: list[Placed[Sprint]]) -> list[Placed[Sprint]]:
    """Sprints in date order; on the same start, in file order."""
    return [placed for _, placed in sorted(enumerate(sprints), key=lambda pair: (pair[1].value.start, pair[0]))]


def reference(key_result: Placed[KeyResult], home: TeamQuarter) -> str:
    """``KR1`` for the home team's key result, ``team:KR1`` for another team's."""
    team = key_result.document.team
    return key_result.value.id if team == home.team else f"{team}:{key_result.value.id}"


def last_sprint(team_quarter: TeamQuarter, longest_sprint: int) -> Placed[Sprint] | None:
    """The quarter's last sprint: the latest start, once it starts late enough to reach the quarter's end.

    Before that (the quarter's last day − its start ≥ the longest sprint allowed) the calendar is not
    written to the end yet, and there is no last sprint to judge (A303) or to plan for (``plan``).
    """
    if not team_quarter.sprints:
        return None
    latest = by_start(team_quarter.sprints)[-1]
    return latest if (team_quarter.quarter.end - latest.value.start).days < longest_sprint else None


@dataclass
class Alignment:
    """One resolved ``aligns_to`` reference: the child objective rolls up into ``parent`` (through the key result
    ``via`` when the reference names one). ``index`` is the reference's place in a written list, else None."""

    child: Placed[Objective]
    parent: Placed[Objective]
    via: Placed[KeyResult] | None
    index: int | None


def alignments(plan: Plan, quarter: str | None = None) -> list[Alignment]:
    """Every ``aligns_to`` reference that resolves (of one quarter, or all), in team, quarter and file order."""
    found = []
    for team_quarter in plan.sorted_team_quarters():
        if quarter is not None and str(team_quarter.quarter) != quarter:
            continue
        for objective in team_quarter.objectives:
            written = objective.value.aligns_to
            for index, parent_ref in enumerate(objective.value.parents):
                resolved = plan.resolve_alignment(parent_ref, team_quarter)
                if resolved is not None:
                    found.append(Alignment(objective, *resolved, index if isinstance(written, list) else None))
    return found


def alignment_cycles(links: list[Alignment]) -> list[list[Alignment]]:
    """The cycles among ``links`` (objective → parent), each once, as the links that form it; the last one closes it.

    An iterative depth-first walk in the links' order: each objective is entered once, so a cycle cannot make
    anything loop, and the same input always yields the same cycles.
    """
    outgoing: dict[int, list[Alignment]] = {}
    for link in links:
        outgoing.setdefault(id(link.child), []).append(link)
    state: dict[int, str] = {}
    cycles = []
    for start in links:
        if id(start.child) in state:
            continue
        path: list[Alignment] = []
        stack = [(id(start.child), iter(outgoing.get(id(start.child), [])))]
        state[id(start.child)] = "open"
        while stack:
            node, pending = stack[-1]
            following = next(pending, None)
            if following is None:
                state[node] = "closed"
                stack.pop()
                if path:
                    path.pop()
                continue
            link = following
            target = id(link.parent)
            if state.get(target) == "open":  # an objective on the current path: the link closes a cycle
                entered = next((i for i, step in enumerate(path) if id(step.child) == target), len(path))
                cycles.append([*path[entered:], link])
            elif target not in state:
                state[target] = "open"
                path.append(link)
                stack.append((target, iter(outgoing.get(target, []))))
    return cycles
