"""Property-based tests: whatever a plan file, the config or the command line holds, okrsprint answers, never crashes.

Plan files: random mutations of the shipped examples (deleted, swapped and
duplicated lines, values swapped for other types, truncation, random bytes)
always give exit code 0 or 1 and JSON output that parses. The config: every
broken config is a usage error located at ``okrsprint.yaml:line:col``. Options:
any value gives exit code 0, 1 or 2, never an exception.

The ``slow`` fuzz run reads its budget from ``OKRSPRINT_FUZZ_EXAMPLES`` (a small
default, so that a plain ``python -m pytest`` exercises it briefly); run it for
minutes with ``OKRSPRINT_FUZZ_EXAMPLES=5000 python -m pytest -m slow``.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from okrsprint.cache import ReadOptions, reading_with
from okrsprint.cli import app
from okrsprint.engine import CheckOptions, run_check
from okrsprint.errors import ConfigError
from okrsprint.render import FORMATS, render
from tests.helpers import EXAMPLES, TODAY, copy_plan


def fuzz(max_examples: int) -> settings:
    """Budget of a property test; file I/O makes timings vary, so no deadline."""
    return settings(max_examples=max_examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])


SLOW_BUDGET = int(os.environ.get("OKRSPRINT_FUZZ_EXAMPLES", "20"))

EXAMPLE_NAMES = ["checkout", "multi-team"]
PLAN_FILES = sorted(
    path.relative_to(EXAMPLES).as_posix() for path in EXAMPLES.rglob("*.yaml") if path.name != "okrsprint.yaml"
)
# What a value may turn into: other YAML types, broken syntax, hostile YAML and borderline values.
REPLACEMENTS = [
    "[]", "{}", "''", "null", "~", "0", "-1", "5", "1e400", "-.inf", ".nan", "true", "no", "'12'",
    "2026-02-30", "0001-01-01", "9999-12-31", "2026-10-14T10:00:00", "x: y", "[a, [b, {c: d}]]", "&a 1", "*a",
    "!!python/object/apply:os.system [true]", "!tag x", "<<", "=", "[[[[", "'", '"\\x', "- x", "\t", "? x",
    "KR1", "company:O1", "checkout:KR1", "S1", "CHK-101", "done", "okr", "sprints", "2026-Q4", "2026-Q5", "x" * 300,
]  # fmt: skip
EDITS = ["delete", "swap", "duplicate", "indent", "value", "truncate", "insert", "replace"]
VALUE = re.compile(rb"(:\s+|-\s+)([^\s#][^\n#]*)")


@st.composite
def mutated(draw: st.DrawFn, original: bytes, max_mutations: int = 4) -> bytes:
    """``original`` after one to ``max_mutations`` random line, value and byte edits."""
    text = original
    for _ in range(draw(st.integers(1, max_mutations))):
        lines = text.split(b"\n")
        line = draw(st.integers(0, max(len(lines) - 1, 0)))
        edit = draw(st.sampled_from(EDITS))
        if edit == "delete":
            del lines[line]
        elif edit == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[line], lines[other] = lines[other], lines[line]
        elif edit == "duplicate":
            lines.insert(line, lines[line])
        elif edit == "indent":
            lines[line] = b" " * draw(st.integers(1, 3)) + lines[line]
        elif edit == "value":
            match = VALUE.search(lines[line])
            if match:
                replacement = draw(st.sampled_from(REPLACEMENTS)).encode()
                lines[line] = lines[line][: match.start(2)] + replacement
        text = b"\n".join(lines)
        if edit == "truncate":
            text = text[: draw(st.integers(0, len(text)))]
        elif edit == "insert":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.binary(min_size=1, max_size=8)) + text[at:]
        elif edit == "replace" and text:
            at = draw(st.integers(0, len(text) - 1))
            text = text[:at] + draw(st.binary(min_size=1, max_size=4)) + text[at + 1 :]
    return text


@contextmanager
def example_copy(name: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory) / name
        copy_plan(EXAMPLES / name, root)
        yield root


def assert_checks_cleanly(root: Path) -> None:
    """Any exception from run_check is what ``okrsprint`` would print as an internal error (exit 2): a failure."""
    result = run_check(CheckOptions(path=root, today=TODAY))
    assert result.exit_code() in (0, 1)
    assert result.exit_code(strict=True) in (0, 1)
    document = json.loads(render("check", "json", result))
    assert document["summary"]["errors"] == sum(finding["severity"] == "error" for finding in document["findings"])
    for finding in document["findings"]:
        assert len(finding["message"]) < 500
        assert finding["line"] >= 1 and finding["column"] >= 1
    for name in FORMATS["check"]:
        render("check", name, result, quiet=False)


@fuzz(60)
@given(data=st.data(), relpath=st.sampled_from(PLAN_FILES))
def test_mutated_plan_files_never_crash(data, relpath):
    name = relpath.split("/")[0]
    with example_copy(name) as root:
        path = root / relpath.split("/", 1)[1]
        path.write_bytes(data.draw(mutated(path.read_bytes())))
        assert_checks_cleanly(root)


READING_WAYS = [
    ReadOptions(1, cache=False),
    ReadOptions(2, cache=True),
    ReadOptions(2, cache=True),
    ReadOptions(1, cache=True),
]


@fuzz(30)
@given(data=st.data(), name=st.sampled_from(EXAMPLE_NAMES))
def test_mutated_plans_read_the_same_with_and_without_cache_and_pool(data, name):
    """Without cache, then with two workers filling the cache, reading it back, and one process reading it:
    every way of reading a broken plan finds the same, at the same lines and columns."""
    with example_copy(name) as root:
        for path in sorted(root.rglob("*.yaml")):
            if path.name != "okrsprint.yaml" and data.draw(st.booleans()):
                path.write_bytes(data.draw(mutated(path.read_bytes())))
        found = []
        for options in READING_WAYS:
            with reading_with(options):
                found.append(run_check(CheckOptions(path=root, today=TODAY)).findings)
        assert all(findings == found[0] for findings in found[1:])


@pytest.mark.slow
@fuzz(SLOW_BUDGET)
@given(data=st.data(), name=st.sampled_from(EXAMPLE_NAMES))
def test_fuzz_every_file_of_an_example_at_once(data, name):
    """Several files of one example mutated together, with more edits each: cross-file references break too."""
    with example_copy(name) as root:
        for path in sorted(root.rglob("*.yaml")):
            if path.name != "okrsprint.yaml" and data.draw(st.booleans()):
                path.write_bytes(data.draw(mutated(path.read_bytes(), max_mutations=10)))
        assert_checks_cleanly(root)


# -- the config ---------------------------------------------------------------------------------------

FULL_CONFIG = b"""\
team: checkout
year_start_month: 1
company_team: company
exclude: ["archive/**", "*.draft.yaml"]
rules:
  ignore: [A204, key-result-is-a-task]
  severity: {A301: warning, A402: info}
