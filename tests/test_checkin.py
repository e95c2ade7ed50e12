"""okrsprint checkin: the check-in is added, nothing else of the file changes, bad input never touches the disk."""

from __future__ import annotations

import difflib
import os
import stat
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

import okrsprint.commands.checkin as checkin_module
from okrsprint import yamledit
from okrsprint.cli import app
from okrsprint.commands.checkin import CheckinError, CheckinRequest, record_checkin
from okrsprint.engine import open_plan
from okrsprint.metrics import current_value, threshold
from okrsprint.numbers import format_number
from tests.helpers import EXAMPLES, TODAY, check, copy_plan

HEADER = "kind: okrs\nteam: checkout\nquarter: 2026-Q4\n"


def request(path: Path, reference: str = "KR1", value: str = "16.2", **options) -> CheckinRequest:
    return CheckinRequest(reference, value, path=path, today=options.pop("today", TODAY), **options)


def okrs_repo(tmp_path: Path, body: str, *, name: str = "okrs.yaml", newline: str = "\n") -> Path:
    """A one-file repo: the okrs header then ``body`` (dedented), written with ``newline`` line endings."""
    text = HEADER + textwrap.dedent(body).lstrip("\n")
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


def added_lines(before: str, after: str) -> list[str]:
    """The lines ``after`` adds to ``before``; fails the test when any line of ``before`` changed or went."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    added = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        assert tag in ("equal", "insert"), f"{tag}: {before.splitlines()[i1:i2]} -> {after.splitlines()[j1:j2]}"
        if tag == "insert":
            added += after.splitlines()[j1:j2]
    return added


def changed_lines(before: str, after: str) -> list[tuple[list[str], list[str]]]:
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    return [
        (before.splitlines()[i1:i2], after.splitlines()[j1:j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def key_result(path: Path, team: str = "checkout", quarter: str = "2026-Q4", kr: str = "KR1"):
    return open_plan(path).team_quarter(team, quarter).key_results_by_id[kr].value


# -- the examples: every key result, a diff of added lines only ----------------------------------------------


def example_key_results():
    for example in ("checkout", "multi-team"):
        plan = open_plan(EXAMPLES / example)
        for team_quarter in plan.sorted_team_quarters():
            for placed in team_quarter.key_results:
                level = threshold(placed.value)  # a threshold key result: check in at its level (held)
                target = format_number(placed.value.target if level is None else level[1])
                name = f"{example}-{team_quarter.team}-{placed.value.id}"
                yield pytest.param(example, team_quarter.team, placed.value.id, target, id=name)


@pytest.mark.parametrize(("example", "team", "kr", "target"), list(example_key_results()))
def test_checkin_on_every_example_key_result_only_adds_its_lines(tmp_path, example, team, kr, target):
    repo = copy_plan(EXAMPLES / example, tmp_path / example)
    before = {path: path.read_text(encoding="utf-8") for path in repo.rglob("*.yaml")}
    result = record_checkin(request(repo, f"{team}:{kr}", target, confidence="0.8", note="measured: on Monday"))
    changed = [path for path, text in before.items() if path.read_text(encoding="utf-8") != text]
    assert [path.relative_to(repo).as_posix() for path in changed] == [result.file]
    after = changed[0].read_text(encoding="utf-8")
    added = added_lines(before[changed[0]], after)
    assert [line.strip() for line in added] == [
        "- date: 2026-11-23", f"value: {target}", "confidence: 0.8", "note: 'measured: on Monday'",
    ]  # fmt: skip
    assert after.splitlines()[result.line - 1] == added[0]
    assert current_value(key_result(repo, team, kr=kr), date.max) == float(target)
    assert check(repo).findings == []  # at its target, the key result is not behind either


def test_summary_names_key_result_values_day_and_line(tmp_path):
    repo = copy_plan(EXAMPLES / "checkout", tmp_path / "checkout")
    result = record_checkin(request(repo, "KR1", "16.2"))
    assert result.summary() == "checkout:KR1 2026-Q4: 15.6 → 16.2 on 2026-11-23 (okrs/2026-Q4.yaml:49)"
    lines = (repo / "okrs/2026-Q4.yaml").read_text().splitlines()
    assert lines[48:50] == ["          - date: 2026-11-23", "            value: 16.2"]
    assert lines[50] == ""  # the blank line that separated KR1 from KR2 still does


# -- awkward files ----------------------------------------------------------------------------------------------


KR_BLOCK = """\
objectives:
  - id: O1
    title: Checkout is fast
    key_results:
      - id: KR1
        title: Conversion rate
        baseline: 12
        target: 20
