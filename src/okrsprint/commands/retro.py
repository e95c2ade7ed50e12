"""``okrsprint retro``: the quarter's retrospective (OKR retro and sprint retro in one), in every report format."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from okrsprint.commands.report import show_or_write, with_left_out_named
from okrsprint.engine import open_plan
from okrsprint.render import render
from okrsprint.views.retro import build_retro


def retro(
    path: Path, today: date, team: str | None, quarter: str | None, output_format: str, output: Path | None
) -> None:
    plan = open_plan(path)
    view = with_left_out_named(plan, team, quarter, lambda: build_retro(plan, today, team, quarter))
    show_or_write(render("retro", output_format, view), output)
