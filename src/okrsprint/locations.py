"""Positions of YAML keys and values, kept beside the plain Python values they describe.

The loader turns YAML nodes into plain dicts, lists and scalars (what pydantic
validates) and, in parallel, into this light tree of positions, so that any
path a validator or a rule talks about (``("items", 3, "krs", 1)``) maps back to
a 1-based ``(line, column)`` without keeping the much heavier YAML nodes.
"""

from __future__ import annotations

from collections.abc import Sequence

Position = tuple[int, int]
PathElement = str | int


class MapLoc:
    """Where a mapping starts, where each of its keys stands and where each value starts."""

    __slots__ = ("position", "keys", "values")

    def __init__(self, position: Position) -> None:
        self.position = position
        self.keys: dict[str, Position] = {}
        self.values: dict[str, Loc] = {}


class SeqLoc:
    """Where a sequence starts and where each of its elements starts."""

    __slots__ = ("position", "items")

    def __init__(self, position: Position) -> None:
        self.position = position
        self.items: list[Loc] = []


Loc = MapLoc | SeqLoc | Position


def position_of(loc: Loc) -> Position:
    return loc if isinstance(loc, tuple) else loc.position


def locate(loc: Loc, path: Sequence[PathElement], *, prefer_value: bool = False) -> Position:
    """The position a finding about ``path`` should point at.

    A mapping key that exists points at the key (the spec's "key's line for a
    missing or wrong value"), or at its value with ``prefer_value``; a sequence
    element points at the element; a path that leaves the tree (a missing key)
    points at the deepest container that exists, i.e. the whole item.
    """
    current = loc
    for depth, step in enumerate(path):
        last = depth == len(path) - 1
        if isinstance(current, MapLoc) and isinstance(step, str) and step in current.keys:
            if last and not prefer_value:
                return current.keys[step]
            current = current.values[step]
        elif isinstance(current, SeqLoc) and isinstance(step, int) and 0 <= step < len(current.items):
            current = current.items[step]
        else:
            break
    return position_of(current)
