"""The command line: parses options and calls the library; nothing else lives here.

Heavy modules (pydantic, PyYAML, the rules) are imported inside the commands so
that ``--version`` and ``--help`` start as fast as typer itself.
"""

import os
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from okrsprint import __version__
from okrsprint.findings import clip

app = typer.Typer(
    name="okrsprint",
    help="Planning-as-code for Scrum teams under quarterly OKRs: check OKRs, backlog and sprints kept as YAML.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_USAGE = 2


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


def fail(message: str) -> NoReturn:
    """A usage error: one line on stderr, exit code 2, never a traceback."""
    print(f"okrsprint: error: {clip(message)}", file=sys.stderr)
    raise typer.Exit(EXIT_USAGE)


def parse_day(value: str | None, option: str = "--today") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} must be a date YYYY-MM-DD, not {value!r}")


def _codes(values: list[str] | None) -> list[str]:
    return [code.strip() for value in values or [] for code in value.split(",") if code.strip()]


def stdout_console():
    """A console that styles only a terminal, honours NO_COLOR and never wraps finding lines.

    rich's own NO_COLOR support drops colours but keeps bold; no-color.org users and
    log scrapers want plain text, so NO_COLOR turns every ANSI style off.
    """
    import os

    from rich.console import Console

    plain = bool(os.environ.get("NO_COLOR"))
    return Console(soft_wrap=True, highlight=False, color_system=None if plain else "auto")


def print_output(output) -> None:
    """Machine formats as they are; styled text and rich renderables coloured only on a terminal."""
    if isinstance(output, str):
        sys.stdout.write(output)
    elif hasattr(output, "write"):
        output.write(sys.stdout)
    else:
        stdout_console().print(output, end="")


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    junit = "junit"
    markdown = "markdown"


PathArgument = Annotated[Path, typer.Argument(help="The planning repo, a folder inside it, or one plan file.")]
TodayOption = Annotated[
    str | None, typer.Option("--today", help="Today's date, YYYY-MM-DD (default: the system date).")
]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="Use this config file instead of the root's okrsprint.yaml.")
]


@app.command()
def check(
    path: PathArgument = Path("."),
    output_format: Annotated[
        CheckFormat, typer.Option("--format", envvar="OKRSPRINT_OUTPUT_FORMAT", help="Output format.")
    ] = CheckFormat.text,
    output_file: Annotated[
        Path | None,
        typer.Option("--output-file", help="Write the --format output to this file and print the text report."),
    ] = None,
    today: TodayOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")] = False,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="Only these rules: codes, names or prefixes (A3), comma-separated."),
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Switch these rules off (codes, names or prefixes).")
    ] = None,
    config: ConfigOption = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when problems are found.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print the findings only, no summary.")] = False,
) -> None:
    """Check a planning repo: structure, references and the OKR/Scrum alignment rules."""
    from okrsprint.config import UsageError
    from okrsprint.engine import CheckOptions, run_check
    from okrsprint.progress import LazyProgress
    from okrsprint.render import renderer, stdout_formats, write_report

    progress = LazyProgress()
    options = CheckOptions(path, config, parse_day(today), _codes(select), _codes(ignore), progress)
    try:
        result = run_check(options)
        if output_file is not None:
            write_report(output_file, output_format.value, result, quiet=quiet)
    except UsageError as error:
        fail(str(error))
    finally:
        progress.close()
    for name in stdout_formats(output_format.value, output_file is not None, os.environ):
        print_output(renderer(name)(result, quiet=quiet))
    raise typer.Exit(0 if exit_zero else result.exit_code(strict))


# -- okrsprint rules -----------------------------------------------------------


class RulesFormat(str, Enum):
    text = "text"
    markdown = "markdown"


