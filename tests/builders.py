"""Build plan documents from Python values, so each rule test states only what it is about.

Defaults make a small, clean team-quarter (checkout, 2026-Q4); a test overrides
the one field its rule reads and selects that rule, so any other finding fails it.
"""

from __future__ import annotations

from datetime import date, timedelta

import yaml

TEAM = "checkout"
QUARTER = "2026-Q4"
Q4_START = date(2026, 10, 1)

ONE_KEY_RESULT = """\
kind: okrs
team: checkout
quarter: 2026-Q4
objectives:
  - id: O1
    title: Make onboarding effortless
    key_results:
      - id: KR1
        title: Onboarding conversion rate
        baseline: 12
        target: 20
"""
"""The smallest clean okrs document as written by hand (one A501: O1 has no owner), for tests about files, not rules."""


def dump(document: dict) -> str:
    return yaml.safe_dump(document, sort_keys=False, default_flow_style=False, allow_unicode=True)


def okrs(*objectives: dict, team: str | None = TEAM, quarter: str = QUARTER) -> str:
    return dump({"kind": "okrs", **_header(team, quarter), "objectives": list(objectives)})


def backlog(*items: dict, team: str | None = TEAM, quarter: str = QUARTER) -> str:
    return dump({"kind": "backlog", **_header(team, quarter), "items": list(items)})


def sprints(*sprint_list: dict, team: str | None = TEAM, quarter: str = QUARTER) -> str:
    return dump({"kind": "sprints", **_header(team, quarter), "sprints": list(sprint_list)})


def _header(team: str | None, quarter: str) -> dict:
    return {"team": team, "quarter": quarter} if team is not None else {"quarter": quarter}


def objective(id: str = "O1", *key_results: dict, **fields) -> dict:
    value = {"id": id, "title": "Make onboarding effortless", "owner": "maria"}
    value.update(fields)
    value.setdefault("key_results", list(key_results) or [key_result()])
    return {key: field for key, field in value.items() if field is not None}


def key_result(id: str = "KR1", **fields) -> dict:
    value = {"id": id, "title": "Onboarding conversion rate", "baseline": 12, "target": 20}
    value.update(fields)
    return {key: field for key, field in value.items() if field is not None}


def item(id: str, krs: list[str] | None = None, estimate: float | None = None, status: str = "todo", **fields) -> dict:
    value: dict = {"id": id, "title": f"Item {id}", "krs": list(krs or [])}
    if estimate is not None:
        value["estimate"] = estimate
    value["status"] = status
    value.update(fields)
    return value


def sprint(id: str, start: date, days: int = 14, krs: list[str] | None = None, **fields) -> dict:
    """A sprint of ``days`` days counting both ends; linked to KR1 unless krs says otherwise."""
    value: dict = {"id": id, "start": start, "end": start + timedelta(days=days - 1)}
    value["goal"] = fields.pop("goal", f"Sprint {id} moves conversion")
    value["krs"] = ["KR1"] if krs is None else list(krs)
    if not value["krs"]:
        value["not_okr_reason"] = "stabilisation"
    value.update(fields)
    return {key: field for key, field in value.items() if field is not None}  # None: leave the field out


def sprint_series(
    count: int, linked: int | None = None, start: date = Q4_START, days: int = 14, **fields
) -> list[dict]:
    """``count`` back-to-back sprints; the first ``linked`` drive KR1 (all by default)."""
    linked = count if linked is None else linked
    return [
        sprint(f"S{n + 1}", start + timedelta(days=days * n), days, krs=["KR1"] if n < linked else [], **fields)
        for n in range(count)
    ]


def team_plan(
    objectives: list[dict] | None = None, items: list[dict] | None = None, sprint_list: list[dict] | None = None
) -> dict[str, str]:
    """One team-quarter in three files; each part is left out when None (okrs default to one objective)."""
    files = {"okrs.yaml": okrs(*(objectives if objectives is not None else [objective()]))}
    if items is not None:
        files["backlog.yaml"] = backlog(*items)
    if sprint_list is not None:
        files["sprints.yaml"] = sprints(*sprint_list)
    return files
