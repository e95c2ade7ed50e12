"""Markdown for ``$GITHUB_STEP_SUMMARY``, a pull-request comment or a wiki: check's summary, report, review, diff.

Every string from a plan file goes through ``inert_markdown`` (never into a code
span, where a backslash escapes nothing); the Markdown around it is okrsprint's.
"""

from __future__ import annotations

from fractions import Fraction

from okrsprint.diff.compare import Change
from okrsprint.engine import CheckResult
from okrsprint.findings import Finding, Severity
from okrsprint.numbers import format_number, percent, plural
from okrsprint.render import common
from okrsprint.render.common import inert_markdown
from okrsprint.views.alignment import AlignmentTree
from okrsprint.views.backlog import Backlog, BacklogGroup
from okrsprint.views.diff import DiffResult
from okrsprint.views.planning import SprintProposal
from okrsprint.views.report import Report, TeamQuarterReport
from okrsprint.views.retro import Retro, TeamRetro
from okrsprint.views.review import SprintReview

MARKDOWN_LIMIT = 60_000  # GitHub refuses comments over 65,536 characters
COLLAPSE_AFTER = 10  # longer lists go into <details>
ICONS = {Severity.ERROR: "❌ error", Severity.WARNING: "⚠️ warning", Severity.INFO: "ℹ️ info"}
MAX_ROWS = 500  # a PR comment holds 65,536 characters; the full list is in the text or SARIF output


def check(result: CheckResult, *, quiet: bool = False) -> str:
    counts = result.summary()
    scope = f"{plural(counts['files'], 'file')}, {plural(counts['documents'], 'plan document')}"
    hidden = [f"{plural(result.hidden, 'finding')} in other files not shown.", ""] if result.hidden else []
    lines = ["## okrsprint check", ""]
    if not result.findings:
        lines += [f"✅ All checks passed ({scope}).", "", *hidden]
        return "\n".join(lines)
    lines += [
        f"**{plural(counts['errors'], 'error')}, {plural(counts['warnings'], 'warning')}, "
        f"{plural(counts['infos'], 'info')}** ({scope}).",
        "",
        *hidden,
        "| severity | rule | location | message |",
        "|---|---|---|---|",
    ]
    for finding in result.findings[:MAX_ROWS]:
        location = finding.location
        where = inert_markdown(f"{location.file}:{location.line}:{location.column}")
        rule = f"{finding.code} {finding.name}"
        lines.append(f"| {ICONS[finding.severity]} | {rule} | {where} | {inert_markdown(finding.message)} |")
    if len(result.findings) > MAX_ROWS:
        lines += ["", f"… and {len(result.findings) - MAX_ROWS} more findings: run `okrsprint check` to see them all."]
    lines.append("")
    return "\n".join(lines)


# -- reports: report, review -----------------------------------------------------------------------


MOVED = {True: "✅ toward target", False: "❌ not toward target", None: "–"}
HELD_LABELS = {True: "✅ held", False: "❌ breached", None: "–"}


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A GFM table of cells that are Markdown already: plan text in them went through ``inert_markdown``."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines + [""]


def report(view: Report) -> str:
    lines = [f"# OKR report {view.quarter}", "", f"As of {view.today}.", ""]
    if view.alignment:
        lines.extend(_alignment(view.alignment))
    for team_quarter in view.team_quarters:
        lines.extend(_team_quarter(team_quarter))
    return "\n".join(lines)


def _alignment(tree: AlignmentTree) -> list[str]:
    """The tree as a nested list: company objectives, their key results, what rolls up into each."""
    lines = ["## Alignment", ""]
    for line in common.tree_lines(tree):
        indent = "  " * line.depth
        if line.node is not None:
            node = line.node
            name = inert_markdown(f"{node.team}:{node.id}")
            name = f"**{name}**" if line.depth == 0 else name
            progress = f"`{common.bar(node.progress)}` {percent(node.progress)}"
            lines.append(f"{indent}- {name} {inert_markdown(node.title)} · {progress}")
        elif line.key_result is not None:
            kr = line.key_result
            threshold = f" ({inert_markdown(kr.threshold)})" if kr.threshold else ""
            progress = f"`{common.bar(kr.progress)}` {percent(kr.progress)} {kr.status}"
            lines.append(f"{indent}- {inert_markdown(kr.id)} {inert_markdown(kr.title)}{threshold} · {progress}")
    lines.append("")
    if tree.unaligned:
        lines.extend(["**Aligned to nothing:**", ""])
        for entry in tree.unaligned:
            name = inert_markdown(f"{entry.team}:{entry.id}")
            lines.append(f"- {name} {inert_markdown(entry.title)} · {percent(entry.progress)}")
        lines.append("")
    return lines


