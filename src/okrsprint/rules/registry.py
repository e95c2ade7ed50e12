"""The rule registry: each rule declared once; it drives check, ``okrsprint rules``, the docs and SARIF."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from okrsprint.findings import Severity, shorten


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    rationale: str
    settings: tuple[str, ...] = ()
    time_dependent: bool = False
    check: Callable[[Any], None] | None = field(default=None, compare=False)
    """Called with a RuleContext (a ChangeContext for D-rules); None for findings the loader reports."""

    @property
    def structural(self) -> bool:
        """Structure rules are always on and always errors."""
        return self.code.startswith("S")

    @property
    def compares_versions(self) -> bool:
        """D-rules judge a change between two versions of the plan: ``okrsprint diff`` reports them."""
        return self.code.startswith("D")


RULES: dict[str, Rule] = {}
MAX_NAME = 40  # longer than any code or name: no "did you mean" for it (difflib is quadratic)


def declare(
    code: str,
    name: str,
    severity: str,
    summary: str,
    rationale: str,
    settings: tuple[str, ...] = (),
    time_dependent: bool = False,
) -> Callable[[Callable[[Any], None] | None], Callable[[Any], None] | None]:
    """Register a rule; used as a decorator on its check, or called with None for loader-reported rules."""

    def register(check: Callable[[Any], None] | None) -> Callable[[Any], None] | None:
        RULES[code] = Rule(
            code, name, Severity(severity), summary, " ".join(rationale.split()), settings, time_dependent, check
        )
        return check

    return register


def all_rules() -> list[Rule]:
    """Every registered rule, structure rules first (as the spec lists them), then by code.

    The families register themselves when ``okrsprint.rules`` is imported; this module is imported by
    them, so it cannot import them itself.
    """
    return sorted(RULES.values(), key=lambda rule: (not rule.structural, rule.code))


def lookup(reference: str) -> Rule:
    """A rule by code (``A301``, any case) or name (``okr-capacity-share``)."""
    rules = all_rules()
    wanted = reference.strip()
    for rule in rules:
        if wanted.upper() == rule.code or wanted.lower() == rule.name:
            return rule
    meant = _meant(wanted, rules)
    hint = f"did you mean '{meant}'?" if meant else "see 'okrsprint rules'"
    raise KeyError(f"unknown rule {shorten(wanted)}: {hint}")


def _meant(wanted: str, rules: list[Rule]) -> str | None:
    """The rule code or name one or two typos from ``wanted`` (``A2O4`` → ``A204``), if any."""
    if len(wanted) > MAX_NAME:
        return None
    close = difflib.get_close_matches(wanted.upper(), [rule.code for rule in rules], n=1, cutoff=0.7)
    close = close or difflib.get_close_matches(wanted.lower(), [rule.name for rule in rules], n=1, cutoff=0.8)
    return close[0] if close else None


def lookup_adjustable(reference: str) -> Rule:
    rule = lookup(reference)
    if rule.structural:
        raise KeyError(f"{rule.code} ({rule.name}) is a structure rule: always on, always an error")
    return rule


def select(references: list[str]) -> set[str]:
    """Codes named by ``--select``/``--ignore``: codes, names, or code prefixes like ``A3`` (as ruff does)."""
    rules = all_rules()
    chosen: set[str] = set()
    for reference in references:
        wanted = reference.strip()
        if not wanted:
            continue
        prefixed = {rule.code for rule in rules if rule.code.startswith(wanted.upper())}
        if wanted.upper() == "ALL":
            prefixed = {rule.code for rule in rules}
        if prefixed:
            chosen |= prefixed
        else:
            chosen.add(lookup(wanted).code)
    return chosen
