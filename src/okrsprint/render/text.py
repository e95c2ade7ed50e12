"""``path:line:col: CODE [severity] message`` lines and a one-line summary, as ruff and yamllint print them.

Printed with plain ANSI codes rather than rich: this is the output of every
pre-commit run, and importing rich would cost it ~30 ms of start-up. Every
string from a plan file goes through ``inert_terminal``, and into rich only as
``Text`` (a ``str`` cell would be read as rich markup).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TextIO, cast

from okrsprint.engine import CheckResult
from okrsprint.findings import Severity
from okrsprint.metrics import BEHIND, BREACHED, DONE, HELD, ON_TRACK
from okrsprint.numbers import format_number, percent, plural
from okrsprint.render.common import (
    STYLES,
    bar,
    date_range,
    diff_header,
    diff_summary,
    goal_path,
    goal_text,
    group_label,
    in_group,
    inert_terminal,
    output_text,
    retro_heading,
    rhythm_lines,
    score_text,
    so_far_sentence,
    sparkline,
    tree_lines,
    where,
)

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

    # the views are annotations only: `check`, the pre-commit hook, imports none of them (~30 ms)
    from okrsprint.views.alignment import AlignmentTree
    from okrsprint.views.backlog import Backlog, BacklogEntry, BacklogGroup
    from okrsprint.views.diff import DiffResult
    from okrsprint.views.planning import SprintProposal
    from okrsprint.views.report import Report, SprintView, TeamQuarterReport
    from okrsprint.views.retro import Retro, TeamRetro
    from okrsprint.views.review import SprintReview

SIGN_STYLES = {"+": "green", "-": "red", "~": "yellow"}
_ANSI = {"bold": "1", "bold red": "1;31", "yellow": "33", "cyan": "36", "green": "32"}


class Styled:
    """Text made of (text, style) runs: ``plain`` for files, ``ansi`` for a terminal."""

    def __init__(self) -> None:
        self.runs: list[tuple[str, str | None]] = []

    def append(self, text: str, style: str | None = None) -> None:
        self.runs.append((text, style))

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.runs)

    @property
    def ansi(self) -> str:
        return "".join(f"\x1b[{_ANSI[style]}m{text}\x1b[0m" if style else text for text, style in self.runs)

    def write(self, stream: TextIO) -> None:
        """Coloured only on a terminal, never under NO_COLOR or TERM=dumb (FORCE_COLOR forces it)."""
        if os.environ.get("FORCE_COLOR"):
            color = True
        else:
            color = stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
        stream.write(self.ansi if color else self.plain)


def check(result: CheckResult, *, quiet: bool = False) -> Styled:
    out = Styled()
    for finding in result.findings:
        location = finding.location
        out.append(f"{inert_terminal(location.file)}:{location.line}:{location.column}:", "bold")
        out.append(" ")
        out.append(f"{finding.code} [{finding.severity.value}]", STYLES[finding.severity])
        out.append(f" {inert_terminal(finding.message)}\n")
    if not quiet:
        text, style = summary_line(result)
        out.append(text, style)
        out.append("\n")
    return out


def summary_line(result: CheckResult) -> tuple[str, str]:
    """The closing line and its style."""
    counts = result.summary()
    scope = f"{plural(counts['files'], 'file')}, {plural(counts['documents'], 'plan document')}"
    if result.hidden:
        scope += f"; {plural(result.hidden, 'finding')} in other files not shown"
    if not result.findings:
        return f"All checks passed ({scope}).", "green"
    parts = [plural(counts["errors"], "error"), plural(counts["warnings"], "warning"), plural(counts["infos"], "info")]
    style = "bold red" if counts["errors"] else "yellow"
    return f"Found {plural(len(result.findings), 'problem')}: {', '.join(parts)} ({scope}).", style


# -- reports: report, backlog, review --------------------------------------------------------------


STATUS_STYLES = {DONE: "bold green", ON_TRACK: "green", BEHIND: "bold red", HELD: "green", BREACHED: "bold red"}
MOVED = {True: ("moved toward target", "green"), False: ("did not move toward target", "red"), None: ("no data", "dim")}
HELD_LABELS = {True: ("held", "green"), False: ("breached", "red"), None: ("no data", "dim")}
"""A threshold key result in a review: judged by its level at the end, not by a direction."""


class Column:
    """One column of a ``Table``: its header; a ``flexible`` one takes the width the others leave and wraps."""

    def __init__(self, header: Text) -> None:
        self.header = header
        self.flexible = False
        self.min_width = 10
        self.justify = "left"


class Table:
    """Rows of ``Text`` cells under a bold header and a rule, columns two spaces apart, no trailing spaces.

    A rich renderable, laid out here rather than by ``rich.table.Table``, which measures and pads every cell
    several times: two thirds of a text report on 500 teams (2 500 tables) went to it. The width is the
    console's; when the columns do not fit, the ``flexible`` column gives way first (its text wraps) down to its
    ``min_width``, then the widest of the others, each down to four cells (long words fold).
    """

    GAP = 2
    NARROWEST = 4

    def __init__(self, *headers: str) -> None:
        self.columns = [Column(_plain(header, style="bold")) for header in headers]
        self.rows: list[tuple[Text, ...]] = []

    def add_row(self, *cells: Text) -> None:
        self.rows.append(cells)

    def __rich_console__(self, console, options):
        from rich.segment import Segment

        widths = self._widths(options.max_width)
        yield from self._lines(console, [column.header for column in self.columns], widths)
        yield Segment("─" * (sum(widths) + self.GAP * (len(widths) - 1)))
        yield Segment.line()
        for row in self.rows:
            yield from self._lines(console, row, widths)

    def _widths(self, width: int) -> list[int]:
        cells = [[column.header] + [row[at] for row in self.rows] for at, column in enumerate(self.columns)]
        widths = [max(max(map(_cells, cell.plain.split("\n"))) for cell in column) for column in cells]
        excess = sum(widths) + self.GAP * (len(widths) - 1) - width
        flexible = [at for at, column in enumerate(self.columns) if column.flexible]
        others = sorted(set(range(len(widths))) - set(flexible), key=lambda at: -widths[at])
        for last_resort in (False, True):  # down to the floors; on a screen too narrow even for those, to 1
            for at in [*flexible, *others]:
                if excess <= 0:
                    return widths
                floor = 1 if last_resort else self.columns[at].min_width if at in flexible else self.NARROWEST
                cut = min(excess, max(0, widths[at] - floor))
                widths[at] -= cut
                excess -= cut
        return widths

    def _lines(self, console, cells, widths: list[int]):
        from rich.segment import Segment

        wrapped = [
            _wrapped(cell, console, width) if "\n" in cell.plain or _cells(cell.plain) > width else [cell]
            for cell, width in zip(cells, widths, strict=True)
        ]
        for number in range(max(map(len, wrapped))):
            segments: list = []
            pending = 0  # spaces owed before the next cell with text: none is written at the end of a line
            for lines, width, column in zip(wrapped, widths, self.columns, strict=True):
                line = lines[number] if number < len(lines) else None
                used = _cells(line.plain) if line is not None else 0
                before = (width - used) // 2 if column.justify == "center" else 0
                if line is not None and used:
                    segments.append(Segment(" " * (pending + before)))
                    segments.extend(line.render(console, end=""))
                    pending = 0
                else:
                    pending += before
                pending += width - used - before + self.GAP
            yield from segments
            yield Segment.line()


def _cells(text: str) -> int:
    """How many terminal cells ``text`` takes: its length, unless it has wide or zero-width characters."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _wrapped(cell: Text, console, width: int) -> list[Text]:
    """A cell's lines at ``width``, without the space a line was broken at."""
    lines = []
    for line in cell.split("\n", allow_blank=True):
        if _cells(line.plain) <= width:
            lines.append(line)
            continue
        for part in line.wrap(console, width, overflow="fold"):
            part.rstrip()
            lines.append(part)
    return lines


