"""Render a report view in a format and send it to the terminal or, atomically, to a file."""

from __future__ import annotations

import io
import os
import tempfile
from importlib import import_module
from pathlib import Path

from rich.console import Console

from okrsprint.config import UsageError

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
    write_atomic(output, rendered if isinstance(rendered, str) else plain_text(rendered))


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, fsync it, then rename: readers never see half a file."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise UsageError(f"cannot write {path}: {error.strerror}") from None


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new one gets what the umask allows (mkstemp would make it 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
