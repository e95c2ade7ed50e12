"""yamledit: each edit changes exactly its value, in the file's own style, and proves it before anyone writes it.

Sources are written inline, as yamllint's tests write them: what goes in and what
must come out, character for character.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrsprint import yamledit
from okrsprint.yamledit import Edit, EditError, ReadBackError, append_to_list, set_list, set_scalar, value_at, verify

# -- append_to_list ---------------------------------------------------------------------------------------------


def test_append_to_a_block_list_copies_the_last_items_indentation():
    source = (
        "items:\n"
        "  -   a   # first\n"
        "\n"
        "  -   b\n"
        "\n"
        "# after the list\n"
        "other: 1\n"
    )  # fmt: skip
    assert append_to_list(source, 0, ("items",), "c") == Edit(
        "items:\n"
        "  -   a   # first\n"
        "\n"
        "  -   b\n"
        "  -   c\n"
        "\n"
        "# after the list\n"
        "other: 1\n",
        5,
    )  # fmt: skip


def test_append_a_mapping_to_a_block_list_of_mappings():
    source = (
        "items:\n"
        "- id: A\n"
        "  krs: [KR1]\n"
        "other: 1\n"
    )  # fmt: skip
    assert append_to_list(source, 0, ("items",), {"id": "B", "krs": ["KR2"], "estimate": Decimal("3")}) == Edit(
        "items:\n"
        "- id: A\n"
        "  krs: [KR1]\n"
        "- id: B\n"
        "  krs:\n"
        "  - KR2\n"
        "  estimate: 3\n"
        "other: 1\n",
        4,
    )  # fmt: skip


def test_a_list_of_flow_mappings_gets_a_flow_mapping():
    source = "checkins:\n  - {date: 2026-10-09, value: 12.2}\n"
    edit = append_to_list(source, 0, ("checkins",), {"date": date(2026, 11, 23), "value": Decimal("16.20")})
    assert edit.text == source + "  - {date: 2026-11-23, value: 16.20}\n"
    assert edit.line == 3


def test_append_to_a_flow_list_keeps_the_comment_after_it():
    assert append_to_list("krs: [KR1, KR2]   # two\n", 0, ("krs",), "KR3") == Edit("krs: [KR1, KR2, KR3]   # two\n", 1)


def test_append_to_an_empty_flow_list():
    assert append_to_list("krs: []\nrank: 1\n", 0, ("krs",), "KR1") == Edit("krs: [KR1]\nrank: 1\n", 1)


def test_append_to_a_multi_line_flow_list_with_a_trailing_comma():
    source = (
        "krs: [\n"
        "    KR1,\n"
        "    KR2,   # second\n"
        "]\n"
    )  # fmt: skip
    assert append_to_list(source, 0, ("krs",), "KR3") == Edit(
        "krs: [\n"
        "    KR1,\n"
        "    KR2,   # second\n"
        "    KR3,\n"
        "]\n",
        4,
    )  # fmt: skip


def test_append_to_a_multi_line_flow_list_without_a_trailing_comma():
    source = (
        "krs: [\n"
        "    KR1, KR2   # two\n"
        "]\n"
    )  # fmt: skip
    assert append_to_list(source, 0, ("krs",), "KR3").text == (
        "krs: [\n"
        "    KR1, KR2,   # two\n"
        "    KR3\n"
        "]\n"
    )  # fmt: skip


def test_a_missing_list_is_created_flow_for_scalars():
    source = (
        "- id: A\n"
        "  title: x   # a comment\n"
        "- id: B\n"
    )  # fmt: skip
    assert append_to_list(source, 0, (0, "krs"), "KR1") == Edit(
        "- id: A\n"
        "  title: x   # a comment\n"
        "  krs: [KR1]\n"
        "- id: B\n",
        3,
    )  # fmt: skip


def test_a_missing_list_of_mappings_is_created_in_the_files_list_indentation():
    source = (
        "objectives:\n"
        "    - id: O1\n"
        "      key_results:\n"
        "          - id: KR1\n"
        "            target: 20   # the goal\n"
        "\n"
        "          - id: KR2\n"
    )  # fmt: skip
    assert append_to_list(source, 0, ("objectives", 0, "key_results", 0, "checkins"), {"value": 1}) == Edit(
        "objectives:\n"
        "    - id: O1\n"
        "      key_results:\n"
        "          - id: KR1\n"
        "            target: 20   # the goal\n"
        "            checkins:\n"
        "                - value: 1\n"
        "\n"
        "          - id: KR2\n",
        7,
    )  # fmt: skip


def test_a_key_holding_null_becomes_the_list():
    assert append_to_list("krs:\nrank: 1\n", 0, ("krs",), "KR1").text == "krs: [KR1]\nrank: 1\n"
    assert append_to_list("krs: ~   # none yet\n", 0, ("krs",), "KR1").text == "krs: [KR1]   # none yet\n"


def test_a_flow_mapping_gets_the_new_key_inside_it():
    assert append_to_list("- {id: KR1, target: 20}\n", 0, (0, "checkins"), {"value": 1}).text == (
        "- {id: KR1, target: 20, checkins: [{value: 1}]}\n"
    )
    assert append_to_list("x: {}\n", 0, ("x", "krs"), "KR1").text == "x: {krs: [KR1]}\n"


def test_nested_lists_inside_list_items():
    source = (
        "- - a\n"
        "  - b\n"
        "- - c\n"
    )  # fmt: skip
    assert append_to_list(source, 0, (0,), "x").text == "- - a\n  - b\n  - x\n- - c\n"
    assert append_to_list(source, 0, (), ["d"]).text == source + "- - d\n"


# -- set_scalar ---------------------------------------------------------------------------------------------------


def test_set_scalar_keeps_the_key_spacing_and_the_comment():
    source = "target:    20   # the goal\ncurrent: 12\n"
    assert set_scalar(source, 0, ("target",), 25) == Edit("target:    25   # the goal\ncurrent: 12\n", 1)


@pytest.mark.parametrize(
    ("old", "value", "new"),
    [
        ("title: 'single'", "it's done", "title: 'it''s done'"),
        ('title: "double"', "new", 'title: "new"'),
        ("title: plain", "a: b", "title: 'a: b'"),
        ("title: plain", "a #b", "title: 'a #b'"),
        ("title: plain", "#b", "title: '#b'"),
        ("title: plain", "2026-10-01", "title: '2026-10-01'"),
        ("title: plain", "yes", 'title: "yes"'),
        ("title: plain", "null", "title: 'null'"),
        ("title: plain", "", "title: ''"),
        ("title: plain", "1:30", 'title: "1:30"'),
        ("title: plain", "two\nlines", 'title: "two\\nlines"'),
        ("title: 'quoted'", 12, "title: 12"),
        ("value: 1", Decimal("16.20"), "value: 16.20"),
        ("value: 1", 1e-05, "value: 0.00001"),
        ("value: 1", 1e20, "value: 100000000000000000000.0"),
        ("value: 1", None, "value: null"),
        ("value: 1", True, "value: true"),
        ("day: 2026-10-01", date(2026, 11, 23), "day: 2026-11-23"),
    ],
)
def test_a_value_is_written_so_that_it_reads_back(old, value, new):
    assert set_scalar(old + "\n", 0, (old.split(":")[0],), value).text == new + "\n"


def test_set_scalar_in_a_flow_mapping_quotes_what_flow_context_needs():
    assert set_scalar("- {id: A, note: x}\n", 0, (0, "note"), "a, b").text == "- {id: A, note: 'a, b'}\n"


def test_set_scalar_on_an_empty_value_and_on_a_block_scalar():
    assert set_scalar("current:   # unknown\nnext: 1\n", 0, ("current",), 3).text == "current: 3   # unknown\nnext: 1\n"
    source = (
        "note: |\n"
        "  line one\n"
        "  line two\n"
        "\n"
        "# kept\n"
        "next: 1\n"
    )  # fmt: skip
    assert set_scalar(source, 0, ("note",), "short") == Edit("note: short\n\n# kept\nnext: 1\n", 1)


def test_a_missing_key_goes_after_its_sibling_or_last():
    source = (
        "id: KR1\n"
        "baseline: 12\n"
        "target: 20\n"
        "checkins:\n"
        "  - {date: 2026-10-09, value: 13}\n"
    )  # fmt: skip
    assert set_scalar(source, 0, ("current",), 13, after="target") == Edit(
        "id: KR1\n"
        "baseline: 12\n"
        "target: 20\n"
        "current: 13\n"
        "checkins:\n"
        "  - {date: 2026-10-09, value: 13}\n",
        4,
    )  # fmt: skip
    assert set_scalar(source, 0, ("current",), 13, after="owner").text == source + "current: 13\n"
    assert set_scalar(source, 0, ("current",), 13).line == 6


def test_set_scalar_in_a_list():
    assert set_scalar("items: [A, B, C]\n", 0, ("items", 1), "X").text == "items: [A, X, C]\n"


# -- set_list -----------------------------------------------------------------------------------------------------


def test_set_list_keeps_a_flow_list_flow():
    source = "  # comment before\nitems: [A, B]   # committed\n"
    assert set_list(source, 0, ("items",), ["A", "C", "yes"]) == Edit(
        '  # comment before\nitems: [A, C, "yes"]   # committed\n', 2
    )


def test_set_list_keeps_a_block_list_block():
    source = (
        "items:   # committed\n"
        "    -  A\n"
        "    # B was here\n"
        "    -  B   # last\n"
        "goal: x\n"
    )  # fmt: skip
    assert set_list(source, 0, ("items",), ["C", "D", "E"]) == Edit(
        "items:   # committed\n"
        "    -  C\n"
        "    -  D\n"
        "    -  E   # last\n"
        "goal: x\n",
        2,
    )  # fmt: skip


def test_an_emptied_block_list_becomes_flow():
    assert set_list("items:\n  - A\n  - B\ngoal: x\n", 0, ("items",), []).text == "items: []\ngoal: x\n"
    assert set_list("items:  # why\n- A\ngoal: x\n", 0, ("items",), []).text == "items:  # why\n  []\ngoal: x\n"


def test_set_list_on_a_missing_key_and_an_empty_list():
    assert set_list("id: S1\nend: 2026-10-09\n", 0, ("items",), ["A"]).text == "id: S1\nend: 2026-10-09\nitems: [A]\n"
    assert set_list("items: []\n", 0, ("items",), ["A", "B"]).text == "items: [A, B]\n"
    assert set_list("items: [A]\n", 0, ("items",), []).text == "items: []\n"


# -- files as they come ---------------------------------------------------------------------------------------------


def test_crlf_line_ends_are_kept():
    source = "items:\r\n  - A\r\n  - B\r\nnote: x\r\n"
    edited = append_to_list(source, 0, ("items",), {"id": "C", "rank": 2}).text
    assert edited == "items:\r\n  - A\r\n  - B\r\n  - id: C\r\n    rank: 2\r\nnote: x\r\n"
    assert set_scalar(edited, 0, ("due",), date(2026, 12, 1)).text.endswith("note: x\r\ndue: 2026-12-01\r\n")


def test_a_file_without_a_final_line_break_stays_without():
    assert append_to_list("items:\n  - A", 0, ("items",), "B").text == "items:\n  - A\n  - B"


def test_the_right_document_of_several_is_edited_and_the_others_stay():
    source = (
        "kind: ConfigMap\n"
        "data: !Ref other   # another tool's tag\n"
        "---\n"
        "kind: backlog\n"
        "items: [A]\n"
        "---\n"
        "kind: backlog\n"
        "items: [A]\n"
    )  # fmt: skip
    edit = append_to_list(source, 2, ("items",), "B")
    assert edit == Edit(source.removesuffix("items: [A]\n") + "items: [A, B]\n", 8)


def test_value_at_reads_as_the_loader_reads():
    source = "a: 1\n---\nitems: [{id: A, due: 2026-10-01}]\n"
    assert value_at(source, 1, ("items", 0)) == {"id": "A", "due": date(2026, 10, 1)}
    with pytest.raises(EditError, match=r"^items\[0\]\.rank does not exist$"):
        value_at(source, 1, ("items", 0, "rank"))


def test_byte_order_mark_is_split_off_and_put_back():
    assert yamledit.decode(b"\xef\xbb\xbfa: 1\n", "x.yaml") == ("a: 1\n", True)
    assert yamledit.encode("a: 2\n", True) == b"\xef\xbb\xbfa: 2\n"
    assert yamledit.encode("a: 2\n", False) == b"a: 2\n"
    with pytest.raises(EditError, match=r"^x.yaml is not UTF-8 any more; run okrsprint check$"):
        yamledit.decode(b"a: \xff\n", "x.yaml")


# -- refusals -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "path", "value", "message"),
    [
        (append_to_list, ("items", 0, "krs"), "KR2", r"^items\[0\]\.krs is a string, not a list$"),
        (set_list, ("items", 0, "krs"), ["KR2"], r"^items\[0\]\.krs is a string, not a list$"),
        (set_scalar, ("items", 0), 1, r"^items\[0\] is a mapping, not a single value$"),
        (set_scalar, ("items", 3, "id"), "X", r"^items\[3\] does not exist$"),
        (set_scalar, ("sprints", "S1"), "X", r"^sprints does not exist$"),
        (append_to_list, ("items", 0, "id", "x"), 1, r"^items\[0\]\.id\.x does not exist$"),
    ],
)
def test_an_edit_that_cannot_be_made_says_why(operation, path, value, message):
    with pytest.raises(EditError, match=message):
        operation("items:\n  - id: A\n    krs: KR1\n", 0, path, value)


def test_a_document_that_is_not_there():
    with pytest.raises(EditError, match=r"^the file has no YAML document 2$"):
        set_scalar("a: 1\n", 1, ("a",), 2)


# -- the read-back proof --------------------------------------------------------------------------------------------


SOURCE = "kind: okrs\nkey_results:\n  - id: KR1\n    current: 12\n    target: 20\n---\nother: 1\n"
CURRENT = ("key_results", 0, "current")


def test_verify_accepts_exactly_the_expected_change():
    verify(SOURCE, SOURCE.replace("current: 12", "current: 13"), 0, {CURRENT: 13})


@pytest.mark.parametrize(
    ("replaced", "message"),
    [
        ({"current: 12": "current: 14"}, r"current would read back as an integer 14, not 13$"),
        ({"current: 12": "current: 13.0"}, r"current would read back as a number 13.0, not 13$"),
        ({"current: 12": "current: '13'"}, r"current would read back as a string '13', not 13$"),
        (
            {"current: 12": "current: 13", "target: 20": "target: 19"},
            r"target would read back as an integer 19, not 20$",
        ),
        ({"current: 12": "current: 13\n    owner: x"}, r"^key_results\[0\]\.owner would appear$"),
        ({"current: 12": "current: 13\n    current: 13"}, r"^duplicate key 'current' \(first at line 4\)$"),
        ({"current: 12": "current: 13", "other: 1": "other: 2"}, r"^YAML document 2 would change$"),
        ({"current: 12": "current: 13", "---\n": ""}, r"^the file would hold 1 YAML documents instead of 2$"),
        ({"current: 12": "current: [13"}, r"^the edited file would not parse: invalid YAML: "),
        ({"current: 12": "current: !!binary 13"}, r"^the edited file would not read back: unsupported YAML tag"),
    ],
)
def test_verify_refuses_anything_else_and_says_what_differs(replaced, message):
    edited = SOURCE
    for old, new in replaced.items():
        edited = edited.replace(old, new)
    with pytest.raises(ReadBackError, match=message):
        verify(SOURCE, edited, 0, {CURRENT: 13})


def test_an_operation_never_returns_an_edit_that_does_not_read_back(monkeypatch):
    monkeypatch.setattr(yamledit, "render", lambda value, flow, quote=None: "{id: KR2}")
    with pytest.raises(ReadBackError, match=r"^items\[1\]\.title would be missing$"):
        append_to_list("items:\n  - id: KR1\n", 0, ("items",), {"id": "KR2", "title": "x"})


# -- property: random documents, random edits ----------------------------------------------------------------------

PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 _-]*[A-Za-z0-9]|[A-Za-z]")
YAML11_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false", "null", "nan", "inf"}
SCALARS = st.one_of(
    st.integers(-5, 1000),
    st.sampled_from([0.5, 12.25, -3.0, 1e-05]),
    st.booleans(),
    st.none(),
    st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    st.sampled_from(["KR1", "CHK-101", "a b", "a: b", "x #y", "yes", "No", "null", "2026-10-01", "it's", ""]),
    st.sampled_from(["1:30", "über", "#", "- a", "[x]", "{y}", "a, b", "'q'", '"d"', "0x1F", "1_000", "~"]),
)
KEYS = ["id", "title", "krs", "items", "note", "value", "x-tag", "rank"]


def write_scalar(value: object, flow: bool) -> str:
    """A scalar as a person would type it (independently of yamledit's renderer)."""
    if value is None:
        return "null" if flow else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if PLAIN.fullmatch(value) and value.lower() not in YAML11_WORDS:
            return value
        return json.dumps(value, ensure_ascii=False)
    return repr(value) if isinstance(value, float) else str(value)


@st.composite
def values(draw: st.DrawFn, depth: int = 0) -> tuple[str, object]:
    """(style, value): a scalar, a flow or block list, a flow or block mapping."""
    styles = ["scalar", "flow-list", "block-list", "flow-map"] + (["block-map"] if depth < 2 else [])
    style = draw(st.sampled_from(styles))
    if style == "scalar":
        return style, draw(SCALARS)
    if style in ("flow-list", "block-list"):
        items = draw(st.lists(SCALARS, max_size=3))
        if style == "block-list" and depth < 2 and draw(st.booleans()):
            items = [draw(mappings(depth + 1)) for _ in range(draw(st.integers(1, 2)))]
        return (style if items else "flow-list"), items
    if style == "flow-map":
        keys = draw(st.lists(st.sampled_from(KEYS), max_size=3, unique=True))
        return style, {key: draw(SCALARS) for key in keys}
    return style, draw(mappings(depth + 1))


@st.composite
def mappings(draw: st.DrawFn, depth: int) -> dict:
    keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=4, unique=True))
    return {key: draw(values(depth)) for key in keys}


