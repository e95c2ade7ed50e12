"""The alignment tree that opens ``okrsprint report`` (SPEC §3 `report`): the company's objectives with their key
results, the objectives aligned to each, recursively (company → departments → teams), then the objectives
aligned to nothing.

An objective aligned to a key result sits under that key result's objective with ``via`` naming the key result;
an objective with several parents appears under each. A cycle of alignments (S004) is cut where it would close,
so the walk always ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from okrsprint.metrics import clipped, key_result_status, objective_progress, progress_on, threshold_text
from okrsprint.model import Objective
from okrsprint.plan import Alignment, Placed, Plan, alignments


@dataclass
class AlignedKeyResult:
    id: str
    title: str
    progress: Fraction | None
    """Clipped to 0..1, as the tree shows it."""
    status: str
    threshold: str | None


@dataclass
class AlignmentNode:
    team: str
    id: str
    title: str
    progress: Fraction | None
    """The mean of its key results' clipped progress."""
    via: str | None = None
    """The parent's key result this objective drives, when it aligns to a key result."""
    key_results: list[AlignedKeyResult] = field(default_factory=list)
    children: list[AlignmentNode] = field(default_factory=list)


@dataclass
class Unaligned:
    team: str
    id: str
    title: str
    progress: Fraction | None


@dataclass
class AlignmentTree:
    roots: list[AlignmentNode]
    unaligned: list[Unaligned]

    def nodes(self) -> list[AlignmentNode]:
        """Every node, depth first (an objective with two parents is listed under each)."""
        found: list[AlignmentNode] = []
        pending = list(reversed(self.roots))
        while pending:
            node = pending.pop()
            found.append(node)
            pending.extend(reversed(node.children))
        return found


def alignment_tree(plan: Plan, quarter: str, today: date, gone: Fraction, tolerance: float) -> AlignmentTree | None:
    """The tree of ``quarter``, or None when the config names no company team or it has no objectives then."""
    company = plan.config.company_team
    home = plan.team_quarter(company, quarter) if company else None
    if home is None or not home.objectives:
        return None
    children: dict[int, list[Alignment]] = {}
    for link in alignments(plan, quarter):
        children.setdefault(id(link.parent), []).append(link)
    placed_in_tree: set[int] = set()

    def node(objective: Placed[Objective], via: str | None, ancestors: frozenset[int]) -> AlignmentNode:
        placed_in_tree.add(id(objective))
        value = objective.value
        built = AlignmentNode(
            objective.document.team,
            value.id,
            value.title,
            objective_progress(value.key_results, today),
            via,
            [
                AlignedKeyResult(
                    kr.id,
                    kr.title,
                    clipped(progress_on(kr, today)),
                    key_result_status(kr, progress_on(kr, today), gone, tolerance),
                    threshold_text(kr),
                )
                for kr in value.key_results
            ],
        )
        inside = ancestors | {id(objective)}
        for link in children.get(id(objective), []):
            if id(link.child) not in inside:  # a cycle (S004) is cut where it would close
                built.children.append(node(link.child, link.via.value.id if link.via else None, inside))
        return built

    roots = [node(objective, None, frozenset()) for objective in home.objectives]
    unaligned = [
        Unaligned(
            tq.team, objective.value.id, objective.value.title, objective_progress(objective.value.key_results, today)
        )
        for tq in plan.sorted_team_quarters()
        if str(tq.quarter) == quarter and tq.team != company
        for objective in tq.objectives
        if id(objective) not in placed_in_tree
    ]
    return AlignmentTree(roots, unaligned)
