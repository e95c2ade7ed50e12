"""Reading a repo fast changes nothing: scalars read as PyYAML reads them, flat positions locate as the tree did,
the cache and the worker pool give back exactly what parsing gives, and a loaded plan is no cyclic garbage."""

from __future__ import annotations

import gc
import hashlib
import json
import marshal
import math
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from okrsprint import __version__, cache, loader
from okrsprint.cache import CACHE_DIR, FileCache, ReadOptions, pool_size, read_sources
from okrsprint.cli import app
from okrsprint.engine import open_plan
from okrsprint.loader import OutOfRange, ProblemError, load_file, locate_flat, pack, position_tree
from okrsprint.locations import locate
from tests.helpers import EXAMPLES, TODAY, copy_plan
from tests.test_fuzz import PLAN_FILES, mutated

CHECKOUT = EXAMPLES / "checkout"
STR = "tag:yaml.org,2002:str"
YAML_1_1_FORMS = [
    "yes", "No", "ON", "off", "y", "n", "True", "FALSE", "~", "null", "Null", "", "0x1F", "0o17", "017", "0b101",
    "1_000", "+12", "-0", "1:30", "1:30.5", "190:20:30", ".5", "1.", "1.5e3", "1e3", "1E+3", "-1.0e-3", ".inf",
    "-.Inf", ".NaN", "2026-11-23", "2026-02-30", "2026-11-23T10:00:00Z", "2026-11-23 10:00:00.5 +02:00",
    "2026-1-5", "=", "<<", "1e999", "1.0e999", "1e-999", "9" * 400, "0.0000001", "12abc", "- x", "0x", "1__0",
    "tRUE", "nULL", "oN", "Nope", "yes_", "T048-145", "Off-track", "n/a",
]  # fmt: skip


# -- scalars ---------------------------------------------------------------------------------------------------


def loaded_value(text: str) -> object:
    """What okrsprint reads ``text`` as, written plain as the value of a plan document's key."""
    source = load_file(Path("/r/a.yaml"), Path("/r"), f"kind: okrs\nvalue: {text}\n")
    assert not source.problems
    return source.documents[0].data["value"]


def same_as_pyyaml(text: str) -> None:
    try:
        expected = yaml.safe_load(f"value: {text}\n")
    except yaml.YAMLError:
        return  # not one plain scalar: not what this compares
    except ValueError:  # a date PyYAML cannot build (2026-02-30): okrsprint keeps the text for the schema
        assert loaded_value(text) == text
        return
    if not isinstance(expected, dict) or set(expected) != {"value"} or isinstance(expected["value"], dict | list):
        return
    want, got = expected["value"], loaded_value(text)
    if isinstance(got, OutOfRange):  # beyond ±1e300: the text, for number fields to refuse
        assert isinstance(want, int | float | str) and got == text.strip()
        return
    assert type(got) is type(want), (text, got, want)
    assert got == want or (isinstance(want, float) and math.isnan(want) and math.isnan(got)), (text, got, want)


