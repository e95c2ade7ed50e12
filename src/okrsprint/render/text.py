"""The terminal's format: ``path:line:col: CODE [severity] message`` lines as ruff and yamllint print them,
and the reports as paragraphs and tables.

Laid out and coloured here, with plain ANSI codes, rather than by rich: importing rich costs every pre-commit
run ~30 ms, and rich's console took most of a text report's time on a big repo (measuring, wrapping and
cropping every cell and line again). Every string from a plan file goes through ``inert_terminal``; nothing
here reads markup, so ``[bold]`` in a plan is shown as written.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from okrsprint.engine import CheckResult
from okrsprint.findings import Severity
from okrsprint.metrics import BEHIND, BREACHED, DONE, HELD, ON_TRACK
from okrsprint.numbers import format_number, percent, plural
from okrsprint.render import TEXT_WIDTH
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
    # the views are annotations only: `check`, the pre-commit hook, imports none of them (~30 ms)
    from okrsprint.views.alignment import AlignmentTree
    from okrsprint.views.backlog import Backlog, BacklogEntry, BacklogGroup
    from okrsprint.views.diff import DiffResult
    from okrsprint.views.planning import SprintProposal
    from okrsprint.views.report import Report, SprintView, TeamQuarterReport
    from okrsprint.views.retro import Retro, TeamRetro
    from okrsprint.views.review import SprintReview

SIGN_STYLES = {"+": "green", "-": "red", "~": "yellow"}
SGR = {
    **{"bold": "1", "dim": "2", "italic": "3", "underline": "4"},
    **{"red": "31", "green": "32", "yellow": "33", "cyan": "36"},
}
"""The ANSI codes of the words a style is made of: attributes first, then the colour, as rich writes them."""

Run = tuple[str, str]
"""A piece of text and its style, ``""`` for none."""


class Styled:
    """Text made of (text, style) runs: ``plain`` for files and pipes, ``ansi`` for a terminal.

    As in rich's ``Text``, the ``style`` it is made with applies to everything appended to it. A ``no_wrap``
    text is cut with an ellipsis at the width rather than wrapped.
    """

    __slots__ = ("runs", "style", "no_wrap")

    def __init__(self, text: str = "", style: str = "", *, no_wrap: bool = False) -> None:
        self.style = style
        self.no_wrap = no_wrap
        self.runs: list[Run] = [(text, style)] if text else []

    def append(self, text: str, style: str = "") -> Styled:
        if text:
            self.runs.append((text, f"{self.style} {style}" if self.style and style else style or self.style))
        return self

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.runs)

    @property
    def ansi(self) -> str:
        return _ansi(self.runs)

    def write(self, stream: TextIO) -> None:
        """As it is, never wrapped (finding lines): coloured only where ``colour_on`` says so."""
        stream.write(self.ansi if colour_on(stream) else self.plain)

    def lines(self, width: int) -> list[list[Run]]:
        """Its lines at ``width`` (at least 1): broken between words as rich breaks them, a word wider than the
        line folded, no trailing spaces; a ``no_wrap`` line longer than the width ends in "…"."""
        plain, width = self.plain, max(width, 1)
        if "\n" not in plain and _cells(plain) <= width:
            return [_rstripped(self.runs)]
        lines, start = [], 0
        for line in plain.split("\n"):
            end = start + len(line)
            if _cells(line) <= width:
                lines.append(_rstripped(_slice(self.runs, start, end)))
            elif self.no_wrap:
                kept = _fit(line, width - 1)
                lines.append([*_slice(self.runs, start, start + len(kept)), ("…", self.style)])
            else:
                bounds = [start, *(start + at for at in _breaks(line, width)), end]
                lines.extend(_rstripped(_slice(self.runs, *pair)) for pair in itertools.pairwise(bounds))
            start = end + 1
        return lines


def colour_on(stream: TextIO) -> bool:
    """Colour only on a terminal, never under NO_COLOR or TERM=dumb; FORCE_COLOR forces it."""
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def terminal_width() -> int:
    """COLUMNS, else the width of the first of stdin, stdout and stderr that is a terminal, else 80: rich's rule,
    so ``okrsprint report | less`` is laid out for the terminal it is read in."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        return int(columns)
    for descriptor in (0, 1, 2):
        try:
            return os.get_terminal_size(descriptor).columns
        except (OSError, ValueError):
            continue
    return TEXT_WIDTH


