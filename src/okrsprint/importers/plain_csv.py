"""Any other tracker: a CSV with ``id``, ``title`` and optionally ``estimate``, ``status``, ``krs``, ``sprint``.

``krs`` holds key-result references separated by spaces, commas or semicolons (``KR1 search:KR2``);
``sprint`` names one sprint (no dates: the plan must have it); ``status`` is todo, doing or done.
"""

from __future__ import annotations

import re

from okrsprint.findings import shorten
from okrsprint.importers.records import (
    STATUSES,
    Export,
    ExportError,
    ImportedItem,
    ImportedSprint,
    Table,
    estimate_of,
    sprint_id,
)

REQUIRED = ("id", "title")
SEPARATORS = re.compile(r"[\s,;]+")


def read(table: Table) -> Export:
    table.require(*REQUIRED)
    export = Export("CSV")
    for line, row in table.rows:
        where = f"{table.source}:{line}"
        status = table.first(row, "status").lower() or "todo"
        if status not in STATUSES:
            raise ExportError(f"{where}: status {shorten(status)} is not todo, doing or done")
        name = table.first(row, "sprint")
        export.add_item(
            ImportedItem(
                id=table.first(row, "id"),
                title=table.first(row, "title"),
                status=status,
                where=where,
                estimate=estimate_of(table.first(row, "estimate"), where),
                krs=tuple(dict.fromkeys(ref for ref in SEPARATORS.split(table.first(row, "krs")) if ref)),
                sprints=(export.add_sprint(ImportedSprint(sprint_id(name), name)),) if name else (),
            )
        )
    return export
