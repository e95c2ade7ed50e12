"""A progress bar for slow checks: on a terminal only, and only once a check has run for a second."""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


class LazyProgress:
    """Reports ``(stage, done, total)`` steps; draws a transient rich bar on stderr after ``delay`` seconds.

    Never drawn when stderr is not a terminal, in CI (``CI`` set) or under ``NO_COLOR``-style dumb
    terminals, so logs and pipes stay clean.
    """

    def __init__(self, delay: float = 1.0) -> None:
        self.enabled = sys.stderr.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"
        self.started = time.monotonic()
        self.delay = delay
        self._bar: Progress | None = None
        self._tasks: dict[str, TaskID] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            if time.monotonic() - self.started < self.delay:
                return
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(stderr=True), transient=True)
            self._bar.start()
        if stage not in self._tasks:
            self._tasks[stage] = self._bar.add_task(stage, total=total)
        self._bar.update(self._tasks[stage], completed=done)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
