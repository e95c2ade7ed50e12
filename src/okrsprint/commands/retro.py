"""``okrsprint retro``: the quarter's retrospective (OKR retro and sprint retro in one), in every report format."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from okrsprint.commands.report import with_left_out_named
from okrsprint.engine import open_plan
from okrsprint.render import render, show, write_output
from okrsprint.views.retro import build_retro


def retro(
    path: Path, today: date, team: str | None, quarter: str | None, output_format: str, output: Path | None
) -> None:
    plan = open_plan(path)
    view = with_left_out_named(plan, team, quarter, lambda: build_retro(plan, today, team, quarter))
    rendered = render("retro", output_format, view)
    if output is None:
        show(rendered)
    else:
        write_output(output, rendered)
