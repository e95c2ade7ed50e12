"""Jira: the CSV export of an issue search, and the REST search response (one page or a JSON list of pages).

Field names are Jira's own: ``Issue key``, ``Summary``, ``Status``, ``Status Category``, repeated
``Labels`` and ``Sprint`` columns, ``Custom field (Story Points)``; in JSON ``key``, ``fields.summary``,
``fields.status.statusCategory.key``, ``fields.labels``, the sprint field and the ``names`` map.
"""

from __future__ import annotations

from typing import Any

from okrsprint.findings import shorten
from okrsprint.importers.records import (
    STORY_POINT_NAMES,
    Export,
    ExportError,
    ImportedItem,
    ImportedSprint,
    ImportOptions,
    Table,
    day_of,
    estimate_of,
    kr_refs,
    normalised,
    sprint_id,
)

CSV_REQUIRED = ("Issue key", "Summary")
CSV_STORY_POINTS = ("Custom field (Story Points)", "Custom field (Story point estimate)")
CATEGORY_STATUS = {"to do": "todo", "in progress": "doing", "done": "done"}
DONE_STATUSES = {"done", "closed", "resolved"}
DOING_STATUSES = {"in progress", "in review"}
JSON_CATEGORY_STATUS = {"new": "todo", "indeterminate": "doing", "done": "done"}


def csv_status(category: str, status: str) -> str:
    """``Status Category`` (To Do / In Progress / Done) when given, else the ``Status`` name."""
    if category:
        return CATEGORY_STATUS.get(category.lower(), "todo")
    name = status.lower()
    return "done" if name in DONE_STATUSES else "doing" if name in DOING_STATUSES else "todo"


def read_csv(table: Table, options: ImportOptions) -> Export:
    table.require(*CSV_REQUIRED)
    estimate_columns = (options.estimate_field,) if options.estimate_field else CSV_STORY_POINTS
    if options.estimate_field:
        table.require(options.estimate_field)
    export = Export("Jira CSV")
    for line, row in table.rows:
        where = f"{table.source}:{line}"
        sprints = [export.add_sprint(ImportedSprint(sprint_id(name), name)) for name in table.every(row, "Sprint")]
        estimate = next((value for column in estimate_columns if (value := table.first(row, column))), "")
        export.add_item(
            ImportedItem(
                id=table.first(row, "Issue key"),
                title=table.first(row, "Summary"),
                status=csv_status(table.first(row, "Status Category"), table.first(row, "Status")),
                where=where,
                estimate=estimate_of(estimate, where),
                krs=kr_refs(table.every(row, "Labels"), options.kr_label_prefix),
                sprints=tuple(dict.fromkeys(sprints)),
            )
        )
    return export


def read_json(pages: list[dict], source: str, options: ImportOptions) -> Export:
    """Issues of every page; the ``names`` maps of all pages say which field holds story points."""
    names: dict[str, str] = {}
    for page in pages:
        if isinstance(page.get("names"), dict):
            names.update({str(key): str(value) for key, value in page["names"].items()})
    export = Export("Jira JSON")
    fields = _Fields(names, options)
    for number, page in enumerate(pages):
        issues = page.get("issues")
        if not isinstance(issues, list):
            raise ExportError(f"{source}: page {number + 1} has no list of issues")
        for index, issue in enumerate(issues):
            where = f"{source}: issues[{index}]" + (f" of page {number + 1}" if len(pages) > 1 else "")
            export.add_item(_issue(issue, where, fields, export, options))
    return export


class _Fields:
    """Which fields hold story points and sprints: from ``import.estimate_field`` and the ``names`` map, once."""

    def __init__(self, names: dict[str, str], options: ImportOptions) -> None:
        wanted = options.estimate_field
        if wanted:
            self.points = [wanted, *(field for field, name in names.items() if name == wanted)]
        else:
            self.points = [field for field, name in names.items() if normalised(name) in STORY_POINT_NAMES]
        self.explicit = bool(wanted)
        self.sprints = [field for field, name in names.items() if normalised(name) == "sprint"]

    def story_points(self, fields: dict) -> object:
        """The first story-points field with a value (with the config's field: any value; else a number)."""
        for field in self.points:
            value = fields.get(field)
            if value is not None and (
                self.explicit or (isinstance(value, int | float) and not isinstance(value, bool))
            ):
                return value
        return None

    def sprint_values(self, fields: dict) -> list:
        """The sprint field's value: named "Sprint" in ``names``, else the field holding a list of sprint objects."""
        if self.sprints:
            return next((value for field in self.sprints if isinstance(value := fields.get(field), list)), [])
        return next((value for value in fields.values() if _is_sprint_list(value)), [])


def _is_sprint_list(value: object) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and "name" in v and "state" in v for v in value)
    )


def _issue(issue: Any, where: str, fields_of: _Fields, export: Export, options: ImportOptions) -> ImportedItem:
    if not isinstance(issue, dict) or not isinstance(issue.get("key"), str):
        raise ExportError(f"{where}: an issue needs a key")
    fields = issue.get("fields")
    if not isinstance(fields, dict) or not isinstance(fields.get("summary"), str):
        raise ExportError(f"{where} ({issue['key']}): no fields.summary")
    where = f"{where} ({issue['key']})"
    labels = fields.get("labels") or []
    sprints = [export.add_sprint(sprint) for sprint in _sprints(fields_of.sprint_values(fields), where)]
    return ImportedItem(
        id=issue["key"],
        title=fields["summary"],
        status=_status(fields.get("status")),
        where=where,
        estimate=estimate_of(fields_of.story_points(fields), where),
        url=_browse_url(issue),
        krs=kr_refs([str(label) for label in labels if isinstance(label, str)], options.kr_label_prefix),
        sprints=tuple(dict.fromkeys(sprints)),
    )


def _status(status: Any) -> str:
    category = status.get("statusCategory") if isinstance(status, dict) else None
    key = category.get("key") if isinstance(category, dict) else None
    return JSON_CATEGORY_STATUS.get(str(key), "todo")


def _sprints(values: list, where: str) -> list[ImportedSprint]:
    """The sprints of the sprint field: objects with a name, a state, dates and a goal."""
    found = []
    for sprint in values:
        if not isinstance(sprint, dict) or "name" not in sprint:
            raise ExportError(f"{where}: the sprint field holds {shorten(sprint)}, not a sprint")
        name = str(sprint["name"])
        goal = sprint.get("goal")
        found.append(
            ImportedSprint(
                sprint_id(name),
                name,
                day_of(sprint.get("startDate"), where),
                day_of(sprint.get("endDate"), where),
                goal.strip() if isinstance(goal, str) and goal.strip() else None,
            )
        )
    return found


def _browse_url(issue: dict) -> str | None:
    """The issue's page: ``https://x.atlassian.net/browse/CHK-1``, from the API address in ``self``."""
    address = issue.get("self")
    if not isinstance(address, str) or "/rest/api/" not in address:
        return None
    return address.split("/rest/api/")[0] + "/browse/" + issue["key"]
