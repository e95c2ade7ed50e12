"""The command line reads like ruff's: flags without types, choices on one line, an example per command, completion."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from okrsprint import __version__
from okrsprint.cli import app
from okrsprint.render import FORMATS
from tests.helpers import ROOT

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


HEAVY = ("yaml", "ruamel", "jinja2", "okrsprint.engine", "okrsprint.config", "okrsprint.commands.")
"""Modules, and packages whose modules (ending in "."), that help and the version never need."""


@pytest.mark.parametrize("arguments", [["--version"], ["--help"], ["check", "--help"], ["init", "--help"]], ids=str)
def test_version_and_help_load_none_of_okrsprints_heavy_modules(arguments):
    probe = (
        "import sys\n"
        f"sys.argv = ['okrsprint', *{arguments!r}]\n"
        "from okrsprint import cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(name for name in sys.modules if name.startswith({HEAVY!r})), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.stderr.strip().splitlines()[-1] == "[]"
