"""Discovery: which files under a planning repo's root are plan files, and what odd things were met on the way.

``discover`` walks the root without ever raising for what it finds there:
symbolic link loops, folders it may not read, links leading out of the root,
files reached twice, file names that are not UTF-8. What cannot be read is a
*problem* (the engine reports it as S001 at that path); what is left out on
purpose is *skipped* and named, so a command can say so.

``exclude`` globs are matched by a small automaton, not a backtracking regular
expression: the time is linear in the length of the path, whatever the pattern.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from okrsprint.loader import CONFIG_NAME

PLAN_SUFFIXES = (".yaml", ".yml")


class Note(NamedTuple):
    """A path (relative to the root, ``/`` separators, printable) and what happened to it."""

    relpath: str
    message: str


@dataclass
class Discovery:
    """Plan files in walk order, plus problems (report them as S001) and paths skipped on purpose.

    Iterating a Discovery yields its paths, so ``list(discover(...))`` still reads as a list of files.
    """

    paths: list[Path] = field(default_factory=list)
    problems: list[Note] = field(default_factory=list)
    skipped: list[Note] = field(default_factory=list)

    def __iter__(self) -> Iterator[Path]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)


def display_relpath(relpath: str) -> str:
    """A relative path as it can be printed anywhere: bytes of a non-UTF-8 name become ``\\xe9`` escapes."""
    return os.fsencode(relpath).decode("utf-8", "backslashreplace")


def discover(root: Path, exclude: Iterable[str] = (), skip: Iterable[Path] = frozenset()) -> Discovery:
    """Plan files under ``root``: ``*.yaml``/``*.yml``, no dot-directories, no config, no excluded globs.

    The walk is the one ``os.walk`` makes (a folder's files in name order, then its
    folders in name order, depth first) but iterative, so any depth is fine.
    Symbolic links are followed only when they stay inside the root. Every real
    folder is walked once and every real file is returned once: a file or folder
    reached both directly and through a link is taken at its own path, one reached
    only through links at the first link. ``skip`` holds resolved paths to leave
    out (the config named with ``--config``).
    """
    return _Walk(root, [Glob(pattern) for pattern in exclude], {Path(os.path.realpath(p)) for p in skip}).run()


@dataclass
class _Candidate:
    path: Path
    relpath: str
    key: tuple[int, int]
    via_link: bool


class _Walk:
    def __init__(self, root: Path, globs: list[Glob], skip: set[Path]) -> None:
        self.root = root
        self.real_root = os.path.realpath(root)
        self.globs = globs
        self.skip = skip
        self.found = Discovery()
        self.candidates: list[_Candidate] = []
        self.walked: dict[tuple[int, int], str] = {}
        self.linked_folders: list[tuple[Path, str]] = []

    def run(self) -> Discovery:
        try:
            info = os.stat(self.root)
        except OSError as error:
            self.problem("", f"cannot read folder: {_reason(error)}")
            return self.found
        self.walk(self.root, "", (info.st_dev, info.st_ino), via_link=False)
        index = 0
        while index < len(self.linked_folders):  # folders reached only through links, once each, in the order met
            path, relpath = self.linked_folders[index]
            index += 1
            try:
                info = os.stat(path)
            except OSError as error:  # changed under our feet
                self.problem(relpath, f"cannot read folder: {_reason(error)}")
                continue
            key = (info.st_dev, info.st_ino)
            if key in self.walked:
                self.skip_note(relpath, f"a symbolic link to the folder {_shown(self.walked[key])}, read there")
                continue
            self.walk(path, relpath, key, via_link=True)
        self.choose_files()
        return self.found

    def walk(self, top: Path, top_rel: str, top_key: tuple[int, int], *, via_link: bool) -> None:
        """Depth first from ``top``: each folder's plan files, then its sub-folders (links to folders wait)."""
        stack: list[tuple[Path, str, tuple[int, int]]] = [(top, top_rel, top_key)]
        while stack:
            folder, folder_rel, key = stack.pop()
            if key in self.walked:
                continue
            self.walked[key] = folder_rel
            try:
                with os.scandir(folder) as listing:
                    entries = sorted(listing, key=lambda entry: entry.name)
            except OSError as error:
                self.problem(folder_rel, f"cannot read folder: {_reason(error)}; the plan files in it are not checked")
                continue
            subfolders: list[tuple[Path, str, tuple[int, int]]] = []
            for entry in entries:
                relpath = f"{folder_rel}/{entry.name}" if folder_rel else entry.name
                path = folder / entry.name
                try:
                    if entry.is_symlink():
                        self.link(path, relpath, entry.name)
                    elif entry.is_dir(follow_symlinks=False):
                        if not entry.name.startswith(".") and not self.folder_excluded(relpath):
                            info = entry.stat(follow_symlinks=False)
                            subfolders.append((path, relpath, (info.st_dev, info.st_ino)))
                    elif _plan_name(entry.name):
                        self.file(path, relpath, entry.stat(follow_symlinks=False), via_link)
                except OSError as error:
                    if _plan_name(entry.name) or not entry.name.startswith("."):
                        self.problem(relpath, f"cannot read: {_reason(error)}")
            stack.extend(reversed(subfolders))

    def link(self, path: Path, relpath: str, name: str) -> None:
        """A symbolic link: followed when it resolves inside the root, else named (or ignored when it is no plan)."""
        plan_like = _plan_name(name)
        if name.startswith(".") and not plan_like:
            return
        try:
            target = os.path.realpath(path, strict=True)
            info = os.stat(target)
        except OSError as error:
            if error.errno == errno.ELOOP:
                self.problem(relpath, "symbolic link loop: it leads back to itself and is not read")
            elif error.errno in (errno.ENOENT, errno.ENOTDIR):
                if plan_like:
                    self.skip_note(relpath, "a symbolic link to a missing file: not read")
            else:
                self.problem(relpath, f"cannot follow symbolic link: {_reason(error)}")
            return
        inside = _inside(target, self.real_root)
        if stat.S_ISDIR(info.st_mode):
            if name.startswith("."):
                return
            if not inside:
                self.skip_note(relpath, "a symbolic link to a folder outside the planning repo: not followed")
            elif not self.folder_excluded(relpath):
                self.linked_folders.append((path, relpath))
        elif plan_like:
            if not inside:
                self.skip_note(relpath, "a symbolic link to a file outside the planning repo: not read")
            else:
                self.file(path, relpath, info, via_link=True)

    def file(self, path: Path, relpath: str, info: os.stat_result, via_link: bool) -> None:
        if relpath == CONFIG_NAME or self.excluded(relpath):
            return
        if not stat.S_ISREG(info.st_mode):
            self.skip_note(relpath, "not a regular file: not read")
            return
        if self.skip and Path(os.path.realpath(path)) in self.skip:
            return
        self.candidates.append(_Candidate(path, relpath, (info.st_dev, info.st_ino), via_link))

    def choose_files(self) -> None:
        """One path per real file: its own path when the walk met it, else the first link to it."""
        chosen: dict[tuple[int, int], _Candidate] = {}
        for candidate in self.candidates:
            first = chosen.get(candidate.key)
            if first is None or (first.via_link and not candidate.via_link):
                chosen[candidate.key] = candidate
        for candidate in self.candidates:
            kept = chosen[candidate.key]
            if kept is candidate:
                self.found.paths.append(candidate.path)
            else:
                self.skip_note(candidate.relpath, f"the same file as {_shown(kept.relpath)}, read there")

    def excluded(self, relpath: str) -> bool:
        return any(glob.match(relpath) for glob in self.globs)

    def folder_excluded(self, relpath: str) -> bool:
        return any(glob.covers_folder(relpath) for glob in self.globs)

    def problem(self, relpath: str, message: str) -> None:
        if not relpath or not self.excluded(relpath):
            self.found.problems.append(Note(display_relpath(relpath) or ".", message))

    def skip_note(self, relpath: str, message: str) -> None:
        self.found.skipped.append(Note(display_relpath(relpath), message))


