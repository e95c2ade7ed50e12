"""``okrsprint schema``: the examples validate with the real check-jsonschema tool; broken documents do not."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from okrsprint.cli import app
from okrsprint.commands.init import init_repo
from okrsprint.commands.schema import KINDS, schema_for
from tests.helpers import EXAMPLES, needs

CHECK_JSONSCHEMA = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or shutil.which(
    "check-jsonschema"
)
needs_tool = pytest.mark.skipif(
    CHECK_JSONSCHEMA is None, reason="check-jsonschema is not installed (pip install -e '.[test]')"
)
DOCUMENT_START = re.compile(r"(?m)^---[ \t]*$")


def schema_file(tmp_path: Path, kind: str) -> Path:
    """The schema as the README tells users to produce it: ``okrsprint schema --kind KIND > file``."""
    result = CliRunner().invoke(app, ["schema", "--kind", kind])
    assert result.exit_code == 0, result.output
    path = tmp_path / f"{kind}.schema.json"
    path.write_text(result.stdout, encoding="utf-8")
    return path


def validate(schema: Path, *documents: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHECK_JSONSCHEMA, "--schemafile", str(schema), *map(str, documents)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def plan_documents(folder: Path, into: Path) -> dict[str, list[Path]]:
    """Every plan document of the folder as a file of its own (check-jsonschema reads one document a file), by kind."""
    by_kind: dict[str, list[Path]] = {}
    for path in sorted(folder.rglob("*.y*ml")):
        if path.name == "okrsprint.yaml" or any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        for index, text in enumerate(DOCUMENT_START.split(path.read_text(encoding="utf-8"))):
            data = yaml.safe_load(text)
            if isinstance(data, dict) and data.get("kind") in ("okrs", "backlog", "sprints"):
                target = into / f"{path.stem}-{path.parent.name}-{index}.yaml"
                target.write_text(text, encoding="utf-8")
                by_kind.setdefault(data["kind"], []).append(target)
    return by_kind


@pytest.mark.parametrize("kind", KINDS)
def test_every_schema_is_a_valid_draft_2020_12_schema(kind):
    schema = schema_for(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "$id" not in schema and schema["title"]
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schemas_carry_descriptions_for_completion():
    okrs = schema_for("okrs")
    key_result = okrs["$defs"]["KeyResult"]
    assert key_result["description"] and key_result["properties"]["baseline"]["description"]
    assert key_result["additionalProperties"] is False
    assert schema_for("config")["$defs"]["Settings"]["properties"]["min_linked_sprint_ratio"]["default"] == "4/6"


@needs_tool
@pytest.mark.parametrize("example", ["checkout", "multi-team"])
def test_examples_validate_with_check_jsonschema(example, tmp_path):
    documents = plan_documents(EXAMPLES / example, tmp_path)
    assert set(documents) == {"okrs", "backlog", "sprints"}
    every = [path for paths in documents.values() for path in paths]
    completed = validate(schema_file(tmp_path, "plan"), *every)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    for kind, paths in documents.items():
        completed = validate(schema_file(tmp_path, kind), *paths)
        assert completed.returncode == 0, completed.stdout + completed.stderr
    completed = validate(schema_file(tmp_path, "config"), EXAMPLES / example / "okrsprint.yaml")
    assert completed.returncode == 0, completed.stdout + completed.stderr


@needs_tool
def test_init_output_validates_with_check_jsonschema(tmp_path):
    init_repo(tmp_path / "repo", date(2026, 11, 23))
    documents = [path for paths in plan_documents(tmp_path / "repo", tmp_path).values() for path in paths]
    assert len(documents) == 3
    assert validate(schema_file(tmp_path, "plan"), *documents).returncode == 0
    assert validate(schema_file(tmp_path, "config"), tmp_path / "repo" / "okrsprint.yaml").returncode == 0


BROKEN_DOCUMENTS = {
    "quoted-number": ("okrs", "baseline: 12", 'baseline: "12"'),
    "unknown-field": ("okrs", "owner: maria", "owner: maria\n    ownr: maria"),
    "bad-quarter": ("okrs", "quarter: 2026-Q4", "quarter: 2026-Q5"),
    "bad-status": ("backlog", "status: done", "status: finished"),
    "bad-date": ("sprints", "start: 2026-10-05", "start: 2026-13-05"),
}


@needs_tool
@pytest.mark.parametrize("case", sorted(BROKEN_DOCUMENTS))
def test_a_broken_document_fails_check_jsonschema(case, tmp_path):
    kind, good, bad = BROKEN_DOCUMENTS[case]
    source = (EXAMPLES / "checkout" / kind / "2026-Q4.yaml").read_text(encoding="utf-8")
    assert good in source
    broken = tmp_path / "broken.yaml"
    broken.write_text(source.replace(good, bad, 1), encoding="utf-8")
    completed = validate(schema_file(tmp_path, "plan"), broken)
    assert completed.returncode == 1
    assert "Schema validation errors" in completed.stdout and "broken.yaml::$." in completed.stdout


@needs_tool
def test_a_broken_config_fails_check_jsonschema(tmp_path):
    config = tmp_path / "okrsprint.yaml"
    config.write_text("settings:\n  max_objectivs: 3\n", encoding="utf-8")
    assert validate(schema_file(tmp_path, "config"), config).returncode == 1


def test_plan_schema_picks_the_model_by_kind():
    validator = jsonschema.Draft202012Validator(schema_for("plan"))
    sprints = {"kind": "sprints", "team": "t", "quarter": "2026-Q4", "sprints": []}
    assert list(validator.iter_errors(sprints)) == []
    assert list(validator.iter_errors({**sprints, "kind": "backlog"}))  # a backlog needs items, not sprints
    assert list(validator.iter_errors({**sprints, "kind": "sprint"}))


def test_schema_command_prints_json_and_rejects_unknown_kinds():
    runner = CliRunner()
    assert json.loads(runner.invoke(app, ["schema"]).stdout)["title"] == "okrsprint plan document"
    assert runner.invoke(app, ["schema", "--kind", "roadmap"]).exit_code == 2


# -- ajv strict mode: SPEC §3 "it compiles in ajv's strict mode (no custom formats)" ----------------------

AJV_FORMATS = {
    "date", "time", "date-time", "iso-time", "iso-date-time", "duration", "uri", "uri-reference", "uri-template",
    "url", "email", "hostname", "ipv4", "ipv6", "regex", "uuid", "json-pointer", "json-pointer-uri-fragment",
    "relative-json-pointer", "byte", "int32", "int64", "float", "double", "password", "binary",
}  # fmt: skip
"""The formats ajv-formats defines; ajv's strict mode refuses any other."""
VOCABULARY = {
    # core
    "$schema", "$id", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary", "$comment", "$defs",
    # applicator and unevaluated
    "prefixItems", "items", "contains", "additionalProperties", "properties", "patternProperties",
    "dependentSchemas", "propertyNames", "if", "then", "else", "allOf", "anyOf", "oneOf", "not",
    "unevaluatedItems", "unevaluatedProperties",
    # validation
    "type", "const", "enum", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
    "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains",
    "maxProperties", "minProperties", "required", "dependentRequired",
    # meta-data, format annotation, content
    "title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples", "format",
    "contentEncoding", "contentMediaType", "contentSchema",
}  # fmt: skip
"""Every keyword of JSON Schema draft 2020-12; ajv's strict mode refuses unknown ones."""
SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
SCHEMA_VALUES = ("items", "additionalProperties", "contains", "propertyNames", "if", "then", "else", "not",
                 "unevaluatedItems", "unevaluatedProperties", "contentSchema")  # fmt: skip
