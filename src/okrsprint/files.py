"""Writing files safely: one writer at a time, and a reader (or a crash) sees the old file or the new one.

The one way okrsprint writes a file: ``init``, ``check --output-file``, ``report --output``,
``checkin`` and the commands that create several files all go through here.

- ``locked(path)`` holds an exclusive lock for ``path`` from reading it to replacing it, so two
  ``okrsprint checkin`` running at once serialise instead of one losing the other's update.
- ``write_atomic(path, content)`` replaces a file all at once, keeping its owner, group and mode;
  it never replaces a file the user may not write, and writes a file with several hard links in
  place so the links keep sharing it.
- ``create_all({path: content})`` creates several new files, all of them or none.

SIGTERM and SIGINT arriving while a temporary file exists are held back until it is gone (renamed
into place or removed), then delivered as they would have been: the process still ends, and it
leaves no temporary file behind.
"""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from okrsprint.errors import BusyError, UsageError

LOCK_SUFFIX = ".okrsprint-lock"
INTERRUPTING = (signal.SIGTERM, signal.SIGINT)


@dataclass(frozen=True)
class Written:
    """What ``write_atomic`` did: ``in_place`` when the file has several hard links (``links``) and was
    rewritten where it is rather than replaced, so every link sees the change (not atomic then)."""

    path: Path
    in_place: bool = False
    links: int = 1


# -- the lock ---------------------------------------------------------------------------------------

_held: dict[tuple[int, str], int] = {}  # (thread, lock file) → how deeply that thread holds it
_held_guard = threading.Lock()


def lock_path(path: Path) -> Path:
    """The lock file of ``path``: ``.<name>.okrsprint-lock`` beside it (its folder resolved, so every
    spelling of the same file shares one lock)."""
    folder = os.path.realpath(path.parent if str(path.parent) else ".")
    return Path(folder, f".{path.name}{LOCK_SUFFIX}")


@contextmanager
def locked(path: Path, timeout: float = 10.0) -> Iterator[None]:
    """Hold the exclusive lock for writing ``path`` (wait up to ``timeout`` seconds, then ``BusyError``).

    The lock is ``flock`` on a lock file beside ``path``: the kernel drops it when its holder ends in
    any way, so a crashed okrsprint never leaves a stale lock, only a harmless empty file. Re-entrant
    within a thread (``write_atomic`` takes it too); released on every exit path.
    """
    lock = lock_path(path)
    key = (threading.get_ident(), str(lock))
    with _held_guard:
        depth = _held.get(key, 0)
        if depth:
            _held[key] = depth + 1
    if depth:
        try:
            yield
        finally:
            with _held_guard:
                _held[key] -= 1
        return
    descriptor = _acquire(lock, path, timeout)
    try:
        with _held_guard:
            _held[key] = 1
        yield
    finally:
        with _held_guard:
            _held.pop(key, None)
        _release(lock, descriptor)


