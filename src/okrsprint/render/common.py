"""What every renderer shares: making plan text inert for its medium, and bars, sparklines, dates, diff labels."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING

from okrsprint.findings import Finding, Severity
from okrsprint.numbers import format_number, percent, plural

if TYPE_CHECKING:
    from okrsprint.views.alignment import AlignedKeyResult, AlignmentNode, AlignmentTree
    from okrsprint.views.diff import DiffResult, GroupKey
    from okrsprint.views.report import KeyResultView, SoFar
    from okrsprint.views.retro import KeyResultScore, Retro, Rhythm, SprintRetro

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
"""The severity styles every terminal output shares."""
SPARK = "▁▂▃▄▅▆▇█"
EIGHTHS = " ▏▎▍▌▋▊▉"


# -- plan text is data: SPEC §3 "Output is data, never instructions" --------------------------------------------

CONTROLS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)
"""C0, DEL and C1 controls, and the invisible format characters that hide or reorder text (zero-width spaces and
joiners, bidirectional overrides, BOM): a collating parser may skip them, so ``:\\u200b:`` could read as ``::``."""
NAMED_CONTROLS = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
MARKDOWN_BREAKS = re.compile(r"\r\n|[\r\n\t]")
MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]()!<>|#~&]")


def _escaped(match: re.Match[str]) -> str:
    char = match[0]
    return NAMED_CONTROLS.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def escape_controls(text: str) -> str:
    """Control and invisible characters as visible escapes (``\\n``, ``\\x1b``, ``\\u202e``); everything else as is."""
    return CONTROLS.sub(_escaped, text)


def inert_terminal(text: object) -> str:
    """Plan text for a terminal or a CI log: it cannot move the cursor, recolour, or issue a workflow command.

    Beside escaped controls, no ``::`` survives (the GitHub runner runs ``::name::`` at the start of a line, after
    white space, and rich may wrap a long cell onto a line of its own) and no ``##[`` (its older syntax, which it
    finds anywhere in a line).
    """
    return escape_controls(str(text)).replace("::", ":\\x3a").replace("##[", "##\\x5b")


def inert_markdown(text: object) -> str:
    """Plan text for Markdown (GFM): shown as written, never a link, image, emphasis, code span, HTML, heading,
    strikethrough, entity or table cell border; on one line. The one Markdown escaper of every command."""
    flat = escape_controls(MARKDOWN_BREAKS.sub(" ", str(text)))
    return MARKDOWN_SPECIAL.sub(r"\\\g<0>", flat)


def bar(share: Fraction | None, width: int = 10) -> str:
    """A progress bar in eighths of a character, clipped to 0..1."""
    if share is None:
        return "·" * width
    eighths = round(min(max(float(share), 0.0), 1.0) * width * 8)
    full, part = divmod(eighths, 8)
    partial = EIGHTHS[part].strip()
    return "█" * full + partial + "░" * (width - full - len(partial))


def sparkline(values: list[float]) -> str:
    """Check-in values as block heights scaled between their lowest and highest; flat when they are all equal."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return SPARK[3] * len(values)
    return "".join(SPARK[round((value - low) / (high - low) * (len(SPARK) - 1))] for value in values)


def value_path(baseline: float | None, current: float | None, target: float | None, unit: str | None) -> str:
    """``12 → 15.6 → 20 %``: where the key result started, stands and should end."""
    text = " → ".join(format_number(value) for value in (baseline, current, target))
    return f"{text} {unit}" if unit else text


def goal_text(kr: KeyResultView) -> str:
    """What a key result asks for and where it stands: ``12 → 15.6 → 20 %``, or ``keep above 99.9 % · now 99.96``
    for a threshold; a falling metric adds ``lower is better``, so a dropping line reads as good news."""
    if kr.threshold:
        text = f"{kr.threshold} · now {format_number(kr.current)}"
    else:
        text = value_path(kr.baseline, kr.current, kr.target, kr.unit)
    return text + (" · lower is better" if kr.better == "lower" else "")


def date_range(start: date, end: date) -> str:
    """``Oct 5–16`` within a month, ``Oct 26–Nov 6`` across months."""
    first = f"{start:%b} {start.day}"
    last = f"{end.day}" if (start.year, start.month) == (end.year, end.month) else f"{end:%b} {end.day}"
    return f"{first}–{last}"


# -- the alignment tree: shared by text and Markdown --------------------------------------------------------


@dataclass
class TreeLine:
    """One line of the alignment tree: an objective or a key result, ``depth`` levels in, with the tree-drawing
    ``prefix`` a terminal shows (``│  ├─ ``)."""

    depth: int
    prefix: str
    node: AlignmentNode | None = None
    key_result: AlignedKeyResult | None = None


def tree_lines(tree: AlignmentTree) -> list[TreeLine]:
    """The tree, depth first. Company objectives list their key results; an objective aligned to a key result
    hangs under that key result (other objectives' key results show only when something hangs under them)."""
    lines: list[TreeLine] = []

    def objective(node: AlignmentNode, depth: int, lead: str, last: bool, is_root: bool) -> None:
        lines.append(TreeLine(depth, "" if is_root else lead + ("└─ " if last else "├─ "), node=node))
        inner = "" if is_root else lead + ("   " if last else "│  ")
        shown = [kr for kr in node.key_results if is_root or any(c.via == kr.id for c in node.children)]
        direct = [child for child in node.children if child.via not in {kr.id for kr in shown}]
        entries: list[tuple[AlignedKeyResult | None, AlignmentNode | None]] = [(kr, None) for kr in shown]
        entries += [(None, child) for child in direct]
        for index, (kr, child) in enumerate(entries):
            is_last = index == len(entries) - 1
            if child is not None:
                objective(child, depth + 1, inner, is_last, False)
                continue
            assert kr is not None
            lines.append(TreeLine(depth + 1, inner + ("└─ " if is_last else "├─ "), key_result=kr))
            driven = [c for c in node.children if c.via == kr.id]
            below = inner + ("   " if is_last else "│  ")
            for position, grandchild in enumerate(driven):
                objective(grandchild, depth + 2, below, position == len(driven) - 1, False)

    for root in tree.roots:
        objective(root, 0, "", True, True)
    return lines


