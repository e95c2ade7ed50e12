"""The retro page in a real browser, wide and phone-sized: its charts render, nothing scrolls sideways, nothing is
fetched and nothing is logged as an error."""

from __future__ import annotations

import html as html_lib
import json
import re
from datetime import date
from pathlib import Path

import pytest

from okrsprint.engine import open_plan
from okrsprint.render.html import retro as render_html
from okrsprint.views.retro import build_retro
from tests.helpers import EXAMPLES, copy_plan, needs
from tests.test_html_browser import CHROMIUM, chromium

pytestmark = needs(CHROMIUM is not None, "chromium is not installed (.ci/run installs it)")

PROBE = """<script>
window.__errors = [];
window.addEventListener("error", (event) => window.__errors.push(String(event.message || event.type)), true);
const original = console.error;
console.error = (...args) => { window.__errors.push(args.join(" ")); original(...args); };
window.addEventListener("load", () => {
  const widths = (selector) => [...document.querySelectorAll(selector)].map((e) => e.getBoundingClientRect().width);
  parent.postMessage(JSON.stringify({
    width: window.innerWidth,
    scroll: document.documentElement.scrollWidth,
    requests: performance.getEntriesByType("resource").map((entry) => entry.name),
    errors: window.__errors,
    charts: widths("svg.score-chart"),
    strips: widths("svg.rhythm-strip"),
  }), "*");
});
</script>"""
FRAME = """<!DOCTYPE html><title>frame</title>
<iframe src="probed.html" style="width: {width}px; height: 900px; border: 0"></iframe>
<script>
addEventListener("message", (event) => {{
  const probe = document.createElement("pre");
  probe.id = "probe";
  probe.textContent = event.data;
  document.body.appendChild(probe);
}});
</script>"""


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    """The multi-team retro (a summary table, three teams) with the probe injected into a copy of the page."""
    folder = tmp_path_factory.mktemp("retro-html")
    root = copy_plan(EXAMPLES / "multi-team", folder / "multi-team")  # outside git: no history to read
    html = render_html(build_retro(open_plan(Path(root)), date(2026, 12, 31), None, None))
    (folder / "retro.html").write_text(html, encoding="utf-8")
    (folder / "probed.html").write_text(html.replace("<head>", "<head>\n" + PROBE, 1), encoding="utf-8")
    return folder / "retro.html"


def probe(tmp_path: Path, page: Path, width: int) -> dict:
    """The page laid out in a frame ``width`` px wide (headless windows are at least 500 px), measured inside."""
    frame = page.with_name(f"frame-{width}.html")
    frame.write_text(FRAME.format(width=width), encoding="utf-8")
    dom = chromium(
        tmp_path,
        frame,
        "--dump-dom",
        f"--window-size={width + 100},1000",
        "--virtual-time-budget=5000",
        "--host-resolver-rules=MAP * ~NOTFOUND",
    )
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    return json.loads(html_lib.unescape(found.group(1)))


@pytest.mark.parametrize("width", [1400, 390])
def test_retro_page_fits_and_fetches_nothing(tmp_path, page, width):
    measured = probe(tmp_path, page, width)
    assert measured["width"] == width
    assert measured["scroll"] <= width, f"horizontal scroll at {width} px: {measured['scroll']}"
    assert measured["requests"] == []
    assert measured["errors"] == []
    assert len(measured["charts"]) == 6  # one score chart per objective
    assert len(measured["strips"]) == 11  # one rhythm strip per key result
    assert all(0 < shown <= width for shown in measured["charts"] + measured["strips"])


def test_retro_page_has_no_external_reference(page):
    html = page.read_text(encoding="utf-8")
    assert '<section class="panel" id="summary">' in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "@import" not in html and "url(" not in html and "<script" not in html
