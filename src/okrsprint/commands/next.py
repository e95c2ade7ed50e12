"""``okrsprint next``: draft a team's next quarter from the one it closes.

Carried key results start where the last quarter left them (their value at its end becomes the new baseline,
with a comment saying where they came from), the open backlog moves along re-tagged with the key results that
exist next quarter, and the sprint calendar continues the team's cadence with open sprints that ``plan`` fills
one by one. Each new document is written by ``yamledit.emit`` (proved to read back), then read by the loader
and validated by the schema; all files are created at once, or none (``files.create_all``), and nothing that
exists is ever overwritten.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

from okrsprint.commands.plan import default_team, team_quarter_default
from okrsprint.engine import open_plan
from okrsprint.errors import UsageError
from okrsprint.files import create_all
from okrsprint.loader import load_file
from okrsprint.metrics import key_result_score, threshold, value_on
from okrsprint.model import DOCUMENT_MODELS, Item, KeyResult, Objective
from okrsprint.numbers import exact, format_number, plural
from okrsprint.plan import Document, Plan, TeamQuarter, by_start, select_team_quarters
from okrsprint.quarters import QUARTER_PATTERN, Quarter
from okrsprint.render.common import inert_terminal
from okrsprint.yamledit import EditError, emit

CARRY_CHOICES = ("unfinished", "all", "none")
EARLIEST_START_DAYS = 6
"""A sprint may start at most this many days before its quarter (S005)."""


@dataclass
class NextOptions:
    path: Path = Path(".")
    team: str | None = None
    from_quarter: str | None = None
    carry: str = "unfinished"
    sprints: int | None = None
    sprint_days: int | None = None
    today: date = field(default_factory=date.today)
    dry_run: bool = False


@dataclass
class Draft:
    """The next quarter's files (path under the root → text) and what the command tells about them."""

    team: str
    source: str
    quarter: str
    files: dict[str, str] = field(default_factory=dict)
    carried_key_results: list[str] = field(default_factory=list)
    carried_items: list[str] = field(default_factory=list)
    sprints: list[dict] = field(default_factory=list)
    retag: list[str] = field(default_factory=list)
    """Items that drove key results of the last quarter and drive none that exists in the next one."""


def next_quarter(options: NextOptions) -> Draft:
    """Draft and write (or, with ``dry_run``, print) the next quarter; UsageError (exit 2) when refused."""
    if options.carry not in CARRY_CHOICES:
        raise UsageError(f"--carry must be one of {', '.join(CARRY_CHOICES)}, not {options.carry!r}")
    plan = open_plan(options.path)
    draft = build_draft(plan, options)
    if options.dry_run:
        for path, text in draft.files.items():
            print(f"# --- {inert_terminal(path)} (not written: --dry-run) ---")
            print(inert_terminal_lines(text), end="")
    else:
        create_all({plan.root / path: text for path, text in draft.files.items()})
    for line in summary(draft, options.dry_run):
        print(inert_terminal(line))
    return draft


def inert_terminal_lines(text: str) -> str:
    """YAML text for a terminal: each line made inert, the line breaks kept."""
    return "".join(inert_terminal(line) + "\n" for line in text.splitlines())


def summary(draft: Draft, dry_run: bool) -> list[str]:
    verb = "would write" if dry_run else "wrote"
    lines = [
        f"{verb} {plural(len(draft.files), 'file')} for {draft.team} {draft.quarter} (from {draft.source}): "
        + ", ".join(draft.files),
        f"  carried {plural(len(draft.carried_key_results), 'key result')}"
        + (f" ({', '.join(draft.carried_key_results)})" if draft.carried_key_results else "")
        + f" and {plural(len(draft.carried_items), 'open backlog item')}",
    ]
    if draft.sprints:
        first, last = draft.sprints[0], draft.sprints[-1]
        lines.append(
            f"  {plural(len(draft.sprints), 'open sprint')} {first['id']}–{last['id']}, {first['start']} to "
            f"{last['end']}: plan each with okrsprint plan"
        )
    if draft.retag:
        lines.append(f"  re-tag these: {', '.join(draft.retag)} (their key results do not exist in {draft.quarter})")
    return lines


