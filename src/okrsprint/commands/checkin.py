"""``okrsprint checkin``: append a check-in to a key result without disturbing a single other character of the file.

Why not let ruamel.yaml re-emit the whole file? Its round trip keeps comments
and quotes, but still normalises what it does not model: runs of spaces after
a colon, multi-line flow lists (joined into one line), the blank line after
the last list item (which it keeps *before* an appended item) and unusual
indentation. So the edit is a splice: libyaml's node marks (character offsets,
the same parser the linter uses) say where the key result's check-ins end,
ruamel.yaml's round-trip emitter renders the new check-in (quoting, number
format), and the lines are inserted in the file's own indentation and line
endings. Nothing outside the splice can change by construction; the result is
then proved before it is written: parsed again, it must equal the old document
plus the check-in, and it must add no S001–S006 finding to the repo.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from okrsprint.engine import CheckOptions, open_plan, run_check
from okrsprint.errors import UsageError
from okrsprint.files import write_atomic
from okrsprint.findings import Finding
from okrsprint.loader import ProblemError, compose_documents, to_values
from okrsprint.metrics import current_value, sorted_checkins
from okrsprint.model import KeyResult
from okrsprint.numbers import format_number
from okrsprint.plan import Placed, Plan
from okrsprint.quarters import Quarter

BOM = "\ufeff"
LINE_BREAKS = "\r\n\x85\u2028\u2029"  # what YAML (and so libyaml's line numbers) counts as a line break
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_CANDIDATES = 12


class CheckinError(UsageError):
    """A check-in that cannot be recorded; the file is left untouched (exit 2)."""


@dataclass(frozen=True)
class CheckinRequest:
    """What the user asked for, as typed: everything is validated here, not in the CLI."""

    reference: str
    value: str
    day: str | None = None
    confidence: str | None = None
    note: str | None = None
    quarter: str | None = None
    today: date | None = None
    path: Path = Path(".")


@dataclass(frozen=True)
class CheckinResult:
    """What was recorded, for the one-line confirmation."""

    team: str
    quarter: str
    key_result: str
    before: float | None
    value: float
    day: date
    latest: bool
    file: str
    line: int

    def summary(self) -> str:
        """``checkout:KR1 2026-Q4: 15.6 → 16.2 on 2026-11-23 (okrs/2026-Q4.yaml:45)``."""
        where = f"({self.file}:{self.line})"
        head = f"{self.team}:{self.key_result} {self.quarter}:"
        if self.latest:
            return f"{head} {format_number(self.before)} → {format_number(self.value)} on {self.day} {where}"
        return (
            f"{head} {format_number(self.value)} on {self.day} recorded before the latest check-in; "
            f"current value stays {format_number(self.before)} {where}"
        )


@dataclass(frozen=True)
class NewCheckin:
    """A validated check-in: plain values to compare with, and the number texts to write."""

    day: date
    value: float | int
    value_text: str
    confidence: float | int | None = None
    confidence_text: str | None = None
    note: str | None = None

    def values(self) -> dict:
        """As the linter's loader reads it back."""
        found = {"date": self.day, "value": self.value, "confidence": self.confidence, "note": self.note}
        return {key: value for key, value in found.items() if value is not None}


def record_checkin(request: CheckinRequest) -> CheckinResult:
    """Validate, find the key result, splice the check-in into its file, prove the result, write it atomically."""
    checkin = new_checkin(request)
    plan = open_plan(request.path)
    quarter = _quarter(request.quarter, checkin.day, plan.config.year_start_month)
    placed = find_key_result(plan, request.reference, quarter, plan.config.team)
    source = placed.document.source
    original = _read_bytes(source.path)
    text, bom = _decode(original, source.relpath)
    becomes_latest = _becomes_latest(placed.value, checkin.day)
    edited, line = add_checkin(text, placed.document.raw.index, placed.path, placed.value.id, checkin, becomes_latest)
    _refuse_new_structure_findings(plan.root, source.path, text, edited)
    write_atomically(source.path, original, ((BOM if bom else "") + edited).encode("utf-8"))
    return CheckinResult(
        placed.document.team, str(quarter), placed.value.id, current_value(placed.value, checkin.day), checkin.value,
        checkin.day, becomes_latest, source.relpath, line,
    )  # fmt: skip


# -- input -----------------------------------------------------------------------


def new_checkin(request: CheckinRequest) -> NewCheckin:
    """The check-in from the typed options; a CheckinError for anything the schema would reject."""
    value, value_text = parse_number(request.value, "--value")
    confidence = confidence_text = None
    if request.confidence is not None:
        confidence, confidence_text = parse_number(request.confidence, "--confidence")
        if not 0 <= confidence <= 1:
            raise CheckinError(f"--confidence must lie between 0 and 1, not {request.confidence}")
    day = parse_iso_day(request.day, "--date") if request.day is not None else request.today or date.today()
    return NewCheckin(day, value, value_text, confidence, confidence_text, request.note)


