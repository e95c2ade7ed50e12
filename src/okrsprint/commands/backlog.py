"""``okrsprint backlog``: the quarter's open backlog ordered by OKR alignment."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from okrsprint.commands.report import with_left_out_named
from okrsprint.engine import open_plan
from okrsprint.render import render, show
from okrsprint.views.backlog import build_backlog


def backlog(path: Path, team: str | None, quarter: str | None, today: date, output_format: str) -> None:
    plan = open_plan(path)
    view = with_left_out_named(plan, team, quarter, lambda: build_backlog(plan, team, quarter, today))
    show(render("backlog", output_format, view))
