"""Renderers: one module per output format of ``okrsprint check``.

Each takes a CheckResult and returns what to print: a string for machine
formats, styled text for the terminal (coloured only on a terminal, see text_format).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from importlib import import_module
from pathlib import Path

FORMATS = ("text", "json", "github", "sarif", "junit", "markdown")


def renderer(name: str) -> Callable:
    """The ``render`` function of a format, imported only when used."""
    if name not in FORMATS:
        raise KeyError(name)
    return import_module(f"okrsprint.render.{name}_format").render


def render_plain(name: str, result, *, quiet: bool = False) -> str:
    """A format as plain text, for a file: the terminal format without its colours."""
    output = renderer(name)(result, quiet=quiet)
    return output if isinstance(output, str) else output.plain


def write_report(path: Path, name: str, result, *, quiet: bool = False) -> None:
    """``--output-file``: the format as plain text, written atomically; a failed write is a usage error."""
    from okrsprint.config import UsageError
    from okrsprint.files import write_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, render_plain(name, result, quiet=quiet))
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
