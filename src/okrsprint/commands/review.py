"""``okrsprint review``: the sprint review in one view, output (items done) beside outcome (key results moved)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from okrsprint.commands.report import with_left_out_named
from okrsprint.engine import open_plan
from okrsprint.render import render, show
from okrsprint.views.review import build_review


def review(
    path: Path, team: str | None, sprint: str | None, today: date, quarter: str | None, output_format: str
) -> None:
    plan = open_plan(path)
    view = with_left_out_named(plan, team, quarter, lambda: build_review(plan, team, sprint, today, quarter))
    show(render("review", output_format, view))
