"""Load: plan files → YAML documents as plain values with positions, plus S001/S003/S006 findings.

A document that cannot be read still says, in its text, which team-quarter it belongs to: its
top-level ``team:`` and ``quarter:`` lines are read without YAML, so that the plan can leave that
team-quarter out instead of reporting everything that pointed into the missing document.

Reading goes through libyaml (PyYAML's ``CSafeLoader``) ``compose``: the C
parser is ~20x faster than ruamel.yaml's round-trip loader and its nodes carry
start marks, which is all a linter needs. Nothing is ever constructed from a
tag: nodes are turned into values here, by a converter that knows only YAML's
standard scalar types and refuses everything else.
"""

from __future__ import annotations

import re
import stat
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
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
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_VALUES: dict[str, object] = {}
_TEXT_KEYS: set[str] = set()  # plain keys known to read as text


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


class _UnresolvedLoader(yaml.CSafeLoader):
    """libyaml's loader that never calls back into Python to resolve a tag.

    libyaml asks ``self.resolve(kind, value, implicit)`` for every node without an explicit tag.
    ``slice`` is a C type taking three arguments, so the "tag" becomes ``slice(kind, value,
    implicit)`` at the cost of an allocation, and the converter resolves plain scalars itself,
    memoised (``_plain_value``): the same YAML 1.1 resolution, without a Python frame per node.
    The composer also tells the resolver of every step into and out of a collection, for path
    resolvers, which the safe loader has none of: C callables that do nothing take those calls.
    """

    resolve = slice
    descend_resolver = slice  # type: ignore[assignment]  # (parent, index): ignored
    ascend_resolver = tuple  # type: ignore[assignment]  # (): ignored


def _plain_tag(text: str) -> str:
    """The tag YAML 1.1 (PyYAML's resolver) gives a plain scalar, memoised: plan files repeat a few texts."""
    tag = _PLAIN_TAGS.get(text)
    if tag is None:
        tag = Resolver.resolve(_RESOLVER, ScalarNode, text, (True, False))
        if len(_PLAIN_TAGS) < MEMO_LIMIT:
            _PLAIN_TAGS[text] = tag
    return tag


def _tag_of(node: Node) -> str:
    """A node's resolved tag, whichever loader composed it."""
    tag = node.tag
    if tag.__class__ is not slice:
        return tag
    implicit = tag.step
    if node.__class__ is not ScalarNode:
        return SEQ_TAG if node.__class__ is SequenceNode else MAP_TAG
    return _plain_tag(node.value) if implicit[0] else STR_TAG


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
        for index, node in enumerate(compose_documents(text, _UnresolvedLoader)):
            _take_document(source, index, node, text)
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


def compose_documents(text: str, loader: type[yaml.CSafeLoader] = _Loader) -> Iterator[Node | None]:
    """libyaml's node trees, one a document, after making sure the C composer cannot be made to crash.

    The default loader resolves every tag; ``_UnresolvedLoader`` leaves plain scalars to the converter.
    """
    if _may_nest_too_deep(text):
        _check_nesting(text)
    try:
        yield from yaml.compose_all(text, Loader=loader)
    except yaml.YAMLError as error:
        raise ProblemError(*_syntax_problem(error, text)) from None


def to_values(node: Node) -> tuple[object, Loc, list[Problem]]:
    """Plain values and positions of a node tree, with the non-fatal problems (duplicate keys) found on the way."""
    value, positions, problems = to_flat_values(node)
    return value, position_tree(value, positions), problems


def to_flat_values(node: Node, anchors: bool = True) -> tuple[object, array, list[Problem]]:
    """Plain values and their flat positions, with the duplicate keys found on the way.

    The positions list every node in document order, a mapping's key before its value: a scalar as
    its line and column, a mapping or sequence as its line, column and the index in ``positions``
    where its last descendant's positions end (so that a lookup can step over it).
    """
    converter = _Converter(anchors)
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


def _take_document(source: SourceFile, index: int, node: Node | None, text: str) -> None:
    kind = _kind_of(node)
    if kind in PLAN_KINDS and node is not None:
        document = RawDocument(index, kind, {}, array("i", (*_start(node), 3)))
        try:
            data, positions, problems = to_flat_values(node, anchors="&" in text)
            assert isinstance(data, dict)  # a plan kind is read from a mapping
            document.data, document.positions = data, positions
            document.problems.extend(problems)
        except ProblemError as error:
            document.problems.append(error.problem)
            document.declared = _declared_of(node, text)
        source.documents.append(document)
        return
    near = _near_miss(kind)
    if near:  # anything else is another tool's document, skipped silently
        key_node = _kind_value_node(node)
        message = f"unknown kind {shorten(kind)}: did you mean '{near}'?"
        source.problems.append(Problem("S006", message, _start(key_node), _declared_of(node, text)))


def _declared_of(node: Node | None, text: str) -> Declared:
    """Team and quarter of a document from the lines its node spans."""
    if node is None:
        return (None, None)
    _, team, quarter = _declared_in(text.split("\n"), node.start_mark.line, node.end_mark.line + 1)
    return team, quarter