def parse_number(text: str, option: str) -> tuple[float | int, str]:
    """A finite decimal number and the plain text to write for it (``1e3`` → ``1000``: YAML 1.1 reads 1e3 as text)."""
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise CheckinError(f"{option} must be a number, not {text!r}")
    if not math.isfinite(float(number)):
        raise CheckinError(f"{option} is too large for a number in a plan: {text!r}")
    plain = format(number, "f")
    return (float(plain) if "." in plain else int(plain)), plain


def parse_iso_day(text: str, option: str) -> date:
    """A real calendar day written YYYY-MM-DD (Python alone would also take 20261123 or 2026-W47-1)."""
    try:
        if ISO_DAY.fullmatch(text.strip()):
            return date.fromisoformat(text.strip())
    except ValueError:
        pass
    raise CheckinError(f"{option} must be a real date YYYY-MM-DD, not {text!r}")


def _quarter(text: str | None, day: date, year_start_month: int) -> Quarter:
    if text is None:
        return Quarter.containing(day, year_start_month)
    try:
        return Quarter.parse(text.strip(), year_start_month)
    except ValueError:
        raise CheckinError(f"--quarter must look like 2026-Q4, not {text!r}") from None


# -- finding the key result ------------------------------------------------------


def find_key_result(plan: Plan, reference: str, quarter: Quarter, default_team: str | None) -> Placed[KeyResult]:
    """``KR1`` (among all teams of the quarter, or the config's default team) or ``team:KR1``; exactly one must match."""
    team, _, kr_id = reference.strip().rpartition(":")
    teams = {team} if team else {default_team} if default_team else None
    in_scope = [tq for tq in plan.sorted_team_quarters() if teams is None or tq.team in teams]
    same_id = [tq.key_results_by_id[kr_id] for tq in in_scope if kr_id in tq.key_results_by_id]
    matches = [placed for placed in same_id if str(placed.document.quarter) == str(quarter)]
    if len(matches) == 1:
        return matches[0]
    scope = f"team {team or default_team}" if teams else "any team"
    if matches:
        raise CheckinError(
            f"key result {reference!r} is ambiguous in {quarter}: {_listing(matches)}; write it as team:{kr_id}"
        )
    if same_id:
        message = (
            f"no key result {reference!r} of {scope} in {quarter}; found {_listing(same_id)}: pass --quarter or --date"
        )
    else:
        known = [placed for tq in in_scope if str(tq.quarter) == str(quarter) for placed in tq.key_results]
        listing = f"key results there: {_listing(known)}" if known else "there are no key results there"
        message = f"no key result {reference!r} of {scope} in {quarter}; {listing}"
    if plan.broken:
        message += " (some plan documents have errors and were not read: run okrsprint check)"
    raise CheckinError(message)


def _listing(key_results: list[Placed[KeyResult]]) -> str:
    names = [f"{placed.document.team}:{placed.value.id} ({placed.document.quarter})" for placed in key_results]
    shown = names[:MAX_CANDIDATES]
    return ", ".join(shown) + (f" and {len(names) - len(shown)} more" if len(names) > len(shown) else "")


def _becomes_latest(key_result: KeyResult, day: date) -> bool:
    """Appended last, the new check-in is the latest unless an existing one is dated later (a tie goes to the later one)."""
    checkins = sorted_checkins(key_result)
    return not checkins or day >= checkins[-1].date


# -- the edit ----------------------------------------------------------------------


def add_checkin(
    text: str, document_index: int, kr_path: tuple, kr_id: str, checkin: NewCheckin, update_current: bool = True
) -> tuple[str, int]:
    """The text with the check-in appended to the key result at ``kr_path`` of document ``document_index``,
    and the 1-based line of the new check-in. ``current`` (when present) takes the new value if ``update_current``.

    Raises CheckinError when the file is not as the plan saw it or the edit would change anything else.
    """
    documents = _compose(text)
    if document_index >= len(documents):
        raise CheckinError("the file changed while it was read; run the command again")
    key_result = _node_at(documents[document_index], kr_path)
    if not isinstance(key_result, MappingNode) or _scalar(_value(key_result, "id")) != kr_id:
        raise CheckinError("the file changed while it was read; run the command again")
    newline = _newline_of(text)
    edits = [_append_edit(text, documents[document_index], kr_path, key_result, checkin, newline)]
    current = _value(key_result, "current")
    if current is not None and update_current:
        edits.append((current.start_mark.index, current.end_mark.index, checkin.value_text))
    edited = text
    for start, end, replacement in sorted(edits, reverse=True):
        edited = edited[:start] + replacement + edited[end:]
    return edited, _verify(text, edited, document_index, kr_path, checkin, update_current and current is not None)


