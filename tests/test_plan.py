"""okrsprint plan: the proposal (budget, focus, order, mix), its exits, --write, and the fill against brute force."""

from __future__ import annotations

import difflib
import json
import tempfile
from datetime import date
from fractions import Fraction
from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import okrsprint.commands.plan as plan_command
from okrsprint.cli import app
from okrsprint.views.planning import Candidate, Mix, ProposedItem, fill, reachable
from tests.helpers import check, write

DAY = "2026-10-10"  # in S1 of 2026-Q4; S2 and S3 are open
CONFIG = "team: web\nsettings:\n  okr_capacity: [0.6, 0.65]\n"
OKRS = """\
kind: okrs
quarter: 2026-Q4
objectives:
  - id: O1
    title: Customers find what they need
    owner: ana
    key_results:
      - {id: KR1, title: Search success rate, baseline: 0, target: 10, checkins: [{date: 2026-10-09, value: 5}]}
      - {id: KR2, title: Support tickets per week, baseline: 10, target: 0, current: 9}
"""
BACKLOG = """\
kind: backlog
quarter: 2026-Q4
items:
  - {id: A1, title: Synonyms in search, krs: [KR1], estimate: 6, status: doing}
  - {id: P1, title: Rotate keys, estimate: 4}
  - {id: K1, title: Spelling suggestions, krs: [KR1], estimate: 3, rank: 1}
  - {id: K2, title: Help centre answers in search, krs: [KR2], estimate: 5}
  - {id: K3, title: Order status page, krs: [KR2], estimate: 2, rank: 1}
  - {id: K4, title: Search filters, krs: [KR1], estimate: 1, rank: 2}
  - {id: U1, title: Voice search, krs: [KR1]}
  - {id: P2, title: Upgrade the framework, estimate: 3, rank: 2}
  - {id: P3, title: Flaky test triage, estimate: 2, rank: 1}
  - {id: D1, title: Old task, estimate: 1, status: done}
"""
SPRINTS = """\
kind: sprints
quarter: 2026-Q4
sprints:
  - {id: S1, start: 2026-10-05, end: 2026-10-16, goal: Synonyms found, krs: [KR1], capacity: 12, items: [A1, P1]}
  - {id: S2, start: 2026-10-19, end: 2026-10-30, capacity: 12}
  - {id: S3, start: 2026-11-02, end: 2026-11-13, capacity: 10}
"""


def small_repo(tmp_path: Path, **overrides: str) -> Path:
    files = {"okrsprint.yaml": CONFIG, "okrs.yaml": OKRS, "backlog.yaml": BACKLOG, "sprints.yaml": SPRINTS}
    files.update(overrides)
    return write(tmp_path, files)


def run(*args: str):
    return CliRunner().invoke(app, ["plan", *args])


