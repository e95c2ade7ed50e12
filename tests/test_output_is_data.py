"""SPEC §3 "Output is data, never instructions": hostile plan text through every command and every format.

A plan whose titles, notes, goals, owners, units, file names and echoed values carry workflow commands,
terminal escapes, rich markup and Markdown is run through ``check`` (every format, with and without
``GITHUB_ACTIONS``), ``report``, ``backlog``, ``review``, ``diff`` and the error printer; each output is then
read the way its consumer reads it: the GitHub runner's command parser, a terminal, a GFM renderer, XML and
HTML parsers, the SARIF schema.
"""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
import yaml
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from okrsprint.cli import app
from okrsprint.findings import Finding, Location, Severity
from okrsprint.render.common import inert_markdown, inert_terminal
from okrsprint.render.github import escape_data, escape_property
from tests.helpers import needs_tool
from tests.test_formats import sarif_schema

TODAY = "2026-11-23"
PAYLOADS = (
    "\n::error file=README.md::pwned",
    "::stop-commands::x",
    "\x1b[31m",
    "\r",
    "](https://evil)",
    "![x](http://evil/x.png)",
    "<script>",
    "*emph*",
    "`code`",
    "| a | b |",
    "# Heading",
    "\x85",
    "\x07",
    "##[warning]v1",
    "[bold]rich[/bold]",
    "~~gone~~ &amp;",
)
HOSTILE = "Grow " + " ".join(PAYLOADS)
"""A title that tries every trick at once."""
MARKERS = ("pwned", "stop-commands", "evil", "script", "emph", "code", "Heading", "v1", "rich", "gone")
"""Words of the payloads: none may end up in a link, image, emphasis, code span, heading or command of its own."""
HOSTILE_FILE = "::error file=README.md::pwned ##[warning]v1 |a| [l](evil) <script> *e* `c`.yaml"
CONTROL_FILE = "x\n::error file=README.md::pwned\x1b[31m\x85.yaml"
EVIL_DOCUMENTS = [
    {"kind": "okrs", "team": "evil", "quarter": "2026-Q4",
     "objectives": [{"id": "\n::error file=README.md::pwned", "title": "t"}]},
    {"kind": "okrs", "team": "evil", "quarter": "2026-Q4",
     "objectives": [{"id": "O1", "title": "t", "type": "\r\x85\x07\x1b[31m<script> | a | b | ##[warning]v1"}]},
    {"kind": "okrs", "team": "evil", "quarter": "2026-Q4",
     "objectives": [{"id": "O1", "title": "t", "*emph* ](https://evil) `code`": 1}]},
]  # fmt: skip
DUPLICATE_KEY = 'kind: okrs\nteam: evil\nquarter: 2026-Q4\nobjectives: []\n"::stop-commands::x": 1\n' * 2
"""An S003 that echoes the key (and two of everything else)."""


def hostile_plan(text: str = HOSTILE) -> dict[str, object]:
    """Team web's valid 2026-Q4 with ``text`` everywhere free text goes."""
    header = {"team": "web", "quarter": "2026-Q4"}
    return {
        "okrs.yaml": {
            "kind": "okrs", **header,
            "objectives": [
                {"id": "O1", "title": text, "owner": "::stop-commands::x", "key_results": [
                    {"id": "KR1", "title": text, "unit": "`ms` | <b>", "baseline": 1800, "target": 900,
                     "checkins": [{"date": date(2026, 10, 9), "value": 1700, "note": text},
                                  {"date": date(2026, 11, 20), "value": 1500, "note": text}]},
                ]},
            ],
        },
        "backlog.yaml": {
            "kind": "backlog", **header,
            "items": [
                {"id": "A-1", "title": text, "krs": ["KR1"], "estimate": 3, "status": "done"},
                {"id": "A-2", "title": text, "krs": ["KR1"], "estimate": 5},
                {"id": "A-3", "title": text, "krs": [], "estimate": 2},
            ],
        },
        "sprints.yaml": {
            "kind": "sprints", **header,
            "sprints": [
                {"id": "S1", "start": date(2026, 10, 5), "end": date(2026, 10, 16), "goal": text,
                 "krs": ["KR1"], "capacity": 10, "items": ["A-1"]},
                {"id": "S2", "start": date(2026, 11, 16), "end": date(2026, 11, 27), "goal": text,
                 "krs": [], "not_okr_reason": text, "capacity": 10, "items": ["A-2", "A-3"]},
            ],
        },
    }  # fmt: skip


