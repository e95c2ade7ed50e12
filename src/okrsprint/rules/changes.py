"""D101–D104: habits that only show in a change of the plan; reported by ``okrsprint diff``, never by ``check``.

They compare two versions of the plan, so they have no check of their own
(``check=None``): ``okrsprint.plandiff`` emits them. The config's
``rules.ignore``/``rules.severity`` and ``# okrsprint: ignore[D101]`` comments
apply to them as to every other rule.
"""

from __future__ import annotations

from okrsprint.registry import declare

declare(
    "D101",
    "moving-the-goalposts",
    "warning",
    "after its quarter started, a key result's target moved toward its baseline or against the metric's direction, "
    "or the distance |target − baseline| shrank",
    """A key result is a promise made at the start of the quarter. Lowering the bar in week 10 turns a miss into
    a success on paper and teaches the team that targets are negotiable after the fact. If the world changed,
    say so in the review, keep the original target, and set a better one next quarter.""",
    time_dependent=True,
)(None)

declare(
    "D102",
    "rewritten-checkin",
    "error",
    "a check-in dated on or before today changed its value or confidence, or was deleted",
    """Check-ins are the history of a key result: the measurement taken that day. Rewriting or deleting them
    makes the trend a fiction and hides when a key result stalled. Correct a wrong measurement with a new
    check-in and a note.""",
    time_dependent=True,
)(None)

declare(
    "D103",
    "sprint-scope-creep",
    "warning",
    "a backlog item was added to a sprint on or after the sprint's start",
    """The sprint backlog is a forecast the team made at sprint planning to reach the sprint goal. Items pushed
    in once the sprint runs crowd out that goal; negotiate them with the team and the Product Owner, or plan
    them for the next sprint.""",
    time_dependent=True,
)(None)

declare(
    "D104",
    "objective-dropped-silently",
    "warning",
    "an objective was removed once its quarter had started and no commit message between BASE and HEAD names its id",
    """Dropping an objective mid-quarter can be the right call, but it is a decision stakeholders must be able
    to find: write why in the commit message (mention the objective's id, e.g. "Drop O2: ..."), not just a
    deleted block of YAML.""",
    time_dependent=True,
)(None)
