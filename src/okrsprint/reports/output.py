"""Render a report view in a format and send it to the terminal or, atomically, to a file."""

from __future__ import annotations

import io
from importlib import import_module
from pathlib import Path

from rich.console import Console

from okrsprint.config import UsageError
from okrsprint.files import write_atomic

TEXT_WIDTH = 80


def renderer(view: object, output_format: str):
    """The function of ``<format>_format`` named after the view's kind (report, backlog, review)."""
    module = import_module(f"okrsprint.reports.{output_format}_format")
    if output_format == "json":
        return module.render
    render = getattr(module, view.kind, None)
    if render is None:
        raise UsageError(f"--format {output_format} is not available for {view.kind}")
    return render


def plain_text(renderable) -> str:
    """Text as a file or pipe gets it: no colour, 80 columns."""
    buffer = io.StringIO()
    Console(file=buffer, width=TEXT_WIDTH, color_system=None, force_terminal=False, highlight=False).print(renderable)
    return buffer.getvalue()


def emit(view: object, output_format: str, output: Path | None, console: Console) -> None:
    """Print the view, or write it to ``output`` (text there is plain, without colour)."""
    rendered = renderer(view, output_format)(view)
    if output is None:
        if isinstance(rendered, str):
            console.file.write(rendered)
        else:
            console.print(rendered, soft_wrap=False, width=min(console.width, TEXT_WIDTH))
        return
    try:
        write_atomic(output, rendered if isinstance(rendered, str) else plain_text(rendered))
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None
