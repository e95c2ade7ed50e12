"""Load: plan files → YAML documents as plain values with positions, plus S001/S003/S006 findings.

A document that cannot be read still says, in its text, which team-quarter it belongs to: its
top-level ``team:`` and ``quarter:`` lines are read without YAML, so that the plan can leave that
team-quarter out instead of reporting everything that pointed into the missing document.

Plan files are read from libyaml's event stream (PyYAML's ``CSafeLoader``): the C
parser is ~20x faster than ruamel.yaml's round-trip loader and its events carry
start marks, which is all a linter needs. Nothing is ever constructed from a
tag: events are turned into values here, by a reader that knows only YAML's
standard scalar types and refuses everything else. libyaml's composer is not
used for them: a node tree is a Python object per node and a Python call per
tag, a third of a large check, and the values need none of it. The config and
the editor (``yamledit``), which need node spans, compose nodes and convert
them with the same scalar and key rules (``to_values``).
"""

from __future__ import annotations

import re
import stat
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import islice
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from okrsprint.findings import shorten
from okrsprint.locations import Loc, MapLoc, PathElement, Position, SeqLoc, position_of

PLAN_KINDS = ("okrs", "backlog", "sprints")
CONFIG_NAME = "okrsprint.yaml"
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_NESTING = 1000  # libyaml's composer recurses in C: ~100k levels crash the process
MAX_PLAN_DEPTH = 32  # plan documents are at most ~6 levels deep

