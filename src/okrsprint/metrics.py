"""Numbers the rules and the reports share: current values, progress, elapsed time, committed estimates.

Ratios that rules compare against configured bounds are exact fractions of the
decimals the user wrote, so 0.60 and 0.70 sit inside a 0.60..0.70 band.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from fractions import Fraction

from okrsprint.model import Checkin, Item, KeyResult, Sprint
from okrsprint.numbers import exact, format_number
from okrsprint.plan import Placed, Plan, TeamQuarter
from okrsprint.quarters import Quarter

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def sorted_checkins(key_result: KeyResult) -> list[Checkin]:
    """Check-ins by date; on a tie the later one in the file comes last (and so counts as the latest)."""
    return [checkin for _, checkin in sorted(enumerate(key_result.checkins), key=lambda pair: (pair[1].date, pair[0]))]


def measurements(key_result: KeyResult, today: date) -> list[Checkin]:
    """The check-ins dated on or before today, by date: one dated later is not a measurement yet (A405)."""
    return [checkin for checkin in sorted_checkins(key_result) if checkin.date <= today]


def future_checkins(key_result: KeyResult, today: date) -> list[int]:
    """Indexes (in the file) of the check-ins dated after today."""
    return [index for index, checkin in enumerate(key_result.checkins) if checkin.date > today]


def latest_checkin(key_result: KeyResult, today: date) -> Checkin | None:
    """The latest measurement by date; on a tie the later one in the file."""
    known = measurements(key_result, today)
    return known[-1] if known else None


def value_on(key_result: KeyResult, day: date) -> float | None:
    """The value known on ``day``: the latest check-in on or before it, else ``current``, else ``baseline``."""
    latest = latest_checkin(key_result, day)
    if latest is not None:
        return latest.value
    return key_result.current if key_result.current is not None else key_result.baseline


def current_value(key_result: KeyResult, today: date) -> float | None:
    """SPEC §1's current value: the latest check-in dated on or before today, else ``current``, else ``baseline``."""
    return value_on(key_result, today)


def threshold(key_result: KeyResult) -> tuple[str, float] | None:
    """``("above", X)`` for ``keep_above: X``, ``("below", X)`` for ``keep_below: X``; None for a baseline→target one.

    With both set (an A104 finding), ``keep_above`` is read: a reading is needed for the reports regardless.
    """
    if key_result.keep_above is not None:
        return "above", key_result.keep_above
    if key_result.keep_below is not None:
        return "below", key_result.keep_below
    return None


def holds(key_result: KeyResult, value: float | None) -> bool | None:
    """Whether ``value`` meets the key result's threshold; None without a threshold or a value."""
    level = threshold(key_result)
    if level is None or value is None:
        return None
    return value >= level[1] if level[0] == "above" else value <= level[1]


def threshold_text(key_result: KeyResult) -> str | None:
    """``keep above 99.9`` (with the unit, when there is one); None for a baseline→target key result."""
    level = threshold(key_result)
    if level is None:
        return None
    unit = f" {key_result.unit}" if key_result.unit else ""
    return f"keep {level[0]} {format_number(level[1])}{unit}"


def is_measurable(key_result: KeyResult) -> bool:
    """A104's test: baseline and target that differ, or exactly one threshold and neither of them."""
    if key_result.keep_above is not None or key_result.keep_below is not None:
        return (
            (key_result.keep_above is None) != (key_result.keep_below is None)
            and key_result.baseline is None
            and key_result.target is None
        )
    return (
        key_result.baseline is not None and key_result.target is not None and key_result.baseline != key_result.target
    )


def sign(value: Fraction) -> int:
    return (value > 0) - (value < 0)


def goal_numbers(key_result: KeyResult) -> tuple[Fraction, Fraction] | None:
    """Baseline and target as exact numbers, when both are there."""
    if key_result.baseline is None or key_result.target is None:
        return None
    return exact(key_result.baseline), exact(key_result.target)


def progress(key_result: KeyResult, value: float | None) -> Fraction | None:
    """(value − baseline) / (target − baseline), unclipped; a threshold: 1 while held, 0 when breached."""
    held = holds(key_result, value)
    if held is not None:
        return Fraction(int(held))
    numbers = goal_numbers(key_result)
    if numbers is None or numbers[0] == numbers[1] or value is None:
        return None
    baseline, target = numbers
    return (exact(value) - baseline) / (target - baseline)


