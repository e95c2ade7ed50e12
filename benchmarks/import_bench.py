"""Measure ``okrsprint import`` of a 5,000-issue Jira REST export against loading the plan it merges into.

    python benchmarks/import_bench.py [--issues N] [--repeat R] [--workdir DIR]

The export is generated (``jira_export``): N issues in pages of 100 as Jira's REST search returns them
(``names`` map, story points in ``customfield_10016``, the sprint field ``customfield_10020`` with dates
and goals, ``kr:`` labels), over the 6 two-week sprints of 2026-Q4. Each run copies ``examples/checkout``
to a fresh folder and times, in this process (start-up excluded, as for both figures):

- **load**: ``engine.open_plan`` of the copy (what every command pays);
- **first import**: ``import_export`` of the export into the copy (N items and 6 sprints added);
- **re-import**: the same export again into the imported copy (nothing changes, nothing is written).

The target: each import stays under a second beyond loading the plan it reads (import − load < 1 s;
the import loads the plan twice: once to merge, once again under the files' locks, and checks the
structure rules twice, before and after). The copy has the example's okrs and backlog, and no sprints:
the tracker's sprints make the calendar. It prints the medians and exits 0 (a report, not a test).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = REPO_ROOT / "examples" / "checkout"
TODAY = date(2026, 11, 23)
FIRST_SPRINT = date(2026, 10, 5)
SPRINTS = 6
PAGE = 100
KEY_RESULTS = ("KR1", "KR2", "KR3", "KR4", "KR5")
WORDS = ("checkout", "search", "payment", "refund", "onboarding", "invoice", "mobile", "partner", "report", "export")
TARGET_SECONDS = 1.0


def jira_export(issues: int) -> list[dict]:
    """``issues`` issues as pages of Jira's REST search response (``expand=names``)."""
    names = {"summary": "Summary", "labels": "Labels", "status": "Status",
             "customfield_10016": "Story point estimate", "customfield_10020": "Sprint"}  # fmt: skip
    categories = ("new", "indeterminate", "done")
    pages = []
    for first in range(0, issues, PAGE):
        page = []
        for number in range(first, min(first + PAGE, issues)):
            sprint = number % (SPRINTS + 2)  # two in eight issues sit in no sprint
            start = FIRST_SPRINT + timedelta(days=14 * sprint)
            fields: dict = {
                "summary": f"{WORDS[number % 10].title()} {WORDS[number // 10 % 10]}: step {number}",
                "status": {"name": "Open", "statusCategory": {"key": categories[number % 3]}},
                "labels": [f"kr:{KEY_RESULTS[number % 5]}"] if number % 3 else ["backend"],
                "customfield_10016": (number % 8) + 1 if number % 7 else None,
                "customfield_10020": [
                    {"id": 100 + sprint, "name": f"CHK Sprint {sprint + 1}", "state": "active", "boardId": 1,
                     "goal": "", "startDate": f"{start}T08:00:00.000Z",
                     "endDate": f"{start + timedelta(days=11)}T17:00:00.000Z"}
                ] if sprint < SPRINTS else None,
            }  # fmt: skip
            address = f"https://acme.atlassian.net/rest/api/2/issue/{10000 + number}"
            page.append({"id": str(10000 + number), "key": f"BIG-{number + 1}", "self": address, "fields": fields})
        pages.append({"startAt": first, "maxResults": PAGE, "total": issues, "issues": page, "names": names})
    return pages


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    arguments = parser.parse_args(argv)
    from okrsprint.commands.import_ import ImportRequest, import_export
    from okrsprint.engine import open_plan

    work = Path(arguments.workdir or tempfile.mkdtemp(prefix="okrsprint-import-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    export = work / f"jira-{arguments.issues}.json"
    export.write_text(json.dumps(jira_export(arguments.issues)), encoding="utf-8")
    loads, firsts, agains = [], [], []
    for run in range(arguments.repeat):
        repo = work / f"repo-{run}"
        shutil.rmtree(repo, ignore_errors=True)
        shutil.copytree(EXAMPLE, repo)
        (repo / "sprints" / "2026-Q4.yaml").unlink()  # the tracker's sprints replace the example's calendar
        request = ImportRequest(str(export), repo, "checkout", "2026-Q4", today=TODAY)
        firsts.append(_timed(lambda request=request: import_export(request)))
        loads.append(_timed(lambda repo=repo: open_plan(repo)))
        agains.append(_timed(lambda request=request: import_export(request)))
    load, first, again = (statistics.median(figures) for figures in (loads, firsts, agains))
    print(f"export: {arguments.issues} issues, {export.stat().st_size / 1e6:.1f} MB of Jira JSON ({work})")
    cores, busy = os.cpu_count() or 1, os.getloadavg()[0]
    shared = f"a load above {cores} means shared cores: every figure below grows alike"
    print(f"machine: {cores} cores, load average {busy:.1f} ({shared})")
    print(f"{'load the imported plan':<28}{load:8.2f} s")
    for label, figure in (("first import", first), ("re-import (no change)", again)):
        beyond = figure - load
        verdict = "ok" if beyond < TARGET_SECONDS else "over"
        print(f"{label:<28}{figure:8.2f} s   beyond loading: {beyond:5.2f} s (< {TARGET_SECONDS:.0f} s: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