def _acquire(lock: Path, path: Path, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    delay = 0.002
    while True:
        try:
            descriptor = os.open(lock, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o666)
        except OSError as error:  # e.g. the folder is missing: the same error writing would have met
            raise OSError(error.errno, error.strerror, str(path)) from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BusyError(path) from None
            time.sleep(min(delay, remaining))
            delay = min(delay * 2, 0.05)
            continue
        except OSError as error:  # e.g. no locks on this file system
            os.close(descriptor)
            raise OSError(error.errno, f"cannot lock it: {error.strerror}", str(path)) from None
        # The holder before us removes the lock file while it still holds it: if the file we locked is
        # no longer the one at that name, a later writer may lock the new one, so ours is worthless.
        try:
            current = os.stat(lock, follow_symlinks=False)
            mine = os.fstat(descriptor)
            if (current.st_dev, current.st_ino) == (mine.st_dev, mine.st_ino):
                return descriptor
        except OSError:
            pass
        os.close(descriptor)


def _release(lock: Path, descriptor: int) -> None:
    """Remove the lock file while still holding it (waiting writers notice and retry), then unlock."""
    try:
        with suppress(OSError):
            os.unlink(lock)
    finally:
        os.close(descriptor)


# -- signals ----------------------------------------------------------------------------------------


class _Interrupted(BaseException):
    """Raised at a safe point of a write when SIGTERM or SIGINT arrived: the write is abandoned."""


@contextmanager
def _signals_held() -> Iterator[list[int]]:
    """Hold back SIGTERM and SIGINT (only where they would end the process), then deliver them.

    The yielded list fills with the signals that arrived; the writer checks it at safe points
    (``_stop_if``) to abandon its work and clean up. On the way out the previous handlers come back
    and a held signal is raised again, so the process ends exactly as it would have.
    """
    arrived: list[int] = []
    previous: dict[int, object] = {}

    def hold(signum: int, frame: FrameType | None) -> None:
        arrived.append(signum)

    if threading.current_thread() is threading.main_thread():
        for number in INTERRUPTING:
            if signal.getsignal(number) in (signal.SIG_DFL, signal.default_int_handler):
                previous[number] = signal.signal(number, hold)
    try:
        yield arrived
    except _Interrupted:
        pass
    finally:
        for restored, handler in previous.items():
            signal.signal(restored, handler)  # type: ignore[arg-type]
        if arrived:
            signal.raise_signal(arrived[0])  # ends the process, or raises KeyboardInterrupt, as it would have
    if arrived:
        raise InterruptedError(errno.EINTR, "interrupted by a signal")


def _stop_if(arrived: list[int]) -> None:
    if arrived:
        raise _Interrupted


# -- replacing one file -----------------------------------------------------------------------------


def write_atomic(path: Path, content: str | bytes) -> Written:
    """Replace ``path`` with ``content`` under ``locked(path)``; readers see the old or the new file.

    Text is written as UTF-8 with ``\\n`` line ends, bytes as they are. The data goes to a temporary
    file beside ``path``, is fsynced, gets the original's owner and group (as far as we may set them)
    and mode (new files: what the umask allows), and is renamed over ``path``; then the folder is
    fsynced. A symbolic link at ``path`` is replaced by the file, as before.

    Refused (``UsageError`` naming the file): a file the user cannot write (never replaced through a
    writable folder), a folder. A file with several hard links is rewritten in place (truncate,
    write, fsync) so the links keep sharing it; the result says so. A device or pipe (``/dev/stdout``)
    is simply written to. Other errors: the temporary file is removed and ``OSError`` propagates,
    with ``path`` untouched.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        device = _is_device_or_pipe(os.stat(path))
    except OSError:
        device = False
    if device:  # /dev/stdout, a named pipe: nothing to replace, and no lock file beside those
        _check_writable(path)
        return _write_through(path, data)
    with locked(path):
        try:
            target = os.stat(path)
        except FileNotFoundError:
            return _replace(path, data, None)
        if stat.S_ISDIR(target.st_mode):
            raise UsageError(f"{path} is a folder: not written")
        _check_writable(path)
        if not stat.S_ISREG(target.st_mode):
            return _write_through(path, data)
        own = os.lstat(path)
        links = own.st_nlink if stat.S_ISREG(own.st_mode) else 1  # a symbolic link is replaced, as before
        if links > 1:
            return _write_in_place(path, data, links)
        return _replace(path, data, target)


def write_replacing(path: Path, data: bytes) -> None:
    """Put ``data`` at ``path`` all at once, for files nobody edits (cache entries): a temporary file beside it,
    renamed over it. No lock and no fsync: writers of the same path write the same bytes, and a reader
    checks what it reads (a file torn by a crash is one it rejects)."""
    temporary: str | None = None
    with _signals_held():
        try:
            descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
            os.replace(temporary, path)
            temporary = None
        finally:
            if temporary is not None:
                with suppress(OSError):
                    os.unlink(temporary)


def _is_device_or_pipe(info: os.stat_result) -> bool:
    return not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode)


def _check_writable(path: Path) -> None:
    if not os.access(path, os.W_OK):
        raise UsageError(
            f"{path}: permission denied; okrsprint does not replace a file you may not write "
            "(even in a folder you may write)"
        )


def _replace(path: Path, data: bytes, original: os.stat_result | None) -> Written:
    folder = path.parent if str(path.parent) else Path(".")
    mode = stat.S_IMODE(original.st_mode) if original is not None else _new_file_mode()
    temporary: str | None = None
    replaced = False
    with _signals_held() as arrived:
        try:
            descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
            with os.fdopen(descriptor, "wb") as stream:
                _stop_if(arrived)
                stream.write(data)
                stream.flush()
                _stop_if(arrived)
                os.fsync(stream.fileno())
                if original is not None:
                    _copy_owner(stream.fileno(), original)
                os.fchmod(stream.fileno(), mode)
            _stop_if(arrived)
            os.replace(temporary, path)
            replaced = True
        finally:
            if temporary is not None and not replaced:
                with suppress(OSError):
                    os.unlink(temporary)
    _fsync_folder(folder)
    return Written(path)


def _write_in_place(path: Path, data: bytes, links: int) -> Written:
    """Several names share this file: rewrite it where it is (signals wait until it is whole again)."""
    with _signals_held():
        descriptor = os.open(path, os.O_WRONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
        with os.fdopen(descriptor, "wb") as stream:  # no O_TRUNC: the old bytes go only once the new are in
            stream.write(data)
            stream.truncate()
            stream.flush()
            os.fsync(stream.fileno())
    return Written(path, in_place=True, links=links)


def _write_through(path: Path, data: bytes) -> Written:
    """A device or a pipe: there is nothing to replace, only something to write to."""
    with open(path, "wb") as stream:
        stream.write(data)
    return Written(path, in_place=True)


def _copy_owner(descriptor: int, original: os.stat_result) -> None:
    """Give the new file the original's owner and group: all of it as root, else the group if we may."""
    with suppress(OSError):
        if os.geteuid() == 0:
            os.fchown(descriptor, original.st_uid, original.st_gid)
        elif original.st_gid != os.getegid():
            os.fchown(descriptor, -1, original.st_gid)


def _new_file_mode() -> int:
    return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask, read without changing it where the system tells (Linux), else set and reset."""
    with suppress(OSError, ValueError):
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; not possible (nor needed) everywhere, e.g. on Windows."""
    with suppress(OSError, AttributeError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


# -- creating several files -------------------------------------------------------------------------


def create_all(files: Mapping[Path, str | bytes]) -> list[Path]:
    """Create every file of ``files`` (path → content) or none of them; return the paths created.

    Refuses (``UsageError`` naming the file, nothing written) when a target exists or appears while
    writing: nothing is ever overwritten. Missing folders are made. Each file is written to a
    temporary file beside its target and fsynced first; then all are linked into place (a link
    never replaces an existing file). On any failure, or SIGTERM/SIGINT, every file and folder made
    so far is removed again; errors name the target file, never a temporary one.
    """
    targets = [Path(target) for target in files]
    existing = [str(target) for target in targets if os.path.lexists(target)]
    if existing:
        raise UsageError(f"refusing to overwrite existing files: {', '.join(existing)}; nothing was written")
    seen: set[str] = set()
    for target in targets:
        key = os.path.abspath(target)
        if key in seen:
            raise UsageError(f"{target} is named twice; nothing was written")
        seen.add(key)
    mode = _new_file_mode()
    folders_made: list[Path] = []
    temporaries: dict[Path, str] = {}
    placed: list[Path] = []
    current = targets[0] if targets else Path(".")
    done = False
    with _signals_held() as arrived:
        try:
            for target, content in zip(targets, files.values(), strict=True):
                current = target
                _stop_if(arrived)
                folders_made += _make_folders(target.parent)
                temporaries[target] = _temporary_with(target, content, mode)
            for target, temporary in temporaries.items():
                current = target
                _stop_if(arrived)
                _place(temporary, target)
                placed.append(target)
            for folder in {target.parent for target in targets}:
                _fsync_folder(folder)
            done = True
        except OSError as error:
            raise UsageError(f"cannot create {current}: {error.strerror or error}; nothing was written") from None
        finally:
            for temporary in temporaries.values():
                with suppress(OSError):
                    os.unlink(temporary)
            if not done:
                for target in placed:
                    with suppress(OSError):
                        os.unlink(target)
                for folder in reversed(folders_made):
                    with suppress(OSError):
                        os.rmdir(folder)
    return targets


def _make_folders(folder: Path) -> list[Path]:
    """Make ``folder`` and its missing parents; return those made, outermost first."""
    missing: list[Path] = []
    probe = folder
    while str(probe) and not os.path.isdir(probe):
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    made: list[Path] = []
    try:
        for each in reversed(missing):
            os.mkdir(each)
            made.append(each)
    except OSError:
        for each in reversed(made):
            with suppress(OSError):
                os.rmdir(each)
        raise
    return made


def _temporary_with(target: Path, content: str | bytes, mode: int) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    folder = target.parent if str(target.parent) else Path(".")
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
            os.fchmod(stream.fileno(), mode)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
    return temporary


def _place(temporary: str, target: Path) -> None:
    """Give the temporary file its target name without ever replacing a file that is there."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise UsageError(f"{target} appeared while okrsprint was writing; nothing was written") from None
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        # no hard links on this file system: check, then rename (a tiny window, but nothing better exists)
        if os.path.lexists(target):
            raise UsageError(f"{target} appeared while okrsprint was writing; nothing was written") from None
        os.rename(temporary, target)