@pytest.mark.parametrize("text", YAML_1_1_FORMS)
def test_plain_scalars_read_as_pyyaml_reads_them(text):
    same_as_pyyaml(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.-+_:eExXobBYyNnTtFfOoaslurLZ ~", min_size=1, max_size=14))
def test_random_plain_scalars_read_as_pyyaml_reads_them(text):
    same_as_pyyaml(text)


def test_a_plain_scalar_starting_with_a_letter_is_text_unless_it_is_a_boolean_or_null_word():
    """The shortcut that spares the resolver's regular expressions for ids and titles: PyYAML's resolvers for a
    first letter are its bool and null ones, and of every way to capitalise their words, exactly the listed
    ones are no text."""
    resolver = yaml.resolver.Resolver()
    letter_tags = {
        tag
        for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
        if first and first.isalpha()
        for tag, _ in resolvers
    }
    assert letter_tags == {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}
    spellings = {
        "".join(letter.upper() if (mask >> at) & 1 else letter for at, letter in enumerate(word))
        for word in ("yes", "no", "true", "false", "on", "off", "null")
        for mask in range(2 ** len(word))
    }
    not_text = {word for word in spellings if resolver.resolve(yaml.ScalarNode, word, (True, False)) != STR}
    assert not_text == loader.BOOL_AND_NULL_WORDS
    assert {first for first in yaml.CSafeLoader.yaml_implicit_resolvers if first and first.isalpha()} == set(
        loader.WORD_INITIALS
    )


def test_quoted_scalars_stay_text():
    source = load_file(Path("/r/a.yaml"), Path("/r"), "kind: okrs\na: '1'\nb: \"yes\"\nc: !!str 2\nd: ! 3\n")
    data = source.documents[0].data
    assert (data["a"], data["b"], data["c"]) == ("1", "yes", "2")
    assert data["d"] == yaml.safe_load("d: ! 3")["d"]  # libyaml's non-specific tag, as PyYAML reads it


# -- events and nodes read alike -------------------------------------------------------------------------------
# Plan files are read from libyaml's events; the config and the editor compose node trees and convert those.


def outcome(read: Callable[[], tuple[object, Sequence[int], list]]) -> tuple:
    try:
        value, positions, problems = read()
    except ProblemError as error:
        return ("refused", error.problem.code, error.problem.message, error.problem.position)
    return value, list(positions), [(problem.code, problem.message, problem.position) for problem in problems]


def read_from_nodes(text: str) -> list[tuple]:
    found: list[tuple] = []
    try:
        for node in loader.compose_documents(text):
            found.append(outcome(lambda node=node: loader.to_flat_values(node)))
    except ProblemError as error:
        found.append(("stopped", error.problem.message, error.problem.position))
    return found


def read_from_events(text: str) -> list[tuple]:
    found: list[tuple] = []
    try:
        for events, anchors in loader.parse_documents(text):
            found.append(outcome(lambda events=events, anchors=anchors: loader.values_of_events(events, anchors)))
    except ProblemError as error:
        found.append(("stopped", error.problem.message, error.problem.position))
    return found


DOCUMENTS_READ_ALIKE = [
    "kind: okrs\na: ! 3\nb: !!str 1e3\nc: '1e3'\nd: 1e3\ne: !!int 12\nf: !!float 1\ng: !!bool yes\n",
    "kind: okrs\n'quoted': 1\n!!str tagged: 2\n! odd: 3\nyes: 4\n",
    "a: {x: [1, {y: 2}], z: 3}\nb: 1\na: [4]\nc: 5\nb: {d: 6}\n",  # duplicates after a collection value
    "a: 1\n1: 2\n",
    "a: 1\n<<: {b: 2}\n",
    "a: 1\n[b]: 2\n",
    "a: 1\n{b: 1}: 2\n",
    "a: !!set {x}\n",
    "a: !!map {x: 1}\nb: !!seq [1]\nc: ! [2]\nd: !!omap [x]\n",
    "a: !!python/object:os.system x\n",
    "a: !custom x\n",
    "a: &x 1\nb: *x\n",
    "a: &x [1, 2]\nb: [*x]\n",
    "a: &x {b: [c, *x]}\n",
    "a: *x\n",
    "a: &x 1\nb: &x 2\n",
    "a: &x 1\n---\nb: *x\n",
    "a: &x 1\n---\nb: &x 2\nc: [*x]\n",
    "a: 1\n---\nb: [\n",
    "a: " + "[" * 40 + "]" * 40 + "\n",
    "a: " + "[" * 33 + "]" * 33 + "\n",
    "a: " + "[" * 32 + "]" * 32 + "\n",
    "- a\n- b: c\n",
    "plain\n",
    "---\n",
    "",
    "a:\nb: ~\nc: null\nd: 2026-11-23\ne: 2026-02-30\nf: 0x1F\ng: 9" + "9" * 400 + "\n",
    'a: |\n  block\n  text\nb: >\n  folded\nc: "dq"\n',
]


@pytest.mark.parametrize("text", DOCUMENTS_READ_ALIKE)
def test_events_read_as_nodes_read(text):
    assert read_from_events(text) == read_from_nodes(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), relpath=st.sampled_from(PLAN_FILES))
def test_events_of_mutated_plan_files_read_as_nodes_read(data, relpath):
    """Aliases aside: an alias of a key, or of a value never read (a duplicate key's), is refused from events,
    whereas the node converter sees a node it never met."""
    raw = data.draw(mutated((EXAMPLES / relpath).read_bytes()))
    try:
        text = loader.decode_text(raw)
    except loader.ProblemError:
        return
    assume("*" not in text)
    assert read_from_events(text) == read_from_nodes(text)