def _plain(text: object, style: str = "") -> Text:
    """Plan text as rich ``Text``: escaped for the terminal, never read as markup."""
    from rich.text import Text

    return Text(inert_terminal(text), style=style)


def _add_row(table: Table, *cells: object) -> None:
    """A table row whose ``str`` cells are plain text: rich would read ``[bold]`` or ``[link=…]`` in them."""
    table.add_row(*(cast("Text", cell) if hasattr(cell, "__rich_console__") else _plain(cell) for cell in cells))


def report(view: Report) -> RenderableType:
    from rich.console import Group

    parts: list[RenderableType] = _alignment(view.alignment) if view.alignment else []
    for team_quarter in view.team_quarters:
        parts.extend(_team_quarter(team_quarter))
    return Group(*parts)


def _alignment(tree: AlignmentTree) -> list[RenderableType]:
    """The tree that opens the report: company objectives, their key results, what rolls up into each."""
    from rich.text import Text

    rows = [Text("Alignment: the company's objectives and what rolls up into them", style="bold underline")]
    for line in tree_lines(tree):
        row = Text(line.prefix, style="dim", no_wrap=True, overflow="ellipsis")
        if line.node is not None:
            node = line.node
            row.append(inert_terminal(f"{node.team}:{node.id}"), style="bold")
            row.append(f"  {bar(node.progress)} {percent(node.progress):>4}  ")
            row.append(inert_terminal(node.title), style="bold" if line.depth == 0 else "")
        elif line.key_result is not None:
            kr = line.key_result
            row.append(inert_terminal(kr.id))
            row.append(f"  {bar(kr.progress)} {percent(kr.progress):>4}  ")
            row.append(kr.status, style=STATUS_STYLES.get(kr.status, "dim"))
            row.append(inert_terminal(f"  {kr.title}" + (f" ({kr.threshold})" if kr.threshold else "")))
        rows.append(row)
    if tree.unaligned:
        rows.append(Text("Aligned to nothing:", style="bold"))
        for entry in tree.unaligned:
            row = Text(inert_terminal(f"{entry.team}:{entry.id}"), style="yellow", no_wrap=True, overflow="ellipsis")
            rows.append(
                row.append(f"  {bar(entry.progress)} {percent(entry.progress):>4}  {inert_terminal(entry.title)}")
            )
    return [*rows, Text()]