def write_plan(folder: Path, plan: dict[str, object]) -> None:
    for name, document in plan.items():
        (folder / name).write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=False), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    write_plan(root, hostile_plan())
    broken = yaml.safe_dump_all(EVIL_DOCUMENTS, sort_keys=False, allow_unicode=False) + "---\n" + DUPLICATE_KEY
    (root / HOSTILE_FILE).write_text(broken, encoding="utf-8")
    (root / CONTROL_FILE).write_text(yaml.safe_dump(EVIL_DOCUMENTS[1], sort_keys=False), encoding="utf-8")
    return root


def okrsprint(*args: str, github_actions: bool = False, code: int | tuple[int, ...] = (0, 1)):
    """The command line in-process, as CI runs it: no terminal, no colour."""
    env = {"NO_COLOR": "1", "COLUMNS": "80", "GITHUB_ACTIONS": "true" if github_actions else "false"}
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code in ((code,) if isinstance(code, int) else code), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def check(root: Path, *args: str, **options):
    return okrsprint("check", str(root), "--today", TODAY, *args, **options)


# -- the consumers' rules ----------------------------------------------------------------------------------

LINE_BREAKS = re.compile(r"\r\n|\r|\n")  # .NET TextReader.ReadLine, how the runner reads a step's output
REGISTERED = {
    "error", "warning", "notice", "debug", "group", "endgroup", "add-mask", "echo", "stop-commands",
    "set-output", "save-state", "add-matcher", "remove-matcher", "set-env", "add-path",
}  # fmt: skip
OUR_COMMANDS = {"error", "warning", "notice"}
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
OTHER_CONTROL = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters an annotation message shows escaped; CR and LF travel as the runner's %0D and %0A."""


def _escaped(char: re.Match) -> str:
    return "\\t" if char[0] == "\t" else f"\\x{ord(char[0]):02x}"


def _unescape(text: str, mappings: tuple[tuple[str, str], ...]) -> str:
    for escaped, raw in mappings:
        text = text.replace(escaped, raw)
    return text


DATA = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))
PROPERTY = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))


def parse_v2(line: str) -> tuple[str, dict[str, str], str] | None:
    """actions/runner ``ActionCommand.TryParseV2``: ``::name k=v,k=v::data`` after leading white space."""
    message = line.lstrip()
    if not message.startswith("::"):
        return None
    end = message.find("::", 2)
    if end < 0:
        return None
    name, _, properties = message[2:end].partition(" ")
    if name.lower() not in REGISTERED:
        return None
    parsed = {}
    for part in filter(None, properties.strip().split(",")):
        key, _, value = part.partition("=")
        if key and value:
            parsed[key] = _unescape(value, PROPERTY)
    return name, parsed, _unescape(message[end + 2 :], DATA)


def parse_v1(line: str) -> tuple[str, dict[str, str], str] | None:
    """``ActionCommand.TryParse``, the older syntax: ``##[name k=v;k=v]data`` anywhere in the line."""
    start = line.find("##[")
    end = line.find("]", start) if start >= 0 else -1
    if end < 0:
        return None
    name = line[start + 3 : end].split(" ")[0]
    return (name, {}, line[end + 1 :]) if name.lower() in REGISTERED else None


def workflow_commands(output: str) -> list[tuple[str, dict[str, str], str]]:
    """What the runner executes of a step's output, line by line."""
    return [command for line in LINE_BREAKS.split(output) if (command := parse_v2(line) or parse_v1(line))]