def following(quarter: Quarter) -> Quarter:
    """The quarter after ``quarter``."""
    year, number = (quarter.year + 1, 1) if quarter.number == 4 else (quarter.year, quarter.number + 1)
    return Quarter(year, number, quarter.year_start_month)


def build_draft(plan: Plan, options: NextOptions) -> Draft:
    team = options.team or default_team(plan)
    if options.from_quarter is not None and not QUARTER_PATTERN.match(options.from_quarter):
        raise UsageError(f"--from must be a quarter YYYY-Qn, not {options.from_quarter!r}")
    source_quarter = options.from_quarter or team_quarter_default(plan, team, options.today)
    tq = select_team_quarters(plan, team, source_quarter)[0]
    if not plan.is_complete(team, source_quarter):
        broken = sorted({b.file for b in plan.broken if b.team == team and b.quarter == source_quarter})
        raise UsageError(
            f"{team} {source_quarter} has documents with errors ({', '.join(broken)}): they cannot be carried; "
            "run okrsprint check and fix them first, nothing was written"
        )
    nxt = following(tq.quarter)
    _refuse_existing_plan(plan, team, nxt)
    as_of = min(options.today, tq.quarter.end)
    draft = Draft(team, str(tq.quarter), str(nxt))
    drafter = _Drafter(plan, tq, nxt, as_of, options, draft)
    texts: dict[str, list[str]] = {}
    for document in tq.documents:
        texts.setdefault(target_path(document.source.relpath, tq.quarter, nxt), []).append(drafter.document(document))
    for path, documents in texts.items():
        text = "---\n".join(documents)
        _prove(plan, path, text)
        draft.files[path] = text
    return draft


def _refuse_existing_plan(plan: Plan, team: str, quarter: Quarter) -> None:
    existing = plan.team_quarter(team, str(quarter))
    files = [document.source.relpath for document in existing.documents] if existing else []
    files += [broken.file for broken in plan.broken if broken.team == team and broken.quarter == str(quarter)]
    if files:
        raise UsageError(
            f"{team} already has a plan for {quarter} ({', '.join(sorted(set(files)))}); nothing was written"
        )


def target_path(relpath: str, quarter: Quarter, nxt: Quarter) -> str:
    """``okrs/2026-Q4.yaml`` → ``okrs/2027-Q1.yaml``; a path without the quarter gets ``-2027-Q1`` before its
    extension (``okrs.yaml`` → ``okrs-2027-Q1.yaml``)."""
    if str(quarter) in relpath:
        return relpath.replace(str(quarter), str(nxt))
    path = Path(relpath)
    return path.with_name(f"{path.stem}-{nxt}{path.suffix}").as_posix()


def _prove(plan: Plan, path: str, text: str) -> None:
    """The drafted file loads through the loader and every document passes the schema, or nothing is written."""
    source = load_file(plan.root / path, plan.root, text)
    problems = [*source.problems, *(problem for raw in source.documents for problem in raw.problems)]
    try:
        if problems:
            raise ValueError(problems[0].message)
        for raw in source.documents:
            DOCUMENT_MODELS[raw.kind].model_validate(raw.data)
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        raise UsageError(f"the draft of {path} would not pass the schema, nothing was written: {error}") from None


