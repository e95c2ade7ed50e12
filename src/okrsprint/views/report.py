"""The ``okrsprint report`` view: where each team-quarter stands, as plain data built from the plan.

Numbers come from ``okrsprint.metrics`` (current value, progress, elapsed, committed estimates) and stay exact
fractions here; renderers format them, JSON turns them into floats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from okrsprint.metrics import (
    better_direction,
    clipped,
    committed_items,
    current_value,
    elapsed,
    estimate_of,
    items_of_sprints,
    key_result_status,
    latest_checkin,
    linked_key_results,
    measurements,
    objective_progress,
    okr_estimate,
    open_capacity,
    progress,
    progress_on,
    threshold_text,
)
from okrsprint.model import KeyResult, Sprint
from okrsprint.numbers import exact
from okrsprint.plan import (
    Placed,
    Plan,
    TeamQuarter,
    by_start,
    choose_quarter,
    choose_team,
    reference,
    select_team_quarters,
    sprint_state,
)
from okrsprint.views.alignment import AlignmentTree, alignment_tree


@dataclass
class CheckinPoint:
    date: date
    value: float
    progress: Fraction | None
    confidence: float | None
    note: str | None


@dataclass
class KeyResultView:
    """One key result: baseline → current → target, progress (raw, unclipped), status and check-ins by date."""

    ref: str
    title: str
    unit: str | None
    baseline: float | None
    current: float | None
    target: float | None
    progress: Fraction | None
    status: str
    confidence: float | None
    checkins: list[CheckinPoint]
    keep_above: float | None = None
    keep_below: float | None = None
    threshold: str | None = None
    """``keep above 99.9 %`` for a threshold key result, shown instead of baseline → target."""
    better: str | None = None
    """``higher`` or ``lower``: which way the metric should go ("lower is better" is labelled)."""

    @property
    def trend(self) -> list[float]:
        """Check-ins as progress (rising means toward the target, also for a decreasing metric), else raw values."""
        if self.progress is None:
            return [checkin.value for checkin in self.checkins]
        return [float(checkin.progress or 0) for checkin in self.checkins]

    @property
    def shown_progress(self) -> Fraction | None:
        """Progress clipped to 0..1, as bars and percentages show it (SPEC §1)."""
        return clipped(self.progress)


@dataclass
class ObjectiveView:
    id: str
    title: str
    owner: str | None
    type: str
    aligns_to: list[str]
    key_results: list[KeyResultView]
    progress: Fraction | None = None
    """The mean of its key results' clipped progress, as the alignment tree shows it."""


@dataclass
class SprintView:
    """A sprint with its state (done, current, upcoming, open) and its committed estimate split into OKR and
    operational work."""

    id: str
    state: str
    start: date
    end: date
    goal: str | None
    krs: list[str]
    not_okr_reason: str | None
    capacity: float | None
    items: list[str]
    committed: Fraction
    okr: Fraction
    operational: Fraction
    load: Fraction | None


@dataclass
class TraceCell:
    """Whether a sprint's goal drives a key result, and which committed items of the sprint do."""

    sprint: str
    goal: bool
    items: list[str]


@dataclass
class TraceRow:
    key_result: str
    cells: list[TraceCell]


@dataclass
class CapacityShare:
    """The quarter's OKR share of committed estimate against the ``okr_capacity`` band (A301)."""

    okr: Fraction
    operational: Fraction
    total: Fraction
    share: Fraction | None
    low: float
    high: float
    within: bool | None


@dataclass
class SoFar:
    """The quarter as decided so far (SPEC "The quarter as it unfolds"): the OKR share over the planned sprints,
    each item once, and the least points the open sprints need to bring it into the ``okr_capacity`` band.

    ``needs`` is ``{"operational": x}`` (share too high) or ``{"okr": y}`` (too low), whole points rounded up;
    None when the share is within the band, unknown (nothing committed) or no sprint is open.
    """

    okr: Fraction
    total: Fraction
    okr_share: Fraction | None
    band: tuple[float, float]
    within: bool | None
    open_sprints: list[str]
    open_capacity: Fraction | None
    needs: dict[str, int] | None


@dataclass
class TeamQuarterReport:
    team: str
    quarter: str
    start: date
    end: date
    days: int
    day: int
    elapsed: Fraction
    behind_tolerance: float
    objectives: list[ObjectiveView]
    sprints: list[SprintView]
    traceability: list[TraceRow]
    capacity: CapacityShare
    so_far: SoFar


@dataclass
class Report:
    kind = "report"
    root: str
    today: date
    quarter: str
    team_quarters: list[TeamQuarterReport] = field(default_factory=list)
    alignment: AlignmentTree | None = None
    """When the quarter has objectives of ``company_team``: the tree that opens the report."""


def key_result_view(ref: str, key_result: KeyResult, today: date, gone: Fraction, tolerance: float) -> KeyResultView:
    done = progress_on(key_result, today)
    latest = latest_checkin(key_result, today)
    return KeyResultView(
        ref=ref,
        title=key_result.title,
        unit=key_result.unit,
        baseline=key_result.baseline,
        current=current_value(key_result, today),
        target=key_result.target,
        progress=done,
        status=key_result_status(key_result, done, gone, tolerance),
        confidence=latest.confidence if latest else None,
        checkins=[
            CheckinPoint(c.date, c.value, progress(key_result, c.value), c.confidence, c.note)
            for c in measurements(key_result, today)
        ],
        keep_above=key_result.keep_above,
        keep_below=key_result.keep_below,
        threshold=threshold_text(key_result),
        better=better_direction(key_result),
    )


