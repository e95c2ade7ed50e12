"""Rule families; importing this package registers every rule."""

from okrsprint.rules import capacity, changes, objectives, ownership, progress, sprints, structure  # noqa: F401
