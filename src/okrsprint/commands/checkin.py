"""``okrsprint checkin``: append a check-in to a key result without disturbing a single other character of the file.

The edit itself is ``yamledit``'s: a splice at libyaml's node positions, proved to
read back as the old document plus the check-in (and the new ``current``). Here:
which key result, whether the check-in becomes the latest, and the proof on the
whole repo that the edit adds no S001–S006 finding before the atomic write.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path
from typing import TypeVar

from okrsprint import yamledit
from okrsprint.engine import CheckOptions, open_plan, run_check
from okrsprint.errors import UsageError
from okrsprint.files import locked, write_atomic
from okrsprint.findings import Finding, shorten
from okrsprint.loader import out_of_range
from okrsprint.metrics import current_value, sorted_checkins
from okrsprint.model import KeyResult
from okrsprint.numbers import format_number
from okrsprint.plan import Placed, Plan
from okrsprint.quarters import Quarter
from okrsprint.validation import range_error

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_CANDIDATES = 12
T = TypeVar("T")


class CheckinError(UsageError):
    """A check-in that cannot be recorded; the file is left untouched (exit 2)."""


@dataclass(frozen=True)
class CheckinRequest:
    """What the user asked for, as typed: everything is validated here, not in the CLI."""

    reference: str
    value: str
    day: str | None = None
    confidence: str | None = None
    note: str | None = None
    quarter: str | None = None
    today: date | None = None
    path: Path = Path(".")
    replace: bool = False


@dataclass(frozen=True)
class CheckinResult:
    """What was recorded, for the one-line confirmation."""

    team: str
    quarter: str
    key_result: str
    before: float | None
    value: float
    day: date
    latest: bool
    file: str
    line: int
    replaced: bool = False

    def summary(self) -> str:
        """``checkout:KR1 2026-Q4: 15.6 → 16.2 on 2026-11-23 (okrs/2026-Q4.yaml:45)``."""
        where = f"({self.file}:{self.line})"
        head = f"{self.team}:{self.key_result} {self.quarter}:"
        day = f"{self.day}, replaced" if self.replaced else str(self.day)
        if self.latest:
            return f"{head} {format_number(self.before)} → {format_number(self.value)} on {day} {where}"
        return (
            f"{head} {format_number(self.value)} on {day} recorded before the latest check-in; "
            f"current value stays {format_number(self.before)} {where}"
        )


@dataclass(frozen=True)
class NewCheckin:
    """A validated check-in: plain values to compare with, and the number texts to write."""

    day: date
    value: float | int
    value_text: str
    confidence: float | int | None = None
    confidence_text: str | None = None
    note: str | None = None

    def entry(self) -> dict:
        """The check-in to write: numbers as Decimals, so that they are written with the digits as typed."""
        confidence = Decimal(self.confidence_text) if self.confidence_text is not None else None
        found = {"date": self.day, "value": Decimal(self.value_text), "confidence": confidence, "note": self.note}
        return {key: value for key, value in found.items() if value is not None}


def record_checkin(request: CheckinRequest) -> CheckinResult:
    """Validate, find the key result, splice the check-in into its file, prove the result, write it atomically."""
    checkin = new_checkin(request)
    plan, quarter, placed = _locate(request, checkin)
    with locked(placed.document.source.path.resolve()):
        # Read again under the lock: another writer may have changed the file since; a lost update is worse.
        plan, quarter, placed = _locate(request, checkin)
        source = placed.document.source
        original = _read_bytes(source.path)
        text, bom = _edit_step(lambda: yamledit.decode(original, source.relpath))
        becomes_latest = _becomes_latest(placed.value, checkin.day)
        replacing = same_day_checkin(placed, checkin, request.replace)
        edited, line = add_checkin(
            text, placed.document.raw.index, placed.path, placed.value.id, checkin, becomes_latest, replacing
        )
        refuse_new_structure_findings(plan.root, source.path, text, edited)
        write_atomically(source.path, original, yamledit.encode(edited, bom))
    return CheckinResult(
        placed.document.team, str(quarter), placed.value.id, current_value(placed.value, checkin.day), checkin.value,
        checkin.day, becomes_latest, source.relpath, line, replacing is not None,
    )  # fmt: skip


def _locate(request: CheckinRequest, checkin: NewCheckin) -> tuple[Plan, Quarter, Placed[KeyResult]]:
    plan = open_plan(request.path)
    quarter = _quarter(request.quarter, checkin.day, plan.config.year_start_month)
    return plan, quarter, find_key_result(plan, request.reference, quarter, plan.config.team)


# -- input -----------------------------------------------------------------------


def new_checkin(request: CheckinRequest) -> NewCheckin:
    """The check-in from the typed options; a CheckinError for anything the schema would reject."""
    value, value_text = parse_number(request.value, "--value")
    confidence = confidence_text = None
    if request.confidence is not None:
        confidence, confidence_text = parse_number(request.confidence, "--confidence")
        if not 0 <= confidence <= 1:
            raise CheckinError(f"--confidence must lie between 0 and 1, not {request.confidence}")
    today = request.today or date.today()
    day = parse_iso_day(request.day, "--date") if request.day is not None else today
    if day > today:
        raise CheckinError(
            f"--date {day} is after today ({today}): a check-in records a measurement; not a measurement yet"
        )
    return NewCheckin(day, value, value_text, confidence, confidence_text, request.note)


def parse_number(text: str, option: str) -> tuple[float | int, str]:
    """A decimal number within the plan's range and the plain text to write for it.

    ``1e3`` → ``1000``: YAML 1.1 reads 1e3 as text. The range is the loader's, so the file reads back as written.
    """
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        raise CheckinError(f"{option} must be a number, not {shorten(text)}") from None
    if out_of_range(number):
        raise CheckinError(f"{option}: {range_error(text.strip())}")
    plain = format(number, "f")
    return (float(plain) if "." in plain else int(plain)), plain


def parse_iso_day(text: str, option: str) -> date:
    """A real calendar day written YYYY-MM-DD (Python alone would also take 20261123 or 2026-W47-1)."""
    try:
        if ISO_DAY.fullmatch(text.strip()):
            return date.fromisoformat(text.strip())
    except ValueError:
        pass
    raise CheckinError(f"{option} must be a real date YYYY-MM-DD, not {text!r}")


def _quarter(text: str | None, day: date, year_start_month: int) -> Quarter:
    if text is None:
        return Quarter.containing(day, year_start_month)
    try:
        return Quarter.parse(text.strip(), year_start_month)
    except ValueError:
        raise CheckinError(f"--quarter must look like 2026-Q4, not {text!r}") from None


# -- finding the key result ------------------------------------------------------


def find_key_result(plan: Plan, reference: str, quarter: Quarter, default_team: str | None) -> Placed[KeyResult]:
    """``KR1`` (among all teams of the quarter, or the config's default team) or ``team:KR1``: exactly one matches."""
    team, _, kr_id = reference.strip().rpartition(":")
    teams = {team} if team else {default_team} if default_team else None
    in_scope = [tq for tq in plan.sorted_team_quarters() if teams is None or tq.team in teams]
    same_id = [tq.key_results_by_id[kr_id] for tq in in_scope if kr_id in tq.key_results_by_id]
    matches = [placed for placed in same_id if str(placed.document.quarter) == str(quarter)]
    if len(matches) == 1:
        return matches[0]
    scope = f"team {team or default_team}" if teams else "any team"
    if matches:
        raise CheckinError(
            f"key result {reference!r} is ambiguous in {quarter}: {_listing(matches)}; write it as team:{kr_id}"
        )
    if same_id:
        message = (
            f"no key result {reference!r} of {scope} in {quarter}; found {_listing(same_id)}: pass --quarter or --date"
        )
    else:
        known = [placed for tq in in_scope if str(tq.quarter) == str(quarter) for placed in tq.key_results]
        listing = f"key results there: {_listing(known)}" if known else "there are no key results there"
        message = f"no key result {reference!r} of {scope} in {quarter}; {listing}"
    if plan.broken:
        message += " (some plan documents have errors and were not read: run okrsprint check)"
    raise CheckinError(message)


def _listing(key_results: list[Placed[KeyResult]]) -> str:
    names = [f"{placed.document.team}:{placed.value.id} ({placed.document.quarter})" for placed in key_results]
    shown = names[:MAX_CANDIDATES]
    return ", ".join(shown) + (f" and {len(names) - len(shown)} more" if len(names) > len(shown) else "")


def _becomes_latest(key_result: KeyResult, day: date) -> bool:
    """Appended last, the new check-in is the latest unless one is dated later (a tie goes to the later one)."""
    checkins = sorted_checkins(key_result)
    return not checkins or day >= checkins[-1].date


def same_day_checkin(placed: Placed[KeyResult], checkin: NewCheckin, replace: bool) -> int | None:
    """The index of the check-in already recorded on the new one's day (the last, if several), to replace in place.

    Without ``replace`` such a check-in is a refusal: two measurements of one day would contradict each other.
    """
    same_day = [index for index, existing in enumerate(placed.value.checkins) if existing.date == checkin.day]
    if not same_day:
        return None
    index = same_day[-1]
    if not replace:
        line, _ = placed.position("checkins", index)
        raise CheckinError(
            f"{placed.document.team}:{placed.value.id} already has a check-in on {checkin.day} "
            f"(value {format_number(placed.value.checkins[index].value)}, {placed.document.source.relpath}:{line}): "
            f"pass --replace to replace it"
        )
    return index


# -- the edit ----------------------------------------------------------------------


def add_checkin(
    text: str,
    document_index: int,
    kr_path: tuple,
    kr_id: str,
    checkin: NewCheckin,
    update_current: bool = True,
    replacing: int | None = None,
) -> tuple[str, int]:
    """The text with the check-in appended to the key result at ``kr_path`` of document ``document_index``,
    and the 1-based line of the new check-in (replacing: of its new value).
    ``current`` (when present) takes the new value if ``update_current``.
    With ``replacing``, the check-in at that index gets the new value, and the confidence and note when given
    (an old note stays unless a new one is given), each in place.

    Raises CheckinError when the file is not as the plan saw it or the edit would change anything else.
    """
    try:
        key_result = yamledit.value_at(text, document_index, kr_path)
    except yamledit.EditError:
        key_result = None
    if not isinstance(key_result, dict) or key_result.get("id") != kr_id:
        raise CheckinError("the file changed while it was read; run the command again")
    if update_current and "current" in key_result:
        current = (*kr_path, "current")
        text = _edit_step(lambda: yamledit.set_scalar(text, document_index, current, Decimal(checkin.value_text))).text
    checkins = (*kr_path, "checkins")
    if replacing is not None:
        return _replace_checkin(text, document_index, (*checkins, replacing), checkin)
    edit = _edit_step(lambda: yamledit.append_to_list(text, document_index, checkins, checkin.entry()))
    return edit.text, edit.line


def _replace_checkin(text: str, document_index: int, path: tuple, checkin: NewCheckin) -> tuple[str, int]:
    """Each given field of the check-in at ``path`` set in place (a missing one added after the one before it);
    the text and the line of the new value."""
    entry = checkin.entry()
    value = _edit_step(lambda: yamledit.set_scalar(text, document_index, (*path, "value"), entry["value"]))
    text, previous = value.text, "value"
    for key in ("confidence", "note"):
        if key in entry:
            step = partial(yamledit.set_scalar, text, document_index, (*path, key), entry[key], after=previous)
            text, previous = _edit_step(step).text, key
    return text, value.line


def _edit_step(step: Callable[[], T]) -> T:
    """Run a yamledit step; its refusal becomes checkin's (exit 2, nothing written)."""
    try:
        return step()
    except yamledit.ReadBackError as error:
        raise CheckinError(
            f"the edit would change more than the new check-in; nothing was written ({error.difference})"
        ) from None
    except yamledit.EditError as error:
        raise CheckinError(str(error)) from None


def refuse_new_structure_findings(root: Path, path: Path, text: str, edited: str, change: str = "the check-in") -> None:
    """S001–S006 on the whole repo with the edited text in place: the edit may not add any (``plan --write`` too)."""
    refuse_new_findings(root, {path: text}, {path: edited}, change)


def refuse_new_findings(
    root: Path, before: Mapping[Path, str] | None, after: Mapping[Path, str], change: str = "the check-in"
) -> None:
    """S001–S006 on the whole repo with the ``after`` texts in place may not outnumber those with ``before``'s
    (None: the repo as it is must have none), compared by code and file: edits shift line numbers."""

    def structure(replaced: Mapping[Path, str]) -> list[Finding]:
        options = CheckOptions(
            path=root, select=["S"], replaced={path.resolve(): text for path, text in replaced.items()}
        )
        return [finding for finding in run_check(options).findings if finding.code.startswith("S")]

    found = structure(after)
    if not found:  # the usual case: a clean result needs no comparison (and no second pass over the repo)
        return
    remaining = Counter((f.code, f.location.file) for f in structure(before)) if before is not None else Counter()
    added = []
    for finding in found:
        key = (finding.code, finding.location.file)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            added.append(finding)
    if added:
        shown = "; ".join(f"{f.location.file}:{f.location.line}: {f.code} {f.message}" for f in added[:5])
        raise CheckinError(f"{change} would break the plan, nothing was written: {shown}")


# -- reading and writing -------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CheckinError(f"cannot read {path}: {error.strerror or error}") from None


def write_atomically(path: Path, expected: bytes, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once (files.write_atomic), unless it no longer holds ``expected``."""
    target = path.resolve()  # a symbolic link keeps pointing at the edited file
    if _read_bytes(target) != expected:
        raise CheckinError(f"{path} changed on disk since it was read; nothing was written, run the command again")
    try:
        write_atomic(target, data)
    except OSError as error:
        raise CheckinError(f"cannot write {path}: {error.strerror or error}; the file is unchanged") from None


# -- many check-ins from a CSV file ------------------------------------------------------------------------------

CSV_REQUIRED = ("kr", "date", "value")
STDIN = "-"


@dataclass(frozen=True)
class CsvCheckinRequest:
    """``checkin --from FILE.csv``: rows of kr, date, value[, confidence, note]; ``-`` reads standard input."""

    source: str
    path: Path = Path(".")
    replace: bool = False
    dry_run: bool = False
    today: date | None = None


class BadRowsError(CheckinError):
    """Rows that cannot be recorded, each ``FILE:LINE: why``; the whole file is refused (exit 2)."""

    def __init__(self, shown: str, problems: list[str]) -> None:
        super().__init__(f"{shown}: {len(problems)} bad row{'s' if len(problems) > 1 else ''}, nothing was written")
        self.problems = problems


@dataclass(frozen=True)
class CsvRow:
    """A valid row: the check-in, its key result and the line it came from."""

    line: int
    placed: Placed[KeyResult]
    checkin: NewCheckin
    replacing: int | None


@dataclass(frozen=True)
class CsvOutcome:
    recorded: list[CheckinResult]
    skipped: int
    files: list[str]
    dry_run: bool

    def summary(self) -> str:
        verb = "would record" if self.dry_run else "recorded"
        head = f"{verb} {len(self.recorded)} check-in{'s' if len(self.recorded) != 1 else ''}"
        skipped = f", skipped {self.skipped} already recorded" if self.skipped else ""
        where = f" in {', '.join(self.files)}" if self.files else ""
        return head + skipped + where


def record_checkins_from(request: CsvCheckinRequest) -> CsvOutcome:
    """Validate every row, then write each changed file once, atomically; a bad row refuses the whole file."""
    from okrsprint.importers.records import ExportError, read_table

    shown = "standard input" if request.source == STDIN else request.source
    data = _read_source(request.source)
    try:
        table = read_table(data.decode("utf-8").removeprefix(yamledit.BOM), shown)
        table.require(*CSV_REQUIRED)
    except UnicodeDecodeError:
        raise CheckinError(f"{shown} is not UTF-8") from None
    except ExportError as error:
        raise CheckinError(str(error)) from None
    plan = open_plan(request.path)
    rows, skipped = _validated_rows(plan, table, request, shown)
    files = sorted({row.placed.document.source.path for row in rows})
    if request.dry_run or not rows:  # a dry run edits and checks everything, and writes nothing
        lines = _write_rows(plan, rows, dry_run=True)
        return CsvOutcome(_results(rows, lines), skipped, [_relpath(plan, path) for path in files], request.dry_run)
    with ExitStack() as stack:
        for path in files:
            stack.enter_context(locked(path.resolve()))
        # Read again under the locks: another writer may have changed a file since; a lost update is worse.
        plan = open_plan(request.path)
        rows, skipped = _validated_rows(plan, table, request, shown)
        lines = _write_rows(plan, rows)
    return CsvOutcome(
        _results(rows, lines), skipped, sorted({_relpath(plan, row.placed.document.source.path) for row in rows}), False
    )


def _relpath(plan: Plan, path: Path) -> str:
    return path.resolve().relative_to(plan.root.resolve()).as_posix()


def _read_source(source: str) -> bytes:
    if source == STDIN:
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as error:
        raise CheckinError(f"cannot read {source}: {error.strerror or error}") from None


def _validated_rows(plan: Plan, table, request: CsvCheckinRequest, shown: str) -> tuple[list[CsvRow], int]:
    """Every row checked; all bad rows named by line in one refusal. Rows equal to a recorded check-in are skipped."""
    rows: list[CsvRow] = []
    problems: list[str] = []
    seen: dict[tuple[int, date], tuple[int, NewCheckin]] = {}
    skipped = 0
    for line, cells in table.rows:
        try:
            checkin = new_checkin(
                CheckinRequest(
                    table.first(cells, "kr"), table.first(cells, "value"), table.first(cells, "date") or "",
                    table.first(cells, "confidence") or None, table.first(cells, "note") or None, today=request.today,
                )
            )  # fmt: skip
            placed = find_key_result(
                plan, table.first(cells, "kr"), Quarter.containing(checkin.day, plan.config.year_start_month),
                plan.config.team,
            )  # fmt: skip
            key = (id(placed.value), checkin.day)
            if key in seen:
                earlier_line, earlier = seen[key]
                if earlier.value == checkin.value:
                    skipped += 1
                    continue
                raise CheckinError(f"{placed.value.id} on {checkin.day} is already given on line {earlier_line}")
            seen[key] = (line, checkin)
            if any(c.date == checkin.day and c.value == checkin.value for c in placed.value.checkins):
                skipped += 1
                continue
            replacing = same_day_checkin(placed, checkin, request.replace)
            rows.append(CsvRow(line, placed, checkin, replacing))
        except CheckinError as error:
            problems.append(f"{shown}:{line}: {_without_options(str(error))}")
    if problems:
        raise BadRowsError(shown, problems)
    return rows, skipped


def _without_options(message: str) -> str:
    """A single check-in's message speaks of options; a row's cells are named by their columns."""
    return message.replace("--date", "date").replace("--value", "value").replace("--confidence", "confidence")


def _write_rows(plan: Plan, rows: list[CsvRow], dry_run: bool = False) -> dict[int, int]:
    """Each file's check-ins spliced in date order (so ``current`` follows the latest), proved, written once."""
    by_file: dict[Path, list[CsvRow]] = {}
    for row in rows:
        by_file.setdefault(row.placed.document.source.path, []).append(row)
    lines: dict[int, int] = {}
    written: dict[Path, tuple[bytes, bytes]] = {}
    for path, file_rows in by_file.items():
        original = _read_bytes(path)
        text, bom = _edit_step(partial(yamledit.decode, original, _relpath(plan, path)))
        edited = text
        for row in sorted(file_rows, key=lambda row: row.checkin.day):
            placed = row.placed
            edited, lines[row.line] = add_checkin(
                edited, placed.document.raw.index, placed.path, placed.value.id, row.checkin,
                _becomes_latest(placed.value, row.checkin.day), row.replacing,
            )  # fmt: skip
        refuse_new_structure_findings(plan.root, path, text, edited, change="the check-ins")
        written[path] = (original, yamledit.encode(edited, bom))
    if dry_run:
        return lines
    for path, (original, data) in written.items():
        write_atomically(path, original, data)
    return lines


def _results(rows: list[CsvRow], lines: dict[int, int]) -> list[CheckinResult]:
    return [
        CheckinResult(
            row.placed.document.team,
            str(row.placed.document.quarter),
            row.placed.value.id,
            current_value(row.placed.value, row.checkin.day),
            row.checkin.value,
            row.checkin.day,
            _becomes_latest(row.placed.value, row.checkin.day),
            row.placed.document.source.relpath,
            lines.get(row.line, row.placed.position()[0]),
            row.replacing is not None,
        )  # fmt: skip
        for row in rows
    ]
