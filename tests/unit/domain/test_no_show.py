"""Tests for clinic_desk.domain.no_show (RULES.md §4, contract 000 §2.9, §3.9)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_desk.domain.no_show import (
    NoShowAssessment,
    assess_no_shows,
    fee_allowed,
    window_start,
)

TODAY = date(2025, 6, 15)
CHILD = date(2015, 3, 1)  # 10 years old on TODAY
ADULT = date(2006, 1, 1)  # 19 years old on TODAY


@pytest.mark.parametrize(
    ("agreed", "confirmed", "expected"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_fee_only_for_time_agreed_by_both(agreed: bool, confirmed: bool, expected: bool) -> None:
    assert fee_allowed(agreed, confirmed) is expected


def test_no_no_shows() -> None:
    assert assess_no_shows([], TODAY, CHILD) == NoShowAssessment(0, False, False)


def test_one_no_show_is_not_repeated() -> None:
    result = assess_no_shows([date(2025, 5, 1)], TODAY, CHILD)
    assert result == NoShowAssessment(1, False, False)


def test_two_no_shows_child_gets_notice_and_concern() -> None:
    result = assess_no_shows([date(2024, 9, 1), date(2025, 5, 1)], TODAY, CHILD)
    assert result == NoShowAssessment(2, True, True)


def test_two_no_shows_adult_gets_notice_without_concern() -> None:
    result = assess_no_shows([date(2024, 9, 1), date(2025, 5, 1)], TODAY, ADULT)
    assert result == NoShowAssessment(2, True, False)


def test_exactly_window_months_ago_is_outside_and_today_inside() -> None:
    edge = date(2024, 6, 15)
    assert assess_no_shows([edge, TODAY], TODAY, CHILD).count_in_window == 1
    assert assess_no_shows([edge + timedelta(days=1), TODAY], TODAY, CHILD).count_in_window == 2


def test_future_dates_are_not_counted() -> None:
    result = assess_no_shows([TODAY + timedelta(days=1), TODAY], TODAY, CHILD)
    assert result.count_in_window == 1


def test_same_day_twice_counts_twice() -> None:
    result = assess_no_shows([date(2025, 5, 1), date(2025, 5, 1)], TODAY, CHILD)
    assert result == NoShowAssessment(2, True, True)


def test_window_start_clamps_to_month_end() -> None:
    assert window_start(date(2024, 2, 29)) == date(2023, 2, 28)
    assert window_start(date(2025, 3, 31), 1) == date(2025, 2, 28)
    assert window_start(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert window_start(date(2025, 1, 31), 13) == date(2023, 12, 31)


def test_leap_day_window_edge() -> None:
    today = date(2024, 2, 29)
    counted = assess_no_shows([date(2023, 2, 28), date(2023, 3, 1)], today, CHILD)
    assert counted.count_in_window == 1


def test_notice_not_repeated_until_newer_no_show() -> None:
    dates = [date(2024, 9, 1), date(2025, 5, 1)]
    sent = date(2025, 5, 3)
    assert not assess_no_shows(dates, TODAY, CHILD, last_notice=sent).written_notice_due
    assert not assess_no_shows(dates, TODAY, CHILD, last_notice=sent).child_concern
    newer = [*dates, date(2025, 6, 10)]
    result = assess_no_shows(newer, TODAY, CHILD, last_notice=sent)
    assert result == NoShowAssessment(3, True, True)


def test_no_show_on_notice_day_is_not_newer() -> None:
    dates = [date(2025, 1, 1), date(2025, 5, 3)]
    result = assess_no_shows(dates, TODAY, CHILD, last_notice=date(2025, 5, 3))
    assert not result.written_notice_due


def test_old_notice_outside_window_allows_new_notice() -> None:
    dates = [date(2025, 2, 1), date(2025, 4, 1)]
    result = assess_no_shows(dates, TODAY, CHILD, last_notice=date(2023, 1, 1))
    assert result.written_notice_due


def test_child_flag_day_before_and_on_18th_birthday() -> None:
    birth = date(2007, 6, 15)
    dates = [date(2025, 1, 10), date(2025, 6, 1)]
    day_before = assess_no_shows(dates, date(2025, 6, 14), birth)
    on_birthday = assess_no_shows(dates, date(2025, 6, 15), birth)
    assert day_before.written_notice_due
    assert day_before.child_concern
    assert on_birthday.written_notice_due
    assert not on_birthday.child_concern


def test_child_flag_leap_day_birthday() -> None:
    birth = date(2008, 2, 29)  # turns 18 in the common year 2026
    dates = [date(2025, 10, 1), date(2026, 2, 1)]
    assert assess_no_shows(dates, date(2026, 2, 28), birth).child_concern
    assert not assess_no_shows(dates, date(2026, 3, 1), birth).child_concern


def test_configurable_threshold_and_window() -> None:
    dates = [date(2025, 1, 1), date(2025, 3, 1), date(2025, 6, 1)]
    assert not assess_no_shows(dates, TODAY, CHILD, threshold=4).written_notice_due
    assert assess_no_shows(dates, TODAY, CHILD, threshold=3).written_notice_due
    assert assess_no_shows(dates, TODAY, CHILD, window_months=3).count_in_window == 1
    assert assess_no_shows([date(2025, 6, 1)], TODAY, CHILD, threshold=1).child_concern


@pytest.mark.parametrize("threshold", [0, -1])
def test_threshold_below_one_rejected(threshold: int) -> None:
    with pytest.raises(ValueError, match="minst 1"):
        assess_no_shows([], TODAY, CHILD, threshold=threshold)


@pytest.mark.parametrize("months", [0, -12])
def test_window_below_one_month_rejected(months: int) -> None:
    with pytest.raises(ValueError, match="minst 1 månad"):
        assess_no_shows([], TODAY, CHILD, window_months=months)


@given(
    st.lists(st.dates(date(2020, 1, 1), date(2026, 12, 31)), max_size=10),
    st.dates(date(2022, 1, 1), date(2026, 12, 31)),
    st.dates(date(2000, 1, 1), date(2022, 12, 31)),
    st.none() | st.dates(date(2020, 1, 1), date(2026, 12, 31)),
)
def test_invariants(dates: list[date], today: date, birth: date, last_notice: date | None) -> None:
    result = assess_no_shows(dates, today, birth, last_notice)
    assert 0 <= result.count_in_window <= len(dates)
    assert not result.child_concern or result.written_notice_due
    assert not result.written_notice_due or result.count_in_window >= 2