YAML_TAG = "tag:yaml.org,2002:"
STR_TAG, MAP_TAG, SEQ_TAG = YAML_TAG + "str", YAML_TAG + "map", YAML_TAG + "seq"
SCALAR_TAGS = {YAML_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
# YAML 1.1 resolves a plain ``<<`` and ``=`` to these tags; as values they are just text
MERGE_TAG = YAML_TAG + "merge"
TEXT_TAGS = {YAML_TAG + "str", MERGE_TAG, YAML_TAG + "value"}
UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
SUPPRESSION = re.compile(r"#\s*okrsprint:\s*ignore(?:\[([^\]]*)\])?")
DOCUMENT_START = re.compile(r"---(?:\s|$)")
TOP_LEVEL_VALUE = re.compile(r"(kind|team|quarter)[ \t]*:[ \t]*(.*)")
TRAILING_COMMENT = re.compile(r"(?:^|\s)#.*")
QUARTER_TEXT = re.compile(r"\d{4}-Q[1-4]")
TEAM_TEXT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
INDENTATION_ERRORS = (
    "mapping values are not allowed",
    "did not find expected key",
    "did not find expected '-' indicator",
    "expected <block end>",
    "found a tab character",
    "found character that cannot start any token",
)
# Numbers a plan or config may hold: far from float's limits, so sums and ratios of them stay exact enough and finite
LARGEST_NUMBER = Decimal("1e300")
SMALLEST_NUMBER = Decimal("1e-300")
NUMBER_RANGE = "numbers must lie within ±1e300 and be 0 or at least 1e-300 in size"
# YAML 1.2 numbers that YAML 1.1 reads as text (no dot before the exponent): text, unless far out of range
DOTLESS_EXPONENT = re.compile(r"[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+")
MAX_HINT_TEXT = 256 * 1024  # re-parsing to find the line to blame is for files people type, not generated ones
MEMO_LIMIT = 65536  # distinct plain scalars remembered (their tag, their value): bounded for generated repos
# First characters of the plain scalars YAML 1.1 may read as something else than text
MAY_NOT_BE_TEXT = frozenset(key for key in yaml.CSafeLoader.yaml_implicit_resolvers if key is not None)
# The only plain scalars starting with a letter that YAML 1.1 (PyYAML's bool and null resolvers) reads as no text:
# any other, such as the id T048-145, is text without asking the resolver's regular expressions
BOOL_AND_NULL_WORDS = frozenset(
    case(word) for word in ("yes", "no", "true", "false", "on", "off", "null") for case in (str, str.title, str.upper)
)
WORD_INITIALS = frozenset(word[0] for word in BOOL_AND_NULL_WORDS)
NON_SPECIFIC_TAG = "!"  # `! 3`: resolved as if untagged, as libyaml's composer does
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_VALUES: dict[str, object] = {}
_TEXT_KEYS: set[str] = set()  # plain keys known to read as text
ALIASES_REFUSED = "YAML aliases (*name) are not supported in plan documents: write the value out"
KEYS_ARE_TEXT = "mapping keys must be plain strings"


class _Loader(yaml.CSafeLoader):
    """libyaml's loader with a memoising resolver, for callers that read node tags (``yamledit``, the config).

    libyaml calls back into Python to resolve the tag of every plain scalar; plan
    files repeat the same few scalars (statuses, ids, small numbers) thousands of
    times, so remembering the answer per value halves the cost of that callback.
    """

    def resolve(self, kind, value, implicit):
        if kind is not ScalarNode:
            return super().resolve(kind, value, implicit)
        if not implicit[0]:
            return STR_TAG
        return _plain_tag(value)


def _plain_tag(text: str) -> str:
    """The tag YAML 1.1 (PyYAML's resolver) gives a plain scalar, memoised: plan files repeat a few texts."""
    if text[:1] in WORD_INITIALS and text not in BOOL_AND_NULL_WORDS:
        return STR_TAG
    tag = _PLAIN_TAGS.get(text)
    if tag is None:
        tag = Resolver.resolve(_RESOLVER, ScalarNode, text, (True, False))
        if len(_PLAIN_TAGS) < MEMO_LIMIT:
            _PLAIN_TAGS[text] = tag
    return tag


Declared = tuple[str | None, str | None]
"""A document's team and quarter as its text writes them (None where it does not)."""


@dataclass
class Problem:
    """A finding the loader can state before any model exists."""

    code: str
    message: str
    position: Position
    declared: Declared | None = None
    """For a problem that breaks a plan document (in ``SourceFile.problems``): that document's team and quarter.
    None for a document that is another tool's (its kind says so): reported, but no plan document is missing."""


@dataclass(frozen=True)
class IgnoredReference:
    """A code or name in an ``# okrsprint: ignore[…]`` comment, where it is written."""

    line: int
    column: int
    text: str


@dataclass
class SourceFile:
    path: Path
    relpath: str
    suppressions: dict[int, frozenset[str] | None] = field(default_factory=dict)
    """Per line, the codes and names (lower case) its ignore comment names; None: all of them."""
    ignored: list[IgnoredReference] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Problems that stopped reading a file or a document (each breaks one document), in file order."""
    documents: list[RawDocument] = field(default_factory=list)
    unread: list[Declared] = field(default_factory=list)
    """Plan documents after a syntax error: libyaml stops there, so they were never read."""

    def suppressed(self, line: int, code: str, name: str) -> bool:
        if line not in self.suppressions:
            return False
        codes = self.suppressions[line]
        return codes is None or code.lower() in codes or name in codes


@dataclass
class RawDocument:
    """One YAML document whose ``kind`` is ours, as plain values and their positions.

    The positions are kept flat (``positions``, see ``to_flat_values``): ``locate`` finds a path's
    position in them directly, and the tree (``loc``) is built only when something asks for it. The
    document knows nothing of its file, so a loaded plan holds no reference cycle and is freed
    without the garbage collector.
    """

    index: int
    kind: str
    data: dict
    positions: array
    problems: list[Problem] = field(default_factory=list)
    declared: Declared = (None, None)
    """Team and quarter from the text, for a document whose values could not be read (``data`` is empty)."""
    _loc: MapLoc | None = field(default=None, repr=False, compare=False)

    @property
    def loc(self) -> MapLoc:
        if self._loc is None:
            loc = position_tree(self.data, self.positions)
            self._loc = loc if isinstance(loc, MapLoc) else MapLoc(position_of(loc))
        return self._loc

    def locate(self, path: Sequence[PathElement], *, prefer_value: bool = False) -> Position:
        """``locations.locate(self.loc, path)``, read from the flat positions without building the tree."""
        return locate_flat(self.data, self.positions, path, prefer_value=prefer_value)


Packed = tuple
"""A SourceFile without its path, as plain values (``pack``): what a worker process or the cache hands over."""


def pack(source: SourceFile) -> Packed:
    """What a file's bytes read as, in plain values, tuples and bytes; ``unpack`` gives the SourceFile back."""
    return (
        source.suppressions,
        [(reference.line, reference.column, reference.text) for reference in source.ignored],
        [_pack_problem(problem) for problem in source.problems],
        [
            (
                document.index,
                document.kind,
                document.data,
                document.positions.tobytes(),
                [_pack_problem(problem) for problem in document.problems],
                document.declared,
            )
            for document in source.documents
        ],
        source.unread,
    )


def unpack(packed: Packed, path: Path, relpath: str) -> SourceFile:
    """The SourceFile ``pack`` took apart, for the file at ``path``."""
    suppressions, ignored, problems, documents, unread = packed
    return SourceFile(
        path,
        relpath,
        suppressions,
        [IgnoredReference(*reference) for reference in ignored],
        [Problem(*problem) for problem in problems],
        [
            RawDocument(index, kind, data, array("i", positions), [Problem(*problem) for problem in found], declared)
            for index, kind, data, positions, found, declared in documents
        ],
        unread,
    )


def _pack_problem(problem: Problem) -> tuple:
    return problem.code, problem.message, problem.position, problem.declared


class OutOfRange(str):
    """A plain scalar written as a number beyond NUMBER_RANGE, kept as its text.

    Text fields take it as the text it is; number fields reject it (it is a string), and the
    message for that names the range instead of the type (``validation.describe_error``).
    """


def out_of_range(number: Decimal) -> bool:
    """Whether a number lies outside NUMBER_RANGE (infinities and NaN do)."""
    if not number.is_finite():
        return True
    size = abs(number)
    return size > LARGEST_NUMBER or (size != 0 and size < SMALLEST_NUMBER)


def reads_as_number(text: str) -> bool:
    """Whether ``text``, written without quotes, is a YAML number within NUMBER_RANGE."""
    if _plain_tag(text) not in (YAML_TAG + "int", YAML_TAG + "float"):
        return False
    return not isinstance(_plain_value(text), OutOfRange)


class ProblemError(Exception):
    """Raised where reading must stop; carries the finding to report."""

    def __init__(self, code: str, message: str, position: Position) -> None:
        super().__init__(message)
        self.problem = Problem(code, message, position)


def load_file(path: Path, root: Path, text: str | None = None, data: bytes | None = None) -> SourceFile:
    """Read and parse one plan file (or ``text``, or the bytes ``data``, given for it); every problem becomes a
    Problem, never an exception."""
    source = SourceFile(path=path, relpath=path.relative_to(root).as_posix())
    try:
        if text is None:
            text = decode_text(read_bytes(path) if data is None else data)
        source.suppressions, source.ignored = _suppressions(text)
        for index, (events, anchors) in enumerate(parse_documents(text)):
            _take_document(source, index, events, anchors, text)
    except ProblemError as error:
        _stopped_reading(source, error.problem, text if text is not None else _loose_text(path))
    return source


def _stopped_reading(source: SourceFile, problem: Problem, text: str | None) -> None:
    """Record the problem that ended reading, with the team-quarter of the document it broke.

    The documents after it were never read; those whose kind is ours are recorded as unread. A broken
    document whose ``kind`` line names another tool's kind breaks no plan document: its S001 stands alone.
    """
    if text is None:
        problem.declared = (None, None)
        source.problems.append(problem)
        return
    lines = text.split("\n")
    segments = _document_segments(lines)
    line = problem.position[0] - 1
    at = next((index for index, (start, end) in enumerate(segments) if start <= line < end), len(segments) - 1)
    kind, team, quarter = _declared_in(lines, *segments[at]) if segments else (None, None, None)
    if kind is None or kind in PLAN_KINDS or _near_miss(kind):
        problem.declared = (team, quarter)
    source.problems.append(problem)
    for start, end in segments[at + 1 :]:
        kind, team, quarter = _declared_in(lines, start, end)
        if kind in PLAN_KINDS or _near_miss(kind):
            source.unread.append((team, quarter))


def _loose_text(path: Path) -> str | None:
    """What a file that is not clean UTF-8 text still says, for its team and quarter lines; None if unreadable."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        return path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return None


def _document_segments(lines: list[str]) -> list[tuple[int, int]]:
    """The line ranges (0-based, end excluded) of the YAML documents of a text, split at ``---`` lines."""
    starts = [0] + [number for number, line in enumerate(lines) if number and DOCUMENT_START.match(line)]
    return list(zip(starts, [*starts[1:], len(lines)], strict=True))


def _declared_in(lines: list[str], start: int, end: int) -> tuple[str | None, str | None, str | None]:
    """The ``kind``, ``team`` and ``quarter`` of the unindented lines ``start:end``, comments and quotes stripped.

    A value that cannot be a team slug or a quarter counts as missing, so the caller's fallback applies.
    """
    found: dict[str, str] = {}
    for line in lines[start:end]:
        match = TOP_LEVEL_VALUE.match(line)
        if match and match.group(1) not in found:
            value = TRAILING_COMMENT.sub("", match.group(2)).strip().strip("\"'").strip()
            if value:
                found[match.group(1)] = value
    team, quarter = found.get("team"), found.get("quarter")
    return (
        found.get("kind"),
        team if team is not None and TEAM_TEXT.fullmatch(team) else None,
        quarter if quarter is not None and QUARTER_TEXT.fullmatch(quarter) else None,
    )


def read_text(path: Path) -> str:
    """A file's text, refusing what is too big, binary or not UTF-8 (a UTF-8 BOM is fine)."""
    return decode_text(read_bytes(path))


def read_bytes(path: Path) -> bytes:
    """A file's bytes, refusing what is no regular file or too big."""
    try:
        info = path.stat()
        what = not_a_file(info.st_mode)
        if what is not None:
            raise ProblemError("S001", f"{what}, not a file; not read", (1, 1))
        if info.st_size > MAX_FILE_BYTES:
            message = f"file is {info.st_size} bytes, more than the limit of {MAX_FILE_BYTES}; not read"
            raise ProblemError("S001", message, (1, 1))
        return path.read_bytes()
    except OSError as error:
        raise ProblemError("S001", f"cannot read file: {error.strerror or error}", (1, 1)) from None


def decode_text(data: bytes) -> str:
    """A file's bytes as text, refusing what is binary or not UTF-8 (a UTF-8 BOM is fine)."""
    if data.startswith(UTF16_32_BOMS):
        message = "file is UTF-16 or UTF-32 (it starts with a byte order mark): save it as UTF-8"
        raise ProblemError("S001", message, (1, 1))
    if b"\0" in data:
        position = _position_of_offset(data, data.index(b"\0"))
        raise ProblemError("S001", "file contains a NUL byte: not a YAML text file", position)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        position = _position_of_offset(data, error.start)
        raise ProblemError("S001", f"not UTF-8: invalid byte 0x{data[error.start]:02x}", position) from None
    return text.removeprefix("\ufeff")


_SPECIAL_FILES = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
                  (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))  # fmt: skip


