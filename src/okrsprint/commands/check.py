"""``okrsprint check``: load, resolve and judge a planning repo; print the findings in the chosen format."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from okrsprint.commands import codes, parse_day
from okrsprint.engine import CheckOptions, CheckResult, run_check
from okrsprint.progress import LazyProgress
from okrsprint.render import render, show, stdout_formats, write_output


@dataclass
class CheckArguments:
    """``okrsprint check``'s options as the command line gives them, from typer or ``okrsprint.fast_path``."""

    paths: list[Path] = field(default_factory=list)
    output_format: str = "text"
    output_file: Path | None = None
    today: str | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    config: Path | None = None
    quiet: bool = False


def check_exit_code(arguments: CheckArguments, strict: bool) -> int:
    """Run ``okrsprint check`` with a progress bar on a slow run: 1 when it found errors (or warnings, ``strict``)."""
    progress = LazyProgress()
    try:
        options = CheckOptions(
            config_file=arguments.config,
            today=parse_day(arguments.today),
            select=codes(arguments.select),
            ignore=codes(arguments.ignore),
            progress=progress,
            paths=arguments.paths or [Path(".")],
        )
        result = check(options, arguments.output_format, arguments.output_file, arguments.quiet)
    finally:
        progress.close()
    return result.exit_code(strict)


def check(options: CheckOptions, output_format: str, output_file: Path | None, quiet: bool) -> CheckResult:
    """Run the check; write ``--output-file`` and print what stdout gets (text beside a file, annotations in CI)."""
    result = run_check(options)
    if output_file is not None:
        write_output(output_file, render("check", output_format, result, quiet=quiet))
    for name in stdout_formats(output_format, output_file is not None, os.environ):
        show(render("check", name, result, quiet=quiet))
    return result
