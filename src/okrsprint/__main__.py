"""Allow ``python -m okrsprint``."""

from okrsprint.cli import main

main()
