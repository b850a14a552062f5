"""Calendar arithmetic for reporting periods: which periods a cadence cuts a campaign into."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

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
