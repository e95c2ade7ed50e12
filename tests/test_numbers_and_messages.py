"""Numbers out of range, odd --config files, over-long paths: a precise message and exit code, never Python's text."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from okrsprint.cli import app
from okrsprint.loader import Problem, ProblemError, read_text
from tests.helpers import check, located

RANGE = "is out of range: numbers must lie within ±1e300 and be 0 or at least 1e-300 in size"
HUGE = "9" * 5000
PYTHON_TEXT = ("Fraction", "set_int_max_str_digits", "4300", "Errno", "Traceback", "without quotes", "internal error")

OKRS = """\
kind: okrs
team: checkout
quarter: 2026-Q4
objectives:
  - id: O1
    title: Make onboarding effortless
    key_results:
      - id: KR1
        title: Onboarding conversion
        baseline: {baseline}
        target: 20
        checkins:
          - date: 2026-10-10
            value: {value}
"""
BACKLOG = """\
kind: backlog
team: checkout
quarter: 2026-Q4
items:
  - id: CHK-1
    title: Guided setup
    krs: [KR1]
    estimate: {estimate}
"""


def invoke(*args: object):
    return CliRunner().invoke(app, [str(arg) for arg in args])


def write_plan(root: Path, baseline: str = "12", value: str = "13", estimate: str = "3") -> Path:
    (root / "okrs.yaml").write_text(OKRS.format(baseline=baseline, value=value), encoding="utf-8")
    (root / "backlog.yaml").write_text(BACKLOG.format(estimate=estimate), encoding="utf-8")
    return root


def messages(result) -> list[tuple[str, str, int, int, str]]:
    return [(*where, finding.message) for where, finding in zip(located(result), result.findings, strict=True)]


def shown(text: str) -> str:
    return text if len(text) <= 80 else text[:79] + "…"


OUT_OF_RANGE = ["1e400", "-1e400", "1e-320", "1.0e+400", "1.0e-320", "-1.5e-400", HUGE, "-" + HUGE, "0x" + "f" * 300]


@pytest.mark.parametrize("number", OUT_OF_RANGE)
def test_plan_numbers_out_of_range_are_s002_with_the_range(tmp_path, number):
    write_plan(tmp_path, baseline=number, value=number, estimate=number)
    result = check(tmp_path, select=["S"])
    assert messages(result) == [
        ("S002", "backlog.yaml", 8, 5, f"'estimate': {shown(number)} {RANGE}"),
        ("S002", "okrs.yaml", 10, 9, f"'baseline': {shown(number)} {RANGE}"),
        ("S002", "okrs.yaml", 14, 13, f"'value': {shown(number)} {RANGE}"),
    ]


@pytest.mark.parametrize(
    ("number", "hint"),
    [
        ("1e300", " (YAML reads it as text: write 1.0e+300)"),
        ("-1e300", " (YAML reads it as text: write -1.0e+300)"),
        ("1e-300", " (YAML reads it as text: write 1.0e-300)"),
        ("1e3", " (YAML reads it as text: write 1000.0)"),
        ("0", None),
        ("0.0", None),
        ("1.0e+300", None),
        ("1.0e-300", None),
        ("9" * 300, None),
    ],
)
def test_plan_numbers_at_the_bounds_are_numbers(tmp_path, number, hint):
    """Both ends of the range pass; a dotless exponent inside it stays text (YAML 1.1), with a hint how to write it."""
    write_plan(tmp_path, baseline=number, value=number, estimate=number)
    found = messages(check(tmp_path, select=["S"]))
    if hint is None:
        assert found == []
    else:
        assert [message for *_, message in found] == [
            f"'estimate': expected a number, got a string '{number}'{hint}",
            f"'baseline': expected a number, got a string '{number}'{hint}",
            f"'value': expected a number, got a string '{number}'{hint}",
        ]


def test_quoted_number_out_of_range_gets_no_unquote_hint(tmp_path):
    write_plan(tmp_path, baseline='"1e-320"', value='"1.5"', estimate='"1.0e-320"')
    assert [message for *_, message in messages(check(tmp_path, select=["S"]))] == [
        "'estimate': expected a number, got a string '1.0e-320'",
        "'baseline': expected a number, got a string '1e-320'",
        "'value': expected a number, got a string '1.5' (write numbers without quotes)",
    ]


def test_out_of_range_text_in_a_text_field_stays_text(tmp_path):
    write_plan(tmp_path)
    text = (tmp_path / "okrs.yaml").read_text().replace("title: Make onboarding effortless", f"title: {HUGE}")
    (tmp_path / "okrs.yaml").write_text(text)
    assert messages(check(tmp_path, select=["S"])) == []


@pytest.mark.parametrize(
    ("setting", "number"),
    [
        ("planning_reserve", "1e400"),
        ("planning_reserve", "1.0e-320"),
        ("checkin_interval_days", HUGE),
        ("min_linked_sprint_ratio", "1.0e+400"),
        ("min_linked_sprint_ratio", "1e-320"),
    ],
)
def test_config_numbers_out_of_range_are_located_usage_errors(tmp_path, setting, number):
    write_plan(tmp_path)
    (tmp_path / "okrsprint.yaml").write_text(f"settings:\n  {setting}: {number}\n")
    outcome = invoke("check", tmp_path)
    assert outcome.exit_code == 2
    assert outcome.stderr == f"okrsprint: error: okrsprint.yaml:2:3: '{setting}': {shown(number)} {RANGE}\n"


@pytest.mark.parametrize("number", [".inf", ".nan"])
def test_config_ratio_that_is_not_finite_names_no_python_type(tmp_path, number):
    write_plan(tmp_path)
    (tmp_path / "okrsprint.yaml").write_text(f"settings:\n  min_linked_sprint_ratio: {number}\n")
    outcome = invoke("check", tmp_path)
    assert outcome.exit_code == 2
    assert (
        outcome.stderr == "okrsprint: error: okrsprint.yaml:2:3: 'min_linked_sprint_ratio': expected a finite number\n"
    )


@pytest.mark.parametrize("number", ["1e-400", "1e400", "nan", "inf", "-Infinity", HUGE, "1e-301", "1.000001e300"])
def test_checkin_value_out_of_range_is_refused(tmp_path, number):
    path = write_plan(tmp_path) / "okrs.yaml"
    before = path.read_bytes()
    outcome = invoke("checkin", "KR1", "--value", number, "--today", "2026-11-23", tmp_path)
    assert outcome.exit_code == 2
    assert outcome.stderr == f"okrsprint: error: --value: {shown(number)} {RANGE}\n"
    assert path.read_bytes() == before


@pytest.mark.parametrize("number", ["1e300", "1e-300", "0"])
def test_checkin_value_at_the_bounds_is_recorded(tmp_path, number):
    path = write_plan(tmp_path) / "okrs.yaml"
    outcome = invoke("checkin", "KR1", "--value", number, "--today", "2026-11-23", tmp_path)
    assert outcome.exit_code == 0, outcome.stderr
    assert check(tmp_path, select=["S"]).findings == []
    assert path.read_text() != OKRS.format(baseline="12", value="13")


def test_checkin_confidence_out_of_range_is_refused(tmp_path):
    outcome = invoke("checkin", "KR1", "--value", "1", "--confidence", "1e-400", "--today", "2026-11-23", tmp_path)
    assert outcome.exit_code == 2
    assert outcome.stderr == f"okrsprint: error: --confidence: 1e-400 {RANGE}\n"


def test_config_naming_a_folder(tmp_path):
    write_plan(tmp_path)
    (tmp_path / "conf").mkdir()
    outcome = invoke("check", tmp_path, "--config", tmp_path / "conf")
    assert outcome.exit_code == 2
    assert outcome.stderr == f"okrsprint: error: --config: {tmp_path / 'conf'} is a folder, not a config file\n"


def test_config_naming_a_fifo_is_not_opened(tmp_path):
    write_plan(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    outcome = invoke("check", tmp_path, "--config", fifo)  # opening it for reading would block forever
    assert outcome.exit_code == 2
    assert outcome.stderr == f"okrsprint: error: --config: {fifo} is a named pipe, not a config file\n"


def test_config_naming_a_device_is_not_read(tmp_path):
    write_plan(tmp_path)
    outcome = invoke("check", tmp_path, "--config", "/dev/zero")
    assert outcome.exit_code == 2
    assert outcome.stderr == "okrsprint: error: --config: /dev/zero is a device, not a config file\n"


def test_config_naming_nothing_still_says_not_found(tmp_path):
    outcome = invoke("check", write_plan(tmp_path), "--config", tmp_path / "nope.yaml")
    assert outcome.exit_code == 2
    assert outcome.stderr == f"okrsprint: error: config file not found: {tmp_path / 'nope.yaml'}\n"


LONG_PATHS = ["a" * 100_000, "/tmp/" + "b" * 300 + "/x", "c" * 300]


@pytest.mark.parametrize("command", [["check"], ["report"], ["checkin", "KR1", "--value", "3"], ["check", "--config"]])
@pytest.mark.parametrize("path", LONG_PATHS)
def test_over_long_path_is_a_clipped_usage_error(tmp_path, monkeypatch, command, path):
    monkeypatch.chdir(write_plan(tmp_path))
    arguments = [*command, path] if command[-1] != "--config" else [*command, path, "."]
    outcome = invoke(*arguments)
    assert outcome.exit_code == 2
    assert outcome.stderr.startswith(f"okrsprint: error: {path[:40]}")
    assert outcome.stderr.endswith(": path too long: a name in it, or the whole path, is over the system's limit\n")
    assert " … " in outcome.stderr and len(outcome.stderr) < 300
    assert not any(text in outcome.stderr for text in PYTHON_TEXT)


@pytest.mark.parametrize(
    ("written", "shown_as"),
    [("2026-02-30", "2026-02-30"), ('"2026-13-01"', "2026-13-01"), ("'2026-00-10'", "2026-00-10")],
)
def test_impossible_dates_name_no_python_text(tmp_path, written, shown_as):
    write_plan(tmp_path)
    path = tmp_path / "okrs.yaml"
    path.write_text(path.read_text().replace("date: 2026-10-10", f"date: {written}"))
    assert messages(check(tmp_path, select=["S"])) == [
        ("S002", "okrs.yaml", 13, 13, f"'date': expected a real date YYYY-MM-DD, got '{shown_as}'")
    ]


@pytest.mark.parametrize("ratio", [f"{HUGE}/1", f"1/{HUGE}"])
def test_config_ratio_with_too_many_digits_is_out_of_range(tmp_path, ratio):
    write_plan(tmp_path)
    (tmp_path / "okrsprint.yaml").write_text(f'settings:\n  min_linked_sprint_ratio: "{ratio}"\n')
    outcome = invoke("check", tmp_path)
    assert outcome.exit_code == 2
    assert (
        outcome.stderr == f"okrsprint: error: okrsprint.yaml:2:3: 'min_linked_sprint_ratio': {shown(ratio)} {RANGE}\n"
    )


def test_config_ratio_at_the_digit_limit_is_a_ratio(tmp_path):
    """Numerator and denominator may be as large as 1e300, like any number."""
    write_plan(tmp_path)
    (tmp_path / "okrsprint.yaml").write_text(f'settings:\n  min_linked_sprint_ratio: "{"9" * 300}/1{"0" * 300}"\n')
    assert invoke("check", tmp_path).exit_code == 0


def test_reading_a_named_pipe_never_waits_for_a_writer(tmp_path):
    """A config swapped for a pipe after --config was checked: reading refuses it instead of blocking forever."""
    fifo = tmp_path / "okrsprint.yaml"
    os.mkfifo(fifo)
    outcome: list[object] = []

    def read() -> None:
        try:
            outcome.append(read_text(fifo))
        except ProblemError as error:
            outcome.append(error.problem)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(5)
    if reader.is_alive():  # let the blocked reader go: a writer that closes at once ends its read
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(5)
    assert outcome == [Problem("S001", "a named pipe, not a file; not read", (1, 1))]


def test_reading_a_folder_or_a_device_says_what_it_is(tmp_path):
    for path, what in ((tmp_path, "a folder"), (Path("/dev/zero"), "a device")):
        with pytest.raises(ProblemError) as refused:
            read_text(path)
        assert refused.value.problem == Problem("S001", f"{what}, not a file; not read", (1, 1))


@pytest.mark.parametrize(
    ("band", "message"),
    [
        ("[0.1, 0.2, 0.3]", "2:3: 'okr_capacity': expected at most 2 values, got 3"),
        ("[0.1]", "2:17: 'okr_capacity': too few values"),
    ],
)
def test_a_pair_with_the_wrong_count_names_no_python_type(tmp_path, band, message):
    write_plan(tmp_path)
    (tmp_path / "okrsprint.yaml").write_text(f"settings:\n  okr_capacity: {band}\n")
    outcome = invoke("check", tmp_path)
    assert outcome.exit_code == 2
    assert outcome.stderr == f"okrsprint: error: okrsprint.yaml:{message}\n"
