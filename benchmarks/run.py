"""Measure okrsprint's speed and memory against what it can be compared with, paired and interleaved.

    python benchmarks/run.py [--repeat N] [--workdir DIR] [--skip GROUPS] [--busy-seconds S]

Each command runs as its own process, so the figures are what a user waits for (interpreter
start-up and imports included). Commands that are compared run interleaved (A, B, A, B, …), so
that a slow moment of the machine hits both; a ratio is the median of the per-round ratios, with
their spread (lowest–highest). Each row shows the median wall time, the median CPU time (user +
system, the process and the workers it waited for) and the largest peak resident memory.

The yardsticks are the floor (PyYAML's C loader reading the same files with the garbage collector
off, which no Python YAML checker can beat), yamllint (if installed) and `import typer` (the cost of
any CLI built on typer). This is a report, not a test: it exits 0 whatever the results, and 2 only
for bad arguments. POSIX only (it reads each child's usage with os.wait4).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
GENERATOR = Path(__file__).resolve().parent / "generate.py"
TYPER_APP = Path(__file__).resolve().parent / "typer_app.py"
EXAMPLE = REPO_ROOT / "examples" / "checkout"
TODAY = "2026-11-23"
SEED = 2026
ITEMS = 300
SCALING_TEAMS = (1, 10, 50, 100, 500)
LARGE, MEDIUM = 500, 50
# ru_maxrss is in KiB on Linux and in bytes on macOS. A child's ru_maxrss is never below this
# process's own peak (Linux carries it across fork + exec), so this process stays lean.
MAXRSS_UNIT_BYTES = 1 if sys.platform == "darwin" else 1024
GROUPS = ("startup", "large", "cache", "busy", "commands", "scaling", "yamllint")

# The floor keeps every document alive (as a checker must) and switches the garbage collector off.
FLOOR_SCRIPT = """\
import gc, pathlib, sys, yaml
gc.disable()
documents = [
    document
    for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.yaml"))
    for document in yaml.load_all(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
]
"""
# A competing busy loop, bounded in time whatever happens to this process.
BUSY_SCRIPT = "import sys, time\nend = time.monotonic() + float(sys.argv[1])\nwhile time.monotonic() < end:\n    pass\n"


@dataclass
class Job:
    """One command to time; `ok_codes` are the exit codes that mean it ran properly; `before` runs untimed."""

    label: str
    command: list[str]
    ok_codes: tuple[int, ...] = (0, 1)
    before: Callable[[], None] | None = None
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    failed: str | None = None


@dataclass
class Group:
    """Commands measured together, interleaved round by round."""

    name: str
    jobs: list[Job]
    busy: bool = False
    warm_up: bool = False  # one untimed round first (start-up rows: .pyc files, the page cache)


@dataclass(frozen=True)
class Ratio:
    label: str
    numerator: str
    denominator: str
    limit: float | None = None


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


def okrsprint(*args: str) -> list[str]:
    return python("-m", "okrsprint", *args)


def check(repo: Path, *options: str) -> list[str]:
    return okrsprint("check", str(repo), "--format", "json", "--exit-zero", "--today", TODAY, *options)


def run_once(job: Job) -> None:
    """Time one run of `job`: wall and CPU seconds and peak MiB, from the child's own rusage."""
    if job.before is not None:
        job.before()
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(job.command, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode not in job.ok_codes:
            stderr.seek(0)
            lines = stderr.read().decode(errors="replace").strip().splitlines() or ["(no stderr)"]
            job.failed = f"exit code {child.returncode}: {lines[-1]}"
            return
    job.walls.append(wall)
    job.cpus.append(usage.ru_utime + usage.ru_stime)
    job.peaks.append(usage.ru_maxrss * MAXRSS_UNIT_BYTES / 2**20)


def measure(group: Group, repeat: int, busy_seconds: float) -> None:
    """Run every job of the group once per round, in order, `repeat` rounds (after an untimed one if it warms up)."""
    busy = None
    if group.busy:
        busy = subprocess.Popen(python("-c", BUSY_SCRIPT, str(busy_seconds)))
        time.sleep(0.5)  # let it take its core
    try:
        first = 0 if group.warm_up else 1
        for round_number in range(first, repeat + 1):
            progress(f"{group.name}: round {round_number}/{repeat}" + (" (warm-up)" if round_number == 0 else ""))
            for job in group.jobs:
                if job.failed is None:
                    run_once(job)
                    if round_number == 0 and job.failed is None:
                        job.walls.pop(), job.cpus.pop(), job.peaks.pop()
    finally:
        if busy is not None:
            busy.terminate()
            busy.wait()


def median_ratio(jobs: dict[str, Job], ratio: Ratio) -> tuple[float, float, float, float] | None:
    """Median of the per-round wall-time ratios of two interleaved jobs, their lowest and highest, and the
    median of the CPU-time ratios (which a busy machine disturbs less, but which counts every worker)."""
    top, bottom = jobs.get(ratio.numerator), jobs.get(ratio.denominator)
    if top is None or bottom is None or not top.walls or not bottom.walls:
        return None
    ratios = [a / b for a, b in zip(top.walls, bottom.walls, strict=False)]
    cpu = statistics.median(a / b for a, b in zip(top.cpus, bottom.cpus, strict=False))
    return statistics.median(ratios), min(ratios), max(ratios), cpu


def linear_fit(xs: list[float], ys: list[float]) -> tuple[float, float, float]:
    """Least-squares slope, intercept and R² of ys against xs."""
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = mean_y - slope * mean_x
    total = sum((y - mean_y) ** 2 for y in ys)
    residual = sum((y - intercept - slope * x) ** 2 for x, y in zip(xs, ys, strict=True))
    return slope, intercept, 1 - residual / total if total else 1.0


# -- repos ------------------------------------------------------------------------------------------------------


def generator_checksum() -> str:
    """Checksum of generate.py, so a changed generator never reuses a stale cached repo."""
    return f"{zlib.crc32(GENERATOR.read_bytes()):08x}"


def generated_repo(workdir: Path, teams: int) -> Path:
    """The generated repo of `teams` teams, generating it first if the work dir lacks it."""
    repo = workdir / f"{teams}x{ITEMS}-seed{SEED}-{generator_checksum()}"
    if not repo.is_dir():
        progress(f"generating {teams} teams x {ITEMS} items in {repo}")
        partial = Path(tempfile.mkdtemp(dir=workdir, prefix=".partial-"))  # no half repo if interrupted
        arguments = [str(partial), "--teams", str(teams), "--items", str(ITEMS), "--seed", str(SEED)]
        subprocess.run(python(str(GENERATOR), *arguments), check=True)
        partial.rename(repo)
    return repo


def scratch_copy(workdir: Path, repo: Path) -> Path:
    """A fresh copy of `repo` for the cache rows, which write into it."""
    copy = workdir / "cache-rows"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns(".okrsprint_cache"))
    return copy


def changing(path: Path) -> Callable[[], None]:
    """Before each run: one more comment line in `path`, so its cache entry no longer applies."""
    counter = [0]

    def change() -> None:
        counter[0] += 1
        with path.open("a", encoding="utf-8") as stream:
            stream.write(f"# benchmark change {counter[0]}\n")

    return change


# -- the plan of measurements -----------------------------------------------------------------------------------

FLOOR = "floor (CSafeLoader, gc off)"
ONE_CORE, TWO_JOBS, AUTO = "check --jobs 1", "check --jobs 2", "check (automatic jobs)"
WARM, ONE_CHANGED = "check, warm cache", "check, warm cache, 1 file changed"
BUSY_ONE, BUSY_AUTO = "check --jobs 1, busy core", "check (automatic), busy core"
TYPER, VERSION, SMALL = "import typer", "okrsprint --version", "check examples/checkout"
TYPER_OPTION = "typer app, one option"
MODELS = "import PyYAML, build the models"
MODELS_SCRIPT = "import os; os.environ['PYDANTIC_DISABLE_PLUGINS'] = '__all__'; import yaml, okrsprint.model"
"""What any `check` pays before it reads an option or a file: PyYAML, pydantic and okrsprint's plan models built
(plugin discovery off, as the console script has it)."""
COMMANDS = ("report", "backlog", "plan", "retro")
REPORT_TEXT = "report, text"  # the default format: its tables laid out for a terminal

RATIOS = [
    Ratio("check --jobs 1 / floor, large", ONE_CORE, FLOOR, 1.0),
    Ratio("check --jobs 2 / floor, large", TWO_JOBS, FLOOR, 0.75),
    Ratio("check automatic / floor, large", AUTO, FLOOR, 0.75),
    Ratio("busy core: automatic / --jobs 1", BUSY_AUTO, BUSY_ONE, 1.05),
    Ratio("warm cache / floor, large", WARM, FLOOR + " (cache rows)", 0.35),
    Ratio("warm, 1 file changed / floor", ONE_CHANGED, FLOOR + " (cache rows)", 0.4),
    Ratio("check example / import typer", SMALL, TYPER, 2.5),
    Ratio("--version / import typer", VERSION, TYPER, 1.1),
    Ratio("typer app, one option / import typer", TYPER_OPTION, TYPER),
    Ratio("check example / typer app, one option", SMALL, TYPER_OPTION),
    Ratio("PyYAML and the models alone / import typer", MODELS, TYPER),
    Ratio("check example / PyYAML and the models alone", SMALL, MODELS),
    *[Ratio(f"{name} / check, large", name, "check (commands rows)", 1.5) for name in COMMANDS],
    Ratio(f"{REPORT_TEXT} / check, large", REPORT_TEXT, "check (commands rows)", 1.5),
    Ratio("check / yamllint, medium", "check, medium", "yamllint -d relaxed, medium", 0.15),
]


def plan_groups(workdir: Path, skip: set[str], teams: int = LARGE) -> list[Group]:
    """The groups to measure, each a set of commands compared with one another (the large repo: `teams` teams)."""
    groups = []
    if "startup" not in skip:
        groups.append(
            Group(
                "startup",
                [
                    Job(TYPER, python("-c", "import typer"), (0,)),
                    Job(VERSION, okrsprint("--version"), (0,)),
                    Job(TYPER_OPTION, python(str(TYPER_APP), "run", "--today", TODAY), (0,)),
                    Job(MODELS, python("-c", MODELS_SCRIPT), (0,)),
                    Job(SMALL, okrsprint("check", str(EXAMPLE), "--today", TODAY, "--no-cache")),
                ],
                warm_up=True,
            )
        )
    if not {"large", "cache", "busy", "commands"} - skip:
        return groups + scaling_groups(workdir, skip)
    large = generated_repo(workdir, teams)
    floor = python("-c", FLOOR_SCRIPT, str(large))
    if "large" not in skip:
        groups.append(
            Group(
                "large",
                [
                    Job(FLOOR, floor, (0,)),
                    Job(ONE_CORE, check(large, "--no-cache", "--jobs", "1")),
                    Job(TWO_JOBS, check(large, "--no-cache", "--jobs", "2")),
                    Job(AUTO, check(large, "--no-cache")),
                ],
            )
        )
    if "cache" not in skip:
        copy = scratch_copy(workdir, large)
        subprocess.run(check(copy), stdout=subprocess.DEVNULL, check=False)  # fills the cache
        changed = sorted(copy.rglob("backlog.yaml"))[0]
        groups.append(
            Group(
                "cache",
                [
                    Job(FLOOR + " (cache rows)", python("-c", FLOOR_SCRIPT, str(copy)), (0,)),
                    Job(WARM, check(copy)),
                    Job(ONE_CHANGED, check(copy), before=changing(changed)),
                ],
            )
        )
    if "busy" not in skip:
        groups.append(
            Group(
                "busy",
                [Job(BUSY_ONE, check(large, "--no-cache", "--jobs", "1")), Job(BUSY_AUTO, check(large, "--no-cache"))],
                busy=True,
            )
        )
    if "commands" not in skip:
        team = ("--team", "team-001")
        options = ("--today", TODAY, "--no-cache")
        groups.append(
            Group(
                "commands",
                [
                    Job("check (commands rows)", check(large, "--no-cache")),
                    Job("report", okrsprint("report", str(large), "--format", "json", *options)),
                    Job(REPORT_TEXT, okrsprint("report", str(large), *options)),
                    Job("backlog", okrsprint("backlog", str(large), *team, "--format", "json", *options)),
                    Job("plan", okrsprint("plan", str(large), *team, "--sprint", "S6", "--format", "json", *options)),
                    Job("retro", okrsprint("retro", str(large), "--format", "json", *options)),
                ],
            )
        )
    return groups + scaling_groups(workdir, skip)


def scaling_groups(workdir: Path, skip: set[str]) -> list[Group]:
    """Every command on 1 to 500 teams (to fit a line), and check against yamllint on the medium repo."""
    groups = []
    if "scaling" not in skip:
        for teams in SCALING_TEAMS:
            repo = generated_repo(workdir, teams)
            team = ("--team", "team-001")
            options = ("--today", TODAY, "--no-cache", "--jobs", "1")
            groups.append(
                Group(
                    f"scaling {teams}",
                    [
                        Job(f"check, {teams} teams", check(repo, "--no-cache", "--jobs", "1")),
                        Job(f"report, {teams} teams", okrsprint("report", str(repo), "--format", "json", *options)),
                        Job(f"backlog, {teams} teams", okrsprint("backlog", str(repo), *team, *options)),
                        Job(f"plan, {teams} teams", okrsprint("plan", str(repo), *team, "--sprint", "S6", *options)),
                        Job(f"retro, {teams} teams", okrsprint("retro", str(repo), "--format", "json", *options)),
                    ],
                )
            )
    if "yamllint" not in skip and importlib.util.find_spec("yamllint") is not None:
        medium = generated_repo(workdir, MEDIUM)
        yamllint = python("-m", "yamllint", "-d", "relaxed", str(medium))
        groups.append(
            Group(
                "yamllint",
                [Job("check, medium", check(medium, "--no-cache")), Job("yamllint -d relaxed, medium", yamllint)],
            )
        )
    elif "yamllint" not in skip:
        print("note: yamllint is not installed: its comparison is skipped (pip install yamllint)")
    return groups


# -- the report -------------------------------------------------------------------------------------------------


def print_rows(jobs: dict[str, Job]) -> None:
    print("\n| command | wall s (median) | CPU s (median) | peak MiB |\n|---|---|---|---|")
    for label, job in jobs.items():
        if job.failed is not None:
            print(f"| {label} | failed: {job.failed} | | |")
        elif job.walls:
            wall, cpu = statistics.median(job.walls), statistics.median(job.cpus)
            print(f"| {label} | {wall:.3f} | {cpu:.3f} | {max(job.peaks):.0f} |")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * MAXRSS_UNIT_BYTES / 2**20
    print(f"\n(no peak is reported below this harness's own peak, {own:.0f} MiB)")


def print_ratios(jobs: dict[str, Job]) -> None:
    print("\n| ratio (median of paired runs) | wall | spread | CPU | target | result |\n|---|---|---|---|---|---|")
    for ratio in RATIOS:
        found = median_ratio(jobs, ratio)
        limit = f"≤ {ratio.limit:g}" if ratio.limit is not None else ""
        if found is None:
            print(f"| {ratio.label} | – | | | {limit} | not measured |")
            continue
        value, low, high, cpu = found
        verdict = "" if ratio.limit is None else ("PASS" if value <= ratio.limit else "FAIL")
        print(f"| {ratio.label} | {value:.2f} | {low:.2f}–{high:.2f} | {cpu:.2f} | {limit} | {verdict} |")
    large = jobs.get(ONE_CORE)
    if large is not None and large.peaks:
        peak = max(max(job.peaks) for job in (large, jobs[TWO_JOBS], jobs[AUTO]) if job.peaks)
        print(f"| peak MiB, check on the large repo | {peak:.0f} | | | ≤ 600 | {'PASS' if peak <= 600 else 'FAIL'} |")


def print_scaling(jobs: dict[str, Job]) -> None:
    rows = []
    for command in ("check", *COMMANDS):
        points = [
            (teams, statistics.median(job.walls))
            for teams in SCALING_TEAMS
            if (job := jobs.get(f"{command}, {teams} teams")) is not None and job.walls
        ]
        if len(points) >= 3:
            slope, intercept, r_squared = linear_fit([float(x) for x, _ in points], [y for _, y in points])
            rows.append(f"| {command} | {slope * 1000:.1f} | {intercept:.3f} | {r_squared:.4f} |")
    if rows:
        teams = ", ".join(map(str, SCALING_TEAMS))
        print(f"\n| scaling over {teams} teams | ms per team | s at 0 teams | R² |\n|---|---|---|---|")
        print("\n".join(rows))


def byte_compile_okrsprint() -> None:
    """Write okrsprint's .pyc files, as a pip install does (else PYTHONDONTWRITEBYTECODE recompiles every run)."""
    spec = importlib.util.find_spec("okrsprint")
    if spec is not None and spec.submodule_search_locations:
        subprocess.run(python("-m", "compileall", "-q", spec.submodule_search_locations[0]), check=True)


def group_list(text: str) -> set[str]:
    """argparse type: comma-separated names from GROUPS."""
    names = {name.strip() for name in text.split(",") if name.strip()}
    if names - set(GROUPS):
        raise argparse.ArgumentTypeError(f"choose from {', '.join(GROUPS)}; got {text!r}")
    return names


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark okrsprint (a report; always exits 0).")
    parser.add_argument("--repeat", type=positive, default=3, help="timed rounds per group (after a warm-up round)")
    parser.add_argument("--skip", type=group_list, default=set(), help=f"comma-separated: {','.join(GROUPS)}")
    parser.add_argument("--teams", type=positive, default=LARGE, help="teams in the large repo (a quick look: 50)")
    parser.add_argument("--busy-seconds", type=float, default=900, help="the busy loop's limit, in seconds")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "okrsprint-bench", help="generated repos"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    if importlib.util.find_spec("okrsprint") is None:
        print(f"note: okrsprint is not importable by {sys.executable}: pip install -e {REPO_ROOT}")
        return
    byte_compile_okrsprint()
    started = datetime.now(UTC)
    jobs: dict[str, Job] = {}
    for group in plan_groups(args.workdir, args.skip, args.teams):
        measure(group, args.repeat, args.busy_seconds)
        jobs.update({job.label: job for job in group.jobs})
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"okrsprint benchmarks, {started:%Y-%m-%d %H:%M} UTC, {cpus} CPUs, --repeat {args.repeat}")
    print(f"large repo: {args.teams} teams x {ITEMS} items")
    print(f"load average at the end: {load:.2f} (an idle machine reads below 0.5)")
    print_rows(jobs)
    print_ratios(jobs)
    print_scaling(jobs)


if __name__ == "__main__":
    main()
