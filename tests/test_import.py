"""okrsprint import: every format read by content, the merge (what changes and what never does), the refusals."""

from __future__ import annotations

import difflib
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

import okrsprint.commands.import_ as import_command
from okrsprint.cli import app
from okrsprint.importers.detect import read_export
from okrsprint.importers.records import ExportError, ImportOptions, sprint_id
from tests.helpers import check, copy_plan

FIXTURES = Path(__file__).parent / "fixtures" / "import"
PLAN = FIXTURES / "plan"
TODAY = "2026-10-20"
BACKLOG = "checkout/backlog-2026-Q4.yaml"
SPRINTS = "checkout/sprints-2026-Q4.yaml"


@pytest.fixture
def plan_repo(tmp_path: Path) -> Path:
    root = tmp_path / "plan"
    copy_plan(PLAN, root)
    return root


def run(*arguments: str, stdin: str | None = None):
    return CliRunner().invoke(app, ["import", *arguments], input=stdin)


def imported(root: Path, source: Path | str, *options: str, stdin: str | None = None):
    return run(str(source), str(root), "--team", "checkout", "--today", TODAY, *options, stdin=stdin)


def as_json(root: Path, source: Path | str, *options: str) -> dict:
    result = imported(root, source, "--format", "json", *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def snapshot(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def changed_lines(before: bytes, after: bytes) -> tuple[list[str], list[str]]:
    """(lines removed, lines added), as a diff sees them."""
    diff = list(difflib.ndiff(before.decode().splitlines(), after.decode().splitlines()))
    return [line[2:] for line in diff if line.startswith("- ")], [line[2:] for line in diff if line.startswith("+ ")]


def read(name: str, **options) -> object:
    return read_export((FIXTURES / name).read_bytes(), name, ImportOptions(**options))


# -- reading every format ------------------------------------------------------------------------------------


def test_jira_csv_reads_repeated_columns_empty_cells_and_the_story_points_field():
    export = read("jira.csv")
    assert export.format == "Jira CSV"
    by_id = {item.id: item for item in export.items}
    assert by_id["CHK-301"].sprints == ("CHK-Sprint-1", "CHK-Sprint-2")  # two of the three Sprint columns
    assert by_id["CHK-301"].estimate == 8 and by_id["CHK-301"].status == "done"
    assert by_id["CHK-302"].krs == ("search:KR2",)  # the second Labels column (backend) is no kr label
    assert by_id["CHK-302"].status == "doing"  # Status Category In Progress wins over Status "In Review"
    assert by_id["CHK-303"].krs == () and by_id["CHK-303"].sprints == ()
    assert by_id["CHK-304"].estimate is None and by_id["CHK-304"].status == "todo"  # empty category: Status "Open"
    assert by_id["CHK-304"].sprints == ("CHK-2026-Q4-Sprint-3",)
    assert export.sprints["CHK-2026-Q4-Sprint-3"].name == "CHK 2026/Q4 Sprint 3"
    assert export.sprints["CHK-2026-Q4-Sprint-3"].start is None  # a CSV export carries no sprint dates


def test_a_utf8_bom_and_crlf_line_ends_are_read_as_any_csv():
    export = read("jira-bom-crlf.csv")
    assert [item.id for item in export.items] == ["CHK-301", "CHK-306"]
    assert export.items[0].status == "done"  # "Closed" without a Status Category column
    assert export.items[1].title == "Refund status page, with e-mail updates"
    assert export.items[1].estimate == 3  # Custom field (Story point estimate)


def test_jira_json_reads_status_categories_sprint_objects_and_story_points_through_names():
    export = read("jira-search.json")
    by_id = {item.id: item for item in export.items}
    assert [by_id[key].status for key in ("CHK-301", "CHK-302", "CHK-303")] == ["done", "doing", "todo"]
    assert by_id["CHK-301"].estimate == 8 and isinstance(by_id["CHK-301"].estimate, int)
    assert by_id["CHK-304"].estimate is None
    assert by_id["CHK-301"].url == "https://acme.atlassian.net/browse/CHK-301"
    sprint = export.sprints["CHK-Sprint-3"]
    assert (sprint.start, sprint.end) == (date(2026, 11, 2), date(2026, 11, 13))
    assert sprint.goal == "Refunds reach the customer within two days"
    assert export.sprints["CHK-Sprint-2"].goal is None  # an empty goal in Jira is no goal


def test_jira_json_pages_read_as_one_export_with_the_first_pages_names():
    def fields(export) -> list[tuple]:
        return [(item.id, item.title, item.status, item.estimate, item.krs, item.sprints) for item in export.items]

    assert fields(read("jira-pages.json")) == fields(read("jira-search.json"))
    assert read("jira-pages.json").sprints == read("jira-search.json").sprints


def test_the_estimate_field_of_the_config_is_a_field_id_or_its_name_in_the_names_map():
    for field in ("customfield_10016", "Story point estimate"):
        assert [item.estimate for item in read("jira-search.json", estimate_field=field).items] == [8, 3, 2, None]
    with pytest.raises(ExportError, match=r"CHK-301\): the estimate 'One-click .*' is not a number"):
        read("jira-search.json", estimate_field="Summary")
    assert [item.estimate for item in read("jira.csv", estimate_field="Issue id").items][:2] == [10301, 10302]


def test_github_issues_take_the_repository_name_as_the_id_prefix_and_closed_as_done():
    export = read("gh-issues.json")
    assert [(item.id, item.status, item.krs) for item in export.items] == [
        ("shop-12", "todo", ("KR1",)),
        ("shop-13", "done", ()),
    ]
    assert [item.id for item in read("gh-issues.json", id_prefix="SHOP").items] == ["SHOP-12", "SHOP-13"]


def test_a_github_project_reads_status_iteration_and_a_custom_story_points_field():
    export = read("gh-project.json")
    assert [(item.id, item.status, item.estimate) for item in export.items] == [
        ("shop-21", "doing", 5),
        ("shop-22", "todo", None),
    ]  # the draft issue has no number and is left out
    iteration = export.sprints["Iteration-3"]
    assert (iteration.start, iteration.end) == (date(2026, 11, 2), date(2026, 11, 15))  # start + 14 − 1
    assert export.items[0].sprints == ("Iteration-3",) and export.items[1].sprints == ()


def test_the_plain_csv_takes_krs_separated_by_spaces_and_a_sprint_by_name():
    export = read("plain.csv")
    assert export.items[1].krs == ("KR1", "KR2") and export.items[0].sprints == ("CHK-Sprint-1",)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sprint 7", "Sprint-7"),
        ("CHK 2026/Q4 Sprint 3", "CHK-2026-Q4-Sprint-3"),
        ("  Team / Sprint #4 ", "Team-Sprint-4"),
        ("S.1_b", "S.1_b"),
    ],
)
def test_a_sprint_id_replaces_every_run_of_other_characters_by_a_dash(name, expected):
    assert sprint_id(name) == expected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"name,owner\nx,y\n", "unknown format"),
        (b'{"values": []}', "JSON of an unknown shape"),
        (b'{"issues": [\n  {"key": "A-1",}\n]}', r"export:2:17: malformed JSON"),
        (b"Issue key,Status\nA-1,Done\n", "no column 'Summary'"),
        (b"Summary,Status\nx,Done\n", "no column 'Issue key'"),
        (b"id,estimate\nA-1,3\n", "no column 'title'"),
        (b"id,title,estimate\nA-1,x,three\n", r"export:2: the estimate 'three' is not a number"),
        (b"id,title,status\nA-1,x,blocked\n", "export:2: status 'blocked' is not todo, doing or done"),
        (b"id,title\nA-1,x\nA-1,y\n", "export:3: the issue A-1 appears twice"),
        (b"id,title\nA 1,x\n", "cannot be an item id"),
        (b"\xff\xfeid", "not UTF-8"),
    ],
)
def test_what_cannot_be_read_is_refused_naming_what_is_wrong(content, message):
    with pytest.raises(ExportError, match=message):
        read_export(content, "export", ImportOptions())


