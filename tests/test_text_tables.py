"""The text renderer's layout: tables with columns two spaces apart under a rule, the flexible column wrapping
within the width, wide characters counted by terminal cells; paragraphs wrapped between words as rich wraps
them; no trailing spaces, colour only where it is wanted, and any width (never a crash)."""

from __future__ import annotations

import io

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text as RichText

from okrsprint.render.text import Page, Styled, Table, terminal_width
from tests.helpers import EXAMPLES, TODAY

Text = Styled


def plain(lines: list[list[tuple[str, str]]]) -> list[str]:
    return ["".join(text for text, _ in line) for line in lines]


def printed(table: Table, width: int) -> list[str]:
    return plain(table.lines(width))


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
    """Even where the columns cannot fit (the lines are then cut at the width), nothing is dropped or merged."""
    lines = printed(goals_table(), width)
    assert all(len(line) <= width for line in lines)
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


WORDS = st.lists(st.text("abcdefghij", min_size=1, max_size=12), min_size=1, max_size=30)


@given(WORDS, st.integers(12, 60))
def test_paragraphs_break_between_words_where_rich_does(words, width):
    """With no word wider than the line, rich's word wrap (the same in every version we allow) is the oracle."""
    text = " ".join(words)
    console = Console(width=width, color_system=None)
    expected = [line.plain.rstrip() for line in RichText(text).wrap(console, width)]
    assert plain(Styled(text).lines(width)) == expected


@given(st.text("ab 結\n", max_size=60), st.integers(1, 20))
@example("aa結", 2)  # a word folded before a wide character: rich 13.0's chop_cells gave the pieces reversed
def test_paragraphs_fit_any_width_and_keep_every_character(text, width):
    lines = plain(Styled(text).lines(width))
    assert all(_cells(line) <= max(width, 2) and line == line.rstrip() for line in lines)  # 結 takes 2 cells
    assert "".join(lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")
    assert len(lines) >= text.count("\n") + 1


def _cells(text: str) -> int:
    return sum(2 if character == "結" else 1 for character in text)


def test_a_word_wider_than_the_line_is_folded_at_the_width():
    assert plain(Styled("see abcdefghijkl now").lines(5)) == ["see", "abcde", "fghij", "kl", "now"]


def test_blank_lines_are_kept_and_a_final_newline_makes_one():
    assert plain(Styled("\nOutput: 3 of 4\n").lines(80)) == ["", "Output: 3 of 4", ""]


def test_a_no_wrap_line_ends_in_an_ellipsis_at_the_width():
    line = Styled("│   ├─ ", "dim", no_wrap=True).append("search:O1", "bold").append("  a long objective title")
    assert plain(line.lines(20)) == ["│   ├─ search:O1  a…"]
    assert line.lines(20)[0][-1] == ("…", "dim")
    assert plain(line.lines(80)) == [line.plain]


def test_appended_text_takes_the_style_it_was_made_with_too():
    title = Styled("O1  ", "bold").append("Grow", "dim").append(" (maria)")
    assert title.runs == [("O1  ", "bold"), ("Grow", "bold dim"), (" (maria)", "bold")]
    assert title.ansi == "\x1b[1mO1  \x1b[0m\x1b[1;2mGrow\x1b[0m\x1b[1m (maria)\x1b[0m"


def test_styles_survive_wrapping():
    lines = Styled("aaa ", "").append("bbb ccc", "green").lines(5)
    assert lines == [[("aaa", "")], [("bbb", "green")], [("ccc", "green")]]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("environ", "terminal", "coloured"),
    [
        ({}, True, True),
        ({}, False, False),
        ({"NO_COLOR": "1"}, True, False),
        ({"TERM": "dumb"}, True, False),
        ({"FORCE_COLOR": "1"}, False, True),
    ],
)
def test_pages_are_coloured_only_on_a_terminal_and_never_under_no_color(monkeypatch, environ, terminal, coloured):
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("COLUMNS", "80")
    stream = Terminal() if terminal else io.StringIO()
    Page(Styled("Sprints", "bold"), Styled("S1 current")).write(stream)
    assert stream.getvalue() == ("\x1b[1mSprints\x1b[0m\nS1 current\n" if coloured else "Sprints\nS1 current\n")


@pytest.mark.parametrize(("columns", "width"), [("120", 80), ("30", 30), ("0", 1)])
def test_pages_take_the_terminal_width_up_to_80_columns(monkeypatch, columns, width):
    monkeypatch.setenv("COLUMNS", columns)
    stream = io.StringIO()
    Page(Styled("x" * 100)).write(stream)
    assert stream.getvalue().split("\n")[0] == "x" * width


def test_the_width_without_columns_is_a_terminals_or_80(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr("os.get_terminal_size", _not_a_terminal)
    assert terminal_width() == 80


def _not_a_terminal(descriptor: int):
    raise OSError("not a terminal")


def test_a_file_gets_the_page_at_80_columns_without_colour():
    page = Page(Styled("Sprints", "bold"), Styled("y " * 50, "green"))
    assert page.plain == "Sprints\n" + ("y " * 40).rstrip() + "\n" + ("y " * 10).rstrip() + "\n"


def test_table_cells_keep_their_styles_in_colour():
    table = Table("KR", "Status")
    table.add_row(Text("KR1"), Text("on track", "green"))
    lines = Page(table).text(80, colour=True).split("\n")
    assert lines[0] == "\x1b[1mKR\x1b[0m   \x1b[1mStatus\x1b[0m"
    assert lines[2] == "KR1  \x1b[32mon track\x1b[0m"
