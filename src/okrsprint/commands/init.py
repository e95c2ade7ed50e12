"""``okrsprint init``: a planning repo that passes ``okrsprint check --strict`` from the day it is created.

The files are templates in ``okrsprint/commands/templates`` with ``{{name}}`` blanks.
The example team-quarter is the quarter containing today: six two-week sprints
from the quarter's first day, items done in past sprints, and a check-in every
14 days and on the day itself, each on track, so the date-dependent rules
(A402-A404) pass on that day and on each of the 13 days after it.

Tooling goes where git and GitHub look for it: the top of the git repository
holding DIR, checking DIR from there. In an existing planning repo, ``--team T``
adds only that team's example plan, named after the team so no file collides.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from importlib.resources import files
from pathlib import Path

import yaml

from okrsprint.config import Config, find_root
from okrsprint.engine import open_plan
from okrsprint.errors import UsageError
from okrsprint.files import create_all
from okrsprint.model import TEAM_PATTERN
from okrsprint.numbers import format_number
from okrsprint.quarters import Quarter

DEFAULT_TEAM = "my-team"
YEARS = (1900, 2999)  # the quarters okrsprint can name and the dates YAML and the rules handle
SPRINTS = 6
SPRINT_DAYS = 14
CHECKIN_EVERY = 14
KEY_RESULTS = {"KR1": (40, 60), "KR2": (30, 10), "KR3": (1200, 800)}  # baseline, target
BLANK = re.compile(r"\{\{(\w+)\}\}")
CONFIG_WIDTH = 80


@dataclass(frozen=True)
class Template:
    source: str
    target: str


CONFIG = Template("okrsprint.yaml", "okrsprint.yaml")
PLAN = (
    Template("okrs.yaml", "okrs/{name}.yaml"),
    Template("backlog.yaml", "backlog/{name}.yaml"),
    Template("sprints.yaml", "sprints/{name}.yaml"),
)
TOOLING = (
    Template("pre-commit-config.yaml", ".pre-commit-config.yaml"),
    Template("okrsprint-workflow.yml", ".github/workflows/okrsprint.yml"),
)


@dataclass(frozen=True)
class Tooling:
    """Where the pre-commit config and the workflow go, and the path from there they check."""

    folder: Path
    checked: str

    @property
    def at_git_top(self) -> bool:
        return self.checked != "."


def init_repo(directory: Path, today: date, team: str | None = None) -> list[Path]:
    """Write a planning repo into ``directory``, or with ``team`` add that team to the one it is in.

    All files or none: it refuses (UsageError, nothing written) if any of them exists,
    and removes what it created when a write fails.
    """
    planned, _ = planned_files(directory, today, team)
    write_new(planned)
    return list(planned)


def planned_files(directory: Path, today: date, team: str | None) -> tuple[dict[Path, str], Tooling | None]:
    """The files ``init`` writes, by path, and where their tooling goes (None when a team is added)."""
    if not YEARS[0] <= today.year <= YEARS[1]:
        raise UsageError(f"--today must lie in the years {YEARS[0]} to {YEARS[1]}, not {today}")
    if team is not None and not re.match(TEAM_PATTERN, team):
        raise UsageError(f"--team must be a slug like 'checkout' (a-z, 0-9, -), not {team!r}")
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"not a directory: {directory}")
    _, config_path = find_root(directory)
    if config_path is None:
        tooling = tooling_for(directory)
        return new_repo(directory, today, team or DEFAULT_TEAM, tooling), tooling
    if team is None:
        raise UsageError(
            f"{directory} is in the planning repo {config_path.parent} already (its okrsprint.yaml); "
            f"to add a team to it: okrsprint init {directory} --team T"
        )
    return added_team(directory, config_path.parent, today, team), None


def write_new(planned: dict[Path, str]) -> None:
    """Refuse if any of the files exists, naming each; else create them all."""
    existing = [str(path) for path in planned if path.exists() or path.is_symlink()]
    if existing:
        raise UsageError(f"refusing to overwrite existing files: {', '.join(existing)}")
    create_all(planned)


def new_repo(directory: Path, today: date, team: str, tooling: Tooling) -> dict[Path, str]:
    """Config, the example plan and the tooling of a new planning repo, by path."""
    quarter = Quarter.containing(today)
    values = blanks(quarter, today, team) | config_defaults() | tooling_blanks(tooling.checked)
    planned = {directory / CONFIG.target: fill(read_template(CONFIG), values)}
    planned |= example_plan(directory, str(quarter), values)
    for template in TOOLING:
        planned[tooling.folder / template.target] = fill(read_template(template), values)
    return planned


def added_team(directory: Path, root: Path, today: date, team: str) -> dict[Path, str]:
    """The example plan of one more team in an existing planning repo, in the repo's quarters.

    Its files carry the team's name (``okrs/search-2026-Q4.yaml``) beside the kind
    folders ``init`` made for the first team; its objectives align to the company's
    first objective of the quarter when the repo has one (A502).
    """
    plan = open_plan(root)
    quarter = Quarter.containing(today, plan.config.year_start_month)
    has_it = plan.team_quarter(team, str(quarter))
    if has_it is not None:
        where = ", ".join(sorted({document.source.relpath for document in has_it.documents}))
        raise UsageError(f"team {team} has a plan for {quarter} already ({where}); choose another --team")
    values = blanks(quarter, today, team)
    company = plan.team_quarter(plan.config.company_team, str(quarter)) if plan.config.company_team else None
    if company is not None and company.objectives and team != plan.config.company_team:
        parent = f"{company.team}:{company.objectives[0].value.id}"
        values["aligns_to"] = f"\n    aligns_to: {parent}     # the company objective it serves (A502)"
    return example_plan(directory, f"{team}-{quarter}", values)


def example_plan(directory: Path, name: str, values: dict[str, str]) -> dict[Path, str]:
    return {directory / template.target.format(name=name): fill(read_template(template), values) for template in PLAN}


def tooling_for(directory: Path) -> Tooling:
    """The top of the git repository holding ``directory`` when it lies below it; else ``directory`` itself."""
    top = git_top(directory)
    if top is None or not directory.resolve().is_relative_to(top):
        return Tooling(directory, ".")
    checked = directory.resolve().relative_to(top).as_posix()
    if checked == ".":
        return Tooling(directory, ".")
    if directory.is_absolute():
        return Tooling(top, checked)
    with suppress(ValueError):  # another drive on Windows: no relative path
        return Tooling(Path(os.path.relpath(top)), checked)
    return Tooling(top, checked)


def git_top(directory: Path) -> Path | None:
    """git's own answer when git runs; without git (or when it refuses), the nearest folder holding ``.git``."""
    start = directory.resolve()
    while not start.is_dir():
        start = start.parent
    if shutil.which("git") is not None:
        with suppress(OSError):
            result = subprocess.run(
                ["git", "rev-parse", "--show-toplevel"], cwd=start, capture_output=True, text=True, check=False
            )
            if result.returncode == 0 and result.stdout.strip():
                return Path(result.stdout.strip()).resolve()
    return next((folder for folder in (start, *start.parents) if (folder / ".git").exists()), None)