def write_mapping(mapping: dict, column: int, layout: dict, draw: st.DrawFn) -> list[str]:
    """Block lines of a mapping at ``column``, with the drawn indentation, comments and blank lines."""
    lines: list[str] = []
    pad = " " * column
    for key, (style, value) in mapping.items():
        comment = "   # note" if draw(st.booleans()) else ""
        if style == "scalar":
            lines.append(f"{pad}{key}: {write_scalar(value, False)}".rstrip() + comment)
        elif style == "flow-list" and value and draw(st.booleans()):  # one item a line, maybe a trailing comma
            items = [f"{pad}  {write_scalar(v, True)}," for v in value]
            items[-1] = items[-1].removesuffix(",") + draw(st.sampled_from(["", ",", "   # last"]))
            lines += [f"{pad}{key}: [{comment}", *items, f"{pad}]"]
        elif style == "flow-list":
            lines.append(f"{pad}{key}: [{', '.join(write_scalar(v, True) for v in value)}]{comment}")
        elif style == "flow-map":
            entries = ", ".join(f"{k}: {write_scalar(v, True)}" for k, v in value.items())
            lines.append(f"{pad}{key}: {{{entries}}}{comment}")
        elif style == "block-map":
            lines += [f"{pad}{key}:{comment}", *write_mapping(value, column + layout["indent"], layout, draw)]
        else:
            lines.append(f"{pad}{key}:{comment}")
            dash = column + layout["offset"]
            for item in value:
                if isinstance(item, dict):
                    inner = write_mapping(item, dash + 2, layout, draw)
                    lines += [" " * dash + "- " + inner[0][dash + 2 :], *inner[1:]]
                else:
                    lines.append(" " * dash + "- " + (write_scalar(item, True)))
        if draw(st.integers(0, 4)) == 0:
            lines.append("")
    return lines


