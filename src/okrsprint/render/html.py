"""The report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched from a network.

Chart geometry (burn-up lines, sprint timeline) is computed here in plain Python; the Jinja2 template only
places it. Autoescaping is on: titles, goals and notes are user input.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from jinja2 import Environment, PackageLoader, StrictUndefined

from okrsprint import __version__
from okrsprint.metrics import BEHIND, DONE, ON_TRACK, grade
from okrsprint.numbers import exact, format_number, percent
from okrsprint.render.common import (
    date_range,
    goal_path,
    output_text,
    retro_heading,
    rhythm_lines,
    score_text,
    so_far_sentence,
    sparkline,
    value_path,
)
from okrsprint.views.report import KeyResultView, Report, SprintView, TeamQuarterReport
from okrsprint.views.retro import KeyResultScore, ObjectiveScore, Retro

BURNUP_SIZE = (300, 110)
BURNUP_PAD = (34, 10, 8, 18)  # left, top, right, bottom
TIMELINE_WIDTH = 1000
LANE_HEIGHT = 46


@dataclass
class Scale:
    """Maps the quarter's days to x and a value range to y (SVG's y grows downwards)."""

    start: date
    days: int
    left: float
    width: float
    top: float = 0
    height: float = 0
    low: float = 0
    high: float = 1

    def x(self, day: date) -> float:
        return round(self.left + (day - self.start).days / max(self.days - 1, 1) * self.width, 1)

    def y(self, value: float) -> float:
        return round(self.top + (self.high - value) / (self.high - self.low) * self.height, 1)


def burnup(kr: KeyResultView, tq: TeamQuarterReport, today: date) -> dict | None:
    """Check-ins as progress against the ideal line from baseline (quarter start) to target (quarter end)."""
    if kr.progress is None:
        return None
    width, height = BURNUP_SIZE
    left, top, right, bottom = BURNUP_PAD
    values = [0.0, 1.0, *(float(c.progress or 0) for c in kr.checkins)]
    scale = Scale(tq.start, tq.days, left, width - left - right, top, height - top - bottom, min(values), max(values))
    points = [(scale.x(tq.start), scale.y(0))] + [
        (scale.x(c.date), scale.y(float(c.progress or 0))) for c in kr.checkins
    ]
    return {
        "width": width,
        "height": height,
        "ideal": [(scale.x(tq.start), scale.y(0)), (scale.x(tq.end), scale.y(1))],
        "line": " ".join(f"{x},{y}" for x, y in points),
        "dots": [
            {"x": x, "y": y, "label": f"{c.date}: {format_number(c.value)}"}
            for (x, y), c in zip(points[1:], kr.checkins, strict=True)
        ],
        "today": scale.x(today) if tq.start <= today <= tq.end else None,
        "baseline": {"y": scale.y(0), "label": format_number(kr.baseline)},
        "target": {"y": scale.y(1), "label": format_number(kr.target)},
        "left": left,
        "right": width - right,
        "bottom": height - bottom,
        "start_label": f"{tq.start:%b} {tq.start.day}",
        "end_label": f"{tq.end:%b} {tq.end.day}",
    }


def timeline(tq: TeamQuarterReport, today: date) -> dict:
    """Sprints on the quarter's time axis; each bar split into OKR work, operational work and free capacity."""
    scale = Scale(tq.start, tq.days + 1, 10, TIMELINE_WIDTH - 20)
    lanes = []
    for sprint in tq.sprints:
        x, end = scale.x(sprint.start), scale.x(date.fromordinal(sprint.end.toordinal() + 1))
        full = max(exact(sprint.capacity or 0), sprint.committed) or Fraction(1)
        span = max(end - x, 1)
        okr = float(sprint.okr / full) * span
        operational = float(sprint.operational / full) * span
        lanes.append(
            {
                "sprint": sprint,
                "x": x,
                "y": 30,
                "width": span,
                "okr": round(okr, 1),
                "operational": round(operational, 1),
                "free": round(span - okr - operational, 1),
                "label": f"{sprint.id} · {format_number(sprint.committed)}/{format_number(sprint.capacity)}",
            }
        )
    months = []
    day = tq.start
    while day <= tq.end:
        months.append({"x": scale.x(day), "label": f"{day:%b %Y}"})
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return {
        "width": TIMELINE_WIDTH,
        "height": 30 + LANE_HEIGHT + 34,  # room for each lane's state under its label
        "lanes": lanes,
        "months": months,
        "today": scale.x(today) if tq.start <= today <= tq.end else None,
        "bar_height": LANE_HEIGHT - 22,
    }


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("okrsprint.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(number=format_number, percent=percent)
    environment.globals.update(date_range=date_range, sparkline=sparkline, value_path=value_path)
    return environment


def _status_counts(tq: TeamQuarterReport) -> dict[str, int]:
    statuses = [kr.status for objective in tq.objectives for kr in objective.key_results]
    return {status: statuses.count(status) for status in (DONE, ON_TRACK, BEHIND)}


def report(view: Report) -> str:
    sections = [
        {
            "tq": tq,
            "counts": _status_counts(tq),
            "burnups": {kr.ref: burnup(kr, tq, view.today) for o in tq.objectives for kr in o.key_results},
            "timeline": timeline(tq, view.today),
            "load": {s.id: _load_parts(s) for s in tq.sprints},
            "so_far": so_far_sentence(tq.so_far),
        }
        for tq in view.team_quarters
    ]
    template = _environment().get_template("report.html.j2")
    return template.render(view=view, sections=sections, version=__version__)


def _load_parts(sprint: SprintView) -> dict[str, float]:
    """Percent widths of the OKR, operational and free parts of a sprint's capacity bar."""
    full = max(exact(sprint.capacity or 0), sprint.committed) or Fraction(1)
    return {"okr": float(sprint.okr / full * 100), "operational": float(sprint.operational / full * 100)}


# -- retro -----------------------------------------------------------------------------------------

SCORE_CHART = (330, 40, 250)  # width, left edge of the bars, their full length
STRIP_WIDTH = 300


def score_chart(objective: ObjectiveScore, bands: tuple[float, float]) -> dict:
    """One bar per key result (its score, coloured by its grade) and the grade bands as dashed lines."""
    width, left, span = SCORE_CHART
    bars = [
        {
            "label": kr.id,
            "y": 4 + 26 * index,
            "width": round(float(kr.score or 0) * span, 1),
            "grade": grade(kr.score, bands),
            "score": score_text(kr.score),
        }
        for index, kr in enumerate(objective.key_results)
    ]
    return {
        "width": width,
        "height": 8 + 26 * len(bars),
        "left": left,
        "span": span,
        "bars": bars,
        "bounds": [round(left + bound * span, 1) for bound in bands],
    }


def rhythm_strip(kr: KeyResultScore, view: Retro, interval: int) -> dict:
    """The quarter up to the retro's day as a line: a dot per check-in, gaps over the interval in red."""
    scale = Scale(view.start, max((view.as_of - view.start).days + 1, 2), 6, STRIP_WIDTH - 12)
    days = [view.start, *kr.checkin_dates, view.as_of]
    return {
        "id": kr.id,
        "width": STRIP_WIDTH,
        "checkins": kr.checkins,
        "longest": kr.longest_gap_days,
        "gaps": [
            {"x1": scale.x(first), "x2": scale.x(last), "over": (last - first).days > interval}
            for first, last in zip(days, days[1:], strict=False)
        ],
        "dots": [{"x": scale.x(day), "label": day.isoformat()} for day in kr.checkin_dates],
        "start": f"{view.start:%b} {view.start.day}",
        "end": f"{view.as_of:%b} {view.as_of.day}",
    }


def retro(view: Retro) -> str:
    sections = [
        {
            "team": team,
            "charts": {o.id: score_chart(o, view.grade_bands) for o in team.objectives},
            "rhythm": rhythm_lines(team.rhythm, view.so_far),
            "strips": [
                rhythm_strip(kr, view, team.rhythm.checkin_interval_days)
                for objective in team.objectives
                for kr in objective.key_results
            ],
        }
        for team in view.teams
    ]
    environment = _environment()
    environment.globals.update(score_text=score_text, goal_path=goal_path, output_text=output_text)
    template = environment.get_template("retro.html.j2")
    return template.render(view=view, sections=sections, heading=retro_heading(view), version=__version__)
