"""The pipeline is the architecture: the package's import graph has no cycle and nothing imports a later layer.

Built with ``ast`` over ``src/okrsprint``, so it sees every import, also those inside functions.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "okrsprint"

# Pipeline order: a module may import only modules of its own layer or earlier ones.
LAYERS = [
    {"okrsprint", "okrsprint.errors", "okrsprint.numbers", "okrsprint.quarters", "okrsprint.findings"},
    {"okrsprint.locations", "okrsprint.files", "okrsprint.progress"},
    {"okrsprint.discovery", "okrsprint.loader", "okrsprint.yamledit", "okrsprint.cache"},
    {"okrsprint.model", "okrsprint.validation", "okrsprint.config"},
    {"okrsprint.plan"},
    {"okrsprint.metrics"},
    {"okrsprint.importers"},  # and every okrsprint.importers.* module
    {"okrsprint.diff", "okrsprint.diff.git", "okrsprint.diff.compare"},
    {"okrsprint.rules"},  # and every okrsprint.rules.* module
    {"okrsprint.engine"},
    {"okrsprint.views"},
    {"okrsprint.render"},
    {"okrsprint.commands"},
    {"okrsprint.cli", "okrsprint.fast_path", "okrsprint.__main__"},
]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """The okrsprint modules ``path`` imports (``from okrsprint.x import y`` counts y when it is a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("okrsprint")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("okrsprint"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in MODULES else node.module)
    return found


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}
GRAPH = {name: imports_of(path) - {name} for name, path in MODULES.items()}


def layer_of(name: str) -> int:
    for index, layer in enumerate(LAYERS):
        if any(name == member or name.startswith(member + ".") for member in layer if member != "okrsprint"):
            return index
        if name == "okrsprint" and "okrsprint" in layer:
            return index
    raise AssertionError(f"{name} is in no layer: add it to LAYERS")


def test_every_module_has_a_layer():
    for name in MODULES:
        layer_of(name)


def test_no_module_imports_a_later_layer():
    upward = [
        f"{name} → {target}"
        for name, targets in GRAPH.items()
        for target in targets
        if target in MODULES and layer_of(target) > layer_of(name)
    ]
    assert upward == []


def test_the_import_graph_has_no_cycle():
    visiting: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        if name in done:
            return
        assert name not in visiting, "import cycle: " + " → ".join([*visiting[visiting.index(name) :], name])
        visiting.append(name)
        for target in sorted(GRAPH.get(name, ())):
            if target in MODULES:
                visit(target)
        visiting.pop()
        done.add(name)

    for name in sorted(MODULES):
        visit(name)


def test_importing_the_config_imports_no_rule():
    code = "import sys, okrsprint.config; print(sorted(m for m in sys.modules if m.startswith('okrsprint.rules')))"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert shown.strip() == "[]"
