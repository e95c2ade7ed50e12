"""``okrsprint check``: load, resolve and judge a planning repo; print the findings in the chosen format."""

from __future__ import annotations

import os
from pathlib import Path

from okrsprint.engine import CheckOptions, CheckResult, run_check
from okrsprint.render import render, show, stdout_formats, write_output


def check(options: CheckOptions, output_format: str, output_file: Path | None, quiet: bool) -> CheckResult:
    """Run the check; write ``--output-file`` and print what stdout gets (text beside a file, annotations in CI)."""
    result = run_check(options)
    if output_file is not None:
        write_output(output_file, render("check", output_format, result, quiet=quiet))
    for name in stdout_formats(output_format, output_file is not None, os.environ):
        show(render("check", name, result, quiet=quiet))
    return result
