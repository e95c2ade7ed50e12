"""A201–A205: sprints that drive key results with outcome-shaped goals."""

from __future__ import annotations

import math

from okrsprint.metrics import activity_verb
from okrsprint.rules.context import RuleContext
from okrsprint.rules.registry import declare


@declare(
    "A201",
    "too-few-linked-sprints",
    "error",
    "(linked + open) / total sprints of a team-quarter < `min_linked_sprint_ratio` (4/6): even if every open sprint "
    "drives a key result, too few do; a sprint is linked when its `krs` is non-empty",
    """Sprints are where OKRs are executed. When fewer than four of six sprints drive a key result,
    the quarter's objectives are decoration and the team's time goes elsewhere.""",
    settings=("min_linked_sprint_ratio",),
    time_dependent=True,
)
def too_few_linked_sprints(context: RuleContext) -> None:
    ratio = context.settings.min_linked_sprint_ratio
    for team_quarter in context.plan.sorted_team_quarters():
        total = len(team_quarter.sprints)
        if total == 0:
            continue
        planned = team_quarter.planned_sprints(context.today)
        linked = sum(1 for sprint in planned if sprint.value.krs)
        still_open = total - len(planned)
        if (linked + still_open) * ratio.denominator < ratio.numerator * total:
            needed = math.ceil(ratio * total)
            even = f" and {still_open} still open" if still_open else ""
            context.emit_at_sprints(
                team_quarter,
                f"{linked} of {total} sprints drive a key result{even}; at least {needed} of {total} needed "
                f"(min_linked_sprint_ratio {ratio}): link sprint goals to key results",
            )


@declare(
    "A202",
    "sprint-without-goal",
    "warning",
    "a planned sprint has no `goal` (absent or blank)",
    """The sprint goal is the single objective of a sprint in Scrum. Without it the sprint is a list of
    tickets, and nobody can tell in the review whether it succeeded.""",
    time_dependent=True,
)
def sprint_without_goal(context: RuleContext) -> None:
    for team_quarter in context.plan.sorted_team_quarters():
        for sprint in team_quarter.planned_sprints(context.today):
            if not (sprint.value.goal or "").strip():
                context.emit(sprint, f"sprint {sprint.value.id} has no goal: say what will be true at its end", "goal")


@declare(
    "A203",
    "unlinked-sprint-undocumented",
    "warning",
    "a planned sprint with empty `krs` has no `not_okr_reason`",
    """Some sprints rightly drive no key result (a stabilisation or bug-fix sprint). Writing down why
    keeps that a decision rather than drift, and the reason is there when the quarter is reviewed.""",
    time_dependent=True,
)
def unlinked_sprint_undocumented(context: RuleContext) -> None:
    for team_quarter in context.plan.sorted_team_quarters():
        for sprint in team_quarter.planned_sprints(context.today):
            if not sprint.value.krs and not (sprint.value.not_okr_reason or "").strip():
                context.emit(
                    sprint,
                    f"sprint {sprint.value.id} drives no key result and has no not_okr_reason: link a key result or "
                    "say why not",
                    "krs",
                )


@declare(
    "A204",
    "goal-is-an-activity",
    "warning",
    'a sprint goal starts with an activity verb, optionally after "we" / "we will" / "we\'ll"',
    """A goal like "Build the A/B test" is output; "Three onboarding variants are live in an A/B test" says
    what will be true and can be inspected in the review. Say what will be true, not what you will do.""",
    settings=("activity_verbs",),
    time_dependent=True,
)
def goal_is_an_activity(context: RuleContext) -> None:
    verbs = context.settings.activity_verbs
    for team_quarter in context.plan.sorted_team_quarters():
        for sprint in team_quarter.planned_sprints(context.today):
            verb = activity_verb(sprint.value.goal, verbs, after_we=True)
            if verb:
                context.emit(
                    sprint,
                    f"goal of sprint {sprint.value.id} starts with '{verb}': say what will be true at the end of the "
                    "sprint, "
                    f"not what you will do",
                    "goal",
                )


@declare(
    "A205",
    "sprint-length",
    "warning",
    "a sprint lasts fewer or more days than `sprint_days` (5..28), counting both ends",
    """Scrum time-boxes sprints to at most one month; shorter than a week leaves no room for a goal.
    A consistent length keeps velocity and capacity comparable between sprints.""",
    settings=("sprint_days",),
)
def sprint_length(context: RuleContext) -> None:
    shortest, longest = context.settings.sprint_days
    for team_quarter in context.plan.sorted_team_quarters():
        for sprint in team_quarter.sprints:
            value = sprint.value
            if value.end < value.start:
                continue  # S005 says so
            days = (value.end - value.start).days + 1
            if not shortest <= days <= longest:
                context.emit(
                    sprint,
                    f"sprint {value.id} lasts {days} days ({value.start}..{value.end}); sprints last {shortest} to "
                    f"{longest} days (sprint_days)",
                )
