"""Calendar arithmetic for reporting periods: which periods a cadence cuts a campaign into,
and on which working day each reminder about a period goes out (working days from
config/workdays.py, the calendar publicity counts with too)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from config.workdays import next_working_day, previous_working_day

MONTHS_PER_PERIOD = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


@dataclass(frozen=True)
class PeriodSpan:
    label: str
    starts_on: datetime.date
    ends_on: datetime.date


def _label(cadence: str, year: int, index: int) -> str:
    if cadence == "monthly":
        return f"{index:02d}/{year}"
    if cadence == "quarterly":
        return f"Q{index}/{year}"
    if cadence == "half_yearly":
        return f"H{index}/{year}"
    return str(year)


def _month_end(year: int, month: int) -> datetime.date:
    first_of_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)


def period_spans(
    cadence: str, starts_on: datetime.date, ends_on: datetime.date
) -> Iterator[PeriodSpan]:
    """The whole calendar periods of the cadence that overlap [starts_on, ends_on].

    A campaign launched mid-quarter reports on that whole quarter, so labels always mean
    the same dates ("Q3/2021" is 01/07–30/09/2021) across campaigns.
    """
    try:
        months = MONTHS_PER_PERIOD[cadence]
    except KeyError:
        raise ValueError(f"Unknown cadence {cadence!r}") from None
    year = starts_on.year
    index = (starts_on.month - 1) // months + 1
    while True:
        first_month = (index - 1) * months + 1
        span_start = datetime.date(year, first_month, 1)
        if span_start > ends_on:
            return
        span_end = _month_end(year, first_month + months - 1)
        yield PeriodSpan(_label(cadence, year, index), span_start, span_end)
        index += 1
        if index > 12 // months:
            index = 1
            year += 1


# --- Reminder days ------------------------------------------------------------------------


def before_due_dates(due_on: datetime.date, offsets: tuple[int, ...]) -> dict[int, datetime.date]:
    """The day each "N days before" reminder goes out: the working day on or before it."""
    return {days: previous_working_day(due_on - datetime.timedelta(days=days)) for days in offsets}


def before_due_offset(
    due_on: datetime.date, offsets: tuple[int, ...], today: datetime.date
) -> int | None:
    """The one before-due reminder to create today, if any.

    The latest whose day has come (so a sweep that missed a day catches up with one reminder,
    not several), and none once the due date has passed. Two reminders moved onto the same
    working day by a holiday become one: the nearer to the due date.
    """
    if today > due_on:
        return None
    come = [(day, -days) for days, day in before_due_dates(due_on, offsets).items() if day <= today]
    return -max(come)[1] if come else None


def overdue_date(due_on: datetime.date) -> datetime.date:
    """The first working day after the due date.

    Moved forward, not back: the day before would be the due date itself, when the report is
    not late yet.
    """
    return next_working_day(due_on + datetime.timedelta(days=1))


def escalation_date(due_on: datetime.date, delay_days: int) -> datetime.date:
    return next_working_day(overdue_date(due_on) + datetime.timedelta(days=delay_days))


def iso_week_label(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def previous_week(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday and Sunday of the calendar week before the one containing `day`."""
    monday = day - datetime.timedelta(days=day.weekday() + 7)
    return monday, monday + datetime.timedelta(days=6)