def progress_on(key_result: KeyResult, today: date) -> Fraction | None:
    """Progress of the current value as of today."""
    return progress(key_result, current_value(key_result, today))


def elapsed(quarter: Quarter, today: date) -> Fraction:
    """Share of the quarter gone by, counting today: (today − start + 1) / days, clipped to 0..1."""
    days = (today - quarter.start).days + 1
    return min(max(Fraction(days, quarter.days), Fraction(0)), Fraction(1))


def committed_items(team_quarter: TeamQuarter, sprint: Sprint) -> list[Placed[Item]]:
    """The backlog items a sprint commits, resolved and each once (unknown ids are S004's business)."""
    index = team_quarter.items_by_id
    return [index[item_id] for item_id in dict.fromkeys(sprint.items) if item_id in index]


def items_of_sprints(team_quarter: TeamQuarter, sprints: list[Placed[Sprint]]) -> list[Placed[Item]]:
    """The items committed to any of ``sprints``, each once: a carried-over item counts once in quarter totals."""
    index = team_quarter.items_by_id
    ids = dict.fromkeys(item_id for sprint in sprints for item_id in sprint.value.items)
    return [index[item_id] for item_id in ids if item_id in index]


def open_capacity(sprints: list[Placed[Sprint]]) -> Fraction | None:
    """What the open sprints can still take: the sum of their capacities; None (unbounded) if one has none."""
    capacities = [sprint.value.capacity for sprint in sprints]
    if any(capacity is None for capacity in capacities):
        return None
    return sum((exact(capacity) for capacity in capacities if capacity is not None), Fraction(0))


def estimate_of(items: list[Placed[Item]]) -> Fraction:
    """Total estimate, exact; whole-number estimates (the usual story points) are summed as integers."""
    estimates = [item.value.estimate for item in items if item.value.estimate]
    if all(estimate.is_integer() for estimate in estimates):
        return Fraction(int(sum(estimates)))
    return sum(map(exact, estimates), Fraction(0))


def okr_estimate(items: list[Placed[Item]]) -> Fraction:
    """The estimate of the items that drive key results (non-empty ``krs``): the OKR side of A301's split."""
    return estimate_of([item for item in items if item.value.krs])


def activity_verb(text: str | None, verbs: tuple[str, ...], *, after_we: bool = False) -> str | None:
    """The activity verb ``text`` starts with, if any; with ``after_we``, also after "we", "we will", "we'll"."""
    if not text:
        return None
    words = _WORD.findall(text.lower())
    if after_we:
        if words[:2] == ["we", "will"]:
            words = words[2:]
        elif words[:1] in (["we'll"], ["we"]):
            words = words[1:]
    for verb in verbs:
        parts = verb.split()
        if words[: len(parts)] == parts:
            return verb
    return None


def linked_key_results(plan: Plan, team_quarter: TeamQuarter, references: list[str]) -> list[Placed[KeyResult]]:
    found = (plan.resolve_key_result(reference, team_quarter) for reference in references)
    return [key_result for key_result in found if key_result is not None]


def moved_toward_target(key_result: KeyResult, before: float | None, after: float | None) -> bool | None:
    """Whether the value moved toward the target; None when it cannot be told (no numbers).

    A threshold moved when it is held at the end, or moved in its good direction (up for keep_above).
    """
    level = threshold(key_result)
    if level is not None:
        if before is None or after is None:
            return None
        return bool(holds(key_result, after)) or (after > before if level[0] == "above" else after < before)
    if before is None or after is None or key_result.target is None or key_result.baseline is None:
        return None
    if key_result.target == key_result.baseline:
        return None
    return after > before if key_result.target > key_result.baseline else after < before


def is_behind(progress: Fraction | None, gone: Fraction, tolerance: float) -> bool:
    """Progress trails the calendar by more than the tolerance (A403, and the reports' "behind")."""
    return progress is not None and progress < gone - exact(tolerance)


DONE, ON_TRACK, BEHIND, NOT_MEASURABLE = "done", "on track", "behind", "not measurable"
HELD, BREACHED = "held", "breached"
NEEDS_ATTENTION = (BEHIND, BREACHED)
"""The statuses A403 reports."""


def key_result_status(key_result: KeyResult, value: Fraction | None, gone: Fraction, tolerance: float) -> str:
    """done at progress ≥ 1; behind when progress trails the calendar by more than the tolerance;
    a threshold is held or breached. One reading for A403 and every report."""
    if threshold(key_result) is not None and value is not None:
        return HELD if value >= 1 else BREACHED
    if value is None:
        return NOT_MEASURABLE
    if value >= 1:
        return DONE
    return BEHIND if is_behind(value, gone, tolerance) else ON_TRACK


