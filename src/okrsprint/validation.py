"""Turn pydantic validation errors into messages a plan's author understands at once."""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from okrsprint.findings import MAX_ECHO, shorten
from okrsprint.loader import NUMBER_RANGE, OutOfRange, reads_as_number
from okrsprint.numbers import format_number

_PATTERN_HINTS = {
    "id": "ids are letters, digits, '.', '_' and '-', starting with a letter or digit",
    "items": "ids are letters, digits, '.', '_' and '-', starting with a letter or digit",
    "team": "a team is a slug of lowercase letters, digits and '-'",
    "company_team": "a team is a slug of lowercase letters, digits and '-'",
    "quarter": "a quarter is written YYYY-Qn with a year from 1900 to 2999, e.g. 2026-Q4",
    "krs": "a key-result reference is KR1 or team:KR1",
    "aligns_to": "write team:ID (an objective, or a key result), or a list of them, e.g. company:O2",
}

MAX_LIST_HINT = 60  # "did you mean [KR3]?" only for a short string

_TYPE_NAMES = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
               dict: "a mapping", type(None): "nothing (null)", date: "a date",
               datetime: "a date and time"}  # fmt: skip


def type_name(value: object) -> str:
    for kind, name in _TYPE_NAMES.items():
        if type(value) is kind:
            return name
    return type(value).__name__


def field_name(loc: tuple) -> str:
    """The last named field of a pydantic error location (list indexes skipped)."""
    for step in reversed(loc):
        if isinstance(step, str):
            return step
    return "document"


def describe_error(error: Mapping[str, Any], model: type[BaseModel] | None = None) -> str:
    """One sentence for one pydantic error, naming the field and what was expected."""
    kind = error["type"]
    loc = tuple(error["loc"])
    name = field_name(loc)
    value = error.get("input")
    if isinstance(value, OutOfRange):
        return f"'{name}': {range_error(value)}"
    if kind == "missing" and isinstance(loc[-1], int):
        return f"'{name}': too few values"
    if kind == "missing":
        return f"missing required field '{name}'"
    if kind == "extra_forbidden":
        return f"unknown field '{shorten(name, 60)[1:-1]}'" + _did_you_mean(name, _fields_at(model, loc[:-1]))
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(name, "the value does not have the expected form")
        return f"'{name}': bad value {shorten(value)}: {hint}"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "").replace("'", "")
        return f"'{name}' must be {expected}, not {shorten(value)}"
    if kind in ("float_type", "int_type", "float_parsing", "int_from_float"):
        wanted = "an integer" if kind.startswith("int") else "a number"
        hint = _number_text_hint(value)
        return f"'{name}': expected {wanted}, got {type_name(value)} {shorten(value)}{hint}"
    if kind == "string_type":
        hint = f' (quote it: "{value}")' if isinstance(value, int | float) and not isinstance(value, bool) else ""
        return f"'{name}': expected a string, got {type_name(value)}{hint}"
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        return f"'{name}': expected a date YYYY-MM-DD, got {shorten(value)}"
    if kind in ("list_type", "tuple_type"):
        hint = f": did you mean [{value}]?" if isinstance(value, str) and 0 < len(value) <= MAX_LIST_HINT else ""
        return f"'{name}': expected a list, got {type_name(value)}{hint}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"'{name}': expected a mapping, got {type_name(value)}"
    if kind == "finite_number":
        return f"'{name}': expected a finite number"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"'{name}': {error['msg'].lower()}, got {shorten(value)}" + _percent_hint(name, value)
    if kind == "too_long" and "max_length" in error.get("ctx", {}):  # pydantic's words name Python's types
        context = error["ctx"]
        return f"'{name}': expected at most {context['max_length']} values, got {context.get('actual_length', 'more')}"
    if kind.startswith("too_"):
        return f"'{name}': {error['msg']}"
    return f"'{name}': {error['msg'].removeprefix('Value error, ')}"


def range_error(written: str) -> str:
    """What is wrong with a number outside the range, shown as written (clipped)."""
    shown = written if len(written) <= MAX_ECHO else written[: MAX_ECHO - 1] + "…"
    return f"{shown} is out of range: {NUMBER_RANGE}"


def _number_text_hint(value: object) -> str:
    """For text Python reads as a finite number: unquote it (``"12"``), or write it so that YAML 1.1 does (``1e3``)."""
    if not isinstance(value, str) or isinstance(value, OutOfRange):
        return ""
    try:
        number = float(value)
    except ValueError:
        return ""
    if not math.isfinite(number):
        return ""
    if reads_as_number(value):
        return " (write numbers without quotes)"
    mantissa, exponent_mark, exponent = repr(number).partition("e")
    if exponent_mark and "." not in mantissa:
        mantissa += ".0"
    written = f"{mantissa}{exponent_mark}{exponent}"  # repr signs the exponent, as YAML 1.1 wants
    return f" (YAML reads it as text: write {written})" if reads_as_number(written) else ""


def _percent_hint(name: str, value: object) -> str:
    """``confidence: 60`` was meant as a percentage: say 0.6."""
    if name != "confidence" or isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    if not (1 < value <= 100 and value == int(value)):
        return ""
    return f"; confidence is 0..1: did you mean {format_number(value / 100)}?"


def _fields_at(model: type[BaseModel] | None, loc: tuple) -> list[str]:
    """The allowed field names of the (nested) model that ``loc`` points into."""
    current = model
    for step in loc:
        if current is None or isinstance(step, int):
            continue
        field = next((field for name, field in current.model_fields.items() if (field.alias or name) == step), None)
        current = _model_of(field.annotation) if field else None
    return [field.alias or name for name, field in current.model_fields.items()] if current else []  # as written


def _model_of(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _model_of(argument)
        if found:
            return found
    return None


def _did_you_mean(name: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    if close:
        return f": did you mean '{close[0]}'?"
    return f" (allowed: {', '.join(candidates)})" if candidates else ""
