"""Study days: a local calendar date that starts at a configurable hour, not at midnight."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

DEFAULT_DAY_START_HOUR = 4


def study_day(moment: datetime, day_start_hour: int = DEFAULT_DAY_START_HOUR) -> date:
    """The study day that `moment` (an aware datetime, in the user's local zone) belongs to.

    A review at 01:00 with the day starting at 04:00 counts for the day before.
    """
    if moment.tzinfo is None:
        raise ValueError("study_day needs an aware datetime (with a time zone)")
    if not 0 <= day_start_hour <= 23:
        raise ValueError(f"day_start_hour must be 0-23, got {day_start_hour}")
    # Wall-clock arithmetic on the local time: a DST change never moves the boundary.
    return (moment.replace(tzinfo=None) - timedelta(hours=day_start_hour)).date()


def add_days(day: date, days: int) -> date:
    """Intervals add calendar days, so a due date never depends on DST or the hour of review."""
    return day + timedelta(days=days)


def streak(study_days: Iterable[date], today: date) -> int:
    """Consecutive study days with answers, ending today (or yesterday: today is not over yet)."""
    days = set(study_days)
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count