# -- alignment tree and report labels (issue 16) -----------------------------------------------------


def objective_progress(key_results: list[KeyResult], today: date) -> Fraction | None:
    """An objective's progress (SPEC `report`): the mean of its key results' clipped progress; key results that
    are not measurable (A104) are left out; None when none is measurable."""
    shown = [clipped(progress_on(key_result, today)) for key_result in key_results]
    known = [value for value in shown if value is not None]
    return sum(known, Fraction(0)) / len(known) if known else None


def better_direction(key_result: KeyResult) -> str | None:
    """``"lower"`` for a falling metric (target below baseline, or keep_below), ``"higher"`` for a rising one."""
    level = threshold(key_result)
    if level is not None:
        return "higher" if level[0] == "above" else "lower"
    numbers = goal_numbers(key_result)
    if numbers is None or numbers[0] == numbers[1]:
        return None
    return "higher" if numbers[1] > numbers[0] else "lower"


# -- closing a quarter: scores, grades and the check-in rhythm (retro, next) --------------------------------------

RED, YELLOW, GREEN = "red", "yellow", "green"


def checkins_within(key_result: KeyResult, first: date, last: date) -> list[Checkin]:
    """The check-ins dated from ``first`` to ``last`` (both included), by date."""
    return [checkin for checkin in sorted_checkins(key_result) if first <= checkin.date <= last]


def key_result_score(key_result: KeyResult, quarter: Quarter, as_of: date) -> Fraction | None:
    """The quarter's score as of ``as_of``: progress clipped to 0..1; a threshold: the share of its check-ins
    dated in the quarter up to ``as_of`` that met it (no such check-in: 1 or 0 from ``current``).
    None when it cannot be measured (A104)."""
    if threshold(key_result) is not None:
        held = [holds(key_result, checkin.value) for checkin in checkins_within(key_result, quarter.start, as_of)]
        if held:
            return Fraction(sum(map(bool, held)), len(held))
        now = holds(key_result, key_result.current)
        return None if now is None else Fraction(int(now))
    return clipped(progress(key_result, value_on(key_result, as_of)))


def clipped(share: Fraction | None) -> Fraction | None:
    return None if share is None else min(max(share, Fraction(0)), Fraction(1))


def mean_score(scores: list[Fraction | None]) -> Fraction | None:
    """An objective's score: the mean of its key results' scores; one that cannot be measured counts 0."""
    if not scores:
        return None
    return sum((score or Fraction(0) for score in scores), Fraction(0)) / len(scores)


def grade(score: Fraction | None, bands: tuple[float, float]) -> str:
    """red below the first band, green from the second, yellow between (SPEC ``grade_bands``)."""
    low, high = (exact(bound) for bound in bands)
    if score is None or score < low:
        return RED
    return GREEN if score >= high else YELLOW


def longest_checkin_gap(key_result: KeyResult, quarter: Quarter, as_of: date) -> tuple[int, date, date]:
    """The longest gap in days, and its ends, among: the quarter's first day to the first check-in, consecutive
    check-ins, the last check-in to ``as_of`` (check-ins dated in the quarter up to ``as_of``)."""
    days = [quarter.start, *(checkin.date for checkin in checkins_within(key_result, quarter.start, as_of)), as_of]
    gaps = [((later - earlier).days, earlier, later) for earlier, later in zip(days, days[1:], strict=False)]
    return max(gaps, key=lambda gap: gap[0])


def outcome_moves(
    plan: Plan, team_quarter: TeamQuarter, sprint: Sprint, lag_days: int, today: date
) -> list[tuple[Placed[KeyResult], bool | None]]:
    """Each linked key result of a sprint and whether it moved toward its target between the day before the
    sprint and its end + ``lag_days`` (or today, while that day has not come): A404's reading."""
    before_day = sprint.start - timedelta(days=1)
    after_day = min(sprint.end + timedelta(days=lag_days), today)
    return [
        (kr, moved_toward_target(kr.value, value_on(kr.value, before_day), value_on(kr.value, after_day)))
        for kr in linked_key_results(plan, team_quarter, sprint.krs)
    ]


def without_outcome(moves: list[bool | None]) -> bool:
    """A404's verdict on a sprint's moves: none moved, and at least one could be told not to have moved."""
    return bool(moves) and not any(moves) and any(move is False for move in moves)