# -- the merge ------------------------------------------------------------------------------------------------


def test_a_first_import_into_an_empty_repo_creates_backlog_and_sprints_documents(tmp_path):
    result = run(str(FIXTURES / "jira-search.json"), str(tmp_path), "--team", "checkout", "--quarter", "2026-Q4")
    assert result.exit_code == 0, result.output
    assert "created backlog/2026-Q4.yaml, sprints/2026-Q4.yaml" in result.output
    backlog = (tmp_path / "backlog" / "2026-Q4.yaml").read_text()
    assert backlog.startswith("kind: backlog\nteam: checkout\nquarter: 2026-Q4\nitems:\n  - id: CHK-301\n")
    assert "krs" not in backlog  # no okrs yet: every kr label is unknown, and listed
    sprints = (tmp_path / "sprints" / "2026-Q4.yaml").read_text()
    assert "  - id: CHK-Sprint-3\n    start: 2026-11-02\n    end: 2026-11-13\n" in sprints
    assert check(tmp_path, date(2026, 10, 20), select=["S"]).findings == []


def test_documents_are_created_next_to_the_teams_other_documents(plan_repo):
    (plan_repo / BACKLOG).unlink()
    (plan_repo / SPRINTS).unlink()
    assert as_json(plan_repo, FIXTURES / "jira-search.json")["files"]["created"] == [BACKLOG, SPRINTS]
    assert check(plan_repo, date(2026, 10, 20), select=["S"]).findings == []