class _Drafter:
    """Turns each document of the closing quarter into its successor's data, as ``yamledit.emit`` writes it."""

    def __init__(
        self, plan: Plan, tq: TeamQuarter, nxt: Quarter, as_of: date, options: NextOptions, draft: Draft
    ) -> None:
        self.plan, self.tq, self.nxt, self.as_of, self.options, self.draft = plan, tq, nxt, as_of, options, draft
        self.carried: dict[str, dict] = {}
        for placed in tq.key_results:
            carried = self.key_result(placed.value)
            if carried is not None:
                self.carried[placed.value.id] = carried
        self.calendar_written = False

    def header(self, document: Document) -> dict:
        return {
            "#": f"Drafted by okrsprint next from {self.tq.quarter} on {self.options.today}.",
            "kind": document.raw.kind,
            "team": self.tq.team,
            "quarter": str(self.nxt),
        }

    def document(self, document: Document) -> str:
        data = self.header(document)
        model = document.model
        try:
            if document.raw.kind == "okrs":
                data["objectives"] = [self.objective(o) for o in getattr(model, "objectives", []) if self.carries(o)]
                self.draft.carried_key_results += [
                    kr.id for o in getattr(model, "objectives", []) for kr in o.key_results if kr.id in self.carried
                ]
            elif document.raw.kind == "backlog":
                data["items"] = [self.item(item) for item in getattr(model, "items", []) if item.status != "done"]
            else:
                data["sprints"] = [] if self.calendar_written else self.calendar()
                self.calendar_written = True
            return emit(data)
        except EditError as error:
            raise UsageError(f"cannot draft {document.source.relpath} for {self.nxt}: {error}") from None

    # -- okrs ----------------------------------------------------------------------------------------------------

    def carries(self, objective: Objective) -> bool:
        return any(kr.id in self.carried for kr in objective.key_results)

    def objective(self, objective: Objective) -> dict:
        data: dict[str, object] = {"id": objective.id, "title": objective.title}
        if objective.owner is not None:
            data["owner"] = objective.owner
        parents = objective.parents
        kept = [parent for parent in parents if self.parent_exists(parent)]
        dropped = [parent for parent in parents if parent not in kept]
        if dropped:
            data["#aligns_to"] = (
                f"was aligns_to: {', '.join(dropped)} in {self.tq.quarter}; not in {self.nxt} yet: align it again"
            )
        if kept:
            data["aligns_to"] = kept[0] if isinstance(objective.aligns_to, str) else kept
        data["type"] = objective.type
        data["key_results"] = [self.carried[kr.id] for kr in objective.key_results if kr.id in self.carried]
        return data

    def parent_exists(self, parent: str) -> bool:
        team, _, identifier = parent.partition(":")
        other = self.plan.team_quarter(team, str(self.nxt))
        return other is not None and (identifier in other.objectives_by_id or identifier in other.key_results_by_id)

    def key_result(self, key_result: KeyResult) -> dict | None:
        """The carried key result (None when ``--carry`` leaves it behind)."""
        score = key_result_score(key_result, self.tq.quarter, self.as_of)
        carry = self.options.carry
        if carry == "none" or (carry == "unfinished" and score is not None and score >= 1):
            return None
        value = value_on(key_result, self.as_of)
        data: dict[str, object] = {"#": "", "id": key_result.id, "title": key_result.title}
        if key_result.unit is not None:
            data["unit"] = key_result.unit
        level = threshold(key_result)
        reached = f"reached {format_number(value)}, score {_score(score)}"
        if level is not None:
            data["#"] = f"from {self.tq.quarter}: keep {level[0]} {format_number(level[1])}, {reached}"
            data[f"keep_{level[0]}"] = written(level[1])
            return data
        baseline, target = key_result.baseline, key_result.target
        origin = f"from {self.tq.quarter}: {format_number(baseline)} → {format_number(target)}, {reached}"
        data["#"] = origin
        if score == 1 and value is not None and baseline is not None and target is not None:
            side = "above" if target > baseline else "below"
            data["#"] = f"{origin}; now a level to hold: keep {side} {format_number(value)}"
            data[f"keep_{side}"] = written(value)
            return data
        new_baseline = value if value is not None else baseline
        if new_baseline is not None:
            data["baseline"] = written(new_baseline)
        if target is not None:
            data["target"] = written(target)
        return data

    # -- backlog -------------------------------------------------------------------------------------------------

    def item(self, item: Item) -> dict:
        kept = [ref for ref in item.krs if self.key_result_exists(ref)]
        dropped = [ref for ref in item.krs if ref not in kept]
        data: dict[str, object] = {"id": item.id, "title": item.title}
        if dropped:
            data["#krs"] = f"was krs: [{', '.join(dropped)}] in {self.tq.quarter}"
            if not kept:
                self.draft.retag.append(item.id)
        data["krs"] = kept
        for name in ("estimate", "status", "rank", "url", "assignee"):
            if getattr(item, name) is not None:
                data[name] = written(getattr(item, name))
        self.draft.carried_items.append(item.id)
        return data

    def key_result_exists(self, reference: str) -> bool:
        team, _, kr_id = reference.rpartition(":")
        if not team or team == self.tq.team:
            return kr_id in self.carried
        other = self.plan.team_quarter(team, str(self.nxt))
        return other is not None and kr_id in other.key_results_by_id

    # -- sprints -------------------------------------------------------------------------------------------------

    def calendar(self) -> list[dict]:
        """Open sprints that continue the cadence of the closing quarter (SPEC "Closing a quarter")."""
        sprints = by_start(self.tq.sprints)
        if not sprints:
            return []
        period, length = cadence(
            [s.value.start for s in sprints], [s.value.end for s in sprints], self.options.sprint_days
        )
        last = sprints[-1].value
        earliest = self.nxt.start - timedelta(days=EARLIEST_START_DAYS)
        start = last.start + timedelta(days=period)
        while start <= last.end or start < earliest:
            start += timedelta(days=period)
        capacity = median_capacity([s.value.capacity for s in sprints])
        limit = self.options.sprints
        calendar: list[dict] = []
        while start <= self.nxt.end and (limit is None or len(calendar) < limit):
            entry: dict[str, object] = {
                "id": f"S{len(calendar) + 1}",
                "start": start,
                "end": start + timedelta(days=length - 1),
            }
            if capacity is not None:
                entry["capacity"] = capacity
            calendar.append(entry)
            start += timedelta(days=period)
        self.draft.sprints = calendar
        return calendar


