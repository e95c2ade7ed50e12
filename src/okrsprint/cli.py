"""The command line: parses options and calls the library; nothing else lives here.

Heavy modules (pydantic, PyYAML, the rules) are imported inside the commands so
that ``--version`` and ``--help`` start as fast as typer itself.
"""

from __future__ import annotations

import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from okrsprint import __version__
from okrsprint.findings import clip

app = typer.Typer(
    name="okrsprint",
    help="Planning-as-code for Scrum teams under quarterly OKRs: check OKRs, backlog and sprints kept as YAML.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_USAGE = 2


def _version(value: bool) -> None:
    if value:
        print(f"okrsprint {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Planning-as-code for Scrum teams under quarterly OKRs."""


def fail(message: str) -> NoReturn:
    """A usage error: one line on stderr, exit code 2, never a traceback."""
    print(f"okrsprint: error: {clip(message)}", file=sys.stderr)
    raise typer.Exit(EXIT_USAGE)


def parse_day(value: str | None, option: str = "--today") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} must be a date YYYY-MM-DD, not {value!r}")


def _codes(values: list[str] | None) -> list[str]:
    return [code.strip() for value in values or [] for code in value.split(",") if code.strip()]


def stdout_console():
    """A console that colours only a terminal, honours NO_COLOR and never wraps finding lines."""
    from rich.console import Console

    return Console(soft_wrap=True, highlight=False)


class CheckFormat(str, Enum):
    text = "text"
    json = "json"


PathArgument = Annotated[Path, typer.Argument(help="The planning repo, a folder inside it, or one plan file.")]
TodayOption = Annotated[str | None, typer.Option("--today", help="Today's date, YYYY-MM-DD (default: the system date).")]
ConfigOption = Annotated[Path | None, typer.Option("--config", help="Use this config file instead of the root's okrsprint.yaml.")]


@app.command()
def check(
    path: PathArgument = Path("."),
    output_format: Annotated[CheckFormat, typer.Option("--format", help="Output format.")] = CheckFormat.text,
    today: TodayOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")] = False,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Only these rules: codes, names or prefixes (A3), comma-separated.")
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Switch these rules off (codes, names or prefixes).")] = None,
    config: ConfigOption = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when problems are found.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print the findings only, no summary.")] = False,
) -> None:
    """Check a planning repo: structure, references and the OKR/Scrum alignment rules."""
    from okrsprint.config import UsageError
    from okrsprint.engine import CheckOptions, run_check
    from okrsprint.render import renderer

    options = CheckOptions(path, config, parse_day(today), _codes(select), _codes(ignore))
    try:
        result = run_check(options)
    except UsageError as error:
        fail(str(error))
    output = renderer(output_format.value)(result, quiet=quiet)
    if isinstance(output, str):
        sys.stdout.write(output)
    else:
        stdout_console().print(output, end="")
    raise typer.Exit(0 if exit_zero else result.exit_code(strict))


# -- okrsprint rules -----------------------------------------------------------


@app.command()
def rules(code: Annotated[str | None, typer.Argument(help="A rule code or name to explain.")] = None) -> None:
    """List every rule with its code, name, default severity and rationale; or explain one."""
    from okrsprint.explain import explain_rule, rules_table

    console = stdout_console()
    if code is None:
        console.print(rules_table())
        return
    try:
        console.print(explain_rule(code))
    except KeyError as error:
        fail(error.args[0])


# -- reports: report, backlog, review (issue 5) --------------------------------


# -- okrsprint checkin (issue 6) -----------------------------------------------


# -- editors and set-up: schema, init (issue 4) ---------------------------------


# -- okrsprint diff (issue 9) ---------------------------------------------------


def main() -> None:
    """Console-script entry point: any unexpected error is an internal error with exit 2, not a traceback."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        print("okrsprint: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as error:  # the promise is: never a traceback
        print(f"okrsprint: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        print("okrsprint: please report this with the command and the file that caused it", file=sys.stderr)
        sys.exit(EXIT_USAGE)
