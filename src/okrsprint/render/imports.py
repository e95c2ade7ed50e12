"""What ``okrsprint import`` did, as text or JSON (one module for both: the view is the merge itself).

JSON keys are the SPEC's: ``added``, ``updated`` (``id``, ``field``, ``before``, ``after``), ``kept``,
``pruned``, ``sprints`` (``added``, ``updated``) and ``unknown_krs`` (``item``, ``label``, ``did_you_mean``);
``sprints`` also lists ``no_dates`` and ``outside_quarter``, and ``files`` names what was written.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from okrsprint.errors import UsageError
from okrsprint.importers.merge import Merge
from okrsprint.numbers import format_number, plural
from okrsprint.render.common import inert_terminal

FORMATS = ("text", "json")
MAX_LISTED = 20


def render(result: Merge, written: list[str], created: list[str], dry_run: bool, output_format: str) -> str:
    if output_format not in FORMATS:
        raise UsageError(f"--format {output_format} is not available for import: choose {', '.join(FORMATS)}")
    return (
        as_json(result, written, created, dry_run)
        if output_format == "json"
        else as_text(result, written, created, dry_run)
    )


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def as_json(result: Merge, written: list[str], created: list[str], dry_run: bool) -> str:
    data = {
        "added": result.added,
        "updated": [
            {"id": update.id, "field": update.field, "before": _plain(update.before), "after": _plain(update.after)}
            for update in result.updated
        ],
        "kept": result.kept,
        "pruned": result.pruned,
        "sprints": {
            "added": result.sprints_added,
            "updated": result.sprints_updated,
            "no_dates": result.no_dates,
            "outside_quarter": result.outside_quarter,
        },
        "unknown_krs": [
            {"item": unknown.item, "label": unknown.label, "did_you_mean": unknown.did_you_mean}
            for unknown in result.unknown_krs
        ],
        "files": {"written": written, "created": created, "dry_run": dry_run},
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    if isinstance(value, str) and (value != value.strip() or not value):
        return repr(value)
    return str(value)


def _ids(ids: list[str]) -> str:
    shown = ", ".join(ids[:MAX_LISTED])
    return shown + (f" and {len(ids) - MAX_LISTED} more" if len(ids) > MAX_LISTED else "")


def as_text(result: Merge, written: list[str], created: list[str], dry_run: bool) -> str:
    lines = [f"{result.export_format}: {plural(result.issues, 'issue')} into {result.team} {result.quarter}"]
    if result.added:
        lines.append(f"added {plural(len(result.added), 'item')}: {_ids(result.added)}")
    for update in result.updated:
        lines.append(f"updated {update.id} {update.field}: {_shown(update.before)} → {_shown(update.after)}")
    if result.kept:
        lines.append(
            f"kept {plural(len(result.kept), 'item')} not in the export (--prune removes them): {_ids(result.kept)}"
        )
    if result.pruned:
        lines.append(f"pruned {plural(len(result.pruned), 'item')} not in the export: {_ids(result.pruned)}")
    if result.sprints_added:
        lines.append(f"added sprints: {_ids(result.sprints_added)}")
    if result.sprints_updated:
        lines.append(f"updated sprints: {_ids(result.sprints_updated)}")
    for sprint in result.no_dates:
        lines.append(f"sprint {sprint} has no dates: add it to the plan or import Jira JSON")
    if result.outside_quarter:
        lines.append(f"sprints outside {result.quarter}, not imported: {_ids(result.outside_quarter)}")
    for unknown in result.unknown_krs:
        hint = f" (did you mean {unknown.did_you_mean}?)" if unknown.did_you_mean else ""
        lines.append(
            f"{unknown.item}: label {unknown.label} names no key result of {result.quarter}{hint}; not written"
        )
    verb = ("would create", "would write") if dry_run else ("created", "wrote")
    if created:
        lines.append(f"{verb[0]} {', '.join(created)}")
    if written:
        lines.append(f"{verb[1]} {', '.join(written)}")
    if not (created or written):
        lines.append("nothing to change: the plan already matches the export")
    return "".join(inert_terminal(line) + "\n" for line in lines)
