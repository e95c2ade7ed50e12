"""The command line: typer options in, a call to ``okrsprint.commands.<name>`` out; nothing else lives here.

Every error a command raises passes through ``_Commands.invoke`` to one handler,
``commands.report_error``: a usage error is one line on stderr and exit 2, Ctrl-C
exit 130, anything unexpected an "internal error" and exit 2, never a traceback.
``check``'s usual command lines never get here: ``okrsprint.fast_path`` reads them
without typer, and hands this module every other. Heavy modules (PyYAML, the rules, the
renderers) are imported inside the commands so that ``--version`` and ``--help``
start as fast as typer itself.

Help is click's plain layout (``rich_markup_mode=None``), as ruff and pre-commit
users read it: flags without a type, every value named (``--today DATE``), the
``--format`` choices on one line whatever the terminal's width, and an example
under each command.
"""

import functools
import inspect
import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

import typer
from typer.core import TyperGroup

from okrsprint import __version__
from okrsprint.commands import parse_day, report_error
from okrsprint.errors import UsageError
from okrsprint.render import FORMATS


class _Commands(TyperGroup):
    """Runs every command inside the one error handler."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (KeyboardInterrupt, Exception) as error:
            if type(error).__module__.split(".")[0] in ("click", "typer"):  # exits and the parser's usage errors
                raise
            raise typer.Exit(report_error(error)) from None


app = typer.Typer(
    name="okrsprint",
    cls=_Commands,
    help="""Planning-as-code for Scrum teams under quarterly OKRs: check OKRs, backlog and sprints kept as YAML.

    Example: okrsprint init plans && okrsprint check plans --strict
    """,
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"okrsprint {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Planning-as-code for Scrum teams under quarterly OKRs."""


def _today(value: str | None) -> date:
    return parse_day(value) or date.today()


def _formats(kind: str) -> type[StrEnum]:
    """The ``--format`` choices of a view, from the renderer registry."""
    return StrEnum(f"{kind.title()}Format", {name: name for name in FORMATS[kind]})  # type: ignore[return-value]


def _choices(names: type[StrEnum]) -> str:
    """``[text|json]``, click's way to show choices; the help never wraps its first column, so they stay on one line."""
    return f"[{'|'.join(names)}]"


if TYPE_CHECKING:  # built at run time from the registry; to a type checker each is a StrEnum
    CheckFormat: TypeAlias = StrEnum
    ReportFormat: TypeAlias = StrEnum
    BacklogFormat: TypeAlias = StrEnum
    ReviewFormat: TypeAlias = StrEnum
    PlanFormat: TypeAlias = StrEnum
    DiffFormat: TypeAlias = StrEnum
    RetroFormat: TypeAlias = StrEnum
else:
    CheckFormat = _formats("check")
    ReportFormat = _formats("report")
    BacklogFormat = _formats("backlog")
    ReviewFormat = _formats("review")
    PlanFormat = _formats("plan")
    DiffFormat = _formats("diff")
    RetroFormat = _formats("retro")
# Each command's default format, as a value of its own --format enum.
CHECK_TEXT = CheckFormat("text")
REPORT_TEXT = ReportFormat("text")
BACKLOG_TEXT = BacklogFormat("text")
REVIEW_TEXT = ReviewFormat("text")
PLAN_TEXT = PlanFormat("text")
DIFF_TEXT = DiffFormat("text")
RETRO_TEXT = RetroFormat("text")

PathArgument = Annotated[
    Path, typer.Argument(metavar="PATH", help="The planning repo, a folder inside it, or one plan file.")
]
TodayOption = Annotated[
    str | None, typer.Option("--today", metavar="DATE", help="Today's date, YYYY-MM-DD (default: the system date).")
]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", metavar="FILE", help="Use this config file instead of the root's okrsprint.yaml."),
]
TeamOption = Annotated[str | None, typer.Option("--team", metavar="TEAM", help="Only this team (default: every team).")]
QuarterOption = Annotated[
    str | None,
    typer.Option(
        "--quarter",
        metavar="QUARTER",
        help="The quarter, YYYY-Qn (default: the one containing today, else the latest planned before it).",
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", metavar="FILE", help="Write to this file (atomically, folders created) instead of stdout."
    ),
]
OneTeamOption = Annotated[
    str | None,
    typer.Option("--team", metavar="TEAM", help="The team (default: the config's team, else the only team)."),
]


