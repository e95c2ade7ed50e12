"""The check pipeline: load → plan → rules → findings. Everything ``okrsprint check`` does, importable."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import okrsprint.rules  # noqa: F401  (registers every rule family)
from okrsprint.config import Config, find_root, load_config
from okrsprint.diff.compare import Change
from okrsprint.discovery import discover, display_relpath
from okrsprint.errors import ConfigError, UsageError
from okrsprint.findings import Finding, Location, Severity, clip, exit_code
from okrsprint.loader import SourceFile, load_file
from okrsprint.locations import Position
from okrsprint.plan import Document, Plan, build_plan
from okrsprint.rules.changes import ChangeContext
from okrsprint.rules.context import RuleContext
from okrsprint.rules.registry import RULES, all_rules, lookup, lookup_adjustable, select


@dataclass
class CheckOptions:
    path: Path = Path(".")
    config_file: Path | None = None
    today: date | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    progress: Callable[[str, int, int], None] | None = None
    replaced: Mapping[Path, str] = field(default_factory=dict)
    """Texts to check instead of what is on disk, by resolved path: a candidate edit is checked before it is written."""
    shown_root: str | None = None
    """How commands suggested in messages name the plan root; default: as seen from the current directory."""


@dataclass
class CheckResult:
    root: Path
    findings: list[Finding]
    files: int
    documents: int
    not_run: dict[str, str] = field(default_factory=dict)
    """The rules the check left out, by code, with why (JUnit marks them skipped)."""

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity is severity)

    def exit_code(self, strict: bool = False) -> int:
        return exit_code(self.findings, strict)

    def summary(self) -> dict[str, int]:
        return {
            "files": self.files,
            "documents": self.documents,
            "errors": self.count(Severity.ERROR),
            "warnings": self.count(Severity.WARNING),
            "infos": self.count(Severity.INFO),
        }


class FindingSink:
    """Turns what loader, plan and rules report into findings, applying rule selection, severity and suppressions."""

    def __init__(self, config: Config, enabled: set[str]) -> None:
        self.enabled = enabled
        self.severities = {
            lookup(reference).code: Severity(value) for reference, value in config.rules.severity.items()
        }
        self.findings: list[Finding] = []

    def rule_finding(
        self, code: str, message: str, document: Document, position: Position, entity: str | None = None
    ) -> None:
        """What a rule emits about a plan document (``entity``: what in it, see ``Finding.entity``)."""
        self(document.source, code, message, position, document.team, str(document.quarter), entity)

    def __call__(
        self,
        source: SourceFile,
        code: str,
        message: str,
        position: Position,
        team: str | None,
        quarter: str | None,
        entity: str | None = None,
    ) -> None:
        rule = RULES[code]
        if not rule.structural and code not in self.enabled:
            return
        line, column = position
        if source.suppressed(line, code, rule.name):
            return
        severity = self.severities.get(code, rule.severity)
        location = Location(source.relpath, line, column)
        self.findings.append(Finding(code, rule.name, severity, clip(message), location, team, quarter, entity))


def enabled_rules(config: Config, options: CheckOptions) -> set[str]:
    """``--select`` replaces the set of rules (like ruff); config and ``--ignore`` then take rules away."""
    try:
        adjustable = {rule.code for rule in all_rules() if not rule.structural}
        chosen = select(options.select) & adjustable if options.select else adjustable - select(config.rules.ignore)
        return chosen - select(options.ignore)
    except KeyError as error:
        raise UsageError(error.args[0]) from None


def rules_not_run(config: Config, options: CheckOptions, enabled: set[str]) -> dict[str, str]:
    """Why ``check`` leaves each rule out that it does not run: a change rule, or deselected (SPEC §3, JUnit)."""
    chosen = select(options.select) if options.select else None
    ignored = select(options.ignore)
    reasons = {}
    for rule in all_rules():
        if rule.compares_versions:
            reasons[rule.code] = "a change rule: only okrsprint diff runs it, on two versions of the plan"
        elif rule.structural or rule.code in enabled:
            continue
        elif chosen is not None and rule.code not in chosen:
            reasons[rule.code] = "not chosen by --select"
        elif rule.code in ignored:
            reasons[rule.code] = "switched off by --ignore"
        else:
            reasons[rule.code] = "switched off by rules.ignore in the config"
    return reasons


def locate_config(path: Path, config_file: Path | None) -> tuple[Path, Config, Path | None]:
    """The root for ``path``, the config that applies (``--config`` wins over the root's) and its file."""
    if not path.exists():
        raise UsageError(f"path not found: {path}")
    root, found_config = find_root(path)
    config_path = config_file if config_file is not None else found_config
    config = load_config(config_path, root)
    check_rule_names(config)
    return root, config, config_path


def check_rule_names(config: Config) -> None:
    """Every rule the config ignores or re-grades exists and may be adjusted; else a located usage error.

    The config model knows no rule (it sits below them in the pipeline), so this is checked here.
    """
    named = [(reference, ("rules", "ignore", index)) for index, reference in enumerate(config.rules.ignore)]
    named += [(reference, ("rules", "severity", reference)) for reference in config.rules.severity]
    for reference, path in named:
        try:
            lookup_adjustable(reference)
        except KeyError as error:
            where = config.position_of(*path)
            if where is None:
                raise UsageError(error.args[0]) from None
            shown, (line, column) = where
            raise ConfigError(shown, line, column, error.args[0]) from None


def _quiet(stage: str, done: int, total: int) -> None:
    """The default progress callback: says nothing."""


def load_plan(
    root: Path,
    config: Config,
    config_path: Path | None,
    report,
    progress: Callable[[str, int, int], None] = _quiet,
    replaced: Mapping[Path, str] | None = None,
) -> Plan:
    """Every plan file under the root (``replaced`` texts instead of their files), loaded and resolved.

    Problems go to ``report``; ``progress`` hears of every file loaded.
    """
    skip = {config_path.resolve()} if config_path is not None else set()
    found = discover(root, config.exclude, skip)
    paths = found.paths
    files = []
    for done, path in enumerate(paths, start=1):
        files.append(load_file(path, root, replaced.get(path.resolve()) if replaced else None))
        files[-1].relpath = display_relpath(files[-1].relpath)
        progress("loading files", done, len(paths))
    for relpath, message in found.problems:
        report(SourceFile(root / relpath, relpath), "S001", message, (1, 1), None, None)
    for source in files:
        for problem in source.problems:
            report(source, problem.code, problem.message, problem.position, None, None)
    return build_plan(root, config, files, report)


def open_plan(path: Path, config_file: Path | None = None) -> Plan:
    """The plan for the report commands: whatever is valid, problems ignored (``check`` reports them)."""
    root, config, config_path = locate_config(path, config_file)
    with collector_paused():
        return load_plan(root, config, config_path, lambda *problem: None)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector out of the way while a repo is in memory.

    Loading allocates millions of small objects that all stay alive until the check
    ends; every collector pass would re-scan them all for nothing (3x slower loads).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _run_rules(
    plan: Plan, today: date, sink: FindingSink, progress=_quiet, *, structural: bool, shown_root: str | None = None
) -> None:
    """Run the sink's enabled rules (and, with ``structural``, the structure checks) over a loaded plan."""
    context = RuleContext(plan, today, sink.rule_finding, shown_root)
    to_run = [
        rule
        for rule in all_rules()
        if rule.check is not None
        and not rule.compares_versions
        and ((structural and rule.structural) or rule.code in sink.enabled)
    ]
    for done, rule in enumerate(to_run, start=1):
        context.code = rule.code
        rule.check(context)
        progress("running rules", done, len(to_run))


def judge_changes(head: Plan, changes: list[Change], today: date, messages: str, revisions: str) -> list[Finding]:
    """The D-rules over the changes between two versions, with HEAD's config (ignores, severities, comments)."""
    sink = FindingSink(head.config, enabled_rules(head.config, CheckOptions()))
    context = ChangeContext(changes, today, messages, revisions, sink.rule_finding)
    for rule in all_rules():
        if rule.compares_versions and rule.code in sink.enabled and rule.check is not None:
            context.code = rule.code
            rule.check(context)
    return sorted(sink.findings, key=Finding.sort_key)


def run_rules(plan: Plan, codes: set[str], today: date) -> list[Finding]:
    """Some alignment rules over a plan already loaded, as ``check`` would report them (config ignores,
    severities and suppressions applied): a report that needs one rule does not read the repo again."""
    sink = FindingSink(plan.config, codes - select(plan.config.rules.ignore))
    _run_rules(plan, today, sink, structural=False)
    return sorted(sink.findings, key=Finding.sort_key)


def run_check(options: CheckOptions) -> CheckResult:
    """Check a planning repo; raises UsageError for bad paths, config or rule names."""
    with collector_paused():
        return _run_check(options)


def _run_check(options: CheckOptions) -> CheckResult:
    root, config, config_path = locate_config(options.path, options.config_file)
    sink = FindingSink(config, enabled_rules(config, options))
    not_run = rules_not_run(config, options, sink.enabled)
    progress = options.progress or _quiet
    plan = load_plan(root, config, config_path, sink, progress, options.replaced)
    _run_rules(plan, options.today or date.today(), sink, progress, structural=True, shown_root=options.shown_root)
    findings = sink.findings
    if options.path.is_file():
        only = display_relpath(options.path.resolve().relative_to(plan.root).as_posix())
        findings = [finding for finding in findings if finding.location.file == only]
    findings.sort(key=Finding.sort_key)
    return CheckResult(plan.root, findings, len(plan.files), plan.documents, not_run)