def test_an_alias_is_refused_where_its_anchor_is_set_and_an_alias_to_nothing_stops_reading():
    source = load_file(Path("/r/a.yaml"), Path("/r"), "kind: okrs\nteam: t\nquarter: 2026-Q4\na: &x 1\nb: [*x]\n")
    assert [(problem.code, problem.position) for problem in source.documents[0].problems] == [("S002", (4, 4))]
    source = load_file(Path("/r/a.yaml"), Path("/r"), "kind: okrs\na: 1\n---\nkind: backlog\nb: *x\n---\nkind: okrs\n")
    assert len(source.documents) == 1
    assert [(problem.code, problem.position) for problem in source.problems] == [("S001", (5, 4))]
    assert "found undefined alias" in source.problems[0].message
    assert source.unread == [(None, None)]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("kind: okrs\n", "okrs"),
        ("team: t\nkind: 'backlog'\n", "backlog"),
        ("kind: !!str sprints\n", "sprints"),
        ("a: {kind: x}\nkind: okrs\nkind: backlog\n", "okrs"),
        ("kind: 1\n", None),
        ("kind: [okrs]\n", None),
        ("kind: !!int okrs\n", None),
        ("- kind: okrs\n", None),
        ("kind:\n", None),
        ("okrs\n", None),
    ],
)
def test_a_documents_kind_is_its_first_top_level_kind_when_that_is_text(text, kind):
    source = load_file(Path("/r/a.yaml"), Path("/r"), text)
    assert [document.kind for document in source.documents] == ([kind] if kind else [])


# -- positions -------------------------------------------------------------------------------------------------