def test_the_same_export_twice_changes_nothing_the_second_time(plan_repo):
    first = as_json(plan_repo, FIXTURES / "jira-search.json")
    assert first["added"] == ["CHK-304"] and first["sprints"]["added"] == ["CHK-Sprint-3"]
    before = snapshot(plan_repo)
    second = as_json(plan_repo, FIXTURES / "jira-search.json")
    assert snapshot(plan_repo) == before
    assert (second["added"], second["updated"], second["sprints"]["added"], second["sprints"]["updated"]) == (
        [],
        [],
        [],
        [],
    )
    assert second["files"]["written"] == []


def test_a_changed_estimate_and_title_change_only_those_lines(plan_repo):
    export = "id,title,estimate,status\nCHK-302,Typo-tolerant search for products,5,todo\n"
    before = snapshot(plan_repo)
    report = as_json(plan_repo, write_export(plan_repo, export))
    assert report["updated"] == [
        {"id": "CHK-302", "field": "title", "before": "Typo-tolerant product search",
         "after": "Typo-tolerant search for products"},
        {"id": "CHK-302", "field": "estimate", "before": 3, "after": 5},
    ]  # fmt: skip
    after = snapshot(plan_repo)
    assert changed_lines(before[BACKLOG], after[BACKLOG]) == (
        ["    title: Typo-tolerant product search", "    estimate: 3"],
        ["    title: Typo-tolerant search for products", "    estimate: 5"],
    )
    assert {name for name in before if before[name] != after.get(name)} == {BACKLOG}


def write_export(root: Path, text: str, name: str = "export.csv") -> Path:
    path = root.parent / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_item_moved_to_another_sprint_leaves_the_first_and_joins_the_second(plan_repo):
    export = "id,title,estimate,status,sprint\nCHK-302,Typo-tolerant product search,3,todo,CHK Sprint 1\n"
    report = as_json(plan_repo, write_export(plan_repo, export))
    assert report["sprints"]["updated"] == ["CHK-Sprint-1"]
    sprints = (plan_repo / SPRINTS).read_text()
    assert "items: [CHK-301, CHK-390, CHK-302]" in sprints
    assert "items: [CHK-302]" in sprints  # sprint 2 is not named by the export: left as it is
    jira = as_json(plan_repo, FIXTURES / "jira-search.json")  # Jira names both sprints: CHK-302 sits in sprint 2
    assert "CHK-Sprint-1" in jira["sprints"]["updated"]
    sprints = (plan_repo / SPRINTS).read_text()
    assert "items: [CHK-301, CHK-390]" in sprints and "items: [CHK-302, CHK-301]" in sprints


def test_a_closed_issue_becomes_done(plan_repo):
    export = '[{"number": 7, "title": "Receipts in CHF", "state": "CLOSED", "labels": [], "url": "https://github.com/acme/shop/issues/7"}]'
    report = as_json(plan_repo, write_export(plan_repo, export, "issues.json"))
    assert report["added"] == ["shop-7"]
    assert "  - id: shop-7\n    title: Receipts in CHF\n    status: done\n" in (plan_repo / BACKLOG).read_text()


