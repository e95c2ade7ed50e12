"""The ``okrsprint plan`` view: a proposal for one sprint's planning (SPEC §3 "Sprint planning").

The proposal is ``fill``'s greedy walk over the candidates in order (OKR items driving a focus key result,
other OKR items, operational items; each group in ``backlog`` order), repeated until nothing more is taken.

**Keeping the mix reachable.** The mix is the quarter's OKR share: (O + a) / (T + a + p) over the items of
the planned sprints plus this sprint (each item once), where a and p are the estimates of the OKR and
operational items the proposal adds (an item already counted in the quarter, carried over from a done
sprint, adds load to the sprint but nothing to the share). Before the walk, ``reachable`` decides whether
*any* choice of candidates within the budget lands the share in ``okr_capacity``. If none does, the mix is
ignored and the view says so. Otherwise an item that fits the remaining budget is taken only when, after
taking it, some completion from the candidates not taken yet still fits the remaining budget and lands in
the band. ``reachable`` decides this exactly: the subset sums of the OKR candidates and of the operational
candidates (up to the remaining budget, at most ``MAX_SUMS`` each) are paired, and for each operational sum
the band bounds the OKR sum to an interval that a binary search tests.

Why this is enough: once the walk stops, the empty completion is the only one left (any non-empty one
holds an item the next pass would take), so the proposal lies in the band; and every candidate left out
either does not fit or would leave the band: the proposal is maximal.
"""

from __future__ import annotations

import difflib
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from okrsprint.errors import UsageError
from okrsprint.metrics import elapsed, estimate_of, items_of_sprints, linked_key_results, okr_estimate, progress_on
from okrsprint.model import Item, KeyResult, Sprint
from okrsprint.numbers import exact
from okrsprint.plan import (
    DONE,
    Placed,
    Plan,
    TeamQuarter,
    by_start,
    last_sprint,
    reference,
    select_team_quarters,
    sprint_state,
)
from okrsprint.views.backlog import in_backlog_order

MAX_SUMS = (
    50_000  # distinct subset sums kept per group; story points stay far below (budget × the estimates' denominator)
)
DOES_NOT_FIT, BREAKS_MIX, NO_ESTIMATE = "does-not-fit", "breaks-mix", "no-estimate"


@dataclass
class FocusKeyResult:
    """A key result the sprint goal should drive, and how far it trails the calendar (elapsed − progress)."""

    id: str
    title: str
    behind: Fraction | None


@dataclass
class ProposedItem:
    id: str
    title: str
    krs: list[str]
    estimate: float | None
    kept: bool
    why: str


@dataclass
class LeftOutItem:
    id: str
    title: str
    estimate: float | None
    reason: str


@dataclass
class SprintProposal:
    kind = "plan"
    team: str
    quarter: str
    today: date
    sprint: str
    start: date
    end: date
    file: str
    capacity: float
    budget: Fraction
    budget_rule: str
    focus: list[FocusKeyResult]
    committed: Fraction
    sprint_okr_share: Fraction | None
    quarter_okr_share: Fraction | None
    okr_capacity: tuple[float, float]
    mix_reachable: bool
    items: list[ProposedItem]
    left_out: list[LeftOutItem]
    needs_estimate: list[str]
    had_krs: bool = field(default=True)

    @property
    def new_items(self) -> list[str]:
        return [item.id for item in self.items if not item.kept]


# -- the greedy fill, on plain numbers -------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """An item the walk may take: its estimate (sprint load), whether it drives a key result, and whether the
    quarter's totals already count it (carried over from a done sprint: it adds load, not share)."""

    id: str
    estimate: Fraction
    okr: bool
    counted: bool = False


@dataclass(frozen=True)
class Mix:
    """The quarter's OKR estimate and total estimate so far, and the band the share must lie in."""

    okr: Fraction
    total: Fraction
    low: Fraction
    high: Fraction

    def plus(self, candidate: Candidate) -> Mix:
        if candidate.counted:
            return self
        okr = self.okr + (candidate.estimate if candidate.okr else 0)
        return Mix(okr, self.total + candidate.estimate, self.low, self.high)

    def holds(self) -> bool:
        """Within the band; an empty quarter (total 0) is not judged, as A301 does not."""
        return self.low * self.total <= self.okr <= self.high * self.total


