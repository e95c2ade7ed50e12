"""The errors the command line turns into exit code 2: how okrsprint was called, configured or refused."""

from pathlib import Path


class UsageError(Exception):
    """A problem with how okrsprint was called or configured, or a refused write: exit code 2."""


class ConfigError(UsageError):
    """A problem in the config file, located at its ``file:line:col``."""

    def __init__(self, file: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{file}:{line}:{column}: {message}")


class BusyError(UsageError):
    """Another okrsprint holds the lock of a file for longer than we were willing to wait."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"busy: another okrsprint is writing {path}; try again")
        self.path = path
