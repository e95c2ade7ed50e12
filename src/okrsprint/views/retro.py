"""The ``okrsprint retro`` view: the quarter's OKR retro and sprint retro in one, as plain data built from the plan.

Everything is read as of min(today, the quarter's last day); before that day the view is "so far" (``final``
false). Scores, grades and check-in gaps come from ``okrsprint.metrics``; a sprint's outcome is A404's reading
(``metrics.outcome_moves``); moved goalposts are D101 run over the git history since the quarter began.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

from okrsprint.diff.compare import compare
from okrsprint.diff.git import Git
from okrsprint.engine import judge_changes, open_plan
from okrsprint.errors import UsageError
from okrsprint.metrics import (
    checkins_within,
    committed_items,
    estimate_of,
    grade,
    items_of_sprints,
    key_result_score,
    longest_checkin_gap,
    mean_score,
    moved_toward_target,
    okr_estimate,
    outcome_moves,
    threshold,
    value_on,
    without_outcome,
)
from okrsprint.model import KeyResult, Sprint
from okrsprint.numbers import exact, format_number
from okrsprint.plan import (
    Placed,
    Plan,
    TeamQuarter,
    by_start,
    choose_quarter,
    last_sprint,
    reference,
    select_team_quarters,
    sprint_state,
)
from okrsprint.quarters import Quarter

MET, MISSED, ON_TARGET, BELOW_TARGET = "met", "missed", "on target", "below target"
OBSERVATION_KINDS = (
    "committed-missed",
    "never-moved",
    "not-driven",
    "checkin-gap",
    "over-capacity",
    "output-without-outcome",
    "goalposts-moved",
)
D101_SUBJECT = re.compile(r"^key result (\S+):")


@dataclass
class KeyResultScore:
    id: str
    title: str
    unit: str | None
    baseline: float | None
    target: float | None
    keep_above: float | None
    keep_below: float | None
    value: float | None
    """The value as of the retro's day (the latest check-in on or before it, else ``current``/``baseline``)."""
    score: Fraction | None
    checkins: int
    checkin_dates: list[date]
    longest_gap_days: int
    longest_gap: tuple[date, date]


@dataclass
class ObjectiveScore:
    id: str
    title: str
    type: str
    owner: str | None
    score: Fraction | None
    grade: str
    verdict: str
    key_results: list[KeyResultScore]


@dataclass
class Rhythm:
    linked_sprints: int
    sprints: int
    okr_share_committed: Fraction | None
    okr_share_delivered: Fraction | None
    first_sprint_lighter: bool | None
    """None when fewer than two planned sprints have a capacity (A304's reading)."""
    reserve_kept: bool | None
    """None when the quarter has no last sprint with a capacity that was planned (A303's reading)."""
    checkin_interval_days: int


@dataclass
class SprintRetro:
    id: str
    start: date
    end: date
    state: str
    goal: str | None
    krs: list[str]
    capacity: float | None
    committed_items: int
    done_items: int
    committed_points: Fraction
    done_points: Fraction
    moved: list[str]
    not_moved: list[str]
    output_without_outcome: bool


@dataclass
class Observation:
    kind: str
    text: str
    refs: list[str]


@dataclass
class TeamRetro:
    team: str
    quarter: str
    objectives: list[ObjectiveScore]
    rhythm: Rhythm
    sprints: list[SprintRetro]
    observations: list[Observation]


@dataclass
class ScoreRow:
    """One line of the summary table: a team and its objectives' scores."""

    team: str
    company: bool
    objectives: list[tuple[str, Fraction | None, str]]


@dataclass
class Retro:
    kind = "retro"
    quarter: str
    start: date
    end: date
    today: date
    as_of: date
    final: bool
    grade_bands: tuple[float, float]
    teams: list[TeamRetro]
    summary: list[ScoreRow] = field(default_factory=list)

    @property
    def so_far(self) -> str:
        """`` so far`` while the quarter runs: every figure may still change."""
        return "" if self.final else " so far"


def build_retro(plan: Plan, today: date, team: str | None, quarter: str | None) -> Retro:
    """The retro of ``quarter`` (default: as ``report`` chooses) for ``team``, or every team (company first)."""
    quarter = choose_quarter(plan, team, quarter, today)
    team_quarters = select_team_quarters(plan, team, quarter)
    span = Quarter.parse(quarter, plan.config.year_start_month)
    if today < span.start:
        raise UsageError(f"{quarter} starts on {span.start}: nothing to look back on before then")
    as_of = min(today, span.end)
    company = plan.config.company_team
    team_quarters.sort(key=lambda tq: (tq.team != company, tq.team))
    moved_goalposts = goalposts_moved(plan, span, today)
    drivers = _drivers(plan, quarter, today)
    teams = [team_retro(plan, tq, as_of, today, moved_goalposts.get(tq.team, []), drivers) for tq in team_quarters]
    summary = [ScoreRow(t.team, t.team == company, [(o.id, o.score, o.grade) for o in t.objectives]) for t in teams]
    bands = plan.config.settings.grade_bands
    return Retro(quarter, span.start, span.end, today, as_of, as_of == span.end, bands, teams, summary)