def _team_quarter(tq: TeamQuarterReport) -> list[RenderableType]:
    from rich.text import Text

    heading = Text()
    heading.append(inert_terminal(f"{tq.team} · {tq.quarter}"), style="bold underline")
    heading.append(f"  {date_range(tq.start, tq.end)} · day {tq.day} of {tq.days} ({percent(tq.elapsed)} elapsed)")
    parts: list[RenderableType] = [heading, Text()]
    for objective in tq.objectives:
        title = Text(f"{inert_terminal(objective.id)}  ", style="bold")
        title.append(inert_terminal(objective.title), style="bold")
        details = [
            detail
            for detail in (objective.owner, objective.type, ", ".join(f"→ {parent}" for parent in objective.aligns_to))
            if detail
        ]
        title.append(inert_terminal(f"  ({', '.join(details)})"), style="dim")
        parts.append(title)
        table = Table("KR", "Key result", "Progress", "Status", "Conf.", "Trend")
        table.columns[1].flexible = True
        table.columns[1].min_width = 18
        for kr in objective.key_results:
            result = _plain(kr.title)
            result.append("\n" + inert_terminal(goal_text(kr)), style="dim")
            progress = f"{bar(kr.shown_progress)} {percent(kr.shown_progress):>4}"
            status = Text(kr.status, style=STATUS_STYLES.get(kr.status, "dim"))
            trend = sparkline(kr.trend)
            _add_row(table, kr.ref, result, progress, status, format_number(kr.confidence), trend)
        parts.extend([table, Text()])
    if tq.sprints:
        parts.extend([Text("Sprints", style="bold"), _sprints(tq.sprints), Text()])
        parts.extend([Text("Traceability: key result × sprint", style="bold"), _matrix(tq), _legend(), Text()])
    if tq.sprints:  # a team-quarter without sprints (the company's) has no capacity to split
        parts.extend([_capacity(tq), _so_far(tq), Text()])
    return parts


def _so_far(tq: TeamQuarterReport) -> Text:
    from rich.text import Text

    head, detail = so_far_sentence(tq.so_far, inert_terminal)
    style = "" if tq.so_far.within is not False else "yellow"
    return Text(head, style="bold").append(f": {detail}", style=style)


STATE_STYLES = {"done": "dim", "current": "bold green", "upcoming": "cyan", "open": "dim italic"}


