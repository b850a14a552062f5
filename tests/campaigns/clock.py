"""Freeze the clock on a given day (09:00 in Hà Nội) for reminder tests."""

import datetime
import zoneinfo

import time_machine

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: datetime.date, hour: int = 9):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour), HANOI), tick=False
    )


def d(text: str) -> datetime.date:
    """d("15/07/2025")"""
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()