def cadence(starts: list[date], ends: list[date], sprint_days: int | None) -> tuple[int, int]:
    """The period (most common start-to-start distance) and length (most common length, both ends counted) of a
    quarter's sprints, ties to the shorter; ``sprint_days`` sets both. A sprint never outlasts the period, so
    the new sprints cannot overlap (S005); with one sprint, the period is its length (at least a day: a sprint
    that ends before it starts, an S005 error of its own, must not stall the calendar)."""
    if sprint_days is not None:
        return sprint_days, sprint_days
    length = max(most_common([(end - start).days + 1 for start, end in zip(starts, ends, strict=True)]), 1)
    distances = [(later - earlier).days for earlier, later in zip(starts, starts[1:], strict=False) if later > earlier]
    period = most_common(distances) if distances else length
    return period, min(length, period)


def most_common(values: list[int]) -> int:
    """The most frequent value; on a tie, the smallest."""
    counts = Counter(values)
    return min(counts, key=lambda value: (-counts[value], value))


def median_capacity(capacities: list[float | None]) -> float | int | None:
    """The median of the capacities set, as a person writes it (30, not 30.0); None when none is set."""
    known = [exact(capacity) for capacity in capacities if capacity is not None]
    if not known:
        return None
    return written(float(statistics.median(known)))  # type: ignore[return-value]


def written(value: object) -> object:
    """Numbers as the user writes them: 8, not 8.0 (the model reads every number as a float)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _score(score: Fraction | None) -> str:
    return "–" if score is None else f"{float(score):.2f}".rstrip("0").rstrip(".")
