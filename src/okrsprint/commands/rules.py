"""``okrsprint rules``: the registry as a table, and one rule explained."""

from __future__ import annotations

import sys

from rich.console import Group
from rich.table import Table
from rich.text import Text

import okrsprint.rules  # noqa: F401  (registers every rule family)
from okrsprint.config import Settings
from okrsprint.errors import UsageError
from okrsprint.render import stdout_console
from okrsprint.render.common import STYLES
from okrsprint.rules.case_files import Case, examples
from okrsprint.rules.registry import all_rules, lookup


def rules(code: str | None, output_format: str) -> None:
    """Every rule as a table (or the README's Markdown table), or one rule explained."""
    console = stdout_console()
    if code is None:
        if output_format == "markdown":
            sys.stdout.write(rules_markdown())
        else:
            console.print(rules_table())
        return
    try:
        console.print(explain_rule(code))
    except KeyError as error:
        raise UsageError(error.args[0]) from None


def rules_table() -> Table:
    table = Table(title="okrsprint rules", title_justify="left", show_lines=False, expand=False)
    table.add_column("code", no_wrap=True)
    table.add_column("name", no_wrap=True)
    table.add_column("default", no_wrap=True)
    table.add_column("today", no_wrap=True)
    table.add_column("fires when")
    for rule in all_rules():
        severity = "error (always)" if rule.structural else rule.severity.value
        today = "yes" if rule.time_dependent else ""
        table.add_row(rule.code, rule.name, Text(severity, style=STYLES[rule.severity]), today, rule.summary)
    return table


def rules_markdown() -> str:
    """The rule table of the README, generated so that it cannot drift from the registry."""
    lines = ["| code | name | default | depends on today | fires when |", "|---|---|---|---|---|"]
    for rule in all_rules():
        severity = "error (always on)" if rule.structural else rule.severity.value
        summary = rule.summary.replace("|", "\\|")
        today = "yes" if rule.time_dependent else ""
        lines.append(f"| {rule.code} | {rule.name} | {severity} | {today} | {summary} |")
    return "\n".join(lines) + "\n"


def explain_rule(reference: str) -> Group:
    rule = lookup(reference)
    defaults = Settings()
    parts: list = [
        Text.assemble((f"{rule.code} {rule.name}", "bold"), "  ", (rule.severity.value, STYLES[rule.severity])),
        Text(""),
        Text.assemble(("Fires when ", "bold"), rule.summary, "."),
        Text(""),
        Text(rule.rationale),
    ]
    if rule.compares_versions:
        parts += [
            Text(""),
            Text("Reported by 'okrsprint diff', which compares two versions of the plan; 'check' never reports it."),
        ]
    if rule.structural:
        parts += [Text(""), Text("A structure rule: always on, always an error.")]
    else:
        parts += [
            Text(""),
            Text.assemble(
                ("Configure: ", "bold"),
                f"rules: {{ignore: [{rule.code}]}} switches it off; rules: {{severity: {{{rule.code}: warning}}}} "
                "re-grades it; "
                f"'# okrsprint: ignore[{rule.code}]' on a line silences that line.",
            ),
        ]
    for name in rule.settings:
        parts.append(Text.assemble(("Setting ", "bold"), f"settings.{name} (default {_show(getattr(defaults, name))})"))
    if rule.time_dependent:
        parts.append(Text("Depends on today's date: pass --today YYYY-MM-DD for reproducible results."))
    firing, passing = examples(rule.code)
    for title, case in (("Fires", firing), ("Passes", passing)):
        if case is not None:
            parts += [Text(""), *_example(title, case)]
    return Group(*parts)


def _example(title: str, case: Case) -> list[Text]:
    """A rule case as a reader wants it: what it is, the files, the day, and what is reported."""
    command = "okrsprint diff" if case.compares_versions else "okrsprint check"
    lines = [Text.assemble((f"{title}: ", "bold"), case.name, f"  ({command} --today {case.today})")]
    sides = [("base", case.base), ("head", case.head)] if case.compares_versions else [("", case.files)]
    if case.config:
        sides.insert(0, ("", {"okrsprint.yaml": case.config}))
    for side, files in sides:
        for name, text in (files or {}).items():
            label = f"# {side}: {name}" if side else f"# {name}"
            lines.append(Text(label, style="dim"))
            lines.append(Text(text.rstrip("\n")))
    if case.message:
        lines.append(Text(f"# commit message: {case.message}", style="dim"))
    for code, file, line, column in case.expected:
        lines.append(Text(f"→ {file}:{line}:{column}: {code}", style=STYLES[lookup(code).severity]))
    if not case.expected:
        lines.append(Text("→ no finding", style="green"))
    return lines


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_show(part) for part in value) + "]"
    return str(value)
