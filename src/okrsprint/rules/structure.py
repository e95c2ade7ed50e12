"""Structure rules S001–S007: always on, always errors, never suppressed.

S001, S002, S003 and S006 are found while loading and resolving the plan, S007 while
reading ignore comments; this module declares them and checks references (S004) and
sprint dates (S005).
"""

from __future__ import annotations

import difflib
from datetime import timedelta

from okrsprint.model import Item, Objective, Sprint
from okrsprint.plan import Placed, Plan, TeamQuarter, alignment_cycles, alignments
from okrsprint.rules.context import RuleContext
from okrsprint.rules.registry import RULES, declare, lookup

declare(
    "S001",
    "yaml-syntax",
    "error",
    "a plan file is not valid YAML, is not UTF-8, or uses a tag other than YAML's standard ones",
    """A file that does not parse cannot be checked at all, and the rest of the plan may depend on it.
    Custom tags are refused because a planning file should be data, never instructions to construct objects.""",
)(None)
declare(
    "S002",
    "schema",
    "error",
    "a plan document breaks the schema: missing required field, wrong type, unknown field, bad date, bad id, bad "
    "quarter",
    """A misspelt field is silently ignored by most tools and the plan then says less than its author thinks.
    A quoted number or a free-text status cannot be added up or compared, so every value must have its type.""",
)(None)
declare(
    "S003",
    "duplicate-id",
    "error",
    "an id is used twice in its scope, or a mapping has a key twice",
    """Ids are how sprints, backlog items and check-ins point at key results and at each other:
    two things with one id make every reference to it ambiguous. A key written twice keeps only one value.""",
)(None)
declare(
    "S006",
    "unknown-kind",
    "error",
    "a `kind` that is close to one of ours (okrs, backlog, sprints) but not one of ours",
    """Documents of other tools are skipped silently. A typo in `kind` would make a whole plan document
    disappear from every check without a word.""",
)(None)
declare(
    "S007",
    "bad-suppression",
    "error",
    "an `# okrsprint: ignore[…]` comment names a code or name that is no rule",
    """A mistyped code in an ignore comment suppresses nothing, silently: the finding it was meant for
    stays, or the comment outlives the rule it named. Saying so keeps every ignore comment meaningful.""",
)(None)


def unknown_in_ignore_comment(reference: str) -> str | None:
    """S007's message for a code or name in an ignore comment that names no rule; None when it names one."""
    try:
        lookup(reference)
        return None
    except KeyError:
        pass
    message = f"unknown rule '{reference}' in ignore comment"
    codes = difflib.get_close_matches(reference.upper(), list(RULES), n=1, cutoff=0.7)
    names = difflib.get_close_matches(reference.lower(), [rule.name for rule in RULES.values()], n=1, cutoff=0.7)
    close = codes or names
    return message + (f": did you mean '{close[0]}'?" if close else "")


@declare(
    "S004",
    "unknown-reference",
    "error",
    "a key-result, item or objective reference does not resolve",
    """The value of combining OKRs with Scrum is the traceability from key result to backlog item to sprint.
    A reference that points nowhere breaks that chain and hides work that drives nothing. Alignments that go round
    in a cycle (web:O1 → search:O2 → web:O1) point nowhere up the tree either, and are reported the same way.""",
)
def unknown_reference(context: RuleContext) -> None:
    plan = context.plan
    for team_quarter in plan.sorted_team_quarters():
        quarter = str(team_quarter.quarter)
        holders: list[Placed[Item] | Placed[Sprint]] = [*team_quarter.items, *team_quarter.sprints]
        for holder in holders:
            for index, reference in enumerate(holder.value.krs):
                team = reference.rpartition(":")[0] or team_quarter.team
                if plan.resolve_key_result(reference, team_quarter) is None and plan.is_complete(team, quarter):
                    message = _unknown_key_result(context, reference, team_quarter)
                    message += _may_hold(plan, team, quarter)
                    context.emit(holder, message, "krs", index, prefer_value=True)
        for sprint in team_quarter.sprints:
            for index, item_id in enumerate(sprint.value.items):
                if item_id not in team_quarter.items_by_id and plan.is_complete(*team_quarter.key):
                    message = f"sprint {sprint.value.id} commits unknown backlog item '{item_id}'"
                    message += _suggest(item_id, team_quarter.items_by_id) + _may_hold(plan, *team_quarter.key)
                    context.emit(sprint, message, "items", index, prefer_value=True)
        for objective in team_quarter.objectives:
            _unresolved_alignments(context, team_quarter, objective)
    _alignment_cycles(context)


