"""Reading a planning repo at a git revision with the real ``git``: refs, merge base, trees, commit messages.

A revision's plan files are written into a temporary folder with the same layout
as the repository, so okrsprint's own loading (root discovery, config, discovery,
check) runs on them unchanged.

What a tree holds is data, never trusted: a crafted commit can name a file
``../x.yaml`` or ``/etc/x.yaml``, twice, or as big as a disk. Every path is
checked before anything is written, every destination must lie inside the
temporary folder, and blobs over the loader's size limit are never fetched.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import IO

from okrsprint import loader
from okrsprint.config import find_root
from okrsprint.errors import UsageError
from okrsprint.loader import CONFIG_NAME

DEFAULT_BRANCHES = ("origin/HEAD", "main", "master", "origin/main", "origin/master")
PLAN_SUFFIXES = (".yaml", ".yml")
REGULAR_FILE_MODES = ("100644", "100755")
CHUNK = 1 << 20
DUBIOUS = re.compile(r"dubious ownership in repository at '(.*)'")


@dataclass(frozen=True)
class Revision:
    """One side of a diff: a commit, or the working tree (``commit`` None)."""

    label: str
    commit: str | None

    @property
    def short(self) -> str:
        return self.commit[:12] if self.commit else "working tree"


@dataclass(frozen=True)
class SkippedBlob:
    """A plan file of a revision that was not read: bigger than the loader's limit."""

    revision: str
    path: str
    size: int

    def __str__(self) -> str:
        return (
            f"{self.path} at {self.revision} is {self.size} bytes, more than the limit of "
            f"{loader.MAX_FILE_BYTES}: not read"
        )


