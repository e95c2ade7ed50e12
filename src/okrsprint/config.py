"""Config: ``okrsprint.yaml``, root discovery and the settings rules read.

Every problem in the config is a usage error (exit 2) that names the config's
``file:line:col``: a mistyped setting must never silently fall back to a default.
"""

import errno
import math
import os
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    WithJsonSchema,
    field_validator,
)

from okrsprint.errors import ConfigError, UsageError
from okrsprint.loader import (
    CONFIG_NAME,
    ProblemError,
    compose_documents,
    not_a_file,
    out_of_range,
    read_text,
    to_values,
)
from okrsprint.locations import Loc, MapLoc, Position, locate
from okrsprint.model import ID_PATTERN, TEAM_PATTERN, new_list
from okrsprint.numbers import exact
from okrsprint.validation import describe_error, range_error

DEFAULT_ACTIVITY_VERBS = (
    "implement", "build", "develop", "create", "write", "add", "launch", "ship", "deliver", "release",
    "migrate", "refactor", "design", "set up", "introduce", "integrate", "deploy", "complete", "finish", "work on",
)  # fmt: skip


def new_dict() -> dict:
    """An empty mapping for a field's default; a Python function for the reason ``new_list`` gives."""
    return {}


class WrittenRatio(Fraction):
    """An exact ratio that remembers how the user wrote it ("4/6" stays "4/6" in messages)."""

    written: str

    def __new__(cls, value: Fraction, written: str) -> "WrittenRatio":
        ratio = super().__new__(cls, value)
        ratio.written = written
        return ratio

    def __str__(self) -> str:
        return self.written


def _ratio(value: object) -> object:
    if isinstance(value, WrittenRatio):
        return value
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", value)
        if not match:
            raise ValueError('expected a number or a ratio "a/b", e.g. "4/6"')
        numerator, denominator = Decimal(match.group(1)), Decimal(match.group(2))  # any length, unlike int()
        if out_of_range(numerator) or out_of_range(denominator):
            raise ValueError(range_error(value))
        if denominator == 0:
            raise ValueError('expected a number or a ratio "a/b", e.g. "4/6"')
        return WrittenRatio(Fraction(int(numerator), int(denominator)), f"{match.group(1)}/{match.group(2)}")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError('expected a number or a ratio "a/b", e.g. "4/6"')
    if not math.isfinite(value):  # Fraction's own complaint would name Python's types
        raise ValueError("expected a finite number")
    return WrittenRatio(exact(value), repr(value))


def _as_tuple(value: object) -> object:
    """YAML has lists, not tuples: strict mode would refuse ``okr_capacity: [0.60, 0.70]`` as written in the spec."""
    return tuple(value) if isinstance(value, list) else value


RATIO_PATTERN = r"^\s*\d+\s*/\s*\d+\s*$"
Ratio = Annotated[
    Fraction,
    BeforeValidator(_ratio),
    # pydantic would say {"format": "fraction"}, a format ajv's strict mode refuses (SPEC §3 schema)
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "pattern": RATIO_PATTERN}]}),
]
Share = Annotated[float, Field(ge=0, le=1)]
Band = Annotated[tuple[Share, Share], BeforeValidator(_as_tuple)]
DayRange = Annotated[tuple[int, int], BeforeValidator(_as_tuple)]
Words = Annotated[tuple[str, ...], BeforeValidator(_as_tuple)]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False, frozen=True)


