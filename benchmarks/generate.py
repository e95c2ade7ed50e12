"""Generate a synthetic okrsprint planning repo for benchmarks.

    python benchmarks/generate.py OUT_DIR --teams T --items B [--seed N] [--departments D]

Each team gets `teams/<team>/okrs.yaml`, `backlog.yaml` and `sprints.yaml` for
2026-Q4. With `--departments D`, the repo is a three-level company: a `company`
team (okrs only, `company_team` in the config), D departments (`dept-01`, ...,
okrs only) whose objectives align to the company's objectives or key results,
and the teams, whose objectives align to their department's. A few rule
violations are sprinkled in on purpose, so that the checker's rules find
something and do real work rather than run idle.

The YAML is written with plain string formatting instead of a YAML emitter:
500 teams x 300 items (~25 MB) must take seconds. Every free-text value is
therefore drawn from word lists that are safe as plain (unquoted) scalars.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

QUARTER = "2026-Q4"
# The day the benchmark passes as --today; item statuses are set relative to it.
TODAY = date(2026, 11, 23)
FIRST_SPRINT_START = date(2026, 10, 5)
LAST_SPRINT_END = date(2026, 12, 23)  # the last sprint is cut short by the holidays
SPRINT_COUNT = 6
OBJECTIVE_COUNT = 3
KEY_RESULTS_PER_OBJECTIVE = 3
# Check-ins fall on Oct 1 .. Nov 20, before TODAY, so none lies in the future.
CHECKIN_DAYS = [date(2026, 10, 1) + timedelta(days=n) for n in range(51)]

# How often each deliberate violation appears (rule it triggers).
EXTRA_OBJECTIVE_RATE = 0.05  # per team: a 4th objective (A101)
TASK_TITLE_RATE = 0.05  # per key result: title starts with "Implement" (A105)
UNDOCUMENTED_SPRINT_RATE = 0.05  # per sprint: krs [] and no not_okr_reason (A203)
DOCUMENTED_SPRINT_RATE = 0.10  # per sprint: krs [] with a reason (allowed)
UNKNOWN_KR_RATE = 0.005  # per item: reference to a key result that does not exist (S004)
UNKNOWN_FIELD_RATE = 0.02  # per team: one item with an unknown field (S002)
CROSS_TEAM_KR_RATE = 0.03  # per item: another team's key result (valid, exercises lookup)
OPERATIONAL_ITEM_RATE = 0.35  # per item: no key result at all

AREAS = [
    "onboarding",
    "checkout",
    "search",
    "billing",
    "mobile app",
    "partner API",
    "reporting",
    "notifications",
    "account settings",
    "help center",
    "order tracking",
    "recommendations",
    "data export",
    "admin console",
]
# (metric, unit, lowest baseline, highest baseline, relative change to target, decimals)
METRICS = [
    ("conversion rate", "%", 8, 40, 0.30, 1),
    ("median page load time", "ms", 600, 2400, -0.35, 0),
    ("weekly active users", "users", 1000, 60000, 0.20, 0),
    ("support tickets per week", "tickets", 40, 400, -0.40, 0),
    ("net promoter score", "points", 10, 45, 0.25, 0),
    ("abandonment rate", "%", 20, 70, -0.25, 1),
    ("error rate", "%", 1, 6, -0.50, 2),
    ("task success rate", "%", 50, 85, 0.12, 1),
    ("time to first value", "minutes", 5, 40, -0.40, 1),
]
OBJECTIVE_TEMPLATES = [
    "Make {area} effortless for new customers",
    "Delight returning customers in {area}",
    "Make {area} fast and reliable",
    "Grow adoption of {area}",
    "Cut the cost of running {area}",
    "Earn the trust of enterprise customers in {area}",
]
TASK_TEMPLATES = [
    "Implement the new {area} flow",
    "Implement {area} redesign",
    "Implement tracking for {area}",
]
GOAL_TEMPLATES = [
    "Three variants of the {area} page are live in an A/B test",
    "Customers finish {area} without contacting support",
    "The new {area} flow serves ten percent of traffic",
    "{Area} answers in under 300 ms at the 95th percentile",
    "Every {area} error is visible on the team dashboard",
    "Returning customers see their saved {area} preferences",
]
ITEM_TEMPLATES = [
    "Add retry with backoff to {area} webhooks",
    "Show progress indicator during {area}",
    "Cache {area} responses at the edge",
    "Remove the legacy {area} endpoint",
    "Log {area} failures with request ids",
    "Simplify the {area} form to three fields",
    "Translate {area} copy into German and French",
    "Alert on-call when {area} error rate spikes",
    "Load test {area} at twice the peak traffic",
    "Write a runbook for {area} incidents",
    "Fix flaky integration tests in {area}",
    "Upgrade the {area} database driver",
]
NOT_OKR_REASONS = [
    "Hardening sprint before the holiday code freeze",
    "Security patches and dependency upgrades",
    "Paying down incident follow-ups from the last quarter",
]
NOTES = [
    "on track",
    "variant B leads",
    "holiday traffic dip",
    "waiting on data pipeline",
    "new cohort looks better",
    "measured after the release",
    "flat this week",
    "partner rollout delayed",
    "better than forecast",
]
OWNERS = ["maria", "jonas", "aisha", "li", "pedro", "sofia", "tomasz", "ngozi"]
ESTIMATES = [1, 2, 3, 5, 8, 13]


@dataclass(slots=True)
class Item:
    """A backlog item, kept until sprints are planned so its status can follow them."""

    id: str
    title: str
    krs: list[str]
    estimate: int
    rank: int | None
    status: str = "todo"
    unknown_field: bool = False


@dataclass(slots=True)
class Sprint:
    """A sprint's dates and the items committed to it."""

    id: str
    start: date
    end: date
    items: list[Item] = field(default_factory=list)


