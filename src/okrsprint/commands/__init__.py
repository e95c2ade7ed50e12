"""One module per command, named after it: library code a test can call without the command line.

Here: what the commands share with the two command lines (typer's, ``okrsprint.cli``, and
``okrsprint.fast_path``): arguments read the same way, and ``report_error``, the one place that tells the user
of any error a command raised.
"""

import errno
import os
import sys
from datetime import date

from okrsprint.errors import UsageError
from okrsprint.findings import clip


def parse_day(value: str | None, option: str = "--today") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} must be a date YYYY-MM-DD, not {value!r}") from None


def codes(values: list[str] | None) -> list[str]:
    """``--select A1,S --select C2``: the codes, names and prefixes, one list."""
    return [code.strip() for value in values or [] for code in value.split(",") if code.strip()]


EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
MAX_PATH_SHOWN = 120
SYSTEM_REFUSED_WRITE = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG, errno.EIO}
"""Why the system may refuse to write an output: the user's to fix, not a bug to report."""


def report_error(error: Exception | KeyboardInterrupt) -> int:
    """What the user sees of an error a command raised (or the final flush of its output), and the exit code."""
    if isinstance(error, KeyboardInterrupt):  # Ctrl-C: said in one line, as a shell's 130
        print("okrsprint: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    if isinstance(error, BrokenPipeError):  # `okrsprint report | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    from okrsprint.render.common import inert_terminal  # messages echo plan text: escaped like every terminal line

    if isinstance(error, UsageError):
        print(f"okrsprint: error: {inert_terminal(clip(str(error)))}", file=sys.stderr)
        return EXIT_USAGE
    if isinstance(error, OSError) and error.errno == errno.ENAMETOOLONG:  # a PATH or --config the system refuses
        path = clip(os.fsdecode(error.filename or ""), MAX_PATH_SHOWN)
        message = f"{path}: path too long: a name in it, or the whole path, is over the system's limit"
        print(f"okrsprint: error: {inert_terminal(message)}", file=sys.stderr)
        return EXIT_USAGE
    if isinstance(error, OSError) and error.errno in SYSTEM_REFUSED_WRITE:  # a full disk, a read-only mount, …
        where = f"{clip(os.fsdecode(error.filename), MAX_PATH_SHOWN)}: " if error.filename else ""
        message = f"{where}the output could not be written: {error.strerror}"
        print(f"okrsprint: error: {inert_terminal(message)}", file=sys.stderr)
        return EXIT_USAGE
    # the promise is: never a traceback
    print(f"okrsprint: internal error: {type(error).__name__}: {inert_terminal(clip(str(error)))}", file=sys.stderr)
    print("okrsprint: please report this with the command and the file that caused it", file=sys.stderr)
    return EXIT_USAGE
