"""Vietnamese working days: weekends and public holidays (Tết by the lunar calendar, the
30/4–1/5 and 2/9 holidays and the government's swapped days) from the `holidays` package."""

from __future__ import annotations

import datetime
from functools import cache

import holidays


@cache
def _calendar() -> holidays.HolidayBase:
    # Years are filled in on first use, so one calendar serves every date.
    return holidays.country_holidays("VN")


def is_working_day(day: datetime.date) -> bool:
    return _calendar().is_working_day(day)


def previous_working_day(day: datetime.date) -> datetime.date:
    """The day itself when it is a working day, else the last working day before it."""
    return day if is_working_day(day) else _calendar().get_nth_working_day(day, -1)


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The `count`-th working day after `start` (start itself is not counted)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    return _calendar().get_nth_working_day(start, count)


def holiday_name(day: datetime.date) -> str | None:
    return _calendar().get(day)
