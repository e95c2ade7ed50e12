"""Quarters (``YYYY-Qn``) as date ranges, shifted by the config's ``year_start_month``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

QUARTER_PATTERN = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    """A planning quarter: Q1 of year Y starts on day 1 of ``year_start_month`` of Y."""

    year: int
    number: int
    year_start_month: int = 1

    @classmethod
    def parse(cls, text: str, year_start_month: int = 1) -> Quarter:
        match = QUARTER_PATTERN.match(text)
        if not match:
            raise ValueError(f"not a quarter (YYYY-Qn): {text!r}")
        return cls(int(match.group(1)), int(match.group(2)), year_start_month)

    @classmethod
    def containing(cls, day: date, year_start_month: int = 1) -> Quarter:
        months_since_start = (day.year * 12 + day.month - 1) - (year_start_month - 1)
        year, month_index = divmod(months_since_start, 12)
        return cls(year, month_index // 3 + 1, year_start_month)

    @property
    def start(self) -> date:
        return _add_months(date(self.year, self.year_start_month, 1), 3 * (self.number - 1))

    @property
    def end(self) -> date:
        return _add_months(self.start, 3) - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


def _add_months(day: date, months: int) -> date:
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month_index + 1, day.day)
