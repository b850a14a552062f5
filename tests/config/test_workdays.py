import datetime

import holidays
import pytest

from config.workdays import (
    add_working_days,
    is_working_day,
    next_working_day,
    previous_working_day,
)

D = datetime.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 1, 24), True),  # Friday before Tết
        (D(2025, 1, 29), False),  # Mùng 1 Tết Ất Tỵ
        (D(2025, 2, 3), True),  # back to work after Tết
        (D(2025, 4, 26), True),  # a Saturday worked in exchange for 02/05/2025
        (D(2025, 5, 2), False),
        (D(2025, 9, 1), False),
        (D(2025, 9, 2), False),
        (D(2025, 11, 29), False),  # Saturday
    ],
)
def test_vietnamese_working_days(day, working):
    assert is_working_day(day) is working


def test_adding_working_days_skips_tet():
    # Published Friday 24/01/2025: Tết closes offices 27/01–31/01 (and the weekends).
    assert add_working_days(D(2025, 1, 24), 1) == D(2025, 2, 3)
    assert add_working_days(D(2025, 1, 24), 10) == D(2025, 2, 14)


def test_adding_working_days_across_30_4_and_1_5():
    # 26/04/2025 is a working Saturday; 30/04, 01/05 and 02/05 are holidays.
    assert add_working_days(D(2025, 4, 25), 1) == D(2025, 4, 26)
    assert add_working_days(D(2025, 4, 28), 2) == D(2025, 5, 5)


def test_adding_working_days_across_national_day():
    assert add_working_days(D(2025, 8, 29), 1) == D(2025, 9, 3)
    # 31/08, 01/09 and 02/09/2026 are off: Thursday 03/09, Friday 04/09, then Monday 07/09.
    assert add_working_days(D(2026, 8, 28), 3) == D(2026, 9, 7)


def test_previous_working_day_moves_back_over_weekends_and_holidays():
    assert previous_working_day(D(2025, 5, 4)) == D(2025, 4, 29)  # Sunday after the long holiday
    assert previous_working_day(D(2025, 2, 1)) == D(2025, 1, 24)  # Saturday of Tết
    assert previous_working_day(D(2025, 6, 10)) == D(2025, 6, 10)


def test_count_must_be_positive():
    with pytest.raises(ValueError):
        add_working_days(D(2025, 1, 1), 0)


def test_the_holidays_package_lists_the_swapped_days_of_2025():
    # The government moved the day off of Friday 02/05/2025 to be worked on Saturday 26/04.
    calendar = holidays.country_holidays("VN", years=2025)
    assert D(2025, 4, 26) in calendar.weekend_workdays and D(2025, 4, 26) not in calendar
    assert "26/04/2025" in calendar[D(2025, 5, 2)]
    assert calendar.is_working_day(D(2025, 4, 26)) and not calendar.is_working_day(D(2025, 5, 2))


@pytest.mark.parametrize(
    ("saturday", "day_off"),
    [
        (D(2024, 5, 4), D(2024, 4, 29)),  # worked for Monday 29/04/2024, before 30/4–1/5
        (D(2025, 4, 26), D(2025, 5, 2)),  # worked for Friday 02/05/2025, after 30/4–1/5
        (D(2026, 8, 22), D(2026, 8, 31)),  # worked for Monday 31/08/2026, before 2/9
    ],
)
def test_a_swapped_saturday_is_worked_and_its_weekday_is_off(saturday, day_off):
    assert saturday.weekday() == 5 and day_off.weekday() < 5
    assert is_working_day(saturday) is True
    assert is_working_day(day_off) is False


def test_the_working_saturday_counts_in_every_direction():
    assert next_working_day(D(2025, 4, 26)) == D(2025, 4, 26)
    assert previous_working_day(D(2025, 4, 26)) == D(2025, 4, 26)
    assert previous_working_day(D(2025, 4, 27)) == D(2025, 4, 26)  # the Sunday after it
    assert next_working_day(D(2025, 4, 30)) == D(2025, 5, 5)  # over 30/4, 1/5, the 02/05 off
    assert add_working_days(D(2024, 5, 3), 1) == D(2024, 5, 4)


def test_next_working_day_keeps_a_working_day_and_moves_past_tet():
    assert next_working_day(D(2025, 6, 10)) == D(2025, 6, 10)
    assert next_working_day(D(2025, 1, 25)) == D(2025, 2, 3)  # Saturday before Tết
