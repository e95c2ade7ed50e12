"""``okrsprint import``: bring a tracker's export into the team-quarter's backlog and sprints, as a merge.

Read the export (``importers.detect``), compute the merge (``importers.merge``), then, holding the lock of
every file it touches: read the plan again, recompute, apply each document's changes with one ``yamledit``
batch (proved by reading it back), refuse anything that would add an S-finding, and write each changed file
atomically only if it still holds what was read. Nothing is written on any refusal, nor with ``--dry-run``.
"""

from __future__ import annotations

import re
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from okrsprint import yamledit
from okrsprint.commands.checkin import refuse_new_findings, write_atomically
from okrsprint.config import find_root
from okrsprint.engine import open_plan
from okrsprint.errors import UsageError
from okrsprint.files import create_all, locked
from okrsprint.importers.detect import read_export
from okrsprint.importers.merge import Merge, merge
from okrsprint.importers.records import Export, ImportOptions
from okrsprint.model import TEAM_PATTERN
from okrsprint.plan import Plan, choose_quarter, did_you_mean, plan_teams
from okrsprint.quarters import Quarter
from okrsprint.render import imports, show

STDIN = "-"
LIST_KEYS = {"backlog": "items", "sprints": "sprints"}


@dataclass(frozen=True)
class ImportRequest:
    source: str
    path: Path = Path(".")
    team: str | None = None
    quarter: str | None = None
    prune: bool = False
    dry_run: bool = False
    today: date | None = None


@dataclass
class Outcome:
    """The merge and the files it wrote (or would write, with ``--dry-run``), relative to the root."""

    merge: Merge
    dry_run: bool
    written: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)


def run(request: ImportRequest, output_format: str) -> Outcome:
    outcome = import_export(request)
    show(imports.render(outcome.merge, outcome.written, outcome.created, outcome.dry_run, output_format))
    return outcome


def import_export(request: ImportRequest) -> Outcome:
    """Everything ``import`` does but printing."""
    data = _read_source(request.source)
    plan = open_plan(request.path)
    options = _options(plan)
    export = read_export(data, "standard input" if request.source == STDIN else request.source, options)
    team, quarter = _team_and_quarter(plan, request)
    result = _merged(plan, team, quarter, export, request.prune, options)
    if not result.changed:
        return Outcome(result, request.dry_run, *_shown_files(plan, result))
    if request.dry_run:  # everything but the writing: a dry run that passes predicts a run that passes
        _write(plan, result, dry_run=True)
        return Outcome(result, True, *_shown_files(plan, result))
    with ExitStack() as stack:
        for path in sorted({*result.edits, *(new.path for new in result.created.values())}):
            if path.parent.is_dir():  # a file to create in a new folder: create_all refuses it if it appears
                stack.enter_context(locked(path.resolve()))
        _write(plan, result)
    return Outcome(result, False, *_shown_files(plan, result))


def _read_source(source: str) -> bytes:
    if source == STDIN:
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{source}: no such file") from None
    except OSError as error:
        raise UsageError(f"cannot read {source}: {error.strerror or error}") from None


def _options(plan: Plan) -> ImportOptions:
    block = plan.config.import_
    return ImportOptions(block.kr_label_prefix, block.id_prefix, block.estimate_field)


def _team_and_quarter(plan: Plan, request: ImportRequest) -> tuple[str, Quarter]:
    """``--team``, else the config's team, else the only team; ``--quarter``, else the one containing today
    (else the team's latest before it). A team without a plan yet may be named: its documents are created."""
    teams = plan_teams(plan)
    team = request.team or plan.config.team or (teams[0] if len(teams) == 1 else None)
    if team is None:
        listing = ", ".join(teams) if teams else "there is no plan yet"
        raise UsageError(f"choose a team with --team ({listing})")
    if not re.fullmatch(TEAM_PATTERN, team):
        raise UsageError(f"--team must be a slug like checkout (a-z, 0-9, -), not {team!r}")
    hint = did_you_mean(team, teams) if team not in teams else ""
    if hint:  # a new team is welcome; a typo of a known one must not start a second backlog
        raise UsageError(f"no plan for team {team!r}{hint}; teams: {', '.join(teams)}")
    today = request.today or date.today()
    text = request.quarter
    if text is None:
        text = choose_quarter(plan, team, None, today) if team in teams else None
    try:
        if text is None:
            return team, Quarter.containing(today, plan.config.year_start_month)
        return team, Quarter.parse(text, plan.config.year_start_month)
    except ValueError as error:
        raise UsageError(f"--quarter: {error}") from None