def _unresolved_alignments(context: RuleContext, team_quarter: TeamQuarter, objective: Placed[Objective]) -> None:
    plan, quarter = context.plan, str(team_quarter.quarter)
    listed = isinstance(objective.value.aligns_to, list)
    for index, aligned in enumerate(objective.value.parents):
        parent_team, _, target_id = aligned.partition(":")
        if plan.resolve_alignment(aligned, team_quarter) is not None or not plan.is_complete(parent_team, quarter):
            continue
        message = f"aligns_to {aligned} does not resolve: {_missing_parent(plan, team_quarter, parent_team, target_id)}"
        message += _may_hold(plan, parent_team, quarter)
        context.emit(objective, message, "aligns_to", *([index] if listed else []), prefer_value=True)


def _missing_parent(plan: Plan, home: TeamQuarter, team: str, target_id: str) -> str:
    """Why ``team:ID`` names nothing, with the reference most likely meant: a team one typo away, the same id in
    another team of the quarter (``company:O3`` → ``platform:O3``), else a similar objective or key result id."""
    if team == home.team:
        return f"it names {team}'s own {target_id}: an objective aligns to another team's objective or key result"
    quarter = str(home.quarter)
    in_quarter = {tq.team: tq for tq in plan.sorted_team_quarters() if str(tq.quarter) == quarter}
    parent = in_quarter.get(team)
    if parent is None:
        close = _same_but_case(team, in_quarter) or difflib.get_close_matches(team, list(in_quarter), 1, 0.75)
        hint = f": did you mean '{close[0]}:{target_id}'?" if close else ""
        return f"team {team} has no objectives in {quarter}{hint}"
    message = f"{team} has no objective or key result {target_id} in {quarter}"
    targets = {**parent.objectives_by_id, **parent.key_results_by_id}
    if not _same_but_case(target_id, targets):
        elsewhere = [
            f"'{tq.team}:{target_id}'"
            for tq in in_quarter.values()
            if tq is not home and (target_id in tq.objectives_by_id or target_id in tq.key_results_by_id)
        ]
        if elsewhere:
            return message + f": did you mean {' or '.join(elsewhere)}?"
    return message + _suggest(target_id, targets, f"{team}:")


def _alignment_cycles(context: RuleContext) -> None:
    """An objective that rolls up into itself (``web:O1`` → ``search:O2`` → ``web:O1``) has no place in the
    alignment tree; reported once per cycle, at the reference that closes it."""
    for cycle in alignment_cycles(alignments(context.plan)):
        closing = cycle[-1]
        route = " → ".join([_objective_ref(step.child) for step in cycle] + [_objective_ref(closing.parent)])
        written = closing.child.value.parents[closing.index or 0]
        message = (
            f"aligns_to {written} closes a cycle of alignments ({route}): an objective cannot roll up into "
            f"itself; remove one of these links"
        )
        path: list[str | int] = ["aligns_to", *([closing.index] if closing.index is not None else [])]
        context.emit(closing.child, message, *path, prefer_value=True)


def _objective_ref(objective: Placed[Objective]) -> str:
    return f"{objective.document.team}:{objective.value.id}"


def _may_hold(plan: Plan, team: str, quarter: str) -> str:
    """A reference into a team-quarter with a broken document is not reported at all (``is_complete``); when a
    broken document's team or quarter cannot be told, the reference is reported naming the file that may hold it."""
    files = plan.may_hold(team, quarter)
    if not files:
        return ""
    if len(files) == 1:
        return f" (the broken file {files[0]} may hold it)"
    return f" (the broken files {', '.join(files)} may hold it)"


