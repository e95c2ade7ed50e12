"""Edit a plan file's YAML text in place: change one value, prove the result, leave every other character alone.

Why not let ruamel.yaml re-emit the whole file? Its round trip keeps comments
and quotes, but still normalises what it does not model: runs of spaces after
a colon, multi-line flow lists (joined into one line), the blank line after
the last list item (which it keeps *before* an appended item) and unusual
indentation. So an edit is a splice: libyaml's node marks (character offsets,
the same parser the linter uses) say where a value starts and ends,
ruamel.yaml's round-trip emitter renders the new piece (quoting, number
format), and it goes in with the file's own indentation, line ends and flow or
block style. Nothing outside the splice can change by construction; the result
is then proved before anyone writes it (``verify``): parsed again, the document
must equal the old one plus exactly the intended change, and every other
document must be unchanged.

Every operation takes the text, the index of a document in it (as the loader
counts them: ``RawDocument.index``) and a key path from
that document's root (``("objectives", 0, "key_results", 1, "checkins")``),
and returns an ``Edit``; an ``EditError`` (exit 2) when the edit cannot be made
or would not read back as intended. Callers write the text themselves (and
should first run the S-rules on it: this module sits below the engine).

``apply`` makes a batch of such changes (``Change``: set a value, replace a list,
extend a list, remove list items) in one pass over the original text and proves
the whole result with one read-back, so that ``import`` edits 5,000 items in the
time of one parse; ``new_document`` writes a new document the same proved way.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from okrsprint.errors import UsageError
from okrsprint.findings import shorten
from okrsprint.loader import ProblemError, compose_documents, to_values
from okrsprint.locations import PathElement

KeyPath = tuple[PathElement, ...]
Renderer = Callable[..., str]
BOM = "\ufeff"
LINE_BREAKS = "\r\n\x85\u2028\u2029"  # what YAML (and so libyaml's line numbers) counts as a line break
BLANKS = " \t" + LINE_BREAKS
DEFAULT_SEQUENCE_STYLE = (2, 1)  # "key:\n  - item": dash 2 columns right of the key, one space after it


class EditError(UsageError):
    """An edit that cannot be made; nothing may be written (exit 2)."""


class ReadBackError(EditError):
    """The edited text does not read back as the old document plus exactly the intended change."""

    def __init__(self, difference: str) -> None:
        super().__init__(difference)
        self.difference = difference


@dataclass(frozen=True)
class Edit:
    """The whole edited text, and the 1-based line of the changed value (an appended item: the item's line)."""

    text: str
    line: int


# -- the operations -----------------------------------------------------------------------------------------------


def append_to_list(text: str, document: int, path: KeyPath, value: object) -> Edit:
    """Append ``value`` to the list at ``path``, in the list's style (block items copy the last item's indentation).

    A missing key (or one holding null) becomes a new list of that one value, as ``set_list`` creates it.
    """
    return _finish_splice(text, document, _append_splice(text, document, path, [value], render))


def _append_splice(
    text: str, document: int, path: KeyPath, values: list, renderer: Renderer, *, unfold_empty: bool = False
) -> _Splice:
    """The splice appending ``values``; ``unfold_empty``: mappings put into ``key: []`` become block items."""
    place = _Place.find(text, document, path)
    old = _plain_at(text, document, path)
    if not isinstance(place.node, SequenceNode):
        if old is not None:
            raise EditError(f"{_show(path)} is {_kind(old)}, not a list")
        return _list_splice(text, document, path, values)
    sequence = place.node
    expected = {path: [*old, *values]}
    if (
        unfold_empty
        and sequence.flow_style
        and not sequence.value
        and values
        and all(isinstance(v, dict) for v in values)
    ):
        start, end, replacement = _block_for_empty_flow(place, sequence, values, renderer)
    elif sequence.flow_style:
        items = ", ".join(renderer(value, flow=True) for value in values)
        start, end, replacement = _append_flow(text, sequence, items, place.newline)
    else:
        last = sequence.value[-1]
        flow = isinstance(last, MappingNode | SequenceNode) and bool(last.flow_style)
        first, rest = _item_prefixes(text, last)
        lines = [line for value in values for line in _prefixed(renderer(value, flow=flow), first, rest)]
        start, end, replacement = _insert_lines_after(text, last, lines, place.newline)
    return _Splice(start, end, replacement, expected, (*path, len(old)))


def set_scalar(text: str, document: int, path: KeyPath, value: object, *, after: str | None = None) -> Edit:
    """Put ``value`` (a string, number, Decimal, bool, date or None) at ``path`` in place of what is there.

    The key, the comment after the value and, for a string replacing a quoted string, the quote style stay.
    A missing key is created after its sibling ``after`` when that exists, else at the end of the mapping.
    A Decimal is written with exactly its digits (``Decimal("16.20")`` → ``16.20``) and reads back as a number.
    """
    return _finish_splice(text, document, _scalar_splice(text, document, path, value, after))


def _scalar_splice(text: str, document: int, path: KeyPath, value: object, after: str | None) -> _Splice:
    if isinstance(value, dict | list | tuple):
        raise TypeError("set_scalar writes a single value; use set_list for a list")
    place = _Place.find(text, document, path)
    if place.node is None:
        return _create_key(place, value, after)
    if not isinstance(place.node, ScalarNode):
        raise EditError(f"{_show(path)} is {_kind(_plain_at(text, document, path))}, not a single value")
    node = place.node
    quote = node.style if isinstance(value, str) and node.style in ("'", '"') else None
    start, end = _scalar_span(text, node)
    rendered = render(value, flow=place.in_flow, quote=quote)
    if start == end and start > 0 and text[start - 1] in ":-":
        rendered = " " + rendered  # ``key:`` with nothing after it
    return _Splice(start, end, rendered, {path: value}, path)


def set_list(text: str, document: int, path: KeyPath, values: list) -> Edit:
    """Make the list at ``path`` hold ``values``, keeping its style: ``[a, b]`` stays flow, block items stay block.

    A block list's items take the first old item's indentation; emptied, it becomes ``[]``. A missing key
    (or null) gets a flow list when the values are scalars, else block items indented as the file indents lists.
    """
    return _finish_splice(text, document, _list_splice(text, document, path, values))


def _block_for_empty_flow(
    place: _Place, sequence: SequenceNode, values: list, renderer: Renderer
) -> tuple[int, int, str]:
    """(start, end, replacement) turning ``key: []`` into block items: mappings are not written on one line."""
    entry = _entry(place.parent, place.path[-1]) if place.path and isinstance(place.path[-1], str) else None
    if entry is None or place.text[entry[0].end_mark.index : sequence.start_mark.index].strip(" \t") != ":":
        items = ", ".join(renderer(value, flow=True) for value in values)
        return sequence.start_mark.index + 1, sequence.start_mark.index + 1, items
    offset, gap = _sequence_style(place.text, place.root, place.path)
    first = " " * (entry[0].start_mark.column + offset) + "-" + " " * gap
    lines = [line for value in values for line in _prefixed(renderer(value, flow=False), first, " " * len(first))]
    after = _line_end(place.text, sequence.end_mark.index)  # a comment after ``[]`` stays on the key's line
    rest = place.text[sequence.end_mark.index : after]
    return entry[0].end_mark.index + 1, after, rest + "".join(place.newline + line for line in lines)


def _list_splice(text: str, document: int, path: KeyPath, values: list) -> _Splice:
    place = _Place.find(text, document, path)
    values = list(values)
    node = place.node
    if node is None:
        return _create_key(place, values, None)
    old = _plain_at(text, document, path)
    if isinstance(node, ScalarNode) and old is None:
        start, end = _scalar_span(text, node)
        rendered = (" " if start == end and text[start - 1 : start] == ":" else "") + render(values, flow=True)
        return _Splice(start, end, rendered, {path: values}, path)
    if not isinstance(node, SequenceNode):
        raise EditError(f"{_show(path)} is {_kind(old)}, not a list")
    if node.flow_style:
        start, end, replacement = node.start_mark.index, node.end_mark.index, render(values, flow=True)
    elif not values:
        start, end, replacement = _emptied_block_list(place, node)
    else:
        first_item = node.value[0]
        flow = isinstance(first_item, MappingNode | SequenceNode) and bool(first_item.flow_style)
        first, rest = _item_prefixes(text, first_item)
        lines = [line for value in values for line in _prefixed(render(value, flow=flow), first, rest)]
        start, end = _dash_of(text, first_item), _trimmed_end(text, node)
        replacement = place.newline.join(lines)[len(first) - len(first.lstrip(" ")) :]  # the first dash stays put
    return _Splice(start, end, replacement, {path: values}, path)


def _emptied_block_list(place: _Place, node: SequenceNode) -> tuple[int, int, str]:
    """(start, end, replacement) turning a block list into ``[]``: after its key, or below it past a comment."""
    text = place.text
    dash = _dash_of(text, node.value[0])
    line_start = _line_start(text, dash)
    entry = _entry(place.parent, place.path[-1]) if place.path and isinstance(place.path[-1], str) else None
    end = _trimmed_end(text, node)
    if entry is None or text[line_start:dash].strip(" \t"):
        return dash, end, "[]"
    after_key = entry[0].end_mark.index
    if text[after_key:dash].strip(BLANKS) == ":":  # no comment in between: ``key: []``
        return after_key + 1, end, " []"
    return line_start, end, " " * (entry[0].start_mark.column + 2) + "[]"


def value_at(text: str, document: int, path: KeyPath = ()) -> object:
    """The plain value at ``path`` as the linter's loader reads it; EditError when the path does not exist."""
    if _Place.find(text, document, path).node is None:
        raise EditError(f"{_show(path)} does not exist")
    return _copy(_plain_at(text, document, path))


# -- a batch of edits ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One change of a batch (``apply``), at a key path of the document.

    ``set``: a single value, as ``set_scalar`` (``after``: the sibling a missing key follows); ``list``: the whole
    list, as ``set_list``; ``extend``: items appended, as ``append_to_list``; ``remove``: the items at the indexes
    ``value`` of the block list at ``path`` (their lines go; at least one item must stay: else ``list`` ``[]``).
    """

    op: Literal["set", "list", "extend", "remove"]
    path: KeyPath
    value: Any = None
    after: str | None = None


def apply(text: str, document: int, changes: Sequence[Change]) -> str:
    """Every change spliced into the text at once, then the whole result proved in one read-back.

    Each change is placed on the original text (so their paths and indexes are the original ones); they must
    not overlap. New items of ``extend`` are written fast for plain values; the read-back proves them.
    """
    if not changes:
        return text
    splices = [
        (splice, index) for index, change in enumerate(changes) for splice in _batch_splices(text, document, change)
    ]
    ordered = sorted(splices, key=lambda pair: (pair[0].start, pair[1]), reverse=True)
    new, limit = text, len(text) + 1
    for splice, _ in ordered:
        if splice.end > limit:
            raise EditError("two changes of one batch touch the same text")
        new, limit = new[: splice.start] + splice.replacement + new[splice.end :], splice.start
    _verify(text, new, document, lambda old: _expected_after(old, changes))
    return new


def new_document(header: Mapping[str, object], key: str, entries: list[dict]) -> str:
    """The text of a new document: ``header`` as ``key: value`` lines, then ``key`` with ``entries`` as block items
    (``  - id: …``, as ``okrsprint init`` writes them), proved to read back as exactly that."""
    lines = [f"{name}: {render(value)}" for name, value in header.items()]
    offset, gap = DEFAULT_SEQUENCE_STYLE
    first = " " * offset + "-" + " " * gap
    items = [line for entry in entries for line in _prefixed(_fast_render(entry), first, " " * len(first))]
    text = "\n".join([*lines, f"{key}:" if items else f"{key}: []", *items]) + "\n"
    expected = {**_plain(dict(header)), key: _plain(entries)}  # type: ignore[dict-item]
    found, problems = _values(_compose(text, edited=True)[0], edited=True)
    difference = _difference(expected, found, ())
    if difference or problems:
        raise ReadBackError(difference or problems[0].message)
    return text


def _batch_splices(text: str, document: int, change: Change) -> list[_Splice]:
    if change.op == "set":
        return [_scalar_splice(text, document, change.path, change.value, change.after)]
    if change.op == "list":
        return [_list_splice(text, document, change.path, list(change.value))]
    if change.op == "extend":
        return [_append_splice(text, document, change.path, list(change.value), _fast_render, unfold_empty=True)]
    return _remove_splices(text, document, change.path, sorted(set(change.value)))


def _expected_after(old: object, changes: Sequence[Change]) -> object:
    """The document as the batch should leave it: values set, then lists extended, then items removed."""
    expected = _copy(old)
    order = {"set": 0, "list": 0, "extend": 1, "remove": 2}
    for change in sorted(changes, key=lambda change: order[change.op]):
        *owner_path, last = change.path
        owner = expected
        for step in owner_path:
            owner = owner[step]
        if change.op in ("set", "list"):
            owner[last] = _plain(change.value)
        elif change.op == "extend":
            current = owner.get(last) if isinstance(owner, dict) else owner[last]
            owner[last] = [*(current or []), *(_plain(value) for value in change.value)]
        else:
            removed = set(change.value)
            owner[last] = [item for index, item in enumerate(owner[last]) if index not in removed]
    return expected


def _remove_splices(text: str, document: int, path: KeyPath, indexes: list[int]) -> list[_Splice]:
    """Remove the lines of the block-list items at ``indexes``: one run of neighbours at a time.

    A run before the last item loses its own lines (comments and blank lines after it stay); a run that ends
    the list goes from the end of the item before it (the comments in between go with the run).
    """
    place = _Place.find(text, document, path)
    sequence = place.node
    if not isinstance(sequence, SequenceNode) or sequence.flow_style:
        raise EditError(f"{_show(path)} is not a block list: its items cannot be removed one by one")
    items = sequence.value
    if not indexes or indexes[0] < 0 or indexes[-1] >= len(items) or len(indexes) == len(items):
        raise EditError(f"cannot remove items {indexes} of the {len(items)} of {_show(path)}")
    runs: list[list[int]] = []
    for index in indexes:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    splices = []
    for run in runs:
        first, last = run[0], run[-1]
        if last + 1 < len(items):
            start = _line_start(text, _dash_of(text, items[first]))
            end = _line_end(text, _trimmed_end(text, items[last]))
            end += len(place.newline) if text.startswith(place.newline, end) else 0
        else:
            start = _line_end(text, _trimmed_end(text, items[first - 1]))
            end = _line_end(text, _trimmed_end(text, items[last]))
        splices.append(_Splice(start, end, "", {}, path))
    return splices


SAFE_PLAIN = re.compile(r"[A-Za-z](?:[A-Za-z0-9 _./():-]*[A-Za-z0-9_./()-])?")
PRINTABLE = re.compile(r"[^\x00-\x1f\x7f-\x9f\u2028\u2029]+")
YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _fast_scalar(value: object) -> str | None:
    """A scalar's text without asking ruamel.yaml, for the common cases; None for the others."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return _number_text(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str):
        if SAFE_PLAIN.fullmatch(value) and value.lower() not in YAML11_WORDS and not {"  ", ": "} & _pairs(value):
            return value
        if value and PRINTABLE.fullmatch(value) and value.isprintable():
            return json.dumps(value, ensure_ascii=False)  # a YAML double-quoted scalar: only \" and \\ escaped
    return None


def _pairs(text: str) -> set[str]:
    return {text[index : index + 2] for index in range(len(text) - 1)} if (" " in text) else set()


def _fast_render(value: object, *, flow: bool = False) -> str:
    """A mapping of scalars and lists of scalars as block lines or one flow mapping (lists in flow style), else
    ``render``'s text."""
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, list | tuple):
                texts = [_fast_scalar(element) for element in item]
                rendered = None if None in texts else "[" + ", ".join(t for t in texts if t is not None) + "]"
            else:
                rendered = _fast_scalar(item)
            if not (isinstance(key, str) and SAFE_PLAIN.fullmatch(key)) or rendered is None:
                return render(value, flow=flow)
            lines.append(f"{key}: {rendered}")
        return "{" + ", ".join(lines) + "}" if flow else "\n".join(lines)
    return render(value, flow=flow)