def tooling_blanks(checked: str) -> dict[str, str]:
    """The hook's options and the workflow's commands for the path checked, quoted for YAML and the shell."""
    files = r"\.ya?ml$" if checked == "." else f"^{re.escape(checked)}/.*\\.ya?ml$"
    options = yaml.safe_dump(
        {"args": ["--strict"], "files": files}, default_flow_style=None, sort_keys=False, width=1 << 16
    )
    path = shlex.quote(checked)
    return {
        "hook_options": "\n".join(" " * 8 + line for line in options.splitlines()),
        "check_run": _scalar(f"okrsprint check {path} --strict --format sarif --output-file okrsprint.sarif"),
        "summary_run": _scalar(f'okrsprint check {path} --format markdown --exit-zero >> "$GITHUB_STEP_SUMMARY"'),
    }


def _scalar(text: str) -> str:
    """``text`` as one YAML scalar: plain when that reads back as ``text``, quoted when not."""
    dumped = yaml.safe_dump({"_": text}, width=1 << 16)
    return dumped.removeprefix("_: ").rstrip("\n")


def config_defaults() -> dict[str, str]:
    """The config template's commented values, taken from the models: they cannot drift from the defaults."""
    defaults = Config()
    values = {
        f"default_{name}": _flow(name, getattr(defaults, name))
        for name in Config.model_fields
        if name not in ("team", "rules", "settings", "import_")
    }
    values |= {f"default_{name}": _flow(name, value) for name, value in defaults.import_}
    values |= {f"default_{name}": _flow(name, value) for name, value in defaults.rules}
    entries = []
    for name, value in defaults.settings:
        first, *rest = _flow(name, value, "#     ").split("\n")
        entries.append(([f"#   {name}: {first}", *rest], type(defaults.settings).model_fields[name].description))
    column = max(len(lines[0]) for lines, _ in entries if len(lines) == 1)
    settings = []
    for lines, description in entries:
        settings.extend([*lines[:-1], f"{lines[-1]:<{column}}  # {description}"])
    values["default_settings"] = "\n".join(settings)
    return values