Drivers = dict[tuple[str, str], list[tuple[str, date]]]
"""Per key result of the quarter (its team, its id): the planned sprints that drive it, named as its team reads
them (``S3``, or ``team:S3`` for another team's), with their starts."""


def team_retro(
    plan: Plan, tq: TeamQuarter, as_of: date, today: date, goalposts: list[Observation], drivers: Drivers
) -> TeamRetro:
    settings = plan.config.settings
    objectives = []
    for placed in tq.objectives:
        objective = placed.value
        scores = [score_key_result(kr, tq.quarter, as_of) for kr in objective.key_results]
        score = mean_score([kr.score for kr in scores])
        objectives.append(
            ObjectiveScore(
                objective.id,
                objective.title,
                objective.type,
                objective.owner,
                score,
                grade(score, settings.grade_bands),
                verdict(objective.type, score, settings.grade_bands),
                scores,
            )
        )
    sprints = [sprint_retro(plan, tq, placed, today) for placed in by_start(tq.sprints)]
    retro = TeamRetro(tq.team, str(tq.quarter), objectives, rhythm(plan, tq, today), sprints, [])
    retro.observations = observations(plan, tq, retro, as_of, drivers) + goalposts
    return retro


def score_key_result(key_result: KeyResult, quarter: Quarter, as_of: date) -> KeyResultScore:
    gap, first, last = longest_checkin_gap(key_result, quarter, as_of)
    dates = [checkin.date for checkin in checkins_within(key_result, quarter.start, as_of)]
    return KeyResultScore(
        key_result.id,
        key_result.title,
        key_result.unit,
        key_result.baseline,
        key_result.target,
        key_result.keep_above,
        key_result.keep_below,
        value_on(key_result, as_of),
        key_result_score(key_result, quarter, as_of),
        len(dates),
        dates,
        gap,
        (first, last),
    )


def verdict(kind: str, score: Fraction | None, bands: tuple[float, float]) -> str:
    """committed: met only at 1.0; aspirational: on target from the upper grade band."""
    if kind == "committed":
        return MET if score == 1 else MISSED
    return ON_TARGET if score is not None and score >= exact(bands[1]) else BELOW_TARGET


def rhythm(plan: Plan, tq: TeamQuarter, today: date) -> Rhythm:
    settings = plan.config.settings
    planned = tq.planned_sprints(today)
    committed = items_of_sprints(tq, planned)
    delivered = [item for item in committed if item.value.status == "done"]
    return Rhythm(
        linked_sprints=sum(1 for sprint in planned if sprint.value.krs),
        sprints=len(tq.sprints),
        okr_share_committed=_share(okr_estimate(committed), estimate_of(committed)),
        okr_share_delivered=_share(okr_estimate(delivered), estimate_of(delivered)),
        first_sprint_lighter=_first_sprint_lighter(tq, today),
        reserve_kept=_reserve_kept(plan, tq, today),
        checkin_interval_days=settings.checkin_interval_days,
    )


def _share(part: Fraction, whole: Fraction) -> Fraction | None:
    return part / whole if whole else None


def _load(tq: TeamQuarter, sprint: Sprint) -> Fraction:
    return estimate_of(committed_items(tq, sprint)) / exact(sprint.capacity or 0)  # callers keep capacity > 0


def _first_sprint_lighter(tq: TeamQuarter, today: date) -> bool | None:
    """A304's reading: the first planned sprint's committed/capacity below the mean of the others'."""
    sprints = by_start([s for s in tq.planned_sprints(today) if s.value.capacity])
    if len(sprints) < 2:
        return None
    loads = [_load(tq, sprint.value) for sprint in sprints]
    return loads[0] < sum(loads[1:], Fraction(0)) / len(loads[1:])


def _reserve_kept(plan: Plan, tq: TeamQuarter, today: date) -> bool | None:
    """A303's reading: the last sprint commits at most (1 − planning_reserve) × its capacity."""
    settings = plan.config.settings
    last = last_sprint(tq, settings.sprint_days[1])
    if last is None or sprint_state(last.value, today) == "open" or not last.value.capacity:
        return None
    return _load(tq, last.value) <= 1 - exact(settings.planning_reserve)


def sprint_retro(plan: Plan, tq: TeamQuarter, placed: Placed[Sprint], today: date) -> SprintRetro:
    sprint = placed.value
    items = committed_items(tq, sprint)
    done = [item for item in items if item.value.status == "done"]
    lag = plan.config.settings.outcome_lag_days
    moves = outcome_moves(plan, tq, sprint, lag, today) if sprint.start <= today else []
    settled = bool(items) and len(done) == len(items) and (today - sprint.end).days >= lag
    return SprintRetro(
        id=sprint.id,
        start=sprint.start,
        end=sprint.end,
        state=sprint_state(sprint, today),
        goal=sprint.goal,
        krs=list(sprint.krs),
        capacity=sprint.capacity,
        committed_items=len(items),
        done_items=len(done),
        committed_points=estimate_of(items),
        done_points=estimate_of(done),
        moved=[reference(kr, tq) for kr, moved in moves if moved],
        not_moved=[reference(kr, tq) for kr, moved in moves if moved is False],
        output_without_outcome=settled and without_outcome([moved for _, moved in moves]),
    )