def _ansi(runs: list[Run]) -> str:
    return "".join(f"\x1b[{_sgr(style)}m{text}\x1b[0m" if style else text for text, style in runs)


@functools.cache
def _sgr(style: str) -> str:
    words = style.split()
    return ";".join(code for word, code in SGR.items() if word in words)


def _slice(runs: list[Run], start: int, end: int) -> list[Run]:
    """The runs covering characters ``start`` to ``end`` of their text."""
    sliced, at = [], 0
    for text, style in runs:
        following = at + len(text)
        if following > start and at < end:
            sliced.append((text[max(start - at, 0) : end - at], style))
        at = following
    return sliced


def _rstripped(runs: list[Run]) -> list[Run]:
    """``runs`` without the white space they end with: no output line ends in spaces."""
    runs = list(runs)
    while runs and not runs[-1][0].rstrip():
        runs.pop()
    if runs and runs[-1][0] != runs[-1][0].rstrip():
        runs[-1] = (runs[-1][0].rstrip(), runs[-1][1])
    return runs


_WORD = re.compile(r"\s*\S+\s*")


def _breaks(line: str, width: int) -> list[int]:
    """Where a line longer than ``width`` is broken, as rich's word wrap does: before the first word that does not
    fit, and, for a word wider than the whole line, every ``width`` cells through it."""
    breaks: list[int] = []
    used = 0
    for word in _WORD.finditer(line):
        start, text = word.start(), word.group()
        length = _cells(text.rstrip())
        if width - used >= length:
            used += _cells(text)
        elif length > width:
            for piece in _chopped(text, width):
                if start:
                    breaks.append(start)
                start += len(piece)
                used = _cells(piece)
        elif used and start:
            breaks.append(start)
            used = _cells(text)
    return breaks


