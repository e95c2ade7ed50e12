"""Fixtures every test gets (a clean CI environment) or asks for (``repo``); the helpers live in tests/helpers.py."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from okrsprint import engine
from okrsprint.cache import ReadOptions, reading_with
from tests.helpers import write


@pytest.fixture(autouse=True)
def _no_ci_environment(monkeypatch):
    """Outputs must not depend on where the tests run: GitHub Actions adds annotations to the text report."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("OKRSPRINT_OUTPUT_FORMAT", raising=False)


@pytest.fixture
def repo(tmp_path: Path):
    """``repo({"a.yaml": "..."})`` writes files into a fresh repo and returns its path."""

    def make(files: dict[str, str]) -> Path:
        return write(tmp_path, files)

    return make


READING_MODES = {  # (OKRSPRINT_JOBS, OKRSPRINT_NO_CACHE)
    "jobs1-no-cache": ("1", "1"),
    "jobs1-cache": ("1", ""),
    "jobs2-no-cache": ("2", "1"),
    "jobs2-cache": ("2", ""),
}


@pytest.fixture(params=list(READING_MODES))
def reading_mode(request, monkeypatch) -> Iterator[str]:
    """Run a test once per way of reading a plan: one process or a pool of two, without and with the cache.

    With the cache, every plan is read twice, the second time from the entries the first wrote, so the
    test's assertions hold for what the cache gives back (the findings must be the same every way).
    """
    jobs, no_cache = READING_MODES[request.param]
    monkeypatch.setenv("OKRSPRINT_JOBS", jobs)  # for the command line, in this process or another
    monkeypatch.setenv("OKRSPRINT_NO_CACHE", no_cache)
    if not no_cache:
        read_sources = engine.read_sources

        def from_a_warm_cache(*args, **kwargs):
            for _ in read_sources(*args, **kwargs):
                pass
            return read_sources(*args, **kwargs)

        monkeypatch.setattr(engine, "read_sources", from_a_warm_cache)
    with reading_with(ReadOptions(int(jobs), cache=not no_cache)):  # for the engine, called directly
        yield request.param


@pytest.fixture(autouse=True)
def _thaw_the_collector():
    """``engine.collector_paused`` freezes what a load leaves alive, for a one-shot CLI; a test session lives on."""
    yield
    gc.unfreeze()