def _team_quarter(tq: TeamQuarterReport) -> list[str]:
    lines = [
        f"## {inert_markdown(tq.team)} · {tq.quarter}",
        "",
        f"{common.date_range(tq.start, tq.end)} · day {tq.day} of {tq.days} ({percent(tq.elapsed)} elapsed)",
        "",
    ]
    for objective in tq.objectives:
        details = ", ".join(
            d for d in (objective.owner, objective.type, ", ".join(f"→ {p}" for p in objective.aligns_to)) if d
        )
        lines.extend(
            [f"### {inert_markdown(objective.id)} {inert_markdown(objective.title)} ({inert_markdown(details)})", ""]
        )
        rows = [
            [
                inert_markdown(kr.ref),
                inert_markdown(kr.title),
                inert_markdown(common.goal_text(kr)),
                f"`{common.bar(kr.shown_progress)}` {percent(kr.shown_progress)}",
                kr.status,
                format_number(kr.confidence),
                common.sparkline(kr.trend),
            ]
            for kr in objective.key_results
        ]
        lines.extend(
            table(
                [
                    "KR",
                    "Key result",
                    "Baseline → current → target (or threshold)",
                    "Progress",
                    "Status",
                    "Confidence",
                    "Trend",
                ],
                rows,
            )
        )
    if tq.sprints:
        rows = [
            [
                inert_markdown(s.id),
                s.state,
                common.date_range(s.start, s.end),
                inert_markdown(s.goal or "–"),
                inert_markdown(", ".join(s.krs) or "–"),
                f"{format_number(s.committed)}/{format_number(s.capacity)}",
                percent(s.load),
                format_number(s.okr),
                format_number(s.operational),
            ]
            for s in tq.sprints
        ]
        lines.extend(["### Sprints", ""])
        lines.extend(
            table(["Sprint", "State", "Dates", "Goal", "KRs", "Committed/capacity", "Load", "OKR", "Operational"], rows)
        )
        lines.extend(["### Traceability", ""])
        matrix = [
            [inert_markdown(row.key_result), *(_cell(c.goal, len(c.items)) for c in row.cells)]
            for row in tq.traceability
        ]
        lines.extend(table(["Key result", *(inert_markdown(s.id) for s in tq.sprints)], matrix))
        lines.extend(
            ["● the sprint goal drives it, ○ only its committed items do; n: committed items tagged with it", ""]
        )
    if tq.sprints:  # a team-quarter without sprints (the company's) has no capacity to split
        lines.extend(_capacity(tq))
    return lines


def _capacity(tq: TeamQuarterReport) -> list[str]:
    lines: list[str] = []
    head, detail = common.so_far_sentence(tq.so_far, inert_markdown)
    lines.extend([f"**{head}**: {detail}", ""])
    share = tq.capacity
    band = f"{percent(share.low)}–{percent(share.high)}"
    if share.share is None:
        lines.extend([f"**OKR capacity share:** nothing committed yet (band {band}).", ""])
    else:
        verdict = "within" if share.within else "**outside**"
        lines.extend(
            [
                f"**OKR capacity share:** {percent(share.share)} ({format_number(share.okr)} of "
                f"{format_number(share.total)} "
                f"committed points drive key results, {format_number(share.operational)} operational), {verdict} the "
                f"{band} band.",
                "",
            ]
        )
    return lines


def _cell(goal: bool, items: int) -> str:
    if not goal and not items:
        return "·"
    return f"{'●' if goal else '○'}{items or ''}"


BACKLOG_GROUPS = {
    "okr": "Driving key results (furthest behind first)",
    "operational": "Operational work (deferred, never dropped)",
    "done": "Done",
}


def backlog(view: Backlog) -> str:
    lines = [
        f"# {inert_markdown(view.team)} · {view.quarter} backlog",
        "",
        f"{percent(view.elapsed)} of the quarter elapsed on {view.today}.",
        "",
    ]
    for group in (view.okr, view.operational, view.done):
        lines.extend(_backlog_group(group))
    return "\n".join(lines)


def _backlog_group(group: BacklogGroup) -> list[str]:
    lines = [
        f"## {BACKLOG_GROUPS[group.name]}",
        "",
        f"{format_number(group.estimate)} points, {percent(group.share)} of the estimate.",
        "",
    ]
    if not group.items:
        return [*lines, "None.", ""]
    rows = [
        [
            str(position),
            inert_markdown(entry.id),
            inert_markdown(entry.title),
            inert_markdown(", ".join(entry.krs) or "–"),
            format_number(entry.estimate),
            entry.status,
            _backlog_lag(entry.behind) if group.name == "okr" else "deferred" if group.name == "operational" else "–",
        ]
        for position, entry in enumerate(group.items, 1)
    ]
    last = "Behind" if group.name == "okr" else "Order"
    return lines + table(["#", "Item", "Title", "KRs", "Estimate", "Status", last], rows)