def plain(tree: dict) -> dict:
    return {key: plain_value(style, value) for key, (style, value) in tree.items()}


def plain_value(style: str, value: object) -> object:
    if style == "block-map":
        return plain(value)  # type: ignore[arg-type]
    if isinstance(value, list):
        return [plain(item) if isinstance(item, dict) else item for item in value]
    return value


def spots(data: object, path: tuple = ()) -> list[tuple[str, tuple]]:
    """Every place an edit can go: ("list", path), ("scalar", path), ("mapping", path)."""
    found: list[tuple[str, tuple]] = []
    if isinstance(data, dict):
        found.append(("mapping", path))
        for key, value in data.items():
            found += spots(value, (*path, key))
    elif isinstance(data, list):
        found.append(("list", path))
        for index, value in enumerate(data):
            found += spots(value, (*path, index))
    else:
        found.append(("scalar", path))
    return found


@st.composite
def edited_files(draw: st.DrawFn):
    """(old text, document index, operation, path, value, expected documents, edited region's old lines)."""
    layout = {"indent": draw(st.sampled_from([2, 4])), "offset": draw(st.sampled_from([0, 2]))}
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    trees = draw(st.lists(mappings(0), min_size=1, max_size=2))
    text = newline.join(
        ("---" + newline if index else "") + newline.join(write_mapping(tree, 0, layout, draw))
        for index, tree in enumerate(trees)
    )
    text += draw(st.sampled_from([newline, ""]))
    document = draw(st.integers(0, len(trees) - 1))
    data = plain(trees[document])
    kind, path = draw(st.sampled_from([spot for spot in spots(data) if spot[1]]))
    if kind == "list":
        operation = draw(st.sampled_from(["append_to_list", "set_list"]))
        value = draw(SCALARS) if operation == "append_to_list" else draw(st.lists(SCALARS, max_size=3))
    elif kind == "scalar":
        operation, value = "set_scalar", draw(SCALARS)
    else:
        operation = draw(st.sampled_from(["set_scalar", "set_list", "append_to_list"]))
        path, value = (*path, "added"), draw(SCALARS if operation != "set_list" else st.lists(SCALARS, max_size=2))
    return text, document, operation, path, value