def test_items_missing_from_the_export_are_kept_and_listed_and_pruned_only_with_prune(plan_repo):
    kept = as_json(plan_repo, FIXTURES / "jira-search.json")
    assert kept["kept"] == ["CHK-390"] and kept["pruned"] == []
    assert "CHK-390" in (plan_repo / BACKLOG).read_text()
    pruned = as_json(plan_repo, FIXTURES / "jira-search.json", "--prune")
    assert pruned["pruned"] == ["CHK-390"] and pruned["kept"] == []
    backlog, sprints = (plan_repo / BACKLOG).read_text(), (plan_repo / SPRINTS).read_text()
    assert "CHK-390" not in backlog and "CHK-390" not in sprints
    assert "  - id: CHK-304\n" in backlog and "# the headline item" in backlog
    assert check(plan_repo, date(2026, 10, 20), select=["S"]).findings == []


def test_a_hand_made_tag_stays_when_the_issue_has_no_kr_label_and_the_label_wins_when_it_has_one(plan_repo):
    export = "Issue key,Summary,Labels,Labels\nCHK-303,Tidy the payment logs,,\nCHK-302,Typo-tolerant product search,kr:KR1,x\n"
    report = as_json(plan_repo, write_export(plan_repo, export))
    assert report["updated"] == [{"id": "CHK-302", "field": "krs", "before": ["search:KR2"], "after": ["KR1"]}]
    backlog = (plan_repo / BACKLOG).read_text()
    assert "    krs: [KR2]   # tagged by hand: the tracker has no kr label for it\n" in backlog


def test_comments_ranks_and_the_plans_sprint_fields_are_kept(plan_repo):
    as_json(plan_repo, FIXTURES / "jira-search.json", "--prune")
    backlog, sprints = (plan_repo / BACKLOG).read_text(), (plan_repo / SPRINTS).read_text()
    assert backlog.startswith("# Checkout's backlog. The tracker owns titles, estimates, statuses and urls;\n")
    assert "  - id: CHK-301   # the headline item\n" in backlog and "    rank: 1\n" in backlog
    assert sprints.count("    capacity: 20\n") == 2 and sprints.count("    krs: [KR1]\n") == 2


def test_an_unknown_kr_label_is_listed_with_did_you_mean_and_never_written(plan_repo):
    report = as_json(plan_repo, FIXTURES / "jira.csv")
    assert report["unknown_krs"] == [{"item": "CHK-305", "label": "kr:serch:KR2", "did_you_mean": "kr:search:KR2"}]
    assert "serch" not in (plan_repo / BACKLOG).read_text()
    text = imported(plan_repo, FIXTURES / "jira.csv", "--dry-run").output
    assert "CHK-305: label kr:serch:KR2 names no key result of 2026-Q4 (did you mean kr:search:KR2?)" in text


def test_a_sprint_named_only_by_a_csv_is_listed_not_created(plan_repo):
    report = as_json(plan_repo, FIXTURES / "jira.csv")
    assert report["sprints"]["no_dates"] == ["CHK-2026-Q4-Sprint-3"] and report["sprints"]["added"] == []
    assert "CHK-2026-Q4-Sprint-3" not in (plan_repo / SPRINTS).read_text()


def test_a_label_of_another_team_counts_across_teams(plan_repo):
    report = as_json(plan_repo, FIXTURES / "jira.csv")
    assert "CHK-302" not in [unknown["item"] for unknown in report["unknown_krs"]]
    assert "    krs: [search:KR2]\n" in (plan_repo / BACKLOG).read_text()


def test_dry_run_reports_and_writes_nothing(plan_repo):
    before = snapshot(plan_repo)
    report = as_json(plan_repo, FIXTURES / "jira-search.json", "--dry-run")
    assert report["added"] == ["CHK-304"] and report["files"]["dry_run"] is True
    assert report["files"]["written"] == [BACKLOG, SPRINTS]
    assert snapshot(plan_repo) == before


def test_standard_input_is_read_with_a_dash(plan_repo):
    result = imported(plan_repo, "-", stdin=(FIXTURES / "gh-issues.json").read_text())
    assert result.exit_code == 0, result.output
    assert "added 2 items: shop-12, shop-13" in result.output


def test_the_json_report_has_the_specs_keys(plan_repo):
    report = as_json(plan_repo, FIXTURES / "jira.csv")
    assert set(report) >= {"added", "updated", "kept", "pruned", "sprints", "unknown_krs"}
    assert set(report["sprints"]) >= {"added", "updated"}
    assert report["updated"][0] == {"id": "CHK-301", "field": "estimate", "before": 5, "after": 8}