def not_a_file(mode: int) -> str | None:
    """What a path whose ``stat`` mode is ``mode`` is, when it is no regular file; known without opening it.

    Reading a named pipe waits for a writer, forever; a device may never end.
    """
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _SPECIAL_FILES if test(mode)), "no regular file")


def compose_documents(text: str) -> Iterator[Node | None]:
    """libyaml's node trees, one a document, after making sure the C composer cannot be made to crash."""
    if _may_nest_too_deep(text):
        _check_nesting(text)
    try:
        yield from yaml.compose_all(text, Loader=_Loader)
    except yaml.YAMLError as error:
        raise ProblemError(*_syntax_problem(error, text)) from None


Anchors = dict[str, Any]
"""Where each anchor of a document is set: the start mark of the value it names."""
Events = list[Any]
"""A document's libyaml events (``yaml.events``), told apart by their class; from the C parser, every one has
its marks (the stubs' ``Mark | None`` never applies)."""


def parse_documents(text: str) -> Iterator[tuple[Events, Anchors | None]]:
    """libyaml's events of each document (its start and end events left out), with its anchors when the text
    may have anchors or aliases (None when it has neither ``&`` nor ``*``, as almost every plan file).

    A syntax error ends the stream where libyaml's composer would end it, with the same error: after the
    documents before it, and with the composer's own checks of anchors (an alias to no anchor, an anchor set
    twice in a document) made in stream order.
    """
    if _may_nest_too_deep(text):
        _check_nesting(text)
    anchored = "&" in text or "*" in text
    parser = yaml.CSafeLoader(text)
    try:
        get = parser.get_event
        get()  # the stream's start
        while get().__class__ is not StreamEndEvent:  # a document's start
            events: Events = []
            if anchored:
                anchors = _events_with_anchors(get, events)
                yield events, anchors
                continue
            append = events.append
            event = get()
            while event.__class__ is not DocumentEndEvent:
                append(event)
                event = get()
            yield events, None
    except yaml.YAMLError as error:
        raise ProblemError(*_syntax_problem(error, text)) from None
    finally:
        parser.dispose()