# -- the proof --------------------------------------------------------------------------------------------------


def verify(old_text: str, new_text: str, document: int, changes: Mapping[KeyPath, object]) -> None:
    """Raise ReadBackError unless ``new_text`` parses to ``old_text`` with exactly ``changes`` applied.

    ``changes`` maps key paths of document ``document`` to their new values (a path one past a list's end
    appends). Values are compared with their types (``1`` is not ``1.0`` nor ``true``); every other document
    must compose to the same nodes, and the edited one may not gain a duplicate key.
    """

    def expected_of(old: object) -> object:
        for path, value in changes.items():
            old = _applied(old, path, _plain(value))
        return old

    _verify(old_text, new_text, document, expected_of)


def _verify(old_text: str, new_text: str, document: int, expected_of: Callable[[object], object]) -> None:
    """``verify`` with the expected document computed from the old one by ``expected_of``."""
    before, after = _compose(old_text), _compose(new_text, edited=True)
    if len(before) != len(after):
        raise ReadBackError(f"the file would hold {len(after)} YAML documents instead of {len(before)}")
    for index, (old, new) in enumerate(zip(before, after, strict=True)):
        if index != document:
            if not _same_nodes(old, new):
                raise ReadBackError(f"YAML document {index + 1} would change")
            continue
        old_value, old_problems = _document_values(old_text, index)
        expected = expected_of(old_value)
        found, new_problems = _values(new, edited=True)
        difference = _difference(expected, found, ())
        if difference:
            raise ReadBackError(difference)
        if len(new_problems) > len(old_problems):
            raise ReadBackError(new_problems[-1].message)


