"""A401–A404: key results that are worked on, checked in, on track, and actually moved."""

from __future__ import annotations

from datetime import date, timedelta

from okrsprint.metrics import (
    BEHIND,
    BREACHED,
    committed_items,
    current_value,
    elapsed,
    future_checkins,
    key_result_status,
    latest_checkin,
    linked_key_results,
    outcome_moves,
    progress_on,
    threshold,
    without_outcome,
)
from okrsprint.model import Item, KeyResult, Sprint
from okrsprint.numbers import format_number
from okrsprint.plan import Placed
from okrsprint.rules.context import RuleContext
from okrsprint.rules.registry import declare


@declare(
    "A401",
    "orphan-key-result",
    "warning",
    "no backlog item and no sprint, of any team, references a key result (key results of `company_team` are exempt)",
    """A key result no backlog item or sprint works towards will only move by luck. Either the work is missing
    from the backlog, or the key result is not really a priority and should go.""",
)
def orphan_key_result(context: RuleContext) -> None:
    plan = context.plan
    referenced: set[int] = set()
    for team_quarter in plan.sorted_team_quarters():
        holders: list[Placed[Item] | Placed[Sprint]] = [*team_quarter.items, *team_quarter.sprints]
        for holder in holders:
            for key_result in linked_key_results(plan, team_quarter, holder.value.krs):
                referenced.add(id(key_result))
    for team_quarter in plan.sorted_team_quarters():
        if team_quarter.team == plan.config.company_team:
            continue
        for key_result in team_quarter.key_results:
            if id(key_result) not in referenced:
                context.emit(
                    key_result,
                    f"no backlog item or sprint drives key result {key_result.value.id}: tag the items that move it "
                    "with "
                    f"krs: [{key_result.value.id}]",
                )


@declare(
    "A402",
    "stale-checkin",
    "warning",
    "today lies within the quarter and more than `checkin_interval_days` (14) days have passed since the key result's "
    "latest check-in (or since the quarter's start when it has none)",
    """OKRs work when progress is looked at regularly: a key result nobody measured for weeks cannot steer
    the next sprint. A check-in at least every two weeks, at the sprint review, keeps it alive.""",
    settings=("checkin_interval_days",),
    time_dependent=True,
)
def stale_checkin(context: RuleContext) -> None:
    today, interval = context.today, context.settings.checkin_interval_days
    for team_quarter in context.plan.sorted_team_quarters():
        quarter = team_quarter.quarter
        if not quarter.start <= today <= quarter.end:
            continue
        for key_result in team_quarter.key_results:
            latest = latest_checkin(key_result.value, today)
            since = latest.date if latest else quarter.start
            days = (today - since).days
            if days > interval:
                what = f"last check-in {since}" if latest else f"no check-in since the quarter began ({since})"
                command = (
                    f"okrsprint checkin {team_quarter.team}:{key_result.value.id} --value … --quarter {quarter} "
                    f"{context.shown_root}"
                )
                context.emit(
                    key_result,
                    f"key result {key_result.value.id}: {what}, {days} days ago; "
                    f"check in at least every {interval} days ({command})",
                    *(("checkins",) if latest else ()),
                )


@declare(
    "A403",
    "key-result-behind",
    "info",
    "today lies within the quarter and progress < elapsed − `behind_tolerance`, where elapsed = "
    "(today − quarter start + 1) / (days in quarter); a threshold key result: it is breached",
    """A key result that trails the calendar by a wide margin needs a conversation now, not at the end of the
    quarter. The choices are more focus, a different approach, or an honest change of expectation.""",
    settings=("behind_tolerance",),
    time_dependent=True,
)
def key_result_behind(context: RuleContext) -> None:
    today = context.today
    tolerance = context.settings.behind_tolerance
    for team_quarter in context.plan.sorted_team_quarters():
        quarter = team_quarter.quarter
        if not quarter.start <= today <= quarter.end:
            continue
        gone = elapsed(quarter, today)
        for key_result in team_quarter.key_results:
            done = progress_on(key_result.value, today)
            status = key_result_status(key_result.value, done, gone, tolerance)
            if status == BREACHED:
                context.emit(key_result, _breached(key_result.value, today))
            elif status == BEHIND and done is not None:
                context.emit(
                    key_result,
                    f"key result {key_result.value.id} is at {float(done):.0%} progress with {float(gone):.0%} of "
                    f"{quarter} gone (behind_tolerance {format_number(tolerance)})",
                )


def _breached(key_result: KeyResult, today: date) -> str:
    level = threshold(key_result)
    assert level is not None  # a breached status comes from a threshold
    words = "at least" if level[0] == "above" else "at most"
    value = format_number(current_value(key_result, today))
    return f"key result {key_result.id} is breached: {value} where it should stay {words} {format_number(level[1])}"


@declare(
    "A404",
    "output-without-outcome",
    "warning",
    "a sprint linked to key results has all its committed items `done`, today ≥ its end + `outcome_lag_days`, and none "
    "of its linked key results moved toward its target between the day before its start and its end + "
    "`outcome_lag_days`",
    """Delivering every item of a sprint is output; the key result moving is outcome. When everything shipped and no
    metric moved, the team learned something about its assumptions, and the next sprint should use it.""",
    settings=("outcome_lag_days",),
    time_dependent=True,
)
def output_without_outcome(context: RuleContext) -> None:
    lag = timedelta(days=context.settings.outcome_lag_days)
    for team_quarter in context.plan.sorted_team_quarters():
        for placed in team_quarter.sprints:
            sprint = placed.value
            items = committed_items(team_quarter, sprint)
            if not sprint.krs or not items or any(item.value.status != "done" for item in items):
                continue
            if context.today < sprint.end + lag:
                continue
            moves = outcome_moves(context.plan, team_quarter, sprint, context.settings.outcome_lag_days, context.today)
            if without_outcome([moved for _, moved in moves]):
                context.emit(
                    placed,
                    f"sprint {sprint.id} delivered all {len(items)} items but none of {', '.join(sprint.krs)} moved "
                    "toward "
                    f"its target by {sprint.end + lag}: review what the increment taught you",
                )


@declare(
    "A405",
    "future-checkin",
    "warning",
    "a check-in is dated after today: it is not a measurement yet and is left out of every computation",
    """A check-in records what was measured on its day. One dated in the future is a forecast or a typo in the
    date; counted as a measurement it would make a key result look further along than it is.""",
    time_dependent=True,
)
def future_checkin(context: RuleContext) -> None:
    for team_quarter in context.plan.sorted_team_quarters():
        for key_result in team_quarter.key_results:
            for index in future_checkins(key_result.value, context.today):
                checkin = key_result.value.checkins[index]
                context.emit(
                    key_result,
                    f"check-in of {key_result.value.id} dated {checkin.date} is after today ({context.today}): "
                    f"not a measurement yet, left out of every computation; fix its date",
                    "checkins",
                    index,
                    "date",
                )
