"""Small formatting helpers the text, markdown and HTML renderers share: percentages, bars, sparklines, dates."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from okrsprint.metrics import format_number

SPARK = "▁▂▃▄▅▆▇█"
EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(share: Fraction | None, width: int = 10) -> str:
    """A progress bar in eighths of a character, clipped to 0..1."""
    if share is None:
        return "·" * width
    eighths = round(min(max(float(share), 0.0), 1.0) * width * 8)
    full, part = divmod(eighths, 8)
    partial = EIGHTHS[part].strip()
    return "█" * full + partial + "░" * (width - full - len(partial))


def sparkline(values: list[float]) -> str:
    """Check-in values as block heights scaled between their lowest and highest; flat when they are all equal."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return SPARK[3] * len(values)
    return "".join(SPARK[round((value - low) / (high - low) * (len(SPARK) - 1))] for value in values)


def value_path(baseline: float | None, current: float | None, target: float | None, unit: str | None) -> str:
    """``12 → 15.6 → 20 %``: where the key result started, stands and should end."""
    text = " → ".join(format_number(value) for value in (baseline, current, target))
    return f"{text} {unit}" if unit else text


def date_range(start: date, end: date) -> str:
    """``Oct 5–16`` within a month, ``Oct 26–Nov 6`` across months."""
    first = f"{start:%b} {start.day}"
    last = f"{end.day}" if (start.year, start.month) == (end.year, end.month) else f"{end:%b} {end.day}"
    return f"{first}–{last}"
