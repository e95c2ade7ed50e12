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
from okrsprint.metrics import BEHIND, BREACHED, DONE, HELD, ON_TRACK, grade
from okrsprint.numbers import exact, format_number, percent
from okrsprint.render import common
from okrsprint.views.alignment import AlignmentNode
from okrsprint.views.report import KeyResultView, Report, SprintView, TeamQuarterReport
from okrsprint.views.retro import KeyResultScore, ObjectiveScore, Retro

BURNUP_SIZE = (300, 120)
BURNUP_PAD = (42, 10, 8, 20)  # left (room for a 5-character axis label such as "12.5k"), top, right, bottom
CHART_RANGE = (-0.1, 1.1)
"""The progress a burn-up shows: a little below the baseline and past the target; beyond, values are clipped to
the edge and marked, so one outlier cannot flatten the line everyone reads."""
TIMELINE_WIDTH = 1000
LANE_HEIGHT = 46
NARROW_WIDTH = 360  # the phone layout of the timeline, drawn at its real size
NARROW_ROW = 36


def compact_number(value: float | Fraction | None) -> str:
    """An axis label that fits its gutter at any magnitude: 950, 9000, 12k, 12.5k, 3.4M, 0.25 (at most 6 characters
    for the numbers a key result holds)."""
    if value is None:
        return "–"
    number = float(value)
    if abs(number) >= 9999.5:
        for divisor, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
            if abs(number) >= divisor * 0.9995:
                return f"{number / divisor:.3g}{suffix}"
    return f"{number:.4g}" if abs(number) >= 1 else f"{number:.2g}"


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

    def clip(self, value: float) -> tuple[float, bool]:
        """The value within the range, and whether it had to be clipped."""
        inside = min(max(value, self.low), self.high)
        return inside, inside != value


def _frame(tq: TeamQuarterReport, today: date, low: float, high: float) -> tuple[Scale, dict]:
    """The scale and the parts every chart of a key result shares: size, axes, date labels, today's line."""
    width, height = BURNUP_SIZE
    left, top, right, bottom = BURNUP_PAD
    scale = Scale(tq.start, tq.days, left, width - left - right, top, height - top - bottom, low, high)
    parts = {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": height - bottom,
        "today": scale.x(today) if tq.start <= today <= tq.end else None,
        "start_label": f"{tq.start:%b} {tq.start.day}",
        "end_label": f"{tq.end:%b} {tq.end.day}",
    }
    return scale, parts


def _points(scale: Scale, kr: KeyResultView, heights: list[float]) -> list[dict]:
    """Check-ins as dots at ``heights`` (already in the scale's units), clipped to the chart and marked if so."""
    dots = []
    for checkin, height in zip(kr.checkins, heights, strict=True):
        inside, clipped = scale.clip(height)
        label = f"{checkin.date}: {format_number(checkin.value)}"
        dots.append(
            {
                "x": scale.x(checkin.date),
                "y": scale.y(inside),
                "clipped": "above" if clipped and height > inside else "below" if clipped else None,
                "breach": False,
                "label": label + (" (beyond the chart: drawn at its edge)" if clipped else ""),
            }
        )
    return dots


def burnup(kr: KeyResultView, tq: TeamQuarterReport, today: date) -> dict | None:
    """Check-ins as progress against the ideal line from baseline (quarter start) to target (quarter end);
    a threshold key result: its values against the level, the side that holds it shaded (a band)."""
    if kr.threshold is not None:
        return band(kr, tq, today)
    if kr.progress is None:
        return None
    scale, chart = _frame(tq, today, *CHART_RANGE)
    dots = _points(scale, kr, [float(c.progress or 0) for c in kr.checkins])
    line = [(scale.x(tq.start), scale.y(0)), *((dot["x"], dot["y"]) for dot in dots)]
    return chart | {
        "kind": "burnup",
        "ideal": [(scale.x(tq.start), scale.y(0)), (scale.x(tq.end), scale.y(1))],
        "line": " ".join(f"{x},{y}" for x, y in line),
        "dots": dots,
        "labels": [
            {"y": scale.y(0), "text": compact_number(kr.baseline)},
            {"y": scale.y(1), "text": compact_number(kr.target)},
        ],
        "target_y": scale.y(1),
        "better": kr.better,
    }


