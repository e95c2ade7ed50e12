"""Markdown of the report and review views: for a wiki page, a PR comment or a CI job summary."""

from __future__ import annotations

import html

from okrsprint.metrics import format_number, percent
from okrsprint.reports.data import Report, TeamQuarterReport
from okrsprint.reports.formatting import bar, date_range, sparkline, value_path
from okrsprint.reports.review import SprintReview

MOVED = {True: "✅ toward target", False: "❌ not toward target", None: "–"}


def inline(text: object) -> str:
    """User text on one line, with HTML characters escaped: markdown renderers pass raw HTML through."""
    return html.escape(" ".join(str(text).split()), quote=False)


def cell(text: object) -> str:
    """User text made safe for a table cell: no pipe ends the cell, no newline ends the row."""
    return inline(text).replace("|", "\\|")


def table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(cell(value) for value in row) + " |" for row in rows)
    return lines + [""]


def report(view: Report) -> str:
    lines = [f"# OKR report {view.quarter}", "", f"As of {view.today}.", ""]
    for team_quarter in view.team_quarters:
        lines.extend(_team_quarter(team_quarter))
    return "\n".join(lines)


def _team_quarter(tq: TeamQuarterReport) -> list[str]:
    lines = [
        f"## {tq.team} · {tq.quarter}",
        "",
        f"{date_range(tq.start, tq.end)} · day {tq.day} of {tq.days} ({percent(tq.elapsed)} elapsed)",
        "",
    ]
    for objective in tq.objectives:
        details = ", ".join(
            d for d in (objective.owner, objective.type, objective.aligns_to and f"→ {objective.aligns_to}") if d
        )
        lines.extend([f"### {objective.id} {inline(objective.title)} ({inline(details)})", ""])
        rows = [
            [
                kr.ref,
                kr.title,
                value_path(kr.baseline, kr.current, kr.target, kr.unit),
                f"`{bar(kr.shown_progress)}` {percent(kr.shown_progress)}",
                kr.status,
                format_number(kr.confidence),
                sparkline(kr.trend),
            ]
            for kr in objective.key_results
        ]
        lines.extend(
            table(
                ["KR", "Key result", "Baseline → current → target", "Progress", "Status", "Confidence", "Trend"], rows
            )
        )
    if tq.sprints:
        rows = [
            [
                s.id,
                date_range(s.start, s.end),
                s.goal or "–",
                ", ".join(s.krs) or "–",
                f"{format_number(s.committed)}/{format_number(s.capacity)}",
                percent(s.load),
                format_number(s.okr),
                format_number(s.operational),
            ]
            for s in tq.sprints
        ]
        lines.extend(["### Sprints", ""])
        lines.extend(
            table(["Sprint", "Dates", "Goal", "KRs", "Committed/capacity", "Load", "OKR", "Operational"], rows)
        )
        lines.extend(["### Traceability", ""])
        matrix = [[row.key_result, *(_cell(c.goal, len(c.items)) for c in row.cells)] for row in tq.traceability]
        lines.extend(table(["Key result", *(s.id for s in tq.sprints)], matrix))
        lines.extend(
            ["● the sprint goal drives it, ○ only its committed items do; n: committed items tagged with it", ""]
        )
    share = tq.capacity
    band = f"{percent(share.low)}–{percent(share.high)}"
    if share.share is None:
        lines.extend([f"**OKR capacity share:** nothing committed yet (band {band}).", ""])
    else:
        verdict = "within" if share.within else "**outside**"
        lines.extend(
            [
                f"**OKR capacity share:** {percent(share.share)} ({format_number(share.okr)} of {format_number(share.total)} "
                f"committed points drive key results, {format_number(share.operational)} operational), {verdict} the {band} band.",
                "",
            ]
        )
    return lines


def _cell(goal: bool, items: int) -> str:
    if not goal and not items:
        return "·"
    return f"{'●' if goal else '○'}{items or ''}"


def review(view: SprintReview) -> str:
    lines = [
        f"# Sprint review: {view.team} {view.sprint} ({view.quarter})",
        "",
        f"{date_range(view.start, view.end)}",
        "",
    ]
    if view.goal:
        lines.extend([f"**Goal:** {inline(view.goal)}", ""])
    lines.extend(
        [
            "## Output",
            "",
            f"{view.done_items} of {view.committed_items} items done, {format_number(view.done_points)} of "
            f"{format_number(view.committed_points)} points.",
            "",
        ]
    )
    rows = [[i.id, i.title, ", ".join(i.krs) or "–", format_number(i.estimate), i.status] for i in view.items]
    lines.extend(table(["Item", "Title", "KRs", "Estimate", "Status"], rows))
    lines.extend(["## Outcome", ""])
    if view.outcomes:
        rows = [
            [
                o.key_result,
                o.title,
                f"{format_number(o.before)} ({o.before_date})",
                f"{format_number(o.after)} ({o.after_date})",
                "–" if o.change is None else f"{float(o.change):+g}",
                MOVED[o.moved_toward_target],
            ]
            for o in view.outcomes
        ]
        lines.extend(table(["KR", "Key result", "Day before", "Last day", "Change", "Moved"], rows))
    else:
        lines.extend(["The sprint is linked to no key result.", ""])
    for finding in view.findings:
        lines.extend([f"> **{finding['code']}** ({finding['severity']}): {inline(finding['message'])}", ""])
    return "\n".join(lines)