def team_name(number: int) -> str:
    """Team slug used for the directory and the `team` field."""
    return f"team-{number:03d}"


def sprint_windows() -> list[tuple[date, date]]:
    """Six Monday-to-Friday-next-week sprints from Oct 5, the last one ending Dec 23."""
    windows = []
    for n in range(SPRINT_COUNT):
        start = FIRST_SPRINT_START + timedelta(days=14 * n)
        windows.append((start, min(start + timedelta(days=11), LAST_SPRINT_END)))
    return windows


def header(kind: str, team: str) -> list[str]:
    """The lines every plan document starts with."""
    return [f"kind: {kind}", f"team: {team}", f"quarter: {QUARTER}"]


def number(value: float, decimals: int) -> str:
    """A YAML number with the metric's precision (an int when it has none)."""
    return str(int(round(value))) if decimals == 0 else str(round(value, decimals))


def key_result_title(rng: random.Random, area: str, metric: str) -> str:
    """A metric name, or now and then a task disguised as a key result (A105)."""
    if rng.random() < TASK_TITLE_RATE:
        return rng.choice(TASK_TEMPLATES).format(area=area)
    return f"{area.capitalize()} {metric}"


def checkin_lines(rng: random.Random, baseline: float, target: float, decimals: int) -> list[str]:
    """4-6 check-ins in Oct-Nov whose values drift from baseline towards target."""
    lines = []
    days = sorted(rng.sample(CHECKIN_DAYS, rng.randint(4, 6)))
    for day in days:
        share = (day - CHECKIN_DAYS[0]).days / len(CHECKIN_DAYS) + rng.uniform(-0.15, 0.15)
        lines += [
            f"          - date: {day.isoformat()}",
            f"            value: {number(baseline + (target - baseline) * share, decimals)}",
            f"            confidence: {rng.randint(3, 9) / 10}",
            f"            note: {rng.choice(NOTES)}",
        ]
    return lines


def key_result_lines(rng: random.Random, kr_id: str, area: str) -> list[str]:
    """One key result with a measurable baseline and target and its check-ins."""
    metric, unit, low, high, change, decimals = rng.choice(METRICS)
    baseline = rng.uniform(low, high)
    target = baseline * (1 + change)
    return [
        f"      - id: {kr_id}",
        f"        title: {key_result_title(rng, area, metric)}",
        f'        unit: "{unit}"',
        f"        baseline: {number(baseline, decimals)}",
        f"        target: {number(target, decimals)}",
        "        checkins:",
        *checkin_lines(rng, baseline, target, decimals),
    ]