class Git:
    """The git repository that holds a path; every call is a subprocess of the real ``git``."""

    def __init__(self, path: Path) -> None:
        if shutil.which("git") is None:
            raise UsageError("okrsprint diff needs git, and no 'git' command was found on PATH")
        if not path.exists():
            raise UsageError(f"path not found: {path}")
        folder = path if path.is_dir() else path.parent
        probe = self._run(["rev-parse", "--show-toplevel"], cwd=folder, check=False)
        if probe.returncode != 0:
            raise UsageError(self._not_a_work_tree(path, folder, probe.stderr.decode(errors="replace")))
        self.toplevel = Path(probe.stdout.decode().strip()).resolve()
        self.folder = PurePosixPath(folder.resolve().relative_to(self.toplevel).as_posix())
        self.labels: dict[str, str] = {}
        self.skipped: list[SkippedBlob] = []

    def _not_a_work_tree(self, path: Path, folder: Path, error: str) -> str:
        """Why git will not show ``path``'s work tree, and what to do about it."""
        dubious = DUBIOUS.search(error)
        if dubious:
            where = dubious.group(1)
            return (
                f"git refuses to read the repository at {where}: it belongs to another user than the one running "
                f"okrsprint (git calls this 'dubious ownership'). If you trust it, tell git so: "
                f"git config --global --add safe.directory {where}"
            )
        kind = self._run(["rev-parse", "--is-bare-repository", "--is-inside-git-dir"], cwd=folder, check=False)
        answers = kind.stdout.decode(errors="replace").split()
        if kind.returncode == 0 and answers[:1] == ["true"]:
            return (
                f"{path} is a bare git repository, which has no work tree: okrsprint diff needs a work tree; "
                f"clone it (git clone {path}) or add one (git worktree add), and run okrsprint diff there"
            )
        if kind.returncode == 0 and answers[1:2] == ["true"]:
            return f"{path} is inside a .git folder: okrsprint diff needs a work tree; run it in the checkout"
        return f"not a git repository: {path} (okrsprint diff compares git revisions)"

    def _run(self, args: list[str], *, cwd: Path | None = None, check: bool = True, input: bytes | None = None):
        env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
        result = subprocess.run(
            ["git", *args], cwd=cwd or self.toplevel, input=input, capture_output=True, env=env, check=False
        )
        if check and result.returncode != 0:
            message = result.stderr.decode(errors="replace").strip().splitlines()
            raise UsageError(
                f"git {args[0]} failed: {message[-1] if message else 'exit code ' + str(result.returncode)}"
            )
        return result

    def commit_of(self, ref: str) -> str | None:
        """The commit a revision names, or None when it names none."""
        if ref.startswith("-"):
            return None
        result = self._run(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], check=False)
        return result.stdout.decode().strip() if result.returncode == 0 else None

    def revision(self, ref: str) -> Revision:
        commit = self.commit_of(ref)
        if commit is None:
            raise UsageError(f"unknown git revision {ref!r} in {self.toplevel}")
        self.labels[commit] = ref
        return Revision(ref, commit)

    def head(self) -> str:
        commit = self.commit_of("HEAD")
        if commit is None:
            raise UsageError(f"the git repository {self.toplevel} has no commit yet: nothing to compare with")
        return commit

    def default_base(self, head: str) -> Revision:
        """The merge base of ``head`` with the default branch (origin/HEAD, main, master), else HEAD."""
        for branch in DEFAULT_BRANCHES:
            if self.commit_of(branch) is None:
                continue
            result = self._run(["merge-base", branch, head], check=False)
            if result.returncode == 0:
                commit = result.stdout.decode().strip()
                self.labels.setdefault(commit, f"the merge base with {branch}")
                return Revision(f"merge base with {branch}", commit)
        self.labels.setdefault(self.head(), "HEAD")
        return Revision("HEAD", self.head())

    def commit_before(self, day: date, head: str) -> str | None:
        """The last commit reachable from ``head`` made before ``day`` began (committer date), else the first
        commit: the version of the plan as it stood when a quarter started (``retro``'s goalposts)."""
        before = self._run(["rev-list", "-1", f"--before={day.isoformat()}T00:00:00", head], check=False)
        if before.returncode == 0 and before.stdout.strip():
            return before.stdout.decode().strip()
        roots = self._run(["rev-list", "--max-parents=0", head], check=False).stdout.decode().split()
        return roots[-1] if roots else None

    def messages(self, base: str, head: str) -> str:
        """The commit messages of the commits reachable from ``head`` but not from ``base``, NUL-separated."""
        return self._run(["log", "--format=%B%x00", f"{base}..{head}"]).stdout.decode(errors="replace")

    def checkout(self, commit: str, path: PurePosixPath, into: Path) -> Path:
        """Write the plan files of ``commit`` that okrsprint would read from ``path`` into ``into``; return that path.

        First the ``okrsprint.yaml`` files of ``path``'s folders (they decide the root), then every
        ``*.yaml``/``*.yml`` file under the root that those select. Refused (UsageError naming the
        revision and the path, nothing written) when the tree holds a path that is absolute, has an
        empty, ``.`` or ``..`` component or a backslash, or is there twice. Blobs over the loader's
        size limit are not fetched: they are listed in ``skipped`` and named on stderr.
        """
        revision = self._revision_name(commit)
        blobs = self._tree(commit, revision)
        ancestors = {PurePosixPath(*path.parts[:depth]) for depth in range(len(path.parts) + 1)}
        written: set[PurePosixPath] = set()
        self._write(
            into,
            {name: sha for name, sha in blobs.items() if name.name == CONFIG_NAME and name.parent in ancestors},
            revision,
            written,
        )
        target = into / path
        target.mkdir(parents=True, exist_ok=True)
        root, _ = find_root(target)
        inside = into.resolve()
        root_rel = PurePosixPath(root.relative_to(inside).as_posix()) if root.is_relative_to(inside) else path
        wanted = {
            name: sha for name, sha in blobs.items() if root_rel == PurePosixPath(".") or name.is_relative_to(root_rel)
        }
        self._write(into, wanted, revision, written)
        return target

    def _revision_name(self, commit: str) -> str:
        label = self.labels.get(commit)
        return f"{label} ({commit[:12]})" if label and label != commit else commit[:12]

    def _tree(self, commit: str, revision: str) -> dict[PurePosixPath, str]:
        """Regular ``*.yaml``/``*.yml`` files of a commit: path → blob id, every path checked first.

        Symbolic links and submodules are no plan files, and other files are never written.
        """
        listing = self._run(["ls-tree", "-r", "-z", "--full-tree", commit]).stdout
        blobs: dict[PurePosixPath, str] = {}
        names: set[str] = set()
        for entry in listing.split(b"\0"):
            if not entry:
                continue
            meta, _, raw = entry.partition(b"\t")
            fields = meta.decode(errors="replace").split()
            if len(fields) != 3:
                continue
            mode, kind, sha = fields
            name = os.fsdecode(raw)
            if kind != "blob" or mode not in REGULAR_FILE_MODES or not name.endswith(PLAN_SUFFIXES):
                continue
            unsafe = unsafe_path(name)
            if unsafe:
                raise UsageError(
                    f"revision {revision} holds a file named {_shown(name)}: {unsafe}; refusing to read that "
                    f"revision (nothing was written)"
                )
            if name in names:
                raise UsageError(
                    f"revision {revision} holds the file {_shown(name)} twice: a crafted tree; refusing to read "
                    f"that revision (nothing was written)"
                )
            names.add(name)
            blobs[PurePosixPath(name)] = sha
        return blobs

    def _write(self, into: Path, blobs: dict[PurePosixPath, str], revision: str, written: set[PurePosixPath]) -> None:
        """Write blobs under ``into``, each checked to land inside it, streamed one at a time from git."""
        todo = {name: sha for name, sha in blobs.items() if name not in written}
        if not todo:
            return
        limit = loader.MAX_FILE_BYTES
        sizes = self._sizes(todo, revision)
        small: dict[PurePosixPath, str] = {}
        for name, sha in todo.items():
            if sizes[sha] > limit:
                skipped = SkippedBlob(revision, _shown(str(name)), sizes[sha])
                self.skipped.append(skipped)
                print(f"okrsprint: note: {skipped}", file=sys.stderr)
            else:
                small[name] = sha
        if not small:
            return
        top = os.path.realpath(into)
        env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
        process = subprocess.Popen(
            ["git", "cat-file", "--batch"],
            cwd=self.toplevel,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert process.stdin is not None and process.stdout is not None
        try:
            for name, sha in small.items():
                try:
                    destination = self._destination(into, top, name, revision)
                    process.stdin.write(f"{sha}\n".encode())
                    process.stdin.flush()
                    header = process.stdout.readline().split()
                    if len(header) != 3 or header[1] != b"blob" or int(header[2]) != sizes[sha]:
                        raise UsageError(_missing(sha, name, revision))
                    _copy(process.stdout, destination, sizes[sha], name, revision)
                except (BrokenPipeError, ValueError):
                    raise UsageError(f"git stopped while reading the files of revision {revision}") from None
                except OSError as error:  # e.g. a crafted tree with a file and a folder of the same name
                    raise UsageError(
                        f"revision {revision}: cannot write {_shown(str(name))}: {error.strerror or error}"
                    ) from None
                written.add(name)
        finally:
            with suppress(OSError):
                process.stdin.close()
            process.stdout.close()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _sizes(self, blobs: dict[PurePosixPath, str], revision: str) -> dict[str, int]:
        """Each blob's size from ``git cat-file --batch-check``; a missing object is a UsageError."""
        shas = list(dict.fromkeys(blobs.values()))
        output = self._run(["cat-file", "--batch-check"], input="".join(f"{sha}\n" for sha in shas).encode()).stdout
        sizes: dict[str, int] = {}
        for line in output.decode(errors="replace").splitlines():
            fields = line.split()
            if len(fields) == 3 and fields[1] == "blob" and fields[2].isdigit():
                sizes[fields[0]] = int(fields[2])
        for name, sha in blobs.items():
            if sha not in sizes:
                raise UsageError(_missing(sha, name, revision))
        return sizes

    def _destination(self, into: Path, top: str, name: PurePosixPath, revision: str) -> Path:
        """Where ``name`` goes under ``into``, its folders made; refused unless it stays inside ``into``."""
        destination = into / name
        folder = os.path.realpath(destination.parent) if destination.parent.exists() else None
        if not _within(os.path.normpath(os.path.join(top, str(name))), top) or (folder and not _within(folder, top)):
            raise UsageError(f"revision {revision}: the file {_shown(str(name))} would be written outside its folder")
        destination.parent.mkdir(parents=True, exist_ok=True)
        if not _within(os.path.realpath(destination.parent), top):
            raise UsageError(f"revision {revision}: the file {_shown(str(name))} would be written outside its folder")
        return destination


def unsafe_path(name: str) -> str | None:
    """Why a path from a git tree may not be written as it is, or None when it may."""
    if not name:
        return "an empty path"
    if name.startswith("/"):
        return "an absolute path"
    if "\\" in name:
        return "a backslash in a path"
    for part in name.split("/"):
        if part in ("", ".", ".."):
            return f"a path with a{'n empty' if not part else ' ' + repr(part)} component"
    return None


def _within(path: str, top: str) -> bool:
    return path == top or path.startswith(top.rstrip(os.sep) + os.sep)


def _shown(name: str) -> str:
    return repr(os.fsencode(name).decode("utf-8", "backslashreplace"))


def _missing(sha: str, name: PurePosixPath, revision: str) -> str:
    return (
        f"revision {revision}: the git object {sha} of {_shown(str(name))} is missing; the repository is "
        f"shallow or damaged (try git fetch --unshallow, or git fsck)"
    )


def _copy(stream: IO[bytes], destination: Path, size: int, name: PurePosixPath, revision: str) -> None:
    """Copy ``size`` bytes of a ``cat-file --batch`` answer to a new file (never an existing one, never a link)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        descriptor = os.open(destination, flags, 0o644)
    except FileExistsError:
        raise UsageError(
            f"revision {revision} holds the file {_shown(str(name))} twice: a crafted tree; refusing to read it"
        ) from None
    with os.fdopen(descriptor, "wb") as file:
        remaining = size
        while remaining:
            chunk = stream.read(min(remaining, CHUNK))
            if not chunk:
                raise UsageError(f"git stopped while reading {_shown(str(name))} of revision {revision}")
            file.write(chunk)
            remaining -= len(chunk)
    stream.read(1)  # the newline after each object
