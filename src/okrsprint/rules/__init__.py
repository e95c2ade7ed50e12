"""The rule families, registered in the order the spec lists them; each rule is declared once in its family."""

from okrsprint.rules import capacity, changes, objectives, ownership, progress, sprints, structure

FAMILIES = (structure, objectives, sprints, capacity, progress, ownership, changes)