def _cells(text: str) -> int:
    """How many terminal cells ``text`` takes: its length, unless it has wide or zero-width characters."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _chopped(text: str, width: int) -> list[str]:
    """``text`` in pieces of ``width`` cells (a wide character that would straddle the edge starts the next)."""
    if text.isascii():
        return [text[at : at + width] for at in range(0, len(text), width)]
    from rich.cells import get_character_cell_size  # rich's own chop_cells reordered the pieces before 13.x

    pieces: list[str] = []
    start = used = 0
    for at, character in enumerate(text):
        size = get_character_cell_size(character)
        if used + size > width and at > start:
            pieces.append(text[start:at])
            start, used = at, 0
        used += size
    return [*pieces, text[start:]] if text else []


def _fit(text: str, width: int) -> str:
    """The longest start of ``text`` that takes at most ``width`` cells."""
    if text.isascii() or width < 1:
        return text[: max(width, 0)]
    return next(iter(_chopped(text, width)), "")


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

    def __init__(self, header: Styled) -> None:
        self.header = header
        self.flexible = False
        self.min_width = 10
        self.justify = "left"


class Table:
    """Rows of ``Styled`` cells under a bold header and a rule, columns two spaces apart, no trailing spaces.

    When the columns do not fit the width, the ``flexible`` column gives way first (its text wraps) down to its
    ``min_width``, then the widest of the others, each down to four cells (long words fold); on a screen too
    narrow even for those, each down to one, and the lines are cut at the width.
    """

    GAP = 2
    NARROWEST = 4

    def __init__(self, *headers: str) -> None:
        self.columns = [Column(_plain(header, style="bold")) for header in headers]
        self.rows: list[tuple[Styled, ...]] = []

    def add_row(self, *cells: Styled) -> None:
        self.rows.append(cells)

    def lines(self, width: int) -> list[list[Run]]:
        rows = [tuple(column.header for column in self.columns), *self.rows]
        measured = [[_measured(cell) for cell in row] for row in rows]
        widest = [max(row[at][1] for row in measured) for at in range(len(self.columns))]
        widths = self._widths(widest, width)
        span = sum(widths) + self.GAP * (len(widths) - 1)
        lines = []
        for number, (row, measures) in enumerate(zip(rows, measured, strict=True)):
            lines.extend(self._row_lines(row, measures, widths))
            if not number:
                lines.append([("─" * span, "")])
        return lines if span <= width else [_cropped(line, width) for line in lines]

    def _widths(self, widths: list[int], width: int) -> list[int]:
        """The columns' widths, from their widest cells', when the table is ``width`` cells wide at most."""
        excess = sum(widths) + self.GAP * (len(widths) - 1) - width
        flexible = [at for at, column in enumerate(self.columns) if column.flexible]
        others = sorted(set(range(len(widths))) - set(flexible), key=lambda at: -widths[at])
        for last_resort in (False, True):
            for at in [*flexible, *others]:
                if excess <= 0:
                    return widths
                floor = 1 if last_resort else self.columns[at].min_width if at in flexible else self.NARROWEST
                cut = min(excess, max(0, widths[at] - floor))
                widths[at] -= cut
                excess -= cut
        return widths

    def _row_lines(
        self, cells: Sequence[Styled], measures: list[tuple[str, int]], widths: list[int]
    ) -> list[list[Run]]:
        wrapped = [
            [(cell.runs, size)]
            if size <= width and "\n" not in plain and not plain[-1:].isspace()
            else [(line, sum(_cells(text) for text, _ in line)) for line in cell.lines(width)]
            for cell, (plain, size), width in zip(cells, measures, widths, strict=True)
        ]
        lines = []
        for number in range(max(map(len, wrapped))):
            runs: list[Run] = []
            pending = 0  # spaces owed before the next cell with text: none is written at the end of a line
            for cell_lines, width, column in zip(wrapped, widths, self.columns, strict=True):
                line, used = cell_lines[number] if number < len(cell_lines) else ([], 0)
                before = (width - used) // 2 if column.justify == "center" else 0
                if used:
                    runs.append((" " * (pending + before), ""))
                    runs.extend(line)
                    pending = 0
                else:
                    pending += before
                pending += width - used - before + self.GAP
            lines.append(runs)
        return lines


def _measured(cell: Styled) -> tuple[str, int]:
    """A cell's text and the width of its widest line, in terminal cells."""
    plain = cell.plain
    return plain, max(map(_cells, plain.split("\n"))) if "\n" in plain else _cells(plain)


def _cropped(runs: list[Run], width: int) -> list[Run]:
    """A line cut at ``width`` cells."""
    kept: list[Run] = []
    for text, style in runs:
        if width <= 0:
            break
        piece = _fit(text, width)
        kept.append((piece, style))
        width -= _cells(piece)
    return _rstripped(kept)


Block = Styled | Table


class Page:
    """What a text view prints: paragraphs and tables, one after the other, laid out for the terminal's width
    (at most 80 columns) and coloured only on a terminal; files and pipes get the plain text at 80 columns."""

    def __init__(self, *blocks: Block) -> None:
        self.blocks = blocks

    def text(self, width: int, *, colour: bool = False) -> str:
        lines = (line for block in self.blocks for line in block.lines(width))
        if colour:
            return "".join(_ansi(line) + "\n" for line in lines)
        return "".join("".join(text for text, _ in line) + "\n" for line in lines)

    @property
    def plain(self) -> str:
        return self.text(TEXT_WIDTH)

    def write(self, stream: TextIO) -> None:
        stream.write(self.text(max(min(terminal_width(), TEXT_WIDTH), 1), colour=colour_on(stream)))


