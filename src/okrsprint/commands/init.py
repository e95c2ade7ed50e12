"""``okrsprint init``: a planning repo that passes ``okrsprint check`` on the day it is created.

The files are templates in ``okrsprint/commands/templates`` with ``{{name}}`` blanks.
The example team-quarter is the quarter containing today: six two-week sprints
from the quarter's first day, items done in past sprints, and a check-in every
14 days up to today that keeps each key result on track, so the date-dependent
rules (A402-A404) pass too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path

from okrsprint import __version__
from okrsprint.errors import UsageError
from okrsprint.files import write_atomic
from okrsprint.model import TEAM_PATTERN
from okrsprint.numbers import format_number
from okrsprint.quarters import Quarter

SPRINTS = 6
SPRINT_DAYS = 14
CHECKIN_EVERY = 14
KEY_RESULTS = {"KR1": (40, 60), "KR2": (30, 10), "KR3": (1200, 800)}  # baseline, target
BLANK = re.compile(r"\{\{(\w+)\}\}")


@dataclass(frozen=True)
class Template:
    source: str
    target: str


TEMPLATES = (
    Template("okrsprint.yaml", "okrsprint.yaml"),
    Template("okrs.yaml", "okrs/{quarter}.yaml"),
    Template("backlog.yaml", "backlog/{quarter}.yaml"),
    Template("sprints.yaml", "sprints/{quarter}.yaml"),
    Template("pre-commit-config.yaml", ".pre-commit-config.yaml"),
    Template("okrsprint-workflow.yml", ".github/workflows/okrsprint.yml"),
)


def init_repo(directory: Path, today: date, team: str = "my-team") -> list[Path]:
    """Write the planning repo into ``directory``; refuses (UsageError, nothing written) if any file exists."""
    if not re.match(TEAM_PATTERN, team):
        raise UsageError(f"--team must be a slug like 'checkout' (a-z, 0-9, -), not {team!r}")
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"not a directory: {directory}")
    quarter = Quarter.containing(today)
    values = blanks(quarter, today, team)
    targets = [directory / template.target.format(quarter=quarter) for template in TEMPLATES]
    existing = [str(path) for path in targets if path.exists() or path.is_symlink()]
    if existing:
        raise UsageError(f"refusing to overwrite existing files: {', '.join(existing)}")
    texts = [
        fill(files("okrsprint.commands").joinpath("templates", template.source).read_text("utf-8"), values)
        for template in TEMPLATES
    ]
    for target, text in zip(targets, texts, strict=True):
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, text)
    return targets


def init(directory: Path, today: date, team: str) -> None:
    """Create the repo and say what was written and what to run next."""
    try:
        written = init_repo(directory, today, team)
    except OSError as error:
        raise UsageError(f"cannot write {error.filename or directory}: {error.strerror or error}") from None
    for path in written:
        print(f"created {path}")
    print(f"Next: okrsprint check {directory} --strict")


def fill(text: str, values: dict[str, str]) -> str:
    """Replace every ``{{name}}``; a blank without a value is a bug in the templates, not silently kept."""
    return BLANK.sub(lambda match: values[match.group(1)], text)


def blanks(quarter: Quarter, today: date, team: str) -> dict[str, str]:
    values = {
        "team": team,
        "version": __version__,
        "quarter": str(quarter),
        "quarter_start": quarter.start.isoformat(),
        "quarter_end": quarter.end.isoformat(),
    }
    for number in range(1, SPRINTS + 1):
        start = quarter.start + timedelta(days=SPRINT_DAYS * (number - 1))
        end = start + timedelta(days=SPRINT_DAYS - 1)
        values[f"S{number}_start"], values[f"S{number}_end"] = start.isoformat(), end.isoformat()
        values[f"S{number}_status"] = "done" if end < today else "doing" if start <= today else "todo"
    for key_result, (baseline, target) in KEY_RESULTS.items():
        values[f"{key_result}_baseline"], values[f"{key_result}_target"] = str(baseline), str(target)
        values[f"{key_result}_checkins"] = _checkins(quarter, today, baseline, target)
    return values


def _checkins(quarter: Quarter, today: date, baseline: float, target: float) -> str:
    """Check-ins every 14 days up to today, each on track: the value has moved as far as the quarter has."""
    lines = []
    day = quarter.start + timedelta(days=CHECKIN_EVERY)
    while day <= today:
        share = ((day - quarter.start).days + 1) / quarter.days
        value = round(baseline + (target - baseline) * share, 1)
        lines.append(f"\n          - {{date: {day.isoformat()}, value: {format_number(value)}}}")
        day += timedelta(days=CHECKIN_EVERY)
    return "".join(lines) or " []"
