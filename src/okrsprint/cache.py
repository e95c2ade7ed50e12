"""Reading plan files fast: a cache of what each file's bytes read as, and a pool of worker processes.

**The cache** (like ruff's): ``.okrsprint_cache/`` at the planning repo's root, with its own
``.gitignore`` of ``*``. One entry per file content, named by the SHA-256 of the file's bytes, in a
folder per okrsprint build (its version and reading code, the PyYAML and the Python that read): what
``loader.load_file`` made of those bytes (values, flat positions, problems, suppressions), marshalled.
An entry is used only when it is whole and ours: it starts with a magic line and the SHA-256 of the
rest, and the rest names the same version and the same file hash, with the shape ``unpack`` expects;
anything else is ignored and rewritten. ``marshal`` builds only plain values (never an object of a
class it is told to build, as ``pickle`` would), so a foreign entry can at worst describe a plan file
wrongly: whoever can write the cache can write the plan files beside it. Entries are written to a
temporary file and renamed into place, so two runs at once see a whole entry or none; a repo the user
may not write is read without a cache.

**The pool**: on a big repo with two free CPUs, worker processes (forked, so they start with
everything imported) read and parse the files the cache does not hold and hand back ``pack``'s
plain values (pickled by ``multiprocessing``: between our own processes only), in discovery order,
while this process validates the files already back. The position trees are built later, only for
the documents a finding points into (``RawDocument.loc``).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import shutil
import sys
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import yaml

from okrsprint import __version__, loader
from okrsprint.files import write_replacing
from okrsprint.loader import (
    OutOfRange,
    Packed,
    ProblemError,
    SourceFile,
    load_file,
    pack,
    read_bytes,
    unpack,
)

CACHE_DIR = ".okrsprint_cache"
NO_CACHE_ENV = "OKRSPRINT_NO_CACHE"
JOBS_ENV = "OKRSPRINT_JOBS"
FORMAT = 1  # of an entry: bumped whenever pack() or the flat positions change
MAGIC = b"okrsprint-cache\n"
DIGEST_SIZE = 32
POOL_MIN_BYTES = 4 * 1024 * 1024  # below this much YAML to parse, starting workers costs more than it saves
FILES_PER_TASK = 8  # small tasks: results stream back in order and a slow worker holds up little
AUTOMATIC = 0
LOADAVG = "/proc/loadavg"
BUILD_FOLDER = re.compile(r"[0-9][0-9A-Za-z.+-]*-[0-9]+-[0-9a-f]{8}")  # version-format-stamp: ours to remove
# marshal knows no dates, and would turn OutOfRange into plain text: they travel as (kind, text)
_ENCODED_TYPES = {date: 0, datetime: 1, OutOfRange: 2}
_DECODERS = (date.fromisoformat, datetime.fromisoformat, OutOfRange)


@dataclass(frozen=True)
class ReadOptions:
    """How to read a repo's plan files: ``jobs`` worker processes (0: automatic) and whether to use the cache."""

    jobs: int = AUTOMATIC
    cache: bool = True


_reading: ContextVar[ReadOptions | None] = ContextVar("reading", default=None)


def current_reading() -> ReadOptions:
    """The read options of the command running (``reading_with``).

    Outside a reading command (``okrsprint checkin``, ``init``, a program calling the engine): no cache,
    so that nothing but what was asked for is written, and ``OKRSPRINT_JOBS`` processes (automatic if
    unset or not a count).
    """
    options = _reading.get()
    if options is not None:
        return options
    jobs = os.environ.get(JOBS_ENV, "").strip()
    return ReadOptions(int(jobs) if jobs.isdigit() else AUTOMATIC, cache=False)


@contextmanager
def reading_with(options: ReadOptions) -> Iterator[None]:
    """Every plan the block opens is read with ``options``: how the CLI hands ``--jobs`` and ``--no-cache`` to
    ``engine.open_plan`` and ``engine.run_check`` without threading them through each command."""
    token = _reading.set(options)
    try:
        yield
    finally:
        _reading.reset(token)


def cache_enabled(requested: bool) -> bool:
    """``--no-cache`` or a non-empty ``OKRSPRINT_NO_CACHE`` (other than 0/false/no) switch the cache off."""
    value = os.environ.get(NO_CACHE_ENV, "").strip().lower()
    return requested and value in ("", "0", "false", "no")


