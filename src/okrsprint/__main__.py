"""The console script and ``python -m okrsprint``: ``--version`` is answered before the command line is imported.

Importing typer and click alone costs more than the rest of ``okrsprint --version``.
"""

import os
import sys

from okrsprint import __version__


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        print(f"okrsprint {__version__}")
        return
    # okrsprint's models are its own: a pydantic plugin installed beside it (logfire…) has nothing to observe
    # here, and finding plugins reads every installed package's metadata (~10 ms). Typer does the same for its
    # parameters; a user who sets the variable keeps their choice.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from okrsprint.cli import main as run_command_line

    run_command_line()


if __name__ == "__main__":
    main()