def assert_inert_terminal(output: str) -> None:
    """Nothing a terminal or the runner would act on: no control character but newline, no workflow command."""
    assert not CONTROL.findall(output), sorted(set(CONTROL.findall(output)))
    assert workflow_commands(output) == []
    assert all(not line.lstrip().startswith("::") and "##[" not in line for line in output.split("\n"))


def assert_only_our_annotations(output: str, findings: list[dict]) -> None:
    """One annotation a finding, each with exactly okrsprint's properties and the finding's message."""
    commands = workflow_commands(output)
    assert [(name, properties) for name, properties, _ in commands] == [
        (
            {"error": "error", "warning": "warning", "info": "notice"}[finding["severity"]],
            {
                "file": OTHER_CONTROL.sub(_escaped, finding["file"]),
                "line": str(finding["line"]),
                "col": str(finding["column"]),
                "title": finding["code"],
            },
        )
        for finding in findings
    ]
    assert [message for *_, message in commands] == [OTHER_CONTROL.sub(_escaped, f["message"]) for f in findings]
    assert not CONTROL.findall(output.replace("\n", ""))


def findings_of(root: Path) -> list[dict]:
    return json.loads(check(root, "--format", "json").stdout)["findings"]


# -- terminal text -----------------------------------------------------------------------------------------


def test_the_hostile_plan_reaches_every_renderer(hostile):
    """The payloads really are in the findings: S002 and S003 echo them, and the file names carry them."""
    findings = findings_of(hostile)
    files = {finding["file"] for finding in findings}
    assert {HOSTILE_FILE, CONTROL_FILE} <= files
    messages = " ".join(finding["message"] for finding in findings)
    for payload in ("\n::error file=README.md::pwned", "::stop-commands::x", "\x1b[31m", "\r", "\x85", "##[warning]v1"):
        assert payload in messages
    assert {finding["code"] for finding in findings} >= {"S002", "S003"}


def test_check_text_is_inert(hostile):
    output = check(hostile).stdout
    assert_inert_terminal(output)
    assert "\\n:\\x3aerror file=README.md:\\x3apwned" in output
    assert "\\x1b[31m" in output and "\\r" in output and "\\x85" in output and "\\x07" in output


def test_check_text_beside_annotations_under_github_actions(hostile):
    """The text report and the annotations: the runner sees only okrsprint's annotations, one a finding."""
    findings = findings_of(hostile)
    output = check(hostile, github_actions=True).stdout
    text, annotations = output[: output.index("\n::")], output[output.index("\n::") + 1 :]
    assert_inert_terminal(text)
    assert_only_our_annotations(annotations, findings)
    assert_only_our_annotations(output, findings)  # the text part adds no command


def test_github_format_is_one_annotation_a_finding(hostile):
    assert_only_our_annotations(check(hostile, "--format", "github").stdout, findings_of(hostile))


@pytest.mark.parametrize(
    "args",
    [
        ("report",),
        ("backlog", "--team", "web", "--quarter", "2026-Q4"),
        ("review", "--team", "web", "--sprint", "S1"),
        ("retro",),
    ],
    ids=["report", "backlog", "review", "retro"],
)
@pytest.mark.parametrize("github_actions", [False, True], ids=["terminal", "github-actions"])
def test_report_views_as_text_are_inert_and_never_markup(hostile, args, github_actions):
    output = okrsprint(*args, str(hostile), "--today", TODAY, github_actions=github_actions).stdout
    assert_inert_terminal(output)
    assert "[bold]rich[/bold]" in output  # shown as written: rich did not read it as markup
    assert "\\x1b[31m" in output


