"""Model: pydantic schemas of the three plan document kinds.

Strict on purpose: a quoted number, an unknown field or a misspelt status is a
schema error (S002) the author should see, not something to coerce silently.
Titles and descriptions double as the JSON Schema editors complete from.
"""

import re
from datetime import date
from itertools import repeat
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
TEAM_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
QUARTER_PATTERN = r"^(?:19|2\d)\d{2}-Q[1-4]$"  # years 1900-2999, like dates (see _plausible)
KR_REF_PATTERN = r"^(?:[a-z0-9][a-z0-9-]*:)?[A-Za-z0-9][A-Za-z0-9._-]*$"
OBJECTIVE_REF_PATTERN = r"^[a-z0-9][a-z0-9-]*:[A-Za-z0-9][A-Za-z0-9._-]*$"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: object) -> object:
    """Accept a quoted ``"2026-10-14"`` as well as YAML's unquoted date; reject anything else."""
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:  # Python's own words ("day is out of range for month") name no field
            raise ValueError(f"expected a real date YYYY-MM-DD, got '{value}'") from None
    return value


FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def _plausible(value: date) -> date:
    """Keep dates far from ``date.min``/``date.max``: rules add lags and step back days without overflowing."""
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"expected a date between {FIRST_DAY} and {LAST_DAY}")
    return value


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Team = Annotated[str, StringConstraints(pattern=TEAM_PATTERN)]
QuarterText = Annotated[str, StringConstraints(pattern=QUARTER_PATTERN)]
KeyResultRef = Annotated[str, StringConstraints(pattern=KR_REF_PATTERN)]
ObjectiveRef = Annotated[str, StringConstraints(pattern=OBJECTIVE_REF_PATTERN)]
ONE_REF, MANY_REFS = "one reference", "list of references"
UNION_TAGS = frozenset({ONE_REF, MANY_REFS})
"""Steps pydantic adds to an error's location inside ``aligns_to``; dropped before the error is shown."""
ObjectiveRefs = Annotated[
    Annotated[ObjectiveRef, Tag(ONE_REF)] | Annotated[list[ObjectiveRef], Tag(MANY_REFS)],
    Discriminator(lambda value: MANY_REFS if isinstance(value, list) else ONE_REF),
]
"""One ``team:ID`` or a list of them; the discriminator keeps a bad value to one error, not one per form."""
IsoDate = Annotated[date, BeforeValidator(_iso_date), AfterValidator(_plausible)]
NonNegative = Annotated[float, Field(ge=0)]


def new_list() -> list:
    """An empty list for a field's default: a Python function, because pydantic reads a default factory's
    signature and a builtin's (``list``) is parsed by ``tokenize``, whose regex costs ~20 ms at start-up."""
    return []


EXTENSION_PREFIX = "x-"


def is_extension(key: object) -> bool:
    """``x-`` keys belong to the team's other tools (SPEC "Extension fields"): kept in the file, ignored here."""
    return isinstance(key, str) and key.startswith(EXTENSION_PREFIX)


class Strict(BaseModel):
    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        allow_inf_nan=False,
        frozen=True,
        json_schema_extra={"patternProperties": {f"^{EXTENSION_PREFIX}": {}}},
    )

    @model_validator(mode="before")
    @classmethod
    def _without_extensions(cls, value: object) -> object:
        if isinstance(value, dict) and _has_extension(value):
            return {key: item for key, item in value.items() if not is_extension(key)}
        return value


_PREFIXES = repeat(EXTENSION_PREFIX)


def _has_extension(mapping: dict) -> bool:
    """Whether a key is an ``x-`` key; every mapping of a plan is asked, so the loop runs in C (``map``)."""
    try:
        return any(map(str.startswith, mapping, _PREFIXES))
    except TypeError:  # a key that is no text: only a program can pass one
        return any(map(is_extension, mapping))


class Checkin(Strict):
    """One measurement of a key result."""

    date: IsoDate = Field(description="Day of the measurement (YYYY-MM-DD).")
    value: float = Field(description="The key result's value that day.")
    confidence: Annotated[float, Field(ge=0, le=1)] | None = Field(
        None, description="How confident the owner is of reaching the target, 0..1."
    )
    note: str | None = Field(None, description="What moved the number, or what blocks it.")