def _sprints(sprints: list[SprintView]) -> Table:
    table = Table("Sprint", "State", "Dates", "Goal", "KRs", "Load", "OKR/ops")
    table.columns[3].flexible = True
    for sprint in sprints:
        load = f"{format_number(sprint.committed)}/{format_number(sprint.capacity)}"
        if sprint.load is not None:
            load += f" {percent(sprint.load)}"
        goal = _plain(sprint.goal or "(no goal)", style="" if sprint.goal else "dim")
        split = f"{format_number(sprint.okr)}/{format_number(sprint.operational)}"
        state = _plain(sprint.state, style=STATE_STYLES[sprint.state])
        krs = ", ".join(sprint.krs) or "–"
        _add_row(table, sprint.id, state, date_range(sprint.start, sprint.end), goal, krs, load, split)
    return table


def _matrix(tq: TeamQuarterReport) -> Table:
    table = Table("Key result", *(sprint.id for sprint in tq.sprints))
    for column in table.columns[1:]:
        column.justify = "center"
    for row in tq.traceability:
        cells = [_cell(cell.goal, len(cell.items)) for cell in row.cells]
        _add_row(table, row.key_result, *cells)
    return table


def _cell(goal: bool, items: int) -> Text:
    from rich.text import Text

    if not goal and not items:
        return Text("·", style="dim")
    mark = "●" if goal else "○"
    return Text(f"{mark}{items or ''}", style="green" if goal else "yellow")


def _legend() -> Text:
    from rich.text import Text

    return Text("● the sprint goal drives it  ○ only its items do  n: items tagged with it", style="dim")


def _capacity(tq: TeamQuarterReport) -> Text:
    from rich.text import Text

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
    from rich.console import Group
    from rich.text import Text

    heading = _plain(f"{view.team} · {view.quarter} backlog", style="bold underline")
    heading.append(f"  {percent(view.elapsed)} of the quarter elapsed on {view.today}")
    return Group(
        heading,
        Text(),
        *_backlog_group(view.okr, "Driving key results (furthest behind first)"),
        *_backlog_group(view.operational, "Operational work (deferred, never dropped)"),
        *_backlog_group(view.done, "Done"),
    )


def _backlog_group(group: BacklogGroup, title: str) -> list[RenderableType]:
    from rich.text import Text

    heading = Text(title, style="bold")
    heading.append(f"  {format_number(group.estimate)} points, {percent(group.share)} of the estimate")
    last_column = {"okr": "Behind", "operational": "Order", "done": "Order"}[group.name]
    table = Table("#", "Item", "Title", "KRs", "Est.", "Status", last_column)
    table.columns[2].flexible = True
    for position, entry in enumerate(group.items, 1):
        style = "dim" if entry.status == "done" else ""
        _add_row(
            table,
            str(position),
            entry.id,
            _plain(entry.title, style=style),
            ", ".join(entry.krs) or "–",
            format_number(entry.estimate),
            entry.status,
            "–" if group.name == "done" else _lag(entry),
        )
    return [heading, table, Text()]


def _lag(entry: BacklogEntry) -> str:
    """``+16 pts``: percentage points the item's key result trails the calendar by; operational items are deferred."""
    if entry.deferred:
        return "deferred"
    return "–" if entry.behind is None else f"{float(entry.behind) * 100:+.0f} pts"


def review(view: SprintReview) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    heading = _plain(f"{view.team} · {view.quarter} · sprint {view.sprint} review", style="bold underline")
    heading.append(f"  {date_range(view.start, view.end)}")
    parts: list[RenderableType] = [heading]
    if view.goal:
        parts.append(_plain(f"Goal: {view.goal}"))
    output = Text("\nOutput: ", style="bold")
    output.append(
        f"{view.done_items} of {view.committed_items} items done, "
        f"{format_number(view.done_points)} of {format_number(view.committed_points)} points"
        + (f" (capacity {format_number(view.capacity)})" if view.capacity is not None else "")
    )
    items = Table("Item", "Title", "KRs", "Est.", "Status")
    items.columns[1].flexible = True
    for item in view.items:
        status = Text(item.status, style="green" if item.status == "done" else "yellow")
        _add_row(items, item.id, item.title, ", ".join(item.krs) or "–", format_number(item.estimate), status)
    parts.extend([output, items, Text()])
    parts.append(
        Text("Outcome: ", style="bold").append(
            "linked key results the day before the sprint and on its last day + outcome_lag_days"
        )
    )
    if view.outcomes:
        outcomes = Table("KR", "Key result", "Before", "After", "Change", "Moved")
        outcomes.columns[1].flexible = True
        for result in view.outcomes:
            label, style = MOVED[result.moved_toward_target] if result.threshold is None else HELD_LABELS[result.held]
            change = "–" if result.change is None else f"{float(result.change):+g}"
            _add_row(
                outcomes,
                result.key_result,
                result.title,
                Text(f"{format_number(result.before)}\n{result.before_date}"),
                Text(f"{format_number(result.after)}\n{result.after_date}" + (" so far" if result.so_far else "")),
                change + (f" {result.unit}" if result.unit and result.change is not None else ""),
                Text(label, style=style),
            )
        parts.append(outcomes)
    else:
        parts.append(Text("  the sprint is linked to no key result", style="dim"))
    for finding in view.findings:
        parts.append(Text())
        parts.append(_plain(f"{finding['code']} [{finding['severity']}] {finding['message']}", style="yellow"))
    return Group(*parts)