def _merged(plan: Plan, team: str, quarter: Quarter, export: Export, prune: bool, options: ImportOptions) -> Merge:
    broken = plan.broken_in(team, str(quarter))
    if broken:
        files = ", ".join(sorted({document.file for document in broken}))
        raise UsageError(f"{files} of {team} {quarter} cannot be read: run okrsprint check, then import again")
    return merge(plan, team, quarter, export, prune, options.kr_label_prefix)


def _shown_files(plan: Plan, result: Merge) -> tuple[list[str], list[str]]:
    written = sorted(path.resolve().relative_to(plan.root.resolve()).as_posix() for path in result.edits)
    created = [new.path.relative_to(plan.root).as_posix() for new in result.created.values()]
    return written, created


def _write(plan: Plan, result: Merge, dry_run: bool = False) -> None:
    """Apply, prove, check and write every change; refuse (nothing written) at the first problem.

    Runs under the files' locks. The merge was computed from the plan as loaded before them: each edited
    document must still read as it did then (else another writer came in between: a lost update is worse).
    """
    originals = {path: path.read_bytes() for path in result.edits}
    loaded = {(document.source.path, document.raw.index): document.raw.data for document in _documents(plan)}
    before, after = {}, {}
    encoded = {}
    for path, documents in result.edits.items():
        text, bom = yamledit.decode(originals[path], path.name)
        edited = text
        try:
            for index in sorted(documents):
                if yamledit.value_at(text, index) != loaded.get((path, index)):
                    raise UsageError(f"{path} changed on disk during the import; nothing was written, run it again")
                edited = yamledit.apply(edited, index, documents[index])
        except yamledit.EditError as error:
            raise UsageError(f"cannot import into {path}, nothing was written: {error}") from None
        before[path], after[path] = text, edited
        encoded[path] = yamledit.encode(edited, bom)
    created = {new.path: _new_text(result, new.kind, new.entries) for new in result.created.values()}
    _refuse_structure_findings(plan, before, after, created)
    if dry_run:
        return
    for path, data in originals.items():  # all still as read, before the first write
        if path.read_bytes() != data:
            raise UsageError(f"{path} changed on disk during the import; nothing was written, run it again")
    if created:
        create_all(created)
    for path, data in encoded.items():
        write_atomically(path, originals[path], data)


def _documents(plan: Plan):
    return (document for team_quarter in plan.team_quarters.values() for document in team_quarter.documents)


def _new_text(result: Merge, kind: str, entries: list[dict]) -> str:
    header = {"kind": kind, "team": result.team, "quarter": result.quarter}
    return yamledit.new_document(header, LIST_KEYS[kind], entries)


def _refuse_structure_findings(
    plan: Plan, before: dict[Path, str], after: dict[Path, str], created: dict[Path, str]
) -> None:
    """S001–S006 over the whole repo with the edits in place may not grow. A created document is checked inside
    a file that exists (appended as one more YAML document), or, in a repo with no plan file yet, on its own."""
    if not created:
        refuse_new_findings(plan.root, before, after, change="the import")
        return
    if plan.files:
        host = plan.files[0].path
        base = before.get(host) or yamledit.decode(host.read_bytes(), host.name)[0]
        hosted = after.get(host, base)
        joined = "".join(f"\n---\n{text}" for text in created.values())
        refuse_new_findings(
            plan.root, {**before, host: base}, {**after, host: hosted.rstrip("\n") + joined}, change="the import"
        )
        return
    _, config_path = find_root(plan.root)
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        copies: dict[Path, str | bytes] = {
            scratch / path.relative_to(plan.root): text for path, text in created.items()
        }
        if config_path is not None:
            copies[scratch / "okrsprint.yaml"] = config_path.read_bytes()
        create_all(copies)
        refuse_new_findings(scratch, None, {}, change="the import")