class KeyResult(Strict):
    """A measurable outcome: a metric moving from a baseline to a target, or holding a threshold, this quarter."""

    id: Id = Field(description="Unique within the team-quarter, across objectives (e.g. KR1).")
    title: str = Field(description="The metric, stated as an outcome (not a task).")
    unit: str | None = Field(None, description="Unit of the metric, free text (%, ms, tickets).")
    baseline: float | None = Field(None, description="Where the metric starts this quarter.")
    target: float | None = Field(
        None, description="Where it should be at the end of the quarter; may be below baseline."
    )
    keep_above: float | None = Field(
        None, description="Instead of baseline and target: a level to hold; met while the value is at least this."
    )
    keep_below: float | None = Field(
        None, description="Instead of baseline and target: a level to hold; met while the value is at most this."
    )
    current: float | None = Field(None, description="Current value; used only when there are no check-ins.")
    checkins: list[Checkin] = Field(default_factory=new_list, description="Measurements, in any order.")


class Objective(Strict):
    """A qualitative goal for the quarter, measured by its key results."""

    id: Id = Field(description="Unique within the team-quarter (e.g. O1).")
    title: str = Field(description="An inspiring, qualitative goal.")
    owner: str | None = Field(None, description="The person accountable for the objective.")
    aligns_to: ObjectiveRefs | None = Field(
        None,
        description="team:ID of a parent objective (or, when it has no objective ID, key result) of another team "
        "in the same quarter (e.g. company:O2), or a list of them.",
    )
    type: Literal["committed", "aspirational"] = Field(
        "aspirational", description="committed: must be met; aspirational: a stretch goal."
    )
    key_results: list[KeyResult] = Field(default_factory=new_list, description="Two to five measurable outcomes.")

    @property
    def parents(self) -> list[str]:
        """``aligns_to`` as a list, whether one reference or several were written."""
        if self.aligns_to is None:
            return []
        return [self.aligns_to] if isinstance(self.aligns_to, str) else list(self.aligns_to)


class Item(Strict):
    """A product backlog item, tagged with the key results it contributes to."""

    id: Id = Field(description="Unique within the team-quarter (e.g. CHK-101).")
    title: str = Field(description="What the item delivers.")
    krs: list[KeyResultRef] = Field(
        default_factory=new_list, description="Key results it drives (KR1 or team:KR1); empty = operational work."
    )
    estimate: NonNegative | None = Field(None, description="Story points or hours; one unit per team.")
    status: Literal["todo", "doing", "done"] = Field("todo", description="todo, doing or done.")
    rank: float | None = Field(None, description="Order within its group; lower comes first.")
    url: str | None = Field(None, description="The item in the team's tracker.")
    assignee: str | None = Field(None, description="Who works on it.")


class Sprint(Strict):
    """A Scrum sprint: a time-box with a goal that drives key results."""

    id: Id = Field(description="Unique within the team-quarter (e.g. S3).")
    start: IsoDate = Field(description="First day, inclusive.")
    end: IsoDate = Field(description="Last day, inclusive.")
    goal: str | None = Field(None, description="What will be true at the end of the sprint (an outcome).")
    krs: list[KeyResultRef] = Field(default_factory=new_list, description="Key results the sprint goal drives.")
    capacity: NonNegative | None = Field(None, description="Capacity in the unit of the estimates.")
    items: list[Id] = Field(default_factory=new_list, description="Backlog items committed to the sprint.")
    not_okr_reason: str | None = Field(None, description="Why this sprint drives no key result.")


class DocumentHeader(Strict):
    team: Team | None = Field(None, description="The team's slug; may be left out when the config sets team.")
    quarter: QuarterText = Field(description="The quarter, YYYY-Qn.")


class OkrsDocument(DocumentHeader):
    """The objectives and key results of one team for one quarter."""

    kind: Literal["okrs"]
    objectives: list[Objective] = Field(description="At most three objectives.")


class BacklogDocument(DocumentHeader):
    """The backlog items considered in one quarter."""

    kind: Literal["backlog"]
    items: list[Item] = Field(description="Backlog items.")


class SprintsDocument(DocumentHeader):
    """The sprints of one team in one quarter."""

    kind: Literal["sprints"]
    sprints: list[Sprint] = Field(description="Sprints, usually six two-week sprints.")


DOCUMENT_MODELS: dict[str, type[DocumentHeader]] = {
    "okrs": OkrsDocument,
    "backlog": BacklogDocument,
    "sprints": SprintsDocument,
}
PlanDocumentModel = OkrsDocument | BacklogDocument | SprintsDocument