def plan(view: SprintProposal) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    heading = _plain(f"{view.team} · {view.quarter} · sprint {view.sprint} planning", style="bold underline")
    heading.append(f"  {date_range(view.start, view.end)}")
    parts: list[RenderableType] = [heading, Text()]
    focus = Text("Focus: ", style="bold")
    focus.append(inert_terminal("; ".join(_focus_line(kr) for kr in view.focus) or "no key result to drive"))
    budget = Text("Budget: ", style="bold")
    budget.append(f"{format_number(view.budget)} of capacity {format_number(view.capacity)} ({view.budget_rule})")
    parts += [focus, budget, Text()]
    totals = Text("Proposed: ", style="bold")
    low, high = view.okr_capacity
    committed = f"{format_number(view.committed)} of {format_number(view.budget)} points"
    shares = f"OKR share {percent(view.sprint_okr_share)} in the sprint, {percent(view.quarter_okr_share)}"
    totals.append(f"{committed}; {shares} in the quarter after it (band {percent(low)}–{percent(high)})")
    parts.append(totals)
    if not view.mix_reachable:
        parts.append(
            Text("  no choice of items keeps the quarter's OKR share in the band: the mix was ignored", "yellow")
        )
    items = Table("Item", "Title", "KRs", "Est.", "Why")
    items.columns[1].flexible = True
    for item in view.items:
        _add_row(items, item.id, item.title, ", ".join(item.krs) or "–", format_number(item.estimate), item.why)
    parts += [items, Text()] if view.items else [Text("  nothing fits", style="dim"), Text()]
    if view.left_out:
        parts.append(Text("Left out", style="bold"))
        left_out = Table("Item", "Title", "Est.", "Why")
        left_out.columns[1].flexible = True
        for entry in view.left_out:
            _add_row(left_out, entry.id, entry.title, format_number(entry.estimate), LEFT_OUT[entry.reason])
        parts += [left_out, Text()]
    if view.needs_estimate:
        parts.append(_plain(f"Needs an estimate: {', '.join(view.needs_estimate)}", style="yellow"))
    targets = ", ".join(kr.id for kr in view.focus)
    moves = f" that moves {targets}: an outcome, not a task" if targets else ""
    prompt = f"Sprint goal: write what will be true at the end of {view.sprint}{moves}."
    parts.append(_plain(prompt, style="cyan"))
    return Group(*parts)


LEFT_OUT = {"does-not-fit": "does not fit", "breaks-mix": "would break the mix", "no-estimate": "no estimate"}


def _focus_line(key_result) -> str:
    lag = "" if key_result.behind is None else f" ({float(key_result.behind) * 100:+.0f} pts behind the calendar)"
    return f"{key_result.id} {key_result.title}{lag}"


# -- diff ------------------------------------------------------------------------------------------