# -- refusals: exit 2, nothing written --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("export", "message"),
    [
        ("name,owner\nx,y\n", "unknown format"),
        ("Issue key,Status\nCHK-1,Done\n", "no column 'Summary'"),
        ('{"issues": [}', "export.csv:1:13: malformed JSON"),
    ],
)
def test_an_export_that_cannot_be_read_is_refused(plan_repo, export, message):
    before = snapshot(plan_repo)
    result = imported(plan_repo, write_export(plan_repo, export))
    assert result.exit_code == 2 and message in result.output
    assert snapshot(plan_repo) == before


def test_a_file_that_would_gain_an_s_finding_is_not_written(plan_repo):
    overlapping = """[{"issues": [{"key": "CHK-310", "fields": {"summary": "x", "customfield_1": [
        {"name": "Hotfix week", "state": "active", "startDate": "2026-10-12", "endDate": "2026-10-18"}]}}]}]"""
    before = snapshot(plan_repo)
    dry_run = imported(plan_repo, write_export(plan_repo, overlapping, "jira.json"), "--dry-run")
    assert dry_run.exit_code == 2 and "S005" in dry_run.output  # a dry run predicts the refusal
    result = imported(plan_repo, write_export(plan_repo, overlapping, "jira.json"))
    assert result.exit_code == 2
    assert "would break the plan, nothing was written" in result.output and "S005" in result.output
    assert snapshot(plan_repo) == before


def test_a_file_changed_on_disk_during_the_import_is_not_overwritten(plan_repo, monkeypatch):
    original = import_command._refuse_structure_findings

    def meanwhile(*arguments):
        original(*arguments)
        with (plan_repo / BACKLOG).open("a") as backlog:
            backlog.write("# edited by someone else\n")

    monkeypatch.setattr(import_command, "_refuse_structure_findings", meanwhile)
    result = imported(plan_repo, FIXTURES / "jira-search.json")
    assert result.exit_code == 2 and "changed on disk during the import; nothing was written" in result.output
    assert (plan_repo / BACKLOG).read_text().endswith("    status: todo\n# edited by someone else\n")
    assert (plan_repo / SPRINTS).read_bytes() == (PLAN / SPRINTS).read_bytes()


def test_a_team_quarter_with_a_broken_document_is_refused(plan_repo):
    (plan_repo / BACKLOG).write_text((plan_repo / BACKLOG).read_text().replace("status: doing", "status: blocked"))
    result = imported(plan_repo, FIXTURES / "jira-search.json")
    assert result.exit_code == 2 and "run okrsprint check" in result.output


def test_a_missing_source_file_is_a_usage_error(plan_repo):
    result = imported(plan_repo, plan_repo / "nope.csv")
    assert result.exit_code == 2 and "no such file" in result.output


# -- the schema and the config ------------------------------------------------------------------------------------


def test_the_json_schema_has_item_url_and_assignee_and_allows_x_keys_everywhere():
    schema = json.loads(CliRunner().invoke(app, ["schema", "--kind", "backlog"]).output)
    item = schema["$defs"]["Item"]
    assert item["properties"]["url"]["anyOf"][0] == {"type": "string"}
    assert item["properties"]["assignee"]["anyOf"][0] == {"type": "string"}
    assert item["additionalProperties"] is False and item["patternProperties"] == {"^x-": {}}
    assert schema["patternProperties"] == {"^x-": {}}


def test_the_config_import_block_takes_its_three_keys_and_refuses_others(tmp_path):
    from okrsprint.config import load_config
    from okrsprint.errors import ConfigError

    config = tmp_path / "okrsprint.yaml"
    config.write_text('import:\n  kr_label_prefix: "okr/"\n  id_prefix: SHOP\n  estimate_field: Size\n')
    block = load_config(config, tmp_path).import_
    assert (block.kr_label_prefix, block.id_prefix, block.estimate_field) == ("okr/", "SHOP", "Size")
    assert load_config(None, tmp_path).import_.kr_label_prefix == "kr:"
    for text, where, words in [
        ("import:\n  id_prefx: SHOP\n", "okrsprint.yaml:2:3", "did you mean 'id_prefix'?"),
        ('import:\n  kr_label_prefix: ""\n', "okrsprint.yaml:2:3", "kr_label_prefix"),
        ("import:\n  id_prefix: -shop\n", "okrsprint.yaml:2:3", "id_prefix"),
        ("import: [kr]\n", "okrsprint.yaml:1:1", "import"),
    ]:
        config.write_text(text)
        with pytest.raises(ConfigError) as error:
            load_config(config, tmp_path)
        assert str(error.value).startswith(where) and words in str(error.value), str(error.value)


