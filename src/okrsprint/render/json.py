"""The JSON document of SPEC §3: version, root, findings (sorted), summary."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from fractions import Fraction

from okrsprint.engine import CheckResult
from okrsprint.views.diff import DiffResult


def check(result: CheckResult, *, quiet: bool = False) -> str:
    document = {
        "version": 1,
        "root": str(result.root),
        "findings": [finding.as_dict() for finding in result.findings],
        "summary": result.summary(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# -- reports: report, backlog, review --------------------------------------------------------------


def jsonable(value: object) -> object:
    if dataclasses.is_dataclass(value):
        return {field.name: jsonable(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def view(view: object) -> str:
    document = {"version": 1, "view": view.kind, **jsonable(view)}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


report = backlog = review = view

# -- diff ------------------------------------------------------------------------------------------


def diff(result: DiffResult) -> str:
    def side(revision) -> dict:
        return {"label": revision.label, "commit": revision.commit}

    document = {
        "version": 1,
        "repository": str(result.repository),
        "root": result.root,
        "base": side(result.base),
        "head": side(result.head),
        "today": result.today.isoformat(),
        "changes": [change.as_dict() for change in result.changes],
        "findings": [finding.as_dict() for finding in result.findings],
        "check": {
            "introduced": [finding.as_dict() for finding in result.introduced],
            "fixed": [finding.as_dict() for finding in result.fixed],
        },
        "summary": result.summary(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