def okrs_document(rng: random.Random, team: str, parents: list[str] | None = None) -> tuple[str, list[str]]:
    """The okrs document and the ids of its key results (KR1, KR2, ... across objectives); with ``parents``,
    each objective aligns to one of them (``company:O2``, ``dept-01:KR4``)."""
    objective_count = OBJECTIVE_COUNT + (parents is None and rng.random() < EXTRA_OBJECTIVE_RATE)
    lines = header("okrs", team) + ["objectives:"]
    kr_ids = []
    for o in range(1, objective_count + 1):
        area = rng.choice(AREAS)
        lines += [
            f"  - id: O{o}",
            f"    title: {rng.choice(OBJECTIVE_TEMPLATES).format(area=area)}",
            f"    owner: {rng.choice(OWNERS)}",
            f"    type: {rng.choice(['committed', 'aspirational'])}",
            *([f"    aligns_to: {rng.choice(parents)}"] if parents else []),
            "    key_results:",
        ]
        for _ in range(KEY_RESULTS_PER_OBJECTIVE):
            kr_ids.append(f"KR{len(kr_ids) + 1}")
            lines += key_result_lines(rng, kr_ids[-1], area)
    return "\n".join(lines) + "\n", kr_ids


def item_krs(rng: random.Random, kr_ids: list[str], other_teams: list[str]) -> list[str]:
    """Mostly one or two own key results; some operational, cross-team or dangling refs."""
    if rng.random() < OPERATIONAL_ITEM_RATE:
        return []
    krs = rng.sample(kr_ids, rng.randint(1, 2))
    if other_teams and rng.random() < CROSS_TEAM_KR_RATE:
        krs.append(f"{rng.choice(other_teams)}:KR{rng.randint(1, len(kr_ids))}")
    if rng.random() < UNKNOWN_KR_RATE:
        krs.append("KR99")
    return krs


def backlog_items(
    rng: random.Random, team_no: int, count: int, kr_ids: list[str], other_teams: list[str]
) -> list[Item]:
    """`count` items; at most one per team carries an unknown field."""
    items = [
        Item(
            id=f"T{team_no:03d}-{101 + n}",
            title=rng.choice(ITEM_TEMPLATES).format(area=rng.choice(AREAS)),
            krs=item_krs(rng, kr_ids, other_teams),
            estimate=rng.choice(ESTIMATES),
            rank=n + 1 if rng.random() < 0.9 else None,
        )
        for n in range(count)
    ]
    if items and rng.random() < UNKNOWN_FIELD_RATE:
        rng.choice(items).unknown_field = True
    return items


def status_for(rng: random.Random, sprint: Sprint) -> str:
    """Past sprints are (mostly) done, the running one is mixed, later ones not started."""
    if sprint.end < TODAY:
        return "done" if rng.random() < 0.9 else "doing"
    if sprint.start <= TODAY:
        return rng.choice(["todo", "doing", "done"])
    return "todo"


def plan_sprints(rng: random.Random, items: list[Item]) -> list[Sprint]:
    """Commit 8-15 distinct items to each sprint and set the items' status accordingly."""
    pool = items[:]
    rng.shuffle(pool)
    sprints = []
    for n, (start, end) in enumerate(sprint_windows(), start=1):
        sprint = Sprint(id=f"S{n}", start=start, end=end)
        take = min(rng.randint(8, 15), len(pool))
        sprint.items, pool = pool[:take], pool[take:]
        for item in sprint.items:
            item.status = status_for(rng, sprint)
        sprints.append(sprint)
    return sprints


def backlog_document(team: str, items: list[Item]) -> str:
    """The backlog document, in flow style for `krs` as people write it."""
    lines = header("backlog", team) + ["items:"]
    for item in items:
        lines += [
            f"  - id: {item.id}",
            f"    title: {item.title}",
            f"    krs: [{', '.join(item.krs)}]",
            f"    estimate: {item.estimate}",
            f"    status: {item.status}",
        ]
        if item.rank is not None:
            lines.append(f"    rank: {item.rank}")
        if item.unknown_field:
            lines.append("    assignee: maria")
    return "\n".join(lines) + "\n"