def fill(candidates: list[Candidate], budget: Fraction, mix: Mix) -> tuple[list[Candidate], bool]:
    """The candidates taken, in the order taken, and whether the mix could be kept (else it was ignored)."""
    keep_mix = reachable(mix, candidates, budget)
    taken: list[Candidate] = []
    room = budget
    progress = True
    while progress:
        progress = False
        for candidate in candidates:
            if candidate in taken or candidate.estimate > room:
                continue
            after = mix.plus(candidate)
            if keep_mix:
                rest = [other for other in candidates if other is not candidate and other not in taken]
                if not reachable(after, rest, room - candidate.estimate):
                    continue
            taken.append(candidate)
            mix, room, progress = after, room - candidate.estimate, True
    return taken, keep_mix


def reachable(mix: Mix, candidates: list[Candidate], room: Fraction) -> bool:
    """Whether some choice among ``candidates`` within ``room`` lands the share in the band (the empty one counts).

    Counted candidates are left out of the search: they take room and move nothing.
    """
    if room < 0:
        return False
    if mix.holds():  # the empty choice: no search needed
        return True
    fresh = [candidate for candidate in candidates if not candidate.counted]
    okr_sums = _subset_sums([c.estimate for c in fresh if c.okr], room)
    for operational in _subset_sums([c.estimate for c in fresh if not c.okr], room):
        low, high = _okr_interval(mix, operational)
        high = min(high, room - operational) if high is not None else room - operational
        if low is None or low > high:
            continue
        index = bisect_left(okr_sums, low)
        if index < len(okr_sums) and okr_sums[index] <= high:
            return True
    return False


def _okr_interval(mix: Mix, operational: Fraction) -> tuple[Fraction | None, Fraction | None]:
    """The OKR estimate a to add, next to ``operational``, for low ≤ (O + a)/(T + a + p) ≤ high.

    (None, _): no a will do; (_, None): no upper bound. Multiplied out, so that T + a + p = 0 passes.
    """
    total = mix.total + operational
    low: Fraction | None = Fraction(0)
    if mix.low < 1:
        low = max(Fraction(0), (mix.low * total - mix.okr) / (1 - mix.low))
    elif mix.low * total > mix.okr:
        low = None
    if mix.high < 1:
        return low, (mix.high * total - mix.okr) / (1 - mix.high)
    return low, None


def _subset_sums(estimates: list[Fraction], room: Fraction) -> list[Fraction]:
    sums = {Fraction(0)}
    for estimate in estimates:
        sums |= {total + estimate for total in sums if total + estimate <= room}
        if len(sums) > MAX_SUMS:
            sums = set(sorted(sums)[:MAX_SUMS])
    return sorted(sums)


# -- the view --------------------------------------------------------------------------------------


