"""Where the start-up of a small `okrsprint check` goes: import time by package, from `python -X importtime`.

    python benchmarks/startup.py [--repeat N]

Runs `okrsprint check examples/checkout --no-cache` N times (after one untimed run) with `-X importtime`
and adds up each module's own import time ("self", nested imports excluded) by the package it belongs
to (a standard-library module counts for the package that imported it); it prints the median of each
sum, and what is left of the process's wall time (the interpreter's own start, parsing the options,
reading and checking the files, printing). `-X importtime` slows imports a little, so the figures are a
breakdown, not a measurement to compare with `run.py`'s. A class body runs when its module is imported:
building okrsprint's pydantic models is part of `okrsprint.model` and `okrsprint.config`. It prints a
Markdown table and exits 0 (a report, not a test).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "checkout"
COMMAND = ["-m", "okrsprint", "check", str(EXAMPLE), "--today", "2026-11-23", "--no-cache"]
OKRSPRINT = "the rest of okrsprint"
GROUPS = {
    "okrsprint.model, okrsprint.config (building the pydantic models)": ("okrsprint.model", "okrsprint.config"),
    OKRSPRINT: ("okrsprint",),
    "typer (and the click it vendors), shellingham, annotated_doc": ("typer", "click", "shellingham", "annotated_doc"),
    "pydantic, pydantic_core, annotated_types, typing_extensions, typing_inspection": (
        "pydantic", "pydantic_core", "annotated_types", "typing_extensions", "typing_inspection",
    ),
    "PyYAML": ("yaml", "_yaml"),
    "rich": ("rich",),
    "importlib.metadata, email, zipfile (pydantic's plugin loader)": ("importlib.metadata", "email", "zipfile"),
}  # fmt: skip
"""Each group's module prefixes; the first group a module matches is its own."""
STDLIB = "the standard library, imported by the interpreter's start-up (site, runpy) or by okrsprint"
REST = "not an import: the interpreter's start, parsing, reading, checking, output"


def group_of(module: str) -> str | None:
    for name, prefixes in GROUPS.items():
        if any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes):
            return name
    return None


def by_group(importtime: str) -> Counter[str]:
    """Self import seconds by group; a standard-library module counts for the package that imported it,
    unless that is okrsprint (typer and pydantic import the same modules; okrsprint's are imported first).

    `-X importtime` prints a module after the modules it imported, indented one step less than they are.
    """
    sums: Counter[str] = Counter()
    pending: list[tuple[int, float]] = []  # (depth, seconds) of standard-library modules awaiting their importer
    for line in importtime.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, _, name = line.removeprefix("import time:").split("|")
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        seconds = int(own) / 1e6
        group = group_of(name.strip())
        imported = sum(item[1] for item in pending if item[0] > depth)
        pending = [item for item in pending if item[0] <= depth]
        if group is None:
            pending.append((depth, seconds + imported))
        elif group == OKRSPRINT:
            sums[group] += seconds
            sums[STDLIB] += imported
        else:
            sums[group] += seconds + imported
    sums[STDLIB] += sum(item[1] for item in pending)
    return sums


def one_run() -> tuple[float, Counter[str]]:
    """The wall seconds of one check, and its self import seconds by group."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-X", "importtime", *COMMAND], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"okrsprint check failed (exit {done.returncode}): {done.stderr.strip()[-500:]}")
    return wall, by_group(done.stderr)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Break okrsprint check's start-up down by package.")
    parser.add_argument("--repeat", type=int, default=9, help="timed runs (after one untimed run)")
    repeat = max(1, parser.parse_args(argv).repeat)
    one_run()  # .pyc files and the page cache
    walls, groups = [], []
    for _ in range(repeat):
        wall, sums = one_run()
        sums[REST] = wall - sum(sums.values())
        walls.append(wall)
        groups.append(sums)
    total = statistics.median(walls)
    names = sorted(
        {name for sums in groups for name in sums}, key=lambda name: -statistics.median(sums[name] for sums in groups)
    )
    shown = " ".join(["python", *COMMAND]).replace(str(EXAMPLE), "examples/checkout")
    print(f"`{shown}` with -X importtime: median of {repeat} runs, {total * 1000:.0f} ms\n")
    print("| where | ms | share |\n|---|---|---|")
    for name in names:
        ms = statistics.median(sums[name] for sums in groups) * 1000
        print(f"| {name} | {ms:.0f} | {ms / (total * 1000):.0%} |")


if __name__ == "__main__":
    main()