def band(kr: KeyResultView, tq: TeamQuarterReport, today: date) -> dict:
    """A threshold: the level as a line, the good side of it shaded, the check-ins as measured."""
    level = kr.keep_above if kr.keep_above is not None else kr.keep_below
    assert level is not None  # a threshold text comes from one of them
    values = [c.value for c in kr.checkins] + ([kr.current] if kr.current is not None and not kr.checkins else [])
    spread = max((abs(value - level) for value in values), default=0) or abs(level) * 0.01 or 1
    scale, chart = _frame(tq, today, level - spread * 1.25, level + spread * 1.25)
    dots = _points(scale, kr, [c.value for c in kr.checkins])
    if not kr.checkins and kr.current is not None:  # no check-in yet: the written current value, as of today
        day = min(max(today, tq.start), tq.end)
        label = f"current value {format_number(kr.current)}"
        dots.append({"x": scale.x(day), "y": scale.y(kr.current), "clipped": None, "label": label})
    for dot, value in zip(dots, values, strict=True):
        dot["breach"] = value < level if kr.keep_above is not None else value > level
    level_y = scale.y(level)
    good = (chart["top"], level_y) if kr.keep_above is not None else (level_y, chart["bottom"])
    return chart | {
        "kind": "band",
        "level_y": level_y,
        "good": {"y": good[0], "height": round(good[1] - good[0], 1)},
        "line": " ".join(f"{dot['x']},{dot['y']}" for dot in dots),
        "dots": dots,
        "labels": [{"y": level_y, "text": compact_number(level)}],
        "better": kr.better,
    }


def _months(tq: TeamQuarterReport, scale: Scale, label: str) -> list[dict]:
    months = []
    day = tq.start
    while day <= tq.end:
        months.append({"x": scale.x(day), "label": format(day, label)})
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def timeline(tq: TeamQuarterReport, today: date) -> dict:
    """Sprints on the quarter's time axis; each bar split into OKR work, operational work and free capacity.

    Two layouts of the same geometry: ``lanes`` side by side on one row (wide screens, print) and ``rows``, one
    sprint a row with its label above its bar (narrow screens), so that labels keep their size on a phone.
    """
    scale = Scale(tq.start, tq.days + 1, 10, TIMELINE_WIDTH - 20)
    narrow = Scale(tq.start, tq.days + 1, 8, NARROW_WIDTH - 16)
    lanes, rows = [], []
    for index, sprint in enumerate(tq.sprints):
        label = f"{sprint.id} · {format_number(sprint.committed)}/{format_number(sprint.capacity)}"
        lanes.append({"sprint": sprint, "label": label, "y": 30, **_bar(scale, sprint)})
        row = {
            "sprint": sprint,
            "label": f"{label} · {sprint.state}",
            "y": 28 + index * NARROW_ROW,
            **_bar(narrow, sprint),
        }
        late = row["x"] > NARROW_WIDTH / 2  # a late sprint's label ends at its bar's end, inside the chart
        row["label_x"], row["anchor"] = (row["x"] + row["width"], "end") if late else (row["x"], "start")
        rows.append(row)
    shown_today = tq.start <= today <= tq.end
    today_x = scale.x(today) if shown_today else None
    return {
        "width": TIMELINE_WIDTH,
        "height": 30 + LANE_HEIGHT + 34,  # room for each lane's state under its label
        "lanes": lanes,
        "months": _months(tq, scale, "%b %Y"),
        "today": today_x,
        "today_anchor": "end" if today_x is not None and today_x > TIMELINE_WIDTH - 60 else "start",
        "bar_height": LANE_HEIGHT - 22,
        "narrow": {
            "width": NARROW_WIDTH,
            "height": 34 + len(rows) * NARROW_ROW,
            "rows": rows,
            "months": _months(tq, narrow, "%b"),
            "today": narrow.x(today) if shown_today else None,
        },
    }