"""


def test_flow_mapping_items_get_a_flow_mapping_item(tmp_path):
    path = okrs_repo(tmp_path, KR_BLOCK + "        checkins:\n          - {date: 2026-10-09, value: 12.2}\n")
    before = path.read_text()
    record_checkin(request(tmp_path, note="a, b"))
    assert added_lines(before, path.read_text()) == ["          - {date: 2026-11-23, value: 16.2, note: 'a, b'}"]


def test_single_line_flow_list_is_appended_in_flow_style(tmp_path):
    path = okrs_repo(tmp_path, KR_BLOCK + "        checkins: [{date: 2026-10-09, value: 12.2}]   # keep me\n")
    before = path.read_text()
    record_checkin(request(tmp_path))
    assert changed_lines(before, path.read_text()) == [
        (
            ["        checkins: [{date: 2026-10-09, value: 12.2}]   # keep me"],
            ["        checkins: [{date: 2026-10-09, value: 12.2}, {date: 2026-11-23, value: 16.2}]   # keep me"],
        )
    ]


def test_multi_line_flow_list_gets_a_line_of_its_own(tmp_path):
    body = (
        KR_BLOCK
        + "        checkins: [\n          {date: 2026-10-09, value: 12.2},\n          {date: 2026-10-23, value: 13},\n        ]\n"
    )
    path = okrs_repo(tmp_path, body)
    before = path.read_text()
    record_checkin(request(tmp_path))
    assert added_lines(before, path.read_text()) == ["          {date: 2026-11-23, value: 16.2},"]


def test_empty_flow_list_receives_the_first_checkin(tmp_path):
    path = okrs_repo(tmp_path, KR_BLOCK + "        checkins: []\n")
    record_checkin(request(tmp_path))
    assert "        checkins: [{date: 2026-11-23, value: 16.2}]\n" in path.read_text()


def test_missing_checkins_list_is_created_in_the_files_indentation(tmp_path):
    body = "objectives:\n- id: O1\n  title: Checkout is fast\n  key_results:\n  - id: KR1\n    title: Conversion\n    baseline: 12\n    target: 20   # the goal\n\n  - id: KR2\n    title: Latency\n    baseline: 9\n    target: 5\n"
    path = okrs_repo(tmp_path, body)
    before = path.read_text()
    record_checkin(request(tmp_path))
    assert added_lines(before, path.read_text()) == ["    checkins:", "    - date: 2026-11-23", "      value: 16.2"]
    assert path.read_text().index("checkins:") < path.read_text().index("\n\n  - id: KR2")
    assert [c.value for c in key_result(tmp_path).checkins] == [16.2]


def test_flow_key_result_gets_a_flow_checkins_list(tmp_path):
    body = "objectives:\n  - id: O1\n    title: Fast\n    key_results:\n      - {id: KR1, title: Conversion, baseline: 12, target: 20}\n"
    path = okrs_repo(tmp_path, body)
    record_checkin(request(tmp_path))
    assert (
        "      - {id: KR1, title: Conversion, baseline: 12, target: 20, checkins: [{date: 2026-11-23, value: 16.2}]}\n"
        in path.read_text()
    )


def test_comments_blank_lines_spacing_and_quotes_between_items_stay(tmp_path):
    body = KR_BLOCK + textwrap.indent(
        textwrap.dedent("""\
        checkins:   # measured on Mondays
          # the first one
          -   date: "2026-10-09"
              value:    12.20     # twelve point two
              note: 'single, quoted'

          # the second one
          -   date: 2026-10-23
              value: 0x0D
              note: |
                a block note

        # trailing comment of the key result
        """),
        "        ",
    )
    path = okrs_repo(tmp_path, body + "  - id: O2\n    title: Other\n    key_results: []\n")
    before = path.read_text()
    record_checkin(request(tmp_path, note="yes"))
    assert added_lines(before, path.read_text()) == [
        "          -   date: 2026-11-23",
        "              value: 16.2",
        '              note: "yes"',  # plain yes would read back as true in YAML 1.1
    ]
    assert [c.note for c in key_result(tmp_path).checkins] == ["single, quoted", "a block note\n", "yes"]


def test_crlf_line_endings_are_kept(tmp_path):
    path = okrs_repo(
        tmp_path,
        KR_BLOCK
        + "        current: 12  # before check-ins\n        checkins:\n          - date: 2026-10-09\n            value: 12.2\n",
        newline="\r\n",
    )
    record_checkin(request(tmp_path, confidence="0.5"))
    data = path.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")
    assert b"            value: 16.2\r\n            confidence: 0.5\r\n" in data
    assert b"        current: 16.2  # before check-ins\r\n" in data


def test_multi_document_file_edits_the_right_document(tmp_path):
    other = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}   # another tool's\n"
    search = HEADER.replace("checkout", "search") + KR_BLOCK
    path = tmp_path / "all.yaml"
    path.write_text(other + "---\n" + search + "---\n" + HEADER + KR_BLOCK + "...\n")
    before = path.read_text()
    result = record_checkin(request(tmp_path, "checkout:KR1"))
    added = added_lines(before, path.read_text())
    assert added == ["        checkins:", "          - date: 2026-11-23", "            value: 16.2"]
    assert result.line == path.read_text().splitlines().index(added[1]) + 1
    assert path.read_text().index("checkins") > path.read_text().index("team: checkout")
    assert key_result(tmp_path, "search").checkins == []


def test_file_without_trailing_newline_stays_without(tmp_path):
    path = okrs_repo(tmp_path, KR_BLOCK + "        checkins:\n          - date: 2026-10-09\n            value: 12.2")
    record_checkin(request(tmp_path))
    text = path.read_text()
    assert text.endswith("            value: 12.2\n          - date: 2026-11-23\n            value: 16.2")


def test_byte_order_mark_is_kept(tmp_path):
    path = okrs_repo(tmp_path, KR_BLOCK)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    record_checkin(request(tmp_path))
    assert path.read_bytes().startswith(b"\xef\xbb\xbfkind: okrs\n")
    assert b"value: 16.2" in path.read_bytes()


def test_current_changes_only_when_the_checkin_is_the_latest(tmp_path):
    path = okrs_repo(
        tmp_path,
        KR_BLOCK.replace("target: 20", "target: 20\n        current: 15.6")
        + "        checkins:\n          - {date: 2026-11-20, value: 15.6}\n",
    )
    before = path.read_text()
    backfill = record_checkin(request(tmp_path, value="13", day="2026-10-01"))
    assert "current: 15.6" in path.read_text()
    assert "recorded before the latest check-in; current value stays 15.6" in backfill.summary()
    middle = path.read_text()
    assert len(added_lines(before, middle)) == 1
    record_checkin(request(tmp_path, value="17", day="2026-11-23"))
    assert changed_lines(middle, path.read_text())[0] == (["        current: 15.6"], ["        current: 17"])


def test_numbers_are_written_so_yaml_1_1_reads_them_as_numbers(tmp_path):
    path = okrs_repo(tmp_path, KR_BLOCK)
    record_checkin(request(tmp_path, value="1e-5", confidence="1"))
    assert "value: 0.00001" in path.read_text()
    assert key_result(tmp_path).checkins[0].value == 0.00001


# -- refusals: exit 2 and an untouched file -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"value": "lots"}, "--value must be a number, not 'lots'"),
        ({"value": "nan"}, "--value: nan is out of range"),
        ({"value": "true"}, "--value must be a number"),
        ({"value": "1e400"}, "--value: 1e400 is out of range: numbers must lie within ±1e300"),
        ({"day": "2026-02-30"}, "--date must be a real date YYYY-MM-DD, not '2026-02-30'"),
        ({"day": "20261123"}, "--date must be a real date"),
        ({"confidence": "1.5"}, "--confidence must lie between 0 and 1, not 1.5"),
        ({"confidence": "-0.1"}, "--confidence must lie between 0 and 1"),
        ({"confidence": "high"}, "--confidence must be a number"),
        ({"quarter": "Q4"}, "--quarter must look like 2026-Q4, not 'Q4'"),
        ({"reference": "KR9"}, "no key result 'KR9' of any team in 2026-Q4; key results there: checkout:KR1 (2026-Q4)"),
        (
            {"reference": "KR1", "day": "2027-01-05", "today": date(2027, 1, 5)},
            "no key result 'KR1' of any team in 2027-Q1; found checkout:KR1 (2026-Q4): pass --quarter",
        ),
        (
            {"reference": "other:KR1"},
            "no key result 'other:KR1' of team other in 2026-Q4; there are no key results there",
        ),
    ],
)
def test_bad_input_is_refused_before_the_disk_is_touched(tmp_path, options, message):
    path = okrs_repo(tmp_path, KR_BLOCK)
    before = path.read_bytes()
    with pytest.raises(CheckinError) as error:
        record_checkin(request(tmp_path, **options))
    assert message in str(error.value)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["okrs.yaml"]


def test_ambiguous_reference_lists_the_candidates(tmp_path):
    okrs_repo(tmp_path, KR_BLOCK)
    okrs_repo(tmp_path, KR_BLOCK, name="search.yaml").write_text(HEADER.replace("checkout", "search") + KR_BLOCK)
    with pytest.raises(
        CheckinError,
        match=r"'KR1' is ambiguous in 2026-Q4: checkout:KR1 \(2026-Q4\), search:KR1 \(2026-Q4\); write it as team:KR1",
    ):
        record_checkin(request(tmp_path))
    assert record_checkin(request(tmp_path, "search:KR1")).team == "search"


def test_default_team_of_the_config_narrows_a_bare_reference(tmp_path):
    okrs_repo(tmp_path, KR_BLOCK)
    (tmp_path / "search.yaml").write_text(HEADER.replace("checkout", "search") + KR_BLOCK)
    (tmp_path / "okrsprint.yaml").write_text("team: search\n")
    assert record_checkin(request(tmp_path)).team == "search"


def test_default_quarter_follows_year_start_month(tmp_path):
    okrs_repo(tmp_path, KR_BLOCK)
    (tmp_path / "okrsprint.yaml").write_text("year_start_month: 4\n")  # 2026-Q4 = 2027-01-01 .. 2027-03-31
    assert record_checkin(request(tmp_path, day="2027-02-01", today=date(2027, 2, 1))).quarter == "2026-Q4"


def test_a_broken_file_elsewhere_does_not_block_but_a_new_structure_error_does(tmp_path, monkeypatch):
    path = okrs_repo(tmp_path, KR_BLOCK)
    (tmp_path / "backlog.yaml").write_text(
        "kind: backlog\nteam: checkout\nquarter: 2026-Q4\nitems:\n  - {id: X, title: x, krs: [KR7]}\n"
    )
    record_checkin(request(tmp_path))  # S004 in backlog.yaml was there before: not the check-in's doing
    before = path.read_bytes()
    # Without the semantic proof, a rendering that quotes the value (a string: S002) must still be caught.
    monkeypatch.setattr(yamledit, "render", lambda value, flow, quote=None: "date: 2026-11-24\nvalue: '16.2'")
    monkeypatch.setattr(yamledit, "verify", lambda *args: None)
    with pytest.raises(CheckinError, match=r"would break the plan, nothing was written: okrs.yaml:\d+: S002"):
        record_checkin(request(tmp_path, day="2026-11-24", today=date(2026, 11, 24)))
    assert path.read_bytes() == before


def test_an_edit_that_changes_anything_else_is_refused(tmp_path, monkeypatch):
    path = okrs_repo(tmp_path, KR_BLOCK)
    before = path.read_bytes()
    monkeypatch.setattr(yamledit, "render", lambda value, flow, quote=None: "date: 2026-11-23\nvalue: 99")
    with pytest.raises(CheckinError, match="would change more than the new check-in"):
        record_checkin(request(tmp_path))
    assert path.read_bytes() == before


# -- atomic and safe writes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_failure_mid_write_leaves_the_original_and_no_temporary_file(tmp_path, monkeypatch, failing):
    path = okrs_repo(tmp_path, KR_BLOCK)
    before = path.read_bytes()

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, broken)
    with pytest.raises(CheckinError, match="cannot write .*No space left on device; the file is unchanged"):
        record_checkin(request(tmp_path))
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["okrs.yaml"]


def test_a_file_changed_on_disk_since_it_was_read_is_not_overwritten(tmp_path, monkeypatch):
    path = okrs_repo(tmp_path, KR_BLOCK)
    check_structure = checkin_module.refuse_new_structure_findings

    def someone_else_edits(*args):
        check_structure(*args)
        path.write_text(path.read_text() + "# edited meanwhile\n")

    monkeypatch.setattr(checkin_module, "refuse_new_structure_findings", someone_else_edits)
    with pytest.raises(CheckinError, match="changed on disk since it was read"):
        record_checkin(request(tmp_path))
    assert path.read_text().endswith("target: 20\n# edited meanwhile\n")


def test_mode_is_kept_and_a_symbolic_link_stays_a_link(tmp_path):
    real = okrs_repo(tmp_path, KR_BLOCK, name="real.yml.txt")
    real.chmod(0o640)
    (tmp_path / "okrs.yaml").symlink_to(real.name)
    record_checkin(request(tmp_path))
    assert (tmp_path / "okrs.yaml").is_symlink()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert "value: 16.2" in real.read_text()


# -- command line ------------------------------------------------------------------------------------------------


def test_cli_prints_what_was_done(tmp_path):
    repo = copy_plan(EXAMPLES / "checkout", tmp_path / "checkout")
    result = CliRunner().invoke(
        app, ["checkin", "KR3", "--value", "1300", "--note", "cached", "--today", "2026-11-23", str(repo)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "checkout:KR3 2026-Q4: 1420 → 1300 on 2026-11-23 (okrs/2026-Q4.yaml:96)\n"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["KR1", "--value", "x", "--today", "2026-11-23"], "okrsprint: error: --value must be a number, not 'x'"),
        (["KR1", "--value", "1", "--today", "soon"], "okrsprint: error: --today must be a date YYYY-MM-DD"),
        (["KR1", "--value", "1", "--date", "2026-13-01"], "okrsprint: error: --date must be a real date YYYY-MM-DD"),
        (["KR1", "--value", "1", "--confidence", "2"], "okrsprint: error: --confidence must lie between 0 and 1"),
        (
            ["KR7", "--value", "1", "--date", "2026-11-01"],
            "okrsprint: error: no key result 'KR7' of any team in 2026-Q4",
        ),
    ],
)
def test_cli_refusals_exit_2_without_traceback(tmp_path, arguments, message):
    path = okrs_repo(tmp_path, KR_BLOCK)
    before = path.read_bytes()
    result = CliRunner().invoke(app, ["checkin", *arguments, str(tmp_path)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert path.read_bytes() == before


def test_console_script_records_a_checkin(tmp_path):
    repo = copy_plan(EXAMPLES / "multi-team", tmp_path / "multi-team")
    script = Path(sys.executable).with_name("okrsprint")
    command = [str(script), "checkin", "search:KR1", "--value", "0.5", "--date", "2026-11-22", str(repo)]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("search:KR1 2026-Q4: ") and " on 2026-11-22 (search/okrs-2026-Q4.yaml:" in done.stdout
    assert date(2026, 11, 22) in [c.date for c in key_result(repo, "search").checkins]
    ambiguous = subprocess.run([*command[:2], "KR1", *command[3:]], capture_output=True, text=True, check=False)
    assert ambiguous.returncode == 2 and "ambiguous" in ambiguous.stderr and ambiguous.stdout == ""


# -- refusals: not a measurement yet, a day that already has one --------------------------------------------------

KR_WITH_CHECKIN = (
    KR_BLOCK.replace("target: 20", "target: 20\n        current: 15.6")
    + "        checkins:\n"
    + "          - date: 2026-11-20  # weekly metrics job\n"
    + "            value: 15.6\n"
    + "            confidence: 0.5\n"
    + "            note: before the release\n"
)


def test_a_date_after_today_is_refused_and_today_itself_is_not(tmp_path):
    path = okrs_repo(tmp_path, KR_BLOCK)
    before = path.read_bytes()
    with pytest.raises(CheckinError) as refused:
        record_checkin(request(tmp_path, day="2026-11-24"))
    assert str(refused.value) == (
        "--date 2026-11-24 is after today (2026-11-23): a check-in records a measurement; not a measurement yet"
    )
    assert path.read_bytes() == before
    assert record_checkin(request(tmp_path, day="2026-11-23")).day == date(2026, 11, 23)


def test_a_second_checkin_on_the_same_day_is_refused_without_replace(tmp_path):
    path = okrs_repo(tmp_path, KR_WITH_CHECKIN)
    before = path.read_bytes()
    with pytest.raises(CheckinError) as refused:
        record_checkin(request(tmp_path, value="16", day="2026-11-20"))
    assert str(refused.value) == (
        "checkout:KR1 already has a check-in on 2026-11-20 (value 15.6, okrs.yaml:14): pass --replace to replace it"
    )
    assert path.read_bytes() == before
    assert record_checkin(request(tmp_path, value="16", day="2026-11-21")).day == date(2026, 11, 21)


def test_replace_changes_value_and_confidence_in_place_and_keeps_note_and_comments(tmp_path):
    path = okrs_repo(tmp_path, KR_WITH_CHECKIN)
    before = path.read_text()
    result = record_checkin(request(tmp_path, value="16.1", day="2026-11-20", confidence="0.75", replace=True))
    assert changed_lines(before, path.read_text()) == [
        (["        current: 15.6"], ["        current: 16.1"]),
        (
            ["            value: 15.6", "            confidence: 0.5"],
            ["            value: 16.1", "            confidence: 0.75"],
        ),
    ]
    assert result.summary() == "checkout:KR1 2026-Q4: 15.6 → 16.1 on 2026-11-20, replaced (okrs.yaml:15)"
    assert "# weekly metrics job" in path.read_text()


def test_replace_with_a_note_replaces_the_note_and_adds_a_missing_confidence(tmp_path):
    path = okrs_repo(tmp_path, KR_BLOCK + "        checkins:\n          - {date: 2026-11-20, value: 15.6}\n")
    before = path.read_text()
    record_checkin(request(tmp_path, value="16", day="2026-11-20", confidence="0.8", note="new", replace=True))
    assert changed_lines(before, path.read_text()) == [
        (
            ["          - {date: 2026-11-20, value: 15.6}"],
            ["          - {date: 2026-11-20, value: 16, confidence: 0.8, note: new}"],
        )
    ]
    assert len(key_result(tmp_path).checkins) == 1


def test_replace_without_a_checkin_on_that_day_appends(tmp_path):
    path = okrs_repo(tmp_path, KR_WITH_CHECKIN)
    before = path.read_text()
    record_checkin(request(tmp_path, value="16", day="2026-11-22", replace=True))
    assert changed_lines(before, path.read_text()) == [
        (["        current: 15.6"], ["        current: 16"]),
        ([], ["          - date: 2026-11-22", "            value: 16"]),
    ]


def test_cli_future_date_and_duplicate_exit_2_and_replace_exits_0(tmp_path):
    path = okrs_repo(tmp_path, KR_WITH_CHECKIN)
    before = path.read_bytes()
    runner = CliRunner()
    base = ["checkin", "KR1", "--value", "16", "--today", "2026-11-23", str(tmp_path)]
    future = runner.invoke(app, [*base, "--date", "2026-11-24"])
    assert future.exit_code == 2 and "is after today (2026-11-23)" in future.stderr
    twice = runner.invoke(app, [*base, "--date", "2026-11-20"])
    assert twice.exit_code == 2 and "pass --replace" in twice.stderr
    assert path.read_bytes() == before
    replaced = runner.invoke(app, [*base, "--date", "2026-11-20", "--replace"])
    assert replaced.exit_code == 0, replaced.output
    assert key_result(tmp_path).checkins[0].value == 16
