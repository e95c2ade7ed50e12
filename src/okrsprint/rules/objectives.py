"""A101–A105: focused, measurable objectives and key results."""

from __future__ import annotations

from okrsprint.metrics import activity_verb
from okrsprint.model import KeyResult
from okrsprint.numbers import format_number
from okrsprint.plan import Placed
from okrsprint.rules.context import RuleContext
from okrsprint.rules.registry import declare


@declare(
    "A101",
    "too-many-objectives",
    "error",
    "a team-quarter has more than `max_objectives` (3) objectives",
    """OKRs are a focusing tool: a team that pursues five objectives pursues none of them.
    Three objectives a quarter is the usual ceiling for one Scrum team.""",
    settings=("max_objectives",),
)
def too_many_objectives(context: RuleContext) -> None:
    advice = ": keep the ones that matter most, move the rest to the backlog of ideas"
    _over_the_cap(context, "objectives", "max_objectives", advice)


@declare(
    "A102",
    "too-many-key-results",
    "warning",
    "a team-quarter has more than `max_key_results` (8) key results",
    """Every key result is a metric the team must move and check every two weeks. A Scrum team with
    five objectives and four key results each has twenty metrics to move at once and moves none.""",
    settings=("max_key_results",),
)
def too_many_key_results(context: RuleContext) -> None:
    _over_the_cap(context, "key_results", "max_key_results", "")


def _over_the_cap(context: RuleContext, entities: str, setting: str, advice: str) -> None:
    """A finding at the first entry beyond the cap: where the fix (dropping it, or one before it) goes."""
    limit = getattr(context.settings, setting)
    for team_quarter in context.plan.sorted_team_quarters():
        placed = getattr(team_quarter, entities)
        if len(placed) > limit:
            noun = entities.replace("_", " ")
            context.emit(
                placed[limit],
                f"{team_quarter.team} has {len(placed)} {noun} in {team_quarter.quarter}; at most {limit} "
                f"({setting}){advice}",
            )


@declare(
    "A103",
    "objective-without-key-results",
    "error",
    "an objective has no key result",
    """Without key results an objective is a wish: nobody can tell at the end of the quarter
    whether it was reached. No sprint can be linked to it either.""",
)
def objective_without_key_results(context: RuleContext) -> None:
    for team_quarter in context.plan.sorted_team_quarters():
        for objective in team_quarter.objectives:
            if not objective.value.key_results:
                context.emit(
                    objective,
                    f"objective {objective.value.id} has no key results: add two to five measurable outcomes",
                    "key_results",
                )


@declare(
    "A104",
    "key-result-not-measurable",
    "error",
    "a key result has neither a numeric `baseline` and `target` that differ, nor exactly one threshold "
    "(`keep_above`/`keep_below`) without them",
    """A key result is measurable by definition: a metric moving from where it is to where it should be, or a level
    to hold. Without those numbers, progress cannot be computed and the sprint review cannot show any outcome.""",
)
def key_result_not_measurable(context: RuleContext) -> None:
    for team_quarter in context.plan.sorted_team_quarters():
        for key_result in team_quarter.key_results:
            value = key_result.value
            if value.keep_above is not None or value.keep_below is not None:
                _threshold_not_measurable(context, key_result)
                continue
            missing = [name for name in ("baseline", "target") if getattr(value, name) is None]
            if missing:
                context.emit(
                    key_result,
                    f"key result {value.id} has no numeric {' or '.join(missing)}: say where the metric starts and "
                    "where it should end (or hold a level with keep_above/keep_below)",
                    missing[0],
                )
            elif value.baseline == value.target:
                context.emit(
                    key_result,
                    f"key result {value.id} has target equal to baseline ({format_number(value.target)}): nothing to "
                    "move",
                    "target",
                )


def _threshold_not_measurable(context: RuleContext, key_result: Placed[KeyResult]) -> None:
    value = key_result.value
    if value.keep_above is not None and value.keep_below is not None:
        context.emit(
            key_result,
            f"key result {value.id} has both keep_above and keep_below: hold one level (or make it two key results)",
            "keep_below",
        )
        return
    mixed = [name for name in ("baseline", "target") if getattr(value, name) is not None]
    if mixed:
        kind = "keep_above" if value.keep_above is not None else "keep_below"
        context.emit(
            key_result,
            f"key result {value.id} has {kind} and {' and '.join(mixed)}: a threshold holds a level, "
            "so leave out baseline and target (or drop the threshold)",
            mixed[0],
        )


@declare(
    "A105",
    "key-result-is-a-task",
    "warning",
    "a key result's title starts with an activity verb: it names output, not an outcome",
    """"Launch the new onboarding" is a task: it can be done without changing anything for users.
    A key result names the change in a metric ("Onboarding conversion from 12% to 20%") that the work should cause.""",
    settings=("activity_verbs",),
)
def key_result_is_a_task(context: RuleContext) -> None:
    verbs = context.settings.activity_verbs
    for team_quarter in context.plan.sorted_team_quarters():
        for key_result in team_quarter.key_results:
            verb = activity_verb(key_result.value.title, verbs)
            if verb:
                context.emit(
                    key_result,
                    f"key result {key_result.value.id} starts with '{verb}': it names a task (output); "
                    f"name the metric it should move (outcome) and put the task in the backlog",
                    "title",
                )