SCHEMA_LISTS = ("prefixItems", "allOf", "anyOf", "oneOf")


def subschemas(schema: object, where: str = "#"):
    """Every (sub)schema with its JSON pointer, by the keywords that hold schemas (not inside const, default…)."""
    if not isinstance(schema, dict):
        return
    yield where, schema
    for keyword in SCHEMA_MAPS:
        for name, value in schema.get(keyword, {}).items():
            yield from subschemas(value, f"{where}/{keyword}/{name}")
    for keyword in SCHEMA_VALUES:
        if keyword in schema:
            yield from subschemas(schema[keyword], f"{where}/{keyword}")
    for keyword in SCHEMA_LISTS:
        for index, value in enumerate(schema.get(keyword, [])):
            yield from subschemas(value, f"{where}/{keyword}/{index}")


@pytest.mark.parametrize("kind", KINDS)
def test_schemas_use_only_standard_keywords_and_formats(kind):
    found = list(subschemas(schema_for(kind)))
    assert len(found) > 10
    unknown = {f"{where}: {key}" for where, schema in found for key in schema if key not in VOCABULARY}
    assert unknown == set()
    formats = {f"{where}: {schema['format']}" for where, schema in found if "format" in schema}
    assert {line for line in formats if line.rsplit(": ", 1)[1] not in AJV_FORMATS} == set()


def test_the_keyword_walk_sees_custom_formats_and_keywords():
    schema = {"$defs": {"A": {"anyOf": [{"type": "string", "format": "fraction"}], "x-custom": 1}}}
    assert [key for _, sub in subschemas(schema) for key in sub if key not in VOCABULARY] == ["x-custom"]
    assert [sub["format"] for _, sub in subschemas(schema) if "format" in sub] == ["fraction"]


def test_config_ratio_is_a_number_or_a_written_ratio():
    validator = jsonschema.Draft202012Validator(schema_for("config"))
    for good in (0.5, 1, "4/6", " 2 / 3 "):
        assert list(validator.iter_errors({"settings": {"min_linked_sprint_ratio": good}})) == [], good
    for bad in ("4:6", "two thirds", "4/", True):
        assert list(validator.iter_errors({"settings": {"min_linked_sprint_ratio": bad}})), bad


AJV = """
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;
const ajv = new Ajv2020({strict: true});
addFormats(ajv);
for (const file of process.argv.slice(1)) ajv.compile(JSON.parse(require("fs").readFileSync(file, "utf8")));
"""


def _ajv_installed() -> bool:
    if shutil.which("node") is None:
        return False
    probe = 'require.resolve("ajv/dist/2020"); require.resolve("ajv-formats")'
    return subprocess.run(["node", "-e", probe], capture_output=True, timeout=60).returncode == 0


@needs(_ajv_installed(), "node with ajv and ajv-formats (NODE_PATH) is not available")
def test_every_schema_compiles_with_ajv_in_strict_mode(tmp_path):
    """The real thing: `.ci/run` installs ajv and sets NODE_PATH; elsewhere it runs when the machine has it."""
    files = [str(schema_file(tmp_path, kind)) for kind in KINDS]
    completed = subprocess.run(["node", "-e", AJV, *files], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