def _plain(text: object, style: str = "") -> Styled:
    """Plan text made safe for a terminal: control characters and escapes shown, never obeyed."""
    return Styled(inert_terminal(text), style)


def _add_row(table: Table, *cells: object) -> None:
    """A table row; its ``str`` cells are plan text."""
    table.add_row(*(cell if isinstance(cell, Styled) else _plain(cell) for cell in cells))


def report(view: Report) -> Page:

    parts: list[Block] = _alignment(view.alignment) if view.alignment else []
    for team_quarter in view.team_quarters:
        parts.extend(_team_quarter(team_quarter))
    return Page(*parts)


def _alignment(tree: AlignmentTree) -> list[Block]:
    """The tree that opens the report: company objectives, their key results, what rolls up into each."""

    rows = [Styled("Alignment: the company's objectives and what rolls up into them", style="bold underline")]
    for line in tree_lines(tree):
        row = Styled(line.prefix, style="dim", no_wrap=True)
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
        rows.append(Styled("Aligned to nothing:", style="bold"))
        for entry in tree.unaligned:
            row = Styled(inert_terminal(f"{entry.team}:{entry.id}"), style="yellow", no_wrap=True)
            rows.append(
                row.append(f"  {bar(entry.progress)} {percent(entry.progress):>4}  {inert_terminal(entry.title)}")
            )
    return [*rows, Styled()]


def _team_quarter(tq: TeamQuarterReport) -> list[Block]:

    heading = Styled()
    heading.append(inert_terminal(f"{tq.team} · {tq.quarter}"), style="bold underline")
    heading.append(f"  {date_range(tq.start, tq.end)} · day {tq.day} of {tq.days} ({percent(tq.elapsed)} elapsed)")
    parts: list[Block] = [heading, Styled()]
    for objective in tq.objectives:
        title = Styled(f"{inert_terminal(objective.id)}  ", style="bold")
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
            status = Styled(kr.status, style=STATUS_STYLES.get(kr.status, "dim"))
            trend = sparkline(kr.trend)
            _add_row(table, kr.ref, result, progress, status, format_number(kr.confidence), trend)
        parts.extend([table, Styled()])
    if tq.sprints:
        parts.extend([Styled("Sprints", style="bold"), _sprints(tq.sprints), Styled()])
        parts.extend([Styled("Traceability: key result × sprint", style="bold"), _matrix(tq), _legend(), Styled()])
    if tq.sprints:  # a team-quarter without sprints (the company's) has no capacity to split
        parts.extend([_capacity(tq), _so_far(tq), Styled()])
    return parts


def _so_far(tq: TeamQuarterReport) -> Styled:

    head, detail = so_far_sentence(tq.so_far, inert_terminal)
    style = "" if tq.so_far.within is not False else "yellow"
    return Styled(head, style="bold").append(f": {detail}", style=style)


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


def _cell(goal: bool, items: int) -> Styled:

    if not goal and not items:
        return Styled("·", style="dim")
    mark = "●" if goal else "○"
    return Styled(f"{mark}{items or ''}", style="green" if goal else "yellow")


def _legend() -> Styled:

    return Styled("● the sprint goal drives it  ○ only its items do  n: items tagged with it", style="dim")


def _capacity(tq: TeamQuarterReport) -> Styled:

    share = tq.capacity
    band = f"{percent(share.low)}–{percent(share.high)}"
    text = Styled("OKR capacity share: ", style="bold")
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


def backlog(view: Backlog) -> Page:

    heading = _plain(f"{view.team} · {view.quarter} backlog", style="bold underline")
    heading.append(f"  {percent(view.elapsed)} of the quarter elapsed on {view.today}")
    return Page(
        heading,
        Styled(),
        *_backlog_group(view.okr, "Driving key results (furthest behind first)"),
        *_backlog_group(view.operational, "Operational work (deferred, never dropped)"),
        *_backlog_group(view.done, "Done"),
    )


