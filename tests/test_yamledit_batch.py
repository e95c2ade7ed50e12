"""yamledit.apply and new_document: many changes in one splice pass, proved by one read-back."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from okrsprint import yamledit
from okrsprint.loader import compose_documents, to_values
from okrsprint.yamledit import Change, EditError

BACKLOG = """\
kind: backlog   # the backlog
team: x
quarter: 2026-Q4
items:
  - id: A   # first
    title: Alpha
  # about B
  - id: B
    title: 'Beta: two'

  - id: C
    title: Gamma
  - id: D
    title: Delta
"""


def values(text: str, document: int = 0) -> object:
    return to_values(list(compose_documents(text))[document])[0]


def test_sets_extends_and_removals_go_in_together_and_nothing_else_moves():
    changes = [
        Change("set", ("items", 1, "title"), "Beta: three"),
        Change("set", ("items", 2, "estimate"), 3, after="title"),
        Change("extend", ("items",), [{"id": "E", "title": "Eps: x", "krs": ["KR1", "search:KR2"], "estimate": 5}]),
        Change("remove", ("items",), [0, 3]),
    ]
    assert yamledit.apply(BACKLOG, 0, changes) == (
        "kind: backlog   # the backlog\nteam: x\nquarter: 2026-Q4\nitems:\n"
        "  # about B\n  - id: B\n    title: 'Beta: three'\n\n"
        "  - id: C\n    title: Gamma\n    estimate: 3\n"
        '  - id: E\n    title: "Eps: x"\n    krs: [KR1, search:KR2]\n    estimate: 5\n'
    )


def test_removing_the_last_run_takes_the_comments_after_the_item_before_it():
    assert yamledit.apply(BACKLOG, 0, [Change("remove", ("items",), [2, 3])]).endswith(
        "  # about B\n  - id: B\n    title: 'Beta: two'\n"
    )


def test_no_change_is_no_edit():
    assert yamledit.apply(BACKLOG, 0, []) is BACKLOG


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ([Change("remove", ("items",), [0, 1, 2, 3])], "cannot remove items"),
        ([Change("remove", ("items",), [4])], "cannot remove items"),
        ([Change("list", ("items",), []), Change("set", ("items", 0, "title"), "x")], "touch the same text"),
    ],
)
def test_what_cannot_be_done_in_one_batch_is_refused(changes, message):
    with pytest.raises(EditError, match=message):
        yamledit.apply(BACKLOG, 0, changes)


def test_items_of_a_flow_list_are_not_removed_one_by_one():
    with pytest.raises(EditError, match="not a block list"):
        yamledit.apply("items: [{id: A}, {id: B}]\n", 0, [Change("remove", ("items",), [0])])


def test_appended_items_copy_a_flow_mapping_style():
    text = "items:\n  - {id: A, title: Alpha}\n"
    edited = yamledit.apply(text, 0, [Change("extend", ("items",), [{"id": "B", "title": "yes"}])])
    assert edited == 'items:\n  - {id: A, title: Alpha}\n  - {id: B, title: "yes"}\n'


@pytest.mark.parametrize(
    "title",
    [
        "yes",
        "No",
        "null",
        "2026-10-05",
        "1e3",
        "12:30",
        "a: b",
        "a #b",
        " padded ",
        "tab\there",
        "new\nline",
        "é ü ✓",
        "x" * 300,
    ],
)
def test_every_string_reads_back_as_itself(title):
    edited = yamledit.apply(BACKLOG, 0, [Change("extend", ("items",), [{"id": "E", "title": title}])])
    assert values(edited)["items"][-1] == {"id": "E", "title": title}  # type: ignore[index]


def test_a_new_document_reads_back_as_its_header_and_list():
    text = yamledit.new_document(
        {"kind": "sprints", "team": "checkout", "quarter": "2026-Q4"},
        "sprints",
        [{"id": "S1", "start": date(2026, 10, 5), "end": date(2026, 10, 16), "goal": "Yes: it works", "items": ["A"]}],
    )
    assert text == (
        "kind: sprints\nteam: checkout\nquarter: 2026-Q4\nsprints:\n"
        '  - id: S1\n    start: 2026-10-05\n    end: 2026-10-16\n    goal: "Yes: it works"\n    items: [A]\n'
    )
    assert yamledit.new_document({"kind": "backlog"}, "items", []) == "kind: backlog\nitems: []\n"


TEXTS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=60, deadline=None)
@given(
    titles=st.lists(TEXTS, min_size=2, max_size=5),
    new_titles=st.dictionaries(st.integers(0, 4), TEXTS, max_size=3),
    removed=st.sets(st.integers(0, 4), max_size=3),
    added=st.lists(TEXTS, max_size=3),
)
def test_any_batch_reads_back_as_intended(titles, new_titles, removed, added):
    items = [{"id": f"I{index}", "title": title} for index, title in enumerate(titles)]
    text = yamledit.new_document({"kind": "backlog"}, "items", items)
    new_titles = {index: title for index, title in new_titles.items() if index < len(items) and index not in removed}
    removed = {index for index in removed if index < len(items)}
    if len(removed) == len(items):
        removed.pop()
    changes = [Change("set", ("items", index, "title"), title) for index, title in new_titles.items()]
    changes.append(Change("extend", ("items",), [{"id": f"N{index}", "title": t} for index, t in enumerate(added)]))
    if removed:
        changes.append(Change("remove", ("items",), sorted(removed)))
    expected = [dict(item, title=new_titles.get(index, item["title"])) for index, item in enumerate(items)]
    expected = [item for index, item in enumerate(expected) if index not in removed]
    expected += [{"id": f"N{index}", "title": t} for index, t in enumerate(added)]
    assert values(yamledit.apply(text, 0, changes)) == {"kind": "backlog", "items": expected}


def test_mappings_put_into_an_empty_flow_list_become_block_items_and_a_comment_stays_on_the_key():
    text = "kind: backlog\nitems: []   # filled by okrsprint import\nnext: 1\n"
    edited = yamledit.apply(text, 0, [Change("extend", ("items",), [{"id": "A", "title": "b: c"}])])
    assert edited == 'kind: backlog\nitems:   # filled by okrsprint import\n  - id: A\n    title: "b: c"\nnext: 1\n'
    assert yamledit.apply("xs: []\n", 0, [Change("extend", ("xs",), [1, 2])]) == "xs: [1, 2]\n"  # scalars stay flow
