"""The HTML report on every screen, in headless Chromium: a 1400 px desktop, a 390 px phone, and paper.

The page is measured by a script added to a copy of it (the report itself has no script): the document's width
against the viewport, every SVG text's box against its SVG's box, and the resources the page loaded. Screenshots
and a PDF are kept under ``OKRSPRINT_SHOTS`` when that is set, to look at.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from html import escape
from pathlib import Path

import pytest

from okrsprint.engine import open_plan
from okrsprint.render.html import report as render_html
from okrsprint.views.report import build_report
from tests.builders import key_result, objective, okrs, sprint_series, sprints
from tests.helpers import CHROMIUM, EXAMPLES, ROOT, TODAY, needs, run_chromium, write

pytestmark = needs(CHROMIUM is not None, "chromium is not installed (.ci/run installs Debian's chromium with apt-get)")
FLAGS = [
    "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0",
    "--virtual-time-budget=3000",
]  # fmt: skip
MEASURE = """<script>
addEventListener("load", () => {
  const outside = [];
  let labels = 0;
  for (const svg of document.querySelectorAll("svg")) {
    if (!svg.getClientRects().length) continue;  // the other layout, hidden by a media query
    const box = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll("text")) {
      const r = text.getBoundingClientRect();
      labels += 1;
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
        outside.push(text.textContent + " in " + (svg.getAttribute("aria-label") || "svg"));
    }
  }
  const result = {
    viewport: innerWidth,
    width: document.documentElement.scrollWidth,
    labels, outside,
    resources: performance.getEntriesByType("resource").map((entry) => entry.name),
  };
  const out = parent.document.createElement("pre");
  out.id = "measured";
  out.textContent = JSON.stringify(result);
  parent.document.body.appendChild(out);
});
</script>"""


def chromium(tmp_path: Path, page: Path, *options: str) -> subprocess.CompletedProcess:
    return run_chromium(tmp_path, page, *FLAGS, *options)


def console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


def framed(html: str, width: int, height: int) -> str:
    """The page in an iframe ``width`` px wide: headless Chromium's window is at least 500 px wide, a frame can be
    a phone's width, and its media queries see the frame's. ``srcdoc`` keeps it same-origin for the measuring."""
    return (
        '<!DOCTYPE html><html><body style="margin: 0">'
        f'<iframe style="width: {width}px; height: {height}px; border: 0" srcdoc="{escape(html)}"></iframe>'
        "</body></html>"
    )


def measure(tmp_path: Path, html: str, width: int) -> dict:
    page = tmp_path / f"measure-{width}.html"
    page.write_text(framed(html.replace("</body>", MEASURE + "</body>"), width, 1200), encoding="utf-8")
    completed = chromium(tmp_path, page, "--dump-dom", "--window-size=1500,1300")
    assert console_errors(completed.stderr) == []
    found = re.search(r'<pre id="measured">(.*?)</pre>', completed.stdout, re.S)
    assert found, completed.stdout[-500:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def hostile_magnitudes(tmp_path: Path) -> Path:
    """Numbers that used to break the charts: five digits, overshoot past the target, tiny values, a falling
    metric, thresholds breached and held, a long title; with a company tree above them."""
    company = okrs(
        objective("O1", key_result("KR1", baseline=9000, target=12000, checkins=[
            {"date": "2026-10-10", "value": 9500}, {"date": "2026-11-10", "value": 40000}])),
        team="company",
    )  # fmt: skip
    web = okrs(
        objective(
            "O1",
            key_result("KR1", title="Errors per million " * 6, baseline=0.004, target=0.001, checkins=[
                {"date": "2026-10-10", "value": 0.009}, {"date": "2026-11-10", "value": 0.002}]),
            key_result("KR2", title="Uptime", unit="%", keep_above=99.9, checkins=[
                {"date": "2026-10-10", "value": 99.95}, {"date": "2026-11-10", "value": 97.2}]),
            key_result("KR3", title="Support backlog", keep_below=1500000, current=1200000),
            aligns_to="company:KR1",
        ),
        team="web",
    )  # fmt: skip
    calendar = sprints(*sprint_series(6, start=date(2026, 10, 5), days=12, capacity=123456), team="web")
    root = write(tmp_path / "plan", {"okrsprint.yaml": "company_team: company\n", "company.yaml": company,
                                     "web.yaml": web + "---\n" + calendar})  # fmt: skip
    return root


def three_level_company(tmp_path: Path) -> Path:
    """benchmarks/generate.py's company → 5 departments → 30 teams: a deep tree and a long table of contents."""
    generate = [sys.executable, ROOT / "benchmarks" / "generate.py", tmp_path / "company", "--teams", "30"]
    subprocess.run([*generate, "--items", "5", "--departments", "5"], check=True)
    return tmp_path / "company"


