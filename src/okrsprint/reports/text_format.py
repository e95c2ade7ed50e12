"""Terminal layout of the report views with rich: tables that fit 80 columns and read without colour."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from okrsprint.metrics import format_number, percent
from okrsprint.reports.backlog import Backlog, BacklogEntry, BacklogGroup
from okrsprint.reports.data import BEHIND, DONE, ON_TRACK, Report, SprintView, TeamQuarterReport
from okrsprint.reports.formatting import bar, date_range, sparkline, value_path
from okrsprint.reports.review import SprintReview

STATUS_STYLES = {DONE: "bold green", ON_TRACK: "green", BEHIND: "bold red"}
MOVED = {True: ("moved toward target", "green"), False: ("did not move toward target", "red"), None: ("no data", "dim")}


def _table(*columns: str, **options) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True, header_style="bold", **options
    )
    for column in columns:
        table.add_column(column)
    return table


def report(view: Report) -> RenderableType:
    parts: list[RenderableType] = []
    for team_quarter in view.team_quarters:
        parts.extend(_team_quarter(team_quarter))
    return Group(*parts)


def _team_quarter(tq: TeamQuarterReport) -> list[RenderableType]:
    heading = Text()
    heading.append(f"{tq.team} · {tq.quarter}", style="bold underline")
    heading.append(f"  {date_range(tq.start, tq.end)} · day {tq.day} of {tq.days} ({percent(tq.elapsed)} elapsed)")
    parts: list[RenderableType] = [heading, Text()]
    for objective in tq.objectives:
        title = Text(f"{objective.id}  ", style="bold")
        title.append(objective.title, style="bold")
        details = [
            detail
            for detail in (objective.owner, objective.type, objective.aligns_to and f"→ {objective.aligns_to}")
            if detail
        ]
        title.append(f"  ({', '.join(details)})", style="dim")
        parts.append(title)
        table = _table("KR", "Key result", "Progress", "Status", "Conf.", "Trend")
        table.columns[1].ratio = 1
        table.columns[1].min_width = 18
        for kr in objective.key_results:
            result = Text(kr.title)
            result.append("\n" + value_path(kr.baseline, kr.current, kr.target, kr.unit), style="dim")
            progress = f"{bar(kr.shown_progress)} {percent(kr.shown_progress):>4}"
            status = Text(kr.status, style=STATUS_STYLES.get(kr.status, "dim"))
            trend = sparkline(kr.trend)
            table.add_row(kr.ref, result, progress, status, format_number(kr.confidence), trend)
        parts.extend([table, Text()])
    if tq.sprints:
        parts.extend([Text("Sprints", style="bold"), _sprints(tq.sprints), Text()])
        parts.extend([Text("Traceability: key result × sprint", style="bold"), _matrix(tq), _legend(), Text()])
    parts.extend([_capacity(tq), Text()])
    return parts


def _sprints(sprints: list[SprintView]) -> Table:
    table = _table("Sprint", "Dates", "Goal", "KRs", "Load", "OKR/ops")
    table.columns[2].ratio = 1
    for sprint in sprints:
        load = f"{format_number(sprint.committed)}/{format_number(sprint.capacity)}"
        if sprint.load is not None:
            load += f" {percent(sprint.load)}"
        goal = Text(sprint.goal or "(no goal)", style="" if sprint.goal else "dim")
        split = f"{format_number(sprint.okr)}/{format_number(sprint.operational)}"
        table.add_row(sprint.id, date_range(sprint.start, sprint.end), goal, ", ".join(sprint.krs) or "–", load, split)
    return table


def _matrix(tq: TeamQuarterReport) -> Table:
    table = _table("Key result", *(sprint.id for sprint in tq.sprints))
    for column in table.columns[1:]:
        column.justify = "center"
    for row in tq.traceability:
        cells = [_cell(cell.goal, len(cell.items)) for cell in row.cells]
        table.add_row(row.key_result, *cells)
    return table


def _cell(goal: bool, items: int) -> Text:
    if not goal and not items:
        return Text("·", style="dim")
    mark = "●" if goal else "○"
    return Text(f"{mark}{items or ''}", style="green" if goal else "yellow")


def _legend() -> Text:
    return Text("● the sprint goal drives it  ○ only its items do  n: items tagged with it", style="dim")


def _capacity(tq: TeamQuarterReport) -> Text:
    share = tq.capacity
    band = f"{percent(share.low)}–{percent(share.high)}"
    text = Text("OKR capacity share: ", style="bold")
    if share.share is None:
        text.append(f"nothing committed yet (band {band})", style="dim")
        return text
    text.append(f"{percent(share.share)}", style="green" if share.within else "bold red")
    text.append(f" {'within' if share.within else 'OUTSIDE'} the {band} band (okr_capacity)\n")
    text.append(
        f"{format_number(share.okr)} of {format_number(share.total)} committed points drive key results, "
        f"{format_number(share.operational)} are operational",
        style="dim",
    )
    return text


def backlog(view: Backlog) -> RenderableType:
    heading = Text(f"{view.team} · {view.quarter} backlog", style="bold underline")
    heading.append(f"  {percent(view.elapsed)} of the quarter elapsed on {view.today}")
    return Group(
        heading,
        Text(),
        *_backlog_group(view.okr, "Driving key results (furthest behind first)"),
        *_backlog_group(view.operational, "Operational work (deferred, never dropped)"),
    )


def _backlog_group(group: BacklogGroup, title: str) -> list[RenderableType]:
    heading = Text(title, style="bold")
    heading.append(f"  {format_number(group.estimate)} points, {percent(group.share)} of the estimate")
    operational = group.name == "operational"
    table = _table("#", "Item", "Title", "KRs", "Est.", "Status", "Order" if operational else "Behind")
    table.columns[2].ratio = 1
    for position, entry in enumerate(group.items, 1):
        style = "dim" if entry.status == "done" else ""
        table.add_row(
            str(position),
            entry.id,
            Text(entry.title, style=style),
            ", ".join(entry.krs) or "–",
            format_number(entry.estimate),
            entry.status,
            _lag(entry),
        )
    return [heading, table, Text()]


def _lag(entry: BacklogEntry) -> str:
    """``+16 pts``: percentage points the item's key result trails the calendar by; operational items are deferred."""
    if entry.deferred:
        return "deferred"
    return "–" if entry.behind is None else f"{float(entry.behind) * 100:+.0f} pts"


