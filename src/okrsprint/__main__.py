"""The console script and ``python -m okrsprint``: ``--version`` is answered before the command line is imported.

Importing typer and click alone costs more than the rest of ``okrsprint --version``.
"""

import sys

from okrsprint import __version__


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        print(f"okrsprint {__version__}")
        return
    from okrsprint.cli import main as run_command_line

    run_command_line()


if __name__ == "__main__":
    main()