def _plan_name(name: str) -> bool:
    return name.endswith(PLAN_SUFFIXES)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _shown(relpath: str) -> str:
    return display_relpath(relpath) or "."


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


# -- exclude globs ----------------------------------------------------------------------------------

_LITERAL, _ONE, _STAR, _ANY, _FOLDERS = range(5)
_NULLABLE = (_STAR, _ANY, _FOLDERS)
_OTHER = ""  # every character the pattern does not name behaves alike: one class for them all


class Glob:
    """A gitignore-like exclude glob, matched by an automaton: linear time in the path, no backtracking.

    ``**/`` spans zero or more folders, ``**`` anything, ``*`` anything within one name, ``?`` one
    character of a name. A pattern without an inner ``/`` matches at any depth; a match of a folder
    covers everything in it. These are the semantics the former regular expression translation had:
    ``^(?:.*/)?`` (unanchored patterns), the body, then ``(?:/.*)?$``.
    """

    def __init__(self, pattern: str) -> None:
        text = pattern.strip()
        if "/" in text.rstrip("/"):
            text = text.lstrip("/")
        self.pattern = pattern
        tokens: list[tuple[int, str]] = [] if "/" in text.rstrip("/") else [(_FOLDERS, "")]
        i = 0
        while i < len(text):
            if text.startswith("**/", i):
                tokens.append((_FOLDERS, ""))
                i += 3
            elif text.startswith("**", i):
                tokens.append((_ANY, ""))
                i += 2
            elif text[i] == "*":
                tokens.append((_STAR, ""))
                i += 1
            elif text[i] == "?":
                tokens.append((_ONE, ""))
                i += 1
            else:
                tokens.append((_LITERAL, text[i]))
                i += 1
        while tokens and tokens[-1] == (_LITERAL, "/"):
            tokens.pop()
        self.tokens = tokens
        self.final = len(tokens)
        self.literals = {value for kind, value in tokens if kind == _LITERAL} | {"/"}
        # states: 0..final are "before token i"; final + 1 + i is "inside the folders of token i"
        self.universal = frozenset(
            i
            for i in range(self.final)
            if tokens[i][0] != _FOLDERS and all(kind in _NULLABLE for kind, _ in tokens[i:])
        )
        self.start = self._closure({0})
        self._steps: dict[tuple[frozenset[int], str], frozenset[int]] = {}

    def __repr__(self) -> str:
        return f"Glob({self.pattern!r})"

    def match(self, relpath: str) -> bool:
        """Whether the glob excludes ``relpath`` (a file path relative to the root, ``/`` separators)."""
        states = self.start
        for char in relpath:
            if self.final in states and char == "/":
                return True  # a folder matched: everything in it is excluded
            states = self._step(states, char)
            if not states:
                return False
        return self.final in states

    def covers_folder(self, relpath: str) -> bool:
        """Whether every path inside the folder ``relpath`` matches (then the walk need not enter it)."""
        states = self.start
        for char in relpath:
            if self.final in states and char == "/":
                return True
            states = self._step(states, char)
            if not states:
                return False
        if self.final in states:
            return True
        return bool(self._step(states, "/") & self.universal)

    def _step(self, states: frozenset[int], char: str) -> frozenset[int]:
        key = (states, char if char in self.literals else _OTHER)
        following = self._steps.get(key)
        if following is None:
            following = self._closure(self._advance(states, key[1]))
            if len(self._steps) < 4096:
                self._steps[key] = following
        return following

    def _advance(self, states: frozenset[int], char: str) -> set[int]:
        """The states after reading one character (``_OTHER``: any character the pattern does not name)."""
        final, tokens = self.final, self.tokens
        following: set[int] = set()
        for state in states:
            if state > final:  # inside ``**/``: any character, and a ``/`` may end it
                following.add(state)
                if char == "/":
                    following.add(state - final)
                continue
            if state == final:
                continue
            kind, value = tokens[state]
            if kind == _LITERAL:
                if char == value:
                    following.add(state + 1)
            elif kind == _ONE:
                if char != "/":
                    following.add(state + 1)
            elif kind == _STAR:
                if char != "/":
                    following.add(state)
            elif kind == _ANY:
                following.add(state)
        return following

    def _closure(self, states: Iterable[int]) -> frozenset[int]:
        """Add the states reachable without reading: past ``*``, ``**`` and ``**/``, and into ``**/``."""
        final, tokens = self.final, self.tokens
        result = set(states)
        todo = list(result)
        while todo:
            state = todo.pop()
            if state >= final:
                continue
            kind = tokens[state][0]
            reachable = [state + 1] if kind in _NULLABLE else []
            if kind == _FOLDERS:
                reachable.append(final + 1 + state)
            for other in reachable:
                if other not in result:
                    result.add(other)
                    todo.append(other)
        return frozenset(result)