def _kind_value_node(node: Node | None) -> Node | None:
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == "kind":
                return value
    return None


def _kind_of(node: Node | None) -> str | None:
    value = _kind_value_node(node)
    if isinstance(value, ScalarNode) and _tag_of(value) == STR_TAG:
        return value.value
    return None


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


def _start(node: Node | None) -> Position:
    if node is None:
        return (1, 1)
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Converter:
    """YAML nodes → plain values and flat positions, refusing tags, aliases and absurd depth.

    Duplicate keys are collected as S003 problems (the first value wins) so the
    rest of the document can still be checked. This is the hottest loop of a
    check, hence the inlined marks and class tests. ``positions`` gets the line
    and column of each node in document order, a mapping's key before its value.
    """

    _constructor = SafeConstructor()

    def __init__(self, anchors: bool = True) -> None:
        self.anchors = anchors
        """Whether the text may hold anchors; without one, no node can be an alias, and none is tracked."""
        self.seen: set[int] = set()
        self.problems: list[Problem] = []
        self.positions: list[int] = []

    def convert(self, node: Node, depth: int) -> object:
        mark = node.start_mark
        line, column = mark.line + 1, mark.column + 1
        if self.anchors:
            if id(node) in self.seen:
                message = "YAML aliases (*name) are not supported in plan documents: write the value out"
                raise ProblemError("S002", message, (line, column))
            self.seen.add(id(node))
        out = self.positions
        out += (line, column)
        kind = node.__class__
        if kind is ScalarNode:
            tag = node.tag
            if tag.__class__ is slice:  # composed by _UnresolvedLoader: plain (implicit[0]) or quoted
                return _plain_value(node.value) if tag.step[0] else node.value
            if tag == STR_TAG:
                value = node.value
                if ("e" in value or "E" in value) and DOTLESS_EXPONENT.fullmatch(value):
                    if getattr(node, "style", None):  # quoted; libyaml's style of a plain scalar is ""
                        return value
                    return _text_or_out_of_range(value)
                return value
            assert isinstance(node, ScalarNode)
            return _scalar(tag, node.value, (line, column))
        if depth > MAX_PLAN_DEPTH:
            raise ProblemError("S002", f"nested deeper than {MAX_PLAN_DEPTH} levels", (line, column))
        start = len(out)
        out.append(0)  # where this collection's positions end, set below
        if kind is SequenceNode:
            self._check_tag(node, SEQ_TAG, (line, column))
            values = [self.convert(item, depth + 1) for item in node.value]
            out[start] = len(out)
            return values
        self._check_tag(node, MAP_TAG, (line, column))
        mapping: dict = {}
        inline = not self.anchors  # a plain or quoted scalar value is read right here, without a call
        for key_node, value_node in node.value:
            key_mark = key_node.start_mark
            key_position = (key_mark.line + 1, key_mark.column + 1)
            key = key_node.value
            tag = key_node.tag
            if not (
                key_node.__class__ is ScalarNode and tag.__class__ is slice and (not tag.step[0] or key in _TEXT_KEYS)
            ):
                _check_key(key_node, key_position)
            if key in mapping:
                first = next(k for k, _ in node.value if k.__class__ is ScalarNode and k.value == key)
                message = f"duplicate key '{shorten(key)[1:-1]}' (first at line {first.start_mark.line + 1})"
                self.problems.append(Problem("S003", message, key_position))
                continue
            out += key_position
            tag = value_node.tag
            if inline and tag.__class__ is slice and value_node.__class__ is ScalarNode:
                mark = value_node.start_mark
                out += (mark.line + 1, mark.column + 1)
                text = value_node.value
                plain = tag.step[0] and text[:1] in MAY_NOT_BE_TEXT
                mapping[key] = _plain_value(text) if plain else text
            else:
                mapping[key] = self.convert(value_node, depth + 1)
        out[start] = len(out)
        return mapping

    def _check_tag(self, node: Node, expected: str, position: Position) -> None:
        tag = node.tag
        if tag.__class__ is not slice and tag != expected:
            raise ProblemError("S001", f"unsupported YAML tag {shorten(tag)}", position)


def _check_key(node: Node, position: Position) -> None:
    """Refuse a key that is no text (``1:``, ``[a]:``) or a merge (``<<:``); remember a plain key that is text."""
    tag = _tag_of(node)
    if tag == MERGE_TAG and node.__class__ is ScalarNode:
        message = "YAML merge keys (<<) are not supported in plan documents: write the keys out"
        raise ProblemError("S002", message, position)
    if node.__class__ is not ScalarNode or tag not in TEXT_TAGS:
        raise ProblemError("S002", "mapping keys must be plain strings", position)
    if node.tag.__class__ is slice and len(_TEXT_KEYS) < MEMO_LIMIT:
        _TEXT_KEYS.add(node.value)


def _plain_value(text: str) -> object:
    """What a plain scalar reads as in YAML 1.1 (as PyYAML reads it), memoised: plan files repeat a few texts."""
    if text[:1] not in MAY_NOT_BE_TEXT:
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