def _unknown_key_result(context: RuleContext, reference: str, home: TeamQuarter) -> str:
    """Why a key-result reference does not resolve, with the reference most likely meant.

    In order: the same id in another case (``kr1`` → ``KR1``), a team name one typo away, another team's
    key result with that id (``KR7`` → ``search:KR7``), a similar id, else the ids there are.
    """
    team, _, kr_id = reference.rpartition(":")
    quarter = str(home.quarter)
    in_quarter = {tq.team: tq for tq in context.plan.sorted_team_quarters() if str(tq.quarter) == quarter}
    target = in_quarter.get(team) if team else home
    if target is None:
        message = f"unknown key result '{reference}': team {team} has no plan for {home.quarter}"
        close = _same_but_case(team, in_quarter) or difflib.get_close_matches(team, list(in_quarter), 1, 0.75)
        return message + (f": did you mean '{close[0]}:{kr_id}'?" if close else "")
    message = f"unknown key result '{reference}' in {target.team} {target.quarter}"
    if not team and not _same_but_case(kr_id, target.key_results_by_id):
        elsewhere = [f"'{tq.team}:{kr_id}'" for tq in in_quarter.values() if kr_id in tq.key_results_by_id]
        if elsewhere:
            return message + f": did you mean {' or '.join(elsewhere)}?"
    return message + _suggest(kr_id, target.key_results_by_id, f"{team}:" if team else "")


def _suggest(wanted: str, known: dict, prefix: str = "") -> str:
    """``: did you mean 'X'?`` (the same id in another case first, else a similar one), else the few known ids."""
    close = _same_but_case(wanted, known) or difflib.get_close_matches(wanted, list(known), n=1, cutoff=0.5)
    if close:
        return f": did you mean '{prefix}{close[0]}'?"
    if known and len(known) <= 10:
        return f" (known: {', '.join(known)})"
    return ""


def _same_but_case(wanted: str, known: dict) -> list[str]:
    return [name for name in known if name.lower() == wanted.lower()][:1]


@declare(
    "S005",
    "bad-dates",
    "error",
    "a sprint ends before it starts, starts after its quarter ends or more than 6 days before it begins, "
    "or overlaps another sprint of the same team (any quarter)",
    """A team runs one sprint at a time, in the quarter it plans for. Overlapping or misplaced sprints make
    capacity, the sprint ratio and the review of outcomes meaningless.""",
)
def bad_dates(context: RuleContext) -> None:
    by_team: dict[str, list[Placed]] = {}
    for team_quarter in context.plan.sorted_team_quarters():
        quarter = team_quarter.quarter
        for placed in team_quarter.sprints:
            sprint = placed.value
            if sprint.end < sprint.start:
                context.emit(placed, f"sprint {sprint.id} ends ({sprint.end}) before it starts ({sprint.start})", "end")
                continue
            if sprint.start > quarter.end:
                context.emit(
                    placed, f"sprint {sprint.id} starts {sprint.start}, after {quarter} ends ({quarter.end})", "start"
                )
            elif sprint.start < quarter.start - timedelta(days=6):
                context.emit(
                    placed,
                    f"sprint {sprint.id} starts {sprint.start}, more than 6 days before {quarter} begins "
                    f"({quarter.start})",
                    "start",
                )
            by_team.setdefault(team_quarter.team, []).append(placed)
    for sprints in by_team.values():
        _overlaps(context, sprints)


def _overlaps(context: RuleContext, sprints: list[Placed]) -> None:
    """Sweep by start date; each sprint that starts before the latest end so far overlaps that sprint."""
    ordered = sorted(enumerate(sprints), key=lambda pair: (pair[1].value.start, pair[1].value.end, pair[0]))
    reaching: Placed | None = None
    for _, placed in ordered:
        sprint = placed.value
        if reaching is not None and sprint.start <= reaching.value.end:
            other = reaching.value
            context.emit(
                placed,
                f"sprint {sprint.id} ({sprint.start}..{sprint.end}) overlaps sprint {other.id} "
                f"({other.start}..{other.end}, {reaching.where})",
                "start",
            )
        if reaching is None or sprint.end > reaching.value.end:
            reaching = placed