def _format_option(names: type[StrEnum], **extra: Any) -> Any:
    return typer.Option("--format", metavar=_choices(names), help="Output format.", **extra)


CheckFormatOption = Annotated[CheckFormat, _format_option(CheckFormat, envvar="OKRSPRINT_OUTPUT_FORMAT")]


# -- reading a plan: --jobs and --no-cache, for every command that reads one ---------------------------------------

JobsOption = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        metavar="N",
        min=0,
        envvar="OKRSPRINT_JOBS",
        help="Parse with N processes (default 0: automatic, several on a big repo when CPUs are free).",
    ),
]
NoCacheOption = Annotated[
    bool,
    typer.Option("--no-cache", help="Neither read nor write .okrsprint_cache/ (also: OKRSPRINT_NO_CACHE=1)."),
]
_READING_PARAMETERS = [
    inspect.Parameter("jobs", inspect.Parameter.KEYWORD_ONLY, default=0, annotation=JobsOption),
    inspect.Parameter("no_cache", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=NoCacheOption),
]


def reads_plan(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command that reads a plan ``--jobs`` and ``--no-cache``: one line, under ``@app.command()``.

    The command itself stays as it is: every plan it opens (``engine.open_plan``, ``engine.run_check``)
    is read with these options (``cache.reading_with``).
    """

    @functools.wraps(command)
    def with_reading_options(*args: Any, jobs: int = 0, no_cache: bool = False, **kwargs: Any) -> Any:
        from okrsprint.cache import ReadOptions, reading_with

        with reading_with(ReadOptions(jobs, not no_cache)):
            return command(*args, **kwargs)

    signature = inspect.signature(command)
    with_reading_options.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*signature.parameters.values(), *_READING_PARAMETERS]
    )
    with_reading_options.__annotations__ = {
        **command.__annotations__,
        **{parameter.name: parameter.annotation for parameter in _READING_PARAMETERS},
    }
    return with_reading_options


@app.command()
@reads_plan
def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="The planning repo (default .), a folder inside it, or plan files: findings are shown for these.",
            metavar="PATH",
            show_default=False,
        ),
    ] = None,
    output_format: CheckFormatOption = CHECK_TEXT,
    output_file: Annotated[
        Path | None,
        typer.Option(
            "--output-file", metavar="FILE", help="Write the --format output to this file and print the text report."
        ),
    ] = None,
    today: TodayOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")] = False,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select", metavar="CODES", help="Only these rules: codes, names or prefixes (A3), comma-separated."
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", metavar="CODES", help="Switch these rules off (codes, names or prefixes)."),
    ] = None,
    config: ConfigOption = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when problems are found.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print the findings only, no summary.")] = False,
) -> None:
    """Check a planning repo: structure, references and the OKR/Scrum alignment rules.

    Example: okrsprint check plans --strict
    """
    from okrsprint.commands.check import CheckArguments, check_exit_code

    arguments = CheckArguments(
        paths=paths or [],
        output_format=output_format.value,
        output_file=output_file,
        today=today,
        select=select or [],
        ignore=ignore or [],
        config=config,
        quiet=quiet,
    )
    code = check_exit_code(arguments, strict)
    raise typer.Exit(0 if exit_zero else code)


class RulesFormat(StrEnum):
    text = "text"
    markdown = "markdown"


@app.command()
def rules(
    code: Annotated[str | None, typer.Argument(metavar="CODE", help="A rule code or name to explain.")] = None,
    output_format: Annotated[
        RulesFormat, typer.Option("--format", metavar=_choices(RulesFormat), help="markdown: the table for docs.")
    ] = RulesFormat.text,
) -> None:
    """List every rule with its code, name, default severity and rationale; or explain one.

    Example: okrsprint rules A301
    """
    from okrsprint.commands.rules import rules as run

    run(code, output_format.value)


@app.command()
@reads_plan
def report(
    path: PathArgument = Path("."),
    team: TeamOption = None,
    quarter: QuarterOption = None,
    today: TodayOption = None,
    output_format: Annotated[ReportFormat, _format_option(ReportFormat)] = REPORT_TEXT,
    output: OutputOption = None,
) -> None:
    """Where each team-quarter stands: key results, sprints, traceability and the OKR capacity share.

    Example: okrsprint report plans --format html -o report.html
    """
    from okrsprint.commands.report import report as run

    run(path, _today(today), team, quarter, output_format.value, output)


@app.command()
@reads_plan
def backlog(
    path: PathArgument = Path("."),
    team: OneTeamOption = None,
    quarter: QuarterOption = None,
    today: TodayOption = None,
    output_format: Annotated[BacklogFormat, _format_option(BacklogFormat)] = BACKLOG_TEXT,
) -> None:
    """The quarter's backlog by OKR alignment: key-result work (furthest behind first), then operational work.

    Example: okrsprint backlog plans --team checkout --quarter 2026-Q4
    """
    from okrsprint.commands.backlog import backlog as run

    run(path, team, quarter, _today(today), output_format.value)


@app.command()
@reads_plan
def plan(
    path: PathArgument = Path("."),
    team: OneTeamOption = None,
    sprint: Annotated[
        str | None,
        typer.Option("--sprint", metavar="SPRINT", help="The sprint id (default: the earliest open sprint)."),
    ] = None,
    quarter: QuarterOption = None,
    today: TodayOption = None,
    focus: Annotated[
        str | None,
        typer.Option(
            "--focus",
            metavar="KRS",
            help="Key results the sprint goal drives, comma-separated (default: the sprint's krs, else the one "
            "furthest behind).",
        ),
    ] = None,
    output_format: Annotated[PlanFormat, _format_option(PlanFormat)] = PLAN_TEXT,
    write: Annotated[
        bool,
        typer.Option("--write", help="Record the items (and krs, when unset) in the sprint's file; never the goal."),
    ] = False,
) -> None:
    """Sprint planning: propose the items to commit and the key results the sprint goal should drive.

    Example: okrsprint plan plans --team checkout --write
    """
    from okrsprint.commands.plan import plan as run

    run(path, team, sprint, quarter, _today(today), focus, output_format.value, write)


@app.command()
@reads_plan
def review(
    path: PathArgument = Path("."),
    team: OneTeamOption = None,
    sprint: Annotated[
        str | None, typer.Option("--sprint", metavar="SPRINT", help="The sprint id (default: the current sprint).")
    ] = None,
    quarter: Annotated[
        str | None, typer.Option("--quarter", metavar="QUARTER", help="The quarter, when the sprint id is in several.")
    ] = None,
    today: TodayOption = None,
    output_format: Annotated[ReviewFormat, _format_option(ReviewFormat)] = REVIEW_TEXT,
) -> None:
    """The sprint review in one view: output (items and points done) and outcome (key results moved).

    Example: okrsprint review plans --team checkout --sprint S3
    """
    from okrsprint.commands.review import review as run

    run(path, team, sprint, _today(today), quarter, output_format.value)


@app.command()
def checkin(
    reference: Annotated[
        str | None, typer.Argument(metavar="REF", help="The key result: KR1, or team:KR1 (not with --from).")
    ] = None,
    value: Annotated[
        str | None, typer.Option("--value", metavar="VALUE", help="The key result's value on the check-in day.")
    ] = None,
    path: Annotated[
        Path | None,
        typer.Argument(metavar="PATH", help="The planning repo, a folder inside it, or one plan file."),
    ] = None,
    day: Annotated[
        str | None,
        typer.Option("--date", metavar="DATE", help="Day of the check-in, YYYY-MM-DD (default: today)."),
    ] = None,
    confidence: Annotated[
        str | None,
        typer.Option("--confidence", metavar="CONFIDENCE", help="Confidence of reaching the target, 0..1."),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="NOTE", help="What moved the number, or what blocks it.")
    ] = None,
    quarter: Annotated[
        str | None,
        typer.Option(
            "--quarter",
            metavar="QUARTER",
            help="The key result's quarter, YYYY-Qn (default: the quarter of --date).",
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Replace the check-in already recorded on that date: its value, and confidence and note when given.",
        ),
    ] = False,
    today: TodayOption = None,
    from_file: Annotated[
        str | None,
        typer.Option(
            "--from", metavar="FILE", help="Record every row of a CSV (kr,date,value[,confidence,note]); - for stdin."
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="With --from: show what would be recorded.")] = False,
) -> None:
    """Append a check-in to a key result, keeping every other line of the file exactly as it was.

    Many at once: okrsprint checkin --from metrics.csv plans  (columns kr,date,value[,confidence,note])

    Example: okrsprint checkin KR1 --value 47 --confidence 0.7 plans
    """
    from okrsprint.commands.checkin import (
        BadRowsError,
        CheckinRequest,
        CsvCheckinRequest,
        record_checkin,
        record_checkins_from,
    )
    from okrsprint.render.common import inert_terminal

    if from_file is not None:
        single = {"--value": value, "--date": day, "--confidence": confidence, "--note": note, "--quarter": quarter}
        given = [option for option, setting in single.items() if setting is not None]
        if given or (reference is not None and path is not None):
            extra = ", ".join(given) or f"REF {reference!r}"
            raise UsageError(f"--from takes the check-ins from the file: drop {extra}")
        where = Path(reference) if reference is not None else path or Path(".")
        try:
            outcome = record_checkins_from(CsvCheckinRequest(from_file, where, replace, dry_run, parse_day(today)))
        except BadRowsError as error:
            for problem in error.problems:
                print(inert_terminal(problem), file=sys.stderr)
            raise
        for result in outcome.recorded:
            print(inert_terminal(result.summary()))
        print(inert_terminal(outcome.summary()))
        return
    if reference is None or value is None:
        raise UsageError("name a key result and its --value (okrsprint checkin KR1 --value 47), or use --from FILE.csv")
    if dry_run:
        raise UsageError("--dry-run goes with --from")
    request = CheckinRequest(
        reference, value, day, confidence, note, quarter, parse_day(today), path or Path("."), replace
    )
    print(inert_terminal(record_checkin(request).summary()))  # names the plan file, whatever its name


class ImportFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("import")
def import_(
    source: Annotated[str, typer.Argument(metavar="SOURCE", help="The tracker's export, or - for standard input.")],
    path: PathArgument = Path("."),
    team: OneTeamOption = None,
    quarter: QuarterOption = None,
    prune: Annotated[
        bool, typer.Option("--prune", help="Remove items missing from the export from the backlog and every sprint.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    today: TodayOption = None,
    output_format: Annotated[
        ImportFormat, typer.Option("--format", metavar=_choices(ImportFormat), help="Output format.")
    ] = ImportFormat.text,
) -> None:
    """Merge a tracker's export (Jira CSV or JSON, gh issue/project JSON, CSV) into the backlog and sprints.

    From GitHub: gh issue list --json number,title,labels,state,url --limit 500 | okrsprint import - plans

    Example: okrsprint import jira-export.csv plans --team checkout --dry-run
    """
    from okrsprint.commands.import_ import ImportRequest, run

    run(ImportRequest(source, path, team, quarter, prune, dry_run, parse_day(today)), output_format.value)


class SchemaKind(StrEnum):
    plan = "plan"
    okrs = "okrs"
    backlog = "backlog"
    sprints = "sprints"
    config = "config"


@app.command()
def schema(
    kind: Annotated[
        SchemaKind,
        typer.Option(
            "--kind",
            metavar=_choices(SchemaKind),
            help="plan (any plan document, chosen by its kind), one kind, or config.",
        ),
    ] = SchemaKind.plan,
) -> None:
    """Print the JSON Schema (draft 2020-12) of plan documents or of okrsprint.yaml, for editors.

    Example: okrsprint schema --kind config > .schemas/okrsprint-config.json
    """
    from okrsprint.commands.schema import schema as run

    run(kind.value)


@app.command()
def init(
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="Where to create the planning repo (created if missing).")
    ] = Path("."),
    today: TodayOption = None,
    team: Annotated[
        str | None,
        typer.Option(
            "--team",
            metavar="TEAM",
            help="The example team's slug (default: my-team); in an existing planning repo, the team to add.",
        ),
    ] = None,
) -> None:
    """Create a planning repo with a pre-commit hook, a CI workflow, its config and an example team-quarter.

    Inside a git repository, the pre-commit config and the workflow go to its top and check DIR.
    In an existing planning repo, --team adds that team's example plan and nothing else.

    Example: okrsprint init plans --team checkout
    """
    from okrsprint.commands.init import init as run

    run(directory, _today(today), team)


@app.command()
def diff(
    base: Annotated[
        str | None,
        typer.Argument(
            metavar="BASE",
            help="The git revision to compare with (default: the merge base with the default branch, else HEAD).",
        ),
    ] = None,
    path: Annotated[
        Path | None,
        typer.Argument(metavar="PATH", help="The planning repo or a folder inside it (default: .)."),
    ] = None,
    head: Annotated[
        str | None,
        typer.Option("--head", metavar="REF", help="Compare with this revision instead of the working tree."),
    ] = None,
    today: TodayOption = None,
    output_format: Annotated[DiffFormat, _format_option(DiffFormat)] = DIFF_TEXT,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on flagged warnings too.")] = False,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when changes are flagged.")] = False,
) -> None:
    """Review a plan change like a code change: what changed between two versions of the plan, by ids.

    Example: okrsprint diff main plans --strict
    """
    from okrsprint.commands.diff import DiffOptions, diff, split_arguments

    base, where = split_arguments(base, path)
    result = diff(DiffOptions(where, base, head, parse_day(today)), output_format.value)
    raise typer.Exit(0 if exit_zero else result.exit_code(strict))


@app.command()
@reads_plan
def retro(
    path: PathArgument = Path("."),
    team: TeamOption = None,
    quarter: QuarterOption = None,
    today: TodayOption = None,
    output_format: Annotated[RetroFormat, _format_option(RetroFormat)] = RETRO_TEXT,
    output: OutputOption = None,
) -> None:
    """The quarter's retrospective: scores and grades, the rhythm, each sprint's output and outcome, observations.

    Example: okrsprint retro plans --format markdown -o retro.md
    """
    from okrsprint.commands.retro import retro as run

    run(path, _today(today), team, quarter, output_format.value, output)


class Carry(StrEnum):
    unfinished = "unfinished"
    all = "all"
    none = "none"


@app.command(name="next")
def next_quarter(
    path: PathArgument = Path("."),
    team: OneTeamOption = None,
    from_quarter: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="QUARTER",
            help="The quarter to continue, YYYY-Qn (default: the team's quarter containing today, else its latest "
            "before it).",
        ),
    ] = None,
    carry: Annotated[
        Carry,
        typer.Option(
            "--carry",
            metavar=_choices(Carry),
            help="Key results to carry: unfinished (score below 1), all, or none.",
        ),
    ] = Carry.unfinished,
    sprints: Annotated[
        int | None,
        typer.Option("--sprints", metavar="N", min=1, help="At most N sprints (default: as many as fit the quarter)."),
    ] = None,
    sprint_days: Annotated[
        int | None,
        typer.Option(
            "--sprint-days",
            metavar="N",
            min=1,
            max=366,
            help="Each sprint lasts N days, N apart (default: the cadence of --from).",
        ),
    ] = None,
    today: TodayOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the files it would write; write nothing.")] = False,
) -> None:
    """Draft the team's next quarter: carried key results with new baselines, the open backlog, the sprint calendar.

    Example: okrsprint next plans --team checkout --dry-run
    """
    from okrsprint.commands.next import NextOptions
    from okrsprint.commands.next import next_quarter as run

    run(NextOptions(path, team, from_quarter, carry.value, sprints, sprint_days, _today(today), dry_run))


def _show_whole_summaries() -> None:
    """Click cuts a command's summary in the command list to one line, mid-sentence: give it the first paragraph."""
    for command in app.registered_commands:
        command.short_help = (getattr(command.callback, "__doc__", None) or "").strip().split("\n\n")[0]


_show_whole_summaries()


def main() -> None:
    """The command line (``okrsprint.__main__`` answers ``--version`` before importing it)."""
    try:
        app()
    except KeyboardInterrupt as interrupt:  # during typer's own parsing, before a command runs
        sys.exit(report_error(interrupt))
