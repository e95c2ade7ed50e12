"""Which format an export is, told by its content alone, and the reader for it."""

from __future__ import annotations

import json

from okrsprint.importers import github, jira, plain_csv
from okrsprint.importers.records import Export, ExportError, ImportOptions, read_table

BOM = "\ufeff"
FORMATS_KNOWN = (
    'a Jira CSV export (Issue key, Summary), Jira\'s REST search JSON ({"issues": [...]}), '
    "gh issue list --json number,title,labels,state,url, gh project item-list --format json, "
    "or a CSV with id,title"
)


def read_export(data: bytes, source: str, options: ImportOptions) -> Export:
    """The export's issues and sprints; an ExportError naming what is wrong or missing."""
    try:
        text = data.decode("utf-8").removeprefix(BOM)
    except UnicodeDecodeError as error:
        raise ExportError(f"{source}: not UTF-8 (byte {error.start + 1}); export it as UTF-8") from None
    if not text.strip():
        raise ExportError(f"{source} is empty: expected {FORMATS_KNOWN}")
    if text.lstrip()[0] in "[{":
        return _read_json(text, source, options)
    return _read_csv(text, source, options)


def _read_json(text: str, source: str, options: ImportOptions) -> Export:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise ExportError(f"{source}:{error.lineno}:{error.colno}: malformed JSON: {error.msg}") from None
    except RecursionError:
        raise ExportError(f"{source}: the JSON nests too deep") from None
    if isinstance(value, dict) and "issues" in value:
        return jira.read_json([value], source, options)
    if isinstance(value, list) and value and all(isinstance(page, dict) and "issues" in page for page in value):
        return jira.read_json(value, source, options)
    if isinstance(value, dict) and isinstance(value.get("items"), list):
        return github.read_project(value["items"], source, options)
    if isinstance(value, list) and all(isinstance(issue, dict) and "number" in issue for issue in value):
        return github.read_issues(value, source, options)
    raise ExportError(f"{source}: JSON of an unknown shape; expected {FORMATS_KNOWN}")


def _read_csv(text: str, source: str, options: ImportOptions) -> Export:
    table = read_table(text, source)
    titles = {title.lower() for title in table.header}
    if "issue key" in titles or "summary" in titles:
        return jira.read_csv(table, options)
    if "id" in titles or "title" in titles:
        return plain_csv.read(table)
    shown = ", ".join(table.header[:6]) + (", …" if len(table.header) > 6 else "")
    raise ExportError(f"{source}: unknown format (header: {shown}); expected {FORMATS_KNOWN}")
