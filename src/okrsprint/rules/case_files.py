"""Rule cases kept as data: one YAML file per rule in ``okrsprint/rules/cases/<CODE>.yaml``.

Each case is a tiny planning repo with the findings ``okrsprint check --select CODE``
(or, for D-rules, ``okrsprint diff``) must report for it, line and column included.
Keeping them as data rather than as test code lets one file serve three readers:
the test suite runs every case, ``okrsprint rules CODE`` can show a case that fires
and one that does not, and a reviewer can read a rule's exact behaviour at a glance.
The files ship inside the package, so this works installed as well as editable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

import yaml

DEFAULT_TODAY = date(2026, 11, 23)
"""The day a case is judged on when it names none: a Monday in the middle of 2026-Q4."""

Expected = tuple[str, str, int, int]
"""A finding as a case states it: (code, file relative to the root, line, column)."""

_CASE_KEYS = {"name", "fires", "today", "config", "files", "base", "head", "message", "expected", "xfail"}


class CaseFileError(ValueError):
    """A case file that does not follow the format: a typo there must fail loudly, not drop a case."""


@dataclass(frozen=True)
class Case:
    """One rule case: the plan (``files``, or ``base``/``head`` for a change), the day, and what must be reported."""

    rule: str
    name: str
    fires: bool
    today: date = DEFAULT_TODAY
    config: str | None = None
    files: dict[str, str] = field(default_factory=dict)
    base: dict[str, str] | None = None
    head: dict[str, str] | None = None
    message: str | None = None
    expected: list[Expected] = field(default_factory=list)
    xfail: str | None = None
    """Why the tool does not yet do what the SPEC says; ``expected`` states the SPEC's behaviour."""

    @property
    def compares_versions(self) -> bool:
        """A change case (D-rules): judged by ``okrsprint diff`` between a ``base`` and a ``head`` commit."""
        return self.base is not None

    @property
    def slug(self) -> str:
        """``A101-four-objectives-are-one-too-many``: a test id that says which case failed."""
        words = "".join(char if char.isalnum() else " " for char in self.name.lower()).split()
        return "-".join([self.rule, *words])


def _folder() -> Traversable:
    return files("okrsprint.rules").joinpath("cases")


def case_codes() -> list[str]:
    """The rule codes that have a case file, sorted."""
    names = (entry.name for entry in _folder().iterdir())
    return sorted(name.removesuffix(".yaml") for name in names if name.endswith(".yaml"))


def load_cases(code: str) -> list[Case]:
    """Every case of one rule, in file order; CaseFileError when the file is malformed."""
    resource = _folder().joinpath(f"{code}.yaml")
    if not resource.is_file():
        raise FileNotFoundError(f"no case file for rule {code}")
    data = yaml.safe_load(resource.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("rule") != code or not isinstance(data.get("cases"), list):
        raise CaseFileError(f"{code}.yaml: expected a mapping with 'rule: {code}' and a list of 'cases'")
    return [_case(code, index, raw) for index, raw in enumerate(data["cases"])]


def examples(code: str) -> tuple[Case | None, Case | None]:
    """The rule's first firing case and first passing case, for ``okrsprint rules CODE`` to show."""
    cases = load_cases(code)
    firing = next((case for case in cases if case.fires), None)
    passing = next((case for case in cases if not case.fires), None)
    return firing, passing


def _case(code: str, index: int, raw: Any) -> Case:
    where = f"{code}.yaml case {index + 1}"
    if not isinstance(raw, dict):
        raise CaseFileError(f"{where}: expected a mapping")
    unknown = set(raw) - _CASE_KEYS
    if unknown:
        raise CaseFileError(f"{where}: unknown keys {sorted(unknown)}")
    name, fires = raw.get("name"), raw.get("fires")
    if not isinstance(name, str) or not name.strip():
        raise CaseFileError(f"{where}: 'name' must be a non-empty string")
    where = f"{where} ({name})"
    if not isinstance(fires, bool):
        raise CaseFileError(f"{where}: 'fires' must be true or false")
    plan, base, head = (_texts(where, raw, key) for key in ("files", "base", "head"))
    if (plan is None) == (base is None and head is None) or (base is None) != (head is None):
        raise CaseFileError(f"{where}: give either 'files', or both 'base' and 'head'")
    return Case(
        rule=code,
        name=name,
        fires=fires,
        today=_day(where, raw.get("today", DEFAULT_TODAY)),
        config=_text(where, raw, "config"),
        files=plan or {},
        base=base,
        head=head,
        message=_text(where, raw, "message"),
        expected=_expected(where, raw.get("expected")),
        xfail=_text(where, raw, "xfail"),
    )


def _day(where: str, value: Any) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise CaseFileError(f"{where}: 'today' must be a date YYYY-MM-DD")


def _text(where: str, raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        raise CaseFileError(f"{where}: '{key}' must be text")
    return value


def _texts(where: str, raw: dict[str, Any], key: str) -> dict[str, str] | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise CaseFileError(f"{where}: '{key}' must map file paths to file texts")
    return value


def _expected(where: str, value: Any) -> list[Expected]:
    if not isinstance(value, list):
        raise CaseFileError(f"{where}: 'expected' must be a list of [code, file, line, column]")
    findings: list[Expected] = []
    for entry in value:
        if not (
            isinstance(entry, list)
            and len(entry) == 4
            and all(isinstance(text, str) for text in entry[:2])
            and all(isinstance(number, int) and not isinstance(number, bool) for number in entry[2:])
        ):
            raise CaseFileError(f"{where}: {entry!r} in 'expected' is not [code, file, line, column]")
        findings.append((entry[0], entry[1], entry[2], entry[3]))
    return findings
