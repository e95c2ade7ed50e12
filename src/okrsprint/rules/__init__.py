"""Rule families; importing this package registers every rule."""

from okrsprint.rules import capacity, objectives, ownership, progress, sprints, structure  # noqa: F401
