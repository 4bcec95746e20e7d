"""Tests for clinic_desk.domain.care_rules."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_desk.domain.care_rules import (
    IntervalTooLong,
    add_months,
    age_band,
    age_on,
    bite_check_required,
    dentist_exam_gap_allowed,
    first_exam_due,
    free_care_ends,
    in_target_group,
    latest_next_dentist_exam,
    max_dentist_exam_gap_years,
    max_revision_interval_months,
    next_revision_due,
    tobacco_record_required,
)

# --- age_on ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2009, 6, 15), date(2009, 6, 15), 0),
        (date(2009, 6, 15), date(2025, 6, 14), 15),
        (date(2009, 6, 15), date(2025, 6, 15), 16),  # the day the patient turns 16
        (date(2009, 6, 15), date(2025, 12, 31), 16),
        (date(2009, 12, 31), date(2025, 12, 30), 15),
        (date(2009, 12, 31), date(2025, 12, 31), 16),
        (date(2010, 1, 1), date(2025, 12, 31), 15),
        # 29 February birthdays: in years without 29 Feb the birthday is reached on 1 March.
        (date(2008, 2, 29), date(2025, 2, 28), 16),
        (date(2008, 2, 29), date(2025, 3, 1), 17),
        (date(2008, 2, 29), date(2024, 2, 28), 15),
        (date(2008, 2, 29), date(2024, 2, 29), 16),
        (date(2008, 2, 29), date(2009, 2, 28), 0),
        (date(2008, 2, 29), date(2009, 3, 1), 1),
    ],
)
def test_age_on(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


def test_age_on_before_birth_raises() -> None:
    with pytest.raises(ValueError, match="före födelsedatumet"):
        age_on(date(2015, 3, 7), date(2015, 3, 6))


@given(birth=st.dates(max_value=date(9000, 12, 31)), days=st.integers(0, 200 * 366))
def test_age_on_matches_anniversaries(birth: date, days: int) -> None:
    on = birth + timedelta(days=days)
    age = age_on(birth, on)
    assert age >= 0
    assert add_months(birth, 12 * age) <= on
    # The next birthday has not been reached (29 Feb birthdays: 1 March in other years).
    next_year = birth.year + age + 1
    if (birth.month, birth.day) == (2, 29) and not calendar.isleap(next_year):
        next_birthday = date(next_year, 3, 1)
    else:
        next_birthday = date(next_year, birth.month, birth.day)
    assert on < next_birthday


# --- target group and yearly deadlines ------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2017, 12, 31), False),  # turns 2 in 2017
        (date(2018, 1, 1), True),  # the year the patient turns 3, before the birthday
        (date(2018, 12, 30), True),
        (date(2025, 6, 1), True),
        (date(2034, 12, 31), True),  # 31 Dec of the year turning 19 (birthday that very day)
        (date(2035, 1, 1), False),
    ],
)
def test_in_target_group(on: date, expected: bool) -> None:
    assert in_target_group(date(2015, 12, 31), on) is expected


def test_free_care_ends_and_first_exam_due() -> None:
    assert free_care_ends(date(2015, 3, 7)) == date(2034, 12, 31)
    assert first_exam_due(date(2015, 3, 7)) == date(2018, 12, 31)
    assert free_care_ends(date(2016, 2, 29)) == date(2035, 12, 31)
    assert first_exam_due(date(2016, 2, 29)) == date(2019, 12, 31)


@given(birth=st.dates(max_value=date(9000, 1, 1)))
def test_free_care_window_matches_target_group(birth: date) -> None:
    end = free_care_ends(birth)
    first = first_exam_due(birth)
    assert in_target_group(birth, end)
    assert not in_target_group(birth, end + timedelta(days=1))
    assert in_target_group(birth, date(first.year, 1, 1))
    assert not in_target_group(birth, date(first.year, 1, 1) - timedelta(days=1))


# --- caps by age ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "months", "years"),
    [(0, 24, 4), (2, 24, 4), (3, 24, 4), (15, 24, 4), (16, 36, 6), (19, 36, 6), (20, 36, 6)],
)
def test_caps_by_age(age: int, months: int, years: int) -> None:
    assert max_revision_interval_months(age) == months
    assert max_dentist_exam_gap_years(age) == years


def test_caps_refuse_negative_age() -> None:
    with pytest.raises(ValueError, match="negativ"):
        max_revision_interval_months(-1)
    with pytest.raises(ValueError, match="negativ"):
        max_dentist_exam_gap_years(-1)


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, "below_target"),
        (2, "below_target"),
        (3, "child"),
        (17, "child"),
        (18, "young_adult"),
        (19, "young_adult"),
        (20, "above_target"),
        (64, "above_target"),
    ],
)
def test_age_band(age: int, band: str) -> None:
    assert age_band(age) == band


def test_age_band_refuses_negative_age() -> None:
    with pytest.raises(ValueError, match="negativ"):
        age_band(-1)


@pytest.mark.parametrize(("age", "expected"), [(5, False), (6, True), (13, True), (14, False)])
def test_bite_check_required(age: int, expected: bool) -> None:
    assert bite_check_required(age) is expected


@pytest.mark.parametrize(("age", "expected"), [(3, False), (12, False), (13, True), (19, True)])
def test_tobacco_record_required(age: int, expected: bool) -> None:
    assert tobacco_record_required(age) is expected


# --- add_months -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 5, 10), 0, date(2025, 5, 10)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
        (date(2025, 1, 15), -25, date(2022, 12, 15)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_add_months_out_of_range() -> None:
    with pytest.raises(ValueError, match="utanför"):
        add_months(date(9999, 12, 1), 1)
    with pytest.raises(ValueError, match="utanför"):
        add_months(date(1, 1, 1), -1)


@given(start=st.dates(min_value=date(2, 1, 1)), months=st.integers(-12, 12 * 50))
def test_add_months_properties(start: date, months: int) -> None:
    try:
        result = add_months(start, months)
    except ValueError:
        return
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    if result.day != start.day:
        assert result.day < start.day
        assert result.day == calendar.monthrange(result.year, result.month)[1]


# --- next_revision_due and IntervalTooLong --------------------------------------------------

BIRTH = date(2009, 6, 15)  # turns 16 on 2025-06-15


def test_interval_24_accepted_for_15_year_old() -> None:
    assert next_revision_due(date(2025, 6, 14), 24, BIRTH) == date(2027, 6, 14)


def test_interval_25_refused_for_15_year_old() -> None:
    with pytest.raises(IntervalTooLong) as exc:
        next_revision_due(date(2025, 6, 14), 25, BIRTH)
    assert str(exc.value) == (
        "Planerat revisionsintervall 25 månader är längre än tillåtna 24 månader "
        "för en patient som är 15 år."
    )
    assert (exc.value.interval_months, exc.value.cap_months, exc.value.age) == (25, 24, 15)
    assert isinstance(exc.value, ValueError)


def test_interval_36_accepted_on_16th_birthday() -> None:
    assert next_revision_due(date(2025, 6, 15), 36, BIRTH) == date(2028, 6, 15)


def test_interval_37_refused_for_16_year_old() -> None:
    with pytest.raises(IntervalTooLong) as exc:
        next_revision_due(date(2025, 6, 15), 37, BIRTH)
    assert str(exc.value) == (
        "Planerat revisionsintervall 37 månader är längre än tillåtna 36 månader "
        "för en patient som är 16 år."
    )


def test_interval_cap_for_leap_day_birthday() -> None:
    birth = date(2008, 2, 29)
    with pytest.raises(IntervalTooLong):
        next_revision_due(date(2024, 2, 28), 25, birth)  # still 15
    assert next_revision_due(date(2024, 2, 29), 36, birth) == date(2027, 2, 28)


def test_interval_cap_below_three_and_above_nineteen() -> None:
    assert next_revision_due(date(2017, 1, 1), 24, date(2015, 6, 1)) == date(2019, 1, 1)
    with pytest.raises(IntervalTooLong):
        next_revision_due(date(2017, 1, 1), 25, date(2015, 6, 1))
    assert next_revision_due(date(2030, 1, 1), 36, date(2005, 6, 1)) == date(2033, 1, 1)


@pytest.mark.parametrize(
    ("exam", "months", "expected"),
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 5, 31), 18, date(2026, 11, 30)),
    ],
)
def test_next_revision_due_clamps_to_month_end(exam: date, months: int, expected: date) -> None:
    assert next_revision_due(exam, months, date(2015, 1, 1)) == expected


@pytest.mark.parametrize("months", [0, -1, -24])
def test_next_revision_due_refuses_interval_below_one(months: int) -> None:
    with pytest.raises(ValueError, match="minst 1 månad") as exc:
        next_revision_due(date(2025, 1, 1), months, date(2015, 1, 1))
    assert not isinstance(exc.value, IntervalTooLong)


def test_next_revision_due_refuses_exam_before_birth() -> None:
    with pytest.raises(ValueError, match="före födelsedatumet"):
        next_revision_due(date(2014, 1, 1), 12, date(2015, 1, 1))


@given(
    birth=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    age_days=st.integers(0, 20 * 366),
    months=st.integers(1, 48),
)
def test_next_revision_due_respects_cap(birth: date, age_days: int, months: int) -> None:
    exam = birth + timedelta(days=age_days)
    cap = max_revision_interval_months(age_on(birth, exam))
    if months > cap:
        with pytest.raises(IntervalTooLong):
            next_revision_due(exam, months, birth)
    else:
        due = next_revision_due(exam, months, birth)
        assert due == add_months(exam, months)
        assert due > exam


# --- dentist exam gap -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "last", "expected"),
    [
        # Child all along: 4 years.
        (date(2015, 1, 1), date(2020, 5, 10), date(2024, 5, 10)),
        # Already 16: 6 years.
        (date(2005, 1, 1), date(2021, 5, 10), date(2027, 5, 10)),
        # Still 15 on last + 4 years and the day after: 4 years, even though an exam after the
        # 16th birthday (2024-09-01) would formally be within 6 years.
        (date(2008, 9, 1), date(2020, 6, 1), date(2024, 6, 1)),
        # Turns 16 on last + 4 years: 6 years.
        (date(2008, 3, 1), date(2020, 3, 1), date(2026, 3, 1)),
        # Turns 16 the day after last + 4 years: no gap in allowed days, so 6 years.
        (date(2008, 3, 2), date(2020, 3, 1), date(2026, 3, 1)),
        # Turns 16 two days after last + 4 years: one forbidden day, so 4 years.
        (date(2008, 3, 3), date(2020, 3, 1), date(2024, 3, 1)),
        # 29 February exam dates.
        (date(2010, 1, 1), date(2016, 2, 29), date(2020, 2, 29)),
        (date(2000, 1, 1), date(2016, 2, 29), date(2022, 2, 28)),
    ],
)
def test_latest_next_dentist_exam(birth: date, last: date, expected: date) -> None:
    deadline = latest_next_dentist_exam(last, birth)
    assert deadline == expected
    assert dentist_exam_gap_allowed(last, deadline, birth)
    assert not dentist_exam_gap_allowed(last, deadline + timedelta(days=1), birth)


def test_dentist_exam_gap_allowed() -> None:
    birth = date(2008, 9, 1)
    last = date(2020, 6, 1)
    assert dentist_exam_gap_allowed(last, date(2024, 6, 1), birth)
    assert not dentist_exam_gap_allowed(last, date(2024, 6, 2), birth)  # 15, over 4 years
    assert dentist_exam_gap_allowed(last, date(2024, 9, 1), birth)  # 16, within 6 years
    assert not dentist_exam_gap_allowed(last, date(2026, 6, 2), birth)
    with pytest.raises(ValueError, match="före den tidigare"):
        dentist_exam_gap_allowed(last, date(2020, 5, 31), birth)


@given(
    birth=st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
    age_days=st.integers(3 * 365, 20 * 366),
    probe=st.floats(min_value=0.0, max_value=1.0),
)
def test_every_day_up_to_deadline_is_allowed(birth: date, age_days: int, probe: float) -> None:
    last = birth + timedelta(days=age_days)
    deadline = latest_next_dentist_exam(last, birth)
    assert add_months(last, 48) <= deadline <= add_months(last, 72)
    inside = last + timedelta(days=round((deadline - last).days * probe))
    assert dentist_exam_gap_allowed(last, inside, birth)
    assert dentist_exam_gap_allowed(last, deadline, birth)
    assert not dentist_exam_gap_allowed(last, deadline + timedelta(days=1), birth)