@dataclass(frozen=True)
class _Splice:
    """One edit as text: replace ``text[start:end]``; the changes it makes (for ``verify``) and the path it changes."""

    start: int
    end: int
    replacement: str
    changes: Mapping[KeyPath, object]
    changed: KeyPath


def _finish_splice(text: str, document: int, splice: _Splice) -> Edit:
    new = _splice(text, splice.start, splice.end, splice.replacement)
    verify(text, new, document, splice.changes)
    node = _node_at(_compose(new, edited=True)[document], splice.changed)
    return Edit(new, node.start_mark.line + 1 if node is not None else 1)


def _applied(data: Any, path: KeyPath, value: object) -> Any:
    """``data`` with ``value`` put at ``path`` (a copy along the path; the rest is shared)."""
    if not path:
        return value
    step, rest = path[0], path[1:]
    if isinstance(data, dict) and isinstance(step, str):
        return {**data, step: _applied(data.get(step), rest, value)}
    if isinstance(data, list) and isinstance(step, int) and 0 <= step <= len(data):
        copy = list(data)
        if step == len(copy):
            copy.append(None)
        copy[step] = _applied(copy[step], rest, value)
        return copy
    raise EditError(f"{_show(path)} cannot be reached")


def _difference(expected: object, found: object, path: KeyPath) -> str | None:
    """The first place where ``found`` is not ``expected``, said for a person; None when they are the same."""
    if isinstance(expected, dict) and isinstance(found, dict):
        for key in expected:
            if key not in found:
                return f"{_show((*path, key))} would be missing"
        for key in found:
            if key not in expected:
                return f"{_show((*path, key))} would appear"
        for key in expected:
            difference = _difference(expected[key], found[key], (*path, key))
            if difference:
                return difference
        return None
    if isinstance(expected, list) and isinstance(found, list):
        if len(expected) != len(found):
            return f"{_show(path)} would hold {len(found)} items instead of {len(expected)}"
        for index, (want, got) in enumerate(zip(expected, found, strict=True)):
            difference = _difference(want, got, (*path, index))
            if difference:
                return difference
        return None
    same_nan = isinstance(expected, float) and isinstance(found, float) and math.isnan(expected) and math.isnan(found)
    if type(expected) is type(found) and (expected == found or same_nan):
        return None
    return f"{_show(path)} would read back as {_kind(found)} {shorten(found)}, not {shorten(expected)}"


