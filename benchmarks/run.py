"""Measure okrsprint's speed and memory against what it can be compared with.

    python benchmarks/run.py [--sizes small,medium,large] [--repeat N] [--workdir DIR]

Each command runs as its own process, so the figures are what a user waits for
(interpreter start-up and imports included). The yardsticks are the floor (PyYAML's
C loader reading the same files, which no Python YAML checker can beat), yamllint
(the linter people already run in CI) and `import typer` (the cost of any CLI built
on typer). This is a report, not a test: it exits 0 whatever the results, and 2 only
for bad arguments. POSIX only (it reads each child's peak memory with os.wait4).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
GENERATOR = Path(__file__).resolve().parent / "generate.py"
EXAMPLE = REPO_ROOT / "examples" / "checkout"
TODAY = "2026-11-23"
SEED = 2026
SIZES = {"small": (1, 300), "medium": (50, 300), "large": (500, 300)}  # teams, items per team
STARTUP = "start-up"
CHECK, FLOOR, YAMLLINT = "okrsprint check", "floor (CSafeLoader)", "yamllint -d relaxed"
VERSION, CHECK_EXAMPLE, IMPORT_TYPER = "okrsprint --version", "check examples/checkout", "import typer"
# ru_maxrss is in KiB on Linux and in bytes on macOS. A child's ru_maxrss is never
# below this process's own peak (Linux carries it across vfork + exec), so this
# process stays lean: it runs the generator as a subprocess and avoids hashlib.
MAXRSS_UNIT_BYTES = 1 if sys.platform == "darwin" else 1024

# The floor keeps every document alive (as a checker must) and switches the
# garbage collector off, so it is the least time any PyYAML-based checker needs.
FLOOR_SCRIPT = """\
import gc, pathlib, sys, yaml
gc.disable()
documents = [
    document
    for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.yaml"))
    for document in yaml.load_all(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
]
"""


@dataclass(frozen=True)
class Job:
    """One command to time; `ok_codes` are the exit codes that mean it ran properly."""

    size: str
    tool: str
    command: list[str]
    ok_codes: tuple[int, ...] = (0,)


@dataclass(frozen=True)
class Measurement:
    seconds: float  # median wall time over the runs
    peak_mib: float  # largest peak resident memory over the runs


Results = dict[tuple[str, str], Measurement]  # keyed by (size, tool)


@dataclass(frozen=True)
class Target:
    """A figure derived from the results and the limit it must stay under."""

    label: str
    value: Callable[[Results], float | None]
    limit: float
    inclusive: bool = True  # value <= limit passes; otherwise value < limit

    def passes(self, value: float) -> bool:
        return value <= self.limit if self.inclusive else value < self.limit


def time_ratio(numerator: tuple[str, str], denominator: tuple[str, str]) -> Callable[[Results], float | None]:
    """Median time of one measurement divided by another's, or None if either is missing."""

    def ratio(results: Results) -> float | None:
        if numerator in results and denominator in results:
            return results[numerator].seconds / results[denominator].seconds
        return None

    return ratio


def peak_memory(key: tuple[str, str]) -> Callable[[Results], float | None]:
    """Peak MiB of one measurement, or None if it is missing."""
    return lambda results: results[key].peak_mib if key in results else None


TARGETS = [
    Target("check / floor, large", time_ratio(("large", CHECK), ("large", FLOOR)), 1.5),
    Target("check / yamllint, medium", time_ratio(("medium", CHECK), ("medium", YAMLLINT)), 0.15),
    Target("check large / check medium", time_ratio(("large", CHECK), ("medium", CHECK)), 12),
    Target("check peak MiB, large", peak_memory(("large", CHECK)), 1024, inclusive=False),
    Target("--version / import typer", time_ratio((STARTUP, VERSION), (STARTUP, IMPORT_TYPER)), 1.3),
    Target("check example / import typer", time_ratio((STARTUP, CHECK_EXAMPLE), (STARTUP, IMPORT_TYPER)), 3.5),
]


def importable(module: str) -> bool:
    """Whether this interpreter (the one the children run) can import `module`."""
    return importlib.util.find_spec(module) is not None


def byte_compile_okrsprint() -> None:
    """Write okrsprint's .pyc files, as a pip install does.

    An editable install under PYTHONDONTWRITEBYTECODE (set on some machines) would
    otherwise recompile every module from source on every run: ~30 ms no user pays.
    """
    package = importlib.util.find_spec("okrsprint").submodule_search_locations[0]
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=True)


def okrsprint_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "okrsprint", *args]


def generator_checksum() -> str:
    """Checksum of generate.py, so a changed generator never reuses a stale cached repo."""
    return f"{zlib.crc32(GENERATOR.read_bytes()):08x}"


def cached_repo(workdir: Path, size: str) -> Path:
    """The generated repo for `size`, generating it first if the cache lacks it."""
    teams, items = SIZES[size]
    repo = workdir / f"{size}-{teams}x{items}-seed{SEED}-{generator_checksum()}"
    if not repo.is_dir():
        progress(f"generating {size} repo ({teams} teams x {items} items) in {repo}")
        # Generate next to it and rename, so an interrupted run leaves no half repo in the cache.
        partial = Path(tempfile.mkdtemp(dir=workdir, prefix=".partial-"))
        subprocess.run(
            [
                sys.executable,
                str(GENERATOR),
                str(partial),
                "--teams",
                str(teams),
                "--items",
                str(items),
                "--seed",
                str(SEED),
            ],
            check=True,
        )
        partial.rename(repo)
    return repo