def _backlog_lag(behind: Fraction | None) -> str:
    """``+16 pts``: percentage points the item's key result trails the calendar by."""
    return "–" if behind is None else f"{float(behind) * 100:+.0f} pts"


def review(view: SprintReview) -> str:
    lines = [
        f"# Sprint review: {inert_markdown(view.team)} {inert_markdown(view.sprint)} ({view.quarter})",
        "",
        f"{common.date_range(view.start, view.end)}",
        "",
    ]
    if view.goal:
        lines.extend([f"**Goal:** {inert_markdown(view.goal)}", ""])
    lines.extend(
        [
            "## Output",
            "",
            f"{view.done_items} of {view.committed_items} items done, {format_number(view.done_points)} of "
            f"{format_number(view.committed_points)} points.",
            "",
        ]
    )
    rows = [
        [
            inert_markdown(i.id),
            inert_markdown(i.title),
            inert_markdown(", ".join(i.krs) or "–"),
            format_number(i.estimate),
            i.status,
        ]
        for i in view.items
    ]
    lines.extend(table(["Item", "Title", "KRs", "Estimate", "Status"], rows))
    lines.extend(["## Outcome", ""])
    if view.outcomes:
        rows = [
            [
                inert_markdown(o.key_result),
                inert_markdown(o.title),
                f"{format_number(o.before)} ({o.before_date})",
                f"{format_number(o.after)} ({o.after_date}{', so far' if o.so_far else ''})",
                "–" if o.change is None else f"{float(o.change):+g}",
                MOVED[o.moved_toward_target] if o.threshold is None else HELD_LABELS[o.held],
            ]
            for o in view.outcomes
        ]
        lines.extend(table(["KR", "Key result", "Day before", "Last day + lag", "Change", "Moved"], rows))
    else:
        lines.extend(["The sprint is linked to no key result.", ""])
    for finding in view.findings:
        lines.extend([f"> **{finding['code']}** ({finding['severity']}): {inert_markdown(finding['message'])}", ""])
    return "\n".join(lines)


def plan(view: SprintProposal) -> str:
    low, high = view.okr_capacity
    lines = [
        f"# Sprint planning: {inert_markdown(view.team)} {inert_markdown(view.sprint)} ({view.quarter})",
        "",
        f"{common.date_range(view.start, view.end)}",
        "",
        "**Focus:** "
        + (
            "; ".join(
                f"{inert_markdown(kr.id)} {inert_markdown(kr.title)}"
                + ("" if kr.behind is None else f" ({float(kr.behind) * 100:+.0f} pts behind the calendar)")
                for kr in view.focus
            )
            or "no key result to drive"
        ),
        "",
        f"**Budget:** {format_number(view.budget)} of capacity {format_number(view.capacity)} ({view.budget_rule})",
        "",
        f"**Proposed:** {format_number(view.committed)} of {format_number(view.budget)} points; OKR share "
        f"{percent(view.sprint_okr_share)} in the sprint, {percent(view.quarter_okr_share)} in the quarter after it "
        f"(band {percent(low)}–{percent(high)})",
        "",
    ]
    if not view.mix_reachable:
        lines += ["No choice of items keeps the quarter's OKR share in the band: the mix was ignored.", ""]
    rows = [
        [inert_markdown(i.id), inert_markdown(i.title), inert_markdown(", ".join(i.krs) or "–"),
         format_number(i.estimate), inert_markdown(i.why)]
        for i in view.items
    ]  # fmt: skip
    lines.extend(table(["Item", "Title", "KRs", "Estimate", "Why"], rows))
    if view.left_out:
        rows = [
            [inert_markdown(i.id), inert_markdown(i.title), format_number(i.estimate), i.reason.replace("-", " ")]
            for i in view.left_out
        ]
        lines.extend(["## Left out", "", *table(["Item", "Title", "Estimate", "Why"], rows)])
    if view.needs_estimate:
        lines.extend([f"**Needs an estimate:** {inert_markdown(', '.join(view.needs_estimate))}", ""])
    targets = inert_markdown(", ".join(kr.id for kr in view.focus))
    moves = f" that moves {targets}" if targets else ""
    lines.extend([f"**Sprint goal:** write what will be true at the end of {inert_markdown(view.sprint)}{moves}.", ""])
    return "\n".join(lines)


# -- diff ------------------------------------------------------------------------------------------


SEVERITY_ICONS = {"error": "🔴", "warning": "🟡", "info": "🔵"}


def _finding_rows(findings: list[Finding]) -> list[str]:
    rows = ["| | rule | where | message |", "|---|---|---|---|"]
    for finding in findings:
        icon = SEVERITY_ICONS[finding.severity.value]
        cells = [
            icon,
            f"{finding.code} {finding.name}",
            inert_markdown(common.where(finding)),
            inert_markdown(finding.message),
        ]
        rows.append(f"| {' | '.join(cells)} |")
    return rows


