"""``okrsprint report``: where each team-quarter stands, in a terminal, as JSON, Markdown or a self-contained page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from okrsprint.engine import open_plan
from okrsprint.render import render, show, write_output
from okrsprint.views.report import build_report


def report(
    path: Path, today: date, team: str | None, quarter: str | None, output_format: str, output: Path | None
) -> None:
    rendered = render("report", output_format, build_report(open_plan(path), today, team, quarter))
    if output is None:
        show(rendered)
    else:
        write_output(output, rendered)