def _same_nodes(a: Node | None, b: Node | None) -> bool:
    """Two node trees with the same tags, scalar texts and structure (positions and styles aside)."""
    if a is None or b is None:
        return a is b
    if type(a) is not type(b) or a.tag != b.tag or len(a.value) != len(b.value):
        return False
    if isinstance(a, ScalarNode):
        return a.value == b.value
    if isinstance(a, MappingNode):
        return all(
            _same_nodes(ka, kb) and _same_nodes(va, vb) for (ka, va), (kb, vb) in zip(a.value, b.value, strict=True)
        )
    return all(_same_nodes(x, y) for x, y in zip(a.value, b.value, strict=True))


# -- rendering ----------------------------------------------------------------------------------------------------


def render(value: object, *, flow: bool = False, quote: str | None = None) -> str:
    """``value`` as ruamel.yaml's round-trip emitter writes it, proved to read back as the linter reads it.

    ``flow``: one line (``{date: 2026-11-23, value: 16.2}``), else block lines without indentation.
    Each string is plain when libyaml's YAML 1.1 reads it back unchanged, quoted as ruamel chooses when
    it must, and double-quoted where ruamel's YAML 1.2 choice would read back differently (``yes``, ``on``,
    ``1:30``) or would span lines. ``quote`` (``'`` or ``"``) is tried first for every string.
    """
    emitter = _emitter()
    rendered = _dumped(emitter, _tree(value, flow, quote, emitter), flow)
    if not _reads_back(rendered, value, flow):
        raise EditError(f"cannot write {shorten(value)} so that it reads back unchanged")
    return rendered