def applied(data: object, path: tuple, value: object) -> object:
    """``data`` with ``value`` at ``path`` (a missing key is added), leaving ``data`` as it was."""
    if not path:
        return value
    step, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {**data, step: applied(data.get(step), rest, value)}
    assert isinstance(data, list)
    return [applied(item, rest, value) if index == step else item for index, item in enumerate(data)]


def same(a: object, b: object) -> bool:
    """Equal with equal types all the way down (True is not 1, 1 is not 1.0)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def region(text: str, document: int, path: tuple) -> tuple[int, int]:
    """0-based first and last line an edit at ``path`` may touch: the key and value there, else the whole mapping."""
    node = list(yaml.compose_all(text, Loader=yaml.CSafeLoader))[document]
    start = node.start_mark.line
    for step in path:
        if isinstance(node, yaml.MappingNode):
            entry = next(((key, value) for key, value in node.value if key.value == step), None)
            if entry is None:
                break
            start, node = entry[0].start_mark.line, entry[1]
        else:
            node = node.value[step]
            start = node.start_mark.line
    last = node
    while isinstance(last, yaml.MappingNode | yaml.SequenceNode) and not last.flow_style and last.value:
        last = last.value[-1][1] if isinstance(last, yaml.MappingNode) else last.value[-1]
    end = last.end_mark.index
    while end > node.start_mark.index and text[end - 1] in " \t\r\n":
        end -= 1
    return start, text.count("\n", 0, end)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited_files())
def test_random_edits_read_back_and_leave_every_other_line_alone(case):
    text, document, operation, path, value = case
    edit = getattr(yamledit, operation)(text, document, path, value)
    before = list(yaml.load_all(text, Loader=yaml.CSafeLoader))
    after = list(yaml.load_all(edit.text, Loader=yaml.CSafeLoader))
    if operation == "append_to_list":
        old = value_at(text, document, path) if path[-1] != "added" else None
        value = [*(old or []), value]
    expected = [applied(data, path, value) if index == document else data for index, data in enumerate(before)]
    assert same(after, expected)

    first, last = region(text, document, path)
    old_lines, new_lines = text.splitlines(keepends=True), edit.text.splitlines(keepends=True)
    assert new_lines[:first] == old_lines[:first]
    kept = old_lines[last + 1 :]
    assert new_lines[len(new_lines) - len(kept) :] == kept or not kept
    assert 1 <= edit.line <= len(new_lines)
    if "\r\n" in text:
        assert edit.text.count("\n") == edit.text.count("\r\n")
