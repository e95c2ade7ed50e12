"""Writing files: writers serialise under ``locked``, ``write_atomic`` keeps owner, mode and hard links and
survives signals, ``create_all`` creates every file or none.

Concurrency and signals are tested with real processes (forked, so they start in milliseconds): a stress
test of concurrent read-modify-write under the lock, and a kill test that ends writers at random points.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import stat
import sys
import tempfile
import time
from pathlib import Path

import pytest

from okrsprint.errors import UsageError

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX locks and signals")
FORK = multiprocessing.get_context("fork")


def temporaries(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


def lock_files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".okrsprint-lock"))


# -- locked: writers serialise --------------------------------------------------------------------

WRITERS, APPENDS, ROUNDS = 24, 4, 3


def _append_lines(path: str, writer: int, round_: int, start) -> None:
    from okrsprint.files import locked, write_atomic

    start.wait()
    for n in range(APPENDS):
        with locked(Path(path), timeout=60):
            text = Path(path).read_text(encoding="utf-8")
            time.sleep(0.0005)  # widen the read-modify-write window: without the lock, updates get lost
            write_atomic(Path(path), f"{text}r{round_} w{writer} n{n}\n")


def test_stress_concurrent_read_modify_write_under_the_lock_loses_nothing(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("", encoding="utf-8")
    expected: list[str] = []
    for round_ in range(ROUNDS):
        start = FORK.Event()
        writers = [FORK.Process(target=_append_lines, args=(str(path), w, round_, start)) for w in range(WRITERS)]
        for process in writers:
            process.start()
        start.set()
        for process in writers:
            process.join(120)
        assert [process.exitcode for process in writers] == [0] * WRITERS
        expected += [f"r{round_} w{w} n{n}" for w in range(WRITERS) for n in range(APPENDS)]
        lines = path.read_text(encoding="utf-8").splitlines()
        assert sorted(lines) == sorted(expected), f"round {round_}: {len(expected) - len(lines)} updates lost"
        for w in range(WRITERS):  # each writer's own appends stay in order
            own = [line for line in lines if line.startswith(f"r{round_} w{w} ")]
            assert own == [f"r{round_} w{w} n{n}" for n in range(APPENDS)]
    assert len(expected) == WRITERS * APPENDS * ROUNDS == 288
    assert temporaries(tmp_path) == [] and lock_files(tmp_path) == []


def _hold_lock(path: str, held, release) -> None:
    from okrsprint.files import locked

    with locked(Path(path)):
        held.set()
        release.wait(30)


def test_a_second_writer_waits_then_gets_busy_error_and_gets_the_lock_once_free(tmp_path):
    from okrsprint.files import BusyError, locked

    path = tmp_path / "plan.yaml"
    held, release = FORK.Event(), FORK.Event()
    holder = FORK.Process(target=_hold_lock, args=(str(path), held, release))
    holder.start()
    try:
        assert held.wait(10)
        started = time.monotonic()
        with pytest.raises(BusyError) as raised, locked(path, timeout=0.3):
            pass
        waited = time.monotonic() - started
        assert 0.3 <= waited < 2
        assert isinstance(raised.value, UsageError)
        assert str(raised.value) == f"busy: another okrsprint is writing {path}; try again"
    finally:
        release.set()
        holder.join(10)
    with locked(path, timeout=5):
        assert lock_files(tmp_path) == [".plan.yaml.okrsprint-lock"]
    assert lock_files(tmp_path) == []  # removed by its last holder


def _die_holding_lock(path: str, how: str) -> None:
    from okrsprint.files import locked

    with locked(Path(path)):
        if how == "exit":
            os._exit(3)
        os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.parametrize("how", ["exit", "kill"])
def test_a_crashed_writer_never_leaves_a_stale_lock(tmp_path, how):
    from okrsprint.files import locked

    path = tmp_path / "plan.yaml"
    crashed = FORK.Process(target=_die_holding_lock, args=(str(path), how))
    crashed.start()
    crashed.join(10)
    assert crashed.exitcode == (3 if how == "exit" else -signal.SIGKILL)
    assert lock_files(tmp_path) == [".plan.yaml.okrsprint-lock"]  # the file is left, the lock is not
    started = time.monotonic()
    with locked(path, timeout=1):
        pass
    assert time.monotonic() - started < 0.5
    assert lock_files(tmp_path) == []


def test_the_lock_is_released_on_every_exit_path_and_is_reentrant(tmp_path):
    from okrsprint.files import locked, write_atomic

    path = tmp_path / "plan.yaml"
    for error in (ValueError("boom"), KeyboardInterrupt(), UsageError("refused")):
        with pytest.raises(type(error)), locked(path):
            with locked(path, timeout=0.1):  # the same thread again: no deadlock
                write_atomic(path, "x\n")  # takes the lock too
            raise error
        assert lock_files(tmp_path) == []
        with locked(path, timeout=0.1):  # free again at once
            pass


def test_a_lock_file_that_is_a_symbolic_link_is_never_followed(tmp_path):
    from okrsprint.files import locked

    victim = tmp_path / "victim"
    (tmp_path / ".plan.yaml.okrsprint-lock").symlink_to(victim)
    with pytest.raises(OSError), locked(tmp_path / "plan.yaml", timeout=0.1):
        pass
    assert not victim.exists()


# -- write_atomic ---------------------------------------------------------------------------------


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another owner")
def test_write_atomic_keeps_owner_group_and_mode(tmp_path):
    from okrsprint.files import write_atomic

    path = tmp_path / "plan.yaml"
    path.write_text("old\n", encoding="utf-8")
    os.chown(path, 12345, 23456)
    path.chmod(0o640)
    write_atomic(path, "new\n")
    after = path.stat()
    assert (after.st_uid, after.st_gid, stat.S_IMODE(after.st_mode)) == (12345, 23456, 0o640)
    assert path.read_text(encoding="utf-8") == "new\n"


@pytest.fixture
def shared_folder():
    """A folder everyone may write, reachable by everyone (pytest's own tmp_path is private to its user)."""
    folder = Path(tempfile.mkdtemp(prefix="okrsprint-shared-"))
    folder.chmod(0o777)
    yield folder
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()


def _write_as_nobody(path: str, result) -> None:
    from okrsprint.files import write_atomic

    os.setgroups([])
    os.setresgid(65534, 65534, 65534)
    os.setresuid(65534, 65534, 65534)
    try:
        write_atomic(Path(path), "replaced by nobody\n")
        result.put("written")
    except UsageError as error:
        result.put(f"refused: {error}")
    except OSError as error:
        result.put(f"error: {error}")


def test_write_atomic_refuses_a_file_the_user_may_not_write_even_in_a_writable_folder(shared_folder):
    path = shared_folder / "plan.yaml"
    path.write_text("the owner's plan\n", encoding="utf-8")
    if os.geteuid() == 0:  # root may write anything: try it as nobody in a folder everyone may write
        path.chmod(0o644)
        result = FORK.Queue()
        writer = FORK.Process(target=_write_as_nobody, args=(str(path), result))
        writer.start()
        writer.join(30)
        outcome = result.get(timeout=5)
    else:
        from okrsprint.files import write_atomic

        path.chmod(0o444)
        try:
            write_atomic(path, "replaced\n")
            outcome = "written"
        except UsageError as error:
            outcome = f"refused: {error}"
    assert outcome.startswith(f"refused: {path}: permission denied")
    assert path.read_text(encoding="utf-8") == "the owner's plan\n"
    assert temporaries(shared_folder) == []


def test_a_file_with_several_hard_links_is_written_in_place_and_the_caller_told(tmp_path):
    from okrsprint.files import Written, write_atomic

    path, other = tmp_path / "plan.yaml", tmp_path / "backup" / "plan.yaml"
    path.write_text("old\n", encoding="utf-8")
    other.parent.mkdir()
    os.link(path, other)
    inode = path.stat().st_ino
    result = write_atomic(path, "new and longer\n")
    assert result == Written(path, in_place=True, links=2)
    assert other.read_text(encoding="utf-8") == "new and longer\n"  # the link still shares the file
    assert path.stat().st_ino == inode and path.stat().st_nlink == 2
    write_atomic(path, "short\n")
    assert other.read_bytes() == b"short\n"  # truncated to the new length
    assert write_atomic(tmp_path / "single.yaml", "x") == Written(tmp_path / "single.yaml")
    assert temporaries(tmp_path) == [] and lock_files(tmp_path) == []


def _write_and_get_signal(path: str, signum: int, when: str) -> None:
    """Write under write_atomic; the signal arrives from inside the write (``fsync``) or after it (``replace``)."""
    from okrsprint import files

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # as Python sets it up, even when the suite runs in the background, where a shell starts it with SIGINT ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)
    real = {"fsync": os.fsync, "replace": os.replace}

    def with_signal(*args):
        result = real[when](*args)
        os.kill(os.getpid(), signum)
        return result

    setattr(files.os, when, with_signal)
    try:
        files.write_atomic(Path(path), "new\n")
    except KeyboardInterrupt:
        os._exit(130)
    os._exit(0)  # the signal was swallowed: wrong


@pytest.mark.parametrize(
    ("signum", "when", "exitcode", "content"),
    [
        (signal.SIGTERM, "fsync", -signal.SIGTERM, "old\n"),
        (signal.SIGINT, "fsync", 130, "old\n"),
        (signal.SIGTERM, "replace", -signal.SIGTERM, "new\n"),
    ],
    ids=["sigterm-mid-write", "sigint-mid-write", "sigterm-after-rename"],
)
def test_a_signal_during_a_write_removes_the_temporary_file_and_still_ends_the_process(
    tmp_path, signum, when, exitcode, content
):
    path = tmp_path / "plan.yaml"
    path.write_text("old\n", encoding="utf-8")
    writer = FORK.Process(target=_write_and_get_signal, args=(str(path), signum, when))
    writer.start()
    writer.join(30)
    assert writer.exitcode == exitcode
    assert path.read_text(encoding="utf-8") == content
    assert temporaries(tmp_path) == []


def test_signal_handlers_are_only_borrowed_for_the_write(tmp_path):
    from okrsprint.files import write_atomic

    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    write_atomic(tmp_path / "plan.yaml", "x\n")
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


# -- the kill test: writers ended at random points ------------------------------------------------

KILLS = 60
OLD, NEW_A, NEW_B = (letter * (1 << 20) + "\n" for letter in "OAB")  # 1 MiB each: writes take a while


def _rewrite_forever(path: str, started) -> None:
    from okrsprint.files import write_atomic

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    started.set()
    while True:
        for content in (NEW_A, NEW_B):
            write_atomic(Path(path), content)


def test_kill_writers_at_random_points_the_file_is_always_whole(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(OLD, encoding="utf-8")
    chance = random.Random(20261123)
    seen = {"sigkill": 0, "sigterm": 0, "temporaries left by sigkill": 0}
    for attempt in range(KILLS):
        how = signal.SIGKILL if attempt % 2 else signal.SIGTERM
        started = FORK.Event()
        writer = FORK.Process(target=_rewrite_forever, args=(str(path), started))
        writer.start()
        assert started.wait(10)
        time.sleep(chance.uniform(0, 0.03))
        os.kill(writer.pid, how)
        writer.join(10)
        assert writer.exitcode == -how
        assert path.read_text(encoding="utf-8") in (OLD, NEW_A, NEW_B), f"kill {attempt}: a torn file"
        left = temporaries(tmp_path)
        if how == signal.SIGTERM:
            seen["sigterm"] += 1
            assert left == [], f"kill {attempt}: SIGTERM left {left}"
        else:
            seen["sigkill"] += 1
            seen["temporaries left by sigkill"] += len(left)
            for name in left:  # nothing can clean up after SIGKILL; start the next round clean
                (tmp_path / name).unlink()
    assert seen["sigkill"] + seen["sigterm"] == KILLS >= 50
    print(f"kill test: {seen}")
    from okrsprint.files import locked

    with locked(path, timeout=1):  # no kill left a lock behind
        pass


# -- create_all -----------------------------------------------------------------------------------


def test_create_all_creates_every_file_and_its_folders(tmp_path):
    from okrsprint.files import create_all

    files = {tmp_path / "okrs" / "2027-Q1.yaml": "a\n", tmp_path / "sprints" / "deep" / "2027-Q1.yaml": b"b\n"}
    assert create_all(files) == list(files)
    assert [path.read_bytes() for path in files] == [b"a\n", b"b\n"]
    umask = os.umask(0)
    os.umask(umask)
    assert {stat.S_IMODE(path.stat().st_mode) for path in files} == {0o666 & ~umask}
    assert temporaries(tmp_path / "okrs") == [] and temporaries(tmp_path / "sprints" / "deep") == []


def test_create_all_never_overwrites_and_names_the_file(tmp_path):
    from okrsprint.files import create_all

    (tmp_path / "b.yaml").write_text("mine\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"refusing to overwrite existing files: .*b\.yaml; nothing was written"):
        create_all({tmp_path / "new" / "a.yaml": "a", tmp_path / "b.yaml": "b"})
    assert (tmp_path / "b.yaml").read_text(encoding="utf-8") == "mine\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["b.yaml"]


def test_create_all_removes_what_it_made_when_a_later_file_fails(tmp_path):
    from okrsprint.files import create_all

    (tmp_path / "blocker").write_text("a file where a folder should be\n", encoding="utf-8")
    first, second = tmp_path / "made" / "a.yaml", tmp_path / "blocker" / "b.yaml"
    with pytest.raises(UsageError) as raised:
        create_all({first: "a", second: "b"})
    assert str(raised.value).startswith(f"cannot create {second}: ")
    assert ".tmp" not in str(raised.value)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["blocker"]  # no made/, no temporaries


def test_create_all_refuses_a_file_that_appears_while_it_writes(tmp_path, monkeypatch):
    from okrsprint import files

    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    real_link = os.link

    def someone_else_first(source, target):
        if Path(target) == second:
            second.write_text("someone else's\n", encoding="utf-8")
        return real_link(source, target)

    monkeypatch.setattr(files.os, "link", someone_else_first)
    with pytest.raises(UsageError, match=f"{second} appeared while okrsprint was writing; nothing was written"):
        files.create_all({first: "a", second: "b"})
    assert not first.exists()  # already placed, removed again
    assert second.read_text(encoding="utf-8") == "someone else's\n"
    assert temporaries(tmp_path) == []


def _create_and_get_sigterm(folder: str) -> None:
    from okrsprint import files

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    real_fsync = os.fsync
    calls = []

    def fsync_then_signal(descriptor):
        calls.append(descriptor)
        real_fsync(descriptor)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGTERM)

    files.os.fsync = fsync_then_signal  # type: ignore[attr-defined]
    files.create_all({Path(folder, "new", f"{n}.yaml"): "x" for n in range(3)})
    os._exit(0)


def test_create_all_interrupted_by_sigterm_leaves_nothing(tmp_path):
    writer = FORK.Process(target=_create_and_get_sigterm, args=(str(tmp_path),))
    writer.start()
    writer.join(30)
    assert writer.exitcode == -signal.SIGTERM
    assert list(tmp_path.iterdir()) == []