def build_proposal(
    plan: Plan, team: str, quarter: str, sprint_id: str | None, today: date, focus: list[str] | None = None
) -> SprintProposal:
    team_quarter = select_team_quarters(plan, team, quarter)[0]
    placed = choose_sprint(team_quarter, sprint_id, today, _later_with_open_sprints(plan, team_quarter, today))
    sprint = placed.value
    if sprint.capacity is None:
        raise UsageError(
            f"sprint {sprint.id} of {team_quarter.team} {team_quarter.quarter} has no capacity "
            f"({placed.where}): set its capacity to plan it"
        )
    settings = plan.config.settings
    budget, budget_rule = _budget(team_quarter, placed, settings.first_sprint_load, settings.planning_reserve,
                                  settings.sprint_days[1])  # fmt: skip
    kept, candidates, unestimated = _candidates(team_quarter, placed, today)
    focus_krs = _focus(plan, team_quarter, sprint, [*kept, *candidates], today, focus)
    walk = _walk_order(plan, team_quarter, candidates, focus_krs, today)

    planned = team_quarter.planned_sprints(today)
    counted = items_of_sprints(team_quarter, [*planned, *([] if placed in planned else [placed])])
    counted_ids = {item.value.id for item in counted}
    low, high = settings.okr_capacity
    mix = Mix(okr_estimate(counted), estimate_of(counted), exact(low), exact(high))
    plain = {
        item.value.id: Candidate(item.value.id, exact(item.value.estimate or 0), bool(item.value.krs),
                                 item.value.id in counted_ids)
        for item in walk
    }  # fmt: skip
    room = budget - estimate_of(kept)
    taken, keep_mix = fill(list(plain.values()), room, mix)
    taken_ids = [candidate.id for candidate in taken]
    for candidate in taken:
        mix = mix.plus(candidate)
    proposed = kept + [team_quarter.items_by_id[item_id] for item_id in taken_ids]
    committed = estimate_of(proposed)
    room_left = budget - committed
    gone = elapsed(team_quarter.quarter, today)
    return SprintProposal(
        team=team_quarter.team,
        quarter=str(team_quarter.quarter),
        today=today,
        sprint=sprint.id,
        start=sprint.start,
        end=sprint.end,
        file=placed.document.source.relpath,
        capacity=sprint.capacity,
        budget=budget,
        budget_rule=budget_rule,
        focus=[_focus_view(plan, team_quarter, ref, today, gone) for ref in focus_krs],
        committed=committed,
        sprint_okr_share=okr_estimate(proposed) / committed if committed else None,
        quarter_okr_share=mix.okr / mix.total if mix.total else None,
        okr_capacity=(low, high),
        mix_reachable=keep_mix,
        items=[_proposed(plan, team_quarter, item, item in kept, focus_krs) for item in proposed],
        left_out=[
            LeftOutItem(
                item.value.id,
                item.value.title,
                item.value.estimate,
                DOES_NOT_FIT if plain[item.value.id].estimate > room_left else BREAKS_MIX,
            )
            for item in walk
            if item.value.id not in taken_ids
        ]  # fmt: skip
        + [LeftOutItem(item.value.id, item.value.title, None, NO_ESTIMATE) for item in unestimated],
        needs_estimate=[item.value.id for item in unestimated]
        + [item.value.id for item in kept if item.value.estimate is None],
        had_krs=bool(sprint.krs),
    )


def _later_with_open_sprints(plan: Plan, team_quarter: TeamQuarter, today: date) -> TeamQuarter | None:
    """The team's next quarter with an open sprint: after ``okrsprint next``, its first sprint may start in this one."""
    later = sorted(
        (candidate for (team, _), candidate in plan.team_quarters.items() if team == team_quarter.team),
        key=lambda candidate: candidate.quarter.start,
    )
    return next(
        (c for c in later if c.quarter.start > team_quarter.quarter.start and c.open_sprints(today)),
        None,
    )


def choose_sprint(
    team_quarter: TeamQuarter, sprint_id: str | None, today: date, later: TeamQuarter | None = None
) -> Placed[Sprint]:
    """``--sprint``, else the earliest open sprint by start; ``later`` is named when this quarter has none left."""
    where = f"{team_quarter.team} {team_quarter.quarter}"
    if sprint_id is None:
        open_sprints = by_start(team_quarter.open_sprints(today))
        if not open_sprints and later is not None:
            raise UsageError(
                f"every sprint of {where} is planned; {later.quarter} has open sprints: pass --quarter {later.quarter}"
            )
        if not open_sprints:
            raise UsageError(f"every sprint of {where} is planned; name one with --sprint")
        return open_sprints[0]
    found = team_quarter.sprints_by_id.get(sprint_id)
    if found is None:
        ids = [placed.value.id for placed in team_quarter.sprints]
        close = difflib.get_close_matches(sprint_id, ids, n=1)
        hint = f": did you mean '{close[0]}'?" if close else f"; sprints: {', '.join(ids) or 'none'}"
        raise UsageError(f"no sprint {sprint_id!r} in {where}{hint}")
    return found


def _budget(
    team_quarter: TeamQuarter, placed: Placed[Sprint], first_load: float, reserve: float, longest: int
) -> tuple[Fraction, str]:
    """The first sprint of the quarter is filled to ``first_sprint_load``; the last keeps ``planning_reserve`` free."""
    capacity = exact(placed.value.capacity or 0)
    if by_start(team_quarter.sprints)[0] is placed:
        return capacity * exact(first_load), f"the quarter's first sprint: {first_load:.0%} of capacity"
    if last_sprint(team_quarter, longest) is placed:
        return capacity * (1 - exact(reserve)), f"the quarter's last sprint keeps {reserve:.0%} for the next planning"
    return capacity, "full capacity"