def _events_with_anchors(get: Callable[[], Any], events: Events) -> Anchors:
    """A document's events into ``events``, checking its anchors and aliases as libyaml's composer does."""
    anchors: Anchors = {}
    event = get()
    while (kind := event.__class__) is not DocumentEndEvent:
        events.append(event)
        if kind is AliasEvent:
            if event.anchor not in anchors:
                raise ComposerError(None, None, "found undefined alias", event.start_mark)
        elif getattr(event, "anchor", None) is not None:
            anchor = event.anchor
            if anchor in anchors:
                first = anchors[anchor]
                raise ComposerError(
                    "found duplicate anchor; first occurrence", first, "second occurrence", event.start_mark
                )
            anchors[anchor] = event.start_mark
        event = get()
    return anchors


def to_values(node: Node) -> tuple[object, Loc, list[Problem]]:
    """Plain values and positions of a node tree, with the non-fatal problems (duplicate keys) found on the way."""
    value, positions, problems = to_flat_values(node)
    return value, position_tree(value, positions), problems


def to_flat_values(node: Node) -> tuple[object, array, list[Problem]]:
    """Plain values and their flat positions, with the duplicate keys found on the way.

    The positions list every node in document order, a mapping's key before its value: a scalar as
    its line and column, a mapping or sequence as its line, column and the index in ``positions``
    where its last descendant's positions end (so that a lookup can step over it).
    """
    converter = _Converter()
    value = converter.convert(node, 0)
    return value, array("i", converter.positions), converter.problems


def position_tree(value: object, positions: array) -> Loc:
    """The tree of positions of ``value`` from its flat positions (as ``to_flat_values`` lists them).

    Positions that run short (a cache entry that lies) read as 1:1 rather than fail.
    """
    try:
        return _tree(value, positions, 0)[0]
    except IndexError:
        return MapLoc((1, 1)) if isinstance(value, dict) else (1, 1)


def _tree(value: object, positions: array, at: int) -> tuple[Loc, int]:
    position = (positions[at], positions[at + 1])
    if value.__class__ is dict:
        at += 3
        map_loc = MapLoc(position)
        keys, values = map_loc.keys, map_loc.values
        for key, item in value.items():
            keys[key] = (positions[at], positions[at + 1])
            values[key], at = _tree(item, positions, at + 2)
        return map_loc, at
    if value.__class__ is list:
        at += 3
        seq_loc = SeqLoc(position)
        items = seq_loc.items
        for item in value:
            loc, at = _tree(item, positions, at)
            items.append(loc)
        return seq_loc, at
    return position, at + 2


