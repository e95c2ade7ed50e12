"""The ``okrsprint review`` view: one sprint's output (committed vs done) next to its outcome (key results moved).

Outcome compares each linked key result's value the day before the sprint started with its value on the
sprint's last day + ``outcome_lag_days``, or today's "so far" until then (``metrics.value_on``); A404 itself
is not re-implemented but run by the check engine on the loaded plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from okrsprint.engine import run_rules
from okrsprint.errors import UsageError
from okrsprint.metrics import (
    committed_items,
    estimate_of,
    holds,
    linked_key_results,
    moved_toward_target,
    progress,
    threshold_text,
    value_on,
)
from okrsprint.model import KeyResult, Sprint
from okrsprint.numbers import exact
from okrsprint.plan import (
    Placed,
    Plan,
    TeamQuarter,
    by_start,
    choose_team,
    default_quarter,
    did_you_mean,
    reference,
    sprint_state,
)


@dataclass
class ReviewItem:
    id: str
    title: str
    krs: list[str]
    estimate: float | None
    status: str


@dataclass
class Outcome:
    """A linked key result's value the day before the sprint and on its last day + ``outcome_lag_days``, and
    whether it moved toward its target; ``so_far`` while that day has not come (the value is today's)."""

    key_result: str
    title: str
    unit: str | None
    baseline: float | None
    target: float | None
    before_date: date
    before: float | None
    after_date: date
    after: float | None
    change: Fraction | None
    progress_before: Fraction | None
    progress_after: Fraction | None
    moved_toward_target: bool | None
    so_far: bool
    threshold: str | None = None
    """``keep above 99.9`` for a threshold key result: judged held or breached at the end, not by a direction."""
    held: bool | None = None


@dataclass
class SprintReview:
    kind = "review"
    team: str
    quarter: str
    today: date
    sprint: str
    start: date
    end: date
    goal: str | None
    krs: list[str]
    capacity: float | None
    items: list[ReviewItem]
    committed_items: int
    committed_points: Fraction
    done_items: int
    done_points: Fraction
    outcomes: list[Outcome]
    findings: list[dict]


def find_sprint(
    plan: Plan, team: str, sprint_id: str | None, quarter: str | None, today: date
) -> tuple[TeamQuarter, Placed[Sprint]]:
    """The team's sprint (default: the current one); without ``quarter``, the only quarter holding it, else the one
    containing today."""
    team_quarters = [tq for tq in plan.sorted_team_quarters() if tq.team == team]
    if not team_quarters:
        teams = sorted({tq.team for tq in plan.team_quarters.values()})
        raise UsageError(f"no plan for team {team!r}; teams: {', '.join(teams) or 'none'}{did_you_mean(team, teams)}")
    if quarter is not None:
        team_quarters = [tq for tq in team_quarters if str(tq.quarter) == quarter]
        if not team_quarters:
            quarters = sorted({str(tq.quarter) for tq in plan.team_quarters.values() if tq.team == team})
            raise UsageError(f"no plan for team {team!r} in {quarter}; its quarters: {', '.join(quarters)}")
    if sprint_id is None:
        return current_sprint(team, team_quarters, today)
    holding = [tq for tq in team_quarters if sprint_id in tq.sprints_by_id]
    if len(holding) > 1:
        holding = [tq for tq in holding if str(tq.quarter) == default_quarter(plan, today)] or holding
    if len(holding) > 1:
        raise UsageError(
            f"sprint {sprint_id!r} of {team} is in several quarters ({', '.join(str(tq.quarter) for tq in holding)}): "
            f"choose one with --quarter"
        )
    if not holding:
        known = [f"{s.value.id} ({tq.quarter})" for tq in team_quarters for s in tq.sprints]
        ids = sorted({s.value.id for tq in team_quarters for s in tq.sprints})
        hint = did_you_mean(sprint_id, ids)
        raise UsageError(f"no sprint {sprint_id!r} for team {team}; sprints: {', '.join(known) or 'none'}{hint}")
    return holding[0], holding[0].sprints_by_id[sprint_id]


def current_sprint(team: str, team_quarters: list[TeamQuarter], today: date) -> tuple[TeamQuarter, Placed[Sprint]]:
    """The team's sprint whose dates contain today; a usage error listing the sprints (with their state) if none."""
    running = [(tq, s) for tq in team_quarters for s in by_start(tq.sprints) if s.value.start <= today <= s.value.end]
    if running:
        return running[0]
    known = [
        f"{s.value.id} ({tq.quarter}, {sprint_state(s.value, today)})"
        for tq in team_quarters
        for s in by_start(tq.sprints)
    ]
    raise UsageError(f"no sprint of {team} runs on {today}; choose one with --sprint: {', '.join(known) or 'none'}")


def outcome(key_result: Placed[KeyResult], home: TeamQuarter, sprint: Sprint, lag_days: int, today: date) -> Outcome:
    value = key_result.value
    settled = sprint.end + timedelta(days=lag_days)
    before_date, after_date = sprint.start - timedelta(days=1), min(settled, today)
    before, after = value_on(value, before_date), value_on(value, after_date)
    return Outcome(
        key_result=reference(key_result, home),
        title=value.title,
        unit=value.unit,
        baseline=value.baseline,
        target=value.target,
        before_date=before_date,
        before=before,
        after_date=after_date,
        after=after,
        change=None if before is None or after is None else exact(after) - exact(before),
        progress_before=progress(value, before),
        progress_after=progress(value, after),
        moved_toward_target=moved_toward_target(value, before, after),
        so_far=after_date < settled,
        threshold=threshold_text(value),
        held=holds(value, after),
    )


def output_without_outcome(plan: Plan, placed: Placed[Sprint], today: date) -> list[dict]:
    """A404's findings about this sprint, from the rule itself (config ignores and suppressions respected)."""
    line, column = placed.position()
    where = (placed.document.source.relpath, line, column)
    return [
        finding.as_dict()
        for finding in run_rules(plan, {"A404"}, today)
        if (finding.location.file, finding.location.line, finding.location.column) == where
    ]


def build_review(
    plan: Plan, team: str | None, sprint_id: str | None, today: date, quarter: str | None = None
) -> SprintReview:
    """The review of ``sprint_id`` (default: the current sprint) of ``team`` (default: plan.choose_team)."""
    team_quarter, placed = find_sprint(plan, choose_team(plan, team), sprint_id, quarter, today)
    sprint = placed.value
    if sprint.start > today:
        raise UsageError(f"{sprint.id} has not started (starts {sprint.start}): nothing to review yet")
    lag_days = plan.config.settings.outcome_lag_days
    committed = committed_items(team_quarter, sprint)
    done = [item for item in committed if item.value.status == "done"]
    items = [
        ReviewItem(i.value.id, i.value.title, list(i.value.krs), i.value.estimate, i.value.status) for i in committed
    ]
    return SprintReview(
        team=team_quarter.team,
        quarter=str(team_quarter.quarter),
        today=today,
        sprint=sprint.id,
        start=sprint.start,
        end=sprint.end,
        goal=sprint.goal,
        krs=list(sprint.krs),
        capacity=sprint.capacity,
        items=items,
        committed_items=len(committed),
        committed_points=estimate_of(committed),
        done_items=len(done),
        done_points=estimate_of(done),
        outcomes=[
            outcome(kr, team_quarter, sprint, lag_days, today)
            for kr in linked_key_results(plan, team_quarter, sprint.krs)
        ],
        findings=output_without_outcome(plan, placed, today),
    )
