"""The alignment tree that opens ``okrsprint report`` (SPEC §3 `report`) and ``aligns_to`` lists, in every format."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from okrsprint.cli import app
from okrsprint.engine import open_plan
from okrsprint.render.html import report as render_html
from okrsprint.views.report import build_report
from tests.builders import key_result, objective, okrs
from tests.helpers import EXAMPLES, TODAY, write

ROOT = Path(__file__).resolve().parents[1]
COMPANY = "company_team: company\n"


def run(*args: object):
    return CliRunner().invoke(app, [str(arg) for arg in args])


def report_json(root: Path) -> dict:
    result = run("report", root, "--today", "2026-11-23", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_multi_team_tree_json_is_the_specs_shape():
    document = report_json(EXAMPLES / "multi-team")
    assert document["alignment"] == [
        {
            "team": "company",
            "id": "O1",
            "title": "Win and keep more first-time buyers",
            "progress": 0.475,
            "children": [
                {"team": "checkout", "id": "O1", "title": "Make onboarding effortless", "progress": 0.445,
                 "children": []},
                {"team": "checkout", "id": "O2", "title": "Checkout is fast and trustworthy",
                 "progress": pytest.approx(0.4444444), "children": []},
                {"team": "search", "id": "O2", "title": "Search helps new customers buy sooner", "progress": 0.4,
                 "via": "KR1", "children": []},
            ],
        },
        {
            "team": "company",
            "id": "O2",
            "title": "Customers find what they are looking for",
            "progress": 0.72,  # (0.44 + 1 for the held threshold) / 2
            "children": [
                {"team": "search", "id": "O1", "title": "Shoppers find the right product with their first search",
                 "progress": 0.505, "children": []},
            ],
        },
    ]  # fmt: skip
    assert document["unaligned"] == []
    assert [tq["team"] for tq in document["team_quarters"]] == ["company", "checkout", "search"]


def test_no_tree_without_company_objectives():
    document = report_json(EXAMPLES / "checkout")
    assert document["alignment"] == [] and document["unaligned"] == []


def plan_with(tmp_path: Path, files: dict[str, str], config: str = COMPANY) -> Path:
    return write(tmp_path, {"okrsprint.yaml": config, **files})


def three_levels(tmp_path: Path) -> Path:
    company = okrs(
        objective("O1", key_result("KR1", baseline=0, target=10, current=5), key_result("KR2", keep_above=99.9,
                  current=99.0)),
        team="company",
    )  # fmt: skip
    department = okrs(objective("O1", key_result("KR1", baseline=0, target=4, current=4), aligns_to="company:KR2"),
                      team="platform")  # fmt: skip
    web = okrs(
        objective("O1", key_result("KR1", baseline=10, target=0, current=5), aligns_to=["platform:O1", "company:O1"]),
        objective("O2", key_result("KR2", baseline=0, target=1, current=2)),
        team="web",
    )
    return plan_with(tmp_path, {"company.yaml": company, "platform.yaml": department, "web.yaml": web})


def test_tree_three_levels_key_result_alignment_and_two_parents(tmp_path):
    document = report_json(three_levels(tmp_path))
    web_o1 = {"team": "web", "id": "O1", "title": "Make onboarding effortless", "progress": 0.5, "children": []}
    assert document["alignment"] == [
        {
            "team": "company",
            "id": "O1",
            "title": "Make onboarding effortless",
            "progress": 0.25,  # KR1 0.5 and the breached KR2 0
            "children": [
                {"team": "platform", "id": "O1", "title": "Make onboarding effortless", "progress": 1.0,
                 "via": "KR2", "children": [web_o1]},
                web_o1,
            ],
        }
    ]  # fmt: skip
    assert document["unaligned"] == [{"team": "web", "id": "O2"}]


def test_text_tree_hangs_objectives_under_the_key_result_they_drive(tmp_path):
    result = run("report", three_levels(tmp_path), "--today", "2026-11-23")
    lines = result.stdout.splitlines()
    start = lines.index("Alignment: the company's objectives and what rolls up into them")
    tree = [re.sub(r"[█▏▎▍▌▋▊▉░]+", "BAR", line).rstrip() for line in lines[start + 1 : start + 7]]
    assert tree == [
        "company:O1  BAR  25%  Make onboarding effortless",
        "├─ KR1  BAR  50%  on track  Onboarding conversion rate",
        "├─ KR2  BAR   0%  breached  Onboarding conversion rate (keep above 99.9)",
        "│  └─ platform:O1  BAR 100%  Make onboarding effortless",
        "│     └─ web:O1  BAR  50%  Make onboarding effortless",
        "└─ web:O1  BAR  50%  Make onboarding effortless",
    ]
    assert "Aligned to nothing:" in lines[start + 7]
    assert lines[start + 8].startswith("web:O2")


def test_markdown_tree_is_a_nested_list_with_escaped_titles(tmp_path):
    company = okrs(objective("O1", key_result("KR1", title="[click](http://x) *now*"), title="<b>Grow</b>"),
                   team="company")  # fmt: skip
    web = okrs(objective("O1", aligns_to="company:KR1", title="Fast | pages"), team="web")
    root = plan_with(tmp_path, {"company.yaml": company, "web.yaml": web})
    result = run("report", root, "--today", "2026-11-23", "--format", "markdown")
    lines = result.stdout.splitlines()
    start = lines.index("## Alignment")
    assert lines[start + 2].startswith("- **company:O1** \\<b\\>Grow\\</b\\> · `")
    assert lines[start + 3].startswith("  - KR1 \\[click\\]\\(http://x\\) \\*now\\* · `")
    assert lines[start + 4].startswith("    - web:O1 Fast \\| pages · `")


def test_a_cycle_of_alignments_ends_the_walk(tmp_path):
    """Two teams aligned to each other (S004) and to the company: each shows once below the company, the cycle
    cut where it would close; the report still renders."""
    company = okrs(objective("O1"), team="company")
    web = okrs(objective("O1", aligns_to=["company:O1", "search:O1"]), team="web")
    search = okrs(objective("O1", aligns_to="web:O1"), team="search")
    root = plan_with(tmp_path, {"company.yaml": company, "web.yaml": web, "search.yaml": search})
    document = report_json(root)
    [company_node] = document["alignment"]
    assert [(c["team"], [g["team"] for g in c["children"]]) for c in company_node["children"]] == [("web", ["search"])]
    assert document["unaligned"] == []
    check = run("check", root, "--today", "2026-11-23", "--format", "json")
    assert [f["code"] for f in json.loads(check.stdout)["findings"] if f["code"].startswith("S")] == ["S004"]


def test_a_cycle_away_from_the_company_is_aligned_to_nothing(tmp_path):
    company = okrs(objective("O1"), team="company")
    web = okrs(objective("O1", aligns_to="search:O1"), team="web")
    search = okrs(objective("O1", aligns_to="web:O1"), team="search")
    document = report_json(plan_with(tmp_path, {"company.yaml": company, "web.yaml": web, "search.yaml": search}))
    assert document["alignment"][0]["children"] == []
    assert document["unaligned"] == [{"team": "search", "id": "O1"}, {"team": "web", "id": "O1"}]


def test_html_tree_links_each_node_to_its_team_section(tmp_path):
    html = render_html(build_report(open_plan(three_levels(tmp_path)), TODAY))
    sections = re.findall(r'<section class="team-quarter" id="([^"]+)"', html)
    assert sections == ["company-2026-Q4", "platform-2026-Q4", "web-2026-Q4"]  # the company first
    links = re.findall(r'<li data-team="(\w+)" data-objective="(\w+)"(?: data-via="(\w+)")?>\s*<div class="node[^"]*">'
                       r'\s*<div><a href="#([^"]+)">', html)  # fmt: skip
    assert links == [
        ("company", "O1", "", "company-2026-Q4"),
        ("platform", "O1", "KR2", "platform-2026-Q4"),
        ("web", "O1", "", "web-2026-Q4"),
        ("web", "O1", "", "web-2026-Q4"),
        ("web", "O2", "", "web-2026-Q4"),
    ]
    assert re.findall(r'<nav class="toc"[^>]*>.*?</nav>', html, re.S)[0].count("<a href=") == 4


def test_html_company_section_has_no_capacity_card_and_zero_is_never_red(tmp_path):
    html = render_html(build_report(open_plan(EXAMPLES / "multi-team"), TODAY))
    company = html.split('id="company-2026-Q4"')[1].split("<section")[0]
    assert "capacity-share" not in company and "OKR capacity share" not in company
    assert 'id="capacity-share-checkout"' in html
    zeros = re.findall(r'<div class="big( zero)?" style="[^"]*">0</div>', html)
    assert zeros and all(zeros)
    assert '<div class="big" style="color: var(--ontrack)">3</div>' in company


def test_generated_thirty_team_company_tree(tmp_path):
    subprocess.run(
        [sys.executable, ROOT / "benchmarks" / "generate.py", tmp_path, "--teams", "30", "--items", "5",
         "--departments", "5", "--seed", "3"],
        check=True,
    )  # fmt: skip
    document = report_json(tmp_path)
    tree, unaligned = document["alignment"], document["unaligned"]
    assert [node["team"] for node in tree] == ["company"] * 3
    departments = [child for node in tree for child in node["children"]]
    teams = [child for node in departments for child in node["children"]]
    assert {node["team"] for node in departments} == {f"dept-{n:02d}" for n in range(1, 6)}
    assert len(departments) == 5 * 3  # every department objective under one company objective
    assert len(teams) == 30 * 3 and {node["team"] for node in teams} == {f"team-{n:03d}" for n in range(1, 31)}
    assert all(not node["children"] for node in teams) and unaligned == []
    # team-001 belongs to dept-01, team-006 too (30 teams over 5 departments, in turn)
    assert {(d["team"], t["team"]) for d in departments for t in d["children"] if t["team"] == "team-006"} == {
        ("dept-01", "team-006")
    }
    assert any("via" in node for node in departments) and any("via" in node for node in teams)
    for node in departments + teams:
        assert 0 <= node["progress"] <= 1
    check = run("check", tmp_path, "--today", "2026-11-23", "--select", "S004,A502", "--format", "json")
    findings = json.loads(check.stdout)["findings"]
    assert [f for f in findings if f["code"] == "A502" or "aligns_to" in f["message"]] == []


@pytest.mark.parametrize(
    ("written", "message", "column"),
    [
        ("5", "'aligns_to': expected a string, got an integer (quote it: \"5\")", 5),
        ("company", "'aligns_to': bad value 'company': write team:ID (an objective, or a key result), or a list of "
                    "them, e.g. company:O2", 5),
        ("[company:O1, 7]", "'aligns_to': expected a string, got an integer (quote it: \"7\")", 29),
        ("{team: company}", "'aligns_to': expected a string, got a mapping", 5),
    ],
)  # fmt: skip
def test_aligns_to_schema_errors_are_one_finding_each(tmp_path, written, message, column):
    text = f"kind: okrs\nteam: web\nquarter: 2026-Q4\nobjectives:\n  - id: O1\n    title: t\n    aligns_to: {written}\n"
    result = run("check", write(tmp_path, {"okrs.yaml": text}), "--today", "2026-11-23", "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["message"], f["line"], f["column"]) for f in findings] == [("S002", message, 7, column)]


def test_parents_reads_one_reference_or_a_list():
    from okrsprint.model import Objective

    def parents(value: object) -> list[str]:
        return Objective.model_validate({"id": "O1", "title": "t", "aligns_to": value}, strict=True).parents

    assert parents("company:O1") == ["company:O1"]
    assert parents(["company:O1", "company:KR2"]) == ["company:O1", "company:KR2"]
    assert parents(None) == [] and parents([]) == []


def test_a_three_team_cycle_is_reported_once_with_its_route(tmp_path):
    files = {
        "app.yaml": okrs(objective("O1", aligns_to="web:O1"), team="app"),
        "search.yaml": okrs(objective("O1", aligns_to="app:O1"), objective("O2", aligns_to="app:O1"), team="search"),
        "web.yaml": okrs(objective("O1", aligns_to="search:O1"), team="web"),
    }
    result = run("check", plan_with(tmp_path, files, config=""), "--today", "2026-11-23", "--format", "json")
    messages = [f["message"] for f in json.loads(result.stdout)["findings"] if f["code"] == "S004"]
    assert messages == [
        "aligns_to app:O1 closes a cycle of alignments (app:O1 → web:O1 → search:O1 → app:O1): an objective "
        "cannot roll up into itself; remove one of these links"
    ]


@pytest.mark.parametrize("output", ["text", "markdown"])
def test_company_section_first_without_capacity_lines(output):
    result = run("report", EXAMPLES / "multi-team", "--today", "2026-11-23", "--format", output)
    company, rest = result.stdout.split("checkout · 2026-Q4", 1)
    assert "company · 2026-Q4" in company and "search · 2026-Q4" in rest
    assert "OKR capacity share" not in company and "so far" not in company
    assert rest.count("OKR capacity share") == 2
