"""JSON Schema (draft 2020-12) for editors and check-jsonschema, generated from the pydantic models.

The models are the single source of truth: the schema an editor completes from
is the one ``okrsprint check`` validates with (S002). The default, ``plan``,
covers every plan document kind and picks the right one by ``kind``, so one
modeline serves every plan file.
"""

from __future__ import annotations

import json
import sys
from fractions import Fraction

from pydantic.json_schema import GenerateJsonSchema

from okrsprint.config import Config
from okrsprint.model import DOCUMENT_MODELS

DIALECT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("plan", *DOCUMENT_MODELS, "config")


class _Generator(GenerateJsonSchema):
    """Pydantic's generator, with the config's ratios shown as written (``"4/6"``)."""

    def encode_default(self, dft: object) -> object:
        if isinstance(dft, Fraction):
            return str(dft)
        return super().encode_default(dft)


def schema_for(kind: str = "plan") -> dict:
    """The schema of one document kind, of the config, or (``plan``) of any plan document."""
    if kind == "config":
        return _with_dialect(Config.model_json_schema(schema_generator=_Generator), "okrsprint.yaml")
    if kind in DOCUMENT_MODELS:
        return _with_dialect(DOCUMENT_MODELS[kind].model_json_schema(schema_generator=_Generator), f"kind: {kind}")
    if kind == "plan":
        return _plan_schema()
    raise KeyError(f"unknown schema kind {kind!r}: choose one of {', '.join(KINDS)}")


def schema(kind: str) -> None:
    sys.stdout.write(json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n")


def _with_dialect(schema: dict, title: str) -> dict:
    schema["title"] = f"okrsprint {title}"
    return {"$schema": DIALECT, **schema}


def _plan_schema() -> dict:
    """One schema for all plan documents: ``kind`` selects the model (if/then gives editors precise errors)."""
    definitions: dict = {}
    branches = []
    for kind, model in DOCUMENT_MODELS.items():
        schema = model.model_json_schema(schema_generator=_Generator, ref_template="#/$defs/{model}")
        definitions.update(schema.pop("$defs", {}))
        definitions[model.__name__] = schema
        branches.append(
            {
                "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                "then": {"$ref": f"#/$defs/{model.__name__}"},
            }
        )
    return {
        "$schema": DIALECT,
        "title": "okrsprint plan document",
        "description": "A plan document of okrsprint: kind okrs, backlog or sprints.",
        "type": "object",
        "required": ["kind"],
        "properties": {
            "kind": {"enum": list(DOCUMENT_MODELS), "description": "okrs, backlog or sprints.", "title": "Kind"}
        },
        "allOf": branches,
        "$defs": definitions,
    }
