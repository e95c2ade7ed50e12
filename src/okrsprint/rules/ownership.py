"""A501–A502: every objective owned, and aligned to the company's objectives."""

from __future__ import annotations

from okrsprint.rules.context import RuleContext
from okrsprint.rules.registry import declare


@declare(
    "A501",
    "objective-without-owner",
    "warning",
    "an objective has no `owner`",
    """An objective everybody owns is owned by nobody. The owner (often the Product Owner) checks in,
    raises the flag when it falls behind and speaks for it in planning.""",
)
def objective_without_owner(context: RuleContext) -> None:
    for team_quarter in context.plan.sorted_team_quarters():
        for objective in team_quarter.objectives:
            if not (objective.value.owner or "").strip():
                context.emit(
                    objective, f"objective {objective.value.id} has no owner: name who is accountable for it", "owner"
                )


@declare(
    "A502",
    "unaligned-objective",
    "warning",
    "the quarter has objectives of `company_team` and an objective of another team has no `aligns_to`",
    """Team OKRs ladder up to the company's: alignment is what lets a stakeholder see why a team works on
    what it works on. An objective that aligns to nothing is either missing a link or out of strategy.""",
)
def unaligned_objective(context: RuleContext) -> None:
    plan = context.plan
    company = plan.config.company_team
    if company is None:
        return
    for team_quarter in plan.sorted_team_quarters():
        parent = plan.team_quarter(company, str(team_quarter.quarter))
        if team_quarter.team == company or parent is None or not parent.objectives:
            continue
        for objective in team_quarter.objectives:
            if not objective.value.parents:
                context.emit(
                    objective,
                    f"objective {objective.value.id} does not align to any {company} objective of "
                    f"{team_quarter.quarter}: "
                    f"add aligns_to: {company}:{parent.objectives[0].value.id} (or another)",
                )