def paths_in(value: object, prefix: tuple = ()) -> list[tuple]:
    """Every path into ``value``, and a few that leave it (a missing key, an index past the end)."""
    found = [prefix, (*prefix, "missing"), (*prefix, 99)]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths_in(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths_in(item, (*prefix, index))
    return found


@pytest.mark.parametrize("path", sorted(CHECKOUT.rglob("*.yaml")), ids=lambda path: path.name)
def test_flat_positions_locate_every_path_as_the_tree_does(path):
    for document in load_file(path, CHECKOUT).documents:
        tree = position_tree(document.data, document.positions)
        assert document.loc.position == tree.position  # type: ignore[union-attr]
        for where in paths_in(document.data):
            for prefer_value in (False, True):
                expected = locate(tree, where, prefer_value=prefer_value)
                assert locate_flat(document.data, document.positions, where, prefer_value=prefer_value) == expected


def test_positions_that_run_short_read_as_the_start_not_a_crash():
    document = load_file(CHECKOUT / "okrs" / "2026-Q4.yaml", CHECKOUT).documents[0]
    short = document.positions[:5]
    assert locate_flat(document.data, short, ("objectives", 0, "title")) == (1, 1)
    assert position_tree(document.data, short).position == (1, 1)  # type: ignore[union-attr]


# -- no cyclic garbage -----------------------------------------------------------------------------------------


def test_a_loaded_plan_is_no_cyclic_garbage_and_is_frozen():
    gc.collect()
    plan = open_plan(CHECKOUT)
    assert gc.get_freeze_count() > 0  # the collector never walks the loaded plan again
    gc.unfreeze()
    assert gc.collect() == 0
    del plan
    assert gc.collect() == 0  # freed by reference counting alone


# -- the cache -------------------------------------------------------------------------------------------------


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    root = tmp_path / "checkout"
    copy_plan(CHECKOUT, root)
    return root


def check_json(root: Path, *options: str) -> dict:
    result = CliRunner().invoke(app, ["check", str(root), "--format", "json", "--today", str(TODAY), *options])
    assert result.exit_code in (0, 1), result.output
    document = json.loads(result.stdout)
    return {"findings": document["findings"], "summary": document["summary"]}


def entries(root: Path) -> list[Path]:
    return sorted(path for path in (root / CACHE_DIR).glob("*/*") if path.is_file())


def break_plan(root: Path) -> None:
    """Give the example findings of every kind: a schema error, a duplicate key, an unknown reference."""
    okrs = root / "okrs" / "2026-Q4.yaml"
    okrs.write_text(okrs.read_text(encoding="utf-8").replace("KR2", "KR9", 1) + "extra: 1\n", encoding="utf-8")
    (root / "more.yaml").write_text("kind: backlog\nteam: checkout\nteam: again\nquarter: 2026-Q4\nitems: 3\n")


def test_the_cache_folder_ignores_itself_and_holds_an_entry_per_file(checkout):
    check_json(checkout)
    assert (checkout / CACHE_DIR / ".gitignore").read_text().splitlines()[-1] == "*"
    yaml_files = [path for path in checkout.rglob("*.yaml") if path.name != "okrsprint.yaml"]
    digests = {hashlib.sha256(path.read_bytes()).hexdigest() for path in yaml_files}
    assert {path.name for path in entries(checkout)} == digests
    assert all(path.parent.name.startswith(f"{__version__}-") for path in entries(checkout))


def test_a_warm_run_reads_no_plan_file_and_finds_the_same(checkout, monkeypatch):
    break_plan(checkout)
    cold = check_json(checkout)
    monkeypatch.setattr(cache, "load_file", lambda *args, **kwargs: pytest.fail("parsed despite the cache"))
    assert check_json(checkout) == cold
    assert check_json(checkout, "--jobs", "2") == cold
    monkeypatch.undo()
    assert check_json(checkout, "--no-cache") == cold


def test_only_the_changed_file_is_parsed_again(checkout, monkeypatch):
    check_json(checkout)
    sprints = checkout / "sprints" / "2026-Q4.yaml"
    sprints.write_text(sprints.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    parsed = []
    load_file = cache.load_file
    monkeypatch.setattr(
        cache, "load_file", lambda path, *args, **kwargs: parsed.append(path) or load_file(path, *args, **kwargs)
    )
    warm = check_json(checkout)
    assert parsed == [sprints]
    monkeypatch.undo()
    assert warm == check_json(checkout, "--no-cache")


def rewrap(blob: bytes, change) -> bytes:
    """An entry whose payload ``change`` altered, with a checksum that matches again (a forged or foreign entry)."""
    head = len(cache.MAGIC) + cache.DIGEST_SIZE
    payload = marshal.dumps(change(list(marshal.loads(blob[head:]))))
    return cache.MAGIC + hashlib.sha256(payload).digest() + payload


def other_version(fields: list) -> list:
    return ["0.0.0", *fields[1:]]


def other_file(fields: list) -> list:
    return [fields[0], b"\0" * 32, *fields[2:]]


def wrong_shape(fields: list) -> list:
    return [*fields[:4], [("not", "a problem")], *fields[5:]]


def positions_not_bytes(fields: list) -> list:
    documents = [(*document[:4], "text", *document[5:]) for document in fields[5]]
    return [*fields[:5], documents, *fields[6:]]


SPOILERS = {
    "empty": lambda blob: b"",
    "truncated": lambda blob: blob[: len(blob) // 2],
    "a flipped byte": lambda blob: blob[:-1] + bytes([blob[-1] ^ 1]),
    "no magic": lambda blob: b"x" + blob[1:],
    "garbage": lambda blob: os.urandom(len(blob)),
    "another version": lambda blob: rewrap(blob, other_version),
    "another file's hash": lambda blob: rewrap(blob, other_file),
    "a wrong shape": lambda blob: rewrap(blob, wrong_shape),
    "positions as text": lambda blob: rewrap(blob, positions_not_bytes),
    "not marshal": lambda blob: rewrap(blob, lambda fields: fields)[:-1] + b"\xff",
}


@pytest.mark.parametrize("spoil", SPOILERS.values(), ids=SPOILERS.keys())
def test_a_bad_entry_is_ignored_and_rewritten(checkout, spoil):
    break_plan(checkout)
    expected = check_json(checkout, "--no-cache")
    check_json(checkout)
    good = {path: path.read_bytes() for path in entries(checkout)}
    for path, blob in good.items():
        path.write_bytes(spoil(blob))
    assert check_json(checkout) == expected
    assert {path: path.read_bytes() for path in entries(checkout)} == good
    assert check_json(checkout) == expected


def test_dates_and_out_of_range_numbers_come_back_from_the_cache_as_they_were(tmp_path):
    text = "kind: okrs\na: 2026-11-23\nb: 2026-11-23T10:00:00+02:00\nc: 1e999\nd: [2026-01-01, '2026-01-01']\n"
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    file_cache = FileCache(tmp_path)
    digest = hashlib.sha256(path.read_bytes()).digest()
    parsed = load_file(path, tmp_path)
    file_cache.put(digest, pack(parsed))
    packed = file_cache.get(digest)
    assert packed is not None
    data = loader.unpack(packed, path, "a.yaml").documents[0].data
    assert data == parsed.documents[0].data
    assert [type(data[key]) for key in "abc"] == [date, datetime, OutOfRange]
    assert [type(item) for item in data["d"]] == [date, str]


def test_no_cache_flag_and_environment_write_nothing(checkout, monkeypatch):
    check_json(checkout, "--no-cache")
    assert not (checkout / CACHE_DIR).exists()
    monkeypatch.setenv("OKRSPRINT_NO_CACHE", "1")
    check_json(checkout)
    assert not (checkout / CACHE_DIR).exists()
    monkeypatch.setenv("OKRSPRINT_NO_CACHE", "0")
    check_json(checkout)
    assert entries(checkout)


def test_commands_that_write_plans_leave_no_cache(checkout):
    result = CliRunner().invoke(app, ["checkin", "KR1", "--value", "1", str(checkout), "--today", str(TODAY)])
    assert result.exit_code in (0, 2), result.output
    assert not (checkout / CACHE_DIR).exists()


def test_a_repo_where_no_cache_can_be_written_is_checked_all_the_same(checkout):
    expected = check_json(checkout, "--no-cache")
    (checkout / CACHE_DIR).write_text("a file where the cache folder would go\n")
    assert check_json(checkout) == expected


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_repo_is_checked_without_a_cache(checkout):
    expected = check_json(checkout, "--no-cache")
    for folder in [checkout, *[path for path in checkout.rglob("*") if path.is_dir()]]:
        folder.chmod(0o555)
    try:
        assert check_json(checkout) == expected
        assert not (checkout / CACHE_DIR).exists()
    finally:
        for folder in [checkout, *[path for path in checkout.rglob("*") if path.is_dir()]]:
            folder.chmod(0o755)


def test_a_cache_folder_that_is_a_symbolic_link_is_never_used(checkout, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "keep-me").mkdir(parents=True)
    (elsewhere / "0.1.0-1-0123abcd").mkdir()  # looks like a cache folder of another build: still not removed
    (checkout / CACHE_DIR).symlink_to(elsewhere)
    expected = check_json(checkout, "--no-cache")
    assert check_json(checkout) == expected
    assert sorted(path.name for path in elsewhere.iterdir()) == ["0.1.0-1-0123abcd", "keep-me"]


def test_folders_of_other_builds_are_removed_and_nothing_else(checkout):
    (checkout / CACHE_DIR / "0.0.9-1-0123abcd").mkdir(parents=True)
    (checkout / CACHE_DIR / "notes").mkdir()
    check_json(checkout)
    names = sorted(path.name for path in (checkout / CACHE_DIR).iterdir())
    assert names == [".gitignore", entries(checkout)[0].parent.name, "notes"]


@pytest.mark.parametrize(("module", "name"), [(yaml, "__version__"), (marshal, "version")])
def test_another_pyyaml_or_python_reads_into_a_cache_folder_of_its_own(module, name, checkout, monkeypatch):
    """A parser upgrade may read the same bytes differently; another marshal format may not load at all."""
    before = cache.FileCache(checkout).folder
    monkeypatch.setattr(module, name, "0")
    assert cache.FileCache(checkout).folder != before


def test_runs_at_once_never_corrupt_the_cache(checkout):
    break_plan(checkout)
    expected = check_json(checkout, "--no-cache")
    command = [sys.executable, "-m", "okrsprint", "check", str(checkout), "--format", "json", "--today", str(TODAY)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE) for _ in range(6)]
    outputs = [json.loads(run.communicate(timeout=120)[0]) for run in runs]
    assert all({"findings": out["findings"], "summary": out["summary"]} == expected for out in outputs)
    file_cache = FileCache(checkout)
    for path in entries(checkout):
        assert file_cache.get(bytes.fromhex(path.name)) is not None, path
    assert not [path for path in (checkout / CACHE_DIR).rglob("*.tmp")]


def fingerprint(value: object) -> object:
    """``value`` with every scalar as its type and repr: NaN equals NaN, and OutOfRange differs from str."""
    if isinstance(value, dict):
        return {key: fingerprint(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [fingerprint(item) for item in value]
    return type(value).__name__, repr(value)


def read_packed(root: Path, paths: list[Path], options: ReadOptions) -> object:
    return fingerprint([pack(source) for source in read_sources(root, paths, options)])


# -- the pool --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["checkout", "multi-team", "mid-quarter"])
def test_the_pool_reads_every_file_as_this_process_does(name, tmp_path):
    root = tmp_path / name
    copy_plan(EXAMPLES / name, root)
    paths = sorted(path for path in root.rglob("*.yaml") if path.name != "okrsprint.yaml")
    alone = read_packed(root, paths, ReadOptions(1, cache=False))
    pooled = list(read_sources(root, paths, ReadOptions(2, cache=True)))
    assert [source.path for source in pooled] == paths
    assert fingerprint([pack(source) for source in pooled]) == alone
    assert read_packed(root, paths, ReadOptions(2, cache=True)) == alone  # from the cache


def test_automatic_jobs_use_a_pool_only_for_a_big_repo_and_free_cpus(monkeypatch, tmp_path):
    loadavg = tmp_path / "loadavg"
    monkeypatch.setattr(cache, "LOADAVG", str(loadavg))
    loadavg.write_text("0.50 0.40 0.30 1/300 4242\n")  # this process alone runs
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert pool_size(0, cache.POOL_MIN_BYTES - 1, 100) == 1
    assert pool_size(0, cache.POOL_MIN_BYTES, 100) == 2
    assert pool_size(0, cache.POOL_MIN_BYTES, 1) == 1
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert pool_size(0, cache.POOL_MIN_BYTES * 10, 100) == 1
    assert pool_size(3, 10, 100) == 3  # asked for: even on a small repo
    assert pool_size(3, 10, 2) == 2
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    loadavg.write_text("2.00 1.00 1.00 3/300 4242\n")  # two others run: two CPUs are free
    assert pool_size(0, cache.POOL_MIN_BYTES, 100) == 2
    loadavg.write_text("4.00 4.00 4.00 9/300 4242\n")  # all busy: no pool
    assert pool_size(0, cache.POOL_MIN_BYTES, 100) == 1
    loadavg.unlink()  # no such file elsewhere: every CPU counts
    assert pool_size(0, cache.POOL_MIN_BYTES, 100) == 4


@pytest.mark.parametrize("command", ["check", "report", "backlog", "review", "plan", "retro"])
def test_reading_commands_take_jobs_and_no_cache(command, tmp_path):
    root = tmp_path / "mid-quarter"
    copy_plan(EXAMPLES / "mid-quarter", root)
    arguments = [command, str(root), "--today", "2026-11-04"]  # S3 runs, S4 is open
    result = CliRunner().invoke(app, [*arguments, "--jobs", "2", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert not (root / CACHE_DIR).exists()
    assert CliRunner().invoke(app, [*arguments, "-j", "1"]).stdout == result.stdout
    assert entries(root)
    refused = CliRunner().invoke(app, [command, str(root), "--jobs", "-1"])
    assert refused.exit_code == 2
    assert "--jobs" in refused.output


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(YAML_1_1_FORMS + ["text", "[1, 2]", "{a: 1}", "'q'"]), min_size=1, max_size=8))
def test_random_documents_read_the_same_from_the_pool_and_the_cache(tmp_path_factory, values):
    root = tmp_path_factory.mktemp("repo")
    for index, value in enumerate(values):
        body = f"kind: backlog\nteam: t\nquarter: 2026-Q4\nitems:\n  - id: I{index}\n    title: {value}\n"
        (root / f"f{index}.yaml").write_text(body, encoding="utf-8")
    paths = sorted(root.glob("*.yaml"))
    alone = read_packed(root, paths, ReadOptions(1, cache=False))
    for options in (ReadOptions(2, cache=True), ReadOptions(1, cache=True), ReadOptions(2, cache=False)):
        assert read_packed(root, paths, options) == alone
