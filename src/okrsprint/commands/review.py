"""``okrsprint review``: the sprint review in one view, output (items done) beside outcome (key results moved)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from okrsprint.engine import open_plan
from okrsprint.render import render, show
from okrsprint.views.review import build_review


def review(path: Path, team: str, sprint: str, today: date, quarter: str | None, output_format: str) -> None:
    show(render("review", output_format, build_review(open_plan(path), team, sprint, today, quarter)))
