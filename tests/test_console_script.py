"""The console script: `--version` before typer, how the process starts (closed streams, pydantic plugins) and how
it ends (without freeing the plan, its output flushed, every write error said as for a command's own)."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from pydantic import BaseModel

from okrsprint import __version__
from tests.helpers import EXAMPLES, ROOT

SCRIPT = Path(sys.executable).with_name("okrsprint")


def test_the_console_script_answers_version_without_importing_the_command_line():
    """`okrsprint --version` must cost about a bare interpreter: typer and click are not imported for it."""
    probe = (
        "import sys\n"
        "sys.argv = ['okrsprint', '--version']\n"
        "from okrsprint.__main__ import main\n"
        "main()\n"
        "print(sorted(name for name in ('typer', 'click', 'okrsprint.cli') if name in sys.modules), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.stdout == f"okrsprint {__version__}\n"
    assert result.stderr.strip().splitlines()[-1] == "[]"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"]["okrsprint"] == "okrsprint.__main__:main"


@pytest.mark.parametrize(("preset", "seen"), [(None, "__all__"), ("logfire", "logfire")])
def test_the_console_script_builds_models_without_pydantic_plugins_unless_the_user_chose(preset, seen, tmp_path):
    """Finding pydantic plugins reads every installed package's metadata; okrsprint's own models need none."""
    probe = (
        "import os, sys\n"
        "sys.argv = ['okrsprint', 'rules', 'S001']\n"
        "from okrsprint import __main__ as entry\n"
        "entry.exit_now = sys.exit  # the real one ends the process before the probe could print\n"
        "try:\n    entry.main()\nexcept SystemExit:\n    pass\n"
        "print(os.environ.get('PYDANTIC_DISABLE_PLUGINS'), file=sys.stderr)\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "PYDANTIC_DISABLE_PLUGINS"}
    if preset is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = preset
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env=env)
    assert result.stderr.strip().splitlines()[-1] == seen


def test_no_model_default_is_a_builtin_whose_signature_costs_a_tokenizer_at_start_up():
    """pydantic reads a default factory's signature; a builtin's (``list``) is parsed by tokenize (~20 ms)."""
    from okrsprint import config, model

    classes = [*vars(model).values(), *vars(config).values()]
    factories = [
        (cls.__name__, name, field.default_factory)
        for cls in classes
        if isinstance(cls, type) and issubclass(cls, BaseModel)
        for name, field in cls.model_fields.items()
        if field.default_factory is not None
    ]
    assert factories, "the models have default factories: the test must look at them"
    assert [entry for entry in factories if inspect.isbuiltin(entry[2]) or entry[2] in (list, dict, set)] == []


def test_the_console_script_ends_without_freeing_what_it_loaded_but_with_its_output_flushed():
    """Freeing a large plan object by object at exit costs ~8 % of a check: the process ends at once."""
    probe = (
        "import sys\n"
        "from okrsprint.__main__ import exit_now\n"
        "class Loaded:\n"
        "    def __del__(self):\n"
        "        print('freed', file=sys.stderr)\n"
        "kept = Loaded()\n"
        "print('the output', end='')\n"
        "exit_now(3)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (3, "the output", "")


@pytest.mark.parametrize(("code", "returncode", "stderr"), [(None, 0, ""), ("a message", 1, "a message\n")])
def test_the_console_script_exits_as_sys_exit_would(code, returncode, stderr):
    probe = f"from okrsprint.__main__ import exit_now\nexit_now({code!r})\n"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (returncode, stderr)


@pytest.mark.parametrize("command", [["check"], ["report", "--today", "2026-11-23"]])
def test_a_reader_that_stops_reading_ends_the_command_quietly_with_exit_1(command, tmp_path):
    """`okrsprint report | head`: no traceback, no "Exception ignored" when the pipe is gone."""
    reading, writing = os.pipe()
    os.close(reading)
    try:
        result = subprocess.run(
            [str(SCRIPT), *command, str(EXAMPLES / "checkout")], stdout=writing, stderr=subprocess.PIPE, timeout=60
        )
    finally:
        os.close(writing)
    assert (result.returncode, result.stderr) == (1, b"")


@pytest.mark.parametrize("closed", [1, 2])
def test_a_closed_standard_stream_is_written_nowhere_and_the_command_still_runs(closed):
    """`okrsprint check >&-`: Python starts with that stream missing; the command runs all the same, no traceback."""
    result = subprocess.run(
        [str(SCRIPT), "check", str(EXAMPLES / "checkout"), "--today", "2026-11-23"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.close(closed),
    )
    expected = ("", "") if closed == 1 else ("All checks passed (3 files, 3 plan documents).\n", "")
    assert (result.returncode, result.stdout, result.stderr) == (0, *expected)


FULL = Path("/dev/full")  # Linux: every write fails with "No space left on device"


@pytest.mark.skipif(not FULL.exists(), reason="no /dev/full on this system")
def test_a_full_disk_is_an_error_to_fix_not_an_internal_error():
    with FULL.open("w") as full:
        result = subprocess.run(
            [str(SCRIPT), "check", str(EXAMPLES / "checkout"), "--today", "2026-11-23"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert (result.returncode, result.stderr) == (
        2,
        "okrsprint: error: the output could not be written: No space left on device\n",
    )


@pytest.mark.skipif(not FULL.exists(), reason="no /dev/full on this system")
def test_output_still_buffered_at_exit_that_cannot_be_written_exits_2():
    probe = "from okrsprint.__main__ import exit_now\nprint('the output')\nexit_now(0)\n"
    buffered = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    with FULL.open("w") as full:
        result = subprocess.run(
            [sys.executable, "-c", probe], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60, env=buffered
        )
    assert (result.returncode, result.stderr) == (
        2,
        "okrsprint: error: the output could not be written: No space left on device\n",
    )