def diff(result: DiffResult) -> Text:
    from rich.text import Text

    out = Text()
    out.append(inert_terminal(f"okrsprint diff: {diff_header(result)}"), style="bold")
    out.append(inert_terminal(f"  (root: {result.root}, today: {result.today})") + "\n")
    for key in result.groups():
        out.append(f"\n{inert_terminal(group_label(key))}\n", style="bold")
        for change in in_group(key, result.changes):
            out.append(f"  {change.sign} ", style=SIGN_STYLES[change.sign])
            out.append(f"{inert_terminal(change.text)}\n")
        for title, findings in (
            ("flagged", in_group(key, result.findings)),
            ("check findings introduced", in_group(key, result.introduced)),
            ("check findings fixed", in_group(key, result.fixed)),
        ):
            if findings:
                out.append(f"  {title}:\n", style="bold")
                for finding in findings:
                    out.append(f"    {inert_terminal(where(finding))}: ")
                    out.append(f"{finding.code} [{finding.severity.value}]", style=STYLES[finding.severity])
                    out.append(f" {inert_terminal(finding.message)}\n")
    if not result.groups():
        out.append("\nNo semantic change to the plan.\n", style="green")
    style = "bold red" if result.count(Severity.ERROR) else ("yellow" if result.findings else "green")
    out.append(f"\n{diff_summary(result)}.\n", style=style)
    return out


# -- retro -----------------------------------------------------------------------------------------

GRADE_STYLES = {"red": "bold red", "yellow": "yellow", "green": "bold green"}


def retro(view: Retro) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    parts: list[RenderableType] = [Text(retro_heading(view), style="bold"), Text()]
    if len(view.teams) > 1:
        table = Table("Team", "Objective scores")
        for row in view.summary:
            cells = Text()
            for index, (objective, score, grade) in enumerate(row.objectives):
                cells.append(", " if index else "")
                cells.append(f"{inert_terminal(objective)} {score_text(score)} {grade}", style=GRADE_STYLES[grade])
            _add_row(table, f"{row.team}{' (company)' if row.company else ''}", cells)
        parts += [Text("Scores by team", style="bold"), table, Text()]
    for team in view.teams:
        parts += _team_retro(team, view)
    return Group(*parts)


def _team_retro(team: TeamRetro, view: Retro) -> list[RenderableType]:
    from rich.text import Text

    parts: list[RenderableType] = [_plain(f"{team.team} · {team.quarter}", style="bold underline"), Text()]
    for objective in team.objectives:
        title = Text(f"{inert_terminal(objective.id)}  {inert_terminal(objective.title)}", style="bold")
        title.append(f"  ({objective.type}) ", style="dim")
        title.append(f"{score_text(objective.score)} {objective.grade}", style=GRADE_STYLES[objective.grade])
        title.append(f" · {objective.verdict}{view.so_far}")
        table = Table("KR", "Key result", "Score", "Check-ins")
        table.columns[1].flexible = True
        for kr in objective.key_results:
            result = _plain(kr.title)
            result.append("\n" + inert_terminal(goal_path(kr)), style="dim")
            gap = f"{kr.checkins}, longest gap {kr.longest_gap_days} d"
            gap_style = "yellow" if kr.longest_gap_days > team.rhythm.checkin_interval_days else ""
            _add_row(table, kr.id, result, f"{bar(kr.score, 6)} {score_text(kr.score)}", Text(gap, style=gap_style))
        parts += [title, table, Text()]
    parts.append(Text("Rhythm", style="bold"))
    parts += [Text(f"  {line}") for line in rhythm_lines(team.rhythm, view.so_far)]
    parts.append(Text(f"  Check-ins: every {team.rhythm.checkin_interval_days} days at most (checkin_interval_days)"))
    parts.append(Text())
    if team.sprints:
        table = Table("Sprint", "Output (done/committed)", "Outcome")
        for sprint in team.sprints:
            outcome = Text()
            if sprint.moved:
                outcome.append(inert_terminal(f"moved {', '.join(sprint.moved)}"), style="green")
            if sprint.not_moved:
                outcome.append("; " if sprint.moved else "")
                outcome.append(inert_terminal(f"not moved {', '.join(sprint.not_moved)}"), style="red")
            if sprint.output_without_outcome:
                outcome.append(" · output without outcome", style="bold red")
            _add_row(table, sprint.id, output_text(sprint), outcome if outcome.plain else Text("–", style="dim"))
        parts += [Text("Sprints", style="bold"), table, Text()]
    parts.append(Text("For the retrospective", style="bold"))
    for observation in team.observations:
        line = Text(f"  {observation.kind}: ", style="bold")
        line.append(inert_terminal(observation.text))
        line.append(inert_terminal(f"  [{', '.join(observation.refs)}]"), style="dim")
        parts.append(line)
    if not team.observations:
        parts.append(Text("  nothing stood out in the data", style="dim"))
    parts.append(Text())
    return parts
