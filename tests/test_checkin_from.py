"""okrsprint checkin --from FILE.csv: all rows validated first, bad rows named by line, equal rows skipped, one write per file."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import okrsprint.commands.checkin as checkin_module
from okrsprint.cli import app
from okrsprint.engine import open_plan
from tests.helpers import copy_plan

PLAN = Path(__file__).parent / "fixtures" / "import" / "plan"
TODAY = "2026-10-20"
CHECKOUT = "checkout/okrs-2026-Q4.yaml"
SEARCH = "search/okrs-2026-Q4.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "plan"
    copy_plan(PLAN, target)
    return target


def metrics(root: Path, text: str) -> Path:
    path = root.parent / "metrics.csv"
    path.write_text(text, encoding="utf-8")
    return path


def run(root: Path, source: Path | str, *options: str, stdin: str | None = None):
    return CliRunner().invoke(
        app, ["checkin", "--from", str(source), str(root), "--today", TODAY, *options], input=stdin
    )


def checkins(root: Path, team: str, kr: str) -> list[tuple[str, float]]:
    team_quarter = open_plan(root).team_quarter(team, "2026-Q4")
    assert team_quarter is not None
    key_result = team_quarter.key_results_by_id[kr].value
    return [(str(checkin.date), checkin.value) for checkin in key_result.checkins]


def snapshot(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*.yaml"))}


ROWS = """\
note,value,kr,date,confidence,source
first week,14,checkout:KR1,2026-10-07,0.6,dashboard
,15.5,checkout:KR1,2026-10-14,,dashboard
zero results,7.5,search:KR2,2026-10-14,0.8,warehouse
"""


def test_rows_in_any_column_order_are_recorded_with_one_write_per_file(root, monkeypatch):
    writes: list[Path] = []
    original = checkin_module.write_atomically
    monkeypatch.setattr(
        checkin_module, "write_atomically", lambda path, *rest: (writes.append(path), original(path, *rest))
    )
    result = run(root, metrics(root, ROWS))
    assert result.exit_code == 0, result.output
    assert sorted(path.relative_to(root).as_posix() for path in writes) == [CHECKOUT, SEARCH]
    assert checkins(root, "checkout", "KR1") == [("2026-10-07", 14), ("2026-10-14", 15.5)]
    assert checkins(root, "search", "KR2") == [("2026-10-14", 7.5)]
    text = (root / CHECKOUT).read_text()
    assert (
        "          - date: 2026-10-07\n            value: 14\n            confidence: 0.6\n            note: first week\n"
        in text
    )
    assert result.output.splitlines()[-1] == f"recorded 3 check-ins in {CHECKOUT}, {SEARCH}"


def test_the_same_file_again_is_skipped_row_by_row_and_writes_nothing(root):
    run(root, metrics(root, ROWS))
    before = snapshot(root)
    again = run(root, metrics(root, ROWS + ",11,checkout:KR2,2026-10-15,,\n"))
    assert again.exit_code == 0, again.output
    assert again.output.splitlines()[-1] == f"recorded 1 check-in, skipped 3 already recorded in {CHECKOUT}"
    third = run(root, metrics(root, ROWS))
    assert third.output.splitlines()[-1] == "recorded 0 check-ins, skipped 3 already recorded"
    assert {name for name, data in snapshot(root).items() if before[name] != data} == {CHECKOUT}


def test_every_bad_row_is_named_by_its_line_and_nothing_is_written(root):
    rows = (
        "kr,date,value,confidence\n"  # line 1
        "checkout:KR1,2026-10-07,14,\n"  # 2: fine, but the file is refused as a whole
        "KR7,2026-10-07,1,\n"  # 3: no such key result
        "checkout:KR1,2026-13-01,2,\n"  # 4: no such day
        "checkout:KR2,2026-10-08,many,\n"  # 5: not a number
        "checkout:KR2,2026-11-30,3,\n"  # 6: after today
        '"checkout:KR3","2026-10-09","4","1.5"\n'  # 7: confidence beyond 1
    )
    before = snapshot(root)
    result = run(root, metrics(root, rows))
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.startswith(str(root.parent / "metrics.csv"))]
    assert [line.split(": ")[0].rsplit(":", 1)[1] for line in lines] == ["3", "4", "5", "6", "7"]
    assert "no key result 'KR7' of any team in 2026-Q4" in lines[0] and "date must be a real date" in lines[1]
    assert "value must be a number, not 'many'" in lines[2] and "after today" in lines[3]
    assert "confidence must lie between 0 and 1" in lines[4]
    assert "5 bad rows, nothing was written" in result.output
    assert snapshot(root) == before


def test_a_conflicting_row_needs_replace_and_then_replaces_in_place(root):
    run(root, metrics(root, "kr,date,value\ncheckout:KR1,2026-10-14,15\n"))
    conflicting = metrics(root, "kr,date,value\ncheckout:KR1,2026-10-14,16\n")
    refused = run(root, conflicting)
    assert refused.exit_code == 2 and "already has a check-in on 2026-10-14" in refused.output
    assert checkins(root, "checkout", "KR1") == [("2026-10-14", 15)]
    replaced = run(root, conflicting, "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert checkins(root, "checkout", "KR1") == [("2026-10-14", 16)]


def test_a_reference_two_teams_answer_to_is_a_bad_row(root):
    result = run(root, metrics(root, "kr,date,value\nKR1,2026-10-14,15\n"))
    assert result.exit_code == 2 and "metrics.csv:2: key result 'KR1' is ambiguous in 2026-Q4" in result.output


def test_two_rows_of_one_day_disagreeing_are_a_bad_row_and_equal_ones_count_once(root):
    clash = run(root, metrics(root, "kr,date,value\ncheckout:KR1,2026-10-14,15\ncheckout:KR1,2026-10-14,16\n"))
    assert clash.exit_code == 2 and "metrics.csv:3: KR1 on 2026-10-14 is already given on line 2" in clash.output
    twice = run(root, metrics(root, "kr,date,value\ncheckout:KR1,2026-10-14,15\ncheckout:KR1,2026-10-14,15\n"))
    assert twice.exit_code == 0 and checkins(root, "checkout", "KR1") == [("2026-10-14", 15)]


def test_dry_run_writes_nothing(root):
    before = snapshot(root)
    result = run(root, metrics(root, ROWS), "--dry-run")
    assert result.exit_code == 0 and result.output.splitlines()[-1].startswith("would record 3 check-ins")
    assert snapshot(root) == before


def test_standard_input_a_bom_and_crlf(root):
    result = run(root, "-", stdin="\ufeffkr,date,value\r\ncheckout:KR2,2026-10-10,11.5\r\n")
    assert result.exit_code == 0, result.output
    assert checkins(root, "checkout", "KR2") == [("2026-10-10", 11.5)]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("kr,value\nKR1,3\n", "no column 'date'"),
        ("", "no column 'kr', 'date', 'value'"),
    ],
)
def test_a_header_without_the_required_columns_is_refused(root, rows, message):
    result = run(root, metrics(root, rows))
    assert result.exit_code == 2 and message in result.output


def test_from_does_not_mix_with_the_single_check_in_options(root):
    result = CliRunner().invoke(app, ["checkin", "--from", "x.csv", "--value", "3", str(root)])
    assert result.exit_code == 2 and "--from takes the check-ins from the file: drop --value" in result.output
    missing = CliRunner().invoke(app, ["checkin", str(root)])
    assert missing.exit_code == 2 and "or use --from FILE.csv" in missing.output