def test_error_lines_are_inert(tmp_path):
    """``okrsprint: error: …`` echoes the config's value: escaped like every other terminal line."""
    write_plan(tmp_path, hostile_plan())
    config = 'rules:\n  ignore: ["A1\\e\\n::error file=README.md::pwned"]\n'
    (tmp_path / "okrsprint.yaml").write_text(config, encoding="utf-8")
    result = okrsprint("check", str(tmp_path), "--today", TODAY, code=2)
    assert result.stderr == (
        "okrsprint: error: okrsprint.yaml:2:12: unknown rule 'A1\\x1b\\n:\\x3aerror file=README.md:\\x3apwned': "
        "see 'okrsprint rules'\n"
    )
    assert_inert_terminal(result.stderr)


def test_error_lines_echoing_arguments_are_inert():
    result = okrsprint("rules", "A1\n::error file=README.md::pwned\x1b[31m", code=2)
    echoed = "A1\\n:\\x3aerror file=README.md:\\x3apwned\\x1b[31m"
    assert result.stderr == f"okrsprint: error: unknown rule '{echoed}': see 'okrsprint rules'\n"


def test_checkin_names_a_hostile_file_inertly(tmp_path):
    plan = hostile_plan()
    (tmp_path / "okrs ##[warning]v1 ::error::x.yaml").write_text(yaml.safe_dump(plan["okrs.yaml"]), encoding="utf-8")
    output = okrsprint("checkin", "KR1", "--value", "1400", "--date", TODAY, str(tmp_path), "--today", TODAY).stdout
    assert output.endswith("(okrs ##\\x5bwarning]v1 :\\x3aerror:\\x3ax.yaml:17)\n")
    assert_inert_terminal(output)


# -- machine formats ---------------------------------------------------------------------------------------


def test_json_keeps_the_data_exactly(hostile):
    findings = findings_of(hostile)
    assert any("'\n::error file=README.md::pwned'" in finding["message"] for finding in findings)
    report = json.loads(okrsprint("report", str(hostile), "--today", TODAY, "--format", "json").stdout)
    objective = report["team_quarters"][0]["objectives"][0]
    assert objective["title"] == HOSTILE and objective["key_results"][0]["checkins"][0]["note"] == HOSTILE


def test_sarif_is_valid_and_keeps_the_messages(hostile):
    log = json.loads(check(hostile, "--format", "sarif").stdout)
    validator = jsonschema.Draft7Validator(sarif_schema())
    assert [error.message for error in validator.iter_errors(log)] == []
    messages = [result["message"]["text"] for result in log["runs"][0]["results"]]
    assert messages == [finding["message"] for finding in findings_of(hostile)]


def test_junit_parses_and_shows_findings_as_inert_text(hostile):
    output = check(hostile, "--format", "junit").stdout
    suites = ET.fromstring(output)
    failures = "\n".join(element.text or "" for element in suites.iter("failure"))
    assert "\\n:\\x3aerror file=README.md:\\x3apwned" in failures
    assert_inert_terminal(output)


# -- Markdown ----------------------------------------------------------------------------------------------

GFM = MarkdownIt("gfm-like")
OUR_HTML = re.compile(r"(?:\s*(?:<details>|</details>|<summary>[^<>]*</summary>))+\s*")
OUR_HEADINGS = (
    "okrsprint", "OKR report", "web ", "O1 ", "Sprints", "Traceability", "Sprint review", "Output", "Outcome",
    "Flagged", "not in a team-quarter",
    "2026-Q4 retrospective", "Scores by team", "Rhythm", "For the retrospective",
)  # fmt: skip


