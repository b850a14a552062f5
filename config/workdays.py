"""Vietnamese working days, the one calendar of every date rule (reminders, publicity): weekends
and public holidays (Tết by the lunar calendar, the 30/4–1/5 and 2/9 holidays) from the `holidays`
package, with the government's swapped days — a Saturday worked in exchange for a weekday off,
e.g. Saturday 26/04/2025 worked for Friday 02/05/2025 — counted as they were worked."""

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


def next_working_day(day: datetime.date) -> datetime.date:
    """The day itself when it is a working day, else the first working day after it."""
    return _calendar().get_nth_working_day(day, 0)


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The `count`-th working day after `start` (start itself is not counted)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    return _calendar().get_nth_working_day(start, count)
