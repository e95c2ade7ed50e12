"""The JSON document of SPEC §3: version, root, findings (sorted), summary."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from fractions import Fraction
from typing import Any

from okrsprint.engine import CheckResult
from okrsprint.views.alignment import AlignmentNode
from okrsprint.views.diff import DiffResult
from okrsprint.views.planning import SprintProposal
from okrsprint.views.report import Report
from okrsprint.views.retro import Retro, TeamRetro


def check(result: CheckResult, *, quiet: bool = False) -> str:
    document = {
        "version": 1,
        "root": str(result.root),
        "findings": [finding.as_dict() for finding in result.findings],
        "summary": result.summary(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# -- reports: report, backlog, review --------------------------------------------------------------


def jsonable(value: object) -> object:
    if dataclasses.is_dataclass(value):
        return {field.name: jsonable(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def view(view: Any) -> str:
    """Any view dataclass: its ``kind`` and every field."""
    fields = jsonable(view)
    assert isinstance(fields, dict)
    document = {"version": 1, "view": view.kind, **fields}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


backlog = review = view


def report(view: Report) -> str:
    """Every field of the report view, with the alignment tree in SPEC §3's shape: ``alignment`` (nodes of team,
    id, title, progress and children; ``via`` on a child aligned to a key result) and ``unaligned`` (team, id).
    Both are empty lists when the quarter has no company objectives."""
    fields = jsonable(view)
    assert isinstance(fields, dict)
    tree = view.alignment
    fields["alignment"] = [_alignment_node(node) for node in tree.roots] if tree else []
    fields["unaligned"] = [{"team": entry.team, "id": entry.id} for entry in tree.unaligned] if tree else []
    document = {"version": 1, "view": view.kind, **fields}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _alignment_node(node: AlignmentNode) -> dict:
    shown: dict[str, object] = {"team": node.team, "id": node.id, "title": node.title}
    shown["progress"] = None if node.progress is None else float(node.progress)
    if node.via is not None:
        shown["via"] = node.via
    shown["children"] = [_alignment_node(child) for child in node.children]
    return shown


def _number(value: float | Fraction | None) -> float | int | None:
    """30, not 30.0: whole numbers as the user writes them."""
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def plan(view: SprintProposal) -> str:
    """SPEC §3's keys first (``focus`` a list of ids, shares as numbers), then the details."""
    document = {
        "version": 1,
        "view": view.kind,
        "team": view.team,
        "quarter": view.quarter,
        "sprint": view.sprint,
        "capacity": _number(view.capacity),
        "budget": _number(view.budget),
        "focus": [focus.id for focus in view.focus],
        "committed": _number(view.committed),
        "sprint_okr_share": jsonable(view.sprint_okr_share),
        "quarter_okr_share": jsonable(view.quarter_okr_share),
        "items": [
            {"id": i.id, "title": i.title, "krs": i.krs, "estimate": _number(i.estimate), "kept": i.kept, "why": i.why}
            for i in view.items
        ],
        "left_out": [
            {"id": i.id, "title": i.title, "estimate": _number(i.estimate), "reason": i.reason} for i in view.left_out
        ],
        "needs_estimate": view.needs_estimate,
        "focus_key_results": jsonable(view.focus),
        "budget_rule": view.budget_rule,
        "okr_capacity": list(view.okr_capacity),
        "mix_reachable": view.mix_reachable,
        "today": view.today.isoformat(),
        "file": view.file,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# -- diff ------------------------------------------------------------------------------------------


def diff(result: DiffResult) -> str:
    def side(revision) -> dict:
        return {"label": revision.label, "commit": revision.commit}

    document = {
        "version": 1,
        "repository": str(result.repository),
        "root": result.root,
        "base": side(result.base),
        "head": side(result.head),
        "today": result.today.isoformat(),
        "changes": [change.as_dict() for change in result.changes],
        "findings": [finding.as_dict() for finding in result.findings],
        "check": {
            "introduced": [finding.as_dict() for finding in result.introduced],
            "fixed": [finding.as_dict() for finding in result.fixed],
        },
        "summary": result.summary(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# -- retro -----------------------------------------------------------------------------------------


def retro(view: Retro) -> str:
    """SPEC's keys first (scores as numbers, ``final``), then the details: titles, dates, the summary table."""
    document = {
        "version": 1,
        "view": view.kind,
        "quarter": view.quarter,
        "as_of": view.as_of.isoformat(),
        "final": view.final,
        "today": view.today.isoformat(),
        "grade_bands": list(view.grade_bands),
        "teams": [_team_retro(team) for team in view.teams],
        "summary": [
            {
                "team": row.team,
                "company": row.company,
                "objectives": [
                    {"id": id, "score": jsonable(score), "grade": grade} for id, score, grade in row.objectives
                ],
            }
            for row in view.summary
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _team_retro(team: TeamRetro) -> dict:
    return {
        "team": team.team,
        "objectives": [
            {
                "id": objective.id,
                "type": objective.type,
                "score": jsonable(objective.score),
                "grade": objective.grade,
                "verdict": objective.verdict,
                "title": objective.title,
                "owner": objective.owner,
                "key_results": [
                    {
                        "id": kr.id,
                        "score": jsonable(kr.score),
                        "baseline": _number(kr.baseline),
                        "target": _number(kr.target),
                        "value": _number(kr.value),
                        "checkins": kr.checkins,
                        "longest_gap_days": kr.longest_gap_days,
                        "title": kr.title,
                        "unit": kr.unit,
                        "keep_above": _number(kr.keep_above),
                        "keep_below": _number(kr.keep_below),
                        "longest_gap": jsonable(list(kr.longest_gap)),
                        "checkin_dates": jsonable(kr.checkin_dates),
                    }
                    for kr in objective.key_results
                ],
            }
            for objective in team.objectives
        ],
        "rhythm": jsonable(team.rhythm),
        "sprints": [
            {
                "id": sprint.id,
                "committed_points": _number(sprint.committed_points),
                "done_points": _number(sprint.done_points),
                "moved": sprint.moved,
                "output_without_outcome": sprint.output_without_outcome,
                "committed_items": sprint.committed_items,
                "done_items": sprint.done_items,
                "not_moved": sprint.not_moved,
                "krs": sprint.krs,
                "capacity": _number(sprint.capacity),
                "state": sprint.state,
                "start": sprint.start.isoformat(),
                "end": sprint.end.isoformat(),
                "goal": sprint.goal,
            }
            for sprint in team.sprints
        ],
        "observations": jsonable(team.observations),
    }
