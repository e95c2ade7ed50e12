"""``okrsprint backlog``: the quarter's open backlog ordered by OKR alignment."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from okrsprint.engine import open_plan
from okrsprint.render import render, show
from okrsprint.views.backlog import build_backlog


def backlog(path: Path, team: str, quarter: str, today: date, output_format: str) -> None:
    show(render("backlog", output_format, build_backlog(open_plan(path), team, quarter, today)))
