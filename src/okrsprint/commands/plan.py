"""``okrsprint plan``: propose a sprint's items and focus key results; ``--write`` records them like ``checkin`` edits.

The write holds the sprint file's lock from reading to replacing, rebuilds the proposal from what it read
under the lock, splices only the sprint's ``items`` (and ``krs`` when it had none) with ``yamledit``, and
refuses, leaving the file untouched, an edit that would add an S001–S006 finding. The goal is never written.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from okrsprint import yamledit
from okrsprint.commands.checkin import refuse_new_structure_findings, write_atomically
from okrsprint.commands.report import with_left_out_named
from okrsprint.engine import open_plan
from okrsprint.errors import UsageError
from okrsprint.files import locked
from okrsprint.plan import Plan, default_quarter, select_team_quarters
from okrsprint.render import render, show
from okrsprint.render.common import inert_terminal
from okrsprint.views.planning import SprintProposal, build_proposal, choose_sprint


def plan(
    path: Path,
    team: str | None,
    sprint: str | None,
    quarter: str | None,
    today: date,
    focus: str | None,
    output_format: str,
    write: bool,
) -> None:
    loaded = open_plan(path)
    team = team or default_team(loaded)
    quarter = quarter or team_quarter_default(loaded, team, today)
    focus_krs = [ref.strip() for ref in (focus or "").split(",") if ref.strip()] or None

    def build(current: Plan) -> SprintProposal:
        return build_proposal(current, team, quarter, sprint, today, focus_krs)

    view = with_left_out_named(loaded, team, quarter, lambda: build(loaded))
    if write:
        view, line = record(path, loaded, view, build)
    show(render("plan", output_format, view))
    if write:
        print(inert_terminal(line), file=sys.stderr)


def default_team(plan: Plan) -> str:
    """The config's ``team``, else the only team with any plan document."""
    if plan.config.team:
        return plan.config.team
    teams = sorted({tq.team for tq in plan.team_quarters.values()} | {b.team for b in plan.broken if b.team})
    if len(teams) == 1:
        return teams[0]
    raise UsageError(f"choose a team with --team: {', '.join(teams)}" if teams else "no plan document found")


def team_quarter_default(plan: Plan, team: str, today: date) -> str:
    """The quarter containing today, else the team's latest quarter before it."""
    here = default_quarter(plan, today)
    quarters = sorted(str(tq.quarter) for tq in plan.team_quarters.values() if tq.team == team)
    if here in quarters:
        return here
    before = [quarter for quarter in quarters if quarter < here]
    if before:
        return before[-1]
    if not quarters:
        select_team_quarters(plan, team, here)  # names the teams and quarters there are
    raise UsageError(f"no plan of team {team!r} in {here} or before it: choose --quarter {', '.join(quarters)}")


def record(
    path: Path, loaded: Plan, view: SprintProposal, build: Callable[[Plan], SprintProposal]
) -> tuple[SprintProposal, str]:
    """Write the proposal's items (and krs) into the sprint's file under its lock; the view written and a summary."""
    team_quarter = select_team_quarters(loaded, view.team, view.quarter)[0]
    source = team_quarter.sprints_by_id[view.sprint].document.source
    with locked(source.path.resolve()):
        # Read again under the lock: another writer may have changed the file since; a lost update is worse.
        current = open_plan(path)
        view = build(current)
        team_quarter = select_team_quarters(current, view.team, view.quarter)[0]
        placed = choose_sprint(team_quarter, view.sprint, view.today)
        source = placed.document.source
        original = source.path.read_bytes()
        index = placed.document.raw.index
        try:
            text, bom = yamledit.decode(original, source.relpath)
            edited = text
            if view.new_items:
                items = list(dict.fromkeys([*placed.value.items, *view.new_items]))
                edited = yamledit.set_list(edited, index, (*placed.path, "items"), items).text
            if not placed.value.krs and view.focus:
                edited = yamledit.set_list(edited, index, (*placed.path, "krs"), [kr.id for kr in view.focus]).text
        except yamledit.EditError as error:
            raise UsageError(f"cannot record the plan in {source.relpath}, nothing was written: {error}") from None
        if edited == text:
            return view, f"nothing to record in {source.relpath}: sprint {view.sprint} already holds the proposal"
        refuse_new_structure_findings(current.root, source.path, text, edited, change="writing the proposal")
        write_atomically(source.path, original, yamledit.encode(edited, bom))
    line, _ = placed.position()
    return view, f"recorded sprint {view.sprint}'s items in {source.relpath}:{line}; write its goal yourself"
