"""The neutral records every tracker format is read into, and what all readers share."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date

from okrsprint.errors import UsageError
from okrsprint.findings import shorten
from okrsprint.model import ID_PATTERN

STATUSES = ("todo", "doing", "done")
NOT_IN_ID = re.compile(r"[^A-Za-z0-9._-]+")
IS_ID = re.compile(ID_PATTERN)


class ExportError(UsageError):
    """An export that cannot be imported as it is: nothing is written (exit 2)."""


@dataclass(frozen=True)
class ImportOptions:
    """The config's ``import:`` block, as the readers need it."""

    kr_label_prefix: str = "kr:"
    id_prefix: str | None = None
    estimate_field: str | None = None


@dataclass(frozen=True)
class ImportedSprint:
    """A sprint as the tracker names it; dates are None when the export does not carry them (CSV)."""

    id: str
    name: str
    start: date | None = None
    end: date | None = None
    goal: str | None = None


@dataclass(frozen=True)
class ImportedItem:
    """An issue: None for a field the export does not carry (the plan's value then stays)."""

    id: str
    title: str
    status: str
    where: str
    estimate: float | int | None = None
    url: str | None = None
    krs: tuple[str, ...] = ()
    """Key-result references from the kr labels (``KR1``, ``search:KR2``), as written after the prefix."""
    sprints: tuple[str, ...] = ()
    """Ids of the sprints the issue is in."""


@dataclass
class Export:
    """One export: its format's name, its issues in export order and the sprints they name, by id."""

    format: str
    items: list[ImportedItem] = field(default_factory=list)
    sprints: dict[str, ImportedSprint] = field(default_factory=dict)
    _ids: set[str] = field(default_factory=set, repr=False)

    def add_sprint(self, sprint: ImportedSprint) -> str:
        """Record a sprint (a later mention with dates or a goal completes an earlier one); its id."""
        known = self.sprints.get(sprint.id)
        if known is None or (known.start is None and sprint.start is not None) or (not known.goal and sprint.goal):
            self.sprints[sprint.id] = sprint
        return sprint.id

    def add_item(self, item: ImportedItem) -> None:
        if not IS_ID.fullmatch(item.id):
            raise ExportError(f"{item.where}: {shorten(item.id)} cannot be an item id (letters, digits, . _ -)")
        if item.id in self._ids:
            raise ExportError(f"{item.where}: the issue {item.id} appears twice in the export")
        self._ids.add(item.id)
        self.items.append(item)


def sprint_id(name: str) -> str:
    """A sprint's id from its name: every run of characters outside ``[A-Za-z0-9._-]`` becomes ``-``.

    Leading and trailing ``-`` are dropped, as an id starts and ends with a letter or digit.
    """
    return NOT_IN_ID.sub("-", name).strip("-._") or "sprint"


def kr_refs(labels: list[str], prefix: str) -> tuple[str, ...]:
    """The references named by the labels that start with ``prefix`` (``kr:search:KR2`` → ``search:KR2``)."""
    found = [label[len(prefix) :].strip() for label in labels if prefix and label.startswith(prefix)]
    return tuple(dict.fromkeys(ref for ref in found if ref))


def estimate_of(value: object, where: str) -> float | int | None:
    """A story-point value as a plan number: empty → None, ``5.0`` → 5; anything else but a number is refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number: float
    if isinstance(value, bool):
        raise ExportError(f"{where}: the estimate {value} is not a number")
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(str(value).strip())
        except ValueError:
            raise ExportError(f"{where}: the estimate {shorten(value)} is not a number") from None
    if not math.isfinite(number) or number < 0:
        raise ExportError(f"{where}: the estimate {shorten(value)} must be a non-negative number")
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def day_of(value: object, where: str) -> date | None:
    """The day of a tracker timestamp (``2026-10-05T09:00:00.000Z`` → 2026-10-05); None when absent."""
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ExportError(f"{where}: {shorten(value)} is not a date") from None


def normalised(name: str) -> str:
    """A field name for loose matching: lower case, letters and digits only (``Story Points`` → ``storypoints``)."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


STORY_POINT_NAMES = {"storypoints", "storypointestimate", "storypoint"}


@dataclass(frozen=True)
class Table:
    """A CSV export: its header and its rows, each with the line it starts on (the header is line 1)."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    source: str

    def columns(self, name: str) -> list[int]:
        """Every column with this header (Jira repeats ``Labels`` and ``Sprint``), matched without case."""
        wanted = name.strip().lower()
        return [index for index, title in enumerate(self.header) if title.strip().lower() == wanted]

    def require(self, *names: str) -> None:
        missing = [name for name in names if not self.columns(name)]
        if missing:
            raise ExportError(f"{self.source}: the header has no column {', '.join(map(repr, missing))}")

    @staticmethod
    def cell(row: list[str], index: int | None) -> str:
        return row[index].strip() if index is not None and index < len(row) else ""

    def first(self, row: list[str], name: str) -> str:
        """The first non-empty cell of the columns named ``name``."""
        return next((value for index in self.columns(name) if (value := self.cell(row, index))), "")

    def every(self, row: list[str], name: str) -> list[str]:
        """The non-empty cells of every column named ``name``, in order."""
        return [value for index in self.columns(name) if (value := self.cell(row, index))]


def read_table(text: str, source: str) -> Table:
    """The rows of a CSV text (CRLF or LF, quoted line breaks kept), each with its first line number."""
    import csv
    import io

    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    try:
        line = 1
        for row in reader:
            if header is None:
                header = [title.strip() for title in row]
            elif any(cell.strip() for cell in row):
                rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as error:
        raise ExportError(f"{source}:{reader.line_num}: not valid CSV: {error}") from None
    return Table(header or [], rows, source)
