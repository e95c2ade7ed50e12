"""Never lose a check-in: concurrent ``okrsprint checkin`` processes on one file, and writers killed mid-way.

Real processes, because the lock and the atomic replacement are what two CI jobs or a metrics job and a
person exercise; an in-process test could not show a lost update between processes.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import yaml

from tests.helpers import EXAMPLES, copy_plan

WRITERS = 20
KR_FILE = Path("okrs/2026-Q4.yaml")
TODAY = "2026-12-31"


def checkin_command(root: Path, day: date, value: float) -> list[str]:
    return [
        sys.executable, "-m", "okrsprint", "checkin", "KR1", "--value", str(value), "--date", day.isoformat(),
        "--today", TODAY, str(root),
    ]  # fmt: skip


def checkin_dates(root: Path) -> set[str]:
    document = yaml.safe_load((root / KR_FILE).read_text(encoding="utf-8"))
    (key_result,) = [kr for o in document["objectives"] for kr in o["key_results"] if kr["id"] == "KR1"]
    return {str(checkin["date"]) for checkin in key_result.get("checkins", [])}


def structure_passes(root: Path) -> bool:
    command = [sys.executable, "-m", "okrsprint", "check", str(root), "--select", "S", "--today", TODAY]
    return subprocess.run(command, capture_output=True, text=True, check=False).returncode == 0


def test_concurrent_checkins_are_all_in_the_file_or_refused_as_busy(tmp_path):
    for round_ in range(2):
        root = tmp_path / f"round{round_}"
        copy_plan(EXAMPLES / "checkout", root)
        before = checkin_dates(root)
        days = [date(2026, 12, 1) + timedelta(days=n) for n in range(WRITERS)]
        processes = [
            subprocess.Popen(checkin_command(root, day, 16 + n / 10), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for n, day in enumerate(days)
        ]
        results = [
            (day, process.wait(timeout=120), process.stderr.read().decode())
            for day, process in zip(days, processes, strict=True)
        ]
        after = checkin_dates(root)
        succeeded = {day.isoformat() for day, code, _ in results if code == 0}
        for _, code, err in results:
            assert code in (0, 2), err
            if code == 2:
                assert "busy: another okrsprint is writing" in err
        assert succeeded, "at least one writer gets through"
        assert after == before | succeeded  # every success is in the file, nothing else was added
        assert structure_passes(root)


def test_a_writer_killed_at_any_moment_leaves_the_old_or_the_new_file(tmp_path):
    """SIGKILL or SIGTERM at a random point, 200 times: the file is whole, and SIGTERM leaves no temporary file."""
    template = tmp_path / "template"
    copy_plan(EXAMPLES / "checkout", template)
    old = (template / KR_FILE).read_bytes()
    finished = subprocess.run(checkin_command(template, date(2026, 12, 1), 16.5), capture_output=True, check=False)
    assert finished.returncode == 0, finished.stderr
    new = (template / KR_FILE).read_bytes()
    (template / KR_FILE).write_bytes(old)

    rng = random.Random(19)
    outcomes = {"old": 0, "new": 0}
    for batch in range(50):  # four writers at a time keep the test short on two cores
        trials = []
        for slot in range(4):
            root = tmp_path / f"trial{batch}-{slot}"
            copy_plan(template, root)
            process = subprocess.Popen(checkin_command(root, date(2026, 12, 1), 16.5), stderr=subprocess.DEVNULL)
            trials.append((root, process, rng.choice([signal.SIGKILL, signal.SIGTERM]), rng.uniform(0.05, 0.6)))
        started = time.monotonic()
        for root, process, sent, delay in sorted(trials, key=lambda trial: trial[3]):
            time.sleep(max(0.0, delay - (time.monotonic() - started)))
            if process.poll() is None:
                os.kill(process.pid, sent)
            process.wait(timeout=60)
            content = (root / KR_FILE).read_bytes()
            assert content in (old, new)
            outcomes["old" if content == old else "new"] += 1
            if sent is signal.SIGTERM:
                leftovers = [path.name for path in (root / KR_FILE).parent.iterdir() if path.name.endswith(".tmp")]
                assert leftovers == []
            shutil.rmtree(root)
    assert outcomes["old"] + outcomes["new"] == 200