settings:
  max_objectives: 3
  max_key_results: 8
  min_linked_sprint_ratio: 4/6
  okr_capacity: [0.60, 0.70]
  planning_reserve: 0.10
  checkin_interval_days: 14
  sprint_days: [5, 28]
  behind_tolerance: 0.25
  outcome_lag_days: 14
  activity_verbs: [implement, build, set up]
"""
CONFIGS = {"full": FULL_CONFIG, "multi-team": (EXAMPLES / "multi-team" / "okrsprint.yaml").read_bytes()}
LOCATED = re.compile(r"^okrsprint\.yaml:(\d+):(\d+): \S")


@fuzz(80)
@given(data=st.data(), config=st.sampled_from(sorted(CONFIGS)))
def test_mutated_config_is_checked_or_a_located_usage_error(data, config):
    text = data.draw(mutated(CONFIGS[config]))
    with example_copy("multi-team") as root:
        (root / "okrsprint.yaml").write_bytes(text)
        try:
            assert_checks_cleanly(root)
        except ConfigError as error:
            match = LOCATED.match(str(error))
            assert match, str(error)
            assert 1 <= int(match.group(1)) <= text.count(b"\n") + 2
            assert len(str(error)) < 500
        result = CliRunner().invoke(app, ["check", str(root), "--today", TODAY.isoformat(), "--format", "json"])
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code in (0, 1, 2)
        if result.exit_code == 2:
            assert LOCATED.match(result.stderr.removeprefix("okrsprint: error: ")), result.stderr
        else:
            json.loads(result.stdout)


# -- the command line ---------------------------------------------------------------------------------

# argv holds any character but NUL (the OS cannot pass it), and undecodable bytes arrive as U+DC80..U+DCFF
ARG_TEXT = st.text(
    st.one_of(st.characters(exclude_characters="\x00"), st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF)),
    max_size=30,
)
DAYS = st.one_of(st.dates().map(str), ARG_TEXT, st.sampled_from(["2026-02-30", "2026-1-1", "today", ""]))
CODES = st.one_of(ARG_TEXT, st.sampled_from(["A3", "ALL", "S001", "A301,A302", "a101", "okr-capacity-share", ",", " "]))


@st.composite
def check_arguments(draw: st.DrawFn, root: Path) -> list[str]:
    where = draw(
        st.sampled_from(["", ".", "okrsprint.yaml", "search", "search/okrs-2026-Q4.yaml", "missing", "company/.."])
    )
    args = ["check", str(root / where) if where else str(root)]
    options = {
        "--format": st.one_of(st.sampled_from([*FORMATS["check"], "JSON", "xml"]), ARG_TEXT),
        "--today": DAYS,
        "--select": CODES,
        "--ignore": CODES,
        "--config": st.one_of(
            st.sampled_from(["okrsprint.yaml", "company/2026-Q4.yaml", "company", "missing.yaml"]).map(
                lambda name: str(root / name)
            ),
            ARG_TEXT.filter(lambda text: "/" not in text and text not in ("", ".", "..")).map(
                lambda name: str(root / name)
            ),
        ),
    }
    for option in draw(st.lists(st.sampled_from([*options, "--strict", "--exit-zero", "--quiet", "-q", "--bogus"]))):
        args.append(option)
        if option in options:
            args.append(draw(options[option]))
    return args


@fuzz(80)
@given(data=st.data())
def test_any_command_line_exits_0_1_or_2_without_an_exception(data):
    with example_copy("multi-team") as root:
        args = data.draw(check_arguments(root))
        result = CliRunner().invoke(app, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code in (0, 1, 2)
        if result.exit_code == 2:
            assert result.stderr.strip(), "a usage error says what is wrong"


@fuzz(30)
@given(arguments=st.lists(ARG_TEXT, max_size=4))
def test_rules_command_with_any_arguments(arguments):
    result = CliRunner().invoke(app, ["rules", *arguments])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 2)
