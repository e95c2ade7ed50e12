"""Renderers: one module per output format of ``okrsprint check``.

Each takes a CheckResult and returns what to print: a string for machine
formats, a rich Text for the terminal (coloured only where the console allows).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

FORMATS = ("text", "json")


def renderer(name: str) -> Callable:
    """The ``render`` function of a format, imported only when used."""
    if name not in FORMATS:
        raise KeyError(name)
    return import_module(f"okrsprint.render.{name}_format").render