def test_the_config_kr_label_prefix_and_id_prefix_shape_the_import(plan_repo):
    (plan_repo / "okrsprint.yaml").write_text('import:\n  kr_label_prefix: "okr/"\n  id_prefix: SHOP\n')
    export = (
        '[{"number": 5, "title": "Saved carts", "state": "OPEN", "labels": [{"name": "okr/KR1"}, {"name": "kr:KR2"}]}]'
    )
    report = as_json(plan_repo, write_export(plan_repo, export, "issues.json"))
    assert report["added"] == ["SHOP-5"]
    assert "  - id: SHOP-5\n    title: Saved carts\n    krs: [KR1]\n" in (plan_repo / BACKLOG).read_text()


def test_a_document_changed_between_reading_the_plan_and_taking_the_locks_is_not_overwritten(plan_repo, monkeypatch):
    original = import_command.merge

    def meanwhile(*arguments):
        merged = original(*arguments)
        backlog = plan_repo / BACKLOG
        backlog.write_text(backlog.read_text().replace("items:\n", "items:\n  - {id: CHK-399, title: Sneaked in}\n"))
        return merged

    monkeypatch.setattr(import_command, "merge", meanwhile)
    result = imported(plan_repo, FIXTURES / "jira-search.json")
    assert result.exit_code == 2 and "changed on disk during the import; nothing was written" in result.output
    assert "CHK-399" in (plan_repo / BACKLOG).read_text() and "CHK-304" not in (plan_repo / BACKLOG).read_text()
    assert (plan_repo / SPRINTS).read_bytes() == (PLAN / SPRINTS).read_bytes()


def test_a_team_close_to_a_known_one_is_refused_a_new_team_is_welcome(plan_repo):
    typo = run(str(FIXTURES / "gh-issues.json"), str(plan_repo), "--team", "chekout", "--today", TODAY)
    assert typo.exit_code == 2 and "no plan for team 'chekout' (did you mean 'checkout'?)" in typo.output
    new = run(str(FIXTURES / "gh-issues.json"), str(plan_repo), "--team", "payments", "--today", TODAY)
    assert new.exit_code == 0, new.output
    assert "created payments/backlog-2026-Q4.yaml" in new.output


def test_hostile_titles_are_written_as_data_and_printed_inert(plan_repo):
    title = "Pay\x1b[31m now\n::error::gotcha"
    export = json.dumps(
        [{"number": 9, "title": title, "state": "OPEN", "labels": [], "url": "https://github.com/a/b/issues/9"}]
    )
    result = imported(plan_repo, write_export(plan_repo, export, "issues.json"))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\n::error" not in result.output
    from okrsprint.engine import open_plan

    team_quarter = open_plan(plan_repo).team_quarter("checkout", "2026-Q4")
    assert team_quarter is not None and team_quarter.items_by_id["b-9"].value.title == title
    renamed = export.replace("gotcha", "fixed")
    changed = as_json(plan_repo, write_export(plan_repo, renamed, "issues.json"))
    assert changed["updated"] == [
        {"id": "b-9", "field": "title", "before": title, "after": title.replace("gotcha", "fixed")}
    ]


def test_extension_fields_and_assignees_of_the_plan_survive_an_update(plan_repo):
    backlog = plan_repo / BACKLOG
    backlog.write_text(
        backlog.read_text().replace("    rank: 1\n", "    rank: 1\n    assignee: maria\n    x-jira-epic: CHK-12\n")
    )
    as_json(plan_repo, FIXTURES / "jira-search.json")
    text = backlog.read_text()
    url = "    url: https://acme.atlassian.net/browse/CHK-301\n"  # a new key goes after its neighbour in the schema's order
    assert "    rank: 1\n" + url + "    assignee: maria\n    x-jira-epic: CHK-12\n" in text


