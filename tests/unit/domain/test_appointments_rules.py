"""Appointment status flow, cancellations, opening hours and Swedish holidays."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from clinic_desk.domain.appointments import (
    ALLOWED,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    cancellation_status,
    check_transition,
)
from clinic_desk.domain.calendar_days import (
    DEFAULT_HOURS,
    DayHours,
    OpeningHours,
    holiday_name,
)
from clinic_desk.domain.errors import RuleViolation

S = AppointmentStatus


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (S.SUMMONED, S.AGREED),
        (S.AGREED, S.ARRIVED),
        (S.ARRIVED, S.DONE),
        (S.AGREED, S.NO_SHOW),
        (S.SUMMONED, S.CANCELLED_BY_CLINIC),
        (S.AGREED, S.LATE_CANCELLED),
    ],
)
def test_the_flow_allows_its_steps(current: AppointmentStatus, new: AppointmentStatus) -> None:
    check_transition(current, new)


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (S.DONE, S.NO_SHOW),
        (S.NO_SHOW, S.AGREED),
        (S.CANCELLED_BY_PATIENT, S.ARRIVED),
        (S.ARRIVED, S.NO_SHOW),
        (S.AGREED, S.SUMMONED),
        (S.SUMMONED, S.DONE),
    ],
)
def test_the_flow_refuses_other_steps(current: AppointmentStatus, new: AppointmentStatus) -> None:
    with pytest.raises(RuleViolation, match="kan inte ändras"):
        check_transition(current, new)


def test_final_statuses_allow_nothing_and_release_the_time() -> None:
    finals = [s for s, nexts in ALLOWED.items() if not nexts]
    assert set(finals) == {
        S.DONE,
        S.NO_SHOW,
        S.LATE_CANCELLED,
        S.CANCELLED_BY_PATIENT,
        S.CANCELLED_BY_CLINIC,
    }
    assert [s for s in S if s.holds_time] == [S.SUMMONED, S.AGREED, S.ARRIVED, S.DONE]


def test_a_cancellation_by_the_patient_under_24_hours_before_is_late() -> None:
    start = datetime(2026, 12, 1, 9, 0)
    assert cancellation_status(True, start, datetime(2026, 11, 30, 9, 1)) is S.LATE_CANCELLED
    assert cancellation_status(True, start, datetime(2026, 11, 30, 9, 0)) is S.CANCELLED_BY_PATIENT
    assert cancellation_status(False, start, datetime(2026, 12, 1, 8, 0)) is S.CANCELLED_BY_CLINIC
    assert cancellation_status(True, start, datetime(2026, 11, 29, 9, 1), late_hours=48) is (
        S.LATE_CANCELLED
    )


def test_overlap_is_half_open() -> None:
    booked = Appointment(
        1, 1, 1, datetime(2026, 12, 1, 9, 0), 45, AppointmentKind.REVISION, S.AGREED
    )
    assert booked.end == datetime(2026, 12, 1, 9, 45)
    assert booked.overlaps(datetime(2026, 12, 1, 9, 30), 30)
    assert not booked.overlaps(datetime(2026, 12, 1, 9, 45), 30)
    assert not booked.overlaps(datetime(2026, 12, 1, 8, 30), 30)
    assert booked.overlaps(datetime(2026, 12, 1, 8, 30), 31)


def test_kinds_have_swedish_labels_and_default_lengths() -> None:
    assert AppointmentKind.REVISION.label == "Revisionsundersökning"
    assert AppointmentKind.REVISION.default_minutes == 45
    assert all(kind.default_minutes > 0 for kind in AppointmentKind)


def test_opening_hours_respect_breaks_and_closed_days() -> None:
    monday = datetime(2026, 11, 23, 8, 0)
    assert DEFAULT_HOURS.is_open(monday, 45)
    assert not DEFAULT_HOURS.is_open(datetime(2026, 11, 23, 11, 30), 45)  # into lunch
    assert DEFAULT_HOURS.is_open(datetime(2026, 11, 23, 13, 0), 45)
    assert not DEFAULT_HOURS.is_open(datetime(2026, 11, 23, 16, 30), 45)  # past closing
    assert not DEFAULT_HOURS.is_open(datetime(2026, 11, 28, 9, 0), 30)  # Saturday
    assert not DEFAULT_HOURS.is_open(datetime(2026, 11, 27, 14, 30), 45)  # Friday closes 15


def test_opening_hours_round_trip_and_fall_back_on_bad_data() -> None:
    hours = OpeningHours((DayHours(time(7, 30), time(16, 0)),) * 5 + (None, None))
    assert OpeningHours.from_json(hours.to_json()) == hours
    for bad in (None, [], [1] * 7, "x", [{"opens": "25:00", "closes": "17:00"}] * 7):
        assert OpeningHours.from_json(bad) == DEFAULT_HOURS


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 12, 24), "Julafton"),
        (date(2026, 12, 25), "Juldagen"),
        (date(2026, 6, 19), "Midsommarafton"),
        (date(2026, 6, 6), "Nationaldagen"),
        (date(2026, 4, 3), "Långfredagen"),
        (date(2026, 12, 31), "Nyårsafton"),
    ],
)
def test_swedish_holidays_and_eves_have_names(day: date, name: str) -> None:
    assert holiday_name(day) == name


def test_ordinary_days_and_plain_sundays_are_not_holidays() -> None:
    assert holiday_name(date(2026, 11, 23)) is None
    assert holiday_name(date(2026, 11, 29)) is None  # a Sunday, but not a named holiday