def locate_flat(data: object, positions: array, path: Sequence[PathElement], *, prefer_value: bool = False) -> Position:
    """``locations.locate`` over flat positions: what a finding about ``path`` in ``data`` points at."""
    try:
        value, at = data, 0
        for depth, step in enumerate(path):
            if value.__class__ is dict and isinstance(step, str) and step in value:
                at += 3
                for key, item in value.items():
                    if key == step:
                        break
                    at = _after(item, positions, at + 2)
                if depth == len(path) - 1 and not prefer_value:
                    return positions[at], positions[at + 1]
                value, at = value[step], at + 2
            elif value.__class__ is list and isinstance(step, int) and 0 <= step < len(value):
                at += 3
                for item in value[:step]:
                    at = _after(item, positions, at)
                value = value[step]
            else:
                break
        return positions[at], positions[at + 1]
    except IndexError:  # positions that run short: a cache entry that lies
        return (1, 1)


def _after(value: object, positions: array, at: int) -> int:
    """Where the positions after those of ``value`` (starting at ``at``) begin."""
    return positions[at + 2] if value.__class__ is dict or value.__class__ is list else at + 2


def _position_of_offset(data: bytes, offset: int) -> Position:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, len(data[line_start:offset].decode("utf-8", "replace")) + 1


def _suppressions(text: str) -> tuple[dict[int, frozenset[str] | None], list[IgnoredReference]]:
    """Per line, what its ignore comment names (lower case, as rule codes and names are matched); and each name."""
    if "okrsprint:" not in text:
        return {}, []
    found: dict[int, frozenset[str] | None] = {}
    named: list[IgnoredReference] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = SUPPRESSION.search(line) if "okrsprint:" in line else None
        if match is None:
            continue
        if match.group(1) is None:
            found[number] = None
            continue
        on_line = [
            IgnoredReference(number, match.start(1) + part.start() + 1, part.group())
            for part in re.finditer(r"[^,\s]+(?:[ \t]+[^,\s]+)*", match.group(1))
        ]
        named.extend(on_line)
        found[number] = frozenset(reference.text.lower() for reference in on_line)
    return found, named


def _may_nest_too_deep(text: str) -> bool:
    """A cheap upper bound on nesting: flow brackets plus the longest line (block nesting needs columns)."""
    if len(text) <= MAX_NESTING:
        return False
    brackets = text.count("[") + text.count("{")
    return brackets + max(map(len, text.splitlines() or [""])) > MAX_NESTING


