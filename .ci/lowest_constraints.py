"""Print a pip constraints file pinning every direct dependency (runtime and test extra) to its lower bound.

`.ci/run` installs the project against it, so a lower bound in pyproject.toml that no longer works
turns CI red instead of surprising a user who already has that old release.
"""

import re
import sys
import tomllib
from pathlib import Path

project = tomllib.loads(Path(sys.argv[1] if len(sys.argv) > 1 else "pyproject.toml").read_text())["project"]
requirements = list(project["dependencies"])
for extra in project.get("optional-dependencies", {}).values():
    requirements += extra
for requirement in requirements:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(?:[^;]*?)>=\s*([0-9][^,;\s]*)", requirement)
    if match is None:
        sys.exit(f"no lower bound in {requirement!r}: every dependency needs one")
    print(f"{match.group(1)}=={match.group(2)}")