PAGES = {
    "multi-team": lambda tmp_path: EXAMPLES / "multi-team",
    "hostile": hostile_magnitudes,
    "company": three_level_company,
}


@pytest.fixture(params=sorted(PAGES))
def html(request, tmp_path) -> str:
    root = PAGES[request.param](tmp_path)
    return render_html(build_report(open_plan(root), TODAY))


@pytest.mark.parametrize("width", [1400, 390])
def test_fits_the_screen_loads_nothing_and_keeps_labels_inside(tmp_path, html, width):
    measured = measure(tmp_path, html, width)
    assert measured["viewport"] == width
    assert measured["width"] <= width
    assert measured["labels"] > 10
    assert measured["outside"] == []
    assert measured["resources"] == []


def test_no_external_reference_in_the_page(html):
    references = re.findall(r"""\b(?:src|href|xlink:href)\s*=\s*["']([^"']*)""", html)
    assert references and all(reference.startswith("#") for reference in references)
    assert "url(" not in html and "@import" not in html


def test_screenshots_and_pdf(tmp_path):
    """Pictures of the multi-team report at 1400 and 390 px, its print styles and a PDF; kept for a person."""
    keep = Path(os.environ.get("OKRSPRINT_SHOTS") or tmp_path)
    keep.mkdir(parents=True, exist_ok=True)
    html = render_html(build_report(open_plan(EXAMPLES / "multi-team"), TODAY))
    page = keep / "report.html"
    page.write_text(html, encoding="utf-8")
    for width in (1400, 390):
        shot, frame = keep / f"report-{width}.png", keep / f"frame-{width}.html"
        frame.write_text(framed(html, width, 8000), encoding="utf-8")
        completed = chromium(tmp_path, frame, f"--screenshot={shot}", f"--window-size={width},2600")
        assert console_errors(completed.stderr) == []
        assert shot.stat().st_size > 30_000
    printed = keep / "report-print.html"  # the print styles, on screen, to look at
    printed.write_text(html.replace("@media print", "@media all"), encoding="utf-8")
    chromium(tmp_path, printed, f"--screenshot={keep / 'report-print.png'}", "--window-size=800,2600")
    pdf = keep / "report.pdf"
    chromium(tmp_path, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= 3  # the tree, then each team on its own page


def test_print_styles_keep_cards_whole_and_drop_the_background(html):
    printed = html.split("@media print")[1].split("</style>")[0]
    assert "background: #fff" in printed
    assert re.search(
        r"\.card, \.panel, \.kr, [^{]*tr[^{]*\{ break-inside: avoid; page-break-inside: avoid; \}", printed
    )
    assert "nav.toc { display: none; }" in printed
    assert "@page { margin:" in html


def test_values_beyond_the_chart_are_clipped_to_its_edge_and_marked(tmp_path):
    html = render_html(build_report(open_plan(hostile_magnitudes(tmp_path)), TODAY))
    above = re.findall(r'<path class="clipped" data-clipped="above" d="M[\d.]+,([\d.]+) L[\d.]+,([\d.]+) ', html)
    below = re.findall(r'<path class="clipped" data-clipped="below" d="M[\d.]+,([\d.]+) L[\d.]+,([\d.]+) ', html)
    assert len(above) == 1 and len(below) == 1  # 40000 past the target 12000; 0.009 worse than the baseline 0.004
    top, bottom = 10.0, 100.0  # BURNUP_PAD: the plot's top edge, and its bottom (120 − 20)
    assert float(above[0][1]) == pytest.approx(top, abs=0.1)
    assert float(below[0][1]) == pytest.approx(bottom, abs=0.1)
    assert "2026-11-10: 40000 (beyond the chart: drawn at its edge)" in html
    assert ">12k</text>" in html and ">9000</text>" in html and ">1.5M</text>" in html
    assert html.count('<span class="better">lower is better</span>') == 2
