"""Loading plan files: hostile or odd input becomes a located finding, never a traceback or executed code."""

from __future__ import annotations

from pathlib import Path

import pytest

from okrsprint import loader
from okrsprint.discovery import discover
from okrsprint.loader import load_file
from tests.builders import backlog, item
from tests.helpers import check, located

PLAN = "kind: backlog\nteam: checkout\nquarter: 2026-Q4\nitems:\n  - id: I1\n    title: x\n"


def only_structure(root):
    return located(check(root, select=["S"]))


def test_crlf_and_bom_keep_positions(repo):
    root = repo({})
    text = "\ufeff" + PLAN.replace("title: x", "title: x\n    bogus: 1")
    (root / "b.yaml").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert only_structure(root) == [("S002", "b.yaml", 7, 5)]


def test_tab_indentation_is_s001(repo):
    assert only_structure(repo({"b.yaml": PLAN.replace("  - id", "\t- id")}))[0][:3] == ("S001", "b.yaml", 5)


def test_nul_byte_is_s001(repo):
    root = repo({})
    (root / "b.yaml").write_bytes(b"kind: backlog\nteam: c\0\n")
    assert only_structure(root) == [("S001", "b.yaml", 2, 8)]


def test_alias_is_s002_and_nothing_is_expanded(repo):
    text = PLAN.replace("title: x", "title: &t x") + "  - id: I2\n    title: *t\n"
    # libyaml's composer hands back the anchored node itself for *t: the finding points at &t.
    assert only_structure(repo({"b.yaml": text})) == [("S002", "b.yaml", 6, 12)]


def test_billion_laughs_is_refused_quickly(repo):
    lol = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]\n" for n in range(8)
    )
    result = only_structure(repo({"b.yaml": "kind: backlog\nteam: c\nquarter: 2026-Q4\n" + lol}))
    assert [code for code, *_ in result] == ["S002"]


def test_non_string_key_is_s002(repo):
    assert only_structure(repo({"b.yaml": PLAN + "    1: one\n"})) == [("S002", "b.yaml", 7, 5)]


def test_python_tag_is_refused_and_not_run(repo, tmp_path):
    marker = tmp_path / "pwned"
    text = PLAN.replace("title: x", f"title: !!python/object/apply:os.system ['touch {marker}']")
    assert only_structure(repo({"b.yaml": text})) == [("S001", "b.yaml", 6, 12)]
    assert not marker.exists()


def test_foreign_document_with_custom_tags_is_skipped(repo):
    text = "kind: Template\nresources: !Ref Bucket\n---\n" + PLAN
    assert only_structure(repo({"b.yaml": text})) == []


def test_deep_nesting_is_s001_without_crashing(repo):
    deep = "kind: backlog\nteam: c\nquarter: 2026-Q4\nitems: " + "[" * 200_000 + "]" * 200_000 + "\n"
    result = only_structure(repo({"b.yaml": deep}))
    assert result[0][:3] == ("S001", "b.yaml", 4)


def test_plan_nesting_limit_is_s002(repo):
    nested = "kind: backlog\nteam: c\nquarter: 2026-Q4\nitems: " + "[" * 40 + "]" * 40 + "\n"
    assert [code for code, *_ in only_structure(repo({"b.yaml": nested}))] == ["S002"]


def test_file_size_limit(repo, monkeypatch):
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 50)
    result = only_structure(repo({"b.yaml": PLAN * 2}))
    assert result == [("S001", "b.yaml", 1, 1)]


def test_unreadable_file_is_s001(repo, monkeypatch):
    def refuse(path):
        raise PermissionError(13, "Permission denied")

    root = repo({"b.yaml": PLAN})
    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = check(root, select=["S"])
    assert located(result) == [("S001", "b.yaml", 1, 1)]
    assert result.findings[0].message == "cannot read file: Permission denied"


def test_bad_scalar_values_stay_text_for_the_schema(repo):
    text = PLAN.replace("title: x", "title: x\n    estimate: 1e999999\n    rank: .nan")
    result = check(repo({"b.yaml": text}), select=["S"])
    assert [f.location.line for f in result.findings] == [7, 8]


def test_documents_and_their_kinds(repo):
    root = repo({"all.yaml": PLAN + "---\nkind: Deployment\n---\n---\n" + backlog(item("I2"), team="search")})
    source = load_file(root / "all.yaml", root)
    assert [(d.index, d.kind, d.data["team"]) for d in source.documents] == [
        (0, "backlog", "checkout"),
        (3, "backlog", "search"),
    ]
    assert source.documents[1].loc.position == (11, 1)
    assert source.problems == []


def test_discover_skips_dot_dirs_config_and_other_extensions(repo):
    root = repo({"a.yaml": "", "b.yml": "", "c.json": "", "okrsprint.yaml": "", ".git/x.yaml": "", "d/.hidden/y.yaml": "",
                 "d/e.YAML": "", "d/f.yaml": ""})  # fmt: skip
    assert [p.relative_to(root).as_posix() for p in discover(root, [])] == ["a.yaml", "b.yml", "d/f.yaml"]


@pytest.mark.parametrize(
    ("pattern", "kept"),
    [
        ("archive/**", ["a.yaml", "d/archive/x.yaml", "d/f.yaml"]),
        ("archive", ["a.yaml", "d/f.yaml"]),
        ("*.yaml", []),
        ("d/*.yaml", ["a.yaml", "archive/old.yaml", "d/archive/x.yaml"]),
        ("**/x.yaml", ["a.yaml", "archive/old.yaml", "d/f.yaml"]),
    ],
)
def test_exclude_globs(repo, pattern, kept):
    root = repo({"a.yaml": "", "archive/old.yaml": "", "d/archive/x.yaml": "", "d/f.yaml": ""})
    assert sorted(p.relative_to(root).as_posix() for p in discover(root, [pattern])) == kept


def test_symlink_loops_end_and_links_out_of_the_root_are_not_followed(repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.yaml").write_text("kind: okr\n")
    root = repo({"a.yaml": ""})
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "out").symlink_to(outside, target_is_directory=True)
    (root / "file.yaml").symlink_to(outside / "secret.yaml")
    assert [p.relative_to(root).as_posix() for p in discover(root, [])] == ["a.yaml"]