def _emitter() -> Any:
    from ruamel.yaml import YAML

    emitter = YAML(typ="rt")
    emitter.width = 1 << 30  # never wrap a long string
    emitter.brace_single_entry_mapping_in_flow_sequence = True  # [{value: 1}], not ruamel's [value: 1]
    return emitter


def _dumped(emitter: Any, tree: object, flow: bool) -> str:
    """The text of a tree of ruamel objects: a collection as it is, a scalar as a flow item or a mapping value."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(tree, dict | list):
        return _dump(emitter, tree)
    if flow:
        wrapper = CommentedSeq([tree])
        wrapper.fa.set_flow_style()
        return _dump(emitter, wrapper)[1:-1]
    return _dump(emitter, CommentedMap(key=tree)).removeprefix("key:").lstrip(" ") or "null"


def _dump(emitter: Any, tree: object) -> str:
    stream = io.StringIO()
    emitter.dump(tree, stream)
    return stream.getvalue().removesuffix("\n")


def _tree(value: object, flow: bool, quote: str | None, emitter: Any) -> object:
    """ruamel.yaml's round-trip objects for a plain value: flow style, quote style and number texts decided."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        mapping = CommentedMap((key, _tree(item, flow, quote, emitter)) for key, item in value.items())
        if flow:
            mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, list | tuple):
        sequence = CommentedSeq(_tree(item, flow, quote, emitter) for item in value)
        if flow:
            sequence.fa.set_flow_style()
        return sequence
    if isinstance(value, str):
        return _string(value, flow, quote, emitter)
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return emitter.load(_number_text(value))  # keeps the digits: 16.20 stays 16.20, 1e-5 is 0.00001
    if value is None or isinstance(value, bool | int | date):
        return value
    raise TypeError(f"cannot write a {type(value).__name__} in a plan file")