def _collapsible(summary: str, lines: list[str], count: int) -> list[str]:
    if count <= COLLAPSE_AFTER:
        return [f"**{summary}**", "", *lines, ""]
    return ["<details>", f"<summary>{summary} ({count})</summary>", "", *lines, "", "</details>", ""]


def _change_line(change: Change) -> str:
    return f"- `{change.sign}` {inert_markdown(change.text)}"


def diff(result: DiffResult) -> str:
    lines = [
        f"### okrsprint diff: {inert_markdown(common.diff_header(result))}",
        "",
        f"{common.diff_summary(result)}.",
        "",
    ]
    if result.findings:
        lines += ["#### Flagged", "", *_finding_rows(result.findings), ""]
    if not result.groups():
        lines += ["No semantic change to the plan.", ""]
    for key in result.groups():
        changes = common.in_group(key, result.changes)
        lines += [f"#### {inert_markdown(common.group_label(key))}", ""]
        if changes:
            lines += _collapsible("Changes", [_change_line(change) for change in changes], len(changes))
        for title, findings in (
            ("Check findings introduced", common.in_group(key, result.introduced)),
            ("Check findings fixed", common.in_group(key, result.fixed)),
        ):
            if findings:
                lines += _collapsible(title, _finding_rows(findings), len(findings))
    return _fit("\n".join(lines).rstrip() + "\n")


def _fit(markdown: str) -> str:
    """Cut at a line boundary (and close an open <details>) so the comment stays under GitHub's limit."""
    if len(markdown) <= MARKDOWN_LIMIT:
        return markdown
    cut = markdown.rfind("\n", 0, MARKDOWN_LIMIT - 200)
    kept = markdown[:cut]
    closing = "\n</details>" if kept.count("<details>") > kept.count("</details>") else ""
    return f"{kept}{closing}\n\n_… cut to fit a comment: run `okrsprint diff --format json` for everything._\n"


# -- retro: a wiki page ----------------------------------------------------------------------------

GRADE_ICONS = {"red": "🔴", "yellow": "🟡", "green": "🟢"}


def retro(view: Retro) -> str:
    lines = [f"# {common.retro_heading(view)}", ""]
    if len(view.teams) > 1:
        rows = [
            [
                inert_markdown(row.team) + (" (company)" if row.company else ""),
                ", ".join(f"{inert_markdown(o)} {GRADE_ICONS[g]} {common.score_text(s)}" for o, s, g in row.objectives),
            ]
            for row in view.summary
        ]
        lines += ["## Scores by team", "", *table(["team", "objective scores"], rows)]
    for team in view.teams:
        lines += _team_retro(team, view)
    return "\n".join(lines).rstrip() + "\n"


def _team_retro(team: TeamRetro, view: Retro) -> list[str]:
    lines = [f"## {inert_markdown(team.team)} · {team.quarter}", ""]
    for objective in team.objectives:
        grade = f"{GRADE_ICONS[objective.grade]} {common.score_text(objective.score)} {objective.grade}"
        lines += [
            f"### {inert_markdown(objective.id)} {inert_markdown(objective.title)}",
            "",
            f"{objective.type} · {grade} · **{objective.verdict}{view.so_far}**",
            "",
        ]
        rows = [
            [
                inert_markdown(kr.id),
                inert_markdown(kr.title),
                inert_markdown(common.goal_path(kr)),
                common.score_text(kr.score),
                str(kr.checkins),
                f"{kr.longest_gap_days} days",
            ]
            for kr in objective.key_results
        ]
        lines += table(["KR", "key result", "values", "score", "check-ins", "longest gap"], rows)
    lines += ["### Rhythm", "", *(f"- {line}" for line in common.rhythm_lines(team.rhythm, view.so_far))]
    lines += [f"- Check-ins at most every {team.rhythm.checkin_interval_days} days", ""]
    if team.sprints:
        rows = [
            [
                inert_markdown(sprint.id),
                common.output_text(sprint),
                inert_markdown(", ".join(sprint.moved)) or "–",
                inert_markdown(", ".join(sprint.not_moved)) or "–",
                "⚠️ yes" if sprint.output_without_outcome else "no",
            ]
            for sprint in team.sprints
        ]
        lines += ["### Sprints", "", *table(["sprint", "output", "moved", "not moved", "output without outcome"], rows)]
    lines += ["### For the retrospective", ""]
    for observation in team.observations:
        refs = inert_markdown(", ".join(observation.refs))
        lines.append(f"- **{observation.kind}**: {inert_markdown(observation.text)} ({refs})")
    if not team.observations:
        lines.append("- nothing stood out in the data")
    return [*lines, ""]