class Settings(Strict):
    """Thresholds of the alignment rules."""

    max_objectives: int = Field(3, ge=0, description="A101: most objectives a team-quarter may have.")
    max_key_results: int = Field(8, ge=0, description="A102: most key results a team-quarter may have.")
    min_linked_sprint_ratio: Ratio = Field(
        WrittenRatio(Fraction(4, 6), "4/6"),
        description='A201: least share of sprints that drive a key result, a number or "a/b".',
    )
    okr_capacity: Band = Field(
        (0.60, 0.70), description="A301: the band for the share of committed estimate on OKR work."
    )
    planning_reserve: Share = Field(0.10, description="A303: capacity the last sprint keeps free.")
    first_sprint_load: Share = Field(
        0.8, description="plan: the share of its capacity the quarter's first sprint is filled to."
    )
    checkin_interval_days: int = Field(14, ge=1, description="A402: most days between check-ins.")
    sprint_days: DayRange = Field((5, 28), description="A205: shortest and longest sprint, in days.")
    behind_tolerance: Share = Field(0.25, description="A403: how far progress may trail elapsed time.")
    outcome_lag_days: int = Field(14, ge=0, le=366, description="A404: days after a sprint for its outcome to show.")
    activity_verbs: Words = Field(
        DEFAULT_ACTIVITY_VERBS, description="A105/A204: first words that name output, not outcome."
    )
    grade_bands: Band = Field(
        (0.4, 0.7), description="retro: scores below the first bound are red, from the second green, yellow between."
    )

    @field_validator("okr_capacity", "sprint_days", "grade_bands")
    @classmethod
    def _ordered(cls, value: tuple) -> tuple:
        if value[0] > value[1]:
            raise ValueError("the lower bound must not exceed the upper bound")
        return value

    @field_validator("activity_verbs")
    @classmethod
    def _lowercase(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(" ".join(verb.lower().split()) for verb in value if verb.strip())


class RulesConfig(Strict):
    ignore: list[str] = Field(default_factory=new_list, description="Rule codes or names to switch off.")
    severity: dict[str, Literal["error", "warning", "info"]] = Field(
        default_factory=new_dict, description="Rule code or name → error|warning|info."
    )


class ImportConfig(Strict):
    """``import``: how a tracker's export maps onto the plan."""

    kr_label_prefix: str = Field(
        "kr:",
        min_length=1,
        description="A label with this prefix tags an item with a key result (kr:KR1, kr:search:KR2).",
    )
    id_prefix: Annotated[str, Field(pattern=ID_PATTERN)] | None = Field(
        None, description="GitHub: items are <id_prefix>-<number>; default: the repository's name."
    )
    estimate_field: str | None = Field(
        None, min_length=1, description="The export's column or field holding story points; default: auto-detected."
    )


class Config(Strict):
    """The planning repo's ``okrsprint.yaml``; every key is optional."""

    team: Annotated[str, Field(pattern=TEAM_PATTERN)] | None = Field(
        None, description="Default team for documents that leave it out."
    )
    year_start_month: int = Field(1, ge=1, le=12, description="Month in which Q1 starts.")
    company_team: Annotated[str, Field(pattern=TEAM_PATTERN)] | None = Field(
        None, description="The team whose objectives others align to (A401, A502)."
    )
    exclude: list[str] = Field(default_factory=new_list, description='Globs of files to skip, e.g. "archive/**".')
    rules: RulesConfig = Field(default_factory=RulesConfig)
    settings: Settings = Field(default_factory=Settings)
    import_: ImportConfig = Field(default_factory=ImportConfig, alias="import")

    _located: "LocatedConfig | None" = PrivateAttr(None)

    def position_of(self, *path: str | int) -> tuple[str, Position] | None:
        """The config file and the position of a key path in it, for messages about a setting."""
        if self._located is None:
            return None
        return self._located.shown, locate(self._located.loc, path)


class LocatedConfig:
    """Where a loaded config came from: its file as shown in messages and its positions."""

    __slots__ = ("shown", "loc")

    def __init__(self, shown: str, loc: Loc) -> None:
        self.shown = shown
        self.loc = loc


def find_root(path: Path) -> tuple[Path, Path | None]:
    """The nearest directory from ``path`` upwards holding okrsprint.yaml, else ``path`` itself."""
    start = path if path.is_dir() else path.parent
    start = start.resolve()
    for directory in (start, *start.parents):
        candidate = directory / CONFIG_NAME
        if candidate.is_file():
            return directory, candidate
    return start, None


def load_config(config_path: Path | None, root: Path) -> Config:
    """Read and validate a config file; ``None`` means the defaults."""
    if config_path is None:
        return Config()
    _refuse_what_is_no_file(config_path)
    if Path(os.path.abspath(config_path)).is_relative_to(root) and not config_path.resolve().is_relative_to(root):
        raise UsageError(  # a link in the repo must not make okrsprint read (and quote) a file from elsewhere
            f"{config_path} is a symbolic link to a file outside the planning repo {root}: not read; "
            "make it a regular file, or name a config outside the repo with --config"
        )
    try:
        shown = config_path.resolve().relative_to(root).as_posix()
    except ValueError:
        shown = str(config_path)
    try:
        data, loc = _read_config(config_path)
    except ProblemError as error:
        raise ConfigError(shown, *error.problem.position, error.problem.message) from None
    try:
        config = Config.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        raise ConfigError(shown, *locate(loc, first["loc"]), describe_error(first, Config)) from None
    config._located = LocatedConfig(shown, loc)
    return config


def _refuse_what_is_no_file(path: Path) -> None:
    """Say what ``path`` is when it is no regular file, from its metadata alone (``loader.not_a_file``)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise UsageError(f"config file not found: {path}") from None
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:  # the command line reports over-long paths, clipped
            raise
        raise UsageError(f"--config: {path}: {error.strerror or 'cannot be read'}") from None
    what = not_a_file(mode)
    if what is not None:
        raise UsageError(f"--config: {path} is {what}, not a config file")


def _read_config(path: Path) -> tuple[dict, Loc]:
    documents = [node for node in compose_documents(read_text(path)) if node is not None]
    if not documents:
        return {}, MapLoc((1, 1))
    if len(documents) > 1:
        raise ProblemError("S002", "the config must be a single YAML document", _node_position(documents[1]))
    data, loc, problems = to_values(documents[0])
    if problems:
        first = problems[0]
        raise ProblemError(first.code, first.message, first.position)
    if not isinstance(data, dict):
        raise ProblemError("S002", "the config must be a mapping of settings", _node_position(documents[0]))
    return data, loc


def _node_position(node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1