@app.command()
def rules(
    code: Annotated[str | None, typer.Argument(help="A rule code or name to explain.")] = None,
    output_format: Annotated[
        RulesFormat, typer.Option("--format", help="markdown: the table for docs.")
    ] = RulesFormat.text,
) -> None:
    """List every rule with its code, name, default severity and rationale; or explain one."""
    from okrsprint.explain import explain_rule, rules_markdown, rules_table

    console = stdout_console()
    if code is None:
        if output_format is RulesFormat.markdown:
            sys.stdout.write(rules_markdown())
        else:
            console.print(rules_table())
        return
    try:
        console.print(explain_rule(code))
    except KeyError as error:
        fail(error.args[0])


# -- reports: report, backlog, review (issue 5) --------------------------------


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


class BacklogFormat(str, Enum):
    text = "text"
    json = "json"


class ReviewFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


TeamOption = Annotated[str | None, typer.Option("--team", help="Only this team (default: every team).")]
QuarterOption = Annotated[
    str | None, typer.Option("--quarter", help="The quarter, YYYY-Qn (default: the one containing today).")
]


def _show(build, output_format: str, output: Path | None = None) -> None:
    """Build a report view with ``build(plan)`` and print or write it; usage errors exit 2."""
    from okrsprint.config import UsageError
    from okrsprint.reports.output import emit

    try:
        emit(build(), output_format, output, stdout_console())
    except UsageError as error:
        fail(str(error))


@app.command()
def report(
    path: PathArgument = Path("."),
    team: TeamOption = None,
    quarter: QuarterOption = None,
    today: TodayOption = None,
    output_format: Annotated[ReportFormat, typer.Option("--format", help="Output format.")] = ReportFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout.")
    ] = None,
) -> None:
    """Where each team-quarter stands: key results, sprints, traceability and the OKR capacity share."""
    from okrsprint.engine import open_plan
    from okrsprint.reports.data import build_report

    day = parse_day(today) or date.today()
    _show(lambda: build_report(open_plan(path), day, team, quarter), output_format.value, output)


@app.command()
def backlog(
    team: Annotated[str, typer.Option("--team", help="The team.")],
    quarter: Annotated[str, typer.Option("--quarter", help="The quarter, YYYY-Qn.")],
    path: PathArgument = Path("."),
    today: TodayOption = None,
    output_format: Annotated[BacklogFormat, typer.Option("--format", help="Output format.")] = BacklogFormat.text,
) -> None:
    """The quarter's backlog by OKR alignment: key-result work (furthest behind first), then operational work."""
    from okrsprint.engine import open_plan
    from okrsprint.reports.backlog import build_backlog

    day = parse_day(today) or date.today()
    _show(lambda: build_backlog(open_plan(path), team, quarter, day), output_format.value)


@app.command()
def review(
    team: Annotated[str, typer.Option("--team", help="The team.")],
    sprint: Annotated[str, typer.Option("--sprint", help="The sprint id.")],
    path: PathArgument = Path("."),
    quarter: Annotated[
        str | None, typer.Option("--quarter", help="The quarter, when the sprint id is in several.")
    ] = None,
    today: TodayOption = None,
    output_format: Annotated[ReviewFormat, typer.Option("--format", help="Output format.")] = ReviewFormat.text,
) -> None:
    """The sprint review in one view: output (items and points done) and outcome (key results moved)."""
    from okrsprint.engine import open_plan
    from okrsprint.reports.review import build_review

    day = parse_day(today) or date.today()
    _show(lambda: build_review(open_plan(path), team, sprint, day, quarter), output_format.value)


# -- okrsprint checkin (issue 6) -----------------------------------------------