def size_jobs(size: str, repo: Path, has_okrsprint: bool, has_yamllint: bool) -> list[Job]:
    """The floor and okrsprint on every size; yamllint (slow) on medium only."""
    jobs = [Job(size, FLOOR, [sys.executable, "-c", FLOOR_SCRIPT, str(repo)])]
    if has_okrsprint:
        check = okrsprint_command("check", str(repo), "--format", "json", "--exit-zero", "--today", TODAY)
        jobs.append(Job(size, CHECK, check))
    if has_yamllint and size == "medium":
        # yamllint exits 1 when it finds errors; that is a result, not a crash.
        jobs.append(Job(size, YAMLLINT, [sys.executable, "-m", "yamllint", "-d", "relaxed", str(repo)], (0, 1)))
    return jobs


def startup_jobs(has_okrsprint: bool) -> list[Job]:
    """Commands whose time is mostly interpreter start-up and imports."""
    jobs = [Job(STARTUP, IMPORT_TYPER, [sys.executable, "-c", "import typer"])]
    if has_okrsprint:
        jobs.append(Job(STARTUP, VERSION, okrsprint_command("--version")))
    if has_okrsprint and EXAMPLE.is_dir():
        check = okrsprint_command("check", str(EXAMPLE), "--today", TODAY)
        jobs.append(Job(STARTUP, CHECK_EXAMPLE, check, (0, 1)))
    return jobs


def skip_notes(has_okrsprint: bool, has_yamllint: bool, sizes: list[str]) -> list[str]:
    """One line for each measurement that cannot be taken, and why."""
    notes = []
    if not has_okrsprint:
        notes.append(
            f"okrsprint is MISSING: not importable by {sys.executable}; "
            f"its measurements are skipped (pip install -e {REPO_ROOT})."
        )
    if not has_yamllint and "medium" in sizes:
        notes.append("yamllint is not installed: the yamllint comparison is skipped (pip install yamllint).")
    if has_okrsprint and not EXAMPLE.is_dir():
        notes.append(f"{EXAMPLE} does not exist: the example check is skipped.")
    return notes


def run_once(command: list[str]) -> tuple[float, float, int, bytes]:
    """Wall seconds, peak MiB, exit code and stderr of one run of `command`."""
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        # wait4 rather than Popen.wait: it gives this child's own rusage.
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        return seconds, usage.ru_maxrss * MAXRSS_UNIT_BYTES / 2**20, child.returncode, stderr.read()


def measure(job: Job, repeat: int) -> Measurement | None:
    """Median time and peak memory over `repeat` runs; None (with a note) if a run fails.

    The median also absorbs one-off costs of a first run such as writing .pyc files.
    """
    times, peaks = [], []
    for _ in range(repeat):
        seconds, peak_mib, code, stderr = run_once(job.command)
        if code not in job.ok_codes:
            last_line = (stderr.decode(errors="replace").strip().splitlines() or ["(no stderr)"])[-1]
            print(f"note: {job.size} / {job.tool} failed with exit code {code}: {last_line}")
            return None
        times.append(seconds)
        peaks.append(peak_mib)
    return Measurement(statistics.median(times), max(peaks))


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_jobs(jobs: list[Job], repeat: int) -> Results:
    results = {}
    for job in jobs:
        progress(f"measuring {job.size} / {job.tool} ({repeat} runs)")
        measurement = measure(job, repeat)
        if measurement is not None:
            results[job.size, job.tool] = measurement
    return results


def own_peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * MAXRSS_UNIT_BYTES / 2**20


def print_results(results: Results) -> None:
    print(f"\n{'size':<10} {'tool':<26} {'median s':>9} {'peak MiB':>9}")
    for (size, tool), m in results.items():
        print(f"{size:<10} {tool:<26} {m.seconds:>9.3f} {m.peak_mib:>9.1f}")
    print(f"(no peak is reported below this harness's own peak, {own_peak_mib():.1f} MiB)")


def print_targets(results: Results) -> None:
    print(f"\n{'target':<30} {'value':>8}  {'limit':<8} result")
    for target in TARGETS:
        value = target.value(results)
        limit = f"{'<=' if target.inclusive else '<'} {target.limit:g}"
        if value is None:
            print(f"{target.label:<30} {'-':>8}  {limit:<8} n/a (not measured)")
        else:
            verdict = "PASS" if target.passes(value) else "FAIL"
            print(f"{target.label:<30} {value:>8.2f}  {limit:<8} {verdict}")


def size_list(text: str) -> list[str]:
    """argparse type: comma-separated names from SIZES."""
    sizes = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in sizes if name not in SIZES]
    if unknown or not sizes:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(SIZES)}; got {text!r}")
    return sizes


def positive(text: str) -> int:
    """argparse type: an integer >= 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark okrsprint (a report; always exits 0).")
    parser.add_argument("--sizes", type=size_list, default=list(SIZES), help="comma-separated: small,medium,large")
    parser.add_argument("--repeat", type=positive, default=3, help="runs per command; the median is reported")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "okrsprint-bench",
        help="where generated repos are cached",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    has_okrsprint, has_yamllint = importable("okrsprint"), importable("yamllint")
    for note in skip_notes(has_okrsprint, has_yamllint, args.sizes):
        print(f"note: {note}")
    if has_okrsprint:
        byte_compile_okrsprint()
    jobs = [
        job
        for size in args.sizes
        for job in size_jobs(size, cached_repo(args.workdir, size), has_okrsprint, has_yamllint)
    ]
    results = run_jobs(jobs + startup_jobs(has_okrsprint), args.repeat)
    print_results(results)
    print_targets(results)


if __name__ == "__main__":
    main()
