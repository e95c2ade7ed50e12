"""The ``okrsprint backlog`` view: the quarter's backlog ordered by OKR alignment.

Open items (todo, doing) driving key results come first, those whose key results trail the calendar most first
(behind = elapsed − progress), then by ``rank``; open operational items follow, marked deferred: never dropped.
Done items are listed apart, after both, by rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from okrsprint.metrics import elapsed, estimate_of, linked_key_results, okr_estimate, progress_on
from okrsprint.model import Item
from okrsprint.plan import Placed, Plan, TeamQuarter, choose_quarter, choose_team, select_team_quarters


@dataclass
class BacklogEntry:
    id: str
    title: str
    krs: list[str]
    estimate: float | None
    status: str
    rank: float | None
    behind: Fraction | None
    deferred: bool


@dataclass
class BacklogGroup:
    """Open OKR work, open operational work or done work, with its share of the backlog's total estimate."""

    name: str
    items: list[BacklogEntry]
    estimate: Fraction
    share: Fraction | None


@dataclass
class Backlog:
    kind = "backlog"
    team: str
    quarter: str
    today: date
    elapsed: Fraction
    total_estimate: Fraction
    okr: BacklogGroup
    operational: BacklogGroup
    done: BacklogGroup


def furthest_behind(plan: Plan, team_quarter: TeamQuarter, item: Item, today: date, gone: Fraction) -> Fraction | None:
    """How far the item's most lagging key result trails the calendar; None when none of them is measurable."""
    lags = [
        gone - done
        for key_result in linked_key_results(plan, team_quarter, item.krs)
        if (done := progress_on(key_result.value, today)) is not None
    ]
    return max(lags) if lags else None


def _entry(placed: Placed[Item], behind: Fraction | None) -> BacklogEntry:
    item = placed.value
    return BacklogEntry(
        item.id, item.title, list(item.krs), item.estimate, item.status, item.rank, behind, not item.krs
    )


def _by_rank(pair: tuple[int, BacklogEntry]) -> tuple:
    index, entry = pair
    return (entry.rank is None, entry.rank or 0, index)


def _by_lag_then_rank(pair: tuple[int, BacklogEntry]) -> tuple:
    behind = pair[1].behind
    return (behind is None, -(behind or 0), *_by_rank(pair))


def in_backlog_order(
    plan: Plan, team_quarter: TeamQuarter, items: list[Placed[Item]], today: date
) -> tuple[list[Placed[Item]], list[Placed[Item]]]:
    """``items`` as ``backlog`` lists them: the OKR items (furthest behind first, then rank), the operational ones."""
    gone = elapsed(team_quarter.quarter, today)

    def ordered(group: list[Placed[Item]], order, behind) -> list[Placed[Item]]:
        pairs = enumerate(_entry(item, behind(item)) for item in group)
        return [group[index] for index, _ in sorted(pairs, key=order)]

    okr = ordered(
        [item for item in items if item.value.krs],
        _by_lag_then_rank,
        lambda item: furthest_behind(plan, team_quarter, item.value, today, gone),
    )
    return okr, ordered([item for item in items if not item.value.krs], _by_rank, lambda item: None)


def build_backlog(plan: Plan, team: str | None, quarter: str | None, today: date) -> Backlog:
    """The backlog of ``team`` in ``quarter``, each defaulted as SPEC §3 says (plan.choose_team, choose_quarter)."""
    team = choose_team(plan, team)
    team_quarter = select_team_quarters(plan, team, choose_quarter(plan, team, quarter, today))[0]
    gone = elapsed(team_quarter.quarter, today)
    open_items = [item for item in team_quarter.items if item.value.status != "done"]
    done_items = [item for item in team_quarter.items if item.value.status == "done"]
    okr_items = [item for item in open_items if item.value.krs]
    operational_items = [item for item in open_items if not item.value.krs]
    okr_entries = [_entry(item, furthest_behind(plan, team_quarter, item.value, today, gone)) for item in okr_items]
    operational_entries = [_entry(item, None) for item in operational_items]
    done_entries = [_entry(item, None) for item in done_items]
    total = estimate_of(team_quarter.items)
    okr = okr_estimate(open_items)

    def group(name: str, entries: list[BacklogEntry], order, estimate: Fraction) -> BacklogGroup:
        ordered = [entry for _, entry in sorted(enumerate(entries), key=order)]
        return BacklogGroup(name, ordered, estimate, estimate / total if total else None)

    return Backlog(
        team=team_quarter.team,
        quarter=str(team_quarter.quarter),
        today=today,
        elapsed=gone,
        total_estimate=total,
        okr=group("okr", okr_entries, _by_lag_then_rank, okr),
        operational=group("operational", operational_entries, _by_rank, estimate_of(operational_items)),
        done=group("done", done_entries, _by_rank, estimate_of(done_items)),
    )