def sprint_view(team_quarter: TeamQuarter, sprint: Sprint, today: date) -> SprintView:
    items = committed_items(team_quarter, sprint)
    committed, okr = estimate_of(items), okr_estimate(items)
    capacity = sprint.capacity
    return SprintView(
        id=sprint.id,
        state=sprint_state(sprint, today),
        start=sprint.start,
        end=sprint.end,
        goal=sprint.goal,
        krs=list(sprint.krs),
        not_okr_reason=sprint.not_okr_reason,
        capacity=capacity,
        items=list(sprint.items),
        committed=committed,
        okr=okr,
        operational=committed - okr,
        load=committed / exact(capacity) if capacity else None,
    )


def traceability(plan: Plan, team_quarter: TeamQuarter, sprints: list[Placed[Sprint]]) -> list[TraceRow]:
    """Key result × sprint: the team's key results, then other teams' ones its sprints or items drive."""
    rows: dict[int, TraceRow] = {}

    def row(key_result: Placed[KeyResult]) -> TraceRow:
        if id(key_result) not in rows:
            cells = [TraceCell(placed.value.id, False, []) for placed in sprints]
            rows[id(key_result)] = TraceRow(reference(key_result, team_quarter), cells)
        return rows[id(key_result)]

    for key_result in team_quarter.key_results:
        row(key_result)
    for column, placed in enumerate(sprints):
        for key_result in linked_key_results(plan, team_quarter, placed.value.krs):
            row(key_result).cells[column].goal = True
        for item in committed_items(team_quarter, placed.value):
            for key_result in linked_key_results(plan, team_quarter, item.value.krs):
                items = row(key_result).cells[column].items
                if item.value.id not in items:
                    items.append(item.value.id)
    return list(rows.values())


def capacity_share(plan: Plan, team_quarter: TeamQuarter) -> CapacityShare:
    """Over every sprint of the quarter, each committed item once (a carried-over item is one piece of work)."""
    items = items_of_sprints(team_quarter, team_quarter.sprints)
    okr, total = okr_estimate(items), estimate_of(items)
    low, high = plan.config.settings.okr_capacity
    share = okr / total if total else None
    within = None if share is None else exact(low) <= share <= exact(high)
    return CapacityShare(okr, total - okr, total, share, low, high, within)


def so_far(plan: Plan, team_quarter: TeamQuarter, today: date) -> SoFar:
    items = items_of_sprints(team_quarter, team_quarter.planned_sprints(today))
    okr, total = okr_estimate(items), estimate_of(items)
    low, high = plan.config.settings.okr_capacity
    low_exact, high_exact = exact(low), exact(high)
    share = okr / total if total else None
    within = None if share is None else low_exact <= share <= high_exact
    open_sprints = by_start(team_quarter.open_sprints(today))
    needs = None
    if share is not None and not within and open_sprints:
        if share > high_exact:  # least x with O / (T + x) <= high
            needs = {"operational": math.ceil(okr / high_exact - total)}
        elif low_exact < 1:  # least y with (O + y) / (T + y) >= low
            needs = {"okr": math.ceil((low_exact * total - okr) / (1 - low_exact))}
    return SoFar(
        okr=okr,
        total=total,
        okr_share=share,
        band=(low, high),
        within=within,
        open_sprints=[placed.value.id for placed in open_sprints],
        open_capacity=open_capacity(open_sprints),
        needs=needs,
    )


def team_quarter_report(plan: Plan, team_quarter: TeamQuarter, today: date) -> TeamQuarterReport:
    quarter = team_quarter.quarter
    gone = elapsed(quarter, today)
    tolerance = plan.config.settings.behind_tolerance
    objectives = []
    for objective in team_quarter.objectives:
        krs = [kr for kr in team_quarter.key_results if kr.parent is objective]
        views = [key_result_view(kr.value.id, kr.value, today, gone, tolerance) for kr in krs]
        value = objective.value
        objectives.append(
            ObjectiveView(
                value.id,
                value.title,
                value.owner,
                value.type,
                value.parents,
                views,
                objective_progress(value.key_results, today),
            )
        )
    sprints = by_start(team_quarter.sprints)
    sprint_views = [sprint_view(team_quarter, placed.value, today) for placed in sprints]
    day = min(max((today - quarter.start).days + 1, 0), quarter.days)
    return TeamQuarterReport(
        team=team_quarter.team,
        quarter=str(quarter),
        start=quarter.start,
        end=quarter.end,
        days=quarter.days,
        day=day,
        elapsed=gone,
        behind_tolerance=tolerance,
        objectives=objectives,
        sprints=sprint_views,
        traceability=traceability(plan, team_quarter, sprints),
        capacity=capacity_share(plan, team_quarter),
        so_far=so_far(plan, team_quarter, today),
    )


def build_report(plan: Plan, today: date, team: str | None = None, quarter: str | None = None) -> Report:
    """The report for one quarter (default: SPEC §3's shared default, see plan.choose_quarter), all teams or one."""
    if team is not None:
        choose_team(plan, team)
    quarter = choose_quarter(plan, team, quarter, today)
    chosen = select_team_quarters(plan, team, quarter)
    company = plan.config.company_team
    chosen = sorted(chosen, key=lambda tq: tq.team != company)  # the company's section comes first
    gone = elapsed(chosen[0].quarter, today)
    tree = alignment_tree(plan, quarter, today, gone, plan.config.settings.behind_tolerance)
    return Report(str(plan.root), today, quarter, [team_quarter_report(plan, tq, today) for tq in chosen], tree)
