"""The HTML report in a real browser: headless Chromium renders the DOM we expect and a non-blank page."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest

from okrsprint.engine import open_plan
from okrsprint.render.html import report as render_html
from okrsprint.views.report import build_report
from tests.helpers import CHROMIUM, EXAMPLES, TODAY, needs, run_chromium

pytestmark = needs(CHROMIUM is not None, "chromium is not installed (.ci/run installs Debian's chromium with apt-get)")


def chromium(tmp_path: Path, page: Path, *options: str) -> str:
    return run_chromium(tmp_path, page, *options).stdout


def png_pixels(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the (still filtered) scanline bytes of a PNG, read with zlib alone."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, idat, width, height = 8, b"", 0, 0
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind, body = data[offset + 4 : offset + 8], data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    return width, height, zlib.decompress(idat)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("html")
    path = folder / "report.html"
    path.write_text(render_html(build_report(open_plan(EXAMPLES / "checkout"), TODAY)), encoding="utf-8")
    return path


def test_dom_has_the_report_elements(tmp_path, page):
    dom = chromium(tmp_path, page, "--dump-dom")
    assert 'data-team="checkout"' in dom and "<h2>checkout · 2026-Q4</h2>" in dom
    assert len(re.findall(r'<div class="kr" data-kr="KR\d"', dom)) == 5
    assert len(re.findall(r'<svg class="burnup"', dom)) == 5
    assert dom.count('<polyline class="actual"') == 5 and dom.count('<polyline class="ideal"') == 5
    states = re.findall(r'<g class="sprint state-(\w+)" data-sprint="S\d">', dom)
    assert states == ["done", "done", "done", "current", "upcoming", "upcoming"]
    assert len(re.findall(r'<tr data-kr="KR\d">', dom)) == 5
    assert 'class="goal-dot"' in dom and ">64%<" in dom


def test_screenshot_is_not_blank(tmp_path, page):
    shot, blank_shot = tmp_path / "report.png", tmp_path / "blank.png"
    chromium(tmp_path, page, f"--screenshot={shot}", "--window-size=1200,1600")
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><title>blank</title>", encoding="utf-8")
    chromium(tmp_path, blank, f"--screenshot={blank_shot}", "--window-size=1200,1600")
    width, height, pixels = png_pixels(shot.read_bytes())
    assert (width, height) == (1200, 1600)
    _, _, blank_pixels = png_pixels(blank_shot.read_bytes())
    assert len(set(pixels)) > 10 * max(len(set(blank_pixels)), 1)
    assert shot.stat().st_size > 20 * blank_shot.stat().st_size
