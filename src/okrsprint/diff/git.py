"""Reading a planning repo at a git revision with the real ``git``: refs, merge base, trees, commit messages.

A revision's plan files are written into a temporary folder with the same layout
as the repository, so okrsprint's own loading (root discovery, config, discovery,
check) runs on them unchanged.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from okrsprint.config import find_root
from okrsprint.errors import UsageError
from okrsprint.loader import CONFIG_NAME

DEFAULT_BRANCHES = ("origin/HEAD", "main", "master", "origin/main", "origin/master")
PLAN_SUFFIXES = (".yaml", ".yml")
REGULAR_FILE_MODES = ("100644", "100755")


@dataclass(frozen=True)
class Revision:
    """One side of a diff: a commit, or the working tree (``commit`` None)."""

    label: str
    commit: str | None

    @property
    def short(self) -> str:
        return self.commit[:12] if self.commit else "working tree"


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
            raise UsageError(f"not a git repository: {path} (okrsprint diff compares git revisions)")
        self.toplevel = Path(probe.stdout.decode().strip()).resolve()
        self.folder = PurePosixPath(folder.resolve().relative_to(self.toplevel).as_posix())

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
                return Revision(f"merge base with {branch}", result.stdout.decode().strip())
        return Revision("HEAD", self.head())

    def messages(self, base: str, head: str) -> str:
        """The commit messages of the commits reachable from ``head`` but not from ``base``, NUL-separated."""
        return self._run(["log", "--format=%B%x00", f"{base}..{head}"]).stdout.decode(errors="replace")

    def checkout(self, commit: str, path: PurePosixPath, into: Path) -> Path:
        """Write the plan files of ``commit`` that okrsprint would read from ``path`` into ``into``; return that path there.

        First the ``okrsprint.yaml`` files of ``path``'s folders (they decide the root), then every
        ``*.yaml``/``*.yml`` file under the root that those select.
        """
        blobs = self._tree(commit)
        ancestors = {PurePosixPath(*path.parts[:depth]) for depth in range(len(path.parts) + 1)}
        self._write(
            into, {name: sha for name, sha in blobs.items() if name.name == CONFIG_NAME and name.parent in ancestors}
        )
        target = into / path
        target.mkdir(parents=True, exist_ok=True)
        root, _ = find_root(target)
        inside = into.resolve()
        root_rel = PurePosixPath(root.relative_to(inside).as_posix()) if root.is_relative_to(inside) else path
        wanted = {
            name: sha
            for name, sha in blobs.items()
            if name.suffix in PLAN_SUFFIXES and (root_rel == PurePosixPath(".") or name.is_relative_to(root_rel))
        }
        self._write(into, wanted)
        return target

    def _tree(self, commit: str) -> dict[PurePosixPath, str]:
        """Regular files of a commit: path → blob id (symlinks and submodules are no plan files)."""
        listing = self._run(["ls-tree", "-r", "-z", "--full-tree", commit]).stdout
        blobs: dict[PurePosixPath, str] = {}
        for entry in listing.split(b"\0"):
            if not entry:
                continue
            meta, _, name = entry.partition(b"\t")
            mode, kind, sha = meta.decode().split()
            if kind == "blob" and mode in REGULAR_FILE_MODES:
                blobs[PurePosixPath(os.fsdecode(name))] = sha
        return blobs

    def _write(self, into: Path, blobs: dict[PurePosixPath, str]) -> None:
        """Fetch blobs in one ``git cat-file --batch`` and write them under ``into``."""
        if not blobs:
            return
        names = list(blobs)
        output = self._run(["cat-file", "--batch"], input="".join(f"{blobs[n]}\n" for n in names).encode()).stdout
        offset = 0
        for name in names:
            header_end = output.index(b"\n", offset)
            size = int(output[offset:header_end].split()[2])
            content = output[header_end + 1 : header_end + 1 + size]
            offset = header_end + 1 + size + 1
            destination = into / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(content)
