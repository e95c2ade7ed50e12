"""GitHub: ``gh issue list --json number,title,labels,state,url`` and ``gh project item-list N --format json``.

Item ids are ``<id_prefix>-<number>``; the default prefix is the repository's name, taken from the issues'
``url`` (``https://github.com/acme/shop/issues/12`` → ``shop-12``), else ``GH``. gh writes a project's
custom fields under their name with the first letter in lower case (``story Points``, ``iteration``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from okrsprint.importers.records import (
    STORY_POINT_NAMES,
    Export,
    ExportError,
    ImportedItem,
    ImportedSprint,
    ImportOptions,
    day_of,
    estimate_of,
    kr_refs,
    normalised,
    sprint_id,
)

DEFAULT_PREFIX = "GH"
ESTIMATE_NAMES = STORY_POINT_NAMES | {"estimate", "points"}
PROJECT_STATUS = {"done": "done", "in progress": "doing"}


def repository_name(url: object) -> str | None:
    """``shop`` from ``https://github.com/acme/shop/issues/12`` (or ``…/pull/3``)."""
    if not isinstance(url, str):
        return None
    parts = url.split("/")
    if len(parts) >= 7 and parts[2].endswith("github.com") and parts[5] in ("issues", "pull"):
        return parts[4]
    return None


def _prefix(options: ImportOptions, urls: list[object]) -> str:
    if options.id_prefix:
        return options.id_prefix
    return next((name for url in urls if (name := repository_name(url))), DEFAULT_PREFIX)


def _number(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ExportError(f"{where}: an issue needs a number")
    return value


def _labels(value: Any) -> list[str]:
    """gh writes labels as objects with a ``name``; plain strings are taken too."""
    names = [label.get("name") if isinstance(label, dict) else label for label in value or []]
    return [name for name in names if isinstance(name, str)]


def read_issues(issues: list, source: str, options: ImportOptions) -> Export:
    export = Export("GitHub issues")
    prefix = _prefix(options, [issue.get("url") for issue in issues if isinstance(issue, dict)])
    for index, issue in enumerate(issues):
        where = f"{source}: [{index}]"
        if not isinstance(issue, dict) or not isinstance(issue.get("title"), str):
            raise ExportError(f"{where}: an issue needs a number and a title")
        number = _number(issue.get("number"), where)
        url = issue.get("url")
        export.add_item(
            ImportedItem(
                id=f"{prefix}-{number}",
                title=issue["title"],
                status="done" if str(issue.get("state", "")).upper() == "CLOSED" else "todo",
                where=f"{where} (#{number})",
                url=url if isinstance(url, str) else None,
                krs=kr_refs(_labels(issue.get("labels")), options.kr_label_prefix),
            )
        )
    return export


def read_project(items: list, source: str, options: ImportOptions) -> Export:
    """Issues and pull requests of a project; draft issues have no number and are left out."""
    export = Export("GitHub project")
    contents = [item.get("content") if isinstance(item, dict) else None for item in items]
    prefix = _prefix(options, [content.get("url") for content in contents if isinstance(content, dict)])
    for index, (item, content) in enumerate(zip(items, contents, strict=True)):
        where = f"{source}: items[{index}]"
        if not isinstance(content, dict) or content.get("type") == "DraftIssue":
            continue
        if not isinstance(content.get("title"), str):
            raise ExportError(f"{where}: an item needs content.title")
        number = _number(content.get("number"), where)
        where = f"{where} (#{number})"
        iteration = _iteration(item, where)
        url = content.get("url")
        export.add_item(
            ImportedItem(
                id=f"{prefix}-{number}",
                title=content["title"],
                status=_project_status(item, content),
                where=where,
                estimate=estimate_of(_estimate(item, options), where),
                url=url if isinstance(url, str) else None,
                krs=kr_refs(_labels(item.get("labels")), options.kr_label_prefix),
                sprints=(export.add_sprint(iteration),) if iteration else (),
            )
        )
    return export


def _project_status(item: dict, content: dict) -> str:
    """The project's Status field (Done / In Progress / else todo); a closed issue is done whatever it says."""
    if str(content.get("state", item.get("state", ""))).upper() == "CLOSED":
        return "done"
    return PROJECT_STATUS.get(str(item.get("status", "")).strip().lower(), "todo")


def _iteration(item: dict, where: str) -> ImportedSprint | None:
    """The iteration field: the value with a ``title``, a ``startDate`` and a ``duration`` in days."""
    for value in item.values():
        if isinstance(value, dict) and {"title", "startDate", "duration"} <= value.keys():
            start = day_of(value["startDate"], where)
            duration = value["duration"]
            if start is None or isinstance(duration, bool) or not isinstance(duration, int) or duration < 1:
                raise ExportError(f"{where}: the iteration {value['title']!r} needs a startDate and a duration")
            name = str(value["title"])
            return ImportedSprint(sprint_id(name), name, start, start + timedelta(days=duration - 1))
    return None


def _estimate(item: dict, options: ImportOptions) -> object:
    """``import.estimate_field`` (as named in the project, or as gh writes it), else a field named like points."""
    if options.estimate_field:
        wanted = normalised(options.estimate_field)
        return next((value for key, value in item.items() if normalised(key) == wanted), None)
    for key, value in item.items():
        if normalised(key) in ESTIMATE_NAMES and isinstance(value, int | float) and not isinstance(value, bool):
            return value
    return None
