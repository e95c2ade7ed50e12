"""The text renderer's tables: columns two spaces apart under a rule, the flexible column wrapping within the
width, wide characters counted by terminal cells, no trailing spaces, and any width (never a crash)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.text import Text

from okrsprint.render.text import Table
from tests.helpers import EXAMPLES, TODAY


def printed(table: Table, width: int) -> list[str]:
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, force_terminal=False, highlight=False).print(table)
    return buffer.getvalue().split("\n")[:-1]


def goals_table() -> Table:
    table = Table("Sprint", "Goal", "Load")
    table.columns[1].flexible = True
    table.add_row(Text("S1"), Text("Three onboarding page variants are live in an A/B test"), Text("21/30"))
    table.add_row(Text("S2"), Text("Short"), Text("9/30"))
    return table


def test_columns_are_two_spaces_apart_under_a_rule_of_the_tables_width():
    lines = printed(goals_table(), 200)
    assert lines[0] == "Sprint  Goal                                                    Load"
    assert lines[1] == "─" * len(lines[2])  # the widest row's width: "21/30" is wider than "Load"
    assert lines[2] == "S1      Three onboarding page variants are live in an A/B test  21/30"
    assert lines[3] == "S2      Short                                                   9/30"


def test_the_flexible_column_wraps_within_the_width_and_the_others_stay_in_place():
    lines = printed(goals_table(), 40)
    goal = 40 - len("Sprint") - len("21/30") - 2 * 2  # what the other columns and the gaps leave
    assert lines == [
        "Sprint  " + "Goal".ljust(goal) + "  Load",
        "─" * 40,
        "S1      " + "Three onboarding page".ljust(goal) + "  21/30",
        "        variants are live in an",
        "        A/B test",
        "S2      " + "Short".ljust(goal) + "  9/30",
    ]
    assert all(line == line.rstrip() and len(line) <= 40 for line in lines)


def test_a_cell_of_several_lines_takes_as_many_rows():
    table = Table("KR", "Key result")
    table.add_row(Text("KR1"), Text("Conversion\n12 → 20 %"))
    assert printed(table, 80)[2:] == ["KR1  Conversion", "     12 → 20 %"]


def test_wide_characters_are_counted_by_terminal_cells():
    table = Table("Team", "Lead")
    table.add_row(Text("結帳"), Text("maria"))
    table.add_row(Text("web"), Text("tom"))
    assert printed(table, 80)[2:] == ["結帳  maria", "web   tom"]


def test_centred_columns_centre_their_cells():
    table = Table("Key result", "S1", "S2")
    for column in table.columns[1:]:
        column.justify = "center"
    table.add_row(Text("KR1"), Text("●2"), Text("·"))
    assert printed(table, 80)[:3] == ["Key result  S1  S2", "─" * 18, "KR1         ●2  ·"]  # "·" in a 2-cell column


@pytest.mark.parametrize("width", [1, 5, 12, 30])
def test_any_width_keeps_the_header_the_rule_and_a_line_starting_each_row(width):
    """Even where the columns cannot fit (the console then crops the lines), nothing is dropped or merged."""
    lines = printed(goals_table(), width)
    rule = next(at for at, line in enumerate(lines) if line.startswith("─"))
    assert lines[0].startswith("S")
    assert [line[0] for line in lines[rule + 1 :] if line[:1].strip()].count("S") == 2


def test_text_reports_tables_have_no_trailing_spaces():
    from typer.testing import CliRunner

    from okrsprint.cli import app

    for command in ("report", "backlog"):
        result = CliRunner().invoke(
            app, [command, str(EXAMPLES / "checkout"), "--today", TODAY.isoformat()], env={"NO_COLOR": "1"}
        )
        assert result.exit_code == 0, result.output
        assert "────" in result.output
        assert all(line == line.rstrip() for line in result.output.splitlines()), command