def _append_edit(text: str, document: Node, kr_path: tuple, key_result: MappingNode, checkin: NewCheckin, newline: str):
    """(start, end, replacement) that adds the check-in, in the style of the list or key result it goes into."""
    checkins = _value(key_result, "checkins")
    if isinstance(checkins, SequenceNode) and checkins.flow_style:
        item = render_checkin(checkin, flow=True)
        if not checkins.value:
            inside = checkins.start_mark.index + 1
            return inside, inside, item
        last = checkins.value[-1]
        end = last.end_mark.index
        if last.start_mark.line == checkins.start_mark.line:
            return end, end, ", " + item
        line_start = _line_start(text, last.start_mark.index)
        return end, end, "," + newline + text[line_start : last.start_mark.index] + item
    if isinstance(checkins, SequenceNode) and checkins.value:
        last = checkins.value[-1]
        flow = isinstance(last, MappingNode) and bool(last.flow_style)
        first, rest = _item_prefixes(text, last)
        lines = _block_item(render_checkin(checkin, flow=flow), first, rest)
        return _insert_lines_after(text, last, lines, newline)
    if checkins is not None:
        raise CheckinError("the key result's checkins is not a list")
    if key_result.flow_style:
        end = key_result.value[-1][1].end_mark.index
        return end, end, ", checkins: [" + render_checkin(checkin, flow=True) + "]"
    parent_key, _ = _entry(_node_at(document, kr_path[:-2]), kr_path[-2])
    dash_first, key_indent = _item_prefixes(text, key_result)
    offset = len(dash_first) - len(dash_first.lstrip(" ")) - parent_key.start_mark.column
    item_first = " " * (len(key_indent) + max(offset, 0)) + dash_first.lstrip(" ")
    item_rest = " " * len(item_first)
    lines = [key_indent + "checkins:", *_block_item(render_checkin(checkin, flow=False), item_first, item_rest)]
    return _insert_lines_after(text, key_result, lines, newline)


def _item_prefixes(text: str, item: Node) -> tuple[str, str]:
    """What goes before a new block-sequence item's first line (``"    - "``) and its other lines, copied from ``item``."""
    dash = item.start_mark.index - 1
    while dash >= 0 and text[dash] in " \t" + LINE_BREAKS:
        dash -= 1
    if dash < 0 or text[dash] != "-":
        raise CheckinError("cannot tell how the list is indented (a comment between '-' and the item?)")
    dash_column = dash - _line_start(text, dash)
    gap = item.start_mark.column - dash_column - 1 if item.start_mark.line == _line_of(text, dash) else 1
    first = " " * dash_column + "-" + " " * max(gap, 1)
    return first, " " * len(first)


def _block_item(rendered: str, first: str, rest: str) -> list[str]:
    lines = rendered.split("\n")
    return [first + lines[0], *(rest + line for line in lines[1:])]


def _insert_lines_after(text: str, node: Node, lines: list[str], newline: str) -> tuple[int, int, str]:
    """Insert whole lines after the last line holding ``node``'s content (not the comments or blank lines after it)."""
    end = _content_end(node)
    while end > node.start_mark.index and text[end - 1] in " \t" + LINE_BREAKS:
        end -= 1
    at = _line_end(text, end)
    return at, at, "".join(newline + line for line in lines)


def _content_end(node: Node) -> int:
    """Where a node's own text ends: a block collection ends where its last value ends."""
    while isinstance(node, MappingNode | SequenceNode) and not node.flow_style and node.value:
        node = node.value[-1][1] if isinstance(node, MappingNode) else node.value[-1]
    return node.end_mark.index