class Elements(HTMLParser):
    """Every element of a rendered page with its attributes and the text inside it."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict, list[str]]] = []
        self.open: list[list[str]] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        text: list[str] = []
        self.elements.append((tag, dict(attrs), text))
        if tag not in ("img", "br", "hr", "input", "meta", "link"):
            self.open.append(text)

    def handle_endtag(self, tag):
        if self.open:
            self.open.pop()

    def handle_data(self, data):
        for text in self.open:
            text.append(data)

    def texts(self, *tags: str) -> list[str]:
        return ["".join(text) for tag, _, text in self.elements if tag in tags]


def table_cells(line: str) -> int:
    """Cells of a GFM table row as markdown-it splits it (an escaped pipe stays in its cell)."""
    borders, escaped = 0, False
    for char in line.strip().strip("|"):
        if char == "|" and not escaped:
            borders += 1
        escaped = char == "\\" and not escaped
    return borders + 1


def assert_inert_markdown(markdown: str) -> Elements:
    assert not CONTROL.findall(markdown)
    assert workflow_commands(markdown) == []
    tokens = GFM.parse(markdown)
    inline = [child for token in tokens for child in (token.children or [])]
    raw_html = [token.content for token in (*tokens, *inline) if token.type in ("html_block", "html_inline")]
    assert all(OUR_HTML.fullmatch(html) for html in raw_html), raw_html
    assert not [token for token in inline if token.type == "image"]
    page = Elements(GFM.render(markdown))
    tags = {tag for tag, _, _ in page.elements}
    assert not tags & {"img", "script", "em", "b", "i", "del", "s", "h5", "h6"}, tags
    for tag, attributes, text in page.elements:
        if tag == "a":  # a bare URL autolinked shows its own address
            shown = "".join(text)
            assert unquote(attributes["href"]) in (shown, f"http://{shown}", f"mailto:{shown}"), (attributes, text)
    for text in page.texts("strong", "code"):
        assert not any(marker in text for marker in MARKERS), text
    for heading in page.texts("h1", "h2", "h3", "h4"):
        assert heading.startswith(OUR_HEADINGS), heading
    for table in re.findall(r"(?m)(?:^\|.*\n?)+", markdown):
        rows = table.splitlines()
        assert [table_cells(row) for row in rows] == [table_cells(rows[0])] * len(rows), table
    return page


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--format", "markdown"),
        ("report", "--format", "markdown"),
        ("review", "--team", "web", "--sprint", "S1", "--format", "markdown"),
        ("retro", "--format", "markdown"),
    ],
    ids=["check", "report", "review", "retro"],
)
def test_markdown_outputs_render_user_text_as_text(hostile, args):
    command, *options = args
    markdown = okrsprint(command, str(hostile), "--today", TODAY, *options).stdout
    page = assert_inert_markdown(markdown)
    shown = " ".join(page.texts("td", "p", "h3", "blockquote"))
    assert "<script>" in shown and "| a | b |" in shown and "*emph*" in shown and "`code`" in shown
    assert "](https://evil)" in shown


def test_the_markdown_checker_is_not_vacuous():
    """A raw title in a table breaks the row, links, emphasises and embeds an image: each rule above catches it."""
    raw = f"| a | b |\n|---|---|\n| x | {HOSTILE.replace(chr(10), ' ')} |\n"
    with pytest.raises(AssertionError):
        assert_inert_markdown(raw.replace("\r", "").replace("\x1b", "").replace("\x85", "").replace("\x07", ""))
    for snippet in ("[t](https://evil)", "![x](http://evil/x.png)", "*emph*", "`code`", "<script>", "# Heading"):
        with pytest.raises(AssertionError):
            assert_inert_markdown(f"{snippet}\n")


# -- HTML --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["report", "retro"])
def test_html_report_escapes_user_text_and_loads_nothing(hostile, tmp_path, command):
    target = tmp_path / "report.html"
    okrsprint(command, str(hostile), "--today", TODAY, "--format", "html", "-o", str(target))
    page = Elements(target.read_text(encoding="utf-8"))
    assert "script" not in {tag for tag, _, _ in page.elements}
    assert any("<script>" in "".join(text) for _, _, text in page.elements)
    for tag, attributes, _ in page.elements:
        for name in ("src", "href"):
            assert not (attributes.get(name) or "").startswith(("http:", "https:", "//")), (tag, attributes)


# -- diff --------------------------------------------------------------------------------------------------


@pytest.fixture
def changed_repo(tmp_path, monkeypatch) -> Path:
    """A git repo whose working tree renames everything to hostile text and drops an objective."""
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "okrsprint test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@okrsprint.invalid")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    tame = hostile_plan("Grow")
    tame["okrs.yaml"]["objectives"].append(
        {"id": "O2", "title": HOSTILE, "owner": "bob",
         "key_results": [{"id": "KR2", "title": "Net promoter score", "baseline": 30, "target": 40}]}
    )  # fmt: skip
    write_plan(tmp_path, tame)
    git = ["git", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "Plan"], cwd=tmp_path, check=True)
    write_plan(tmp_path, hostile_plan())
    return tmp_path


@needs_tool("git", "okrsprint diff needs the git command")
@pytest.mark.parametrize("output_format", ["text", "json", "markdown"])
def test_diff_outputs_are_inert(changed_repo, output_format):
    output = okrsprint("diff", "HEAD", str(changed_repo), "--today", TODAY, "--format", output_format).stdout
    if output_format == "json":
        changes = json.loads(output)["changes"]
        assert any("\n::error file=README.md::pwned" in change["text"] for change in changes)
        return
    if output_format == "markdown":
        page = assert_inert_markdown(output)
        assert "](https://evil)" in " ".join(page.texts("li", "td"))
    else:
        assert_inert_terminal(output)
        assert "\\x1b[31m" in output
    assert "pwned" in output


# -- the escapers themselves -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain title: ok", "plain title: ok"),
        ("a\nb\rc\td", "a\\nb\\rc\\td"),
        ("\x1b[31mred\x07", "\\x1b[31mred\\x07"),
        ("\x00\x7f\x80\x85\x9f\xa0é", "\\x00\\x7f\\x80\\x85\\x9f\xa0é"),
        ("::error file=a::b", ":\\x3aerror file=a:\\x3ab"),
        ("  ::warning::x", "  :\\x3awarning:\\x3ax"),
        (":::", ":\\x3a:"),
        ("x ##[error]y ###[z", "x ##\\x5berror]y ###\\x5bz"),
        ("team:KR1 :rocket: # heading", "team:KR1 :rocket: # heading"),
        (":\u200b:error::x", ":\\u200b:error:\\x3ax"),
        ("\u202eevil", "\\u202eevil"),
    ],
)
def test_inert_terminal(text, shown):
    assert inert_terminal(text) == shown


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Plain words, 20% and 1.5", "Plain words, 20% and 1.5"),
        ("[t](https://evil)", "\\[t\\]\\(https://evil\\)"),
        ("![x](y) *e* _u_ `c`", "\\!\\[x\\]\\(y\\) \\*e\\* \\_u\\_ \\`c\\`"),
        ("<script> a|b # h", "\\<script\\> a\\|b \\# h"),
        ("\\ ~~s~~ &amp;", "\\\\ \\~\\~s\\~\\~ \\&amp;"),
        ("one\ntwo\r\nthree\rfour", "one two three four"),
        ("\x1b[31m\x07\x85", "\\\\x1b\\[31m\\\\x07\\\\x85"),
    ],
)
def test_inert_markdown(text, shown):
    assert inert_markdown(text) == shown


def test_github_escaping_keeps_data_on_its_line_and_properties_in_their_place():
    assert escape_data("50% a\r\nb ::x \x1b\x85") == "50%25 a%0D%0Ab ::x \\x1b\\x85"
    assert escape_property("a,b:c%\n\x07") == "a%2Cb%3Ac%25%0A\\x07"
    finding = Finding("S002", "schema", Severity.ERROR, "x\n::stop-commands::y", Location("::warning::f,g.yaml", 1, 2))
    from okrsprint.engine import CheckResult
    from okrsprint.render import plain_text, render

    output = plain_text(render("check", "github", CheckResult(Path.cwd(), [finding], 1, 1)))
    assert output.count("\n") == 1
    assert workflow_commands(output) == [
        ("error", {"file": "::warning::f,g.yaml", "line": "1", "col": "2", "title": "S002"}, finding.message)
    ]