def sprint_link_lines(rng: random.Random, sprint: Sprint) -> list[str]:
    """The sprint's `krs` (its items' own key results) or a deliberate unlinked variant."""
    roll = rng.random()
    if roll < UNDOCUMENTED_SPRINT_RATE:
        return ["    krs: []"]
    if roll < UNDOCUMENTED_SPRINT_RATE + DOCUMENTED_SPRINT_RATE:
        return ["    krs: []", f"    not_okr_reason: {rng.choice(NOT_OKR_REASONS)}"]
    own = sorted({kr for item in sprint.items for kr in item.krs if kr.startswith("KR")})
    return [f"    krs: [{', '.join(own[:3])}]"]


def sprints_document(rng: random.Random, team: str, sprints: list[Sprint]) -> str:
    """The sprints document with goals, capacity around the committed estimate, and items."""
    lines = header("sprints", team) + ["sprints:"]
    area = rng.choice(AREAS)
    for sprint in sprints:
        committed = sum(item.estimate for item in sprint.items)
        lines += [
            f"  - id: {sprint.id}",
            f"    start: {sprint.start.isoformat()}",
            f"    end: {sprint.end.isoformat()}",
            f"    goal: {rng.choice(GOAL_TEMPLATES).format(area=area, Area=area.capitalize())}",
            *sprint_link_lines(rng, sprint),
            f"    capacity: {round(committed * rng.uniform(0.9, 1.3))}",
            f"    items: [{', '.join(item.id for item in sprint.items)}]",
        ]
    return "\n".join(lines) + "\n"


def write_team(
    out_dir: Path, rng: random.Random, team_no: int, teams: int, items: int, parents: list[str] | None = None
) -> None:
    """Write one team's three plan files."""
    team = team_name(team_no)
    other_teams = [team_name(n) for n in rng.sample(range(1, teams + 1), min(teams, 4)) if n != team_no]
    okrs, kr_ids = okrs_document(rng, team, parents)
    backlog = backlog_items(rng, team_no, items, kr_ids, other_teams)
    sprints = plan_sprints(rng, backlog)
    team_dir = out_dir / "teams" / team
    team_dir.mkdir(parents=True, exist_ok=True)
    (team_dir / "okrs.yaml").write_text(okrs, encoding="utf-8")
    (team_dir / "backlog.yaml").write_text(backlog_document(team, backlog), encoding="utf-8")
    (team_dir / "sprints.yaml").write_text(sprints_document(rng, team, sprints), encoding="utf-8")


COMPANY = "company"


def department_name(number: int) -> str:
    return f"dept-{number:02d}"


def write_okrs_only(out_dir: Path, rng: random.Random, team: str, parents: list[str] | None) -> list[str]:
    """A company or department: okrs and no backlog or sprints; returns what can align to it (its objectives
    and key results, as ``team:ID``)."""
    okrs, kr_ids = okrs_document(rng, team, parents)
    team_dir = out_dir / "teams" / team
    team_dir.mkdir(parents=True, exist_ok=True)
    (team_dir / "okrs.yaml").write_text(okrs, encoding="utf-8")
    return [f"{team}:O{o}" for o in range(1, OBJECTIVE_COUNT + 1)] + [f"{team}:{kr}" for kr in kr_ids]


def generate(out_dir: Path, teams: int, items: int, seed: int = 0, departments: int = 0) -> None:
    """Write a whole planning repo; the same arguments always give the same bytes."""
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    company = f"company_team: {COMPANY}\n" if departments else ""
    (out_dir / "okrsprint.yaml").write_text(
        f"# Synthetic planning repo written by benchmarks/generate.py\nyear_start_month: 1\n{company}",
        encoding="utf-8",
    )
    parents_of_department = write_okrs_only(out_dir, rng, COMPANY, None) if departments else []
    department_parents = [
        write_okrs_only(out_dir, rng, department_name(n), parents_of_department) for n in range(1, departments + 1)
    ]
    for team_no in range(1, teams + 1):
        parents = department_parents[(team_no - 1) % departments] if departments else None
        write_team(out_dir, rng, team_no, teams, items, parents)


def non_negative(text: str) -> int:
    """argparse type: an integer >= 0."""
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic okrsprint planning repo.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--teams", type=non_negative, required=True)
    parser.add_argument("--items", type=non_negative, required=True, help="backlog items per team")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--departments", type=non_negative, default=0, help="a company and this many departments above the teams"
    )
    args = parser.parse_args(argv)
    generate(args.out_dir, args.teams, args.items, args.seed, args.departments)


if __name__ == "__main__":
    main()