def _bar(scale: Scale, sprint: SprintView) -> dict:
    """Where a sprint's bar sits and how its width splits into OKR work, operational work and free capacity."""
    x, end = scale.x(sprint.start), scale.x(date.fromordinal(sprint.end.toordinal() + 1))
    full = max(exact(sprint.capacity or 0), sprint.committed) or Fraction(1)
    span = max(end - x, 1)
    okr = float(sprint.okr / full) * span
    operational = float(sprint.operational / full) * span
    return {
        "x": x,
        "width": span,
        "okr": round(okr, 1),
        "operational": round(operational, 1),
        "free": round(span - okr - operational, 1),
    }


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("okrsprint.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(number=format_number, percent=percent, compact=compact_number)
    environment.globals.update(date_range=common.date_range, sparkline=common.sparkline, value_path=common.value_path)
    return environment


def _status_counts(tq: TeamQuarterReport) -> dict[str, int]:
    """Key results per status; held and breached only for a team-quarter that has thresholds."""
    statuses = [kr.status for objective in tq.objectives for kr in objective.key_results]
    shown = [ON_TRACK, BEHIND, DONE] + ([HELD, BREACHED] if HELD in statuses or BREACHED in statuses else [])
    return {status: statuses.count(status) for status in shown}


def _tree_node(node: AlignmentNode, is_root: bool, linked: set[str], quarter: str) -> dict:
    """One node of the HTML tree: its key results with the objectives that drive each (company objectives list
    every key result, others only those something drives), then the objectives aligned to it directly."""
    shown = [kr for kr in node.key_results if is_root or any(child.via == kr.id for child in node.children)]
    ids = {kr.id for kr in shown}
    return {
        "node": node,
        "href": f"#{node.team}-{quarter}" if node.team in linked else None,
        "key_results": [
            {"kr": kr, "children": [_tree_node(c, False, linked, quarter) for c in node.children if c.via == kr.id]}
            for kr in shown
        ],
        "children": [_tree_node(c, False, linked, quarter) for c in node.children if c.via not in ids],
    }


def report(view: Report) -> str:
    sections = [
        {
            "tq": tq,
            "counts": _status_counts(tq),
            "burnups": {kr.ref: burnup(kr, tq, view.today) for o in tq.objectives for kr in o.key_results},
            "timeline": timeline(tq, view.today),
            "load": {s.id: _load_parts(s) for s in tq.sprints},
            "so_far": common.so_far_sentence(tq.so_far),
        }
        for tq in view.team_quarters
    ]
    linked = {tq.team for tq in view.team_quarters}
    tree = view.alignment
    alignment = (
        {"roots": [_tree_node(root, True, linked, view.quarter) for root in tree.roots], "unaligned": tree.unaligned}
        if tree
        else None
    )
    template = _environment().get_template("report.html.j2")
    return template.render(view=view, sections=sections, alignment=alignment, linked=linked, version=__version__)


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
            "score": common.score_text(kr.score),
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
            "rhythm": common.rhythm_lines(team.rhythm, view.so_far),
            "strips": [
                rhythm_strip(kr, view, team.rhythm.checkin_interval_days)
                for objective in team.objectives
                for kr in objective.key_results
            ],
        }
        for team in view.teams
    ]
    environment = _environment()
    environment.globals.update(score_text=common.score_text, goal_path=common.goal_path, output_text=common.output_text)
    template = environment.get_template("retro.html.j2")
    return template.render(view=view, sections=sections, heading=common.retro_heading(view), version=__version__)
