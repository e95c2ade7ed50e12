"""What many test modules share: paths, the day the examples are dated for, writing repos, running check."""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from datetime import date
from pathlib import Path

import pytest

from okrsprint.cache import CACHE_DIR
from okrsprint.engine import CheckOptions, CheckResult, run_check

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
TODAY = date(2026, 11, 23)


def needs(present: bool, reason: str) -> pytest.MarkDecorator:
    """Skip when a system tool is missing, except under `.ci/run`, which installs it: there a missing tool fails."""
    if not present and os.environ.get("OKRSPRINT_REQUIRE_TOOLS"):
        pytest.fail(f"{reason}: .ci/run installs it, so its tests must run", pytrace=False)
    return pytest.mark.skipif(not present, reason=reason)


def needs_tool(name: str, reason: str = "") -> pytest.MarkDecorator:
    return needs(shutil.which(name) is not None, reason or f"{name} is not installed")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def run_chromium(tmp_path: Path, page: Path, *options: str) -> subprocess.CompletedProcess:
    """Headless Chromium on a local page with a fresh profile; fails the test when Chromium fails."""
    assert CHROMIUM is not None
    completed = subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *options, page.as_uri()],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed


def copy_plan(source: Path, target: Path) -> Path:
    """A copy of a planning repo without its ``.okrsprint_cache/``: another run of the suite may be writing there."""
    return Path(shutil.copytree(source, target, ignore=shutil.ignore_patterns(CACHE_DIR)))


def write(root: Path, files: dict[str, str]) -> Path:
    """Write dedented YAML files under root; returns root."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def check(root: Path, today: date = TODAY, **options) -> CheckResult:
    return run_check(CheckOptions(path=root, today=today, **options))


def codes(result: CheckResult) -> list[str]:
    return [finding.code for finding in result.findings]


def located(result: CheckResult, code: str | None = None) -> list[tuple[str, str, int, int]]:
    """(code, file, line, column) of the findings, optionally of one code."""
    return [
        (f.code, f.location.file, f.location.line, f.location.column)
        for f in result.findings
        if code is None or f.code == code
    ]