@app.command()
def checkin(
    reference: Annotated[str, typer.Argument(help="The key result: KR1, or team:KR1.")],
    value: Annotated[str, typer.Option("--value", help="The key result's value on the check-in day.")],
    path: PathArgument = Path("."),
    day: Annotated[str | None, typer.Option("--date", help="Day of the check-in, YYYY-MM-DD (default: today).")] = None,
    confidence: Annotated[
        str | None, typer.Option("--confidence", help="Confidence of reaching the target, 0..1.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="What moved the number, or what blocks it.")] = None,
    quarter: Annotated[
        str | None,
        typer.Option("--quarter", help="The key result's quarter, YYYY-Qn (default: the quarter of --date)."),
    ] = None,
    today: TodayOption = None,
) -> None:
    """Append a check-in to a key result, keeping every other line of the file exactly as it was."""
    from okrsprint.checkin import CheckinRequest, record_checkin
    from okrsprint.config import UsageError

    request = CheckinRequest(reference, value, day, confidence, note, quarter, parse_day(today), path)
    try:
        result = record_checkin(request)
    except UsageError as error:
        fail(str(error))
    print(result.summary())


# -- editors and set-up: schema, init (issue 4) ---------------------------------


class SchemaKind(str, Enum):
    plan = "plan"
    okrs = "okrs"
    backlog = "backlog"
    sprints = "sprints"
    config = "config"


@app.command()
def schema(
    kind: Annotated[
        SchemaKind, typer.Option("--kind", help="plan (any plan document, chosen by its kind), one kind, or config.")
    ] = SchemaKind.plan,
) -> None:
    """Print the JSON Schema (draft 2020-12) of plan documents or of okrsprint.yaml, for editors and check-jsonschema."""
    import json

    from okrsprint.schema import schema_for

    sys.stdout.write(json.dumps(schema_for(kind.value), indent=2, ensure_ascii=False) + "\n")


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Where to create the planning repo (created if missing).")] = Path(
        "."
    ),
    today: TodayOption = None,
    team: Annotated[str, typer.Option("--team", help="The example team's slug.")] = "my-team",
) -> None:
    """Create a planning repo: config, an example team-quarter, a pre-commit config and a CI workflow."""
    from okrsprint.config import UsageError
    from okrsprint.scaffold import init_repo

    try:
        written = init_repo(directory, parse_day(today) or date.today(), team)
    except UsageError as error:
        fail(str(error))
    except OSError as error:
        fail(f"cannot write {error.filename or directory}: {error.strerror or error}")
    for path in written:
        print(f"created {path}")
    print(f"Next: okrsprint check {directory} --strict")


# -- okrsprint diff (issue 9) ---------------------------------------------------


class DiffFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command()
def diff(
    base: Annotated[
        str | None,
        typer.Argument(
            help="The git revision to compare with (default: the merge base with the default branch, else HEAD)."
        ),
    ] = None,
    path: Annotated[Path | None, typer.Argument(help="The planning repo or a folder inside it (default: .).")] = None,
    head: Annotated[
        str | None, typer.Option("--head", help="Compare with this revision instead of the working tree.")
    ] = None,
    today: TodayOption = None,
    output_format: Annotated[DiffFormat, typer.Option("--format", help="Output format.")] = DiffFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on flagged warnings too.")] = False,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when changes are flagged.")] = False,
) -> None:
    """Review a plan change like a code change: what changed between two versions of the plan, by ids."""
    from okrsprint.config import UsageError
    from okrsprint.diff.compare import DiffOptions, run_diff, split_arguments
    from okrsprint.diff.render import render

    try:
        base, path = split_arguments(base, path)
        result = run_diff(DiffOptions(path, base, head, parse_day(today)))
    except UsageError as error:
        fail(str(error))
    print_output(render(result, output_format.value))
    raise typer.Exit(0 if exit_zero else result.exit_code(strict))


def main() -> None:
    """Console-script entry point: any unexpected error is an internal error with exit 2, not a traceback."""
    if sys.argv[1:] == ["--version"]:  # the one call that must not pay for building the command tree
        print(f"okrsprint {__version__}")
        return
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        print("okrsprint: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as error:  # the promise is: never a traceback
        print(f"okrsprint: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        print("okrsprint: please report this with the command and the file that caused it", file=sys.stderr)
        sys.exit(EXIT_USAGE)