# -- observations for the retrospective: each drawn from the data, with its evidence ------------------------------


def observations(plan: Plan, tq: TeamQuarter, retro: TeamRetro, as_of: date, drivers: Drivers) -> list[Observation]:
    found: list[Observation] = []
    so_far = "" if as_of == tq.quarter.end else " so far"
    for objective in retro.objectives:
        if objective.type == "committed" and objective.verdict == MISSED:
            score = "–" if objective.score is None else f"{float(objective.score):.2f}"
            refs = [objective.id, *(kr.id for kr in objective.key_results if kr.score != 1)]
            text = f"committed objective {objective.id} scored {score}{so_far}: missed (met only at 1.0)"
            found.append(Observation("committed-missed", text, refs))
    for placed in tq.key_results:
        key_result, planned = placed.value, drivers.get((tq.team, placed.value.id), [])
        started = [name for name, start in planned if start <= as_of]
        if started and _never_moved(key_result, tq.quarter, as_of):
            text = f"{key_result.id} never moved toward its target{so_far}, though {', '.join(started)} drove it"
            found.append(Observation("never-moved", text, [key_result.id, *started]))
        if not planned and tq.team != plan.config.company_team:
            found.append(Observation("not-driven", f"no sprint drove {key_result.id}{so_far}", [key_result.id]))
    interval = plan.config.settings.checkin_interval_days
    for objective in retro.objectives:
        for kr in objective.key_results:
            if kr.longest_gap_days > interval:
                first, last = kr.longest_gap
                text = (
                    f"{kr.id} went {kr.longest_gap_days} days without a check-in ({first} to {last}); "
                    f"the interval is {interval} days"
                )
                found.append(Observation("checkin-gap", text, [kr.id]))
    for sprint in retro.sprints:
        if sprint.capacity is not None and sprint.committed_points > exact(sprint.capacity):
            text = (
                f"sprint {sprint.id} committed {format_number(sprint.committed_points)} points "
                f"of capacity {format_number(sprint.capacity)}"
            )
            found.append(Observation("over-capacity", text, [sprint.id]))
        if sprint.output_without_outcome:
            text = (
                f"sprint {sprint.id} delivered all {sprint.committed_items} items but none of "
                f"{', '.join(sprint.krs)} moved toward its target"
            )
            found.append(Observation("output-without-outcome", text, [sprint.id, *sprint.not_moved]))
    return found


def _drivers(plan: Plan, quarter: str, today: date) -> Drivers:
    """Every team's planned sprints of ``quarter`` by the key results they drive, by start within each team: one
    pass over the quarter, however many teams' retros read it."""
    drivers: Drivers = {}
    for other in plan.sorted_team_quarters():
        if str(other.quarter) != quarter:
            continue
        for placed in by_start(other.planned_sprints(today)):
            for kr_ref in dict.fromkeys(placed.value.krs):
                key_result = plan.resolve_key_result(kr_ref, other)
                if key_result is None:
                    continue
                owner = key_result.document.team
                name = placed.value.id if other.team == owner else f"{other.team}:{placed.value.id}"
                drivers.setdefault((owner, key_result.value.id), []).append((name, placed.value.start))
    return drivers


def _never_moved(key_result: KeyResult, quarter: Quarter, as_of: date) -> bool:
    """No check-in of the quarter up to ``as_of`` got closer to the target (or held the threshold) than the value
    the quarter started from; without a check-in nothing was seen to move."""
    start = key_result.baseline
    if threshold(key_result) is not None or start is None:
        start = value_on(key_result, quarter.start - timedelta(days=1))
    return not any(
        moved_toward_target(key_result, start, checkin.value)
        for checkin in checkins_within(key_result, quarter.start, as_of)
    )


# -- goalposts: D101 over the git history since the quarter began ----------------------------------------------


def goalposts_moved(plan: Plan, quarter: Quarter, today: date) -> dict[str, list[Observation]]:
    """Per team, D101's findings between the last commit before the quarter's first day and the working tree.

    Silently empty when the root is in no git repository (or git is missing, or has no commit yet).
    """
    if shutil.which("git") is None:
        return {}
    try:
        git = Git(plan.root)
        head = git.commit_of("HEAD")
        base = git.commit_before(quarter.start, head) if head else None
        if head is None or base is None:
            return {}
        with tempfile.TemporaryDirectory(prefix="okrsprint-retro-") as scratch:
            before = open_plan(git.checkout(base, git.folder, Path(scratch)))
            changes = compare(before, plan, today)
            findings = judge_changes(plan, changes, today, git.messages(base, head), f"{base[:12]}..working tree")
    except UsageError:
        return {}
    found: dict[str, list[Observation]] = {}
    for finding in findings:
        if finding.code != "D101" or finding.quarter != str(quarter) or finding.team is None:
            continue
        subject = D101_SUBJECT.match(finding.message)
        refs = [subject.group(1)] if subject else []
        found.setdefault(finding.team, []).append(Observation("goalposts-moved", finding.message, refs))
    return found
