"""``okrsprint check`` without typer: the pre-commit hook's and CI's usual command lines, read by hand.

Importing typer and click, and typer's coercing every option through pydantic (typer ≥ 0.29), cost a small
check more than reading and checking its files. ``check_command_line`` takes only what it reads exactly as
the typer command does (``cli.check``: the same ``commands.check.check_exit_code``, the same error handler);
for anything else (help, an unknown or malformed option, ``--opt=value``, ``--``, an option's environment
variable) it returns ``None`` and typer reads the command line, so the two can never disagree.
"""

from __future__ import annotations

import os
from pathlib import Path

FLAGS = {"--strict": "strict", "--exit-zero": "exit_zero", "--quiet": "quiet", "-q": "quiet", "--no-cache": "no_cache"}
VALUED = {
    "--format": "output_format",
    "--output-file": "output_file",
    "--today": "today",
    "--config": "config",
    "--jobs": "jobs",
    "-j": "jobs",
}
REPEATED = {"--select": "select", "--ignore": "ignore"}
ENVIRONMENT = ("OKRSPRINT_OUTPUT_FORMAT", "OKRSPRINT_JOBS")
"""Options typer may read from the environment: when one is set, typer reads the command line."""


def check_command_line(arguments: list[str]) -> int | None:
    """The exit code of ``okrsprint check <arguments>``, or ``None`` when typer must read them."""
    options = _read(arguments)
    if options is None:
        return None
    from okrsprint.cache import ReadOptions, reading_with
    from okrsprint.commands import report_error
    from okrsprint.commands.check import CheckArguments, check_exit_code

    try:
        with reading_with(ReadOptions(int(options.pop("jobs", "0")), not options.pop("no_cache", False))):
            strict, exit_zero = options.pop("strict", False), options.pop("exit_zero", False)
            code = check_exit_code(CheckArguments(**options), strict)
    except (KeyboardInterrupt, Exception) as error:
        return report_error(error)
    return 0 if exit_zero else code


def _read(arguments: list[str]) -> dict | None:
    """The options of a command line the fast path reads as typer would, else ``None``."""
    from okrsprint.render import FORMATS

    if any(os.environ.get(name) for name in ENVIRONMENT):
        return None
    options: dict = {"paths": [], "select": [], "ignore": []}
    rest = iter(arguments)
    for argument in rest:
        if argument and not argument.startswith("-"):
            options["paths"].append(Path(argument))
        elif argument in FLAGS:
            options[FLAGS[argument]] = True
        elif argument in VALUED or argument in REPEATED:
            value = next(rest, None)
            if value is None or value.startswith("-"):  # typer's message for a missing value
                return None
            if argument in REPEATED:
                options[REPEATED[argument]].append(value)
            else:
                options[VALUED[argument]] = value
        else:
            return None
    jobs = options.get("jobs", "0")
    if options.get("output_format", "text") not in FORMATS["check"] or not (jobs.isascii() and jobs.isdigit()):
        return None
    for name in ("output_file", "config"):
        if name in options:
            options[name] = Path(options[name])
    return options
