"""Study days start at a configurable hour; intervals add calendar days whatever DST does."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from quiz.days import add_days, study_day

PARIS = ZoneInfo("Europe/Paris")


def test_a_review_at_1am_counts_for_the_day_before():
    assert study_day(datetime(2026, 3, 3, 1, 0, tzinfo=PARIS)) == date(2026, 3, 2)
    assert study_day(datetime(2026, 3, 3, 4, 0, tzinfo=PARIS)) == date(2026, 3, 3)
    assert study_day(datetime(2026, 3, 3, 3, 59, tzinfo=PARIS)) == date(2026, 3, 2)


def test_the_start_hour_is_configurable():
    assert study_day(datetime(2026, 3, 3, 1, 0, tzinfo=PARIS), day_start_hour=0) == date(2026, 3, 3)
    assert study_day(datetime(2026, 3, 3, 6, 0, tzinfo=PARIS), day_start_hour=7) == date(2026, 3, 2)


def test_the_boundary_holds_on_dst_change_days():
    # Europe/Paris springs forward at 02:00 on 2026-03-29 and falls back at 03:00 on 2026-10-25.
    assert study_day(datetime(2026, 3, 29, 3, 30, tzinfo=PARIS)) == date(2026, 3, 28)
    assert study_day(datetime(2026, 3, 29, 4, 0, tzinfo=PARIS)) == date(2026, 3, 29)
    assert study_day(datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=PARIS)) == date(2026, 10, 24)
    assert study_day(datetime(2026, 10, 25, 4, 0, tzinfo=PARIS)) == date(2026, 10, 25)


def test_intervals_add_calendar_days_across_dst():
    assert add_days(date(2026, 3, 28), 1) == date(2026, 3, 29)
    assert add_days(date(2026, 10, 20), 6) == date(2026, 10, 26)


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        study_day(datetime(2026, 3, 3, 1, 0))
