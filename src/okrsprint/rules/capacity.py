"""A301–A304: capacity split between OKR work and the rest, and room to plan."""

from __future__ import annotations

from fractions import Fraction

from okrsprint.metrics import committed_items, estimate_of, items_of_sprints, okr_estimate, open_capacity
from okrsprint.numbers import exact, format_number, percent
from okrsprint.plan import by_start, is_open, last_sprint
from okrsprint.rules.context import RuleContext
from okrsprint.rules.registry import declare


@declare(
    "A301",
    "okr-capacity-share",
    "error",
    "over the planned sprints of a team-quarter, the estimate of committed items with non-empty `krs` divided by the "
    "estimate of all committed items (each item once) lies outside `okr_capacity` (0.60..0.70) and the open sprints' "
    "capacity can no longer bring it back; not checked when the total is 0",
    """Teams that combine OKRs with Scrum plan about two thirds of their capacity for key-result work and keep the rest
    for bugs, maintenance and the unexpected. Far below, OKRs are ignored; far above, the product decays.""",
    settings=("okr_capacity",),
    time_dependent=True,
)
def okr_capacity_share(context: RuleContext) -> None:
    low, high = (exact(bound) for bound in context.settings.okr_capacity)
    for team_quarter in context.plan.sorted_team_quarters():
        committed = items_of_sprints(team_quarter, team_quarter.planned_sprints(context.today))
        total = estimate_of(committed)
        if total == 0:
            continue
        okr = okr_estimate(committed)
        share = okr / total
        if low <= share <= high:
            continue
        still_open = team_quarter.open_sprints(context.today)
        room = open_capacity(still_open)
        if room is None:
            continue  # an open sprint without a capacity could still take anything
        if (share < low and (okr + room) / (total + room) >= low) or (share > high and okr / (total + room) <= high):
            continue
        cannot = f"; the open sprints' capacity ({format_number(room)}) cannot bring it back" if still_open else ""
        context.emit_at_sprints(
            team_quarter,
            f"{percent(share)} of committed estimate is OKR work ({format_number(okr)} of {format_number(total)}) in "
            f"{team_quarter.team} {team_quarter.quarter}{cannot}; expected {percent(low)}..{percent(high)} "
            f"(okr_capacity)",
        )


@declare(
    "A302",
    "sprint-overcommitted",
    "warning",
    "a sprint's committed estimate exceeds its `capacity`",
    """A sprint that commits more than the team can do fails its goal by design and teaches the team
    that commitments are not meant. Forecast what fits; the rest stays in the backlog.""",
)
def sprint_overcommitted(context: RuleContext) -> None:
    for team_quarter in context.plan.sorted_team_quarters():
        for sprint in team_quarter.sprints:
            capacity = sprint.value.capacity
            committed = estimate_of(committed_items(team_quarter, sprint.value))
            if capacity is not None and committed > exact(capacity):
                context.emit(
                    sprint,
                    f"sprint {sprint.value.id} commits {format_number(committed)}, more than its capacity "
                    f"{format_number(capacity)}",
                    "items",
                )


@declare(
    "A303",
    "no-planning-reserve",
    "warning",
    "the last sprint of the quarter (latest start, within `sprint_days[1]` days of the quarter's end) is planned, has "
    "a `capacity` and commits more than (1 − `planning_reserve`) × capacity: leave room to plan next quarter's OKRs",
    """The next quarter's OKRs are drafted, discussed and aligned during the last sprint of this one.
    A last sprint booked to the brim leaves no time for that, and the next quarter starts unplanned.""",
    settings=("planning_reserve", "sprint_days"),
    time_dependent=True,
)
def no_planning_reserve(context: RuleContext) -> None:
    reserve = exact(context.settings.planning_reserve)
    for team_quarter in context.plan.sorted_team_quarters():
        last = last_sprint(team_quarter, context.settings.sprint_days[1])
        if last is None or is_open(last.value, context.today) or last.value.capacity is None:
            continue
        capacity = last.value.capacity
        limit = (1 - reserve) * exact(capacity)
        committed = estimate_of(committed_items(team_quarter, last.value))
        if committed > limit:
            context.emit(
                last,
                f"last sprint {last.value.id} of {team_quarter.quarter} commits {format_number(committed)} of capacity "
                f"{format_number(capacity)}; keep {percent(reserve)} free (at most {format_number(limit)}) to plan "
                f"next quarter's OKRs",
                "items",
            )


@declare(
    "A304",
    "first-sprint-not-lighter",
    "info",
    "the first sprint's committed/capacity is not below the mean committed/capacity of the quarter's other planned "
    "sprints (only sprints with a capacity count; needs two)",
    """The first sprint of a quarter absorbs the new OKRs: refining the backlog, setting up measurement,
    aligning with other teams. Planning it lighter than the rest is cheaper than missing its goal.""",
    time_dependent=True,
)
def first_sprint_not_lighter(context: RuleContext) -> None:
    for team_quarter in context.plan.sorted_team_quarters():
        sprints = by_start([s for s in team_quarter.planned_sprints(context.today) if s.value.capacity])
        if len(sprints) < 2:
            continue
        loads = [estimate_of(committed_items(team_quarter, s.value)) / exact(s.value.capacity or 0) for s in sprints]
        first, others = loads[0], loads[1:]
        mean = sum(others, Fraction(0)) / len(others)
        if first >= mean:
            context.emit(
                sprints[0],
                f"first sprint {sprints[0].value.id} is loaded {percent(first)} of capacity, not below the other "
                "sprints' "
                f"mean of {percent(mean)}: plan it lighter to absorb the new quarter's OKRs",
            )