class FileCache:
    """The cache entries of one planning repo, for this version of okrsprint."""

    def __init__(self, root: Path) -> None:
        self.top = root / CACHE_DIR
        self.folder = self.top / f"{__version__}-{FORMAT}-{_code_stamp()}"
        self.linked = self.top.is_symlink() or self.folder.is_symlink()
        """A symbolic link planted there could point anywhere: no entry is read or written through one."""
        self.writable: bool | None = None  # unknown until the first entry is written

    def get(self, digest: bytes) -> Packed | None:
        """The entry for a file whose bytes hash to ``digest``, if there is a whole one of ours."""
        if self.linked:
            return None
        try:
            blob = (self.folder / digest.hex()).read_bytes()
        except OSError:
            return None
        return _decoded(blob, digest)

    def put(self, digest: bytes, packed: Packed) -> None:
        """Write an entry, atomically; silently none where the repo may not be written."""
        if self.writable is False or self.linked:
            return
        try:
            if self.writable is None:
                self._make_folder()
            payload = marshal.dumps((__version__, digest, *_encoded(packed)))
            write_replacing(self.folder / digest.hex(), MAGIC + hashlib.sha256(payload).digest() + payload)
            self.writable = True
        except (OSError, ValueError):
            self.writable = False

    def _make_folder(self) -> None:
        """The entries' folder, the cache's .gitignore, and no folder of another version (it would only grow)."""
        if not self.folder.is_dir():
            with suppress(OSError):
                for other in self.top.iterdir():
                    if BUILD_FOLDER.fullmatch(other.name) and other.is_dir() and not other.is_symlink():
                        shutil.rmtree(other, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        ignore = self.top / ".gitignore"
        if not ignore.exists():
            write_replacing(ignore, b"# Automatically created by okrsprint.\n*\n")


def _code_stamp() -> str:
    """Which build of the reading code wrote an entry: an edited checkout of okrsprint, another PyYAML (its
    parser made the values) or another Python (its marshal format holds them) starts a new cache."""
    stamps = [yaml.__version__, sys.implementation.cache_tag or sys.version, str(marshal.version)]
    for module in (loader.__file__, __file__):
        with suppress(OSError, TypeError):
            info = os.stat(module)
            stamps.append(f"{info.st_size}:{info.st_mtime_ns}")
    return f"{zlib.crc32(' '.join(stamps).encode()):08x}"


def _encoded(packed: Packed) -> Packed:
    """``packed`` with each document's values marshalled, dates and OutOfRange texts made marshallable."""
    suppressions, ignored, problems, documents, unread = packed
    encoded = []
    for index, kind, data, positions, found, declared in documents:
        try:
            values, special = marshal.dumps(data), False
        except ValueError:  # a date, or an OutOfRange: rare outside check-ins and sprints
            values, special = marshal.dumps(_encode(data)), True  # type: ignore[arg-type]
        encoded.append((index, kind, values, special, positions, found, declared))
    return suppressions, ignored, problems, encoded, unread


def _decoded(blob: bytes, digest: bytes) -> Packed | None:
    """The packed file an entry holds, or None for anything that is not a whole entry of ours for ``digest``."""
    head = len(MAGIC) + DIGEST_SIZE
    if not blob.startswith(MAGIC) or hashlib.sha256(blob[head:]).digest() != blob[len(MAGIC) : head]:
        return None
    try:
        version, key, suppressions, ignored, problems, documents, unread = marshal.loads(blob[head:])
        if version != __version__ or key != digest:
            return None
        decoded = []
        for index, kind, values, special, positions, found, declared in documents:
            data = marshal.loads(values)
            if not isinstance(data, dict) or not isinstance(positions, bytes):
                return None
            decoded.append((index, kind, _decode(data) if special else data, positions, found, declared))
        packed = suppressions, ignored, problems, decoded, unread
    except (ValueError, TypeError, EOFError, KeyError, IndexError):
        return None
    return packed if _fits(packed, _PACKED) and _suppressions_fit(suppressions) else None


class _Either:
    def __init__(self, *shapes: object) -> None:
        self.shapes = shapes


def _fits(value: object, shape: object) -> bool:
    """Whether ``value`` has ``shape``: a type (exactly), a tuple of shapes, [a shape] for a list, or _Either."""
    if isinstance(shape, type):
        return value.__class__ is shape
    if isinstance(shape, tuple):
        return value.__class__ is tuple and len(value) == len(shape) and all(map(_fits, value, shape))
    if isinstance(shape, list):
        return value.__class__ is list and all(_fits(item, shape[0]) for item in value)
    assert isinstance(shape, _Either)
    return any(_fits(value, option) for option in shape.shapes)


def _suppressions_fit(suppressions: object) -> bool:
    return isinstance(suppressions, dict) and all(
        line.__class__ is int and (codes is None or _fits(codes, frozenset) and all(c.__class__ is str for c in codes))
        for line, codes in suppressions.items()
    )


_TEXT_OR_NONE = _Either(str, type(None))
_DECLARED = (_TEXT_OR_NONE, _TEXT_OR_NONE)
_PROBLEM = (str, str, (int, int), _Either(_DECLARED, type(None)))
_PACKED = (dict, [(int, int, str)], [_PROBLEM], [(int, str, dict, bytes, [_PROBLEM], _DECLARED)], [_DECLARED])


def _encode(value: object) -> object:
    if value.__class__ is dict:
        return {key: _encode(item) for key, item in value.items()}
    if value.__class__ is list:
        return [_encode(item) for item in value]
    kind = _ENCODED_TYPES.get(value.__class__)
    if kind is None:
        return value
    return (kind, value.isoformat() if kind < 2 else str(value))  # type: ignore[attr-defined]


def _decode(value: object) -> object:
    if value.__class__ is dict:
        return {key: _decode(item) for key, item in value.items()}
    if value.__class__ is list:
        return [_decode(item) for item in value]
    if value.__class__ is tuple:  # values hold no tuples of their own: lists are what YAML sequences read as
        kind, text = value
        return _DECODERS[kind](text)
    return value


# -- reading a repo ---------------------------------------------------------------------------------


@dataclass
class _Pending:
    """A file to parse, with the bytes already read when the cache was asked for it."""

    path: Path
    data: bytes | None = None
    digest: bytes | None = None
    size: int = 0
    done: SourceFile | None = field(default=None, repr=False)


def read_sources(
    root: Path, paths: list[Path], options: ReadOptions, replaced: Mapping[Path, str] | None = None
) -> Iterator[SourceFile]:
    """Every file of ``paths`` loaded (``replaced`` texts instead of their files), in order, as they are ready.

    From the cache where it holds the file's bytes; the rest parsed here, or by worker processes when
    there is much to parse and ``options.jobs`` allows it.
    """
    cache = FileCache(root) if cache_enabled(options.cache) else None
    pending = [_look_up(path, root, cache, replaced) for path in paths]
    to_parse = [item for item in pending if item.done is None]
    workers = pool_size(options.jobs, sum(item.size for item in to_parse), len(to_parse))
    if workers < 2:
        for item in pending:
            yield item.done if item.done is not None else _parse(item, root, cache)
        return
    parsed = _parse_in_pool(root, [item.path for item in to_parse], cache, workers)
    for item in pending:
        yield item.done if item.done is not None else next(parsed)


def _look_up(path: Path, root: Path, cache: FileCache | None, replaced: Mapping[Path, str] | None) -> _Pending:
    """The file's entry from the cache if it holds one, else what is needed to parse it."""
    text = replaced.get(path.resolve()) if replaced else None
    if text is not None:
        return _Pending(path, done=load_file(path, root, text))
    if cache is None:
        with suppress(OSError):
            return _Pending(path, size=path.stat().st_size)
        return _Pending(path)
    try:
        data = read_bytes(path)
    except ProblemError:
        return _Pending(path)  # parsing it reports why it cannot be read
    digest = hashlib.sha256(data).digest()
    packed = cache.get(digest)
    if packed is not None:
        return _Pending(path, done=unpack(packed, path, path.relative_to(root).as_posix()))
    return _Pending(path, data, digest, len(data))


def _parse(item: _Pending, root: Path, cache: FileCache | None) -> SourceFile:
    source = load_file(item.path, root, data=item.data)
    if cache is not None and item.digest is not None:
        cache.put(item.digest, pack(source))
    return source


def pool_size(jobs: int, size: int, count: int) -> int:
    """How many worker processes to parse ``count`` files of ``size`` bytes with: ``jobs``, or automatically
    (0) one per free CPU this process may run on, when there is enough to parse; 1 means no pool."""
    if jobs == AUTOMATIC:
        if size < POOL_MIN_BYTES:
            return 1
        jobs = free_cpus()
    return max(1, min(jobs, count))


def free_cpus() -> int:
    """The CPUs this process may run on (``os.sched_getaffinity``) less those other processes keep busy now.

    Busy is what Linux counts as runnable at this instant (``/proc/loadavg``), this process aside: a second
    core taken by another job makes a pool slower than one process, which then reads alone.
    """
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    try:
        with open(LOADAVG, encoding="ascii") as stream:
            runnable = int(stream.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return cpus
    return max(1, cpus - max(0, runnable - 1))


def _parse_in_pool(root: Path, paths: list[Path], cache: FileCache | None, workers: int) -> Iterator[SourceFile]:
    """The files parsed by ``workers`` processes, in order; each worker writes the cache entries of its files."""
    tasks = [(root, paths[start : start + FILES_PER_TASK], cache) for start in range(0, len(paths), FILES_PER_TASK)]
    import multiprocessing  # only a big repo needs it

    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with context.Pool(workers) as pool:
        for packed_files in pool.imap(_parse_task, tasks):
            for path, packed in packed_files:
                yield unpack(packed, path, path.relative_to(root).as_posix())


def _parse_task(task: tuple[Path, list[Path], FileCache | None]) -> list[tuple[Path, Packed]]:
    """In a worker: parse some files (writing their cache entries) and pack them for the way back."""
    root, paths, cache = task
    done = []
    for path in paths:
        item = _Pending(path)
        if cache is not None:
            with suppress(ProblemError):
                item.data = read_bytes(path)
                item.digest = hashlib.sha256(item.data).digest()
        done.append((path, pack(_parse(item, root, cache))))
    return done
