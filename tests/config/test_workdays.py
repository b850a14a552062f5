import datetime

import pytest

from config.workdays import add_working_days, is_working_day, previous_working_day

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