# -- diff: shared by every format ------------------------------------------------------------------


def group_label(key: GroupKey) -> str:
    team, quarter = key
    return f"{team} {quarter}" if team is not None else "not in a team-quarter"


def in_group(key: GroupKey, items: list) -> list:
    return [item for item in items if (item.team, item.quarter) == key]


def diff_header(result: DiffResult) -> str:
    def side(revision) -> str:
        return revision.label if revision.commit is None else f"{revision.label} ({revision.commit[:7]})"

    return f"{side(result.base)} → {side(result.head)}"


def diff_summary(result: DiffResult) -> str:
    counts = result.summary()
    flagged = ", ".join(plural(counts[key + "s"], key) for key in ("error", "warning", "info"))
    return (
        f"{plural(counts['changes'], 'change')} in {plural(counts['team_quarters'], 'team-quarter')}; "
        f"flagged: {flagged}; check findings: {counts['introduced']} introduced, {counts['fixed']} fixed"
    )


def where(finding: Finding) -> str:
    location = finding.location
    return f"{location.file}:{location.line}:{location.column}"


def so_far_sentence(so_far: SoFar, name: Callable[[str], str] = str) -> tuple[str, str]:
    """``OKR share so far 72% (band 60–70%)`` and what follows its colon: within the band, or what the open
    sprints need (``the open sprints S5–S6 (capacity 50) need at least 4 points of operational work``).
    ``name`` escapes sprint ids for the output format."""
    low, high = so_far.band
    band = f"band {float(low) * 100:g}–{float(high) * 100:g}%"
    if so_far.okr_share is None:
        return f"OKR share so far: nothing committed yet ({band})", "no planned sprint commits an estimated item"
    head = f"OKR share so far {float(so_far.okr_share) * 100:.0f}% ({band})"
    if so_far.within:
        return head, "within the band"
    if not so_far.open_sprints:
        return head, "outside the band; no open sprints left"
    if so_far.needs is None:
        return head, "outside the band"
    ids = so_far.open_sprints
    sprints = name(ids[0]) if len(ids) == 1 else f"{name(ids[0])}–{name(ids[-1])}"
    capacity = "no capacity set" if so_far.open_capacity is None else f"capacity {format_number(so_far.open_capacity)}"
    [(kind, points)] = so_far.needs.items()
    work = "OKR work" if kind == "okr" else "operational work"
    verb = "needs" if len(ids) == 1 else "need"
    the = "the open sprint" if len(ids) == 1 else "the open sprints"
    detail = f"{the} {sprints} ({capacity}) {verb} at least {plural(points, 'point')} of {work}"
    if so_far.open_capacity is not None and points > so_far.open_capacity:
        detail += f": more than {'its' if len(ids) == 1 else 'their'} capacity, the band is out of reach"
    return head, detail


# -- retro: the phrases every format shares (no plan text in them) ---------------------------------------------


def score_text(score: Fraction | None) -> str:
    """0.45: scores with two decimals, as OKR grading sheets write them; – when it cannot be measured."""
    return "–" if score is None else f"{float(score):.2f}"


def yes_no(value: bool | None) -> str:
    return "–" if value is None else ("yes" if value else "no")


def retro_heading(view: Retro) -> str:
    """``2026-Q4 retrospective, final (Oct 1–Dec 31)`` or ``…, so far (as of 2026-11-23)``."""
    state = "final" if view.final else f"so far, as of {view.as_of}"
    return f"{view.quarter} retrospective, {state} ({date_range(view.start, view.end)})"


def rhythm_lines(rhythm: Rhythm, so_far: str) -> list[str]:
    """The quarter's rhythm as sentences: linked sprints, OKR shares, first sprint, reserve."""
    return [
        f"Linked sprints{so_far}: {rhythm.linked_sprints} of {rhythm.sprints}",
        f"OKR share committed {percent(rhythm.okr_share_committed)}, delivered {percent(rhythm.okr_share_delivered)}",
        f"First sprint lighter: {yes_no(rhythm.first_sprint_lighter)}; "
        f"planning reserve kept: {yes_no(rhythm.reserve_kept)}",
    ]


def output_text(sprint: SprintRetro) -> str:
    """``4/4 items, 26/26 points``: done of committed."""
    return (
        f"{sprint.done_items}/{sprint.committed_items} items, "
        f"{format_number(sprint.done_points)}/{format_number(sprint.committed_points)} points"
    )


def goal_path(kr: KeyResultScore) -> str:
    """``12 → 15.6 → 20 %`` for a moving metric; ``keep above 99.9 % · now 99.5`` for a threshold, as the report
    words it (plan text: escape it)."""
    if kr.keep_above is not None or kr.keep_below is not None:
        side, level = ("above", kr.keep_above) if kr.keep_above is not None else ("below", kr.keep_below)
        unit = f" {kr.unit}" if kr.unit else ""
        return f"keep {side} {format_number(level)}{unit} · now {format_number(kr.value)}"
    return value_path(kr.baseline, kr.value, kr.target, kr.unit)