def proposal(root: Path, *args: str, today: str = DAY) -> dict:
    result = run(str(root), "--today", today, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- the proposal ------------------------------------------------------------------------------------


def test_json_proposal_is_exact(tmp_path):
    """KR2 trails most (focus): K3, K2 first; K1 and K4 then P3 would leave the band 60–65 %, P2 lands in it."""
    document = proposal(small_repo(tmp_path))
    assert {key: document[key] for key in ("team", "quarter", "sprint", "capacity", "budget", "focus")} == {
        "team": "web", "quarter": "2026-Q4", "sprint": "S2", "capacity": 12, "budget": 12, "focus": ["KR2"],
    }  # fmt: skip
    assert (document["committed"], document["sprint_okr_share"], document["quarter_okr_share"]) == (10, 0.7, 0.65)
    assert [(i["id"], i["krs"], i["estimate"], i["kept"]) for i in document["items"]] == [
        ("K3", ["KR2"], 2, False), ("K2", ["KR2"], 5, False), ("P2", [], 3, False),
    ]  # fmt: skip
    assert [(i["id"], i["estimate"], i["reason"]) for i in document["left_out"]] == [
        ("K1", 3, "does-not-fit"), ("K4", 1, "breaks-mix"), ("P3", 2, "breaks-mix"), ("U1", None, "no-estimate"),
    ]  # fmt: skip
    assert document["needs_estimate"] == ["U1"]
    assert document["mix_reachable"] is True


def test_text_proposal_names_focus_totals_left_out_and_the_goal_prompt(tmp_path):
    result = run(str(small_repo(tmp_path)), "--today", DAY)
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[0] == "web · 2026-Q4 · sprint S2 planning  Oct 19–30"
    assert "Focus: KR2 Support tickets per week (+1 pts behind the calendar)" in lines
    assert "Budget: 12 of capacity 12 (full capacity)" in lines
    assert "Proposed: 10 of 12 points; OKR share 70% in the sprint, 65% in the quarter after" in lines
    assert any(line.startswith("K4") and line.endswith("would break the mix") for line in lines)
    assert any(line.startswith("K1") and line.endswith("does not fit") for line in lines)
    assert "Needs an estimate: U1" in lines
    assert "Sprint goal: write what will be true at the end of S2 that moves KR2: an" in lines


def test_markdown_proposal_escapes_plan_text(tmp_path):
    root = small_repo(tmp_path, **{"backlog.yaml": BACKLOG.replace("Order status page", "Order *status* page")})
    result = run(str(root), "--today", DAY, "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "| K3 | Order \\*status\\* page | KR2 | 2 | drives the focus key result |" in result.stdout


def test_focus_option_reorders_the_walk(tmp_path):
    document = proposal(small_repo(tmp_path), "--focus", "KR1")
    assert document["focus"] == ["KR1"]
    assert [item["id"] for item in document["items"]][:1] == ["K1"]


def test_sprint_krs_are_the_focus(tmp_path):
    sprints = SPRINTS.replace("{id: S2, start", "{id: S2, krs: [KR1], start")
    document = proposal(small_repo(tmp_path, **{"sprints.yaml": sprints}), "--sprint", "S2")
    assert document["focus"] == ["KR1"]


@pytest.mark.parametrize(
    ("sprint", "budget"),
    [("S1", 9.6), ("S2", 12), ("S3", 9)],  # first: × 0.8; middle: × 1; last (starts within 28 days of the end): × 0.9
)
def test_budget_of_first_middle_and_last_sprint(tmp_path, sprint, budget):
    sprints = SPRINTS.replace(
        "{id: S3, start: 2026-11-02, end: 2026-11-13", "{id: S3, start: 2026-12-07, end: 2026-12-18"
    )
    document = proposal(small_repo(tmp_path, **{"sprints.yaml": sprints}), "--sprint", sprint)
    assert document["budget"] == budget
    assert document["committed"] <= max(budget, sum(i["estimate"] for i in document["items"] if i["kept"]))


def test_last_sprint_only_when_it_reaches_the_quarters_end(tmp_path):
    """S3 starting 2026-12-03 is 28 days before Dec 31: not yet the last sprint (A303's reading), full budget."""
    sprints = SPRINTS.replace(
        "{id: S3, start: 2026-11-02, end: 2026-11-13", "{id: S3, start: 2026-12-03, end: 2026-12-14"
    )
    assert proposal(small_repo(tmp_path, **{"sprints.yaml": sprints}), "--sprint", "S3")["budget"] == 10


def test_items_already_in_the_sprint_are_kept_first(tmp_path):
    document = proposal(small_repo(tmp_path), "--sprint", "S1")
    assert [(i["id"], i["kept"]) for i in document["items"]][:2] == [("A1", True), ("P1", True)]
    assert all(not item["kept"] for item in document["items"][2:])


def test_items_of_another_sprint_not_done_are_no_candidates_but_carry_overs_are(tmp_path):
    """K1 is committed to the running S1: not proposed. P1, still todo in a done sprint, may carry over."""
    sprints = SPRINTS.replace("items: [A1, P1]", "items: [A1, K1]")
    ids = {i["id"] for i in proposal(small_repo(tmp_path, **{"sprints.yaml": sprints}))["items"]}
    assert "K1" not in ids
    later = proposal(small_repo(tmp_path, **{"sprints.yaml": SPRINTS}), today="2026-10-17")
    assert later["sprint"] == "S2"
    assert "P1" in {i["id"] for i in later["items"]} | {i["id"] for i in later["left_out"]}


def test_identical_input_gives_identical_output(tmp_path):
    root = small_repo(tmp_path)
    assert run(str(root), "--today", DAY).stdout == run(str(root), "--today", DAY).stdout


# -- exits -------------------------------------------------------------------------------------------


def usage_error(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 2, result.output
    return result.stderr


def test_every_sprint_planned_is_exit_2(tmp_path):
    message = usage_error(str(small_repo(tmp_path)), "--today", "2026-11-03")
    assert "every sprint of web 2026-Q4 is planned; name one with --sprint" in message


def test_sprint_without_capacity_is_exit_2(tmp_path):
    sprints = SPRINTS.replace(", end: 2026-10-30, capacity: 12}", ", end: 2026-10-30}")
    message = usage_error(str(small_repo(tmp_path, **{"sprints.yaml": sprints})), "--today", DAY)
    assert "sprint S2 of web 2026-Q4 has no capacity (sprints.yaml:5): set its capacity to plan it" in message


def test_unknown_sprint_gets_did_you_mean(tmp_path):
    assert "no sprint 'S22' in web 2026-Q4: did you mean 'S2'?" in usage_error(
        str(small_repo(tmp_path)), "--today", DAY, "--sprint", "S22"
    )


def test_unknown_focus_is_exit_2(tmp_path):
    assert "--focus: no key result 'KR-1' in web 2026-Q4: did you mean 'KR1'?" in usage_error(
        str(small_repo(tmp_path)), "--today", DAY, "--focus", "KR-1"
    )


def test_without_team_and_several_teams_lists_them(tmp_path):
    root = small_repo(tmp_path, **{"okrsprint.yaml": "", "other.yaml": "kind: okrs\nteam: app\nquarter: 2026-Q4\n"})
    for name in ("okrs.yaml", "backlog.yaml", "sprints.yaml"):
        path = root / name
        path.write_text(path.read_text().replace("quarter: 2026-Q4\n", "team: web\nquarter: 2026-Q4\n", 1))
    assert "choose a team with --team: app, web" in usage_error(str(root), "--today", DAY)
    assert proposal(root, "--team", "web")["team"] == "web"


def test_quarter_defaults_to_the_latest_before_today(tmp_path):
    root = small_repo(tmp_path)
    assert proposal(root, "--sprint", "S2", today="2027-02-01")["quarter"] == "2026-Q4"
    assert "no plan of team 'web' in 2026-Q3 or before it: choose --quarter 2026-Q4" in usage_error(
        str(root), "--today", "2026-09-01"
    )


def test_format_html_is_not_offered(tmp_path):
    assert run(str(small_repo(tmp_path)), "--today", DAY, "--format", "html").exit_code == 2


# -- --write -----------------------------------------------------------------------------------------


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and line[:3] not in ("+++", "---")]  # fmt: skip


def test_write_records_items_and_focus_only_and_the_plan_passes_strict(tmp_path):
    goal = "{id: S2, goal: Customers answer their own questions, start"
    sprints = SPRINTS.replace("{id: S2, start", goal)
    root = small_repo(tmp_path, **{"sprints.yaml": sprints})
    result = run(str(root), "--today", DAY, "--sprint", "S2", "--write")
    assert result.exit_code == 0, result.output
    assert "recorded sprint S2's items in sprints.yaml:5; write its goal yourself" in result.stderr
    after = (root / "sprints.yaml").read_text()
    assert changed_lines(sprints, after) == [
        "-  - {id: S2, goal: Customers answer their own questions, start: 2026-10-19, end: 2026-10-30, capacity: 12}",
        "+  - {id: S2, goal: Customers answer their own questions, start: 2026-10-19, end: 2026-10-30, capacity: 12,"
        " items: [K3, K2, P2], krs: [KR2]}",
    ]
    config = CONFIG + "rules:\n  ignore: [A201, A303, A304]\n"  # the small repo's calendar is not what this is about
    (root / "okrsprint.yaml").write_text(config)
    result = check(root, date.fromisoformat(DAY))
    assert [f.code for f in result.findings] == [] and result.exit_code(strict=True) == 0
    again = run(str(root), "--today", DAY, "--sprint", "S2", "--write")
    assert "nothing to record" in again.stderr and (root / "sprints.yaml").read_text() == after


def test_write_keeps_existing_krs_and_block_items(tmp_path):
    sprints = SPRINTS.replace(
        "  - {id: S2, start: 2026-10-19, end: 2026-10-30, capacity: 12}\n",
        "  - id: S2  # keep me\n    start: 2026-10-19\n    end: 2026-10-30\n    krs: [KR1]\n    capacity: 12\n"
        "    items:\n      - K4\n",
    )
    root = small_repo(tmp_path, **{"sprints.yaml": sprints})
    assert run(str(root), "--today", DAY, "--sprint", "S2", "--write").exit_code == 0
    after = (root / "sprints.yaml").read_text()
    assert changed_lines(sprints, after) == ["+      - K1", "+      - K3", "+      - P2"]


def test_write_refused_when_it_would_add_a_structure_finding(tmp_path, monkeypatch):
    root = small_repo(tmp_path)
    before = (root / "sprints.yaml").read_bytes()
    real = plan_command.build_proposal

    def with_unknown_item(*args, **kwargs):
        view = real(*args, **kwargs)
        view.items.append(ProposedItem("NOPE", "not in the backlog", [], 1, False, "test"))
        return view

    monkeypatch.setattr(plan_command, "build_proposal", with_unknown_item)
    result = run(str(root), "--today", DAY, "--write")
    assert result.exit_code == 2
    assert "writing the proposal would break the plan, nothing was written: sprints.yaml:5: S004" in result.stderr
    assert (root / "sprints.yaml").read_bytes() == before


# -- the fill against brute force ---------------------------------------------------------------------

estimates = st.integers(min_value=0, max_value=8).map(Fraction)
candidates = st.lists(st.tuples(estimates, st.booleans(), st.booleans()), max_size=7).map(
    lambda rows: [Candidate(f"I{n}", e, okr, counted) for n, (e, okr, counted) in enumerate(rows)]
)
bands = st.tuples(st.integers(0, 10), st.integers(0, 10)).map(lambda pair: tuple(Fraction(v, 10) for v in sorted(pair)))


def mix_after(mix: Mix, chosen) -> Mix:
    for candidate in chosen:
        mix = mix.plus(candidate)
    return mix


@settings(max_examples=300, deadline=None)
@given(candidates, st.integers(0, 20).map(Fraction), st.integers(0, 20), st.integers(0, 20), bands)
def test_fill_never_over_budget_maximal_and_keeps_the_mix_when_possible(items, budget, okr, operational, band):
    mix = Mix(Fraction(okr), Fraction(okr + operational), *band)
    taken, kept_mix = fill(items, budget, mix)
    subsets = [s for size in range(len(items) + 1) for s in combinations(items, size)]
    feasible = any(sum(c.estimate for c in s) <= budget and mix_after(mix, s).holds() for s in subsets)
    assert kept_mix == feasible == reachable(mix, items, budget)
    used = sum((c.estimate for c in taken), Fraction(0))
    assert used <= budget
    if feasible:
        assert mix_after(mix, taken).holds()
    for left in (c for c in items if c not in taken):
        fits = used + left.estimate <= budget
        assert not fits or (feasible and not mix_after(mix, [*taken, left]).holds())
    assert fill(items, budget, mix) == (taken, kept_mix)


def test_first_sprint_load_is_a_share_setting(tmp_path):
    root = small_repo(tmp_path, **{"okrsprint.yaml": CONFIG + "  first_sprint_load: 0.5\n"})
    assert proposal(root, "--sprint", "S1")["budget"] == 6
    (root / "okrsprint.yaml").write_text(CONFIG + "  first_sprint_load: 1.5\n")
    assert "first_sprint_load" in usage_error(str(root), "--today", DAY, "--sprint", "S1")


backlog_rows = st.lists(
    st.tuples(st.integers(0, 6), st.booleans(), st.sampled_from(["todo", "doing", "done"]), st.booleans()),
    min_size=1,
    max_size=7,
)


@settings(max_examples=60, deadline=None)
@given(backlog_rows, st.integers(1, 15))
def test_proposal_on_random_backlogs_matches_brute_force(rows, capacity):
    """S1 is done (its open items may carry over and already count in the quarter); S2 is open and planned."""
    items = "".join(
        f"  - {{id: I{n}, title: Item {n}, estimate: {e}, status: {status}" + (", krs: [KR1]}\n" if okr else "}\n")
        for n, (e, okr, status, _) in enumerate(rows)
    )
    in_s1 = [f"I{n}" for n, row in enumerate(rows) if row[3]]
    sprints = (
        "kind: sprints\nquarter: 2026-Q4\nsprints:\n"
        f"  - {{id: S1, start: 2026-10-05, end: 2026-10-16, goal: Done, capacity: 30, items: [{', '.join(in_s1)}]}}\n"
        f"  - {{id: S2, start: 2026-10-19, end: 2026-10-30, capacity: {capacity}}}\n"
        "  - {id: S3, start: 2026-11-02, end: 2026-11-13, capacity: 10}\n"
    )
    with tempfile.TemporaryDirectory() as folder:
        root = write(Path(folder), {"okrsprint.yaml": "team: web\n", "okrs.yaml": OKRS,
                                    "backlog.yaml": f"kind: backlog\nquarter: 2026-Q4\nitems:\n{items}",
                                    "sprints.yaml": sprints})  # fmt: skip
        document = proposal(root, today="2026-10-17")
        assert proposal(root, today="2026-10-17") == document
    estimate = {f"I{n}": Fraction(row[0]) for n, row in enumerate(rows)}
    okr = {f"I{n}" for n, row in enumerate(rows) if row[1]}
    counted = set(in_s1)
    base_okr, base_total = sum(estimate[i] for i in counted & okr), sum(estimate[i] for i in counted)
    candidates = [f"I{n}" for n, row in enumerate(rows) if row[2] != "done"]
    chosen = [item["id"] for item in document["items"]]
    assert sorted(chosen + [i["id"] for i in document["left_out"]]) == sorted(candidates)

    def holds(ids) -> bool:
        new = [i for i in ids if i not in counted]
        share_okr = base_okr + sum(estimate[i] for i in new if i in okr)
        total = base_total + sum(estimate[i] for i in new)
        return Fraction(6, 10) * total <= share_okr <= Fraction(7, 10) * total

    budget = Fraction(capacity)
    cost = sum(estimate[i] for i in chosen)
    feasible = any(
        sum(estimate[i] for i in subset) <= budget and holds(subset)
        for size in range(len(candidates) + 1)
        for subset in combinations(candidates, size)
    )
    assert cost <= budget and document["committed"] == cost and document["mix_reachable"] == feasible
    assert not feasible or holds(chosen)
    for left in document["left_out"]:
        fits = cost + estimate[left["id"]] <= budget
        assert left["reason"] == ("breaks-mix" if fits else "does-not-fit")
        assert not fits or (feasible and not holds([*chosen, left["id"]]))
