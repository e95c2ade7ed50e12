"""The command line reads like ruff's: flags without types, choices on one line, an example per command, completion."""

from __future__ import annotations

import inspect
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import typer
from pydantic import BaseModel
from typer.testing import CliRunner

from okrsprint import __version__
from okrsprint.cli import app
from okrsprint.render import FORMATS
from tests.helpers import EXAMPLES, ROOT

SCRIPT = Path(sys.executable).with_name("okrsprint")
GROUP = typer.main.get_command(app)
COMMANDS = sorted(GROUP.commands)  # type: ignore[attr-defined]


def help_of(*command: str) -> str:
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_every_command_is_covered():
    assert {"check", "report", "backlog", "review", "checkin", "diff", "init", "schema", "rules"} <= set(COMMANDS)


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_flags_show_no_type_and_every_option_value_has_a_name(command):
    text = help_of(*command.split())
    options = text.split("\nOptions:\n")[1].split("\n\n")[0]
    assert "<bool>" not in text and not re.search(r"<(str|path|list\[str\])>", options), options
    assert re.search(r"^  -h, --help +Show this message and exit\.$", options, re.M)


def test_check_help_names_each_value_and_shows_flags_bare():
    text = help_of("check")
    assert usage_names(text) == "okrsprint check OPTIONS PATH"
    for option in ("--output-file FILE", "--today DATE", "--select CODES", "--ignore CODES", "--config FILE"):
        assert re.search(rf"^  {option} ", text, re.M), option
    for flag in ("--strict", "--exit-zero", "-q, --quiet"):
        assert re.search(rf"^  {flag} +\S", text, re.M), flag


@pytest.mark.parametrize(
    ("command", "argument"),
    [("check", "[PATH]..."), ("report", "[PATH]"), ("init", "[DIR]"), ("rules", "[CODE]"), ("checkin", "{REF} [PATH]"),
     ("diff", "[BASE] [PATH]")],
)  # fmt: skip
def test_usage_names_arguments_in_capitals(command, argument):
    """The usage line names each argument in capitals (typer versions differ in how they bracket them)."""
    assert usage_names(help_of(command)) == usage_names(f"Usage: okrsprint {command} [OPTIONS] {argument}\n")


def usage_names(text: str) -> str:
    """The words of the usage line without typer's brackets, braces and ellipses."""
    line = text.split("\n", 1)[0].removeprefix("Usage: ")
    return " ".join(re.sub(r"[\[\]{}]|\.\.\.", "", line).split())


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_format_choices_stay_on_one_line_at_80_columns(kind):
    choices = "|".join(FORMATS[kind])
    assert re.search(rf"^  --format \[{re.escape(choices)}\]( |$)", help_of(kind), re.M)


@pytest.mark.parametrize(
    ("command", "option", "choices"),
    [("rules", "--format", "text|markdown"), ("schema", "--kind", "plan|okrs|backlog|sprints|config")],
)
def test_other_choices_stay_on_one_line(command, option, choices):
    assert re.search(rf"^  {option} \[{re.escape(choices)}\]", help_of(command), re.M)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_shows_an_example_that_parses(command):
    examples = re.findall(rf"^ +Example: (okrsprint {command}\b.*)$", help_of(command), re.M)
    assert examples, f"no 'Example: okrsprint {command} ...' line"
    for example in examples:
        words = shlex.split(example)
        arguments = words[2 : words.index(">")] if ">" in words else words[2:]
        with GROUP.commands[command].make_context(command, arguments) as context:  # type: ignore[attr-defined]
            assert context.params  # parsed: every option exists and every choice is valid


def test_main_help_offers_completion_and_lists_commands_with_examples():
    text = help_of()
    assert re.search(r"^  --install-completion +Install completion", text, re.M)
    assert re.search(r"^  --show-completion +Show completion", text, re.M)
    assert re.search(r"^  --version +Show the version and exit\.$", text, re.M)
    assert "Example: okrsprint init plans" in text


def run_script(*arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([str(SCRIPT), *arguments], env=environment, capture_output=True, text=True, timeout=60)


def complete(words: str) -> list[str]:
    """What bash completion offers for the last of ``words`` (typer's protocol)."""
    line = words.split(" ")
    env = {"_OKRSPRINT_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(line) - 1)}
    result = run_script(env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_completion_completes_commands_options_and_choices():
    assert complete("okrsprint che") == ["check", "checkin"]
    assert complete("okrsprint check --str") == ["--strict"]
    assert complete("okrsprint check --format s") == ["sarif"]
    assert complete("okrsprint report --format ") == list(FORMATS["report"])


def test_show_completion_prints_the_script_for_a_shell():
    result = run_script("--show-completion", "bash")
    assert result.returncode == 0, result.stderr
    assert "_OKRSPRINT_COMPLETE=complete_bash" in result.stdout and "complete -o default -F" in result.stdout


def test_version_is_the_one_in_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert __version__ == project["version"]
    assert run_script("--version").stdout == f"okrsprint {__version__}\n"


HEAVY = ("yaml", "ruamel", "jinja2", "okrsprint.engine", "okrsprint.config", "okrsprint.commands")


@pytest.mark.parametrize("arguments", [["--version"], ["--help"], ["check", "--help"], ["init", "--help"]], ids=str)
def test_version_and_help_load_none_of_okrsprints_heavy_modules(arguments):
    probe = (
        "import sys\n"
        f"sys.argv = ['okrsprint', *{arguments!r}]\n"
        "from okrsprint import cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        f"print([name for name in {HEAVY!r} if name in sys.modules], file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.stderr.strip().splitlines()[-1] == "[]"


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