def _string(text: str, flow: bool, quote: str | None, emitter: Any) -> str:
    """The string as the first of: ``quote``, ruamel's own choice, double quotes, that reads back on one line."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    styles = {"'": SingleQuotedScalarString, '"': DoubleQuotedScalarString}
    for style in dict.fromkeys((quote, None)):
        candidate = styles.get(style or "", str)(text)
        if _reads_back(_dumped(emitter, candidate, flow), text, flow):
            return candidate
    return DoubleQuotedScalarString(text)


def _number_text(number: Decimal | float) -> str:
    """How a number is written so that YAML 1.1 reads it as one (YAML 1.1 reads ``1e3`` as text)."""
    if isinstance(number, float) and not math.isfinite(number):
        return ".nan" if math.isnan(number) else (".inf" if number > 0 else "-.inf")
    if isinstance(number, Decimal) and not number.is_finite():
        raise EditError(f"cannot write the number {number} in a plan file")
    text = format(Decimal(repr(number)) if isinstance(number, float) else number, "f")
    return text + ".0" if isinstance(number, float) and "." not in text else text


def _plain(value: object) -> object:
    """The value as the loader reads its rendering back: Decimals become ints or floats, tuples lists."""
    if isinstance(value, Decimal):
        text = _number_text(value)
        return float(text) if "." in text else int(text)
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value


def _reads_back(rendered: str, value: object, flow: bool) -> bool:
    """Whether libyaml reads ``rendered`` as ``value``, with every scalar on a single line."""
    if flow:
        wrapped = f"[{rendered}]"
    elif isinstance(value, dict | list | tuple):
        wrapped = rendered
    else:
        wrapped = f"key: {rendered}"
    try:
        (root,) = list(compose_documents(wrapped))
        if root is None or (flow and any(brk in rendered for brk in LINE_BREAKS)) or not _single_lines(root):
            return False
        node = root.value[0] if flow else root if isinstance(value, dict | list | tuple) else root.value[0][1]
        found, _, problems = to_values(node)
    except (ProblemError, ValueError, IndexError, AttributeError):
        return False
    return not problems and _difference(_plain(value), found, ()) is None


def _single_lines(node: Node) -> bool:
    if isinstance(node, ScalarNode):
        return node.start_mark.line == node.end_mark.line or node.value == ""
    if isinstance(node, MappingNode):
        return all(_single_lines(key) and _single_lines(value) for key, value in node.value)
    return all(_single_lines(item) for item in node.value)


def _key_text(key: str, flow: bool) -> str:
    """A mapping key as written: plain when it reads back as that string (never through ``render``)."""
    emitter = _emitter()
    return _dumped(emitter, _string(key, flow, None, emitter), flow)


# -- where a value sits -------------------------------------------------------------------------------------------


@dataclass
class _Place:
    """The node at a key path (None when its key is missing), its parent collection and the file's line break."""

    text: str
    document: int
    path: KeyPath
    root: Node
    parent: Node | None
    node: Node | None

    @classmethod
    def find(cls, text: str, document: int, path: KeyPath) -> _Place:
        documents = _compose(text)
        root = documents[document] if 0 <= document < len(documents) else None
        if root is None:
            raise EditError(f"the file has no YAML document {document + 1}")
        parent: Node | None = None
        node: Node | None = root
        for depth, step in enumerate(path):
            if node is None:
                raise EditError(f"{_show(path[:depth])} does not exist")
            parent, node = node, _child(node, step)
            if node is None and not (depth == len(path) - 1 and isinstance(parent, MappingNode)):
                raise EditError(f"{_show(path[: depth + 1])} does not exist")
        return cls(text, document, path, root, parent, node)

    @property
    def newline(self) -> str:
        """The file's own line break: the first one it uses (``\\n`` for a one-line file)."""
        match = re.search(r"\r\n|\r|\n", self.text)
        return match.group() if match else "\n"

    @property
    def in_flow(self) -> bool:
        return isinstance(self.parent, MappingNode | SequenceNode) and bool(self.parent.flow_style)


def _create_key(place: _Place, value: object, after: str | None) -> _Splice:
    """Add ``key: value`` to the mapping holding the missing key: after the sibling ``after`` when present, else last.

    A list of collections becomes block items, indented as the file indents its lists; anything else one line.
    """
    text, parent, path = place.text, place.parent, place.path
    assert isinstance(parent, MappingNode) and path and isinstance(path[-1], str)
    sibling = _child(parent, after) if after is not None else None
    anchor = sibling if sibling is not None else parent.value[-1][1] if parent.value else None
    if parent.flow_style:
        entry = f"{_key_text(path[-1], True)}: {render(value, flow=True)}"
        at = anchor.end_mark.index if anchor is not None else parent.start_mark.index + 1
        start, end, replacement = at, at, (", " + entry if anchor is not None else entry)
    else:
        assert anchor is not None  # a block mapping has at least one entry
        indent = " " * parent.value[0][0].start_mark.column
        key = _key_text(path[-1], False)
        if isinstance(value, list) and any(isinstance(item, dict | list | tuple) for item in value):
            offset, gap = _sequence_style(text, place.root, path)
            first = " " * (len(indent) + offset) + "-" + " " * gap
            items = [line for item in value for line in _prefixed(render(item, flow=False), first, " " * len(first))]
            lines = [f"{indent}{key}:", *items]
        else:
            lines = [f"{indent}{key}: {render(value, flow=isinstance(value, list))}"]
        start, end, replacement = _insert_lines_after(text, anchor, lines, place.newline)
    changed = (*path, 0) if isinstance(value, list) and value else path
    return _Splice(start, end, replacement, {path: value}, changed)


def _sequence_style(text: str, root: Node, path: KeyPath) -> tuple[int, int]:
    """(columns from a key to its list's dashes, spaces after a dash) for a new block list at ``path``.

    Copied from a sibling block list, else the nearest enclosing one, else the document's first, else
    DEFAULT_SEQUENCE_STYLE.
    """
    siblings = [(path[:-1], key.value) for key, _ in getattr(_node_at(root, path[:-1]), "value", [])]
    ancestors = [(path[: depth - 1], path[depth - 1]) for depth in range(len(path) - 1, 0, -1)]
    for owner, key in [*siblings, *ancestors, *_keyed_sequences(root, ())]:
        mapping = _node_at(root, owner)
        entry = _entry(mapping, key) if isinstance(key, str) else None
        if entry is None:
            continue
        key_node, sequence = entry
        if isinstance(sequence, SequenceNode) and not sequence.flow_style and sequence.value:
            first, _ = _item_prefixes(text, sequence.value[0])
            dash_column = len(first) - len(first.lstrip(" "))
            return max(dash_column - key_node.start_mark.column, 0), len(first) - dash_column - 1
    return DEFAULT_SEQUENCE_STYLE


