"""``okrsprint report``: where each team-quarter stands, in a terminal, as JSON, Markdown or a self-contained page."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from okrsprint.engine import open_plan
from okrsprint.errors import UsageError
from okrsprint.numbers import plural
from okrsprint.plan import Plan
from okrsprint.render import render, show, write_output
from okrsprint.views.report import build_report

View = TypeVar("View")


def report(
    path: Path, today: date, team: str | None, quarter: str | None, output_format: str, output: Path | None
) -> None:
    plan = open_plan(path)
    view = with_left_out_named(plan, team, quarter, lambda: build_report(plan, today, team, quarter))
    show_or_write(render("report", output_format, view), output)


def show_or_write(rendered: object, output: Path | None) -> None:
    """To stdout, or with ``--output FILE`` to that file through the shared atomic writer."""
    if output is None:
        show(rendered)
    else:
        write_output(output, rendered)


def with_left_out_named(plan: Plan, team: str | None, quarter: str | None, build: Callable[[], View]) -> View:
    """Build a report command's view and name on stderr the broken documents it leaves out.

    The view's own quarter narrows them down; when the view cannot be built (a usage error, perhaps
    because the team's only documents are broken), those of the team and quarter asked for are named first.
    """
    try:
        view = build()
    except UsageError:
        name_left_out(plan, team, quarter)
        raise
    name_left_out(plan, team, getattr(view, "quarter", quarter))
    return view


def name_left_out(plan: Plan, team: str | None, quarter: str | None) -> None:
    """``2 documents have errors and are not shown: run okrsprint check`` and their files, on stderr."""
    left_out = plan.broken_in(team, quarter)
    if not left_out:
        return
    verb = "has errors and is" if len(left_out) == 1 else "have errors and are"
    print(f"okrsprint: {plural(len(left_out), 'document')} {verb} not shown: run okrsprint check", file=sys.stderr)
    for file in sorted({broken.file for broken in left_out}):
        print(f"  {file}", file=sys.stderr)
