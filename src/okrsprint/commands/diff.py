"""``okrsprint diff``: review a plan change like a code change.

Both versions are read with git (``diff.git``), compared by ids (``diff.compare``),
the changes judged by the D-rules (``rules.changes``) and each version checked, so
the findings a change introduces and fixes can be listed.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from okrsprint.config import find_root
from okrsprint.diff.compare import compare
from okrsprint.diff.git import Git, Revision
from okrsprint.engine import CheckOptions, CheckResult, judge_changes, open_plan, run_check
from okrsprint.errors import UsageError
from okrsprint.findings import Finding
from okrsprint.plan import Plan
from okrsprint.render import render, show
from okrsprint.rules.context import shown_path
from okrsprint.views.diff import DiffResult


@dataclass
class DiffOptions:
    path: Path = Path(".")
    base: str | None = None
    head: str | None = None
    today: date | None = None


@dataclass
class Side:
    """One version of the plan: the plan itself (for the comparison) and what ``check`` says about it."""

    plan: Plan
    check: CheckResult


def run_diff(options: DiffOptions) -> DiffResult:
    """Compare the plan at BASE with the plan at HEAD (default: the working tree); UsageError for bad input."""
    git = Git(options.path)
    today = options.today or date.today()
    head = git.revision(options.head) if options.head else Revision("working tree", None)
    head_commit = head.commit or git.head()
    base = git.revision(options.base) if options.base else git.default_base(head_commit)
    base_commit = base.commit
    assert base_commit is not None  # BASE is a revision, never the working tree
    shown_root = shown_path(find_root(options.path)[0])  # both versions' hints name the working tree's root
    with tempfile.TemporaryDirectory(prefix="okrsprint-diff-") as scratch:
        base_side = _load(git.checkout(base_commit, git.folder, Path(scratch, "base")), today, base, shown_root)
        if head.commit is None:
            head_top = git.toplevel
            head_path = options.path if options.path.is_dir() else options.path.parent  # the whole root, as at BASE
        else:
            head_top = Path(scratch, "head")
            head_path = git.checkout(head.commit, git.folder, head_top)
        head_side = _load(head_path, today, head, shown_root)
        try:
            root = head_side.plan.root.relative_to(head_top.resolve()).as_posix()
        except ValueError:
            root = str(head_side.plan.root)
        result = DiffResult(git.toplevel, root, base, head, today)
        result.changes = compare(base_side.plan, head_side.plan, today)
        revisions = f"{base.short}..{head.short}"
        messages = git.messages(base_commit, head_commit)
        result.findings = judge_changes(head_side.plan, result.changes, today, messages, revisions)
        result.introduced, result.fixed = _new_findings(base_side.check.findings, head_side.check.findings)
    return result


def split_arguments(first: str | None, second: Path | None) -> tuple[str | None, Path]:
    """``diff [BASE] [PATH]``: a lone argument is PATH when it is an existing path and no revision (as git decides).

    A second argument that is no path but a revision was meant as ``--head``: say so.
    """
    if second is not None and not second.exists() and _is_revision(str(second)):
        raise UsageError(f"{second} is a revision, not a path: did you mean 'okrsprint diff {first} --head {second}'?")
    if second is not None or first is None:
        return first, second or Path(".")
    candidate = Path(first)
    if not candidate.exists():
        return first, Path(".")
    if Git(candidate).commit_of(first) is None:
        return None, candidate
    raise UsageError(
        f"{first!r} is both a git revision and a path: give both, e.g. 'okrsprint diff {first} .' "
        f"or 'okrsprint diff HEAD {first}'"
    )


def _is_revision(text: str) -> bool:
    """Whether the git repository of the current directory has a commit by that name (False outside one)."""
    try:
        return Git(Path(".")).commit_of(text) is not None
    except UsageError:
        return False


def _load(path: Path, today: date, revision: Revision, shown_root: str) -> Side:
    try:
        return Side(open_plan(path), run_check(CheckOptions(path=path, today=today, shown_root=shown_root)))
    except UsageError as error:
        raise UsageError(f"in the plan at {revision.label} ({revision.short}): {error}") from None


def _finding_key(finding: Finding) -> tuple:
    return finding.code, finding.team, finding.quarter, finding.message


def _new_findings(before: list[Finding], after: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """Findings only HEAD has (introduced) and only BASE has (fixed), compared as multisets of their keys."""

    def only_in(findings: list[Finding], other: list[Finding]) -> list[Finding]:
        remaining = Counter(_finding_key(finding) for finding in other)
        unmatched = []
        for finding in findings:
            key = _finding_key(finding)
            if remaining[key]:
                remaining[key] -= 1
            else:
                unmatched.append(finding)
        return unmatched

    return only_in(after, before), only_in(before, after)


def diff(options: DiffOptions, output_format: str) -> DiffResult:
    """Compare, print in the chosen format, and return the result (its exit code is check's)."""
    result = run_diff(options)
    show(render("diff", output_format, result))
    return result
