"""Renderers: one module per output format, each with a function per view it can show.

``FORMATS`` is the registry the command line takes its ``--format`` choices from: a new
format is a module here and its name in the views it serves. Everything a command
prints or writes goes through ``show`` (terminal) or ``write_output`` (a file).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from importlib import import_module
from pathlib import Path
from typing import Any

from okrsprint.errors import UsageError
from okrsprint.files import write_atomic

FORMATS: dict[str, tuple[str, ...]] = {
    "check": ("text", "json", "github", "sarif", "junit", "markdown"),
    "report": ("text", "json", "markdown", "html"),
    "backlog": ("text", "json", "markdown"),
    "plan": ("text", "json", "markdown"),
    "review": ("text", "json", "markdown"),
    "diff": ("text", "json", "markdown"),
    "retro": ("text", "json", "markdown", "html"),
}
TEXT_WIDTH = 80


def render(kind: str, output_format: str, view: object, **options: Any) -> Any:
    """The view laid out by ``render/<format>.py``'s function named after the view's kind."""
    if output_format not in FORMATS[kind]:
        raise UsageError(f"--format {output_format} is not available for {kind}: choose {', '.join(FORMATS[kind])}")
    return getattr(import_module(f"okrsprint.render.{output_format}"), kind)(view, **options)


def plain_text(rendered: Any) -> str:
    """What a file gets: strings as they are, styled text without colour, laid out at 80 columns."""
    return rendered if isinstance(rendered, str) else rendered.plain


def stdout_console():
    """The console of ``okrsprint rules``: it styles only a terminal and honours NO_COLOR.

    rich's own NO_COLOR support drops colours but keeps bold; no-color.org users and
    log scrapers want plain text, so NO_COLOR turns every ANSI style off.
    """
    from rich.console import Console

    plain = bool(os.environ.get("NO_COLOR"))
    return Console(soft_wrap=True, highlight=False, color_system=None if plain else "auto")


def show(rendered: Any) -> None:
    """Print to stdout: machine formats as they are, styled text coloured only on a terminal."""
    if isinstance(rendered, str):
        sys.stdout.write(rendered)
    else:
        rendered.write(sys.stdout)


def write_output(path: Path, rendered: Any) -> None:
    """``--output``/``--output-file``: plain text, missing folders created, written atomically; usage errors."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, plain_text(rendered))
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None


def checkout_base(root: Path, cwd: Path | None = None) -> tuple[Path, str]:
    """The folder CI tools resolve paths from, and the root's place in it.

    GitHub reads annotation and SARIF paths relative to the checkout, where the
    check runs; a planning repo in ``plans/`` then needs the ``plans/`` prefix.
    When the root is not inside the working directory, paths stay root-relative.
    """
    cwd = (cwd or Path(os.getcwd())).resolve()
    try:
        inside = root.resolve().relative_to(cwd).as_posix()
    except ValueError:
        return root.resolve(), ""
    return cwd, "" if inside == "." else inside + "/"


def stdout_formats(chosen: str, to_file: bool, environ: Mapping[str, str]) -> list[str]:
    """What ``check`` prints: the chosen format, or the text report when the chosen one goes to a file.

    Inside GitHub Actions the text report comes with annotations, as yamllint's
    ``auto`` format does, so a plain ``okrsprint check`` step marks the lines.
    """
    shown = ["text"] if to_file else [chosen]
    if shown == ["text"] and environ.get("GITHUB_ACTIONS") == "true":
        shown.append("github")
    return shown