def _flow(name: str, value: object, continuation: str = "") -> str:
    """A default as YAML flow text; a long list wraps onto ``continuation`` lines (commented, indented)."""
    if isinstance(value, Fraction):  # a ratio stays as written ("4/6")
        value = str(value) if "/" in str(value) else float(value)
    if isinstance(value, tuple):
        value = list(value)
    dumped = yaml.safe_dump({name: value}, default_flow_style=True, width=CONFIG_WIDTH - len(continuation))
    first, *rest = dumped.rstrip("\n").removeprefix(f"{{{name}: ").removesuffix("}").split("\n")
    return "\n".join([first, *(continuation + line.strip() for line in rest)])


def init(directory: Path, today: date, team: str | None) -> None:
    """Create the repo and say what was written and what to run next."""
    planned, tooling = planned_files(directory, today, team)
    try:
        write_new(planned)
    except OSError as error:
        raise UsageError(f"cannot write {error.filename or directory}: {error.strerror or error}") from None
    for path in planned:
        print(f"created {path}")
    if tooling is not None and tooling.at_git_top:
        print(f"The pre-commit hook and the CI workflow check {tooling.checked} from the top of the git repository.")
    if tooling is not None:
        print("Fill in their PLACEHOLDERs: the git URL of okrsprint and a commit of it.")
    print(f"Next: okrsprint check {directory} --strict")


def read_template(template: Template) -> str:
    return files("okrsprint.commands").joinpath("templates", template.source).read_text("utf-8")


def fill(text: str, values: dict[str, str]) -> str:
    """Replace every ``{{name}}``; a blank without a value is a bug in the templates, not silently kept."""
    return BLANK.sub(lambda match: values[match.group(1)], text)


def blanks(quarter: Quarter, today: date, team: str) -> dict[str, str]:
    values = {
        "team": team,
        "quarter": str(quarter),
        "quarter_start": quarter.start.isoformat(),
        "quarter_end": quarter.end.isoformat(),
        "aligns_to": "",
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


def checkin_days(quarter: Quarter, today: date) -> list[date]:
    """Every 14 days from the quarter's start, and today: the latest check-in is today's, so A402 stays
    quiet for 14 more days (the quarter's first day needs none: the quarter itself is that fresh)."""
    elapsed = (today - quarter.start).days
    days = [quarter.start + timedelta(days=offset) for offset in range(CHECKIN_EVERY, elapsed + 1, CHECKIN_EVERY)]
    if elapsed > 0 and (not days or days[-1] != today):
        days.append(today)
    return days


def _checkins(quarter: Quarter, today: date, baseline: float, target: float) -> str:
    """Each check-in on track: the value has moved as far as the quarter has."""
    lines = []
    for day in checkin_days(quarter, today):
        share = ((day - quarter.start).days + 1) / quarter.days
        value = round(baseline + (target - baseline) * share, 1)
        lines.append(f"\n          - {{date: {day.isoformat()}, value: {format_number(value)}}}")
    return "".join(lines) or " []"