def _check_nesting(text: str) -> None:
    """The exact depth, from libyaml's event stream (iterative, so safe at any depth).

    libyaml ≥ 0.2.6 (PyYAML 6.0.4's wheels) stops at its own limit of 1000 levels, counted its own
    way; either way the finding is located by the pure-Python parser, so it reads the same whatever
    libyaml version is installed.
    """
    try:
        _too_deep_event(yaml.parse(text, Loader=yaml.CSafeLoader))
    except yaml.YAMLError as error:
        if "maximum nesting depth" not in str(error):
            raise ProblemError(*_syntax_problem(error, text)) from None
    except ProblemError:
        pass
    else:
        return
    try:
        _too_deep_event(yaml.parse(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as error:
        raise ProblemError(*_syntax_problem(error, text)) from None
    raise ProblemError("S001", f"YAML nested deeper than {MAX_NESTING} levels; not read", (1, 1))


def _too_deep_event(events: Iterator[yaml.Event]) -> None:
    """Raise S001 at the first collection nested deeper than MAX_NESTING."""
    depth = 0
    for event in events:
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                mark = event.start_mark
                position = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
                raise ProblemError("S001", f"YAML nested deeper than {MAX_NESTING} levels; not read", position)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _syntax_problem(error: yaml.YAMLError, text: str | None = None) -> tuple[str, str, Position]:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    position = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if isinstance(error, yaml.MarkedYAMLError):
        message = " ".join(part for part in (error.context, error.problem) if part)
    else:
        message = str(error).splitlines()[0]
    hint = _hint(message, position, text) if text is not None and mark is not None else ""
    return "S001", f"invalid YAML: {shorten(message, 200)[1:-1]}{hint}", position


def _hint(message: str, position: Position, text: str) -> str:
    """What to look at for an indentation error: the line whose indentation is likely wrong.

    libyaml notices a wrong indentation where it stops making sense, which is the line itself or the
    line after it. The line to blame is the one that, re-indented, lets the document parse on past it:
    the error's line, else the previous non-blank line; if neither does, the error's line.
    """
    if not any(kind in message for kind in INDENTATION_ERRORS):
        return ""
    lines = text.split("\n")
    number = position[0] - 1
    if number >= len(lines):
        return ""
    line = lines[number]
    if "\t" in line[: len(line) - len(line.lstrip(" \t"))]:
        return f"; check the indentation of line {number + 1}: YAML indents with spaces, not tabs"
    if "tab" in message or "cannot start any token" in message:
        return ""
    if "mapping values" in message and ": " in line[: position[1] - 1]:
        return "; a value holding ': ' must be quoted"
    start = next(first for first, end in _document_segments(lines) if first <= number < end)
    if len(text) <= MAX_HINT_TEXT:
        previous = next((n for n in range(number - 1, start - 1, -1) if _content(lines[n])), None)
        for candidate in (number, previous):
            if candidate is not None and _reindenting_fixes(lines, start, candidate):
                return f"; check the indentation of line {candidate + 1}"
    return f"; check the indentation of line {number + 1}"


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _reindenting_fixes(lines: list[str], start: int, number: int, lookahead: int = 3) -> bool:
    """Whether some other indentation of line ``number`` lets its document parse past the next few lines."""
    body = lines[number].lstrip(" ")
    current = len(lines[number]) - len(body)
    near = {
        len(lines[n]) - len(lines[n].lstrip(" "))
        for n in range(max(start, number - lookahead), min(len(lines), number + lookahead + 1))
        if n != number and _content(lines[n])
    }
    tried = {*near, *(indent + 2 for indent in near), current - 2, current - 1, current + 1, current + 2}
    for indent in sorted(tried - {current}):
        if indent < 0:
            continue
        window = lines[start:number] + [" " * indent + body] + lines[number + 1 : number + lookahead + 1]
        try:
            list(yaml.compose_all("\n".join(window), Loader=yaml.CSafeLoader))
        except yaml.MarkedYAMLError as error:
            if error.problem_mark is not None and start + error.problem_mark.line > number + lookahead:
                return True
        except yaml.YAMLError:
            continue
        else:
            return True
    return False


def _take_document(source: SourceFile, index: int, events: Events, anchors: Anchors | None, text: str) -> None:
    kind_event = _kind_value_event(events)
    kind = _kind_of(kind_event)
    if kind in PLAN_KINDS:
        document = RawDocument(index, kind, {}, array("i", (*_start(events[0]), 3)))
        try:
            data, positions, problems = values_of_events(events, anchors)
            assert isinstance(data, dict)  # a plan kind is read from a mapping
            document.data, document.positions = data, positions
            document.problems.extend(problems)
        except ProblemError as error:
            document.problems.append(error.problem)
            document.declared = _declared_of(events, text)
        source.documents.append(document)
        return
    near = _near_miss(kind)
    if near:  # anything else is another tool's document, skipped silently
        message = f"unknown kind {shorten(kind)}: did you mean '{near}'?"
        source.problems.append(Problem("S006", message, _start(kind_event), _declared_of(events, text)))


def _declared_of(events: Events, text: str) -> Declared:
    """Team and quarter of a document from the lines its events span."""
    _, team, quarter = _declared_in(text.split("\n"), events[0].start_mark.line, events[-1].end_mark.line + 1)
    return team, quarter


def _kind_value_event(events: Events) -> Any:
    """The event of the value of a document's first top-level ``kind`` key, if its root is a mapping."""
    if events[0].__class__ is not MappingStartEvent:
        return None
    at = 1
    while events[at].__class__ is not MappingEndEvent:
        key = events[at]
        value_at = _after_event(events, at)
        if key.__class__ is ScalarEvent and key.value == "kind":
            return events[value_at]
        at = _after_event(events, value_at)
    return None


def _after_event(events: Events, at: int) -> int:
    """The index of the event after the value that starts at ``at``."""
    return at + _skip_value(islice(events, at, None))


def _kind_of(event: Any) -> str | None:
    """The kind a document declares: its ``kind`` value when that reads as text."""
    if event.__class__ is not ScalarEvent:
        return None
    tag = event.tag
    text = event.value
    if tag is None or tag == NON_SPECIFIC_TAG:
        return text if not event.implicit[0] or _plain_tag(text) == STR_TAG else None
    return text if tag == STR_TAG else None


def _near_miss(kind: str | None) -> str | None:
    if not kind or len(kind) > 12:
        return None
    distance, nearest = min((_edit_distance(kind, ours), ours) for ours in PLAN_KINDS)
    return nearest if distance <= 2 else None


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def _start(event: Any) -> Position:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


_NO_KEY = object()
"""In a mapping's frame of ``values_of_events``: the next event is a key."""


def values_of_events(events: Events, anchors: Anchors | None) -> tuple[object, array, list[Problem]]:
    """A plan document's plain values and flat positions (laid out as ``to_flat_values`` lays them out), with
    the duplicate keys found on the way; refuses tags, aliases and absurd depth as ``_Converter`` does.

    This is the hottest loop of a check: one pass over the events, a stack of the collections open.
    """
    out: list[int] = []
    problems: list[Problem] = []
    stack: list[list] = []  # [container, its index in out, the key its next value goes under]
    events_left = iter(events)
    for event in events_left:
        kind = event.__class__
        mark = event.start_mark
        line, column = mark.line + 1, mark.column + 1
        if kind is MappingEndEvent or kind is SequenceEndEvent:
            container, start, _ = stack.pop()
            out[start] = len(out)
            value: object = container
        elif stack and stack[-1][2] is _NO_KEY:  # a key
            frame = stack[-1]
            key = _key_of_event(event, (line, column), anchors)
            mapping = frame[0]
            if key in mapping:
                first = _key_line(mapping, out, frame[1], key)
                message = f"duplicate key '{shorten(key)[1:-1]}' (first at line {first})"
                problems.append(Problem("S003", message, (line, column)))
                _skip_value(events_left)
                continue
            frame[2] = key
            out += (line, column)
            continue
        elif kind is ScalarEvent:
            out += (line, column)
            tag = event.tag
            text = event.value
            if tag is None or tag == NON_SPECIFIC_TAG:
                value = _plain_value(text) if event.implicit[0] and text[:1] in MAY_NOT_BE_TEXT else text
            else:
                value = _tagged_scalar(tag, text, event.style, (line, column))
        elif kind is AliasEvent:
            raise ProblemError("S002", ALIASES_REFUSED, _anchor_position(anchors, event))
        else:  # the start of a mapping or a sequence
            if len(stack) > MAX_PLAN_DEPTH:
                raise ProblemError("S002", f"nested deeper than {MAX_PLAN_DEPTH} levels", (line, column))
            mapping_start = kind is MappingStartEvent
            _check_collection_tag(event.tag, MAP_TAG if mapping_start else SEQ_TAG, (line, column))
            out += (line, column, 0)
            stack.append([{} if mapping_start else [], len(out) - 1, _NO_KEY if mapping_start else None])
            continue
        if not stack:
            return value, array("i", out), problems
        frame = stack[-1]
        if frame[2] is None:
            frame[0].append(value)
        else:
            frame[0][frame[2]] = value
            frame[2] = _NO_KEY
    raise AssertionError("libyaml ended a document inside a value")  # its events always balance


def _key_of_event(event: Any, position: Position, anchors: Anchors | None) -> str:
    """A mapping key's text, refusing what ``_check_key_tag`` refuses (an alias as a key is refused as an alias);
    a plain key that reads as text is remembered."""
    kind = event.__class__
    if kind is ScalarEvent:
        text = event.value
        tag = event.tag
        if tag is None or tag == NON_SPECIFIC_TAG:
            if not event.implicit[0] or text in _TEXT_KEYS:
                return text
            _check_key_tag(_plain_tag(text), True, position)
            if len(_TEXT_KEYS) < MEMO_LIMIT:
                _TEXT_KEYS.add(text)
            return text
        _check_key_tag(tag, True, position)
        return text
    if kind is AliasEvent:
        raise ProblemError("S002", ALIASES_REFUSED, _anchor_position(anchors, event))
    raise ProblemError("S002", KEYS_ARE_TEXT, position)  # a mapping or a sequence


def _anchor_position(anchors: Anchors | None, alias: Any) -> Position:
    """Where the value an alias repeats is anchored: where libyaml's composer locates the aliased node."""
    mark = (anchors or {}).get(alias.anchor, alias.start_mark)
    return mark.line + 1, mark.column + 1


def _key_line(mapping: dict, positions: list[int], start: int, key: str) -> int:
    """The line of ``key`` in a mapping whose positions start at ``start``: where a duplicate was first seen."""
    at = start + 1  # a key's line and column, then its value's: two numbers for a scalar, three for a collection
    for name, item in mapping.items():
        if name == key:
            break
        at = positions[at + 4] if item.__class__ is dict or item.__class__ is list else at + 4
    return positions[at]


def _skip_value(events: Iterator[Any]) -> int:
    """Step over the events of one value (a duplicate key's, never read; a top-level value): how many they were."""
    depth = 0
    for count, event in enumerate(events, start=1):
        kind = event.__class__
        if kind is MappingStartEvent or kind is SequenceStartEvent:
            depth += 1
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            depth -= 1
        if depth == 0:
            return count
    raise AssertionError("libyaml ended a document inside a value")  # its events always balance


class _Converter:
    """Node trees (the config's, the editor's) → plain values and flat positions, refusing tags, aliases and
    absurd depth, as ``values_of_events`` does for plan files.

    Duplicate keys are collected as S003 problems (the first value wins) so the
    rest of the document can still be checked. ``positions`` gets the line
    and column of each node in document order, a mapping's key before its value.
    An alias is the node it repeats, met a second time: refused there.
    """

    _constructor = SafeConstructor()

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.problems: list[Problem] = []
        self.positions: list[int] = []

    def convert(self, node: Node, depth: int) -> object:
        mark = node.start_mark
        line, column = mark.line + 1, mark.column + 1
        if id(node) in self.seen:
            raise ProblemError("S002", ALIASES_REFUSED, (line, column))
        self.seen.add(id(node))
        out = self.positions
        out += (line, column)
        kind = node.__class__
        if kind is ScalarNode:
            return _tagged_scalar(node.tag, node.value, getattr(node, "style", None), (line, column))
        if depth > MAX_PLAN_DEPTH:
            raise ProblemError("S002", f"nested deeper than {MAX_PLAN_DEPTH} levels", (line, column))
        start = len(out)
        out.append(0)  # where this collection's positions end, set below
        if kind is SequenceNode:
            _check_collection_tag(node.tag, SEQ_TAG, (line, column))
            values = [self.convert(item, depth + 1) for item in node.value]
            out[start] = len(out)
            return values
        _check_collection_tag(node.tag, MAP_TAG, (line, column))
        mapping: dict = {}
        for key_node, value_node in node.value:
            key_mark = key_node.start_mark
            key_position = (key_mark.line + 1, key_mark.column + 1)
            _check_key_tag(key_node.tag, key_node.__class__ is ScalarNode, key_position)
            key = key_node.value
            if key in mapping:
                first = next(k for k, _ in node.value if k.__class__ is ScalarNode and k.value == key)
                message = f"duplicate key '{shorten(key)[1:-1]}' (first at line {first.start_mark.line + 1})"
                self.problems.append(Problem("S003", message, key_position))
                continue
            out += key_position
            mapping[key] = self.convert(value_node, depth + 1)
        out[start] = len(out)
        return mapping


def _check_collection_tag(tag: str | None, expected: str, position: Position) -> None:
    """Refuse a mapping or sequence with an explicit tag other than its own (None or ``!``: untagged)."""
    if tag is not None and tag != NON_SPECIFIC_TAG and tag != expected:
        raise ProblemError("S001", f"unsupported YAML tag {shorten(tag)}", position)


def _check_key_tag(tag: str, scalar: bool, position: Position) -> None:
    """Refuse a key that is no text (``1:``, ``[a]:``) or a merge (``<<:``), given its resolved tag."""
    if tag == MERGE_TAG and scalar:
        message = "YAML merge keys (<<) are not supported in plan documents: write the keys out"
        raise ProblemError("S002", message, position)
    if not scalar or tag not in TEXT_TAGS:
        raise ProblemError("S002", KEYS_ARE_TEXT, position)


def _tagged_scalar(tag: str, text: str, style: str | None, position: Position) -> object:
    """The value of a scalar whose tag is resolved or explicit (``!!str 1e3``)."""
    if tag == STR_TAG:
        if ("e" in text or "E" in text) and DOTLESS_EXPONENT.fullmatch(text) and not style:
            return _text_or_out_of_range(text)  # plain, or tagged !!str but written plain: as YAML 1.1 reads it
        return text
    return _scalar(tag, text, position)


def _plain_value(text: str) -> object:
    """What a plain scalar reads as in YAML 1.1 (as PyYAML reads it), memoised: plan files repeat a few texts."""
    first = text[:1]
    if first not in MAY_NOT_BE_TEXT or (first in WORD_INITIALS and text not in BOOL_AND_NULL_WORDS):
        return text
    value = _PLAIN_VALUES.get(text, _PLAIN_VALUES)
    if value is _PLAIN_VALUES:
        tag = _plain_tag(text)
        if tag == STR_TAG:
            value = _text_or_out_of_range(text) if DOTLESS_EXPONENT.fullmatch(text) else text
        else:
            value = _scalar(tag, text, (1, 1))  # a resolved plain scalar has a supported tag: never raises
        if len(_PLAIN_VALUES) < MEMO_LIMIT:
            _PLAIN_VALUES[text] = value
    return value


def _scalar(tag: str, text: str, position: Position) -> object:
    """The value of a scalar with a resolved tag: YAML's standard scalar types only."""
    if tag in TEXT_TAGS:
        return text
    if tag not in SCALAR_TAGS:
        raise ProblemError("S001", f"unsupported YAML tag {shorten(tag)}", position)
    constructor = _Converter._constructor
    try:
        value = constructor.yaml_constructors[tag](constructor, ScalarNode(tag, text))
    except (ValueError, OverflowError, yaml.YAMLError):
        if tag == YAML_TAG + "int":  # more digits than Python converts
            return OutOfRange(text)
        return text  # e.g. 2026-02-30: left as text for the schema to reject as a date
    if value.__class__ is int and not -LARGEST_NUMBER <= value <= LARGEST_NUMBER:
        return OutOfRange(text)
    if value.__class__ is float:  # .inf and .nan are no decimals: left for the schema to reject
        return _text_or_out_of_range(text, value)
    return value


_RESOLVER = _Loader("")


def _text_or_out_of_range(text: str, value: object = None) -> object:
    """``value`` (by default the text itself), or OutOfRange when the number as written lies outside the range.

    Judged on the decimal as written, not the float: 1.0e-400 reads as 0.0 and 1.0e400 as inf.
    """
    try:
        number = Decimal(text.replace("_", ""))
    except InvalidOperation:  # sexagesimal 1:30.5 is far inside the range
        return text if value is None else value
    if out_of_range(number):
        return OutOfRange(text)
    return text if value is None else value