def review(view: SprintReview) -> RenderableType:
    heading = Text(f"{view.team} · {view.quarter} · sprint {view.sprint} review", style="bold underline")
    heading.append(f"  {date_range(view.start, view.end)}")
    parts: list[RenderableType] = [heading]
    if view.goal:
        parts.append(Text(f"Goal: {view.goal}"))
    output = Text("\nOutput: ", style="bold")
    output.append(
        f"{view.done_items} of {view.committed_items} items done, "
        f"{format_number(view.done_points)} of {format_number(view.committed_points)} points"
        + (f" (capacity {format_number(view.capacity)})" if view.capacity is not None else "")
    )
    items = _table("Item", "Title", "KRs", "Est.", "Status")
    items.columns[1].ratio = 1
    for item in view.items:
        status = Text(item.status, style="green" if item.status == "done" else "yellow")
        items.add_row(item.id, item.title, ", ".join(item.krs) or "–", format_number(item.estimate), status)
    parts.extend([output, items, Text()])
    parts.append(
        Text("Outcome: ", style="bold").append("linked key results the day before the sprint and on its last day")
    )
    if view.outcomes:
        outcomes = _table("KR", "Key result", "Before", "After", "Change", "Moved")
        outcomes.columns[1].ratio = 1
        for result in view.outcomes:
            label, style = MOVED[result.moved_toward_target]
            change = "–" if result.change is None else f"{float(result.change):+g}"
            outcomes.add_row(
                result.key_result,
                result.title,
                f"{format_number(result.before)}\n{result.before_date}",
                f"{format_number(result.after)}\n{result.after_date}",
                change + (f" {result.unit}" if result.unit and result.change is not None else ""),
                Text(label, style=style),
            )
        parts.append(outcomes)
    else:
        parts.append(Text("  the sprint is linked to no key result", style="dim"))
    for finding in view.findings:
        parts.append(Text())
        parts.append(Text(f"{finding['code']} [{finding['severity']}] {finding['message']}", style="yellow"))
    return Group(*parts)