def test_the_text_report_says_what_was_added_updated_pruned_and_left_out(plan_repo):
    result = imported(plan_repo, FIXTURES / "jira.csv", "--prune")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Jira CSV: 5 issues into checkout 2026-Q4",
        "added 2 items: CHK-304, CHK-305",
        "updated CHK-301 estimate: 5 → 8",
        "updated CHK-301 status: doing → done",
        "updated CHK-302 status: todo → doing",
        "pruned 1 item not in the export: CHK-390",
        "updated sprints: CHK-Sprint-1, CHK-Sprint-2",
        "sprint CHK-2026-Q4-Sprint-3 has no dates: add it to the plan or import Jira JSON",
        "CHK-305: label kr:serch:KR2 names no key result of 2026-Q4 (did you mean kr:search:KR2?); not written",
        f"wrote {BACKLOG}, {SPRINTS}",
    ]
    again = imported(plan_repo, FIXTURES / "jira.csv", "--prune").output.splitlines()
    assert again[-1] == "nothing to change: the plan already matches the export"


@pytest.mark.parametrize(
    ("category", "status", "expected"),
    [
        ("To Do", "In Progress", "todo"),  # the category wins when it is there
        ("In Progress", "Open", "doing"),
        ("Done", "Open", "done"),
        ("", "Resolved", "done"),
        ("", "closed", "done"),
        ("", "In Review", "doing"),
        ("", "Blocked", "todo"),
    ],
)
def test_jira_csv_status_by_category_else_by_name(category, status, expected):
    export = f"Issue key,Summary,Status,Status Category\nA-1,x,{status},{category}\n".encode()
    assert read_export(export, "e", ImportOptions()).items[0].status == expected


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"status": "Done"}, "done"),
        ({"status": "In Progress"}, "doing"),
        ({"status": "Backlog"}, "todo"),
        ({}, "todo"),
        ({"status": "In Progress", "content_state": "CLOSED"}, "done"),  # a closed issue is done
    ],
)
def test_github_project_status_by_the_status_field_and_a_closed_issue(item, expected):
    content = {"number": 1, "title": "x", "type": "Issue"}
    if "content_state" in item:
        content["state"] = item.pop("content_state")
    export = json.dumps({"items": [{**item, "content": content}]}).encode()
    assert read_export(export, "e", ImportOptions()).items[0].status == expected


def test_crlf_plan_files_keep_their_line_ends(plan_repo):
    for name in (BACKLOG, SPRINTS):
        path = plan_repo / name
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    as_json(plan_repo, FIXTURES / "jira-search.json", "--prune")
    for name in (BACKLOG, SPRINTS):
        data = (plan_repo / name).read_bytes()
        assert data.count(b"\n") == data.count(b"\r\n") > 10
    assert as_json(plan_repo, FIXTURES / "jira-search.json", "--prune")["files"]["written"] == []


def test_items_follow_the_flow_mapping_style_of_a_multi_document_file(tmp_path):
    root = tmp_path / "multi"
    copy_plan(Path(__file__).parents[1] / "examples" / "multi-team", root)
    before = (root / "checkout" / "2026-Q4.yaml").read_text()
    result = run(str(FIXTURES / "gh-issues.json"), str(root), "--team", "checkout", "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    removed, added = changed_lines(before.encode(), (root / "checkout" / "2026-Q4.yaml").read_bytes())
    assert removed == []
    assert added == [
        "  - {id: shop-12, title: Remember the last payment method, krs: [KR1], status: todo, "
        "url: https://github.com/acme/shop/issues/12}",
        '  - {id: shop-13, title: "Fix: receipt e-mail shows the wrong currency", status: done, '
        "url: https://github.com/acme/shop/issues/13}",
    ]
    assert check(root, date(2026, 11, 23)).findings == []


def test_a_folder_named_after_the_kind_gives_the_new_documents_their_folders(tmp_path):
    root = tmp_path / "checkout"
    copy_plan(Path(__file__).parents[1] / "examples" / "checkout", root)
    (root / "backlog" / "2026-Q4.yaml").unlink()
    (root / "sprints" / "2026-Q4.yaml").unlink()
    result = run(str(FIXTURES / "gh-project.json"), str(root), "--format", "json", "--today", "2026-10-20")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["files"]["created"] == ["backlog/2026-Q4.yaml", "sprints/2026-Q4.yaml"]