def _candidates(
    team_quarter: TeamQuarter, placed: Placed[Sprint], today: date
) -> tuple[list[Placed[Item]], list[Placed[Item]], list[Placed[Item]]]:
    """Items kept (open items already in the sprint, in its order), new candidates, and open items without estimate."""
    busy = {
        item_id
        for other in team_quarter.sprints
        if other is not placed and sprint_state(other.value, today) != DONE
        for item_id in other.value.items
    }
    mine = dict.fromkeys(placed.value.items)
    open_items = [item for item in team_quarter.items if item.value.status != "done"]
    kept = [team_quarter.items_by_id[i] for i in mine if i in team_quarter.items_by_id]
    kept = [item for item in kept if item.value.status != "done"]
    free = [item for item in open_items if item.value.id not in mine and item.value.id not in busy]
    return (
        kept,
        [item for item in free if item.value.estimate is not None],
        [item for item in free if item.value.estimate is None],
    )


def _focus(
    plan: Plan, team_quarter: TeamQuarter, sprint: Sprint, items: list[Placed[Item]], today: date,
    asked: list[str] | None,
) -> list[str]:  # fmt: skip
    """``--focus``, else the sprint's ``krs``, else the driven key result that trails the calendar most."""
    if asked:
        for ref in asked:
            if plan.resolve_key_result(ref, team_quarter) is None:
                known = [reference(kr, team_quarter) for kr in team_quarter.key_results]
                close = difflib.get_close_matches(ref, known, n=1)
                hint = f": did you mean '{close[0]}'?" if close else f"; key results: {', '.join(known) or 'none'}"
                raise UsageError(f"--focus: no key result {ref!r} in {team_quarter.team} {team_quarter.quarter}{hint}")
        return list(dict.fromkeys(asked))
    if sprint.krs:
        return list(sprint.krs)
    gone = elapsed(team_quarter.quarter, today)
    driven: dict[str, Placed[KeyResult]] = {}
    for item in items:
        for key_result in linked_key_results(plan, team_quarter, item.value.krs):
            driven.setdefault(reference(key_result, team_quarter), key_result)
    if not driven:
        return []

    def trailing(pair: tuple[str, Placed[KeyResult]]) -> tuple:
        ref, key_result = pair
        done = progress_on(key_result.value, today)
        home = key_result.document.team == team_quarter.team
        siblings = team_quarter.key_results if home else [key_result]
        order = next(index for index, kr in enumerate(siblings) if kr is key_result)
        return (done is None, -(gone - done) if done is not None else 0, not home, order, ref)

    return [min(driven.items(), key=trailing)[0]]


def _walk_order(
    plan: Plan, team_quarter: TeamQuarter, candidates: list[Placed[Item]], focus: list[str], today: date
) -> list[Placed[Item]]:
    okr, operational = in_backlog_order(plan, team_quarter, candidates, today)
    focused = [item for item in okr if _drives(plan, team_quarter, item.value, focus)]
    return focused + [item for item in okr if item not in focused] + operational


def _drives(plan: Plan, team_quarter: TeamQuarter, item: Item, focus: list[str]) -> bool:
    targets = linked_key_results(plan, team_quarter, focus)
    return any(kr in targets for kr in linked_key_results(plan, team_quarter, item.krs))


def _focus_view(plan: Plan, team_quarter: TeamQuarter, ref: str, today: date, gone: Fraction) -> FocusKeyResult:
    key_result = plan.resolve_key_result(ref, team_quarter)
    if key_result is None:  # an unresolved sprint krs entry: S004 reports it
        return FocusKeyResult(ref, "", None)
    done = progress_on(key_result.value, today)
    return FocusKeyResult(ref, key_result.value.title, None if done is None else gone - done)


def _proposed(
    plan: Plan, team_quarter: TeamQuarter, placed: Placed[Item], kept: bool, focus: list[str]
) -> ProposedItem:
    item = placed.value
    if kept:
        why = "already committed to the sprint"
    elif _drives(plan, team_quarter, item, focus):
        why = "drives the focus key result"
    elif item.krs:
        why = f"drives {', '.join(item.krs)}"
    else:
        why = "operational work that fits"
    return ProposedItem(item.id, item.title, list(item.krs), item.estimate, kept, why)
