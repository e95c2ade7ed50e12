"""The README's rule table comes from the registry; long checks report progress."""

from __future__ import annotations

import re

from okrsprint.commands.rules import rules_markdown
from okrsprint.progress import LazyProgress
from okrsprint.rules.registry import all_rules
from tests.helpers import EXAMPLES, ROOT, check


def test_readme_rule_table_is_generated_from_the_registry():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = re.search(r"<!-- rules-table:start -->\n(.*)<!-- rules-table:end -->", readme, re.S).group(1)
    assert table == rules_markdown(), "regenerate with: okrsprint rules --format markdown"


def test_rule_table_lists_every_rule_once_structure_first():
    rows = [line.split(" | ")[0].strip("| ") for line in rules_markdown().splitlines()[2:]]
    assert rows == [rule.code for rule in all_rules()]
    assert rows[:6] == ["S001", "S002", "S003", "S004", "S005", "S006"]
    assert len(set(rows)) == len(rows)


def test_check_reports_progress_per_file_and_per_rule():
    steps: list[tuple[str, int, int]] = []
    result = check(EXAMPLES / "multi-team", progress=lambda stage, done, total: steps.append((stage, done, total)))
    loading = [step for step in steps if step[0] == "loading files"]
    running = [step for step in steps if step[0] == "running rules"]
    assert loading[-1] == ("loading files", result.files, result.files)
    assert [done for _, done, _ in loading] == list(range(1, result.files + 1))
    rules_with_checks = [rule for rule in all_rules() if rule.check is not None and not rule.compares_versions]
    assert running[-1] == ("running rules", len(rules_with_checks), len(rules_with_checks))


def test_progress_bar_stays_off_when_stderr_is_not_a_terminal(capsys):
    progress = LazyProgress(delay=0)
    progress("loading files", 1, 2)
    progress.close()
    assert progress.enabled is False
    assert capsys.readouterr().err == ""
