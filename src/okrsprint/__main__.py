"""The console script and ``python -m okrsprint``: ``--version`` is answered before the command line is imported,
``check``'s usual command lines are read without typer (``okrsprint.fast_path``), and the process ends without
freeing the plan it loaded.

Importing typer and click alone costs more than the rest of ``okrsprint --version``.
"""

import os
import sys
from typing import NoReturn

from okrsprint import __version__


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        print(f"okrsprint {__version__}")
        return
    _open_closed_streams()
    # okrsprint's models are its own: a pydantic plugin installed beside it (logfire…) has nothing to observe
    # here, and finding plugins reads every installed package's metadata (~10 ms). Typer does the same for its
    # parameters; a user who sets the variable keeps their choice.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if sys.argv[1:2] == ["check"]:  # the pre-commit hook's command
        from okrsprint.fast_path import check_command_line

        code = check_command_line(sys.argv[2:])
        if code is not None:
            exit_now(code)
    from okrsprint.cli import main as run_command_line

    try:
        run_command_line()
    except SystemExit as done:
        exit_now(done.code)
    exit_now(0)


def _open_closed_streams() -> None:
    """A standard stream the shell closed (``okrsprint check >&-``) writes to /dev/null: what nobody can read goes
    nowhere, and no file okrsprint opens later takes its descriptor."""
    for number, name in ((1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is None:  # how Python starts when the descriptor is closed
            null = os.open(os.devnull, os.O_WRONLY)
            if null != number:
                os.dup2(null, number)
                os.close(null)
            setattr(sys, name, open(number, "w", encoding="utf-8", closefd=False))  # lives as long as the process


def exit_now(code: object) -> NoReturn:
    """End the process as ``sys.exit(code)`` would, but without freeing every object one by one.

    A loaded plan is millions of small objects; at a normal exit Python frees each of them, ~8 % of a
    large check, for memory the system takes back at once anyway (mypy's ``hard_exit`` does the same).
    Every command has closed its files and worker processes by now; only the standard streams are flushed.
    """
    if code is not None and not isinstance(code, int):  # sys.exit("message"): the message, then 1
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
    except OSError as error:  # a reader that stopped reading (`| head`), a full disk: said as for a command's own
        from okrsprint.commands import report_error

        code = report_error(error)
    try:
        sys.stderr.flush()
    except OSError:
        pass
    os._exit(code or 0)


if __name__ == "__main__":
    main()
