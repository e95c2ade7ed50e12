"""Numbers as the user wrote them and as a person reads them: exact decimals, percentages, plurals."""

from __future__ import annotations

from fractions import Fraction


def exact(value: float | int | Fraction) -> Fraction:
    """The decimal the user wrote, exactly: 0.7 stays 7/10, so boundaries compare as written."""
    return value if isinstance(value, Fraction) else Fraction(repr(value))


def format_number(value: float | Fraction | None) -> str:
    """12.0 → 12, 0.5 → 0.5, 1500000 → 1500000 (not 1.5e+06): numbers as a person writes them."""
    if value is None:
        return "–"
    number = float(value)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return f"{number:g}"


def percent(value: Fraction | float | None) -> str:
    """0.635 → 64%."""
    return "–" if value is None else f"{float(value) * 100:.0f}%"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