def _keyed_sequences(node: Node, path: KeyPath):
    """(mapping path, key) of every block list that is a block mapping's value, in document order."""
    if isinstance(node, MappingNode) and not node.flow_style:
        for key, value in node.value:
            if isinstance(key, ScalarNode) and isinstance(value, SequenceNode) and not value.flow_style:
                yield path, key.value
            yield from _keyed_sequences(value, (*path, key.value))
    elif isinstance(node, SequenceNode) and not node.flow_style:
        for index, item in enumerate(node.value):
            yield from _keyed_sequences(item, (*path, index))


def _entry(node: Node | None, key: str) -> tuple[ScalarNode, Node] | None:
    """The key node and value node of ``key`` in a mapping node."""
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == key:
                return key_node, value_node
    return None


def _child(node: Node, step: PathElement) -> Node | None:
    if isinstance(node, MappingNode) and isinstance(step, str):
        entry = _entry(node, step)
        return entry[1] if entry else None
    if isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return node.value[step]
    return None


def _node_at(node: Node | None, path: KeyPath) -> Node | None:
    for step in path:
        node = _child(node, step) if node is not None else None
    return node


def _compose(text: str, *, edited: bool = False) -> list[Node | None]:
    return list(_composed(text, edited))


@lru_cache(maxsize=4)
def _composed(text: str, edited: bool) -> tuple[Node | None, ...]:
    """The node trees of a text, kept for the next few calls: a batch of edits reads the same text many times."""
    try:
        return tuple(compose_documents(text))
    except ProblemError as error:
        if edited:
            raise ReadBackError(f"the edited file would not parse: {error.problem.message}") from None
        raise EditError(f"the file does not parse: {error.problem.message}") from None


def _values(node: Node | None, *, edited: bool) -> tuple[object, list]:
    if node is None:
        return None, []
    try:
        value, _, problems = to_values(node)
    except ProblemError as error:
        if edited:
            raise ReadBackError(f"the edited file would not read back: {error.problem.message}") from None
        raise EditError(f"the document cannot be edited: {error.problem.message}") from None
    return value, problems


def _plain_at(text: str, document: int, path: KeyPath) -> Any:
    data = _document_values(text, document)[0]
    for step in path:
        if isinstance(data, dict) and isinstance(step, str):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return None
    return data


@lru_cache(maxsize=4)
def _document_values(text: str, document: int) -> tuple[Any, list]:
    """A document's plain value and problems, shared by the calls on one text: never changed in place (``_copy``)."""
    return _values(_compose(text)[document], edited=False)


def _copy(value: Any) -> Any:
    """A copy of a plain value's lists and mappings (scalars are shared: they are never changed)."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


KINDS = {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean", int: "an integer", float: "a number",
         date: "a date", datetime: "a date and time", type(None): "null"}  # fmt: skip


def _kind(value: object) -> str:
    return KINDS.get(type(value), type(value).__name__)


def _show(path: KeyPath) -> str:
    """``objectives[0].key_results[1].checkins``: a key path as a person reads it."""
    shown = ""
    for step in path:
        shown += f"[{step}]" if isinstance(step, int) else (f".{step}" if shown else str(step))
    return shown or "the document"


# -- splicing -----------------------------------------------------------------------------------------------------


def _splice(text: str, start: int, end: int, replacement: str) -> str:
    return text[:start] + replacement + text[end:]


def _scalar_span(text: str, node: ScalarNode) -> tuple[int, int]:
    """A scalar's own characters: a block scalar (``|``) without the line breaks and blank lines it ends with."""
    start, end = node.start_mark.index, node.end_mark.index
    if node.style in ("|", ">"):
        while end > start and text[end - 1] in BLANKS:
            end -= 1
    return start, end


def _append_flow(text: str, sequence: SequenceNode, item: str, newline: str) -> tuple[int, int, str]:
    """(start, end, replacement) adding ``item`` to a flow list: inline, or on a line of its own in a multi-line one."""
    if not sequence.value:
        inside = sequence.start_mark.index + 1
        return inside, inside, item
    last = sequence.value[-1]
    end = last.end_mark.index
    closing_line = _line_of(text, sequence.end_mark.index - 1)
    if last.start_mark.line == sequence.start_mark.line or _line_of(text, end) == closing_line:
        return end, end, ", " + item
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    line = text[_line_start(text, last.start_mark.index) : last.start_mark.index]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    if text[after : after + 1] == ",":
        at = _line_end(text, after)
        return at, at, newline + indent + item + ","
    at = _line_end(text, end)
    return end, at, "," + text[end:at] + newline + indent + item


def _item_prefixes(text: str, item: Node) -> tuple[str, str]:
    """The prefixes of a new block-sequence item's first line (``"    - "``) and other lines, as ``item`` has them."""
    dash = _dash_of(text, item)
    dash_column = dash - _line_start(text, dash)
    gap = item.start_mark.column - dash_column - 1 if item.start_mark.line == _line_of(text, dash) else 1
    first = " " * dash_column + "-" + " " * max(gap, 1)
    return first, " " * len(first)


