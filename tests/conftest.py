"""Fixtures every test gets (a clean CI environment) or asks for (``repo``); the helpers live in tests/helpers.py."""

from __future__ import annotations

from pathlib import Path

import pytest

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
