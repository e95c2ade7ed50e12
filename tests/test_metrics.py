"""SPEC §1: the current value of a key result, and progress, including decreasing metrics."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from okrsprint.metrics import current_value, progress_on, value_on
from okrsprint.model import KeyResult
from okrsprint.numbers import format_number

TODAY = date(2026, 11, 23)


def kr(**fields) -> KeyResult:
    return KeyResult.model_validate({"id": "KR1", "title": "Conversion", "baseline": 12.0, "target": 20.0, **fields})


def test_current_value_is_the_latest_checkin_by_date_not_by_position():
    checkins = [{"date": date(2026, 10, 20), "value": 15.0}, {"date": date(2026, 10, 6), "value": 13.0}]
    assert current_value(kr(current=14.0, checkins=checkins), TODAY) == 15.0


def test_on_a_date_tie_the_later_checkin_in_the_file_wins():
    checkins = [{"date": date(2026, 10, 20), "value": 15.0}, {"date": date(2026, 10, 20), "value": 16.0}]
    assert current_value(kr(checkins=checkins), TODAY) == 16.0
    assert value_on(kr(checkins=checkins), date(2026, 10, 20)) == 16.0


def test_without_checkins_current_then_baseline():
    assert current_value(kr(current=14.0), TODAY) == 14.0
    assert current_value(kr(), TODAY) == 12.0


def test_progress_is_raw_and_works_for_decreasing_metrics():
    assert progress_on(kr(current=16.0), TODAY) == Fraction(1, 2)
    assert progress_on(kr(current=24.0), TODAY) == Fraction(3, 2)  # kept raw, not clipped
    latency = kr(baseline=1800.0, target=900.0, current=1350.0)
    assert progress_on(latency, TODAY) == Fraction(1, 2)
    assert progress_on(kr(target=12.0), TODAY) is None  # not measurable


def test_value_on_a_day_ignores_later_checkins():
    checkins = [{"date": date(2026, 10, 6), "value": 13.0}, {"date": date(2026, 10, 20), "value": 15.0}]
    assert value_on(kr(current=14.0, checkins=checkins), date(2026, 10, 19)) == 13.0
    assert value_on(kr(current=14.0, checkins=checkins), date(2026, 10, 1)) == 14.0


def test_a_checkin_dated_after_today_is_not_a_measurement_yet():
    checkins = [{"date": date(2026, 10, 6), "value": 13.0}, {"date": date(2026, 11, 24), "value": 19.0}]
    assert current_value(kr(current=14.0, checkins=checkins), TODAY) == 13.0
    assert current_value(kr(current=14.0, checkins=checkins), date(2026, 11, 24)) == 19.0
    assert progress_on(kr(checkins=checkins[1:]), TODAY) == 0  # only the future one: baseline


@pytest.mark.parametrize(
    ("value", "shown"),
    [(12.0, "12"), (0.5, "0.5"), (1_500_000, "1500000"), (-2_000_000.0, "-2000000"), (99.96, "99.96"), (None, "–")],
)
def test_numbers_are_shown_as_people_write_them_whatever_their_size(value, shown):
    assert format_number(value) == shown
