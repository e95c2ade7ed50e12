"""The check pipeline: load → plan → rules → findings. Everything ``okrsprint check`` does, importable."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import okrsprint.rules  # noqa: F401  (registers every rule family)
from okrsprint.cache import ReadOptions, current_reading, read_sources
from okrsprint.config import Config, find_root, load_config
from okrsprint.diff.compare import Change
from okrsprint.discovery import discover, display_relpath
from okrsprint.errors import ConfigError, UsageError
from okrsprint.findings import Finding, Location, Severity, clip, exit_code
from okrsprint.loader import CONFIG_NAME, SourceFile
from okrsprint.locations import Position
from okrsprint.plan import Document, Plan, build_plan
from okrsprint.rules.changes import ChangeContext
from okrsprint.rules.context import RuleContext
from okrsprint.rules.registry import RULES, all_rules, lookup, lookup_adjustable, select
from okrsprint.rules.structure import unknown_in_ignore_comment


@dataclass
class CheckOptions:
    path: Path = Path(".")
    """The planning repo, a folder inside it or a plan file; ``paths`` instead when there are several."""
    config_file: Path | None = None
    today: date | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    progress: Callable[[str, int, int], None] | None = None
    replaced: Mapping[Path, str] = field(default_factory=dict)
    """Texts to check instead of what is on disk, by resolved path: a candidate edit is checked before it is written."""
    shown_root: str | None = None
    """How commands suggested in messages name the plan root; default: as seen from the current directory."""
    paths: list[Path] = field(default_factory=list)
    """``check a.yaml b.yaml``: the findings shown are those of these paths (see ``shown_for``)."""
    reading: ReadOptions = field(default_factory=current_reading)
    """Worker processes and cache (``--jobs``, ``--no-cache``)."""

    @property
    def targets(self) -> list[Path]:
        return self.paths or [self.path]


@dataclass
class CheckResult:
    root: Path
    findings: list[Finding]
    files: int
    documents: int
    hidden: int = 0
    """Findings of team-quarters and files outside the given paths: found, not shown."""
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
            "hidden": self.hidden,
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
        line, column = position
        if not rule.structural and (code not in self.enabled or source.suppressed(line, code, rule.name)):
            return
        severity = self.severities.get(code, rule.severity)
        location = Location(source.relpath, line, column)
        self.findings.append(Finding(code, rule.name, severity, clip(message), location, team, quarter, entity))


def enabled_rules(config: Config, options: CheckOptions) -> set[str]:
    """``--select`` replaces the set of alignment rules (like ruff); config and ``--ignore`` then take rules away.

    Structure rules are always on: ``--select`` leaves them on, and ``--ignore`` naming one is a usage error.
    """
    try:
        adjustable = {rule.code for rule in all_rules() if not rule.structural}
        chosen = select(options.select) & adjustable if options.select else adjustable - select(config.rules.ignore)
        for reference in options.ignore:
            structural = sorted(code for code in select([reference]) if RULES[code].structural)
            if structural and reference.strip().upper() != "ALL":
                raise UsageError(
                    f"--ignore {reference.strip()}: {structural[0]} is a structure rule: always on "
                    "(its findings cannot be switched off)"
                )
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
    named: list[tuple[str, tuple[str | int, ...]]] = [
        (reference, ("rules", "ignore", index)) for index, reference in enumerate(config.rules.ignore)
    ]
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
    reading: ReadOptions | None = None,
) -> Plan:
    """Every plan file under the root (``replaced`` texts instead of their files), loaded and resolved.

    Problems go to ``report``; ``progress`` hears of every file loaded. ``reading``: worker processes
    and cache (default: automatic, cached).
    """
    skip = {config_path.resolve()} if config_path is not None else set()
    found = discover(root, config.exclude, skip)
    for relpath, message in found.problems:
        report(SourceFile(root / relpath, relpath), "S001", message, (1, 1), None, None)
    total = len(found.paths)

    def loaded() -> Iterator[SourceFile]:
        sources = read_sources(root, found.paths, reading or current_reading(), replaced)
        for done, source in enumerate(sources, start=1):
            source.relpath = display_relpath(source.relpath)
            progress("loading files", done, total)
            yield source

    return build_plan(root, config, loaded(), report)


def open_plan(path: Path, config_file: Path | None = None, reading: ReadOptions | None = None) -> Plan:
    """The plan for the report commands: whatever is valid; ``plan.broken`` lists the documents left out
    (``check`` reports why). The one entry point of every command that reads a plan: ``reading`` carries
    ``--jobs`` and ``--no-cache`` (``cli.ReadingOptions``)."""
    root, config, config_path = locate_config(path, config_file)
    with collector_paused():
        return load_plan(root, config, config_path, lambda *problem: None, reading=reading)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector away from a loaded repo.

    Loading allocates millions of small objects that all stay alive until the command
    ends; every collector pass would re-scan them all for nothing (3x slower loads).
    The plan holds no reference cycle, so it is freed without the collector; at the end
    everything alive is frozen (``gc.freeze``), so that no later pass, in ``check`` or
    while a report renders, walks the plan again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
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
        if rule.check is not None:
            rule.check(context)
        progress("running rules", done, len(to_run))


def _report_bad_suppressions(plan: Plan, sink: FindingSink) -> None:
    """S007 for every code or name in an ignore comment that names no rule, with the document it sits in."""
    documents = [document for tq in plan.team_quarters.values() for document in tq.documents]
    for source in plan.files:
        if not source.ignored:
            continue
        ours = sorted((d for d in documents if d.source is source), key=lambda document: document.position())
        for reference in source.ignored:
            message = unknown_in_ignore_comment(reference.text)
            if message is None:
                continue
            around = [document for document in ours if document.position()[0] <= reference.line]
            team, quarter = (around[-1].team, str(around[-1].quarter)) if around else (None, None)
            sink(source, "S007", message, (reference.line, reference.column), team, quarter)


def _left_out(plan: Plan, finding: Finding) -> bool:
    """An alignment finding of a team-quarter with a broken document: that plan is not all there, so the rules
    would judge a part of it. A401 looks at every team's references to a key result: a broken document of
    another team in the same quarter may hold one, so A401 waits for it too."""
    if RULES[finding.code].structural or finding.team is None or finding.quarter is None:
        return False
    if not plan.is_complete(finding.team, finding.quarter):
        return True
    return finding.code == "A401" and any(broken.quarter == finding.quarter for broken in plan.broken)


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
    return sorted((finding for finding in sink.findings if not _left_out(plan, finding)), key=Finding.sort_key)


def run_check(options: CheckOptions) -> CheckResult:
    """Check a planning repo; raises UsageError for bad paths, config or rule names."""
    with collector_paused():
        return _run_check(options)


def _run_check(options: CheckOptions) -> CheckResult:
    root, config, config_path = locate_config(options.targets[0], options.config_file)
    _same_root(options.targets, root)
    sink = FindingSink(config, enabled_rules(config, options))
    not_run = rules_not_run(config, options, sink.enabled)
    progress = options.progress or _quiet
    plan = load_plan(root, config, config_path, sink, progress, options.replaced, options.reading)
    _report_bad_suppressions(plan, sink)
    _run_rules(plan, options.today or date.today(), sink, progress, structural=True, shown_root=options.shown_root)
    findings = [finding for finding in sink.findings if not _left_out(plan, finding)]
    shown = shown_for(plan, options.targets, config_path, findings)
    shown.sort(key=Finding.sort_key)
    return CheckResult(
        plan.root, shown, len(plan.files), plan.documents, hidden=len(findings) - len(shown), not_run=not_run
    )


def _same_root(paths: list[Path], root: Path) -> None:
    """Every path exists and lies in the planning repo of the first one."""
    for path in paths:
        if not path.exists():
            raise UsageError(f"path not found: {path}")
        other = find_root(path)[0]
        if other != root:
            raise UsageError(f"paths in different planning repos: {paths[0]} (root {root}) and {path} (root {other})")


def shown_for(plan: Plan, paths: list[Path], config_path: Path | None, findings: list[Finding]) -> list[Finding]:
    """The findings of the given paths: every finding of a team-quarter with a document in them (wherever it is
    located) and every finding located in them. The root, or its config file (a change that can move any
    finding), shows them all. A path with no plan document under it is a usage error."""
    root = plan.root.resolve()
    selected: set[str] = set()
    for path in paths:
        resolved = path.resolve()
        if resolved == root or (config_path is not None and resolved == config_path.resolve()):
            return findings
        under = {
            source.relpath
            for source in plan.files
            if (source.documents or source.problems) and _inside(source.path.resolve(), resolved)
        }
        if not under:
            raise UsageError(f"no plan document under {path}" + _why_no_plan(path, resolved, root))
        selected |= under
    team_quarters = {
        tq.key for tq in plan.team_quarters.values() for document in tq.documents if document.source.relpath in selected
    }
    team_quarters |= {
        (broken.team, broken.quarter)
        for broken in plan.broken
        if broken.file in selected and broken.team is not None and broken.quarter is not None
    }
    return [
        finding
        for finding in findings
        if finding.location.file in selected or (finding.team, finding.quarter) in team_quarters
    ]


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _why_no_plan(path: Path, resolved: Path, root: Path) -> str:
    if path.is_file() and not path.name.endswith((".yaml", ".yml")):
        return ": not a YAML file"
    if path.is_file() and resolved.name == CONFIG_NAME:
        return ": a config file"
    if any(part.startswith(".") for part in resolved.relative_to(root).parts):
        return ": dot-directories are not read"
    return " (only documents of other tools, or files the config's exclude leaves out)"