def render_checkin(checkin: NewCheckin, *, flow: bool) -> str:
    """The check-in as ruamel.yaml's round-trip emitter writes it (one line a key, or one flow mapping).

    The note is double-quoted when ruamel's YAML 1.2 choice would read back
    differently under YAML 1.1 (``yes``, ``on``) or would span lines.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    emitter = YAML(typ="rt")
    emitter.width = 1 << 30  # never wrap a long note
    for note_style in (str, DoubleQuotedScalarString):
        mapping = CommentedMap(date=checkin.day, value=emitter.load(checkin.value_text))
        if checkin.confidence_text is not None:
            mapping["confidence"] = emitter.load(checkin.confidence_text)
        if checkin.note is not None:
            mapping["note"] = note_style(checkin.note)
        if flow:
            mapping.fa.set_flow_style()
        stream = io.StringIO()
        emitter.dump(mapping, stream)
        rendered = stream.getvalue().removesuffix("\n")
        single_lines = len(rendered.splitlines()) == len(mapping) if not flow else "\n" not in rendered
        if single_lines and _reads_back(rendered, checkin.values()):
            return rendered
    raise CheckinError(f"cannot write the note {checkin.note!r} so that it reads back unchanged")


def _reads_back(rendered: str, expected: dict) -> bool:
    try:
        return yaml.load(rendered, Loader=yaml.CSafeLoader) == expected
    except yaml.YAMLError:
        return False


def _verify(text: str, edited: str, index: int, kr_path: tuple, checkin: NewCheckin, current_updated: bool) -> int:
    """Parsed again, the edited document must be the old one plus the check-in; returns the new check-in's line."""
    before, after = _compose(text), _compose(edited)
    if len(before) != len(after):
        raise CheckinError("the edit would change the file's documents; nothing was written")
    try:
        expected, _, _ = to_values(before[index])
        found, loc, _ = to_values(after[index])
    except ProblemError as error:
        raise CheckinError(f"the edited file would not read back: {error.problem.message}") from None
    key_result = _value_at(expected, kr_path)
    key_result.setdefault("checkins", []).append(checkin.values())
    if current_updated:
        key_result["current"] = checkin.value
    if found != expected:
        raise CheckinError("the edit would change more than the new check-in; nothing was written")
    item = _node_at(after[index], (*kr_path, "checkins", len(key_result["checkins"]) - 1))
    return item.start_mark.line + 1


def _refuse_new_structure_findings(root: Path, path: Path, text: str, edited: str) -> None:
    """S001–S006 on the whole repo with the edited text in place: the edit may not add any."""

    def structure(candidate: str) -> list[Finding]:
        options = CheckOptions(path=root, select=["S"], replaced={path.resolve(): candidate})
        return [finding for finding in run_check(options).findings if finding.code.startswith("S")]

    remaining = Counter((finding.code, finding.location.file) for finding in structure(text))
    added = []
    for finding in structure(edited):  # compared by code and file: the inserted lines shift line numbers
        key = (finding.code, finding.location.file)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            added.append(finding)
    if added:
        shown = "; ".join(f"{f.location.file}:{f.location.line}: {f.code} {f.message}" for f in added[:5])
        raise CheckinError(f"the check-in would break the plan, nothing was written: {shown}")


# -- reading and writing -------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CheckinError(f"cannot read {path}: {error.strerror or error}") from None


def _decode(data: bytes, shown: str) -> tuple[str, bool]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise CheckinError(f"{shown} is not UTF-8 any more; run okrsprint check") from None
    return text.removeprefix(BOM), text.startswith(BOM)


def write_atomically(path: Path, expected: bytes, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once (files.write_atomic), unless it no longer holds ``expected``."""
    target = path.resolve()  # a symbolic link keeps pointing at the edited file
    if _read_bytes(target) != expected:
        raise CheckinError(f"{path} changed on disk since it was read; nothing was written, run the command again")
    try:
        write_atomic(target, data)
    except OSError as error:
        raise CheckinError(f"cannot write {path}: {error.strerror or error}; the file is unchanged") from None


# -- YAML node helpers -------------------------------------------------------------


def _compose(text: str) -> list[Node | None]:
    try:
        return list(compose_documents(text))
    except ProblemError as error:
        raise CheckinError(f"the file does not parse: {error.problem.message}") from None


def _entry(node: Node | None, key: str) -> tuple[ScalarNode, Node] | tuple[None, None]:
    """The key node and value node of ``key`` in a mapping node."""
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == key:
                return key_node, value_node
    return None, None


def _value(node: Node | None, key: str) -> Node | None:
    return _entry(node, key)[1]


def _node_at(node: Node | None, path: tuple) -> Node | None:
    for step in path:
        if isinstance(step, int):
            node = node.value[step] if isinstance(node, SequenceNode) and step < len(node.value) else None
        else:
            node = _value(node, step)
    return node


def _value_at(data, path: tuple):
    for step in path:
        data = data[step]
    return data


def _scalar(node: Node | None) -> str | None:
    return node.value if isinstance(node, ScalarNode) else None


def _newline_of(text: str) -> str:
    """The file's own line break: the first one it uses (``\\n`` for a one-line file)."""
    match = re.search(r"\r\n|\r|\n", text)
    return match.group() if match else "\n"


def _line_start(text: str, index: int) -> int:
    return max(text.rfind(brk, 0, index) for brk in LINE_BREAKS) + 1


def _line_end(text: str, index: int) -> int:
    ends = [found for brk in LINE_BREAKS if (found := text.find(brk, index)) >= 0]
    return min(ends, default=len(text))


def _line_of(text: str, index: int) -> int:
    """0-based line number, as libyaml counts (CRLF is one break)."""
    return len(re.findall(r"\r\n|[\r\n\x85\u2028\u2029]", text[:index]))