def _dash_of(text: str, item: Node) -> int:
    """The offset of the ``-`` that introduces a block-sequence item."""
    dash = item.start_mark.index - 1
    while dash >= 0 and text[dash] in BLANKS:
        dash -= 1
    if dash < 0 or text[dash] != "-":
        raise EditError("cannot tell how the list is indented (a comment between '-' and the item?)")
    return dash


def _prefixed(rendered: str, first: str, rest: str) -> list[str]:
    lines = rendered.split("\n")
    return [first + lines[0], *(rest + line for line in lines[1:])]


def _insert_lines_after(text: str, node: Node, lines: list[str], newline: str) -> tuple[int, int, str]:
    """Insert whole lines after the last line holding ``node``'s content (not the comments or blank lines after it)."""
    at = _line_end(text, _trimmed_end(text, node))
    return at, at, "".join(newline + line for line in lines)


def _trimmed_end(text: str, node: Node) -> int:
    """Where a node's own text ends: a block collection ends where its last value ends, without trailing blanks."""
    start = node.start_mark.index
    while isinstance(node, MappingNode | SequenceNode) and not node.flow_style and node.value:
        node = node.value[-1][1] if isinstance(node, MappingNode) else node.value[-1]
    end = node.end_mark.index
    while end > start and text[end - 1] in BLANKS:
        end -= 1
    return end


def _line_start(text: str, index: int) -> int:
    return max(text.rfind(brk, 0, index) for brk in LINE_BREAKS) + 1


def _line_end(text: str, index: int) -> int:
    ends = [found for brk in LINE_BREAKS if (found := text.find(brk, index)) >= 0]
    return min(ends, default=len(text))


def _line_of(text: str, index: int) -> int:
    """0-based line number, as libyaml counts (CRLF is one break)."""
    return len(re.findall(r"\r\n|[\r\n\x85\u2028\u2029]", text[:index]))


# -- bytes --------------------------------------------------------------------------------------------------------


def decode(data: bytes, shown: str) -> tuple[str, bool]:
    """A plan file's bytes as text without its UTF-8 byte order mark, and whether it had one."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise EditError(f"{shown} is not UTF-8 any more; run okrsprint check") from None
    return text.removeprefix(BOM), text.startswith(BOM)


def encode(text: str, bom: bool) -> bytes:
    """The bytes to write: the text with its byte order mark back when the file had one."""
    return ((BOM if bom else "") + text).encode("utf-8")


# -- new documents (``next``) -------------------------------------------------------------------------------------

COMMENT_KEY = "#"
"""A mapping key starting with this writes its value as a comment line where the key stands (``emit``)."""


def emit(document: Mapping[str, object]) -> str:
    """A new document as block YAML text, proved to read back as ``document`` without its comment keys.

    Mappings and lists of mappings are written in block style (``- id: O1``), lists of scalars in flow style
    (``krs: [KR1, KR2]``), every scalar and key through ``render``; a key starting with ``#`` becomes a comment
    line in its place (before the ``- `` of a list item when it comes first in the item).
    """
    lines: list[str] = []
    _emit_mapping(document, "", lines)
    text = "\n".join(lines) + "\n"
    expected = _without_comments(document)
    try:
        (root,) = [node for node in compose_documents(text) if node is not None]
        found, _, problems = to_values(root)
    except (ProblemError, ValueError) as error:
        raise EditError(f"the drafted document does not read back: {error}") from None
    difference = _difference(_plain(expected), found, ())
    if problems or difference is not None:
        raise EditError(f"the drafted document does not read back as intended: {difference or problems[0].message}")
    return text


def _emit_mapping(mapping: Mapping[str, object], indent: str, lines: list[str], first: str | None = None) -> None:
    for key, value in mapping.items():
        prefix, first = (indent if first is None else first), None
        if key.startswith(COMMENT_KEY):
            lines.append(f"{prefix}# {_comment_text(value)}")
            continue
        head = f"{prefix}{_key_text(key, False)}:"
        if isinstance(value, Mapping):
            lines.append(head)
            _emit_mapping(value, indent + "  ", lines)
        elif isinstance(value, list) and value and all(isinstance(item, Mapping) for item in value):
            lines.append(head)
            for item in value:
                comments = list(itertools.takewhile(lambda entry: entry[0].startswith(COMMENT_KEY), item.items()))
                lines.extend(f"{indent}  # {_comment_text(text)}" for _, text in comments)
                rest = dict(list(item.items())[len(comments) :])
                _emit_mapping(rest, indent + "    ", lines, first=indent + "  - ")
        else:
            lines.append(f"{head} {render(value, flow=isinstance(value, list))}")


def _comment_text(value: object) -> str:
    return " ".join(str(value).split())


def _without_comments(value: object) -> object:
    if isinstance(value, Mapping):
        return {key: _without_comments(item) for key, item in value.items() if not key.startswith(COMMENT_KEY)}
    if isinstance(value, list):
        return [_without_comments(item) for item in value]
    return value
