"""JSON of any report view: every field of its dataclasses, exact fractions as floats, dates as ISO text."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from fractions import Fraction


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


def render(view: object) -> str:
    document = {"version": 1, "view": view.kind, **jsonable(view)}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