def _backlog_group(group: BacklogGroup, title: str) -> list[Block]:

    heading = Styled(title, style="bold")
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
    return [heading, table, Styled()]


def _lag(entry: BacklogEntry) -> str:
    """``+16 pts``: percentage points the item's key result trails the calendar by; operational items are deferred."""
    if entry.deferred:
        return "deferred"
    return "–" if entry.behind is None else f"{float(entry.behind) * 100:+.0f} pts"


def review(view: SprintReview) -> Page:

    heading = _plain(f"{view.team} · {view.quarter} · sprint {view.sprint} review", style="bold underline")
    heading.append(f"  {date_range(view.start, view.end)}")
    parts: list[Block] = [heading]
    if view.goal:
        parts.append(_plain(f"Goal: {view.goal}"))
    output = Styled("\nOutput: ", style="bold")
    output.append(
        f"{view.done_items} of {view.committed_items} items done, "
        f"{format_number(view.done_points)} of {format_number(view.committed_points)} points"
        + (f" (capacity {format_number(view.capacity)})" if view.capacity is not None else "")
    )
    items = Table("Item", "Title", "KRs", "Est.", "Status")
    items.columns[1].flexible = True
    for item in view.items:
        status = Styled(item.status, style="green" if item.status == "done" else "yellow")
        _add_row(items, item.id, item.title, ", ".join(item.krs) or "–", format_number(item.estimate), status)
    parts.extend([output, items, Styled()])
    parts.append(
        Styled("Outcome: ", style="bold").append(
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
                Styled(f"{format_number(result.before)}\n{result.before_date}"),
                Styled(f"{format_number(result.after)}\n{result.after_date}" + (" so far" if result.so_far else "")),
                change + (f" {result.unit}" if result.unit and result.change is not None else ""),
                Styled(label, style=style),
            )
        parts.append(outcomes)
    else:
        parts.append(Styled("  the sprint is linked to no key result", style="dim"))
    for finding in view.findings:
        parts.append(Styled())
        parts.append(_plain(f"{finding['code']} [{finding['severity']}] {finding['message']}", style="yellow"))
    return Page(*parts)


def plan(view: SprintProposal) -> Page:

    heading = _plain(f"{view.team} · {view.quarter} · sprint {view.sprint} planning", style="bold underline")
    heading.append(f"  {date_range(view.start, view.end)}")
    parts: list[Block] = [heading, Styled()]
    focus = Styled("Focus: ", style="bold")
    focus.append(inert_terminal("; ".join(_focus_line(kr) for kr in view.focus) or "no key result to drive"))
    budget = Styled("Budget: ", style="bold")
    budget.append(f"{format_number(view.budget)} of capacity {format_number(view.capacity)} ({view.budget_rule})")
    parts += [focus, budget, Styled()]
    totals = Styled("Proposed: ", style="bold")
    low, high = view.okr_capacity
    committed = f"{format_number(view.committed)} of {format_number(view.budget)} points"
    shares = f"OKR share {percent(view.sprint_okr_share)} in the sprint, {percent(view.quarter_okr_share)}"
    totals.append(f"{committed}; {shares} in the quarter after it (band {percent(low)}–{percent(high)})")
    parts.append(totals)
    if not view.mix_reachable:
        parts.append(
            Styled("  no choice of items keeps the quarter's OKR share in the band: the mix was ignored", "yellow")
        )
    items = Table("Item", "Title", "KRs", "Est.", "Why")
    items.columns[1].flexible = True
    for item in view.items:
        _add_row(items, item.id, item.title, ", ".join(item.krs) or "–", format_number(item.estimate), item.why)
    parts += [items, Styled()] if view.items else [Styled("  nothing fits", style="dim"), Styled()]
    if view.left_out:
        parts.append(Styled("Left out", style="bold"))
        left_out = Table("Item", "Title", "Est.", "Why")
        left_out.columns[1].flexible = True
        for entry in view.left_out:
            _add_row(left_out, entry.id, entry.title, format_number(entry.estimate), LEFT_OUT[entry.reason])
        parts += [left_out, Styled()]
    if view.needs_estimate:
        parts.append(_plain(f"Needs an estimate: {', '.join(view.needs_estimate)}", style="yellow"))
    targets = ", ".join(kr.id for kr in view.focus)
    moves = f" that moves {targets}: an outcome, not a task" if targets else ""
    prompt = f"Sprint goal: write what will be true at the end of {view.sprint}{moves}."
    parts.append(_plain(prompt, style="cyan"))
    return Page(*parts)


LEFT_OUT = {"does-not-fit": "does not fit", "breaks-mix": "would break the mix", "no-estimate": "no estimate"}


def _focus_line(key_result) -> str:
    lag = "" if key_result.behind is None else f" ({float(key_result.behind) * 100:+.0f} pts behind the calendar)"
    return f"{key_result.id} {key_result.title}{lag}"


# -- diff ------------------------------------------------------------------------------------------


def diff(result: DiffResult) -> Styled:

    out = Styled()
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


def retro(view: Retro) -> Page:

    parts: list[Block] = [Styled(retro_heading(view), style="bold"), Styled()]
    if len(view.teams) > 1:
        table = Table("Team", "Objective scores")
        for row in view.summary:
            cells = Styled()
            for index, (objective, score, grade) in enumerate(row.objectives):
                cells.append(", " if index else "")
                cells.append(f"{inert_terminal(objective)} {score_text(score)} {grade}", style=GRADE_STYLES[grade])
            _add_row(table, f"{row.team}{' (company)' if row.company else ''}", cells)
        parts += [Styled("Scores by team", style="bold"), table, Styled()]
    for team in view.teams:
        parts += _team_retro(team, view)
    return Page(*parts)


def _team_retro(team: TeamRetro, view: Retro) -> list[Block]:

    parts: list[Block] = [_plain(f"{team.team} · {team.quarter}", style="bold underline"), Styled()]
    for objective in team.objectives:
        title = Styled(f"{inert_terminal(objective.id)}  {inert_terminal(objective.title)}", style="bold")
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
            _add_row(table, kr.id, result, f"{bar(kr.score, 6)} {score_text(kr.score)}", Styled(gap, style=gap_style))
        parts += [title, table, Styled()]
    parts.append(Styled("Rhythm", style="bold"))
    parts += [Styled(f"  {line}") for line in rhythm_lines(team.rhythm, view.so_far)]
    parts.append(Styled(f"  Check-ins: every {team.rhythm.checkin_interval_days} days at most (checkin_interval_days)"))
    parts.append(Styled())
    if team.sprints:
        table = Table("Sprint", "Output (done/committed)", "Outcome")
        for sprint in team.sprints:
            outcome = Styled()
            if sprint.moved:
                outcome.append(inert_terminal(f"moved {', '.join(sprint.moved)}"), style="green")
            if sprint.not_moved:
                outcome.append("; " if sprint.moved else "")
                outcome.append(inert_terminal(f"not moved {', '.join(sprint.not_moved)}"), style="red")
            if sprint.output_without_outcome:
                outcome.append(" · output without outcome", style="bold red")
            _add_row(table, sprint.id, output_text(sprint), outcome if outcome.plain else Styled("–", style="dim"))
        parts += [Styled("Sprints", style="bold"), table, Styled()]
    parts.append(Styled("For the retrospective", style="bold"))
    for observation in team.observations:
        line = Styled(f"  {observation.kind}: ", style="bold")
        line.append(inert_terminal(observation.text))
        line.append(inert_terminal(f"  [{', '.join(observation.refs)}]"), style="dim")
        parts.append(line)
    if not team.observations:
        parts.append(Styled("  nothing stood out in the data", style="dim"))
    parts.append(Styled())
    return parts
